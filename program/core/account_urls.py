"""The signed-in user's own account pages (route policy: any signed-in user)."""

from django.urls import path

from program.core import account_views
from program.tokens import views as token_views

app_name = "account"

urlpatterns = [
    path("", account_views.account_overview, name="overview"),
    path("e-mail/", account_views.email_change, name="email-change"),
    path("tokens/", token_views.token_list, name="tokens"),
    path("tokens/<int:pk>/revoke/", token_views.token_revoke, name="token-revoke"),
    path("password/", account_views.PasswordChangeView.as_view(), name="password-change"),
    path("second-factor/", account_views.second_factor_manage, name="second-factor"),
    path("second-factor/set-up/", account_views.second_factor_enrol, name="second-factor-enrol"),
    path("second-factor/verify/", account_views.second_factor_verify, name="second-factor-verify"),
]

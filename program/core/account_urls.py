"""The signed-in user's own account pages (route policy: any signed-in user)."""

from django.urls import path

from program.core import account_views

app_name = "account"

urlpatterns = [
    path("password/", account_views.PasswordChangeView.as_view(), name="password-change"),
    path("second-factor/", account_views.second_factor_manage, name="second-factor"),
    path("second-factor/set-up/", account_views.second_factor_enrol, name="second-factor-enrol"),
    path("second-factor/verify/", account_views.second_factor_verify, name="second-factor-verify"),
]

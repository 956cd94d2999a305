from typing import Any

from axes.admin import AccessAttemptAdmin
from axes.models import AccessAttempt
from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from program.core import lockout
from program.core.models import Heartbeat, UserPreferences
from program.core.second_factor import second_factor_reset
from program.core.sessions import user_sessions_end


@admin.register(Heartbeat)
class HeartbeatAdmin(admin.ModelAdmin[Heartbeat]):
    list_display = ["name", "last_run_at", "runs", "worker"]
    readonly_fields = ["name", "last_run_at", "runs", "worker"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


User = get_user_model()
admin.site.unregister(User)


class UserPreferencesForm(forms.ModelForm[UserPreferences]):
    # A choice of the offered languages; the model keeps no choices, so that adding a language
    # to the settings needs no migration.
    language = forms.ChoiceField(label=gettext_lazy("language"), choices=settings.LANGUAGES)

    class Meta:
        model = UserPreferences
        fields = ["user", "language"]


@admin.register(UserPreferences)
class UserPreferencesAdmin(admin.ModelAdmin[UserPreferences]):
    """Each user's language, for a system administrator to look up or set. Its own page rather
    than an inline on the user's: an inline would change what the user form posts."""

    form = UserPreferencesForm
    list_display = ["user", "language", "updated_at"]
    list_select_related = ["user"]
    search_fields = ["user__username"]
    raw_id_fields = ["user"]


@admin.register(User)
class ProgramUserAdmin(UserAdmin[Any]):  # the user model is get_user_model()'s
    """Django's user admin, plus ending a user's sessions and resetting their second factor (a
    lost phone: they set up a new one at their next sign-in)."""

    actions = ["end_sessions", "reset_second_factor"]

    @admin.action(description=gettext_lazy("End sessions"), permissions=["change"])
    def end_sessions(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        ended = sum(user_sessions_end(user=user) for user in queryset)
        self.message_user(
            request,
            _("Ended %(sessions)d sessions of %(users)d users.")
            % {"sessions": ended, "users": queryset.count()},
            messages.SUCCESS,
        )

    @admin.action(description=gettext_lazy("Reset second factor"), permissions=["change"])
    def reset_second_factor(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        users = list(queryset)
        for user in users:
            second_factor_reset(user=user, request=request)
        self.message_user(
            request,
            _(
                "Reset the second factor of %(users)d users and signed them out; they set up a "
                "new one when they next sign in."
            )
            % {"users": len(users)},
            messages.SUCCESS,
        )


admin.site.unregister(AccessAttempt)


@admin.register(AccessAttempt)
class LockoutAdmin(AccessAttemptAdmin):
    """Failed sign-ins by user name, address and browser: which of them lock someone out now, and
    the actions that clear them (the user called from a new address, a sprayer went away)."""

    list_display = [
        "attempt_time",
        "username",
        "ip_address",
        "failures_since_start",
        "locks",
        "user_agent",
    ]
    list_filter = ["attempt_time"]
    actions = ["unlock_usernames", "unlock_addresses"]

    @admin.display(description=gettext_lazy("Locks out now"))
    def locks(self, attempt: AccessAttempt) -> str:
        reached = lockout.rules_reached(username=attempt.username, ip_address=attempt.ip_address)
        labels = {
            lockout.USER_AND_ADDRESS: _("this user name from this address"),
            lockout.ADDRESS: _("this address"),
            lockout.USER: _("this user name"),
        }
        return ", ".join(str(labels[rule]) for rule in reached) or "—"

    @admin.action(
        description=gettext_lazy("Unlock these user names (from every address)"),
        permissions=["delete"],
    )
    def unlock_usernames(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        names = sorted({name for name in queryset.values_list("username", flat=True) if name})
        cleared = lockout.lockouts_clear(usernames=names)
        self.message_user(
            request,
            _("Cleared %(count)d failed sign-in records of %(names)s.")
            % {"count": cleared, "names": ", ".join(names) or "—"},
            messages.SUCCESS,
        )

    @admin.action(
        description=gettext_lazy("Unlock these addresses (for every user name)"),
        permissions=["delete"],
    )
    def unlock_addresses(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        addresses = sorted({ip for ip in queryset.values_list("ip_address", flat=True) if ip})
        cleared = lockout.lockouts_clear(ip_addresses=addresses)
        self.message_user(
            request,
            _("Cleared %(count)d failed sign-in records from %(addresses)s.")
            % {"count": cleared, "addresses": ", ".join(addresses) or "—"},
            messages.SUCCESS,
        )

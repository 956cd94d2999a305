from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from program.core.models import Heartbeat
from program.core.second_factor import second_factor_reset
from program.core.sessions import user_sessions_end


@admin.register(Heartbeat)
class HeartbeatAdmin(admin.ModelAdmin):
    list_display = ["name", "last_run_at", "runs", "worker"]
    readonly_fields = ["name", "last_run_at", "runs", "worker"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class ProgramUserAdmin(UserAdmin):
    """Django's user admin, plus ending a user's sessions and resetting their second factor (a
    lost phone: they set up a new one at their next sign-in)."""

    actions = ["end_sessions", "reset_second_factor"]

    @admin.action(description=gettext_lazy("End sessions"), permissions=["change"])
    def end_sessions(self, request: HttpRequest, queryset: QuerySet) -> None:
        ended = sum(user_sessions_end(user=user) for user in queryset)
        self.message_user(
            request,
            _("Ended %(sessions)d sessions of %(users)d users.")
            % {"sessions": ended, "users": queryset.count()},
            messages.SUCCESS,
        )

    @admin.action(description=gettext_lazy("Reset second factor"), permissions=["change"])
    def reset_second_factor(self, request: HttpRequest, queryset: QuerySet) -> None:
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

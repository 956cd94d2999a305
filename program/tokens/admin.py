from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from program.tokens.models import ApiToken
from program.tokens.services import api_token_revoke


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin[ApiToken]):
    """Everyone's API tokens, to see and to revoke (a leaked token, a person who left). Tokens are
    made by their users on their account page only: the admin cannot make or show one."""

    list_display = ["name", "user", "key_prefix", "created_at", "expires_at", "revoked_at"]
    list_filter = ["revoked_at", "expires_at"]
    list_select_related = ["user"]
    search_fields = ["user__username", "name", "key_prefix"]
    readonly_fields = [
        "user",
        "name",
        "key_prefix",
        "created_at",
        "expires_at",
        "revoked_at",
        "revoked_by",
    ]
    exclude = ["key_hash"]
    actions = ["revoke"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        # Revoked, not deleted: the row says when and by whom.
        return False

    @admin.action(description=gettext_lazy("Revoke the selected tokens"), permissions=["change"])
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        ids = list(queryset.filter(revoked_at__isnull=True).values_list("pk", flat=True))
        for token_id in ids:
            api_token_revoke(token_id=token_id, actor=request.user, anyones=True)  # type: ignore[arg-type]
        self.message_user(
            request, _("Revoked %(count)d tokens.") % {"count": len(ids)}, messages.SUCCESS
        )

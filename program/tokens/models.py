"""Personal API tokens: each belongs to one user, carries that user's roles, has a name and an
expiry, and is kept only as a hash (the token itself is shown once, when it is made).

The last use lives in a table of its own (usage.py), outside the write history: a use is not a
change anyone made, and a client calling every second would otherwise add a history row a
minute per token.
"""

from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from program.tokens.usage import ApiTokenUse

__all__ = ["ApiToken", "ApiTokenUse"]


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("user"),
    )
    name = models.CharField(_("name"), max_length=80)
    # SHA-256 of the whole token, hex. The token is 256 random bits, so a plain hash is enough
    # (no salt or slow hash: nobody can guess their way through 2**256); it finds the row in one
    # index look-up.
    key_hash = models.CharField(_("key hash"), max_length=64, unique=True, editable=False)
    # The token's first characters, so its owner can tell which one a client has.
    key_prefix = models.CharField(_("begins with"), max_length=12, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    expires_at = models.DateTimeField(_("expires"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revoked by"),
    )

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                name="api_token_expires_after_created", condition=Q(expires_at__gt=F("created_at"))
            ),
            models.CheckConstraint(
                name="api_token_revoker_only_when_revoked",
                condition=Q(revoked_by__isnull=True) | Q(revoked_at__isnull=False),
            ),
        ]
        indexes = [models.Index(fields=["user", "-created_at"], name="api_token_user_created")]

    def __str__(self) -> str:
        return f"{self.name} ({self.key_prefix}…)"

    def is_expired(self, now: datetime | None = None) -> bool:
        return self.expires_at <= (now or timezone.now())

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and not self.is_expired()

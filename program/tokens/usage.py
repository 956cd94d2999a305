"""When each API token was last used (see models.py for why this is a table of its own).

Defined outside models.py on purpose: the write history tracks the models of `program.tokens.models`
(settings AUDIT_TRACKED_MODULES), and this row is not a change anyone made.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ApiTokenUse(models.Model):
    token = models.OneToOneField(
        "tokens.ApiToken",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="use",
        verbose_name=_("API token"),
    )
    last_used_at = models.DateTimeField(_("last used"))

    class Meta:
        app_label = "tokens"
        verbose_name = _("API token use")
        verbose_name_plural = _("API token uses")

    def __str__(self) -> str:
        return f"{self.token_id} @ {self.last_used_at:%Y-%m-%d %H:%M}"

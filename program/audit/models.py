"""The access (consultation) log, the record of retention purges, and (generated in history.py)
one append-only change table per domain model."""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from program.audit import history
from program.audit.conf import ACCESS_LOG_RETENTION_FLOOR_DAYS
from program.audit.triggers import AppendOnly

# The purposes the program itself records (the choices of the purpose form, the API's default,
# and the ones views give for their disclosures), by the stored value. They are stored in these
# words so that the log reads the same whoever reads it; a page shows them translated.
PURPOSE_LABELS = {
    "case work": _("Case work"),
    "occupancy": _("Occupancy"),
    "audit": _("Audit"),
    "other": _("Other"),
    "api": _("Through the API"),
    "access report": _("Access report"),
    "transport planning": _("Transport planning"),
    "transport manifest for the host prison": _("Transport manifest for the host prison"),
    "expected arrivals": _("Expected arrivals"),
    "import": _("Import of personal data"),
}


class AccessLogEntry(models.Model):
    """One consultation, search, export, disclosure or collection of personal data (LED Art. 25).

    The subject is a type and an id, never a name, so the log itself holds no conviction data.
    """

    class Action(models.TextChoices):
        VIEW = "view", _("Viewed a record")
        SEARCH = "search", _("Searched")
        LIST = "list", _("Listed")
        EXPORT = "export", _("Exported")
        DISCLOSURE = "disclosure", _("Disclosed")
        IMPORT = "import", _("Imported (collected)")

    at = models.DateTimeField(_("at"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,  # deactivate people; their trail must stay attributable
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    # A copy: the user may be renamed later, the log must still say who it was then.
    actor_username = models.CharField(_("user name"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=12, choices=Action.choices)
    subject_type = models.CharField(_("subject type"), max_length=50, blank=True)
    subject_id = models.CharField(_("subject id"), max_length=64, blank=True)
    # A list or search: everyone it returned, of `subject_type`, in one row per request (one
    # INSERT however long the page), so that the person's access report still finds it.
    subject_ids = ArrayField(
        models.CharField(max_length=64),
        default=list,
        blank=True,
        verbose_name=_("subjects listed"),
    )
    purpose = models.CharField(_("purpose"), max_length=200, blank=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)
    route = models.CharField(_("route"), max_length=200, blank=True)
    # Searches: the filter names and values as given. Kept here only, never in application logs.
    criterion = models.JSONField(
        _("criterion"), default=dict, blank=True, encoder=DjangoJSONEncoder
    )

    class Meta:
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log entries")
        ordering = ["-at", "-id"]
        indexes = [
            # The subject's access report and the auditor's search by subject.
            models.Index(fields=["subject_type", "subject_id", "at"], name="accesslog_subject_at"),
            # The auditor's search by user.
            models.Index(fields=["actor_username", "at"], name="accesslog_actor_at"),
            # The retention purge and date-range searches.
            models.Index(fields=["at"], name="accesslog_at"),
            # The search by subject and the access report, for the people named by a list.
            GinIndex(fields=["subject_ids"], name="accesslog_subject_ids"),
        ]
        triggers = [
            AppendOnly(purge_column="at", purge_floor_days=ACCESS_LOG_RETENTION_FLOOR_DAYS),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_username} {self.action} {self.subject_type}"

    @property
    def purpose_label(self) -> str:
        """The purpose in the reader's language: the program's own purposes by their names,
        "other: …" with the person's own words after it, anything else as written."""
        if self.purpose.startswith("other: "):
            return f"{PURPOSE_LABELS['other']}: {self.purpose.removeprefix('other: ')}"
        return str(PURPOSE_LABELS.get(self.purpose, self.purpose))


class AuditPurge(models.Model):
    """What a retention run deleted: counts and the cut-off, never the rows' contents."""

    at = models.DateTimeField(_("at"), default=timezone.now)
    older_than_days = models.PositiveIntegerField(_("older than (days)"))
    cutoff = models.DateTimeField(_("deleted entries before"))
    access_log_deleted = models.PositiveIntegerField(_("access log entries deleted"))
    actor = models.CharField(_("run by"), max_length=150)

    class Meta:
        verbose_name = _("audit purge")
        verbose_name_plural = _("audit purges")
        ordering = ["-at", "-id"]
        triggers = [AppendOnly()]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d} {self.access_log_deleted}"


history.register()

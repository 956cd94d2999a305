"""A checked import file waiting for its confirmation, then the job that imports it.

Kept in its own module (imported by models.py) so that the write-history triggers, which track
the models defined in program/inmates/models.py, do not copy every row of every file previewed:
the rows are a transient copy of a file, deleted when imported or when the preview expires.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

# The counts an import reports (import_jobs.Apply), as a reader sees them.
RESULT_LABELS = {
    "created": _("Created"),
    "updated": _("Updated"),
    "unchanged": _("Unchanged"),
    "cases_opened": _("Cases opened"),
}


class ImportJob(models.Model):
    """A file's checked rows, server-side (never in the session), from preview to import.

    The id is a random UUID: the confirm form and the progress page name the job by it, and
    only its owner may use it. `rows` is emptied when the import ends; the row itself is deleted
    once it expires (import_jobs_purge).
    """

    class Kind(models.TextChoices):
        INMATES = "inmates", _("Inmate register import")
        CANDIDATES = "candidates", _("Candidate intake")

    class State(models.TextChoices):
        PREVIEWED = "previewed", _("Waiting for confirmation")
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Importing")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Nothing was imported")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    # The SHA-256 of the file previewed: confirming imports exactly what was shown.
    digest = models.CharField(_("file digest"), max_length=64)
    # The checked rows as zlib-compressed JSON (import_jobs.pack): a 50,000-row file is ~2 MB
    # here instead of ~17 MB of jsonb that PostgreSQL would parse and the preview wait for.
    rows = models.BinaryField(_("checked rows"), default=b"", blank=True)
    total = models.PositiveIntegerField(_("rows"), default=0)
    done = models.PositiveIntegerField(_("rows written"), default=0)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PREVIEWED
    )
    # The counts of an import that finished (created, updated, unchanged, cases opened).
    result = models.JSONField(_("result"), default=dict, blank=True)
    error = models.TextField(_("why nothing was imported"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))

    class Meta:
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")
        constraints = [
            models.CheckConstraint(
                condition=Q(done__lte=F("total")), name="importjob_done_le_total"
            )
        ]
        indexes = [
            # The purge of expired previews and finished jobs.
            models.Index(fields=["expires_at"], name="importjob_expires_at"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.get_state_display()} {self.done}/{self.total}"

    @property
    def percent(self) -> int:
        return int(self.done * 100 / self.total) if self.total else 0

    @property
    def result_counts(self) -> list[tuple[str, int]]:
        """The finished import's counts, each under its label in the reader's language."""
        return [(str(RESULT_LABELS.get(key, key)), count) for key, count in self.result.items()]

    @property
    def is_over(self) -> bool:
        return self.state in {self.State.DONE, self.State.FAILED}

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class OutboxMessage(models.Model):
    """One piece of Celery work, written in the transaction of the action that caused it.

    `args` hold ids and codes only, never personal data: rows outlive the action and are read by
    operators. `key` is the idempotency key: the same work queued twice is one row.
    """

    task = models.CharField(_("task"), max_length=200)
    args = models.JSONField(_("arguments"), default=list, blank=True)
    key = models.CharField(_("idempotency key"), max_length=200, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # Handed to the broker (the last time); done: the task succeeded on a worker.
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("times sent"), default=0)
    last_error = models.CharField(_("last error"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")
        ordering = ["id"]
        indexes = [
            # The relay's scan: only rows not yet done, oldest first.
            models.Index(fields=["id"], condition=Q(done_at__isnull=True), name="outbox_not_done"),
        ]

    def __str__(self) -> str:
        return f"{self.task} [{self.key}]"

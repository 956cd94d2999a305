"""A message to one user, in the app and by e-mail, with its delivery state.

Notifications belong to the whole programme: a transfer case's deadline, a tranche that became
overdue. The row names what it is about by a type and an id (never a name) and carries the
in-app link, so this app knows no other app's models.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """The text names its subject by number only: an e-mail leaves the system, so it carries no
    inmate's name or facts. The same fact (a dedupe key) about one subject is one row per user.
    """

    class Kind(models.TextChoices):
        OUTCOME_CHANGED = "outcome_changed", _("Eligibility outcome changed")
        REMINDER = "reminder", _("Deadline reminder")
        TRANCHE_DUE = "tranche_due", _("Tranche due")
        TRANCHE_OVERDUE = "tranche_overdue", _("Tranche overdue")
        BULK_READ = "bulk_read", _("Many people's records read")
        # Something landed in one of the user's work queues (the home page's "waiting for you").
        WAITING = "waiting", _("Waiting for you")
        # An incident at a host facility: reported (the governor), or naming the recipient.
        INCIDENT = "incident", _("Incident")

    class EmailState(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    text = models.CharField(_("text"), max_length=300)
    # What it is about, as in the access log: "transfer_case" 12, "tranche" 7.
    subject_type = models.CharField(_("subject type"), max_length=40)
    subject_id = models.CharField(_("subject id"), max_length=64)
    # The page to open, a path inside the site (made absolute with SITE_URL in the e-mail).
    link = models.CharField(_("link"), max_length=200, blank=True)
    dedupe_key = models.CharField(_("idempotency key"), max_length=120, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    email_state = models.CharField(
        _("e-mail"), max_length=10, choices=EmailState.choices, default=EmailState.PENDING
    )
    email_error = models.CharField(_("e-mail error"), max_length=200, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "subject_type", "subject_id", "dedupe_key"],
                condition=~Q(dedupe_key=""),
                name="notification_once_per_key",
            ),
            models.CheckConstraint(
                condition=Q(email_state="sent", sent_at__isnull=False) | ~Q(email_state="sent"),
                name="notification_sent_has_time",
            ),
            # Only a path on this site: an e-mail link must never point elsewhere.
            models.CheckConstraint(
                condition=Q(link="") | (Q(link__startswith="/") & ~Q(link__startswith="//")),
                name="notification_link_is_a_path",
            ),
        ]
        indexes = [
            # The header's unread count and the list: my notifications, newest first.
            models.Index(
                fields=["recipient", "-created_at"],
                condition=Q(read_at__isnull=True),
                name="notification_unread",
            ),
            models.Index(fields=["recipient", "-created_at"], name="notification_recipient"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.recipient_id}"

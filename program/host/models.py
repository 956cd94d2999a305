"""The host facility's own staff: which facility each of them works at.

A host-facility officer or manager sees only their own facility's people and work; the posting
is that scope. It is set by the system administrator (the admin) with the user's role.
"""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils.translation import gettext_lazy as _

from program.core.models import TimeStampedModel, staff_reference
from program.core.references import (
    facility_reference,
    inmate_reference,
    optional_unit_reference,
    placement_reference,
    superseded_by_reference,
)


class StaffPosting(TimeStampedModel):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="posting",
        verbose_name=_("user"),
    )
    facility = facility_reference("postings")

    class Meta:
        verbose_name = _("staff posting")
        verbose_name_plural = _("staff postings")

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.facility_id}"


class ArrivalCheck(TimeStampedModel):
    """The host facility's check-in of one person arriving on a transport: who confirmed their
    identity, what arrived with them, and whether they were admitted or refused at the gate.

    The transfer case and the transport belong to the transfers app, which depends on this one,
    so they are held as their numbers (ids), not as foreign keys; the place the person was
    admitted into is the placement itself. One check-in per case: an arrival is checked once.
    """

    class Outcome(models.TextChoices):
        ADMITTED = "admitted", _("Admitted")
        REFUSED = "refused", _("Refused at the gate")

    class Item(models.TextChoices):
        """What may arrive with a person, checked off at the gate."""

        IDENTITY_DOCUMENT = "identity_document", _("Identity or travel document")
        TRANSFER_PAPERS = "transfer_papers", _("Transfer papers and manifest")
        PERSONAL_PROPERTY = "personal_property", _("Personal property (sealed bag)")
        CASH = "cash", _("Cash, counted and receipted")
        CLOTHING = "clothing", _("Clothing")

    facility = facility_reference("arrival_checks")
    inmate = inmate_reference("arrival_checks", verbose_name=_("person"))
    case_id = models.PositiveBigIntegerField(_("transfer case"), unique=True)
    transport_id = models.PositiveBigIntegerField(_("transport"))
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    identity_confirmed = models.BooleanField(_("identity confirmed"), default=False)
    items = ArrayField(
        models.CharField(max_length=30, choices=Item.choices),
        default=list,
        blank=True,
        verbose_name=_("arrived with"),
    )
    remarks = models.TextField(_("remarks"), blank=True)
    refusal_reason = models.TextField(_("reason for the refusal"), blank=True)
    placement = placement_reference(_("placement"))
    checked_on = models.DateField(_("checked on"))
    checked_by = staff_reference(_("checked by"))

    class Meta:
        verbose_name = _("arrival check-in")
        verbose_name_plural = _("arrival check-ins")
        ordering = ["-checked_on", "-pk"]
        constraints = [
            # Admitted: the identity was confirmed and the person holds the place; refused: the
            # reason is written down. Whoever writes the row.
            models.CheckConstraint(
                name="host_arrival_admitted_confirmed",
                condition=~models.Q(outcome="admitted")
                | models.Q(identity_confirmed=True, placement__isnull=False),
            ),
            models.CheckConstraint(
                name="host_arrival_refused_has_reason",
                condition=~models.Q(outcome="refused") | ~models.Q(refusal_reason=""),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.outcome}"


class HeadcountConfirmation(TimeStampedModel):
    """The number of people an officer counted present in a unit (or the whole facility) on a
    day, against the roll. A difference carries its explanation. A correction the same day
    supersedes the earlier confirmation, which is kept (superseded_at, superseded_by)."""

    facility = facility_reference("headcounts")
    # Empty: the whole facility was counted at once.
    unit = optional_unit_reference("headcounts")
    day = models.DateField(_("day"))
    counted = models.PositiveIntegerField(_("counted present"))
    on_roll = models.PositiveIntegerField(_("on the roll"))
    difference_reason = models.TextField(_("explanation of the difference"), blank=True)
    confirmed_by = staff_reference(_("confirmed by"))
    superseded_at = models.DateTimeField(_("superseded at"), null=True, blank=True)
    superseded_by = superseded_by_reference()

    class Meta:
        verbose_name = _("headcount confirmation")
        verbose_name_plural = _("headcount confirmations")
        ordering = ["-day", "unit_id", "-pk"]
        constraints = [
            # One confirmation in force per unit (or whole facility) and day; two officers
            # confirming at once cannot both win. NULLS NOT DISTINCT: the whole facility too.
            models.UniqueConstraint(
                fields=["facility", "unit", "day"],
                condition=models.Q(superseded_at__isnull=True),
                nulls_distinct=False,
                name="host_one_headcount_in_force",
            ),
            models.CheckConstraint(
                name="host_headcount_difference_explained",
                condition=models.Q(counted=models.F("on_roll")) | ~models.Q(difference_reason=""),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.facility_id}/{self.unit_id or '*'} {self.day}: {self.counted}"

    @property
    def difference(self) -> int:
        return self.counted - self.on_roll

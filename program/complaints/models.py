"""Complaints and requests from inmates to the Danish authorities and the Ombudsman.

A complaint is received at the host facility (or by e-mail, phone or at a visit), registered by
Danish staff with its kind and the authority that handles it, and answered within a deadline
that follows from its kind (`DeadlineRule`, data per programme). The host facility's staff may
record that a complaint was received, never what it says (docs/complaints.md).
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from program.core.models import TimeStampedModel, staff_reference
from program.core.references import (
    facility_reference,
    inmate_reference,
    optional_link,
    staff_link,
    version_field,
)


class Kind(models.TextChoices):
    """What a complaint or request is about; each kind has its own answer deadline."""

    STAFF_TREATMENT = "staff_treatment", _("Treatment by staff")
    HEALTH_CARE = "health_care", _("Health care")
    CONDITIONS = "conditions", _("Conditions at the facility")
    FAMILY_CONTACT = "family_contact", _("Family contact")
    SENTENCE_CASE = "sentence_case", _("Sentence or case")
    TRANSFER = "transfer", _("Transfer")
    OTHER = "other", _("Other")


class Authority(TimeStampedModel):
    """Who handles a complaint (the Danish Prison and Probation Service, the Ministry of
    Justice, the Parliamentary Ombudsman, …): reference data, kept by the administrator."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_da = models.CharField(_("name (Danish)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    # Letters to the Ombudsman travel sealed and are forwarded unopened.
    is_ombudsman = models.BooleanField(_("is the Ombudsman"), default=False)

    class Meta:
        verbose_name = _("authority")
        verbose_name_plural = _("authorities")
        ordering = ["name_en"]

    def __str__(self) -> str:
        return self.name_en


class DeadlineRule(TimeStampedModel):
    """How many days an authority has to answer a complaint of one kind, in one programme, and
    where that number comes from (its source, or that it is an assumption)."""

    agreement = models.ForeignKey(
        "cells.Agreement",
        on_delete=models.CASCADE,
        related_name="complaint_deadlines",
        verbose_name=_("programme"),
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    days = models.PositiveSmallIntegerField(_("days to answer"))
    remind_days_before = models.PositiveSmallIntegerField(
        _("remind this many days before"), default=3
    )
    source = models.CharField(_("source"), max_length=500)
    is_assumption = models.BooleanField(_("an assumption"), default=True)

    class Meta:
        verbose_name = _("complaint deadline")
        verbose_name_plural = _("complaint deadlines")
        ordering = ["agreement", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "kind"], name="complaint_deadline_one_per_kind"
            ),
            models.CheckConstraint(condition=Q(days__gte=1), name="complaint_deadline_days_set"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.days}"


class Complaint(TimeStampedModel):
    class Channel(models.TextChoices):
        LETTER_TO_STAFF = "letter_staff", _("Letter handed to facility staff")
        SEALED_TO_OMBUDSMAN = "sealed_ombudsman", _("Sealed letter to the Ombudsman")
        EMAIL = "email", _("E-mail")
        PHONE = "phone", _("Phone")
        AT_VISIT = "visit", _("In person at a visit")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        ANSWERED = "answered", _("Answered")

    inmate = inmate_reference("complaints")
    # Where the person was held when the complaint was received: the programme it counts in,
    # and the host staff who may record its receipt.
    facility = facility_reference("complaints")
    received_on = models.DateField(_("received on"))
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    sealed = models.BooleanField(_("sealed"), default=False)
    language = models.CharField(_("language"), max_length=50, blank=True)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices, default=Kind.OTHER)
    subject = models.TextField(_("subject"), max_length=2000, blank=True)
    # Empty while only the receipt is recorded (by host staff): Danish staff register the rest.
    authority = optional_link(Authority, "complaints", _("authority"))
    handler = staff_link(_("handled by"), related_name="complaints_handled", optional=True)
    deadline = models.DateField(_("answer deadline"))
    # The day the handler is reminded (the deadline less the rule's days of notice): the
    # "answers due" queue and the reminder job read it.
    remind_on = models.DateField(_("remind on"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    answer = models.TextField(_("answer"), max_length=4000, blank=True)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    answered_by = staff_reference(_("answered by"), optional=True)
    registered_by = staff_reference(_("registered by"))
    # The row's version for compare-and-set and the API's ETag.
    version = version_field()

    class Meta:
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        ordering = ["-received_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(status="answered", answered_on__isnull=False)
                    | Q(status="open", answered_on__isnull=True)
                ),
                name="complaint_answered_has_date",
            ),
            models.CheckConstraint(
                condition=Q(deadline__gte=models.F("received_on")),
                name="complaint_deadline_after_receipt",
            ),
            models.CheckConstraint(
                condition=Q(answered_on__isnull=True) | Q(answered_on__gte=models.F("received_on")),
                name="complaint_answered_after_receipt",
            ),
            # A sealed letter is forwarded unopened: nothing of what it says is recorded.
            models.CheckConstraint(
                condition=Q(sealed=False) | Q(subject=""), name="complaint_sealed_has_no_subject"
            ),
        ]
        indexes = [
            # The "answers due" queue and the reminders: open complaints by deadline.
            models.Index(
                fields=["remind_on"], condition=Q(status="open"), name="complaint_open_remind_on"
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("complaints:detail", args=[self.pk])

    @property
    def is_registered(self) -> bool:
        """Whether Danish staff have registered it (its authority), beyond its receipt."""
        return self.authority_id is not None


def _document_path(instance: "ComplaintDocument", filename: str) -> str:
    # The stored name never carries the uploader's file name (it may hold a person's name).
    return f"complaints/{instance.complaint_id}/{instance.kind}-{instance.sha256[:16]}"


class ComplaintDocument(models.Model):
    class Kind(models.TextChoices):
        LETTER = "letter", _("The inmate's letter")
        ANSWER = "answer", _("The answer")
        OTHER = "other", _("Other")

    complaint = models.ForeignKey(
        Complaint, on_delete=models.CASCADE, related_name="documents", verbose_name=_("complaint")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    file = models.FileField(_("file"), upload_to=_document_path, max_length=300)
    original_name = models.CharField(_("original file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=50)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = staff_reference(_("uploaded by"))
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("complaint document")
        verbose_name_plural = _("complaint documents")
        ordering = ["complaint", "uploaded_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

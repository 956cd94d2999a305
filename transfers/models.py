"""Transfer cases, their timeline, eligibility screenings, documents and transport batches.

A case moves through the states of docs/transfer-lifecycle.md only by the services in
transfers/services/, each move a compare-and-set on (pk, state, version). The timeline
(CaseEvent) is append-only: rows are added, never changed. Reason codes and eligibility
parameters are data, kept with their history.
"""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from program.core.bilingual import pick
from program.core.models import TimeStampedModel, staff_reference
from program.core.references import (
    agreement_reference,
    inmate_reference,
    optional_link,
    placement_reference,
    staff_link,
    version_field,
)


class ReasonCode(models.Model):
    """A coded reason for a withdrawal, a rejection, a return or a refusal at the gate.

    Its words are data in Danish and English (changes kept by the write history); `label` is the
    one in the reader's language."""

    class AppliesTo(models.TextChoices):
        WITHDRAWAL = "withdrawal", _("Withdrawal")
        REJECTION = "rejection", _("Rejection")
        RETURN = "return", _("Return to Denmark")

    code = models.CharField(_("code"), max_length=40, primary_key=True)
    label_da = models.CharField(_("label (Danish)"), max_length=200)
    label_en = models.CharField(_("label (English)"), max_length=200)
    applies_to = models.CharField(_("applies to"), max_length=20, choices=AppliesTo.choices)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("reason code")
        verbose_name_plural = _("reason codes")
        ordering = ["applies_to", "code"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return pick(da=self.label_da, en=self.label_en)


class EligibilityText(models.Model):
    """The words of the eligibility rules in Danish and English: each rule's text and source, each
    reason a rule gives (with {placeholders} for the facts it names) and each setting's label.

    The rules themselves are code (transfers/eligibility.py); their words are data so that they
    can be worded again without a release, and every change is kept by the write history."""

    key = models.CharField(_("key"), max_length=80, primary_key=True)
    text_da = models.TextField(_("text (Danish)"))
    text_en = models.TextField(_("text (English)"))
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)

    class Meta:
        verbose_name = _("eligibility text")
        verbose_name_plural = _("eligibility texts")
        ordering = ["key"]

    def __str__(self) -> str:
        return self.key

    @property
    def text(self) -> str:
        return pick(da=self.text_da, en=self.text_en)


class TransferCase(TimeStampedModel):
    class State(models.TextChoices):
        IDENTIFIED = "identified", _("Identified")
        SCREENING = "screening", _("Screening")
        ELIGIBLE = "eligible", _("Eligible")
        INELIGIBLE = "ineligible", _("Ineligible")
        NEEDS_REVIEW = "needs_review", _("Needs review")
        PROPOSED = "proposed", _("Proposed")
        HOST_REVIEW = "host_review", _("Host review")
        DECIDED_TRANSFER = "decided_transfer", _("Decided: transfer")
        DECIDED_NO_TRANSFER = "decided_no_transfer", _("Decided: no transfer")
        NOTIFIED = "notified", _("Notified")
        UNDER_APPEAL = "under_appeal", _("Under appeal")
        SCHEDULED = "scheduled", _("Scheduled")
        IN_TRANSIT = "in_transit", _("In transit")
        ADMITTED = "admitted", _("Admitted")
        SERVING = "serving", _("Serving")
        RETURN_PENDING = "return_pending", _("Return pending")
        RETURNED = "returned", _("Returned to Denmark")
        RELEASE_PREP = "release_prep", _("Release preparation")
        DEPORTED = "deported", _("Deported")
        RELEASED_NOT_REMOVABLE = "released_not_removable", _("Released, not removable")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        # Final: the rules exclude the person (not a withdrawal, which is for other causes).
        CLOSED_INELIGIBLE = "closed_ineligible", _("Closed: not eligible")

    class AppealOutcome(models.TextChoices):
        UPHELD = "upheld", _("Upheld (no transfer)")
        REJECTED = "rejected", _("Rejected (transfer stands)")

    inmate = inmate_reference("transfer_cases")
    # The programme the case is for: its capacity, free places, rule parameters and host texts.
    agreement = agreement_reference("transfer_cases", _("programme"))
    caseworker = staff_link(_("caseworker"), related_name="transfer_cases")
    state = models.CharField(
        _("state"), max_length=30, choices=State.choices, default=State.IDENTIFIED
    )
    # Bumped by every state change: the compare-and-set token and the API's ETag.
    version = version_field()
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # Notification and appeal (docs/transfer-lifecycle.md; the deadline is notified_on + a
    # configurable number).
    notified_on = models.DateField(_("notified on"), null=True, blank=True)
    notification_language = models.CharField(_("notification language"), max_length=50, blank=True)
    appeal_deadline = models.DateField(_("appeal deadline"), null=True, blank=True)
    appeal_lodged_on = models.DateField(_("appeal lodged on"), null=True, blank=True)
    appeal_outcome = models.CharField(
        _("appeal outcome"), max_length=10, choices=AppealOutcome.choices, blank=True
    )
    appeal_decided_on = models.DateField(_("appeal decided on"), null=True, blank=True)
    # The stay at the programme's host facility.
    placement = placement_reference(_("place reservation or placement"))
    review_due_on = models.DateField(_("periodic review due"), null=True, blank=True)

    class Meta:
        verbose_name = _("transfer case")
        verbose_name_plural = _("transfer cases")
        ordering = ["-created_at"]
        constraints = [
            # At most one open case per inmate, whoever writes.
            models.UniqueConstraint(
                fields=["inmate"],
                condition=Q(closed_at__isnull=True),
                name="transfercase_one_open_per_inmate",
                violation_error_message=_("This inmate already has an open transfer case."),
            ),
            models.CheckConstraint(
                condition=Q(closed_at__isnull=True)
                | Q(
                    state__in=[
                        "decided_no_transfer",
                        "returned",
                        "deported",
                        "released_not_removable",
                        "withdrawn",
                        "closed_ineligible",
                    ]
                ),
                name="transfercase_closed_only_in_final_state",
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="transfercase_version_pos"),
        ]
        indexes = [
            # The worklist: my open cases by state.
            models.Index(fields=["caseworker", "state"], name="transfercase_worker_state"),
            # The worklists filtered by programme.
            models.Index(fields=["agreement", "state"], name="transfercase_programme_state"),
            models.Index(fields=["appeal_deadline"], name="transfercase_appeal_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} ({self.get_state_display()})"

    def get_state_display(self) -> str:  # type: ignore[no-redef]
        # Lists show this on every row: Django's own version rebuilds the whole choices dict on
        # each call. The map of lazy labels is built once; str() translates the one label into
        # the request's language.
        return str(_CASE_STATE_LABELS.get(self.state, self.state))

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("transfers:case-detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


_CASE_STATE_LABELS = dict(TransferCase.State.choices)


class CaseEvent(models.Model):
    """One entry on a case's timeline. Never updated: a correction is a new event."""

    class Kind(models.TextChoices):
        OPENED = "opened", _("Case opened")
        TRANSITION = "transition", _("State changed")
        SCREENING = "screening", _("Screened")
        OUTCOME_CHANGED = "outcome_changed", _("Eligibility outcome changed")
        OPINION = "opinion", _("Inmate's opinion recorded")
        DECISION = "decision", _("Decision recorded")
        NOTIFICATION = "notification", _("Notified")
        APPEAL = "appeal", _("Appeal")
        DOCUMENT = "document", _("Document uploaded")
        SCHEDULED = "scheduled", _("Booked on a transport")
        REMINDER = "reminder", _("Deadline reminder")
        RELEASE_PREPARATION = "release_prep", _("Release preparation")
        REVIEW = "review", _("Periodic review")
        SUPERSEDED = "superseded", _("Decision superseded")
        NOTE = "note", _("Note")

    case = models.ForeignKey(
        TransferCase, on_delete=models.CASCADE, related_name="events", verbose_name=_("case")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    from_state = models.CharField(_("from state"), max_length=30, blank=True)
    to_state = models.CharField(_("to state"), max_length=30, blank=True)
    actor = staff_reference(_("by"), optional=True)
    reason_code = optional_link(ReasonCode, "+", _("reason"))
    text = models.TextField(_("text"), blank=True)
    payload = models.JSONField(_("details"), default=dict, blank=True)
    # Set by jobs that may run twice (the nightly sweep, reminders): the same fact is one row.
    dedupe_key = models.CharField(_("idempotency key"), max_length=120, blank=True)
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        ordering = ["case", "at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "dedupe_key"],
                condition=~Q(dedupe_key=""),
                name="caseevent_once_per_key",
            ),
        ]
        indexes = [models.Index(fields=["case", "at"], name="caseevent_case_at")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} @ {self.at:%Y-%m-%d %H:%M}"

    # What the timeline shows, in the reader's language (see transfers/timeline.py).
    @property
    def summary(self) -> str:
        from transfers.timeline import event_text

        return event_text(self)

    @property
    def from_state_label(self) -> str:
        from transfers.timeline import state_label

        return state_label(self.from_state)

    @property
    def to_state_label(self) -> str:
        from transfers.timeline import state_label

        return state_label(self.to_state)


class EligibilityRuleParameter(models.Model):
    """One value of a rule parameter or case setting; a change is a new row, so history stays.

    A row with a programme applies to that programme's cases only; a row without one applies to
    every programme that has no value of its own (see transfers/eligibility.py params_load)."""

    agreement = models.ForeignKey(
        "cells.Agreement",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rule_parameters",
        verbose_name=_("programme"),
        help_text=_("Empty: the value for every programme without one of its own."),
    )
    name = models.CharField(_("name"), max_length=60)
    value = models.JSONField(_("value"))
    reason = models.CharField(_("why changed"), max_length=300, blank=True)
    changed_by = staff_reference(_("changed by"), optional=True)
    changed_at = models.DateTimeField(_("changed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("eligibility parameter")
        verbose_name_plural = _("eligibility parameters")
        ordering = ["name", "-changed_at", "-id"]
        indexes = [
            models.Index(fields=["name", "-id"], name="eligparam_name_latest"),
            models.Index(fields=["agreement", "name", "-id"], name="eligparam_programme_latest"),
        ]

    def __str__(self) -> str:
        return f"{self.name} = {self.value!r}"


class Screening(models.Model):
    """An evaluation of the rules for one inmate (and their case, if open), kept for appeal."""

    class Outcome(models.TextChoices):
        ELIGIBLE = "eligible", _("Eligible")
        INELIGIBLE = "ineligible", _("Ineligible")
        NEEDS_REVIEW = "needs_review", _("Needs review")

    inmate = models.ForeignKey(
        "inmates.Inmate",
        on_delete=models.CASCADE,
        related_name="screenings",
        verbose_name=_("inmate"),
    )
    case = models.ForeignKey(
        TransferCase,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="screenings",
        verbose_name=_("case"),
    )
    screened_on = models.DateField(_("screened on"))
    rule_set_version = models.CharField(_("rule set version"), max_length=40)
    inputs = models.JSONField(_("inputs"))
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    # [{"id": "E3", "outcome": "pass|fail|review", "reason": "…", "version": 1}, …]
    results = models.JSONField(_("rule results"))
    # Same outcome and same per-rule outcomes → same fingerprint: the sweep stores only changes.
    fingerprint = models.CharField(_("fingerprint"), max_length=64)
    eligible_from = models.DateField(
        _("eligible from"),
        null=True,
        blank=True,
        help_text=_("Fails only on a date that will pass: the day it becomes eligible."),
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("screening")
        verbose_name_plural = _("screenings")
        ordering = ["-at", "-id"]
        indexes = [
            # "The latest screening per inmate" (DISTINCT ON inmate ORDER BY -id).
            models.Index(fields=["inmate", "-id"], name="screening_inmate_latest"),
        ]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} on {self.screened_on:%Y-%m-%d}"


class Decision(models.Model):
    class Outcome(models.TextChoices):
        TRANSFER = "transfer", _("Transfer")
        NO_TRANSFER = "no_transfer", _("No transfer")

    case = models.ForeignKey(
        TransferCase, on_delete=models.CASCADE, related_name="decisions", verbose_name=_("case")
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    authority = models.CharField(_("deciding authority"), max_length=200)
    legal_basis = models.CharField(_("legal basis"), max_length=300)
    decided_on = models.DateField(_("decided on"))
    recorded_by = staff_reference(_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    # A later decision supersedes this one; the reason stays with it (and on the timeline).
    superseded_at = models.DateTimeField(_("superseded at"), null=True, blank=True)
    superseded_reason = models.CharField(_("why superseded"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["case", "-recorded_at", "-id"]
        constraints = [
            # One decision in force per case, whoever writes.
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(superseded_at__isnull=True),
                name="decision_one_in_force_per_case",
                violation_error_message=_("The case already has a decision in force."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} ({self.decided_on:%Y-%m-%d})"


class InmateOpinion(models.Model):
    """The inmate's view of the transfer (E18): recorded before a decision; consent not needed."""

    class Stance(models.TextChoices):
        AGREES = "agrees", _("Agrees")
        OBJECTS = "objects", _("Objects")
        NO_VIEW = "no_view", _("Gave no view")

    case = models.ForeignKey(
        TransferCase, on_delete=models.CASCADE, related_name="opinions", verbose_name=_("case")
    )
    stance = models.CharField(_("stance"), max_length=10, choices=Stance.choices)
    statement = models.TextField(_("statement"), blank=True)
    heard_on = models.DateField(_("heard on"))
    language = models.CharField(_("language"), max_length=50)
    interpreter_used = models.BooleanField(_("interpreter used"), default=False)
    recorded_by = staff_reference(_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("inmate's opinion")
        verbose_name_plural = _("inmate's opinions")
        ordering = ["case", "-recorded_at"]

    def __str__(self) -> str:
        return f"{self.get_stance_display()} ({self.heard_on:%Y-%m-%d})"


def _document_path(instance: "Document", filename: str) -> str:
    # The stored name never carries the uploader's file name (it may hold a person's name).
    return (
        f"transfers/{instance.case_id}/{instance.kind}-v{instance.version}-{instance.sha256[:16]}"
    )


class Document(models.Model):
    class Kind(models.TextChoices):
        JUDGMENT = "judgment", _("Judgment")
        EXPULSION_ORDER = "expulsion_order", _("Expulsion order")
        MEDICAL_FITNESS = "medical_fitness", _("Medical fitness")
        OPINION_RECORD = "opinion_record", _("Record of the inmate's opinion")
        DECISION_LETTER = "decision_letter", _("Decision letter")
        NOTIFICATION_LETTER = "notification_letter", _("Notification letter")
        APPEAL_OUTCOME_LETTER = "appeal_outcome_letter", _("Appeal outcome letter")
        NOTIFICATION_RECEIPT = "notification_receipt", _("Notification receipt")
        TRANSPORT_MANIFEST = "transport_manifest", _("Transport manifest")
        OTHER = "other", _("Other")

    case = models.ForeignKey(
        TransferCase, on_delete=models.CASCADE, related_name="documents", verbose_name=_("case")
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    version = models.PositiveIntegerField(_("version"))
    file = models.FileField(_("file"), upload_to=_document_path, max_length=300)
    original_name = models.CharField(_("original file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=50)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = staff_reference(_("uploaded by"))
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["case", "kind", "-version"]
        constraints = [
            # A new version is a new row; the old one stays (and its file).
            models.UniqueConstraint(
                fields=["case", "kind", "version"], name="document_one_row_per_version"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} v{self.version}"


class TransportBatch(TimeStampedModel):
    # The stored codes are historical; the labels name no country, because the countries are
    # the programme's (its agreement's sending and host states).
    class Direction(models.TextChoices):
        TO_HOST = "dk_xk", _("Out to the host prison")
        TO_DENMARK = "xk_dk", _("Back to the sending state")

    agreement = agreement_reference("transport_batches", _("programme"))
    departs_on = models.DateField(_("departs on"))
    direction = models.CharField(_("direction"), max_length=5, choices=Direction.choices)
    seats = models.PositiveSmallIntegerField(_("seats"))
    escort = models.TextField(_("escort"), blank=True)
    created_by = staff_reference(_("created by"))
    cases = models.ManyToManyField(
        TransferCase,
        through="ManifestEntry",
        related_name="transport_batches",
        verbose_name=_("cases"),
    )

    class Meta:
        verbose_name = _("transport batch")
        verbose_name_plural = _("transport batches")
        ordering = ["departs_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(seats__gt=0), name="transportbatch_seats_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.departs_on:%Y-%m-%d} {self.get_direction_display()}"


class ManifestEntry(models.Model):
    """A case's seat on a batch, with the place reserved for it at the host facility."""

    batch = models.ForeignKey(
        TransportBatch,
        on_delete=models.CASCADE,
        related_name="manifest",
        verbose_name=_("transport batch"),
    )
    case = models.ForeignKey(
        TransferCase, on_delete=models.PROTECT, related_name="manifest", verbose_name=_("case")
    )
    placement = placement_reference(_("place reservation or placement"))
    added_by = staff_reference(_("added by"))
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)
    removed_at = models.DateTimeField(_("removed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("manifest entry")
        verbose_name_plural = _("manifest entries")
        ordering = ["batch", "added_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(removed_at__isnull=True),
                name="manifest_one_active_seat_per_case",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} on {self.batch_id}"


class ProgressJob(models.Model):
    """A job the worker runs while the page that started it shows its progress: it counts `done`
    up to `total`. Subclasses name what `total` and `done` count and add what they need."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        FINISHED = "finished", _("Finished")
        FAILED = "failed", _("Failed")

    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.QUEUED)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    started_by = staff_reference(_("started by"))
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-started_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(done__lte=F("total")), name="%(class)s_done_le_total"
            ),
            models.CheckConstraint(
                condition=Q(finished_at__isnull=True) | Q(state__in=["finished", "failed"]),
                name="%(class)s_finished_when_ended",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_state_display()} {self.done}/{self.total}"

    @property
    def percent(self) -> int:
        if self.total:
            return 100 * self.done // self.total
        return 100 if self.is_over else 0

    @property
    def is_over(self) -> bool:
        return self.state in (self.State.FINISHED, self.State.FAILED)


class ScreeningJob(ProgressJob):
    """An on-demand "screen all candidates" run: the worker counts `done` up to `total`."""

    total = models.PositiveIntegerField(_("to screen"), default=0)
    done = models.PositiveIntegerField(_("screened"), default=0)
    cases_moved = models.PositiveIntegerField(_("cases moved"), default=0)

    class Meta(ProgressJob.Meta):
        verbose_name = _("screening job")
        verbose_name_plural = _("screening jobs")


class ReleasePreparation(models.Model):
    """What is ready for the inmate's removal at the end of the stay (release preparation, in
    docs/transfer-lifecycle.md).

    Three steps, each recorded when it happens: the travel document, the country of return's
    acceptance and the flight. A deportation needs all three (transfers/services.py); a release
    where the inmate cannot be removed needs none. `version` is the compare-and-set token of
    this record and its ETag over the API (0 before the first save).
    """

    class TravelDocumentStatus(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        REQUESTED = "requested", _("Requested")
        ISSUED = "issued", _("Issued")

    class TravelDocumentKind(models.TextChoices):
        PASSPORT = "passport", _("Passport")
        EMERGENCY = "emergency", _("Emergency travel document")
        LAISSEZ_PASSER = "laissez_passer", _("Laissez-passer")
        OTHER = "other", _("Other")

    case = models.OneToOneField(
        TransferCase,
        on_delete=models.CASCADE,
        related_name="release_preparation",
        verbose_name=_("case"),
    )
    travel_document_status = models.CharField(
        _("travel document"),
        max_length=20,
        choices=TravelDocumentStatus.choices,
        default=TravelDocumentStatus.NOT_STARTED,
    )
    travel_document_kind = models.CharField(
        _("travel document kind"), max_length=20, choices=TravelDocumentKind.choices, blank=True
    )
    travel_document_issued_on = models.DateField(
        _("travel document issued on"), null=True, blank=True
    )
    destination_accepted_on = models.DateField(
        _("return accepted on"),
        null=True,
        blank=True,
        help_text=_("The day the country of return accepted the inmate."),
    )
    destination_reference = models.CharField(_("acceptance reference"), max_length=100, blank=True)
    flight_on = models.DateField(_("flight date"), null=True, blank=True)
    flight_number = models.CharField(_("flight number"), max_length=20, blank=True)
    escort_note = models.CharField(_("escort note"), max_length=300, blank=True)
    version = version_field()
    updated_by = staff_reference(_("last changed by"))
    updated_at = models.DateTimeField(_("last changed at"), auto_now=True)

    class Meta:
        verbose_name = _("release preparation")
        verbose_name_plural = _("release preparations")
        constraints = [
            # An issued document has its day and kind; the services say so field by field.
            models.CheckConstraint(
                condition=~Q(travel_document_status="issued")
                | (Q(travel_document_issued_on__isnull=False) & ~Q(travel_document_kind="")),
                name="releaseprep_issued_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"release preparation of case #{self.case_id}"


def missing_release_steps(preparation: "ReleasePreparation | None") -> list[str]:
    """Named steps not yet done; all three when nothing was recorded."""
    missing: list[str] = []
    if (
        preparation is None
        or preparation.travel_document_status != ReleasePreparation.TravelDocumentStatus.ISSUED
    ):
        missing.append(str(_("travel document issued")))
    if preparation is None or preparation.destination_accepted_on is None:
        missing.append(str(_("acceptance by the country of return")))
    if preparation is None or preparation.flight_on is None:
        missing.append(str(_("flight date")))
    return missing

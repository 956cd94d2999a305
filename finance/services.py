"""Writes for the payment schedule: generating it, moving tranches through their states, meeting
release conditions and recording payments.

Every public service is keyword-only, owns its transaction and locks the tranche row
(select_for_update) before it reads the status, so two people acting at once on one tranche are
served one after the other and the second sees what the first did. An illegal move is a
ConflictError (409) that names the status that blocked it. A form or an If-Match read before
someone else changed the tranche (`expected_version`) is a PreconditionFailedError (412 over the
API, a conflict on the pages) that says who changed what and when. Bad input is an
ApplicationError (400) that says what to fix.
"""

import calendar
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, models, transaction
from django.db.models import Exists, F, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from finance import conf
from finance.models import (
    AidStream,
    Payment,
    PricingTerms,
    Tranche,
    TrancheApproval,
    TrancheCondition,
    TrancheEvent,
)
from program.cells.models import Agreement
from program.core.errors import ApplicationError, ConflictError, PreconditionFailedError
from program.core.roles import Role
from program.core.templatetags.humanize_money import money
from program.notifications import services as notifications
from program.notifications.models import Notification

logger = logging.getLogger(__name__)

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
# Extension → the first bytes such a file starts with; the name alone proves nothing.
EVIDENCE_SIGNATURES: dict[str, tuple[bytes, ...]] = {
    "pdf": (b"%PDF-",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
}

Status = Tranche.Status


class Frequency(models.TextChoices):
    ANNUAL = "annual", _("Annual")
    QUARTERLY = "quarterly", _("Quarterly")
    MONTHLY = "monthly", _("Monthly")


MONTHS_PER_TRANCHE = {Frequency.ANNUAL: 12, Frequency.QUARTERLY: 3, Frequency.MONTHLY: 1}

# The statuses each move starts from: the services refuse any other, the pages offer the action
# only on these.
MOVES_FROM: dict[str, tuple[str, ...]] = {
    "invoice": (Status.DUE, Status.OVERDUE, Status.DISPUTED),
    "approve": (Status.INVOICED,),
    "reject": (Status.INVOICED,),
    "pay": (Status.APPROVED,),
    "dispute": (Status.DUE, Status.INVOICED, Status.APPROVED, Status.OVERDUE),
    "withhold": (
        Status.PLANNED,
        Status.DUE,
        Status.INVOICED,
        Status.APPROVED,
        Status.OVERDUE,
        Status.DISPUTED,
    ),
}


# --- The schedule -----------------------------------------------------------------------------


@dataclass(frozen=True)
class PlannedTranche:
    stream: str
    aid_stream_id: int | None
    period_start: date | None
    period_end: date | None
    due_on: date
    amount: Decimal
    currency: str

    @property
    def key(self) -> tuple[str, int | None, date | None]:
        return (self.stream, self.aid_stream_id, self.period_start)


@dataclass(frozen=True)
class ScheduleResult:
    created: int
    updated: int
    deleted: int
    unchanged: int
    kept: int  # tranches past "planned", which regeneration never touches

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.deleted)


def _uid(actor: AbstractBaseUser | None) -> Any:
    return actor.pk if actor is not None else None


def add_months(day: date, months: int) -> date:
    """The same day `months` later, clamped to the month's end (31 Jan + 1 → 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def split_exact(total: Decimal, parts: int) -> list[Decimal]:
    """`total` in `parts` amounts to the cent that add up exactly; the remainder goes last."""
    if parts < 1:
        raise ApplicationError(_("A schedule needs at least one tranche."))
    base = (total / parts).quantize(CENT, rounding=ROUND_DOWN)
    if base <= ZERO:
        raise ApplicationError(
            _("%(total)s is too small to split into %(parts)d tranches.")
            % {"total": money(total), "parts": parts}
        )
    return [base] * (parts - 1) + [total - base * (parts - 1)]


def indexed_amount(annual: Decimal, *, percent: Decimal | None, year_index: int) -> Decimal:
    """A contract year's amount with yearly compound indexation, rounded to the cent."""
    if not percent:
        return annual
    factor = (Decimal(1) + percent / Decimal(100)) ** year_index
    return (annual * factor).quantize(CENT, rounding=ROUND_HALF_UP)


def _yearly_tranches(
    *,
    stream: str,
    aid_stream_id: int | None,
    starts_on: date,
    years: int,
    yearly_amounts: list[Decimal],
    frequency: Frequency,
    currency: str,
) -> list[PlannedTranche]:
    months = MONTHS_PER_TRANCHE[Frequency(frequency)]
    per_year = 12 // months
    planned = []
    for year in range(years):
        for index, amount in enumerate(split_exact(yearly_amounts[year], per_year)):
            # Offsets from the first day, never chained, so a 31st does not drift to the 28th.
            offset = year * 12 + index * months
            start = add_months(starts_on, offset)
            planned.append(
                PlannedTranche(
                    stream=stream,
                    aid_stream_id=aid_stream_id,
                    period_start=start,
                    period_end=add_months(starts_on, offset + months),
                    # Paid in advance: due on the first day of the period it pays for.
                    due_on=start,
                    amount=amount,
                    currency=currency,
                )
            )
    return planned


def schedule_plan(
    *,
    terms: PricingTerms,
    aid_streams: Iterable[AidStream],
    frequency: Frequency | str,
    include_extension: bool,
) -> list[PlannedTranche]:
    """The tranches the terms call for; pure (no writes), so it can be tested on its own.

    Rent: the fixed annual fee (indexed yearly if the terms say so) for each contract year from
    the rent start, split by the frequency, the remainder of each year on its last tranche. The
    start fee: one tranche on entry into force (or signature). Aid: each stream's annual amount
    over its own years from the rent start, split the same way.
    """
    agreement = terms.agreement
    if frequency not in Frequency.values:
        raise ApplicationError(
            _("Choose annual, quarterly or monthly, not “%(f)s”.") % {"f": frequency},
            details={"frequency": frequency},
        )
    frequency = Frequency(frequency)
    extension_open = agreement.extension_confirmed or (
        agreement.extension_type == Agreement.ExtensionType.AUTOMATIC
    )
    if include_extension and agreement.extension_years and not extension_open:
        raise ApplicationError(
            _("The extension is not confirmed yet; generate the initial term only."),
            details={"include_extension": True},
        )
    years = agreement.initial_term_years + (agreement.extension_years if include_extension else 0)
    planned: list[PlannedTranche] = []
    if terms.start_fee:
        planned.append(
            PlannedTranche(
                stream=Tranche.Stream.START_FEE,
                aid_stream_id=None,
                period_start=None,
                period_end=None,
                due_on=agreement.in_force_on or agreement.signed_on,
                amount=terms.start_fee,
                currency=terms.currency,
            )
        )
    streams = list(aid_streams)
    has_periodic = (terms.pricing_model == PricingTerms.Model.FIXED_ANNUAL) or streams
    if has_periodic and terms.rent_starts_on is None:
        raise ApplicationError(
            _("Set the date rent starts on the pricing terms before generating the schedule."),
            details={"rent_starts_on": None},
        )
    if terms.pricing_model == PricingTerms.Model.FIXED_ANNUAL and terms.annual_fee:
        assert terms.rent_starts_on is not None  # noqa: S101 (checked just above)
        amounts = [
            indexed_amount(terms.annual_fee, percent=terms.yearly_indexation_percent, year_index=y)
            for y in range(years)
        ]
        planned += _yearly_tranches(
            stream=Tranche.Stream.RENT,
            aid_stream_id=None,
            starts_on=terms.rent_starts_on,
            years=years,
            yearly_amounts=amounts,
            frequency=frequency,
            currency=terms.currency,
        )
    for stream in streams:
        assert terms.rent_starts_on is not None  # noqa: S101
        planned += _yearly_tranches(
            stream=Tranche.Stream.AID,
            aid_stream_id=stream.pk,
            starts_on=terms.rent_starts_on,
            years=stream.years,
            yearly_amounts=[stream.annual_amount] * stream.years,
            frequency=frequency,
            currency=stream.currency,
        )
    return planned


def _overlaps(a: Tranche, b: PlannedTranche) -> bool:
    if a.period_start is None or a.period_end is None:
        return b.period_start is None
    if b.period_start is None or b.period_end is None:
        return False
    return a.period_start < b.period_end and b.period_start < a.period_end


def _key(tranche: Tranche) -> tuple[str, int | None, date | None]:
    return (tranche.stream, tranche.aid_stream_id, tranche.period_start)


@transaction.atomic
def schedule_generate(
    *,
    terms: PricingTerms,
    frequency: Frequency | str,
    include_extension: bool,
    actor: AbstractBaseUser | None,
) -> ScheduleResult:
    """Bring the agreement's planned tranches in line with its terms.

    Only tranches still planned are created, changed or deleted; anything invoiced, paid, disputed
    and so on stays exactly as it is. Running it twice changes nothing the second time. A frequency
    that would split a period a non-planned tranche already covers is refused.
    """
    # Lock the agreement: two generations at once would both insert the same periods.
    Agreement.objects.select_for_update().filter(pk=terms.agreement_id).first()
    terms = PricingTerms.objects.select_related("agreement").get(pk=terms.pk)
    aid_streams = list(AidStream.objects.filter(agreement_id=terms.agreement_id).order_by("pk"))
    plan = schedule_plan(
        terms=terms,
        aid_streams=aid_streams,
        frequency=frequency,
        include_extension=include_extension,
    )
    existing = list(
        Tranche.objects.select_for_update().filter(agreement_id=terms.agreement_id).order_by("pk")
    )
    by_key = {_key(t): t for t in existing}
    locked = [t for t in existing if t.status != Status.PLANNED]
    wanted = set()
    to_create: list[Tranche] = []
    to_update: list[Tranche] = []
    unchanged = kept = 0
    events: list[TrancheEvent] = []
    for item in plan:
        wanted.add(item.key)
        current = by_key.get(item.key)
        if current is not None and current.status != Status.PLANNED:
            if current.period_end != item.period_end:
                raise ConflictError(_blocked_by_text(current))
            kept += 1
            continue
        for other in locked:
            same_line = (other.stream, other.aid_stream_id) == (item.stream, item.aid_stream_id)
            if same_line and other is not current and _overlaps(other, item):
                raise ConflictError(_blocked_by_text(other))
        if current is None:
            to_create.append(
                Tranche(
                    agreement_id=terms.agreement_id,
                    stream=item.stream,
                    aid_stream_id=item.aid_stream_id,
                    period_start=item.period_start,
                    period_end=item.period_end,
                    due_on=item.due_on,
                    amount=item.amount,
                    currency=item.currency,
                )
            )
            continue
        before = (current.amount, current.due_on, current.period_end, current.currency)
        after = (item.amount, item.due_on, item.period_end, item.currency)
        if before == after:
            unchanged += 1
            continue
        current.amount, current.due_on, current.period_end, current.currency = after
        # A new amount or date is a new version: an If-Match or a form read before it is stale.
        current.version += 1
        current.updated_at = timezone.now()
        to_update.append(current)
        events.append(
            TrancheEvent(
                tranche=current,
                actor_id=_uid(actor),
                text=_("Regenerated: %(before)s → %(after)s, due %(due)s")
                % {
                    "before": money(before[0], before[3]),
                    "after": money(item.amount, item.currency),
                    "due": item.due_on.isoformat(),
                },
            )
        )
    stale = [t.pk for t in existing if t.status == Status.PLANNED and _key(t) not in wanted]
    deleted = 0
    if stale:
        deleted, _by_model = Tranche.objects.filter(pk__in=stale, status=Status.PLANNED).delete()
        deleted = len(stale)
    if to_update:
        Tranche.objects.bulk_update(
            to_update, ["amount", "due_on", "period_end", "currency", "version", "updated_at"]
        )
    created = Tranche.objects.bulk_create(to_create)
    events += [
        TrancheEvent(
            tranche=t,
            actor_id=_uid(actor),
            to_status=Status.PLANNED,
            text=_("Planned (%(frequency)s schedule)") % {"frequency": Frequency(frequency).label},
        )
        for t in created
    ]
    TrancheEvent.objects.bulk_create(events)
    return ScheduleResult(
        created=len(created),
        updated=len(to_update),
        deleted=deleted,
        unchanged=unchanged,
        kept=kept,
    )


def _blocked_by_text(tranche: Tranche) -> str:
    return _(
        "The tranche for %(start)s–%(end)s is %(status)s and cannot be changed; choose the "
        "frequency it was planned with."
    ) % {
        "start": tranche.period_start,
        "end": tranche.period_end,
        "status": tranche.get_status_display().lower(),
    }


# --- Moving a tranche -------------------------------------------------------------------------


def _stale(locked: Tranche, expected_version: int) -> PreconditionFailedError:
    """What the caller missed: who made the latest change, what it was and when."""
    latest = (
        TrancheEvent.objects.filter(tranche=locked).select_related("actor").order_by("-at", "-id")
    ).first()
    who = latest.actor.get_username() if latest and latest.actor else _("the daily job")
    when = timezone.localtime(latest.at if latest else locked.updated_at)
    return PreconditionFailedError(
        _(
            "Someone changed this tranche after you opened it: %(who)s, %(when)s: %(what)s "
            "(it is now %(status)s). Nothing was saved; reload it and try again."
        )
        % {
            "who": who,
            "when": when.strftime("%Y-%m-%d %H:%M:%S"),
            "what": latest.text if latest else _("changed"),
            "status": locked.get_status_display().lower(),
        },
        details={
            "version": locked.version,
            "read_version": expected_version,
            "status": locked.status,
            "changed_by": who,
            "changed_at": when.isoformat(),
        },
    )


def _lock(tranche: Tranche | int, expected_version: int | None) -> Tranche:
    """Lock the tranche row; with expected_version (a form's hidden field, the API's If-Match),
    refuse it if someone moved the tranche since the caller read it. Under the lock nothing can
    move it between this check and the caller's compare-and-set."""
    pk = tranche if isinstance(tranche, int) else tranche.pk
    locked = Tranche.objects.select_for_update().filter(pk=pk).first()
    if locked is None:
        raise ConflictError(_("The tranche no longer exists."))
    if expected_version is not None and locked.version != expected_version:
        raise _stale(locked, expected_version)
    return locked


def _require(tranche: Tranche, allowed: Iterable[str], action: str) -> None:
    allowed = list(allowed)
    if tranche.status not in allowed:
        labels = ", ".join(str(Status(s).label).lower() for s in allowed)
        raise ConflictError(
            _("The tranche is %(status)s; only a tranche that is %(allowed)s can be %(action)s.")
            % {
                "status": tranche.get_status_display().lower(),
                "allowed": labels,
                "action": action,
            },
            details={"status": tranche.status},
        )


def _set_status(
    tranche: Tranche, to: str, *, actor: AbstractBaseUser | None, text: str, **fields: Any
) -> Tranche:
    """Compare-and-set on the locked row: status and version must still be what we read."""
    old_status, old_version = tranche.status, tranche.version
    updated = Tranche.objects.filter(pk=tranche.pk, status=old_status, version=old_version).update(
        status=to, version=F("version") + 1, updated_at=timezone.now(), **fields
    )
    if updated != 1:  # cannot happen under the row lock; kept so a refactor cannot lose it
        raise ConflictError(_("The tranche changed while this was being saved; try again."))
    TrancheEvent.objects.create(
        tranche=tranche, actor_id=_uid(actor), from_status=old_status, to_status=to, text=text
    )
    tranche.refresh_from_db()
    return tranche


def _differs_message(what: str, given: Decimal, tranche: Tranche) -> str:
    return _(
        "The %(what)s differs by %(diff)s from the tranche's %(amount)s (%(what)s: %(given)s)."
    ) % {
        "what": what,
        "diff": money(abs(given - tranche.amount), tranche.currency),
        "amount": money(tranche.amount, tranche.currency),
        "given": money(given, tranche.currency),
    }


@transaction.atomic
def tranche_invoice(
    *,
    tranche: Tranche | int,
    amount: Decimal,
    invoice_reference: str,
    invoiced_on: date,
    actor: AbstractBaseUser,
    expected_version: int | None = None,
) -> Tranche:
    """Record the host's invoice and put the tranche forward for approval; the actor becomes its
    preparer, who may not approve it. The invoice must match the tranche to the cent."""
    locked = _lock(tranche, expected_version)
    _require(locked, MOVES_FROM["invoice"], _("invoiced"))
    if amount != locked.amount:
        raise ApplicationError(
            _differs_message(_("invoice"), amount, locked), details={"amount": str(amount)}
        )
    if not invoice_reference.strip():
        raise ApplicationError(
            _("Give the invoice's reference."), details={"invoice_reference": ""}
        )
    return _set_status(
        locked,
        Status.INVOICED,
        actor=actor,
        text=_("Invoice %(ref)s of %(day)s recorded")
        % {"ref": invoice_reference.strip(), "day": invoiced_on.isoformat()},
        prepared_by=actor,
        invoice_reference=invoice_reference.strip(),
        invoiced_on=invoiced_on,
        approval_round=F("approval_round") + 1,
    )


def _decide(
    *,
    tranche: Tranche | int,
    actor: AbstractBaseUser,
    decision: str,
    comment: str,
    expected_version: int | None,
) -> Tranche:
    locked = _lock(tranche, expected_version)
    approving = decision == TrancheApproval.Decision.APPROVE
    action = _("approved") if approving else _("rejected")
    decision_move = "approve" if approving else "reject"
    _require(locked, MOVES_FROM[decision_move], action)
    if locked.prepared_by_id == actor.pk:
        raise ApplicationError(
            _("You prepared this tranche; a different person must approve or reject it."),
            details={"approver": actor.pk},
        )
    approved = list(
        TrancheApproval.objects.filter(
            tranche=locked, round=locked.approval_round, decision=TrancheApproval.Decision.APPROVE
        )
    )
    if any(a.approver_id == actor.pk for a in approved):
        raise ApplicationError(
            _("You have already approved this tranche; the next level needs a different person."),
            details={"approver": actor.pk},
        )
    level = len(approved) + 1
    assert locked.prepared_by_id is not None  # noqa: S101 (set by tranche_invoice)
    try:
        with transaction.atomic():
            TrancheApproval.objects.create(
                tranche=locked,
                round=locked.approval_round,
                level=level,
                decision=decision,
                approver_id=actor.pk,
                preparer_id=locked.prepared_by_id,
                comment=comment,
            )
    except IntegrityError as error:  # the database's four-eyes and one-per-level rules
        raise ConflictError(
            _("This approval breaks the four-eyes rule or was already given; reload the tranche.")
        ) from error
    levels = conf.approval_levels()
    if decision == TrancheApproval.Decision.REJECT:
        return _set_status(
            locked,
            Status.DUE,
            actor=actor,
            text=_("Rejected at level %(level)d: %(comment)s")
            % {"level": level, "comment": comment},
        )
    if level >= levels:
        return _set_status(
            locked,
            Status.APPROVED,
            actor=actor,
            text=_("Approved at level %(level)d of %(levels)d")
            % {"level": level, "levels": levels},
        )
    return _set_status(
        locked,
        Status.INVOICED,
        actor=actor,
        text=_("Approved at level %(level)d of %(levels)d") % {"level": level, "levels": levels},
    )


@transaction.atomic
def tranche_approve(
    *,
    tranche: Tranche | int,
    actor: AbstractBaseUser,
    comment: str = "",
    expected_version: int | None = None,
) -> Tranche:
    """Approve an invoiced tranche at the next level. Never by its preparer, never twice by one
    person; the tranche is approved once FINANCE_APPROVAL_LEVELS different people have approved."""
    return _decide(
        tranche=tranche,
        actor=actor,
        decision=TrancheApproval.Decision.APPROVE,
        comment=comment.strip(),
        expected_version=expected_version,
    )


@transaction.atomic
def tranche_reject(
    *,
    tranche: Tranche | int,
    actor: AbstractBaseUser,
    comment: str,
    expected_version: int | None = None,
) -> Tranche:
    """Send an invoiced tranche back to due, with the reason kept on the rejection."""
    if not comment.strip():
        raise ApplicationError(_("Say why the tranche is rejected."), details={"comment": ""})
    return _decide(
        tranche=tranche,
        actor=actor,
        decision=TrancheApproval.Decision.REJECT,
        comment=comment.strip(),
        expected_version=expected_version,
    )


@transaction.atomic
def tranche_pay(
    *,
    tranche: Tranche | int,
    paid_on: date,
    bank_reference: str,
    amount: Decimal,
    eur_dkk_rate: Decimal,
    actor: AbstractBaseUser,
    expected_version: int | None = None,
) -> Tranche:
    """Record the payment of an approved tranche: the exact amount, a bank reference used nowhere
    else, and the DKK equivalent at the rate of the day (rounded half up to the øre)."""
    locked = _lock(tranche, expected_version)
    _require(locked, MOVES_FROM["pay"], _("paid"))
    reference = bank_reference.strip()
    if amount != locked.amount:
        raise ApplicationError(
            _differs_message(_("payment"), amount, locked), details={"amount": str(amount)}
        )
    if eur_dkk_rate <= 0:
        raise ApplicationError(_("The EUR/DKK rate must be above zero."), details={"rate": ""})
    if paid_on > timezone.localdate():
        raise ApplicationError(
            _("A payment cannot be dated in the future."), details={"paid_on": ""}
        )
    if not reference:
        raise ApplicationError(_("Give the bank reference."), details={"bank_reference": ""})
    if Payment.objects.filter(bank_reference=reference).exists():
        raise ApplicationError(
            _("The bank reference %(ref)s is already recorded for another payment.")
            % {"ref": reference},
            details={"bank_reference": reference},
        )
    amount_dkk = (amount * eur_dkk_rate).quantize(CENT, rounding=ROUND_HALF_UP)
    try:
        with transaction.atomic():
            Payment.objects.create(
                tranche=locked,
                paid_on=paid_on,
                bank_reference=reference,
                amount=amount,
                currency=locked.currency,
                eur_dkk_rate=eur_dkk_rate,
                amount_dkk=amount_dkk,
                recorded_by_id=actor.pk,
            )
    except IntegrityError as error:  # the same reference recorded at this very moment
        raise ConflictError(
            _("The bank reference %(ref)s is already recorded.") % {"ref": reference}
        ) from error
    return _set_status(
        locked,
        Status.PAID,
        actor=actor,
        text=_("Paid on %(day)s, reference %(ref)s, %(dkk)s at %(rate)s")
        % {
            "day": paid_on.isoformat(),
            "ref": reference,
            "dkk": money(amount_dkk, "DKK"),
            "rate": eur_dkk_rate,
        },
    )


def _side_state(
    *,
    tranche: Tranche | int,
    to: str,
    allowed: Iterable[str],
    reason: str,
    actor: AbstractBaseUser,
    expected_version: int | None,
    action: str,
) -> Tranche:
    if not reason.strip():
        raise ApplicationError(_("Give the reason."), details={"reason": ""})
    locked = _lock(tranche, expected_version)
    _require(locked, allowed, action)
    return _set_status(
        locked,
        to,
        actor=actor,
        text=f"{Status(to).label}: {reason.strip()}",
        reason=reason.strip(),
        decided_by=actor,
        decided_at=timezone.now(),
    )


@transaction.atomic
def tranche_dispute(
    *,
    tranche: Tranche | int,
    reason: str,
    actor: AbstractBaseUser,
    expected_version: int | None = None,
) -> Tranche:
    """Mark a tranche disputed, with the reason and who decided; a corrected invoice resumes it."""
    return _side_state(
        tranche=tranche,
        to=Status.DISPUTED,
        allowed=MOVES_FROM["dispute"],
        reason=reason,
        actor=actor,
        expected_version=expected_version,
        action=_("disputed"),
    )


@transaction.atomic
def tranche_withhold(
    *,
    tranche: Tranche | int,
    reason: str,
    actor: AbstractBaseUser,
    expected_version: int | None = None,
) -> Tranche:
    """Withhold a tranche that is not paid, with the reason and who decided."""
    return _side_state(
        tranche=tranche,
        to=Status.WITHHELD,
        allowed=MOVES_FROM["withhold"],
        reason=reason,
        actor=actor,
        expected_version=expected_version,
        action=_("withheld"),
    )


# --- Release conditions -----------------------------------------------------------------------


@transaction.atomic
def condition_add(
    *, tranche: Tranche | int, kind: str, actor: AbstractBaseUser | None
) -> TrancheCondition:
    """Attach a release condition to a planned tranche (it then cannot fall due until met)."""
    locked = _lock(tranche, None)
    _require(locked, [Status.PLANNED], _("given a condition"))
    if kind not in TrancheCondition.Kind.values:
        raise ApplicationError(_("Unknown condition."), details={"kind": kind})
    condition, created = TrancheCondition.objects.get_or_create(tranche=locked, kind=kind)
    if created:
        TrancheEvent.objects.create(
            tranche=locked,
            actor_id=_uid(actor),
            text=_("Condition added: %(kind)s") % {"kind": condition.get_kind_display()},
        )
    return condition


def evidence_check(evidence: UploadedFile) -> None:
    """PDF, PNG or JPEG, at most 10 MB, and the content must start like its extension says."""
    name = evidence.name or ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in EVIDENCE_SIGNATURES:
        raise ApplicationError(
            _("Evidence must be a PDF, PNG or JPEG file."), details={"evidence": name}
        )
    if (evidence.size or 0) > EVIDENCE_MAX_BYTES:
        raise ApplicationError(
            _("Evidence may be at most 10 MB; this file is %(mb).1f MB.")
            % {"mb": (evidence.size or 0) / 1024 / 1024},
            details={"evidence": name},
        )
    evidence.seek(0)
    head = evidence.read(8)
    evidence.seek(0)
    if not any(head.startswith(sig) for sig in EVIDENCE_SIGNATURES[extension]):
        raise ApplicationError(
            _("The file's content is not a %(ext)s.") % {"ext": extension.upper()},
            details={"evidence": name},
        )


@transaction.atomic
def condition_meet(
    *,
    condition: TrancheCondition | int,
    evidence: UploadedFile,
    signed_off_by: str,
    actor: AbstractBaseUser,
    note: str = "",
) -> TrancheCondition:
    """Record a release condition as met, with its evidence and the named person who signed it
    off. A met condition stays met; the daily job then lets its tranche fall due."""
    pk = condition if isinstance(condition, int) else condition.pk
    locked = (
        TrancheCondition.objects.select_for_update().select_related("tranche").filter(pk=pk).first()
    )
    if locked is None:
        raise ConflictError(_("The condition no longer exists."))
    if locked.met_at is not None:
        raise ConflictError(
            _("This condition was already met on %(day)s.")
            % {"day": timezone.localtime(locked.met_at).date().isoformat()}
        )
    if locked.tranche.status in (Status.PAID, Status.WITHHELD):
        raise ConflictError(
            _("The tranche is %(status)s; its conditions can no longer change.")
            % {"status": locked.tranche.get_status_display().lower()}
        )
    if not signed_off_by.strip():
        raise ApplicationError(
            _("Name the person who signed the condition off."), details={"signed_off_by": ""}
        )
    evidence_check(evidence)
    locked.evidence.save(evidence.name or "evidence", evidence, save=False)
    locked.met_at = timezone.now()
    locked.met_by_id = actor.pk
    locked.signed_off_by = signed_off_by.strip()
    locked.note = note.strip()
    locked.save(
        update_fields=["evidence", "met_at", "met_by", "signed_off_by", "note", "updated_at"]
    )
    TrancheEvent.objects.create(
        tranche=locked.tranche,
        actor_id=_uid(actor),
        text=_("Condition met: %(kind)s, signed off by %(who)s")
        % {"kind": locked.get_kind_display(), "who": locked.signed_off_by},
    )
    return locked


# --- The daily job ----------------------------------------------------------------------------


@dataclass(frozen=True)
class AdvanceResult:
    became_due: int
    became_overdue: int


def _advance(ids: list[int], *, frm: str, to: str, text: str) -> list[int]:
    """Move the listed tranches still in `frm` to `to`; return the ids that moved."""
    moved = list(Tranche.objects.filter(pk__in=ids, status=frm).values_list("pk", flat=True))
    Tranche.objects.filter(pk__in=moved, status=frm).update(
        status=to, version=F("version") + 1, updated_at=timezone.now()
    )
    TrancheEvent.objects.bulk_create(
        TrancheEvent(tranche_id=pk, from_status=frm, to_status=to, text=text) for pk in moved
    )
    return moved


@transaction.atomic
def tranches_advance(*, today: date) -> AdvanceResult:
    """The daily move: planned → due once the due date has come and every condition is met;
    due → overdue once the grace period after the due date has passed. Safe to run twice: the
    second run finds nothing left to move."""
    unmet = TrancheCondition.objects.filter(tranche=OuterRef("pk"), met_at__isnull=True)
    # skip_locked: a tranche someone is acting on right now is left for tomorrow's run.
    falling_due = list(
        Tranche.objects.filter(status=Status.PLANNED, due_on__lte=today)
        .exclude(Exists(unmet))
        .select_for_update(skip_locked=True)
        .values_list("pk", flat=True)
    )
    due_ids = _advance(falling_due, frm=Status.PLANNED, to=Status.DUE, text=_("Fell due"))
    grace = conf.overdue_grace_days()
    late = list(
        Tranche.objects.filter(status=Status.DUE, due_on__lt=today - timedelta(days=grace))
        .select_for_update(skip_locked=True)
        .values_list("pk", flat=True)
    )
    overdue_ids = _advance(
        late,
        frm=Status.DUE,
        to=Status.OVERDUE,
        text=_("Overdue: not invoiced %(days)d days after the due date") % {"days": grace},
    )
    # In the job's transaction: the moves and their notifications commit together or not at all.
    tranches_notify(tranche_ids=[*due_ids, *overdue_ids], grace_days=grace)
    result = AdvanceResult(became_due=len(due_ids), became_overdue=len(overdue_ids))
    if due_ids or overdue_ids:
        logger.info(
            "finance: %d tranche(s) fell due and %d became overdue",
            result.became_due,
            result.became_overdue,
        )
    return result


def tranche_label(tranche: Tranche) -> str:
    """How finance staff name a tranche: "2027-Q1 rent", "2027-03 aid", "start fee"."""
    stream = tranche.get_stream_display().lower()
    start, end = tranche.period_start, tranche.period_end
    if start is None or end is None:
        return stream
    months = (end.year - start.year) * 12 + end.month - start.month
    if start.day == 1 and end.day == 1:
        if months == 12 and start.month == 1:
            return f"{start.year} {stream}"
        if months == 3 and start.month % 3 == 1:
            return f"{start.year}-Q{(start.month + 2) // 3} {stream}"
        if months == 1:
            return f"{start:%Y-%m} {stream}"
    return f"{start:%Y-%m-%d}–{end - timedelta(days=1):%Y-%m-%d} {stream}"


# How a notification names a tranche (the subject type, as in the access log).
TRANCHE_SUBJECT = "tranche"
# The roles told when a tranche falls due or becomes overdue.
NOTIFIED_ROLES = (Role.FINANCE_OFFICER, Role.FINANCE_APPROVER)


def tranches_notify(*, tranche_ids: list[int], grace_days: int) -> None:
    """Tell every active finance officer and approver, in the app and by e-mail, about tranches
    that fell due or became overdue. One notification per person, tranche and move (the key
    holds the tranche's version after the move), so a rerun adds nothing: the unique key of
    program.notifications refuses the second row."""
    if not tranche_ids:
        return
    recipients = list(
        get_user_model()
        .objects.filter(is_active=True, groups__name__in=NOTIFIED_ROLES)
        .distinct()
        .values_list("pk", flat=True)
    )
    rows = []
    for tranche in Tranche.objects.filter(pk__in=tranche_ids).order_by("due_on", "pk"):
        what = {
            "label": tranche_label(tranche),
            "amount": money(tranche.amount, tranche.currency),
            "due": tranche.due_on.isoformat(),
        }
        if tranche.status == Status.OVERDUE:
            kind = Notification.Kind.TRANCHE_OVERDUE
            what["since"] = (tranche.due_on + timedelta(days=grace_days + 1)).isoformat()
            what["days"] = str(grace_days)
            text = (
                _(
                    "Tranche %(label)s (%(amount)s) is overdue since %(since)s: due on %(due)s "
                    "and not invoiced within %(days)s days."
                )
                % what
            )
        elif tranche.status == Status.DUE:
            kind = Notification.Kind.TRANCHE_DUE
            text = _("Tranche %(label)s (%(amount)s) fell due on %(due)s.") % what
        else:  # moved on since (someone invoiced it meanwhile): nothing to tell
            continue
        rows += [
            Notification(
                recipient_id=pk,
                kind=kind,
                text=text,
                subject_type=TRANCHE_SUBJECT,
                subject_id=str(tranche.pk),
                link=tranche.get_absolute_url(),
                dedupe_key=f"{tranche.status}:v{tranche.version}",
            )
            for pk in recipients
        ]
    notifications.notify_many(rows)

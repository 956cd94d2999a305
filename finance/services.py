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

from django.contrib.auth.models import AbstractBaseUser
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, models, transaction
from django.db.models import Exists, F, OuterRef
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from finance import conf, finding_conditions
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
from program.core.capabilities import require, users_with
from program.core.errors import ApplicationError, ConflictError
from program.core.selectors import user_languages
from program.core.templatetags.humanize_money import money
from program.core.versioning import StaleVersionError, lock_at_version, save_locked
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
# Extension → the content type the file is sent back as; evidence_check proved the content starts
# like its extension says, so the stored name's extension is the checked type.
EVIDENCE_CONTENT_TYPES = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
}

Status = Tranche.Status


class Frequency(models.TextChoices):
    ANNUAL = "annual", gettext_lazy("Annual")
    QUARTERLY = "quarterly", gettext_lazy("Quarterly")
    MONTHLY = "monthly", gettext_lazy("Monthly")


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
    today: date | None = None,
) -> ScheduleResult:
    """Bring the agreement's planned tranches in line with its terms.

    Priced per inmate-month, rent is billed in arrears for each period that has ended by `today`
    (see `_bill_per_inmate_month`), and a change of occupancy in a period already invoiced adds a
    correction tranche.

    Only tranches still planned are created, changed or deleted; anything invoiced, paid, disputed
    and so on stays exactly as it is. Running it twice changes nothing the second time. A frequency
    that would split a period a non-planned tranche already covers is refused.
    """
    if actor is not None:  # None: the daily billing job, acting for the programme itself
        require(actor, "schedule.generate", _("generate the payment schedule"))
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
    per_month = terms.pricing_model == PricingTerms.Model.PER_INMATE_MONTH
    billed = (
        _bill_per_inmate_month(
            terms=terms,
            frequency=Frequency(frequency),
            include_extension=include_extension,
            today=today or timezone.localdate(),
            actor=actor,
        )
        if per_month
        else ScheduleResult(0, 0, 0, 0, 0)
    )
    rent_streams = [Tranche.Stream.RENT, Tranche.Stream.CORRECTION] if per_month else []
    existing = list(
        Tranche.objects.select_for_update()
        .filter(agreement_id=terms.agreement_id)
        .exclude(stream__in=rent_streams)
        .order_by("pk")
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
        created=len(created) + billed.created,
        updated=len(to_update) + billed.updated,
        deleted=deleted + billed.deleted,
        unchanged=unchanged + billed.unchanged,
        kept=kept + billed.kept,
    )


def billing_periods(
    *, rent_start: date, term_end: date, frequency: Frequency, until: date
) -> list[tuple[date, date]]:
    """The per-inmate-month billing periods that have ended by `until`: calendar months (or
    three or twelve of them) counted from the first of the month rent starts, the first one from
    the rent start itself, the last one ending with the term."""
    months = MONTHS_PER_TRANCHE[frequency]
    first = rent_start.replace(day=1)
    periods = []
    index = 0
    while True:
        lo = max(add_months(first, index * months), rent_start)
        if lo >= term_end:
            break
        hi = min(add_months(first, (index + 1) * months), term_end)
        if hi > until:
            break
        periods.append((lo, hi))
        index += 1
    return periods


def _bill_per_inmate_month(
    *,
    terms: PricingTerms,
    frequency: Frequency,
    include_extension: bool,
    today: date,
    actor: AbstractBaseUser | None,
) -> ScheduleResult:
    """Rent of a per-inmate-month agreement, billed in arrears.

    Each period that has ended by `today` (see `billing_periods`) is billed for the occupied
    place-days of each calendar month in it: fee × place-days ÷ days in that month, to the cent
    month by month (finance.selectors.month_charge). The tranche falls due the day after its
    period. While a period's tranche is still planned, a later count simply updates it. Once it
    has moved on (due, invoiced, approved, paid …), it is never changed: a difference in the
    count (a late-recorded admission or release) becomes a correction tranche for that period,
    positive or a credit, itself updated while it is planned. A period with no one in it has
    no tranche.
    """
    from finance.selectors import monthly_charges, rent_window

    window = rent_window(terms)
    if window is None:
        raise ApplicationError(
            _("Set the date rent starts on the pricing terms before generating the schedule."),
            details={"rent_starts_on": None},
        )
    assert terms.per_inmate_month_fee is not None  # noqa: S101 (a CHECK requires it)
    rent_start, term_end = window
    if not include_extension and terms.agreement.extension_years:
        term_end = add_months(rent_start, 12 * terms.agreement.initial_term_years)
    periods = billing_periods(
        rent_start=rent_start, term_end=term_end, frequency=frequency, until=today
    )
    charges = (
        monthly_charges(
            agreement=terms.agreement,
            fee=terms.per_inmate_month_fee,
            start=periods[0][0],
            end=periods[-1][1],
        )
        if periods
        else []
    )
    tranches = list(
        Tranche.objects.select_for_update()
        .filter(
            agreement_id=terms.agreement_id,
            stream__in=[Tranche.Stream.RENT, Tranche.Stream.CORRECTION],
        )
        .order_by("pk")
    )
    rents = {t.period_start: t for t in tranches if t.stream == Tranche.Stream.RENT}
    corrections: dict[int, list[Tranche]] = {}
    for t in tranches:
        if t.corrects_id is not None:
            corrections.setdefault(t.corrects_id, []).append(t)
    created = updated = deleted = unchanged = kept = 0
    wanted: set[date] = set()
    events: list[TrancheEvent] = []
    for lo, hi in periods:
        mine = [c for c in charges if lo <= c.start < hi]
        amount = sum((c.amount for c in mine), start=ZERO)
        days = sum(c.occupied_place_days for c in mine)
        wanted.add(lo)
        base = rents.get(lo)
        if base is not None and base.status != Status.PLANNED and base.period_end != hi:
            raise ConflictError(_blocked_by_text(base))
        if base is None or base.status == Status.PLANNED:
            if base is None:
                if amount > ZERO:
                    base = Tranche.objects.create(
                        agreement_id=terms.agreement_id,
                        stream=Tranche.Stream.RENT,
                        period_start=lo,
                        period_end=hi,
                        due_on=hi,
                        amount=amount,
                        currency=terms.currency,
                        occupied_place_days=days,
                    )
                    created += 1
                    events.append(
                        TrancheEvent(
                            tranche=base,
                            actor_id=_uid(actor),
                            to_status=Status.PLANNED,
                            text=_("Billed: %(days)d occupied place-days, %(amount)s")
                            % {"days": days, "amount": money(amount, terms.currency)},
                        )
                    )
                continue
            if amount <= ZERO:
                base.delete()
                deleted += 1
                continue
            if (base.amount, base.period_end, base.occupied_place_days) == (amount, hi, days):
                unchanged += 1
                continue
            events.append(
                TrancheEvent(
                    tranche=base,
                    actor_id=_uid(actor),
                    text=_("Recounted: %(before)s → %(after)s (%(days)d occupied place-days)")
                    % {
                        "before": money(base.amount, base.currency),
                        "after": money(amount, terms.currency),
                        "days": days,
                    },
                )
            )
            Tranche.objects.filter(pk=base.pk).update(
                amount=amount,
                period_end=hi,
                due_on=hi,
                occupied_place_days=days,
                version=F("version") + 1,
                updated_at=timezone.now(),
            )
            updated += 1
            continue
        # The period's tranche has moved on: only a correction may change what it comes to.
        kept += 1
        mine_corrections = corrections.get(base.pk, [])
        settled = [c for c in mine_corrections if c.status != Status.PLANNED]
        pending = [c for c in mine_corrections if c.status == Status.PLANNED]
        settled_amount = base.amount + sum((c.amount for c in settled), start=ZERO)
        settled_days = (base.occupied_place_days or 0) + sum(
            c.occupied_place_days or 0 for c in settled
        )
        difference = amount - settled_amount
        for extra in pending[1:]:
            extra.delete()
            deleted += 1
        current = pending[0] if pending else None
        if difference == ZERO:
            if current is not None:
                current.delete()
                deleted += 1
            continue
        # A credit is recorded as its negative place-days' worth; the count itself is the delta.
        delta_days = days - settled_days
        text = _(
            "Correction for %(start)s–%(end)s: %(before)d → %(after)d occupied place-days, "
            "%(amount)s"
        ) % {
            "start": lo.isoformat(),
            "end": (hi - timedelta(days=1)).isoformat(),
            "before": settled_days,
            "after": days,
            "amount": money(difference, terms.currency),
        }
        if current is None:
            current = Tranche.objects.create(
                agreement_id=terms.agreement_id,
                stream=Tranche.Stream.CORRECTION,
                corrects=base,
                period_start=lo,
                period_end=hi,
                due_on=max(today, hi),
                amount=difference,
                currency=terms.currency,
                occupied_place_days=abs(delta_days),
            )
            created += 1
            events.append(
                TrancheEvent(
                    tranche=current, actor_id=_uid(actor), to_status=Status.PLANNED, text=text
                )
            )
        elif current.amount != difference:
            Tranche.objects.filter(pk=current.pk).update(
                amount=difference,
                occupied_place_days=abs(delta_days),
                version=F("version") + 1,
                updated_at=timezone.now(),
            )
            events.append(TrancheEvent(tranche=current, actor_id=_uid(actor), text=text))
            updated += 1
        else:
            unchanged += 1
    # Planned rent of periods no longer billed this way (another frequency): made again above.
    for start, tranche in rents.items():
        if start not in wanted and tranche.status == Status.PLANNED:
            tranche.delete()
            deleted += 1
    TrancheEvent.objects.bulk_create(events)
    return ScheduleResult(
        created=created, updated=updated, deleted=deleted, unchanged=unchanged, kept=kept
    )


def _billing_frequency(agreement_id: int) -> Frequency:
    """The frequency a per-inmate-month schedule was generated with: read from its latest rent
    tranche (a period of one, three or twelve months), monthly if it has none yet."""
    latest = (
        Tranche.objects.filter(agreement_id=agreement_id, stream=Tranche.Stream.RENT)
        .order_by("-period_start")
        .first()
    )
    if latest is None or latest.period_start is None or latest.period_end is None:
        return Frequency.MONTHLY
    start, end = latest.period_start, latest.period_end
    months = (end.year - start.year) * 12 + end.month - start.month
    for frequency, length in MONTHS_PER_TRANCHE.items():
        if months == length:
            return Frequency(frequency)
    return Frequency.MONTHLY


def per_inmate_month_bill_all(*, today: date) -> int:
    """The daily billing run: every per-inmate-month agreement with rent starting is billed for
    the periods ended by `today`, and corrected where occupancy was recorded late. Returns how
    many tranches were created or changed."""
    changed = 0
    for terms in PricingTerms.objects.filter(
        pricing_model=PricingTerms.Model.PER_INMATE_MONTH, rent_starts_on__lte=today
    ).select_related("agreement"):
        agreement = terms.agreement
        extension = agreement.extension_confirmed or (
            agreement.extension_type == Agreement.ExtensionType.AUTOMATIC
        )
        result = schedule_generate(
            terms=terms,
            frequency=_billing_frequency(agreement.pk),
            include_extension=extension,
            actor=None,
            today=today,
        )
        changed += result.created + result.updated + result.deleted
    return changed


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


def _stale(locked: Tranche, expected_version: int) -> StaleVersionError:
    """What the caller missed: who made the latest change, what it was and when."""
    latest = (
        TrancheEvent.objects.filter(tranche=locked).select_related("actor").order_by("-at", "-id")
    ).first()
    who = latest.actor.get_username() if latest and latest.actor else _("the daily job")
    when = timezone.localtime(latest.at if latest else locked.updated_at)
    return StaleVersionError(
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
        version=locked.version,
        read_version=expected_version,
        changed_by=who,
        changed_at=when,
        details={"status": locked.status},
    )


def _lock(tranche: Tranche | int, expected_version: int | None) -> Tranche:
    """Lock the tranche row; with expected_version (a form's hidden field, the API's If-Match),
    refuse it if someone moved the tranche since the caller read it. Under the lock nothing can
    move it between this check and the caller's compare-and-set."""
    return lock_at_version(
        Tranche,
        tranche if isinstance(tranche, int) else tranche.pk,
        expected_version,
        missing=ConflictError(_("The tranche no longer exists.")),
        stale=_stale,
    )


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
    """Move the locked row to `to` with its version on (the shared versioned write), and keep the
    move as an event."""
    old_status = tranche.status
    save_locked(tranche, status=to, **fields)
    TrancheEvent.objects.create(
        tranche=tranche, actor_id=_uid(actor), from_status=old_status, to_status=to, text=text
    )
    # Read back: a caller may set a field from the row itself (invoicing counts the approval
    # round on with F()), which only the database knows the value of.
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
    require(actor, "tranche.invoice", _("invoice a tranche"))
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
    invoiced = _set_status(
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
    _tell_approvers(invoiced, level=1, exclude={actor.pk})
    return invoiced


def _tell_approvers(tranche: Tranche, *, level: int, exclude: set[Any]) -> None:
    """Tell every active approver who may approve the tranche at `level` that it waits for
    them (the home page's "waiting for my approval"): never its preparer or a past approver."""
    recipients = (
        users_with("tranche.approve")
        .exclude(pk__in=exclude | {tranche.prepared_by_id})
        .values_list("pk", flat=True)
    )

    def text() -> str:
        what = {
            "label": tranche_label(tranche),
            "amount": money(tranche.amount, tranche.currency),
            "level": level,
            "levels": conf.approval_levels(),
        }
        return (
            _("Tranche %(label)s (%(amount)s) waits for approval (level %(level)d of %(levels)d).")
            % what
        )

    notifications.notify_users(
        user_ids=list(recipients),
        kind=Notification.Kind.WAITING,
        text=text,
        subject_type=TRANCHE_SUBJECT,
        subject_id=tranche.pk,
        link=tranche.get_absolute_url(),
        dedupe_key=f"approval:r{tranche.approval_round}:l{level}",
    )


def _decide(
    *,
    tranche: Tranche | int,
    actor: AbstractBaseUser,
    decision: str,
    comment: str,
    expected_version: int | None,
) -> Tranche:
    approving = decision == TrancheApproval.Decision.APPROVE
    require(
        actor,
        "tranche.approve" if approving else "tranche.reject",
        _("approve or reject a tranche"),
    )
    locked = _lock(tranche, expected_version)
    action = _("approved") if approving else _("rejected")
    decision_move = "approve" if approving else "reject"
    _require(locked, MOVES_FROM[decision_move], action)
    if approving:
        # A finding's condition is named with the finding and its actions not yet done.
        unmet = finding_conditions.unmet_labels(locked.pk)
        if unmet:
            raise ConflictError(
                _("The tranche cannot be approved before its conditions are met: %(list)s.")
                % {"list": ", ".join(unmet)},
                details={"conditions": unmet},
            )
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
    waiting = _set_status(
        locked,
        Status.INVOICED,
        actor=actor,
        text=_("Approved at level %(level)d of %(levels)d") % {"level": level, "levels": levels},
    )
    _tell_approvers(
        waiting, level=level + 1, exclude={a.approver_id for a in approved} | {actor.pk}
    )
    return waiting


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
    require(actor, "tranche.pay", _("record a tranche's payment"))
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
    capability: str,
) -> Tranche:
    require(actor, capability, _("dispute or withhold a tranche"))
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
        capability="tranche.dispute",
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
        capability="tranche.withhold",
    )


# --- Release conditions -----------------------------------------------------------------------


# A condition may be added, changed or removed until the tranche is approved; after that the
# approval stands on the conditions as they were.
CONDITIONS_OPEN = (
    Status.PLANNED,
    Status.DUE,
    Status.OVERDUE,
    Status.INVOICED,
    Status.DISPUTED,
)


def _kind(kind: str) -> str:
    if kind not in TrancheCondition.Kind.values:
        raise ApplicationError(
            _("Choose one of: %(kinds)s.")
            % {"kinds": ", ".join(str(label) for label in TrancheCondition.Kind.labels)},
            details={"kind": kind},
        )
    return kind


def _lock_condition(condition: TrancheCondition | int) -> TrancheCondition:
    """Lock the condition and its tranche (tranche first, as every tranche move does)."""
    pk = condition if isinstance(condition, int) else condition.pk
    tranche_id = TrancheCondition.objects.filter(pk=pk).values_list("tranche_id", flat=True).first()
    if tranche_id is None:
        raise ConflictError(_("The condition no longer exists."))
    _lock(tranche_id, None)
    locked = (
        TrancheCondition.objects.select_for_update().select_related("tranche").filter(pk=pk).first()
    )
    if locked is None:
        raise ConflictError(_("The condition no longer exists."))
    return locked


def _require_open(tranche: Tranche, action: str) -> None:
    _require(tranche, CONDITIONS_OPEN, action)


def _require_not_met(condition: TrancheCondition) -> None:
    if condition.met_at is not None:
        raise ConflictError(
            _("This condition was already met on %(day)s; it can no longer change.")
            % {"day": timezone.localtime(condition.met_at).date().isoformat()}
        )


@transaction.atomic
def condition_add(
    *,
    tranche: Tranche | int,
    kind: str,
    actor: AbstractBaseUser | None,
    description: str = "",
) -> TrancheCondition:
    """Attach a release condition to a tranche not yet approved: a planned one cannot fall due,
    and no tranche can be approved, until it is met."""
    if actor is not None:  # None: the programme itself (its demo data, a system task)
        require(actor, "tranche.condition.manage", _("change a tranche's conditions"))
    locked = _lock(tranche, None)
    _require_open(locked, _("given a condition"))
    _kind(kind)
    if TrancheCondition.objects.filter(tranche=locked, kind=kind).exists():
        raise ConflictError(
            _("The tranche already has the condition “%(kind)s”; change that one instead.")
            % {"kind": TrancheCondition.Kind(kind).label},
            details={"kind": kind},
        )
    condition = TrancheCondition.objects.create(
        tranche=locked, kind=kind, description=description.strip(), added_by_id=_uid(actor)
    )
    TrancheEvent.objects.create(
        tranche=locked,
        actor_id=_uid(actor),
        text=_("Condition added: %(kind)s") % {"kind": condition.get_kind_display()},
    )
    return condition


@transaction.atomic
def condition_edit(
    *,
    condition: TrancheCondition | int,
    kind: str,
    description: str,
    actor: AbstractBaseUser,
) -> TrancheCondition:
    """Change what a condition asks for, until it is met and while the tranche is not approved.
    Evidence already recorded no longer fits a changed kind, so it is cleared with it."""
    require(actor, "tranche.condition.manage", _("change a tranche's conditions"))
    locked = _lock_condition(condition)
    _require_open(locked.tranche, _("given a changed condition"))
    _require_not_met(locked)
    _kind(kind)
    finding_conditions.refuse_kind_change(locked, kind)
    if (
        kind != locked.kind
        and TrancheCondition.objects.filter(tranche=locked.tranche, kind=kind).exists()
    ):
        raise ConflictError(
            _("The tranche already has the condition “%(kind)s”.")
            % {"kind": TrancheCondition.Kind(kind).label},
            details={"kind": kind},
        )
    before = locked.get_kind_display()
    fields = ["kind", "description", "updated_at"]
    if kind != locked.kind and locked.evidence_at is not None:
        locked.evidence = ""
        locked.evidence_reference = ""
        locked.evidence_at = None
        locked.met_by = None
        fields += ["evidence", "evidence_reference", "evidence_at", "met_by"]
    locked.kind = kind
    locked.description = description.strip()
    locked.save(update_fields=fields)
    TrancheEvent.objects.create(
        tranche=locked.tranche,
        actor_id=_uid(actor),
        text=_("Condition changed: %(before)s → %(after)s")
        % {"before": before, "after": locked.get_kind_display()},
    )
    return locked


@transaction.atomic
def condition_remove(*, condition: TrancheCondition | int, actor: AbstractBaseUser) -> Tranche:
    """Remove a condition not yet met from a tranche not yet approved (the history keeps it)."""
    require(actor, "tranche.condition.manage", _("change a tranche's conditions"))
    locked = _lock_condition(condition)
    _require_open(locked.tranche, _("relieved of a condition"))
    _require_not_met(locked)
    tranche = locked.tranche
    label = locked.get_kind_display()
    locked.delete()
    TrancheEvent.objects.create(
        tranche=tranche,
        actor_id=_uid(actor),
        text=_("Condition removed: %(kind)s") % {"kind": label},
    )
    return tranche


def evidence_content_type(name: str) -> str | None:
    """The checked content type of stored evidence, by its stored name (None if unknown)."""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    return EVIDENCE_CONTENT_TYPES.get(extension)


def evidence_check(evidence: UploadedFile[bytes]) -> None:
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
def condition_record_evidence(
    *,
    condition: TrancheCondition | int,
    actor: AbstractBaseUser,
    evidence: UploadedFile[bytes] | None = None,
    reference: str = "",
    note: str = "",
) -> TrancheCondition:
    """Record the evidence for a condition: a file, or the reference of a document kept
    elsewhere (or both). The condition is met only once a second user signs it off; evidence
    recorded again before that replaces the earlier one."""
    require(actor, "tranche.condition.manage", _("change a tranche's conditions"))
    locked = _lock_condition(condition)
    _require_open(locked.tranche, _("given evidence for a condition"))
    _require_not_met(locked)
    finding_conditions.refuse_manual_evidence(locked)
    reference = reference.strip()
    if evidence is None and not reference:
        raise ApplicationError(
            _("Attach the evidence as a file or give the reference of the document."),
            details={"evidence": "", "reference": ""},
        )
    fields = ["evidence_reference", "evidence_at", "met_by", "note", "updated_at"]
    if evidence is not None:
        evidence_check(evidence)
        locked.evidence.save(evidence.name or "evidence", evidence, save=False)
        fields.append("evidence")
    locked.evidence_reference = reference
    locked.evidence_at = timezone.now()
    locked.met_by_id = actor.pk
    locked.note = note.strip()
    locked.save(update_fields=fields)
    TrancheEvent.objects.create(
        tranche=locked.tranche,
        actor_id=_uid(actor),
        text=_("Evidence recorded for %(kind)s; waiting for a second person's sign-off")
        % {"kind": locked.get_kind_display()},
    )
    return locked


@transaction.atomic
def condition_sign_off(
    *, condition: TrancheCondition | int, actor: AbstractBaseUser
) -> TrancheCondition:
    """Sign a condition off: the condition is met. Only a finance officer or approver who
    neither recorded its evidence nor added it may sign (the database checks the same), so two
    people stand behind every condition met."""
    locked = _lock_condition(condition)
    _require_open(locked.tranche, _("given a signed-off condition"))
    _require_not_met(locked)
    # A finding's condition: its actions must all be done, and they are its evidence.
    finding_conditions.require_finding_closed(locked)
    taken = finding_conditions.take_evidence_from_finding(locked)
    if locked.evidence_at is None:
        raise ConflictError(
            _("No evidence is recorded for this condition yet; record it first."),
            details={"evidence": ""},
        )
    if actor.pk in (locked.met_by_id, locked.added_by_id):
        raise ApplicationError(
            _(
                "You added this condition or recorded its evidence; a second person must "
                "sign it off."
            ),
            details={"signed_off_by": actor.pk},
        )
    # A finance officer or approver (never an auditor), and still active.
    may_sign = users_with("tranche.condition.sign_off").filter(pk=actor.pk).exists()
    if not may_sign:
        raise ApplicationError(
            _("Only a finance officer or a finance approver can sign a condition off."),
            details={"signed_off_by": actor.pk},
        )
    locked.signed_off_by_id = actor.pk
    locked.met_at = timezone.now()
    locked.save(update_fields=["signed_off_by", "met_at", "updated_at", *taken])
    TrancheEvent.objects.create(
        tranche=locked.tranche,
        actor_id=_uid(actor),
        text=_("Condition met: %(kind)s, signed off by %(who)s")
        % {"kind": locked.get_kind_display(), "who": actor.get_username()},
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


def _tranche_notice(tranche: Tranche, *, grace_days: int) -> str:
    """What a finance officer is told about a tranche that fell due or became overdue, in the
    active language (its dates and amount written the way that language writes them)."""
    what = {
        "label": tranche_label(tranche),
        "amount": money(tranche.amount, tranche.currency),
        "due": formats.date_format(tranche.due_on, "SHORT_DATE_FORMAT"),
    }
    if tranche.status == Status.OVERDUE:
        since = tranche.due_on + timedelta(days=grace_days + 1)
        what["since"] = formats.date_format(since, "SHORT_DATE_FORMAT")
        what["days"] = str(grace_days)
        return (
            _(
                "Tranche %(label)s (%(amount)s) is overdue since %(since)s: due on %(due)s "
                "and not invoiced within %(days)s days."
            )
            % what
        )
    return _("Tranche %(label)s (%(amount)s) fell due on %(due)s.") % what


def tranches_notify(*, tranche_ids: list[int], grace_days: int) -> None:
    """Tell every active finance officer and approver, in the app and by e-mail, about tranches
    that fell due or became overdue. One notification per person, tranche and move (the key
    holds the tranche's version after the move), so a rerun adds nothing: the unique key of
    program.notifications refuses the second row."""
    if not tranche_ids:
        return
    recipients = list(users_with("tranche.notified").values_list("pk", flat=True))
    # Each person is told in the language they read (one query).
    languages = user_languages(user_ids=recipients)
    rows = []
    for tranche in Tranche.objects.filter(pk__in=tranche_ids).order_by("due_on", "pk"):
        if tranche.status == Status.OVERDUE:
            kind = Notification.Kind.TRANCHE_OVERDUE
        elif tranche.status == Status.DUE:
            kind = Notification.Kind.TRANCHE_DUE
        else:  # moved on since (someone invoiced it meanwhile): nothing to tell
            continue
        texts = {}
        for language in set(languages.values()):
            with translation.override(language):
                texts[language] = _tranche_notice(tranche, grace_days=grace_days)
        rows += [
            Notification(
                recipient_id=pk,
                kind=kind,
                text=texts[languages[pk]],
                subject_type=TRANCHE_SUBJECT,
                subject_id=str(tranche.pk),
                link=tranche.get_absolute_url(),
                dedupe_key=f"{tranche.status}:v{tranche.version}",
            )
            for pk in recipients
        ]
    notifications.notify_many(rows)

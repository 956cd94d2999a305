"""Writes of the travel-support stream: the year's budget, and each grant's way from prepared
through two approvals to paid.

The four-eyes rule is the tranches' (finance/services.py `_decide`): the preparer never
approves, one person approves at one level only, and PostgreSQL refuses both (CHECK and partial
unique constraints on TravelGrantApproval, a trigger tying the approval's copy of the preparer
to the grant). Status moves are compare-and-set on the grant's version under a row lock.
"""

from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from finance.travel import selectors
from finance.travel.models import (
    GRANT_APPROVAL_LEVELS,
    TravelBudget,
    TravelGrant,
    TravelGrantApproval,
)
from program.cells.models import Agreement
from program.core.capabilities import can, holder_names, users_with
from program.core.errors import ApplicationError, ConflictError
from program.core.templatetags.humanize_money import money
from program.core.versioning import lock_with_status, save_locked
from program.notifications import services as notifications
from program.notifications.models import Notification
from program.visits import selectors as visit_selectors

CURRENCY = "DKK"
GRANT_SUBJECT = "travel_grant"
Status = TravelGrant.Status


def _require_role(actor: AbstractBaseUser, capability: str, action: str) -> None:
    """The service rule: refuse unless the actor holds the capability."""
    if not can(actor, capability):
        raise ApplicationError(
            _("Only a %(role)s may %(action)s.")
            % {"role": holder_names(capability).lower(), "action": action},
            details={"actor": actor.pk},
        )


@transaction.atomic
def travel_budget_set(
    *, agreement: Agreement | int, year: int, amount: Decimal, actor: AbstractBaseUser
) -> TravelBudget:
    """Record (or change) a programme's travel-support budget for a year. It may not fall below
    what has already been granted that year."""
    _require_role(actor, "travel.budget.set", _("set the travel-support budget"))
    agreement_id = agreement if isinstance(agreement, int) else agreement.pk
    if amount <= 0:
        raise ApplicationError(
            _("The budget must be more than DKK 0."), details={"amount": [_("More than 0.")]}
        )
    if not 2000 <= year <= 2100:
        raise ApplicationError(
            _("Give the year as four digits, e.g. 2026."), details={"year": [_("A year.")]}
        )
    budget = (
        TravelBudget.objects.select_for_update()
        .filter(agreement_id=agreement_id, year=year)
        .first()
    )
    if budget is None:
        return TravelBudget.objects.create(
            agreement_id=agreement_id, year=year, amount=amount, currency=CURRENCY
        )
    granted = selectors.granted_total(budget=budget)
    if amount < granted:
        raise ApplicationError(
            _(
                "Grants of %(granted)s are already made for %(year)d; the budget cannot be "
                "less than that."
            )
            % {"granted": money(granted, CURRENCY), "year": year},
            details={"amount": [_("At least what is granted.")]},
        )
    budget.amount = amount
    budget.save(update_fields=["amount", "updated_at"])
    return budget


@transaction.atomic
def travel_grant_prepare(
    *, visit: int, amount: Decimal, covers: str, actor: AbstractBaseUser
) -> TravelGrant:
    """Prepare a grant for the relatives' travel to one visit, against the budget of the visit's
    programme and year. The preparer may not approve it; the budget may not be overspent."""
    _require_role(actor, "travel.grant.prepare", _("prepare a travel grant"))
    found = visit_selectors.visits_open_for_travel_support().filter(pk=visit).first()
    if found is None:
        raise ApplicationError(
            _("Choose a booked or held visit in person; a grant pays for travel to one."),
            details={"visit": [_("A booked or held visit in person.")]},
        )
    if amount <= 0:
        raise ApplicationError(
            _("The amount must be more than DKK 0."), details={"amount": [_("More than 0.")]}
        )
    covers = covers.strip()
    if not covers:
        raise ApplicationError(
            _("Say what the grant covers, e.g. return flights for two and two nights' stay."),
            details={"covers": [_("Say what it covers.")]},
        )
    assert found.starts_at is not None  # noqa: S101 (booked or held)
    year = timezone.localtime(found.starts_at).year
    # The budget row is locked so two grants prepared at once cannot both fit the last money.
    budget = (
        TravelBudget.objects.select_for_update()
        .filter(agreement_id=found.facility.agreement_id, year=year)
        .first()
    )
    if budget is None:
        raise ApplicationError(
            _("There is no travel-support budget for %(year)d; record the year's budget first.")
            % {"year": year},
            details={"visit": [_("No budget for the visit's year.")]},
        )
    left = budget.amount - selectors.granted_total(budget=budget)
    if amount > left:
        raise ApplicationError(
            _("Only %(left)s is left of the %(year)d budget; the grant of %(amount)s does not fit.")
            % {"left": money(left, CURRENCY), "year": year, "amount": money(amount, CURRENCY)},
            details={"amount": [_("At most what is left.")]},
        )
    try:
        with transaction.atomic():
            grant = TravelGrant.objects.create(
                budget=budget,
                visit_id=found.pk,
                amount=amount,
                currency=CURRENCY,
                covers=covers,
                prepared_by_id=actor.pk,
            )
    except IntegrityError as error:
        raise ConflictError(
            _("This visit already has a travel grant; reject it before preparing another.")
        ) from error
    _tell_approvers(grant, level=1, exclude={actor.pk})
    return grant


def _tell_approvers(grant: TravelGrant, *, level: int, exclude: set[Any]) -> None:
    """Tell each approver who may approve at `level` that the grant waits (never its preparer
    or a past approver); joins the caller's transaction."""
    recipients = (
        users_with("travel.grant.decide")
        .exclude(pk__in=exclude | {grant.prepared_by_id})
        .values_list("pk", flat=True)
    )

    def text() -> str:
        return _(
            "Travel grant %(pk)d (%(amount)s) waits for approval (level %(level)d of %(levels)d)."
        ) % {
            "pk": grant.pk,
            "amount": money(grant.amount, grant.currency),
            "level": level,
            "levels": GRANT_APPROVAL_LEVELS,
        }

    notifications.notify_users(
        user_ids=list(recipients),
        kind=Notification.Kind.WAITING,
        text=text,
        subject_type=GRANT_SUBJECT,
        subject_id=grant.pk,
        link=grant.get_absolute_url(),
        dedupe_key=f"approval:l{level}",
    )


def _lock(grant: TravelGrant | int, expected_version: int | None) -> TravelGrant:
    return lock_with_status(
        TravelGrant,
        grant,
        expected_version,
        missing=_("The travel grant no longer exists."),
        stale=_(
            "Someone changed this travel grant after you opened it (it is now %(status)s). "
            "Nothing was saved; reload it and try again."
        ),
    )


def _require_status(grant: TravelGrant, allowed: str, action: str) -> None:
    if grant.status != allowed:
        raise ConflictError(
            _("The travel grant is %(status)s and cannot be %(action)s.")
            % {"status": grant.get_status_display().lower(), "action": action},
            details={"status": grant.status},
        )


def _decide(
    *,
    grant: TravelGrant | int,
    actor: AbstractBaseUser,
    decision: str,
    comment: str,
    expected_version: int | None,
) -> TravelGrant:
    _require_role(actor, "travel.grant.decide", _("approve or reject a travel grant"))
    locked = _lock(grant, expected_version)
    approving = decision == TravelGrantApproval.Decision.APPROVE
    _require_status(locked, Status.PREPARED, _("approved") if approving else _("rejected"))
    if locked.prepared_by_id == actor.pk:
        raise ApplicationError(
            _("You prepared this travel grant; a different person must approve or reject it."),
            details={"approver": actor.pk},
        )
    approved = list(
        TravelGrantApproval.objects.filter(
            grant=locked, decision=TravelGrantApproval.Decision.APPROVE
        )
    )
    if any(a.approver_id == actor.pk for a in approved):
        raise ApplicationError(
            _(
                "You have already approved this travel grant; the second approval needs a "
                "different person."
            ),
            details={"approver": actor.pk},
        )
    level = len(approved) + 1
    try:
        with transaction.atomic():
            TravelGrantApproval.objects.create(
                grant=locked,
                level=level,
                decision=decision,
                approver_id=actor.pk,
                preparer_id=locked.prepared_by_id,
                comment=comment,
            )
    except IntegrityError as error:  # the database's four-eyes and one-per-level rules
        raise ConflictError(
            _("This approval breaks the four-eyes rule or was already given; reload the grant.")
        ) from error
    if not approving:
        return save_locked(locked, status=Status.REJECTED, rejection_reason=comment)
    if level >= GRANT_APPROVAL_LEVELS:
        return save_locked(locked, status=Status.APPROVED)
    waiting = save_locked(locked)
    _tell_approvers(
        waiting, level=level + 1, exclude={a.approver_id for a in approved} | {actor.pk}
    )
    return waiting


@transaction.atomic
def travel_grant_approve(
    *,
    grant: TravelGrant | int,
    actor: AbstractBaseUser,
    comment: str = "",
    expected_version: int | None = None,
) -> TravelGrant:
    """Approve a prepared grant at the next level: never by its preparer, never twice by one
    person; two different approvers make it approved."""
    return _decide(
        grant=grant,
        actor=actor,
        decision=TravelGrantApproval.Decision.APPROVE,
        comment=comment.strip(),
        expected_version=expected_version,
    )


@transaction.atomic
def travel_grant_reject(
    *,
    grant: TravelGrant | int,
    actor: AbstractBaseUser,
    comment: str,
    expected_version: int | None = None,
) -> TravelGrant:
    """Reject a prepared grant, with the reason; its money returns to the year's budget."""
    if not comment.strip():
        raise ApplicationError(
            _("Say why the travel grant is rejected."), details={"comment": [_("Give the reason.")]}
        )
    return _decide(
        grant=grant,
        actor=actor,
        decision=TravelGrantApproval.Decision.REJECT,
        comment=comment.strip(),
        expected_version=expected_version,
    )


@transaction.atomic
def travel_grant_pay(
    *,
    grant: TravelGrant | int,
    paid_on: date,
    payment_reference: str,
    actor: AbstractBaseUser,
    expected_version: int | None = None,
) -> TravelGrant:
    """Record that an approved grant was paid, with the bank's reference (used only once)."""
    _require_role(actor, "travel.grant.pay", _("record a payment"))
    locked = _lock(grant, expected_version)
    _require_status(locked, Status.APPROVED, _("paid"))
    reference = payment_reference.strip()
    if not reference:
        raise ApplicationError(
            _("Give the payment's bank reference."),
            details={"payment_reference": [_("Give the reference.")]},
        )
    if paid_on > timezone.localdate():
        raise ApplicationError(
            _("The payment day is in the future; record the payment once it is made."),
            details={"paid_on": [_("Today or earlier.")]},
        )
    try:
        with transaction.atomic():
            return save_locked(
                locked,
                status=Status.PAID,
                paid_on=paid_on,
                payment_reference=reference,
                paid_by=actor,
            )
    except IntegrityError as error:
        raise ApplicationError(
            _("The bank reference %(ref)s is already used for another grant.") % {"ref": reference},
            details={"payment_reference": [_("Already used.")]},
        ) from error

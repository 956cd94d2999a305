"""Making an inspection finding a release condition of a tranche (docs/inspections.md).

Kept apart from finance/services.py: the condition it writes is an ordinary release condition of
kind "inspection findings closed" that names the finding; finance/finding_conditions.py holds the
rules the condition services apply to it.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils.translation import gettext as _

from finance.models import Tranche, TrancheCondition, TrancheEvent
from finance.services import _lock, _require_open, _uid
from program.core.errors import ApplicationError, ConflictError, NotFoundError
from program.inspections.models import Finding

KIND = TrancheCondition.Kind.INSPECTION_CLOSED


@transaction.atomic
def condition_link_finding(
    *,
    tranche: Tranche | int,
    finding: Finding | int,
    actor: AbstractBaseUser,
    description: str = "",
) -> TrancheCondition:
    """Make a finding a release condition of a tranche not yet approved: the tranche's
    "inspection findings closed" condition (added now if it has none) names the finding, and
    can be signed off only once every action promised on it is done. The finding must come from
    an inspection of one of the agreement's facilities."""
    locked = _lock(tranche, None)
    _require_open(locked, _("given a condition"))
    finding_pk = finding if isinstance(finding, int) else finding.pk
    found = Finding.objects.select_related("inspection__facility").filter(pk=finding_pk).first()
    if found is None:
        raise NotFoundError(
            _("There is no finding %(pk)s.") % {"pk": finding_pk}, details={"finding": finding_pk}
        )
    if found.inspection.facility.agreement_id != locked.agreement_id:
        raise ApplicationError(
            _(
                "The finding “%(title)s” is from an inspection of %(facility)s, which is not a "
                "facility of this tranche's agreement."
            )
            % {"title": found.title, "facility": found.inspection.facility.name},
            details={"finding": finding_pk},
        )
    condition = (
        TrancheCondition.objects.select_for_update().filter(tranche=locked, kind=KIND).first()
    )
    if condition is None:
        condition = TrancheCondition.objects.create(
            tranche=locked,
            kind=KIND,
            finding=found,
            description=description.strip(),
            added_by_id=_uid(actor),
        )
    else:
        if condition.met_at is not None:
            raise ConflictError(
                _("The tranche's condition “%(kind)s” is already met; it can no longer change.")
                % {"kind": condition.get_kind_display()},
                details={"finding": finding_pk},
            )
        if condition.finding_id == found.pk:
            return condition  # already so: nothing to do
        if condition.finding_id is not None:
            raise ConflictError(
                _(
                    "The tranche's condition “%(kind)s” already waits for another finding; "
                    "remove that condition first."
                )
                % {"kind": condition.get_kind_display()},
                details={"finding": condition.finding_id},
            )
        # Evidence recorded by hand no longer counts: the finding's actions are the evidence.
        condition.finding = found
        condition.evidence = ""
        condition.evidence_reference = ""
        condition.evidence_at = None
        condition.met_by = None
        if description.strip():
            condition.description = description.strip()
        condition.save(
            update_fields=[
                "finding",
                "evidence",
                "evidence_reference",
                "evidence_at",
                "met_by",
                "description",
                "updated_at",
            ]
        )
    TrancheEvent.objects.create(
        tranche=locked,
        actor_id=_uid(actor),
        text=_("Condition added: %(kind)s, waiting for inspection finding %(pk)d")
        % {"kind": condition.get_kind_display(), "pk": found.pk},
    )
    return condition

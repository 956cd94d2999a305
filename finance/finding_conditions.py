"""Release conditions that wait for an inspection finding (docs/inspections.md).

A condition of kind "inspection findings closed" may name a finding. Such a condition keeps the
two-person rule of every condition, with the finding's actions as its evidence: it can be signed
off only once every action promised on the finding is done, and the evidence then recorded on
it is the finding's (who recorded the last action done, and when). Until then the tranche's
approval is refused with a message naming the finding and the actions not yet done. Finance
staff see the finding's title, its status and its actions' titles, owners and deadlines: never
its text or the person it may concern.

These are the hooks the condition services call (finance/services.py); the link itself is in
finance/services_findings.py.
"""

from __future__ import annotations

from django.utils import formats
from django.utils.translation import gettext as _

from finance.models import TrancheCondition
from program.core.errors import ConflictError
from program.inspections.models import FindingAction
from program.inspections.selectors import FindingSummary, finding_summary


def summary(condition: TrancheCondition) -> FindingSummary | None:
    """The finding a condition waits for, as finance may see it (None for other conditions)."""
    if condition.finding is None:
        return None
    return finding_summary(condition.finding)


def _actions_text(found: FindingSummary) -> str:
    if not found.pending and not found.closed:
        return _("no action has been promised on it yet")
    return "; ".join(
        _("%(action)s (%(status)s, %(owner)s, deadline %(deadline)s)")
        % {
            "action": action.title,
            "status": action.get_status_display().lower(),
            "owner": action.owner,
            "deadline": formats.date_format(action.deadline, "SHORT_DATE_FORMAT"),
        }
        for action in found.pending
    )


def unmet_label(condition: TrancheCondition) -> str:
    """How an unmet condition is named when it holds back an approval."""
    found = summary(condition)
    if found is None:
        return str(condition.get_kind_display())
    if found.closed:
        return _(
            "%(kind)s: finding “%(title)s” is closed and waits for a second person's sign-off"
        ) % {"kind": condition.get_kind_display(), "title": found.title}
    return _("%(kind)s: finding “%(title)s” (%(status)s), not yet done: %(actions)s") % {
        "kind": condition.get_kind_display(),
        "title": found.title,
        "status": found.status_label.lower(),
        "actions": _actions_text(found),
    }


def unmet_labels(tranche_id: int) -> list[str]:
    """The unmet conditions of a tranche, each named (a finding's with its open actions)."""
    unmet = (
        TrancheCondition.objects.filter(tranche_id=tranche_id, met_at__isnull=True)
        .select_related("finding")
        .prefetch_related("finding__actions")
        .order_by("kind", "pk")
    )
    return [unmet_label(condition) for condition in unmet]


def finding_closed(condition: TrancheCondition) -> bool:
    found = summary(condition)
    return found is not None and found.closed


def require_finding_closed(condition: TrancheCondition) -> None:
    """Refuse the sign-off of a finding's condition while any of its actions is not done."""
    found = summary(condition)
    if found is None or found.closed:
        return
    raise ConflictError(
        _(
            "The finding “%(title)s” is %(status)s; this condition can be signed off once every "
            "action promised on it is done. Not yet done: %(actions)s."
        )
        % {
            "title": found.title,
            "status": found.status_label.lower(),
            "actions": _actions_text(found),
        },
        details={"finding": found.pk, "actions": [a.pk for a in found.pending]},
    )


def take_evidence_from_finding(condition: TrancheCondition) -> list[str]:
    """Before the sign-off of a finding's condition (its actions all done): record the finding
    as the evidence, recorded by whoever recorded its last action done, when they did. Returns
    the fields set (none for other conditions)."""
    if condition.finding is None:
        return []
    last = (
        FindingAction.objects.filter(finding=condition.finding, status=FindingAction.Status.DONE)
        .order_by("-updated_at", "-pk")
        .first()
    )
    if last is None or last.decided_by_id is None:
        return []
    condition.evidence_reference = _("Inspection finding %(pk)d: every action done") % {
        "pk": condition.finding.pk
    }
    condition.evidence_at = last.updated_at
    condition.met_by_id = last.decided_by_id
    return ["evidence_reference", "evidence_at", "met_by"]


def refuse_manual_evidence(condition: TrancheCondition) -> None:
    """A finding's condition takes its evidence from the finding, not from an upload."""
    if condition.finding_id is not None:
        raise ConflictError(
            _(
                "This condition waits for an inspection finding: its evidence is the finding's "
                "actions, recorded as done by the governor or an occupancy administrator."
            ),
            details={"finding": condition.finding_id},
        )


def refuse_kind_change(condition: TrancheCondition, kind: str) -> None:
    if condition.finding_id is not None and kind != condition.kind:
        raise ConflictError(
            _(
                "This condition waits for an inspection finding and stays “%(kind)s”; remove it "
                "and add another condition instead."
            )
            % {"kind": condition.get_kind_display()},
            details={"kind": kind},
        )

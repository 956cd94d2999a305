"""The demo's complaints: the authorities, the Gjilan programme's answer deadlines per kind, and
four complaints from people held at Gjilan (one answered in time, one open, one overdue, one
sealed letter to the Ombudsman). Idempotent: what exists is left as it is."""

from __future__ import annotations

from datetime import timedelta
from typing import TextIO

from django.contrib.auth import get_user_model
from django.utils import timezone

from program.cells.demo import AGREEMENT_NAME
from program.cells.models import Agreement, Placement
from program.complaints.models import Authority, Complaint, DeadlineRule, Kind
from program.complaints.services import deadline_for
from program.core.demo import register
from program.core.roles import Role

AUTHORITIES = [
    # code, Danish, English, is the Ombudsman
    ("kriminalforsorgen", "Kriminalforsorgen", "The Danish Prison and Probation Service", False),
    ("justitsministeriet", "Justitsministeriet", "The Ministry of Justice", False),
    ("ombudsmanden", "Folketingets Ombudsmand", "The Danish Parliamentary Ombudsman", True),
]
# Days to answer, by kind. No Danish rule fixes a time limit for answering an inmate's
# complaint; these are the programme's own assumptions (docs/complaints.md), shorter where the
# complaint concerns treatment or health.
ASSUMPTION = (
    "Assumption of the programme: no statutory time limit; the Ombudsman's practice on good "
    "administration expects an answer within a reasonable time and word of when, if it takes "
    "longer than about 14 days (docs/complaints.md)."
)
DEADLINE_DAYS = {
    Kind.STAFF_TREATMENT: 14,
    Kind.HEALTH_CARE: 14,
    Kind.FAMILY_CONTACT: 14,
    Kind.CONDITIONS: 30,
    Kind.SENTENCE_CASE: 30,
    Kind.TRANSFER: 30,
    Kind.OTHER: 30,
}


@register(order=120)
def load(out: TextIO) -> None:
    for code, name_da, name_en, is_ombudsman in AUTHORITIES:
        Authority.objects.get_or_create(
            code=code,
            defaults={"name_da": name_da, "name_en": name_en, "is_ombudsman": is_ombudsman},
        )
    agreement = Agreement.objects.filter(name=AGREEMENT_NAME).first()
    if agreement is None:
        return
    for kind, days in DEADLINE_DAYS.items():
        DeadlineRule.objects.get_or_create(
            agreement=agreement,
            kind=kind,
            defaults={"days": days, "source": ASSUMPTION, "is_assumption": True},
        )
    if Complaint.objects.filter(facility__agreement=agreement).exists():
        return
    _complaints(agreement, out)


def _complaints(agreement: Agreement, out: TextIO) -> None:
    today = timezone.localdate()
    users = get_user_model().objects
    caseworker = users.filter(username=Role.CASEWORKER).first()
    if caseworker is None:
        return
    placements = list(
        Placement.objects.filter(
            kind=Placement.Kind.PLACEMENT,
            place__cell__unit__facility__agreement=agreement,
            period__contains=today,
        )
        .select_related("place__cell__unit__facility")
        .order_by("inmate_id")[:4]
    )
    authority = {a.code: a for a in Authority.objects.all()}
    plans = [
        # days ago, kind, channel, authority, subject, answered days ago
        (
            40,
            Kind.CONDITIONS,
            Complaint.Channel.LETTER_TO_STAFF,
            "kriminalforsorgen",
            "The heating in the cell does not work at night.",
            20,
        ),
        (
            3,
            Kind.HEALTH_CARE,
            Complaint.Channel.AT_VISIT,
            "kriminalforsorgen",
            "Asks to see a dentist; waiting since last month.",
            None,
        ),
        (
            25,
            Kind.FAMILY_CONTACT,
            Complaint.Channel.EMAIL,
            "justitsministeriet",
            "Video calls with the children were cancelled twice.",
            None,
        ),
        (5, Kind.OTHER, Complaint.Channel.SEALED_TO_OMBUDSMAN, "ombudsmanden", "", None),
    ]
    made = 0
    for placement, plan in zip(placements, plans, strict=False):
        days_ago, kind, channel, code, subject, answered_ago = plan
        facility = placement.place.cell.unit.facility
        received_on = max(placement.period.lower, today - timedelta(days=days_ago))
        deadline = deadline_for(facility=facility, kind=kind, received_on=received_on)
        answered_on = (
            max(received_on, today - timedelta(days=answered_ago))
            if answered_ago is not None
            else None
        )
        Complaint.objects.create(
            inmate_id=placement.inmate_id,
            facility=facility,
            received_on=received_on,
            channel=channel,
            sealed=channel == Complaint.Channel.SEALED_TO_OMBUDSMAN,
            language="English",
            kind=kind,
            subject=subject,
            authority=authority[code],
            handler=caseworker if code != "ombudsmanden" else None,
            deadline=deadline.due,
            remind_on=deadline.remind_on,
            status=Complaint.Status.ANSWERED if answered_on else Complaint.Status.OPEN,
            answer="The heating was repaired; the unit is checked every week."
            if answered_on
            else "",
            answered_on=answered_on,
            answered_by=caseworker if answered_on else None,
            registered_by=caseworker,
        )
        made += 1
    out.write(f"Complaints: {made}, with the answer deadlines by kind\n")

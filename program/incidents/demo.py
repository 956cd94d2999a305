"""Demo incidents at Gjilan (after the users, order 1, and the placements): one reviewed and
closed, one awaiting review and past its deadline (the governor's queue), one use of force
notified to the Danish authority. Idempotent: an incident is found again by its description.
"""

from datetime import timedelta
from typing import TextIO

from django.contrib.auth import get_user_model
from django.utils import timezone

from program.cells.models import Facility
from program.core.demo import register
from program.incidents import selectors, services
from program.incidents.models import AuthorityContact, Incident

AUTHORITY_EMAIL = "vagtcentral@kriminalforsorgen.example.invalid"

DEMO = [
    # (kind, hours ago it happened, description, injuries, actions, review?)
    (
        "violence",
        80,
        "Two prisoners fought in the exercise yard of unit A after an argument over the "
        "telephone rota.",
        "A graze on one prisoner's forearm, treated by the nurse.",
        "The officers separated them; both spent the afternoon in their cells.",
        "close",
    ),
    (
        "self_harm",
        30,
        "A prisoner was found with superficial cuts to the arm at the evening count.",
        "Superficial cuts, dressed by the nurse on duty.",
        "Seen by the nurse; placed under observation every 15 minutes overnight.",
        "overdue",
    ),
    (
        "use_of_force",
        3,
        "A prisoner refused to leave the visiting room and was escorted to his cell by three "
        "officers using an arm hold.",
        "None.",
        "Escorted to the cell; the duty manager was called and spoke with him.",
        "",
    ),
]


@register(order=120)
def load(out: TextIO) -> None:
    facility = Facility.objects.select_related("agreement").filter(name="Gjilan prison").first()
    governor = get_user_model().objects.filter(username="governor").first()
    if facility is None or governor is None:
        return
    AuthorityContact.objects.get_or_create(
        agreement=facility.agreement, defaults={"email": AUTHORITY_EMAIL}
    )
    people = list(selectors.inmates_at(facility)[:6])
    made = 0
    for index, (kind, hours, description, injuries, actions, review) in enumerate(DEMO):
        if Incident.objects.filter(facility=facility, description=description).exists():
            continue
        now = timezone.now()
        incident = services.incident_report(
            actor=governor,
            facility=facility,
            kind=kind,
            occurred_at=now - timedelta(hours=1),
            description=description,
            injuries=injuries,
            actions_taken=actions,
            staff_involved="Officer on duty, unit A\nDuty manager",
            inmates=people[index * 2 : index * 2 + 2],
        )
        # Dated as if reported shortly after it happened, `hours` ago.
        reported = now - timedelta(hours=hours) + timedelta(minutes=30)
        Incident.objects.filter(pk=incident.pk).update(
            occurred_at=now - timedelta(hours=hours),
            reported_at=reported,
            review_due_at=reported + (incident.review_due_at - incident.reported_at),
        )
        if review == "close":
            services.incident_review(
                actor=governor,
                incident_id=incident.pk,
                outcome="close",
                findings="The officers acted in line with the rules; no further action.",
                follow_up="Unit A's telephone rota to be posted in Albanian and English.",
            )
        made += 1
    out.write(f"Incidents: {made} demo incident(s) at {facility.name}.\n")

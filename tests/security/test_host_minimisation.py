"""Field-level minimisation for the host facility's staff: the host officer and the host
manager never receive conviction, offence or health data (fields tagged CRIMINAL or HEALTH) in
any page, export or API response they may GET, though their pages name the people (personal
data their work needs).

It reuses the planting of tests/security/test_minimisation.py: every text field of the inmate
apps gets a distinctive token, every flag is switched on. The host users are posted to a
facility that holds a person today and expects one more on a transport in transit, with a
check-in and a headcount recorded, so that each of their pages has a person to show. Controls:
the same planting puts the person's name on the host pages (personal data does reach them), and
the criminal values do reach a caseworker.
"""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from program.cells import services as cell_services
from program.cells.models import Facility, Placement
from program.core import field_tags
from program.core.field_tags import CRIMINAL, HEALTH
from program.core.roles import Role
from program.host.models import ArrivalCheck, HeadcountConfirmation, StaffPosting
from tests.factories import CellFactory, PlaceFactory, UnitFactory, the_programme
from tests.inmates.factories import InmateFactory, JudgmentFactory
from tests.security.test_minimisation import (  # noqa: F401  (fixtures and readers, reused)
    CANARY,
    DESCRIBES_THE_API,
    _finance_urls,
    _payload,
    _secret_names,
    finance_args,
    planted,
    route_args,
)
from tests.transfers.factories import case_in
from transfers.models import ManifestEntry, TransferCase, TransportBatch

HOST_ROLES = [Role.HOST_OFFICER, Role.HOST_MANAGER]
SECRET = frozenset({CRIMINAL, HEALTH})


@pytest.fixture
def host_facility(route_args) -> dict[str, object]:  # noqa: F811
    """A person in transit to a facility and one placed there today (made before the planting,
    so their rows carry the tokens too)."""
    today = timezone.localdate()
    staff = get_user_model().objects.create_user("escort-planner")
    arriving = case_in(TransferCase.State.IN_TRANSIT, caseworker=staff)
    JudgmentFactory(inmate=arriving.inmate)
    assert arriving.placement is not None
    # route_args posts the host personas to its facility (for the incidents' and handovers'
    # routes, which show only their facility's records): the arrival goes there too.
    facility: Facility = StaffPosting.objects.get(user__username="arben").facility
    Placement.objects.filter(pk=arriving.placement.pk).update(
        place=PlaceFactory(cell=CellFactory(unit=UnitFactory(facility=facility)))
    )
    arriving.refresh_from_db()
    assert arriving.placement is not None
    batch = TransportBatch.objects.create(
        agreement=the_programme(), departs_on=today, direction="dk_xk", seats=4, created_by=staff
    )
    ManifestEntry.objects.create(
        batch=batch, case=arriving, placement=arriving.placement, added_by=staff
    )
    present = InmateFactory()
    JudgmentFactory(inmate=present)
    unit = arriving.placement.place.cell.unit
    placement = cell_services.placement_admit(
        inmate=present,
        place=PlaceFactory(cell=CellFactory(unit=unit)),
        on=today - timedelta(days=5),
        reason="Arrival",
        actor=None,
    )
    ArrivalCheck.objects.create(
        facility=facility,
        inmate=present,
        case_id=999_999,
        transport_id=batch.pk,
        outcome="admitted",
        identity_confirmed=True,
        items=["clothing"],
        placement=placement,
        checked_on=today,
        checked_by=staff,
    )
    HeadcountConfirmation.objects.create(
        facility=facility,
        unit=None,
        day=today,
        counted=0,
        on_roll=1,
        difference_reason="One at court",
        confirmed_by=staff,
    )
    return {"facility": facility, "case": arriving}


def _tags_by_label() -> dict[str, object]:
    return {item.label: item.tag for item in field_tags.all_fields()}


def _host_client(persona, role: str, facility: Facility) -> Client:
    client: Client = persona(role)
    user = get_user_model().objects.get(pk=client.session["_auth_user_id"])
    # route_args now posts the host personas elsewhere (for the incidents' routes): move them.
    StaffPosting.objects.update_or_create(user=user, defaults={"facility": facility})
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("role", HOST_ROLES)
def test_host_roles_receive_no_conviction_offence_or_health_data(
    role,
    persona,
    host_facility,
    planted,  # noqa: F811
    finance_args,  # noqa: F811
) -> None:
    client = _host_client(persona, role, host_facility["facility"])
    case = host_facility["case"]
    args = {**finance_args, "host:check-in": [case.pk]}
    tags = _tags_by_label()
    secret_names = _secret_names()
    leaks: list[str] = []
    names_seen = 0
    routes = set()
    for name, url in _finance_urls(args, role):
        routes.add(name)
        # Some routes (a case's handover) redirect to the record's page: read where they lead.
        response = client.get(url, follow=True)
        assert response.status_code == 200, f"{role} could not read {name} ({url})"
        text, names = _payload(response)
        for token in sorted(set(CANARY.findall(text))):
            label = planted.get(token.rstrip("0123456789"), token)
            if tags.get(label) in SECRET:
                leaks.append(f"{url}: value of {label}")
            elif label == "inmates.Inmate.name":
                names_seen += 1
        if name not in DESCRIBES_THE_API:
            leaks += [f"{url}: field {found!r}" for found in sorted(names & secret_names)]
    print(f"\nminimisation: {role} read {len(routes)} routes: {sorted(routes)}")
    assert {"host:roll", "host:arrivals", "host:check-in", "host:headcount"} <= routes
    # The control on the host side: the planted names do reach their pages.
    assert names_seen >= 3
    assert leaks == []


@pytest.mark.django_db
def test_the_same_criminal_values_reach_the_caseworker(
    caseworker,
    host_facility,
    planted,  # noqa: F811
    finance_args,  # noqa: F811
) -> None:
    inmate = host_facility["case"].inmate_id
    text, names = _payload(caseworker.get(reverse("api:inmate-detail", args=[inmate])))
    tags = _tags_by_label()
    found = {planted[token.rstrip("0123456789")] for token in CANARY.findall(text)}
    assert any(tags.get(label) == CRIMINAL for label in found), found
    assert "serious_mental_disorder" in names

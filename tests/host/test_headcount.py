"""The daily headcount: a count equal to the roll is confirmed as is; a difference needs its
explanation and tells the occupancy administrators; a correction supersedes the confirmation in
force and both are kept."""

import pytest
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone

from program.core.errors import ApplicationError
from program.host import services
from program.host.models import HeadcountConfirmation
from program.notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def admitted(arben, transport):
    for case in transport.cases:
        services.arrival_admit(
            case_id=case.pk, identity_confirmed=True, items=(), remarks="", actor=arben
        )
    return transport


def test_a_count_equal_to_the_roll_is_confirmed(arben, admitted, site) -> None:
    confirmation = services.headcount_confirm(
        unit_id=site.units[0].pk, counted=3, reason="", actor=arben
    )
    assert (confirmation.on_roll, confirmation.difference) == (3, 0)
    assert not Notification.objects.filter(subject_type="headcount").exists()


def test_a_difference_needs_an_explanation(arben, admitted, site) -> None:
    with pytest.raises(ApplicationError, match="2 counted but 3 on the roll"):
        services.headcount_confirm(unit_id=site.units[0].pk, counted=2, reason="", actor=arben)
    assert not HeadcountConfirmation.objects.exists()


def test_a_difference_tells_the_occupancy_administrators(arben, otto, admitted, site) -> None:
    services.headcount_confirm(
        unit_id=None, counted=2, reason="One in the infirmary outside the walls", actor=arben
    )
    notice = Notification.objects.get(recipient=otto, subject_type="headcount")
    assert "2 counted, 3 on the roll" in notice.text
    assert "infirmary" in notice.text


def test_a_correction_supersedes_and_keeps_the_history(arben, admitted, site) -> None:
    unit = site.units[0].pk
    first = services.headcount_confirm(unit_id=unit, counted=2, reason="Miscount?", actor=arben)
    second = services.headcount_confirm(unit_id=unit, counted=3, reason="", actor=arben)
    first.refresh_from_db()
    assert first.superseded_at is not None
    assert first.superseded_by_id == second.pk
    in_force = HeadcountConfirmation.objects.filter(superseded_at__isnull=True)
    assert list(in_force) == [second]


def test_postgres_keeps_one_confirmation_in_force_per_unit_and_day(arben, site) -> None:
    values = {
        "facility": site.facility,
        "unit": None,
        "day": timezone.localdate(),
        "counted": 0,
        "on_roll": 0,
        "confirmed_by": arben,
    }
    HeadcountConfirmation.objects.create(**values)
    with pytest.raises(IntegrityError):
        HeadcountConfirmation.objects.create(**values)


def test_a_unit_of_another_facility_is_refused(arben, site) -> None:
    from tests.factories import UnitFactory

    with pytest.raises(ApplicationError, match="Choose a unit of Gjilan"):
        services.headcount_confirm(unit_id=UnitFactory().pk, counted=0, reason="", actor=arben)


def test_the_home_page_shows_the_officers_work(host_officer, arben, site, carla, otto) -> None:
    from tests.host.conftest import on_the_way

    on_the_way(carla, otto, site.places[:1])
    home = host_officer.get(reverse("home")).content.decode()
    assert "Arrivals to check in" in home
    assert "Headcount not yet confirmed today" in home
    assert "arrives today" in home
    response = host_officer.post(
        reverse("host:headcount"), {"unit": "", "counted": "0", "reason": ""}
    )
    assert response.status_code == 302
    home = host_officer.get(reverse("home")).content.decode()
    assert (
        "Today&#x27;s headcount is confirmed." in home or "Today's headcount is confirmed." in home
    )


def test_the_headcount_page_refuses_an_unexplained_difference(
    host_officer, arben, admitted, site
) -> None:
    response = host_officer.post(
        reverse("host:headcount"), {"unit": str(site.units[0].pk), "counted": "1", "reason": ""}
    )
    assert response.status_code == 400
    assert "explain the difference" in response.content.decode()


def test_management_sees_the_overview_and_officers_do_not(
    host_manager, drita, host_officer, arben, admitted, site
) -> None:
    services.headcount_confirm(unit_id=None, counted=2, reason="One in hospital", actor=arben)
    page = host_manager.get(reverse("host:overview"))
    assert page.status_code == 200
    assert "One in hospital" in page.content.decode()
    assert host_officer.get(reverse("host:overview")).status_code == 403


def test_the_roll_page_costs_the_same_queries_for_one_and_many(
    host_officer, arben, site, django_assert_num_queries
) -> None:
    from program.cells import services as cell_services
    from tests.inmates.factories import InmateFactory

    def place_someone(place) -> None:
        cell_services.placement_admit(
            inmate=InmateFactory(), place=place, on=timezone.localdate(), reason="r", actor=None
        )

    place_someone(site.places[0])
    url = reverse("host:roll")
    # The session; the user with roles and unread count; the posting; the roll (one query for
    # its people); the access-log row (insert and count in one statement); the header's
    # work-queue counts (one query).
    with django_assert_num_queries(ROLL_QUERIES):
        assert host_officer.get(url).status_code == 200
    for place in site.places[1:4]:
        place_someone(place)
    with django_assert_num_queries(ROLL_QUERIES):
        body = host_officer.get(url).content.decode()
    assert "4 people are present today." in body


ROLL_QUERIES = 6

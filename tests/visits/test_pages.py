"""The visit pages: host staff see and book their own facility's schedule, caseworkers the
visits of their cases; each view of a person's visits is in the access log, each write in the
history; no conviction or health field reaches the host facility's staff."""

import pytest

from program.audit.history import EVENT_MODELS
from program.audit.models import AccessLogEntry
from program.visits import services
from program.visits.models import Visit
from tests.inmates.factories import InmateFactory, JudgmentFactory
from tests.visits.conftest import at

pytestmark = pytest.mark.django_db


def _purpose(client, inmate):
    session = client.session
    session["audit_purposes"] = {f"inmate:{inmate.pk}": "case work"}
    session.save()


def test_host_staff_see_their_facilitys_schedule_only(
    host_officer, arben, make_visit, inmate, other_facility, carla
):
    mine = make_visit(inmate)
    elsewhere = make_visit(inmate, place=other_facility)
    page = host_officer.get("/visits/")
    assert page.status_code == 200
    links = page.content.decode()
    assert f"/visits/{mine.pk}/" in links
    assert f"/visits/{elsewhere.pk}/" not in links
    assert host_officer.get(f"/visits/{elsewhere.pk}/").status_code == 404


def test_a_caseworker_sees_only_the_visits_of_their_cases(
    caseworker, make_user, make_visit, inmate, facility
):
    mine = make_visit(inmate)
    other_person = InmateFactory()
    from transfers.models import TransferCase

    olga = make_user("olga", "caseworker")
    TransferCase.objects.create(
        inmate=other_person, agreement=facility.agreement, caseworker=olga, state="identified"
    )
    theirs = make_visit(other_person, actor=olga)
    content = caseworker.get("/visits/").content.decode()
    assert f"/visits/{mine.pk}/" in content
    assert f"/visits/{theirs.pk}/" not in content


def test_host_staff_book_a_visit_through_the_page(host_officer, arben, make_visit, inmate):
    visit = make_visit(inmate)
    day = at(5)
    answer = host_officer.post(
        f"/visits/{visit.pk}/book/",
        {"day": day.date().isoformat(), "starts": "10:00", "ends": "11:30", "version": 1},
    )
    assert answer.status_code == 302
    visit.refresh_from_db()
    assert visit.status == Visit.Status.BOOKED
    assert visit.booked_by == arben


def test_a_double_booking_is_shown_as_an_error_on_the_form(host_officer, arben, make_visit, inmate):
    first, second = make_visit(inmate), make_visit(inmate)
    services.visit_book(visit=first, starts_at=at(5, 10), ends_at=at(5, 12), actor=arben)
    answer = host_officer.post(
        f"/visits/{second.pk}/book/",
        {"day": at(5).date().isoformat(), "starts": "11:00", "ends": "12:30", "version": 1},
    )
    assert answer.status_code == 409  # the refusal's status, with the form shown again
    assert "already has a visit booked" in answer.content.decode()


def test_a_caseworker_requests_a_visit_with_a_child(caseworker, carla, inmate, facility):
    _purpose(caseworker, inmate)
    answer = caseworker.post(
        f"/visits/people/{inmate.pk}/request/",
        {
            "facility": facility.pk,
            "kind": "in_person",
            "requested_by": "relative",
            "visitor_1_name": "Arta",
            "visitor_1_relation": "partner",
            "visitor_2_name": "Dion",
            "visitor_2_relation": "child",
            "visitor_2_age_group": "6_11",
        },
    )
    assert answer.status_code == 302
    visit = Visit.objects.get()
    assert visit.recorded_by == carla
    assert sorted(visit.visitors.values_list("relation", flat=True)) == ["child", "partner"]


def test_every_view_of_a_persons_visits_is_in_the_access_log(
    host_officer, arben, caseworker, make_visit, inmate
):
    visit = make_visit(inmate)
    host_officer.get(f"/visits/{visit.pk}/")
    _purpose(caseworker, inmate)
    caseworker.get(f"/visits/people/{inmate.pk}/")
    rows = AccessLogEntry.objects.filter(
        subject_type="inmate", subject_id=str(inmate.pk), action="view"
    )
    assert sorted(rows.values_list("actor_username", "purpose")) == [
        ("arben", "host facility: visit schedule"),
        ("carla", "case work"),
    ]


def test_every_write_is_in_the_history(host_officer, arben, make_visit, inmate):
    visit = make_visit(inmate)
    host_officer.post(
        f"/visits/{visit.pk}/book/",
        {"day": at(5).date().isoformat(), "starts": "10:00", "ends": "11:00", "version": 1},
    )
    changes = EVENT_MODELS["visits.Visit"].objects.filter(pgh_obj_id=visit.pk).order_by("pgh_id")
    assert [c.pgh_label for c in changes] == ["insert", "update"]
    assert changes.last().pgh_context["username"] == "arben"
    assert EVENT_MODELS["visits.Visitor"].objects.filter(visit_id=visit.pk).count() == 1


def test_host_pages_carry_no_conviction_or_health_data(host_officer, arben, make_visit, facility):
    person = InmateFactory(name="Driton Berisha")
    person.sentence_days = 4321
    person.save()
    JudgmentFactory(inmate=person, court="Zqcourt of Secrets")
    visit = make_visit(person, actor=arben)
    for url in ("/visits/", f"/visits/{visit.pk}/", f"/visits/people/{person.pk}/"):
        content = host_officer.get(url).content.decode()
        assert "Driton Berisha" in content  # the control: the person is on the page
        assert "4321" not in content
        assert "Zqcourt" not in content


def test_the_schedule_reads_a_fixed_number_of_queries(
    host_officer, arben, make_visit, inmate, django_assert_num_queries
):
    make_visit(inmate, relations=(("child", "0_5"), ("partner", "")))
    host_officer.get("/visits/")  # warm the session and the posting

    def count() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert host_officer.get("/visits/").status_code == 200
        return len(queries)

    one = count()
    for _ in range(5):
        make_visit(inmate, relations=(("child", "6_11"),))
    # Session, user and roles, the posting, the count, the page of visits with inmate and
    # facility, their visitors (one prefetch), the access-log row: the same for 1 row and 6.
    assert count() == one

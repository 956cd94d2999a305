"""The count of visits and video calls beside E15: held ones in the last 12 months, and how
many had a minor child among the visitors."""

from datetime import timedelta

import pytest
import time_machine

from program.visits import selectors, services
from program.visits.models import Visit
from program.visits.record_links import contact_summary
from tests.visits.conftest import at

pytestmark = pytest.mark.django_db


def _held(visit, arben, days, hour=10):
    services.visit_book(
        visit=visit, starts_at=at(days, hour), ends_at=at(days, hour + 1), actor=arben
    )
    return visit


def test_counts_held_visits_and_calls_with_children(
    make_visit, inmate, arben, django_assert_num_queries
):
    child = (("child", "6_11"), ("partner", ""))
    grown_child = (("child", "adult"),)
    _held(make_visit(inmate, relations=child), arben, 1, 9)
    _held(make_visit(inmate, relations=child), arben, 1, 11)
    _held(make_visit(inmate, relations=grown_child), arben, 1, 13)
    _held(make_visit(inmate, kind=Visit.Kind.VIDEO), arben, 1, 15)
    _held(make_visit(inmate, kind=Visit.Kind.VIDEO, relations=child), arben, 1, 17)
    # Booked but cancelled: not counted.
    cancelled = _held(make_visit(inmate), arben, 1, 19)
    services.visit_record_outcome(visit=cancelled, outcome="cancelled", reason="Ill", actor=arben)
    with time_machine.travel(at(2)):
        for visit in Visit.objects.filter(status="booked"):
            services.visit_record_outcome(visit=visit, outcome="took_place", actor=arben)
        with django_assert_num_queries(1):  # the one aggregate
            counts = selectors.contact_counts(inmate_id=inmate.pk)
        assert (counts.visits, counts.visits_with_children) == (3, 2)
        assert (counts.video_calls, counts.video_calls_with_children) == (2, 1)
        assert contact_summary(counts) == (
            "In the last 12 months: 3 visits (2 with children), 2 video calls (1 with children)"
        )
    # A year and more later, none of them counts.
    with time_machine.travel(at(2) + timedelta(days=366)):
        assert not selectors.contact_counts(inmate_id=inmate.pk).any


def test_the_inmate_page_shows_the_counts_next_to_e15(caseworker, make_visit, inmate, arben):
    starts = at(-5, 10)
    with time_machine.travel(at(-6)):
        visit = make_visit(inmate, relations=(("child", "0_5"),))
        services.visit_book(
            visit=visit, starts_at=starts, ends_at=starts + timedelta(hours=1), actor=arben
        )
    services.visit_record_outcome(visit=visit, outcome="took_place", actor=arben)
    page = caseworker.get(f"/inmates/{inmate.pk}/")
    assert page.status_code == 200
    assert "1 visit (1 with children), 0 video calls (0 with children)" in page.content.decode()

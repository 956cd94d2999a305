"""The travel-support stream: grants against the year's budget, four eyes on each grant (held
by the service and by PostgreSQL), the budget report checked by hand, and what finance sees of
a visit (its date and the visitors' relation, never the inmate's name or conviction)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction
from django.utils import timezone

from finance.travel import selectors, services
from finance.travel.models import TravelGrant, TravelGrantApproval
from program.audit.history import EVENT_MODELS
from program.core.errors import ApplicationError, ConflictError
from program.core.roles import Role
from program.visits import services as visit_services
from tests.visits.conftest import at, user

pytestmark = pytest.mark.django_db


@pytest.fixture
def frida(finance_officer):
    return user("frida")


@pytest.fixture
def anders(finance_approver):
    return user("anders")


@pytest.fixture
def bodil(make_user):
    return make_user("bodil", "finance_approver")


@pytest.fixture
def budget(frida, facility):
    return services.travel_budget_set(
        agreement=facility.agreement, year=at(3).year, amount=Decimal("10000.00"), actor=frida
    )


@pytest.fixture
def booked(make_visit, inmate, arben):
    def make(days: int = 3, hour: int = 10):
        visit = make_visit(inmate, relations=(("child", "6_11"), ("partner", "")))
        return visit_services.visit_book(
            visit=visit, starts_at=at(days, hour), ends_at=at(days, hour + 1), actor=arben
        )

    return make


def _grant(frida, visit, amount="2500.00"):
    return services.travel_grant_prepare(
        visit=visit.pk, amount=Decimal(amount), covers="Flights CPH–PRN for two", actor=frida
    )


def test_two_different_approvers_make_a_grant_approved(frida, anders, bodil, budget, booked):
    grant = _grant(frida, booked())
    grant = services.travel_grant_approve(grant=grant, actor=anders, expected_version=1)
    assert grant.status == TravelGrant.Status.PREPARED
    grant = services.travel_grant_approve(grant=grant, actor=bodil, expected_version=2)
    assert grant.status == TravelGrant.Status.APPROVED
    assert list(grant.approvals.values_list("level", "approver__username")) == [
        (1, "anders"),
        (2, "bodil"),
    ]


def test_the_preparer_may_not_approve(frida, budget, booked):
    frida.groups.add(Group.objects.get(name=Role.FINANCE_APPROVER))
    frida = user("frida")  # read again: the roles are remembered on the object
    grant = _grant(frida, booked())
    with pytest.raises(ApplicationError, match="You prepared this travel grant"):
        services.travel_grant_approve(grant=grant, actor=frida)


def test_one_approver_may_not_approve_twice(frida, anders, budget, booked):
    grant = _grant(frida, booked())
    services.travel_grant_approve(grant=grant, actor=anders)
    with pytest.raises(ApplicationError, match="already approved"):
        services.travel_grant_approve(grant=grant, actor=anders)


def test_postgresql_refuses_an_approval_by_the_preparer(frida, budget, booked):
    grant = _grant(frida, booked())
    with pytest.raises(IntegrityError, match="travelgrantapproval_four_eyes"), transaction.atomic():
        TravelGrantApproval.objects.create(
            grant=grant, level=1, decision="approve", approver=frida, preparer=frida
        )


def test_postgresql_refuses_a_wrong_copy_of_the_preparer(frida, anders, bodil, budget, booked):
    grant = _grant(frida, booked())
    with pytest.raises(IntegrityError, match="preparer_matches_grant"), transaction.atomic():
        TravelGrantApproval.objects.create(
            grant=grant, level=1, decision="approve", approver=anders, preparer=bodil
        )


def test_postgresql_refuses_a_second_approval_by_one_person(frida, anders, budget, booked):
    grant = _grant(frida, booked())
    TravelGrantApproval.objects.create(
        grant=grant, level=1, decision="approve", approver=anders, preparer=frida
    )
    with pytest.raises(IntegrityError, match="one_level_per_person"), transaction.atomic():
        TravelGrantApproval.objects.create(
            grant=grant, level=2, decision="approve", approver=anders, preparer=frida
        )


def test_a_grant_beyond_what_is_left_is_refused(frida, budget, booked):
    _grant(frida, booked(3, 9), "9000.00")
    with pytest.raises(ApplicationError, match=r"Only .* is left of the"):
        _grant(frida, booked(3, 11), "1000.01")


def test_a_year_without_a_budget_is_refused(frida, booked):
    with pytest.raises(ApplicationError, match="no travel-support budget"):
        _grant(frida, booked())


def test_a_visit_carries_one_live_grant(frida, budget, booked):
    visit = booked()
    _grant(frida, visit)
    with pytest.raises(ConflictError, match="already has a travel grant"):
        _grant(frida, visit)


def test_the_budget_report_sums_by_hand(frida, anders, bodil, budget, booked):
    """Budget 10,000.00. Grants: A 2,500.00 paid; B 1,200.50 approved; C 800.25 waiting;
    D 3,000.00 rejected. Granted = 2,500.00 + 1,200.50 + 800.25 = 4,500.75; approved =
    2,500.00 + 1,200.50 = 3,700.50; paid = 2,500.00; left = 10,000.00 − 4,500.75 = 5,499.25."""
    a = _grant(frida, booked(3, 8), "2500.00")
    b = _grant(frida, booked(3, 10), "1200.50")
    _grant(frida, booked(3, 12), "800.25")
    d = _grant(frida, booked(3, 14), "3000.00")
    for grant in (a, b):
        services.travel_grant_approve(grant=grant, actor=anders)
        services.travel_grant_approve(grant=grant, actor=bodil)
    services.travel_grant_pay(
        grant=a, paid_on=timezone.localdate(), payment_reference="BANK-1", actor=frida
    )
    services.travel_grant_reject(grant=d, actor=anders, comment="Not a close relative")
    (row,) = selectors.budget_report()
    assert row.budget == Decimal("10000.00")
    assert row.granted == Decimal("4500.75")
    assert row.approved == Decimal("3700.50")
    assert row.paid == Decimal("2500.00")
    assert row.left == Decimal("5499.25")
    assert row.waiting == 1


def test_the_budget_cannot_fall_below_what_is_granted(frida, budget, booked, facility):
    _grant(frida, booked(), "4000.00")
    with pytest.raises(ApplicationError, match="cannot be less"):
        services.travel_budget_set(
            agreement=facility.agreement, year=budget.year, amount=Decimal("3999.99"), actor=frida
        )


def test_the_report_exports_as_csv(finance_officer, frida, budget, booked):
    _grant(frida, booked(), "2500.00")
    answer = finance_officer.get("/finance/travel-support/export/?format=csv")
    assert answer.status_code == 200
    text = answer.content.decode("utf-8-sig")
    assert "10000" in text.replace(".", "").replace(",", "")
    assert answer["Content-Disposition"].startswith('attachment; filename="travel-support-')


def test_finance_sees_the_visits_date_and_relation_not_the_inmate(
    finance_officer, frida, budget, booked, inmate
):
    grant = _grant(frida, booked())
    for url in (f"/finance/travel-support/grants/{grant.pk}/", "/finance/travel-support/grants/"):
        content = finance_officer.get(url).content.decode()
        assert "child (6–11 years)" in content  # the control: the visit is shown
        assert inmate.name not in content
        assert inmate.case_number not in content
    api = finance_officer.get(f"/api/v1/travel-grants/{grant.pk}/").json()
    assert api["visit_seen"]["relations"][0] == {"relation": "child", "age_group": "6_11"}
    assert inmate.name not in str(api)


def test_grant_writes_are_in_the_history(frida, anders, budget, booked):
    grant = _grant(frida, booked())
    services.travel_grant_approve(grant=grant, actor=anders)
    labels = EVENT_MODELS["finance.TravelGrant"].objects.filter(pgh_obj_id=grant.pk)
    assert labels.count() == 2  # inserted, then its version moved by the first approval
    assert (
        EVENT_MODELS["finance.TravelGrantApproval"].objects.filter(grant_id=grant.pk).count() == 1
    )


def test_approving_through_the_api_needs_if_match(finance_approver, frida, budget, booked):
    grant = _grant(frida, booked())
    url = f"/api/v1/travel-grants/{grant.pk}/approve/"
    assert finance_approver.post(url, {}, content_type="application/json").status_code == 428
    stale = finance_approver.post(url, {}, content_type="application/json", HTTP_IF_MATCH='"9"')
    assert stale.status_code == 412
    done = finance_approver.post(url, {}, content_type="application/json", HTTP_IF_MATCH='"1"')
    assert done.status_code == 200
    assert done["ETag"] == '"2"'


def test_the_grant_list_reads_a_fixed_number_of_queries(finance_officer, frida, budget, booked):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _grant(frida, booked(3, 8), "100.00")

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert finance_officer.get("/finance/travel-support/grants/").status_code == 200
        return len(queries)

    count()
    one = count()
    for hour in (10, 12, 14):
        _grant(frida, booked(3, hour), "100.00")
    # The page of grants (with budget and agreement), their visits and the visitors (two
    # queries through the visits selector): the same for one grant and four.
    assert count() == one


def test_a_paid_grant_needs_its_reference(frida, anders, bodil, budget, booked):
    grant = _grant(frida, booked())
    services.travel_grant_approve(grant=grant, actor=anders)
    services.travel_grant_approve(grant=grant, actor=bodil)
    with pytest.raises(ApplicationError, match="bank reference"):
        services.travel_grant_pay(
            grant=grant, paid_on=timezone.localdate(), payment_reference=" ", actor=frida
        )
    with pytest.raises(ApplicationError, match="future"):
        services.travel_grant_pay(
            grant=grant,
            paid_on=timezone.localdate() + timedelta(days=1),
            payment_reference="B-2",
            actor=frida,
        )

"""Notifications of the whole programme: any role's own list, the API twin, the link rule."""

import pytest
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.urls import reverse

from program.core.errors import ApplicationError
from program.notifications import services
from program.notifications.models import Notification

pytestmark = pytest.mark.django_db


def _tell(user, text: str = "Tranche #7 is overdue", key: str = "") -> Notification:
    return services.notify(
        recipient=user,
        kind=Notification.Kind.TRANCHE_OVERDUE,
        text=text,
        subject_type="tranche",
        subject_id=7,
        link="/finance/tranches/7/",
        dedupe_key=key,
    )


def test_finance_staff_see_their_own_notifications_and_the_header_count(
    finance_officer, make_user
) -> None:
    fiona = User.objects.get(username="frida")
    _tell(fiona, "For Fiona")
    _tell(make_user("other", "finance_officer"), "For the other officer")
    page = finance_officer.get(reverse("notifications:list")).content.decode()
    assert "For Fiona" in page
    assert "For the other officer" not in page
    assert 'href="/finance/tranches/7/"' in page
    assert 'data-testid="unread-notifications"' in page


def test_the_same_fact_twice_is_one_notification(make_user) -> None:
    fiona = make_user("fiona", "finance_officer")
    assert _tell(fiona, key="overdue:2027-01-31").pk == _tell(fiona, key="overdue:2027-01-31").pk
    assert Notification.objects.count() == 1


def test_the_database_refuses_a_second_row_for_one_fact(make_user) -> None:
    fiona = make_user("fiona", "finance_officer")
    row = _tell(fiona, key="k")
    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(
            recipient=fiona,
            kind=row.kind,
            text="again",
            subject_type="tranche",
            subject_id="7",
            dedupe_key="k",
        )


@pytest.mark.parametrize("link", ["https://elsewhere.example/", "//elsewhere.example/x"])
def test_a_link_off_the_site_is_refused_by_the_service_and_the_database(make_user, link) -> None:
    fiona = make_user("fiona", "finance_officer")
    with pytest.raises(ApplicationError) as refused:
        services.notify(
            recipient=fiona, kind="tranche_due", text="x", subject_type="t", subject_id=1, link=link
        )
    assert refused.value.details == {"link": [link]}
    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(
            recipient=fiona,
            kind="tranche_due",
            text="x",
            subject_type="t",
            subject_id="1",
            link=link,
        )


def test_the_api_lists_my_notifications_and_marks_one_read(finance_officer, make_user) -> None:
    fiona = User.objects.get(username="frida")
    mine = _tell(fiona, "Mine")
    theirs = _tell(make_user("other", "finance_approver"), "Theirs")
    listed = finance_officer.get(reverse("api:notification-list")).json()
    assert [row["text"] for row in listed["results"]] == ["Mine"]
    response = finance_officer.post(reverse("api:notification-read", args=[mine.pk]))
    assert response.status_code == 200
    assert response.json()["read_at"] is not None
    refused = finance_officer.post(reverse("api:notification-read", args=[theirs.pk]))
    assert refused.status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


@pytest.mark.parametrize("rows", [1, 12])
def test_the_list_page_and_its_api_twin_cost_the_same_for_one_or_many(
    finance_officer, django_assert_num_queries, rows
) -> None:
    fiona = User.objects.get(username="frida")
    for n in range(rows):
        _tell(fiona, f"Tranche #{n} is overdue", key=f"overdue:{n}")
    # session, user (with its roles and the header's unread count), the page of notifications,
    # its count (the paginator)
    with django_assert_num_queries(4):
        assert finance_officer.get(reverse("notifications:list")).status_code == 200
    # session, user (with its roles), the count and the page of rows
    with django_assert_num_queries(4):
        assert finance_officer.get(reverse("api:notification-list")).status_code == 200

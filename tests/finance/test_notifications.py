"""The daily job tells finance staff about tranches that fell due or became overdue, once."""

from datetime import date

import pytest
from django.db import IntegrityError, transaction

from finance import services
from finance.models import Tranche
from program.core.roles import Role
from program.notifications.models import Notification
from tests.finance.helpers import scheduled, user

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff() -> list:
    # frida (the schedule's preparer) is an officer; anders approves; olga is not finance.
    return [
        user("frida"),
        user("anders", Role.FINANCE_APPROVER),
        user("olga", Role.OCCUPANCY_ADMIN),
    ]


def test_an_overdue_tranche_notifies_each_finance_officer_and_approver_once(staff) -> None:
    terms = scheduled()
    services.tranches_advance(today=date(2026, 11, 27))
    overdue = Tranche.objects.filter(agreement=terms.agreement, status="overdue")
    assert overdue.count() == 7
    rows = Notification.objects.filter(kind=Notification.Kind.TRANCHE_OVERDUE)
    assert rows.count() == 7 * 2
    assert set(rows.values_list("recipient__username", flat=True)) == {"frida", "anders"}
    rent = overdue.get(stream="rent", due_on=date(2026, 4, 1))
    told = rows.get(recipient__username="frida", subject_id=str(rent.pk))
    assert told.subject_type == "tranche"
    assert told.link == rent.get_absolute_url()
    # Quarterly rent of EUR 15 m a year; due 1 April, 30 days' grace: overdue from 2 May.
    assert told.text == (
        "Tranche 2026-Q2 rent (EUR 3,750,000.00) is overdue since 2026-05-02: due on "
        "2026-04-01 and not invoiced within 30 days."
    )

    services.tranches_advance(today=date(2026, 11, 27))
    assert Notification.objects.count() == 7 * 2


def test_a_tranche_that_falls_due_says_so(staff) -> None:
    terms = scheduled()
    services.tranches_advance(today=date(2026, 4, 1))
    rent = Tranche.objects.get(agreement=terms.agreement, stream="rent", due_on=date(2026, 4, 1))
    told = Notification.objects.get(recipient__username="anders", subject_id=str(rent.pk))
    assert told.kind == Notification.Kind.TRANCHE_DUE
    assert told.text == "Tranche 2026-Q2 rent (EUR 3,750,000.00) fell due on 2026-04-01."


def test_the_unique_key_refuses_a_second_notification_of_one_move(staff) -> None:
    scheduled()
    services.tranches_advance(today=date(2026, 4, 1))
    first = Notification.objects.filter(recipient__username="frida").first()
    assert first is not None
    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(
            recipient=first.recipient,
            kind=first.kind,
            text="again",
            subject_type=first.subject_type,
            subject_id=first.subject_id,
            dedupe_key=first.dedupe_key,
        )


@pytest.mark.parametrize(
    ("start", "end", "label"),
    [
        (date(2027, 1, 1), date(2027, 4, 1), "2027-Q1 rent"),
        (date(2027, 10, 1), date(2028, 1, 1), "2027-Q4 rent"),
        (date(2027, 1, 1), date(2028, 1, 1), "2027 rent"),
        (date(2027, 3, 1), date(2027, 4, 1), "2027-03 rent"),
        (date(2027, 2, 1), date(2027, 5, 1), "2027-02-01–2027-04-30 rent"),
    ],
)
def test_a_tranche_is_named_by_its_period(start, end, label) -> None:
    tranche = Tranche(stream="rent", period_start=start, period_end=end)
    assert services.tranche_label(tranche) == label

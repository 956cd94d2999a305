"""Notifications and their e-mails are written in the recipient's language, whoever or whatever
(a daily job, another user's request) caused them."""

from datetime import date

import pytest
from django.core import mail
from django.utils import translation

from finance import services
from finance.models import Tranche
from program.core.models import UserPreferences
from program.core.roles import Role
from program.notifications.models import Notification
from program.notifications.services import notification_deliver
from tests.finance.helpers import scheduled, user

pytestmark = pytest.mark.django_db


@pytest.fixture
def frida_reads_danish():
    frida = user("frida")
    UserPreferences.objects.create(user=frida, language="da")
    user("anders", Role.FINANCE_APPROVER)  # never chose: the default (English in the tests)
    return frida


def test_each_finance_user_is_told_of_a_due_tranche_in_their_own_language(
    frida_reads_danish,
) -> None:
    terms = scheduled()
    with translation.override("en"):  # the job's own language does not matter
        services.tranches_advance(today=date(2026, 4, 1))
    rent = Tranche.objects.get(agreement=terms.agreement, stream="rent", due_on=date(2026, 4, 1))
    told = dict(
        Notification.objects.filter(subject_id=str(rent.pk)).values_list(
            "recipient__username", "text"
        )
    )
    assert "EUR 3.750.000,00" in told["frida"]
    assert "01.04.2026" in told["frida"]
    assert told["anders"] == "Tranche 2026-Q2 rent (EUR 3,750,000.00) fell due on 2026-04-01."


def test_the_e_mail_is_sent_in_the_recipients_language(frida_reads_danish, settings) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    frida_reads_danish.email = "frida@example.org"
    frida_reads_danish.save()
    scheduled()
    services.tranches_advance(today=date(2026, 4, 1))
    notification = Notification.objects.filter(recipient=frida_reads_danish)[0]
    with translation.override("en"):  # the worker's language does not matter either
        assert notification_deliver(notification_id=notification.pk) == "sent"
    message = mail.outbox[-1]
    assert message.to == ["frida@example.org"]
    assert "01.04.2026" in message.subject
    assert ".000,00) forfaldt den 01.04.2026" in message.body  # Danish words and formats


def test_a_caseworkers_deadline_reminder_is_written_in_their_language(make_user) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from tests.transfers.factories import case_in
    from transfers import services as transfer_services
    from transfers.models import TransferCase

    carla = make_user("carla", Role.CASEWORKER)
    UserPreferences.objects.create(user=carla, language="da")
    deadline = timezone.localdate() + timedelta(days=3)
    case_in(
        TransferCase.State.NOTIFIED,
        caseworker=carla,
        notified_on=timezone.localdate() - timedelta(days=57),
        appeal_deadline=deadline,
    )
    with translation.override("en"):
        assert transfer_services.reminders_run() == 1
    told = Notification.objects.get(recipient=carla)
    assert deadline.strftime("%d.%m.%Y") in told.text

"""Approvers are told when a tranche waits for them, find it in their queue, and are not offered
Approve once they have approved (or when they prepared it)."""

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from finance import services
from finance.selectors import tranches_awaiting_approval_by
from finance.views import _axis_money
from program.core.charts import nice_scale
from program.core.roles import Role
from program.notifications.models import Notification
from tests.finance.helpers import invoiced, user

pytestmark = pytest.mark.django_db


def _client(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


def test_putting_a_tranche_forward_tells_every_approver_but_not_its_preparer(tranche) -> None:
    anders = user("anders", Role.FINANCE_APPROVER)
    user("birgit", Role.FINANCE_APPROVER)
    frida = user("frida")
    frida.groups.add(*anders.groups.all())  # an officer who also approves prepares it
    invoiced(tranche, officer=frida)
    told = Notification.objects.filter(kind=Notification.Kind.WAITING, subject_id=str(tranche.pk))
    assert set(told.values_list("recipient__username", flat=True)) == {"anders", "birgit"}
    first = told.first()
    assert first is not None
    assert "waits for approval (level 1 of 2)" in first.text
    assert first.link == reverse("finance:tranche-detail", args=[tranche.pk])


def test_after_the_first_approval_only_the_other_approvers_are_told_of_level_two(tranche) -> None:
    anders = user("anders", Role.FINANCE_APPROVER)
    user("birgit", Role.FINANCE_APPROVER)
    tranche = invoiced(tranche)
    Notification.objects.all().delete()
    services.tranche_approve(tranche=tranche, actor=anders)
    told = Notification.objects.filter(kind=Notification.Kind.WAITING)
    assert list(told.values_list("recipient__username", flat=True)) == ["birgit"]
    assert "level 2 of 2" in told.get().text


def test_the_queue_holds_what_this_approver_may_approve_now(tranche) -> None:
    anders = user("anders", Role.FINANCE_APPROVER)
    birgit = user("birgit", Role.FINANCE_APPROVER)
    frida = user("frida")
    assert not tranches_awaiting_approval_by(anders).exists()
    tranche = invoiced(tranche)
    assert list(tranches_awaiting_approval_by(anders)) == [tranche]
    assert not tranches_awaiting_approval_by(frida).exists()  # its preparer
    services.tranche_approve(tranche=tranche, actor=anders)
    assert not tranches_awaiting_approval_by(anders).exists()
    assert list(tranches_awaiting_approval_by(birgit)) == [tranche]


def test_an_approver_who_approved_sees_why_and_no_approve_button(tranche) -> None:
    anders = user("anders", Role.FINANCE_APPROVER)
    user("birgit", Role.FINANCE_APPROVER)
    tranche = services.tranche_approve(tranche=invoiced(tranche), actor=anders)
    response = _client(anders).get(reverse("finance:tranche-detail", args=[tranche.pk]))
    assert {shown.action.key for shown in response.context["actions"]} == {"dispute", "withhold"}
    assert "You approved this tranche at level 1" in response.content.decode()


def test_the_home_page_lists_the_tranche_and_the_navigation_counts_it(tranche) -> None:
    anders = user("anders", Role.FINANCE_APPROVER)
    invoiced(tranche)
    body = _client(anders).get("/").content.decode()
    queue = body[body.index('data-testid="queue-tranches_awaiting_my_approval"') :]
    assert reverse("finance:tranche-detail", args=[tranche.pk]) in queue
    assert '<span class="app-count" data-testid="nav-count">1' in body
    listed = _client(anders).get(reverse("finance:schedule") + "?waiting=mine")
    assert list(listed.context["tranches"]) == [tranche]


def test_the_invoice_action_says_it_puts_the_tranche_forward_for_approval(
    finance_officer, tranche
) -> None:
    services.tranches_advance(today=tranche.due_on)
    body = finance_officer.get(reverse("finance:tranche-detail", args=[tranche.pk])).content
    assert b"Put forward for approval" in body


def test_the_value_axis_has_round_steps_and_short_amounts() -> None:
    assert nice_scale(Decimal("15000000")) == (Decimal("5000000"), Decimal("15000000"))
    assert nice_scale(Decimal("21000000")) == (Decimal("10000000"), Decimal("30000000"))
    assert nice_scale(Decimal("170.5")) == (Decimal("50"), Decimal("200"))
    assert nice_scale(Decimal(0)) == (Decimal(1), Decimal(4))
    assert _axis_money(Decimal("15000000")) == "EUR 15 m"
    assert _axis_money(Decimal("2500000")) == "EUR 2.5 m"
    assert _axis_money(Decimal("250000")) == "EUR 250 k"
    assert _axis_money(Decimal("0")) == "EUR 0"


def test_the_dashboard_chart_draws_its_scale(finance_officer, tranche) -> None:
    body = finance_officer.get(reverse("finance:dashboard")).content.decode()
    axis = body[body.index('data-testid="chart-axis"') :]
    assert ">EUR 0</text>" in axis
    assert " m</text>" in axis

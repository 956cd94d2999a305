"""The caseworker's pages as a new user meets them: the person and the case link each other,
buttons say what they do, the rules that did not pass stand out, and words replace codes."""

import pytest
from django.urls import reverse
from django.utils import timezone

from program.notifications.models import Notification
from tests.transfers.factories import case_in
from tests.transfers.helpers import advance
from transfers import services
from transfers.models import Screening, TransferCase
from transfers.moves import MOVES, action_label

pytestmark = pytest.mark.django_db
S = TransferCase.State


def test_every_move_has_a_button_label_that_is_not_a_state_name() -> None:
    states = {str(label) for label in S.labels}
    for frm, to in MOVES:
        label = action_label(frm, to)
        assert label
        assert label not in states, (frm, to, label)


def test_the_case_page_buttons_say_what_they_do_and_where_the_case_lands(caseworker, carla) -> None:
    case = case_in(S.IDENTIFIED, caseworker=carla)
    body = caseworker.get(reverse("transfers:case-detail", args=[case.pk])).content.decode()
    assert ">Start screening</button>" in body
    assert ">Withdraw the case</button>" in body
    assert "The case becomes: Screening." in body


def test_the_inmate_page_offers_to_open_a_case_and_then_links_to_it(
    caseworker, eligible_inmate
) -> None:
    url = reverse("inmates:detail", args=[eligible_inmate.pk])
    caseworker.post(
        reverse("audit:purpose"),
        {
            "subject_type": "inmate",
            "subject_id": eligible_inmate.pk,
            "next": url,
            "purpose": "case work",
        },
    )
    body = caseworker.get(url).content.decode()
    assert 'data-testid="transfer-case-open"' in body
    response = caseworker.post(
        reverse("transfers:case-open"), {"case_number": eligible_inmate.case_number}
    )
    case = TransferCase.objects.get(inmate=eligible_inmate)
    assert response.status_code == 302
    body = caseworker.get(url).content.decode()
    assert reverse("transfers:case-detail", args=[case.pk]) in body
    assert 'data-testid="transfer-case-open"' not in body  # one open case at a time
    case_page = caseworker.get(reverse("transfers:case-detail", args=[case.pk])).content.decode()
    assert f'href="{url}" data-testid="inmate-link"' in case_page


def test_the_occupancy_administrator_sees_the_case_link_but_no_open_button(
    occupancy_admin, carla
) -> None:
    case = case_in(S.SERVING, caseworker=carla)
    url = reverse("inmates:detail", args=[case.inmate_id])
    occupancy_admin.post(
        reverse("audit:purpose"),
        {
            "subject_type": "inmate",
            "subject_id": case.inmate_id,
            "next": url,
            "purpose": "occupancy",
        },
    )
    body = occupancy_admin.get(url).content.decode()
    assert 'data-testid="transfer-case-link"' in body
    assert 'data-testid="transfer-case-open"' not in body


def test_a_case_number_in_small_letters_opens_the_case(caseworker, eligible_inmate) -> None:
    typed = f"  {eligible_inmate.case_number.lower()} "
    response = caseworker.post(reverse("transfers:case-open"), {"case_number": typed})
    assert response.status_code == 302
    assert TransferCase.objects.filter(inmate=eligible_inmate).exists()


def test_the_caseworker_is_named_once_by_name(caseworker, carla) -> None:
    case = case_in(S.IDENTIFIED, caseworker=carla)
    body = caseworker.get(reverse("transfers:case-detail", args=[case.pk])).content.decode()
    assert "Caseworker: Carla" in body
    assert "caseworker carla" not in body


def test_rules_that_did_not_pass_stand_out_in_words(caseworker, carla) -> None:
    case = case_in(S.NEEDS_REVIEW, caseworker=carla)
    Screening.objects.create(
        inmate=case.inmate,
        case=case,
        outcome=Screening.Outcome.NEEDS_REVIEW,
        rule_set_version="2025.1+p0",
        screened_on=timezone.localdate(),
        fingerprint="test",
        inputs={},
        results=[
            {"id": "E1", "outcome": "pass", "reason": "Not a Danish citizen."},
            {"id": "E14", "outcome": "needs_review", "reason": "Medical needs to check."},
            {"id": "E12", "outcome": "fail", "reason": "Too few days left."},
        ],
    )
    body = caseworker.get(reverse("transfers:case-detail", args=[case.pk])).content.decode()
    assert "2 rules did not pass:" in body
    assert 'class="app-rule-fail" data-outcome="fail"' in body
    assert 'class="app-rule-needs_review" data-outcome="needs_review"' in body
    assert "✗</span> Fail</strong>" in body


def test_after_review_the_eligibility_panel_tells_the_current_truth(caseworker, carla) -> None:
    case = case_in(S.ELIGIBLE, caseworker=carla)
    Screening.objects.create(
        inmate=case.inmate,
        case=case,
        outcome=Screening.Outcome.NEEDS_REVIEW,
        rule_set_version="2025.1+p0",
        screened_on=timezone.localdate(),
        fingerprint="test",
        inputs={},
        results=[],
    )
    body = caseworker.get(reverse("transfers:case-detail", args=[case.pk])).content.decode()
    assert "after review the case is now: Eligible." in body


def test_the_rules_page_shows_parameter_values_in_words(caseworker) -> None:
    body = caseworker.get(reverse("transfers:rules")).content.decode()
    table = body[body.index('data-testid="parameter-table"') :]
    assert "<td>the expected release date</td>" in table
    assert "<td>men</td>" in table
    assert "<td>Medium</td>" in table
    assert "<td>full_term</td>" not in table
    assert "<td>True</td>" not in table


def test_a_colleagues_move_tells_the_caseworker_and_a_booking_tells_occupancy(
    carla, karl, otto, eligible_inmate
) -> None:
    case = services.case_open(inmate=eligible_inmate, actor=carla)
    services.case_transition(case=case, to=S.SCREENING, actor=karl)
    told = Notification.objects.get(recipient=carla, kind=Notification.Kind.WAITING)
    assert told.text == f"Case #{case.pk} is now Screening and waits for you."
    assert told.link == reverse("transfers:case-detail", args=[case.pk])
    # Her own moves tell her nothing.
    services.case_transition(case=case, to=S.WITHDRAWN, actor=carla, reason_code="duplicate")
    assert Notification.objects.filter(recipient=carla).count() == 1


def test_booking_a_transport_tells_the_occupancy_administrators(
    carla, otto, eligible_inmate, place
) -> None:
    case = services.case_open(inmate=eligible_inmate, actor=carla)
    advance(case, S.SCHEDULED, carla=carla, otto=otto)
    told = Notification.objects.filter(recipient=otto, kind=Notification.Kind.WAITING)
    assert told.count() == 1
    assert f"Case #{case.pk} is Scheduled: arrival expected on" in told.get().text

"""A finding made a release condition of a tranche: the real approval service refuses the tranche,
naming the finding and its actions not yet done, until every action is done and a second person
has signed the condition off; finance staff see the finding's title and status, never its text
or person."""

import pytest
from django.urls import reverse

from finance import services
from finance.models import Tranche, TrancheCondition
from finance.services_findings import condition_link_finding
from program.core.errors import ApplicationError, ConflictError
from program.core.roles import Role
from program.inspections import services as inspection_services
from program.inspections.models import Finding
from tests.factories import AgreementFactory, FacilityFactory
from tests.finance.helpers import first_rent, invoiced, scheduled, user
from tests.inmates.factories import InmateFactory
from tests.inspections.helpers import action, done, finding, inspection, person

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup() -> tuple[Tranche, Finding]:
    terms = scheduled()
    tranche = invoiced(first_rent(terms))
    visit = inspection(facility=FacilityFactory(agreement=terms.agreement))
    found = finding(visit, title="Too little time out of cell")
    action(found, title="Daily activity plan")
    return tranche, found


def _approve(tranche: Tranche) -> Tranche:
    return services.tranche_approve(tranche=tranche.pk, actor=user("anders", Role.FINANCE_APPROVER))


def test_the_condition_blocks_approval_until_the_findings_actions_are_done(setup) -> None:
    tranche, found = setup
    condition = condition_link_finding(tranche=tranche, finding=found, actor=user("frida"))
    assert (condition.kind, condition.finding_id) == ("inspection_closed", found.pk)

    with pytest.raises(ConflictError) as refused:
        _approve(tranche)
    message = refused.value.message
    assert "Too little time out of cell" in message
    assert "Daily activity plan" in message
    assert "The facility's director" in message

    # The sign-off is refused too while an action is not done.
    with pytest.raises(ConflictError, match="every action promised on it is done"):
        services.condition_sign_off(
            condition=condition, actor=user("birgit", Role.FINANCE_APPROVER)
        )
    # Evidence is not typed in for it: the finding's actions are its evidence.
    with pytest.raises(ConflictError, match="its evidence is the finding's actions"):
        services.condition_record_evidence(condition=condition, reference="x", actor=user("frida"))

    done(found.actions.get())
    # Done, but the two-person rule holds: still not approved before the sign-off.
    with pytest.raises(ConflictError, match="waits for a second person's sign-off"):
        _approve(tranche)
    # Not by the officer who added it.
    with pytest.raises(ApplicationError, match="second person"):
        services.condition_sign_off(condition=condition, actor=user("frida"))
    met = services.condition_sign_off(
        condition=condition, actor=user("anders", Role.FINANCE_APPROVER)
    )
    assert met.is_met
    assert met.met_by is not None
    assert met.met_by.username == "gunnar"  # who recorded the action done
    assert str(found.pk) in met.evidence_reference
    approved = _approve(tranche)
    assert approved.approvals.count() == 1


def test_a_finding_with_no_action_does_not_let_the_tranche_through(setup) -> None:
    tranche, _found = setup
    bare = finding(_found.inspection, title="Visiting room")
    condition_link_finding(tranche=tranche, finding=bare, actor=user("frida"))
    with pytest.raises(ConflictError, match="no action has been promised"):
        _approve(tranche)


def test_an_action_not_accepted_keeps_the_condition_unmet(setup) -> None:
    tranche, found = setup
    condition = condition_link_finding(tranche=tranche, finding=found, actor=user("frida"))
    inspection_services.action_update(
        action=found.actions.get(),
        status="not_accepted",
        reason="The host refuses",
        actor=person("gunnar"),
    )
    with pytest.raises(ConflictError, match="not accepted"):
        services.condition_sign_off(
            condition=condition, actor=user("anders", Role.FINANCE_APPROVER)
        )


def test_a_finding_of_another_agreements_facility_is_refused(setup) -> None:
    tranche, _found = setup
    elsewhere = finding(
        inspection(facility=FacilityFactory(agreement=AgreementFactory())), title="Elsewhere"
    )
    with pytest.raises(ApplicationError, match="not a facility of this tranche's agreement"):
        condition_link_finding(tranche=tranche, finding=elsewhere, actor=user("frida"))


def test_the_page_links_the_finding_and_finance_sees_its_title_and_status_only(
    finance_officer, finance_approver, setup
) -> None:
    tranche, found = setup
    someone = InmateFactory(name="Zq Person Name")
    about_person = inspection_services.finding_record(
        inspection=found.inspection,
        title="No interpreter at a hearing",
        text="Secret text of the finding",
        severity="high",
        concerns="person",
        person=someone,
        actor=person("gunnar"),
    )
    action(about_person, title="Hear it again")
    response = finance_officer.post(
        reverse("finance:condition-finding", args=[tranche.pk]),
        {"finding-finding": about_person.pk, "finding-description": ""},
    )
    assert response.status_code == 302
    assert TrancheCondition.objects.get(tranche=tranche).finding == about_person
    page = finance_approver.get(reverse("finance:tranche-detail", args=[tranche.pk]))
    text = page.content.decode()
    assert "No interpreter at a hearing" in text
    assert "Hear it again" in text
    assert "Secret text of the finding" not in text
    assert "Zq Person Name" not in text
    assert someone.case_number not in text
    # The approver tries and is refused with the finding named.
    refused = finance_approver.post(
        reverse("finance:tranche-approve", args=[tranche.pk]),
        {"approve-expected_version": tranche.version, "approve-comment": ""},
    )
    assert refused.status_code == 409
    assert "No interpreter at a hearing" in refused.content.decode()


def test_the_api_links_a_finding_and_shows_it_on_the_condition(finance_officer, setup) -> None:
    tranche, found = setup
    response = finance_officer.post(
        "/api/v1/tranche-conditions/finding/",
        {"tranche": tranche.pk, "finding": found.pk},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["finding"]["title"] == "Too little time out of cell"
    assert body["finding"]["status"] == "open"
    assert [a["title"] for a in body["finding"]["actions_not_done"]] == ["Daily activity plan"]
    assert "text" not in body["finding"]
    listed = finance_officer.get(f"/api/v1/tranche-conditions/?tranche={tranche.pk}").json()
    assert listed["results"][0]["finding"]["id"] == found.pk
    missing = finance_officer.post(
        "/api/v1/tranche-conditions/finding/",
        {"tranche": tranche.pk, "finding": 999999},
        content_type="application/json",
    )
    assert missing.status_code == 404


def test_only_finance_officers_link_a_finding(finance_approver, governor, setup) -> None:
    tranche, found = setup
    for client in (finance_approver, governor):
        response = client.post(
            "/api/v1/tranche-conditions/finding/",
            {"tranche": tranche.pk, "finding": found.pk},
            content_type="application/json",
        )
        assert response.status_code == 403


def test_the_planned_tranche_does_not_fall_due_while_the_finding_is_open() -> None:
    terms = scheduled()
    tranche = first_rent(terms)
    visit = inspection(facility=FacilityFactory(agreement=terms.agreement))
    found = finding(visit)
    action(found)
    condition_link_finding(tranche=tranche, finding=found, actor=user("frida"))
    services.tranches_advance(today=tranche.due_on)
    tranche.refresh_from_db()
    assert tranche.status == "planned"

"""Release conditions: added, changed and removed by officers until the tranche is approved, met
only with evidence and the sign-off of a second user of the system, on the pages and the API."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from finance import services
from finance.models import Tranche, TrancheCondition, TrancheEvent
from program.audit.history import EVENT_MODELS
from program.core.errors import ApplicationError, ConflictError
from program.core.roles import Role
from tests.finance.helpers import PDF, first_rent, invoiced, scheduled, user

pytestmark = pytest.mark.django_db


@pytest.fixture
def tranche(finance_officer) -> Tranche:
    return first_rent(scheduled())


def _detail(tranche: Tranche) -> str:
    return reverse("finance:tranche-detail", args=[tranche.pk])


def test_an_officer_adds_changes_and_removes_a_condition_on_the_page(
    finance_officer, tranche
) -> None:
    response = finance_officer.post(
        reverse("finance:condition-add", args=[tranche.pk]),
        {"add-kind": "facility_ready", "add-description": "Block C handed over"},
    )
    assert response.status_code == 302
    condition = TrancheCondition.objects.get(tranche=tranche)
    assert (condition.kind, condition.description) == ("facility_ready", "Block C handed over")
    assert condition.added_by is not None
    assert condition.added_by.username == "frida"
    prefix = f"edit{condition.pk}"
    response = finance_officer.post(
        reverse("finance:condition-edit", args=[condition.pk]),
        {f"{prefix}-kind": "inspection_closed", f"{prefix}-description": "CPT visit 2026"},
    )
    assert response.status_code == 302
    condition.refresh_from_db()
    assert condition.kind == "inspection_closed"
    page = finance_officer.get(_detail(tranche)).content.decode()
    assert "CPT visit 2026" in page
    response = finance_officer.post(reverse("finance:condition-remove", args=[condition.pk]))
    assert response.status_code == 302
    assert not TrancheCondition.objects.filter(tranche=tranche).exists()
    texts = list(TrancheEvent.objects.filter(tranche=tranche).values_list("text", flat=True))
    assert any("Condition removed" in text for text in texts)
    # Every write is in the history: insert, update and delete of the condition.
    labels = set(
        EVENT_MODELS["finance.TrancheCondition"]
        .objects.filter(pgh_obj_id=condition.pk)
        .values_list("pgh_label", flat=True)
    )
    assert labels == {"insert", "update", "delete"}


def test_a_second_kind_the_tranche_has_already_is_refused_by_name(tranche) -> None:
    services.condition_add(tranche=tranche, kind="facility_ready", actor=user("frida"))
    with pytest.raises(ConflictError, match="already has the condition “Facility ready”"):
        services.condition_add(tranche=tranche, kind="facility_ready", actor=user("frida"))


def test_conditions_change_until_the_tranche_is_approved_and_not_after(tranche) -> None:
    condition = services.condition_add(tranche=tranche, kind="facility_ready", actor=user("frida"))
    services.condition_record_evidence(condition=condition, reference="KSHK-1", actor=user("frida"))
    services.condition_sign_off(condition=condition, actor=user("anders", Role.FINANCE_APPROVER))
    # An invoiced tranche may still get a condition; it then blocks the approval.
    tranche = invoiced(tranche)
    added = services.condition_add(tranche=tranche, kind="inspection_closed", actor=user("frida"))
    with pytest.raises(ConflictError, match="before its conditions are met: Inspection"):
        services.tranche_approve(tranche=tranche, actor=user("anders", Role.FINANCE_APPROVER))
    services.condition_remove(condition=added, actor=user("frida"))
    services.tranche_approve(tranche=tranche, actor=user("anders", Role.FINANCE_APPROVER))
    tranche = services.tranche_approve(tranche=tranche, actor=user("birgit", Role.FINANCE_APPROVER))
    assert tranche.status == "approved"
    with pytest.raises(ConflictError, match="only a tranche that is"):
        services.condition_add(tranche=tranche, kind="inspection_closed", actor=user("frida"))
    with pytest.raises(ConflictError):
        services.condition_edit(
            condition=condition, kind="inspection_closed", description="", actor=user("frida")
        )


def test_a_met_condition_can_no_longer_be_changed_or_removed(tranche) -> None:
    condition = services.condition_add(tranche=tranche, kind="facility_ready", actor=user("frida"))
    services.condition_record_evidence(condition=condition, reference="KSHK-1", actor=user("frida"))
    services.condition_sign_off(condition=condition, actor=user("anders", Role.FINANCE_APPROVER))
    with pytest.raises(ConflictError, match="already met"):
        services.condition_remove(condition=condition, actor=user("frida"))
    with pytest.raises(ConflictError, match="already met"):
        services.condition_edit(
            condition=condition, kind="facility_ready", description="x", actor=user("frida")
        )


def test_the_sign_off_is_a_second_user_not_the_one_who_added_or_recorded(tranche) -> None:
    condition = services.condition_add(tranche=tranche, kind="facility_ready", actor=user("frida"))
    services.condition_record_evidence(condition=condition, reference="KSHK-7", actor=user("fiona"))
    for who in ("frida", "fiona"):
        with pytest.raises(ApplicationError, match="a second person must sign it off"):
            services.condition_sign_off(condition=condition, actor=user(who))
    # An auditor or a user without a finance role cannot sign either.
    with pytest.raises(ApplicationError, match="Only a finance officer or a finance approver"):
        services.condition_sign_off(condition=condition, actor=user("aud2", Role.AUDITOR))
    signed = services.condition_sign_off(condition=condition, actor=user("fred"))
    assert signed.is_met
    assert signed.signed_off_by is not None
    assert signed.met_by is not None
    assert signed.signed_off_by.username == "fred"
    assert signed.met_by.username == "fiona"


def test_changing_the_kind_clears_evidence_recorded_for_the_old_one(tranche) -> None:
    condition = services.condition_add(tranche=tranche, kind="facility_ready", actor=user("frida"))
    services.condition_record_evidence(condition=condition, reference="KSHK-1", actor=user("frida"))
    changed = services.condition_edit(
        condition=condition, kind="inspection_closed", description="", actor=user("frida")
    )
    assert not changed.has_evidence
    assert changed.evidence_reference == ""


def test_the_api_adds_records_signs_off_and_removes(
    finance_officer, finance_approver, auditor, tranche, settings, tmp_path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    url = reverse("api:tranche-condition-list")
    response = finance_officer.post(
        url, {"tranche": tranche.pk, "kind": "facility_ready"}, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    # Only officers write; an auditor reads.
    assert (
        auditor.post(url, {"tranche": tranche.pk, "kind": "inspection_closed"}).status_code == 403
    )
    assert auditor.get(url, {"tranche": tranche.pk}).json()["results"][0]["id"] == pk
    response = finance_officer.post(
        reverse("api:tranche-condition-evidence", args=[pk]),
        {"evidence": SimpleUploadedFile("e.pdf", PDF, "application/pdf"), "note": "Handed over"},
    )
    assert response.status_code == 200, response.content
    assert response.json()["has_evidence_file"] is True
    assert response.json()["is_met"] is False
    # The officer who recorded it cannot sign it off; the approver can.
    response = finance_officer.post(reverse("api:tranche-condition-sign-off", args=[pk]))
    assert response.status_code == 400
    assert "second person" in response.json()["error"]["message"]
    response = finance_approver.post(reverse("api:tranche-condition-sign-off", args=[pk]))
    assert response.status_code == 200
    body = response.json()
    assert body["is_met"] is True
    assert body["signed_off_by"] != body["evidence_recorded_by"]
    response = finance_officer.delete(reverse("api:tranche-condition-detail", args=[pk]))
    assert response.status_code == 409
    # A second condition, changed and removed.
    pk2 = finance_officer.post(
        url, {"tranche": tranche.pk, "kind": "inspection_closed"}, content_type="application/json"
    ).json()["id"]
    response = finance_officer.patch(
        reverse("api:tranche-condition-detail", args=[pk2]),
        {"kind": "occupancy_matched", "description": "Q2 roll"},
        content_type="application/json",
    )
    assert response.json()["kind"] == "occupancy_matched"
    response = finance_officer.delete(reverse("api:tranche-condition-detail", args=[pk2]))
    assert response.status_code == 204
    assert (
        finance_officer.post(
            url, {"tranche": 999999, "kind": "facility_ready"}, content_type="application/json"
        ).status_code
        == 404
    )

"""Pages and their API twins: role rules, the journey through the browser forms, query counts."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from tests.transfers.conftest import make_eligible_inmate
from tests.transfers.factories import TransferCaseFactory
from tests.transfers.helpers import PDF, S, advance
from transfers import services
from transfers.models import Document, EligibilityRuleParameter, TransferCase

pytestmark = pytest.mark.django_db

READERS = ["caseworker", "occupancy_admin", "auditor"]
NOT_READERS = ["finance_officer", "finance_approver", "stranger"]


@pytest.fixture
def case(carla, place) -> TransferCase:
    return services.case_open(inmate=make_eligible_inmate(), actor=carla)


def _pages(case: TransferCase) -> list[str]:
    return [
        reverse("transfers:worklist"),
        reverse("transfers:case-detail", args=[case.pk]),
        reverse("transfers:batch-list"),
        reverse("transfers:rules"),
        reverse("api:transfer-case-list"),
        reverse("api:transfer-case-detail", args=[case.pk]),
        reverse("api:transfer-case-events", args=[case.pk]),
        reverse("api:transfer-case-documents", args=[case.pk]),
        reverse("api:eligibility-rules"),
        reverse("api:transport-batch-list"),
    ]


@pytest.mark.parametrize("who", READERS)
def test_readers_see_every_transfer_page_and_endpoint(who, persona, case) -> None:
    client = persona(who)
    for url in _pages(case):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("who", NOT_READERS)
def test_finance_and_strangers_never_see_transfer_files(who, persona, case) -> None:
    client = persona(who)
    for url in _pages(case):
        assert client.get(url).status_code == 403, url


def test_the_auditor_cannot_open_or_move_a_case(auditor, case) -> None:
    assert auditor.post(reverse("transfers:case-open"), {"case_number": "x"}).status_code == 403
    url = reverse("api:transfer-case-transitions", args=[case.pk])
    assert auditor.post(url, {"to": "screening"}).status_code == 403


def test_only_the_administrator_edits_parameters(caseworker, occupancy_admin) -> None:
    url = reverse("transfers:rule-parameter-edit", args=["min_days_left"])
    assert caseworker.get(url).status_code == 403
    assert occupancy_admin.get(url).status_code == 200
    response = occupancy_admin.post(url, {"value": "200", "reason": "Policy change"})
    assert response.status_code == 302
    assert EligibilityRuleParameter.objects.get(name="min_days_left").value == 200
    bad = occupancy_admin.post(url, {"value": "-1", "reason": "x"})
    assert "from 0 to 10000" in bad.content.decode()


# --- The browser journey (forms, without JavaScript) -----------------------------------------


def test_a_caseworker_carries_a_case_from_identified_to_proposed_in_the_browser(
    caseworker, place
) -> None:
    inmate = make_eligible_inmate()
    response = caseworker.post(reverse("transfers:case-open"), {"case_number": inmate.case_number})
    case = TransferCase.objects.get(inmate=inmate)
    assert response["Location"] == reverse("transfers:case-detail", args=[case.pk])
    caseworker.post(reverse("transfers:case-screen", args=[case.pk]))
    for kind in ("judgment", "expulsion_order", "medical_fitness"):
        upload = SimpleUploadedFile(f"{kind}.pdf", PDF, content_type="application/pdf")
        caseworker.post(
            reverse("transfers:document-upload", args=[case.pk]), {"kind": kind, "file": upload}
        )
    case.refresh_from_db()
    page = caseworker.get(reverse("transfers:case-detail", args=[case.pk])).content.decode()
    assert 'data-testid="action-proposed"' in page
    caseworker.post(
        reverse("transfers:case-transition", args=[case.pk]),
        {"to": "proposed", "version": case.version},
    )
    case.refresh_from_db()
    assert case.state == S.PROPOSED
    assert Document.objects.filter(case=case).count() == 3


def test_a_refused_move_shows_what_is_missing(caseworker, case, carla) -> None:
    services.case_screen(case=case, actor=carla)
    case.refresh_from_db()
    response = caseworker.post(
        reverse("transfers:case-transition", args=[case.pk]),
        {"to": "proposed", "version": case.version},
        follow=True,
    )
    assert "Upload first: Judgment, Expulsion order, Medical fitness" in response.content.decode()


def test_the_case_page_offers_only_the_moves_of_my_role(
    caseworker, occupancy_admin, case, carla, otto
) -> None:
    advance(case, S.IN_TRANSIT, carla=carla, otto=otto)
    url = reverse("transfers:case-detail", args=[case.pk])
    mine = caseworker.get(url).content.decode()
    theirs = occupancy_admin.get(url).content.decode()
    assert 'data-testid="action-admitted"' not in mine
    assert 'data-testid="action-admitted"' in theirs
    assert 'data-testid="action-returned"' in theirs


def test_bulk_screening_from_the_worklist(caseworker, carla, place) -> None:
    cases = [services.case_open(inmate=make_eligible_inmate(), actor=carla) for _n in range(3)]
    caseworker.post(reverse("transfers:screen-selected"), {"case": [c.pk for c in cases]})
    assert set(TransferCase.objects.values_list("state", flat=True)) == {S.ELIGIBLE}


def test_the_worklist_filters_and_searches(caseworker, carla, karl) -> None:
    mine = TransferCaseFactory(caseworker=carla, state=S.NOTIFIED)
    TransferCase.objects.filter(pk=mine.pk).update(
        appeal_deadline=timezone.localdate() + timedelta(days=3)
    )
    TransferCaseFactory(caseworker=karl, state=S.ELIGIBLE)
    url = reverse("transfers:worklist")

    def count(**query: object) -> int:
        return caseworker.get(url, query).context["page"].paginator.count

    assert count() == 2
    assert count(scope="mine") == 1
    assert count(state="eligible") == 1
    assert count(due_within=5) == 1
    assert count(due_within=1) == 0
    assert count(q=mine.inmate.case_number) == 1
    assert count(nationality="RS") == 2
    assert count(nationality="MA") == 0


# --- API --------------------------------------------------------------------------------------


def test_a_case_is_opened_screened_and_moved_over_the_api(caseworker, place) -> None:
    inmate = make_eligible_inmate()
    created = caseworker.post(reverse("api:transfer-case-list"), {"inmate": inmate.pk})
    assert created.status_code == 201
    pk = created.json()["id"]
    screened = caseworker.post(reverse("api:transfer-case-screen", args=[pk]))
    assert screened.status_code == 201
    assert screened.json()["outcome"] == "eligible"
    refused = caseworker.post(
        reverse("api:transfer-case-transitions", args=[pk]), {"to": "proposed"}
    )
    assert refused.status_code == 409
    assert refused.json()["error"]["details"]["missing_documents"] == [
        "Judgment",
        "Expulsion order",
        "Medical fitness",
    ]
    docs = reverse("api:transfer-case-documents", args=[pk])
    for kind in ("judgment", "expulsion_order", "medical_fitness"):
        file = SimpleUploadedFile("x.pdf", PDF, content_type="application/pdf")
        assert caseworker.post(docs, {"kind": kind, "file": file}).status_code == 201
    moved = caseworker.post(reverse("api:transfer-case-transitions", args=[pk]), {"to": "proposed"})
    assert moved.status_code == 200
    assert moved.json()["state"] == "proposed"
    events = caseworker.get(reverse("api:transfer-case-events", args=[pk])).json()
    assert [e["kind"] for e in events][-1] == "transition"


def test_a_stale_version_over_the_api_is_a_409(caseworker, case) -> None:
    url = reverse("api:transfer-case-transitions", args=[case.pk])
    assert caseworker.post(url, {"to": "screening", "version": 1}).status_code == 200
    stale = caseworker.post(url, {"to": "withdrawn", "reason": "duplicate", "version": 1})
    assert stale.status_code == 409
    assert stale.json()["error"]["code"] == "conflict"


def test_a_move_the_role_does_not_own_is_a_403_over_the_api(occupancy_admin, case) -> None:
    url = reverse("api:transfer-case-transitions", args=[case.pk])
    response = occupancy_admin.post(url, {"to": "screening"})
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"


def test_the_rules_endpoint_lists_rules_and_parameters(auditor) -> None:
    body = auditor.get(reverse("api:eligibility-rules")).json()
    assert [r["id"] for r in body["rules"]][:3] == ["E1", "E2", "E3"]
    assert body["parameters"]["min_days_left"] == 180


def test_the_schema_documents_the_transfer_endpoints(caseworker) -> None:
    schema = caseworker.get(reverse("api:schema"), HTTP_ACCEPT="application/json").content.decode()
    assert "/api/v1/transfer-cases/{id}/transitions/" in schema
    assert "/api/v1/eligibility-rules/" in schema


# --- Query counts -------------------------------------------------------------------------------


def _make_cases(n: int, carla) -> None:
    for _i in range(n):
        TransferCaseFactory(caseworker=carla)


@pytest.mark.parametrize("rows", [1, 30])
def test_the_worklist_runs_a_fixed_number_of_queries(
    rows, caseworker, carla, django_assert_num_queries
) -> None:
    _make_cases(rows, carla)
    url = reverse("transfers:worklist")
    caseworker.get(url)  # warm the session and role cache
    # 1 session, 2 user, 3 user's groups (roles), 4 count for the paginator, 5 the page of
    # cases joined to inmate and caseworker, 6 their nationalities (prefetch), 7 the unread
    # notification count in the header.
    with django_assert_num_queries(7):
        assert caseworker.get(url).status_code == 200


@pytest.mark.parametrize("rows", [1, 30])
def test_the_case_list_endpoint_runs_a_fixed_number_of_queries(
    rows, caseworker, carla, django_assert_num_queries
) -> None:
    _make_cases(rows, carla)
    url = reverse("api:transfer-case-list")
    # 1 session, 2 user, 3 groups (roles), 4 count, 5 the page of cases with inmate and
    # caseworker, 6 their nationalities (prefetch).
    with django_assert_num_queries(6):
        assert caseworker.get(url).status_code == 200


@pytest.mark.parametrize("rows", [1, 10])
def test_the_transport_list_endpoint_runs_a_fixed_number_of_queries(
    rows, caseworker, carla, django_assert_num_queries
) -> None:
    for _i in range(rows):
        services.batch_create(
            departs_on=timezone.localdate(), direction="dk_xk", seats=3, actor=carla
        )
    # 1 session, 2 user, 3 groups, 4 count, 5 the batches, 6 their manifests (prefetch).
    with django_assert_num_queries(6):
        assert caseworker.get(reverse("api:transport-batch-list")).status_code == 200


@pytest.mark.parametrize("rows", [1, 10])
def test_the_transport_page_runs_a_fixed_number_of_queries(
    rows, caseworker, carla, django_assert_num_queries
) -> None:
    for _i in range(rows):
        services.batch_create(
            departs_on=timezone.localdate(), direction="dk_xk", seats=3, actor=carla
        )
    url = reverse("transfers:batch-list")
    # 1 session, 2 user, 3 groups, 4 count, 5 the page of batches, 6 the unread count.
    with django_assert_num_queries(6):
        assert caseworker.get(url).status_code == 200

"""Pages and their API twins: role rules, the journey through the browser forms, query counts."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from program.audit.models import AccessLogEntry
from tests.transfers.conftest import make_eligible_inmate
from tests.transfers.factories import TransferCaseFactory
from tests.transfers.helpers import PDF, S, advance
from transfers import services
from transfers.models import Document, EligibilityRuleParameter, ManifestEntry, TransferCase

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
    assert (
        "needs first: the document Judgment; the document Expulsion order; the document "
        "Medical fitness." in response.content.decode()
    )


def test_the_case_page_offers_only_the_moves_of_my_role(
    caseworker, occupancy_admin, case, carla, otto
) -> None:
    advance(case, S.IN_TRANSIT, carla=carla, otto=otto)
    url = reverse("transfers:case-detail", args=[case.pk])
    # Not their case: the administrator says why they open the person's file (once).
    occupancy_admin.post(
        reverse("audit:purpose"),
        {
            "subject_type": "inmate",
            "subject_id": case.inmate_id,
            "next": url,
            "purpose": "occupancy",
        },
    )
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


def _etag(client, pk: int) -> str:
    return client.get(reverse("api:transfer-case-detail", args=[pk]))["ETag"]


def test_a_case_is_opened_screened_and_moved_over_the_api(caseworker, place) -> None:
    inmate = make_eligible_inmate()
    created = caseworker.post(reverse("api:transfer-case-list"), {"inmate": inmate.pk})
    assert created.status_code == 201
    pk = created.json()["id"]
    assert created["ETag"] == '"1"'
    screened = caseworker.post(
        reverse("api:transfer-case-screen", args=[pk]), HTTP_IF_MATCH=created["ETag"]
    )
    assert screened.status_code == 201
    assert screened.json()["outcome"] == "eligible"
    refused = caseworker.post(
        reverse("api:transfer-case-transitions", args=[pk]),
        {"to": "proposed"},
        HTTP_IF_MATCH=_etag(caseworker, pk),
    )
    assert refused.status_code == 409
    assert refused.json()["error"]["details"]["missing"] == [
        "the document Judgment",
        "the document Expulsion order",
        "the document Medical fitness",
    ]
    docs = reverse("api:transfer-case-documents", args=[pk])
    for kind in ("judgment", "expulsion_order", "medical_fitness"):
        file = SimpleUploadedFile("x.pdf", PDF, content_type="application/pdf")
        assert caseworker.post(docs, {"kind": kind, "file": file}).status_code == 201
    moved = caseworker.post(
        reverse("api:transfer-case-transitions", args=[pk]),
        {"to": "proposed"},
        HTTP_IF_MATCH=_etag(caseworker, pk),
    )
    assert moved.status_code == 200
    assert moved.json()["state"] == "proposed"
    assert moved["ETag"] == f'"{moved.json()["version"]}"'  # the next write's If-Match
    events = caseworker.get(reverse("api:transfer-case-events", args=[pk])).json()
    assert [e["kind"] for e in events][-1] == "transition"


def test_a_stale_if_match_over_the_api_is_a_412_naming_who_moved_it(caseworker, case) -> None:
    url = reverse("api:transfer-case-transitions", args=[case.pk])
    etag = _etag(caseworker, case.pk)
    assert etag == '"1"'
    assert caseworker.post(url, {"to": "screening"}, HTTP_IF_MATCH=etag).status_code == 200
    stale = caseworker.post(url, {"to": "withdrawn", "reason": "duplicate"}, HTTP_IF_MATCH=etag)
    assert stale.status_code == 412
    error = stale.json()["error"]
    assert error["code"] == "precondition_failed"
    assert "carla moved it from Identified to Screening at" in error["message"]
    assert error["details"]["version"] == 2
    assert error["details"]["changed_by"] == "carla"
    case.refresh_from_db()
    assert (case.state, case.version) == ("screening", 2)  # the stale withdrawal wrote nothing


def test_a_stale_if_match_on_screening_is_a_412(caseworker, case, carla) -> None:
    etag = _etag(caseworker, case.pk)
    services.case_transition(case=case, to=S.SCREENING, actor=carla)
    response = caseworker.post(
        reverse("api:transfer-case-screen", args=[case.pk]), HTTP_IF_MATCH=etag
    )
    assert response.status_code == 412
    assert not case.screenings.exists()


@pytest.mark.parametrize("action", ["transitions", "screen"])
def test_a_move_without_if_match_is_a_428_saying_how_to_get_it(caseworker, case, action) -> None:
    response = caseworker.post(
        reverse(f"api:transfer-case-{action}", args=[case.pk]), {"to": "screening"}
    )
    assert response.status_code == 428
    error = response.json()["error"]
    assert error["code"] == "precondition_required"
    assert "If-Match" in error["message"]
    assert "ETag" in error["message"]
    case.refresh_from_db()
    assert (case.state, case.version) == ("identified", 1)


def test_a_version_in_the_body_is_no_substitute_for_if_match(caseworker, case) -> None:
    url = reverse("api:transfer-case-transitions", args=[case.pk])
    assert caseworker.post(url, {"to": "screening", "version": 1}).status_code == 428


def test_the_case_detail_carries_its_version_as_etag(auditor, case, carla) -> None:
    url = reverse("api:transfer-case-detail", args=[case.pk])
    assert auditor.get(url)["ETag"] == '"1"'
    services.case_transition(case=case, to=S.SCREENING, actor=carla)
    assert auditor.get(url)["ETag"] == '"2"'


def test_the_schema_documents_if_match_412_and_428_on_case_moves(caseworker) -> None:
    schema = caseworker.get(reverse("api:schema"), HTTP_ACCEPT="application/json").json()
    for path in ("/api/v1/transfer-cases/{id}/transitions/", "/api/v1/transfer-cases/{id}/screen/"):
        operation = schema["paths"][path]["post"]
        headers = {p["name"]: p for p in operation["parameters"] if p["in"] == "header"}
        assert headers["If-Match"]["required"] is True, path
        assert {"412", "428"} <= set(operation["responses"]), path
    detail = schema["paths"]["/api/v1/transfer-cases/{id}/"]["get"]
    assert "ETag" in detail["responses"]["200"]["headers"]


def test_a_stale_transition_form_says_who_moved_the_case_and_moves_nothing(
    caseworker, case, carla
) -> None:
    read_version = case.version
    services.case_transition(case=case, to=S.SCREENING, actor=carla)
    response = caseworker.post(
        reverse("transfers:case-transition", args=[case.pk]),
        {"to": "withdrawn", "reason": "duplicate", "version": read_version},
        follow=True,
    )
    body = response.content.decode()
    assert "Someone changed this case after you read it" in body
    assert "carla moved it from Identified to Screening at" in body
    assert "Nothing was saved" in body
    case.refresh_from_db()
    assert case.state == S.SCREENING


def test_a_move_the_role_does_not_own_is_a_403_over_the_api(occupancy_admin, case) -> None:
    url = reverse("api:transfer-case-transitions", args=[case.pk])
    response = occupancy_admin.post(url, {"to": "screening"}, HTTP_IF_MATCH='"1"')
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
    # 1 session, 2 user (with roles and unread count), 3 the programmes for the filter, 4 the
    # user's programme, 5 count for the paginator, 6 the page of cases joined to inmate and
    # caseworker, 7 their nationalities (prefetch), 8 the access-log row naming everyone on
    # the page (with the bulk-read count, one statement), 9 the header's work-queue counts.
    with django_assert_num_queries(9):
        assert caseworker.get(url).status_code == 200


@pytest.mark.parametrize("rows", [1, 30])
def test_the_case_list_endpoint_runs_a_fixed_number_of_queries(
    rows, caseworker, carla, django_assert_num_queries
) -> None:
    _make_cases(rows, carla)
    url = reverse("api:transfer-case-list")
    # 1 session, 2 user (with roles), 3 count, 4 the page of cases with inmate and
    # caseworker, 5 their nationalities (prefetch), 6 the access-log row naming everyone on
    # the page (with the bulk-read count, one statement).
    with django_assert_num_queries(6):
        assert caseworker.get(url).status_code == 200


@pytest.mark.parametrize("rows", [1, 10])
def test_the_transport_list_endpoint_runs_a_fixed_number_of_queries(
    rows, caseworker, carla, django_assert_num_queries
) -> None:
    for _i in range(rows):
        batch = services.batch_create(
            departs_on=timezone.localdate(), direction="dk_xk", seats=3, actor=carla
        )
        ManifestEntry.objects.create(
            batch=batch, case=TransferCaseFactory(caseworker=carla), added_by=carla
        )
    # 1 session, 2 user (with roles), 3 count, 4 the batches, 5 their manifests (prefetch),
    # 6 the manifests' cases (prefetch: whose they are), 7 the access-log row naming everyone
    # on the manifests (with the bulk-read count, one statement).
    with django_assert_num_queries(7):
        response = caseworker.get(reverse("api:transport-batch-list"))
    assert response.status_code == 200
    assert len(AccessLogEntry.objects.get(route="api:transport-batch-list").subject_ids) == rows


@pytest.mark.parametrize("rows", [1, 10])
def test_the_transport_page_runs_a_fixed_number_of_queries(
    rows, caseworker, carla, django_assert_num_queries
) -> None:
    for _i in range(rows):
        services.batch_create(
            departs_on=timezone.localdate(), direction="dk_xk", seats=3, actor=carla
        )
    url = reverse("transfers:batch-list")
    # 1 session, 2 user (with roles and unread count), 3 the user's programme, 4 the
    # programmes for the filter, 5 whether the plan form offers a choice of programme,
    # 6 count, 7 the header's work-queue counts, 8 the page of batches with their programme.
    with django_assert_num_queries(8):
        assert caseworker.get(url).status_code == 200

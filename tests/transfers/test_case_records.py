"""Opinion, decision, notification and appeal over the API and the pages; decided_no_transfer is
final; the case page's History; the access log of every transfer read, search, export and
disclosure."""

import csv
import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from program.audit.models import AccessLogEntry
from program.core.errors import ConflictError
from program.inmates.models import Inmate
from tests.transfers.conftest import make_eligible_inmate
from tests.transfers.factories import TransferCaseFactory, case_in
from tests.transfers.helpers import PDF, S, advance, batch, upload
from transfers import services
from transfers.models import Document, EligibilityRuleParameter, TransferCase

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


@pytest.fixture
def case(carla, place) -> TransferCase:
    return services.case_open(inmate=make_eligible_inmate(), actor=carla)


def _etag(client, case: TransferCase) -> str:
    return client.get(reverse("api:transfer-case-detail", args=[case.pk]))["ETag"]


def _under_appeal(case: TransferCase, carla, otto) -> TransferCase:
    advance(case, S.NOTIFIED, carla=carla, otto=otto)
    TransferCase.objects.filter(pk=case.pk).update(appeal_deadline=TODAY())
    case.refresh_from_db()
    services.case_transition(
        case=case, to=S.UNDER_APPEAL, actor=carla, data={"lodged_on": TODAY() - timedelta(1)}
    )
    return case


def _choose_purpose(client, case: TransferCase, purpose: str = "occupancy") -> None:
    client.post(
        reverse("audit:purpose"),
        {
            "subject_type": "inmate",
            "subject_id": case.inmate_id,
            "next": reverse("transfers:case-detail", args=[case.pk]),
            "purpose": purpose,
        },
    )


# --- Opinion and decision over the API -----------------------------------------------------------


def test_the_inmates_opinion_is_recorded_and_listed_over_the_api(caseworker, case) -> None:
    url = reverse("api:transfer-case-opinions", args=[case.pk])
    created = caseworker.post(
        url,
        {"stance": "objects", "heard_on": TODAY().isoformat(), "language": "Arabic"},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    assert created.json()["recorded_by"] == "carla"
    listed = caseworker.get(url).json()
    assert [row["stance"] for row in listed] == ["objects"]
    assert case.events.filter(kind="opinion").count() == 1


def test_an_opinion_without_its_language_is_a_400_naming_the_field(caseworker, case) -> None:
    response = caseworker.post(
        reverse("api:transfer-case-opinions", args=[case.pk]),
        {"stance": "agrees", "heard_on": TODAY().isoformat()},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "language" in response.json()["error"]["details"]


@pytest.mark.parametrize("who", ["occupancy_admin", "auditor"])
def test_only_caseworkers_record_opinions_and_decisions(who, persona, case) -> None:
    client = persona(who)
    opinion = client.post(
        reverse("api:transfer-case-opinions", args=[case.pk]),
        {"stance": "agrees", "heard_on": TODAY().isoformat(), "language": "Arabic"},
        content_type="application/json",
    )
    decision = client.post(
        reverse("api:transfer-case-decisions", args=[case.pk]),
        {
            "outcome": "transfer",
            "authority": "KF",
            "legal_basis": "§ 1",
            "decided_on": "2026-01-01",
        },
        content_type="application/json",
    )
    assert (opinion.status_code, decision.status_code) == (403, 403)
    # Reading them is allowed to every reader of the case.
    assert client.get(reverse("api:transfer-case-decisions", args=[case.pk])).status_code == 200


def test_a_decision_is_recorded_during_host_review_only(caseworker, case, carla, otto) -> None:
    url = reverse("api:transfer-case-decisions", args=[case.pk])
    body = {
        "outcome": "transfer",
        "authority": "Kriminalforsorgen",
        "legal_basis": "Straffuldbyrdelsesloven § 78 a",
        "decided_on": TODAY().isoformat(),
    }
    early = caseworker.post(url, body, content_type="application/json")
    assert early.status_code == 409
    assert "host review" in early.json()["error"]["message"]
    advance(case, S.HOST_REVIEW, carla=carla, otto=otto)
    unheard = caseworker.post(url, body, content_type="application/json")
    assert unheard.status_code == 409
    assert "opinion before the decision" in unheard.json()["error"]["message"]
    services.opinion_record(
        case=case, stance="agrees", heard_on=TODAY(), language="Arabic", actor=carla
    )
    created = caseworker.post(url, body, content_type="application/json")
    assert created.status_code == 201
    assert created.json()["authority"] == "Kriminalforsorgen"
    assert caseworker.get(url).json()[0]["legal_basis"] == "Straffuldbyrdelsesloven § 78 a"


# --- Notification and appeal over the API ---------------------------------------------------


def test_the_notification_needs_if_match_and_sets_the_appeal_deadline(
    caseworker, case, carla, otto
) -> None:
    EligibilityRuleParameter.objects.create(name="appeal_days", value=30)
    advance(case, S.DECIDED_TRANSFER, carla=carla, otto=otto)
    upload(case, Document.Kind.DECISION_LETTER, carla)
    upload(case, Document.Kind.NOTIFICATION_RECEIPT, carla)
    url = reverse("api:transfer-case-notification", args=[case.pk])
    body = {"notified_on": "2026-11-02", "language": "Arabic"}
    missing = caseworker.post(url, body, content_type="application/json")
    assert missing.status_code == 428
    stale = caseworker.post(url, body, content_type="application/json", HTTP_IF_MATCH='"1"')
    assert stale.status_code == 412
    etag = _etag(caseworker, case)
    done = caseworker.post(url, body, content_type="application/json", HTTP_IF_MATCH=etag)
    assert done.status_code == 200, done.content
    assert done.json()["state"] == "notified"
    assert done.json()["notification_language"] == "Arabic"
    assert done.json()["appeal_deadline"] == "2026-12-02"
    assert done["ETag"] != etag


def test_an_appeal_is_lodged_over_the_api_and_refused_after_the_deadline(
    caseworker, case, carla, otto
) -> None:
    advance(case, S.NOTIFIED, carla=carla, otto=otto)  # notified 61 days ago: window closed
    url = reverse("api:transfer-case-appeal", args=[case.pk])
    late = caseworker.post(
        url, {}, content_type="application/json", HTTP_IF_MATCH=_etag(caseworker, case)
    )
    assert late.status_code == 409
    assert "an appeal lodged within the window" in late.json()["error"]["message"]
    TransferCase.objects.filter(pk=case.pk).update(appeal_deadline=TODAY())
    lodged = caseworker.post(
        url,
        {"lodged_on": TODAY().isoformat()},
        content_type="application/json",
        HTTP_IF_MATCH=_etag(caseworker, case),
    )
    assert lodged.status_code == 200
    assert lodged.json()["state"] == "under_appeal"
    assert lodged.json()["appeal_lodged_on"] == TODAY().isoformat()


def test_a_rejected_appeal_lets_a_suspended_transfer_be_scheduled(
    caseworker, case, carla, otto
) -> None:
    EligibilityRuleParameter.objects.create(name="appeal_suspends", value=True)
    _under_appeal(case, carla, otto)
    with pytest.raises(ConflictError, match="suspends"):
        services.case_transition(
            case=case, to=S.SCHEDULED, actor=carla, data={"batch": batch(carla)}
        )
    url = reverse("api:transfer-case-appeal-outcome", args=[case.pk])
    response = caseworker.post(
        url,
        {"outcome": "rejected", "decided_on": TODAY().isoformat()},
        content_type="application/json",
        HTTP_IF_MATCH=_etag(caseworker, case),
    )
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "under_appeal"
    assert response.json()["appeal_outcome"] == "rejected"
    again = caseworker.post(
        url,
        {"outcome": "upheld", "decided_on": TODAY().isoformat()},
        content_type="application/json",
        HTTP_IF_MATCH=response["ETag"],
    )
    assert again.status_code == 409  # an outcome is recorded once
    # The window applies to everybody: booked once it has closed.
    TransferCase.objects.filter(pk=case.pk).update(appeal_deadline=TODAY() - timedelta(days=1))
    case.refresh_from_db()
    services.case_transition(case=case, to=S.SCHEDULED, actor=carla, data={"batch": batch(carla)})
    assert case.state == S.SCHEDULED
    assert case.events.filter(kind="appeal").count() == 1


def test_an_upheld_appeal_ends_the_case_with_its_date(caseworker, case, carla, otto) -> None:
    _under_appeal(case, carla, otto)
    decided = TODAY() - timedelta(days=1)
    response = caseworker.post(
        reverse("api:transfer-case-appeal-outcome", args=[case.pk]),
        {"outcome": "upheld", "decided_on": decided.isoformat()},
        content_type="application/json",
        HTTP_IF_MATCH=_etag(caseworker, case),
    )
    assert response.status_code == 200
    case.refresh_from_db()
    assert (case.state, case.appeal_outcome) == (S.DECIDED_NO_TRANSFER, "upheld")
    assert case.appeal_decided_on == decided
    assert case.closed_at is not None


def test_an_appeal_decided_before_it_was_lodged_is_a_400(caseworker, case, carla, otto) -> None:
    _under_appeal(case, carla, otto)
    response = caseworker.post(
        reverse("api:transfer-case-appeal-outcome", args=[case.pk]),
        {"outcome": "rejected", "decided_on": (TODAY() - timedelta(days=5)).isoformat()},
        content_type="application/json",
        HTTP_IF_MATCH=_etag(caseworker, case),
    )
    assert response.status_code == 400
    assert "decided_on" in response.json()["error"]["details"]


def test_the_auditor_cannot_record_an_appeals_outcome(auditor, caseworker, case, carla, otto):
    _under_appeal(case, carla, otto)
    response = auditor.post(
        reverse("api:transfer-case-appeal-outcome", args=[case.pk]),
        {"outcome": "upheld", "decided_on": TODAY().isoformat()},
        content_type="application/json",
        HTTP_IF_MATCH=_etag(caseworker, case),
    )
    assert response.status_code == 403


def test_the_schema_documents_the_new_endpoints_with_their_roles(caseworker) -> None:
    schema = caseworker.get(reverse("api:schema"), HTTP_ACCEPT="application/json").json()
    paths = schema["paths"]
    for path in (
        "/api/v1/transfer-cases/{id}/opinions/",
        "/api/v1/transfer-cases/{id}/decisions/",
        "/api/v1/transfer-cases/{id}/notification/",
        "/api/v1/transfer-cases/{id}/appeal/",
        "/api/v1/transfer-cases/{id}/appeal-outcome/",
        "/api/v1/transport-batches/{id}/manifest/",
    ):
        assert path in paths, path
    outcome = paths["/api/v1/transfer-cases/{id}/appeal-outcome/"]["post"]
    assert "caseworker" in outcome["description"]
    assert {"403", "412", "428"} <= set(outcome["responses"])
    assert any(p["name"] == "If-Match" for p in outcome["parameters"])


# --- The appeal outcome on the page ------------------------------------------------------------


def test_the_case_page_records_the_appeals_outcome(caseworker, case, carla, otto) -> None:
    _under_appeal(case, carla, otto)
    page = caseworker.get(reverse("transfers:case-detail", args=[case.pk])).content.decode()
    assert 'data-testid="appeal-outcome"' in page
    url = reverse("transfers:case-appeal-outcome", args=[case.pk])
    stale = caseworker.post(
        url,
        {"outcome": "rejected", "decided_on": TODAY().isoformat(), "version": case.version - 1},
        follow=True,
    )
    assert "Someone changed this case" in stale.content.decode()
    caseworker.post(
        url, {"outcome": "rejected", "decided_on": TODAY().isoformat(), "version": case.version}
    )
    case.refresh_from_db()
    assert case.appeal_outcome == "rejected"
    page = caseworker.get(reverse("transfers:case-detail", args=[case.pk])).content.decode()
    assert 'data-testid="appeal-outcome"' not in page
    assert "Rejected (transfer stands)" in page


# --- decided_no_transfer is final (docs/transfer-lifecycle.md) ---------------------------


def test_decided_no_transfer_is_final(caseworker, case, carla, otto) -> None:
    _under_appeal(case, carla, otto)
    services.appeal_decide(case=case, outcome="upheld", decided_on=TODAY(), actor=carla)
    assert case.closed_at is not None
    assert services.moves_from(S.DECIDED_NO_TRANSFER) == []
    for target in S.values:
        if target == S.DECIDED_NO_TRANSFER:
            continue
        with pytest.raises(ConflictError, match="cannot move from Decided: no transfer"):
            services.case_transition(
                case=case, to=target, actor=carla, reason_code="new_proceedings"
            )
    over_api = caseworker.post(
        reverse("api:transfer-case-transitions", args=[case.pk]),
        {"to": "withdrawn", "reason": "new_proceedings"},
        content_type="application/json",
        HTTP_IF_MATCH=_etag(caseworker, case),
    )
    assert over_api.status_code == 409
    # The case is closed, so its caseworker too says why they open it again.
    _choose_purpose(caseworker, case, "case work")
    page = caseworker.get(reverse("transfers:case-detail", args=[case.pk])).content.decode()
    assert "Your role has no action on this case" in page
    # The file is closed, not locked: a later case may be opened for the same person.
    again = services.case_open(inmate=case.inmate, actor=carla)
    assert again.pk != case.pk


# --- History ----------------------------------------------------------------------------------


def test_the_case_page_shows_the_history_in_words(caseworker, case) -> None:
    # Through the pages, so each change carries the signed-in user (the request's context).
    caseworker.post(reverse("transfers:case-screen", args=[case.pk]))
    for kind in ("judgment", "expulsion_order", "medical_fitness"):
        file = SimpleUploadedFile(f"{kind}.pdf", PDF, content_type="application/pdf")
        caseworker.post(
            reverse("transfers:document-upload", args=[case.pk]), {"kind": kind, "file": file}
        )
    case.refresh_from_db()
    caseworker.post(
        reverse("transfers:case-transition", args=[case.pk]),
        {"to": "proposed", "version": case.version},
    )
    page = caseworker.get(reverse("transfers:case-detail", args=[case.pk])).content.decode()
    history_url = reverse("transfers:case-history", args=[case.pk])
    # The tab loads on request (htmx), with a plain link to the same history without JavaScript.
    assert f'hx-get="{history_url}"' in page
    before = AccessLogEntry.objects.count()
    fragment = caseworker.get(history_url, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in fragment
    assert AccessLogEntry.objects.count() == before + 1  # the history is the record too
    history = caseworker.get(history_url).content.decode()
    assert "Back to the record" in history
    assert "Transfer case added" in history
    assert "State changed from Identified to Eligible" in history
    assert "State changed from Eligible to Proposed" in history
    assert "Document added" in history
    assert "Kind: Medical fitness" in history
    assert "by carla" in history


# --- Access log -------------------------------------------------------------------------------


def test_the_caseworkers_view_of_their_case_is_logged_as_case_work(caseworker, case) -> None:
    assert caseworker.get(reverse("transfers:case-detail", args=[case.pk])).status_code == 200
    entry = AccessLogEntry.objects.get()
    assert (entry.action, entry.subject_type, entry.subject_id) == (
        "view",
        "inmate",
        str(case.inmate_id),
    )
    assert entry.purpose == "case work"
    assert entry.criterion == {"transfer_case": case.pk}
    assert entry.route == "transfers:case-detail"


def test_someone_else_says_why_before_the_case_page_opens(occupancy_admin, case) -> None:
    url = reverse("transfers:case-detail", args=[case.pk])
    first = occupancy_admin.get(url).content.decode()
    assert 'data-testid="purpose-form"' in first
    assert case.inmate.name not in first
    assert not AccessLogEntry.objects.exists()
    _choose_purpose(occupancy_admin, case, "occupancy")
    page = occupancy_admin.get(url).content.decode()
    assert case.inmate.name in page
    assert list(AccessLogEntry.objects.values_list("action", "purpose")) == [("view", "occupancy")]


def test_a_worklist_search_is_logged_with_its_criterion(caseworker, carla) -> None:
    shown = TransferCaseFactory(caseworker=carla)
    url = reverse("transfers:worklist")
    caseworker.get(url)
    caseworker.get(url, {"sort": "name"})
    # A listing names the people it shows, with no criterion (the order is not one).
    listings = AccessLogEntry.objects.filter(action="list")
    assert [entry.subject_ids for entry in listings] == [[str(shown.inmate_id)]] * 2
    assert {entry.criterion.get("sort") for entry in listings} == {None}
    caseworker.get(url, {"q": "KF-1", "state": ["eligible", "notified"], "sort": "name"})
    entry = AccessLogEntry.objects.get(action="search")
    assert entry.subject_type == "inmate"
    assert entry.criterion == {"q": "KF-1", "state": ["eligible", "notified"]}


@pytest.mark.parametrize("rows", [1, 30])
def test_a_worklist_search_runs_a_fixed_number_of_queries(
    rows, caseworker, carla, django_assert_num_queries
) -> None:
    for _i in range(rows):
        TransferCaseFactory(caseworker=carla)
    url = reverse("transfers:worklist")
    caseworker.get(url)  # warm the session and role cache
    # The worklist's 9 (see test_pages_and_api): the search criterion rides on the page's
    # access-log row, which is already one of them.
    with django_assert_num_queries(9):
        assert caseworker.get(url, {"scope": "mine"}).status_code == 200
    assert AccessLogEntry.objects.filter(action="search").count() == 1


def test_the_api_logs_searches_and_views_of_a_case(caseworker, case) -> None:
    caseworker.get(reverse("api:transfer-case-list"))
    caseworker.get(reverse("api:transfer-case-list"), {"state": "identified"})
    caseworker.get(reverse("api:transfer-case-detail", args=[case.pk]))
    caseworker.get(reverse("api:transfer-case-events", args=[case.pk]))
    caseworker.get(reverse("api:transfer-case-documents", args=[case.pk]))
    caseworker.get(reverse("api:transfer-case-opinions", args=[case.pk]))
    rows = list(
        AccessLogEntry.objects.order_by("id").values_list("action", "subject_id", "criterion")
    )
    inmate = str(case.inmate_id)
    assert rows == [
        ("list", "", {}),
        ("search", "", {"state": "identified"}),
        ("view", inmate, {"transfer_case": case.pk, "part": "case"}),
        ("view", inmate, {"transfer_case": case.pk, "part": "events"}),
        ("view", inmate, {"transfer_case": case.pk, "part": "documents"}),
        ("view", inmate, {"transfer_case": case.pk, "part": "opinions"}),
    ]


def test_a_document_download_is_logged_as_an_export(caseworker, case, carla) -> None:
    document = upload(case, Document.Kind.JUDGMENT, carla)
    response = caseworker.get(reverse("transfers:document-download", args=[document.pk]))
    assert response.status_code == 200
    entry = AccessLogEntry.objects.get()
    assert (entry.action, entry.subject_id, entry.purpose) == (
        "export",
        str(case.inmate_id),
        "case work",
    )
    assert entry.criterion == {"transfer_case": case.pk, "document": "judgment", "version": 1}


def test_a_download_by_someone_else_asks_why_first(occupancy_admin, case, carla) -> None:
    document = upload(case, Document.Kind.JUDGMENT, carla)
    url = reverse("transfers:document-download", args=[document.pk])
    assert 'data-testid="purpose-form"' in occupancy_admin.get(url).content.decode()
    assert not AccessLogEntry.objects.exists()


def _booked(n: int, carla, otto) -> list[TransferCase]:
    from tests.factories import PlaceFactory

    cases = []
    transport = batch(carla, seats=n + 1)
    for _i in range(n):
        PlaceFactory()
        booked = services.case_open(inmate=make_eligible_inmate(), actor=carla)
        advance(booked, S.NOTIFIED, carla=carla, otto=otto)
        services.case_transition(
            case=booked, to=S.SCHEDULED, actor=carla, data={"batch": transport}
        )
        cases.append(booked)
    return cases


def test_the_manifest_download_discloses_everyone_on_board(
    occupancy_admin, carla, otto, programme
) -> None:
    cases = _booked(3, carla, otto)
    services.case_transition(
        case=cases[2], to=S.WITHDRAWN, actor=carla, reason_code="new_proceedings"
    )
    transport = cases[0].transport_batches.get()
    response = occupancy_admin.get(reverse("transfers:batch-manifest", args=[transport.pk]))
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [row["transfer_case"] for row in rows] == [str(cases[0].pk), str(cases[1].pk)]
    assert rows[0]["name"] == cases[0].inmate.name
    entries = AccessLogEntry.objects.order_by("id")
    assert [e.subject_id for e in entries] == [str(c.inmate_id) for c in cases[:2]]
    assert {e.action for e in entries} == {"disclosure"}
    assert entries[0].criterion == {
        "transport_batch": transport.pk,
        # The programme's host authority and facility.
        "recipient": f"{programme.host_authority}, {programme.facilities.earliest('id').name}",
    }


def test_the_api_manifest_discloses_everyone_on_board(caseworker, carla, otto) -> None:
    cases = _booked(2, carla, otto)
    transport = cases[0].transport_batches.get()
    body = caseworker.get(reverse("api:transport-batch-manifest", args=[transport.pk])).json()
    assert [person["transfer_case"] for person in body] == [c.pk for c in cases]
    assert body[0]["nationalities"] == ["RS"]
    assert AccessLogEntry.objects.filter(action="disclosure").count() == 2


def test_the_auditor_and_finance_never_get_the_manifest(auditor, finance_officer, carla) -> None:
    transport = batch(carla)
    for client in (auditor, finance_officer):
        assert (
            client.get(reverse("transfers:batch-manifest", args=[transport.pk])).status_code == 403
        )
        url = reverse("api:transport-batch-manifest", args=[transport.pk])
        assert client.get(url).status_code == 403


@pytest.mark.parametrize("rows", [1, 3])
def test_the_manifest_and_the_transport_page_log_in_a_fixed_number_of_queries(
    rows, caseworker, carla, otto, django_assert_num_queries
) -> None:
    transport = _booked(rows, carla, otto)[0].transport_batches.get()
    caseworker.get(reverse("transfers:worklist"))  # warm the session and role cache
    # 1 session, 2 user (with roles), 3 the batch, 4 its seats with people and places, 5 their
    # nationalities, 6 the programme and 7 its facility (the recipient the disclosure names),
    # 8 the disclosure rows (one insert).
    with django_assert_num_queries(8):
        caseworker.get(reverse("transfers:batch-manifest", args=[transport.pk]))
    # 1 session, 2 user (with roles and unread count), 3 the batch, 4 the manifest, 5 the list
    # rows (one insert), 6 the letters panel's last letter job, 7 the header's work-queue
    # counts.
    with django_assert_num_queries(7):
        caseworker.get(reverse("transfers:batch-detail", args=[transport.pk]))
    assert AccessLogEntry.objects.filter(action="disclosure").count() == rows
    assert (
        AccessLogEntry.objects.filter(action="list", route="transfers:batch-detail").count() == rows
    )


def test_needs_my_action_leaves_out_cases_waiting_on_a_clock_or_another_role(
    caseworker, occupancy_admin, carla
) -> None:
    today = TODAY()
    eligible = TransferCaseFactory(caseworker=carla, state=S.ELIGIBLE)
    window_open = TransferCaseFactory(caseworker=carla, state=S.NOTIFIED)
    window_closed = TransferCaseFactory(caseworker=carla, state=S.NOTIFIED)
    TransferCase.objects.filter(pk=window_open.pk).update(appeal_deadline=today)
    TransferCase.objects.filter(pk=window_closed.pk).update(
        appeal_deadline=today - timedelta(days=1)
    )
    review_due = case_in(S.SERVING, caseworker=carla, review_due_on=today)
    case_in(S.SERVING, caseworker=carla, review_due_on=today + timedelta(9))
    in_transit = case_in(S.IN_TRANSIT, caseworker=carla)
    url = reverse("transfers:worklist")

    def listed(client) -> set[int]:
        page = client.get(url, {"needs_action": "on"}).context["page"]
        return {case.pk for case in page.object_list}

    assert listed(caseworker) == {eligible.pk, window_closed.pk, review_due.pk}
    assert listed(occupancy_admin) == {in_transit.pk}
    assert AccessLogEntry.objects.filter(criterion={"needs_action": True}).count() == 2


def test_importing_a_candidate_file_is_logged_as_a_collection(caseworker) -> None:
    from tests.transfers.test_intake import _confirm, _csv, _row, _upload

    preview = _upload(caseworker, _csv(_row()))
    assert not AccessLogEntry.objects.exists()  # a preview collects nothing yet
    _confirm(caseworker, preview)
    entry = AccessLogEntry.objects.get()
    assert (entry.action, entry.subject_type) == ("import", "inmate")
    assert entry.criterion == {
        "created": 1,
        "updated": 0,
        "unchanged": 0,
        "cases_opened": 1,
        "judgments_added": 0,
        "judgments_updated": 0,
        "expulsion_orders_added": 0,
        "expulsion_orders_updated": 0,
    }
    assert entry.subject_ids == [str(pk) for pk in Inmate.objects.values_list("pk", flat=True)]


@pytest.mark.parametrize("documents", [0, 3])
def test_the_case_history_tab_costs_the_same_whatever_the_file_holds(
    caseworker, carla, case, documents, django_assert_num_queries
) -> None:
    for kind in ["judgment", "expulsion_order", "medical_fitness"][:documents]:
        upload(case, kind, carla)
    url = reverse("transfers:case-history", args=[case.pk])
    # session, user (with roles), case, own-case check, history context, the access-log row and the
    # session's purpose memo; the case's changes and its decisions', opinions', documents',
    # seats' and release preparation's; the inmate, the programme and the people the snapshots
    # name; the header count: the same number with no document as with three
    with django_assert_num_queries(18):
        response = caseworker.get(url, headers={"HX-Request": "true"})
    assert response.status_code == 200

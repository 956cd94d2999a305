"""Release preparation: travel document, acceptance by the country of return, flight.

Recorded on the case page and over the API (If-Match), shown from release_prep_days before the
expected release date; each changed step is one timeline event and a history row; a deportation
waits for all three steps and names the missing ones; a release without removal does not.
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from program.audit.history import EVENT_MODELS
from program.core.errors import ConflictError
from tests.transfers.conftest import make_eligible_inmate
from tests.transfers.factories import TransferCaseFactory, case_in
from tests.transfers.helpers import S, advance, removal_steps
from transfers import release_preparation, services
from transfers.models import CaseEvent, ReleasePreparation, TransferCase

pytestmark = pytest.mark.django_db
SECTION = 'data-testid="release-preparation"'


@pytest.fixture
def serving(carla, otto, place) -> TransferCase:
    case = services.case_open(inmate=make_eligible_inmate(), actor=carla)
    return advance(case, S.SERVING, carla=carla, otto=otto)


@pytest.fixture
def preparing(carla) -> TransferCase:
    """A case in release preparation, written in its state (no placement: no move here)."""
    return case_in(S.RELEASE_PREP, caseworker=carla)


def _open_window(otto) -> None:
    # The eligible inmate's release is about three years away: a long lead opens the window.
    services.rule_parameter_set(
        name="release_prep_days", raw_value="2000", reason="test", actor=otto
    )


def _page(client, case: TransferCase) -> str:
    return client.get(reverse("transfers:case-detail", args=[case.pk])).content.decode()


def _form(**values: object) -> dict[str, object]:
    data: dict[str, object] = dict.fromkeys(release_preparation.FIELDS, "")
    data.update({"travel_document_status": "not_started", "version": 0})
    data.update(values)
    return data


def _api(case: TransferCase) -> str:
    return reverse("api:transfer-case-release-preparation", args=[case.pk])


# --- The page ---------------------------------------------------------------------------------


def test_the_section_shows_while_serving_only_within_the_window(caseworker, serving, otto) -> None:
    assert SECTION not in _page(caseworker, serving)  # 90 days before a release ~3 years off
    refused = caseworker.post(
        reverse("transfers:case-release-preparation", args=[serving.pk]),
        _form(travel_document_status="requested"),
        follow=True,
    )
    assert "Release preparation starts on" in refused.content.decode()
    assert not ReleasePreparation.objects.exists()
    _open_window(otto)
    page = _page(caseworker, serving)
    assert SECTION in page
    assert "travel document issued, acceptance by the country of return, flight date" in page


def test_each_step_recorded_on_the_page_is_one_event_and_history(
    caseworker, serving, otto, carla
) -> None:
    _open_window(otto)
    url = reverse("transfers:case-release-preparation", args=[serving.pk])
    response = caseworker.post(url, _form(travel_document_status="requested"), follow=True)
    assert "The release preparation is saved." in response.content.decode()
    prep = ReleasePreparation.objects.get(case=serving)
    assert (prep.travel_document_status, prep.version, prep.updated_by) == ("requested", 1, carla)

    steps = removal_steps()
    caseworker.post(url, _form(**{**steps, "flight_number": "JU 371", "version": 1}))
    prep.refresh_from_db()
    assert prep.version == 2
    assert prep.destination_reference == "RA-2026-117"
    events = list(serving.events.filter(kind=CaseEvent.Kind.RELEASE_PREPARATION).order_by("id"))
    # The first save: the travel document; the second: all three steps changed.
    assert [e.payload["step"] for e in events] == [
        "travel_document",
        "travel_document",
        "destination",
        "flight",
    ]
    assert all(e.actor == carla for e in events)
    assert "Return accepted on" in events[2].text
    assert "RA-2026-117" in events[2].text
    # Saving the same values again changes nothing and adds no event.
    caseworker.post(url, _form(**{**steps, "version": 2}))
    prep.refresh_from_db()
    assert prep.version == 2
    assert serving.events.filter(kind=CaseEvent.Kind.RELEASE_PREPARATION).count() == 4
    # The write history holds both saves, with who made them (the request's user).
    history = EVENT_MODELS["transfers.ReleasePreparation"].objects.filter(pgh_obj_id=prep.pk)
    assert history.count() == 2
    assert {row.pgh_context["username"] for row in history} == {"carla"}
    page = _page(caseworker, serving)
    assert "All three steps are done" in page
    assert (
        "Release preparation"
        in caseworker.get(reverse("transfers:case-history", args=[serving.pk])).content.decode()
    )


def test_a_stale_page_and_bad_values_are_refused_naming_the_fields(caseworker, preparing) -> None:
    url = reverse("transfers:case-release-preparation", args=[preparing.pk])
    page = caseworker.post(
        url, _form(travel_document_status="issued", travel_document_kind=""), follow=True
    ).content.decode()
    assert "travel document issued on: give the day it was issued" in page
    assert "travel document kind: say which document was issued" in page
    page = caseworker.post(
        url, _form(flight_number="JU 371", destination_accepted_on="2999-01-01"), follow=True
    ).content.decode()
    assert "flight date: give the flight date" in page
    assert "return accepted on: cannot be in the future" in page
    page = caseworker.post(url, _form(flight_on="not a date"), follow=True).content.decode()
    assert "Flight date" in page
    assert "Enter a valid date" in page
    assert not ReleasePreparation.objects.exists()
    assert not preparing.events.exists()
    # Someone saved after this page was read (version 0): refused, nothing overwritten.
    caseworker.post(url, _form(travel_document_status="requested"))
    page = caseworker.post(
        url, _form(travel_document_status="not_started"), follow=True
    ).content.decode()
    assert "Someone changed the release preparation after you read it" in page
    assert ReleasePreparation.objects.get().travel_document_status == "requested"


# --- The move to deported ---------------------------------------------------------------------


def test_deported_waits_for_the_three_steps_and_names_the_missing_ones(
    caseworker, serving, carla
) -> None:
    services.case_transition(case=serving, to=S.RELEASE_PREP, actor=carla)
    with pytest.raises(ConflictError) as refused:
        services.case_transition(case=serving, to=S.DEPORTED, actor=carla)
    assert refused.value.message.startswith(
        "Release preparation → Deported needs first: travel document issued; acceptance by the "
        "country of return; flight date; a leaving day after the admission ("
    )
    # Not before the release date (the judgment's full term), nor before the flight.
    release_on = serving.inmate.judgments.get().full_term_date.isoformat()
    steps = removal_steps()
    release_preparation.record(
        case=serving,
        actor=carla,
        values={**steps, "flight_on": None, "flight_number": ""},
    )
    serving.refresh_from_db()
    response = caseworker.post(
        reverse("transfers:case-transition", args=[serving.pk]),
        {"to": "deported", "version": serving.version, "on": release_on},
        follow=True,
    )
    assert "needs first: flight date." in response.content.decode()
    serving.refresh_from_db()
    assert serving.state == S.RELEASE_PREP
    release_preparation.record(case=serving, actor=carla, values=steps, expected_version=1)
    caseworker.post(
        reverse("transfers:case-transition", args=[serving.pk]),
        {"to": "deported", "version": serving.version, "on": release_on},
    )
    serving.refresh_from_db()
    assert serving.state == S.DEPORTED
    # The closed case shows what was done, with no form.
    page = _page(caseworker, serving)
    assert SECTION in page
    assert "JU 371" in page
    assert "Save the release preparation" not in page


def test_released_not_removable_needs_no_preparation(serving, carla) -> None:
    services.case_transition(case=serving, to=S.RELEASE_PREP, actor=carla)
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    services.case_transition(
        case=serving, to=S.RELEASED_NOT_REMOVABLE, actor=carla, data={"on": tomorrow}
    )
    assert serving.state == S.RELEASED_NOT_REMOVABLE
    assert not ReleasePreparation.objects.exists()


# --- The API ----------------------------------------------------------------------------------


def test_the_api_reads_and_replaces_the_preparation_with_if_match(
    caseworker, preparing, carla
) -> None:
    url = _api(preparing)
    empty = caseworker.get(url)
    assert empty.status_code == 200
    assert empty["ETag"] == '"0"'
    assert empty.json()["version"] == 0
    assert len(empty.json()["missing_for_deportation"]) == 3
    body = {**removal_steps(), "escort_note": "Two officers"}
    body = {k: v.isoformat() if hasattr(v, "isoformat") else v for k, v in body.items()}
    assert caseworker.put(url, body, content_type="application/json").status_code == 428
    saved = caseworker.put(url, body, content_type="application/json", HTTP_IF_MATCH='"0"')
    assert saved.status_code == 200, saved.content
    assert saved["ETag"] == '"1"'
    assert saved.json()["missing_for_deportation"] == []
    assert saved.json()["updated_by"] == "carla"
    assert preparing.events.filter(kind=CaseEvent.Kind.RELEASE_PREPARATION).count() == 3
    stale = caseworker.put(
        url,
        {"travel_document_status": "requested"},
        content_type="application/json",
        HTTP_IF_MATCH='"0"',
    )
    assert stale.status_code == 412
    # A PUT replaces the record whole: left out means empty, and the flight needs its date.
    bad = caseworker.put(
        url, {"flight_number": "JU 371"}, content_type="application/json", HTTP_IF_MATCH='"1"'
    )
    assert bad.status_code == 400
    assert "flight_on" in bad.json()["error"]["details"]
    wrong = caseworker.put(
        url,
        {"travel_document_status": "lost"},
        content_type="application/json",
        HTTP_IF_MATCH='"1"',
    )
    assert wrong.status_code == 400
    assert "travel_document_status" in wrong.content.decode()
    assert ReleasePreparation.objects.get().version == 1


def test_the_api_refuses_outside_the_window_with_409(caseworker, carla) -> None:
    case = case_in(S.SERVING, caseworker=carla, inmate=make_eligible_inmate())
    response = caseworker.put(
        _api(case),
        {"travel_document_status": "requested"},
        content_type="application/json",
        HTTP_IF_MATCH='"0"',
    )
    assert response.status_code == 409
    assert "Release preparation starts on" in response.json()["error"]["message"]


@pytest.mark.parametrize("who", ["finance_officer", "finance_approver", "stranger"])
def test_roles_outside_the_case_work_cannot_read_or_write(who, persona, preparing) -> None:
    client = persona(who)
    assert client.get(_api(preparing)).status_code == 403
    put = client.put(_api(preparing), {}, content_type="application/json", HTTP_IF_MATCH='"0"')
    assert put.status_code == 403
    page = client.post(reverse("transfers:case-release-preparation", args=[preparing.pk]), _form())
    assert page.status_code == 403
    assert not ReleasePreparation.objects.exists()


@pytest.mark.parametrize("who", ["occupancy_admin", "auditor"])
def test_readers_cannot_record_the_preparation(who, persona, preparing) -> None:
    client = persona(who)
    put = client.put(
        _api(preparing),
        {"travel_document_status": "requested"},
        content_type="application/json",
        HTTP_IF_MATCH='"0"',
    )
    assert put.status_code == 403
    page = client.post(
        reverse("transfers:case-release-preparation", args=[preparing.pk]),
        _form(travel_document_status="requested"),
    )
    assert page.status_code == 403
    assert not ReleasePreparation.objects.exists()


def test_the_schema_documents_the_endpoint_with_its_roles(caseworker) -> None:
    schema = caseworker.get(reverse("api:schema"), HTTP_ACCEPT="application/json").json()
    operations = schema["paths"]["/api/v1/transfer-cases/{id}/release-preparation/"]
    assert set(operations) >= {"get", "put"}
    assert "caseworker" in operations["put"]["description"]
    assert {"400", "403", "409", "412", "428"} <= set(operations["put"]["responses"])
    assert any(p["name"] == "If-Match" for p in operations["put"]["parameters"])


def test_a_deported_case_can_no_longer_be_prepared(carla) -> None:
    case = TransferCaseFactory(state=S.DEPORTED, caseworker=carla, closed_at=timezone.now())
    with pytest.raises(ConflictError):
        release_preparation.record(
            case=case, actor=carla, values={"travel_document_status": "requested"}
        )
    assert not ReleasePreparation.objects.exists()

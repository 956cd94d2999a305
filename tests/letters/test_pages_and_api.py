"""Letters from the case page, the transport page and the API, with the role rules and the log."""

from datetime import date

import pytest
from django.urls import reverse

from program.audit.models import AccessLogEntry
from tests.letters.conftest import REASONS_DA, S, decided_case, letter_pages
from transfers.letters.models import Letter, LetterJob, LetterKind
from transfers.models import ManifestEntry, TransportBatch

DECISION = LetterKind.TRANSFER_DECISION


def _form(**values):
    return {"kind": DECISION, "reasons": REASONS_DA, "notify_on": "2026-10-12", **values}


@pytest.mark.django_db
def test_a_caseworker_makes_a_letter_from_the_case_page_and_downloads_it(
    programme, carla, caseworker
) -> None:
    case = decided_case(carla, languages=["Arabic"])
    page = caseworker.get(reverse("transfers:case-detail", args=[case.pk])).content.decode()
    assert 'data-testid="letter-form"' in page
    assert "Danish + Arabic" in page
    response = caseworker.post(reverse("letters:case-letter-generate", args=[case.pk]), _form())
    assert response.status_code == 302
    letter = Letter.objects.get(case=case)
    assert letter.languages == ["da", "ar"]
    page = caseworker.get(reverse("transfers:case-detail", args=[case.pk])).content.decode()
    assert f'data-testid="letter-download-{letter.pk}"' in page
    # The checklist shows the generated letter as the decision letter.
    assert 'data-testid="download-decision_letter"' in page
    # Downloading it is the case document's download: logged as an export of the person's data.
    download = caseworker.get(reverse("transfers:document-download", args=[letter.document_id]))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    entry = AccessLogEntry.objects.filter(action="export").get()
    assert entry.subject_id == str(case.inmate_id) or entry.subject_id == case.inmate_id
    assert entry.criterion["document"] == "decision_letter"


@pytest.mark.django_db
def test_a_refused_letter_says_why_on_the_page_and_writes_nothing(
    programme, carla, caseworker
) -> None:
    case = decided_case(carla)
    response = caseworker.post(
        reverse("letters:case-letter-generate", args=[case.pk]), _form(reasons=""), follow=True
    )
    assert "Write the reasons for the decision" in response.content.decode()
    assert not Letter.objects.exists()


@pytest.mark.django_db
def test_other_roles_see_the_letters_but_cannot_make_them(
    programme, carla, caseworker, occupancy_admin, auditor, finance_officer
) -> None:
    case = decided_case(carla)
    caseworker.post(reverse("letters:case-letter-generate", args=[case.pk]), _form())
    url = reverse("letters:case-letter-generate", args=[case.pk])
    for client in (occupancy_admin, auditor, finance_officer):
        assert client.post(url, _form(reasons="Other")).status_code == 403
    api = reverse("api:transfer-case-letters", args=[case.pk])
    assert auditor.get(api).status_code == 200
    assert finance_officer.get(api).status_code == 403
    assert auditor.post(api, _form(), content_type="application/json").status_code == 403
    assert Letter.objects.count() == 1


@pytest.mark.django_db
def test_the_api_makes_a_letter_and_answers_200_when_nothing_changed(
    programme, carla, caseworker
) -> None:
    case = decided_case(carla)
    url = reverse("api:transfer-case-letters", args=[case.pk])
    first = caseworker.post(url, _form(), content_type="application/json")
    assert first.status_code == 201, first.json()
    body = first.json()
    assert body["kind"] == DECISION
    assert body["document_version"] == 1
    assert body["languages"] == ["da", "en"]
    assert body["data"]["appeal_deadline"] == "2026-12-11"
    again = caseworker.post(url, _form(), content_type="application/json")
    assert again.status_code == 200
    assert again.json()["id"] == body["id"]
    refused = caseworker.post(url, _form(reasons=""), content_type="application/json")
    assert refused.status_code == 400
    assert refused.json()["error"]["details"] == {"reasons": ["required"]}
    listed = caseworker.get(url).json()
    assert [row["id"] for row in listed] == [body["id"]]


@pytest.fixture
def small_transport(programme, carla) -> TransportBatch:
    batch = TransportBatch.objects.create(
        agreement=programme,
        departs_on=date(2026, 12, 10),
        direction="dk_xk",
        seats=4,
        created_by=carla,
    )
    for name in ("Ali Ğürsoy", "Nikola Đorđević"):
        case = decided_case(carla, state=S.SCHEDULED, name=name)
        ManifestEntry.objects.create(batch=batch, case=case, added_by=carla)
    return batch


@pytest.mark.django_db
def test_the_transport_page_starts_one_job_and_shows_its_progress(
    small_transport, caseworker, outbox_published, django_capture_on_commit_callbacks
) -> None:
    queued = outbox_published("letters.transport_job_run")
    page = caseworker.get(reverse("transfers:batch-detail", args=[small_transport.pk]))
    assert 'data-testid="batch-letters"' in page.content.decode()
    url = reverse("letters:batch-letters", args=[small_transport.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = caseworker.post(url)
    job = LetterJob.objects.get()
    assert response.url == reverse("letters:letter-job", args=[job.pk])
    with django_capture_on_commit_callbacks(execute=True):
        assert caseworker.post(url).url == response.url  # a second click joins the same job
    assert queued == [job.pk]
    progress = caseworker.get(response.url, headers={"HX-Request": "true"}).content.decode()
    assert 'hx-trigger="every 1s"' in progress
    api = caseworker.post(reverse("api:transport-batch-letters", args=[small_transport.pk]))
    assert api.status_code == 202
    assert api.json()["id"] == job.pk


@pytest.mark.django_db
def test_the_job_makes_the_manifest_and_each_case_notification(small_transport, carla) -> None:
    from transfers.letters import services

    job = services.letter_job_start(batch=small_transport, actor=carla)
    finished = services.letter_job_run(job_id=job.pk)
    assert finished is not None
    assert finished.state == LetterJob.State.FINISHED
    # The manifest once, then a notification for each of the two.
    assert (finished.total, finished.done, finished.made) == (3, 3, 4)
    manifest = Letter.objects.filter(kind=LetterKind.TRANSPORT_MANIFEST).first()
    text = " ".join(letter_pages(manifest))
    assert "Ali Ğürsoy" in text
    assert "Nikola Đorđević" in text
    assert Letter.objects.filter(kind=LetterKind.NOTIFICATION).count() == 2
    # Delivered again: a finished job does nothing; a new one makes nothing new.
    services.letter_job_run(job_id=job.pk)
    rerun = services.letter_job_run(
        job_id=services.letter_job_start(batch=small_transport, actor=carla).pk
    )
    assert rerun is not None
    assert rerun.made == 0
    assert Letter.objects.count() == 4


@pytest.mark.django_db
@pytest.mark.parametrize("letters", [1, 3])
def test_the_letter_list_costs_the_same_for_one_letter_as_for_three(
    programme, carla, caseworker, letters, django_assert_num_queries
) -> None:
    from transfers.letters import services
    from transfers.letters.data import Inputs

    case = decided_case(carla)
    for n in range(letters):
        services.letter_generate(
            case=case, kind=DECISION, actor=carla, inputs=Inputs(reasons=f"{REASONS_DA} {n}")
        )
    url = reverse("api:transfer-case-letters", args=[case.pk])
    # session, user, roles (route policy), the case, the request's history context, and the
    # letters with their documents and makers in one query
    with django_assert_num_queries(5):
        response = caseworker.get(url)
    assert len(response.json()) == letters

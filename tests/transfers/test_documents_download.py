"""Downloading a stored document: readers only, as an attachment named without personal data."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.transfers.conftest import make_eligible_inmate
from tests.transfers.helpers import PDF, PNG
from transfers import services
from transfers.models import Document

pytestmark = pytest.mark.django_db


@pytest.fixture
def document(carla, place) -> Document:
    inmate = make_eligible_inmate(name="Youssef Benali")
    case = services.case_open(inmate=inmate, actor=carla)
    upload = SimpleUploadedFile("Youssef Benali judgment.pdf", PDF, content_type="application/pdf")
    return services.document_upload(case=case, kind="judgment", file=upload, actor=carla)


@pytest.mark.parametrize("who", ["caseworker", "occupancy_admin", "auditor"])
def test_readers_download_the_stored_bytes_as_an_attachment(who, persona, document) -> None:
    client = persona(who)
    url = reverse("transfers:document-download", args=[document.pk])
    if who != "caseworker":  # not their case: they say why first, once (program/audit/purpose)
        assert 'data-testid="purpose-form"' in client.get(url).content.decode()
        client.post(
            reverse("audit:purpose"),
            {
                "subject_type": "inmate",
                "subject_id": document.case.inmate_id,
                "next": url,
                "purpose": "audit",
            },
        )
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert disposition == f'attachment; filename="case-{document.case_id}-judgment-v1.pdf"'
    assert "Benali" not in disposition
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("who", ["finance_officer", "finance_approver", "stranger"])
def test_others_cannot_download(who, persona, document) -> None:
    response = persona(who).get(reverse("transfers:document-download", args=[document.pk]))
    assert response.status_code == 403


def test_each_version_downloads_with_its_own_number_and_type(caseworker, carla, document) -> None:
    upload = SimpleUploadedFile("scan.png", PNG, content_type="image/png")
    second = services.document_upload(case=document.case, kind="judgment", file=upload, actor=carla)
    first = caseworker.get(reverse("transfers:document-download", args=[document.pk]))
    newer = caseworker.get(reverse("transfers:document-download", args=[second.pk]))
    assert b"".join(first.streaming_content) == PDF
    assert b"".join(newer.streaming_content) == PNG
    assert newer["Content-Disposition"].endswith('judgment-v2.png"')


def test_the_case_page_links_the_latest_version(caseworker, document) -> None:
    page = caseworker.get(reverse("transfers:case-detail", args=[document.case_id]))
    assert reverse("transfers:document-download", args=[document.pk]) in page.content.decode()


def test_a_file_missing_from_storage_is_a_404(caseworker, document) -> None:
    document.file.delete(save=False)
    response = caseworker.get(reverse("transfers:document-download", args=[document.pk]))
    assert response.status_code == 404

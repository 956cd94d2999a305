"""Judgments and expulsion orders on their own endpoints: read by the inmate readers, written by
caseworkers, updates guarded by If-Match, every read in the access log."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from program.audit.models import AccessLogEntry
from program.inmates.models import Inmate
from tests.inmates.factories import ExpulsionOrderFactory, InmateFactory, JudgmentFactory

pytestmark = pytest.mark.django_db

JUDGMENTS = "/api/v1/judgments/"
ORDERS = "/api/v1/expulsion-orders/"


def _judgment(inmate: Inmate, **overrides: object) -> dict[str, object]:
    return {
        "inmate": inmate.pk,
        "court": "Court of Glostrup",
        "judgment_date": "2025-06-01",
        "final_on": "2025-06-20",
        "sentence_type": "fixed_term",
        "length_days": 120,
        "remand_days": 0,
        "sentence_start": "2025-07-01",
        "offence_categories": ["drugs"],
        **overrides,
    }


def test_a_caseworker_records_a_judgment_and_the_person_s_dates_combine(caseworker) -> None:
    inmate = InmateFactory()
    JudgmentFactory(inmate=inmate, sentence_start=date(2025, 1, 1), length_days=900, remand_days=30)
    response = caseworker.post(JUDGMENTS, _judgment(inmate), content_type="application/json")
    assert response.status_code == 201, response.content
    assert response["ETag"]
    body = response.json()
    assert (body["runs"], body["full_term_date"]) == ("consecutive", "2025-10-29")
    person = caseworker.get(f"/api/v1/inmates/{inmate.pk}/").json()
    assert (person["two_thirds_on"], person["release_date"]) == ("2026-10-13", "2027-09-18")


def test_the_occupancy_administrator_reads_judgments_but_does_not_write_them(
    occupancy_admin,
) -> None:
    judgment = JudgmentFactory()
    assert occupancy_admin.get(JUDGMENTS).status_code == 200
    assert occupancy_admin.get(f"{JUDGMENTS}{judgment.pk}/").status_code == 200
    refused = occupancy_admin.post(
        JUDGMENTS, _judgment(judgment.inmate), content_type="application/json"
    )
    assert refused.status_code == 403


def test_a_judgment_that_breaks_a_rule_is_refused_with_the_field(caseworker) -> None:
    inmate = InmateFactory()
    response = caseworker.post(
        JUDGMENTS, _judgment(inmate, remand_days=500), content_type="application/json"
    )
    assert response.status_code == 400
    assert "remand_days" in response.json()["error"]["details"]
    assert not inmate.judgments.exists()


def test_changing_a_judgment_needs_the_etag_of_the_last_read(caseworker) -> None:
    judgment = JudgmentFactory()
    url = f"{JUDGMENTS}{judgment.pk}/"
    etag = caseworker.get(url)["ETag"]
    patch = {"runs": "concurrent"}
    assert caseworker.patch(url, patch, content_type="application/json").status_code == 428
    done = caseworker.patch(url, patch, content_type="application/json", HTTP_IF_MATCH=etag)
    assert done.status_code == 200, done.content
    assert done.json()["runs"] == "concurrent"
    stale = caseworker.patch(
        url, {"runs": "consecutive"}, content_type="application/json", HTTP_IF_MATCH=etag
    )
    assert stale.status_code == 412
    moved = caseworker.patch(
        url,
        {"inmate": InmateFactory().pk},
        content_type="application/json",
        HTTP_IF_MATCH=done["ETag"],
    )
    assert moved.status_code == 400


def test_reading_a_judgment_or_an_order_is_in_the_access_log(auditor) -> None:
    order = ExpulsionOrderFactory()
    before = AccessLogEntry.objects.count()
    assert auditor.get(f"{ORDERS}{order.pk}/").status_code == 200
    assert auditor.get(ORDERS, {"inmate": order.inmate_id}).status_code == 200
    assert AccessLogEntry.objects.count() == before + 2


def test_an_order_revoked_from_a_later_date_is_in_force_today(caseworker) -> None:
    inmate = InmateFactory()
    later = (timezone.localdate() + timedelta(days=10)).isoformat()
    response = caseworker.post(
        ORDERS,
        {"inmate": inmate.pk, "ordered_on": "2024-11-01", "final": True, "revoked_on": later},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["in_force"] is True
    url = f"{ORDERS}{response.json()['id']}/"
    past = (timezone.localdate() - timedelta(days=1)).isoformat()
    changed = caseworker.patch(
        url, {"revoked_on": past}, content_type="application/json", HTTP_IF_MATCH=response["ETag"]
    )
    assert changed.json()["in_force"] is False


def test_the_judgment_list_pins_its_queries(caseworker, django_assert_num_queries) -> None:
    for _ in range(3):
        JudgmentFactory()
    # session, user, roles (2), count, page, offence groups (prefetch), access-log insert
    with django_assert_num_queries(8, exact=False) as captured:
        assert caseworker.get(JUDGMENTS).status_code == 200
    many = len(captured.captured_queries)
    for _ in range(5):
        JudgmentFactory()
    with django_assert_num_queries(many):
        caseworker.get(JUDGMENTS)

"""Every look at a person's record, search, export and import writes one access-log row."""

import csv
import io
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from program.audit import services
from program.audit.models import AccessLogEntry, AuditPurge
from program.core.errors import ApplicationError
from tests.factories import FacilityFactory, the_programme
from tests.inmates.factories import InmateFactory
from transfers.models import TransferCase

pytestmark = pytest.mark.django_db


def _choose(client, inmate, purpose="occupancy", other=""):
    return client.post(
        reverse("audit:purpose"),
        {
            "subject_type": "inmate",
            "subject_id": inmate.pk,
            "next": reverse("inmates:detail", args=[inmate.pk]),
            "purpose": purpose,
            "other": other,
        },
    )


def test_the_record_page_asks_why_before_showing_the_record(occupancy_admin) -> None:
    inmate = InmateFactory(name="Pia Private")
    first = occupancy_admin.get(reverse("inmates:detail", args=[inmate.pk]))
    assert first.status_code == 200
    assert "Pia Private" not in first.content.decode()
    assert 'data-testid="purpose-form"' in first.content.decode()
    assert AccessLogEntry.objects.count() == 0

    chosen = _choose(occupancy_admin, inmate, "other", "checking a complaint")
    assert chosen.status_code == 302
    shown = occupancy_admin.get(chosen["Location"])
    assert "Pia Private" in shown.content.decode()
    entry = AccessLogEntry.objects.get()
    assert (entry.actor_username, entry.action, entry.subject_type, entry.subject_id) == (
        "otto",
        "view",
        "inmate",
        str(inmate.pk),
    )
    assert entry.purpose == "other: checking a complaint"
    assert entry.route == "inmates:detail"
    assert entry.request_id == shown["X-Request-ID"]
    # Asked once per record per session.
    occupancy_admin.get(reverse("inmates:detail", args=[inmate.pk]))
    assert AccessLogEntry.objects.count() == 2


def test_other_without_a_reason_is_refused(occupancy_admin) -> None:
    inmate = InmateFactory()
    assert _choose(occupancy_admin, inmate, "other", "").status_code == 400


def test_the_caseworker_of_an_open_case_is_doing_case_work(caseworker) -> None:
    inmate = InmateFactory(name="Carl Case")
    carla = get_user_model().objects.get(username="carla")
    TransferCase.objects.create(agreement=the_programme(), inmate=inmate, caseworker=carla)
    response = caseworker.get(reverse("inmates:detail", args=[inmate.pk]))
    assert "Carl Case" in response.content.decode()
    assert AccessLogEntry.objects.get().purpose == "case work"


def test_the_api_takes_the_purpose_from_the_header_or_defaults(caseworker) -> None:
    inmate = InmateFactory()
    url = reverse("api:inmate-detail", args=[inmate.pk])
    assert caseworker.get(url, HTTP_X_PURPOSE="appeal case").status_code == 200
    assert caseworker.get(url).status_code == 200
    purposes = list(AccessLogEntry.objects.order_by("id").values_list("purpose", "route"))
    assert purposes == [("appeal case", "api:inmate-detail"), ("api", "api:inmate-detail")]


def test_a_list_names_its_people_and_a_search_records_its_criterion(caseworker) -> None:
    shown = InmateFactory(case_number="KF-9001")
    caseworker.get(reverse("inmates:list"), {"order": "name"})
    caseworker.get(reverse("inmates:list"), {"search": "KF-9", "order": "name"})
    caseworker.get(reverse("api:inmate-list"), {"search": "Ann", "nationality": "RS", "page": 1})
    listing, page, api = AccessLogEntry.objects.order_by("id")
    assert (listing.action, listing.criterion, listing.subject_ids) == ("list", {}, [str(shown.pk)])
    assert (page.action, page.criterion, page.subject_ids) == (
        "search",
        {"search": "KF-9"},
        [str(shown.pk)],
    )
    assert (api.criterion, api.subject_ids) == ({"search": "Ann", "nationality": "RS"}, [])
    assert api.route == "api:inmate-list"


def test_the_roll_export_is_logged(occupancy_admin) -> None:
    facility = FacilityFactory()
    assert (
        occupancy_admin.get(reverse("cells:roll-csv"), {"facility": facility.pk}).status_code == 200
    )
    assert occupancy_admin.get(reverse("api:roll"), {"facility": facility.pk}).status_code == 200
    rows = list(AccessLogEntry.objects.order_by("id").values_list("action", "criterion", "route"))
    day = timezone.localdate().isoformat()
    assert rows == [
        ("export", {"facility": facility.pk, "date": day}, "cells:roll-csv"),
        ("export", {"facility": facility.pk, "date": day}, "api:roll"),
    ]


# --- Retention -----------------------------------------------------------------------------------


def _entry(days_ago: int) -> AccessLogEntry:
    return AccessLogEntry.objects.create(
        at=timezone.now() - timedelta(days=days_ago), action="view", subject_type="inmate"
    )


def test_retention_deletes_only_rows_past_the_floor_and_records_counts() -> None:
    old, older, recent = _entry(200), _entry(400), _entry(100)
    purge = services.access_log_purge()
    assert set(AccessLogEntry.objects.values_list("pk", flat=True)) == {recent.pk}
    assert (purge.access_log_deleted, purge.older_than_days) == (2, 183)
    again = services.access_log_purge()
    assert again.access_log_deleted == 0
    assert AuditPurge.objects.count() == 2
    assert {old.pk, older.pk}.isdisjoint(AccessLogEntry.objects.values_list("pk", flat=True))


def test_retention_refuses_a_period_below_the_floor() -> None:
    _entry(100)
    with pytest.raises(ApplicationError):
        services.access_log_purge(older_than_days=30)
    assert AccessLogEntry.objects.count() == 1


def test_a_longer_period_keeps_more() -> None:
    _entry(200)
    _entry(400)
    assert services.access_log_purge(older_than_days=365).access_log_deleted == 1


def test_the_beat_task_purges(settings) -> None:
    from program.audit.tasks import access_log_purge

    _entry(300)
    assert access_log_purge.apply().get() == 1


# --- Auditor pages -------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["caseworker", "occupancy_admin", "finance_officer", "stranger"])
def test_only_auditors_reach_the_access_log(persona, who) -> None:
    client = persona(who)
    assert client.get(reverse("audit:access-log")).status_code == 403
    assert client.get(reverse("audit:subject-report")).status_code == 403


def test_finance_roles_never_see_a_persons_history(finance_officer) -> None:
    url = reverse("audit:history")
    assert finance_officer.get(url, {"model": "inmates.Inmate", "id": 1}).status_code == 403


@pytest.mark.parametrize("rows", [1, 60])
def test_access_log_page_query_count(auditor, django_assert_num_queries, rows) -> None:
    AccessLogEntry.objects.bulk_create(
        AccessLogEntry(action="view", subject_type="inmate", subject_id=str(n), actor_username="u")
        for n in range(rows)
    )
    # 1 session, 2 user, 3 roles, 4 count, 5 the page of entries
    with django_assert_num_queries(4):
        response = auditor.get(reverse("audit:access-log"), {"user": "u", "action": "view"})
    assert response.status_code == 200
    assert response.context["page"].paginator.count == rows


def test_access_log_search_by_subject_and_date(auditor) -> None:
    _entry(3)
    AccessLogEntry.objects.create(action="search", subject_type="inmate", subject_id="7")
    today = timezone.localdate().isoformat()
    response = auditor.get(
        reverse("audit:access-log"), {"subject_id": "7", "start": today, "end": today}
    )
    assert response.context["page"].paginator.count == 1


def test_subject_report_has_dates_and_purposes_but_no_staff(auditor) -> None:
    AccessLogEntry.objects.create(
        action="view",
        subject_type="inmate",
        subject_id="42",
        purpose="=HYPERLINK(evil)",
        actor_username="carla",
    )
    response = auditor.get(
        reverse("audit:subject-report"), {"subject_type": "inmate", "subject_id": "42"}
    )
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) == 2
    assert rows[1][2] == "'=HYPERLINK(evil)"
    assert "carla" not in text
    # The disclosure itself is logged.
    assert AccessLogEntry.objects.filter(action="disclosure", subject_id="42").count() == 1


def test_an_unknown_record_is_a_404_not_a_purpose_form(occupancy_admin) -> None:
    assert occupancy_admin.get(reverse("inmates:detail", args=[999999])).status_code == 404
    assert AccessLogEntry.objects.count() == 0

"""The demo's transfer cases: every state, consistent with the placements, loaded once."""

import hashlib
import io
import re
from collections import defaultdict
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from program.cells import demo as cells_demo
from program.cells.models import Agreement, Placement
from program.core.demo import demo_load
from tests.letters.demo_checks import check_demo_letters
from transfers.demo_documents import minimal_pdf
from transfers.models import (
    CaseEvent,
    Document,
    ManifestEntry,
    Screening,
    TransferCase,
    missing_release_steps,
)
from transfers.report.figures import programme_report, scope_for
from transfers.report.periods import Period
from transfers.services import REQUIRED_DOCUMENTS

pytestmark = pytest.mark.django_db
S = TransferCase.State
QUERY_CEILING = 3_000  # 2,250 in December 2026

TABLES = [
    "transfers_transfercase",
    "transfers_caseevent",
    "transfers_screening",
    "transfers_decision",
    "transfers_inmateopinion",
    "transfers_transportbatch",
    "transfers_manifestentry",
    "transfers_document",
    "cells_placement",
]


def _snapshot() -> dict[str, list[tuple]]:
    with connection.cursor() as cursor:
        result = {}
        for table in TABLES:
            cursor.execute(f"SELECT * FROM {table} ORDER BY 1")  # noqa: S608 - fixed names
            result[table] = cursor.fetchall()
    return result


def _load_counting_transfers() -> int:
    """Load the demo in its order; the SQL queries the transfer cases' loader sent."""
    from django.utils.module_loading import autodiscover_modules

    from program.core import demo as core_demo
    from transfers import demo as transfers_demo

    autodiscover_modules("demo")
    sent = 0
    for loader in sorted(core_demo._LOADERS, key=lambda item: item.order):
        if loader.load is not transfers_demo.load:
            loader.load(io.StringIO())
            continue
        with CaptureQueriesContext(connection) as queries:
            loader.load(io.StringIO())
        sent = len(queries)
    return sent


def test_the_demo_has_consistent_cases_in_every_state_in_bulk_and_once(db, caseworker) -> None:
    # A ceiling on the loader's queries, not on its time: time swings with the machine's load,
    # while a loader that starts writing row by row shows up here as thousands more queries.
    sent = _load_counting_transfers()
    print(f"transfers demo: {sent} queries")
    assert sent < QUERY_CEILING, f"the transfers demo sent {sent} queries"
    present = set(TransferCase.objects.values_list("state", flat=True))
    assert present == set(TransferCase.State.values), set(TransferCase.State.values) - present
    _check_placements()
    _check_screenings()
    _check_documents()
    check_demo_letters()
    _check_programme_report()
    _check_a_document_downloads(caseworker)
    before = _snapshot()
    demo_load(out=io.StringIO())
    assert _snapshot() == before


def _check_programme_report() -> None:
    """The demo's 2026 report has something in every figure on the timeline that the demo's
    history holds, and its durations spread."""
    # The demo's cases are the Gjilan programme's (the caseworker fixture brings a programme
    # of its own, so the first one signed is not necessarily the demo's).
    agreement = Agreement.objects.get(name=cells_demo.AGREEMENT_NAME)
    report = programme_report(
        scope=scope_for(agreement=agreement, period=Period(2026), today=date(2026, 12, 3))
    )
    for key in (
        "decided",
        "carried_out",
        "refused",
        "appeals_lodged",
        "appeal_outcomes",
        "gate_refusals",
        "returns",
        "removals",
        "not_removable",
    ):
        assert report.result(key).value("total"), key
    days = report.result("days_to_decision")
    assert days.value("p90") > days.value("median")  # type: ignore[operator]
    assert report.result("occupancy").value("peak")
    assert report.result("cost").value("cost_per_occupied_place_day")


def _check_placements() -> None:
    for case in TransferCase.objects.select_related("placement"):
        placement = case.placement
        if case.state in (S.SERVING, S.ADMITTED, S.RELEASE_PREP, S.RETURN_PENDING):
            assert placement is not None, case
            assert placement.kind == "placement", case
            assert placement.inmate_id == case.inmate_id
            assert not placement.end_reason, case
        elif case.state in (S.SCHEDULED, S.IN_TRANSIT):
            assert placement is not None, case
            assert placement.kind == "reservation", case
            assert ManifestEntry.objects.filter(case=case, placement=placement).exists()
        elif case.state == S.DEPORTED:
            assert placement is not None
            assert placement.end_reason == "deported"
            # A deportation needs the three release steps done.
            assert missing_release_steps(getattr(case, "release_preparation", None)) == []
        elif case.state == S.RETURNED:
            assert placement is not None
            # Back from the host facility, or refused at its gate (the reservation freed).
            assert (placement.kind, placement.end_reason) in {
                ("placement", "returned"),
                ("reservation", "cancelled"),
            }, case
        elif case.state == S.RELEASED_NOT_REMOVABLE:
            assert placement is not None
            assert placement.end_reason == "released"
        else:
            assert placement is None, case
    # Everyone in place at Gjilan, or holding a reservation, has a case.
    held = Placement.objects.filter(end_reason="").values_list("inmate_id", flat=True)
    with_case = set(TransferCase.objects.values_list("inmate_id", flat=True))
    assert set(held) <= with_case


def _check_screenings() -> None:
    for case in TransferCase.objects.filter(state__in=[S.ELIGIBLE, S.INELIGIBLE, S.NEEDS_REVIEW]):
        assert Screening.objects.filter(case=case).exists()
        assert case.events.filter(kind=CaseEvent.Kind.SCREENING).exists()


def _check_documents() -> None:
    """Every case holds the documents its checklist asked for on the way to its state."""
    entered: dict[int, set[str]] = defaultdict(set)
    for case_id, state in CaseEvent.objects.filter(kind=CaseEvent.Kind.TRANSITION).values_list(
        "case_id", "to_state"
    ):
        entered[case_id].add(state)
    have: dict[int, set[str]] = defaultdict(set)
    for case_id, kind in Document.objects.values_list("case_id", "kind"):
        have[case_id].add(kind)
    for case_id, states in entered.items():
        needed = {kind for state in states for kind in REQUIRED_DOCUMENTS.get(state, ())}
        assert needed <= have[case_id], (case_id, states, needed - have[case_id])
    serving = TransferCase.objects.filter(state=S.SERVING).values_list("pk", flat=True)
    every_kind = {kind for kinds in REQUIRED_DOCUMENTS.values() for kind in kinds}
    assert all(have[pk] == every_kind for pk in serving)
    # Nobody is given a document before the checklist asks for it.
    assert not Document.objects.filter(case__state__in=[S.IDENTIFIED, S.ELIGIBLE]).exists()
    # The demo's stand-in files (the letters it makes are real PDFs, checked with the letters).
    for document in Document.objects.filter(letter__isnull=True).order_by("kind").distinct("kind"):
        with document.file.open("rb") as handle:
            content = handle.read()
        assert_valid_pdf(content)
        assert hashlib.sha256(content).hexdigest() == document.sha256
        assert len(content) == document.size


def assert_valid_pdf(content: bytes) -> None:
    """The structure a PDF reader relies on: header, objects at the offsets the cross-reference
    table gives, the stream's declared length, startxref pointing at the table, %%EOF."""
    assert content.startswith(b"%PDF-1.")
    assert content.rstrip().endswith(b"%%EOF")
    startxref = int(content.rsplit(b"startxref", 1)[1].split()[0])
    assert content[startxref:].startswith(b"xref")
    table = content[startxref:].split(b"trailer", 1)[0].splitlines()
    first, count = (int(n) for n in table[1].split())
    assert first == 0
    for number, line in enumerate(table[3 : 3 + count - 1], start=1):
        offset = int(line.split()[0])
        assert content[offset:].startswith(b"%d 0 obj" % number), number
    length = int(re.search(rb"/Length (\d+)", content).group(1))  # type: ignore[union-attr]
    stream = content.split(b"stream\n", 1)[1]
    assert stream[length:].startswith(b"\nendstream")


def test_the_demo_pdf_builder_makes_a_well_formed_pdf() -> None:
    content = minimal_pdf("Judgment (copy)", ["Line one", "Back\\slash and (parens)"])
    assert_valid_pdf(content)
    assert b"(Judgment \\(copy\\)) Tj" in content


def _check_a_document_downloads(caseworker) -> None:
    from django.urls import reverse

    document = Document.objects.filter(kind=Document.Kind.JUDGMENT).first()
    assert document is not None
    # Not the reader's own case: the purpose of opening this person's file is given first.
    caseworker.post(
        reverse("audit:purpose"),
        {
            "subject_type": "inmate",
            "subject_id": document.case.inmate_id,
            "next": "/",
            "purpose": "audit",
        },
    )
    response = caseworker.get(reverse("transfers:document-download", args=[document.pk]))
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    assert_valid_pdf(body)
    assert b"synthetic judgment" in body

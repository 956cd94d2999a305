"""Drive a case along its journey through the services, as a caseworker and an administrator do."""

from datetime import timedelta

from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.factories import handover_ready
from transfers import release_preparation, services
from transfers.models import Decision, Document, ReleasePreparation, TransferCase, TransportBatch

S = TransferCase.State
PDF = b"%PDF-1.7\n%test document\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32


def upload(case: TransferCase, kind: str, actor: User, content: bytes = PDF) -> Document:
    file = SimpleUploadedFile(f"{kind}.pdf", content, content_type="application/pdf")
    return services.document_upload(case=case, kind=kind, file=file, actor=actor)


def upload_all(case: TransferCase, actor: User, *kinds: str) -> list[Document]:
    return [upload(case, kind, actor) for kind in kinds]


def batch(actor: User, **fields) -> TransportBatch:
    values = {
        "departs_on": timezone.localdate(),
        "direction": TransportBatch.Direction.TO_HOST,
        "seats": 4,
        "escort": "Two officers, an interpreter",
        **fields,
    }
    return services.batch_create(actor=actor, **values)


def advance(case: TransferCase, until: str, *, carla: User, otto: User) -> TransferCase:
    """Walk the main line from the case's state up to `until` (inclusive)."""
    today = timezone.localdate()
    kinds = Document.Kind
    steps = [
        (S.ELIGIBLE, lambda: services.case_screen(case=case, actor=carla)),
        (
            S.PROPOSED,
            lambda: (
                upload_all(
                    case, carla, kinds.JUDGMENT, kinds.EXPULSION_ORDER, kinds.MEDICAL_FITNESS
                ),
                services.case_transition(case=case, to=S.PROPOSED, actor=carla),
            ),
        ),
        (S.HOST_REVIEW, lambda: services.case_transition(case=case, to=S.HOST_REVIEW, actor=carla)),
        (
            S.DECIDED_TRANSFER,
            lambda: (
                services.opinion_record(
                    case=case, stance="objects", heard_on=today, language="Arabic", actor=carla
                ),
                upload(case, kinds.OPINION_RECORD, carla),
                services.decision_record(
                    case=case,
                    outcome=Decision.Outcome.TRANSFER,
                    authority="Kriminalforsorgen",
                    legal_basis="Straffuldbyrdelsesloven § 78",
                    decided_on=today,
                    actor=carla,
                ),
                services.case_transition(case=case, to=S.DECIDED_TRANSFER, actor=carla),
            ),
        ),
        (
            S.NOTIFIED,
            lambda: (
                upload_all(case, carla, kinds.DECISION_LETTER, kinds.NOTIFICATION_RECEIPT),
                services.case_transition(
                    case=case,
                    to=S.NOTIFIED,
                    actor=carla,
                    data={"notified_on": today - timedelta(days=61), "language": "Arabic"},
                ),
            ),
        ),
        (
            S.SCHEDULED,
            lambda: services.case_transition(
                case=case, to=S.SCHEDULED, actor=carla, data={"batch": batch(carla)}
            ),
        ),
        (
            S.IN_TRANSIT,
            lambda: (
                upload(case, kinds.TRANSPORT_MANIFEST, carla),
                handover_ready(case, carla),
                services.case_transition(case=case, to=S.IN_TRANSIT, actor=carla),
            ),
        ),
        (S.ADMITTED, lambda: services.case_transition(case=case, to=S.ADMITTED, actor=otto)),
        (S.SERVING, lambda: services.case_transition(case=case, to=S.SERVING, actor=otto)),
    ]
    # Steps already taken (the case is past them on the main line) are skipped.
    done = [state for state, _step in steps]
    start = done.index(case.state) + 1 if case.state in done else 0
    for state, step in steps[start:]:
        step()
        case.refresh_from_db()
        assert case.state == state, (state, case.state)
        if state == until:
            return case
    raise AssertionError(f"{until} is not on the main line")


# The three steps a deportation needs, all done (today's values).
def removal_steps() -> dict[str, object]:
    today = timezone.localdate()
    return {
        "travel_document_status": "issued",
        "travel_document_kind": "emergency",
        "travel_document_issued_on": today,
        "destination_accepted_on": today,
        "destination_reference": "RA-2026-117",
        "flight_on": today + timedelta(days=2),
        "flight_number": "JU 371",
        "escort_note": "",
    }


def prepare_removal(case: TransferCase, carla: User) -> ReleasePreparation:
    """Record the travel document, the country's acceptance and the flight on the case."""
    return release_preparation.record(case=case, actor=carla, values=removal_steps())

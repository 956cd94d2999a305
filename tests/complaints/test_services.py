"""Complaint services: deadlines by kind, receipt by the host facility, registration, answer,
documents, sealed letters, and the write history."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from program.audit.history import EVENT_MODELS
from program.complaints import services
from program.complaints.models import Complaint, ComplaintDocument, Kind
from program.core.errors import ApplicationError, ConflictError, PreconditionFailedError
from tests.complaints.helpers import (
    DAYS,
    authorities,
    days_ago,
    facility_with_rules,
    pdf,
    placed,
    post,
    user,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting(caseworker, host_officer, governor):
    facility = facility_with_rules()
    post("arben", facility)
    return {
        "facility": facility,
        "inmate": placed(facility),
        "authority": authorities(),
        "carla": user("carla"),
        "arben": user("arben"),
        "gunnar": user("gunnar"),
    }


@pytest.mark.parametrize("kind", [Kind.STAFF_TREATMENT, Kind.HEALTH_CARE, Kind.CONDITIONS])
def test_the_deadline_follows_the_kind(setting, kind) -> None:
    complaint = services.complaint_register(
        actor=setting["carla"],
        inmate=setting["inmate"],
        received_on=days_ago(5),
        channel=Complaint.Channel.LETTER_TO_STAFF,
        kind=kind,
        subject="The cell is cold.",
        authority=setting["authority"]["kf"],
    )
    assert complaint.deadline == days_ago(5) + timedelta(days=DAYS[kind])
    assert complaint.remind_on == complaint.deadline - timedelta(days=3)
    # The registering caseworker handles it.
    assert complaint.handler == setting["carla"]


def test_a_kind_without_a_rule_is_refused_with_what_to_do(setting) -> None:
    with pytest.raises(ApplicationError, match="system administrator"):
        services.complaint_register(
            actor=setting["carla"],
            inmate=setting["inmate"],
            received_on=days_ago(1),
            channel=Complaint.Channel.EMAIL,
            kind=Kind.TRANSFER,
            authority=setting["authority"]["kf"],
        )
    assert not Complaint.objects.exists()


def test_a_person_not_placed_on_the_day_is_refused(setting) -> None:
    with pytest.raises(ApplicationError, match="held no place"):
        services.complaint_register(
            actor=setting["carla"],
            inmate=setting["inmate"],
            received_on=days_ago(90),
            channel=Complaint.Channel.EMAIL,
            kind=Kind.OTHER,
            authority=setting["authority"]["kf"],
        )


def test_a_sealed_letter_keeps_no_subject_nor_copy_and_goes_to_the_ombudsman(setting) -> None:
    with pytest.raises(ApplicationError, match="unopened"):
        services.complaint_register(
            actor=setting["carla"],
            inmate=setting["inmate"],
            received_on=days_ago(1),
            channel=Complaint.Channel.SEALED_TO_OMBUDSMAN,
            kind=Kind.OTHER,
            subject="What it says",
        )
    with pytest.raises(ApplicationError, match="no copy"):
        services.complaint_register(
            actor=setting["carla"],
            inmate=setting["inmate"],
            received_on=days_ago(1),
            channel=Complaint.Channel.SEALED_TO_OMBUDSMAN,
            kind=Kind.OTHER,
            letter=pdf(),
        )
    complaint = services.complaint_register(
        actor=setting["carla"],
        inmate=setting["inmate"],
        received_on=days_ago(1),
        channel=Complaint.Channel.SEALED_TO_OMBUDSMAN,
        kind=Kind.OTHER,
    )
    assert complaint.sealed
    assert complaint.authority == setting["authority"]["ombud"]


def test_host_staff_record_a_receipt_at_their_own_facility_only(setting) -> None:
    complaint = services.complaint_receipt_record(
        actor=setting["arben"],
        inmate=setting["inmate"],
        received_on=days_ago(2),
        channel=Complaint.Channel.LETTER_TO_STAFF,
        sealed=True,
    )
    assert complaint.kind == Kind.OTHER
    assert complaint.deadline == days_ago(2) + timedelta(days=DAYS[Kind.OTHER])
    assert not complaint.is_registered
    elsewhere = placed(facility_with_rules())
    with pytest.raises(ApplicationError, match="not at your facility"):
        services.complaint_receipt_record(
            actor=setting["arben"],
            inmate=elsewhere,
            received_on=days_ago(2),
            channel=Complaint.Channel.LETTER_TO_STAFF,
            sealed=False,
        )


def test_host_staff_may_not_register_and_caseworkers_may_not_record_receipts(setting) -> None:
    with pytest.raises(services.NotAllowedError):
        services.complaint_register(
            actor=setting["arben"],
            inmate=setting["inmate"],
            received_on=days_ago(1),
            channel=Complaint.Channel.EMAIL,
            kind=Kind.OTHER,
            authority=setting["authority"]["kf"],
        )
    with pytest.raises(services.NotAllowedError):
        services.complaint_receipt_record(
            actor=setting["carla"],
            inmate=setting["inmate"],
            received_on=days_ago(1),
            channel=Complaint.Channel.EMAIL,
            sealed=False,
        )


def test_registering_a_receipt_sets_the_deadline_of_its_kind(setting) -> None:
    receipt = services.complaint_receipt_record(
        actor=setting["arben"],
        inmate=setting["inmate"],
        received_on=days_ago(2),
        channel=Complaint.Channel.LETTER_TO_STAFF,
        sealed=False,
    )
    updated = services.complaint_update(
        complaint=receipt,
        actor=setting["gunnar"],
        version=receipt.version,
        kind=Kind.STAFF_TREATMENT,
        subject="An officer shouted at him.",
        authority=setting["authority"]["kf"],
    )
    assert updated.deadline == days_ago(2) + timedelta(days=DAYS[Kind.STAFF_TREATMENT])
    assert updated.version == receipt.version + 1
    with pytest.raises(PreconditionFailedError):
        services.complaint_update(
            complaint=receipt, actor=setting["gunnar"], version=receipt.version, language="da"
        )


def test_the_answer_is_recorded_once_with_its_letter(setting) -> None:
    complaint = services.complaint_register(
        actor=setting["carla"],
        inmate=setting["inmate"],
        received_on=days_ago(5),
        channel=Complaint.Channel.EMAIL,
        kind=Kind.CONDITIONS,
        subject="No hot water.",
        authority=setting["authority"]["kf"],
        letter=pdf(),
    )
    with pytest.raises(ApplicationError, match="before the complaint was received"):
        services.complaint_answer(
            complaint=complaint, actor=setting["carla"], answered_on=days_ago(6), answer="x"
        )
    with pytest.raises(ApplicationError, match="in words or attach"):
        services.complaint_answer(
            complaint=complaint, actor=setting["carla"], answered_on=days_ago(1), answer=" "
        )
    answered = services.complaint_answer(
        complaint=complaint,
        actor=setting["carla"],
        answered_on=days_ago(1),
        answer="Repaired.",
        document=pdf("answer.pdf"),
    )
    assert answered.status == Complaint.Status.ANSWERED
    assert sorted(answered.documents.values_list("kind", flat=True)) == ["answer", "letter"]
    with pytest.raises(ConflictError, match="already answered"):
        services.complaint_answer(
            complaint=complaint, actor=setting["carla"], answered_on=days_ago(1), answer="x"
        )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"MZ\x90\x00 not a pdf", "Only PDF, PNG and JPEG"),
        (b"%PDF-" + b"0" * (10 * 1024 * 1024), "the limit is 10 MB"),
    ],
)
def test_documents_are_checked_like_the_case_documents(setting, content, message) -> None:
    complaint = services.complaint_register(
        actor=setting["carla"],
        inmate=setting["inmate"],
        received_on=days_ago(5),
        channel=Complaint.Channel.EMAIL,
        kind=Kind.CONDITIONS,
        authority=setting["authority"]["kf"],
    )
    upload = SimpleUploadedFile("x.pdf", content, content_type="application/pdf")
    with pytest.raises(ApplicationError, match=message):
        services.complaint_document_add(
            complaint=complaint, actor=setting["carla"], kind="letter", file=upload
        )
    assert not ComplaintDocument.objects.exists()


def test_every_write_is_in_the_history(setting) -> None:
    complaint = services.complaint_register(
        actor=setting["carla"],
        inmate=setting["inmate"],
        received_on=days_ago(5),
        channel=Complaint.Channel.EMAIL,
        kind=Kind.CONDITIONS,
        subject="No hot water.",
        authority=setting["authority"]["kf"],
    )
    services.complaint_answer(
        complaint=complaint, actor=setting["carla"], answered_on=days_ago(1), answer="Done."
    )
    change = EVENT_MODELS["complaints.Complaint"]
    rows = list(
        change.objects.filter(pgh_obj_id=complaint.pk)
        .order_by("pgh_id")
        .values_list("pgh_label", "status")
    )
    assert [label for label, _status in rows] == ["insert", "update"]
    assert rows[-1][1] == "answered"

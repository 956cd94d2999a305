import threading
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.db import IntegrityError, connection, connections, transaction

from finance import services
from finance.models import Payment, Tranche, TrancheApproval, TrancheCondition
from program.core.errors import ApplicationError, ConflictError
from program.core.roles import Role
from tests.finance.helpers import (
    approved,
    due,
    first_rent,
    invoiced,
    paid,
    pdf,
    scheduled,
    user,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def approver():
    return user("anders", Role.FINANCE_APPROVER)


# --- What the database refuses ----------------------------------------------------------------


@pytest.mark.parametrize("amount", [Decimal("0.00"), Decimal("-1.00")])
def test_the_database_refuses_a_non_positive_amount(tranche, amount) -> None:
    with pytest.raises(IntegrityError, match="tranche_amount_positive"):
        Tranche.objects.filter(pk=tranche.pk).update(amount=amount)


def test_the_database_refuses_a_non_positive_amount_in_raw_sql(tranche) -> None:
    with pytest.raises(IntegrityError, match="tranche_amount_positive"), connection.cursor() as c:
        c.execute("UPDATE finance_tranche SET amount = 0 WHERE id = %s", [tranche.pk])


def test_the_database_refuses_an_approver_who_prepared_the_tranche(tranche) -> None:
    officer = user("frida")
    tranche = invoiced(tranche, officer)
    with pytest.raises(IntegrityError, match="approval_four_eyes"):
        TrancheApproval.objects.create(
            tranche=tranche,
            round=1,
            level=1,
            decision="approve",
            approver=officer,
            preparer=officer,
        )


def test_the_database_refuses_the_preparer_as_approver_in_raw_sql(tranche) -> None:
    officer = user("frida")
    tranche = invoiced(tranche, officer)
    with pytest.raises(IntegrityError, match="approval_four_eyes"), connection.cursor() as c:
        c.execute(
            "INSERT INTO finance_trancheapproval"
            " (tranche_id, round, level, decision, approver_id, preparer_id, comment, at)"
            " VALUES (%s, 1, 1, 'approve', %s, %s, '', now())",
            [tranche.pk, officer.pk, officer.pk],
        )


def test_the_database_refuses_a_preparer_copy_that_is_not_the_tranches(tranche) -> None:
    officer = user("frida")
    tranche = invoiced(tranche, officer)
    other = user("y", Role.FINANCE_OFFICER)
    # The preparer approves, with someone else written in as preparer: the CHECK alone would pass.
    with (
        pytest.raises(IntegrityError, match="approval_preparer_matches_tranche"),
        connection.cursor() as c,
    ):
        c.execute(
            "INSERT INTO finance_trancheapproval"
            " (tranche_id, round, level, decision, approver_id, preparer_id, comment, at)"
            " VALUES (%s, 1, 1, 'approve', %s, %s, '', now())",
            [tranche.pk, officer.pk, other.pk],
        )


def test_the_database_refuses_a_reused_bank_reference(tranche) -> None:
    payment = paid(tranche, "BANK-7").payment
    with pytest.raises(IntegrityError):
        Payment.objects.create(
            tranche=Tranche.objects.exclude(pk=tranche.pk).first(),
            paid_on=date(2026, 4, 2),
            bank_reference=payment.bank_reference,
            amount=Decimal("1.00"),
            eur_dkk_rate=Decimal("7.46"),
            amount_dkk=Decimal("7.46"),
            recorded_by=payment.recorded_by,
        )


def test_the_database_refuses_a_disputed_tranche_without_reason(tranche) -> None:
    with pytest.raises(IntegrityError, match="tranche_side_states_have_reason"):
        Tranche.objects.filter(pk=tranche.pk).update(status="disputed")


def test_the_database_refuses_a_met_condition_without_evidence(tranche) -> None:
    with pytest.raises(IntegrityError, match="condition_met_with_second_signature"):
        TrancheCondition.objects.create(
            tranche=tranche,
            kind="facility_ready",
            signed_off_by=user("anders", Role.FINANCE_APPROVER),
            met_at="2026-04-01T10:00Z",
        )


def test_the_database_refuses_a_sign_off_by_whoever_recorded_the_evidence(tranche) -> None:
    with pytest.raises(IntegrityError, match="condition_met_with_second_signature"):
        TrancheCondition.objects.create(
            tranche=tranche,
            kind="facility_ready",
            evidence_reference="KSHK-1",
            evidence_at="2026-04-01T09:00Z",
            met_by=user("frida"),
            signed_off_by=user("frida"),
            met_at="2026-04-01T10:00Z",
        )


# --- The happy path ---------------------------------------------------------------------------


def test_a_tranche_goes_from_planned_to_paid(tranche, approver) -> None:
    tranche = due(tranche)
    assert tranche.status == "due"
    tranche = services.tranche_invoice(
        tranche=tranche,
        amount=Decimal("3750000.00"),
        invoice_reference="KOS-2026-1",
        invoiced_on=date(2026, 4, 2),
        actor=user("frida"),
    )
    assert (tranche.status, tranche.prepared_by.username) == ("invoiced", "frida")
    tranche = services.tranche_approve(tranche=tranche, actor=approver, comment="ok")
    assert tranche.status == "invoiced"  # two levels by default
    tranche = services.tranche_approve(tranche=tranche, actor=user("b", Role.FINANCE_APPROVER))
    assert tranche.status == "approved"
    tranche = services.tranche_pay(
        tranche=tranche,
        paid_on=date(2026, 4, 10),
        bank_reference="DK-0001",
        amount=Decimal("3750000.00"),
        eur_dkk_rate=Decimal("7.461234"),
        actor=user("frida"),
    )
    assert tranche.status == "paid"
    assert tranche.payment.amount_dkk == Decimal("27979627.50")
    assert [e.to_status for e in tranche.events.all()] == [
        "planned",
        "due",
        "invoiced",
        "invoiced",
        "approved",
        "paid",
    ]
    assert list(tranche.approvals.values_list("level", "decision")) == [
        (1, "approve"),
        (2, "approve"),
    ]


def test_one_approval_level_is_a_setting(tranche, approver, settings) -> None:
    settings.FINANCE_APPROVAL_LEVELS = 1
    tranche = services.tranche_approve(tranche=invoiced(tranche), actor=approver)
    assert tranche.status == "approved"


# --- Refusals ---------------------------------------------------------------------------------


def test_the_preparer_may_not_approve(tranche) -> None:
    # One person holding both roles: the service lets them approve, the four-eyes rule not.
    officer = user("frida")
    officer.groups.add(Group.objects.get(name=Role.FINANCE_APPROVER))
    tranche = invoiced(tranche, officer)
    with pytest.raises(ApplicationError, match="You prepared this tranche"):
        services.tranche_approve(tranche=tranche, actor=officer)


def test_one_person_may_not_approve_both_levels(tranche, approver) -> None:
    tranche = services.tranche_approve(tranche=invoiced(tranche), actor=approver)
    with pytest.raises(ApplicationError, match="already approved"):
        services.tranche_approve(tranche=tranche, actor=approver)


def test_an_invoice_that_does_not_match_says_by_how_much(tranche) -> None:
    with pytest.raises(ApplicationError, match=r"differs by EUR 100\.00"):
        services.tranche_invoice(
            tranche=due(tranche),
            amount=Decimal("3750100.00"),
            invoice_reference="X",
            invoiced_on=date(2026, 4, 2),
            actor=user("frida"),
        )


def test_a_payment_that_does_not_match_says_by_how_much(tranche) -> None:
    with pytest.raises(ApplicationError, match=r"differs by EUR 0\.01"):
        services.tranche_pay(
            tranche=approved(tranche),
            paid_on=date(2026, 4, 2),
            bank_reference="B",
            amount=Decimal("3749999.99"),
            eur_dkk_rate=Decimal("7.46"),
            actor=user("frida"),
        )


def test_a_reused_bank_reference_is_refused(tranche) -> None:
    paid(tranche, "SAME")
    other = Tranche.objects.get(agreement=tranche.agreement, stream="start_fee")
    with pytest.raises(ApplicationError, match="already recorded"):
        paid(other, "SAME")


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ({"eur_dkk_rate": Decimal("0")}, "rate"),
        ({"bank_reference": "  "}, "bank reference"),
        ({"paid_on": date(2099, 1, 1)}, "future"),
    ],
)
def test_bad_payment_input_is_refused(tranche, payload, message) -> None:
    tranche = approved(tranche)
    data = {
        "paid_on": date(2026, 4, 2),
        "bank_reference": "B-1",
        "amount": tranche.amount,
        "eur_dkk_rate": Decimal("7.46"),
        **payload,
    }
    with pytest.raises(ApplicationError, match=message):
        services.tranche_pay(tranche=tranche, actor=user("frida"), **data)


@pytest.mark.parametrize(
    ("action", "kwargs"),
    [
        (services.tranche_approve, {}),
        (services.tranche_reject, {"comment": "no"}),
        (
            services.tranche_pay,
            {
                "paid_on": date(2026, 4, 2),
                "bank_reference": "B",
                "amount": Decimal("3750000.00"),
                "eur_dkk_rate": Decimal("7.46"),
            },
        ),
        (
            services.tranche_invoice,
            {
                "amount": Decimal("3750000.00"),
                "invoice_reference": "I",
                "invoiced_on": date(2026, 4, 1),
            },
        ),
        (services.tranche_dispute, {"reason": "why"}),
    ],
)
def test_an_illegal_move_is_a_conflict_naming_the_status(tranche, action, kwargs) -> None:
    # planned: nothing but withholding may happen to it (asked by someone who may do each move)
    both = user("fia")
    both.groups.add(Group.objects.get(name=Role.FINANCE_APPROVER))
    with pytest.raises(ConflictError, match="The tranche is planned"):
        action(tranche=tranche, actor=both, **kwargs)


def test_a_paid_tranche_cannot_be_withheld(tranche, approver) -> None:
    tranche = paid(tranche)
    with pytest.raises(ConflictError, match="is paid"):
        services.tranche_withhold(tranche=tranche, reason="late report", actor=approver)


def test_a_stale_form_is_a_conflict(tranche, approver) -> None:
    tranche = invoiced(tranche)
    stale = tranche.version
    services.tranche_approve(tranche=tranche, actor=approver)
    with pytest.raises(ConflictError, match="Someone changed this tranche"):
        services.tranche_approve(
            tranche=tranche, actor=user("b", Role.FINANCE_APPROVER), expected_version=stale
        )


def test_a_rejection_needs_a_comment_and_sends_the_tranche_back(tranche, approver) -> None:
    tranche = invoiced(tranche)
    with pytest.raises(ApplicationError, match="why"):
        services.tranche_reject(tranche=tranche, actor=approver, comment=" ")
    tranche = services.tranche_reject(tranche=tranche, actor=approver, comment="wrong period")
    assert tranche.status == "due"
    assert tranche.approvals.get().comment == "wrong period"
    # a new invoice opens a new round, and the same approver may approve it
    tranche = invoiced(tranche)
    assert tranche.approval_round == 2
    assert services.tranche_approve(tranche=tranche, actor=approver).status == "invoiced"


def test_dispute_and_withhold_keep_reason_and_decider(tranche, approver) -> None:
    officer = user("frida")
    tranche = services.tranche_dispute(tranche=due(tranche), reason="wrong amount", actor=officer)
    assert (tranche.status, tranche.reason, tranche.decided_by) == (
        "disputed",
        "wrong amount",
        officer,
    )
    with pytest.raises(ApplicationError, match="reason"):
        services.tranche_withhold(tranche=tranche, reason="", actor=approver)
    tranche = services.tranche_withhold(tranche=tranche, reason="CPT report", actor=approver)
    assert (tranche.status, tranche.reason, tranche.decided_by) == (
        "withheld",
        "CPT report",
        approver,
    )


def test_a_disputed_tranche_resumes_with_a_corrected_invoice(tranche) -> None:
    tranche = services.tranche_dispute(tranche=due(tranche), reason="r", actor=user("frida"))
    assert invoiced(tranche).status == "invoiced"


# --- Conditions and the daily move ------------------------------------------------------------


def test_an_unmet_condition_keeps_a_tranche_planned_until_met(tranche, settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path
    condition = services.condition_add(tranche=tranche, kind="facility_ready", actor=user("frida"))
    assert services.tranches_advance(today=tranche.due_on).became_due == 2  # start fee, aid
    tranche.refresh_from_db()
    assert tranche.status == "planned"
    condition = services.condition_record_evidence(
        condition=condition, evidence=pdf(), actor=user("frida")
    )
    assert str(condition.evidence.name).endswith(".pdf")
    # Evidence alone is not enough: it waits for a second person.
    assert not condition.is_met
    assert services.tranches_advance(today=tranche.due_on).became_due == 0
    condition = services.condition_sign_off(
        condition=condition, actor=user("anders", Role.FINANCE_APPROVER)
    )
    assert condition.is_met
    assert services.tranches_advance(today=tranche.due_on).became_due == 1  # the rent
    tranche.refresh_from_db()
    assert tranche.status == "due"
    with pytest.raises(ConflictError, match="already met"):
        services.condition_record_evidence(condition=condition, evidence=pdf(), actor=user("frida"))


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("evidence.exe", b"MZ", "PDF, PNG or JPEG"),
        ("evidence.pdf", b"GIF89a", "not a PDF"),
        ("evidence.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024), "at most 10 MB"),
    ],
)
def test_bad_evidence_is_refused(tranche, name, content, message) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    condition = services.condition_add(tranche=tranche, kind="facility_ready", actor=None)
    with pytest.raises(ApplicationError, match=message):
        services.condition_record_evidence(
            condition=condition, evidence=SimpleUploadedFile(name, content), actor=user("frida")
        )


def test_a_condition_needs_evidence_a_file_or_a_reference(tranche) -> None:
    condition = services.condition_add(tranche=tranche, kind="facility_ready", actor=None)
    with pytest.raises(ApplicationError, match="as a file or give the reference"):
        services.condition_record_evidence(condition=condition, reference=" ", actor=user("f"))
    with pytest.raises(ConflictError, match="No evidence is recorded"):
        services.condition_sign_off(
            condition=condition, actor=user("anders", Role.FINANCE_APPROVER)
        )


def test_due_becomes_overdue_after_the_grace_period_and_twice_changes_nothing(tranche) -> None:
    day = tranche.due_on + timedelta(days=30)
    first = services.tranches_advance(today=day)
    tranche.refresh_from_db()
    assert tranche.status == "due"  # 30 days after: still within the grace period
    later = services.tranches_advance(today=day + timedelta(days=1))
    tranche.refresh_from_db()
    assert tranche.status == "overdue"
    assert later.became_overdue >= 1
    assert first.became_due >= 1
    versions = list(Tranche.objects.values_list("pk", "status", "version"))
    again = services.tranches_advance(today=day + timedelta(days=1))
    assert (again.became_due, again.became_overdue) == (0, 0)
    assert list(Tranche.objects.values_list("pk", "status", "version")) == versions


# --- Two approvers at once --------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_approvers_at_once_cannot_both_succeed(settings) -> None:
    settings.FINANCE_APPROVAL_LEVELS = 1
    tranche = invoiced(first_rent(scheduled()))
    approvers = [user("anders", Role.FINANCE_APPROVER), user("birgit", Role.FINANCE_APPROVER)]
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def approve(person) -> None:
        try:
            barrier.wait()
            with transaction.atomic():
                services.tranche_approve(tranche=tranche.pk, actor=person)
            outcomes.append("ok")
        except ConflictError:
            outcomes.append("conflict")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=approve, args=(p,)) for p in approvers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["conflict", "ok"]
    tranche.refresh_from_db()
    assert tranche.status == "approved"
    assert tranche.approvals.count() == 1


@pytest.mark.django_db(transaction=True)
def test_an_approval_and_a_rejection_at_once_cannot_both_succeed() -> None:
    tranche = invoiced(first_rent(scheduled()))
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def act(name: str) -> None:
        try:
            barrier.wait()
            person = user(name, Role.FINANCE_APPROVER)
            if name == "anders":
                services.tranche_reject(tranche=tranche.pk, actor=person, comment="no")
            else:
                services.tranche_withhold(tranche=tranche.pk, actor=person, reason="hold")
            outcomes.append("ok")
        except ConflictError:
            outcomes.append("conflict")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=act, args=(n,)) for n in ("anders", "birgit")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    tranche.refresh_from_db()
    # Either order is legal (rejected → due → withheld, or withheld first → rejection refused);
    # what cannot happen is a lost update: the timeline holds exactly the moves that succeeded.
    assert len(outcomes) == 2
    assert tranche.events.exclude(to_status="").count() == 3 + outcomes.count("ok")

"""The action forms on the schedule and tranche pages: who is offered what, what the services
refuse and how the page says so, and that a refusal writes nothing."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from finance import services
from finance.models import Payment, Tranche, TrancheApproval, TrancheCondition
from program.core.roles import Role
from tests.finance.helpers import PDF, approved, due, first_rent, invoiced, scheduled, user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def _url(name: str, tranche: Tranche) -> str:
    return reverse(name, args=[tranche.pk])


def _post(client: Client, name: str, tranche: Tranche, prefix: str, **fields: object):
    data = {f"{prefix}-{key}": value for key, value in fields.items()}
    data[f"{prefix}-expected_version"] = tranche.version
    return client.post(_url(name, tranche), data)


def _offered(client: Client, tranche: Tranche) -> set[str]:
    response = client.get(_url("finance:tranche-detail", tranche))
    return {shown.action.key for shown in response.context["actions"]}


def _status(tranche: Tranche) -> str:
    return Tranche.objects.values_list("status", flat=True).get(pk=tranche.pk)


# --- What each role is offered ----------------------------------------------------------------


def test_the_officer_is_offered_invoice_and_dispute_on_a_due_tranche(
    finance_officer, finance_approver, auditor, tranche
) -> None:
    due(tranche)
    assert _offered(finance_officer, tranche) == {"invoice", "dispute"}
    assert _offered(finance_approver, tranche) == {"dispute", "withhold"}
    assert _offered(auditor, tranche) == set()


def test_the_approver_is_offered_approve_and_reject_on_an_invoiced_tranche(
    finance_officer, finance_approver, tranche
) -> None:
    invoiced(tranche)
    assert _offered(finance_approver, tranche) == {"approve", "reject", "dispute", "withhold"}
    assert _offered(finance_officer, tranche) == {"dispute"}


def test_the_officer_is_offered_the_payment_once_approved(finance_officer, tranche) -> None:
    approved(tranche)
    assert _offered(finance_officer, tranche) == {"pay", "dispute"}
    body = finance_officer.get(_url("finance:tranche-detail", tranche)).content.decode()
    assert 'value="3,750,000.00"' in body  # the amount is filled in, grouped; it reads back


def test_nothing_is_offered_on_a_paid_tranche(finance_officer, finance_approver, tranche) -> None:
    tranche = approved(tranche)
    services.tranche_pay(
        tranche=tranche,
        paid_on=tranche.due_on,
        bank_reference="B-1",
        amount=tranche.amount,
        eur_dkk_rate=Decimal("7.46"),
        actor=user("frida"),
    )
    assert _offered(finance_officer, tranche) == set()
    assert _offered(finance_approver, tranche) == set()


def test_an_action_address_opened_directly_shows_the_tranche(auditor, tranche) -> None:
    response = auditor.get(_url("finance:tranche-pay", tranche))
    assert response.status_code == 200
    assert response.context["tranche"].pk == tranche.pk


# --- The journey through the pages ------------------------------------------------------------


def test_officer_invoices_two_approvers_approve_and_the_officer_pays(
    finance_officer, finance_approver, second_approver, tranche
) -> None:
    tranche = due(tranche)
    response = _post(
        finance_officer,
        "finance:tranche-invoice",
        tranche,
        "invoice",
        invoice_reference="KOS-2026-01",
        invoiced_on="2026-04-02",
        amount="3750000.00",
    )
    assert response.status_code == 302
    tranche.refresh_from_db()
    assert tranche.status == "invoiced"
    assert tranche.prepared_by.username == "frida"

    response = _post(
        finance_approver, "finance:tranche-approve", tranche, "approve", comment="Matches"
    )
    assert response.status_code == 302
    follow = finance_approver.get(response["Location"]).content.decode()
    assert "a second, different approver must approve it too" in follow
    tranche.refresh_from_db()
    _post(second_approver, "finance:tranche-approve", tranche, "approve", comment="")
    tranche.refresh_from_db()
    assert tranche.status == "approved"

    response = _post(
        finance_officer,
        "finance:tranche-pay",
        tranche,
        "pay",
        paid_on="2026-04-10",
        bank_reference="DK-0001",
        amount="3750000.00",
        eur_dkk_rate="7.4600",
    )
    assert response.status_code == 302
    payment = Payment.objects.get(tranche=tranche)
    assert payment.amount_dkk == Decimal("27975000.00")
    assert _status(tranche) == "paid"


def test_with_one_level_one_approver_is_enough(finance_approver, tranche, settings) -> None:
    settings.FINANCE_APPROVAL_LEVELS = 1
    tranche = invoiced(tranche)
    response = _post(finance_approver, "finance:tranche-approve", tranche, "approve", comment="")
    assert response.status_code == 302
    assert _status(tranche) == "approved"


# --- Refusals: the service's message, nothing written -----------------------------------------


def test_an_invoice_that_does_not_match_is_refused_with_the_difference(
    finance_officer, tranche
) -> None:
    tranche = due(tranche)
    response = _post(
        finance_officer,
        "finance:tranche-invoice",
        tranche,
        "invoice",
        invoice_reference="KOS-1",
        invoiced_on="2026-04-02",
        amount="3749999.00",
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert 'data-testid="action-error"' in body
    assert "Nothing was changed" in body
    assert "differs by EUR 1.00" in body
    assert 'value="KOS-1"' in body  # the form comes back as typed
    assert _status(tranche) == "due"


def test_a_form_with_a_missing_field_names_it(finance_officer, tranche) -> None:
    tranche = due(tranche)
    response = _post(
        finance_officer,
        "finance:tranche-invoice",
        tranche,
        "invoice",
        invoice_reference="KOS-1",
        invoiced_on="",
        amount="3750000.00",
    )
    assert response.status_code == 400
    assert 'href="#id_invoice-invoiced_on">Invoice date' in response.content.decode()
    assert _status(tranche) == "due"


def test_the_preparer_who_is_also_an_approver_is_refused_by_the_four_eyes_rule(
    make_user, tranche
) -> None:
    both = make_user("dual", Role.FINANCE_OFFICER, Role.FINANCE_APPROVER)
    client = Client()
    client.force_login(both)
    tranche = invoiced(tranche, both)
    response = _post(client, "finance:tranche-approve", tranche, "approve", comment="Mine")
    assert response.status_code == 400
    assert "You prepared this tranche" in response.content.decode()
    assert not TrancheApproval.objects.filter(tranche=tranche).exists()
    assert _status(tranche) == "invoiced"


def test_a_rejection_needs_a_comment_and_is_kept_with_it(finance_approver, tranche) -> None:
    tranche = invoiced(tranche)
    response = _post(finance_approver, "finance:tranche-reject", tranche, "reject", comment=" ")
    assert response.status_code == 400
    assert "Say why the tranche is rejected." in response.content.decode()
    assert _status(tranche) == "invoiced"
    response = _post(
        finance_approver, "finance:tranche-reject", tranche, "reject", comment="Wrong period"
    )
    assert response.status_code == 302
    assert _status(tranche) == "due"
    assert TrancheApproval.objects.get(tranche=tranche).comment == "Wrong period"


def test_a_reused_bank_reference_is_refused(finance_officer, tranche) -> None:
    terms_tranches = Tranche.objects.filter(agreement=tranche.agreement, stream="rent")
    first, second = list(terms_tranches.order_by("due_on")[:2])
    first = approved(first)
    services.tranche_pay(
        tranche=first,
        paid_on=first.due_on,
        bank_reference="DK-0001",
        amount=first.amount,
        eur_dkk_rate=Decimal("7.46"),
        actor=user("frida"),
    )
    second = approved(second)
    response = _post(
        finance_officer,
        "finance:tranche-pay",
        second,
        "pay",
        paid_on="2026-07-02",
        bank_reference="DK-0001",
        amount=str(second.amount),
        eur_dkk_rate="7.46",
    )
    assert response.status_code == 400
    assert "DK-0001 is already recorded" in response.content.decode()
    assert _status(second) == "approved"


def test_a_form_loaded_before_someone_else_acted_is_refused(
    finance_approver, second_approver, tranche
) -> None:
    tranche = invoiced(tranche)
    stale = tranche.version
    _post(finance_approver, "finance:tranche-reject", tranche, "reject", comment="No")
    response = second_approver.post(
        _url("finance:tranche-withhold", tranche),
        {"withhold-reason": "Audit", "withhold-expected_version": stale},
    )
    assert response.status_code == 409
    body = response.content.decode()
    assert "Someone changed this tranche after you opened it" in body
    assert "anders" in body  # who
    assert "Rejected at level 1: No" in body  # what (the time is on the same line)
    assert "Nothing was saved" in body
    assert _status(tranche) == "due"


def test_dispute_and_withhold_keep_their_reason_and_who_decided(
    finance_officer, finance_approver, tranche
) -> None:
    tranche = due(tranche)
    response = _post(
        finance_officer, "finance:tranche-dispute", tranche, "dispute", reason="Short delivery"
    )
    assert response.status_code == 302
    tranche.refresh_from_db()
    assert (tranche.status, tranche.reason, tranche.decided_by.username) == (
        "disputed",
        "Short delivery",
        "frida",
    )
    _post(finance_approver, "finance:tranche-withhold", tranche, "withhold", reason="Audit")
    tranche.refresh_from_db()
    assert (tranche.status, tranche.decided_by.username) == ("withheld", "anders")
    body = finance_officer.get(_url("finance:tranche-detail", tranche)).content.decode()
    assert 'data-testid="reason">Audit' in body


@pytest.mark.parametrize(
    ("who", "route", "prefix"),
    [
        ("finance_approver", "finance:tranche-invoice", "invoice"),
        ("finance_approver", "finance:tranche-pay", "pay"),
        ("finance_officer", "finance:tranche-approve", "approve"),
        ("finance_officer", "finance:tranche-withhold", "withhold"),
        ("auditor", "finance:tranche-dispute", "dispute"),
        ("caseworker", "finance:tranche-dispute", "dispute"),
    ],
)
def test_a_role_without_the_action_is_refused(persona, who, route, prefix) -> None:
    client = persona(who)  # before the tranche, whose helpers create the officer by name
    tranche = due(first_rent(scheduled()))
    response = _post(client, route, tranche, prefix, reason="x", comment="x")
    assert response.status_code == 403
    assert _status(tranche) == "due"


# --- Release conditions and their evidence ----------------------------------------------------


@pytest.fixture
def condition(tranche) -> TrancheCondition:
    return services.condition_add(tranche=tranche, kind="facility_ready", actor=None)


def test_the_officer_records_evidence_a_second_person_signs_and_finance_downloads_it(
    finance_officer, finance_approver, auditor, condition
) -> None:
    page = finance_officer.get(_url("finance:tranche-detail", condition.tranche)).content.decode()
    assert 'enctype="multipart/form-data"' in page
    evidence = SimpleUploadedFile("Hashim Thaçi signature.pdf", PDF, "application/pdf")
    response = finance_officer.post(
        reverse("finance:condition-evidence", args=[condition.pk]),
        {f"c{condition.pk}-evidence": evidence, f"c{condition.pk}-reference": "KSHK-1"},
    )
    assert response.status_code == 302
    condition.refresh_from_db()
    assert condition.has_evidence
    assert not condition.is_met
    # The officer who recorded it is not offered the sign-off; the approver is, and signs.
    page = finance_officer.get(_url("finance:tranche-detail", condition.tranche)).content.decode()
    assert "sign-off-facility_ready" not in page
    page = finance_approver.get(_url("finance:tranche-detail", condition.tranche)).content.decode()
    assert "sign-off-facility_ready" in page
    response = finance_approver.post(reverse("finance:condition-sign-off", args=[condition.pk]))
    assert response.status_code == 302
    condition.refresh_from_db()
    assert condition.is_met
    assert condition.signed_off_by.username == "anders"

    response = auditor.get(reverse("finance:evidence-download", args=[condition.pk]))
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment")
    assert f'filename="tranche-{condition.tranche_id}-facility-ready-evidence.pdf"' in disposition
    assert "Hashim" not in disposition
    assert b"".join(response.streaming_content) == PDF


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("minutes.docx", b"PK\x03\x04", "Evidence must be a PDF, PNG or JPEG file."),
        ("fake.pdf", b"<html>", "content is not a PDF"),
        ("large.pdf", PDF + b"0" * (10 * 1024 * 1024), "Evidence may be at most 10 MB"),
    ],
)
def test_evidence_that_is_not_allowed_is_refused_and_nothing_is_stored(
    finance_officer, condition, name, content, message
) -> None:
    response = finance_officer.post(
        reverse("finance:condition-evidence", args=[condition.pk]),
        {f"c{condition.pk}-evidence": SimpleUploadedFile(name, content)},
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    condition.refresh_from_db()
    assert not condition.has_evidence
    assert not condition.evidence


def test_an_approver_may_not_record_evidence(finance_approver, condition) -> None:
    response = finance_approver.post(
        reverse("finance:condition-evidence", args=[condition.pk]),
        {f"c{condition.pk}-reference": "x"},
    )
    assert response.status_code == 403


def test_evidence_not_on_file_is_404(auditor, condition) -> None:
    assert auditor.get(reverse("finance:evidence-download", args=[condition.pk])).status_code == 404


# --- Generating the schedule from its page ----------------------------------------------------


def test_the_officer_generates_the_schedule_and_a_second_run_changes_nothing(
    finance_officer,
) -> None:
    from tests.finance.helpers import terms_with_aid

    terms = terms_with_aid()
    data = {"terms": terms.pk, "frequency": "quarterly", "include_extension": "on"}
    response = finance_officer.post(reverse("finance:schedule-generate"), data, follow=True)
    assert "Schedule generated: 81 new" in response.content.decode()
    assert Tranche.objects.filter(agreement=terms.agreement).count() == 81
    response = finance_officer.post(reverse("finance:schedule-generate"), data, follow=True)
    assert "nothing was changed" in response.content.decode()


def test_generating_an_unconfirmed_extension_is_refused_with_the_services_message(
    finance_officer,
) -> None:
    from tests.finance.helpers import terms_with_aid

    terms = terms_with_aid(agreement__extension_confirmed=False)
    response = finance_officer.post(
        reverse("finance:schedule-generate"),
        {"terms": terms.pk, "frequency": "annual", "include_extension": "on"},
    )
    assert response.status_code == 400
    assert "The extension is not confirmed yet" in response.content.decode()
    assert not Tranche.objects.filter(agreement=terms.agreement).exists()


def test_only_the_officer_is_offered_and_may_use_the_generate_form(
    finance_officer, finance_approver
) -> None:
    from tests.finance.helpers import terms_with_aid

    terms = terms_with_aid()
    assert finance_officer.get(reverse("finance:schedule")).context["generate_form"] is not None
    assert finance_approver.get(reverse("finance:schedule")).context["generate_form"] is None
    response = finance_approver.post(
        reverse("finance:schedule-generate"), {"terms": terms.pk, "frequency": "annual"}
    )
    assert response.status_code == 403


def test_the_tranche_page_with_its_forms_costs_no_extra_query(
    finance_officer, tranche, django_assert_num_queries
) -> None:
    tranche = due(tranche)
    # session, user (with its roles and unread count), tranche with its joins; conditions,
    # approvals, events: the role check reuses the roles already read and the forms read
    # nothing but the open inspection findings the officer may make a condition (one query); an
    # officer has no work queue in the header (the history is its own request)
    with django_assert_num_queries(7):
        response = finance_officer.get(_url("finance:tranche-detail", tranche))
    assert {shown.action.key for shown in response.context["actions"]} == {"invoice", "dispute"}

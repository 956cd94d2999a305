"""Making letters: versions, languages and their fallback, refusals, templates and history."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from program.audit.history import EVENT_MODELS
from program.core.errors import ApplicationError, ConflictError
from program.inmates.models import Inmate
from tests.inmates.factories import ExpulsionOrderFactory, JudgmentFactory
from tests.letters.conftest import REASONS_DA, S, decided_case, letter_pages
from transfers import services as case_services
from transfers.letters import services
from transfers.letters.data import Inputs
from transfers.letters.models import Letter, LetterKind, LetterTemplate
from transfers.letters.services import LetterRoleRefusedError
from transfers.models import CaseEvent, Decision, Document

DECISION = LetterKind.TRANSFER_DECISION


def _make(case, actor, **inputs):
    values = {"reasons": REASONS_DA, **inputs}
    return services.letter_generate(case=case, kind=DECISION, actor=actor, inputs=Inputs(**values))


@pytest.mark.django_db
def test_a_correction_makes_a_new_version_and_the_old_one_stays(programme, carla) -> None:
    case = decided_case(carla)
    first = _make(case, carla)
    assert first.created
    assert first.letter.document.kind == Document.Kind.DECISION_LETTER
    assert first.letter.document.version == 1
    # Nothing changed: nothing made.
    same = _make(case, carla)
    assert not same.created
    assert same.letter.pk == first.letter.pk
    # The inmate's name is corrected: a second version, the first kept with its file.
    case.inmate.name = "Søren Ærø-Møller"
    case.inmate.save()
    second = _make(case, carla)
    assert second.created
    assert second.letter.document.version == 2
    assert "Søren Ærø-Møller" in " ".join(letter_pages(second.letter))
    assert "Søren Ærø-Müller" in " ".join(letter_pages(first.letter))
    assert second.letter.data["name"] == "Søren Ærø-Møller"
    template = LetterTemplate.objects.get(agreement=programme, kind=DECISION, language="da")
    assert second.letter.templates["da"] == {"id": template.pk, "version": template.version}
    events = CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.DOCUMENT)
    assert events.count() == 2
    last = events.last()
    assert last is not None
    assert last.payload["version"] == 2


@pytest.mark.django_db
def test_a_template_change_makes_a_new_version_and_keeps_its_history(programme, carla) -> None:
    case = decided_case(carla)
    first = _make(case, carla)
    template = LetterTemplate.objects.get(agreement=programme, kind=DECISION, language="da")
    changed = services.letter_template_save(
        agreement=programme,
        kind=DECISION,
        language="da",
        title=template.title,
        body=template.body + "\n\nVedlagt: kopi af dommen.",
        labels=template.labels,
        reason="Bilag nævnes",
        actor=carla,
    )
    assert changed.version == 2
    second = _make(case, carla)
    assert second.created
    assert second.letter.templates["da"]["version"] == 2
    assert "Vedlagt: kopi af dommen." in letter_pages(second.letter)[0]
    assert first.letter.templates["da"]["version"] == 1
    history = EVENT_MODELS["letters.LetterTemplate"].objects.filter(pgh_obj_id=template.pk)
    assert history.count() == 2  # the insert and the change


@pytest.mark.django_db
def test_an_unknown_placeholder_in_a_template_is_refused_by_name(programme, carla) -> None:
    with pytest.raises(ApplicationError, match=r"\$nmae"):
        services.letter_template_save(
            agreement=programme,
            kind=DECISION,
            language="da",
            title="Afgørelse",
            body="Kære $nmae",
            actor=carla,
        )


@pytest.mark.django_db
def test_a_language_without_a_template_falls_back_to_english_and_says_so(
    programme, carla, caseworker
) -> None:
    case = decided_case(carla, languages=["Tigrinya", "Persian"])
    generated = _make(case, carla)
    assert generated.letter.languages == ["da", "en"]
    assert generated.letter.fell_back
    page = caseworker.get(reverse("transfers:case-detail", args=[case.pk])).content.decode()
    assert 'data-testid="letter-fallback"' in page
    assert "Tigrinya, Persian" in page


@pytest.mark.django_db
def test_the_notified_language_comes_before_the_recorded_ones(programme, carla) -> None:
    case = decided_case(
        carla,
        state=S.NOTIFIED,
        languages=["French", "Arabic"],
        notification_language="Arabic",
        notified_on=date(2026, 10, 12),
        appeal_deadline=date(2026, 12, 11),
    )
    generated = _make(case, carla)
    assert generated.letter.languages == ["da", "ar"]
    assert generated.letter.data["appeal_deadline"] == "2026-12-11"


@pytest.mark.django_db
def test_a_danish_speaker_gets_a_danish_letter_only(programme, carla) -> None:
    generated = _make(decided_case(carla, languages=["Danish", "Arabic"]), carla)
    assert generated.letter.languages == ["da"]
    assert not generated.letter.fell_back


@pytest.mark.django_db
def test_a_decision_letter_without_reasons_is_refused_and_nothing_is_written(
    programme, carla
) -> None:
    case = decided_case(carla)
    with pytest.raises(ApplicationError, match="reasons"):
        _make(case, carla, reasons="  ")
    assert not Document.objects.filter(case=case).exists()
    assert not Letter.objects.exists()


@pytest.mark.django_db
def test_a_letter_the_state_does_not_call_for_is_refused(programme, carla) -> None:
    case = decided_case(carla, state=S.HOST_REVIEW)
    with pytest.raises(ConflictError, match="Host review"):
        _make(case, carla)
    no_transfer = decided_case(
        carla, state=S.DECIDED_NO_TRANSFER, outcome=Decision.Outcome.NO_TRANSFER
    )
    with pytest.raises(ConflictError):
        _make(no_transfer, carla)
    appeal = decided_case(carla, state=S.UNDER_APPEAL)
    with pytest.raises(ConflictError, match="appeal's outcome"):
        services.letter_generate(
            case=appeal,
            kind=LetterKind.APPEAL_OUTCOME,
            actor=carla,
            inputs=Inputs(reasons="x"),
        )


@pytest.mark.django_db
def test_only_caseworkers_make_letters(programme, carla, otto) -> None:
    with pytest.raises(LetterRoleRefusedError):
        _make(decided_case(carla), otto)


@pytest.mark.django_db
def test_a_programme_without_a_danish_template_is_refused_with_what_to_do(programme, carla) -> None:
    LetterTemplate.objects.filter(kind=DECISION, language="da").update(active=False)
    with pytest.raises(ConflictError, match="no Danish template"):
        _make(decided_case(carla), carla)


@pytest.mark.django_db
def test_the_generated_decision_letter_satisfies_the_checklist(programme, carla) -> None:
    case = decided_case(carla)
    # The move to notified needs an eligible screening: the records of make_eligible_inmate.
    today = timezone.localdate()
    Inmate.objects.filter(pk=case.inmate_id).update(
        country_of_return_id="RS",
        return_readmits=Inmate.Readmission.YES,
        return_readmits_reason="Passport on file",
        security_level=Inmate.SecurityLevel.LOW,
    )
    JudgmentFactory(
        inmate=case.inmate,
        judgment_date=today - timedelta(days=200),
        final_on=today - timedelta(days=150),
        sentence_start=today - timedelta(days=100),
        length_days=3 * 365,
        remand_days=0,
    )
    ExpulsionOrderFactory(inmate=case.inmate, ordered_on=today - timedelta(days=200))
    _make(case, carla)
    from tests.transfers.helpers import upload

    upload(case, Document.Kind.NOTIFICATION_RECEIPT, carla)
    case_services.case_transition(
        case=case,
        to=S.NOTIFIED,
        actor=carla,
        data={"notified_on": date(2026, 10, 12), "language": "English"},
    )
    case.refresh_from_db()
    assert case.state == S.NOTIFIED


@pytest.mark.django_db
def test_a_letter_whose_deadline_is_not_the_cases_is_flagged_until_made_again(
    programme, carla, caseworker
) -> None:
    case = decided_case(carla)
    _make(case, carla, notify_on=date(2026, 10, 12))  # deadline 2026-12-11
    case.state = S.NOTIFIED
    case.notified_on = date(2026, 10, 15)
    case.appeal_deadline = date(2026, 12, 14)
    case.save()
    url = reverse("transfers:case-detail", args=[case.pk])
    page = caseworker.get(url).content.decode()
    assert 'data-testid="letter-stale"' in page
    assert "2026-12-11" in page
    again = _make(case, carla)
    assert again.created
    assert again.letter.data["appeal_deadline"] == "2026-12-14"
    assert 'data-testid="letter-stale"' not in caseworker.get(url).content.decode()

"""Texts kept as data (coded reasons, the eligibility rules' words) and the case timeline are shown
in the reader's language, and a third language needs nothing but a catalogue."""

from datetime import date

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import translation

from finance import services
from program.audit.history import EVENT_MODELS
from program.core.roles import Role
from program.inmates.models import Inmate
from tests.factories import the_programme
from tests.finance.helpers import due, first_rent, scheduled, user
from tests.i18n.pseudo import PSEUDO
from tests.inmates.factories import InmateFactory
from transfers import eligibility
from transfers.models import CaseEvent, EligibilityText, ReasonCode, Screening, TransferCase
from transfers.rule_texts import RuleTexts
from transfers.timeline import event_text

pytestmark = pytest.mark.django_db

Level = Inmate.SecurityLevel


def test_every_reason_code_has_both_texts_and_shows_the_readers() -> None:
    codes = list(ReasonCode.objects.all())
    assert len(codes) == 16  # with appeal_upheld (a return after an upheld appeal)
    assert all(code.label_da and code.label_en and code.label_da != code.label_en for code in codes)
    released = ReasonCode.objects.get(code="inmate_released_early")
    with translation.override("da"):
        assert released.label == "Løsladt eller prøveløsladt i Danmark før overførslen"
    with translation.override("en"):
        assert released.label == "Released or paroled in Denmark before transfer"


def test_every_rule_reason_and_setting_has_both_texts() -> None:
    keys = set(EligibilityText.objects.values_list("key", flat=True))
    wanted = {f"{rule.id}.{part}" for rule in eligibility.RULES for part in ("text", "source")}
    wanted |= set(eligibility.REASONS)
    wanted |= {f"parameter.{name}" for name in eligibility.PARAMETERS}
    wanted |= {f"parameter.{name}.help" for name in eligibility.PARAMETERS}
    assert wanted <= keys, sorted(wanted - keys)
    assert not EligibilityText.objects.filter(text_da="").exists()


def test_a_texts_change_is_kept_in_the_history() -> None:
    history = EVENT_MODELS["transfers.EligibilityText"]
    before = history.objects.filter(pgh_obj_id="E1.text").count()
    row = EligibilityText.objects.get(key="E1.text")
    row.text_da = "Den indsatte er ikke dansk statsborger."
    row.save()
    versions = history.objects.filter(pgh_obj_id="E1.text").order_by("pgh_id")
    assert versions.count() == before + 1
    assert versions.last().text_da == "Den indsatte er ikke dansk statsborger."


def _snapshot(**changes) -> eligibility.Snapshot:
    values = {
        "inmate_id": 1,
        "on": date(2026, 12, 3),
        "date_of_birth": date(1990, 1, 1),
        "sex": "M",
        "nationalities": ("MA",),
        "judgment_final_on": date(2027, 1, 15),
        "full_term_date": date(2029, 1, 1),
        "security_level": "high",
    }
    return eligibility.Snapshot(**{**values, **changes})


def test_a_screenings_reasons_read_in_danish_and_english() -> None:
    results = eligibility.evaluate(_snapshot(), eligibility.Params()).results
    by_id = {result["id"]: result for result in results}
    assert by_id["E3"]["reason"] == "The judgment becomes final on 2027-01-15."  # API: English
    assert by_id["E3"]["reason_key"] == "E3.final_later"
    with translation.override("da"):
        texts = RuleTexts()
        assert texts.reason(by_id["E3"]) == "Dommen bliver endelig den 15.01.2027."
        # Levels by their names in the catalogue (høj, middel), not their stored codes.
        high, medium = (str(level.label).lower() for level in (Level.HIGH, Level.MEDIUM))
        assert texts.reason(by_id["E9"]) == f"Sikkerhedsniveau {high} er over {medium}."
        assert texts.rule(eligibility.RULES_BY_ID["E1"]) == "Ikke dansk statsborger."
        assert texts.parameter_label("min_age") == "Minimumsalder (E10)"
    with translation.override("en"):
        assert RuleTexts().reason(by_id["E3"]) == "The judgment becomes final on 2027-01-15."


def test_a_screening_stored_before_reasons_had_keys_reads_in_danish_too() -> None:
    legacy = {
        "id": "E12",
        "outcome": "fail",
        "reason": ("90 days left to the full-term date (2027-03-03); at least 180 needed."),
    }
    with translation.override("da"):
        assert RuleTexts().reason(legacy) == (
            "90 dage tilbage til datoen for fuld afsoning (03.03.2027); mindst 180 kræves."
        )
    unknown = {"id": "E12", "outcome": "fail", "reason": "Worded by an older release."}
    with translation.override("da"):
        assert RuleTexts().reason(unknown) == "Worded by an older release."


def test_the_case_page_shows_rule_reasons_and_reason_codes_in_danish(caseworker) -> None:
    inmate = InmateFactory()
    case = TransferCase.objects.create(
        agreement=the_programme(),
        inmate=inmate,
        state=TransferCase.State.INELIGIBLE,
        caseworker=get_user_model().objects.get(username="carla"),
    )
    evaluation = eligibility.evaluate(_snapshot(inmate_id=inmate.pk), eligibility.Params())
    Screening.objects.create(
        inmate=inmate,
        case=case,
        screened_on=date(2026, 12, 3),
        rule_set_version=evaluation.rule_set_version,
        inputs={},
        outcome=evaluation.outcome,
        results=evaluation.results,
        fingerprint=evaluation.fingerprint,
    )
    CaseEvent.objects.create(
        case=case,
        kind=CaseEvent.Kind.TRANSITION,
        from_state="identified",
        to_state="ineligible",
        reason_code=ReasonCode.objects.get(code="ineligible_rules"),
    )
    caseworker.cookies[settings.LANGUAGE_COOKIE_NAME] = "da"
    body = caseworker.get(reverse("transfers:case-detail", args=[case.pk])).content.decode()
    assert "Dommen bliver endelig den 15.01.2027." in body
    assert "Opfylder ikke betingelserne for overførsel" in body
    assert "The judgment becomes final" not in body


def test_the_timeline_speaks_the_readers_language_whoever_wrote_it(pseudo_locale) -> None:
    user = get_user_model().objects.create_user("karen")
    user.groups.add(Group.objects.get_or_create(name=Role.CASEWORKER)[0])
    case = TransferCase.objects.create(
        agreement=the_programme(), inmate=InmateFactory(), caseworker=user
    )
    stored = CaseEvent.objects.create(
        case=case,
        kind=CaseEvent.Kind.APPEAL,
        actor=user,
        text="Appeal decided on 2026-11-02: Upheld (no transfer).",  # written in English
        payload={"outcome": "upheld", "decided_on": "2026-11-02"},
    )
    reminder = CaseEvent.objects.create(
        case=case,
        kind=CaseEvent.Kind.REMINDER,
        text="appeal_window due on 2026-12-10.",
        payload={"what": "appeal_window", "due": "2026-12-10"},
    )
    note = CaseEvent.objects.create(case=case, kind=CaseEvent.Kind.NOTE, text="Rang the prison.")
    with translation.override(PSEUDO):
        assert event_text(stored) == ("⟦Appeal decided on 2026-11-02: ⟦Upheld (no transfer)⟧.⟧")
        assert event_text(reminder) == "⟦⟦The appeal window⟧ is due on 2026-12-10.⟧"
        assert event_text(note) == "Rang the prison."  # a person's words stay as written
        assert str(TransferCase.State.INELIGIBLE.label) == "⟦Ineligible⟧"
    with translation.override("en"):
        assert event_text(reminder) == "The appeal window is due on 2026-12-10."


def test_a_third_language_needs_only_a_catalogue(pseudo_catalogue, pseudo_locale) -> None:
    _locale_dir, strings = pseudo_catalogue
    assert strings > 1000  # every marked string of the project went into the catalogue
    assert PSEUDO in dict(settings.LANGUAGES)
    with translation.override(PSEUDO):
        assert translation.gettext("Eligibility rules") == "⟦Eligibility rules⟧"
        assert translation.gettext("This field is required.") == "⟦This field is required.⟧"
        assert str(Role.CASEWORKER.label) == "⟦Caseworker⟧"


def test_the_tranche_timeline_speaks_the_readers_language(pseudo_locale) -> None:
    tranche = due(first_rent(scheduled()))
    services.tranche_dispute(tranche=tranche, reason="Wrong period", actor=user("frida"))
    events = list(tranche.events.order_by("at", "id"))
    with translation.override(PSEUDO):
        texts = [event.summary for event in events]
    assert texts == [
        "⟦Planned (⟦Quarterly⟧ schedule)⟧",
        "⟦Fell due⟧",
        "⟦Disputed⟧: Wrong period",  # the reason is the person's words
    ]
    with translation.override("en"):
        assert events[0].summary == "Planned (Quarterly schedule)"

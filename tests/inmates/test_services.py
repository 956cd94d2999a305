"""The inmate services: each rule, and each bad input gives a clear error and writes nothing."""

from datetime import date, timedelta
from typing import Any

import pytest
from django.db.backends.postgresql.psycopg_any import DateRange
from django.utils import timezone

from program.core.errors import ApplicationError, ConflictError, PreconditionFailedError
from program.inmates import services
from program.inmates.models import (
    Country,
    ExpulsionOrder,
    Inmate,
    Judgment,
    NonAssociation,
    OffenceCategory,
)
from tests.inmates.factories import (
    ExpulsionOrderFactory,
    InmateFactory,
    JudgmentFactory,
    NonAssociationFactory,
)

pytestmark = pytest.mark.django_db


def _countries(*codes: str) -> list[Country]:
    return list(Country.objects.filter(code__in=codes))


def _inmate_fields(**overrides: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "case_number": "KF-2025-001",
        "name": "Ahmed Karimi",
        "date_of_birth": date(1988, 3, 2),
        "sex": Inmate.Sex.MALE,
        "nationalities": _countries("AF"),
        "security_level": Inmate.SecurityLevel.MEDIUM,
        "home_institution": "Nyborg Prison",
    }
    fields.update(overrides)
    return fields


# --- Inmates --------------------------------------------------------------------------------------


def test_registering_an_inmate_stores_every_field() -> None:
    inmate = services.inmate_create(
        **_inmate_fields(
            languages=["Dari", "English"],
            interpreter_needed=True,
            country_of_return=Country.objects.get(code="AF"),
            return_readmits=Inmate.Readmission.NO,
            return_readmits_reason="Refused a travel document",
            minor_children_visiting=True,
        ),
        actor=None,
    )
    inmate.refresh_from_db()
    assert inmate.case_number == "KF-2025-001"
    assert inmate.languages == ["Dari", "English"]
    assert inmate.country_of_return_id == "AF"
    assert [c.code for c in inmate.nationalities.all()] == ["AF"]
    assert inmate.minor_children_visiting


def test_a_duplicate_case_number_is_refused_on_its_field() -> None:
    InmateFactory.create(case_number="KF-2025-001")
    with pytest.raises(ApplicationError) as raised:
        services.inmate_create(**_inmate_fields(), actor=None)
    assert "case number is already registered" in raised.value.message
    assert set(raised.value.details) == {"case_number"}
    assert Inmate.objects.count() == 1


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"name": "  "}, "name"),
        ({"case_number": ""}, "case_number"),
        ({"sex": "Q"}, "sex"),
        ({"security_level": "extreme"}, "security_level"),
        ({"home_institution": ""}, "home_institution"),
        ({"case_number": "K" * 31}, "case_number"),
        ({"languages": ["x" * 51]}, "languages"),
        ({"nationalities": []}, "nationalities"),
        ({"date_of_birth": timezone.localdate() + timedelta(days=1)}, "date_of_birth"),
    ],
)
def test_bad_inmate_input_names_the_field_and_writes_nothing(overrides, field) -> None:
    with pytest.raises(ApplicationError) as raised:
        services.inmate_create(**_inmate_fields(**overrides), actor=None)
    assert field in raised.value.details
    assert raised.value.message
    assert not Inmate.objects.exists()


def test_updating_with_the_same_values_writes_nothing() -> None:
    inmate = InmateFactory.create(nationalities=["SE"])
    before = inmate.updated_at
    updated = services.inmate_update(
        inmate=inmate,
        actor=None,
        name=inmate.name,
        nationalities=_countries("SE"),
        languages=[],
    )
    assert updated.updated_at == before


def test_updating_changes_only_what_differs_and_moves_updated_at() -> None:
    inmate = InmateFactory.create(nationalities=["SE"])
    updated = services.inmate_update(
        inmate=inmate, actor=None, name="New Name", nationalities=_countries("SE", "NO")
    )
    updated.refresh_from_db()
    assert updated.name == "New Name"
    assert sorted(c.code for c in updated.nationalities.all()) == ["NO", "SE"]
    assert updated.updated_at > inmate.updated_at


def test_changing_to_a_case_number_in_use_is_refused() -> None:
    InmateFactory.create(case_number="TAKEN")
    inmate = InmateFactory.create(case_number="MINE")
    with pytest.raises(ApplicationError) as raised:
        services.inmate_update(inmate=inmate, actor=None, case_number="TAKEN")
    assert "case_number" in raised.value.details
    inmate.refresh_from_db()
    assert inmate.case_number == "MINE"


def test_an_update_from_a_stale_read_is_refused_with_412() -> None:
    inmate = InmateFactory.create()
    stale = inmate.version
    services.inmate_update(inmate=inmate, actor=None, name="Someone else's change")
    with pytest.raises(PreconditionFailedError) as raised:
        services.inmate_update(inmate=inmate, actor=None, name="Mine", expected_version=stale)
    assert raised.value.http_status == 412
    inmate.refresh_from_db()
    assert inmate.name == "Someone else's change"


# --- Judgments ------------------------------------------------------------------------------------


def _judgment(**overrides: Any) -> Judgment:
    fields: dict[str, Any] = {
        "inmate": InmateFactory.create(),
        "court": "Copenhagen City Court",
        "judgment_date": date(2024, 11, 1),
        "sentence_type": Judgment.SentenceType.FIXED_TERM,
        "length_days": 900,
        "remand_days": 30,
        "sentence_start": date(2025, 1, 1),
    }
    fields.update(overrides)
    return services.judgment_create(**fields, actor=None)


def test_postgres_computes_the_full_term_and_two_thirds_dates() -> None:
    # 900 days from 2025-01-01 less 30 days' remand; two-thirds of 900 is 600, less 30.
    judgment = _judgment()
    assert judgment.full_term_date == date(2027, 5, 21)
    assert judgment.two_thirds_date == date(2026, 7, 25)


def test_two_thirds_is_rounded_up_to_a_whole_day() -> None:
    # 2/3 of 100 days is 66.67: the inmate serves 67 days.
    judgment = _judgment(length_days=100, remand_days=0)
    assert judgment.two_thirds_date == date(2025, 1, 1) + timedelta(days=67)


@pytest.mark.parametrize(
    "sentence_type", [Judgment.SentenceType.LIFE, Judgment.SentenceType.FORVARING]
)
def test_life_and_forvaring_have_no_release_dates(sentence_type) -> None:
    judgment = _judgment(sentence_type=sentence_type, length_days=None, remand_days=0)
    assert judgment.full_term_date is None
    assert judgment.two_thirds_date is None


def test_editing_a_judgment_reads_back_the_new_dates() -> None:
    judgment = _judgment()
    updated = services.judgment_update(judgment=judgment, actor=None, length_days=1200)
    assert updated.full_term_date == date(2025, 1, 1) + timedelta(days=1170)
    assert updated.two_thirds_date == date(2025, 1, 1) + timedelta(days=770)


def test_a_judgment_keeps_its_offence_categories() -> None:
    categories = list(OffenceCategory.objects.filter(code__in=["drugs", "weapons"]))
    judgment = _judgment(offence_categories=categories)
    assert sorted(c.code for c in judgment.offence_categories.all()) == ["drugs", "weapons"]
    services.judgment_update(judgment=judgment, actor=None, offence_categories=categories[:1])
    assert judgment.offence_categories.count() == 1


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"length_days": None}, "length_days", "needs its length in days"),
        (
            {"sentence_type": Judgment.SentenceType.LIFE, "length_days": 900},
            "length_days",
            "forvaring and life have none",
        ),
        ({"remand_days": 900}, "remand_days", "less than the sentence"),
        ({"final_on": date(2024, 10, 1)}, "final_on", "cannot become final before"),
        ({"court": ""}, "court", "blank"),
        ({"sentence_type": "probation"}, "sentence_type", "not a valid choice"),
    ],
)
def test_a_judgment_that_breaks_a_rule_is_refused_on_its_field(overrides, field, message) -> None:
    inmate = InmateFactory.create()
    with pytest.raises(ApplicationError) as raised:
        _judgment(inmate=inmate, **overrides)
    assert field in raised.value.details
    assert message in raised.value.message
    assert not Judgment.objects.exists()


def test_an_edit_that_breaks_a_rule_changes_nothing() -> None:
    judgment = JudgmentFactory.create(remand_days=30)
    with pytest.raises(ApplicationError) as raised:
        services.judgment_update(judgment=judgment, actor=None, remand_days=5000)
    assert raised.value.details["remand_days"]
    judgment.refresh_from_db()
    assert judgment.remand_days == 30


# --- Expulsion orders -----------------------------------------------------------------------------


def test_an_expulsion_order_is_recorded() -> None:
    inmate = InmateFactory.create()
    order = services.expulsion_order_create(
        inmate=inmate,
        ordered_on=date(2024, 11, 1),
        final=True,
        entry_ban_permanent=True,
        actor=None,
    )
    assert order.in_force
    assert order.entry_ban_permanent


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"entry_ban_years": 6, "entry_ban_permanent": True}, "entry_ban_years"),
        ({"revoked_on": date(2024, 1, 1)}, "revoked_on"),
    ],
)
def test_an_expulsion_order_that_breaks_a_rule_is_refused(overrides, field) -> None:
    inmate = InmateFactory.create()
    with pytest.raises(ApplicationError) as raised:
        services.expulsion_order_create(
            inmate=inmate, ordered_on=date(2024, 11, 1), actor=None, **overrides
        )
    assert field in raised.value.details
    assert not ExpulsionOrder.objects.exists()


def test_revoking_an_expulsion_order() -> None:
    order = ExpulsionOrderFactory.create()
    updated = services.expulsion_order_update(
        expulsion_order=order, actor=None, revoked_on=date(2025, 3, 1)
    )
    assert not updated.in_force
    with pytest.raises(ApplicationError):
        services.expulsion_order_update(expulsion_order=order, actor=None, entry_ban_permanent=True)
    order.refresh_from_db()
    assert order.entry_ban_years == 6
    assert not order.entry_ban_permanent


# --- Non-associations -----------------------------------------------------------------------------


def _keep_apart(inmate: Inmate, other: Inmate, **overrides: Any) -> NonAssociation:
    fields: dict[str, Any] = {
        "scope": NonAssociation.Scope.UNIT,
        "reason": "Co-defendants",
        "starts_on": date(2025, 1, 1),
    }
    fields.update(overrides)
    return services.non_association_create(
        inmate=inmate,
        other=other,
        actor=None,
        **fields,
    )


def test_a_pair_is_stored_lower_id_first_whichever_inmate_it_starts_from() -> None:
    first, second = InmateFactory.create(), InmateFactory.create()
    rule = _keep_apart(second, first)
    assert (rule.inmate_a, rule.inmate_b) == (first, second)
    assert rule.active == DateRange(date(2025, 1, 1), None, "[)")


def test_an_inmate_cannot_be_kept_apart_from_themselves() -> None:
    inmate = InmateFactory.create()
    with pytest.raises(ApplicationError) as raised:
        _keep_apart(inmate, inmate)
    assert "themselves" in raised.value.message
    assert "other" in raised.value.details
    assert not NonAssociation.objects.exists()


def test_an_overlapping_rule_for_the_same_pair_is_a_conflict_naming_the_existing_one() -> None:
    first, second = InmateFactory.create(), InmateFactory.create()
    _keep_apart(first, second, ends_on=date(2025, 6, 1))
    with pytest.raises(ConflictError) as raised:
        _keep_apart(second, first, starts_on=date(2025, 5, 1), scope=NonAssociation.Scope.CELL)
    assert raised.value.http_status == 409
    assert "already kept apart" in raised.value.message
    assert "from 2025-01-01 to 2025-06-01" in raised.value.message
    assert NonAssociation.objects.count() == 1


def test_a_later_rule_for_the_same_pair_after_the_first_ends_is_allowed() -> None:
    first, second = InmateFactory.create(), InmateFactory.create()
    _keep_apart(first, second, ends_on=date(2025, 6, 1))
    _keep_apart(first, second, starts_on=date(2025, 6, 1))
    assert NonAssociation.objects.count() == 2


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"reason": "  "}, "reason"),
        ({"ends_on": date(2025, 1, 1)}, "ends_on"),
        ({"ends_on": date(2024, 12, 1)}, "ends_on"),
        ({"scope": "prison"}, "scope"),
    ],
)
def test_bad_non_association_input_is_refused(overrides, field) -> None:
    with pytest.raises(ApplicationError) as raised:
        _keep_apart(InmateFactory.create(), InmateFactory.create(), **overrides)
    assert field in raised.value.details
    assert not NonAssociation.objects.exists()


def test_ending_a_non_association_sets_its_upper_bound() -> None:
    first, second = InmateFactory.create(), InmateFactory.create()
    rule = NonAssociationFactory.create(inmate_a=first, inmate_b=second)
    ended = services.non_association_end(non_association=rule, ends_on=date(2025, 9, 1), actor=None)
    assert ended.active == DateRange(date(2025, 1, 1), date(2025, 9, 1), "[)")
    # The same end again is a no-op; a later end would extend an ended rule: refused.
    services.non_association_end(non_association=rule, ends_on=date(2025, 9, 1), actor=None)
    with pytest.raises(ConflictError) as raised:
        services.non_association_end(non_association=rule, ends_on=date(2025, 10, 1), actor=None)
    assert "already ended on 2025-09-01" in raised.value.message


def test_a_non_association_cannot_end_on_or_before_its_start() -> None:
    first, second = InmateFactory.create(), InmateFactory.create()
    rule = NonAssociationFactory.create(inmate_a=first, inmate_b=second)
    with pytest.raises(ApplicationError) as raised:
        services.non_association_end(non_association=rule, ends_on=date(2025, 1, 1), actor=None)
    assert "ends_on" in raised.value.details
    rule.refresh_from_db()
    assert rule.active.upper is None

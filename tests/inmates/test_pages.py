"""The inmate pages: list, record, forms, and who may open them."""

from datetime import date

import pytest
from django.db.backends.postgresql.psycopg_any import DateRange
from django.urls import reverse

from program.inmates.models import ExpulsionOrder, Inmate, Judgment, NonAssociation
from tests.inmates.factories import (
    ExpulsionOrderFactory,
    InmateFactory,
    JudgmentFactory,
    NonAssociationFactory,
    PlacementFactory,
)

pytestmark = pytest.mark.django_db

LIST = reverse("inmates:list")


def _body(response) -> str:
    return response.content.decode()


def _inmate_post(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "case_number": "KF-2025-001",
        "name": "Ahmed Karimi",
        "date_of_birth": "1988-03-02",
        "sex": "M",
        "nationalities": ["AF"],
        "languages": "Dari, English",
        "country_of_return": "AF",
        "return_readmits": "no",
        "return_readmits_reason": "Refused a travel document",
        "security_level": "medium",
        "home_institution": "Nyborg Prison",
        "interpreter_needed": "on",
    }
    data.update(overrides)
    return data


# --- Who may open what ----------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["finance_officer", "finance_approver", "stranger"])
def test_finance_roles_and_strangers_cannot_see_inmates(persona, who) -> None:
    inmate = InmateFactory()
    client = persona(who)
    assert client.get(LIST).status_code == 403
    assert client.get(reverse("inmates:detail", args=[inmate.pk])).status_code == 403


def test_the_auditor_reads_but_cannot_change(auditor) -> None:
    inmate = InmateFactory()
    detail = auditor.get(reverse("inmates:detail", args=[inmate.pk]))
    assert detail.status_code == 200
    assert reverse("inmates:edit", args=[inmate.pk]) not in _body(detail)
    assert reverse("inmates:create") not in _body(auditor.get(LIST))
    assert auditor.get(reverse("inmates:create")).status_code == 403
    response = auditor.post(reverse("inmates:create"), _inmate_post())
    assert response.status_code == 403
    assert not Inmate.objects.filter(case_number="KF-2025-001").exists()


def _say_why(client, inmate, purpose: str = "occupancy") -> None:
    """A record opens after its reader has said why (program.audit.purpose)."""
    client.post(
        reverse("audit:purpose"),
        {
            "subject_type": "inmate",
            "subject_id": inmate.pk,
            "next": reverse("inmates:detail", args=[inmate.pk]),
            "purpose": purpose,
        },
    )


def test_the_occupancy_admin_keeps_apart_but_does_not_edit_records(occupancy_admin) -> None:
    inmate = InmateFactory()
    _say_why(occupancy_admin, inmate)
    body = _body(occupancy_admin.get(reverse("inmates:detail", args=[inmate.pk])))
    assert reverse("inmates:non-association-create", args=[inmate.pk]) in body
    assert reverse("inmates:edit", args=[inmate.pk]) not in body
    assert occupancy_admin.get(reverse("inmates:edit", args=[inmate.pk])).status_code == 403


# --- The list -------------------------------------------------------------------------------------


def test_the_list_searches_by_name_and_case_number(caseworker) -> None:
    InmateFactory(name="Ahmed Karimi", case_number="KF-1")
    InmateFactory(name="Jonas Berg", case_number="XY-77")
    body = _body(caseworker.get(LIST, {"search": "karimi"}))
    assert "Ahmed Karimi" in body
    assert "Jonas Berg" not in body
    body = _body(caseworker.get(LIST, {"search": "XY-77"}))
    assert "Jonas Berg" in body
    assert "Ahmed Karimi" not in body


def test_the_list_filters(caseworker) -> None:
    # Names that no filter choice (a country's name) contains.
    InmateFactory(name="Sven", nationalities=["SE"], interpreter_needed=True)
    PlacementFactory(inmate=InmateFactory(name="Piotr", nationalities=["PL"]))
    JudgmentFactory(inmate=InmateFactory(name="Dorte", nationalities=["DK"]))  # 2027-05-21
    body = _body(caseworker.get(LIST, {"nationality": "SE"}))
    assert ("Sven" in body, "Piotr" in body) == (True, False)
    body = _body(caseworker.get(LIST, {"flags": ["interpreter"]}))
    assert ("Sven" in body, "Piotr" in body) == (True, False)
    body = _body(caseworker.get(LIST, {"placed": "yes"}))
    assert ("Piotr" in body, "Sven" in body) == (True, False)
    body = _body(caseworker.get(LIST, {"placed": "no"}))
    assert ("Piotr" in body, "Sven" in body) == (False, True)
    body = _body(caseworker.get(LIST, {"release_from": "2027-05-01", "release_to": "2027-05-31"}))
    assert ("Dorte" in body, "Sven" in body) == (True, False)
    assert "Clear the search and filters" in body


def test_an_invalid_filter_is_shown_and_the_others_still_apply(caseworker) -> None:
    InmateFactory(name="Sven", nationalities=["SE"])
    InmateFactory(name="Piotr", nationalities=["PL"])
    response = caseworker.get(LIST, {"nationality": "SE", "release_from": "not-a-date"})
    body = _body(response)
    assert response.status_code == 200
    assert 'href="#id_release_from"' in body
    assert ("Sven" in body, "Piotr" in body) == (True, False)


def test_the_list_sorts_by_column_and_says_which(caseworker) -> None:
    InmateFactory(name="Al", case_number="2")
    InmateFactory(name="Bo", case_number="1")
    body = _body(caseworker.get(LIST, {"order": "case_number"}))
    assert body.index(">Bo<") < body.index(">Al<")
    assert 'aria-sort="ascending"' in body
    assert "?order=-case_number" in body  # clicking again reverses
    body = _body(caseworker.get(LIST, {"order": "-name"}))
    assert body.index(">Bo<") < body.index(">Al<")
    assert 'aria-sort="descending"' in body


def test_the_list_pages_by_fifty_and_keeps_the_filters(caseworker) -> None:
    for n in range(51):
        InmateFactory(name=f"Person {n:02d}", home_institution="Nyborg Prison")
    first = _body(caseworker.get(LIST, {"institution": "Nyborg Prison"}))
    assert "51 inmates" in first
    assert first.count('href="/inmates/') - first.count('href="/inmates/new') >= 50
    assert "Person 49" in first
    assert "Person 50" not in first
    assert "?institution=Nyborg+Prison&amp;page=2" in first
    second = _body(caseworker.get(LIST, {"institution": "Nyborg Prison", "page": 2}))
    assert "Person 50" in second
    assert "Person 49" not in second


# --- The record -----------------------------------------------------------------------------------


def test_the_record_shows_every_section(caseworker) -> None:
    inmate = InmateFactory(name="Ahmed Karimi", nationalities=["AF"])
    other = InmateFactory(name="Jonas Berg")
    JudgmentFactory(inmate=inmate)
    ExpulsionOrderFactory(inmate=inmate, entry_ban_years=None, entry_ban_permanent=True)
    PlacementFactory(inmate=inmate)
    NonAssociationFactory(inmate_a=inmate, inmate_b=other, reason="Gang conflict")
    _say_why(caseworker, inmate, "case work")
    body = _body(caseworker.get(reverse("inmates:detail", args=[inmate.pk])))
    for section in ["person", "judgments", "expulsion", "placements", "non-associations"]:
        assert f'href="#{section}"' in body
        assert f'id="{section}"' in body
    assert "Afghanistan (AF)" in body
    assert "2027-05-21" in body  # full term
    assert "2026-07-25" in body  # two-thirds
    assert "Permanent" in body
    assert "Placed now" in body
    assert "Jonas Berg" in body
    assert "Gang conflict" in body
    assert 'data-testid="history-link"' in body  # the history page shows every change


def test_an_unknown_inmate_is_a_404(caseworker) -> None:
    assert caseworker.get(reverse("inmates:detail", args=[999999])).status_code == 404


# --- Registering and editing ----------------------------------------------------------------------


def test_registering_an_inmate(caseworker) -> None:
    response = caseworker.post(reverse("inmates:create"), _inmate_post(), follow=True)
    inmate = Inmate.objects.get(case_number="KF-2025-001")
    assert response.redirect_chain[-1][0] == reverse("inmates:detail", args=[inmate.pk])
    assert "The inmate was registered." in _body(response)
    assert inmate.languages == ["Dari", "English"]
    assert inmate.interpreter_needed
    assert inmate.country_of_return_id == "AF"


def test_bad_input_is_listed_at_the_top_and_at_each_field(caseworker) -> None:
    response = caseworker.post(
        reverse("inmates:create"),
        _inmate_post(
            name="",
            date_of_birth="1988-13-45",
            sex="Q",
            nationalities=[],
            security_level="",
        ),
    )
    body = _body(response)
    assert response.status_code == 400
    assert 'class="alert alert-error"' in body
    for field in ["name", "date_of_birth", "sex", "nationalities", "security_level"]:
        assert f'href="#id_{field}' in body, field
    assert body.count('class="form-error-message"') == 5
    assert not Inmate.objects.exists()


def test_a_case_number_in_use_is_named_at_its_field(caseworker) -> None:
    InmateFactory(case_number="KF-2025-001")
    body = _body(caseworker.post(reverse("inmates:create"), _inmate_post()))
    assert 'href="#id_case_number"' in body
    assert Inmate.objects.count() == 1


def test_a_date_of_birth_in_the_future_is_refused_at_its_field(caseworker) -> None:
    body = _body(
        caseworker.post(reverse("inmates:create"), _inmate_post(date_of_birth="2999-01-01"))
    )
    assert 'href="#id_date_of_birth"' in body
    assert "cannot be in the future" in body
    assert not Inmate.objects.exists()


def _version(page) -> str:
    """The hidden version the edit form was rendered with."""
    return page.context["form"]["version"].value()


def test_editing_an_inmate(caseworker) -> None:
    inmate = InmateFactory(case_number="KF-9", name="Old Name", nationalities=["SE"])
    url = reverse("inmates:edit", args=[inmate.pk])
    page = caseworker.get(url)
    form = _body(page)
    assert 'value="Old Name"' in form
    assert "created_at" not in form
    assert f'name="version" value="{inmate.version}"' in form
    response = caseworker.post(
        url,
        _inmate_post(
            case_number="KF-9",
            name="New Name",
            created_at="2000-01-01T00:00",
            version=_version(page),
        ),
    )
    assert response.status_code == 302
    inmate.refresh_from_db()
    assert inmate.name == "New Name"
    assert inmate.created_at.year != 2000


def test_a_stale_save_says_who_changed_what_and_when_and_overwrites_nothing(
    caseworker, make_user
) -> None:
    from django.test import Client

    from program.core.roles import Role

    karl = Client()
    karl.force_login(make_user("karl", Role.CASEWORKER))
    inmate = InmateFactory(case_number="KF-9", name="Old Name", nationalities=["SE"])
    url = reverse("inmates:edit", args=[inmate.pk])
    mine, theirs = caseworker.get(url), karl.get(url)
    saved = karl.post(
        url,
        _inmate_post(
            case_number="KF-9",
            name="Karl's Name",
            **{"version": _version(theirs), "security_level": "high"},
        ),
    )
    assert saved.status_code == 302
    refused = caseworker.post(
        url, _inmate_post(case_number="KF-9", name="Carla's Name", version=_version(mine))
    )
    body = _body(refused)
    assert refused.status_code == 200
    assert "Someone else changed this record" in body
    assert "Reload it to see their change" in body
    assert "(Karl, " in body  # the full name of the last writer
    assert "Changed by karl at" in body  # who and when
    assert "Name: Old Name → Karl&#x27;s Name" in body  # what
    assert "Security level: Medium → High" in body
    inmate.refresh_from_db()
    assert (inmate.name, inmate.security_level) == ("Karl's Name", "high")
    # What Carla typed is still in the form, for her to compare and apply again after a reload.
    assert 'value="Carla&#x27;s Name"' in body


def test_an_edit_without_its_version_is_refused(caseworker) -> None:
    inmate = InmateFactory(case_number="KF-9", name="Old Name")
    url = reverse("inmates:edit", args=[inmate.pk])
    response = caseworker.post(url, _inmate_post(case_number="KF-9", name="New Name"))
    assert response.status_code == 200
    assert "lost track of the record&#x27;s version" in _body(response)
    inmate.refresh_from_db()
    assert inmate.name == "Old Name"


# --- Judgments, expulsion orders, non-associations ------------------------------------------------


def _judgment_post(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "court": "Copenhagen City Court",
        "judgment_date": "2024-11-01",
        "final_on": "2024-11-15",
        "sentence_type": "fixed_term",
        "length_days": "900",
        "remand_days": "30",
        "sentence_start": "2025-01-01",
        "offence_categories": ["drugs"],
    }
    data.update(overrides)
    return data


def test_recording_a_judgment_shows_its_dates(caseworker) -> None:
    inmate = InmateFactory()
    _say_why(caseworker, inmate, "case work")
    response = caseworker.post(
        reverse("inmates:judgment-create", args=[inmate.pk]), _judgment_post(), follow=True
    )
    body = _body(response)
    assert "The judgment was recorded." in body
    assert "2027-05-21" in body
    assert Judgment.objects.get().offence_categories.get().code == "drugs"


def test_a_judgment_breaking_a_rule_is_shown_at_the_field(caseworker) -> None:
    inmate = InmateFactory()
    response = caseworker.post(
        reverse("inmates:judgment-create", args=[inmate.pk]),
        _judgment_post(sentence_type="life"),
    )
    body = _body(response)
    assert 'href="#id_length_days"' in body
    assert "forvaring and life have none" in body
    response = caseworker.post(
        reverse("inmates:judgment-create", args=[inmate.pk]),
        _judgment_post(remand_days="1000"),
    )
    assert 'href="#id_remand_days"' in _body(response)
    assert not Judgment.objects.exists()


def test_editing_a_judgment(caseworker) -> None:
    judgment = JudgmentFactory()
    url = reverse("inmates:judgment-edit", args=[judgment.pk])
    response = caseworker.post(
        url, _judgment_post(length_days="1200", version=str(judgment.version))
    )
    assert response.status_code == 302
    assert response["Location"].endswith("#judgments")
    judgment.refresh_from_db()
    assert judgment.full_term_date == date(2028, 3, 16)  # 2025-01-01 + 1200 - 30 days


def test_recording_and_editing_an_expulsion_order(caseworker) -> None:
    inmate = InmateFactory()
    url = reverse("inmates:expulsion-create", args=[inmate.pk])
    bad = caseworker.post(
        url, {"ordered_on": "2024-11-01", "entry_ban_years": "6", "entry_ban_permanent": "on"}
    )
    assert 'href="#id_entry_ban_years"' in _body(bad)
    assert not ExpulsionOrder.objects.exists()
    good = caseworker.post(url, {"ordered_on": "2024-11-01", "final": "on", "entry_ban_years": "6"})
    assert good.status_code == 302
    order = ExpulsionOrder.objects.get()
    edit = caseworker.post(
        reverse("inmates:expulsion-edit", args=[order.pk]),
        {
            "ordered_on": "2024-11-01",
            "final": "on",
            "entry_ban_years": "6",
            "revoked_on": "2025-02-01",
            "version": str(order.version),
        },
    )
    assert edit.status_code == 302
    order.refresh_from_db()
    assert order.revoked_on == date(2025, 2, 1)


def test_keeping_two_inmates_apart_by_case_number(occupancy_admin) -> None:
    inmate, other = InmateFactory(), InmateFactory(case_number="KF-OTHER")
    url = reverse("inmates:non-association-create", args=[inmate.pk])
    post = {"scope": "unit", "reason": "Co-defendants", "starts_on": "2025-01-01"}
    unknown = occupancy_admin.post(url, {**post, "other_case_number": "NOPE"})
    assert "No inmate has case number NOPE." in _body(unknown)
    itself = occupancy_admin.post(url, {**post, "other_case_number": inmate.case_number})
    assert 'href="#id_other_case_number"' in _body(itself)
    assert "kept apart from themselves" in _body(itself)
    assert not NonAssociation.objects.exists()
    done = occupancy_admin.post(url, {**post, "other_case_number": " KF-OTHER "})
    assert done.status_code == 302
    rule = NonAssociation.objects.get()
    assert {rule.inmate_a, rule.inmate_b} == {inmate, other}
    again = occupancy_admin.post(url, {**post, "other_case_number": "KF-OTHER"})
    assert "already kept apart" in _body(again)
    assert NonAssociation.objects.count() == 1


def test_ending_a_non_association_from_the_record(caseworker) -> None:
    first, second = InmateFactory(), InmateFactory()
    rule = NonAssociationFactory(inmate_a=first, inmate_b=second)
    url = reverse("inmates:non-association-end", args=[rule.pk])
    assert caseworker.get(url).status_code == 200
    too_early = caseworker.post(url, {"ends_on": "2024-12-01", "inmate": second.pk})
    assert 'href="#id_ends_on"' in _body(too_early)
    response = caseworker.post(url, {"ends_on": "2025-03-01", "inmate": second.pk})
    assert response["Location"] == reverse("inmates:detail", args=[second.pk]) + "#non-associations"
    rule.refresh_from_db()
    assert rule.active == DateRange(date(2025, 1, 1), date(2025, 3, 1), "[)")

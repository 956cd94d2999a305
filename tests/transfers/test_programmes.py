"""Two programmes in one install: nothing of one counts in, shows in or rules the other.

Denmark–Kosovo (the test's programme, `dk`) and Sweden–Estonia (`se`, smaller, with its own
rule parameters). Each test names the rule it pins; the capacity ones were written against the
earlier behaviour (E17 read the oldest agreement on the decision day only) and failed there.
"""

from datetime import date, timedelta
from typing import cast

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.db.backends.postgresql.psycopg_any import DateRange
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from program.cells import programmes
from program.cells import selectors as cells_selectors
from program.cells.models import Agreement, Place, Placement, RampUpCap
from program.core.errors import ApplicationError, ConflictError
from tests.factories import AgreementFactory, FacilityFactory, PlaceFactory, RampUpCapFactory
from tests.inmates.factories import PlacementFactory
from tests.transfers.conftest import make_eligible_inmate
from tests.transfers.factories import TransferCaseFactory
from tests.transfers.helpers import S, advance, batch, upload
from transfers import eligibility, selectors, services
from transfers.models import Document, TransferCase
from transfers.views_records import manifest_recipient

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


@pytest.fixture
def dk(programme) -> Agreement:
    return programme


@pytest.fixture
def se(dk) -> Agreement:
    agreement = cast(
        Agreement,
        AgreementFactory(
            name="Sweden–Estonia: Tartu",
            sending_state="SE",
            host_state="EE",
            sending_authority="Kriminalvården",
            host_authority="Estonian Prison Service",
            signed_on=date(2025, 2, 25),
            contracted_places=2,
        ),
    )
    FacilityFactory(agreement=agreement, name="Tartu prison", location="Tartu", country="EE")
    return agreement


def se_place(se: Agreement) -> Place:
    return cast(Place, PlaceFactory(cell__unit__facility=se.facilities.get()))


def cap(agreement: Agreement, places: int) -> RampUpCap:
    """The programme may use `places` from a month ago on."""
    return cast(
        RampUpCap,
        RampUpCapFactory(
            agreement=agreement, effective_from=TODAY() - timedelta(days=30), places=places
        ),
    )


def reserve(place: Place, start: date, end: date | None = None) -> Placement:
    return cast(
        Placement,
        PlacementFactory(
            place=place, kind=Placement.Kind.RESERVATION, period=DateRange(start, end, "[)")
        ),
    )


def prefer(user: User, agreement: Agreement | None) -> None:
    programmes.user_programme_set(user=user, programme=agreement)


# --- Which programme a case belongs to ---------------------------------------------------------


def test_with_one_programme_a_new_case_is_in_it(dk, carla, eligible_inmate) -> None:
    assert services.case_open(inmate=eligible_inmate, actor=carla).agreement == dk


def test_with_two_programmes_and_no_choice_opening_asks_which(se, carla, eligible_inmate) -> None:
    with pytest.raises(ApplicationError, match="Choose the programme"):
        services.case_open(inmate=eligible_inmate, actor=carla)
    assert not TransferCase.objects.exists()


def test_a_new_case_takes_the_users_programme_or_the_one_chosen(
    dk, se, carla, eligible_inmate
) -> None:
    prefer(carla, se)
    assert services.case_open(inmate=eligible_inmate, actor=carla).agreement == se
    other = make_eligible_inmate()
    assert services.case_open(inmate=other, actor=carla, agreement=dk).agreement == dk


def test_the_open_case_page_offers_the_programmes_when_there_are_several(
    dk, se, caseworker, carla, eligible_inmate
) -> None:
    prefer(carla, dk)
    page = caseworker.get(reverse("transfers:case-open"))
    assert se.name in page.content.decode()
    caseworker.post(
        reverse("transfers:case-open"),
        {"case_number": eligible_inmate.case_number, "agreement": se.pk},
    )
    assert TransferCase.objects.get(inmate=eligible_inmate).agreement == se


def test_intake_without_a_programme_to_take_is_refused_before_writing(se, carla) -> None:
    with pytest.raises(ApplicationError, match="Choose the programme"):
        services.candidates_intake(rows=[], actor=carla)


# --- E17 over the horizon ------------------------------------------------------------------------


def test_a_decision_is_refused_when_every_place_is_reserved_from_next_week(
    dk, carla, otto, eligible_inmate
) -> None:
    """Before: the cap was read on the decision day only, so this decision went through."""
    cap(dk, 1)
    only = PlaceFactory()
    reserve(only, TODAY() + timedelta(days=7))
    case = services.case_open(inmate=eligible_inmate, actor=carla)
    advance(case, S.HOST_REVIEW, carla=carla, otto=otto)
    services.opinion_record(
        case=case, stance="agrees", heard_on=TODAY(), language="Arabic", actor=carla
    )
    upload(case, Document.Kind.OPINION_RECORD, carla)
    services.decision_record(
        case=case,
        outcome="transfer",
        authority="Kriminalforsorgen",
        legal_basis="Straffuldbyrdelsesloven § 78",
        decided_on=TODAY(),
        actor=carla,
    )
    with pytest.raises(ConflictError) as refused:
        services.case_transition(case=case, to=S.DECIDED_TRANSFER, actor=carla)
    message = str(refused.value)
    assert (TODAY() + timedelta(days=7)).isoformat() in message
    assert "1 of its 1 places" in message
    assert TransferCase.objects.get(pk=case.pk).state == S.HOST_REVIEW


def test_the_horizon_without_a_transport_is_the_programmes_lead_time(
    dk, carla, otto, eligible_inmate
) -> None:
    cap(dk, 1)
    reserve(PlaceFactory(), TODAY() + timedelta(days=7))
    services.rule_parameter_set(
        name="capacity_lead_days", raw_value="5", reason="Short lead", actor=otto, agreement=dk
    )
    case = services.case_open(inmate=eligible_inmate, actor=carla)
    advance(case, S.DECIDED_TRANSFER, carla=carla, otto=otto)
    assert case.state == S.DECIDED_TRANSFER


def test_a_full_programme_does_not_block_a_decision_in_another(
    dk, se, carla, otto, eligible_inmate
) -> None:
    """Before: E17 read the oldest agreement, so Sweden's full places refused Denmark's case."""
    Agreement.objects.filter(pk=se.pk).update(signed_on=date(2020, 1, 1))  # now the oldest
    cap(se, 1)
    PlacementFactory(place=se_place(se))
    prefer(carla, dk)
    case = services.case_open(inmate=eligible_inmate, actor=carla)
    advance(case, S.DECIDED_TRANSFER, carla=carla, otto=otto)
    assert case.state == S.DECIDED_TRANSFER


def test_scheduling_is_refused_when_the_programme_is_full_on_a_day_before_arrival(
    dk, carla, otto, eligible_inmate
) -> None:
    cap(dk, 1)
    place = PlaceFactory()
    services.rule_parameter_set(
        name="capacity_lead_days", raw_value="0", reason="Decide today", actor=otto, agreement=dk
    )
    reserve(place, TODAY() + timedelta(days=3), TODAY() + timedelta(days=5))
    case = services.case_open(inmate=eligible_inmate, actor=carla)
    advance(case, S.NOTIFIED, carla=carla, otto=otto)
    later = batch(carla, departs_on=TODAY() + timedelta(days=10))
    with pytest.raises(ConflictError) as refused:
        services.case_transition(case=case, to=S.SCHEDULED, actor=carla, data={"batch": later})
    assert (TODAY() + timedelta(days=3)).isoformat() in str(refused.value)
    assert not Placement.objects.filter(inmate=case.inmate).exists()


def test_the_first_full_day_is_found_by_one_query_over_the_ramp_up(dk) -> None:
    RampUpCapFactory(agreement=dk, effective_from=TODAY(), places=2)
    RampUpCapFactory(agreement=dk, effective_from=TODAY() + timedelta(days=20), places=1)
    first, second = PlaceFactory(), PlaceFactory()
    reserve(first, TODAY() + timedelta(days=10))
    with CaptureQueriesContext(connection) as queries:
        over = cells_selectors.first_day_over_cap(
            agreement=dk, start=TODAY(), end=TODAY() + timedelta(days=40)
        )
    assert len(queries) == 1
    # Room until the cap drops to one on day 20, when the one reservation fills it.
    assert over == cells_selectors.OverCap(day=TODAY() + timedelta(days=20), cap=1, held=1)
    reserve(second, TODAY() + timedelta(days=12))
    over = cells_selectors.first_day_over_cap(
        agreement=dk, start=TODAY(), end=TODAY() + timedelta(days=40)
    )
    assert over == cells_selectors.OverCap(day=TODAY() + timedelta(days=12), cap=2, held=2)


# --- Places --------------------------------------------------------------------------------------


def test_a_free_place_is_looked_for_in_the_cases_programme_only(dk, se) -> None:
    theirs = se_place(se)
    assert selectors.free_place_on(TODAY(), agreement=se) == theirs
    assert selectors.free_place_on(TODAY(), agreement=dk) is None


def test_scheduling_never_reserves_a_place_of_another_programme(
    dk, se, carla, otto, eligible_inmate
) -> None:
    se_place(se)
    case = services.case_open(inmate=eligible_inmate, actor=carla, agreement=dk)
    advance(case, S.NOTIFIED, carla=carla, otto=otto)
    with pytest.raises(ConflictError, match=f"No free place in {dk.name}"):
        services.case_transition(
            case=case, to=S.SCHEDULED, actor=carla, data={"batch": batch(carla, agreement=dk)}
        )


def test_a_case_is_booked_only_on_its_programmes_transport(
    dk, se, carla, otto, eligible_inmate, place
) -> None:
    case = services.case_open(inmate=eligible_inmate, actor=carla, agreement=dk)
    advance(case, S.NOTIFIED, carla=carla, otto=otto)
    swedish = batch(carla, agreement=se)
    with pytest.raises(ApplicationError, match="transport of the case's programme"):
        services.case_transition(case=case, to=S.SCHEDULED, actor=carla, data={"batch": swedish})


# --- Rules ---------------------------------------------------------------------------------------


def test_each_programme_has_its_own_rule_parameters(dk, se, otto) -> None:
    services.rule_parameter_set(
        name="sexes_admitted",
        raw_value="F, M",
        reason="Tartu admits women",
        actor=otto,
        agreement=se,
    )
    services.rule_parameter_set(
        name="min_days_left", raw_value="240", reason="Every programme", actor=otto
    )
    assert eligibility.params_load(se).sexes_admitted == ("F", "M")
    assert eligibility.params_load(dk).sexes_admitted == ("M",)
    # A value for every programme applies where a programme has none of its own.
    assert eligibility.params_load(dk).min_days_left == 240
    services.rule_parameter_set(
        name="min_days_left", raw_value="365", reason="Tartu's term", actor=otto, agreement=se
    )
    assert eligibility.params_load(se).min_days_left == 365
    assert eligibility.params_load(dk).min_days_left == 240


def test_a_woman_is_screened_by_her_cases_programme(dk, se, carla, otto) -> None:
    services.rule_parameter_set(
        name="sexes_admitted",
        raw_value="F, M",
        reason="Tartu admits women",
        actor=otto,
        agreement=se,
    )
    in_se = services.case_open(inmate=make_eligible_inmate(sex="F"), actor=carla, agreement=se)
    in_dk = services.case_open(inmate=make_eligible_inmate(sex="F"), actor=carla, agreement=dk)
    services.screenings_run(
        inmate_ids=[in_se.inmate_id, in_dk.inmate_id], on=TODAY(), only_changes=False, actor=carla
    )
    outcome = {
        row.inmate_id: {r["id"]: r["outcome"] for r in row.results}["E11"]
        for row in in_se.inmate.screenings.all() | in_dk.inmate.screenings.all()
    }
    assert outcome == {in_se.inmate_id: "pass", in_dk.inmate_id: "fail"}


def test_the_rules_page_shows_the_chosen_programmes_values(dk, se, caseworker, otto) -> None:
    services.rule_parameter_set(
        name="min_days_left", raw_value="365", reason="Tartu's term", actor=otto, agreement=se
    )
    url = reverse("transfers:rules")
    assert "365" in caseworker.get(url, {"programme": se.pk}).content.decode()
    assert "365" not in caseworker.get(url, {"programme": dk.pk}).content.decode()


# --- Lists ---------------------------------------------------------------------------------------


def test_the_worklist_shows_the_users_programme_unless_asked(dk, se, caseworker, carla) -> None:
    ours = TransferCaseFactory(agreement=dk, caseworker=carla)
    theirs = TransferCaseFactory(agreement=se, caseworker=carla)
    prefer(carla, dk)
    url = reverse("transfers:worklist")

    def shown(**query: object) -> set[int]:
        return {case.pk for case in caseworker.get(url, query).context["page"].object_list}

    assert shown() == {ours.pk}
    assert shown(programme=se.pk) == {theirs.pk}
    assert shown(programme="all") == {ours.pk, theirs.pk}


def test_the_transport_list_shows_the_users_programme(dk, se, caseworker, carla) -> None:
    ours, theirs = batch(carla, agreement=dk), batch(carla, agreement=se)
    prefer(carla, se)
    page = caseworker.get(reverse("transfers:batch-list")).context["page"]
    assert [b.pk for b in page.object_list] == [theirs.pk]
    page = caseworker.get(reverse("transfers:batch-list"), {"programme": "all"}).context["page"]
    assert {b.pk for b in page.object_list} == {ours.pk, theirs.pk}


def test_the_api_lists_one_programmes_cases(dk, se, caseworker, carla) -> None:
    ours = TransferCaseFactory(agreement=dk, caseworker=carla)
    TransferCaseFactory(agreement=se, caseworker=carla)
    body = caseworker.get(reverse("api:transfer-case-list"), {"programme": dk.pk}).json()
    assert [row["id"] for row in body["results"]] == [ours.pk]


def test_the_occupancy_dashboard_opens_on_the_users_programme(
    dk, se, occupancy_admin, otto
) -> None:
    FacilityFactory(agreement=dk, name="Gjilan prison")
    prefer(otto, se)
    page = occupancy_admin.get(reverse("cells:occupancy"))
    assert page.context["agreement"] == se


def test_the_manifest_names_the_programmes_host_as_recipient(se, carla) -> None:
    assert manifest_recipient(batch(carla, agreement=se)) == "Estonian Prison Service, Tartu prison"


def test_the_finance_dashboard_shows_the_users_programmes_money(
    dk, se, finance_officer, django_user_model
) -> None:
    from decimal import Decimal

    from finance.models import Tranche

    ours = Tranche.objects.create(
        agreement=dk, stream="start_fee", due_on=TODAY(), amount=Decimal("100.00")
    )
    Tranche.objects.create(agreement=se, stream="start_fee", due_on=TODAY(), amount=Decimal("7.00"))
    prefer(django_user_model.objects.get(username="frida"), dk)
    page = finance_officer.get(reverse("finance:dashboard"))
    assert [t.pk for t in page.context["next_tranches"]] == [ours.pk]
    assert page.context["everything"] == Decimal("100.00")
    page = finance_officer.get(reverse("finance:dashboard"), {"programme": "all"})
    assert page.context["everything"] == Decimal("107.00")

"""The unit page: tiles, who sees the actions, and the actions done with and without htmx."""

from datetime import date
from decimal import Decimal
from typing import cast

import pytest
from django.urls import reverse

from program.cells import services
from program.cells.models import Outage, Place, Placement
from program.inmates.models import Inmate
from tests.factories import CellFactory, PlaceFactory, UnitFactory

DAY = date(2027, 5, 3)
HTMX = {"HX-Request": "true"}


def make_inmate(case_number: str, name: str, **extra: object) -> Inmate:
    return Inmate.objects.create(
        case_number=case_number,
        name=name,
        date_of_birth=date(1985, 1, 1),
        sex="M",
        security_level="low",
        home_institution="Statsfængslet Østjylland",
        **extra,
    )


def new_place(**fields: object) -> Place:
    # factory_boy types a call as the factory; this says what it returns.
    return cast(Place, PlaceFactory(**fields))


def unit_url(unit, on: date = DAY) -> str:
    return f"{reverse('cells:unit-detail', args=[unit.pk])}?date={on.isoformat()}"


def action_url(name: str, pk: int, on: date = DAY) -> str:
    return f"{reverse(name, args=[pk])}?date={on.isoformat()}"


@pytest.fixture
def unit():
    return UnitFactory(code="A", name="Unit A")


@pytest.fixture
def ward(unit):
    """A unit with one place of each kind: occupied, reserved, out of use and free."""
    occupied = new_place(cell=CellFactory(unit=unit, number="A-101"))
    reserved = new_place(cell=CellFactory(unit=unit, number="A-102"))
    broken = new_place(cell=CellFactory(unit=unit, number="A-103"))
    free = new_place(cell=CellFactory(unit=unit, number="A-104"))
    placed = make_inmate("KF-1", "Anna Berit Carlsen")
    expected = make_inmate("KF-2", "Dorte Eva Fisker")
    services.placement_admit(
        inmate=placed,
        place=occupied,
        on=date(2027, 5, 1),
        reason="Transfer decision",
        expected_release_on=date(2028, 2, 29),
        actor=None,
    )
    services.reservation_create(
        inmate=expected, place=reserved, arrival_on=date(2027, 5, 10), reason="Booked", actor=None
    )
    services.outage_start(
        reason=Outage.Reason.REPAIR,
        starts_on=date(2027, 5, 2),
        expected_back_on=date(2027, 7, 1),
        cell=broken.cell,
        actor=None,
    )
    return {"occupied": occupied, "reserved": reserved, "broken": broken, "free": free}


def _tile(body: str, label: str) -> str:
    start = body.rindex("<li", 0, body.index(f'data-place="{label}"'))
    return body[start : body.index("</li>", start)]


# --- What the page shows ------------------------------------------------------------------------


@pytest.mark.django_db
def test_tiles_show_initials_and_dates_never_full_names(caseworker, ward, unit) -> None:
    response = caseworker.get(unit_url(unit))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Anna Berit Carlsen" not in body
    assert "Dorte Eva Fisker" not in body
    occupied = _tile(body, "A-101-1")
    assert 'data-status="occupied"' in occupied
    assert ">Occupied<" in occupied
    assert ">ABC<" in occupied
    assert "2028-02-29" in occupied
    reserved = _tile(body, "A-102-1")
    assert ">Reserved<" in reserved
    assert ">DEF<" in reserved
    assert "2027-05-10" in reserved
    broken = _tile(body, "A-103-1")
    assert ">Out of use<" in broken
    assert "Repair" in broken
    assert "2027-07-01" in broken
    assert ">Free<" in _tile(body, "A-104-1")


@pytest.mark.django_db
def test_the_legend_names_each_status_with_its_count(auditor, ward, unit) -> None:
    body = auditor.get(unit_url(unit)).content.decode()
    legend = body[body.index('data-testid="unit-legend"') :]
    for label in ("Free", "Occupied", "Reserved", "Out of use"):
        assert f">{label}</span> <strong>1</strong>" in legend


@pytest.mark.django_db
def test_the_expected_release_falls_back_to_the_judgments_full_term(caseworker, unit) -> None:
    place = new_place(cell=CellFactory(unit=unit, number="A-201"))
    inmate = make_inmate("KF-9", "Gert Hansen")
    inmate.judgments.create(
        court="Retten i Glostrup",
        judgment_date=date(2026, 1, 10),
        sentence_type="fixed_term",
        length_days=730,
        sentence_start=date(2026, 1, 1),
    )
    services.placement_admit(inmate=inmate, place=place, on=DAY, reason="Transfer", actor=None)
    body = caseworker.get(unit_url(unit)).content.decode()
    assert "2028-01-01" in _tile(body, "A-201-1")  # 2026-01-01 + 730 days


@pytest.mark.django_db
def test_a_chosen_date_shows_the_unit_as_it_was(caseworker, ward, unit) -> None:
    body = caseworker.get(unit_url(unit, date(2027, 4, 1))).content.decode()
    assert 'data-status="free"' in _tile(body, "A-103-1")  # out of use only from 2 May
    assert 'data-status="free"' in _tile(body, "A-104-1")
    # A place held from a later day is not free: it says from when, and for whom.
    admitted_later = _tile(body, "A-101-1")
    assert 'data-status="occupied"' in admitted_later
    assert "from 2027-05-01" in admitted_later
    assert 'data-status="reserved"' in _tile(body, "A-102-1")
    # After the release the place is free again.
    services.placement_release(
        placement=Placement.objects.get(place=ward["occupied"]),
        on=date(2027, 6, 1),
        end_reason="returned",
        actor=None,
    )
    later = caseworker.get(unit_url(unit, date(2027, 6, 1))).content.decode()
    assert 'data-status="free"' in _tile(later, "A-101-1")


@pytest.mark.django_db
def test_an_unreadable_date_shows_today_and_says_so(caseworker, unit) -> None:
    response = caseworker.get(f"{reverse('cells:unit-detail', args=[unit.pk])}?date=5/3/2027")
    assert response.status_code == 200
    assert "is not a date" in response.content.decode()


@pytest.mark.django_db
def test_an_unknown_unit_is_a_404(caseworker) -> None:
    assert caseworker.get(reverse("cells:unit-detail", args=[999999])).status_code == 404


# --- Who sees and uses the actions --------------------------------------------------------------


@pytest.mark.django_db
def test_only_the_occupancy_administrator_sees_the_action_buttons(
    occupancy_admin, caseworker, auditor, ward, unit
) -> None:
    admin_body = occupancy_admin.get(unit_url(unit)).content.decode()
    for name, pk in [
        ("cells:place-admit", ward["free"].pk),
        ("cells:place-reserve", ward["free"].pk),
        ("cells:outage-start", ward["free"].cell.pk),
    ]:
        assert reverse(name, args=[pk]) in admin_body
    assert "/move/" in admin_body
    assert "/release/" in admin_body
    assert "/cancel/" in admin_body
    assert "/end/" in admin_body
    for reader in (caseworker, auditor):
        body = reader.get(unit_url(unit)).content.decode()
        for fragment in (
            "/admit/",
            "/reserve/",
            "/move/",
            "/release/",
            "/cancel/",
            "/out-of-use/",
            "/end/",
        ):
            assert fragment not in body


@pytest.mark.django_db
def test_the_unit_page_is_closed_to_finance_and_to_people_without_a_role(
    finance_officer, stranger, unit
) -> None:
    assert finance_officer.get(unit_url(unit)).status_code == 403
    assert stranger.get(unit_url(unit)).status_code == 403


@pytest.mark.django_db
def test_a_caseworker_cannot_admit(caseworker, ward) -> None:
    make_inmate("KF-3", "Ib Jensen")
    response = caseworker.post(
        action_url("cells:place-admit", ward["free"].pk),
        {"inmate": "KF-3", "on": "2027-05-03", "reason": "x"},
        headers=HTMX,
    )
    assert response.status_code == 403
    assert not Placement.objects.filter(place=ward["free"]).exists()


# --- Admission with htmx ------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_admit_form_comes_as_a_partial_for_htmx(occupancy_admin, ward) -> None:
    response = occupancy_admin.get(action_url("cells:place-admit", ward["free"].pk), headers=HTMX)
    assert response.status_code == 200
    body = response.content.decode()
    assert "<html" not in body
    assert 'hx-post="/programme/places/' in body
    assert 'value="2027-05-03"' in body  # the day the page showed
    assert "autofocus" in body


@pytest.mark.django_db
def test_an_htmx_admission_re_renders_the_grid_with_the_new_occupant(occupancy_admin, ward) -> None:
    make_inmate("KF-3", "Ib Kasper Jensen")
    response = occupancy_admin.post(
        action_url("cells:place-admit", ward["free"].pk),
        {"inmate": "KF-3", "on": "2027-05-03", "reason": "Transfer decision"},
        headers=HTMX,
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="unit-grid"')
    tile = _tile(body, "A-104-1")
    assert 'data-status="occupied"' in tile
    assert ">IKJ<" in tile
    assert "Ib Kasper Jensen" not in body
    assert 'id="unit-status" hx-swap-oob="innerHTML"' in body
    assert "IKJ admitted to place A-104-1 from 2027-05-03." in body
    assert 'id="unit-dialog" hx-swap-oob="innerHTML"' in body
    placement = Placement.objects.get(place=ward["free"])
    assert placement.inmate.case_number == "KF-3"


@pytest.mark.django_db
def test_a_refused_htmx_admission_shows_the_form_again_and_writes_nothing(
    occupancy_admin, ward
) -> None:
    make_inmate("KF-3", "Ib Jensen")
    response = occupancy_admin.post(
        action_url("cells:place-admit", ward["broken"].pk),
        {"inmate": "KF-3", "on": "2027-05-03", "reason": "Transfer decision"},
        headers=HTMX,
    )
    assert response.status_code == 200  # htmx swaps only 2xx answers
    assert response["HX-Retarget"] == "#unit-dialog"
    assert response["HX-Reswap"] == "innerHTML"
    body = response.content.decode()
    assert 'class="alert alert-error"' in body
    assert "out of use on 2027-05-03" in body
    assert 'value="KF-3"' in body  # what was typed is kept
    assert not Placement.objects.filter(inmate__case_number="KF-3").exists()


@pytest.mark.django_db
def test_a_refusal_naming_a_field_is_shown_at_that_field(occupancy_admin, ward) -> None:
    make_inmate("KF-3", "Ib Jensen")
    response = occupancy_admin.post(
        action_url("cells:place-admit", ward["free"].pk),
        {"inmate": "KF-3", "on": "2027-05-03", "reason": "   "},
        headers=HTMX,
    )
    body = response.content.decode()
    assert 'id="id_reason_error"' in body
    assert "Give a reason" in body
    assert 'aria-invalid="true"' in body
    assert not Placement.objects.filter(place=ward["free"]).exists()


@pytest.mark.django_db
def test_an_unknown_case_number_is_a_field_error(occupancy_admin, ward) -> None:
    response = occupancy_admin.post(
        action_url("cells:place-admit", ward["free"].pk),
        {"inmate": "KF-404", "on": "2027-05-03", "reason": "Transfer"},
    )
    assert response.status_code == 400
    assert "No inmate has the case number KF-404." in response.content.decode()


# --- Without JavaScript -------------------------------------------------------------------------


@pytest.mark.django_db
def test_without_javascript_the_form_is_a_page_and_success_redirects_back(
    occupancy_admin, ward, unit
) -> None:
    url = action_url("cells:place-admit", ward["free"].pk)
    page = occupancy_admin.get(url)
    assert page.status_code == 200
    assert "<html" in page.content.decode()
    assert "hx-post" not in page.content.decode()  # a plain form posting to itself
    make_inmate("KF-3", "Ib Jensen")
    response = occupancy_admin.post(url, {"inmate": "kf-3", "on": "2027-05-03", "reason": "T"})
    assert response.status_code == 302
    assert response["Location"] == unit_url(unit)
    shown = occupancy_admin.get(response["Location"]).content.decode()
    assert "IJ admitted to place A-104-1 from 2027-05-03." in shown


@pytest.mark.django_db
def test_without_javascript_a_conflict_is_a_409_page_with_the_form(occupancy_admin, ward) -> None:
    make_inmate("KF-3", "Ib Jensen")
    response = occupancy_admin.post(
        action_url("cells:place-admit", ward["occupied"].pk),
        {"inmate": "KF-3", "on": "2027-05-03", "reason": "Transfer"},
    )
    assert response.status_code == 409
    body = response.content.decode()
    assert "<html" in body
    assert "already taken" in body


# --- The other actions --------------------------------------------------------------------------


@pytest.mark.django_db
def test_reserve_with_htmx(occupancy_admin, ward) -> None:
    make_inmate("KF-3", "Ib Jensen")
    response = occupancy_admin.post(
        action_url("cells:place-reserve", ward["free"].pk),
        {"inmate": "KF-3", "arrival_on": "2027-05-20", "reason": "Transport booked"},
        headers=HTMX,
    )
    assert 'data-status="reserved"' in _tile(response.content.decode(), "A-104-1")
    assert Placement.objects.get(place=ward["free"]).kind == Placement.Kind.RESERVATION


@pytest.mark.django_db
def test_the_admit_form_for_a_reserved_place_names_the_expected_inmate(
    occupancy_admin, ward
) -> None:
    body = occupancy_admin.get(
        action_url("cells:place-admit", ward["reserved"].pk), headers=HTMX
    ).content.decode()
    assert 'value="KF-2"' in body
    assert "DEF, arriving 2027-05-10" in body


@pytest.mark.django_db
def test_move_offers_only_free_places_and_moves(occupancy_admin, ward, unit) -> None:
    placement = Placement.objects.get(place=ward["occupied"])
    form = occupancy_admin.get(
        action_url("cells:placement-move", placement.pk), headers=HTMX
    ).content.decode()
    assert f'value="{ward["free"].pk}"' in form
    for busy in ("occupied", "reserved", "broken"):
        assert f'value="{ward[busy].pk}"' not in form
    response = occupancy_admin.post(
        action_url("cells:placement-move", placement.pk),
        {"to_place": ward["free"].pk, "on": "2027-05-03", "reason": "Repair"},
        headers=HTMX,
    )
    body = response.content.decode()
    assert 'data-status="free"' in _tile(body, "A-101-1")
    assert ">ABC<" in _tile(body, "A-104-1")
    assert "ABC moved from A-101-1 to A-104-1 on 2027-05-03." in body


@pytest.mark.django_db
def test_release_with_htmx_frees_the_place(occupancy_admin, ward) -> None:
    placement = Placement.objects.get(place=ward["occupied"])
    response = occupancy_admin.post(
        action_url("cells:placement-release", placement.pk),
        {"on": "2027-05-03", "end_reason": "deported", "note": "Flight"},
        headers=HTMX,
    )
    assert 'data-status="free"' in _tile(response.content.decode(), "A-101-1")
    placement.refresh_from_db()
    assert placement.end_reason == "deported"


@pytest.mark.django_db
def test_release_refused_before_the_admission_keeps_the_form(occupancy_admin, ward) -> None:
    placement = Placement.objects.get(place=ward["occupied"])
    response = occupancy_admin.post(
        action_url("cells:placement-release", placement.pk),
        {"on": "2027-04-01", "end_reason": "released"},
        headers=HTMX,
    )
    body = response.content.decode()
    assert "The release must be after the admission (2027-05-01)." in body
    assert 'id="id_on_error"' in body
    placement.refresh_from_db()
    assert placement.end_reason == ""


@pytest.mark.django_db
def test_cancel_a_reservation_with_htmx(occupancy_admin, ward) -> None:
    reservation = Placement.objects.get(place=ward["reserved"])
    response = occupancy_admin.post(
        action_url("cells:reservation-cancel", reservation.pk),
        {"reason": "Transport cancelled"},
        headers=HTMX,
    )
    assert 'data-status="free"' in _tile(response.content.decode(), "A-102-1")
    reservation.refresh_from_db()
    assert reservation.end_reason == Placement.EndReason.CANCELLED


@pytest.mark.django_db
def test_take_one_place_of_a_shared_cell_out_of_use_and_back(occupancy_admin, unit) -> None:
    cell = CellFactory(unit=unit, number="A-150", kind="shared", floor_area_m2=Decimal("9.00"))
    first, second = PlaceFactory(cell=cell, number=1), PlaceFactory(cell=cell, number=2)
    response = occupancy_admin.post(
        action_url("cells:outage-start", cell.pk),
        {"place": second.pk, "reason": "repair", "starts_on": "2027-05-03", "note": "Bed broken"},
        headers=HTMX,
    )
    body = response.content.decode()
    assert 'data-status="free"' in _tile(body, "A-150-1")
    assert 'data-status="out_of_use"' in _tile(body, "A-150-2")
    outage = Outage.objects.get(place=second)
    response = occupancy_admin.post(
        action_url("cells:outage-end", outage.pk), {"on": "2027-05-04"}, headers=HTMX
    )
    assert "Place A-150-2 is back in use from 2027-05-04." in response.content.decode()
    assert first.outages.count() == 0


@pytest.mark.django_db
def test_a_cell_with_someone_in_it_is_not_taken_out_of_use(occupancy_admin, ward) -> None:
    response = occupancy_admin.post(
        action_url("cells:outage-start", ward["occupied"].cell.pk),
        {"reason": "repair", "starts_on": "2027-05-03"},
        headers=HTMX,
    )
    assert (
        "is taken or reserved from 2027-05-01; move or cancel first." in response.content.decode()
    )
    assert not Outage.objects.filter(cell=ward["occupied"].cell).exists()


# --- Query counts -------------------------------------------------------------------------------


def _fill(unit, cells: int) -> None:
    for n in range(cells):
        place = new_place(cell=CellFactory(unit=unit, number=f"A-{300 + n}"))
        if n % 3 == 0:
            inmate = make_inmate(f"KF-Q{n}", f"Query Count {n}")
            inmate.judgments.create(
                court="Retten i Glostrup",
                judgment_date=date(2026, 1, 10),
                sentence_type="fixed_term",
                length_days=730,
                sentence_start=date(2026, 1, 1),
            )
            services.placement_admit(inmate=inmate, place=place, on=DAY, reason="T", actor=None)
        elif n % 3 == 1:
            services.outage_start(
                reason="repair", starts_on=DAY, expected_back_on=None, cell=place.cell, actor=None
            )


@pytest.mark.django_db
@pytest.mark.parametrize("cells", [1, 30])
def test_unit_page_query_count(occupancy_admin, django_assert_num_queries, unit, cells) -> None:
    _fill(unit, cells)
    # session, user, user's groups (roles), the unit with its facility, its cells, their places,
    # the placements and reservations holding them (with inmate and expected release),
    # the outages on the day, the non-associations broken in the unit that day (one query),
    # the access-log row naming the people on the tiles (with the bulk-read count, one
    # statement), the header's counts (work queues and unread, one query)
    with django_assert_num_queries(10):
        response = occupancy_admin.get(unit_url(unit))
    assert response.status_code == 200
    assert response.content.decode().count('data-testid="place-tile"') == cells


@pytest.mark.django_db
@pytest.mark.parametrize("cells", [1, 30])
def test_htmx_action_answer_query_count_is_flat(
    occupancy_admin, django_assert_num_queries, unit, cells
) -> None:
    _fill(unit, cells)
    free = new_place(cell=CellFactory(unit=unit, number="A-999"))
    reservation = services.reservation_create(
        inmate=make_inmate("KF-R", "Reserved Person"),
        place=free,
        arrival_on=DAY,
        reason="Booked",
        actor=None,
    )
    # session, user, roles, the reservation with its place, cell, unit and facility;
    # whether a transfer case owns the person's stay (program.cells.stays);
    # the service: savepoint, the locked reservation, its update, savepoint release;
    # then the grid: unit, cells, places, holds, outages
    with django_assert_num_queries(14):
        response = occupancy_admin.post(
            action_url("cells:reservation-cancel", reservation.pk),
            {"reason": "Transport cancelled"},
            headers=HTMX,
        )
    assert response.status_code == 200

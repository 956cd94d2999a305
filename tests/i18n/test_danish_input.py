"""Amounts and dates typed the Danish way in the payment, invoice and placement forms are stored
as the numbers and days they mean; ambiguous or unreadable input is refused, saying what to type."""

from datetime import date
from decimal import Decimal

import pytest
from django import forms
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from finance.models import Payment, Tranche
from program.cells.models import Placement
from program.core.forms import DateField, DateInput, DecimalField, DecimalInput, parse_decimal
from tests.cells.test_unit_view import action_url, make_inmate, new_place
from tests.factories import CellFactory, UnitFactory
from tests.finance.helpers import approved, due, first_rent, scheduled

pytestmark = pytest.mark.django_db


def in_danish(client: Client) -> Client:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "da"
    return client


def _post(client: Client, name: str, tranche: Tranche, prefix: str, **fields: object):
    data = {f"{prefix}-{key}": value for key, value in fields.items()}
    data[f"{prefix}-expected_version"] = tranche.version
    return client.post(reverse(name, args=[tranche.pk]), data)


@pytest.fixture
def tranche() -> Tranche:
    return first_rent(scheduled())


# --- The rule, on its own ---------------------------------------------------------------------


@pytest.mark.parametrize("language", ["da", "en"])
@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("3.750.000,00", "3750000.00"),
        ("3750000.00", "3750000.00"),
        ("3,750,000.00", "3750000.00"),
        ("3750000,00", "3750000.00"),
        ("3 750 000,00", "3750000.00"),
        ("3.750.000", "3750000"),
        ("7,46", "7.46"),
        ("7.4600", "7.4600"),
        ("0,5", "0.5"),
        ("12", "12"),
    ],
)
def test_a_number_means_the_same_in_either_language(language, typed, meant) -> None:
    with translation.override(language):
        assert parse_decimal(typed) == Decimal(meant)


@pytest.mark.parametrize("typed", ["1.500", "7,460", "250.000"])
def test_one_separator_before_three_digits_is_refused_naming_both_readings(typed) -> None:
    with translation.override("da"), pytest.raises(forms.ValidationError) as refused:
        parse_decimal(typed)
    assert refused.value.code == "ambiguous"
    whole, fraction = typed.replace(",", ".").split(".")
    message = refused.value.messages[0]
    assert f"{whole}{fraction}" in message  # for thousands
    decimals = f"{Decimal(f'{whole}.{fraction}').normalize():f}".replace(".", ",")
    assert f"or {decimals} if" in message  # the decimal reading, with the Danish comma


@pytest.mark.parametrize("typed", ["3.75.000,00", "1,500.00,00", "1.000.000.5", "12a", "—"])
def test_a_badly_written_number_is_refused_with_an_example_in_the_page_language(typed) -> None:
    with translation.override("da"), pytest.raises(forms.ValidationError) as refused:
        parse_decimal(typed)
    assert "3.750.000,00" in refused.value.messages[0]
    assert "3750000,00" in refused.value.messages[0]


def test_an_amount_is_shown_back_so_that_it_reads_back_as_the_same_number() -> None:
    field = DecimalField(max_digits=14, decimal_places=2)
    widget = DecimalInput()
    with translation.override("da"):
        shown = widget.format_value(Decimal("1500"))
        assert shown == "1.500,00"
        assert field.clean(shown) == Decimal("1500")
        assert widget.format_value(Decimal("7.4600")) == "7,4600"


def test_a_date_is_read_in_danish_and_as_iso_and_a_wrong_one_names_both() -> None:
    field = DateField()
    with translation.override("da"):
        assert field.clean("03.12.2026") == date(2026, 12, 3)
        assert field.clean("3.12.26") == date(2026, 12, 3)
        assert field.clean("2026-12-03") == date(2026, 12, 3)
        with pytest.raises(forms.ValidationError) as refused:
            field.clean("12/03/2026")
    message = refused.value.messages[0]
    assert "“12/03/2026” is not a date" in message
    assert ".20" in message  # a 03.12.2026-style example
    assert "-" in message  # and an ISO one
    # The date picker's value is ISO whatever the language, or the browser shows nothing.
    with translation.override("da"):
        assert 'value="2026-12-03"' in DateInput().render("d", date(2026, 12, 3))


# --- The forms, end to end ---------------------------------------------------------------------


def test_a_danish_invoice_is_stored_as_the_amount_and_day_it_means(finance_officer, tranche):
    tranche = due(tranche)
    response = _post(
        in_danish(finance_officer),
        "finance:tranche-invoice",
        tranche,
        "invoice",
        invoice_reference="FAKT-2026-17",
        invoiced_on="03.04.2026",
        amount="3.750.000,00",
    )
    assert response.status_code == 302, response.content.decode()[-2000:]
    tranche.refresh_from_db()
    # The service refuses an invoice whose amount differs from the tranche's by a cent: the
    # Danish amount was read as exactly 3750000.00.
    assert tranche.amount == Decimal("3750000.00")
    assert tranche.status == "invoiced"
    assert tranche.invoiced_on == date(2026, 4, 3)


def test_a_danish_payment_is_stored_as_the_amounts_rate_and_day_it_means(
    finance_officer, tranche
) -> None:
    tranche = approved(tranche)
    response = _post(
        in_danish(finance_officer),
        "finance:tranche-pay",
        tranche,
        "pay",
        paid_on="10.04.2026",
        bank_reference="DK-0001",
        amount="3.750.000,00",
        eur_dkk_rate="7,4600",
    )
    assert response.status_code == 302, response.content.decode()[-2000:]
    payment = Payment.objects.get(tranche=tranche)
    assert payment.paid_on == date(2026, 4, 10)
    assert payment.amount == Decimal("3750000.00")
    assert payment.eur_dkk_rate == Decimal("7.4600")
    assert payment.amount_dkk == Decimal("27975000.00")


def test_an_ambiguous_danish_amount_is_refused_and_nothing_is_written(finance_officer, tranche):
    tranche = due(tranche)
    response = _post(
        in_danish(finance_officer),
        "finance:tranche-invoice",
        tranche,
        "invoice",
        invoice_reference="FAKT-2026-17",
        invoiced_on="03.04.2026",
        amount="3.750",
    )
    assert response.status_code in (200, 400, 409)
    # The page is Danish, so the refusal is too: it names both readings of "3.750".
    assert "kan læses på to måder" in response.content.decode()
    tranche.refresh_from_db()
    assert tranche.invoiced_on is None
    assert tranche.status == "due"


def test_a_danish_admission_date_is_stored_as_the_day_it_means(occupancy_admin) -> None:
    unit = UnitFactory(code="A", name="Unit A")
    place = new_place(cell=CellFactory(unit=unit, number="A-104"))
    make_inmate("KF-3", "Ib Kasper Jensen")
    response = in_danish(occupancy_admin).post(
        action_url("cells:place-admit", place.pk),
        {
            "inmate": "KF-3",
            "on": "03.05.2027",
            "reason": "Overførselsafgørelse",
            "expected_release_on": "29.02.2028",
        },
    )
    assert response.status_code == 302, response.content.decode()[-2000:]
    placement = Placement.objects.get(place=place)
    assert placement.period.lower == date(2027, 5, 3)
    assert placement.expected_release_on == date(2028, 2, 29)


def test_a_danish_reservation_date_is_stored_as_the_day_it_means(occupancy_admin) -> None:
    unit = UnitFactory(code="A", name="Unit A")
    place = new_place(cell=CellFactory(unit=unit, number="A-102"))
    make_inmate("KF-2", "Dorte Eva Fisker")
    response = in_danish(occupancy_admin).post(
        action_url("cells:place-reserve", place.pk),
        {"inmate": "KF-2", "arrival_on": "10.05.2027", "reason": "Booket"},
    )
    assert response.status_code == 302, response.content.decode()[-2000:]
    assert Placement.objects.get(place=place).period.lower == date(2027, 5, 10)

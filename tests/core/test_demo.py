import io
from collections.abc import Iterator

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, transaction

from finance.models import AidStream, PricingTerms
from finance.selectors import term_totals
from program.cells import demo as cells_demo
from program.cells import programmes
from program.cells.models import Agreement, Cell, Place
from program.core.demo import demo_load
from program.core.demo_users import demo_password
from program.core.roles import Role
from transfers import eligibility
from transfers.models import TransferCase


def _snapshot() -> dict[str, list[tuple]]:
    tables = [
        "cells_agreement",
        "cells_rampupcap",
        "cells_facility",
        "cells_unit",
        "cells_cell",
        "cells_place",
        "finance_pricingterms",
        "finance_aidstream",
        "auth_user",
        "auth_user_groups",
    ]
    with connection.cursor() as cursor:
        result = {}
        for table in tables:
            cursor.execute(f"SELECT * FROM {table} ORDER BY 1")  # noqa: S608 - fixed table names
            result[table] = cursor.fetchall()
    return result


@pytest.fixture(scope="module")
def loaded_demo(django_db_setup, django_db_blocker) -> Iterator[str]:
    """The demo loaded once for the module, in a transaction rolled back after its last test;
    each test runs in a savepoint inside it. Answers what the load printed."""
    out = io.StringIO()
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        demo_load(out=out)
    yield out.getvalue()
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


# One worker takes the whole module, so the demo is loaded once.
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("loaded_demo"),
    pytest.mark.xdist_group("core-demo"),
]


def test_the_demo_facility_holds_exactly_300_places_within_the_cpt_standards() -> None:
    agreement = Agreement.objects.get(name=cells_demo.AGREEMENT_NAME)
    assert agreement.contracted_places == 300
    assert agreement.signed_on.isoformat() == "2022-04-26"
    assert (agreement.initial_term_years, agreement.extension_years) == (5, 5)
    assert [cap.places for cap in agreement.ramp_up_caps.order_by("effective_from")] == [
        100,
        200,
        300,
    ]
    assert Place.objects.filter(cell__unit__facility__agreement=agreement).count() == 300
    gjilan = Cell.objects.filter(unit__facility__agreement=agreement)
    assert set(gjilan.values_list("kind", flat=True)) == {"single", "shared"}
    for cell in Cell.objects.all():
        assert 1 <= cell.places.count() <= cell.cpt_capacity


def test_the_demo_holds_a_second_programme_with_its_own_rules_and_users_in_gjilan() -> None:
    tartu = Agreement.objects.get(name=cells_demo.SECOND_AGREEMENT_NAME)
    assert (tartu.sending_state, tartu.host_state, tartu.contracted_places) == ("SE", "EE", 400)
    assert Place.objects.filter(cell__unit__facility__agreement=tartu).count() == 60
    assert eligibility.params_load(tartu).sexes_admitted == ("F", "M")
    gjilan = Agreement.objects.get(name=cells_demo.AGREEMENT_NAME)
    assert eligibility.params_load(gjilan).sexes_admitted == ("M",)
    assert not TransferCase.objects.exclude(agreement=gjilan).exists()
    caseworker = get_user_model().objects.get(username=Role.CASEWORKER.value)
    assert programmes.user_programme(caseworker) == gjilan


def test_loading_the_demo_twice_changes_nothing() -> None:
    before = _snapshot()
    demo_load(out=io.StringIO())
    assert _snapshot() == before


def test_the_demo_terms_add_up_to_the_published_figures() -> None:
    terms = PricingTerms.objects.select_related("agreement").get()
    totals = term_totals(terms=terms, aid_streams=list(AidStream.objects.all()))
    assert str(totals.rent) == "150000000.00"
    assert str(totals.start_fee) == "5000000.00"
    assert str(totals.aid) == "60000000.00"
    assert str(totals.rent + totals.aid) == "210000000.00"


def test_there_is_one_demo_user_per_role_who_can_sign_in(client, loaded_demo: str) -> None:
    for role in Role:
        user = get_user_model().objects.get(username=role.value)
        assert list(user.groups.values_list("name", flat=True)) == [role.value]
        assert client.login(username=role.value, password=demo_password(role.value))
        assert demo_password(role.value) in loaded_demo
    assert get_user_model().objects.get(username="admin").is_superuser


def test_the_demo_prison_is_running_with_about_250_inmates() -> None:
    from datetime import date

    from program.cells.demo import REFERENCE_DAY
    from program.cells.models import Outage, Placement
    from program.inmates.models import Inmate

    assert 380 <= Inmate.objects.count() <= 420
    in_place = Placement.objects.filter(kind="placement", period__contains=REFERENCE_DAY).count()
    assert 235 <= in_place <= 260
    assert Placement.objects.filter(kind="reservation").exclude(end_reason="cancelled").count() >= 3
    assert Outage.objects.filter(cell__isnull=False, ended_on__isnull=True).count() == 2
    # Some candidates are not eligible: EU nationals, a Danish dual national, life sentences.
    assert Inmate.objects.filter(nationalities__eu_eea=True).exists()
    assert Inmate.objects.filter(judgments__sentence_type="life").exists()
    assert not Placement.objects.filter(place__cell__medical_observation=True).exists()
    first = Placement.objects.order_by("period").first()
    assert first is not None
    assert date(2026, 4, 1) <= first.period.lower

"""Recording and amending a programme: by the roles that own each part, validated, with history."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from finance.models import PricingTerms
from program.audit.history import EVENT_MODELS
from program.cells import programmes
from program.cells.models import Agreement, Facility, RampUpCap
from tests.factories import AgreementFactory, PricingTermsFactory, RampUpCapFactory

pytestmark = pytest.mark.django_db

AgreementChange = EVENT_MODELS["cells.Agreement"]

TARTU = {
    "name": "Sweden–Estonia: Tartu",
    "sending_state": "SE",
    "host_state": "EE",
    "sending_authority": "Kriminalvården",
    "host_authority": "Estonian Prison Service",
    "signed_on": "2025-02-25",
    "initial_term_years": "5",
    "extension_years": "5",
    "extension_type": "optional",
    "contracted_places": "400",
}


def test_the_programme_office_records_an_agreement_and_its_history_is_kept(
    occupancy_admin,
) -> None:
    response = occupancy_admin.post(reverse("cells:agreement-create"), TARTU)
    agreement = Agreement.objects.get(name=TARTU["name"])
    assert response.status_code == 302
    assert response["Location"] == reverse("cells:agreement-detail", args=[agreement.pk])
    occupancy_admin.post(
        reverse("cells:agreement-edit", args=[agreement.pk]), {**TARTU, "contracted_places": "450"}
    )
    agreement.refresh_from_db()
    assert agreement.contracted_places == 450
    versions = AgreementChange.objects.filter(pgh_obj_id=agreement.pk).order_by("pgh_id")
    assert [row.contracted_places for row in versions] == [400, 450]
    assert versions.last().pgh_context["user"]  # who amended it


def test_a_caseworker_may_read_but_not_record_an_agreement(caseworker) -> None:
    assert caseworker.get(reverse("cells:agreement-list")).status_code == 200
    assert caseworker.post(reverse("cells:agreement-create"), TARTU).status_code == 403
    assert not Agreement.objects.exists()


def test_an_agreement_between_one_state_and_itself_is_refused_with_the_reason(
    occupancy_admin,
) -> None:
    response = occupancy_admin.post(
        reverse("cells:agreement-create"), {**TARTU, "host_state": "SE"}
    )
    assert response.status_code == 400
    assert not Agreement.objects.exists()
    assert "error-summary" in response.content.decode()


def test_a_ramp_up_step_above_the_contracted_places_is_refused(occupancy_admin) -> None:
    agreement = AgreementFactory(contracted_places=100)
    response = occupancy_admin.post(
        reverse("cells:ramp-up-create", args=[agreement.pk]),
        {"effective_from": "2027-01-01", "places": "120"},
    )
    assert "at most the 100 contracted places; 120 is more" in response.content.decode()
    assert not RampUpCap.objects.exists()
    occupancy_admin.post(
        reverse("cells:ramp-up-create", args=[agreement.pk]),
        {"effective_from": "2027-01-01", "places": "80"},
    )
    assert list(agreement.ramp_up_caps.values_list("places", flat=True)) == [80]


def test_the_contracted_places_cannot_fall_below_a_ramp_up_step(occupancy_admin) -> None:
    cap = RampUpCapFactory(places=100)
    agreement = cap.agreement
    response = occupancy_admin.post(
        reverse("cells:agreement-edit", args=[agreement.pk]),
        {**TARTU, "name": agreement.name, "contracted_places": "50"},
    )
    assert "already allows 100 places" in response.content.decode()
    agreement.refresh_from_db()
    assert agreement.contracted_places == 300


def test_a_facility_is_recorded_in_its_programme(occupancy_admin) -> None:
    agreement = AgreementFactory()
    occupancy_admin.post(
        reverse("cells:facility-create", args=[agreement.pk]),
        {"name": "Tartu prison", "location": "Tartu", "country": "EE", "opens_on": "2026-07-01"},
    )
    facility = Facility.objects.get()
    assert (facility.agreement, facility.opens_on) == (agreement, date(2026, 7, 1))


def test_the_api_records_and_amends_an_agreement_for_the_programme_office(
    occupancy_admin, finance_officer
) -> None:
    body = {**TARTU, "initial_term_years": 5, "extension_years": 5, "contracted_places": 400}
    assert finance_officer.post("/api/v1/agreements/", body).status_code == 403
    created = occupancy_admin.post("/api/v1/agreements/", body, content_type="application/json")
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    amended = occupancy_admin.patch(
        f"/api/v1/agreements/{pk}/", {"contracted_places": 420}, content_type="application/json"
    )
    assert amended.status_code == 200
    assert Agreement.objects.get(pk=pk).contracted_places == 420
    step = occupancy_admin.post(
        "/api/v1/ramp-up-caps/",
        {"agreement": pk, "effective_from": "2026-07-01", "places": 500},
        content_type="application/json",
    )
    assert step.status_code == 400
    assert "at most the 420 contracted places" in step.json()["error"]["message"]


def test_pricing_terms_are_the_finance_officers(
    finance_officer, occupancy_admin, finance_approver
) -> None:
    agreement = AgreementFactory()
    values = {
        "pricing_model": "per_inmate_month",
        "currency": "eur",
        "per_inmate_month_fee": "8500.00",
    }
    url = reverse("finance:terms-create", args=[agreement.pk])
    assert occupancy_admin.post(url, values).status_code == 403
    assert finance_approver.post(url, values).status_code == 403
    assert finance_officer.post(url, values).status_code == 302
    terms = PricingTerms.objects.get(agreement=agreement)
    assert (terms.currency, terms.per_inmate_month_fee) == ("EUR", Decimal("8500.00"))
    again = finance_officer.post(url, values)
    assert "has pricing terms already" in again.content.decode()


def test_pricing_terms_without_the_models_price_are_refused_by_the_api(finance_officer) -> None:
    terms = PricingTermsFactory()
    response = finance_officer.patch(
        f"/api/v1/pricing-terms/{terms.pk}/",
        {"pricing_model": "per_inmate_month", "per_inmate_month_fee": None},
        content_type="application/json",
    )
    assert response.status_code == 400
    terms.refresh_from_db()
    assert terms.pricing_model == PricingTerms.Model.FIXED_ANNUAL


def test_a_user_chooses_their_programme(caseworker, django_user_model) -> None:
    carla = django_user_model.objects.get(username="carla")
    first, second = AgreementFactory(), AgreementFactory()
    assert programmes.user_programme(carla) is None  # several, none chosen
    caseworker.post(
        reverse("cells:programme-choose"),
        {"programme": second.pk, "next": reverse("transfers:worklist")},
    )
    # user_programme remembers its answer on the user object (one request), so read her again
    carla = django_user_model.objects.get(username="carla")
    assert programmes.user_programme(carla) == second
    assert first != second

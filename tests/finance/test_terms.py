import pytest
from django.urls import reverse

from tests.factories import AidStreamFactory, PricingTermsFactory


def _terms():
    terms = PricingTermsFactory()
    AidStreamFactory(agreement=terms.agreement)
    return terms


@pytest.mark.django_db
def test_the_terms_page_shows_each_stream_and_the_totals(finance_officer) -> None:
    _terms()
    body = finance_officer.get(reverse("finance:terms")).content.decode()
    assert "EUR 15,000,000.00" in body  # the annual fee
    assert "EUR 150,000,000.00" in body  # rent over 5 + 5 years
    assert "EUR 5,000,000.00" in body  # the start fee
    assert "EUR 60,000,000.00" in body  # aid over 10 years
    assert "EUR 215,000,000.00" in body  # everything


@pytest.mark.django_db
@pytest.mark.parametrize("rows", [1, 5])
def test_terms_page_query_count(finance_approver, django_assert_num_queries, rows) -> None:
    for _ in range(rows):
        _terms()
    # session, user (with its roles and unread count), aid streams, pricing terms with
    # agreements, the programmes without terms, the header's work-queue count (an approver)
    with django_assert_num_queries(6):
        response = finance_approver.get(reverse("finance:terms"))
    assert response.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("rows", [1, 5])
def test_pricing_terms_api_query_count(finance_officer, django_assert_num_queries, rows) -> None:
    for _ in range(rows):
        _terms()
    # session, user, roles, count, page
    with django_assert_num_queries(4):
        response = finance_officer.get("/api/v1/pricing-terms/")
    assert response.json()["results"][0]["annual_fee"] == "15000000.00"


@pytest.mark.django_db
def test_aid_stream_api_gives_the_total(auditor) -> None:
    stream = _terms().agreement.aid_streams.get()
    response = auditor.get(f"/api/v1/aid-streams/{stream.pk}/")
    assert response.status_code == 200
    assert response.json()["total_amount"] == "60000000.00"


@pytest.mark.django_db
def test_the_database_refuses_a_fixed_fee_model_without_a_fee() -> None:
    from django.db import IntegrityError

    with pytest.raises(IntegrityError, match="pricingterms_model_has_its_price"):
        PricingTermsFactory(annual_fee=None)

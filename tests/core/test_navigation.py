import pytest
from django.urls import reverse


def _nav(client) -> str:
    body = client.get(reverse("home")).content.decode()
    start = body.index('data-testid="main-navigation"')
    return body[start : body.index("</ul>", start)]


@pytest.mark.django_db
def test_a_caseworker_sees_programmes_and_facilities_but_not_finance(caseworker) -> None:
    nav = _nav(caseworker)
    assert "Programmes" in nav
    assert "Facilities" in nav
    assert "Finance" not in nav
    assert "System status" not in nav
    assert "Administration" not in nav


@pytest.mark.django_db
def test_a_finance_officer_sees_finance_but_not_facilities(finance_officer) -> None:
    nav = _nav(finance_officer)
    assert "Finance" in nav
    assert "Programmes" in nav
    assert "Facilities" not in nav


@pytest.mark.django_db
def test_an_occupancy_administrator_sees_facilities_and_the_system_status(occupancy_admin) -> None:
    nav = _nav(occupancy_admin)
    assert "Facilities" in nav
    assert "System status" in nav
    assert "Finance" not in nav


@pytest.mark.django_db
def test_the_header_shows_the_signed_in_user_and_role(caseworker) -> None:
    body = caseworker.get(reverse("home")).content.decode()
    assert "Carla" in body
    assert "Caseworker" in body


@pytest.mark.django_db
def test_a_user_without_a_role_is_told_to_ask_for_one(stranger) -> None:
    body = stranger.get(reverse("home")).content.decode()
    assert "no role yet" in body


@pytest.mark.django_db
def test_pages_have_a_language_and_a_skip_link(client) -> None:
    body = client.get(reverse("login")).content.decode()
    assert '<html lang="en">' in body
    assert 'href="#main-content"' in body
    assert 'id="main-content"' in body


def test_every_navigation_entry_resolves() -> None:
    from program.core.navigation import NAVIGATION

    for item in NAVIGATION:
        assert reverse(item.url_name)


@pytest.mark.django_db
@pytest.mark.parametrize("facilities", [1, 5])
def test_the_home_page_query_count_stays_flat(
    occupancy_admin, django_assert_num_queries, facilities
):
    from tests.factories import FacilityFactory

    for _ in range(facilities):
        FacilityFactory()
    # session, user, roles; programme panel: facilities with counts; occupancy panel: agreements
    # with today's numbers; system panel: the last heartbeat; the header's counts (work queues
    # and unread notifications, one query, nothing waiting so no rows read)
    with django_assert_num_queries(7):
        response = occupancy_admin.get(reverse("home"))
    assert response.status_code == 200

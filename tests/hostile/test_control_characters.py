"""A NUL or a text-direction control anywhere in the input is a 400 naming where it was."""

import pytest
from django.urls import reverse

from program.inmates.models import Inmate


@pytest.mark.django_db
def test_a_nul_in_the_query_string_is_refused_naming_the_parameter(caseworker) -> None:
    response = caseworker.get(reverse("api:inmate-list"), {"nationality": "R\x00S"})
    assert response.status_code == 400
    assert response.json()["error"]["details"] == {
        "nationality": [response.json()["error"]["message"]]
    }
    assert "nationality holds a NUL character" in response.json()["error"]["message"]


@pytest.mark.django_db
def test_a_nul_in_a_json_lookup_is_a_400_not_a_database_error(caseworker) -> None:
    """A country code is looked up in the database, where a NUL cannot even be compared."""
    response = caseworker.post(
        reverse("api:inmate-list"),
        {"case_number": "KF-NUL", "name": "N", "country_of_return": "R\x00S"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "country_of_return" in response.json()["error"]["details"]
    assert not Inmate.objects.filter(case_number="KF-NUL").exists()


@pytest.mark.django_db
def test_a_nul_in_a_form_field_is_refused_naming_the_field(caseworker) -> None:
    page = caseworker.post(reverse("inmates:create"), {"name": "A\x00B"})
    assert page.status_code == 400
    assert "name holds a NUL character" in page.content.decode()


@pytest.mark.django_db
def test_text_without_nul_passes_through(caseworker) -> None:
    response = caseworker.get(reverse("api:inmate-list"), {"nationality": "RS"})
    assert response.status_code == 200


@pytest.mark.django_db
def test_a_direction_override_in_free_text_is_refused(caseworker) -> None:
    """U+202E makes "Anna" + override + "gnp.exe" read as "Annaexe.png"."""
    response = caseworker.post(
        reverse("api:transfer-case-list"), {"inmate": "1\u202e"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert "inmate holds a text-direction control" in response.json()["error"]["message"]


@pytest.mark.django_db
def test_right_to_left_letters_and_zero_width_joiners_pass(caseworker) -> None:
    response = caseworker.get(
        reverse("api:inmate-list"), {"search": "\u0645\u062d\u0645\u062f\u200d"}
    )
    assert response.status_code == 200

"""At least 15 characters, not common, not the user's details, no programme words; no recipes."""

import pytest
from django.conf import global_settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

import program.settings as configured
from program.core.passwords import CONTEXT_WORDS


def _errors(password: str, user: object = None) -> list[str]:
    try:
        validate_password(password, user)
    except ValidationError as error:
        return [e.code for e in error.error_list]
    return []


def test_a_long_plain_passphrase_is_enough() -> None:
    assert _errors("walrus ladder cinnamon umbrella") == []


def test_no_composition_rules_all_lowercase_letters_pass() -> None:
    assert _errors("walrusladdercinnamon") == []


def test_fourteen_characters_are_too_few() -> None:
    assert "password_too_short" in _errors("walruscinnamon")


def test_a_common_password_is_refused() -> None:
    assert "password_too_common" in _errors("1q2w3e4r5t6y7u8i9o0p")


@pytest.mark.parametrize("word", CONTEXT_WORDS)
def test_a_programme_word_is_refused_in_any_case(word) -> None:
    assert "password_context_word" in _errors(f"walrus-{word.upper()}-ladder-umbrella")


def test_the_danish_word_with_its_letter_is_refused() -> None:
    assert "password_context_word" in _errors("Mit-FÆNGSEL-er-langt-væk")


@pytest.mark.django_db
def test_a_password_like_the_username_is_refused(django_user_model) -> None:
    user = django_user_model(username="carlacaseworker1", first_name="Carla")
    assert "password_too_similar" in _errors("carlacaseworker1!", user)


def test_the_configured_hasher_is_a_slow_one() -> None:
    # The suite swaps in a fast hasher (tests/conftest.py); this keeps the real setting honest.
    first = getattr(configured, "PASSWORD_HASHERS", global_settings.PASSWORD_HASHERS)[0]
    assert first.rsplit(".", 1)[-1] in {
        "PBKDF2PasswordHasher",
        "Argon2PasswordHasher",
        "BCryptSHA256PasswordHasher",
        "ScryptPasswordHasher",
    }

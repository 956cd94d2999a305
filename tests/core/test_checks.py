"""The project's security checks pass on the real settings and fire on each broken one."""

from collections.abc import Callable, Sequence
from typing import Any, cast

import pytest
from django.conf import settings
from django.core.checks import CheckMessage, Tags, registry
from django.test import override_settings
from rest_framework.permissions import AllowAny

from program.core import checks, field_tags
from program.inmates import field_tags as inmate_tags

Check = Callable[..., Sequence[CheckMessage]]


def _ids(check: Check) -> list[str]:
    return [message.id or "" for message in check()]


def _without(middleware: str) -> list[str]:
    return [entry for entry in settings.MIDDLEWARE if entry != middleware]


@pytest.mark.parametrize(
    "check",
    [
        checks.check_api_refuses_by_default,
        checks.check_security_middleware,
        checks.check_password_length,
        checks.check_connection_health_checks,
        checks.check_every_field_is_tagged,
    ],
)
def test_each_check_passes_on_the_real_settings(check: Check) -> None:
    assert list(check()) == []


def test_the_checks_are_registered_under_the_security_tag() -> None:
    security = registry.registry.get_checks(include_deployment_checks=False)
    ours = {check for check in security if Tags.security in getattr(check, "tags", ())}
    assert {
        checks.check_api_refuses_by_default,
        checks.check_security_middleware,
        checks.check_password_length,
        checks.check_connection_health_checks,
        checks.check_every_field_is_tagged,
    } <= ours


@pytest.mark.parametrize(
    ("classes", "expected"),
    [
        (["rest_framework.permissions.AllowAny"], "security.E002"),
        (
            [
                "program.core.api.permissions.RoutePolicyPermission",
                "rest_framework.permissions.AllowAny",
            ],
            "security.E002",
        ),
        ([], "security.E001"),
        (None, "security.E001"),
    ],
)
def test_an_api_open_by_default_is_an_error(classes: list[str] | None, expected: str) -> None:
    rest = {k: v for k, v in settings.REST_FRAMEWORK.items() if k != "DEFAULT_PERMISSION_CLASSES"}
    if classes is not None:
        rest["DEFAULT_PERMISSION_CLASSES"] = classes
    with override_settings(REST_FRAMEWORK=rest):
        assert _ids(checks.check_api_refuses_by_default) == [expected]


def test_a_subclass_of_allow_any_is_caught_too() -> None:
    rest = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_PERMISSION_CLASSES": ["tests.core.test_checks.LetEveryoneIn"],
    }
    with override_settings(REST_FRAMEWORK=rest):
        assert _ids(checks.check_api_refuses_by_default) == ["security.E002"]


@pytest.mark.parametrize("missing", sorted(checks.REQUIRED_MIDDLEWARE))
def test_missing_security_middleware_is_named(missing: str) -> None:
    with override_settings(MIDDLEWARE=_without(missing)):
        messages = checks.check_security_middleware()
    named = [message for message in messages if missing in message.msg]
    assert [message.id for message in named] == ["security.E003"]


def test_the_second_factor_before_authentication_is_an_error() -> None:
    middleware = _without(checks.OTP_MIDDLEWARE)
    middleware.insert(middleware.index(checks.AUTHENTICATION_MIDDLEWARE), checks.OTP_MIDDLEWARE)
    with override_settings(MIDDLEWARE=middleware):
        assert _ids(checks.check_security_middleware) == ["security.E004"]


@pytest.mark.parametrize("length", [8, 14, None])
def test_passwords_shorter_than_15_are_an_error(length: int | None) -> None:
    configured = cast(list[dict[str, Any]], settings.AUTH_PASSWORD_VALIDATORS)
    validators = [v for v in configured if v["NAME"] != checks.MINIMUM_LENGTH_VALIDATOR]
    if length is not None:
        validators.append(
            {"NAME": checks.MINIMUM_LENGTH_VALIDATOR, "OPTIONS": {"min_length": length}}
        )
    with override_settings(AUTH_PASSWORD_VALIDATORS=validators):
        assert _ids(checks.check_password_length) == ["security.E005"]


def test_connections_without_health_checks_are_an_error(monkeypatch) -> None:
    # Changed in place (and put back): overriding DATABASES itself would swap the connections.
    monkeypatch.setitem(settings.DATABASES["default"], "CONN_HEALTH_CHECKS", False)
    assert _ids(checks.check_connection_health_checks) == ["security.E006"]


def test_an_untagged_field_is_named_with_the_file_to_tag_it_in(monkeypatch) -> None:
    table = {k: v for k, v in inmate_tags.FIELD_TAGS.items() if k != "Judgment.court"}
    monkeypatch.setattr(inmate_tags, "FIELD_TAGS", table)
    messages = checks.check_every_field_is_tagged()
    # The history table's copy of the field takes its tag from the field: untagged as well.
    assert [message.msg for message in messages] == [
        "inmates.Judgment.court has no data-classification tag.",
        "audit.JudgmentChange.court has no data-classification tag.",
    ]
    assert {message.id for message in messages} == {"security.E007"}
    for message in messages:
        assert '"Judgment.court"' in (message.hint or "")
        assert "program/inmates/field_tags.py" in (message.hint or "")


def test_an_untagged_field_leaves_its_history_copy_untagged_too(monkeypatch) -> None:
    table = {k: v for k, v in inmate_tags.FIELD_TAGS.items() if k != "Inmate.name"}
    monkeypatch.setattr(inmate_tags, "FIELD_TAGS", table)
    untagged = sorted(item.label for item in field_tags.all_fields() if item.tag is None)
    assert untagged == ["audit.InmateChange.name", "inmates.Inmate.name"]


def test_a_tag_for_a_field_that_does_not_exist_is_an_error(monkeypatch) -> None:
    table = {**inmate_tags.FIELD_TAGS, "Inmate.nickname": field_tags.PERSONAL}
    monkeypatch.setattr(inmate_tags, "FIELD_TAGS", table)
    messages = checks.check_every_field_is_tagged()
    assert [message.id for message in messages] == ["security.E008"]
    assert '"Inmate.nickname"' in messages[0].msg


def test_history_copies_and_through_tables_carry_the_tags_of_what_they_copy() -> None:
    tags = {item.label: item.tag for item in field_tags.all_fields()}
    assert tags["audit.JudgmentChange.court"] == field_tags.CRIMINAL
    assert tags["audit.InmateChange.serious_mental_disorder"] == field_tags.HEALTH
    assert tags["audit.TrancheChange.amount"] == field_tags.FINANCIAL
    assert tags["audit.InmateChange.pgh_context"] == field_tags.PERSONAL
    assert tags["inmates.Judgment_offence_categories.offencecategory"] == field_tags.CRIMINAL
    assert tags["audit.JudgmentOffenceCategoriesChange.judgment"] == field_tags.CRIMINAL
    assert tags["inmates.Inmate_nationalities.id"] == field_tags.NONE


def test_every_project_app_is_classified_and_the_counts_are_reported() -> None:
    labels = {config.label for config in field_tags.project_apps()}
    assert {"core", "inmates", "cells", "transfers", "finance", "audit"} <= labels
    counts = field_tags.tag_counts()
    print(f"\nfield tags: {dict(sorted(counts.items()))} of {sum(counts.values())} fields")
    assert "None" not in counts
    assert counts[field_tags.CRIMINAL] > 0
    assert counts[field_tags.HEALTH] > 0


class LetEveryoneIn(AllowAny):
    """Open to anyone under another name."""

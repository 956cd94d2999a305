"""The project's own system checks (tag "security"), run by every `manage.py check` and so by
`check --deploy` in production. `check --deploy` looks at settings Django knows; these look at
the invariants this project adds:

- the API refuses by default (DRF's default permission is not AllowAny, and is set at all:
  DRF falls back to AllowAny when the list is missing or empty);
- lock-out (django-axes), the second factor (django-otp), the route policy and the CSP are in
  the middleware, the second factor after authentication (it reads request.user);
- passwords are at least 15 characters and reused database connections are health-checked;
- every field of every model is classified (program/core/field_tags.py).
"""

from collections.abc import Sequence
from typing import Any, cast

from django.apps import AppConfig
from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, register
from django.utils.module_loading import import_string

from program.core import field_tags

SECURITY = Tags.security

ALLOW_ANY = "rest_framework.permissions.AllowAny"
AUTHENTICATION_MIDDLEWARE = "django.contrib.auth.middleware.AuthenticationMiddleware"
# django-otp's OTPMiddleware, loading the verified device in the user's own query.
OTP_MIDDLEWARE = "program.core.request_user.RequestUserOTPMiddleware"
# Middleware the deployment must have, and why.
REQUIRED_MIDDLEWARE: dict[str, str] = {
    "axes.middleware.AxesMiddleware": "lock-out after repeated failed log-ins",
    OTP_MIDDLEWARE: "the second factor (TOTP)",
    "program.core.middleware.RoutePolicyMiddleware": "the route policy for pages",
    "csp.middleware.CSPMiddleware": "the Content-Security-Policy header",
}
MIN_PASSWORD_LENGTH = 15
MINIMUM_LENGTH_VALIDATOR = "django.contrib.auth.password_validation.MinimumLengthValidator"


def _is_allow_any(entry: object) -> bool:
    if isinstance(entry, str):
        if entry == ALLOW_ANY:
            return True
        try:
            entry = import_string(entry)
        except ImportError:
            return False  # DRF reports an unimportable class itself when the API loads
    from rest_framework.permissions import AllowAny

    return isinstance(entry, type) and issubclass(entry, AllowAny)


@register(SECURITY)
def check_api_refuses_by_default(
    app_configs: Sequence[AppConfig] | None = None, **kwargs: Any
) -> list[CheckMessage]:
    classes = getattr(settings, "REST_FRAMEWORK", {}).get("DEFAULT_PERMISSION_CLASSES")
    if not classes:
        return [
            Error(
                "REST_FRAMEWORK['DEFAULT_PERMISSION_CLASSES'] is missing or empty, so DRF "
                "lets every request through (AllowAny).",
                hint="Set it to ['program.core.api.permissions.RoutePolicyPermission'].",
                id="security.E001",
            )
        ]
    if any(_is_allow_any(entry) for entry in classes):
        return [
            Error(
                "REST_FRAMEWORK['DEFAULT_PERMISSION_CLASSES'] contains AllowAny: an API view "
                "that forgets its permission class would be open to anyone.",
                hint="Remove AllowAny; give the rare public view its own permission_classes.",
                id="security.E002",
            )
        ]
    return []


@register(SECURITY)
def check_security_middleware(
    app_configs: Sequence[AppConfig] | None = None, **kwargs: Any
) -> list[CheckMessage]:
    middleware = list(settings.MIDDLEWARE)
    errors: list[CheckMessage] = [
        Error(
            f"{path} is not in MIDDLEWARE: {purpose} is not enforced.",
            hint=f"Add '{path}' to settings.MIDDLEWARE.",
            id="security.E003",
        )
        for path, purpose in REQUIRED_MIDDLEWARE.items()
        if path not in middleware
    ]
    if (
        OTP_MIDDLEWARE in middleware
        and AUTHENTICATION_MIDDLEWARE in middleware
        and middleware.index(OTP_MIDDLEWARE) < middleware.index(AUTHENTICATION_MIDDLEWARE)
    ):
        errors.append(
            Error(
                f"{OTP_MIDDLEWARE} comes before {AUTHENTICATION_MIDDLEWARE}: it needs "
                "request.user and would see every user as unverified.",
                hint=f"Move it after '{AUTHENTICATION_MIDDLEWARE}'.",
                id="security.E004",
            )
        )
    return errors


@register(SECURITY)
def check_password_length(
    app_configs: Sequence[AppConfig] | None = None, **kwargs: Any
) -> list[CheckMessage]:
    validators = cast(list[dict[str, Any]], settings.AUTH_PASSWORD_VALIDATORS)
    lengths = [
        int(validator.get("OPTIONS", {}).get("min_length", 8))  # Django's own default
        for validator in validators
        if validator.get("NAME") == MINIMUM_LENGTH_VALIDATOR
    ]
    if lengths and max(lengths) >= MIN_PASSWORD_LENGTH:
        return []
    return [
        Error(
            f"Passwords may be shorter than {MIN_PASSWORD_LENGTH} characters.",
            hint=(
                f"Add {MINIMUM_LENGTH_VALIDATOR} to AUTH_PASSWORD_VALIDATORS with "
                f"OPTIONS {{'min_length': {MIN_PASSWORD_LENGTH}}}."
            ),
            id="security.E005",
        )
    ]


@register(SECURITY)
def check_connection_health_checks(
    app_configs: Sequence[AppConfig] | None = None, **kwargs: Any
) -> list[CheckMessage]:
    # With persistent connections, a connection the database dropped (restart, failover) would
    # fail the next request that reuses it.
    if settings.DATABASES["default"].get("CONN_HEALTH_CHECKS"):
        return []
    return [
        Error(
            "DATABASES['default']['CONN_HEALTH_CHECKS'] is off: a request may reuse a "
            "connection the database has closed.",
            hint="Set CONN_HEALTH_CHECKS to True.",
            id="security.E006",
        )
    ]


@register(SECURITY)
def check_every_field_is_tagged(
    app_configs: Sequence[AppConfig] | None = None, **kwargs: Any
) -> list[CheckMessage]:
    apps_by_label = {config.label: config for config in field_tags.project_apps()}
    tags = ", ".join(tag.name for tag in field_tags.Tag)
    errors: list[CheckMessage] = []
    for item in field_tags.all_fields():
        if item.tag is not None:
            continue
        # A history copy or a through table's column is tagged where the field it copies is.
        model, name = field_tags.tag_source(item.model, item.field.name)
        config = apps_by_label[model._meta.app_label]
        table = "EVENT_FIELD_TAGS" if name.startswith("pgh_") else "FIELD_TAGS"
        key = name if name.startswith("pgh_") else f"{model.__name__}.{name}"
        errors.append(
            Error(
                f"{item.label} has no data-classification tag.",
                hint=(
                    f'Add "{key}": one of {tags} to {table} in '
                    f"{field_tags.tag_module_file(config)}."
                ),
                obj=item.model,
                id="security.E007",
            )
        )
    for config, key in field_tags.stale_tags():
        errors.append(
            Error(
                f'FIELD_TAGS in {field_tags.tag_module_file(config)} tags "{key}", which is '
                "not a field of that app.",
                hint="Remove the entry, or rename it after the field it meant.",
                id="security.E008",
            )
        )
    return errors

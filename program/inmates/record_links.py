"""What other apps show on a person's record page: the transfer case that holds the person's
file, the person's incidents and complaints, the count of family contact, or the button to open
a case.

program.inmates imports no higher app; an app that keeps something about a person registers a
provider from its AppConfig.ready(). A provider has two halves: `rows` gives a queryset whose
rows each carry one JSON object named `record` (or None when the reader may not see that app's
records), and `build` turns those rows into links. The page reads every provider's rows in ONE
query (a UNION ALL of the providers' querysets, each row tagged with its provider), so a new
provider adds no query to the page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import CharField, QuerySet, Value
from django.utils.functional import Promise

from program.inmates.models import Inmate


@dataclass(frozen=True)
class RecordLink:
    """A link to a record about the person (`url`), or a button that makes one (`post_url`,
    posting `fields`)."""

    label: str | Promise
    url: str = ""
    detail: str | Promise = ""
    post_url: str = ""
    fields: dict[str, str] = field(default_factory=dict)
    testid: str = ""


Rows = Callable[
    [Inmate, "AbstractBaseUser | AnonymousUser", frozenset[str]], "QuerySet[Any] | None"
]
Build = Callable[
    [Inmate, "AbstractBaseUser | AnonymousUser", frozenset[str], list[dict[str, Any]]],
    list[RecordLink],
]


@dataclass(frozen=True)
class Provider:
    key: str
    rows: Rows
    build: Build


_PROVIDERS: list[Provider] = []


def register(*, key: str, rows: Rows, build: Build) -> None:
    if all(provider.key != key for provider in _PROVIDERS):
        _PROVIDERS.append(Provider(key=key, rows=rows, build=build))


def links_for(
    inmate: Inmate, user: AbstractBaseUser | AnonymousUser, roles: frozenset[str]
) -> list[RecordLink]:
    asked: list[Provider] = []
    parts: list[QuerySet[Any]] = []
    for provider in _PROVIDERS:
        queryset = provider.rows(inmate, user, roles)
        if queryset is None:
            continue
        asked.append(provider)
        parts.append(
            queryset.order_by()
            .annotate(record_provider=Value(provider.key, output_field=CharField()))
            .values_list("record_provider", "record")
        )
    rows: dict[str, list[dict[str, Any]]] = {provider.key: [] for provider in asked}
    if parts:
        # One query: every provider's rows, UNION ALL.
        combined = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
        for key, record in combined:
            rows[key].append(record)
    return [
        link
        for provider in asked
        for link in provider.build(inmate, user, roles, rows[provider.key])
    ]

"""The eligibility rules' words in the reader's language, from the texts kept as data.

A screening stores each reason's key and the facts it names (and the English sentence, which the
API serves). A page reads the Danish or English wording from EligibilityText and fills in the
facts: dates in the reader's format, security levels and readmission answers by their names. A
screening stored before reasons had keys is matched against the English wordings to find its key
and facts; a reason that matches none is shown as stored.

The wordings change rarely (someone rewording a rule) and the case page shows them on every
visit, so each process keeps the last rows it read, keyed by the table's version (how many rows,
and the newest change): a page that reads the version with its own row (texts_version(), an
annotation) costs no query for the texts while the version is unchanged, and a change shows on
the next page in every process. A page without the version reads the rows (one query), as
before. A change made around the model (SQL that does not touch updated_at) shows once the
process restarts.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import Any

from django.db.models import CharField
from django.db.models.expressions import RawSQL
from django.utils.formats import date_format

from program.core.bilingual import is_danish
from program.inmates.models import Inmate
from transfers import eligibility
from transfers.models import EligibilityText

# Facts shown by their names rather than their stored codes.
_CHOICES: dict[str, Any] = {
    "level": Inmate.SecurityLevel,
    "max_level": Inmate.SecurityLevel,
    "readmits": Inmate.Readmission,
}


def _pattern(template: str) -> re.Pattern[str]:
    parts = []
    for literal, name, _spec, _conv in string.Formatter().parse(template):
        parts.append(re.escape(literal))
        if name:
            group = f"(?P<{name}>.+?)" if f"(?P<{name}>" not in "".join(parts) else f"(?P={name})"
            parts.append(group)
    return re.compile("".join(parts) + r"\Z")


_LEGACY = {key: _pattern(template) for key, template in eligibility.REASONS.items()}


def _legacy_key(rule_id: str, reason: str) -> tuple[str, dict[str, str]] | None:
    for key, pattern in _LEGACY.items():
        if key.split(".")[0] != rule_id:
            continue
        match = pattern.match(reason)
        if match:
            return key, match.groupdict()
    return None


_VERSION_SQL = (
    "SELECT count(*)::text || '/' || coalesce(max(updated_at)::text, '') "
    "FROM transfers_eligibilitytext"
)

# Per process: (the table's version, key -> (Danish, English)). Replaced whole, never changed
# in place, so a thread reads either the old pair or the new one.
_cached: tuple[str, dict[str, tuple[str, str]]] | None = None


def texts_version() -> RawSQL:
    """The wordings' version as a column of another query (a page's own row)."""
    return RawSQL(_VERSION_SQL, [], output_field=CharField())  # noqa: S611 (no parameters)


def _read() -> dict[str, tuple[str, str]]:
    """Every wording with the table's version in the same query; kept for the next page."""
    global _cached
    rows = list(EligibilityText.objects.annotate(version=texts_version()))
    version = rows[0].version if rows else "0/"
    texts = {row.key: (row.text_da, row.text_en) for row in rows}
    _cached = (version, texts)
    return texts


@dataclass
class RuleTexts:
    """The wordings for one page; `rows` is read on first use, from the process's copy when
    `version` (texts_version(), read with the page's row) says it is current."""

    language: str | None = None  # None: the language active for the request
    version: str | None = None

    @cached_property
    def rows(self) -> dict[str, tuple[str, str]]:
        cached = _cached
        if self.version is not None and cached is not None and cached[0] == self.version:
            return cached[1]
        return _read()

    def _text(self, key: str, english: str) -> str:
        row = self.rows.get(key)
        if row is None:
            return english
        danish, stored_english = row
        return danish if is_danish(self.language) and danish else stored_english

    def rule(self, rule: eligibility.Rule) -> str:
        return self._text(f"{rule.id}.text", rule.text)

    def source(self, rule: eligibility.Rule) -> str:
        return self._text(f"{rule.id}.source", rule.source)

    def parameter_label(self, name: str) -> str:
        return self._text(f"parameter.{name}", eligibility.PARAMETERS[name].label)

    def parameter_help(self, name: str) -> str:
        return self._text(f"parameter.{name}.help", eligibility.PARAMETERS[name].help)

    def _fact(self, name: str, value: str) -> str:
        choices = _CHOICES.get(name)
        if choices is not None and value in choices.values:
            return str(choices(value).label).lower()
        if name == "date" and is_danish(self.language):
            try:
                return date_format(date.fromisoformat(value), "d.m.Y")
            except ValueError:
                return value
        return value

    def reason(self, result: dict[str, Any]) -> str:
        """One rule result's reason in the reader's language."""
        stored = str(result.get("reason", ""))
        key = result.get("reason_key") or ""
        args = result.get("reason_args") or {}
        if key not in eligibility.REASONS:
            found = _legacy_key(str(result.get("id", "")), stored)
            if found is None:
                return stored
            key, args = found
        template = self._text(key, eligibility.REASONS[key])
        facts = {name: self._fact(name, str(value)) for name, value in args.items()}
        try:
            return template.format(**facts)
        except (KeyError, IndexError, ValueError):
            return stored  # a wording edited to name a fact the reason does not carry

"""A tranche event's words in the reader's language.

The finance services write each event's sentence once, in the language of whoever acted (the
daily job in the default language). Shown, a sentence is recognised as one of the sentences
below in any of the program's languages, and written again in the reader's: its facts (amounts,
references, days, people's words) as they were, the names inside it (a frequency, a condition,
a status) by their names in the reader's language. A sentence it cannot recognise is shown as
stored.
"""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_noop

from finance.models import Tranche, TrancheCondition, TrancheEvent
from finance.services import Frequency

# Each sentence the services write, and which of its facts is a name from a list of choices.
SENTENCES: list[tuple[str, dict[str, type[models.TextChoices]]]] = [
    (gettext_noop("Regenerated: %(before)s → %(after)s, due %(due)s"), {}),
    (gettext_noop("Planned (%(frequency)s schedule)"), {"frequency": Frequency}),
    (gettext_noop("Invoice %(ref)s of %(day)s recorded"), {}),
    (gettext_noop("Rejected at level %(level)d: %(comment)s"), {}),
    (gettext_noop("Approved at level %(level)d of %(levels)d"), {}),
    (gettext_noop("Paid on %(day)s, reference %(ref)s, %(dkk)s at %(rate)s"), {}),
    (gettext_noop("Condition added: %(kind)s"), {"kind": TrancheCondition.Kind}),
    (
        gettext_noop("Condition met: %(kind)s, signed off by %(who)s"),
        {"kind": TrancheCondition.Kind},
    ),
    (gettext_noop("Fell due"), {}),
    (gettext_noop("Overdue: not invoiced %(days)d days after the due date"), {}),
]
_PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def _pattern(sentence: str) -> re.Pattern[str]:
    parts, end, seen = [], 0, set()
    for match in _PLACEHOLDER.finditer(sentence):
        parts.append(re.escape(sentence[end : match.start()]))
        name = match.group(1)
        parts.append(f"(?P={name})" if name in seen else f"(?P<{name}>.+?)")
        seen.add(name)
        end = match.end()
    parts.append(re.escape(sentence[end:]))
    return re.compile("".join(parts) + r"\Z")


def _languages() -> list[str]:
    active = translation.get_language()
    codes = [code for code, _name in settings.LANGUAGES]
    return [active, *codes] if active and active not in codes else codes


def _value_of(choices: type[models.TextChoices], label: str, language: str) -> Any:
    with translation.override(language):
        for value, name in choices.choices:
            if str(name) == label:
                return value
    return None


def _rewrite(text: str, msgid: str, names: dict[str, Any], language: str) -> str | None:
    with translation.override(language):
        match = _pattern(translation.gettext(msgid)).match(text)
    if match is None:
        return None
    facts: dict[str, Any] = dict(match.groupdict())
    for name, choices in names.items():
        value = _value_of(choices, facts[name], language)
        if value is not None:
            facts[name] = choices(value).label
    for name in facts:
        if f"%({name})d" in msgid:
            if not str(facts[name]).isdigit():
                return None
            facts[name] = int(facts[name])
    return translation.gettext(msgid) % facts


def event_text(event: TrancheEvent) -> str:
    """The event's sentence in the active language (see the module)."""
    for language in _languages():
        for msgid, names in SENTENCES:
            rewritten = _rewrite(event.text, msgid, names, language)
            if rewritten is not None:
                return rewritten
        # A decision with the reason given: "<status>: <the person's words>".
        if event.to_status in Tranche.Status.values:
            with translation.override(language):
                label = str(Tranche.Status(event.to_status).label)
            if event.text.startswith(f"{label}: "):
                rest = event.text.removeprefix(f"{label}: ")
                return f"{Tranche.Status(event.to_status).label}: {rest}"
    return event.text

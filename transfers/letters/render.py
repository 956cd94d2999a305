"""From templates and data to a PDF: the layout is code (templates/letters/pdf/), the words data.

A template's body is plain text: paragraphs split by a blank line, "## " starts a heading, and
$placeholders are filled from the letter's data. Values are escaped by the page template, never
read as markup. In a right-to-left section each value is wrapped in Unicode isolates, so a date
or a Latin name keeps its own direction inside Arabic or Persian text.

WeasyPrint lays the page out with Pango and HarfBuzz (shaping for Arabic and Persian) and the
machine's fonts through fontconfig; DejaVu Sans, in the base image, covers Latin with diacritics,
Arabic and Persian.
"""

import logging
import string
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.template.loader import render_to_string

from transfers.letters.languages import direction
from transfers.letters.models import LetterKind, LetterTemplate
from transfers.letters.texts import LABELS

# WeasyPrint logs each layout step at INFO: seven lines a letter, nothing an operator needs.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

FSI, PDI = "\u2068", "\u2069"  # first-strong isolate … pop directional isolate

# The words of the layout, when a template leaves one out: the English starting texts.
DEFAULT_LABELS: dict[str, str] = LABELS["en"]
# The facts printed above the text, per kind of letter.
CASE_FACTS = ("name", "case_number", "date_of_birth", "institution", "case", "letter_date")
MANIFEST_FACTS = ("departs_on", "direction", "receiver", "escort", "count", "letter_date")
MANIFEST_COLUMNS = ("seat", "name", "case_number", "date_of_birth", "nationality", "place")

# The placeholders each kind's body may use (checked when a template is saved).
_PERSON = ("name", "case_number", "date_of_birth", "nationality", "institution")
_COMMON = (*_PERSON, "case", "letter_date", "sender", "facility", "programme", "caseworker")
_DEADLINE = ("notified_on", "appeal_days", "appeal_deadline")
PLACEHOLDERS: dict[str, tuple[str, ...]] = {
    LetterKind.TRANSFER_DECISION: (
        *_COMMON,
        *_DEADLINE,
        "reasons",
        "decided_on",
        "authority",
        "legal_basis",
    ),
    LetterKind.NOTIFICATION: (*_COMMON, *_DEADLINE, "decided_on", "authority", "departs_on"),
    LetterKind.NO_TRANSFER_DECISION: (
        *_COMMON,
        "reasons",
        "decided_on",
        "authority",
        "legal_basis",
    ),
    LetterKind.APPEAL_OUTCOME: (
        *_COMMON,
        "reasons",
        "appeal_lodged_on",
        "appeal_decided_on",
        "outcome",
    ),
    LetterKind.TRANSPORT_MANIFEST: (
        "letter_date",
        "sender",
        "receiver",
        "facility",
        "programme",
        "caseworker",
        "departs_on",
        "direction",
        "escort",
        "seats",
        "count",
    ),
}


def placeholders_in(body: str) -> set[str]:
    """The $names a body uses ($$ is a literal dollar sign)."""
    found: set[str] = set()
    for match in string.Template.pattern.finditer(body):
        name = match.group("named") or match.group("braced")
        if name:
            found.add(name)
    return found


@dataclass
class Section:
    language: str
    dir: str
    title: str
    blocks: list[tuple[str, str]]  # ("h", text) or ("p", text)
    facts: list[tuple[str, str]]
    columns: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    page_label: str = ""


def _values(template: LetterTemplate, data: Mapping[str, Any], *, danish: bool) -> dict[str, str]:
    values = {key: value for key, value in data.items() if isinstance(value, str)}
    if not danish and values.get("reasons_translation"):
        values["reasons"] = values["reasons_translation"]
    outcome = values.get("appeal_outcome")
    if outcome:
        values["outcome"] = _label(template, f"outcome_{outcome}")
    if direction(template.language) == "rtl":
        values = {key: f"{FSI}{value}{PDI}" if value else value for key, value in values.items()}
    return values


def _label(template: LetterTemplate, key: str) -> str:
    labels = template.labels if isinstance(template.labels, dict) else {}
    return str(labels.get(key) or DEFAULT_LABELS.get(key, key))


def _blocks(body: str, values: Mapping[str, str]) -> list[tuple[str, str]]:
    blocks: list[tuple[str, str]] = []
    for raw in body.replace("\r\n", "\n").split("\n\n"):
        text = string.Template(raw.strip("\n")).safe_substitute(values).strip()
        if not text:
            continue
        if text.startswith("## "):
            blocks.append(("h", text[3:].strip()))
        else:
            blocks.append(("p", text))
    return blocks


def section_for(template: LetterTemplate, data: Mapping[str, Any], *, manifest: bool) -> Section:
    danish = template.language == "da"
    values = _values(template, data, danish=danish)
    facts_keys = MANIFEST_FACTS if manifest else CASE_FACTS
    section = Section(
        language=template.language,
        dir=direction(template.language),
        title=string.Template(template.title).safe_substitute(values),
        blocks=_blocks(template.body, values),
        facts=[(_label(template, key), values.get(key, "")) for key in facts_keys],
        page_label=_label(template, "page"),
    )
    if manifest:
        section.columns = [_label(template, key) for key in MANIFEST_COLUMNS]
        section.rows = [[str(row.get(key, "")) for key in MANIFEST_COLUMNS] for row in data["rows"]]
    return section


def render_html(
    templates: Sequence[LetterTemplate], data: Mapping[str, Any], *, manifest: bool
) -> str:
    sections = [section_for(template, data, manifest=manifest) for template in templates]
    return render_to_string(
        "letters/pdf/letter.html",
        {"sections": sections, "sender": data.get("sender", ""), "manifest": manifest},
    )


def render_pdf(
    templates: Sequence[LetterTemplate], data: Mapping[str, Any], *, manifest: bool = False
) -> bytes:
    """The letter as PDF: one section per language, each starting on a new page."""
    from weasyprint import HTML  # imported on use: loading Pango takes a moment

    html = render_html(templates, data, manifest=manifest)
    pdf = HTML(string=html).write_pdf()
    if pdf is None:  # only when given a target to write to, which we never give
        raise RuntimeError("WeasyPrint returned no PDF")
    return bytes(pdf)

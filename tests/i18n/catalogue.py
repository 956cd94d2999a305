"""Reading the committed Danish catalogue: its entries, keys and placeholders."""

import re
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parents[2]
DANISH_PO = ROOT / "locale" / "da" / "LC_MESSAGES" / "django.po"
DANISH_MO = DANISH_PO.with_suffix(".mo")

Key = tuple[str | None, str, str]

# %(name)s, %(mb).1f, %s, %d and %% as Python's %-formatting reads them.
PERCENT = re.compile(r"%(?:\(\w+\))?[#0\- +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa%]")
BRACE = re.compile(r"\{\w*\}")
TAG = re.compile(r"<[^>]+>")


def entries(po: polib.POFile) -> list[polib.POEntry]:
    return [e for e in po if not e.obsolete]


def key(entry: polib.POEntry) -> Key:
    return (entry.msgctxt, entry.msgid, entry.msgid_plural)


def markers(text: str, *, python_format: bool) -> tuple[list[str], list[str], list[str], list[str]]:
    """What a translation must keep from its source: named and positional %-placeholders (the
    positional ones in order), {name} placeholders and HTML tags."""
    percent = PERCENT.findall(text) if python_format else []
    named = sorted({p for p in percent if p.startswith("%(")})
    positional = [p for p in percent if not p.startswith("%(")]
    return named, positional, sorted(set(BRACE.findall(text))), sorted(TAG.findall(text))

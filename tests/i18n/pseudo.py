"""A pseudo-locale built at test time: proof that a third language needs only a catalogue.

`build_catalogue` extracts every string marked for translation in the project (Django's own
makemessages, run over a copy of the templates and symlinks to the Python source, so that
nothing is written into the repository)
and Django's own strings, and writes a compiled catalogue in which every msgstr is its msgid
wrapped in markers. With that catalogue on LOCALE_PATHS and the code in LANGUAGES, a page shown
in the pseudo-locale has every translated word between ⟦ and ⟧; any word outside the markers
that is not data (a name, a number, a date, a code) was never marked for translation.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterable
from contextlib import chdir
from pathlib import Path

import django
import polib
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

PSEUDO = "en-xa"  # a private-use region: Django knows "en", so language info falls back to it
PSEUDO_LOCALE = "en_XA"
OPEN, CLOSE = "⟦", "⟧"
# The project's source trees that hold marked strings (templates and Python).
SOURCES = ("program", "finance", "transfers", "templates")


def wrap(text: str) -> str:
    # A text that ends in a newline keeps it outside the markers: gettext requires msgid and
    # msgstr to agree on a trailing newline.
    if text.endswith("\n"):
        return OPEN + text[:-1] + CLOSE + "\n"
    return OPEN + text + CLOSE


def _pseudo_entries(entries: Iterable[polib.POEntry]) -> Iterable[polib.POEntry]:
    for entry in entries:
        if not entry.msgid or entry.obsolete:
            continue
        pseudo = polib.POEntry(msgid=entry.msgid, msgctxt=entry.msgctxt)
        if entry.msgid_plural:
            pseudo.msgid_plural = entry.msgid_plural
            pseudo.msgstr_plural = {0: wrap(entry.msgid), 1: wrap(entry.msgid_plural)}
        else:
            pseudo.msgstr = wrap(entry.msgid)
        if "python-format" in entry.flags:
            pseudo.flags.append("python-format")
        yield pseudo


def extract(workdir: Path) -> polib.POFile:
    """Every marked string of the project, as makemessages extracts them."""
    source = workdir / "source"
    source.mkdir()
    for name in SOURCES:
        if name == "templates":
            # makemessages writes each template's extract as `<name>.html.py` beside it: a
            # copy keeps those files out of the repository, where two test workers building
            # their catalogues at once deleted each other's (xgettext: "No such file").
            shutil.copytree(Path(settings.BASE_DIR) / name, source / name)
        else:
            # Python files are read in place.
            (source / name).symlink_to(Path(settings.BASE_DIR) / name, target_is_directory=True)
    locale = source / "locale"
    with override_settings(LOCALE_PATHS=[locale]), chdir(source):
        call_command(
            "makemessages",
            locale=[PSEUDO_LOCALE],
            symlinks=True,
            no_obsolete=True,
            verbosity=0,
        )
    return polib.pofile(str(locale / PSEUDO_LOCALE / "LC_MESSAGES" / "django.po"))


def django_strings() -> list[polib.POEntry]:
    """Django's own strings (form errors, month names, password rules), from the English
    catalogues of Django and its contrib apps."""
    root = Path(django.__file__).parent
    paths = [
        root / "conf" / "locale" / "en" / "LC_MESSAGES" / "django.po",
        *sorted(root.glob("contrib/*/locale/en/LC_MESSAGES/django.po")),
    ]
    return [entry for path in paths for entry in polib.pofile(str(path))]


def build_catalogue(workdir: Path) -> tuple[Path, int]:
    """Write <workdir>/locale/en_XA/LC_MESSAGES/django.mo; the locale directory and the number
    of project strings in it."""
    project = extract(workdir)
    catalogue = polib.POFile()
    catalogue.metadata = {
        "Content-Type": "text/plain; charset=UTF-8",
        "Language": PSEUDO_LOCALE,
        "Plural-Forms": "nplurals=2; plural=(n != 1);",
    }
    seen: set[tuple[str | None, str]] = set()
    for entry in _pseudo_entries([*project, *django_strings()]):
        key = (entry.msgctxt, entry.msgid)
        if key not in seen:
            seen.add(key)
            catalogue.append(entry)
    target = workdir / "locale" / PSEUDO_LOCALE / "LC_MESSAGES"
    os.makedirs(target)
    catalogue.save_as_mofile(str(target / "django.mo"))
    return workdir / "locale", len([e for e in project if e.msgid and not e.obsolete])


def pseudo_settings(locale_dir: Path) -> override_settings:
    """Settings that add the pseudo-locale: one more catalogue path and one more language."""
    return override_settings(
        LOCALE_PATHS=[*settings.LOCALE_PATHS, locale_dir],
        LANGUAGES=[*settings.LANGUAGES, (PSEUDO, "Pseudo")],
    )


def unmarked(text: str) -> str:
    """The text outside the markers (markers nest when a translated string fills another's
    placeholder); marked stretches become a space."""
    out: list[str] = []
    depth = 0
    for char in text:
        if char == OPEN:
            depth += 1
            out.append(" ")
        elif char == CLOSE:
            depth = max(depth - 1, 0)
        elif depth == 0 or char == "\n":  # lines stay lines, inside markers too
            out.append(char)
    return "".join(out)


WORD = re.compile(r"[^\W\d_][\w’'-]*")


def words(text: str) -> list[str]:
    return WORD.findall(text)

"""The Danish catalogue is complete, matches the code's strings, keeps every placeholder and is
compiled: a string added without its Danish translation fails here (docs/i18n.md)."""

import gettext
import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.core.management.utils import is_ignored_path

from program.core.management.commands.makemessages import IGNORE_PATTERNS

from .catalogue import DANISH_MO, DANISH_PO, ROOT, entries, key, markers

HOW_TO_FIX = "run `make messages`, translate the entries it lists, and run it again"


@pytest.fixture(scope="module")
def danish() -> polib.POFile:
    return polib.pofile(str(DANISH_PO))


def _copy_sources(into: Path) -> None:
    """The repository without what makemessages skips anyway (the virtualenv alone is large)."""
    skip = [*IGNORE_PATTERNS, ".*", "__pycache__"]

    def ignored(directory: str, names: list[str]) -> list[str]:
        relative = Path(directory).relative_to(ROOT)
        return [n for n in names if is_ignored_path(str(relative / n), skip)]

    shutil.copytree(ROOT, into, ignore=ignored, symlinks=True)


def test_makemessages_finds_no_string_missing_from_the_catalogue(tmp_path, danish) -> None:
    if shutil.which("xgettext") is None or shutil.which("msgmerge") is None:
        pytest.fail("makemessages needs GNU gettext: run scripts/ensure-gettext")
    copy = tmp_path / "repo"
    _copy_sources(copy)
    result = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "da", "-d", "django"],
        cwd=copy,
        env={**os.environ, "DJANGO_ENV": "test"},
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    fresh = {key(e) for e in entries(polib.pofile(str(copy / DANISH_PO.relative_to(ROOT))))}
    committed = {key(e) for e in entries(danish)}
    missing = sorted(msgid for _, msgid, _ in fresh - committed)
    gone = sorted(msgid for _, msgid, _ in committed - fresh)
    assert not missing, f"strings not in the catalogue ({HOW_TO_FIX}): {missing}"
    assert not gone, f"catalogue entries the code no longer has (run `make messages`): {gone}"


def test_makemessages_finds_no_javascript_string(tmp_path) -> None:
    """No script of ours has a translatable string yet; the first one needs a djangojs catalogue."""
    if shutil.which("xgettext") is None:
        pytest.fail("makemessages needs GNU gettext: run scripts/ensure-gettext")
    copy = tmp_path / "repo"
    _copy_sources(copy)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "da", "-d", "djangojs"],
        cwd=copy,
        env={**os.environ, "DJANGO_ENV": "test"},
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    made = copy / "locale" / "da" / "LC_MESSAGES" / "djangojs.po"
    committed = ROOT / "locale" / "da" / "LC_MESSAGES" / "djangojs.po"
    assert committed.exists() or not made.exists(), (
        "JavaScript has translatable strings: commit locale/da/LC_MESSAGES/djangojs.po, translated"
    )


def test_every_danish_entry_is_translated_and_none_is_fuzzy(danish) -> None:
    untranslated = [
        e.msgid for e in entries(danish) if not e.translated() and "fuzzy" not in e.flags
    ]
    fuzzy = [e.msgid for e in entries(danish) if "fuzzy" in e.flags]
    assert not untranslated, f"{len(untranslated)} untranslated ({HOW_TO_FIX}): {untranslated}"
    assert not fuzzy, f"{len(fuzzy)} fuzzy: check each guess, then remove its fuzzy flag: {fuzzy}"
    assert not danish.metadata_is_fuzzy, "the catalogue's header is marked fuzzy"


def test_the_catalogue_declares_danish_and_its_two_plural_forms(danish) -> None:
    assert danish.metadata["Language"] == "da"
    assert danish.metadata["Plural-Forms"] == "nplurals=2; plural=(n != 1);"
    assert danish.metadata["Content-Type"] == "text/plain; charset=UTF-8"


def test_every_translation_keeps_the_placeholders_and_tags_of_its_source(danish) -> None:
    wrong = []
    for entry in entries(danish):
        python_format = "python-format" in entry.flags
        if entry.msgid_plural:
            pairs = [
                (entry.msgid, entry.msgstr_plural[0]),
                (entry.msgid_plural, entry.msgstr_plural[1]),
            ]
        else:
            pairs = [(entry.msgid, entry.msgstr)]
        for source, translation in pairs:
            if markers(source, python_format=python_format) != markers(
                translation, python_format=python_format
            ):
                wrong.append(f"{source!r} → {translation!r}")
            if source != source.strip() and (
                source[: len(source) - len(source.lstrip())]
                != translation[: len(translation) - len(translation.lstrip())]
                or source[len(source.rstrip()) :] != translation[len(translation.rstrip()) :]
            ):
                wrong.append(f"leading or trailing space differs: {source!r} → {translation!r}")
    assert not wrong, "\n".join(wrong)


def test_the_compiled_catalogue_holds_every_translation(danish) -> None:
    """The committed .mo Django reads must say what the .po says (make messages rebuilds it)."""
    with DANISH_MO.open("rb") as fp:
        compiled = gettext.GNUTranslations(fp)
    stale = []
    for entry in entries(danish):
        if entry.msgid_plural:
            for n, form in ((1, 0), (2, 1)):
                got = (
                    compiled.npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, n)
                    if entry.msgctxt
                    else compiled.ngettext(entry.msgid, entry.msgid_plural, n)
                )
                if got != entry.msgstr_plural[form]:
                    stale.append(entry.msgid)
        else:
            got = (
                compiled.pgettext(entry.msgctxt, entry.msgid)
                if entry.msgctxt
                else compiled.gettext(entry.msgid)
            )
            if got != entry.msgstr:
                stale.append(entry.msgid)
    assert not stale, f"django.mo is older than django.po (run `make messages`): {stale}"

"""Compile every catalogue under locale/ (locale/<lang>/LC_MESSAGES/*.po) into the .mo file Django
reads, in pure Python (polib), so that no machine needs GNU gettext's msgfmt to do it.

The .mo files are committed beside their .po; tests/i18n checks that they still match. Run this
after changing a .po: `.venv/bin/python scripts/compile_messages.py` (or `make messages`).
Untranslated and fuzzy entries are left out, as msgfmt leaves them out: Django then shows the
English text.
"""

import sys
from pathlib import Path

import polib

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"


def compile_catalogues(locale_dir: Path = LOCALE_DIR) -> list[Path]:
    written = []
    for po_path in sorted(locale_dir.glob("*/LC_MESSAGES/*.po")):
        mo_path = po_path.with_suffix(".mo")
        polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
        written.append(mo_path)
    return written


if __name__ == "__main__":
    for path in compile_catalogues():
        print(f"wrote {path.relative_to(LOCALE_DIR.parent)}")
    sys.exit(0)

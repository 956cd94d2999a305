"""Which languages a letter is written in: Danish always, and the inmate's where it can be.

Inmates' languages are recorded as names ("Arabic", "Persian"); templates are keyed by ISO 639
codes. The inmate's first language that has a template is used; with none, English stands in and
the letter is marked as a fallback, which the case page shows.
"""

from collections.abc import Iterable
from dataclasses import dataclass

import pycountry

DANISH = "da"
ENGLISH = "en"
# Written right to left: the letter's section gets dir="rtl".
RTL = frozenset({"ar", "fa", "ur", "ps", "he", "yi", "dv", "ckb", "prs", "sd", "ug"})


def language_code(name: str) -> str | None:
    """ "Arabic", "arabic", "ar" or "ara" → "ar"; None when the name is no known language."""
    text = name.strip()
    if not text:
        return None
    try:
        language = pycountry.languages.lookup(text)
    except LookupError:
        return None
    code = getattr(language, "alpha_2", None) or language.alpha_3
    return str(code)


def language_name(code: str) -> str:
    language = pycountry.languages.get(alpha_2=code) or pycountry.languages.get(alpha_3=code)
    return language.name if language is not None else code


def direction(code: str) -> str:
    return "rtl" if code in RTL else "ltr"


@dataclass(frozen=True)
class LanguageChoice:
    languages: tuple[str, ...]  # Danish first
    fell_back: bool  # the inmate's language has no template: English (or Danish alone) instead
    wanted: tuple[str, ...]  # the inmate's languages as recorded, for the case page's notice


def choose(*, wanted: Iterable[str], available: Iterable[str]) -> LanguageChoice:
    """Danish plus the first wanted language with a template; else Danish plus English."""
    names = tuple(dict.fromkeys(name.strip() for name in wanted if name and name.strip()))
    have = set(available)
    for name in names:
        code = language_code(name)
        if code == DANISH:
            return LanguageChoice((DANISH,), False, names)
        if code is not None and code in have:
            return LanguageChoice((DANISH, code), False, names)
    second = (ENGLISH,) if ENGLISH in have else ()
    return LanguageChoice((DANISH, *second), True, names)

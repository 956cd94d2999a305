"""Texts kept as data in Danish and English (coded reasons, eligibility rules), shown in the
reader's language.

Danish is the language of the people who run the programme, English the second. A text that
exists only in English so far is shown in English rather than not at all; a third language
(Albanian for the host's staff) reads the English text until its own column is added.
"""

from django.utils import translation


def is_danish(language: str | None = None) -> bool:
    code = (language or translation.get_language() or "").lower()
    return code == "da" or code.startswith("da-")


def pick(*, da: str, en: str, language: str | None = None) -> str:
    """The Danish or the English text, by the active language."""
    return da if da and is_danish(language) else en

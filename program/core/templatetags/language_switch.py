"""The languages the header's switch offers, each named in its own language ("dansk")."""

from dataclasses import dataclass

from django import template
from django.conf import settings
from django.conf.locale import LANG_INFO
from django.utils import translation

register = template.Library()


@dataclass(frozen=True)
class LanguageChoice:
    code: str
    name: str  # in the language itself, so a reader finds theirs whatever the page's language
    current: bool


@register.simple_tag
def language_choices() -> list[LanguageChoice]:
    current = translation.get_language()
    return [
        LanguageChoice(
            code=code,
            name=LANG_INFO.get(code, {}).get("name_local", str(name)),
            current=code == current,
        )
        for code, name in settings.LANGUAGES
    ]

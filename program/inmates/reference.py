"""Reference data the registry needs everywhere: ISO 3166 countries with their EU/EEA membership,
and the offence groups (terrorism and war crimes flagged). Loaded by a migration and again after
every migrate or flush, idempotently, so a test database emptied by a flush gets it back."""

from collections.abc import Iterable
from typing import Any

import pycountry

# The EU's 27 and the EEA's three (Iceland, Liechtenstein, Norway). Whether Switzerland counts
# for eligibility rule E2 is not settled; it is a row an administrator can change.
EU_EEA = frozenset(
    {
        "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT",
        "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE", "IS", "LI", "NO",
    }
)  # fmt: skip

OFFENCES = [
    ("violence", "Violence", False, False),
    ("homicide", "Homicide", False, False),
    ("sexual", "Sexual offences", False, False),
    ("robbery", "Robbery", False, False),
    ("property", "Theft and other property crime", False, False),
    ("fraud", "Fraud", False, False),
    ("drugs", "Drug offences", False, False),
    ("weapons", "Weapons offences", False, False),
    ("trafficking", "Human trafficking", False, False),
    ("organised", "Organised crime", False, False),
    ("terrorism", "Terrorism", True, False),
    ("war_crimes", "War crimes and crimes against humanity", False, True),
    ("other", "Other", False, False),
]


def countries() -> Iterable[tuple[str, str, bool]]:
    for country in pycountry.countries:
        name = getattr(country, "common_name", country.name)
        yield country.alpha_2, name, country.alpha_2 in EU_EEA
    # Kosovo has the user-assigned code XK, used by the EU and most registries.
    yield "XK", "Kosovo", False


def reference_data_load(country_model: Any, offence_model: Any) -> None:
    """Insert what is missing; never overwrite an administrator's change (ignore_conflicts)."""
    country_model.objects.bulk_create(
        [country_model(code=code, name=name, eu_eea=eu) for code, name, eu in countries()],
        ignore_conflicts=True,
    )
    offence_model.objects.bulk_create(
        [
            offence_model(code=code, name=name, is_terrorism=terror, is_war_crimes=war)
            for code, name, terror, war in OFFENCES
        ],
        ignore_conflicts=True,
    )

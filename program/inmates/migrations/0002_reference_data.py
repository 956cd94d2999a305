import pycountry
from django.db import migrations

# The EU's 27 and the EEA's three (Iceland, Liechtenstein, Norway). Whether Switzerland counts
# for eligibility rule E2 is not settled; it is a row an administrator can change.
EU_EEA = {
    "AT",
    "BE",
    "BG",
    "HR",
    "CY",
    "CZ",
    "DK",
    "EE",
    "FI",
    "FR",
    "DE",
    "GR",
    "HU",
    "IE",
    "IT",
    "LV",
    "LT",
    "LU",
    "MT",
    "NL",
    "PL",
    "PT",
    "RO",
    "SK",
    "SI",
    "ES",
    "SE",
    "IS",
    "LI",
    "NO",
}

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


def load(apps, schema_editor):
    Country = apps.get_model("inmates", "Country")
    OffenceCategory = apps.get_model("inmates", "OffenceCategory")
    rows = [
        Country(code=c.alpha_2, name=getattr(c, "common_name", c.name), eu_eea=c.alpha_2 in EU_EEA)
        for c in pycountry.countries
    ]
    # Kosovo has the user-assigned code XK, used by the EU and most registries.
    rows.append(Country(code="XK", name="Kosovo", eu_eea=False))
    Country.objects.bulk_create(rows, ignore_conflicts=True)
    OffenceCategory.objects.bulk_create(
        [
            OffenceCategory(code=code, name=name, is_terrorism=terror, is_war_crimes=war)
            for code, name, terror, war in OFFENCES
        ],
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [("inmates", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]

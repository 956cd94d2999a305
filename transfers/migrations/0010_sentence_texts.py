"""The Danish and English words of the rules that now read the combined sentence, the
revocation's effective date and readmission kept per country, beside 0007's and 0009's texts.

load() is 0009's load() and these rows: for tests whose reference data a transactional test
elsewhere in the run has flushed.
"""

import importlib

from django.db import migrations

# (key, English, Danish), as in 0007.
ELIGIBILITY_TEXTS = [
    (
        "E3.text",
        "Every judgment is final on the screening day.",
        "Alle domme er endelige på vurderingsdagen.",
    ),
    (
        "E5.text",
        "A final expulsion order is in force (a revocation counts from its effective date).",
        "Der foreligger en endelig udvisning (en ophævelse tæller fra den dag, den får virkning).",
    ),
    (
        "E12.text",
        "At least the minimum days left to serve, to the combined release or two-thirds date.",
        "Mindst det fastsatte antal dage tilbage af afsoningen, regnet til den samlede "
        "løsladelsesdato eller det samlede to tredjedele-tidspunkt.",
    ),
    (
        "E16.text",
        "A realistic country of return: it readmits its nationals (or this person).",
        "Et realistisk land, den indsatte kan udsendes til: landet tager sine statsborgere "
        "(eller denne person) tilbage.",
    ),
    (
        "E16.no_readmission_country",
        "{country} does not readmit its nationals (as of {date}; source: {source}): "
        "no realistic return.",
        "{country} tager ikke sine statsborgere tilbage (pr. {date}; kilde: {source}): "
        "ingen realistisk udsendelse.",
    ),
    (
        "E16.no_readmission_person",
        "{country} does not take this person back: {reason}",
        "{country} tager ikke denne person tilbage: {reason}",
    ),
    (
        "E16.unknown_country",
        "Not known whether {country} readmits its nationals: record the country's answer "
        "with its date and source.",
        "Det vides ikke, om {country} tager sine statsborgere tilbage: registrér landets svar "
        "med dato og kilde.",
    ),
    (
        "E16.unknown_person",
        "Not known whether {country} takes this person back: {reason}",
        "Det vides ikke, om {country} tager denne person tilbage: {reason}",
    ),
]


def seed(apps, schema_editor):
    EligibilityText = apps.get_model("transfers", "EligibilityText")
    for key, english, danish in ELIGIBILITY_TEXTS:
        EligibilityText.objects.update_or_create(
            key=key, defaults={"text_en": english, "text_da": danish}
        )


def load(apps, schema_editor):
    """Every text of 0009's load(), then these."""
    importlib.import_module("transfers.migrations.0009_screening_age_texts").load(
        apps, schema_editor
    )
    seed(apps, schema_editor)


def unseed(apps, schema_editor):
    # The rule texts go back to 0007's wording; the new reasons go.
    previous = importlib.import_module("transfers.migrations.0007_danish_and_english_texts")
    keys = [key for key, _english, _danish in ELIGIBILITY_TEXTS]
    EligibilityText = apps.get_model("transfers", "EligibilityText")
    EligibilityText.objects.filter(key__in=keys).delete()
    for key, english, danish in previous.ELIGIBILITY_TEXTS:
        if key in keys:
            EligibilityText.objects.create(key=key, text_en=english, text_da=danish)


class Migration(migrations.Migration):
    dependencies = [
        ("transfers", "0009_screening_age_texts"),
        ("inmates", "0006_combined_sentence"),
    ]

    operations = [migrations.RunPython(seed, unseed)]

"""The Danish and English words of the rule parameter screening_max_age_days (how long a screening
stays current for the moves that need one), added beside 0007's texts.

load() is 0007's load() and these rows: for tests whose reference data a transactional test
elsewhere in the run has flushed.
"""

import importlib

from django.db import migrations

# (key, English, Danish), as in 0007.
ELIGIBILITY_TEXTS = [
    (
        "parameter.screening_max_age_days",
        "A screening is current for (days)",
        "En vurdering er gældende i (dage)",
    ),
    (
        "parameter.screening_max_age_days.help",
        "From the decision to the departure every move needs a screening this recent; an older "
        "one is repeated by the move itself.",
        "Fra afgørelsen til afrejsen kræver hvert skridt i sagen en vurdering, der højst er så "
        "gammel; en ældre vurdering gentages af skridtet selv.",
    ),
]


def seed(apps, schema_editor):
    EligibilityText = apps.get_model("transfers", "EligibilityText")
    for key, english, danish in ELIGIBILITY_TEXTS:
        EligibilityText.objects.update_or_create(
            key=key, defaults={"text_en": english, "text_da": danish}
        )


def load(apps, schema_editor):
    """Every reason code and text of 0007, then these."""
    importlib.import_module("transfers.migrations.0007_danish_and_english_texts").load(
        apps, schema_editor
    )
    seed(apps, schema_editor)


def unseed(apps, schema_editor):
    apps.get_model("transfers", "EligibilityText").objects.filter(
        key__in=[key for key, _english, _danish in ELIGIBILITY_TEXTS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("transfers", "0008_merge_parallel_work")]

    operations = [migrations.RunPython(seed, unseed)]

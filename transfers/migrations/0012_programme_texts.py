"""The words of the rule parameter capacity_lead_days (how far ahead a transfer decision checks
the programme's capacity), and two texts that named Gjilan now name no host: the rules and their
parameters serve every programme.

load() is 0009's load() and these rows: for tests whose reference data a transactional test
elsewhere in the run has flushed.
"""

import importlib

from django.db import migrations

# (key, English, Danish), as in 0007.
ELIGIBILITY_TEXTS = [
    (
        "parameter.capacity_lead_days",
        "Capacity checked ahead (days) (E17)",
        "Belægning kontrolleret frem (dage) (E17)",
    ),
    (
        "parameter.capacity_lead_days.help",
        "A transfer decision with no transport planned yet is refused when the programme is "
        "full on any day from the decision to this many days after it.",
        "En afgørelse om overførsel uden planlagt transport afvises, når programmet er fuldt "
        "på en dag fra afgørelsen og så mange dage frem.",
    ),
    (
        "parameter.review_interval_days.help",
        "While serving at the host facility.",
        "Under afsoningen i værtslandets fængsel.",
    ),
    (
        "E14.review",
        "Ongoing specialist treatment: can the host facility meet the needs?",
        "Igangværende specialiseret behandling: kan værtslandets fængsel dække behovet?",
    ),
]


def seed(apps, schema_editor):
    EligibilityText = apps.get_model("transfers", "EligibilityText")
    for key, english, danish in ELIGIBILITY_TEXTS:
        EligibilityText.objects.update_or_create(
            key=key, defaults={"text_en": english, "text_da": danish}
        )


def load(apps, schema_editor):
    importlib.import_module("transfers.migrations.0009_screening_age_texts").load(
        apps, schema_editor
    )
    seed(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("transfers", "0011_programme_required")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]

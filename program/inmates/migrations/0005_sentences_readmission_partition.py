from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("inmates", "0004_import_jobs_server_side"),
    ]

    operations = [
        migrations.AddField(
            model_name="country",
            name="readmission",
            field=models.CharField(
                choices=[("yes", "Yes"), ("no", "No"), ("unknown", "Unknown")],
                default="unknown",
                max_length=10,
                verbose_name="readmits its nationals",
            ),
        ),
        migrations.AddField(
            model_name="country",
            name="readmission_as_of",
            field=models.DateField(blank=True, null=True, verbose_name="readmission known as of"),
        ),
        migrations.AddField(
            model_name="country",
            name="readmission_source",
            field=models.CharField(
                blank=True,
                help_text="Where the answer comes from: an agreement, a ministry letter, a practice.",
                max_length=300,
                verbose_name="readmission source",
            ),
        ),
        migrations.AddField(
            model_name="inmate",
            name="release_on",
            field=models.DateField(
                blank=True, editable=False, null=True, verbose_name="combined full-term date"
            ),
        ),
        migrations.AddField(
            model_name="inmate",
            name="return_readmits_reason",
            field=models.TextField(
                blank=True, default="", verbose_name="reason for the readmission override"
            ),
        ),
        migrations.AddField(
            model_name="inmate",
            name="sentence_days",
            field=models.PositiveIntegerField(
                blank=True, editable=False, null=True, verbose_name="combined sentence (days)"
            ),
        ),
        migrations.AddField(
            model_name="inmate",
            name="two_thirds_on",
            field=models.DateField(
                blank=True, editable=False, null=True, verbose_name="combined two-thirds date"
            ),
        ),
        migrations.AddField(
            model_name="judgment",
            name="runs",
            field=models.CharField(
                choices=[
                    ("consecutive", "After the other sentences (joint serving)"),
                    ("concurrent", "Alongside, from its own start"),
                ],
                default="consecutive",
                help_text="Sentences are served one after the other and counted together unless the judgment says it runs alongside.",
                max_length=12,
                verbose_name="served",
            ),
        ),
        migrations.AlterField(
            model_name="inmate",
            name="return_readmits",
            field=models.CharField(
                blank=True,
                choices=[("yes", "Yes"), ("no", "No"), ("unknown", "Unknown")],
                default="",
                help_text="Leave empty to follow the country's answer; set only to override it.",
                max_length=10,
                verbose_name="readmission for this person",
            ),
        ),
        # What was typed on each person before readmission became a country's fact: "unknown"
        # now means "as the country"; a yes or a no stays as this person's override, with the
        # reason the new constraint asks for.
        migrations.RunSQL(
            """
            UPDATE inmates_inmate SET return_readmits = '' WHERE return_readmits = 'unknown';
            UPDATE inmates_inmate
               SET return_readmits_reason = 'Registreret på personen, før tilbagetagelse blev '
                   'ført pr. land (recorded on the person before readmission was kept per '
                   'country).'
             WHERE return_readmits IN ('yes', 'no') AND return_readmits_reason = '';
            """,
            """
            UPDATE inmates_inmate SET return_readmits = 'unknown' WHERE return_readmits = '';
            """,
        ),
        migrations.AddConstraint(
            model_name="country",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("readmission", "unknown"),
                    models.Q(
                        ("readmission_as_of__isnull", False),
                        models.Q(("readmission_source", ""), _negated=True),
                    ),
                    _connector="OR",
                ),
                name="country_readmission_dated_and_sourced",
                violation_error_message="Give the date and the source of a yes or a no on readmission.",
            ),
        ),
        migrations.AddConstraint(
            model_name="inmate",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("return_readmits", ""),
                    models.Q(("return_readmits_reason", ""), _negated=True),
                    _connector="OR",
                ),
                name="inmate_readmission_override_reasoned",
                violation_error_message="Give the reason when readmission for this person differs from the country's.",
            ),
        ),
    ]

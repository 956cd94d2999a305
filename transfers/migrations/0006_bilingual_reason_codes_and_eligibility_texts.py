"""Coded reasons and the eligibility rules' words in Danish and English: the columns.

The reason codes keep their English label (label_en) and get a Danish one; the rules' texts, their
sources, the reasons they give and the settings' labels become data (EligibilityText). The words
are written by 0007, after the write history's triggers know the new columns.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("transfers", "0005_release_preparation")]

    operations = [
        migrations.RenameField("reasoncode", "label", "label_en"),
        migrations.AlterField(
            model_name="reasoncode",
            name="label_en",
            field=models.CharField(max_length=200, verbose_name="label (English)"),
        ),
        migrations.AddField(
            model_name="reasoncode",
            name="label_da",
            field=models.CharField(default="", max_length=200, verbose_name="label (Danish)"),
            preserve_default=False,
        ),
        migrations.AlterModelOptions(
            name="reasoncode",
            options={
                "ordering": ["applies_to", "code"],
                "verbose_name": "reason code",
                "verbose_name_plural": "reason codes",
            },
        ),
        migrations.CreateModel(
            name="EligibilityText",
            fields=[
                (
                    "key",
                    models.CharField(
                        max_length=80, primary_key=True, serialize=False, verbose_name="key"
                    ),
                ),
                ("text_da", models.TextField(verbose_name="text (Danish)")),
                ("text_en", models.TextField(verbose_name="text (English)")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="changed at")),
            ],
            options={
                "verbose_name": "eligibility text",
                "verbose_name_plural": "eligibility texts",
                "ordering": ["key"],
            },
        ),
    ]

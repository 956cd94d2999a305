from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0006_history_sentences_readmission_partition"),
    ]

    operations = [
        migrations.AlterField(
            model_name="inmatechange",
            name="return_readmits_reason",
            field=models.TextField(
                blank=True,
                db_default="",
                default="",
                verbose_name="reason for the readmission override",
            ),
        ),
        migrations.AlterField(
            model_name="judgmentchange",
            name="runs",
            field=models.CharField(
                choices=[
                    ("consecutive", "After the other sentences (joint serving)"),
                    ("concurrent", "Alongside, from its own start"),
                ],
                db_default="consecutive",
                default="consecutive",
                help_text="Sentences are served one after the other and counted together unless the judgment says it runs alongside.",
                max_length=12,
                verbose_name="served",
            ),
        ),
    ]

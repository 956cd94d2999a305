"""The tokens DRF's admin made before personal tokens (rest_framework.authtoken, now removed from
INSTALLED_APPS) become personal tokens: their keys are hashed, so the programs that use them keep
working, and each expires 90 days after this migration. Their plain-text table is then dropped.
"""

import hashlib
from datetime import timedelta

from django.db import migrations
from django.utils import timezone

LEGACY_TABLE = "authtoken_token"


def carry_over(apps, schema_editor):  # type: ignore[no-untyped-def]
    connection = schema_editor.connection
    if LEGACY_TABLE not in connection.introspection.table_names():
        return
    api_token = apps.get_model("tokens", "ApiToken")
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT key, user_id, created FROM {LEGACY_TABLE}")  # noqa: S608
        rows = cursor.fetchall()
    for key, user_id, created in rows:
        api_token.objects.create(
            user_id=user_id,
            name="Token made in the admin",
            key_hash=hashlib.sha256(key.encode("utf-8")).hexdigest(),
            key_prefix=key[:10],
            created_at=min(created, now),
            expires_at=now + timedelta(days=90),
        )
    schema_editor.execute(f"DROP TABLE {LEGACY_TABLE}")  # noqa: S608


class Migration(migrations.Migration):
    dependencies = [("tokens", "0001_api_tokens")]

    operations = [migrations.RunPython(carry_over, migrations.RunPython.noop, elidable=False)]

from django.contrib.postgres.operations import BtreeGistExtension
from django.db import migrations


class Migration(migrations.Migration):
    """btree_gist lets exclusion constraints mix equality (place =) with range overlap (period &&),
    which is how PostgreSQL keeps one inmate per place per day."""

    initial = True
    dependencies: list[tuple[str, str]] = []
    operations = [BtreeGistExtension()]

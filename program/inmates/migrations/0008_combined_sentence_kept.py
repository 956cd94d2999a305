"""The combined sentence columns are written only by inmates_sentence_combine().

Code that loaded a person, then saw a judgment added, and then saved its stale copy with a
plain save() wrote the old (often empty) combined dates back over the trigger's, and the rules
then saw no release date. A BEFORE UPDATE trigger now keeps the three columns as they are unless
the update comes from the combining function, which marks its own updates with a
transaction-local setting.
"""

import importlib

from django.db import migrations

_SOURCE = importlib.import_module("program.inmates.migrations.0006_combined_sentence").FORWARD
_FUNCTION = _SOURCE[: _SOURCE.index("CREATE FUNCTION inmates_judgment_combine()")]
MARKED = (
    _FUNCTION.replace(
        "CREATE FUNCTION inmates_sentence_combine",
        "CREATE OR REPLACE FUNCTION inmates_sentence_combine",
    )
    .replace(
        "BEGIN\n    SELECT bool_or",
        "BEGIN\n    PERFORM set_config('inmates.combining', 'on', true);\n    SELECT bool_or",
    )
    .replace(
        "         WHERE id = p_inmate\n           AND (sentence_days, release_on, two_thirds_on) IS DISTINCT FROM (NULL, NULL, NULL);\n        RETURN;",
        "         WHERE id = p_inmate\n           AND (sentence_days, release_on, two_thirds_on) IS DISTINCT FROM (NULL, NULL, NULL);\n"
        "        PERFORM set_config('inmates.combining', 'off', true);\n        RETURN;",
    )
    .replace(
        "IS DISTINCT FROM (total, release, two_thirds);\nEND;",
        "IS DISTINCT FROM (total, release, two_thirds);\n"
        "    PERFORM set_config('inmates.combining', 'off', true);\nEND;",
    )
)
if MARKED.count("set_config") != 3:
    raise RuntimeError("0006's function text changed: mark its updates again")
UNMARKED = _FUNCTION.replace(
    "CREATE FUNCTION inmates_sentence_combine",
    "CREATE OR REPLACE FUNCTION inmates_sentence_combine",
)

KEEP = """
CREATE FUNCTION inmates_sentence_kept() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('inmates.combining', true) IS DISTINCT FROM 'on' THEN
        NEW.sentence_days := OLD.sentence_days;
        NEW.release_on := OLD.release_on;
        NEW.two_thirds_on := OLD.two_thirds_on;
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER sentence_kept
    BEFORE UPDATE OF sentence_days, release_on, two_thirds_on ON inmates_inmate
    FOR EACH ROW EXECUTE FUNCTION inmates_sentence_kept();
"""

DROP_KEEP = """
DROP TRIGGER IF EXISTS sentence_kept ON inmates_inmate;
DROP FUNCTION IF EXISTS inmates_sentence_kept();
"""


class Migration(migrations.Migration):
    dependencies = [("inmates", "0007_raw_sql_defaults")]
    operations = [migrations.RunSQL(MARKED + KEEP, DROP_KEEP + UNMARKED)]

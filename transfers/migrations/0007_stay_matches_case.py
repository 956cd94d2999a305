"""A place at the host facility is held only by a person whose transfer case allows it.

For every person who has a transfer case: a live reservation (not ended, not cancelled) needs the
open case scheduled, in transit or under appeal (an appeal lodged after the booking holds the
seat); a live placement needs it admitted, serving, in release preparation or return pending; and
a case in one of those placement states needs its live placement (scheduled or in transit: its
reservation). A person with no transfer case at all is not one of the programme's transfers (no
rule here). Both tables carry a deferred constraint trigger, so the case and the placement may
change in either order inside one transaction; the check runs at commit and refuses the whole
transaction when it breaks the rule. The same states are declared in transfers/moves.py.
"""

from django.db import migrations

CHECK = r"""
CREATE OR REPLACE FUNCTION transfers_check_stay(person bigint) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    any_case boolean;
    open_state text;
    open_id bigint;
    reservations int;
    placements int;
BEGIN
    SELECT EXISTS (SELECT 1 FROM transfers_transfercase WHERE inmate_id = person) INTO any_case;
    IF NOT any_case THEN
        RETURN;
    END IF;
    SELECT id, state INTO open_id, open_state FROM transfers_transfercase
        WHERE inmate_id = person AND closed_at IS NULL;
    SELECT count(*) FILTER (WHERE kind = 'reservation'), count(*) FILTER (WHERE kind = 'placement')
        INTO reservations, placements
        FROM cells_placement WHERE inmate_id = person AND end_reason = '';
    IF open_id IS NULL THEN
        IF reservations + placements > 0 THEN
            RAISE EXCEPTION 'stay_matches_case: inmate % holds a place with no open transfer case', person
                USING ERRCODE = '23514', CONSTRAINT = 'transfers_stay_matches_case';
        END IF;
        RETURN;
    END IF;
    IF reservations > 0 AND open_state NOT IN ('scheduled', 'in_transit', 'under_appeal') THEN
        RAISE EXCEPTION 'stay_matches_case: case % is % and cannot hold a reservation', open_id, open_state
            USING ERRCODE = '23514', CONSTRAINT = 'transfers_stay_matches_case';
    END IF;
    IF placements > 0 AND open_state NOT IN ('admitted', 'serving', 'release_prep', 'return_pending') THEN
        RAISE EXCEPTION 'stay_matches_case: case % is % and cannot hold a placement', open_id, open_state
            USING ERRCODE = '23514', CONSTRAINT = 'transfers_stay_matches_case';
    END IF;
    IF placements = 0 AND open_state IN ('admitted', 'serving', 'release_prep', 'return_pending') THEN
        RAISE EXCEPTION 'stay_matches_case: case % is % but holds no placement', open_id, open_state
            USING ERRCODE = '23514', CONSTRAINT = 'transfers_stay_matches_case';
    END IF;
    IF reservations = 0 AND open_state IN ('scheduled', 'in_transit') THEN
        RAISE EXCEPTION 'stay_matches_case: case % is % but holds no reservation', open_id, open_state
            USING ERRCODE = '23514', CONSTRAINT = 'transfers_stay_matches_case';
    END IF;
END $$;

CREATE OR REPLACE FUNCTION transfers_stay_trigger() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM transfers_check_stay(NEW.inmate_id);
    IF TG_OP = 'UPDATE' AND OLD.inmate_id IS DISTINCT FROM NEW.inmate_id THEN
        PERFORM transfers_check_stay(OLD.inmate_id);
    END IF;
    RETURN NULL;
END $$;

CREATE CONSTRAINT TRIGGER transfers_stay_matches_case_placement
    AFTER INSERT OR UPDATE ON cells_placement
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION transfers_stay_trigger();

CREATE CONSTRAINT TRIGGER transfers_stay_matches_case_case
    AFTER INSERT OR UPDATE OF state, closed_at, inmate_id ON transfers_transfercase
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION transfers_stay_trigger();
"""

DROP = r"""
DROP TRIGGER IF EXISTS transfers_stay_matches_case_case ON transfers_transfercase;
DROP TRIGGER IF EXISTS transfers_stay_matches_case_placement ON cells_placement;
DROP FUNCTION IF EXISTS transfers_stay_trigger();
DROP FUNCTION IF EXISTS transfers_check_stay(bigint);
"""


def add_reason_codes(apps, schema_editor) -> None:
    ReasonCode = apps.get_model("transfers", "ReasonCode")
    ReasonCode.objects.update_or_create(
        code="appeal_upheld",
        defaults={
            "label_en": "The appeal against the transfer was upheld",
            "label_da": "Klagen over overførslen fik medhold",
            "applies_to": "return",
        },
    )


class Migration(migrations.Migration):
    dependencies = [
        ("cells", "0003_outage_placement"),
        ("transfers", "0006_lifecycle_closing_supersession_review"),
        # The reason codes have their Danish and English labels from here on.
        ("transfers", "0007_danish_and_english_texts"),
    ]

    operations = [
        migrations.RunPython(add_reason_codes, migrations.RunPython.noop),
        migrations.RunSQL(CHECK, DROP),
    ]

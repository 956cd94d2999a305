from django.db import migrations

# A cell never holds more places than its CPT capacity (docs/domain-rules.md §4). The count spans rows, so a
# CHECK constraint cannot express it; these triggers do. The cell row is locked first (NO KEY UPDATE,
# which does not clash with the foreign key's own KEY SHARE lock) so that two
# transactions adding places to one cell are serialised and cannot both pass the count.
FORWARD = """
CREATE FUNCTION cells_place_within_capacity() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    capacity integer;
    used integer;
BEGIN
    SELECT cpt_capacity INTO capacity FROM cells_cell WHERE id = NEW.cell_id FOR NO KEY UPDATE;
    SELECT count(*) INTO used FROM cells_place WHERE cell_id = NEW.cell_id;
    IF used > capacity THEN
        RAISE EXCEPTION 'cell % would hold % places but the CPT standards allow %',
            NEW.cell_id, used, capacity
            USING ERRCODE = 'check_violation', CONSTRAINT = 'place_within_cpt_capacity';
    END IF;
    RETURN NULL;
END;
$$;

CREATE CONSTRAINT TRIGGER place_within_cpt_capacity
    AFTER INSERT OR UPDATE OF cell_id ON cells_place
    FOR EACH ROW EXECUTE FUNCTION cells_place_within_capacity();

CREATE FUNCTION cells_cell_keeps_its_places() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    used integer;
BEGIN
    SELECT count(*) INTO used FROM cells_place WHERE cell_id = NEW.id;
    IF used > NEW.cpt_capacity THEN
        RAISE EXCEPTION 'cell % holds % places but its new dimensions allow only % under the CPT standards',
            NEW.id, used, NEW.cpt_capacity
            USING ERRCODE = 'check_violation', CONSTRAINT = 'place_within_cpt_capacity';
    END IF;
    RETURN NULL;
END;
$$;

CREATE CONSTRAINT TRIGGER cell_keeps_its_places
    AFTER UPDATE ON cells_cell
    FOR EACH ROW EXECUTE FUNCTION cells_cell_keeps_its_places();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS cell_keeps_its_places ON cells_cell;
DROP FUNCTION IF EXISTS cells_cell_keeps_its_places();
DROP TRIGGER IF EXISTS place_within_cpt_capacity ON cells_place;
DROP FUNCTION IF EXISTS cells_place_within_capacity();
"""


class Migration(migrations.Migration):
    dependencies = [("cells", "0001_initial")]
    operations = [migrations.RunSQL(FORWARD, BACKWARD)]

from django.db import migrations

# The person's sentence as it runs, from all their judgments (docs/sentences.md), kept on the
# inmate row by PostgreSQL on every judgment write, whatever its route (services, imports, bulk
# writes, the demo), so every reader (rules, lists, the occupancy forecast) gets one answer.
#
# Fixed-term judgments are taken in order of sentence start. One served after the others
# ("consecutive", the default: joint serving) joins the running chain: the chain's days and
# remand credits add up, and its two-thirds date is counted on the total, not per judgment. A
# chain whose sentence start falls after the previous chain's full-term date starts afresh (that sentence
# was served out already). One that runs "concurrent" counts from its own start alongside. The
# person's dates are the latest of all. An indefinite sentence (forvaring, life) leaves them
# empty: there is no date to count to.
FORWARD = """
CREATE FUNCTION inmates_sentence_combine(p_inmate bigint) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    j record;
    chain_start date;
    chain_days integer := 0;
    chain_remand integer := 0;
    release date;
    two_thirds date;
    total integer;
    indefinite boolean;
BEGIN
    SELECT bool_or(sentence_type <> 'fixed_term') INTO indefinite
      FROM inmates_judgment WHERE inmate_id = p_inmate;
    IF coalesce(indefinite, false) THEN
        UPDATE inmates_inmate
           SET sentence_days = NULL, release_on = NULL, two_thirds_on = NULL
         WHERE id = p_inmate
           AND (sentence_days, release_on, two_thirds_on) IS DISTINCT FROM (NULL, NULL, NULL);
        RETURN;
    END IF;
    FOR j IN
        SELECT sentence_start, length_days, remand_days, runs
          FROM inmates_judgment
         WHERE inmate_id = p_inmate AND sentence_type = 'fixed_term'
         ORDER BY sentence_start, judgment_date, id
    LOOP
        IF j.runs = 'concurrent' THEN
            release := greatest(release, j.sentence_start + j.length_days - j.remand_days);
            two_thirds := greatest(
                two_thirds, j.sentence_start + (2 * j.length_days + 2) / 3 - j.remand_days);
            total := greatest(total, j.length_days);
        ELSE
            IF chain_start IS NULL
               OR j.sentence_start > chain_start + chain_days - chain_remand THEN
                chain_start := j.sentence_start;
                chain_days := j.length_days;
                chain_remand := j.remand_days;
            ELSE
                chain_days := chain_days + j.length_days;
                chain_remand := chain_remand + j.remand_days;
            END IF;
            release := greatest(release, chain_start + chain_days - chain_remand);
            -- ceil(2 × days / 3) in integer arithmetic, as the judgment's own column does
            two_thirds := greatest(two_thirds, chain_start + (2 * chain_days + 2) / 3 - chain_remand);
            total := greatest(total, chain_days);
        END IF;
    END LOOP;
    UPDATE inmates_inmate
       SET sentence_days = total, release_on = release, two_thirds_on = two_thirds
     WHERE id = p_inmate
       AND (sentence_days, release_on, two_thirds_on) IS DISTINCT FROM (total, release, two_thirds);
END;
$$;

CREATE FUNCTION inmates_judgment_combine() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM inmates_sentence_combine(OLD.inmate_id);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND (TG_OP = 'INSERT' OR NEW.inmate_id <> OLD.inmate_id) THEN
        PERFORM inmates_sentence_combine(NEW.inmate_id);
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER judgment_combine
    AFTER INSERT OR UPDATE OR DELETE ON inmates_judgment
    FOR EACH ROW EXECUTE FUNCTION inmates_judgment_combine();

SELECT inmates_sentence_combine(id) FROM inmates_inmate
 WHERE EXISTS (SELECT 1 FROM inmates_judgment j WHERE j.inmate_id = inmates_inmate.id);
"""

BACKWARD = """
DROP TRIGGER IF EXISTS judgment_combine ON inmates_judgment;
DROP FUNCTION IF EXISTS inmates_judgment_combine();
DROP FUNCTION IF EXISTS inmates_sentence_combine(bigint);
"""


class Migration(migrations.Migration):
    dependencies = [("inmates", "0005_sentences_readmission_partition")]
    operations = [migrations.RunSQL(FORWARD, BACKWARD)]

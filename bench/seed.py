"""Seeding a bench database at national scale: deterministic, set-based, inside the constraints.

The demo programme (agreement, Gjilan's 300 places, users, reference data, rule parameters, the
payment schedule 2022–2036 and its ~420 inmates) is loaded first with the application's own demo
loader. On top of it, each bulk table is filled by one `INSERT … SELECT generate_series` whose
values are arithmetic on the row number, so the same scale always gives the same rows:

- `inmates` inmates (case numbers BX-0000001…), each with a nationality, a final fixed-term
  judgment (every 50th a life sentence) and an expulsion order (nine in ten final);
- inmates / 5 transfer cases, 70 % closed, spread over ten years and 40 caseworkers, each with
  2–7 timeline events;
- ten years of placements over the 300 places before the demo's opening (2016-04-01 up to each
  place's first demo stay): back-to-back stays of 6–30 months, one inmate each;
- inmates × 10 access-log rows over the last year (1,000,000 at the default scale).

The history triggers (django-pghistory's insert and update snapshots: the judgments' sentence
trigger updates each seeded inmate's combined sentence) are disabled on the bulk tables for
the seeding transaction only and enabled again before it commits: the seeded rows stand for data
that existed before the system, not for changes made in it, so they get no history rows. Every
other constraint stays on: the placement exclusion constraints, the CPT capacity trigger (no place
is added), the CHECK constraints, the foreign keys and the append-only triggers (only inserts).
"""

from __future__ import annotations

import io
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TextIO

from django.db import connection, transaction

from program.inmates import demo as inmates_demo

BULK_PREFIX = "BX-"
HISTORY_START = "2016-04-01"  # ten years of placements before the demo's opening day
DEMO_OPENING = "2026-04-01"
EXTRA_CASEWORKERS = 39  # with the demo's own caseworker: forty people share the cases
ACCESS_ROWS_PER_INMATE = 10

BULK_TABLES = [
    "inmates_inmate",
    "inmates_inmate_nationalities",
    "inmates_judgment",
    "inmates_expulsionorder",
    "transfers_transfercase",
    "transfers_caseevent",
    "cells_placement",
    "audit_accesslogentry",
]


@dataclass(frozen=True)
class Scale:
    inmates: int
    seed: int = 1

    @property
    def cases(self) -> int:
        return max(self.inmates // 5, 1)

    @property
    def access_rows(self) -> int:
        return self.inmates * ACCESS_ROWS_PER_INMATE


def _pools() -> dict[str, list[str]]:
    """Names, nationalities and languages of the demo's own pools, so searches find the same."""
    origins = inmates_demo.ORIGINS
    return {
        "origins": [code for code, _langs, _first, _last in origins],
        "languages": [langs[0] for _code, langs, _first, _last in origins],
        "first": sorted({name for _c, _l, first, _s in origins for name in first}),
        "last": sorted({name for _c, _l, _f, last in origins for name in last}),
        "institutions": list(inmates_demo.INSTITUTIONS),
        "courts": list(inmates_demo.COURTS),
    }


# Every value is arithmetic on the row number i (and the seed s), so runs are reproducible.
# Multipliers are primes, so neighbouring rows differ in every column.
INMATES_SQL = """
INSERT INTO inmates_inmate (
    created_at, updated_at, case_number, name, date_of_birth, sex, languages,
    interpreter_needed, return_readmits, return_readmits_reason, security_level,
    serious_mental_disorder,
    specialist_treatment, minor_children_visiting, home_institution, country_of_return_id,
    version)
SELECT ts, ts,
       %(prefix)s || lpad(i::text, 7, '0'),
       (%(first)s::text[])[1 + (i * 7 + %(s)s) %% cardinality(%(first)s::text[])] || ' '
         || (%(last)s::text[])[1 + (i * 13 + i / 11) %% cardinality(%(last)s::text[])],
       date '1960-01-01' + (i * 37) %% 16000,
       CASE WHEN i %% 20 = 0 THEN 'F' ELSE 'M' END,
       ARRAY[(%(languages)s::text[])[1 + i %% cardinality(%(languages)s::text[])]],
       i %% 3 = 0,
       -- Readmission follows the country except for every fourth person, refused in person.
       CASE WHEN i %% 4 = 3 THEN 'no' ELSE '' END,
       CASE WHEN i %% 4 = 3 THEN 'Refused a travel document' ELSE '' END,
       (ARRAY['low', 'low', 'medium', 'high'])[1 + (i / 4) %% 4],
       i %% 41 = 0, i %% 23 = 0, i %% 13 = 0,
       (%(institutions)s::text[])[1 + i %% cardinality(%(institutions)s::text[])],
       (%(origins)s::text[])[1 + i %% cardinality(%(origins)s::text[])],
       1
FROM generate_series(1, %(n)s) AS i
CROSS JOIN LATERAL (
    SELECT timestamptz '2016-01-01 08:00Z' + (i::float8 / %(n)s) * interval '3650 days' AS ts
) t
ORDER BY i
"""

# The bulk row number of each seeded inmate, for the tables that hang off them.
IDS_SQL = """
CREATE TEMPORARY TABLE bench_ids ON COMMIT DROP AS
SELECT substr(case_number, length(%(prefix)s) + 1)::integer AS i, id AS inmate_id, created_at
FROM inmates_inmate WHERE case_number LIKE %(prefix)s || '%%';
CREATE UNIQUE INDEX ON bench_ids (i);
ANALYZE bench_ids;
"""

NATIONALITIES_SQL = """
INSERT INTO inmates_inmate_nationalities (inmate_id, country_id)
SELECT inmate_id, (%(origins)s::text[])[1 + i %% cardinality(%(origins)s::text[])] FROM bench_ids
UNION ALL
SELECT inmate_id, (%(origins)s::text[])[1 + (i + 5) %% cardinality(%(origins)s::text[])]
FROM bench_ids WHERE i %% 17 = 0
"""

JUDGMENTS_SQL = """
INSERT INTO inmates_judgment (
    created_at, updated_at, inmate_id, court, judgment_date, final_on, sentence_type,
    length_days, remand_days, sentence_start, version)
SELECT created_at, created_at, inmate_id,
       (%(courts)s::text[])[1 + i %% cardinality(%(courts)s::text[])],
       day, CASE WHEN i %% 31 = 0 THEN NULL ELSE day + 30 END,
       CASE WHEN i %% 50 = 0 THEN 'life' ELSE 'fixed_term' END,
       CASE WHEN i %% 50 = 0 THEN NULL
            ELSE (ARRAY[540, 730, 1095, 1825, 2920, 4380])[1 + i %% 6] END,
       i %% 90, day, 1
FROM bench_ids
CROSS JOIN LATERAL (SELECT (created_at AT TIME ZONE 'UTC')::date - 60 AS day) d
"""

EXPULSIONS_SQL = """
INSERT INTO inmates_expulsionorder (
    created_at, updated_at, inmate_id, ordered_on, final, entry_ban_years, entry_ban_permanent,
    version)
SELECT created_at, created_at, inmate_id, (created_at AT TIME ZONE 'UTC')::date - 30,
       i %% 10 <> 0,
       CASE WHEN i %% 7 = 0 THEN NULL ELSE 6 END,
       i %% 7 = 0,
       1
FROM bench_ids
"""

# Cases 1..C belong to bulk inmates 1..C (one case each, so one open case per inmate at most).
CLOSED_STATES = [
    "returned",
    "deported",
    "released_not_removable",
    "withdrawn",
    "decided_no_transfer",
]
OPEN_STATES = [
    "identified",
    "screening",
    "eligible",
    "ineligible",
    "needs_review",
    "proposed",
    "host_review",
    "decided_transfer",
    "notified",
    "under_appeal",
]

CASES_SQL = """
INSERT INTO transfers_transfercase (
    created_at, updated_at, inmate_id, agreement_id, caseworker_id, state, version, closed_at,
    notified_on, notification_language, appeal_deadline, appeal_outcome)
SELECT opened, touched, b.inmate_id, %(agreement)s,
       (%(caseworkers)s::integer[])[1 + c %% cardinality(%(caseworkers)s::integer[])],
       st.state, 2 + c %% 6,
       CASE WHEN closed THEN touched END,
       CASE WHEN st.state IN ('notified', 'under_appeal') THEN touched::date END,
       CASE WHEN st.state IN ('notified', 'under_appeal') THEN 'English' ELSE '' END,
       CASE WHEN st.state IN ('notified', 'under_appeal') THEN touched::date + 28 END,
       ''
FROM generate_series(1, %(cases)s) AS c
JOIN bench_ids b ON b.i = c
CROSS JOIN LATERAL (SELECT c %% 10 < 7 AS closed) k
CROSS JOIN LATERAL (
    SELECT CASE WHEN closed
           THEN (%(closed_states)s::text[])[1 + (c / 10) %% cardinality(%(closed_states)s::text[])]
           ELSE (%(open_states)s::text[])[1 + (c / 10) %% cardinality(%(open_states)s::text[])]
           END AS state
) st
CROSS JOIN LATERAL (
    -- Closed cases were opened over ten years; open ones in the last year.
    SELECT CASE WHEN closed
                THEN timestamptz '2016-06-01 09:00Z' + ((c * 7919) %% 3300) * interval '1 day'
                ELSE now() - ((c::bigint * 104729) %% 330 + 20) * interval '1 day'
           END AS opened
) o
CROSS JOIN LATERAL (SELECT opened + (2 + c %% 6) * interval '3 days' AS touched) t
ORDER BY c
"""

# Each case's timeline: opened, then a transition per later version, three days apart.
EVENTS_SQL = """
INSERT INTO transfers_caseevent (
    case_id, kind, from_state, to_state, actor_id, text, payload, dedupe_key, at)
SELECT tc.id,
       CASE WHEN k = 1 THEN 'opened' ELSE 'transition' END,
       CASE WHEN k = 1 THEN '' WHEN k = 2 THEN 'identified' ELSE 'screening' END,
       CASE WHEN k = 1 THEN 'identified' WHEN k = tc.version THEN tc.state ELSE 'screening' END,
       tc.caseworker_id, '', '{}'::jsonb, '',
       tc.created_at + (k - 1) * interval '3 days'
FROM transfers_transfercase tc
JOIN bench_ids b ON b.inmate_id = tc.inmate_id
CROSS JOIN LATERAL generate_series(1, tc.version) AS k
"""

# Back-to-back stays per place from HISTORY_START up to the place's first demo stay. Stay k of
# a place lasts 180–899 days after a gap of 3–42 days (cleaning, transport); the running sum
# over k gives the start days. Stay number s (by start, place) is bulk inmate s's only stay.
PLACEMENTS_SQL = """
WITH bound AS (
    SELECT p.id AS place_id,
           coalesce(min(lower(pl.period)), %(opening)s::date) AS until
    FROM cells_place p
    LEFT JOIN cells_placement pl ON pl.place_id = p.id
    GROUP BY p.id
),
slots AS (
    SELECT b.place_id, b.until, k,
           (180 + ((b.place_id * 7919 + k * 104729 + %(s)s) %% 720))::integer AS len,
           (3 + ((b.place_id * 31 + k * 17) %% 40))::integer AS gap
    FROM bound b CROSS JOIN generate_series(0, 40) AS k
),
timed AS (
    SELECT place_id, until, k, len,
           %(start)s::date + (sum(len + gap) OVER (PARTITION BY place_id ORDER BY k)
                              - len)::integer AS from_day
    FROM slots
),
stays AS (
    SELECT place_id, k, from_day, least(from_day + len, until) AS to_day,
           row_number() OVER (ORDER BY from_day, place_id) AS s
    FROM timed
    WHERE from_day < until
)
INSERT INTO cells_placement (
    created_at, updated_at, inmate_id, place_id, kind, period, reason, end_reason)
SELECT from_day::timestamptz, to_day::timestamptz, b.inmate_id, place_id, 'placement',
       daterange(from_day, to_day, '[)'), 'Transferred under the agreement',
       (ARRAY['deported', 'returned', 'released', 'moved'])[1 + s %% 4]
FROM stays JOIN bench_ids b ON b.i = stays.s
ORDER BY s
"""

ACCESS_LOG_SQL = """
INSERT INTO audit_accesslogentry (
    at, actor_id, actor_username, action, subject_type, subject_id, purpose, request_id, route,
    criterion, subject_ids)
SELECT now() - (j::float8 / %(rows)s) * interval '365 days',
       (%(user_ids)s::integer[])[1 + j %% cardinality(%(user_ids)s::integer[])],
       (%(usernames)s::text[])[1 + j %% cardinality(%(usernames)s::text[])],
       CASE WHEN j %% 20 = 0 THEN 'search' WHEN j %% 20 = 1 THEN 'list' ELSE 'view' END,
       CASE WHEN j %% 20 < 2 THEN 'inmate' WHEN j %% 3 = 0 THEN 'transfercase' ELSE 'inmate' END,
       CASE WHEN j %% 20 < 2 THEN '' ELSE b.inmate_id::text END,
       'case work', md5(j::text), 'inmates:detail',
       CASE WHEN j %% 20 = 0 THEN jsonb_build_object('search', 'name') ELSE '{}'::jsonb END,
       -- A list or a search names the people it showed (twenty here).
       CASE WHEN j %% 20 < 2
            THEN ARRAY(SELECT (b.inmate_id + k)::text FROM generate_series(0, 19) AS k)
            ELSE '{}'::varchar[] END
FROM generate_series(1, %(rows)s) AS j
JOIN bench_ids b ON b.i = 1 + (j::bigint * 7919) %% %(n)s
"""


def _history_triggers(cursor: Any, table: str) -> list[str]:
    cursor.execute(
        "SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal "
        "AND (tgname LIKE 'pgtrigger_insert_insert_%%' "
        "OR tgname LIKE 'pgtrigger_update_update_%%')",
        [table],
    )
    return [row[0] for row in cursor.fetchall()]


def _set_history(cursor: Any, *, enabled: bool) -> None:
    verb = "ENABLE" if enabled else "DISABLE"
    for table in BULK_TABLES:
        for name in _history_triggers(cursor, table):
            cursor.execute(f'ALTER TABLE {table} {verb} TRIGGER "{name}"')


def _caseworkers(cursor: Any) -> list[int]:
    """The demo caseworker and EXTRA_CASEWORKERS more, in the caseworker group."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    user_model = get_user_model()
    group = Group.objects.get(name="caseworker")
    for n in range(1, EXTRA_CASEWORKERS + 1):
        user, _created = user_model.objects.get_or_create(
            username=f"bench_caseworker_{n:02d}", defaults={"first_name": "Bench"}
        )
        user.groups.add(group)
    return list(user_model.objects.filter(groups=group).order_by("pk").values_list("pk", flat=True))


def _agreement() -> int:
    """The demo's programme (Denmark–Kosovo), which every bulk case belongs to; recorded here
    with the demo's terms when the demo is not loaded (a tiny seed in the tests)."""
    from datetime import date

    from program.cells.demo import AGREEMENT_NAME
    from program.cells.models import Agreement

    agreement, _created = Agreement.objects.get_or_create(
        name=AGREEMENT_NAME,
        defaults={
            "sending_state": "DK",
            "host_state": "XK",
            "sending_authority": "Danish Prison and Probation Service (Kriminalforsorgen)",
            "host_authority": "Kosovo Correctional Service",
            "signed_on": date(2022, 4, 26),
            "initial_term_years": 5,
            "extension_years": 5,
            "extension_type": Agreement.ExtensionType.AUTOMATIC,
            "contracted_places": 300,
        },
    )
    return agreement.pk


def seed(scale: Scale, *, out: TextIO, load_demo: bool = True) -> dict[str, float]:
    """Load the demo and the bulk rows in one transaction; returns seconds per step."""
    from program.core.demo import demo_load

    timings: dict[str, float] = {}

    def step(name: str, func: Callable[[], object]) -> None:
        started = time.perf_counter()
        func()
        timings[name] = time.perf_counter() - started
        out.write(f"  seeded {name:<22} {timings[name]:7.1f} s\n")
        out.flush()

    params: dict[str, Any] = {
        **_pools(),
        "n": scale.inmates,
        "s": scale.seed,
        "prefix": BULK_PREFIX,
        "cases": scale.cases,
        "rows": scale.access_rows,
        "closed_states": CLOSED_STATES,
        "open_states": OPEN_STATES,
        "start": HISTORY_START,
        "opening": DEMO_OPENING,
    }
    if load_demo:
        step("demo programme", lambda: demo_load(out=io.StringIO()))  # its own transaction
    with transaction.atomic(), connection.cursor() as cursor:
        # Django's foreign keys are deferred; ALTER TABLE refuses while checks are pending.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        params["caseworkers"] = _caseworkers(cursor)
        params["agreement"] = _agreement()
        cursor.execute("SELECT id, username FROM auth_user ORDER BY id")
        users = cursor.fetchall()
        params["user_ids"] = [row[0] for row in users]
        params["usernames"] = [row[1] for row in users]
        _set_history(cursor, enabled=False)
        step("inmates", lambda: cursor.execute(INMATES_SQL, params))
        step("ids", lambda: cursor.execute(IDS_SQL, params))
        step("nationalities", lambda: cursor.execute(NATIONALITIES_SQL, params))
        step("judgments", lambda: cursor.execute(JUDGMENTS_SQL, params))
        step("expulsion orders", lambda: cursor.execute(EXPULSIONS_SQL, params))
        step("transfer cases", lambda: cursor.execute(CASES_SQL, params))
        step("case events", lambda: cursor.execute(EVENTS_SQL, params))
        step("placements", lambda: cursor.execute(PLACEMENTS_SQL, params))
        step("access log", lambda: cursor.execute(ACCESS_LOG_SQL, params))
        _set_history(cursor, enabled=True)
    with connection.cursor() as cursor:
        step("analyze", lambda: cursor.execute("ANALYZE"))
    return timings

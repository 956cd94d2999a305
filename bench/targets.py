"""What the benchmark measures: each page and API list with its limit and its peer.

- the system: the page or endpoint through Django's test client, in this process (no network),
  signed in as a user of the role the page is for;
- the limit: the same rows fetched by one hand-written SQL query through a plain psycopg
  connection and serialised with orjson: the fastest this answer could be served;
- the peer: the Django admin's change list for the same model, same filter, same page size (50).
  People's records, cases and payments are kept out of the app's admin, so the bench registers
  a plain ModelAdmin for Inmate, Placement, TransferCase and Tranche in its own process
  (register_bench_admins). Every peer is fetched
  by URL through the whole middleware stack, as the superuser.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import orjson
import psycopg
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.test import Client

PAGE_SIZE = 50
SEARCH = "Benali"  # a surname in the demo's pools: about one inmate in fifty has it
TEN_YEARS = 3652


@dataclass
class Context:
    """What the targets need to know about the seeded database."""

    caseworker_id: int
    case_id: int
    inmate_id: int
    agreement_id: int
    today: date
    database_url: str

    @property
    def ten_years_ago(self) -> date:
        return self.today - timedelta(days=TEN_YEARS - 1)


@dataclass
class Target:
    label: str
    group: str  # page, api, report
    role: str  # username to sign in as
    url: str
    limit_sql: str | None = None
    limit_params: dict[str, Any] | None = None
    peer: Callable[[], Any] | None = None
    peer_label: str = ""
    # A list page or API list: budgeted at twice as fast as the admin's change list at least.
    # The other peers (a change form, the placement list beside the occupancy pages) are shown
    # for comparison only.
    is_list: bool = False


# --- The limit: one hand-written query each -----------------------------------------------------

NATIONALITIES = (
    "(SELECT array_agg(n.country_id ORDER BY n.country_id) FROM inmates_inmate_nationalities n "
    "WHERE n.inmate_id = i.id)"
)

WORKLIST_SQL = f"""
SELECT tc.id, tc.state, tc.version, tc.updated_at, tc.appeal_deadline, tc.review_due_on,
       i.id, i.name, i.case_number, u.username, {NATIONALITIES}
FROM transfers_transfercase tc
JOIN inmates_inmate i ON i.id = tc.inmate_id
JOIN auth_user u ON u.id = tc.caseworker_id
WHERE tc.caseworker_id = %(caseworker)s AND tc.closed_at IS NULL
ORDER BY tc.updated_at DESC, tc.id DESC
LIMIT 50
"""  # noqa: S608 (constant fragments)

INMATE_SEARCH_SQL = f"""
SELECT i.id, i.case_number, i.name, i.date_of_birth, i.security_level, i.home_institution,
       {NATIONALITIES},
       (SELECT j.full_term_date FROM inmates_judgment j WHERE j.inmate_id = i.id
        ORDER BY j.judgment_date DESC, j.id DESC LIMIT 1),
       EXISTS (SELECT 1 FROM cells_placement p WHERE p.inmate_id = i.id AND p.kind = 'placement'
               AND p.period @> current_date AND p.end_reason <> 'cancelled')
FROM inmates_inmate i
WHERE upper(i.name) LIKE upper(%(pattern)s) OR upper(i.case_number) LIKE upper(%(pattern)s)
ORDER BY i.name, i.case_number, i.id
LIMIT 50
"""  # noqa: S608 (constant fragments)

CASE_SQL = """
SELECT row_to_json(tc), i.name, i.case_number, u.username,
       (SELECT json_agg(e ORDER BY e.at, e.id) FROM transfers_caseevent e WHERE e.case_id = tc.id),
       (SELECT row_to_json(s) FROM transfers_screening s WHERE s.inmate_id = tc.inmate_id
        ORDER BY s.id DESC LIMIT 1)
FROM transfers_transfercase tc
JOIN inmates_inmate i ON i.id = tc.inmate_id
JOIN auth_user u ON u.id = tc.caseworker_id
WHERE tc.id = %(case)s
"""

INMATE_SQL = """
SELECT row_to_json(i),
       (SELECT json_agg(j ORDER BY j.judgment_date DESC) FROM inmates_judgment j
        WHERE j.inmate_id = i.id),
       (SELECT json_agg(x) FROM inmates_expulsionorder x WHERE x.inmate_id = i.id),
       (SELECT json_agg(p ORDER BY p.period DESC) FROM cells_placement p WHERE p.inmate_id = i.id),
       (SELECT json_agg(tc ORDER BY tc.created_at DESC) FROM transfers_transfercase tc
        WHERE tc.inmate_id = i.id),
       (SELECT array_agg(n.country_id) FROM inmates_inmate_nationalities n
        WHERE n.inmate_id = i.id)
FROM inmates_inmate i
WHERE i.id = %(inmate)s
"""

FINANCE_DASHBOARD_SQL = """
SELECT json_build_object(
  'years', (SELECT json_agg(y ORDER BY y.year) FROM (
      SELECT extract(year FROM due_on) AS year, stream, status, sum(amount)::float8 AS total
      FROM finance_tranche GROUP BY 1, 2, 3) y),
  'next', (SELECT json_agg(t) FROM (
      SELECT id, stream, due_on, amount::float8, status FROM finance_tranche
      WHERE status IN ('planned', 'due', 'overdue', 'invoiced', 'approved', 'disputed')
      ORDER BY due_on, stream, id LIMIT 8) t))
"""

TRANCHE_LIST_SQL = """
SELECT t.id, t.stream, t.period_start, t.period_end, t.due_on, t.amount::float8, t.currency,
       t.status, t.version, t.invoice_reference, t.agreement_id
FROM finance_tranche t
ORDER BY t.due_on, t.stream, t.id
LIMIT 50
"""

# Occupied place-days and rent owed pro rata by quarter: what the cost report computes.
COST_SQL = """
WITH q AS (
    SELECT d::date AS lo, least((d + interval '3 months')::date, %(last)s::date + 1) AS hi
    FROM generate_series(%(first)s::date, %(last)s::date, interval '3 months') AS d
)
SELECT q.lo, q.hi,
       (SELECT coalesce(sum(least(coalesce(upper(p.period), q.hi), q.hi)
                            - greatest(lower(p.period), q.lo)), 0)
        FROM cells_placement p
        WHERE p.kind = 'placement' AND p.end_reason <> 'cancelled'
          AND p.period && daterange(q.lo, q.hi)),
       (SELECT coalesce(sum(t.amount * (least(t.period_end, q.hi) - greatest(t.period_start, q.lo))
                            / (t.period_end - t.period_start)), 0)::float8
        FROM finance_tranche t
        WHERE t.stream = 'rent' AND t.period_start < q.hi AND t.period_end > q.lo)
FROM q
"""


def series_sql() -> str:
    from program.cells import occupancy

    return occupancy._SERIES_SQL


def series_params(ctx: Context, first: date, last: date) -> dict[str, Any]:
    from program.cells import occupancy

    return occupancy._params(ctx.agreement_id, None, first=first, last=last)


class Limit:
    """One psycopg connection of its own; fetch the rows and serialise them with orjson."""

    def __init__(self, url: str) -> None:
        self.connection = psycopg.connect(url, autocommit=True)

    def run(self, sql: str, params: dict[str, Any]) -> bytes:
        rows = self.connection.execute(sql, params, prepare=False).fetchall()
        return orjson.dumps(rows, default=str)

    def close(self) -> None:
        self.connection.close()


# --- The peer: the Django admin -----------------------------------------------------------------


def register_bench_admins() -> None:
    """ModelAdmins for the models the project keeps out of the admin, as a developer would first
    write them (list columns, filters, search, related rows joined), on the real admin site.

    Only in the bench process, and before the URLconf is first imported, so that the admin's
    URLs include them and the peer is fetched by URL like the others.
    """
    from finance.models import Tranche
    from program.cells.models import Placement
    from program.inmates.models import Inmate
    from transfers.models import TransferCase

    class InmateAdmin(admin.ModelAdmin):
        list_display = ["case_number", "name", "security_level", "home_institution"]
        list_filter = ["security_level", "interpreter_needed"]
        search_fields = ["case_number", "name"]
        filter_horizontal = ["nationalities"]

    class PlacementAdmin(admin.ModelAdmin):
        list_display = ["inmate", "place", "kind", "period", "end_reason"]
        list_select_related = ["inmate", "place__cell"]
        list_filter = ["kind", "end_reason"]

    class TransferCaseAdmin(admin.ModelAdmin):
        list_display = ["id", "inmate", "state", "caseworker", "updated_at", "appeal_deadline"]
        list_filter = ["state", "caseworker", ("closed_at", admin.EmptyFieldListFilter)]
        list_select_related = ["inmate", "caseworker"]
        search_fields = ["inmate__name", "inmate__case_number"]
        ordering = ["-updated_at", "-id"]

    class TrancheAdmin(admin.ModelAdmin):
        list_display = ["id", "stream", "period_start", "period_end", "due_on", "amount", "status"]
        list_filter = ["stream", "status"]
        ordering = ["due_on", "stream", "id"]

    for model, model_admin in (
        (Inmate, InmateAdmin),
        (Placement, PlacementAdmin),
        (TransferCase, TransferCaseAdmin),
        (Tranche, TrancheAdmin),
    ):
        if not admin.site.is_registered(model):
            admin.site.register(model, model_admin)


class Peer:
    """The admin's pages, fetched by URL as the superuser, with the pages' page size."""

    def __init__(self) -> None:
        superuser = get_user_model().objects.filter(is_superuser=True).order_by("pk").first()
        if superuser is None:
            raise RuntimeError("The demo's admin user is missing.")
        self.client = Client()
        self.client.force_login(superuser)
        self._second_factor(superuser)
        for model_admin in admin.site._registry.values():
            setattr(model_admin, "list_per_page", PAGE_SIZE)  # noqa: B010 (an instance attribute)

    def _second_factor(self, superuser: Any) -> None:
        """Administrators must give a second factor: mark this session as having given it
        (as after a verified sign-in), or every admin page would answer with a redirect."""
        from django_otp import DEVICE_ID_SESSION_KEY
        from django_otp.plugins.otp_totp.models import TOTPDevice

        device, _created = TOTPDevice.objects.get_or_create(
            user=superuser, name="bench", defaults={"confirmed": True}
        )
        session = self.client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()

    def url(self, url: str) -> Callable[[], Any]:
        return lambda: self.client.get(url)


def targets(ctx: Context, peer: Peer) -> list[Target]:
    worklist_peer = peer.url(
        f"/admin/transfers/transfercase/?caseworker__id__exact={ctx.caseworker_id}"
        "&closed_at__isempty=1"
    )
    inmate_search_peer = peer.url(f"/admin/inmates/inmate/?q={SEARCH}")
    tranche_peer = peer.url("/admin/finance/tranche/")
    placement_peer = peer.url("/admin/cells/placement/")
    pattern = {"pattern": f"%{SEARCH}%"}
    year_ago = ctx.today - timedelta(days=364)
    return [
        Target(
            "caseworker worklist (mine, open)",
            "page",
            "caseworker",
            "/cases/?scope=mine",
            WORKLIST_SQL,
            {"caseworker": ctx.caseworker_id},
            worklist_peer,
            "TransferCase changelist (bench ModelAdmin)",
            is_list=True,
        ),
        Target(
            "transfer-cases API (mine)",
            "api",
            "caseworker",
            "/api/v1/transfer-cases/?mine=true",
            WORKLIST_SQL,
            {"caseworker": ctx.caseworker_id},
            worklist_peer,
            "TransferCase changelist (bench ModelAdmin)",
            is_list=True,
        ),
        Target(
            f"inmate list, search '{SEARCH}'",
            "page",
            "caseworker",
            f"/inmates/?search={SEARCH}",
            INMATE_SEARCH_SQL,
            pattern,
            inmate_search_peer,
            "Inmate changelist ?q=",
            is_list=True,
        ),
        Target(
            "inmates API, search",
            "api",
            "caseworker",
            f"/api/v1/inmates/?search={SEARCH}",
            INMATE_SEARCH_SQL,
            pattern,
            inmate_search_peer,
            "Inmate changelist ?q=",
            is_list=True,
        ),
        Target(
            "case page",
            "page",
            "caseworker",
            f"/cases/{ctx.case_id}/",
            CASE_SQL,
            {"case": ctx.case_id},
        ),
        Target(
            "inmate page",
            "page",
            "caseworker",
            f"/inmates/{ctx.inmate_id}/",
            INMATE_SQL,
            {"inmate": ctx.inmate_id},
            peer.url(f"/admin/inmates/inmate/{ctx.inmate_id}/change/"),
            "Inmate change form",
        ),
        Target(
            "occupancy dashboard",
            "page",
            "occupancy_admin",
            "/programme/occupancy/",
            series_sql(),
            series_params(ctx, year_ago, ctx.today),
            placement_peer,
            "Placement changelist",
        ),
        Target(
            "occupancy API (last year)",
            "api",
            "occupancy_admin",
            "/api/v1/occupancy/",
            series_sql(),
            series_params(ctx, year_ago, ctx.today),
            placement_peer,
            "Placement changelist",
        ),
        Target(
            "finance dashboard",
            "page",
            "finance_officer",
            "/finance/",
            FINANCE_DASHBOARD_SQL,
            {},
            tranche_peer,
            "Tranche changelist (bench ModelAdmin)",
        ),
        Target(
            "tranches API",
            "api",
            "finance_officer",
            "/api/v1/tranches/",
            TRANCHE_LIST_SQL,
            {},
            tranche_peer,
            "Tranche changelist (bench ModelAdmin)",
            is_list=True,
        ),
        Target(
            "occupancy series, ten years by day (API)",
            "report",
            "occupancy_admin",
            f"/api/v1/occupancy/?from={ctx.ten_years_ago}&to={ctx.today}",
            series_sql(),
            series_params(ctx, ctx.ten_years_ago, ctx.today),
        ),
        Target(
            "cost per place-day, ten years (API)",
            "report",
            "finance_officer",
            f"/api/v1/finance-reports/cost-per-place-day/?from={ctx.ten_years_ago}&to={ctx.today}",
            COST_SQL,
            {"first": ctx.ten_years_ago, "last": ctx.today},
        ),
    ]

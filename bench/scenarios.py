"""The measurements of one scale: pages and API lists beside their limit and peer, the ten-year
reports, the nightly sweep, a 10,000-row import and the access log's cost on a person's page."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from functools import partial
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.test import Client
from django.utils import timezone

from bench import measure
from bench.floor import FLOOR_URL, install_floor
from bench.targets import Context, Limit, Peer, Target, targets

IMPORT_ROWS = 10_000
# The access log's cost is a difference of a few per cent between two p50s: measured over at
# least this many alternating pairs, whatever RUNS says, so that noise does not decide it.
ACCESS_LOG_RUNS = 100


def context(url: str) -> Context:
    from program.cells.models import Agreement
    from program.inmates.models import Inmate
    from transfers.models import TransferCase

    caseworker = get_user_model().objects.get(username="caseworker")
    cases = TransferCase.objects.filter(caseworker=caseworker, closed_at__isnull=True)
    case = (
        cases.filter(inmate__case_number__startswith="BX-").order_by("pk").first()
        or cases.order_by("pk").first()
    )
    # A person with a history: a past stay at Gjilan and a transfer case.
    inmate = (
        Inmate.objects.filter(placements__isnull=False, transfer_cases__isnull=False)
        .order_by("pk")
        .first()
    )
    agreement = Agreement.objects.order_by("signed_on", "pk").first()
    if case is None or inmate is None or agreement is None:
        raise RuntimeError("The bench database lacks the demo's case, inmate or agreement.")
    return Context(
        caseworker_id=caseworker.pk,
        case_id=case.pk,
        inmate_id=inmate.pk,
        agreement_id=agreement.pk,
        today=timezone.localdate(),
        database_url=url,
    )


def _clients(ctx: Context) -> dict[str, Client]:
    from program.audit.purpose import SESSION_KEY

    clients: dict[str, Client] = {}
    for username in ("caseworker", "occupancy_admin", "finance_officer"):
        client = Client()
        client.force_login(get_user_model().objects.get(username=username))
        if username == "caseworker":
            # The purpose is chosen once per record per session; chosen already, as after the
            # first visit.
            session = client.session
            session[SESSION_KEY] = {
                f"inmate:{ctx.inmate_id}": "case work",
                f"transfercase:{ctx.case_id}": "case work",
            }
            session.save()
        clients[username] = client
    return clients


def _ratio(a: float | None, b: float | None) -> float | None:
    return round(a / b, 2) if a is not None and b else None


def _row(target: Target, clients: dict[str, Client], limit: Limit, runs: int) -> dict[str, Any]:
    client = clients[target.role]
    system = measure.time_django(lambda: client.get(target.url), runs)
    row: dict[str, Any] = {
        "label": target.label,
        "group": target.group,
        "role": target.role,
        "is_list": target.is_list,
        "url": target.url,
        "system": system.as_dict(),
    }
    if target.limit_sql is not None:
        sql, params = target.limit_sql, target.limit_params or {}
        row["limit"] = measure.time_plain(lambda: limit.run(sql, params), runs).as_dict()
        row["x_limit"] = _ratio(system.median_ms, row["limit"]["median_ms"])
    if target.peer is not None:
        peer = measure.time_django(target.peer, runs)
        row["peer"] = peer.as_dict() | {"what": target.peer_label}
        row["peer_speedup"] = _ratio(peer.median_ms, system.median_ms)
    print(
        f"  {target.label:<44} {system.median_ms:8.1f} ms  {system.queries:>3} q  "
        f"HTTP {system.status}",
        flush=True,
    )
    return row


def _floors(clients: dict[str, Client], runs: int) -> list[dict[str, Any]]:
    """The floor for each role the pages are fetched as: the base template alone, signed in.

    A role with work queues pays one query more, the header's queue counts; the row says so
    and its budget allows exactly that one (bench.report)."""
    from program.core.roles import user_roles
    from program.core.work_queues import queues_for

    rows = []
    for role, client in clients.items():
        user = get_user_model().objects.get(username=role)
        header_queries = 1 if queues_for(user_roles(user)) else 0
        figure = measure.time_django(partial(client.get, FLOOR_URL), runs)
        print(
            f"  {'floor (' + role + ')':<44} {figure.median_ms:8.1f} ms  {figure.queries:>3} q  "
            f"HTTP {figure.status}",
            flush=True,
        )
        rows.append(
            {
                "label": f"floor: base template only, signed in ({role})",
                "group": "floor",
                "role": role,
                "url": FLOOR_URL,
                "header_queries": header_queries,
                "system": figure.as_dict(),
            }
        )
    return rows


def _with_floor(rows: list[dict[str, Any]], floors: list[dict[str, Any]]) -> None:
    """Each page's floor: the p50 of the floor fetched as the same role, in the same run."""
    by_role = {row["role"]: row["system"]["median_ms"] for row in floors}
    for row in rows:
        if row.get("role") in by_role:
            row["floor_ms"] = by_role[row["role"]]


def _series_direct(ctx: Context, runs: int) -> dict[str, Any]:
    from program.cells import occupancy
    from program.cells.models import Agreement

    agreement = Agreement.objects.get(pk=ctx.agreement_id)
    figure = measure.time_django(
        lambda: occupancy.occupancy_series(
            start=ctx.ten_years_ago, end=ctx.today, agreement=agreement
        ),
        runs,
    )
    return {
        "label": "occupancy series, ten years by day (function)",
        "group": "report",
        "system": figure.as_dict(),
    }


def _sweep(batch_runs: int) -> dict[str, Any]:
    from transfers import selectors, services

    population = len(selectors.sweep_population(on=timezone.localdate()))
    stored: list[int] = []

    def run() -> None:
        stored.append(services.sweep_run())

    figure = measure.time_django(run, batch_runs, warm_up=0)
    print(f"  nightly sweep over {population:,}: {figure.median_ms / 1000:.1f} s", flush=True)
    return {
        "label": f"nightly eligibility sweep ({population:,} to screen, nothing changed)",
        "group": "batch",
        "population": population,
        "stored": stored,
        "system": figure.as_dict(),
    }


@contextmanager
def _rolled_back() -> Iterator[None]:
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def import_file(rows: int) -> bytes:
    """A candidate file of `rows` new people, in the registry's CSV columns."""
    from program.inmates.csv_import import REQUIRED_COLUMNS

    columns = (*REQUIRED_COLUMNS, "return_readmits_reason")

    lines = [",".join(columns)]
    origins = ["MA", "DZ", "TN", "IQ", "NG", "PK", "TR", "RS", "AL", "VN"]
    for n in range(rows):
        origin = origins[n % len(origins)]
        values = {
            "case_number": f"IMP-{n:07d}",
            "name": f"Imported Candidate {n}",
            "date_of_birth": date(1970 + n % 30, 1 + n % 12, 1 + n % 28).isoformat(),
            "sex": "M",
            "nationalities": origin,
            "languages": "English",
            "interpreter_needed": "no",
            "country_of_return": origin,
            "return_readmits": "yes",
            "return_readmits_reason": "Passport on file",
            "security_level": ["low", "medium", "high"][n % 3],
            "serious_mental_disorder": "no",
            "specialist_treatment": "no",
            "minor_children_visiting": "no",
            "home_institution": "Vestre Prison",
        }
        lines.append(",".join(values[column] for column in columns))
    return ("\n".join(lines) + "\n").encode()


def _import(batch_runs: int) -> dict[str, Any]:
    """Parse (every check), plan and apply a 10,000-row file; rolled back after each run."""
    from program.inmates import selectors as inmates_selectors
    from transfers import intake, selectors, services

    data = import_file(IMPORT_ROWS)
    actor = get_user_model().objects.get(username="caseworker")
    steps: dict[str, list[float]] = {"parse": [], "plan": [], "apply": []}
    results: list[Any] = []

    def run() -> None:
        with _rolled_back():
            started = time.perf_counter()
            parsed = intake.parse(data, known_countries=inmates_selectors.country_codes())
            if parsed.problems:
                raise RuntimeError(f"The bench file was refused: {parsed.problems[:3]}")
            planned = time.perf_counter()
            selectors.intake_plan(rows=parsed.rows)
            applied = time.perf_counter()
            results.append(services.candidates_intake(rows=parsed.rows, actor=actor))
            done = time.perf_counter()
        steps["parse"].append(planned - started)
        steps["plan"].append(applied - planned)
        steps["apply"].append(done - applied)

    figure = measure.time_django(run, batch_runs, warm_up=0)
    print(f"  import of {IMPORT_ROWS:,} rows: {figure.median_ms / 1000:.1f} s", flush=True)
    return {
        "label": f"import of a {IMPORT_ROWS:,}-row transfer file (parse, plan, apply)",
        "group": "batch",
        "steps_s": {name: sorted(values) for name, values in steps.items()},
        "result": str(results[-1]) if results else "",
        "system": figure.as_dict(),
    }


def _access_log_overhead(ctx: Context, clients: dict[str, Client], runs: int) -> dict[str, Any]:
    """The inmate page with its access-log write and with the write replaced by nothing."""
    from program.inmates import views

    client = clients["caseworker"]
    url = f"/inmates/{ctx.inmate_id}/"
    # The name as the view module sees it (imported there), so patch it there.
    real: Callable[..., Any] = getattr(views, "access_log_record")  # noqa: B009

    def without() -> Any:
        setattr(views, "access_log_record", lambda **kwargs: None)  # noqa: B010
        try:
            return client.get(url)
        finally:
            setattr(views, "access_log_record", real)  # noqa: B010

    runs = max(runs, ACCESS_LOG_RUNS)
    logged, unlogged = measure.time_alternating(lambda: client.get(url), without, runs)
    overhead = (logged.median_ms - unlogged.median_ms) / unlogged.median_ms * 100
    print(f"  access log on the inmate page: {overhead:+.1f} %", flush=True)
    return {
        "label": "inmate page: access-log write",
        "runs": runs,
        "with_ms": logged.as_dict(),
        "without_ms": unlogged.as_dict(),
        "overhead_percent": round(overhead, 1),
    }


def _list_access_log_overhead(
    ctx: Context, clients: dict[str, Client], runs: int
) -> list[dict[str, Any]]:
    """The inmate list (page and API, a full page of 50) with its access-log row, which names
    everyone on the page, and with that write (and the bulk-read check after it) replaced by
    nothing. The bulk-read alert is left at its setting: a reader past it pays the check."""
    from program.audit import listing

    client = clients["caseworker"]
    real: Callable[..., Any] = getattr(listing, "access_log_list")  # noqa: B009
    figures = []
    for label, url in (
        ("inmate list page", "/inmates/?order=name&page=3"),
        ("inmates API list", "/api/v1/inmates/?ordering=name&page=3"),
    ):

        def nothing(**kwargs: Any) -> None:
            return None

        def with_log(url: str = url) -> Any:
            return client.get(url)

        def without(url: str = url) -> Any:
            setattr(listing, "access_log_list", nothing)  # noqa: B010
            try:
                return client.get(url)
            finally:
                setattr(listing, "access_log_list", real)  # noqa: B010

        logged, unlogged = measure.time_alternating(with_log, without, max(runs, ACCESS_LOG_RUNS))
        overhead = (logged.median_ms - unlogged.median_ms) / unlogged.median_ms * 100
        print(
            f"  access log on the {label}: {logged.median_ms:.1f} ms with, "
            f"{unlogged.median_ms:.1f} ms without: {overhead:+.1f} %",
            flush=True,
        )
        figures.append(
            {
                "label": f"{label}: access-log row naming 50 people",
                "runs": max(runs, ACCESS_LOG_RUNS),
                "with_ms": logged.as_dict(),
                "without_ms": unlogged.as_dict(),
                "overhead_percent": round(overhead, 1),
            }
        )
    return figures


def access_log_only(*, url: str, runs: int) -> dict[str, Any]:
    install_floor()
    ctx = context(url)
    clients = _clients(ctx)
    access = _access_log_overhead(ctx, clients, runs)
    access["lists"] = _list_access_log_overhead(ctx, clients, runs)
    return access


def measure_all(*, url: str, runs: int, batch_runs: int) -> dict[str, Any]:
    install_floor()
    ctx = context(url)
    clients = _clients(ctx)
    peer = Peer()
    limit = Limit(url)
    try:
        print("The floor (base template only, signed in):", flush=True)
        floors = _floors(clients, runs)
        print("Pages and API lists (system, limit, peer):", flush=True)
        rows = [_row(target, clients, limit, runs) for target in targets(ctx, peer)]
        _with_floor(rows, floors)
        rows = floors + rows
        rows.append(_series_direct(ctx, runs))
        print("Batch jobs:", flush=True)
        rows.append(_sweep(batch_runs))
        rows.append(_import(batch_runs))
        access = _access_log_overhead(ctx, clients, runs)
        access["lists"] = _list_access_log_overhead(ctx, clients, runs)
    finally:
        limit.close()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (SELECT count(*) FROM inmates_inmate), "
            "(SELECT count(*) FROM transfers_transfercase), "
            "(SELECT count(*) FROM transfers_caseevent), "
            "(SELECT count(*) FROM cells_placement), "
            "(SELECT count(*) FROM finance_tranche), "
            "(SELECT count(*) FROM audit_accesslogentry), "
            "(SELECT count(*) FROM transfers_screening)"
        )
        counts = cursor.fetchone() or ()
    names = [
        "inmates",
        "cases",
        "case_events",
        "placements",
        "tranches",
        "access_log",
        "screenings",
    ]
    return {
        "runs": runs,
        "batch_runs": batch_runs,
        "rows": rows,
        "access_log": access,
        "counts": dict(zip(names, counts, strict=False)),
    }

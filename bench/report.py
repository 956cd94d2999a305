"""The tables `make bench` prints and saves, with each budget marked met or missed."""

from __future__ import annotations

from typing import Any

# The budgets (README, "Benchmark"), all checked against figures of the same run.
LIMIT_FACTOR = 2.0  # p50 ≤ floor + 2 × the hand-written limit + 5 ms
SLACK_MS = 5.0
MAX_P95_OVER_P50 = 2.0
MIN_PEER_SPEEDUP = 2.0  # list pages and API lists: at least 2× faster than the admin's list
MAX_QUERIES = 10
# The floor: session and user (roles, device, unread count with it); a role with work queues
# pays one more, the header's queue counts (program.core.work_queues), stated on its floor row
# as "header_queries".
MAX_FIXED_QUERIES = 2
MAX_GROWTH = 1.5  # every figure from the smallest to the largest scale
SERIES_BUDGET_MS = 100.0
SWEEP_BUDGET_MS = 10_000.0
IMPORT_BUDGET_MS = 6_000.0
ACCESS_LOG_BUDGET_PERCENT = 10.0
ACCESS_LOG_MIN_RUNS = 100


def _ms(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value:,.0f}" if value >= 100 else f"{value:.1f}"


def _x(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}×"


def _mark(ok: bool | None) -> str:
    return "" if ok is None else ("ok" if ok else "MISSED")


def p50_budget_ms(row: dict[str, Any]) -> float | None:
    """floor + 2 × limit + 5 ms for a row with a floor and a limit, else None."""
    floor, limit = row.get("floor_ms"), (row.get("limit") or {}).get("median_ms")
    if floor is None or limit is None:
        return None
    return float(floor) + LIMIT_FACTOR * float(limit) + SLACK_MS


def row_budgets(row: dict[str, Any]) -> list[tuple[str, bool]]:
    """(budget, met) for one measured row."""
    system = row["system"]
    checks: list[tuple[str, bool]] = []
    if system.get("status") not in (None, 200):
        checks.append((f"HTTP {system['status']} (not measured as a page)", False))
    peer_status = (row.get("peer") or {}).get("status")
    if peer_status not in (None, 200):
        checks.append((f"admin HTTP {peer_status}", False))
    if row["group"] == "floor":
        fixed = MAX_FIXED_QUERIES + int(row.get("header_queries", 0))
        checks.append((f"≤{fixed} queries", (system["queries"] or 0) <= fixed))
    if row["group"] in ("page", "api", "report", "floor"):
        budget = p50_budget_ms(row)
        if budget is not None:
            checks.append((f"p50≤{_ms(budget)}", system["median_ms"] <= budget))
        checks.append(("p95≤2×p50", system["p95_ms"] <= MAX_P95_OVER_P50 * system["median_ms"]))
    if row["group"] in ("page", "api"):
        if row.get("is_list") and row.get("peer_speedup") is not None:
            checks.append(("≥2× faster than admin", row["peer_speedup"] >= MIN_PEER_SPEEDUP))
        checks.append(("≤10 queries", (system["queries"] or 0) <= MAX_QUERIES))
    if row["label"].startswith("occupancy series, ten years"):
        checks.append(("<100 ms", system["median_ms"] < SERIES_BUDGET_MS))
    if row["group"] == "batch":
        if "population" in row:
            checks.append(("<10 s", system["median_ms"] < SWEEP_BUDGET_MS))
        else:
            checks.append(("<6 s", system["median_ms"] < IMPORT_BUDGET_MS))
    return checks


def _access_budgets(access: dict[str, Any]) -> list[tuple[str, bool]]:
    lines = [access, *access.get("lists", [])]
    return [
        (
            f"access log {line['label']} ≤10 % over ≥{ACCESS_LOG_MIN_RUNS} runs",
            line["overhead_percent"] <= ACCESS_LOG_BUDGET_PERCENT
            and line.get("runs", 0) >= ACCESS_LOG_MIN_RUNS,
        )
        for line in lines
    ]


def verdicts(result: dict[str, Any]) -> list[tuple[str, str, bool]]:
    """(what, budget, met) for every budget of one scale's run."""
    found = [(row["label"], name, ok) for row in result["rows"] for name, ok in row_budgets(row)]
    found += [("access log", name, ok) for name, ok in _access_budgets(result["access_log"])]
    return found


def verdict_lines(result: dict[str, Any]) -> list[str]:
    found = verdicts(result)
    missed = [(what, name) for what, name, ok in found if not ok]
    lines = [f"Budgets: {len(found) - len(missed)} of {len(found)} met."]
    lines += [f"- MISSED: {what}: {name}" for what, name in missed]
    return lines


def access_log_line(access: dict[str, Any]) -> str:
    ok = access["overhead_percent"] <= ACCESS_LOG_BUDGET_PERCENT
    return (
        f"Access log on the inmate page: p50 {_ms(access['with_ms']['median_ms'])} ms with the "
        f"write, {_ms(access['without_ms']['median_ms'])} ms without, over "
        f"{access.get('runs', '?')} alternating pairs: "
        f"{access['overhead_percent']:+.1f} % (budget ≤10 %: {_mark(ok)})."
    ) + "".join(
        f"\nAccess log on the {line['label']}: p50 {_ms(line['with_ms']['median_ms'])} ms "
        f"with, {_ms(line['without_ms']['median_ms'])} ms without, over "
        f"{line.get('runs', '?')} pairs: {line['overhead_percent']:+.1f} % "
        f"(budget ≤10 %: {_mark(line['overhead_percent'] <= ACCESS_LOG_BUDGET_PERCENT)})."
        for line in access.get("lists", [])
    )


def scale_markdown(result: dict[str, Any]) -> str:
    counts = result.get("counts", {})
    lines = [
        f"# Benchmark at {result['scale']:,} inmates ({result['database']})",
        "",
        f"Machine: {result['machine']}. Started {result['started']}. "
        f"{result['runs']} timed runs per page after a warm-up of 2; "
        f"{result['batch_runs']} runs of each batch job. Server time in process (Django test "
        "client, no network); times in ms.",
        "",
        "Rows: " + ", ".join(f"{name} {value:,}" for name, value in counts.items()),
        "",
        "The floor is a signed-in page rendering only the base template, fetched as the same "
        "role in the same run; a page's p50 budget is floor + 2 × limit + 5 ms.",
        "",
        "| what | p50 | p95 | queries | floor p50 | limit p50 | p50 budget | admin p50 "
        "| admin ÷ system | budgets |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for row in result["rows"]:
        system = row["system"]
        limit = row.get("limit") or {}
        peer = row.get("peer") or {}
        budgets = ", ".join(f"{name} {_mark(ok)}" for name, ok in row_budgets(row))
        lines.append(
            f"| {row['label']} | {_ms(system['median_ms'])} | {_ms(system['p95_ms'])} "
            f"| {system['queries'] if row['group'] != 'batch' else '–'} "
            f"| {_ms(row.get('floor_ms'))} | {_ms(limit.get('median_ms'))} "
            f"| {_ms(p50_budget_ms(row))} "
            f"| {_ms(peer.get('median_ms'))} | {_x(row.get('peer_speedup'))} | {budgets} |"
        )
    lines += [
        "",
        access_log_line(result["access_log"]),
        "",
        *verdict_lines(result),
        "",
        "Peers: "
        + "; ".join(
            sorted(
                {
                    f"{row['label']} → {row['peer']['what']}"
                    for row in result["rows"]
                    if "peer" in row
                }
            )
        )
        + ".",
    ]
    batch = [row for row in result["rows"] if row["group"] == "batch"]
    for row in batch:
        if "steps_s" in row:
            medians = {k: sorted(v)[len(v) // 2] for k, v in row["steps_s"].items() if v}
            lines.append(
                "Import steps (median s): "
                + ", ".join(f"{name} {seconds:.2f}" for name, seconds in medians.items())
                + f"; result {row['result']}."
            )
    seeded = result.get("seed_seconds") or {}
    if seeded:
        lines.append(
            "Seeding (s, once per database): "
            + ", ".join(f"{name} {seconds:.1f}" for name, seconds in seeded.items())
            + "."
        )
    return "\n".join(lines) + "\n"


def growth_markdown(results: list[dict[str, Any]]) -> str:
    """Each figure at each scale, and the growth from the smallest to the largest scale."""
    results = sorted(results, key=lambda result: result["scale"])
    scales = [result["scale"] for result in results]
    header = " | ".join(f"{scale:,} p50 (q)" for scale in scales)
    lines = [
        "# Growth with the data",
        "",
        f"| what | {header} | growth | budget |",
        "|---|" + "---:|" * len(scales) + "---:|---|",
    ]
    for index in range(len(results[-1]["rows"])):
        rows = [result["rows"][index] for result in results]
        cells = []
        for row in rows:
            queries = row["system"]["queries"] if row["group"] != "batch" else None
            suffix = f" ({queries})" if queries is not None else ""
            cells.append(f"{_ms(row['system']['median_ms'])}{suffix}")
        first, last = rows[0]["system"]["median_ms"], rows[-1]["system"]["median_ms"]
        growth = last / first if first else None
        budget = ""
        if growth is not None:
            budget = f"≤1.5× {_mark(growth <= MAX_GROWTH)}"
        if rows[0]["group"] in ("page", "api", "floor") and growth is not None:
            same_queries = len({row["system"]["queries"] for row in rows}) == 1
            budget += f", queries flat {_mark(same_queries)}"
        if "population" in rows[0] and growth is not None:
            data_growth = rows[-1]["population"] / max(rows[0]["population"], 1)
            budget = f"≤ linear ({data_growth:.1f}× data) {_mark(growth <= data_growth)}"
        lines.append(f"| {rows[-1]['label']} | {' | '.join(cells)} | {_x(growth)} | {budget} |")
    access = " | ".join(f"{result['access_log']['overhead_percent']:+.1f} %" for result in results)
    lines.append(f"| access log on the inmate page | {access} | | ≤10 % |")
    lines.append("")
    lines += [
        f"- {result['scale']:,}: {result.get('machine', '')}, started {result.get('started', '')}"
        for result in results
    ]
    return "\n".join(lines) + "\n"

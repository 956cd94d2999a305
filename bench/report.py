"""The tables `make bench` prints and saves, with each budget of issue 7 marked met or missed."""

from __future__ import annotations

from typing import Any

MAX_X_LIMIT = 2.0  # p50 within 2× the hand-written limit
MIN_PEER_SPEEDUP = 3.0  # and at least 3× faster than the admin
MAX_QUERIES = 10
MAX_GROWTH = 1.5  # page times from the smallest to the largest scale
SERIES_BUDGET_MS = 100.0
BATCH_BUDGET_MS = 10_000.0
ACCESS_LOG_BUDGET_PERCENT = 10.0


def _ms(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value:,.0f}" if value >= 100 else f"{value:.1f}"


def _x(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}×"


def _mark(ok: bool | None) -> str:
    return "" if ok is None else ("ok" if ok else "MISSED")


def row_budgets(row: dict[str, Any]) -> list[tuple[str, bool]]:
    """(budget, met) for one measured row."""
    system = row["system"]
    checks: list[tuple[str, bool]] = []
    if system.get("status") not in (None, 200):
        checks.append((f"HTTP {system['status']} (not measured as a page)", False))
    peer_status = (row.get("peer") or {}).get("status")
    if peer_status not in (None, 200):
        checks.append((f"admin HTTP {peer_status}", False))
    if row["group"] in ("page", "api"):
        if row.get("x_limit") is not None:
            checks.append(("≤2× limit", row["x_limit"] <= MAX_X_LIMIT))
        if row.get("peer_speedup") is not None:
            checks.append(("≥3× faster than admin", row["peer_speedup"] >= MIN_PEER_SPEEDUP))
        checks.append(("≤10 queries", (system["queries"] or 0) <= MAX_QUERIES))
    if row["label"].startswith("occupancy series, ten years"):
        checks.append(("<100 ms", system["median_ms"] < SERIES_BUDGET_MS))
    if row["group"] == "batch":
        checks.append(("<10 s", system["median_ms"] < BATCH_BUDGET_MS))
    return checks


def access_log_line(access: dict[str, Any]) -> str:
    ok = access["overhead_percent"] <= ACCESS_LOG_BUDGET_PERCENT
    return (
        f"Access log on the inmate page: p50 {_ms(access['with_ms']['median_ms'])} ms with the "
        f"write, {_ms(access['without_ms']['median_ms'])} ms without: "
        f"{access['overhead_percent']:+.1f} % (budget ≤10 %: {_mark(ok)})."
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
        "| what | p50 | p95 | queries | limit p50 | ×limit | admin p50 | admin ÷ system "
        "| budgets |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for row in result["rows"]:
        system = row["system"]
        limit = row.get("limit") or {}
        peer = row.get("peer") or {}
        budgets = ", ".join(f"{name} {_mark(ok)}" for name, ok in row_budgets(row))
        lines.append(
            f"| {row['label']} | {_ms(system['median_ms'])} | {_ms(system['p95_ms'])} "
            f"| {system['queries'] if row['group'] != 'batch' else '–'} "
            f"| {_ms(limit.get('median_ms'))} | {_x(row.get('x_limit'))} "
            f"| {_ms(peer.get('median_ms'))} | {_x(row.get('peer_speedup'))} | {budgets} |"
        )
    lines += [
        "",
        access_log_line(result["access_log"]),
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
        if rows[0]["group"] in ("page", "api") and growth is not None:
            same_queries = len({row["system"]["queries"] for row in rows}) == 1
            budget = f"≤1.5× {_mark(growth <= MAX_GROWTH)}, queries flat {_mark(same_queries)}"
        if "population" in rows[0] and growth is not None:
            data_growth = rows[-1]["population"] / max(rows[0]["population"], 1)
            budget = f"≤ linear ({data_growth:.1f}× data) {_mark(growth <= data_growth)}"
        lines.append(f"| {rows[-1]['label']} | {' | '.join(cells)} | {_x(growth)} | {budget} |")
    access = " | ".join(f"{result['access_log']['overhead_percent']:+.1f} %" for result in results)
    lines.append(f"| access log on the inmate page | {access} | | ≤10 % |")
    return "\n".join(lines) + "\n"

"""Finance pages: thin views over the selectors. The route policy decides who reaches each one."""

from dataclasses import dataclass
from decimal import Decimal

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from finance import selectors
from finance.models import Tranche

CHART_HEIGHT = 160  # px of the tallest bar in the dashboard's SVG


@dataclass(frozen=True)
class Bar:
    year: int
    planned: Decimal
    paid: Decimal
    planned_height: int
    paid_height: int
    x: int

    @property
    def planned_y(self) -> int:
        return CHART_HEIGHT - self.planned_height

    @property
    def paid_y(self) -> int:
        return CHART_HEIGHT - self.paid_height


def _bars(rows: list[selectors.YearTotals]) -> list[Bar]:
    top = max((row.planned for row in rows), default=Decimal(0)) or Decimal(1)
    return [
        Bar(
            year=row.year,
            planned=row.planned,
            paid=row.paid,
            planned_height=int(row.planned / top * CHART_HEIGHT),
            paid_height=int(row.paid / top * CHART_HEIGHT),
            x=index * 60,
        )
        for index, row in enumerate(rows)
    ]


def terms(request: HttpRequest) -> HttpResponse:
    return render(request, "finance/terms.html", {"rows": selectors.terms_overview()})


def dashboard(request: HttpRequest) -> HttpResponse:
    years = selectors.totals_by_year()
    streams = selectors.totals_by_stream()
    return render(
        request,
        "finance/dashboard.html",
        {
            "years": years,
            "bars": _bars(years),
            "chart_width": max(len(years), 1) * 60,
            "chart_height": CHART_HEIGHT,
            "streams": streams,
            "everything": sum(streams.values(), start=Decimal("0.00")),
            "next_tranches": selectors.tranches_next(),
            "today": timezone.localdate(),
        },
    )


def _year(raw: str) -> int | None:
    return int(raw) if raw.isdigit() and len(raw) == 4 else None


def schedule(request: HttpRequest) -> HttpResponse:
    stream = request.GET.get("stream", "")
    status = request.GET.get("status", "")
    year = _year(request.GET.get("year", ""))
    tranches = selectors.tranche_list(
        stream=stream if stream in Tranche.Stream.values else "",
        status=status if status in Tranche.Status.values else "",
        year=year,
    )
    return render(
        request,
        "finance/schedule.html",
        {
            "tranches": tranches,
            "streams": Tranche.Stream.choices,
            "statuses": Tranche.Status.choices,
            "chosen": {"stream": stream, "status": status, "year": year or ""},
        },
    )


def tranche_detail(request: HttpRequest, pk: int) -> HttpResponse:
    tranche = get_object_or_404(selectors.tranche_detail_queryset(), pk=pk)
    return render(request, "finance/tranche_detail.html", {"tranche": tranche})

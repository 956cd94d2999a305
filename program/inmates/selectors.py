"""Reads of the inmate registry, shaped for the pages and endpoints that show them.

Every list of inmates starts from inmate_queryset(): the current release date and whether the
inmate is placed today are annotations computed by PostgreSQL, so a page of 50 inmates costs the
same few queries as a page of one.
"""

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from itertools import pairwise
from typing import Any, TypedDict, Unpack

from django.contrib.postgres.expressions import ArraySubquery
from django.db import connection
from django.db.models import (
    BooleanField,
    Exists,
    ExpressionWrapper,
    F,
    OrderBy,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
)
from django.utils import timezone
from django.utils.translation import gettext as _

from program.cells import selectors as cells_selectors
from program.cells.models import Placement
from program.core import json_rows
from program.inmates.csv_import import InmateRow
from program.inmates.models import (
    Country,
    ExpulsionOrder,
    Inmate,
    Judgment,
    NonAssociation,
    OffenceCategory,
)

# Filter flags of the inmate list: each is a condition the inmate must meet (all that are chosen).
FLAGS: dict[str, Q] = {
    "interpreter": Q(interpreter_needed=True),
    "medical": Q(serious_mental_disorder=True) | Q(specialist_treatment=True),
    "children": Q(minor_children_visiting=True),
}

# Sort keys of the inmate list; each ends on the primary key so pages never overlap.
ORDERINGS: dict[str, tuple[OrderBy, ...]] = {
    "name": (F("name").asc(), F("case_number").asc(), F("pk").asc()),
    "-name": (F("name").desc(), F("case_number").desc(), F("pk").desc()),
    "case_number": (F("case_number").asc(), F("pk").asc()),
    "-case_number": (F("case_number").desc(), F("pk").desc()),
    "release_date": (F("release_date").asc(nulls_last=True), F("name").asc(), F("pk").asc()),
    "-release_date": (F("release_date").desc(nulls_last=True), F("name").asc(), F("pk").asc()),
}


def inmate_queryset(*, today: date | None = None) -> QuerySet[Inmate]:
    """All inmates with release_date (the combined full-term date of all their judgments, None
    for life and forvaring) and is_placed (in a place today), nationalities prefetched."""
    today = today or timezone.localdate()
    placed_today = Placement.objects.filter(
        inmate=OuterRef("pk"), kind=Placement.Kind.PLACEMENT, period__contains=today
    ).exclude(end_reason=Placement.EndReason.CANCELLED)
    return (
        Inmate.objects.select_related("country_of_return")
        .prefetch_related(Prefetch("nationalities", queryset=Country.objects.order_by("code")))
        .annotate(
            release_date=F("release_on"),
            is_placed=Exists(placed_today),
        )
    )


def inmate_filter(
    queryset: QuerySet[Inmate],
    *,
    search: str = "",
    nationality: str = "",
    institution: str = "",
    release_from: date | None = None,
    release_to: date | None = None,
    flags: Collection[str] = (),
    placed: bool | None = None,
) -> QuerySet[Inmate]:
    """Narrow an inmate_queryset(); the release window is inclusive at both ends."""
    search = search.strip()
    if search:
        queryset = queryset.filter(Q(name__icontains=search) | Q(case_number__icontains=search))
    if nationality:
        queryset = queryset.filter(
            Exists(
                Inmate.nationalities.through.objects.filter(
                    inmate_id=OuterRef("pk"), country_id=nationality.upper()
                )
            )
        )
    if institution:
        queryset = queryset.filter(home_institution__iexact=institution.strip())
    # release_date and is_placed are annotations of inmate_queryset(), hence the Q objects.
    if release_from is not None:
        queryset = queryset.filter(Q(release_date__gte=release_from))
    if release_to is not None:
        queryset = queryset.filter(Q(release_date__lte=release_to))
    for flag in flags:
        queryset = queryset.filter(FLAGS[flag])
    if placed is not None:
        queryset = queryset.filter(Q(is_placed=placed))
    return queryset


class InmateFilters(TypedDict, total=False):
    """The filters of the inmate list: inmate_filter's keyword arguments."""

    search: str
    nationality: str
    institution: str
    release_from: date | None
    release_to: date | None
    flags: Collection[str]
    placed: bool | None


def inmate_list(*, order: str = "name", **filters: Unpack[InmateFilters]) -> QuerySet[Inmate]:
    """The inmate list: filtered, annotated and sorted (an unknown sort key sorts by name)."""
    queryset = inmate_filter(inmate_queryset(), **filters)
    return queryset.order_by(*ORDERINGS.get(order, ORDERINGS["name"]))


def inmate_detail_queryset() -> QuerySet[Inmate]:
    """One inmate with everything the record page shows, in a fixed number of queries."""
    return inmate_queryset().prefetch_related(
        Prefetch(
            "judgments",
            queryset=Judgment.objects.prefetch_related("offence_categories").order_by(
                "-judgment_date", "-pk"
            ),
        ),
        "expulsion_orders",
        Prefetch(
            "placements",
            queryset=Placement.objects.select_related("place__cell__unit__facility").order_by(
                "-period"
            ),
        ),
    )


def inmate_page_queryset() -> QuerySet[Inmate]:
    """One inmate for the record page, with its nationalities, judgments (each with the names
    of its offence groups) and expulsion orders read in the inmate's own row (inmate_page_lists
    reads them back): the page costs the same queries however many of each it shows."""
    offence_names = ArraySubquery(
        OffenceCategory.objects.filter(judgments=OuterRef("pk")).order_by("name").values("name")
    )
    return (
        inmate_queryset()
        .prefetch_related(None)
        .prefetch_related(
            Prefetch(
                "placements",
                queryset=Placement.objects.select_related("place__cell__unit__facility").order_by(
                    "-period"
                ),
            )
        )
        .annotate(
            nationality_rows=json_rows.json_array(
                Country.objects.filter(nationals=OuterRef("pk")).order_by("code")
            ),
            judgment_rows=json_rows.json_array(
                Judgment.objects.filter(inmate=OuterRef("pk")).order_by("-judgment_date", "-pk"),
                extra={"offence_names": offence_names},
            ),
            expulsion_order_rows=json_rows.json_array(
                ExpulsionOrder.objects.filter(inmate=OuterRef("pk")).order_by("-ordered_on", "-pk")
            ),
        )
    )


@dataclass(frozen=True)
class InmatePageLists:
    """What inmate_page_queryset() read with the inmate's row, as model instances."""

    nationalities: list[Country]
    judgments: list[Judgment]  # newest first; each with offence_names
    expulsion_orders: list[ExpulsionOrder]  # newest first


def inmate_page_lists(inmate: Inmate) -> InmatePageLists:
    row: Any = inmate
    return InmatePageLists(
        nationalities=json_rows.instances(Country, row.nationality_rows),
        judgments=json_rows.instances(Judgment, row.judgment_rows),
        expulsion_orders=json_rows.instances(ExpulsionOrder, row.expulsion_order_rows),
    )


def non_association_queryset(*, today: date | None = None) -> QuerySet[NonAssociation]:
    today = today or timezone.localdate()
    return NonAssociation.objects.select_related("inmate_a", "inmate_b").annotate(
        in_force=ExpressionWrapper(Q(active__contains=today), output_field=BooleanField())
    )


def non_associations_for(*, inmate: Inmate) -> QuerySet[NonAssociation]:
    """The rules that keep this inmate apart from others, current and past, newest first."""
    return (
        non_association_queryset()
        .filter(Q(inmate_a=inmate) | Q(inmate_b=inmate))
        .order_by("-active", "-pk")
    )


def nationalities_in_use() -> QuerySet[Country]:
    """The countries some inmate is a national of: the choices of the nationality filter."""
    return Country.objects.filter(
        Exists(Inmate.nationalities.through.objects.filter(country_id=OuterRef("pk")))
    ).order_by("name")


def home_institutions() -> list[str]:
    """The Danish institutions inmates come from: the choices of the institution filter.

    A handful of values over every inmate: DISTINCT read the whole table on each inmate-list
    page (130 ms at 100,000 inmates); this walks the index from one value to the next instead
    (0.2 ms; measured with make bench).
    """
    with connection.cursor() as cursor:
        cursor.execute(
            """
            WITH RECURSIVE institution(name) AS (
                (SELECT home_institution FROM inmates_inmate ORDER BY 1 LIMIT 1)
                UNION ALL
                SELECT (SELECT i.home_institution FROM inmates_inmate i
                        WHERE i.home_institution > institution.name ORDER BY 1 LIMIT 1)
                FROM institution WHERE institution.name IS NOT NULL
            )
            SELECT name FROM institution WHERE name IS NOT NULL
            """
        )
        return [row[0] for row in cursor.fetchall()]


def country_codes() -> set[str]:
    return set(Country.objects.values_list("code", flat=True))


def inmate_by_case_number(*, case_number: str) -> Inmate | None:
    """The inmate with this case number, typed in any case ("kf-2026-30022") as search takes it.

    The exact match uses the unique index; only a number typed otherwise than stored falls back
    to the case-insensitive match (a scan, but rare and on one short column)."""
    typed = case_number.strip()
    if not typed:
        return None
    found = Inmate.objects.filter(case_number=typed).first()
    if found is None and typed.upper() != typed:
        found = Inmate.objects.filter(case_number=typed.upper()).first()
    if found is None:
        found = Inmate.objects.filter(case_number__iexact=typed).first()
    return found


@dataclass(frozen=True)
class ImportPlan:
    """What importing validated rows would do, row by row: "create", "update" or "unchanged"."""

    actions: list[tuple[InmateRow, str]]

    def _count(self, action: str) -> int:
        return sum(1 for _row, a in self.actions if a == action)

    @property
    def to_create(self) -> int:
        return self._count("create")

    @property
    def to_update(self) -> int:
        return self._count("update")

    @property
    def unchanged(self) -> int:
        return self._count("unchanged")


def inmate_import_plan(*, rows: Sequence[InmateRow]) -> ImportPlan:
    existing = {
        inmate.case_number: inmate
        for inmate in Inmate.objects.filter(
            case_number__in=[row.case_number for row in rows]
        ).prefetch_related("nationalities")
    }
    actions = []
    for row in rows:
        inmate = existing.get(row.case_number)
        if inmate is None:
            actions.append((row, "create"))
        else:
            actions.append((row, "update" if row.differs_from(inmate) else "unchanged"))
    return ImportPlan(actions)


# --- What a stale edit would have overwritten -----------------------------------------------------

# Bookkeeping columns, not content a caseworker wrote.
_QUIET = frozenset({"id", "created_at", "updated_at", "version"})


def _shown(field: Any, value: Any) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    choices = dict(getattr(field, "flatchoices", None) or [])
    return str(choices.get(value, value))


@dataclass(frozen=True)
class RecordChange:
    at: datetime
    by: str
    changes: list[str]


def inmate_changes_since(*, inmate_id: int, read_version: int) -> list[RecordChange]:
    """Each write to the inmate's details after the version read, oldest first: who (from the
    history trigger's context), when and each field's old → new value.

    Read from the pghistory snapshots, selected by the version each snapshot holds (every change
    moves it on). One query.
    """
    from program.audit.history import EVENT_MODELS  # the audit app generates the event models

    event_model: Any = EVENT_MODELS["inmates.Inmate"]
    fields = [f for f in Inmate._meta.concrete_fields if f.name not in _QUIET and f.attname != "pk"]
    snapshots = list(event_model.objects.filter(pgh_obj_id=inmate_id).order_by("pgh_id"))
    changes = []
    for before, after in pairwise(snapshots):
        if after.version <= read_version:
            continue
        context = after.pgh_context or {}
        lines = [
            _("%(field)s: %(old)s → %(new)s")
            % {
                "field": str(field.verbose_name).capitalize(),
                "old": _shown(field, getattr(before, field.attname)),
                "new": _shown(field, getattr(after, field.attname)),
            }
            for field in fields
            if getattr(before, field.attname) != getattr(after, field.attname)
        ]
        changes.append(
            RecordChange(
                at=after.pgh_created_at,
                by=str(context.get("username") or context.get("system") or _("unknown")),
                changes=lines,
            )
        )
    return changes


def placement_breaches(*, inmate_ids: Sequence[int]) -> list[cells_selectors.Breach]:
    """Non-associations of these people broken today: both placed where the scope keeps them
    apart. Shown on their records until one of them moves."""
    return cells_selectors.inmate_breaches(inmate_ids=inmate_ids)


def judgment_queryset() -> QuerySet[Judgment]:
    """Judgments with their offence groups (one more query per page), newest first."""
    return Judgment.objects.prefetch_related("offence_categories").order_by(
        "inmate_id", "-judgment_date", "-pk"
    )


def expulsion_order_queryset() -> QuerySet[ExpulsionOrder]:
    return ExpulsionOrder.objects.order_by("inmate_id", "-ordered_on", "-pk")


def inmates_named(*, term: str, limit: int = 20) -> list[Inmate]:
    """The people an auditor means by a case number (any letter case) or part of a name: the
    case number's owner if there is one, else those whose name contains the term (at most
    `limit`, by name)."""
    term = term.strip()
    if not term:
        return []
    owner = inmate_by_case_number(case_number=term)
    if owner is not None:
        return [owner]
    return list(
        Inmate.objects.filter(name__icontains=term)
        .order_by("name", "pk")
        .only("pk", "name", "case_number")[:limit]
    )

"""Reads for the auditor pages and the history tab."""

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.db import models
from django.db.models import Q, QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from program.audit.context import SYSTEM_PREFIX
from program.audit.history import EVENT_MODELS
from program.audit.models import AccessLogEntry

# Columns a caseworker does not need to read about: bookkeeping, not content.
QUIET_FIELDS = frozenset({"id", "created_at", "updated_at", "version"})


def access_log_search(
    *,
    username: str = "",
    subject_type: str = "",
    subject_id: str = "",
    action: str = "",
    start: date | None = None,
    end: date | None = None,
    subject_ids: Sequence[str] = (),
) -> QuerySet[AccessLogEntry]:
    """The access log filtered for an auditor, newest first; dates are local days, inclusive.
    `subject_ids` are people (inmates) found by case number or name: the entries about any."""
    rows = AccessLogEntry.objects.all()
    if subject_ids:
        ids = list(subject_ids)
        rows = rows.filter(subject_type="inmate").filter(
            Q(subject_id__in=ids) | Q(subject_ids__overlap=ids)
        )
    if username:
        rows = rows.filter(actor_username__iexact=username)
    if subject_type:
        rows = rows.filter(subject_type=subject_type)
    if subject_id:
        # The record itself, or a list, search or export that named the person.
        rows = rows.filter(Q(subject_id=subject_id) | Q(subject_ids__contains=[subject_id]))
    if action:
        rows = rows.filter(action=action)
    zone = timezone.get_current_timezone()
    if start:
        rows = rows.filter(at__gte=datetime.combine(start, time.min, tzinfo=zone))
    if end:
        rows = rows.filter(at__lt=datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone))
    return rows.order_by("-at", "-id")


def subject_access_report(*, subject_type: str, subject_id: str) -> QuerySet[AccessLogEntry]:
    """What a data subject may be told: when their data was used and why, not by whom (a list
    that named them among others counts)."""
    return (
        AccessLogEntry.objects.filter(subject_type=subject_type)
        .filter(Q(subject_id=subject_id) | Q(subject_ids__contains=[subject_id]))
        .order_by("at", "id")
        .only("at", "action", "purpose")
    )


# --- Write history in words ----------------------------------------------------------------------


@dataclass
class Change:
    at: datetime
    record: str
    sentence: str
    actor: str
    details: list[str] = field(default_factory=list)


def _actor(context: dict[str, Any] | None) -> str:
    context = context or {}
    username = context.get("username") or ""
    system = context.get("system") or ""
    if username:
        return str(username)
    if system:
        return str(system).removeprefix(SYSTEM_PREFIX) + " " + _("(automatic)")
    return _("the database directly (no user recorded)")


# A foreign key's id resolved to what the related row calls itself, per related model.
Related = dict[type[models.Model], dict[Any, models.Model]]


def _show(model: type[models.Model], name: str, value: Any, related: Related | None = None) -> str:
    if value is None or value == "":
        return _("nothing")
    try:
        model_field = model._meta.get_field(name)
    except Exception:
        return str(value)
    target = model_field.related_model if model_field.many_to_one else None
    if target is not None and related is not None and target in related:
        row = related[target].get(value)
        return str(row) if row is not None else _("a removed record")
    choices = dict(getattr(model_field, "flatchoices", []) or [])
    if not isinstance(value, list) and value in choices:  # a list (ArrayField) is unhashable
        return str(choices[value])
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list):
        return ", ".join(str(item) for item in value) or _("nothing")
    # Dates and numbers as the reader writes them (03.12.2026, 3.750.000,00 in Danish).
    if isinstance(value, datetime):
        return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    if isinstance(value, date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, Decimal):
        return formats.number_format(value, use_l10n=True, force_grouping=True)
    return str(value)


def _label(model: type[models.Model], name: str) -> str:
    try:
        verbose = str(getattr(model._meta.get_field(name), "verbose_name", name))
    except Exception:
        verbose = name.replace("_", " ")
    return verbose[:1].upper() + verbose[1:]


def _pair(model: type[models.Model], name: str, value: Any, related: Related | None = None) -> str:
    return f"{_label(model, name)}: {_show(model, name, value, related)}"


def _related_rows(batches: Sequence[tuple[type[models.Model], list[Any], str]]) -> Related:
    """What each foreign key in the snapshots points at, so a history reads "Prepared by:
    frida", not "Prepared by: 3". One query per related model over all the batches given
    (tracked model, snapshot rows, the link column to skip: it names the record itself)."""
    ids: dict[type[models.Model], set[Any]] = {}
    for tracked, rows, skip in batches:
        for model_field in tracked._meta.concrete_fields:
            target = model_field.related_model if model_field.many_to_one else None
            if target is None or model_field.attname == skip:
                continue
            if model_field.name in QUIET_FIELDS:
                continue
            found = ids.setdefault(target, set())
            found.update(
                value
                for row in rows
                if (value := getattr(row, model_field.attname, None)) is not None
            )
    return {
        target: target._default_manager.in_bulk(list(values)) if values else {}
        for target, values in ids.items()
        if values
    }


def _fields(event_model: type[models.Model], tracked: type[models.Model]) -> list[str]:
    names = {f.attname: f.name for f in tracked._meta.concrete_fields}
    return [
        f.attname
        for f in event_model._meta.concrete_fields
        if f.attname in names and names[f.attname] not in QUIET_FIELDS
    ]


def _describe(
    event_model: type[models.Model],
    rows: list[Any],
    record_label: str,
    shown: Sequence[str] = (),
    related: Related | None = None,
    hidden: Collection[str] = (),
) -> list[Change]:
    """Each snapshot as a sentence; `shown` names the fields an added row is summed up by;
    `hidden` names fields the reader's role does not see (their changes are left out)."""
    tracked: type[models.Model] = event_model.pgh_tracked_model  # type: ignore[attr-defined]
    names = [name for name in _fields(event_model, tracked) if name not in hidden]
    by_attname = {f.attname: f.name for f in tracked._meta.concrete_fields}
    shown_attnames = [getattr(tracked._meta.get_field(name), "attname", name) for name in shown]
    if related is None:
        related = _related_rows([(tracked, rows, "pgh_obj_id")])
    changes: list[Change] = []
    previous: dict[Any, Any] = {}
    for row in rows:
        values = {name: getattr(row, name) for name in names}
        actor = _actor(row.pgh_context)
        before = previous.get(row.pgh_obj_id)
        details: list[str] = []
        if row.pgh_label in ("insert", "delete"):
            template = (
                _("%(record)s added") if row.pgh_label == "insert" else _("%(record)s removed")
            )
            sentence = template % {"record": record_label}
            if tracked._meta.auto_created:  # a link row: say what was linked
                details = [
                    _pair(tracked, by_attname[name], values[name], related)
                    for name in names
                    if not name.startswith("inmate")
                ]
            elif row.pgh_label == "insert" and shown_attnames:
                details = [
                    _pair(tracked, by_attname[name], getattr(row, name), related)
                    for name in shown_attnames
                ]
        else:
            sentence = _("%(record)s changed") % {"record": record_label}
            if before is not None:
                for name in names:
                    if before[name] != values[name]:
                        field_name = by_attname[name]
                        details.append(
                            _("%(field)s changed from %(old)s to %(new)s")
                            % {
                                "field": _label(tracked, field_name),
                                "old": _show(tracked, field_name, before[name], related),
                                "new": _show(tracked, field_name, values[name], related),
                            }
                        )
                if not details:
                    continue  # only bookkeeping columns moved
        previous[row.pgh_obj_id] = values
        changes.append(
            Change(
                at=row.pgh_created_at,
                record=record_label,
                sentence=sentence,
                actor=actor,
                details=details,
            )
        )
    return changes


def _events(label: str, condition: Q) -> list[Any]:
    event_model = EVENT_MODELS[label]
    return list(event_model.objects.filter(condition).order_by("pgh_id"))  # type: ignore[attr-defined]


# The records that make up a person's file, with how each is tied to the inmate.
INMATE_FILE: list[tuple[str, str, str]] = [
    ("inmates.Inmate", "pgh_obj_id", "Personal details"),
    ("inmates.Inmate_nationalities", "inmate_id", "Nationality"),
    ("inmates.Judgment", "inmate_id", "Judgment"),
    ("inmates.ExpulsionOrder", "inmate_id", "Expulsion order"),
    ("inmates.NonAssociation", "inmate_a_id|inmate_b_id", "Non-association"),
    ("cells.Placement", "inmate_id", "Placement"),
]


def inmate_history(*, inmate_id: int, hidden: Collection[str] = ()) -> list[Change]:
    """Every change to an inmate's file, newest first, in sentences (one query per table);
    changes to the `hidden` fields of the person's record are left out."""
    batches = []
    for label, link, record in INMATE_FILE:
        condition = Q()
        for column in link.split("|"):
            condition |= Q(**{column: inmate_id})
        batches.append((label, _events(label, condition), link, record))
    related = _related_rows(
        [(EVENT_MODELS[label].pgh_tracked_model, rows, link) for label, rows, link, _r in batches]  # type: ignore[attr-defined]
    )
    changes: list[Change] = []
    for label, rows, _link, record in batches:
        changes += _describe(
            EVENT_MODELS[label],
            rows,
            _(record),
            related=related,
            hidden=hidden if label == "inmates.Inmate" else (),
        )
    return sorted(changes, key=lambda change: change.at, reverse=True)


def record_history(*, label: str, pk: str) -> list[Change]:
    """Every change to one row of any tracked model, newest first."""
    event_model = EVENT_MODELS[label]
    record = str(event_model.pgh_tracked_model._meta.verbose_name).capitalize()  # type: ignore[attr-defined]
    changes = _describe(event_model, _events(label, Q(pgh_obj_id=pk)), record)
    return sorted(changes, key=lambda change: change.at, reverse=True)


@dataclass(frozen=True)
class HistoryPart:
    """A kind of record that belongs to a main record's file, and how it points at it."""

    label: str  # the tracked model, "app.Model"
    link: str  # the column holding the main record's id, e.g. "case_id"
    record: str  # what a reader calls one of them, e.g. "Decision"
    shown: tuple[str, ...] = ()  # the fields that say what was added


def history_of(instance: models.Model, *, parts: Sequence[HistoryPart] = ()) -> list[Change]:
    """Every change to a record and to the records of its file, newest first, in words.

    Who (user name, or the job), when, and each field that changed from → to, with the
    fields' verbose names and the choices' labels. One query for the record and one per part;
    for a template, include "audit/_history.html" with `changes`.
    """
    label = f"{instance._meta.app_label}.{instance.__class__.__name__}"
    record = str(instance._meta.verbose_name).capitalize()
    batches: list[tuple[str, list[Any], str, str, tuple[str, ...]]] = [
        (label, _events(label, Q(pgh_obj_id=instance.pk)), "pgh_obj_id", record, ())
    ]
    for part in parts:
        rows = _events(part.label, Q(**{part.link: instance.pk}))
        batches.append((part.label, rows, part.link, part.record, part.shown))
    related = _related_rows(
        [(EVENT_MODELS[name].pgh_tracked_model, rows, link) for name, rows, link, _r, _s in batches]  # type: ignore[attr-defined]
    )
    changes: list[Change] = []
    for name, rows, _link, what, shown in batches:
        changes += _describe(EVENT_MODELS[name], rows, what, shown=shown, related=related)
    return sorted(changes, key=lambda change: change.at, reverse=True)


# --- The last write to one row ---------------------------------------------------------------


@dataclass(frozen=True)
class LastWrite:
    at: datetime
    by: str  # the person's full name (else user name), or the job that wrote it


def _writer(context: dict[str, Any] | None) -> str:
    """Who a snapshot's context names, as a reader knows them: their full name if they have one."""
    context = context or {}
    user_id = context.get("user")
    if user_id:
        from django.contrib.auth import get_user_model

        user = get_user_model()._default_manager.filter(pk=user_id).first()
        if user is not None:
            return str(user.get_full_name() or user.get_username())
    return _actor(context)


def last_write(model: type[models.Model], pk: Any) -> LastWrite | None:
    """The latest write to one row of a tracked model, from its write history: who and when.
    None when the model is not tracked or the row has no history (written before tracking).

    When is the row's own updated_at as the snapshot holds it, if it has one: the snapshot's
    time is its transaction's start, which may precede a write made under a lock it waited for.
    """
    event_model: Any = EVENT_MODELS.get(f"{model._meta.app_label}.{model.__name__}")
    if event_model is None:
        return None
    row = event_model.objects.filter(pgh_obj_id=pk).order_by("-pgh_id").first()
    if row is None:
        return None
    at = getattr(row, "updated_at", None) or row.pgh_created_at
    return LastWrite(at=at, by=_writer(row.pgh_context))

"""Writes to the inmate registry: inmates, judgments, expulsion orders, non-associations, imports.

Each public service owns its transaction and refuses bad input with an ApplicationError whose
details name the field, so pages, the API and the CSV import report the same thing the same way.
PostgreSQL holds the rules across fields (the CHECK and exclusion constraints in models.py); a
service saves inside a savepoint and turns the constraint that fired into a message a caseworker
understands, attached to the field it is about.
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, TypedDict, TypeVar, Unpack

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist, ValidationError
from django.db import IntegrityError, models, transaction
from django.db.backends.postgresql.psycopg_any import DateRange
from django.utils import timezone
from django.utils.translation import gettext as _

from program.core.capabilities import require
from program.core.errors import (
    ApplicationError,
    ConflictError,
    NotFoundError,
)
from program.core.versioning import bump_version, lock_at_version
from program.inmates.csv_import import InmateRow
from program.inmates.models import (
    Country,
    ExpulsionOrder,
    Inmate,
    Judgment,
    NonAssociation,
    OffenceCategory,
)

# The field each named constraint is about, so its message lands next to that field.
CONSTRAINT_FIELDS: dict[str, str] = {
    "judgment_length_iff_fixed_term": "length_days",
    "judgment_remand_below_length": "remand_days",
    "judgment_final_after_judgment": "final_on",
    "expulsion_ban_years_or_permanent": "entry_ban_years",
    "expulsion_revoked_after_order": "revoked_on",
    "nonassociation_ordered_pair": "other",
    "nonassociation_no_overlap": "starts_on",
    "inmate_readmission_override_reasoned": "return_readmits_reason",
}

_M = TypeVar("_M", bound=models.Model)
_V = TypeVar("_V", Inmate, Judgment, ExpulsionOrder)

_UNIQUE_VIOLATION = "23505"
_EXCLUSION_VIOLATION = "23P01"


class InmateFields(TypedDict, total=False):
    case_number: str
    name: str
    date_of_birth: date
    sex: str
    nationalities: Iterable[Country]
    languages: list[str]
    interpreter_needed: bool
    country_of_return: Country | None
    return_readmits: str
    return_readmits_reason: str
    security_level: str
    serious_mental_disorder: bool
    specialist_treatment: bool
    minor_children_visiting: bool
    home_institution: str


class JudgmentFields(TypedDict, total=False):
    court: str
    judgment_date: date
    final_on: date | None
    sentence_type: str
    length_days: int | None
    remand_days: int
    sentence_start: date
    runs: str
    offence_categories: Iterable[OffenceCategory]


class ExpulsionOrderFields(TypedDict, total=False):
    ordered_on: date
    final: bool
    entry_ban_years: int | None
    entry_ban_permanent: bool
    revoked_on: date | None


def _require(actor: AbstractBaseUser | None, capability: str, what: str) -> None:
    """The service rule: the actor must hold the capability. No actor is the programme itself
    (its demo data, a system task), which holds every capability."""
    if actor is not None:
        require(actor, capability, what)


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    unchanged: int
    judgments_added: int = 0
    judgments_updated: int = 0
    expulsion_orders_added: int = 0
    expulsion_orders_updated: int = 0


# --- Helpers --------------------------------------------------------------------------------------


def _constraint_message(model: type[models.Model], name: str) -> str | None:
    for constraint in model._meta.constraints:
        if constraint.name == name:
            return str(constraint.get_violation_error_message())
    return None


def _integrity_error(error: IntegrityError, model: type[models.Model]) -> ApplicationError:
    cause = error.__cause__
    diag = getattr(cause, "diag", None)
    name = getattr(diag, "constraint_name", None) or ""
    sqlstate = getattr(cause, "sqlstate", None) or getattr(diag, "sqlstate", None) or ""
    if sqlstate == _UNIQUE_VIOLATION and "case_number" in name:
        return _duplicate_case_number()
    message = _constraint_message(model, name)
    if message is None:
        return ConflictError(
            _("The change clashes with another record."), details={"constraint": name}
        )
    details: dict[str, Any] = {"constraint": name}
    field = CONSTRAINT_FIELDS.get(name)
    if field:
        details[field] = [message]
    if sqlstate == _EXCLUSION_VIOLATION:
        return ConflictError(message, details=details)
    return ApplicationError(message, details=details)


def _save(obj: models.Model, *, update_fields: list[str] | None = None) -> None:
    """Save inside a savepoint; a broken constraint becomes a domain error naming its field.
    A change to a versioned row (update_fields given) moves its version on, so whoever read the
    row before is refused rather than overwrite it (program/core/versioning)."""
    try:
        with transaction.atomic():
            if update_fields is not None and isinstance(obj, Inmate | Judgment | ExpulsionOrder):
                bump_version(obj, fields=update_fields)
            else:
                obj.save(update_fields=update_fields)
    except IntegrityError as error:
        raise _integrity_error(error, type(obj)) from error


def _invalid(error: ValidationError, model: type[models.Model]) -> ApplicationError:
    details = {field: [str(m) for m in messages] for field, messages in error.message_dict.items()}
    parts = []
    for field, messages in details.items():
        try:
            label = str(getattr(model._meta.get_field(field), "verbose_name", field))
        except FieldDoesNotExist:  # a form-wide key such as __all__
            label = ""
        parts.append(f"{label}: {messages[0]}" if label else messages[0])
    return ApplicationError(
        _("Some fields are not valid: %(problems)s") % {"problems": "; ".join(parts)},
        details=details,
    )


def _clean_fields(obj: models.Model) -> None:
    """Each field on its own (blank, length, choices, existing references). The rules across
    fields are PostgreSQL's and are reported by _save."""
    try:
        obj.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        raise _invalid(error, type(obj)) from error


def _set_changed(obj: models.Model, values: dict[str, Any]) -> list[str]:
    """Set the values that differ from the row; return the names of the fields that changed."""
    changed = []
    for name, value in values.items():
        field = obj._meta.get_field(name)
        attname = getattr(field, "attname", name)
        new = value.pk if isinstance(value, models.Model) else value
        if getattr(obj, attname) != new:
            setattr(obj, attname, new)
            changed.append(name)
    return changed


def _pks(objs: Iterable[models.Model]) -> set[Any]:
    return {obj.pk for obj in objs}


def _lock(model: type[_M], pk: Any) -> _M:
    try:
        return model._default_manager.select_for_update(of=("self",)).get(pk=pk)
    except ObjectDoesNotExist as error:
        raise NotFoundError(
            _("This %(thing)s no longer exists.") % {"thing": model._meta.verbose_name}
        ) from error


def _lock_at(model: type[_V], pk: Any, expected_version: int | None) -> _V:
    """The row locked; with expected_version, refused (412) if it changed since that read."""
    return lock_at_version(
        model,
        pk,
        expected_version,
        missing=NotFoundError(
            _("This %(thing)s no longer exists.") % {"thing": model._meta.verbose_name}
        ),
    )


# --- Inmates --------------------------------------------------------------------------------------


def _duplicate_case_number() -> ApplicationError:
    message = _("An inmate with this case number is already registered.")
    return ApplicationError(message, details={"case_number": [message]})


def _require_nationality(nationalities: list[Country]) -> None:
    if not nationalities:
        message = _("Give at least one nationality.")
        raise ApplicationError(message, details={"nationalities": [message]})


def _check_born(inmate: Inmate) -> None:
    if inmate.date_of_birth and inmate.date_of_birth > timezone.localdate():
        message = _("The date of birth cannot be in the future.")
        raise ApplicationError(message, details={"date_of_birth": [message]})


def _inmate_insert(values: dict[str, Any], *, check_case_number: bool = True) -> Inmate:
    values = dict(values)
    nationalities = list(values.pop("nationalities", []))
    _require_nationality(nationalities)
    inmate = Inmate(**values)
    _clean_fields(inmate)
    _check_born(inmate)
    if check_case_number and Inmate.objects.filter(case_number=inmate.case_number).exists():
        raise _duplicate_case_number()
    _save(inmate)
    inmate.nationalities.set(nationalities)
    return inmate


def _inmate_apply(inmate: Inmate, values: dict[str, Any]) -> bool:
    """Write the values that differ; True when anything changed."""
    values = dict(values)
    nationalities = values.pop("nationalities", None)
    changed = _set_changed(inmate, values)
    nationalities_changed = False
    if nationalities is not None:
        nationalities = list(nationalities)
        _require_nationality(nationalities)
        nationalities_changed = _pks(nationalities) != _pks(inmate.nationalities.all())
    if not changed and not nationalities_changed:
        return False
    _clean_fields(inmate)
    _check_born(inmate)
    if (
        "case_number" in changed
        and Inmate.objects.filter(case_number=inmate.case_number).exclude(pk=inmate.pk).exists()
    ):
        raise _duplicate_case_number()
    # The version moves whenever the record does, nationalities included: it is the ETag.
    _save(inmate, update_fields=[*changed, "updated_at"])
    if nationalities_changed:
        inmate.nationalities.set(nationalities)
    return True


@transaction.atomic
def inmate_create(
    *,
    case_number: str,
    name: str,
    date_of_birth: date,
    sex: str,
    nationalities: Iterable[Country],
    security_level: str,
    home_institution: str,
    languages: Sequence[str] = (),
    interpreter_needed: bool = False,
    country_of_return: Country | None = None,
    return_readmits: str = "",
    return_readmits_reason: str = "",
    serious_mental_disorder: bool = False,
    specialist_treatment: bool = False,
    minor_children_visiting: bool = False,
    actor: AbstractBaseUser | None,
) -> Inmate:
    """Register an inmate. The case number is unique; at least one nationality is required; a
    readmission answer for this person (overriding the country's) carries its reason."""
    _require(actor, "inmate.edit", _("record or change a person's file"))
    return _inmate_insert(
        {
            "case_number": case_number.strip(),
            "name": name.strip(),
            "date_of_birth": date_of_birth,
            "sex": sex,
            "nationalities": nationalities,
            "languages": list(languages),
            "interpreter_needed": interpreter_needed,
            "country_of_return": country_of_return,
            "return_readmits": return_readmits,
            "return_readmits_reason": return_readmits_reason.strip(),
            "security_level": security_level,
            "serious_mental_disorder": serious_mental_disorder,
            "specialist_treatment": specialist_treatment,
            "minor_children_visiting": minor_children_visiting,
            "home_institution": home_institution.strip(),
        }
    )


@transaction.atomic
def inmate_update(
    *,
    inmate: Inmate,
    actor: AbstractBaseUser | None,
    expected_version: int | None = None,
    **changes: Unpack[InmateFields],
) -> Inmate:
    """Change an inmate's record. Only fields that differ are written, so an update with the
    current values is a no-op; with expected_version (the version read), a record changed
    meanwhile is refused (412)."""
    _require(actor, "inmate.edit", _("record or change a person's file"))
    locked = _lock_at(Inmate, inmate.pk, expected_version)
    values: dict[str, Any] = dict(changes)
    for key in ("case_number", "name", "home_institution", "return_readmits_reason"):
        if isinstance(values.get(key), str):
            values[key] = values[key].strip()
    if "languages" in values:
        values["languages"] = list(values["languages"])
    _inmate_apply(locked, values)
    return locked


# --- Judgments ------------------------------------------------------------------------------------


@transaction.atomic
def judgment_create(
    *,
    inmate: Inmate,
    court: str,
    judgment_date: date,
    sentence_type: str,
    sentence_start: date,
    length_days: int | None = None,
    remand_days: int = 0,
    final_on: date | None = None,
    offence_categories: Iterable[OffenceCategory] = (),
    runs: str = Judgment.Runs.CONSECUTIVE,
    actor: AbstractBaseUser | None,
) -> Judgment:
    """Record a judgment. A fixed-term sentence has a length and the others none; remand is less
    than the sentence; PostgreSQL computes the judgment's own full-term and two-thirds dates and
    the person's combined ones (all their judgments together, docs/sentences.md)."""
    _require(actor, "inmate.edit", _("record or change a person's file"))
    judgment = Judgment(
        inmate=inmate,
        court=court.strip(),
        judgment_date=judgment_date,
        final_on=final_on,
        sentence_type=sentence_type,
        length_days=length_days,
        remand_days=remand_days,
        sentence_start=sentence_start,
        runs=runs,
    )
    _clean_fields(judgment)
    _save(judgment)  # the INSERT returns the generated dates
    judgment.offence_categories.set(list(offence_categories))
    return judgment


@transaction.atomic
def judgment_update(
    *,
    judgment: Judgment,
    actor: AbstractBaseUser | None,
    expected_version: int | None = None,
    **changes: Unpack[JudgmentFields],
) -> Judgment:
    """Change a judgment; the generated dates are read back from PostgreSQL afterwards (the
    person's combined dates follow by trigger). With expected_version (the version read), a
    judgment changed meanwhile is refused (412)."""
    _require(actor, "inmate.edit", _("record or change a person's file"))
    locked = _lock_at(Judgment, judgment.pk, expected_version)
    values: dict[str, Any] = dict(changes)
    categories = values.pop("offence_categories", None)
    if isinstance(values.get("court"), str):
        values["court"] = values["court"].strip()
    changed = _set_changed(locked, values)
    if changed:
        _clean_fields(locked)
        _save(locked, update_fields=[*changed, "updated_at"])
        # An UPDATE does not return generated columns: read the new dates.
        locked.refresh_from_db(fields=["full_term_date", "two_thirds_date"])
    if categories is not None:
        categories = list(categories)
        if _pks(categories) != _pks(locked.offence_categories.all()):
            locked.offence_categories.set(categories)
            if not changed:  # the offences are part of the judgment: a new version too
                _save(locked, update_fields=["updated_at"])
    return locked


# --- Expulsion orders -----------------------------------------------------------------------------


@transaction.atomic
def expulsion_order_create(
    *,
    inmate: Inmate,
    ordered_on: date,
    final: bool = False,
    entry_ban_years: int | None = None,
    entry_ban_permanent: bool = False,
    revoked_on: date | None = None,
    actor: AbstractBaseUser | None,
) -> ExpulsionOrder:
    """Record an expulsion order: an entry ban is for some years or permanent, never both, and an
    order is revoked no earlier than it was made."""
    _require(actor, "inmate.edit", _("record or change a person's file"))
    order = ExpulsionOrder(
        inmate=inmate,
        ordered_on=ordered_on,
        final=final,
        entry_ban_years=entry_ban_years,
        entry_ban_permanent=entry_ban_permanent,
        revoked_on=revoked_on,
    )
    _clean_fields(order)
    _save(order)
    return order


@transaction.atomic
def expulsion_order_update(
    *,
    expulsion_order: ExpulsionOrder,
    actor: AbstractBaseUser | None,
    expected_version: int | None = None,
    **changes: Unpack[ExpulsionOrderFields],
) -> ExpulsionOrder:
    """Change an expulsion order (the same rules as when it was made). A revocation counts
    from the date it is given, which may lie ahead. With expected_version (the version read),
    an order changed meanwhile is refused (412)."""
    _require(actor, "inmate.edit", _("record or change a person's file"))
    locked = _lock_at(ExpulsionOrder, expulsion_order.pk, expected_version)
    changed = _set_changed(locked, dict(changes))
    if changed:
        _clean_fields(locked)
        _save(locked, update_fields=[*changed, "updated_at"])
    return locked


# --- Non-associations -----------------------------------------------------------------------------


def _period_text(period: DateRange) -> str:
    start = period.lower.isoformat() if period.lower else "…"
    if period.upper is None:
        return _("from %(start)s until further notice") % {"start": start}
    return _("from %(start)s to %(end)s") % {"start": start, "end": period.upper.isoformat()}


@transaction.atomic
def non_association_create(
    *,
    inmate: Inmate,
    other: Inmate,
    scope: str,
    reason: str,
    starts_on: date,
    ends_on: date | None = None,
    actor: AbstractBaseUser | None,
) -> NonAssociation:
    """Keep two inmates apart in a cell, unit or facility for [starts_on, ends_on).

    The pair is stored in one canonical order (lower id first), so a pair cannot be recorded
    twice for overlapping periods whichever inmate the caller starts from."""
    _require(actor, "keep_apart.edit", _("record or end a non-association"))
    if inmate.pk == other.pk:
        message = _("An inmate cannot be kept apart from themselves.")
        raise ApplicationError(message, details={"other": [message]})
    reason = (reason or "").strip()
    if not reason:
        message = _("Give the reason these two must be kept apart.")
        raise ApplicationError(message, details={"reason": [message]})
    if ends_on is not None and ends_on <= starts_on:
        message = _("The end date must be after the start date.")
        raise ApplicationError(message, details={"ends_on": [message]})
    first, second = sorted((inmate, other), key=lambda i: i.pk)
    period = DateRange(starts_on, ends_on, "[)")
    rule = NonAssociation(
        inmate_a=first, inmate_b=second, scope=scope, reason=reason, active=period
    )
    _clean_fields(rule)
    try:
        _save(rule)
    except ConflictError as error:
        if error.details.get("constraint") != "nonassociation_no_overlap":
            raise
        clash = (
            NonAssociation.objects.filter(inmate_a=first, inmate_b=second, active__overlap=period)
            .order_by("active")
            .first()
        )
        if clash is None:  # pragma: no cover - the clashing row was removed meanwhile
            raise
        message = _(
            "These two inmates are already kept apart (%(scope)s, %(period)s). End that rule "
            "first, or choose dates outside it."
        ) % {"scope": clash.get_scope_display().lower(), "period": _period_text(clash.active)}
        raise ConflictError(
            message, details={**error.details, "starts_on": [message], "existing": clash.pk}
        ) from error
    return rule


@transaction.atomic
def non_association_end(
    *, non_association: NonAssociation, ends_on: date, actor: AbstractBaseUser | None
) -> NonAssociation:
    """End a non-association: from ends_on the two may share again (the upper bound of `active`).

    Ending on the day it already ends is a no-op; a rule that already ended before ends_on
    cannot be extended this way (409); an end on or before the start is refused."""
    _require(actor, "keep_apart.edit", _("record or end a non-association"))
    rule = _lock(NonAssociation, non_association.pk)
    start, end = rule.active.lower, rule.active.upper
    if end == ends_on:
        return rule
    if end is not None and end < ends_on:
        raise ConflictError(
            _("This rule already ended on %(end)s.") % {"end": end.isoformat()},
            details={"ends_on": [_("Already ended on %(end)s.") % {"end": end.isoformat()}]},
        )
    if start is not None and ends_on <= start:
        message = _("The end date must be after the start date (%(start)s).") % {
            "start": start.isoformat()
        }
        raise ApplicationError(message, details={"ends_on": [message]})
    rule.active = DateRange(start, ends_on, "[)")
    _save(rule, update_fields=["active", "updated_at"])
    return rule


# --- CSV import -----------------------------------------------------------------------------------


def _inmates_insert_many(rows: Sequence[InmateRow], countries: dict[str, Country]) -> bool:
    """Insert new inmates in bulk: each row checked as _inmate_insert checks it, then one insert
    for the inmates and one for their nationalities (row by row, 10,000 new inmates took ~20 s;
    make bench). False, with nothing written, when a row is refused: the caller then goes
    row by row and reports the row."""
    inmates: list[Inmate] = []
    nationalities: list[list[Country]] = []
    for row in rows:
        values = row.model_values(countries)
        chosen = list(values.pop("nationalities", []))
        inmate = Inmate(**values)
        try:
            _require_nationality(chosen)
            # The country was looked up above (in_bulk), so its reference is not queried again.
            inmate.full_clean(
                exclude=["country_of_return"], validate_unique=False, validate_constraints=False
            )
            _check_born(inmate)
        except (ApplicationError, ValidationError):
            return False
        inmates.append(inmate)
        nationalities.append(chosen)
    try:
        with transaction.atomic():
            Inmate.objects.bulk_create(inmates, batch_size=1000)
            through = Inmate.nationalities.through
            through.objects.bulk_create(
                [
                    through(inmate_id=inmate.pk, country_id=country.pk)
                    for inmate, chosen in zip(inmates, nationalities, strict=True)
                    for country in chosen
                ],
                batch_size=5000,
            )
    except IntegrityError:
        return False
    return True


# How often (in rows) an import reports its progress.
PROGRESS_EVERY = 500


@transaction.atomic
def inmates_import_csv(
    *,
    rows: Sequence[InmateRow],
    actor: AbstractBaseUser | None,
    progress: Callable[[int], None] | None = None,
) -> ImportResult:
    """Create or update inmates from validated CSV rows, all or nothing.

    Rows are matched on case number; an existing inmate is written only when a value differs, so
    importing the same file twice changes nothing the second time. `progress`, when given, is
    told how many rows are written so far (every few hundred rows)."""
    _require(actor, "inmate.import", _("import the inmate register"))
    seen: dict[str, int] = {}
    for row in rows:
        if row.case_number in seen:
            raise ApplicationError(
                _("Row %(row)s: case number %(case)s is also on row %(first)s.")
                % {"row": row.row, "case": row.case_number, "first": seen[row.case_number]},
                details={"rows": {row.row: {"case_number": ["duplicate"]}}},
            )
        seen[row.case_number] = row.row
    codes = {code for row in rows for code in row.country_codes()}
    countries = Country.objects.in_bulk(list(codes))
    missing = sorted(codes - set(countries))
    if missing:
        raise ApplicationError(
            _("Unknown country codes: %(codes)s.") % {"codes": ", ".join(missing)},
            details={"country_codes": missing},
        )
    # Lock the rows we may update, so a concurrent edit waits rather than being overwritten.
    existing = {
        inmate.case_number: inmate
        for inmate in Inmate.objects.select_for_update(of=("self",))
        .filter(case_number__in=list(seen))
        .prefetch_related("nationalities")
    }
    created = updated = unchanged = 0
    new_rows = [row for row in rows if row.case_number not in existing]
    inserted_together = bool(new_rows) and _inmates_insert_many(new_rows, countries)
    if inserted_together:
        created = len(new_rows)
    reported = 0
    for row in rows:
        handled = created + updated + unchanged
        if progress is not None and handled - reported >= PROGRESS_EVERY:
            progress(handled)
            reported = handled
        values = row.model_values(countries)
        try:
            inmate = existing.get(row.case_number)
            if inmate is None:
                if inserted_together:
                    continue
                _inmate_insert(values, check_case_number=False)
                created += 1
            elif _inmate_apply(inmate, values):
                updated += 1
            else:
                unchanged += 1
        except ApplicationError as error:
            raise ApplicationError(
                _("Row %(row)s: %(problem)s") % {"row": row.row, "problem": error.message},
                details={"rows": {row.row: error.details}},
            ) from error
    records = _records_import(rows)
    return ImportResult(created=created, updated=updated, unchanged=unchanged, **records)


_JUDGMENT_VALUES = ("final_on", "sentence_type", "length_days", "remand_days", "runs")
_ORDER_VALUES = ("final", "entry_ban_years", "entry_ban_permanent", "revoked_on")


def _as_date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _records_import(rows: Sequence[InmateRow]) -> dict[str, int]:
    """The judgments and expulsion orders the rows carry, written beside their inmates (joined
    to the caller's transaction). A judgment is the same one when its court, judgment date and
    sentence start match; an order when its date matches: those are updated where a value
    differs, the rest added, so importing a file twice adds nothing the second time."""
    counts = {
        "judgments_added": 0,
        "judgments_updated": 0,
        "expulsion_orders_added": 0,
        "expulsion_orders_updated": 0,
    }
    carrying = [row for row in rows if row.judgments or row.expulsion_orders]
    if not carrying:
        return counts
    inmate_ids = dict(
        Inmate.objects.filter(case_number__in=[row.case_number for row in carrying]).values_list(
            "case_number", "pk"
        )
    )
    judgments = {
        (j.inmate_id, j.court, j.judgment_date, j.sentence_start): j
        for j in Judgment.objects.filter(inmate_id__in=inmate_ids.values()).prefetch_related(
            "offence_categories"
        )
    }
    orders = {
        (o.inmate_id, o.ordered_on): o
        for o in ExpulsionOrder.objects.filter(inmate_id__in=inmate_ids.values())
    }
    offences = OffenceCategory.objects.in_bulk()
    for row in carrying:
        inmate_id = inmate_ids[row.case_number]
        try:
            for given in row.judgments:
                values: dict[str, Any] = {
                    "final_on": _as_date(given["final_on"]),
                    "sentence_type": given["sentence_type"],
                    "length_days": given["length_days"],
                    "remand_days": given["remand_days"],
                    "runs": given["runs"],
                }
                start = date.fromisoformat(given["sentence_start"])
                judged = date.fromisoformat(given["judgment_date"])
                chosen = [offences[code] for code in given["offences"]]
                judgment = judgments.get((inmate_id, given["court"], judged, start))
                if judgment is None:
                    judgment = Judgment(
                        inmate_id=inmate_id,
                        court=given["court"],
                        judgment_date=judged,
                        sentence_start=start,
                        **values,
                    )
                    _clean_fields(judgment)
                    _save(judgment)
                    judgment.offence_categories.set(chosen)
                    judgments[(inmate_id, judgment.court, judged, start)] = judgment
                    counts["judgments_added"] += 1
                    continue
                changed = _set_changed(judgment, values)
                if changed:
                    _clean_fields(judgment)
                    _save(judgment, update_fields=[*changed, "updated_at"])
                offences_changed = _pks(chosen) != _pks(judgment.offence_categories.all())
                if offences_changed:
                    judgment.offence_categories.set(chosen)
                if changed or offences_changed:
                    counts["judgments_updated"] += 1
            for given in row.expulsion_orders:
                ordered = date.fromisoformat(given["ordered_on"])
                order_values: dict[str, Any] = {
                    "final": given["final"],
                    "entry_ban_years": given["entry_ban_years"],
                    "entry_ban_permanent": given["entry_ban_permanent"],
                    "revoked_on": _as_date(given["revoked_on"]),
                }
                order = orders.get((inmate_id, ordered))
                if order is None:
                    order = ExpulsionOrder(inmate_id=inmate_id, ordered_on=ordered, **order_values)
                    _clean_fields(order)
                    _save(order)
                    orders[(inmate_id, ordered)] = order
                    counts["expulsion_orders_added"] += 1
                elif changed_order := _set_changed(order, order_values):
                    _clean_fields(order)
                    _save(order, update_fields=[*changed_order, "updated_at"])
                    counts["expulsion_orders_updated"] += 1
        except ApplicationError as error:
            raise ApplicationError(
                _("Row %(row)s: %(problem)s") % {"row": row.row, "problem": error.message},
                details={"rows": {row.row: error.details}},
            ) from error
    return counts

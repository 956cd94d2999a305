"""Eligibility rules E1–E18 (docs/domain-rules.md §3) as code, and their parameters as data.

Each rule is a small object with an id, a plain-language text, its source, a version and a check
that reads an input snapshot and answers pass, fail or review with the reason in words. Rules never
query the database: `snapshots_for` reads the inputs of many inmates in a fixed number of queries,
so the nightly sweep is set-based, and a screening can store exactly what it read.

Kinds: a failed *hard* rule makes the inmate ineligible; a *soft* flag (E14–E16) sends the case to
manual review; the *decision* rules (E17 capacity, E18 opinion) are shown on the checklist but
only block the transfer decision itself (see services.case_transition).
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field, replace
from datetime import date
from typing import Any

from django.db import connection
from django.db.models import Case, Max, Q, QuerySet, Value, When
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from program.cells import selectors as cells_selectors
from program.cells.models import Agreement
from transfers.models import EligibilityRuleParameter

RULESET_VERSION = "2025.1"

PASS = "pass"  # noqa: S105 (a rule outcome, not a password)
FAIL = "fail"
REVIEW = "review"

HARD = "hard"
SOFT = "soft"
DECISION = "decision"

RISK_ORDER = {"low": 0, "medium": 1, "high": 2}
KIND_LABELS = {
    HARD: gettext_lazy("Hard rule"),
    SOFT: gettext_lazy("Flag for manual review"),
    DECISION: gettext_lazy("Checked at the decision"),
}


# --- Parameters -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ParamSpec:
    default: Any
    label: str
    help: str
    parse: Callable[[Any], Any]


def _int_between(low: int, high: int) -> Callable[[Any], int]:
    def parse(raw: Any) -> int:
        expected = _("a whole number from %(low)s to %(high)s") % {"low": low, "high": high}
        try:
            value = int(raw)
        except (TypeError, ValueError):
            raise ValueError(expected) from None
        if not low <= value <= high:
            raise ValueError(expected)
        return value

    return parse


def _optional_int(raw: Any) -> int | None:
    if raw in (None, "", "null", "none", "off"):
        return None
    return _int_between(1, 100_000)(raw)


def _bool(raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().lower()
    if text in {"true", "yes", "1", "on"}:
        return True
    if text in {"false", "no", "0", "off"}:
        return False
    raise ValueError(_("yes or no"))


def _one_of(*choices: str) -> Callable[[Any], str]:
    def parse(raw: Any) -> str:
        value = str(raw).strip()
        if value not in choices:
            raise ValueError(_("one of %(choices)s") % {"choices": ", ".join(choices)})
        return value

    return parse


def _sexes(raw: Any) -> list[str]:
    items = raw if isinstance(raw, list) else str(raw).replace(" ", "").split(",")
    values = sorted({str(item).upper() for item in items if str(item).strip()})
    if not values or not set(values) <= {"M", "F", "X"}:
        raise ValueError(_("a list of M, F, X"))
    return values


PARAMETERS: dict[str, ParamSpec] = {
    "min_days_left": ParamSpec(
        180,
        "Minimum days left to serve (E12)",
        "Counted from the screening day to the date chosen below.",
        _int_between(0, 10_000),
    ),
    "days_left_counted_to": ParamSpec(
        "full_term",
        "Days left counted to (E12)",
        "full_term (the expected release date) or two_thirds (the parole date).",
        _one_of("full_term", "two_thirds"),
    ),
    "min_age": ParamSpec(18, "Minimum age (E10)", "On the screening day.", _int_between(0, 99)),
    "sexes_admitted": ParamSpec(["M"], "Sexes admitted (E11)", "Comma-separated: M, F, X.", _sexes),
    "forvaring_admitted": ParamSpec(
        True, "Forvaring admitted (E4)", "Whether forvaring sentences may be sent.", _bool
    ),
    "expulsion_order_required": ParamSpec(
        True, "Expulsion order required (E5)", "Policy rule; the law itself is broader.", _bool
    ),
    "max_risk_level": ParamSpec(
        "medium",
        "Highest security level admitted (E9)",
        "low, medium or high.",
        _one_of("low", "medium", "high"),
    ),
    "max_sentence_days": ParamSpec(
        None,
        "Longest sentence admitted in days (E13)",
        "Empty switches the rule off (the default; the 10-year limit is unconfirmed).",
        _optional_int,
    ),
    "appeal_days": ParamSpec(
        60,
        "Appeal window (days)",
        "From the notification to the appeal deadline.",
        _int_between(1, 365),
    ),
    "appeal_suspends": ParamSpec(
        False,
        "An appeal suspends the transfer",
        "When no, a case under appeal may still be scheduled (the Danish analogue).",
        _bool,
    ),
    "review_interval_days": ParamSpec(
        180,
        "Periodic review interval (days)",
        "While serving at the host facility.",
        _int_between(1, 3650),
    ),
    "capacity_lead_days": ParamSpec(
        30,
        "Capacity checked ahead (days) (E17)",
        "A transfer decision with no transport planned yet is refused when the programme is "
        "full on any day from the decision to this many days after it.",
        _int_between(0, 365),
    ),
    "release_prep_days": ParamSpec(
        90,
        "Release preparation starts (days before release)",
        "Travel documents, destination acceptance, flight.",
        _int_between(1, 3650),
    ),
    "screening_max_age_days": ParamSpec(
        30,
        "A screening is current for (days)",
        "From the decision to the departure every move needs a screening this recent; an older "
        "one is repeated by the move itself.",
        _int_between(1, 365),
    ),
    "reminder_days": ParamSpec(
        14, "Remind this many days ahead", "For deadline reminders.", _int_between(1, 365)
    ),
}


@dataclass(frozen=True)
class Params:
    min_days_left: int = 180
    days_left_counted_to: str = "full_term"
    min_age: int = 18
    sexes_admitted: tuple[str, ...] = ("M",)
    forvaring_admitted: bool = True
    expulsion_order_required: bool = True
    max_risk_level: str = "medium"
    max_sentence_days: int | None = None
    appeal_days: int = 60
    appeal_suspends: bool = False
    review_interval_days: int = 180
    release_prep_days: int = 90
    reminder_days: int = 14
    screening_max_age_days: int = 30
    capacity_lead_days: int = 30
    revision: int = 0  # the newest parameter row's id: part of the rule-set version

    @property
    def rule_set_version(self) -> str:
        return f"{RULESET_VERSION}+p{self.revision}"


def _programme_rows(agreement: Agreement | int | None) -> QuerySet[EligibilityRuleParameter]:
    """A programme's own rows before the rows for every programme (agreement empty)."""
    rows = EligibilityRuleParameter.objects.all()
    if agreement is None:
        return rows.filter(agreement__isnull=True)
    return rows.filter(Q(agreement=agreement) | Q(agreement__isnull=True))


def params_in_force(agreement: Any) -> QuerySet[EligibilityRuleParameter]:
    """Per name, the newest row of the programme's own, else the newest row for every programme.
    `agreement` may be an OuterRef: the case page reads these rows with the case's own row."""
    return (
        _programme_rows(agreement)
        .annotate(own=Case(When(agreement__isnull=True, then=Value(0)), default=Value(1)))
        .order_by("name", "-own", "-id")
        .distinct("name")
    )


def params_load(agreement: Agreement | int | None = None) -> Params:
    """The parameters in force for a programme: per name, the newest row of the programme's own,
    else the newest row for every programme, else the default (one query). Without a programme,
    only the rows for every programme count."""
    return params_from_rows(params_in_force(agreement))


def params_from_rows(rows: Iterable[EligibilityRuleParameter]) -> Params:
    """The parameters the rows of params_in_force() set; a bad stored value never breaks
    screening (the default applies)."""
    values: dict[str, Any] = {}
    revision = 0
    for row in rows:
        spec = PARAMETERS.get(row.name)
        revision = max(revision, row.pk)
        if spec is None:
            continue
        try:
            value = spec.parse(row.value)
        except (TypeError, ValueError):
            continue
        values[row.name] = tuple(value) if isinstance(value, list) else value
    return replace(Params(), revision=revision, **values)


def params_history(
    agreement: Agreement | int | None = None,
) -> dict[str, list[EligibilityRuleParameter]]:
    history: dict[str, list[EligibilityRuleParameter]] = defaultdict(list)
    for row in (
        _programme_rows(agreement).select_related("changed_by", "agreement").order_by("name", "-id")
    ):
        history[row.name].append(row)
    return history


def params_revision(agreement: Agreement | int | None = None) -> int:
    return _programme_rows(agreement).aggregate(rev=Max("id"))["rev"] or 0


# --- Inputs ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Snapshot:
    """Everything the rules read about one inmate on one day."""

    inmate_id: int
    on: date
    date_of_birth: date
    sex: str
    nationalities: tuple[str, ...] = ()
    eu_eea_nationalities: tuple[str, ...] = ()
    has_judgment: bool = True
    judgment_final_on: date | None = None
    sentence_type: str | None = "fixed_term"
    length_days: int | None = None
    full_term_date: date | None = None
    two_thirds_date: date | None = None
    terrorism: bool = False
    war_crimes: bool = False
    expulsion_order_in_force: bool = True
    serious_mental_disorder: bool = False
    security_level: str = "low"
    specialist_treatment: bool = False
    minor_children_visiting: bool = False
    country_of_return: str | None = None
    return_readmits: str = "unknown"  # the person's override, else the country's answer
    readmission_by_person: bool = False  # True: return_readmits is the person's override
    readmission_reason: str = ""  # the override's reason
    readmission_as_of: date | None = None  # the country's answer: when, and from where
    readmission_source: str = ""
    places_cap: int | None = None
    places_held: int | None = None
    opinion_recorded: bool = False

    def as_inputs(self) -> dict[str, Any]:
        def plain(value: Any) -> Any:
            if isinstance(value, date):
                return value.isoformat()
            return list(value) if isinstance(value, tuple) else value

        return {key: plain(value) for key, value in asdict(self).items()}


@dataclass(frozen=True)
class Capacity:
    cap: int | None
    held: int | None


def capacity_on(on: date, agreement: Agreement | None) -> Capacity:
    """Cap and places held (occupied + reserved) on a day in one programme; unknown without one.

    Nothing of another programme counts (each agreement's own places and ramp-up)."""
    if agreement is None:
        return Capacity(cap=None, held=None)
    return Capacity(
        cap=cells_selectors.ramp_up_cap_on(agreement=agreement, on=on),
        held=cells_selectors.places_held_on(agreement=agreement, on=on),
    )


# One row per inmate with everything the rules read: the sentence as it runs (all judgments
# combined, kept on the inmate row: docs/sentences.md), whether every judgment is final, offence
# flags over all judgments, nationalities, the order in force on the day and readmission (the
# person's override, else the country's answer).
# Rows, not model instances: building Inmate and Judgment objects with prefetches cost the sweep
# most of its time at 100,000 candidates (measured with make bench).
# The order in force is a scalar subquery with LIMIT 1, not EXISTS: PostgreSQL plans that EXISTS
# as a hashed subplan that hashes every order in the table for each chunk of the sweep (55 ms a
# chunk at 100,000 inmates); the scalar form probes the inmate's own orders by index (23 ms).
_SNAPSHOT_SQL = """
SELECT i.id, i.date_of_birth, i.sex,
       coalesce((SELECT array_agg(c.code ORDER BY c.code)
                 FROM inmates_inmate_nationalities n JOIN inmates_country c ON c.code = n.country_id
                 WHERE n.inmate_id = i.id), '{}'),
       coalesce((SELECT array_agg(c.code ORDER BY c.code)
                 FROM inmates_inmate_nationalities n JOIN inmates_country c ON c.code = n.country_id
                 WHERE n.inmate_id = i.id AND c.eu_eea), '{}'),
       j.judgments > 0, j.final_on,
       CASE WHEN j.judgments = 0 THEN NULL
            WHEN j.life THEN 'life' WHEN j.forvaring THEN 'forvaring' ELSE 'fixed_term' END,
       i.sentence_days, i.release_on, i.two_thirds_on,
       coalesce(o.terrorism, false), coalesce(o.war_crimes, false),
       coalesce((SELECT true FROM inmates_expulsionorder x
                 WHERE x.inmate_id = i.id AND x.final
                   AND (x.revoked_on IS NULL OR x.revoked_on > %(on)s) LIMIT 1), false),
       i.serious_mental_disorder, i.security_level, i.specialist_treatment,
       i.minor_children_visiting, i.country_of_return_id,
       coalesce(nullif(i.return_readmits, ''), rc.readmission, 'unknown'),
       i.return_readmits <> '', i.return_readmits_reason,
       rc.readmission_as_of, coalesce(rc.readmission_source, '')
FROM inmates_inmate i
LEFT JOIN inmates_country rc ON rc.code = i.country_of_return_id
CROSS JOIN LATERAL (
    -- Final only when every judgment is: the latest finality date, or none while one is open.
    SELECT count(*) AS judgments,
           CASE WHEN bool_and(jj.final_on IS NOT NULL) THEN max(jj.final_on) END AS final_on,
           coalesce(bool_or(jj.sentence_type = 'life'), false) AS life,
           coalesce(bool_or(jj.sentence_type = 'forvaring'), false) AS forvaring
    FROM inmates_judgment jj WHERE jj.inmate_id = i.id
) j
LEFT JOIN LATERAL (
    SELECT bool_or(oc.is_terrorism) AS terrorism, bool_or(oc.is_war_crimes) AS war_crimes
    FROM inmates_judgment jo
    JOIN inmates_judgment_offence_categories joc ON joc.judgment_id = jo.id
    JOIN inmates_offencecategory oc ON oc.code = joc.offencecategory_id
    WHERE jo.inmate_id = i.id
) o ON true
WHERE i.id = ANY(%(ids)s)
"""


def snapshots_for(
    inmate_ids: Iterable[int],
    *,
    on: date,
    capacity: Capacity | None = None,
    opinions: set[int] | None = None,
) -> dict[int, Snapshot]:
    """Inputs for many inmates in one query, whatever their number (capacity is read once by
    the caller). An id with no inmate gets no snapshot."""
    ids = list(inmate_ids)
    capacity = capacity or Capacity(cap=None, held=None)
    opinions = opinions or set()
    with connection.cursor() as cursor:
        cursor.execute(_SNAPSHOT_SQL, {"ids": ids, "on": on})
        rows = cursor.fetchall()
    snapshots: dict[int, Snapshot] = {}
    for row in rows:
        inmate_id, born, sex, nationalities, eu_eea, has_judgment, final_on = row[:7]
        sentence_type, length_days, full_term, two_thirds, terrorism, war_crimes = row[7:13]
        expelled, mental, security, specialist, children, country_of_return = row[13:19]
        readmits, by_person, readmits_reason, readmits_as_of, readmits_source = row[19:24]
        snapshots[inmate_id] = Snapshot(
            inmate_id=inmate_id,
            on=on,
            date_of_birth=born,
            sex=sex,
            nationalities=tuple(nationalities),
            eu_eea_nationalities=tuple(eu_eea),
            has_judgment=has_judgment,
            judgment_final_on=final_on,
            sentence_type=sentence_type,
            length_days=length_days,
            full_term_date=full_term,
            two_thirds_date=two_thirds,
            terrorism=terrorism,
            war_crimes=war_crimes,
            expulsion_order_in_force=expelled,
            serious_mental_disorder=mental,
            security_level=security,
            specialist_treatment=specialist,
            minor_children_visiting=children,
            country_of_return=country_of_return,
            return_readmits=readmits,
            readmission_by_person=by_person,
            readmission_reason=readmits_reason,
            readmission_as_of=readmits_as_of,
            readmission_source=readmits_source,
            places_cap=capacity.cap,
            places_held=capacity.held,
            opinion_recorded=inmate_id in opinions,
        )
    return snapshots


# --- Rules -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RuleResult:
    outcome: str
    eligible_from: date | None = None  # a failure that ends on this date by itself
    # The reason's key in REASONS and the facts it names: a page shows it in the reader's
    # language from the texts kept as data (transfers/rule_texts.py).
    key: str = ""
    args: dict[str, str] = field(default_factory=dict)

    @property
    def reason(self) -> str:
        """In English: what the API and the stored screening carry. Formatted when read: the
        nightly sweep evaluates every rule for every candidate but stores few results."""
        return REASONS[self.key].format(**self.args)


@dataclass(frozen=True)
class Rule:
    id: str
    text: str
    source: str
    version: int
    kind: str
    check: Callable[[Snapshot, Params], RuleResult] = field(repr=False)
    parameters: tuple[str, ...] = ()


# Every reason a rule gives, in English, with {placeholders} for the facts it names. The Danish
# and English words shown on pages are data (EligibilityText, seeded from these by a migration);
# these are the English written into each screening, which the API serves.
REASONS: dict[str, str] = {
    "E1.fail": "Danish citizen: Danish citizens are not sent.",
    "E1.pass": "Not a Danish citizen.",
    "E2.fail": "EU/EEA national ({countries}).",
    "E2.stateless": "No nationality recorded (stateless): not an EU/EEA national.",
    "E2.pass": "Third-country national ({countries}).",
    "E3.no_judgment": "No judgment recorded.",
    "E3.not_final": "The judgment is not final (no date of finality).",
    "E3.final_later": "The judgment becomes final on {date}.",
    "E3.pass": "The judgment is final since {date}.",
    "E4.fixed_term": "Fixed-term prison sentence.",
    "E4.forvaring": "Forvaring, which is admitted.",
    "E4.forvaring_refused": "Forvaring, which is not admitted under the current setting.",
    "E4.life": "Life sentence: excluded.",
    "E4.none": "No sentence recorded.",
    "E5.pass": "A final expulsion order is in force.",
    "E5.not_required": "No final expulsion order, and the setting does not require one.",
    "E5.fail": "No final expulsion order in force.",
    "E6.fail": "Convicted of an offence in the terrorism group.",
    "E6.pass": "No conviction in the terrorism group.",
    "E7.fail": "Convicted of an offence in the war-crimes group.",
    "E7.pass": "No conviction in the war-crimes group.",
    "E8.fail": "Diagnosed serious mental disorder needing treatment outside prison.",
    "E8.pass": "No serious mental disorder needing treatment outside prison.",
    "E9.fail": "Security level {level} is above {max_level}.",
    "E9.pass": "Security level {level}, at or below {max_level}.",
    "E10.fail": "Under {min_age}; turns {min_age} on {date}.",
    "E10.pass": "Aged {min_age} or over.",
    "E11.fail": "Sex {sex} is not admitted (admitted: {admitted}).",
    "E11.pass": "Sex {sex} is admitted.",
    "E12.indefinite": "Indefinite sentence: no release date to count to.",
    "E12.no_release": "No release date: the sentence length is not recorded.",
    "E12.fail_full_term": (
        "{left} days left to the full-term date ({date}); at least {min_days} needed."
    ),
    "E12.fail_two_thirds": (
        "{left} days left to the two-thirds date ({date}); at least {min_days} needed."
    ),
    "E12.pass_full_term": "{left} days left to the full-term date ({date}).",
    "E12.pass_two_thirds": "{left} days left to the two-thirds date ({date}).",
    "E13.off": "Rule switched off.",
    "E13.not_fixed_term": "Not a fixed-term sentence.",
    "E13.fail": "Sentence of {days} days exceeds {max_days}.",
    "E13.pass": "Sentence of {days} days, at most {max_days}.",
    "E14.review": "Ongoing specialist treatment: can the host facility meet the needs?",
    "E14.pass": "No medical needs flagged.",
    "E15.review": "Minor children in Denmark visit regularly (ECHR Art. 8).",
    "E15.pass": "No minor children visiting.",
    "E16.no_country": "No country of return recorded.",
    "E16.no_readmission": "{country} does not readmit: no realistic return.",
    "E16.no_readmission_country": (
        "{country} does not readmit its nationals (as of {date}; source: {source}): "
        "no realistic return."
    ),
    "E16.no_readmission_person": "{country} does not take this person back: {reason}",
    "E16.unknown_country": (
        "Not known whether {country} readmits its nationals: record the country's answer "
        "with its date and source."
    ),
    "E16.unknown_person": "Not known whether {country} takes this person back: {reason}",
    "E16.pass": "Country of return {country} (readmits: {readmits}).",
    "E17.no_agreement": "No agreement on record: capacity unknown.",
    "E17.full": ("{held} places occupied or reserved of a cap of {cap} on {date}: no free place."),
    "E17.pass": "{held} of {cap} places held on {date}.",
    "E18.pass": "Consent is not required; the inmate's opinion is recorded.",
    "E18.fail": "Consent is not required, but the inmate's opinion must be recorded first.",
}


def _say(outcome: str, key: str, *, eligible_from: date | None = None, **facts: Any) -> RuleResult:
    args = {
        name: value.isoformat() if isinstance(value, date) else str(value)
        for name, value in facts.items()
    }
    return RuleResult(outcome, eligible_from, key, args)


def _ok(key: str, **facts: Any) -> RuleResult:
    return _say(PASS, key, **facts)


def _no(key: str, *, eligible_from: date | None = None, **facts: Any) -> RuleResult:
    return _say(FAIL, key, eligible_from=eligible_from, **facts)


def _review(key: str, **facts: Any) -> RuleResult:
    return _say(REVIEW, key, **facts)


def _e1(s: Snapshot, p: Params) -> RuleResult:
    if "DK" in s.nationalities:
        return _no("E1.fail")
    return _ok("E1.pass")


def _e2(s: Snapshot, p: Params) -> RuleResult:
    if s.eu_eea_nationalities:
        return _no("E2.fail", countries=", ".join(s.eu_eea_nationalities))
    if not s.nationalities:
        return _ok("E2.stateless")
    return _ok("E2.pass", countries=", ".join(s.nationalities))


def _e3(s: Snapshot, p: Params) -> RuleResult:
    # judgment_final_on is the last finality date of all the person's judgments, or None while
    # one of them is not final: the sentence to be served is not settled until all are.
    if not s.has_judgment:
        return _no("E3.no_judgment")
    if s.judgment_final_on is None:
        return _no("E3.not_final")
    if s.judgment_final_on > s.on:
        return _no("E3.final_later", eligible_from=s.judgment_final_on, date=s.judgment_final_on)
    return _ok("E3.pass", date=s.judgment_final_on)


def _e4(s: Snapshot, p: Params) -> RuleResult:
    if s.sentence_type == "fixed_term":
        return _ok("E4.fixed_term")
    if s.sentence_type == "forvaring":
        if p.forvaring_admitted:
            return _ok("E4.forvaring")
        return _no("E4.forvaring_refused")
    if s.sentence_type == "life":
        return _no("E4.life")
    return _no("E4.none")


def _e5(s: Snapshot, p: Params) -> RuleResult:
    if s.expulsion_order_in_force:
        return _ok("E5.pass")
    if not p.expulsion_order_required:
        return _ok("E5.not_required")
    return _no("E5.fail")


def _e6(s: Snapshot, p: Params) -> RuleResult:
    return _no("E6.fail") if s.terrorism else _ok("E6.pass")


def _e7(s: Snapshot, p: Params) -> RuleResult:
    return _no("E7.fail") if s.war_crimes else _ok("E7.pass")


def _e8(s: Snapshot, p: Params) -> RuleResult:
    return _no("E8.fail") if s.serious_mental_disorder else _ok("E8.pass")


def _e9(s: Snapshot, p: Params) -> RuleResult:
    level = RISK_ORDER.get(s.security_level, 99)
    facts: dict[str, Any] = {"level": s.security_level, "max_level": p.max_risk_level}
    if level > RISK_ORDER[p.max_risk_level]:
        return _no("E9.fail", **facts)
    return _ok("E9.pass", **facts)


def _birthday(born: date, years: int) -> date:
    try:
        return born.replace(year=born.year + years)
    except ValueError:  # born on 29 February: the birthday falls on 1 March in common years
        return date(born.year + years, 3, 1)


def _e10(s: Snapshot, p: Params) -> RuleResult:
    comes_of_age = _birthday(s.date_of_birth, p.min_age)
    if s.on < comes_of_age:
        return _no("E10.fail", eligible_from=comes_of_age, min_age=p.min_age, date=comes_of_age)
    return _ok("E10.pass", min_age=p.min_age)


def _e11(s: Snapshot, p: Params) -> RuleResult:
    if s.sex not in p.sexes_admitted:
        return _no("E11.fail", sex=s.sex, admitted=", ".join(p.sexes_admitted))
    return _ok("E11.pass", sex=s.sex)


def _release_date(s: Snapshot, p: Params) -> date | None:
    return s.two_thirds_date if p.days_left_counted_to == "two_thirds" else s.full_term_date


def _e12(s: Snapshot, p: Params) -> RuleResult:
    if s.sentence_type in ("forvaring", "life"):
        return _ok("E12.indefinite")
    release = _release_date(s, p)
    if release is None:
        return _no("E12.no_release")
    left = (release - s.on).days
    target = "two_thirds" if p.days_left_counted_to == "two_thirds" else "full_term"
    if left < p.min_days_left:
        return _no(f"E12.fail_{target}", left=left, date=release, min_days=p.min_days_left)
    return _ok(f"E12.pass_{target}", left=left, date=release)


def _e13(s: Snapshot, p: Params) -> RuleResult:
    if p.max_sentence_days is None:
        return _ok("E13.off")
    if s.length_days is None:
        return _ok("E13.not_fixed_term")
    facts: dict[str, Any] = {"days": s.length_days, "max_days": p.max_sentence_days}
    if s.length_days > p.max_sentence_days:
        return _no("E13.fail", **facts)
    return _ok("E13.pass", **facts)


def _e14(s: Snapshot, p: Params) -> RuleResult:
    return _review("E14.review") if s.specialist_treatment else _ok("E14.pass")


def _e15(s: Snapshot, p: Params) -> RuleResult:
    return _review("E15.review") if s.minor_children_visiting else _ok("E15.pass")


def _e16(s: Snapshot, p: Params) -> RuleResult:
    """Only a "yes" passes: "no" and "unknown" both go to a person, with the reason (the
    person's override and why, or the country's answer with its date and source)."""
    country = s.country_of_return
    if country is None:
        return _review("E16.no_country")
    if s.return_readmits == "yes":
        return _ok("E16.pass", country=country, readmits=s.return_readmits)
    if s.readmission_by_person:
        kind = "no_readmission" if s.return_readmits == "no" else "unknown"
        return _review(f"E16.{kind}_person", country=country, reason=s.readmission_reason)
    if s.return_readmits == "no":
        return _review(
            "E16.no_readmission_country",
            country=country,
            date=s.readmission_as_of or "",
            source=s.readmission_source,
        )
    return _review("E16.unknown_country", country=country)


def _e17(s: Snapshot, p: Params) -> RuleResult:
    if s.places_cap is None or s.places_held is None:
        return _no("E17.no_agreement")
    facts: dict[str, Any] = {"held": s.places_held, "cap": s.places_cap, "date": s.on}
    if s.places_held >= s.places_cap:
        return _no("E17.full", **facts)
    return _ok("E17.pass", **facts)


def _e18(s: Snapshot, p: Params) -> RuleResult:
    return _ok("E18.pass") if s.opinion_recorded else _no("E18.fail")


_LAW = "Act L 180 (2022) and the Denmark–Kosovo treaty"
RULES: tuple[Rule, ...] = (
    Rule("E1", "Not a Danish citizen.", "Treaty practice; Justice Ministry", 1, HARD, _e1),
    Rule(
        "E2",
        "Third-country national: no nationality in the EU/EEA (country list kept as data).",
        _LAW,
        1,
        HARD,
        _e2,
    ),
    Rule("E3", "Every judgment is final on the screening day.", _LAW, 2, HARD, _e3),
    Rule(
        "E4",
        "A fixed-term prison sentence or forvaring (if admitted); no life sentence.",
        _LAW,
        1,
        HARD,
        _e4,
        ("forvaring_admitted",),
    ),
    Rule(
        "E5",
        "A final expulsion order is in force (a revocation counts from its effective date).",
        "Policy rule",
        2,
        HARD,
        _e5,
        ("expulsion_order_required",),
    ),
    Rule("E6", "No conviction in the terrorism offence group.", _LAW, 1, HARD, _e6),
    Rule("E7", "No conviction in the war-crimes offence group.", _LAW, 1, HARD, _e7),
    Rule(
        "E8",
        "No diagnosed serious mental disorder needing treatment outside prison.",
        _LAW,
        1,
        HARD,
        _e8,
    ),
    Rule(
        "E9",
        "Security level at or below the threshold (non-dangerous).",
        "Kosovo government statements",
        1,
        HARD,
        _e9,
        ("max_risk_level",),
    ),
    Rule(
        "E10",
        "Aged at least the minimum age on the screening day.",
        "Assumed (Norway, Sweden)",
        1,
        HARD,
        _e10,
        ("min_age",),
    ),
    Rule(
        "E11",
        "Of a sex admitted (men only by default).",
        "Assumed (Norway, Sweden)",
        1,
        HARD,
        _e11,
        ("sexes_admitted",),
    ),
    Rule(
        "E12",
        "At least the minimum days left to serve, to the combined release or two-thirds date.",
        "Assumed (ETS 112: 6 months)",
        2,
        HARD,
        _e12,
        ("min_days_left", "days_left_counted_to"),
    ),
    Rule(
        "E13",
        "Sentence no longer than the maximum (off by default).",
        "Kosovo press report (unconfirmed)",
        1,
        HARD,
        _e13,
        ("max_sentence_days",),
    ),
    Rule("E14", "Medical needs the host facility can meet.", "Norway precedent", 1, SOFT, _e14),
    Rule(
        "E15",
        "No minor children in Denmark with regular visits.",
        "ECHR Art. 8; Norway precedent",
        1,
        SOFT,
        _e15,
    ),
    Rule(
        "E16",
        "A realistic country of return: it readmits its nationals (or this person).",
        "Treaty: deportation from Kosovo",
        2,
        SOFT,
        _e16,
    ),
    Rule(
        "E17",
        "Occupied and reserved places stay below the cap (ramp-up included) on the decision date.",
        "Treaty: 300 places; ramp-up",
        1,
        DECISION,
        _e17,
    ),
    Rule(
        "E18",
        "Consent is not required, but the inmate's opinion is recorded before the decision.",
        "Additional Protocol (ETS 167) analogue",
        1,
        DECISION,
        _e18,
    ),
)
RULES_BY_ID = {rule.id: rule for rule in RULES}


# --- Evaluation --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Evaluation:
    outcome: str  # Screening.Outcome values
    checked: tuple[tuple[Rule, RuleResult], ...] = field(repr=False)
    eligible_from: date | None
    fingerprint: str
    rule_set_version: str

    @property
    def results(self) -> list[dict[str, Any]]:
        """Each rule's result as stored in a screening. Built on demand: the nightly sweep
        stores only changed outcomes, so for most inmates only the fingerprint is read."""
        return [
            {
                "id": rule.id,
                "version": rule.version,
                "kind": rule.kind,
                "outcome": result.outcome,
                "reason": result.reason,
                "reason_key": result.key,
                "reason_args": result.args,
            }
            for rule, result in self.checked
        ]


def evaluate(snapshot: Snapshot, params: Params) -> Evaluation:
    """Run every rule; the outcome follows from the hard and soft rules only."""
    checked = tuple((rule, rule.check(snapshot, params)) for rule in RULES)
    hard_fails = [r for rule, r in checked if rule.kind == HARD and r.outcome == FAIL]
    review = any(rule.kind == SOFT and r.outcome == REVIEW for rule, r in checked)
    if hard_fails:
        outcome = "ineligible"
    elif review:
        outcome = "needs_review"
    else:
        outcome = "eligible"
    eligible_from = None
    if hard_fails and all(fail.eligible_from is not None for fail in hard_fails):
        eligible_from = max(fail.eligible_from for fail in hard_fails if fail.eligible_from)
    key = json.dumps(
        [
            outcome,
            params.rule_set_version,
            eligible_from.isoformat() if eligible_from else None,
            [(rule.id, r.outcome) for rule, r in checked if rule.kind != DECISION],
        ]
    )
    return Evaluation(
        outcome=outcome,
        checked=checked,
        eligible_from=eligible_from,
        fingerprint=hashlib.sha256(key.encode()).hexdigest(),
        rule_set_version=params.rule_set_version,
    )


def evaluate_rule(rule_id: str, snapshot: Snapshot, params: Params | None = None) -> RuleResult:
    return RULES_BY_ID[rule_id].check(snapshot, params or Params())

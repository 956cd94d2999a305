"""Eligibility rules E1–E18 (programme-facts §9.3) as code, and their parameters as data.

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
from django.db.models import Max

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


# --- Parameters -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ParamSpec:
    default: Any
    label: str
    help: str
    parse: Callable[[Any], Any]


def _int_between(low: int, high: int) -> Callable[[Any], int]:
    def parse(raw: Any) -> int:
        value = int(raw)
        if not low <= value <= high:
            raise ValueError(f"a whole number from {low} to {high}")
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
    raise ValueError("yes or no")


def _one_of(*choices: str) -> Callable[[Any], str]:
    def parse(raw: Any) -> str:
        value = str(raw).strip()
        if value not in choices:
            raise ValueError("one of " + ", ".join(choices))
        return value

    return parse


def _sexes(raw: Any) -> list[str]:
    items = raw if isinstance(raw, list) else str(raw).replace(" ", "").split(",")
    values = sorted({str(item).upper() for item in items if str(item).strip()})
    if not values or not set(values) <= {"M", "F", "X"}:
        raise ValueError("a list of M, F, X")
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
        180, "Periodic review interval (days)", "While serving in Gjilan.", _int_between(1, 3650)
    ),
    "release_prep_days": ParamSpec(
        90,
        "Release preparation starts (days before release)",
        "Travel documents, destination acceptance, flight.",
        _int_between(1, 3650),
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
    revision: int = 0  # the newest parameter row's id: part of the rule-set version

    @property
    def rule_set_version(self) -> str:
        return f"{RULESET_VERSION}+p{self.revision}"


def params_load() -> Params:
    """The parameters in force: the newest row per name, defaults for the rest (one query)."""
    rows = EligibilityRuleParameter.objects.order_by("name", "-id").distinct("name")
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
            continue  # a bad stored value never breaks screening; the default applies
        values[row.name] = tuple(value) if isinstance(value, list) else value
    return replace(Params(), revision=revision, **values)


def params_history() -> dict[str, list[EligibilityRuleParameter]]:
    history: dict[str, list[EligibilityRuleParameter]] = defaultdict(list)
    for row in EligibilityRuleParameter.objects.select_related("changed_by").order_by(
        "name", "-id"
    ):
        history[row.name].append(row)
    return history


def params_revision() -> int:
    return EligibilityRuleParameter.objects.aggregate(rev=Max("id"))["rev"] or 0


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
    return_readmits: str = "unknown"
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


def capacity_on(on: date) -> Capacity:
    """Cap and places held (occupied + reserved) on a day, for the programme's agreement.

    One install runs one sending programme today; with several, the oldest agreement is used
    (see the issue note).
    """
    agreement = Agreement.objects.order_by("signed_on", "id").first()
    if agreement is None:
        return Capacity(cap=None, held=None)
    return Capacity(
        cap=cells_selectors.ramp_up_cap_on(agreement=agreement, on=on),
        held=cells_selectors.places_held_on(agreement=agreement, on=on),
    )


# One row per inmate with everything the rules read: the newest judgment (by judgment date, then
# the one recorded last), offence flags over all judgments, nationalities and the order in force.
# Rows, not model instances: building Inmate and Judgment objects with prefetches cost the sweep
# most of its time at 100,000 candidates (bench/, issue 7).
_SNAPSHOT_SQL = """
SELECT i.id, i.date_of_birth, i.sex,
       coalesce((SELECT array_agg(c.code ORDER BY c.code)
                 FROM inmates_inmate_nationalities n JOIN inmates_country c ON c.code = n.country_id
                 WHERE n.inmate_id = i.id), '{}'),
       coalesce((SELECT array_agg(c.code ORDER BY c.code)
                 FROM inmates_inmate_nationalities n JOIN inmates_country c ON c.code = n.country_id
                 WHERE n.inmate_id = i.id AND c.eu_eea), '{}'),
       j.id IS NOT NULL, j.final_on, j.sentence_type, j.length_days, j.full_term_date,
       j.two_thirds_date,
       coalesce(o.terrorism, false), coalesce(o.war_crimes, false),
       EXISTS (SELECT 1 FROM inmates_expulsionorder x
               WHERE x.inmate_id = i.id AND x.final AND x.revoked_on IS NULL),
       i.serious_mental_disorder, i.security_level, i.specialist_treatment,
       i.minor_children_visiting, i.country_of_return_id, i.return_readmits
FROM inmates_inmate i
LEFT JOIN LATERAL (
    SELECT jj.id, jj.final_on, jj.sentence_type, jj.length_days, jj.full_term_date,
           jj.two_thirds_date
    FROM inmates_judgment jj WHERE jj.inmate_id = i.id
    ORDER BY jj.judgment_date DESC, jj.id DESC LIMIT 1
) j ON true
LEFT JOIN LATERAL (
    SELECT bool_or(oc.is_terrorism) AS terrorism, bool_or(oc.is_war_crimes) AS war_crimes
    FROM inmates_judgment jo
    JOIN inmates_judgment_offence_categories joc ON joc.judgment_id = jo.id
    JOIN inmates_offencecategory oc ON oc.code = joc.offencecategory_id
    WHERE jo.inmate_id = i.id
) o ON true
WHERE i.id = ANY(%s)
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
        cursor.execute(_SNAPSHOT_SQL, [ids])
        rows = cursor.fetchall()
    snapshots: dict[int, Snapshot] = {}
    for row in rows:
        inmate_id, born, sex, nationalities, eu_eea, has_judgment, final_on = row[:7]
        sentence_type, length_days, full_term, two_thirds, terrorism, war_crimes = row[7:13]
        expelled, mental, security, specialist, children, country_of_return = row[13:19]
        readmits = row[19]
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
            places_cap=capacity.cap,
            places_held=capacity.held,
            opinion_recorded=inmate_id in opinions,
        )
    return snapshots


# --- Rules -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RuleResult:
    outcome: str
    reason: str
    eligible_from: date | None = None  # a failure that ends on this date by itself


@dataclass(frozen=True)
class Rule:
    id: str
    text: str
    source: str
    version: int
    kind: str
    check: Callable[[Snapshot, Params], RuleResult] = field(repr=False)
    parameters: tuple[str, ...] = ()


def _ok(reason: str) -> RuleResult:
    return RuleResult(PASS, reason)


def _no(reason: str, eligible_from: date | None = None) -> RuleResult:
    return RuleResult(FAIL, reason, eligible_from)


def _e1(s: Snapshot, p: Params) -> RuleResult:
    if "DK" in s.nationalities:
        return _no("Danish citizen: Danish citizens are not sent.")
    return _ok("Not a Danish citizen.")


def _e2(s: Snapshot, p: Params) -> RuleResult:
    if s.eu_eea_nationalities:
        return _no("EU/EEA national (" + ", ".join(s.eu_eea_nationalities) + ").")
    if not s.nationalities:
        return _ok("No nationality recorded (stateless): not an EU/EEA national.")
    return _ok("Third-country national (" + ", ".join(s.nationalities) + ").")


def _e3(s: Snapshot, p: Params) -> RuleResult:
    if not s.has_judgment:
        return _no("No judgment recorded.")
    if s.judgment_final_on is None:
        return _no("The judgment is not final (no date of finality).")
    if s.judgment_final_on > s.on:
        return _no(
            f"The judgment becomes final on {s.judgment_final_on.isoformat()}.",
            eligible_from=s.judgment_final_on,
        )
    return _ok(f"The judgment is final since {s.judgment_final_on.isoformat()}.")


def _e4(s: Snapshot, p: Params) -> RuleResult:
    if s.sentence_type == "fixed_term":
        return _ok("Fixed-term prison sentence.")
    if s.sentence_type == "forvaring":
        if p.forvaring_admitted:
            return _ok("Forvaring, which is admitted.")
        return _no("Forvaring, which is not admitted under the current setting.")
    if s.sentence_type == "life":
        return _no("Life sentence: excluded.")
    return _no("No sentence recorded.")


def _e5(s: Snapshot, p: Params) -> RuleResult:
    if s.expulsion_order_in_force:
        return _ok("A final expulsion order is in force.")
    if not p.expulsion_order_required:
        return _ok("No final expulsion order, and the setting does not require one.")
    return _no("No final expulsion order in force.")


def _e6(s: Snapshot, p: Params) -> RuleResult:
    if s.terrorism:
        return _no("Convicted of an offence in the terrorism group.")
    return _ok("No conviction in the terrorism group.")


def _e7(s: Snapshot, p: Params) -> RuleResult:
    if s.war_crimes:
        return _no("Convicted of an offence in the war-crimes group.")
    return _ok("No conviction in the war-crimes group.")


def _e8(s: Snapshot, p: Params) -> RuleResult:
    if s.serious_mental_disorder:
        return _no("Diagnosed serious mental disorder needing treatment outside prison.")
    return _ok("No serious mental disorder needing treatment outside prison.")


def _e9(s: Snapshot, p: Params) -> RuleResult:
    level = RISK_ORDER.get(s.security_level, 99)
    if level > RISK_ORDER[p.max_risk_level]:
        return _no(f"Security level {s.security_level} is above {p.max_risk_level}.")
    return _ok(f"Security level {s.security_level}, at or below {p.max_risk_level}.")


def _birthday(born: date, years: int) -> date:
    try:
        return born.replace(year=born.year + years)
    except ValueError:  # born on 29 February: the birthday falls on 1 March in common years
        return date(born.year + years, 3, 1)


def _e10(s: Snapshot, p: Params) -> RuleResult:
    comes_of_age = _birthday(s.date_of_birth, p.min_age)
    if s.on < comes_of_age:
        return _no(
            f"Under {p.min_age}; turns {p.min_age} on {comes_of_age.isoformat()}.",
            eligible_from=comes_of_age,
        )
    return _ok(f"Aged {p.min_age} or over.")


def _e11(s: Snapshot, p: Params) -> RuleResult:
    if s.sex not in p.sexes_admitted:
        return _no(f"Sex {s.sex} is not admitted (admitted: {', '.join(p.sexes_admitted)}).")
    return _ok(f"Sex {s.sex} is admitted.")


def _release_date(s: Snapshot, p: Params) -> date | None:
    return s.two_thirds_date if p.days_left_counted_to == "two_thirds" else s.full_term_date


def _e12(s: Snapshot, p: Params) -> RuleResult:
    if s.sentence_type in ("forvaring", "life"):
        return _ok("Indefinite sentence: no release date to count to.")
    release = _release_date(s, p)
    if release is None:
        return _no("No release date: the sentence length is not recorded.")
    left = (release - s.on).days
    target = "two-thirds date" if p.days_left_counted_to == "two_thirds" else "full-term date"
    if left < p.min_days_left:
        return _no(
            f"{left} days left to the {target} ({release.isoformat()}); "
            f"at least {p.min_days_left} needed."
        )
    return _ok(f"{left} days left to the {target} ({release.isoformat()}).")


def _e13(s: Snapshot, p: Params) -> RuleResult:
    if p.max_sentence_days is None:
        return _ok("Rule switched off.")
    if s.length_days is None:
        return _ok("Not a fixed-term sentence.")
    if s.length_days > p.max_sentence_days:
        return _no(f"Sentence of {s.length_days} days exceeds {p.max_sentence_days}.")
    return _ok(f"Sentence of {s.length_days} days, at most {p.max_sentence_days}.")


def _e14(s: Snapshot, p: Params) -> RuleResult:
    if s.specialist_treatment:
        return RuleResult(REVIEW, "Ongoing specialist treatment: can Gjilan meet the needs?")
    return _ok("No medical needs flagged.")


def _e15(s: Snapshot, p: Params) -> RuleResult:
    if s.minor_children_visiting:
        return RuleResult(REVIEW, "Minor children in Denmark visit regularly (ECHR Art. 8).")
    return _ok("No minor children visiting.")


def _e16(s: Snapshot, p: Params) -> RuleResult:
    if s.country_of_return is None:
        return RuleResult(REVIEW, "No country of return recorded.")
    if s.return_readmits == "no":
        return RuleResult(REVIEW, f"{s.country_of_return} does not readmit: no realistic return.")
    return _ok(f"Country of return {s.country_of_return} (readmits: {s.return_readmits}).")


def _e17(s: Snapshot, p: Params) -> RuleResult:
    if s.places_cap is None or s.places_held is None:
        return _no("No agreement on record: capacity unknown.")
    if s.places_held >= s.places_cap:
        return _no(
            f"{s.places_held} places occupied or reserved of a cap of {s.places_cap} "
            f"on {s.on.isoformat()}: no free place."
        )
    return _ok(f"{s.places_held} of {s.places_cap} places held on {s.on.isoformat()}.")


def _e18(s: Snapshot, p: Params) -> RuleResult:
    if s.opinion_recorded:
        return _ok("Consent is not required; the inmate's opinion is recorded.")
    return _no("Consent is not required, but the inmate's opinion must be recorded first.")


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
    Rule("E3", "The judgment is final on the screening day.", _LAW, 1, HARD, _e3),
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
        "A final expulsion order is in force.",
        "Policy rule",
        1,
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
        "At least the minimum days left to serve, to the release or two-thirds date.",
        "Assumed (ETS 112: 6 months)",
        1,
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
    Rule("E16", "A realistic country of return.", "Treaty: deportation from Kosovo", 1, SOFT, _e16),
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
    results: list[dict[str, Any]]
    eligible_from: date | None
    fingerprint: str
    rule_set_version: str


def evaluate(snapshot: Snapshot, params: Params) -> Evaluation:
    """Run every rule; the outcome follows from the hard and soft rules only."""
    results: list[dict[str, Any]] = []
    hard_fails: list[RuleResult] = []
    review = False
    for rule in RULES:
        result = rule.check(snapshot, params)
        results.append(
            {
                "id": rule.id,
                "version": rule.version,
                "kind": rule.kind,
                "outcome": result.outcome,
                "reason": result.reason,
            }
        )
        if rule.kind == HARD and result.outcome == FAIL:
            hard_fails.append(result)
        elif rule.kind == SOFT and result.outcome == REVIEW:
            review = True
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
            [(r["id"], r["outcome"]) for r in results if r["kind"] != DECISION],
        ]
    )
    return Evaluation(
        outcome=outcome,
        results=results,
        eligible_from=eligible_from,
        fingerprint=hashlib.sha256(key.encode()).hexdigest(),
        rule_set_version=params.rule_set_version,
    )


def evaluate_rule(rule_id: str, snapshot: Snapshot, params: Params | None = None) -> RuleResult:
    return RULES_BY_ID[rule_id].check(snapshot, params or Params())

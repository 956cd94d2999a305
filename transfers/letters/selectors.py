"""Reads of the letters for the case page, the transport page and the API."""

from dataclasses import dataclass, field

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import OuterRef, QuerySet

from program.cells.models import Agreement
from transfers.letters import languages
from transfers.letters.kinds import kinds_for_state
from transfers.letters.models import Letter, LetterJob, LetterKind, LetterTemplate
from transfers.models import TransferCase, TransportBatch


def case_letters(case: TransferCase) -> QuerySet[Letter]:
    """Every letter made for the case, newest first, with its document and its maker."""
    return (
        Letter.objects.filter(case=case)
        .select_related("document", "generated_by", "batch")
        .order_by("-id")
    )


@dataclass(frozen=True)
class LanguagePlan:
    """The languages the case's letters will be written in, and whether that is a fallback."""

    languages: tuple[str, ...]
    names: tuple[str, ...]
    fell_back: bool
    wanted: tuple[str, ...]
    programme_languages: tuple[str, ...] = field(default=())


def language_plan(case: TransferCase) -> LanguagePlan | None:
    """What the next decision letter would be written in (None: no programme on record)."""
    # One query: the programme's agreement (the place's, or the oldest) with its template
    # languages, rather than the agreement and then its templates.
    templates = LetterTemplate.objects.filter(
        agreement=OuterRef("pk"), kind=LetterKind.TRANSFER_DECISION, active=True
    ).values("language")
    agreements = Agreement.objects.annotate(languages=ArraySubquery(templates))
    placement = case.placement
    if placement is not None:
        agreements = agreements.filter(facilities__units__cells__places__id=placement.place_id)
    found = agreements.order_by("signed_on", "id").values_list("languages", flat=True).first()
    if found is None:
        return None
    available = sorted(set(found))
    wanted = [case.notification_language, *case.inmate.languages]
    choice = languages.choose(wanted=wanted, available=available)
    return LanguagePlan(
        languages=choice.languages,
        names=tuple(languages.language_name(code) for code in choice.languages),
        fell_back=choice.fell_back,
        wanted=choice.wanted,
        programme_languages=tuple(languages.language_name(code) for code in available),
    )


def kinds_available(case: TransferCase) -> list[tuple[str, str]]:
    """The letters that may be made in the case's state, as (value, label) choices."""
    return [(kind, str(LetterKind(kind).label)) for kind in kinds_for_state(case.state)]


def stale_deadlines(case: TransferCase, letters: list[Letter]) -> list[Letter]:
    """The latest decision letter and notification when the appeal deadline they print is not
    the case's (the case was notified on another day than the letter planned): make them again."""
    if case.appeal_deadline is None:
        return []
    deadline = case.appeal_deadline.isoformat()
    latest: dict[str, Letter] = {}
    for made in letters:  # newest first
        latest.setdefault(made.kind, made)
    kinds = (LetterKind.TRANSFER_DECISION, LetterKind.NOTIFICATION)
    return [
        latest[kind]
        for kind in kinds
        if kind in latest and latest[kind].data.get("appeal_deadline") != deadline
    ]


def latest_job(batch: TransportBatch) -> LetterJob | None:
    return (
        LetterJob.objects.filter(batch=batch).select_related("started_by").order_by("-id").first()
    )

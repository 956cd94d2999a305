"""Writes of the letters: templates, one case's letter, a transport's manifest and letters.

A generated letter is a new version of one of the case's documents (transfers.Document), with a
Letter row that keeps the template versions and the data it was made from, and an event on the
case's timeline; all three in one transaction. A letter whose templates and data are the same as
its latest version's is not made again: regenerating after a correction makes a new version,
regenerating without one changes nothing. Nothing is ever replaced.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from program.cells.models import Agreement
from program.core.capabilities import require
from program.core.errors import ApplicationError, ConflictError, PermissionRefusedError
from program.outbox import services as outbox
from transfers.job_lock import job_lock
from transfers.letters import data as letter_data
from transfers.letters import languages, render
from transfers.letters.kinds import KINDS, kinds_for_state
from transfers.letters.models import Letter, LetterJob, LetterKind, LetterTemplate
from transfers.letters.texts import LABELS, TEXTS
from transfers.models import CaseEvent, Document, TransferCase, TransportBatch

# pg_try_advisory_lock key of a letter job (with the job id): one runner per job.
LETTER_JOB_LOCK_KEY = 0x6C65_7474  # "lett" (the two-key form takes 32-bit keys)
JOB_TASK = "letters.transport_job_run"


class LetterRoleRefusedError(PermissionRefusedError):
    pass


@dataclass(frozen=True)
class Generated:
    letter: Letter
    created: bool  # False: unchanged since this (latest) version, nothing made


def _require_caseworker(actor: User | None, what: str) -> None:
    require(actor, "letter.generate", what, error=LetterRoleRefusedError)


def _actor_name(actor: User) -> str:
    return actor.get_full_name() or actor.get_username()


# --- Templates ------------------------------------------------------------------------------------


def letter_template_check(*, kind: str, language: str, title: str, body: str) -> str:
    """Refuse a template that would make a broken letter; return its language code."""
    if kind not in KINDS:
        raise ApplicationError(_("Choose the kind of letter."), details={"kind": ["required"]})
    code = language.strip().lower()
    if not code.isascii() or not code.isalpha() or not 2 <= len(code) <= 3:
        raise ApplicationError(
            _("Give the language as an ISO 639 code, such as da, en or ar."),
            details={"language": ["ISO 639 code"]},
        )
    if not title.strip() or not body.strip():
        raise ApplicationError(
            _("Give the template a title and a body."), details={"body": ["required"]}
        )
    unknown = sorted(
        (render.placeholders_in(body) | render.placeholders_in(title))
        - set(render.PLACEHOLDERS[kind])
    )
    if unknown:
        raise ApplicationError(
            _("Unknown placeholders: %(names)s. This kind of letter may use: %(allowed)s.")
            % {
                "names": ", ".join(f"${name}" for name in unknown),
                "allowed": ", ".join(f"${name}" for name in render.PLACEHOLDERS[kind]),
            },
            details={"body": unknown},
        )
    return code


@transaction.atomic
def letter_template_save(
    *,
    agreement: Agreement,
    kind: str,
    language: str,
    title: str,
    body: str,
    labels: dict[str, str] | None = None,
    active: bool = True,
    reason: str = "",
    actor: User | None,
) -> LetterTemplate:
    """Add or change a programme's template; a change bumps its version (history keeps the old).

    A body may use only the placeholders of its kind: an unknown one is refused by name, so a
    typing error never reaches an inmate as "$nmae".
    """
    code = letter_template_check(kind=kind, language=language, title=title, body=body)
    template = (
        LetterTemplate.objects.select_for_update()
        .filter(agreement=agreement, kind=kind, language=code)
        .first()
    )
    values = {
        "title": title.strip(),
        "body": body.strip(),
        "labels": labels or {},
        "active": active,
    }
    if template is None:
        return LetterTemplate.objects.create(
            agreement=agreement,
            kind=kind,
            language=code,
            change_reason=reason,
            changed_by=actor,
            **values,
        )
    if all(getattr(template, name) == value for name, value in values.items()):
        return template
    for name, value in values.items():
        setattr(template, name, value)
    template.version += 1
    template.change_reason = reason
    template.changed_by = actor
    template.save()
    return template


@transaction.atomic
def letter_templates_seed(*, agreement: Agreement, actor: User | None = None) -> int:
    """Give a programme the starting templates it lacks (texts.py); existing ones are kept."""
    have = set(LetterTemplate.objects.filter(agreement=agreement).values_list("kind", "language"))
    made = 0
    for kind, by_language in TEXTS.items():
        for language, text in by_language.items():
            if (kind, language) in have:
                continue
            letter_template_save(
                agreement=agreement,
                kind=kind,
                language=language,
                title=text["title"],
                body=text["body"],
                labels=LABELS.get(language, {}),
                reason="Starting text",
                actor=actor,
            )
            made += 1
    return made


def templates_for(*, agreement: Agreement, kind: str) -> dict[str, LetterTemplate]:
    return {
        template.language: template
        for template in LetterTemplate.objects.filter(agreement=agreement, kind=kind, active=True)
    }


def wanted_languages(case: TransferCase) -> list[str]:
    """The inmate's languages, the one they were notified in first."""
    return [case.notification_language, *case.inmate.languages]


def _choose(
    case: TransferCase | None, kind: str, available: dict[str, LetterTemplate]
) -> languages.LanguageChoice:
    if languages.DANISH not in available:
        raise ConflictError(
            _(
                "This programme has no Danish template for the %(letter)s: an administrator "
                "adds it under Letter templates."
            )
            % {"letter": LetterKind(kind).label.lower()},
            details={"missing": "template", "language": languages.DANISH},
        )
    if case is None:  # the manifest: for the escort and the receiving facility
        return languages.choose(wanted=["English"], available=available)
    return languages.choose(wanted=wanted_languages(case), available=available)


def _fingerprint(templates: list[LetterTemplate], data: dict[str, Any]) -> str:
    # The letter's date alone does not make a new letter.
    stable = {key: value for key, value in data.items() if key != "letter_date"}
    used = [(template.pk, template.version) for template in templates]
    text = json.dumps([used, stable], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True)
class _Source:
    """What a letter is made from: the templates of its languages, the data filled in, and
    their fingerprint (the same fingerprint as the latest version's: nothing new to make)."""

    kind: str
    templates: list[LetterTemplate]
    choice: languages.LanguageChoice
    data: dict[str, Any]
    fingerprint: str


def _source(
    case: TransferCase | None, kind: str, agreement: Agreement, data: dict[str, Any]
) -> _Source:
    """The letter's templates in the languages chosen for the case (None: the manifest)."""
    available = templates_for(agreement=agreement, kind=kind)
    choice = _choose(case, kind, available)
    templates = [available[language] for language in choice.languages]
    return _Source(kind, templates, choice, data, _fingerprint(templates, data))


def _store(
    *,
    case: TransferCase,
    pdf: bytes,
    source: _Source,
    actor: User,
    batch: TransportBatch | None = None,
) -> Letter:
    kind, templates, choice = source.kind, source.templates, source.choice
    data, fingerprint = source.data, source.fingerprint
    document_kind = KINDS[kind].document_kind
    # Lock the case row so two generations (or an upload) get consecutive versions.
    TransferCase.objects.select_for_update().filter(pk=case.pk).first()
    version = (
        Document.objects.filter(case=case, kind=document_kind).aggregate(v=Max("version"))["v"] or 0
    ) + 1
    document = Document(
        case=case,
        kind=document_kind,
        version=version,
        original_name=f"{kind}-{'-'.join(choice.languages)}.pdf",
        content_type="application/pdf",
        size=len(pdf),
        sha256=hashlib.sha256(pdf).hexdigest(),
        uploaded_by=actor,
    )
    document.file.save("letter", ContentFile(pdf), save=False)
    document.save()
    letter = Letter.objects.create(
        case=case,
        kind=kind,
        document=document,
        batch=batch,
        languages=list(choice.languages),
        fell_back=choice.fell_back,
        templates={t.language: {"id": t.pk, "version": t.version} for t in templates},
        data=data,
        fingerprint=fingerprint,
        generated_by=actor,
    )
    CaseEvent.objects.create(
        case=case,
        kind=CaseEvent.Kind.DOCUMENT,
        actor=actor,
        text=_("%(document)s v%(version)s generated (%(languages)s)")
        % {
            "document": document.get_kind_display(),
            "version": version,
            "languages": ", ".join(choice.languages),
        },
        payload={
            "document": document.pk,
            "kind": document_kind,
            "version": version,
            "letter": letter.pk,
            "languages": list(choice.languages),
            "fell_back": choice.fell_back,
        },
    )
    return letter


def _latest(case: TransferCase, kind: str) -> Letter | None:
    return Letter.objects.filter(case=case, kind=kind).order_by("-id").first()


@transaction.atomic
def letter_generate(
    *,
    case: TransferCase,
    kind: str,
    actor: User,
    inputs: letter_data.Inputs | None = None,
) -> Generated:
    """Make one of the case's letters in Danish and the inmate's language (or English).

    Refused, with what is missing, when the case is not in a state for this letter, its
    decision or appeal outcome is not recorded, the reasons are not given, or the programme has
    no Danish template. Unchanged since the latest version: that version, nothing made.
    """
    _require_caseworker(actor, _("generate letters"))
    case = TransferCase.objects.select_related("inmate", "placement__place__cell__unit").get(
        pk=case.pk
    )
    agreement, data = letter_data.case_letter_data(
        case=case, kind=kind, inputs=inputs or letter_data.Inputs(), actor_name=_actor_name(actor)
    )
    source = _source(case, kind, agreement, data)
    latest = _latest(case, kind)
    if latest is not None and latest.fingerprint == source.fingerprint:
        return Generated(latest, created=False)
    pdf = render.render_pdf(source.templates, data)
    letter = _store(case=case, pdf=pdf, source=source, actor=actor)
    return Generated(letter, created=True)


@transaction.atomic
def manifest_generate(*, batch: TransportBatch, actor: User) -> list[Generated]:
    """Make the transport's manifest (Danish and English) once, and store it on every booked
    case whose latest manifest differs; the cases whose manifest is current are left alone."""
    _require_caseworker(actor, _("generate letters"))
    agreement, data = letter_data.manifest_data(batch=batch, actor_name=_actor_name(actor))
    kind = LetterKind.TRANSPORT_MANIFEST
    source = _source(None, kind, agreement, data)
    fingerprint = source.fingerprint
    cases = TransferCase.objects.filter(pk__in=letter_data.manifest_case_ids(data)).order_by("pk")
    latest = {
        letter.case_id: letter
        for letter in Letter.objects.filter(case__in=cases, kind=kind)
        .order_by("case_id", "-id")
        .distinct("case_id")
    }
    stale = [
        case for case in cases if getattr(latest.get(case.pk), "fingerprint", "") != fingerprint
    ]
    results = [Generated(latest[case.pk], created=False) for case in cases if case not in stale]
    if not stale:
        return results
    pdf = render.render_pdf(source.templates, data, manifest=True)
    for case in stale:
        letter = _store(case=case, pdf=pdf, source=source, actor=actor, batch=batch)
        results.append(Generated(letter, created=True))
    return results


# --- A transport's manifest and letters, in the worker --------------------------------------------


def transport_letters_plan(batch: TransportBatch) -> list[tuple[int, str]]:
    """The case letters a transport's job remakes: for each booked case, the notification, and
    every other letter the case already has that still fits its state (with the same reasons)."""
    cases = list(
        TransferCase.objects.filter(manifest__batch=batch, manifest__removed_at__isnull=True)
        .order_by("pk")
        .values_list("pk", "state")
    )
    made = set(
        Letter.objects.filter(case_id__in=[pk for pk, _state in cases]).values_list(
            "case_id", "kind"
        )
    )
    plan: list[tuple[int, str]] = []
    for pk, state in cases:
        for kind in kinds_for_state(state):
            if kind == LetterKind.NOTIFICATION or (pk, kind) in made:
                plan.append((pk, kind))
    return plan


@transaction.atomic
def letter_job_start(*, batch: TransportBatch, actor: User) -> LetterJob:
    """Queue the making of a transport's manifest and letters; while one is queued or running
    for this transport, starting again returns it (two clicks, one job)."""
    _require_caseworker(actor, _("generate letters"))
    TransportBatch.objects.select_for_update().filter(pk=batch.pk).first()
    running = (
        LetterJob.objects.filter(
            batch=batch,
            state__in=[LetterJob.State.QUEUED, LetterJob.State.RUNNING],
            started_at__gte=timezone.now() - timedelta(hours=1),
        )
        .order_by("-id")
        .first()
    )
    if running is not None:
        return running
    if not batch.manifest.filter(removed_at__isnull=True).exists():
        raise ConflictError(
            _("Nobody is booked on this transport: there is no manifest to make."),
            details={"manifest": ["empty"]},
        )
    job = LetterJob.objects.create(batch=batch, started_by=actor)
    # Through the outbox: the job runs once the broker takes it, even if Redis is down now.
    outbox.enqueue(JOB_TASK, job.pk, key=f"letter-job:{job.pk}")
    return job


def _previous_inputs(case_id: int, kind: str) -> letter_data.Inputs:
    latest = Letter.objects.filter(case_id=case_id, kind=kind).order_by("-id").first()
    if latest is None:
        return letter_data.Inputs()
    return letter_data.Inputs(
        reasons=latest.data.get("reasons", ""),
        reasons_translation=latest.data.get("reasons_translation", ""),
    )


def letter_job_run(*, job_id: int) -> LetterJob | None:
    """Run a letter job: the manifest first, then each case letter in its own transaction,
    counting `done` as each commits (the progress bar). A letter a case is not ready for is
    skipped and counted; a job delivered twice runs once (a session advisory lock per job), and
    a job run again makes nothing new (unchanged letters are not made again)."""
    with job_lock(LETTER_JOB_LOCK_KEY, job_id) as locked:
        if not locked:
            return None
        job = LetterJob.objects.select_related("batch", "started_by").filter(pk=job_id).first()
        if job is None or job.is_over:
            return job
        plan = transport_letters_plan(job.batch)
        LetterJob.objects.filter(pk=job.pk).update(
            state=LetterJob.State.RUNNING, total=len(plan) + 1, done=0, made=0
        )
        try:
            made = sum(g.created for g in manifest_generate(batch=job.batch, actor=job.started_by))
            LetterJob.objects.filter(pk=job.pk).update(done=1, made=made)
            for case_id, kind in plan:
                case = TransferCase.objects.get(pk=case_id)
                try:
                    generated = letter_generate(
                        case=case,
                        kind=kind,
                        actor=job.started_by,
                        inputs=_previous_inputs(case_id, kind),
                    )
                    created = int(generated.created)
                except ApplicationError:
                    created = 0  # not ready for it (moved on meanwhile): nothing made
                LetterJob.objects.filter(pk=job.pk).update(
                    done=F("done") + 1, made=F("made") + created
                )
        except Exception as error:
            LetterJob.objects.filter(pk=job.pk).update(
                state=LetterJob.State.FAILED,
                finished_at=timezone.now(),
                error=(getattr(error, "message", "") or type(error).__name__)[:300],
            )
            if isinstance(error, ApplicationError):
                job.refresh_from_db()
                return job
            raise
        LetterJob.objects.filter(pk=job.pk).update(
            state=LetterJob.State.FINISHED, finished_at=timezone.now()
        )
        job.refresh_from_db()
        return job

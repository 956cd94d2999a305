"""Periodic and on-demand jobs: deadline reminders and "screen all candidates"."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib.auth.models import User
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from program.core.errors import ApplicationError
from program.notifications import services as notifications
from program.notifications.models import Notification
from program.outbox import services as outbox
from transfers import eligibility, selectors
from transfers.job_lock import job_lock
from transfers.models import (
    CaseEvent,
    ScreeningJob,
    TransferCase,
)
from transfers.moves import SCREENABLE_STATES
from transfers.services import screening
from transfers.services._common import (
    _case_notification,
    _caseworker_languages,
    _reminder_text,
    _require_role,
)

# pg_try_advisory_lock keys of an on-demand screening job (with the job id): one runner per job.
SCREEN_JOB_LOCK_KEY = 0x7363_726E  # "scrn"
SCREEN_JOB_CASE_CHUNK = 25
SCREEN_JOB_CANDIDATE_CHUNK = 200

# --- Reminders --------------------------------------------------------------------------------


def reminders_run(*, on: date | None = None) -> int:
    """Add one reminder event per case and deadline per day; a rerun adds nothing."""
    on = on or timezone.localdate()
    params = eligibility.params_load()
    horizon = on + timedelta(days=params.reminder_days)
    events: list[CaseEvent] = []
    for case, what, due in selectors.deadlines_due(on=on, horizon=horizon, params=params):
        events.append(
            CaseEvent(
                case=case,
                kind=CaseEvent.Kind.REMINDER,
                text=_reminder_text(what, due),
                payload={"what": what, "due": due.isoformat()},
                dedupe_key=f"remind:{what}:{due.isoformat()}",
            )
        )
    keys = [event.dedupe_key for event in events]
    with transaction.atomic():
        before = CaseEvent.objects.filter(dedupe_key__in=keys).count()
        CaseEvent.objects.bulk_create(events, ignore_conflicts=True)
        languages = _caseworker_languages(events)
        notifications.notify_many(
            [_case_notification(event, Notification.Kind.REMINDER, languages) for event in events]
        )
        return CaseEvent.objects.filter(dedupe_key__in=keys).count() - before


# --- On-demand screening ("screen all candidates") ---------------------------------------------


@transaction.atomic
def screen_job_start(*, actor: User) -> ScreeningJob:
    """Queue a run that screens every open case before the proposal and every candidate.

    While one is queued or running, starting again returns that one: two clicks, one job.
    """
    _require_role(actor, "case.screen", _("screen all candidates"))
    # Serialise starters: the lock makes "is one running?" and "start one" a single step.
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [SCREEN_JOB_LOCK_KEY])
    running = (
        ScreeningJob.objects.filter(
            state__in=[ScreeningJob.State.QUEUED, ScreeningJob.State.RUNNING],
            started_at__gte=timezone.now() - timedelta(hours=1),
        )
        .order_by("-id")
        .first()
    )
    if running is not None:
        return running
    job = ScreeningJob.objects.create(started_by=actor)
    # Through the outbox: the job runs once the broker takes it, even if Redis is down now.
    outbox.enqueue("transfers.screen_job_run", job.pk, key=f"screen-job:{job.pk}")
    return job


def _screen_job_population(on: date) -> tuple[list[int], list[int]]:
    case_ids = list(
        TransferCase.objects.filter(closed_at__isnull=True, state__in=SCREENABLE_STATES)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    with_case = set(
        TransferCase.objects.filter(closed_at__isnull=True).values_list("inmate_id", flat=True)
    )
    candidates = [pk for pk in selectors.sweep_population(on=on) if pk not in with_case]
    return case_ids, candidates


def screen_job_run(*, job_id: int) -> ScreeningJob | None:
    """Run a screening job in chunks, counting `done` as each chunk commits (the progress bar).

    Open cases are screened one by one through case_screen (they move to the outcome);
    candidates without a case are screened in bulk and only changed outcomes are stored. A job
    delivered twice runs once (a session advisory lock per job); a job killed midway is started
    again from the beginning by the redelivery, which harms nothing: screening is repeatable.
    """
    with job_lock(SCREEN_JOB_LOCK_KEY, job_id) as locked:
        if not locked:
            return None
        job = ScreeningJob.objects.select_related("started_by").filter(pk=job_id).first()
        if job is None or job.is_over:
            return job
        on = timezone.localdate()
        case_ids, candidates = _screen_job_population(on)
        ScreeningJob.objects.filter(pk=job.pk).update(
            state=ScreeningJob.State.RUNNING, total=len(case_ids) + len(candidates), done=0
        )
        try:
            for start in range(0, len(case_ids), SCREEN_JOB_CASE_CHUNK):
                chunk = case_ids[start : start + SCREEN_JOB_CASE_CHUNK]
                with transaction.atomic():
                    moved = 0
                    for case in TransferCase.objects.filter(pk__in=chunk).order_by("pk"):
                        before = case.state
                        try:
                            with transaction.atomic():
                                screening.case_screen(case=case, actor=job.started_by, on=on)
                        except ApplicationError:
                            continue  # moved on meanwhile: not screenable any more
                        moved += case.state != before
                    ScreeningJob.objects.filter(pk=job.pk).update(
                        done=F("done") + len(chunk), cases_moved=F("cases_moved") + moved
                    )
            for start in range(0, len(candidates), SCREEN_JOB_CANDIDATE_CHUNK):
                chunk = candidates[start : start + SCREEN_JOB_CANDIDATE_CHUNK]
                with transaction.atomic():
                    screening.screenings_run(inmate_ids=chunk, on=on, only_changes=True, actor=None)
                    ScreeningJob.objects.filter(pk=job.pk).update(done=F("done") + len(chunk))
        except Exception:
            ScreeningJob.objects.filter(pk=job.pk).update(
                state=ScreeningJob.State.FAILED, finished_at=timezone.now()
            )
            raise
        ScreeningJob.objects.filter(pk=job.pk).update(
            state=ScreeningJob.State.FINISHED, finished_at=timezone.now()
        )
        job.refresh_from_db()
        return job

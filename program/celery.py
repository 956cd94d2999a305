"""The Celery app and the whole beat schedule (one entry per periodic job, each with its reason)."""

import os
from pathlib import Path

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "program.settings")

app = Celery("program")
app.config_from_object("django.conf:settings", namespace="CELERY")
# kombu's filesystem transport (development without a broker server) needs its folders to exist.
for _folder in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
    if _path := app.conf.broker_transport_options.get(_folder):
        Path(_path).mkdir(parents=True, exist_ok=True)
app.conf.update(
    task_serializer="json",
    result_serializer="json",
    accept_content=["json"],
    task_ignore_result=True,
    # A job that hangs must not hold a worker for ever; soft limit first so it can clean up.
    task_soft_time_limit=240,
    task_time_limit=300,
    # Acknowledge after the task ran, so a killed worker's job is delivered again; tasks are
    # written to be safe to run twice.
    task_acks_late=True,
    task_reject_on_worker_lost=True,
    worker_prefetch_multiplier=1,
    # A task running when the broker connection drops cannot be acknowledged any more; it is
    # cancelled and delivered again (Celery 6's default; safe because tasks may run twice).
    worker_cancel_long_running_tasks_on_connection_loss=True,
    broker_connection_retry_on_startup=True,
    timezone="Europe/Copenhagen",
    enable_utc=True,
)
app.autodiscover_tasks()

app.conf.beat_schedule = {
    # Access-log rows past their retention (at least six months) are deleted; counts are kept.
    "audit-access-log-purge": {
        "task": "audit.access_log_purge",
        "schedule": crontab(hour=3, minute=30),
    },
    # Work that user actions queued in the outbox (program/outbox) while the broker was down, or
    # whose after-commit hand-over failed, is handed to the broker within seconds of its return.
    # A tick not taken within its own period is dropped: the next one does the same work.
    "outbox-relay": {"task": "outbox.relay", "schedule": 5.0, "options": {"expires": 5.0}},
    # Proves the broker, a worker and beat are alive; shown on the system status page.
    "heartbeat": {"task": "core.heartbeat", "schedule": 60.0},
    # Finance: planned tranches fall due and unpaid ones become overdue, once a day before work.
    "finance-tranches-advance": {
        "task": "finance.tranches_advance",
        "schedule": crontab(hour=5, minute=30),
    },
    # Transfers: the nightly eligibility sweep. Facts change (judgments become final, days left run
    # down); changed outcomes become case events. At 02:30, after the prison system's export.
    "transfers-eligibility-sweep": {
        "task": "transfers.eligibility_sweep",
        "schedule": crontab(hour=2, minute=30),
    },
    # Import previews not confirmed within their hour, and finished import jobs, are deleted:
    # their rows are whole records of people, kept only while an import needs them.
    "inmates-import-jobs-purge": {"task": "inmates.import_jobs_purge", "schedule": 900.0},
    # Transfers: daily deadline reminders (appeal windows, reviews, release preparation,
    # transports) before the working day starts.
    # Cells: a reservation lands in the occupancy administrators' work queues by the passing of
    # time (its arrival day comes, or passes with nobody admitted); they are told once per fact.
    # Just after midnight, so the day's first look at the home page finds the notice.
    "cells-reservation-notices": {
        "task": "cells.reservation_notices",
        "schedule": crontab(hour=0, minute=15),
    },
    "transfers-deadline-reminders": {
        "task": "transfers.deadline_reminders",
        "schedule": crontab(hour=6, minute=0),
    },
    # Incidents: the governors are reminded of reviews past their deadline (24 h for use of
    # force and deaths). Hourly, since the shortest deadline is a day; each reminder once.
    "incidents-review-reminders": {
        "task": "incidents.review_reminders",
        "schedule": crontab(minute=15),
    },
    # Complaints: the handler (or the governors) hear of an answer due soon, and once more when
    # it is overdue; before the working day, after the transfers' reminders.
    "complaints-deadline-reminders": {
        "task": "complaints.deadline_reminders",
        "schedule": crontab(hour=6, minute=5),
    },
}

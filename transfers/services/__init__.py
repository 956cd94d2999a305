"""Writes to transfer cases, by concern. Every state move is a compare-and-set on (pk, state,
version).

A move names the role that owns it, the states it leaves from and, where it ends or reverses a
case, a coded reason (the table in transfers/moves.py). A case not ready for a move is refused with
what is missing. Places at the host facility are reserved, admitted and released only through
program.cells.services, inside the same transaction as the move, so a refused reservation leaves
the case where it was.

The public names stay importable from `transfers.services`.
"""

from transfers.moves import (
    CLOSED_STATES,
    MOVES,
    PRE_DECISION_STATES,
    REQUIRED_DOCUMENTS,
    SCREENABLE_STATES,
    WITHDRAWABLE_STATES,
    Move,
    moves_for,
    moves_from,
)
from transfers.services._common import CASE_SUBJECT, RoleRefusedError, notify
from transfers.services.appeals import appeal_decide, appeal_lodge
from transfers.services.cases import (
    REVIEW_OUTCOMES,
    case_notify,
    case_open,
    case_transition,
    decision_record,
    opinion_record,
    review_record,
    rule_parameter_set,
)
from transfers.services.documents import (
    MAX_DOCUMENT_BYTES,
    SIGNATURES,
    document_upload,
    sniff_content_type,
)
from transfers.services.intake import IntakeResult, candidates_intake
from transfers.services.jobs import (
    SCREEN_JOB_CANDIDATE_CHUNK,
    SCREEN_JOB_CASE_CHUNK,
    SCREEN_JOB_LOCK_KEY,
    reminders_run,
    screen_job_run,
    screen_job_start,
)
from transfers.services.release import MOVE_FOR_END_REASON, case_leave
from transfers.services.screening import (
    SWEEP_CHUNK,
    SWEEP_LOCK_KEY,
    ScreeningRun,
    case_screen,
    screenings_run,
    sweep_run,
)
from transfers.services.transport import (
    BatchResult,
    batch_arrive,
    batch_create,
    batch_depart,
    case_admit,
    case_depart,
    case_rebook,
    case_schedule,
)

__all__ = [
    "CASE_SUBJECT",
    "CLOSED_STATES",
    "MAX_DOCUMENT_BYTES",
    "MOVES",
    "MOVE_FOR_END_REASON",
    "PRE_DECISION_STATES",
    "REQUIRED_DOCUMENTS",
    "REVIEW_OUTCOMES",
    "SCREENABLE_STATES",
    "SCREEN_JOB_CANDIDATE_CHUNK",
    "SCREEN_JOB_CASE_CHUNK",
    "SCREEN_JOB_LOCK_KEY",
    "SIGNATURES",
    "SWEEP_CHUNK",
    "SWEEP_LOCK_KEY",
    "WITHDRAWABLE_STATES",
    "BatchResult",
    "IntakeResult",
    "Move",
    "RoleRefusedError",
    "ScreeningRun",
    "appeal_decide",
    "appeal_lodge",
    "batch_arrive",
    "batch_create",
    "batch_depart",
    "candidates_intake",
    "case_admit",
    "case_depart",
    "case_leave",
    "case_notify",
    "case_open",
    "case_rebook",
    "case_schedule",
    "case_screen",
    "case_transition",
    "decision_record",
    "document_upload",
    "moves_for",
    "moves_from",
    "notify",
    "opinion_record",
    "reminders_run",
    "review_record",
    "rule_parameter_set",
    "screen_job_run",
    "screen_job_start",
    "screenings_run",
    "sniff_content_type",
    "sweep_run",
]

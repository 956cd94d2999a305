"""Data classification of the transfers app's fields (registry and meaning:
program/core/field_tags.py).

A transfer case executes a criminal sentence abroad: its states, decisions, appeals, screenings
and timeline text are criminal data. Who handled it (staff) and what the inmate said are
personal data. Documents hold judgments and medical-fitness reports: the file is criminal.
"""

from program.core.field_tags import CRIMINAL, NONE, PERSONAL, TIMESTAMPED, Tag, tagged

FIELD_TAGS: dict[str, Tag] = {
    **tagged("ReasonCode", NONE, "code", "label_da", "label_en", "applies_to", "active"),
    **tagged("EligibilityText", NONE, "key", "text_da", "text_en", "updated_at"),
    **tagged("TransferCase", NONE, *TIMESTAMPED, "version", "closed_at", "agreement"),
    **tagged(
        "TransferCase", PERSONAL, "inmate", "caseworker", "notification_language", "placement"
    ),
    **tagged(
        "TransferCase",
        CRIMINAL,
        "state",
        "notified_on",
        "appeal_deadline",
        "appeal_lodged_on",
        "appeal_outcome",
        "appeal_decided_on",
        "review_due_on",
    ),
    **tagged("CaseEvent", NONE, "id", "case", "kind", "dedupe_key", "at"),
    "CaseEvent.actor": PERSONAL,
    **tagged("CaseEvent", CRIMINAL, "from_state", "to_state", "reason_code", "text", "payload"),
    **tagged(
        "EligibilityRuleParameter", NONE, "id", "agreement", "name", "value", "reason", "changed_at"
    ),
    "EligibilityRuleParameter.changed_by": PERSONAL,
    **tagged(
        "Screening", NONE, "id", "case", "screened_on", "rule_set_version", "fingerprint", "at"
    ),
    "Screening.inmate": PERSONAL,
    # The inputs are the sentence dates and the health flags the rules read; criminal covers
    # both for minimisation (no role that may not see one may see the other).
    **tagged("Screening", CRIMINAL, "inputs", "outcome", "results", "eligible_from"),
    **tagged("Decision", NONE, "id", "case", "recorded_at"),
    "Decision.recorded_by": PERSONAL,
    "Decision.superseded_at": NONE,
    # Why a decision was replaced: words about the person's case.
    "Decision.superseded_reason": CRIMINAL,
    **tagged("Decision", CRIMINAL, "outcome", "authority", "legal_basis", "decided_on"),
    **tagged("InmateOpinion", NONE, "id", "case", "recorded_at"),
    **tagged(
        "InmateOpinion",
        PERSONAL,
        "stance",
        "statement",
        "heard_on",
        "language",
        "interpreter_used",
        "recorded_by",
    ),
    **tagged(
        "Document",
        NONE,
        "id",
        "case",
        "kind",
        "version",
        "content_type",
        "size",
        "sha256",
        "uploaded_at",
    ),
    # The uploader's file name may carry the inmate's name.
    **tagged("Document", PERSONAL, "original_name", "uploaded_by"),
    "Document.file": CRIMINAL,
    **tagged("TransportBatch", NONE, *TIMESTAMPED, "agreement", "departs_on", "direction", "seats"),
    # The escorting officers' names; who is on the batch.
    **tagged("TransportBatch", PERSONAL, "escort", "created_by", "cases"),
    **tagged("ManifestEntry", NONE, "id", "batch", "added_at", "removed_at"),
    **tagged("ManifestEntry", PERSONAL, "case", "placement", "added_by"),
    **tagged(
        "ScreeningJob",
        NONE,
        "id",
        "state",
        "total",
        "done",
        "cases_moved",
        "started_at",
        "finished_at",
    ),
    "ScreeningJob.started_by": PERSONAL,
    # Release preparation: the documents and the flight are the person's; the acceptance by the
    # country of return executes the expulsion order, part of the sentence.
    **tagged("ReleasePreparation", NONE, "id", "case", "version", "updated_at"),
    **tagged(
        "ReleasePreparation",
        PERSONAL,
        "travel_document_status",
        "travel_document_kind",
        "travel_document_issued_on",
        "flight_on",
        "flight_number",
        "escort_note",
        "updated_by",
    ),
    **tagged("ReleasePreparation", CRIMINAL, "destination_accepted_on", "destination_reference"),
}

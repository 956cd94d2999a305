"""Data classification of the inmates app's fields (registry: program/core/field_tags.py).

An inmate's record is personal data; what a court decided about them (judgments, offences,
expulsion) and their security level are criminal data; the two treatment flags are health data.
"""

from program.core.field_tags import (
    CRIMINAL,
    HEALTH,
    NONE,
    PERSONAL,
    TIMESTAMPED,
    Tag,
    tagged,
)
from program.inmates.models import JUDGMENT_INPUTS

FIELD_TAGS: dict[str, Tag] = {
    # Reference data: countries.
    **tagged(
        "Country",
        NONE,
        "code",
        "name",
        "eu_eea",
        "readmission",
        "readmission_as_of",
        "readmission_source",
    ),
    # Offence groups are reference data, but they are only ever shown as the offences of a
    # judgment: tagged with what they describe, so they are minimised with the judgment.
    **tagged("OffenceCategory", CRIMINAL, "code", "name", "is_terrorism", "is_war_crimes"),
    **tagged("Inmate", NONE, *TIMESTAMPED, "version"),
    **tagged(
        "Inmate",
        PERSONAL,
        "case_number",
        "name",
        "date_of_birth",
        "sex",
        "nationalities",
        "languages",
        "interpreter_needed",
        "country_of_return",
        "return_readmits",
        "return_readmits_reason",
        "minor_children_visiting",
        "home_institution",
    ),
    # The prison's risk classification, set from the offence and the sentence.
    "Inmate.security_level": CRIMINAL,
    # The combined sentence dates, derived from the judgments.
    **tagged("Inmate", CRIMINAL, "sentence_days", "release_on", "two_thirds_on"),
    **tagged("Inmate", HEALTH, "serious_mental_disorder", "specialist_treatment"),
    **tagged("Judgment", NONE, *TIMESTAMPED, "version"),
    **tagged(
        "Judgment",
        CRIMINAL,
        "inmate",
        *JUDGMENT_INPUTS,
        "full_term_date",
        "two_thirds_date",
    ),
    **tagged("ExpulsionOrder", NONE, *TIMESTAMPED, "version"),
    # Expulsion is ordered by the criminal court with the sentence: part of the criminal record.
    **tagged(
        "ExpulsionOrder",
        CRIMINAL,
        "inmate",
        "ordered_on",
        "final",
        "entry_ban_years",
        "entry_ban_permanent",
        "revoked_on",
    ),
    **tagged("NonAssociation", NONE, *TIMESTAMPED),
    **tagged("NonAssociation", PERSONAL, "inmate_a", "inmate_b", "scope", "active"),
    # Why two people are kept apart: co-defendants, gang conflicts, threats.
    "NonAssociation.reason": CRIMINAL,
    # A file being imported: the rows carry whole records, health flags included.
    **tagged(
        "ImportJob",
        NONE,
        "id",
        "kind",
        "digest",
        "total",
        "done",
        "state",
        "result",
        "created_at",
        "expires_at",
    ),
    "ImportJob.owner": PERSONAL,
    "ImportJob.rows": HEALTH,
    # An import's refusal names the row and the value refused.
    "ImportJob.error": PERSONAL,
}

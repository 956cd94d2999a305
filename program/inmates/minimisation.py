"""What each role sees of a person's record: the occupancy administrator gets what placing a
person needs, not their health or family details.

Placing someone needs the alerts that matter for a cell: whether the person needs medical
observation (derived, Inmate.needs_medical_observation), whom they must be kept apart from, and
their security level. The diagnoses behind the medical alert (serious mental disorder, ongoing
specialist treatment), the family detail (minor children who visit) and medical documents stay
with the roles whose work needs the whole file: the caseworker and the auditor. Pages, the API,
exports and document downloads all ask `sees_health_and_family`.
"""

from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.utils.translation import gettext_lazy as _

from program.core.capabilities import can

# Fields of the inmate's record that only who reads the whole file ("inmate.full_file.read")
# receives.
HEALTH_AND_FAMILY_FIELDS = (
    "serious_mental_disorder",
    "specialist_treatment",
    "minor_children_visiting",
)
# Kinds of document (transfers.Document.Kind values) that only those roles may list or download.
MEDICAL_DOCUMENT_KINDS = frozenset({"medical_fitness"})


# Eligibility rules (transfers/eligibility.py) whose reasons state a diagnosis or a family detail.
HEALTH_AND_FAMILY_RULES = frozenset({"E8", "E14", "E15"})
WITHHELD = _("Health or family detail: for the caseworker.")


def screening_results_for(
    results: list[dict[str, Any]], *, minimised: bool
) -> list[dict[str, Any]]:
    """A screening's rule results as this reader may see them: the outcome of every rule, but
    not the reason of a rule that would state a diagnosis or a family detail."""
    if not minimised:
        return results
    return [
        {**result, "reason": str(WITHHELD)}
        if result.get("id") in HEALTH_AND_FAMILY_RULES
        else result
        for result in results
    ]


def sees_health_and_family(user: AbstractBaseUser | AnonymousUser) -> bool:
    """Whether this user's role reads a person's health and family details and medical documents."""
    return can(user, "inmate.full_file.read")

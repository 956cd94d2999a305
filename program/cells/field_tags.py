"""Data classification of the cells app's fields (registry: program/core/field_tags.py).

The agreement, the facility and its cells are about buildings: none. A placement says where a
person is, so it is personal; its expected release follows from the sentence, so it is criminal.
"""

from program.cells.models import AGREEMENT_TERMS
from program.core.field_tags import CRIMINAL, NONE, PERSONAL, TIMESTAMPED, Tag, tagged

FIELD_TAGS: dict[str, Tag] = {
    **tagged(
        "Agreement",
        NONE,
        *TIMESTAMPED,
        *AGREEMENT_TERMS,
    ),
    **tagged("RampUpCap", NONE, *TIMESTAMPED, "agreement", "effective_from", "places"),
    **tagged(
        "Facility", NONE, *TIMESTAMPED, "agreement", "name", "location", "country", "opens_on"
    ),
    **tagged("Unit", NONE, *TIMESTAMPED, "facility", "code", "name"),
    # `medical_observation` is the cell's equipment, not anyone's health.
    **tagged(
        "Cell",
        NONE,
        *TIMESTAMPED,
        "unit",
        "number",
        "kind",
        "floor_area_m2",
        "sanitary_partitioned",
        "shortest_wall_m",
        "ceiling_height_m",
        "medical_observation",
        "accessible",
        "cpt_capacity",
    ),
    **tagged("Place", NONE, *TIMESTAMPED, "cell", "number"),
    **tagged(
        "Outage",
        NONE,
        *TIMESTAMPED,
        "cell",
        "place",
        "reason",
        "period",
        "expected_back_on",
        "ended_on",
    ),
    # Free text: may name whoever damaged the cell.
    "Outage.note": PERSONAL,
    **tagged("Placement", NONE, *TIMESTAMPED),
    **tagged("Placement", PERSONAL, "inmate", "place", "kind", "period", "reason", "end_reason"),
    "Placement.expected_release_on": CRIMINAL,
}

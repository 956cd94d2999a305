"""Which transfer cases belong to a programme (agreement): the one place that decides it.

Every case carries its agreement (chosen when it is opened), so a programme's cases are those
with that agreement, whether or not they hold a place yet.
"""

from typing import Any

from django.db.models import QuerySet

from program.cells.models import Agreement
from transfers.models import TransferCase


def programme_cases(agreement: Agreement) -> QuerySet[TransferCase, Any]:
    """The programme's cases, as a subquery (no query of its own)."""
    return TransferCase.objects.filter(agreement=agreement).values("pk")

"""What the apps above transfers read with each seat of a transport's manifest (program.handover:
the handover in force of each person on board), so the transport page reads it in the manifest's
own query.

An app registers a named expression from its AppConfig.ready(); the transport page annotates the
manifest with each, and the app's template tag reads the attribute back, so transfers imports
none of them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Expression, QuerySet

from transfers.models import ManifestEntry

# name → the expression, evaluated per ManifestEntry row (OuterRef "case_id" and "batch_id").
_ANNOTATIONS: dict[str, Callable[[], Expression | Any]] = {}


def register(name: str, expression: Callable[[], Expression | Any]) -> None:
    _ANNOTATIONS.setdefault(name, expression)


def annotate(manifest: QuerySet[ManifestEntry]) -> QuerySet[ManifestEntry]:
    if not _ANNOTATIONS:
        return manifest
    return manifest.annotate(**{name: make() for name, make in _ANNOTATIONS.items()})

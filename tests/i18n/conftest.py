"""Fixtures for the language tests: the reference data, and the pseudo-locale's catalogue."""

import importlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.apps import apps

from program.inmates.models import Country
from tests.i18n import pseudo


@pytest.fixture(autouse=True)
def reference_data(db) -> None:
    """Reason codes and rule texts in both languages (a transactional test elsewhere in the run
    may have flushed what the migrations wrote)."""
    if not Country.objects.exists():
        importlib.import_module("program.inmates.migrations.0002_reference_data").load(apps, None)
    importlib.import_module("transfers.migrations.0012_programme_texts").load(apps, None)
    importlib.import_module("transfers.migrations.0010_sentence_texts").load(apps, None)


@pytest.fixture(scope="session")
def pseudo_catalogue(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    return pseudo.build_catalogue(tmp_path_factory.mktemp("pseudo"))


@pytest.fixture
def pseudo_locale(pseudo_catalogue: tuple[Path, int]) -> Iterator[None]:
    with pseudo.pseudo_settings(pseudo_catalogue[0]):
        yield

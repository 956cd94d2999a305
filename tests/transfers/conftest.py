"""Fixtures for transfer cases: reference data, the people who act, and an eligible inmate."""

import importlib
from datetime import timedelta
from typing import cast

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.utils import timezone

from program.cells.models import Agreement
from program.inmates.models import Country, Inmate
from tests.factories import PlaceFactory, the_programme
from tests.inmates.factories import ExpulsionOrderFactory, InmateFactory, JudgmentFactory


@pytest.fixture(autouse=True)
def reference_data(db) -> None:
    """Countries, offence groups and reason codes come from data migrations; a transactional test
    elsewhere in the run may have flushed them, so load them again if they are gone."""
    if not Country.objects.exists():
        importlib.import_module("program.inmates.migrations.0002_reference_data").load(apps, None)
    importlib.import_module("transfers.migrations.0012_programme_texts").load(apps, None)
    importlib.import_module("transfers.migrations.0010_sentence_texts").load(apps, None)


@pytest.fixture(autouse=True)
def programme(reference_data) -> Agreement:
    """Every case belongs to a programme: the one a test works in (tests/factories.py)."""
    return the_programme()


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def carla(caseworker) -> User:
    """The caseworker behind the `caseworker` client."""
    return User.objects.get(username="carla")


@pytest.fixture
def otto(occupancy_admin) -> User:
    return User.objects.get(username="otto")


@pytest.fixture
def aud(auditor) -> User:
    return User.objects.get(username="aud")


@pytest.fixture
def karl(make_user) -> User:
    """A second caseworker."""
    return make_user("karl", "caseworker")


def make_eligible_inmate(**overrides) -> Inmate:
    """A Serbian man, low risk, with a final 3-year sentence well before its end."""
    today = timezone.localdate()
    fields = {
        "country_of_return_id": "RS",
        "return_readmits": Inmate.Readmission.YES,
        "return_readmits_reason": "Travel document on file",
        "security_level": Inmate.SecurityLevel.LOW,
        **overrides,
    }
    inmate = cast(Inmate, InmateFactory(**fields))
    JudgmentFactory(
        inmate=inmate,
        judgment_date=today - timedelta(days=200),
        final_on=today - timedelta(days=150),
        sentence_start=today - timedelta(days=100),
        length_days=3 * 365,
        remand_days=0,
    )
    ExpulsionOrderFactory(inmate=inmate, ordered_on=today - timedelta(days=200))
    return inmate


@pytest.fixture
def eligible_inmate(db) -> Inmate:
    return make_eligible_inmate()


@pytest.fixture
def place(db):
    return PlaceFactory()

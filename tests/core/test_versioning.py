"""The one "changed since you read it" check: a stale version is refused naming who changed the
row last and when; the version read passes; a write moves the version on."""

import pghistory
import pytest
from django.db import transaction
from django.utils import translation

from program.audit.context import system_context
from program.audit.selectors import last_write
from program.core.errors import NotFoundError, PreconditionFailedError
from program.core.versioning import StaleVersionError, bump_version, lock_at_version
from program.inmates.models import Inmate
from tests.inmates.factories import InmateFactory

pytestmark = pytest.mark.django_db(transaction=False)


def _change_as(user, inmate: Inmate, name: str) -> None:
    with pghistory.context(user=user.pk, username=user.get_username()), transaction.atomic():
        row = lock_at_version(Inmate, inmate.pk, None)
        row.name = name
        bump_version(row, fields=["name"])


def test_the_version_read_passes_and_locks_the_row() -> None:
    inmate = InmateFactory.create()
    with transaction.atomic():
        row = lock_at_version(Inmate, inmate.pk, inmate.version)
    assert row.pk == inmate.pk
    assert row.version == inmate.version


def test_a_stale_version_is_refused_naming_who_changed_it_and_when(make_user) -> None:
    inmate = InmateFactory.create()
    read = inmate.version
    _change_as(make_user("karl"), inmate, "New")
    with (
        translation.override("en"),
        pytest.raises(StaleVersionError) as raised,
        transaction.atomic(),
    ):
        lock_at_version(Inmate, inmate.pk, read)
    error = raised.value
    assert isinstance(error, PreconditionFailedError)
    assert error.http_status == 412
    assert error.changed_by == "Karl"  # the full name, not the login
    assert error.changed_at is not None
    assert "Someone else changed this record (Karl, " in error.message
    assert "Reload it to see their change, then make yours again." in error.message
    assert error.details["version"] == read + 1
    assert error.details["read_version"] == read
    assert error.details["changed_by"] == "Karl"


def test_the_refusal_is_in_danish_for_a_danish_reader(make_user) -> None:
    inmate = InmateFactory.create()
    _change_as(make_user("karl"), inmate, "New")
    with (
        translation.override("da"),
        pytest.raises(StaleVersionError) as raised,
        transaction.atomic(),
    ):
        lock_at_version(Inmate, inmate.pk, inmate.version)
    assert raised.value.message.startswith("En anden har ændret")


def test_a_job_is_named_as_the_writer() -> None:
    inmate = InmateFactory.create()
    with system_context("nightly.sweep"), transaction.atomic():
        row = lock_at_version(Inmate, inmate.pk, None)
        bump_version(row, fields=[])
    last = last_write(Inmate, inmate.pk)
    assert last is not None
    assert last.by.startswith("nightly.sweep")


def test_a_caller_may_word_the_refusal_itself() -> None:
    inmate = InmateFactory.create()
    with (
        pytest.raises(PreconditionFailedError, match="version 7, read 3"),
        transaction.atomic(),
    ):
        lock_at_version(
            Inmate.objects.all(),
            inmate.pk,
            3,
            stale=lambda row, read: PreconditionFailedError(f"version 7, read {read}"),
        )


def test_a_missing_row_is_not_found() -> None:
    with pytest.raises(NotFoundError), transaction.atomic():
        lock_at_version(Inmate, 0, 1)


def test_bump_moves_the_version_on_and_saves_the_fields() -> None:
    inmate = InmateFactory.create(name="Old")
    before = inmate.updated_at
    with transaction.atomic():
        row = lock_at_version(Inmate, inmate.pk, inmate.version)
        row.name = "New"
        bump_version(row, fields=["name"])
    assert row.version == inmate.version + 1
    inmate.refresh_from_db()
    assert (inmate.name, inmate.version) == ("New", row.version)
    assert inmate.updated_at > before

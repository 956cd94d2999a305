"""Every kind of write to a person's file leaves a history row naming the user and the request."""

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection
from django.test import override_settings
from django.urls import reverse

from program.audit.context import system_context
from program.audit.history import EVENT_MODELS, TIMELINES, tracked_models
from program.core.roles import Role
from program.inmates import services
from program.inmates.models import Inmate
from tests.inmates.factories import InmateFactory, PlacementFactory

InmateChange = EVENT_MODELS["inmates.Inmate"]
PlacementChange = EVENT_MODELS["cells.Placement"]

pytestmark = pytest.mark.django_db


def test_every_model_of_the_tracked_apps_has_history() -> None:
    from django.apps import apps

    labels = {f"{m._meta.app_label}.{m.__name__}" for m in tracked_models()}
    # A checked import file waiting for its confirmation: a transient copy of the file, deleted
    # when imported or expired; the inmates it creates have their history.
    transient = {"inmates.ImportJob"}
    for app in (
        "inmates",
        "cells",
        "transfers",
        "finance",
        "host",
        "handover",
        "incidents",
        "complaints",
        "visits",
        "inspections",
    ):
        for model in apps.get_app_config(app).get_models(include_auto_created=True):
            label = f"{app}.{model.__name__}"
            assert (label in labels) != (label in transient), label
    assert labels >= TIMELINES


def test_history_triggers_are_installed_on_the_tracked_tables() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgname FROM pg_trigger WHERE tgrelid = 'inmates_inmate'::regclass"
            " AND tgname LIKE 'pgtrigger_%%'"
        )
        names = {row[0] for row in cursor.fetchall()}
    assert {n.split("_")[1] for n in names} == {"insert", "update", "delete"}


@override_settings(REQUEST_ID_TRUSTED_PROXIES=["10.0.0.2"])
def test_a_service_write_in_a_request_records_the_user_and_the_request_id(caseworker) -> None:
    inmate = InmateFactory(name="Anna Old")
    response = caseworker.post(
        reverse("inmates:edit", args=[inmate.pk]),
        {
            "case_number": inmate.case_number,
            "name": "Anna New",
            "date_of_birth": "1990-05-17",
            "sex": "M",
            "nationalities": ["RS"],
            "security_level": "medium",
            "home_institution": "Storstrøm Prison",
            "return_readmits": "",
            "languages": "",
            "version": str(inmate.version),  # the edit form's hidden version
        },
        HTTP_X_REQUEST_ID="req-audit-0001",
        REMOTE_ADDR="10.0.0.2",  # the trusted proxy, which alone may give the request id
    )
    assert response.status_code in (200, 302)
    inmate.refresh_from_db()
    assert inmate.name == "Anna New"
    change = InmateChange.objects.filter(pgh_obj_id=inmate.pk, pgh_label="update").get()
    assert change.name == "Anna New"
    assert change.pgh_context["username"] == "carla"
    assert change.pgh_context["request_id"] == "req-audit-0001"
    assert change.pgh_context["route"] == "inmates:edit"


def test_each_kind_of_write_leaves_one_event() -> None:
    user = get_user_model().objects.create_user("writer")
    user.groups.add(Group.objects.get(name=Role.CASEWORKER))  # the service checks who writes
    counts: dict[str, int] = {}
    # insert (factory: ORM create)
    inmate = InmateFactory(name="Before")
    counts["orm insert"] = InmateChange.objects.filter(pgh_obj_id=inmate.pk).count()
    # service
    services.inmate_update(inmate=inmate, actor=user, name="By service")
    # admin-like ORM save
    inmate.refresh_from_db()
    inmate.home_institution = "Vestre Prison"
    inmate.save()
    # queryset.update
    Inmate.objects.filter(pk=inmate.pk).update(name="By update")
    # raw SQL
    with connection.cursor() as cursor:
        cursor.execute("UPDATE inmates_inmate SET name = %s WHERE id = %s", ["By SQL", inmate.pk])
    names = list(
        InmateChange.objects.filter(pgh_obj_id=inmate.pk, pgh_label="update")
        .order_by("pgh_id")
        .values_list("name", flat=True)
    )
    assert counts["orm insert"] == 1
    homes = InmateChange.objects.filter(pgh_obj_id=inmate.pk, home_institution="Vestre Prison")
    assert names == [
        "By service",
        "By service",
        "By update",
        "By SQL",
    ]  # service, save, update, SQL
    assert homes.count() == 3
    # delete of a placement
    placement = PlacementFactory(inmate=inmate)
    pk = placement.pk
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM cells_placement WHERE id = %s", [pk])
    labels = list(
        PlacementChange.objects.filter(pgh_obj_id=pk)
        .order_by("pgh_id")
        .values_list("pgh_label", flat=True)
    )
    assert labels == ["insert", "delete"]


def test_a_write_outside_a_request_names_the_task() -> None:
    inmate = InmateFactory()
    with system_context("test.job"):
        placement = PlacementFactory(inmate=inmate)
    change = PlacementChange.objects.get(pgh_obj_id=placement.pk, pgh_label="insert")
    assert change.pgh_context["system"] == "system:test.job"
    assert change.pgh_context["request_id"]


def test_history_page_tells_the_change_in_words(caseworker) -> None:
    user = get_user_model().objects.get(username="carla")
    inmate = InmateFactory(name="Anna A")
    services.inmate_update(inmate=inmate, actor=user, name="Anna B")
    response = caseworker.get(
        reverse("audit:history"), {"model": "inmates.Inmate", "id": inmate.pk}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Name changed from Anna A to Anna B" in body
    assert "Personal details added" in body


def test_non_auditors_see_only_a_persons_file(caseworker, auditor) -> None:
    url = reverse("audit:history")
    args = {"model": "cells.Placement", "id": "1"}
    assert caseworker.get(url, args).status_code == 403
    assert auditor.get(url, args).status_code == 200


def test_dates_in_history_use_the_snapshot(auditor) -> None:
    inmate = InmateFactory(date_of_birth=date(1980, 1, 1))
    Inmate.objects.filter(pk=inmate.pk).update(date_of_birth=date(1981, 1, 1))
    response = auditor.get(reverse("audit:history"), {"model": "inmates.Inmate", "id": inmate.pk})
    assert "1980-01-01 to 1981-01-01" in response.content.decode()
    assert "the database directly" in response.content.decode()

"""The Django admin is for users, roles, reference data and system settings: the system
administrator can neither read nor edit a person's record, a case, a placement or a payment there
(those are read on the role pages, which ask the purpose and log the read)."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from finance.models import Tranche
from program.audit.models import AccessLogEntry
from program.inmates.models import Inmate
from tests.factories import PlaceFactory
from tests.inmates.factories import (
    ExpulsionOrderFactory,
    InmateFactory,
    JudgmentFactory,
    NonAssociationFactory,
    PlacementFactory,
)

# What the admin may show: users and roles (and their sign-in plumbing), reference data, and
# system settings and jobs. Nothing else is registered.
ALLOWED = frozenset(
    {
        "auth.User",
        "auth.Group",
        # Everyone's API tokens, to revoke (never to make or show one).
        "tokens.ApiToken",
        "otp_totp.TOTPDevice",
        "axes.AccessAttempt",
        "axes.AccessFailureLog",
        "axes.AccessLog",
        "core.Heartbeat",
        # A user's own settings (the language they read): part of the user account, no one's
        # record or case.
        "core.UserPreferences",
        # Which facility a host-facility officer works at: part of their role, set with it.
        "host.StaffPosting",
        # Who inspects (the CPT, the Ombudsman, …): reference data, no one's record.
        "inspections.InspectionBody",
        "django_celery_beat.ClockedSchedule",
        "django_celery_beat.CrontabSchedule",
        "django_celery_beat.IntervalSchedule",
        "django_celery_beat.PeriodicTask",
        "django_celery_beat.SolarSchedule",
        "inmates.Country",
        "inmates.OffenceCategory",
        "cells.Agreement",
        "cells.Facility",
        "cells.Unit",
        "cells.Cell",
        "cells.Outage",
        "finance.PricingTerms",
        "finance.AidStream",
        # The programme's letter texts per kind and language: reference data, edited through the
        # service (versioned, placeholders checked); the letters made from them are not here.
        "letters.LetterTemplate",
        # --- complaints (h19complaints): the authorities and the answer deadlines per kind
        # (reference data with its source); the complaints themselves are not here.
        "complaints.Authority",
        "complaints.DeadlineRule",
    }
)
# The apps whose rows are people's records, cases, placements and payments.
PERSONAL_APPS = ("inmates", "cells", "transfers", "finance", "audit", "notifications")


def test_only_users_roles_reference_data_and_settings_are_registered() -> None:
    registered = {model._meta.label for model in admin.site._registry}
    assert registered - ALLOWED == set()


@pytest.mark.parametrize(
    "label",
    [
        "inmates.Inmate",
        "inmates.Judgment",
        "inmates.ExpulsionOrder",
        "inmates.NonAssociation",
        "cells.Placement",
        "transfers.TransferCase",
        "transfers.Document",
        "finance.Tranche",
        "finance.Payment",
        "audit.AccessLogEntry",
    ],
)
def test_peoples_cases_placements_and_payments_are_not_in_the_admin(label) -> None:
    assert not admin.site.is_registered(apps.get_model(label))


@pytest.mark.django_db
def test_the_system_administrator_cannot_read_or_edit_them_there(sysadmin) -> None:
    inmate = InmateFactory(name="Adam Admin-Proof")
    judgment = JudgmentFactory(inmate=inmate)
    ExpulsionOrderFactory(inmate=inmate)
    other = InmateFactory()
    first, second = sorted((inmate, other), key=lambda person: person.pk)
    rule = NonAssociationFactory(inmate_a=first, inmate_b=second)
    placement = PlacementFactory(inmate=inmate, place=PlaceFactory())
    index = sysadmin.get(reverse("admin:index"))
    assert index.status_code == 200
    page = index.content.decode()
    for app_model in ("inmates/inmate", "inmates/nonassociation", "cells/placement"):
        assert f"/admin/{app_model}/" not in page
    urls = [
        "/admin/inmates/inmate/",
        f"/admin/inmates/inmate/{inmate.pk}/change/",
        f"/admin/inmates/judgment/{judgment.pk}/change/",
        f"/admin/inmates/nonassociation/{rule.pk}/change/",
        "/admin/cells/placement/",
        f"/admin/cells/placement/{placement.pk}/change/",
        "/admin/transfers/transfercase/",
        "/admin/finance/tranche/",
    ]
    for url in urls:
        response = sysadmin.get(url)
        assert response.status_code == 404, url
        assert "Adam Admin-Proof" not in response.content.decode()
    edit = sysadmin.post(
        f"/admin/inmates/inmate/{inmate.pk}/change/",
        {"name": "Changed", "serious_mental_disorder": "on"},
    )
    assert edit.status_code == 404
    inmate.refresh_from_db()
    assert (inmate.name, inmate.serious_mental_disorder) == ("Adam Admin-Proof", False)
    # Nothing was read, so nothing is in the access log either.
    assert not AccessLogEntry.objects.exists()


@pytest.mark.django_db
def test_the_admin_still_manages_users_and_reference_data(sysadmin) -> None:
    for url in ("/admin/auth/user/", "/admin/auth/group/", "/admin/inmates/country/"):
        assert sysadmin.get(url).status_code == 200, url


def test_no_model_of_a_personal_app_slips_in_unlisted() -> None:
    # A new model in an app about people is kept out unless it is named in ALLOWED above.
    for model in admin.site._registry:
        if model._meta.app_label in PERSONAL_APPS:
            assert model._meta.label in ALLOWED, model._meta.label
    assert Inmate not in admin.site._registry
    assert Tranche not in admin.site._registry

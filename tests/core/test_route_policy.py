"""Every route is in the policy, and every role gets exactly what the policy gives it."""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.backends.postgresql.psycopg_any import DateRange
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from finance import services as finance_services
from finance.models import Tranche
from program.cells import services
from program.core.policy import ADMIN_NAMESPACE, ROUTES, access_for, is_api
from program.core.roles import SYSTEM_ADMIN, Role
from program.inmates.models import ExpulsionOrder, Inmate, Judgment, NonAssociation
from tests.factories import (
    AgreementFactory,
    CellFactory,
    FacilityFactory,
    PlaceFactory,
    PricingTermsFactory,
)
from transfers import services as transfer_services
from transfers.models import ScreeningJob, TransferCase, TransportBatch

PERSONAS = [*Role.values, SYSTEM_ADMIN, "stranger"]


def _named_routes(resolver: URLResolver | None = None, namespace: str = "") -> set[str]:
    resolver = resolver or get_resolver()
    names: set[str] = set()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == ADMIN_NAMESPACE:
                continue  # the Django admin guards itself; the policy admits only superusers
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= _named_routes(pattern, inner)
        elif isinstance(pattern, URLPattern):
            if pattern.name is None:
                raise AssertionError(
                    f"Unnamed route {pattern.pattern}: name it and add it to the policy"
                )
            names.add(f"{namespace}{pattern.name}")
    return names


def test_every_route_is_in_the_policy() -> None:
    missing = sorted(name for name in _named_routes() if access_for(name) is None)
    assert missing == [], f"Add these routes to program/core/policy.py: {missing}"


def test_the_policy_names_no_route_that_does_not_exist() -> None:
    stale = sorted(set(ROUTES) - _named_routes())
    assert stale == []


@pytest.fixture
def route_args(db, settings, tmp_path) -> dict[str, list[object]]:
    settings.MEDIA_ROOT = tmp_path
    agreement = AgreementFactory()
    facility = FacilityFactory(agreement=agreement)
    cell = CellFactory(unit__facility=facility)
    terms = PricingTermsFactory(agreement=agreement)
    place = PlaceFactory(cell=cell)
    inmate = Inmate.objects.create(
        case_number="KF-ROUTES",
        name="Route Walker",
        date_of_birth=date(1980, 1, 1),
        sex="M",
        security_level="low",
        home_institution="Vestre Prison",
    )
    placement = services.placement_admit(
        inmate=inmate, place=place, on=date(2027, 5, 3), reason="Routes", actor=None
    )
    outage = services.outage_start(
        reason="repair",
        starts_on=date(2027, 5, 3),
        expected_back_on=None,
        cell=CellFactory(unit=cell.unit),
        actor=None,
    )
    judgment = Judgment.objects.create(
        inmate=inmate,
        court="Copenhagen City Court",
        judgment_date=date(2025, 1, 6),
        final_on=date(2025, 2, 3),
        sentence_type="fixed_term",
        length_days=900,
        sentence_start=date(2025, 1, 6),
    )
    order = ExpulsionOrder.objects.create(inmate=inmate, ordered_on=date(2025, 1, 6), final=True)
    other = Inmate.objects.create(
        case_number="KF-ROUTES-2",
        name="Other Walker",
        date_of_birth=date(1981, 1, 1),
        sex="M",
        security_level="low",
        home_institution="Vestre Prison",
    )
    first, second = sorted([inmate, other], key=lambda person: person.pk)
    rule = NonAssociation.objects.create(
        inmate_a=first,
        inmate_b=second,
        scope="unit",
        reason="Conflict",
        active=DateRange(date(2027, 1, 1), None),
    )
    planner = get_user_model().objects.create_user("planner")
    case = TransferCase.objects.create(inmate=other, caseworker=planner)
    batch = TransportBatch.objects.create(
        departs_on=date(2027, 6, 1), direction="dk_xk", seats=10, created_by=planner
    )
    planner.groups.add(Group.objects.get(name=Role.CASEWORKER))
    document = transfer_services.document_upload(
        case=case,
        kind="judgment",
        file=SimpleUploadedFile("j.pdf", b"%PDF-1.4\n%%EOF"),
        actor=planner,
    )
    job = ScreeningJob.objects.create(started_by=planner)
    tranche = Tranche.objects.create(
        agreement=agreement, stream="start_fee", due_on=date(2026, 4, 1), amount=Decimal("1.00")
    )
    condition = finance_services.condition_add(tranche=tranche, kind="facility_ready", actor=None)
    finance_services.condition_meet(
        condition=condition,
        evidence=SimpleUploadedFile("evidence.pdf", b"%PDF-1.4\n"),
        signed_off_by="Route Walker",
        actor=planner,
    )
    actions = ["invoice", "approve", "reject", "pay", "dispute", "withhold"]
    return {
        "finance:tranche-detail": [tranche.pk],
        "finance:tranche-history": [tranche.pk],
        **{f"finance:tranche-{action}": [tranche.pk] for action in actions},
        "finance:condition-meet": [condition.pk],
        "finance:evidence-download": [condition.pk],
        "api:tranche-detail": [tranche.pk],
        "cells:unit-detail": [cell.unit_id],
        "cells:place-admit": [place.pk],
        "cells:place-reserve": [place.pk],
        "cells:placement-move": [placement.pk],
        "cells:placement-release": [placement.pk],
        "cells:reservation-cancel": [placement.pk],
        "cells:outage-start": [cell.pk],
        "cells:outage-end": [outage.pk],
        "api:place-detail": [place.pk],
        "api:placement-detail": [placement.pk],
        "api:placement-move": [placement.pk],
        "api:placement-release": [placement.pk],
        "api:placement-cancel": [placement.pk],
        "inmates:detail": [inmate.pk],
        "inmates:edit": [inmate.pk],
        "inmates:judgment-create": [inmate.pk],
        "inmates:expulsion-create": [inmate.pk],
        "inmates:non-association-create": [inmate.pk],
        "inmates:judgment-edit": [judgment.pk],
        "inmates:expulsion-edit": [order.pk],
        "inmates:non-association-end": [rule.pk],
        "api:inmate-detail": [inmate.pk],
        "api:non-association-detail": [rule.pk],
        "transfers:case-detail": [case.pk],
        "transfers:case-history": [case.pk],
        "transfers:document-download": [document.pk],
        "transfers:screen-job": [job.pk],
        "api:transfer-case-detail": [case.pk],
        "api:transfer-case-documents": [case.pk],
        "api:transfer-case-events": [case.pk],
        "api:transfer-case-opinions": [case.pk],
        "api:transfer-case-decisions": [case.pk],
        "api:transfer-case-release-preparation": [case.pk],
        "transfers:case-release-preparation": [case.pk],
        "transfers:batch-manifest": [batch.pk],
        "api:transport-batch-manifest": [batch.pk],
        "transfers:batch-detail": [batch.pk],
        "api:transport-batch-detail": [batch.pk],
        "transfers:rule-parameter-edit": ["min_days_left"],
        "cells:agreement-detail": [agreement.pk],
        "cells:facility-detail": [facility.pk],
        "api:agreement-detail": [agreement.pk],
        "api:facility-detail": [facility.pk],
        "api:cell-detail": [cell.pk],
        "api:pricing-terms-detail": [terms.pk],
        "api:aid-stream-detail": [],
    }


def _get_routes(route_args: dict[str, list[object]]) -> list[tuple[str, str]]:
    urls = []
    for name, access in sorted(ROUTES.items()):
        if name in {"logout"} or "GET" not in access.methods:
            continue
        if name == "api:aid-stream-detail":
            continue  # needs an aid stream; covered by the finance API tests
        urls.append((name, reverse(name, args=route_args.get(name, []))))
    return urls


@pytest.mark.django_db
@pytest.mark.parametrize("who", PERSONAS)
def test_each_role_reaches_exactly_its_routes(who, persona, route_args) -> None:
    client = persona(who)
    for name, url in _get_routes(route_args):
        if name == "login":
            continue  # a signed-in user is sent on from the log-in page; see the test below
        access = ROUTES[name]
        allowed = access.public or access.any_signed_in or who in access.roles
        response = client.get(url)
        if allowed:
            assert response.status_code == 200, (
                f"{who} should reach {name} ({url}): {response.status_code}"
            )
        else:
            assert response.status_code == 403, (
                f"{who} must be refused {name} ({url}): {response.status_code}"
            )


@pytest.mark.django_db
def test_anonymous_is_sent_to_log_in_for_pages_and_gets_401_from_the_api(
    client, route_args
) -> None:
    for name, url in _get_routes(route_args):
        access = ROUTES[name]
        response = client.get(url, HTTP_ACCEPT="application/json")
        if access.public:
            assert response.status_code in (200, 503), name
        elif is_api(name):
            assert response.status_code == 401, f"{name}: {response.status_code}"
            assert response.json()["error"]["code"] == "not_authenticated"
        else:
            assert response.status_code == 302, name
            assert response["Location"].startswith(reverse("login")), name


@pytest.mark.django_db
def test_the_refusal_page_names_the_roles_that_may_enter(caseworker) -> None:
    response = caseworker.get(reverse("finance:terms"))
    assert response.status_code == 403
    body = response.content.decode()
    assert "Finance officer" in body
    assert "Finance approver" in body
    assert "Auditor" in body


@pytest.mark.django_db
def test_only_the_system_administrator_reaches_the_django_admin(caseworker, sysadmin) -> None:
    assert caseworker.get("/admin/").status_code == 403
    assert sysadmin.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_a_signed_in_user_opening_the_log_in_page_is_sent_home(caseworker) -> None:
    response = caseworker.get(reverse("login"))
    assert response.status_code == 302
    assert response["Location"] == reverse("home")

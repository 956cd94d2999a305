"""Every route is in the policy, and every role gets exactly what the policy gives it."""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.backends.postgresql.psycopg_any import DateRange
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from finance import services as finance_services
from finance.models import Tranche
from program.cells import services
from program.complaints.models import Complaint, ComplaintDocument
from program.core.policy import ADMIN_NAMESPACE, ROUTES, access_for, is_api
from program.core.roles import SYSTEM_ADMIN, Role
from program.handover.models import Handover
from program.host.models import StaffPosting
from program.incidents import services as incident_services
from program.inmates.models import ExpulsionOrder, Inmate, Judgment, NonAssociation
from program.inmates.models_import import ImportJob
from program.inspections import services as inspection_services
from program.inspections.models import InspectionBody
from tests.factories import (
    AgreementFactory,
    CellFactory,
    FacilityFactory,
    PlaceFactory,
    PricingTermsFactory,
    RampUpCapFactory,
    UnitFactory,
    the_programme,
)
from tests.transfers.factories import PlacementFactory, TransferCaseFactory
from tests.visits.walk_args import visit_route_args
from transfers import services as transfer_services
from transfers.letters.models import LetterJob
from transfers.models import ManifestEntry, ScreeningJob, TransferCase, TransportBatch

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
def route_args(
    db, settings, tmp_path, caseworker, host_officer, host_manager
) -> dict[str, list[object]]:
    settings.MEDIA_ROOT = tmp_path
    agreement = AgreementFactory()
    facility = FacilityFactory(agreement=agreement)
    cell = CellFactory(unit__facility=facility)
    terms = PricingTermsFactory(agreement=agreement)
    cap = RampUpCapFactory(agreement=agreement)
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
    case = TransferCase.objects.create(agreement=the_programme(), inmate=other, caseworker=planner)
    batch = TransportBatch.objects.create(
        agreement=the_programme(),
        departs_on=date(2027, 6, 1),
        direction="dk_xk",
        seats=10,
        created_by=planner,
    )
    planner.groups.add(Group.objects.get(name=Role.CASEWORKER))
    document = transfer_services.document_upload(
        case=case,
        kind="judgment",
        file=SimpleUploadedFile("j.pdf", b"%PDF-1.4\n%%EOF"),
        actor=planner,
    )
    job = ScreeningJob.objects.create(started_by=planner)
    # An import's progress page is its uploader's only: the caseworker persona's here.
    uploader = get_user_model().objects.get(username="carla")
    imports = {
        kind: ImportJob.objects.create(
            kind=kind, owner=uploader, digest="0" * 64, expires_at=timezone.now()
        )
        for kind in ImportJob.Kind.values
    }
    letter_job = LetterJob.objects.create(batch=batch, started_by=planner)
    tranche = Tranche.objects.create(
        agreement=agreement, stream="start_fee", due_on=date(2026, 4, 1), amount=Decimal("1.00")
    )
    condition = finance_services.condition_add(tranche=tranche, kind="facility_ready", actor=None)
    # Recording evidence is a finance officer's (the service checks it).
    clerk = get_user_model().objects.create_user("evidence-clerk")
    clerk.groups.add(Group.objects.get(name=Role.FINANCE_OFFICER))
    finance_services.condition_record_evidence(
        condition=condition,
        evidence=SimpleUploadedFile("evidence.pdf", b"%PDF-1.4\n"),
        actor=clerk,
    )
    # --- incidents (begin): the host personas are posted to the facility of the incident
    for host in ("arben", "drita"):
        StaffPosting.objects.get_or_create(
            user=get_user_model().objects.get(username=host), defaults={"facility": facility}
        )
    # --- h19host (begin): a person on today's transport to the host personas' facility.
    arriving = TransferCaseFactory(state=TransferCase.State.IN_TRANSIT, caseworker=planner)
    arriving_place = PlacementFactory(
        inmate=arriving.inmate,
        place=PlaceFactory(cell=CellFactory(unit=UnitFactory(facility=facility))),
        kind="reservation",
        period=DateRange(timezone.localdate(), None, "[)"),
    )
    TransferCase.objects.filter(pk=arriving.pk).update(placement=arriving_place)
    ManifestEntry.objects.create(
        batch=TransportBatch.objects.create(
            agreement=the_programme(),
            departs_on=timezone.localdate(),
            direction="dk_xk",
            seats=1,
            created_by=planner,
        ),
        case=arriving,
        placement=arriving_place,
        added_by=planner,
    )
    # --- h19host (end)
    incident = incident_services.incident_report(
        actor=uploader,
        facility=facility,
        kind="violence",
        occurred_at=timezone.now(),
        description="Route walk",
    )
    incident_routes: dict[str, list[object]] = {
        name: [incident.pk]
        for name in (
            "incidents:detail",
            "incidents:review",
            "incidents:add-information",
            "api:incident-detail",
        )
    }
    # --- incidents (end)
    # --- inspections (begin): owned by the inspections work
    inspector = get_user_model().objects.create_user("route-governor")
    inspector.groups.add(Group.objects.get(name=Role.GOVERNOR))
    visit = inspection_services.inspection_record(
        body=InspectionBody.objects.create(name="Routes body", short_name="RB"),
        facility=facility,
        kind="announced",
        starts_on=date(2026, 9, 1),
        ends_on=date(2026, 9, 2),
        published_on=date(2026, 10, 1),
        report=SimpleUploadedFile("report.pdf", b"%PDF-1.4\n"),
        actor=inspector,
    )
    visit_finding = inspection_services.finding_record(
        inspection=visit,
        title="Routes finding",
        text="Found on the walk",
        severity="low",
        concerns="cell",
        cell=cell,
        actor=inspector,
    )
    promised = inspection_services.action_add(
        finding=visit_finding,
        title="Routes action",
        owner="Director",
        deadline=date(2027, 1, 1),
        actor=inspector,
    )
    inspection_routes: dict[str, list[object]] = {
        "inspections:detail": [visit.pk],
        "inspections:edit": [visit.pk],
        "inspections:report": [visit.pk],
        "inspections:finding-create": [visit.pk],
        "inspections:finding-detail": [visit_finding.pk],
        "inspections:finding-edit": [visit_finding.pk],
        "inspections:action-add": [visit_finding.pk],
        "inspections:action-update": [promised.pk],
        "api:inspection-detail": [visit.pk],
        "api:inspection-report": [visit.pk],
        "api:finding-detail": [visit_finding.pk],
        "api:finding-action-detail": [promised.pk],
        "finance:condition-finding": [tranche.pk],
    }
    # --- inspections (end)
    actions = ["invoice", "approve", "reject", "pay", "dispute", "withhold"]
    # --- handover (begin): a record the escort acknowledged, handed over to the facility the
    # host personas are posted to, so every reader of handovers reaches it.
    handover = Handover.objects.create(
        case=case,
        batch=batch,
        facility=facility,
        completed_at=timezone.now(),
        escort_officer="Officer Route",
        escort_acknowledged_at=timezone.now(),
        created_by=planner,
        updated_by=planner,
    )
    # (the host personas were posted to this facility with the incidents above)
    handover_args: dict[str, list[object]] = {
        name: [handover.pk]
        for name in (
            "handover:detail",
            "handover:edit",
            "handover:health",
            "handover:complete",
            "handover:escort",
            "handover:arrival",
            "handover:correct",
            "api:handover-detail",
            "api:handover-complete",
            "api:handover-acknowledge-escort",
            "api:handover-acknowledge-arrival",
            "api:handover-correct",
        )
    }
    handover_args["handover:for-case"] = [case.pk]
    # --- handover (end)
    # --- complaints (h19complaints, begin)
    complaint = Complaint.objects.create(
        inmate=inmate,
        facility=facility,
        received_on=date(2026, 11, 2),
        channel="email",
        deadline=date(2026, 11, 30),
        remind_on=date(2026, 11, 27),
        registered_by=planner,
    )
    complaint_document = ComplaintDocument(
        complaint=complaint,
        kind="letter",
        original_name="l.pdf",
        content_type="application/pdf",
        size=14,
        sha256="0" * 64,
        uploaded_by=planner,
    )
    complaint_document.file.save("upload", SimpleUploadedFile("l.pdf", b"%PDF-1.4\n%%EOF"))
    complaint_routes: dict[str, list[object]] = {
        f"{prefix}{name}": [complaint.pk]
        for prefix, name in (
            ("complaints:", "detail"),
            ("complaints:", "edit"),
            ("complaints:", "answer"),
            ("complaints:", "document-upload"),
            ("api:complaint-", "detail"),
            ("api:complaint-", "answer"),
            ("api:complaint-", "documents"),
        )
    }
    complaint_routes["complaints:document-download"] = [complaint_document.pk]
    # --- complaints (h19complaints, end)
    return {
        **incident_routes,
        **inspection_routes,
        **handover_args,
        **complaint_routes,
        "finance:tranche-detail": [tranche.pk],
        "finance:tranche-history": [tranche.pk],
        **{f"finance:tranche-{action}": [tranche.pk] for action in actions},
        "finance:condition-add": [tranche.pk],
        "finance:condition-edit": [condition.pk],
        "finance:condition-remove": [condition.pk],
        "finance:condition-evidence": [condition.pk],
        "finance:condition-sign-off": [condition.pk],
        "api:tranche-condition-detail": [condition.pk],
        "api:tranche-condition-evidence": [condition.pk],
        "api:tranche-condition-sign-off": [condition.pk],
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
        "api:judgment-detail": [judgment.pk],
        "api:expulsion-order-detail": [order.pk],
        "transfers:case-detail": [case.pk],
        "transfers:case-history": [case.pk],
        "transfers:document-download": [document.pk],
        "transfers:screen-job": [job.pk],
        "inmates:import-job": [imports[ImportJob.Kind.INMATES].pk],
        "transfers:intake-job": [imports[ImportJob.Kind.CANDIDATES].pk],
        "api:candidate-intake-detail": [imports[ImportJob.Kind.CANDIDATES].pk],
        "letters:letter-job": [letter_job.pk],
        "api:letter-job-detail": [letter_job.pk],
        "api:transfer-case-letters": [case.pk],
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
        "cells:agreement-edit": [agreement.pk],
        "cells:facility-create": [agreement.pk],
        "cells:facility-edit": [facility.pk],
        "cells:ramp-up-create": [agreement.pk],
        "cells:ramp-up-edit": [cap.pk],
        "api:ramp-up-cap-detail": [cap.pk],
        "finance:terms-create": [agreement.pk],
        "finance:terms-edit": [terms.pk],
        "cells:facility-detail": [facility.pk],
        "api:agreement-detail": [agreement.pk],
        "api:facility-detail": [facility.pk],
        "api:cell-detail": [cell.pk],
        "api:pricing-terms-detail": [terms.pk],
        "api:aid-stream-detail": [],
        # --- h19host: the host facility's check-in. The host personas are now posted (for the
        # incidents' routes), so the page needs a person on today's transport to their facility.
        "host:check-in": [arriving.pk],
        "host:refuse": [arriving.pk],
        # --- visits and travel support (begin): owned by the h19visits work
        **visit_route_args(facility=facility, preparer=planner),
        # --- visits and travel support (end)
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

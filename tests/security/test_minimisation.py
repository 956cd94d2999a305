"""Field-level minimisation: the finance roles never receive conviction, offence or medical data,
nor anything from an inmate's file, in any page, export or API response they may GET; the
occupancy administrator receives what placing a person needs (the medical-observation alert, the
security level, non-associations) but no diagnosis, family detail or medical document.

The data comes from the field tags (program/core/field_tags.py): every text field of the inmate
apps tagged personal, criminal or health gets a distinctive value ("zq007x12": field 7, row 12),
every health and criminal flag is switched on, and then every GET route the policy gives a finance
role is requested (pages, API lists and details, CSV and XLSX exports, read with openpyxl). No
planted value may appear in any payload, and no criminal or health field name may appear as a
JSON key or an export column. A control proves the planted values do reach a caseworker.
"""

import csv
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from django.contrib.postgres.fields import ArrayField
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, models, transaction
from django.db.models.functions import Cast, Concat
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from finance.models import AidStream
from program.audit.purpose import SESSION_KEY
from program.cells import services as cell_services
from program.cells.models import Placement
from program.core import exports, field_tags
from program.core.field_tags import CRIMINAL, HEALTH, PERSONAL
from program.core.policy import ROUTES, Access
from program.core.roles import Role
from program.inmates.minimisation import HEALTH_AND_FAMILY_FIELDS
from program.inmates.models import Inmate, Judgment, OffenceCategory
from tests.core.test_route_policy import route_args  # noqa: F401  (the fixture, reused)
from tests.factories import CellFactory, PlaceFactory
from transfers import services as transfer_services
from transfers.models import (
    CaseEvent,
    Decision,
    Document,
    InmateOpinion,
    ManifestEntry,
    Screening,
    TransferCase,
    TransportBatch,
)

FINANCE_ROLES = [Role.FINANCE_OFFICER, Role.FINANCE_APPROVER]
# The apps whose rows are about an inmate. Finance's own personal fields (who prepared a tranche,
# who signed a condition off) are the finance roles' business; the audit and notification tables
# are append-only or per-recipient and are covered by their own tests.
# The apps whose rows are about an inmate and that the planting below fills. The host facility's
# records (handover, incidents, complaints, visits) carry check constraints that tie their flags
# to their texts, which blind planting breaks; their own tests check their minimisation and
# access log (tests/handover, tests/incidents, tests/complaints, tests/visits).
INMATE_APPS = frozenset({"inmates", "cells", "transfers"})
PLANTED_TAGS = frozenset({PERSONAL, CRIMINAL, HEALTH})
SECRET_TAGS = frozenset({CRIMINAL, HEALTH})
CANARY = re.compile(r"zq\d{3,}x\d*")
# The keys of DRF's paginated envelope, not field names (Screening.results is one too).
API_ENVELOPE = frozenset({"count", "next", "previous", "results"})
# The OpenAPI schema describes every endpoint, those refused to finance included: it carries
# field names but no data, so only the planted values are looked for in it.
DESCRIBES_THE_API = frozenset({"api:schema", "api-docs"})
PERIOD = "from=2026-01-01&to=2027-12-31"


def _reads(access: Access, role: str) -> bool:
    return "GET" in access.methods and (access.any_signed_in or role in access.roles)


# --- The inmate's file, with distinctive values ---------------------------------------------


def _complete_the_file(args: dict[str, list[object]]) -> None:
    """Give every inmate-side model at least one row, and one inmate a place today (so that any
    roll or occupancy page would have a name to show)."""
    inmate = Inmate.objects.get(pk=args["inmates:detail"][0])
    judgment = Judgment.objects.get(inmate=inmate)
    category = OffenceCategory.objects.create(code="zq-test", name="Offence")
    judgment.offence_categories.add(category)
    case = TransferCase.objects.get(pk=args["transfers:case-detail"][0])
    batch = TransportBatch.objects.get(pk=args["transfers:batch-detail"][0])
    staff = case.caseworker
    CaseEvent.objects.create(case=case, kind="note", text="Note", payload={"k": "v"})
    Screening.objects.create(
        inmate=case.inmate,
        case=case,
        screened_on=date(2026, 11, 1),
        rule_set_version="1",
        inputs={},
        outcome="eligible",
        results=[],
        fingerprint="f",
    )
    Decision.objects.create(
        case=case,
        outcome="transfer",
        authority="Authority",
        legal_basis="Basis",
        decided_on=date(2026, 11, 2),
        recorded_by=staff,
    )
    InmateOpinion.objects.create(
        case=case,
        stance="objects",
        statement="Statement",
        heard_on=date(2026, 11, 1),
        language="English",
        recorded_by=staff,
    )
    ManifestEntry.objects.create(batch=batch, case=case, added_by=staff)
    present = Inmate.objects.create(
        case_number="KF-TODAY",
        name="Present",
        date_of_birth=date(1979, 1, 1),
        sex="M",
        security_level="high",
        home_institution="Institution",
    )
    cell = CellFactory()
    place = PlaceFactory(cell=cell)
    cell_services.placement_admit(
        inmate=present,
        place=place,
        on=timezone.localdate() - timedelta(days=10),
        reason="Reason",
        actor=None,
    )
    AidStream.objects.create(
        agreement_id=args["cells:agreement-detail"][0],
        name="Green energy",
        budget_owner="Ministry",
        annual_amount=Decimal("1000.00"),
        years=2,
    )


def _plantable(item: field_tags.TaggedField) -> bool:
    model = item.model
    return (
        item.tag in PLANTED_TAGS
        and model._meta.app_label in INMATE_APPS
        and not model._meta.auto_created
        and not item.field.primary_key
        and not item.field.is_relation
    )


def _planted_value(index: int, field: models.Field) -> tuple[Any, str | None]:
    """What to write into a field, and the token that marks it (None when the field cannot
    carry one: dates, numbers, choices; their names are checked instead)."""
    token = f"zq{index:03d}x"
    if isinstance(field, ArrayField):
        return [token], token
    if isinstance(field, models.JSONField):
        return {"note": token}, token
    if isinstance(field, models.BooleanField):
        return True, None  # so a label or a flag would show
    if isinstance(field, models.CharField | models.TextField) and not field.choices:
        return TextToken(token), token
    return None, None


@dataclass(frozen=True)
class TextToken:
    """A text value: the token and the row's id, which keeps unique fields (the case number)
    unique."""

    token: str

    def for_every_row(self) -> Concat:
        return Concat(models.Value(self.token), Cast("pk", models.CharField()))


# Idempotency keys are unique per case: a copied row leaves them empty.
UNIQUE_KEYS = frozenset({"dedupe_key"})


def _plant(model: type[models.Model], values: dict[str, Any]) -> None:
    """Write the values into every row; a table that refuses updates (an append-only timeline)
    gets a new row, a copy of its first, carrying them."""
    try:
        with transaction.atomic():
            model._default_manager.update(
                **{
                    k: v.for_every_row() if isinstance(v, TextToken) else v
                    for k, v in values.items()
                }
            )
    except DatabaseError:
        first = model._default_manager.first()
        copy = {
            f.attname: getattr(first, f.attname)
            for f in model._meta.concrete_fields
            if not f.primary_key and not isinstance(f, models.GeneratedField)
        }
        for name, value in values.items():
            copy[name] = f"{value.token}0" if isinstance(value, TextToken) else value
        copy.update(dict.fromkeys(UNIQUE_KEYS & set(copy), ""))
        model._default_manager.create(**copy)


@pytest.fixture
def planted(route_args) -> dict[str, str]:  # noqa: F811
    """token → the field it was written into."""
    _complete_the_file(route_args)
    tokens: dict[str, str] = {}
    by_model: dict[type[models.Model], dict[str, Any]] = {}
    for index, item in enumerate(field_tags.all_fields()):
        if not (_plantable(item) and item.model._default_manager.exists()):
            continue
        value, token = _planted_value(index, item.field)
        if value is not None:
            by_model.setdefault(item.model, {})[item.field.name] = value
        if token:
            tokens[token] = item.label
    for model, values in by_model.items():
        _plant(model, values)
    return tokens


def _secret_names() -> set[str]:
    """Names and labels of criminal and health fields that no field a finance role may see
    shares (`reason` is a tranche's too, so it cannot betray anything by itself)."""
    secret: set[str] = set()
    shared: set[str] = set()
    for item in field_tags.all_fields():
        names = {item.field.name.lower(), str(item.field.verbose_name).lower()}
        if item.tag in SECRET_TAGS and item.model._meta.app_label in INMATE_APPS:
            secret |= names
        elif item.tag is not None and item.tag not in SECRET_TAGS:
            shared |= names
    return secret - shared - API_ENVELOPE


# --- Reading the payloads ---------------------------------------------------------------


def _json_keys(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for key, inner in value.items():
            yield str(key)
            yield from _json_keys(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from _json_keys(inner)


def _payload(response: Any) -> tuple[str, set[str]]:
    """The response as text, and the names it carries (JSON keys, export column headings)."""
    content_type = response.get("Content-Type", "")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if content_type.startswith(exports.XLSX_TYPE):
        book = openpyxl.load_workbook(io.BytesIO(body), read_only=True)
        rows = [
            [str(cell) for cell in row if cell is not None]
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
        ]
        return "\n".join("\t".join(row) for row in rows), {c.lower() for c in rows[0]}
    text = body.decode("utf-8", errors="replace")
    if content_type.startswith("text/csv"):
        header = next(csv.reader(io.StringIO(text)), [])
        return text, {cell.lower() for cell in header}
    if content_type.startswith("application/json"):
        return text, {key.lower() for key in _json_keys(json.loads(body))}
    return text, set()


def _finance_urls(args: dict[str, list[object]], role: str) -> Iterator[tuple[str, str]]:
    for name, access in sorted(ROUTES.items()):
        if name in {"login", "logout"} or not _reads(access, role):
            continue
        url = reverse(name, args=args.get(name, []))
        if name.endswith("-export"):
            for fmt in exports.FORMATS:
                yield name, f"{url}?format={fmt}&{PERIOD}"
        else:
            yield name, url
            if name in {"finance:cost-report", "finance:schedule"}:
                yield name, f"{url}?{PERIOD}&year=2026"
            if name in {"cells:occupancy", "api:occupancy"}:
                yield name, f"{url}?{PERIOD}"  # the period is from= and to=


@pytest.fixture
def finance_args(route_args, planted) -> dict[str, list[object]]:  # noqa: F811
    # After `planted`, which adds the aid stream.
    aid = AidStream.objects.order_by("pk").last()
    return {**route_args, "api:aid-stream-detail": [aid.pk] if aid else []}


@pytest.mark.django_db
@pytest.mark.parametrize("role", FINANCE_ROLES)
def test_finance_roles_receive_nothing_from_an_inmates_file(
    role, persona, planted, finance_args
) -> None:
    client: Client = persona(role)
    secret_names = _secret_names()
    leaks: list[str] = []
    crawled = 0
    routes = set()
    for name, url in _finance_urls(finance_args, role):
        routes.add(name)
        response = client.get(url)
        assert response.status_code == 200, f"{role} could not read {name} ({url})"
        text, names = _payload(response)
        crawled += 1
        for token in sorted(set(CANARY.findall(text))):
            leaks.append(f"{url}: value of {planted.get(token.rstrip('0123456789'), token)}")
        if name not in DESCRIBES_THE_API:
            leaks += [f"{url}: field {found!r}" for found in sorted(names & secret_names)]
    print(
        f"\nminimisation: {role} read {len(routes)} routes in {crawled} responses; "
        f"{len(planted)} fields planted; routes: {sorted(routes)}"
    )
    assert crawled >= 20
    assert leaks == []


@pytest.mark.django_db
def test_the_planted_values_reach_those_who_may_read_the_file(
    caseworker, planted, finance_args
) -> None:
    # The control: the same planting and reading finds the values where they belong.
    inmate = finance_args["api:inmate-detail"][0]
    response = caseworker.get(reverse("api:inmate-detail", args=[inmate]))
    text, names = _payload(response)
    assert {"serious_mental_disorder", "security_level"} <= names
    found = {planted[token.rstrip("0123456789")] for token in CANARY.findall(text)}
    assert {"inmates.Inmate.name", "inmates.Inmate.case_number"} <= found
    judgment = Judgment.objects.get(inmate_id=inmate)
    assert judgment.court.startswith("zq")
    # Every placement's reason carries its token (the route walk's people and the one placed
    # today, the person arriving at the host facility's check-in among them).
    assert Placement.objects.exclude(reason__startswith="zq").count() == 0
    assert Placement.objects.filter(reason__startswith="zq").count() >= 2
    assert any(label.startswith("transfers.") for label in planted.values())


# --- The occupancy administrator: what placing needs, no health or family details ------------

OCCUPANCY = Role.OCCUPANCY_ADMIN
# The labels the record page gives the hidden fields, and the reasons of the eligibility rules
# that state them (planted flags are switched on, so the rules would fail or ask for review).
HIDDEN_TEXTS = (
    "Serious mental disorder needing treatment outside prison",
    "Ongoing specialist treatment",
    "Minor children in Denmark who visit",
    "Minor children in Denmark visit regularly",
    "Diagnosed serious mental disorder",
)
# Pages that describe the rules or the API in general, about nobody.
ABOUT_NOBODY = frozenset({"transfers:rules", "api:eligibility-rules", *DESCRIBES_THE_API})


@pytest.fixture
def medical_document(route_args) -> Document:  # noqa: F811
    case = TransferCase.objects.get(pk=route_args["transfers:case-detail"][0])
    document = transfer_services.document_upload(
        case=case,
        kind="medical_fitness",
        file=SimpleUploadedFile("m.pdf", b"%PDF-1.4\n%%EOF"),
        actor=case.caseworker,
    )
    transfer_services.case_screen(case=case, actor=case.caseworker)
    return document


def _purposes_given(client: Client) -> None:
    """The purpose each record asks for, given once for every person (the purpose form)."""
    session = client.session
    session[SESSION_KEY] = {
        f"inmate:{pk}": "occupancy" for pk in Inmate.objects.values_list("pk", flat=True)
    }
    session.save()


def _occupancy_reads(
    args: dict[str, list[object]], document: Document
) -> Iterator[tuple[str, str]]:
    yield from _finance_urls(args, OCCUPANCY)
    inmate = args["inmates:detail"][0]
    yield "audit:history", f"{reverse('audit:history')}?model=inmates.Inmate&id={inmate}"
    yield "transfers:document-download", reverse("transfers:document-download", args=[document.pk])


@pytest.mark.django_db
def test_the_occupancy_administrator_gets_what_placing_needs_and_no_health_or_family(
    occupancy_admin, planted, finance_args, medical_document
) -> None:
    _purposes_given(occupancy_admin)
    hidden = set(HEALTH_AND_FAMILY_FIELDS)
    leaks: list[str] = []
    crawled = 0
    for name, url in _occupancy_reads(finance_args, medical_document):
        response = occupancy_admin.get(url)
        assert response.status_code < 500, url
        if name == "transfers:document-download" and url.endswith(f"/{medical_document.pk}/"):
            if response.status_code != 403:
                leaks.append(f"{url}: medical document answered {response.status_code}")
            continue
        crawled += 1
        text, names = _payload(response)
        leaks += [f"{url}: field {found!r}" for found in sorted(names & hidden)]
        if name not in ABOUT_NOBODY:
            leaks += [f"{url}: {label!r}" for label in HIDDEN_TEXTS if label in text]
        if "medical_fitness" in text and name == "api:transfer-case-documents":
            leaks.append(f"{url}: a medical document is listed")
    print(f"\nminimisation: occupancy administrator read {crawled} responses")
    assert crawled >= 20
    assert leaks == []
    # What placing needs is still there: the medical-observation alert and the security level.
    inmate = finance_args["api:inmate-detail"][0]
    record = occupancy_admin.get(reverse("api:inmate-detail", args=[inmate])).json()
    assert record["medical_observation"] is True
    assert record["security_level"]
    page = occupancy_admin.get(reverse("inmates:detail", args=[inmate])).content.decode()
    assert "Needs a medical-observation cell" in page


@pytest.mark.django_db
def test_the_same_details_reach_the_caseworker(
    caseworker, planted, finance_args, medical_document
) -> None:
    # The control: the same planting and reading finds them where the whole file is read.
    _purposes_given(caseworker)
    inmate = finance_args["api:inmate-detail"][0]
    record = caseworker.get(reverse("api:inmate-detail", args=[inmate])).json()
    assert {name: record[name] for name in HEALTH_AND_FAMILY_FIELDS} == dict.fromkeys(
        HEALTH_AND_FAMILY_FIELDS, True
    )
    page = caseworker.get(reverse("inmates:detail", args=[inmate])).content.decode()
    assert all(label in page for label in HIDDEN_TEXTS[:3])
    case = medical_document.case_id
    case_page = caseworker.get(reverse("transfers:case-detail", args=[case])).content.decode()
    assert "Diagnosed serious mental disorder" in case_page
    listed = caseworker.get(reverse("api:transfer-case-documents", args=[case])).json()
    assert "medical_fitness" in {document["kind"] for document in listed}
    download = caseworker.get(reverse("transfers:document-download", args=[medical_document.pk]))
    assert download.status_code == 200

"""Every form and API write given hostile values: refused with a 4xx (or the form shown again with
its errors), nothing written, never a 5xx, and any markup escaped where it is shown.

The targets are not listed by hand. Every route in the policy that takes a write method is one;
the fields of an HTML form are read from the pages that show it (every page of the policy is
opened as each writing role, on a seeded programme), and the fields of an API write from its
OpenAPI request body. A new route fails `test_every_write_route_is_reached` until it is given
the seeded row its URL names (TARGET_ARGS) or a reason it takes no input (NO_INPUT).
"""

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test import Client
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from drf_spectacular.generators import SchemaGenerator

from program.audit.models import AccessLogEntry, AuditPurge
from program.core.policy import READ, ROUTES, is_api
from program.core.roles import SYSTEM_ADMIN, Role
from tests.hostile.conftest import Programme

# Which seeded row a route's <pk> names.
TARGET_ARGS: dict[str, str] = {
    "api:inmate-detail": "inmate",
    "api:judgment-detail": "judgment",
    "api:expulsion-order-detail": "expulsion",
    "api:agreement-detail": "agreement",
    "api:facility-detail": "facility",
    "api:ramp-up-cap-detail": "ramp_up",
    "api:pricing-terms-detail": "terms",
    # --- incidents (begin)
    "incidents:review": "incident",
    "incidents:add-information": "incident",
    "api:incident-review": "incident",
    # --- incidents (end)
    "cells:agreement-edit": "agreement",
    "cells:facility-create": "agreement",
    "cells:facility-edit": "facility",
    "cells:ramp-up-create": "agreement",
    "cells:ramp-up-edit": "ramp_up",
    "finance:terms-create": "agreement",
    "finance:terms-edit": "terms",
    "api:placement-cancel": "reservation",
    "api:placement-move": "placement",
    "api:placement-release": "placement",
    "api:tranche-approve": "invoiced_tranche",
    "api:tranche-dispute": "invoiced_tranche",
    "api:tranche-invoice": "due_tranche",
    "api:tranche-pay": "approved_tranche",
    "api:tranche-reject": "invoiced_tranche",
    "api:tranche-withhold": "invoiced_tranche",
    "api:transfer-case-appeal": "case",
    "api:transfer-case-appeal-outcome": "appeal_case",
    "api:transfer-case-decisions": "review_case",
    "api:transfer-case-documents": "case",
    "api:transfer-case-notification": "case",
    "api:transfer-case-opinions": "case",
    "api:transfer-case-screen": "case",
    "api:transfer-case-transitions": "case",
    "api:transfer-case-release-preparation": "release_case",
    "api:transfer-case-schedule": "notified_case",
    "api:transfer-case-rebook": "scheduled_case",
    "api:transfer-case-departure": "scheduled_case",
    "api:transfer-case-admission": "transit_case",
    "api:transfer-case-review": "serving_case",
    "api:transfer-case-return": "return_case",
    "api:transfer-case-deportation": "release_case",
    "api:transfer-case-release": "release_case",
    "api:transport-batch-departure": "batch",
    "api:transport-batch-arrival": "batch",
    "cells:outage-end": "outage",
    "cells:outage-start": "cell",
    "cells:place-admit": "free_place",
    "cells:place-reserve": "free_place",
    "cells:placement-move": "placement",
    "cells:placement-release": "placement",
    "cells:reservation-cancel": "reservation",
    "finance:condition-add": "tranche",
    "finance:condition-edit": "condition",
    "finance:condition-remove": "condition",
    "finance:condition-evidence": "condition",
    "finance:condition-sign-off": "condition",
    "api:tranche-condition-detail": "condition",
    "api:tranche-condition-evidence": "condition",
    "api:tranche-condition-sign-off": "condition",
    "finance:tranche-approve": "invoiced_tranche",
    "finance:tranche-dispute": "invoiced_tranche",
    "finance:tranche-invoice": "due_tranche",
    "finance:tranche-pay": "approved_tranche",
    "finance:tranche-reject": "invoiced_tranche",
    "finance:tranche-withhold": "invoiced_tranche",
    "inmates:edit": "inmate",
    "inmates:expulsion-create": "inmate",
    "inmates:expulsion-edit": "expulsion",
    "inmates:judgment-create": "inmate",
    "inmates:judgment-edit": "judgment",
    "inmates:non-association-create": "inmate",
    "inmates:non-association-end": "non_association",
    "transfers:case-appeal-outcome": "appeal_case",
    "transfers:case-decision": "review_case",
    "transfers:case-opinion": "case",
    "transfers:case-screen": "case",
    "transfers:case-transition": "case",
    "transfers:case-release-preparation": "release_case",
    "transfers:case-review": "serving_case",
    "transfers:batch-departure": "batch",
    "transfers:batch-arrival": "batch",
    "transfers:document-upload": "case",
    "transfers:rule-parameter-edit": "min_days_left",  # a rule parameter's name, not a row
    "letters:case-letter-generate": "appeal_case",
    "api:transfer-case-letters": "appeal_case",
    # --- h19host: the check-in at the gate of the seeded transport's person in transit.
    "host:check-in": "transit_case",
    "host:refuse": "transit_case",
    # --- inspections (begin): owned by the inspections work
    "inspections:edit": "inspection",
    "inspections:finding-create": "inspection",
    "inspections:finding-edit": "finding",
    "inspections:action-add": "finding",
    "inspections:action-update": "finding_action",
    "api:inspection-detail": "inspection",
    "api:inspection-report": "inspection",
    "api:finding-detail": "finding",
    "api:finding-action-detail": "finding_action",
    "finance:condition-finding": "due_tranche",
    # --- inspections (end)
    # --- handover (begin)
    "handover:edit": "handover",
    "handover:complete": "handover",
    "handover:escort": "completed_handover",  # the escort's form shows once it is complete
    "handover:correct": "acknowledged_handover",
    "api:handover-detail": "handover",
    "api:handover-acknowledge-escort": "handover",
    "api:handover-correct": "acknowledged_handover",
    # --- handover (end)
    # --- complaints (h19complaints)
    "complaints:edit": "complaint",
    "complaints:answer": "complaint",
    "complaints:document-upload": "complaint",
    "api:complaint-detail": "complaint",
    "api:complaint-answer": "complaint",
    "api:complaint-documents": "complaint",
    # --- visits and travel support (begin): owned by the h19visits work
    "visits:request": "visit_person",
    "visits:book": "visit",
    "visits:outcome": "visit",
    "api:visit-book": "visit",
    "api:visit-outcome": "visit",
    "finance:travel-grant-approve": "travel_grant",
    "finance:travel-grant-reject": "travel_grant",
    "finance:travel-grant-pay": "approved_travel_grant",
    "api:travel-grant-approve": "travel_grant",
    "api:travel-grant-reject": "travel_grant",
    "api:travel-grant-pay": "approved_travel_grant",
    # --- visits and travel support (end)
}
# Pages (read-only routes) that show forms, with the seeded rows to open them for.
PAGE_ARGS: dict[str, list[str]] = {
    "finance:tranche-detail": ["tranche", "due_tranche", "invoiced_tranche", "approved_tranche"],
    "transfers:case-detail": [
        "case",
        "review_case",
        "appeal_case",
        "release_case",
        "scheduled_case",
        "transit_case",
        "serving_case",
        "return_case",
    ],
    "transfers:batch-detail": ["batch"],
    "handover:detail": ["handover", "acknowledged_handover", "completed_handover"],  # handover
    "inmates:detail": ["inmate", "unplaced_inmate"],
    "cells:unit-detail": ["unit"],
    "inspections:finding-detail": ["finding"],  # shows the action forms
    "complaints:detail": ["complaint"],  # h19complaints: its document form
    # --- visits and travel support (begin): owned by the h19visits work
    "visits:detail": ["visit"],
    "visits:person": ["visit_person"],
    "finance:travel-grant-detail": ["travel_grant", "approved_travel_grant"],
    # --- visits and travel support (end)
}
# Routes whose POST carries no value to make hostile: the act is the whole request.
NO_INPUT: dict[str, str] = {
    "finance:condition-sign-off": "a button: the second person's sign-off takes no fields",
    "api:tranche-condition-sign-off": "an action without a body: the sign-off takes no fields",
    "finance:condition-remove": "a button: removing a condition takes no fields",
    "api:tranche-condition-detail": "the condition's fields are the add form's, probed on "
    "finance:condition-add and api:tranche-condition-list",
    "login": "the sign-in form: covered by tests/auth (lock-out, passwords)",
    "logout": "signs out; nothing to fill in",
    "account:password-change": "covered by tests/auth/test_passwords.py",
    "account:second-factor": "covered by the second-factor tests",
    "account:second-factor-enrol": "covered by the second-factor tests",
    "account:second-factor-verify": "covered by the second-factor tests",
    "transfers:screen-all": "starts a screening job; no fields",
    "transfers:case-screen": "screens one case now; no fields",
    "api:transfer-case-screen": "screens one case now; no body",
    "notifications:read": "marks one notification read; no fields",
    "api:notification-read": "marks one notification read; no body",
    "account:token-revoke": "revokes one of the user's own tokens; no fields",
    "api:token-revoke": "revokes one of the user's own tokens; no body",
    "letters:batch-letters": "queues the transport's letter job; no fields",
    "api:transport-batch-letters": "queues the transport's letter job; no body",
    # --- handover (begin)
    "handover:for-case": "starts the case's handover; no fields",
    "api:handover-complete": "marks the handover complete; no body",
    "handover:health": "health staff's form (a role the walk's personas do not hold); its "
    "one text field is probed on api:handover-detail and refused to others by the service",
    "handover:arrival": "the host facility's acknowledgment: a button, no fields",
    "api:handover-acknowledge-arrival": "the host facility's acknowledgment; no body",
    # --- handover (end)
    # h19complaints: the host roles are not walked here yet (PERSONA_ORDER); when they are, this
    # form (inmate, received_on, channel, sealed) is read from its page and this entry goes.
    "complaints:receipt-create": "a host-role form: probed once host roles are in PERSONA_ORDER",
    # --- visits and travel support (begin): owned by the h19visits work
    "finance:travel-grant-reject": "the approve form's second button (formaction): the same "
    "fields, probed on finance:travel-grant-approve; api:travel-grant-reject is probed",
    "visits:book": "host-facility staff only, and the walk's writing personas hold no host role "
    "yet (the host work adds them): api:visit-book is reached, refused for the others",
    # --- visits and travel support (end)
}
PERSONA_ORDER = [
    Role.CASEWORKER,
    Role.OCCUPANCY_ADMIN,
    Role.FINANCE_OFFICER,
    Role.FINANCE_APPROVER,
    Role.AUDITOR,
    Role.HOST_OFFICER,  # h19host: posted to the seeded facility (fixture host_posted)
    Role.GOVERNOR,  # incidents: the review
]
MARKUP = '<script>alert("x")</script><img src=x onerror=alert(1)>'
# One value of each hostile kind; each is put in every field of the form at once.
HOSTILE: dict[str, str] = {
    "empty": "",
    "oversized": "A" * 100_000,
    "wrong type": "twelve point five",
    "markup": MARKUP,
    "formula": '=HYPERLINK("http://evil.example/","Click")',
    "path trick": "../../etc/passwd",
    "nul": "nul\x00byte",
    "odd unicode": "\u202eevil\u200b\u200d\ufeff",
}
# Values that are no valid input anywhere: these must never be stored. The others may be fair
# free text (a reason that reads "=HYPERLINK(...)" is odd, not invalid); where a form stores
# one, the page it leads to must show it escaped.
NEVER_STORED = {"empty", "oversized", "nul", "odd unicode"}
# Every value a field of the project's own forms may carry but which is still hostile as a
# whole: the files sent in a form's file fields.
PDF_HEAD = b"%PDF-1.4\n"


NOT_WRITES = {AccessLogEntry, AuditPurge}


@dataclass
class Form:
    fields: dict[str, str] = field(default_factory=dict)  # name -> input type
    files: set[str] = field(default_factory=set)
    required: set[str] = field(default_factory=set)


class _FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.forms: dict[str, Form] = {}
        self._current: Form | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "form" and values.get("method", "get").lower() == "post":
            action = values.get("action", "").split("?")[0]
            self._current = self.forms.setdefault(action, Form())
        elif tag in {"input", "select", "textarea"} and self._current is not None:
            name = values.get("name", "")
            kind = values.get("type", tag)
            if not name or name == "csrfmiddlewaretoken" or kind in {"submit", "button"}:
                return
            if "required" in values:
                self._current.required.add(name)
            if kind == "file":
                self._current.files.add(name)
            else:
                self._current.fields[name] = kind

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._current = None


def _writer(name: str) -> str:
    access = ROUTES[name]
    for role in PERSONA_ORDER:
        if role in access.write_roles:
            return str(role)
    return SYSTEM_ADMIN


def _url(name: str, programme: Programme, extra: dict[str, int]) -> str:
    target = TARGET_ARGS.get(name)
    if target is None:
        return reverse(name)
    if target == "min_days_left":
        return reverse(name, args=[target])
    pk = extra.get(target) or getattr(programme, target)
    return reverse(name, args=[pk])


def _domain_counts() -> dict[str, int]:
    """Rows in every table of the domain apps and in their history (a change to a row adds a
    history event, so updates count too); the access log, a record of reads, is left out."""
    tables = sorted(
        model._meta.db_table
        for label in ("inmates", "cells", "transfers", "finance", "audit")
        for model in apps.get_app_config(label).get_models()
        if not model._meta.proxy and model._meta.managed and model not in NOT_WRITES
    )
    query = " UNION ALL ".join(f"SELECT '{t}', count(*) FROM \"{t}\"" for t in tables)  # noqa: S608 - table names from the models
    with connection.cursor() as cursor:
        cursor.execute(query)
        return {str(table): int(count) for table, count in cursor.fetchall()}


def _api_fields(
    path: str, method: str, schema: dict[str, Any]
) -> tuple[dict[str, str], set[str], bool]:
    """The request body's properties (name -> JSON type), the required ones, and whether the body
    is multipart."""
    for template, item in schema["paths"].items():
        parts, actual = template.strip("/").split("/"), path.strip("/").split("/")
        if len(parts) == len(actual) and all(
            p == a or p.startswith("{") for p, a in zip(parts, actual, strict=True)
        ):
            body = item.get(method.lower(), {}).get("requestBody", {}).get("content", {})
            for media in ("application/json", "multipart/form-data"):
                if media in body:
                    ref = body[media]["schema"].get("$ref", "")
                    component = schema["components"]["schemas"].get(ref.rsplit("/", 1)[-1], {})
                    props = component.get("properties", body[media]["schema"].get("properties", {}))
                    kinds = {
                        name: prop.get("format", prop.get("type", ""))
                        for name, prop in props.items()
                    }
                    multipart = media == "multipart/form-data" and "application/json" not in body
                    return kinds, set(component.get("required", [])), multipart
    return {}, set(), False


def _etag(client: Client, url: str) -> str:
    """The current ETag of the object an API write changes (its own URL, or the object an
    action's URL hangs under), so the write is judged on its input and not refused as stale."""
    for candidate in (url, url.rstrip("/").rsplit("/", 1)[0] + "/"):
        response = client.get(candidate)
        if response.status_code == 200 and response.has_header("ETag"):
            return str(response["ETag"])
    return '"0"'


@dataclass
class Outcome:
    route: str
    kind: str
    status: int
    problems: list[str]
    stored: bool = False


@pytest.fixture
def clients(persona) -> dict[str, Client]:
    made = {str(role): persona(str(role)) for role in [*PERSONA_ORDER, SYSTEM_ADMIN]}
    for client in made.values():
        client.raise_request_exception = False  # a crash is a 500 to count, not a stop
    return made


@pytest.fixture
def host_posted(clients, programme: Programme) -> None:
    """h19host: the host officer works at the seeded facility, so their pages show their forms."""
    from django.contrib.auth import get_user_model

    from program.host.models import StaffPosting
    from transfers.models import TransferCase

    # The facility the seeded person in transit is arriving at.
    arriving = TransferCase.objects.select_related("placement__place__cell__unit").get(
        pk=programme.transit_case
    )
    facility = arriving.placement.place.cell.unit.facility_id  # type: ignore[union-attr]
    for user in get_user_model().objects.filter(groups__name=Role.HOST_OFFICER):
        StaffPosting.objects.update_or_create(user=user, defaults={"facility_id": facility})


def _forms_on_pages(clients: dict[str, Client], programme: Programme) -> dict[str, Form]:
    """Every POST form on every page the policy lets a writing role open, by its action path."""
    forms: dict[str, Form] = {}
    for name, access in sorted(ROUTES.items()):
        if is_api(name) or "GET" not in access.methods or name in {"login", "logout"}:
            continue
        for url in _page_urls(name, programme):
            _read_forms(clients, name, url, forms)
    return forms


def _page_urls(name: str, programme: Programme) -> list[str]:
    if name in PAGE_ARGS:
        return [reverse(name, args=[getattr(programme, row)]) for row in PAGE_ARGS[name]]
    try:
        return [_url(name, programme, {})]
    except NoReverseMatch:
        return []  # a page whose argument is not seeded: its forms are not read


def _read_forms(clients: dict[str, Client], name: str, url: str, forms: dict[str, Form]) -> None:
    access = ROUTES[name]
    for role in PERSONA_ORDER:
        if role not in access.roles and not access.any_signed_in:
            continue
        response = clients[str(role)].get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        parser = _FormParser()
        parser.feed(response.content.decode())
        for action, form in parser.forms.items():
            known = forms.setdefault(action or url, Form())
            known.fields.update(form.fields)
            known.files |= form.files
            known.required |= form.required


def _write_routes() -> list[str]:
    return sorted(name for name, access in ROUTES.items() if access.methods - READ)


def test_every_write_route_is_reached() -> None:
    patterns = dict(_iter_patterns(get_resolver().url_patterns, ""))
    missing = [
        name
        for name in _write_routes()
        if name not in NO_INPUT and name not in TARGET_ARGS and "<" in patterns.get(name, "")
    ]
    assert missing == [], f"Give these write routes a seeded row in TARGET_ARGS: {missing}"


def _iter_patterns(patterns: list[Any], namespace: str) -> Iterator[tuple[str, str]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _iter_patterns(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}", str(pattern.pattern)


def _hostile_files(names: set[str], kind: str) -> dict[str, SimpleUploadedFile]:
    if kind == "path trick":
        return {
            n: SimpleUploadedFile("../../etc/passwd", b"root:x:0:0:root:/root:/bin/sh\n")
            for n in names
        }
    if kind == "oversized":
        # Past the 10 MB limit of documents and evidence, and a PDF by its first bytes.
        return {
            n: SimpleUploadedFile("big.pdf", PDF_HEAD + b"0" * (11 * 1024 * 1024)) for n in names
        }
    if kind == "markup":
        return {
            n: SimpleUploadedFile(f"{MARKUP}.pdf", b"<html><script>alert(1)</script>")
            for n in names
        }
    if kind in {"odd unicode", "nul"}:
        return {n: SimpleUploadedFile("evil\u202efdp.exe", b"MZ\x90\x00") for n in names}
    return {}


def _check(
    client: Client,
    kind: str,
    response: Any,
    wrote: dict[str, int],
    sent: set[str],
    required: set[str],
) -> list[str]:
    needs_input = bool(required)
    problems = []
    status = response.status_code
    content_type = response.get("Content-Type", "")
    body = response.content.decode(errors="replace")
    if 300 <= status < 400:  # a page that redirects shows its outcome on the next page
        shown = client.get(response["Location"])
        body, content_type = shown.content.decode(errors="replace"), shown.get("Content-Type", "")
    if status >= 500:
        problems.append(f"server error {status}")
    if "<script>alert(" in body and "html" in content_type:
        problems.append("markup shown unescaped")
    if wrote:
        # Empty is a fair answer where every field is optional (approving without a note).
        if kind in NEVER_STORED and (kind != "empty" or needs_input):
            problems.append(f"stored a value that is never valid: {wrote}")
        elif not (200 <= status < 400):
            problems.append(f"answered {status} but wrote {wrote}")
        return problems
    if 400 <= status < 500 and content_type.startswith("application/json"):
        error = json.loads(response.content).get("error", {})
        named = set(error.get("details") or {}) | {
            f for f in sent if f in str(error.get("message", ""))
        }
        # A refusal names a field the request sent, or a required one it left out (an upload
        # sent without its file is refused for the file).
        if (
            status == 400
            and sent
            and not (named & (sent | required) or "non_field_errors" in named)
        ):
            problems.append(f"400 names no field sent: {error.get('message')!r}")
    elif not 400 <= status < 500 and "alert-error" not in body and "form-error" not in body:
        problems.append(f"answered {status}, wrote nothing and showed no error")
    return problems


@pytest.mark.django_db
def test_hostile_values_are_refused_everywhere(
    clients, programme: Programme, settings, host_posted
) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
    forms = _forms_on_pages(clients, programme)
    schema = SchemaGenerator().get_schema(request=None, public=True)
    outcomes: list[Outcome] = []
    unreached: list[str] = []
    for name in _write_routes():
        if name in NO_INPUT:
            continue
        client = clients[_writer(name)]
        url = _url(name, programme, {})
        method = (
            "POST" if "POST" in ROUTES[name].methods else sorted(ROUTES[name].methods - READ)[0]
        )
        if is_api(name):
            kinds, required, multipart = _api_fields(url, method, schema)
            files = {n for n, k in kinds.items() if k == "binary"}
            fields = {n: k for n, k in kinds.items() if n not in files}
        else:
            form = forms.get(url, Form())
            fields, files, multipart = form.fields, form.files, bool(form.files)
            required = form.required
        if not fields and not files:
            unreached.append(name)  # no page shows its form, or its schema has no body
            continue
        for kind, value in HOSTILE.items():
            data: dict[str, Any] = dict.fromkeys(fields, value)
            data.update(_hostile_files(files, kind))
            # Each value meets the same seeded state: the request and its checks run in a
            # savepoint that is rolled back.
            with transaction.atomic():
                before = _domain_counts()
                if is_api(name) and not multipart and not files:
                    response = client.generic(
                        method,
                        url,
                        json.dumps(data),
                        content_type="application/json",
                        HTTP_IF_MATCH=_etag(client, url),
                    )
                elif is_api(name):
                    response = client.post(url, data, HTTP_IF_MATCH=_etag(client, url))
                else:
                    response = client.post(url, data)
                after = _domain_counts()
                wrote = {t: after[t] - before[t] for t in after if after[t] != before[t]}
                problems = _check(client, kind, response, wrote, set(data), set(required))
                transaction.set_rollback(True)
            outcomes.append(Outcome(name, kind, response.status_code, problems, bool(wrote)))
    failed = [o for o in outcomes if o.problems]
    statuses: dict[int, int] = {}
    for o in outcomes:
        statuses[o.status] = statuses.get(o.status, 0) + 1
    print(
        f"hostile input: {len({o.route for o in outcomes})} routes, {len(outcomes)} requests, "
        f"statuses {dict(sorted(statuses.items()))}, "
        f"{sum(o.stored for o in outcomes)} stored as free text and shown escaped, "
        f"{len(failed)} with problems"
    )
    print("stored:", sorted((o.route, o.kind) for o in outcomes if o.stored))
    assert unreached == [], f"No fields found for {unreached}: seed a page that shows the form"
    assert failed == [], "\n".join(f"{o.route} [{o.kind}] {o.status}: {o.problems}" for o in failed)

"""Every page in a pseudo-locale: a word a user sees that was never marked for translation.

The pseudo-locale (tests/i18n/pseudo.py) is a catalogue built at test time in which every string
marked for translation is wrapped in ⟦…⟧. Each role signs in once, chooses the pseudo-locale
through Django's language cookie, and opens every page the route policy lets it read. Text left
outside the markers must be data: a name, a number, a date, a case number or a code. Anything else
is a string a Danish (or Albanian) reader would see in English, and the test names it and the page.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.backends.postgresql.psycopg_any import DateRange
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from playwright.sync_api import Browser, Page

from finance.models import PricingTerms, Tranche, TrancheCondition
from finance.travel.models import TravelGrant
from program.cells.models import (
    Agreement,
    Cell,
    Facility,
    Outage,
    Place,
    Placement,
    RampUpCap,
    Unit,
)
from program.complaints.models import Complaint
from program.core.demo_users import demo_password
from program.core.policy import ROUTES, is_api
from program.core.roles import Role
from program.handover.models import Handover
from program.incidents.models import Incident
from program.inmates.models import ExpulsionOrder, Inmate, Judgment, NonAssociation
from program.inmates.models_import import ImportJob
from program.inspections.models import Finding, FindingAction, Inspection
from program.visits.models import Visit
from tests.i18n import pseudo
from transfers.letters.models import LetterJob
from transfers.models import ScreeningJob, TransferCase, TransportBatch

pytestmark = pytest.mark.e2e

ROLES = [
    Role.CASEWORKER,
    Role.OCCUPANCY_ADMIN,
    Role.FINANCE_OFFICER,
    Role.FINANCE_APPROVER,
    Role.AUDITOR,
    # h19host: the host facility's staff (the demo posts them to Gjilan).
    Role.HOST_OFFICER,
    Role.HOST_MANAGER,
    # The Danish governor: incidents, inspections, complaints and visits.
    Role.GOVERNOR,
]
# Not pages in the program's language: a file download, the JSON health check, the sign-out
# action, and the API's documentation (Swagger UI, which documents the locale-free API).
NOT_PAGES = {
    "logout",
    "healthz",
    "api-docs",
    "cells:roll-csv",
    "finance:schedule-export",
    "finance:report-export",
    "finance:evidence-download",
    "reports:programme-export",
    "transfers:batch-manifest",
    "transfers:document-download",
    "inspections:report",
    "complaints:document-download",  # h19complaints: a file download
    "finance:travel-support-export",  # a CSV/XLSX download
}
# Text fields whose values are made by the program, not typed by people: a word from them on a
# page is the program's own text and must be translated, so they are not data.
NOT_DATA = {
    "transfers.CaseEvent.text",
    "finance.TrancheEvent.text",
}
PROJECT_APPS = {
    "auth",
    "core",
    "inmates",
    "cells",
    "transfers",
    "finance",
    "notifications",
    "inspections",
    "handover",
    "complaints",
    "incidents",
    "visits",
    "host",
}
# Data shapes the vocabulary cannot list: ISO codes and units (EUR, DK, M), and anything with a
# digit or an underscore in it (case numbers, places such as A-101-1, ids, rule ids such as E12).
CODE = re.compile(r"^(?:[A-Z]{1,4}|[a-z]|.*[\d_].*)$")


def _first(queryset: models.QuerySet[Any]) -> Any:
    row = queryset.order_by("pk").first()
    assert row is not None, f"the demo has no {queryset.model.__name__}"
    return row


def _route_args(role: str = "") -> dict[str, Callable[[], list[object]]]:
    """Arguments for the pages that show one record, taken from the demo programme (the one
    this role may open where records differ by role)."""
    inmate = lambda: _first(Inmate.objects.filter(judgments__isnull=False)).pk  # noqa: E731
    tranche = lambda: _first(Tranche.objects.filter(stream="rent")).pk  # noqa: E731
    case = lambda: _first(TransferCase.objects.filter(events__isnull=False).distinct()).pk  # noqa: E731
    placement = lambda: _first(Placement.objects.filter(kind="placement", end_reason="")).pk  # noqa: E731

    # --- handover (begin): the demo's records of the December transport, being filled in
    def draft() -> Handover:
        if role in (Role.HOST_OFFICER, Role.HOST_MANAGER):
            # Host staff read a record only once the escort has acknowledged it.
            return _first(Handover.objects.filter(escort_acknowledged_at__isnull=False))
        return _first(Handover.objects.filter(escort_acknowledged_at__isnull=True))

    # --- handover (end)
    return {
        "handover:detail": lambda: [draft().pk],
        "handover:edit": lambda: [draft().pk],
        "handover:health": lambda: [draft().pk],
        "handover:for-case": lambda: [draft().case_id],
        "cells:agreement-detail": lambda: [_first(Agreement.objects).pk],
        "cells:agreement-edit": lambda: [_first(Agreement.objects).pk],
        "cells:facility-create": lambda: [_first(Agreement.objects).pk],
        "cells:ramp-up-create": lambda: [_first(Agreement.objects).pk],
        "cells:ramp-up-edit": lambda: [_first(RampUpCap.objects).pk],
        "cells:facility-detail": lambda: [_first(Facility.objects).pk],
        "cells:facility-edit": lambda: [_first(Facility.objects).pk],
        "finance:terms-create": lambda: [_first(Agreement.objects).pk],
        "finance:terms-edit": lambda: [_first(PricingTerms.objects).pk],
        "cells:unit-detail": lambda: [_first(Unit.objects).pk],
        "cells:outage-end": lambda: [_first(Outage.objects).pk],
        "cells:outage-start": lambda: [_first(Cell.objects).pk],
        "cells:place-admit": lambda: [_first(Place.objects).pk],
        "cells:place-reserve": lambda: [_first(Place.objects).pk],
        "cells:placement-move": lambda: [placement()],
        "cells:placement-release": lambda: [placement()],
        "cells:reservation-cancel": lambda: [
            _first(Placement.objects.filter(kind="reservation")).pk
        ],
        **{
            f"finance:condition-{name}": lambda: [_first(TrancheCondition.objects).pk]
            for name in ("edit", "remove", "evidence", "sign-off")
        },
        "finance:condition-add": lambda: [tranche()],
        **{
            f"finance:tranche-{name}": lambda: [tranche()]
            for name in ("detail", "history", "approve", "dispute", "invoice", "pay", "reject")
        },
        "finance:tranche-withhold": lambda: [tranche()],
        "inmates:detail": lambda: [inmate()],
        "inmates:edit": lambda: [inmate()],
        "inmates:judgment-create": lambda: [inmate()],
        "inmates:expulsion-create": lambda: [inmate()],
        "inmates:non-association-create": lambda: [inmate()],
        "inmates:judgment-edit": lambda: [_first(Judgment.objects).pk],
        "inmates:expulsion-edit": lambda: [_first(ExpulsionOrder.objects).pk],
        "inmates:non-association-end": lambda: [_first(NonAssociation.objects).pk],
        "transfers:batch-detail": lambda: [_first(TransportBatch.objects).pk],
        # --- complaints (h19complaints): the demo's open complaint (its forms are shown)
        **{
            f"complaints:{name}": lambda: [_first(Complaint.objects.filter(status="open")).pk]
            for name in ("detail", "edit", "answer")
        },
        "transfers:case-detail": lambda: [case()],
        "transfers:case-history": lambda: [case()],
        "transfers:rule-parameter-edit": lambda: ["min_days_left"],
        "transfers:screen-job": lambda: [_first(ScreeningJob.objects).pk],
        "inmates:import-job": lambda: [_first(ImportJob.objects.filter(kind="inmates")).pk],
        "transfers:intake-job": lambda: [_first(ImportJob.objects.filter(kind="candidates")).pk],
        "letters:letter-job": lambda: [_first(LetterJob.objects).pk],
        # --- h19host: the check-in page of the demo's person in transit.
        "host:check-in": lambda: [
            _first(TransferCase.objects.filter(state=TransferCase.State.IN_TRANSIT)).pk
        ],
        # --- inspections (begin): owned by the inspections work
        **{
            f"inspections:{name}": lambda: [_first(Inspection.objects).pk]
            for name in ("detail", "edit", "finding-create")
        },
        **{
            f"inspections:{name}": lambda: [_first(Finding.objects.filter(person=None)).pk]
            for name in ("finding-detail", "finding-edit", "action-add")
        },
        "inspections:action-update": lambda: [_first(FindingAction.objects).pk],
        "finance:condition-finding": lambda: [tranche()],
        # --- inspections (end)
        # --- visits and travel support (begin): owned by the h19visits work
        **{
            f"visits:{name}": lambda: [_first(Visit.objects.filter(status="requested")).pk]
            for name in ("detail", "book", "outcome")
        },
        **{
            f"visits:{name}": lambda: [_first(Visit.objects.filter(status="requested")).inmate_id]
            for name in ("person", "request")
        },
        **{
            f"finance:travel-grant-{name}": lambda: [_first(TravelGrant.objects).pk]
            for name in ("detail", "approve", "reject", "pay")
        },
        # --- visits and travel support (end)
        # --- incidents: the demo's incident still awaiting the governor's review
        **{
            f"incidents:{name}": lambda: [
                _first(Incident.objects.exclude(state=Incident.State.CLOSED)).pk
            ]
            for name in ("detail", "review", "add-information")
        },
    }


def _pages(role: str) -> list[tuple[str, str]]:
    args = _route_args(role)
    pages = []
    for name, access in sorted(ROUTES.items()):
        if is_api(name) or name in NOT_PAGES or "GET" not in access.methods:
            continue
        if not (access.public or access.any_signed_in or role in access.roles):
            continue
        try:
            url = reverse(name)
        except NoReverseMatch:
            url = reverse(name, args=args[name]())
        pages.append((name, url))
    return pages


def _data_vocabulary() -> set[str]:
    """Every word in the text people typed or the demo generated: names, places, references."""
    vocabulary: set[str] = set()
    for model in apps.get_models():
        if model._meta.app_label not in PROJECT_APPS:
            continue
        fields = [
            field.name
            for field in model._meta.concrete_fields
            if isinstance(field, models.CharField | models.TextField | ArrayField)
            and not field.choices
            and f"{model._meta.label}.{field.name}" not in NOT_DATA
        ]
        if not fields:
            continue
        for row in model._default_manager.values_list(*fields):
            for value in row:
                texts = value if isinstance(value, list) else [value or ""]
                for text in texts:
                    vocabulary.update(pseudo.words(str(text)))
    return vocabulary


# Every text node a reader can see, one per line (so that neighbours never run together), the
# page title, and the words in attributes that screen readers and tooltips show.
VISIBLE_TEXT = """() => {
  const parts = [document.title];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || ['SCRIPT', 'STYLE', 'TEMPLATE', 'NOSCRIPT'].includes(parent.tagName)) continue;
    if (parent.tagName !== 'OPTION' && !parent.checkVisibility()) continue;
    if (parent.closest('code, kbd, samp')) continue;  // machine text: routes, column names
    // Each language named in its own language ("dansk", "English") on purpose: not to translate.
    if (parent.closest('[data-testid=language-switch]')) continue;
    if (node.textContent.trim()) parts.push(node.textContent);
  }
  for (const el of document.querySelectorAll('[aria-label], [title], [placeholder], img[alt]')) {
    if (el.closest('[data-testid=language-switch]')) continue;
    for (const name of ['aria-label', 'title', 'placeholder', 'alt']) {
      if (el.hasAttribute(name)) parts.push(el.getAttribute(name));
    }
  }
  for (const el of document.querySelectorAll('input[type=submit], input[type=button]')) {
    parts.push(el.value);
  }
  return parts.join('\\n');
}"""


def _unmarked_words(page: Page, vocabulary: set[str]) -> list[str]:
    text = page.evaluate(VISIBLE_TEXT)
    found = []
    for line in pseudo.unmarked(text).splitlines():
        for word in pseudo.words(line):
            if word in vocabulary or CODE.match(word) or word.lower() in vocabulary:
                continue
            found.append(word)
    return found


def _sign_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", demo_password(username))
    # The login form's own button: the header's language switch is a form with buttons too.
    page.click("form[action$='/login/'] button[type=submit]")
    page.wait_for_selector("[data-testid=signed-in-user]")


def _records_the_demo_lacks() -> None:
    """A screening job, finished import and letter jobs and a keep-apart rule, so that their
    pages have something to show."""
    caseworker = get_user_model().objects.get(username=Role.CASEWORKER)
    ScreeningJob.objects.create(started_by=caseworker, total=3, done=3)
    counts = {"created": 1, "updated": 1, "unchanged": 1}
    for kind, result in (("inmates", counts), ("candidates", {**counts, "cases_opened": 1})):
        ImportJob.objects.create(
            kind=kind,
            owner=caseworker,
            digest="0" * 64,
            total=3,
            done=3,
            state="done",
            result=result,
            expires_at=timezone.now() + timedelta(hours=1),
        )
    LetterJob.objects.create(
        batch=_first(TransportBatch.objects),
        started_by=caseworker,
        state="finished",
        total=2,
        done=2,
        made=2,
        finished_at=timezone.now(),
    )
    first, second = Inmate.objects.order_by("pk")[:2]
    NonAssociation.objects.create(
        inmate_a=first,
        inmate_b=second,
        scope="unit",
        reason="Co-accused",
        active=DateRange(date(2026, 1, 1), None),
    )


@pytest.fixture
def pseudo_locale(tmp_path: Path) -> Any:
    locale_dir, _count = pseudo.build_catalogue(tmp_path)
    with pseudo.pseudo_settings(locale_dir):
        yield


def walk(browser: Browser, base: str) -> tuple[int, dict[str, set[str]]]:
    """Each role signs in once and opens its pages in the pseudo-locale: the number of pages
    walked, and each page's unmarked words with the roles that saw them."""
    vocabulary = _data_vocabulary()
    problems: dict[str, set[str]] = {}
    walked = 0
    for role in ROLES:
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        cookie = {"name": settings.LANGUAGE_COOKIE_NAME, "value": pseudo.PSEUDO, "url": base}
        context.add_cookies([cookie])  # type: ignore[list-item]
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.goto(f"{base}/login/")
        for word in _unmarked_words(page, vocabulary):
            problems.setdefault(f"login: {word}", set()).add("anonymous")
        _sign_in(page, base, role)
        for name, url in _pages(role):
            response = page.goto(f"{base}{url}")
            assert response is not None, f"{role} {name}: no response"
            assert response.status < 500, f"{role} {name}: {response.status}"
            if "text/html" not in (response.headers.get("content-type") or ""):
                continue
            walked += 1
            for word in _unmarked_words(page, vocabulary):
                problems.setdefault(f"{name}: {word}", set()).add(role)
        context.close()
    return walked, problems


def test_every_page_of_every_role_is_translated(
    browser: Browser, live_server, demo, pseudo_locale
) -> None:
    # The texts kept as data come from a migration, which a transactional test run before this
    # one may have flushed; the program's own would read English without them.
    importlib.import_module("transfers.migrations.0012_programme_texts").load(apps, None)
    importlib.import_module("transfers.migrations.0010_sentence_texts").load(apps, None)
    _records_the_demo_lacks()
    walked, problems = walk(browser, live_server.url)
    report = "\n".join(f"{key} ({', '.join(sorted(who))})" for key, who in sorted(problems.items()))
    assert walked > 100, f"only {walked} pages walked"
    assert not problems, f"Words outside the translation markers on {walked} pages:\n{report}"

"""Every page of the route policy, for every role that may read it, in a real browser.

Each role signs in once and opens all its pages on the demo programme (one demo load, one browser,
one sign-in per role). On each page:
- axe-core (vendored in tests/e2e/vendor, see docs/accessibility.md) finds no violation of WCAG
  2.0/2.1 level A or AA;
- every visible form control was rendered by the shared form components (templates/components),
  which stamp `data-ds-control` on it, so a plain browser widget cannot creep back;
- the browser reports no console error: a Content-Security-Policy refusal (an inline style or
  script), a missing favicon or any other failed load shows up there;
- at 390 px wide (a phone) the page itself does not scroll sideways: wide tables scroll inside
  their own box.
"""

from __future__ import annotations

import importlib
import time
from pathlib import Path

import pytest
from django.apps import apps
from django.urls import reverse
from playwright.sync_api import Browser, ConsoleMessage, Locator, Page, expect

from program.cells.models import Unit
from tests.e2e.test_pseudo_locale import ROLES, _pages, _records_the_demo_lacks, _sign_in

pytestmark = pytest.mark.e2e

AXE = Path(__file__).parent / "vendor" / "axe-core-4.11.0" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PHONE_WIDTH = 390
DESKTOP = {"width": 1280, "height": 800}
# Not the program's own pages: Swagger UI documents the API with its own markup and scripts.
NOT_CHECKED = {"api-docs"}

RUN_AXE = """async (tags) => {
  const options = {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']};
  const result = await axe.run(document, options);
  return result.violations.map(v => `${v.id} (${v.impact}): ${v.help} at ` +
    v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '));
}"""
# A control is "visible" unless it is a hidden input; the CSRF token and state carried between
# requests are hidden inputs and need no label.
PLAIN_CONTROLS = """() => [...document.querySelectorAll('input, select, textarea')]
  .filter(el => el.type !== 'hidden' && !el.hasAttribute('data-ds-control'))
  .map(el => `<${el.tagName.toLowerCase()} name=${el.name || '?'} id=${el.id || '?'}>`)"""
PAGE_WIDTH = "() => document.documentElement.scrollWidth"


def check_page(page: Page, errors: list[str]) -> list[str]:
    """The problems on the page now open: axe violations, plain controls, console errors, and
    sideways scrolling at phone width."""
    problems: list[str] = []
    if not page.evaluate("typeof axe !== 'undefined'"):
        # Evaluated through the DevTools protocol, which the page's CSP does not govern: the
        # page itself stays under its real policy.
        page.evaluate(AXE.read_text())
    problems += [f"axe: {v}" for v in page.evaluate(RUN_AXE, AXE_TAGS)]
    problems += [f"not a design-system control: {c}" for c in page.evaluate(PLAIN_CONTROLS)]
    problems += [f"console: {e}" for e in errors]
    errors.clear()
    page.set_viewport_size({"width": PHONE_WIDTH, "height": 800})
    width = page.evaluate(PAGE_WIDTH)
    if width > PHONE_WIDTH:
        problems.append(f"{width} px wide at {PHONE_WIDTH} px")
    page.set_viewport_size(DESKTOP)
    return problems


def collect_console_errors(page: Page) -> list[str]:
    errors: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            location = message.location.get("url", "")
            errors.append(f"{message.text} ({location})")

    page.on("console", on_console)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


def test_every_page_of_every_role_is_accessible(browser: Browser, live_server, demo) -> None:
    importlib.import_module("transfers.migrations.0009_screening_age_texts").load(apps, None)
    _records_the_demo_lacks()
    base = live_server.url
    problems: dict[str, list[str]] = {}
    checked = 0
    started = time.monotonic()

    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    errors = collect_console_errors(page)
    page.goto(f"{base}/login/")
    for problem in check_page(page, errors):
        problems.setdefault(f"login (anonymous): {problem}", [])
    context.close()

    for role in ROLES:
        context = browser.new_context(viewport=DESKTOP)
        page = context.new_page()
        page.set_default_timeout(15_000)
        errors = collect_console_errors(page)
        _sign_in(page, base, role)
        for name, url in _pages(role):
            if name in NOT_CHECKED:
                continue
            response = page.goto(f"{base}{url}")
            assert response is not None, f"{role} {name}: no response"
            assert response.status == 200, f"{role} {name}: {response.status}"
            if "text/html" not in (response.headers.get("content-type") or ""):
                continue
            checked += 1
            for problem in check_page(page, errors):
                problems.setdefault(f"{name} ({role}): {problem}", [])
        context.close()

    problems.update(dict.fromkeys(keyboard_and_errors(browser, base)))

    elapsed = time.monotonic() - started
    print(f"\naccessibility walk: {checked} pages x roles in {elapsed:.0f} s")
    assert checked > 100, f"only {checked} pages x roles checked"
    report = "\n".join(sorted(problems))
    assert not problems, f"{len(problems)} problems on {checked} pages x roles:\n{report}"


FOCUSED = "() => document.activeElement.outerHTML.slice(0, 120)"


def _focus_problem(page: Page, locator: Locator, what: str) -> list[str]:
    try:
        expect(locator).to_be_focused(timeout=5_000)
    except AssertionError:
        return [f"{what} does not have the focus; {page.evaluate(FOCUSED)} has"]
    return []


def keyboard_and_errors(browser: Browser, base: str) -> list[str]:
    """Without a mouse: the skip link, an htmx action on the unit grid opened and submitted with
    the keyboard, and a failed submit of an ordinary form. After a failed submit the error
    summary has the focus; each state is checked like a page (axe, controls, console, width)."""
    problems: list[str] = []
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors = collect_console_errors(page)
    _sign_in(page, base, "occupancy_admin")
    unit = Unit.objects.order_by("pk").first()
    assert unit is not None
    page.goto(f"{base}{reverse('cells:unit-detail', args=[unit.pk])}")
    page.keyboard.press("Tab")
    problems += _focus_problem(page, page.locator(".skipnav"), "the skip link, after one Tab,")
    page.keyboard.press("Enter")
    problems += _focus_problem(page, page.locator("#main-content"), "the main content")

    free = page.locator('[data-testid="place-tile"][data-status="free"]').first
    free.get_by_role("link", name="Admit").focus()
    page.keyboard.press("Enter")  # htmx swaps the form in; its first field takes the focus
    form = page.get_by_test_id("action-form")
    problems += _focus_problem(page, form.locator("input[name=inmate]"), "the admit form")
    problems += [f"unit grid, admit form: {p}" for p in check_page(page, errors)]
    form.locator("input[name=inmate]").press("Enter")  # an empty submit
    summary = page.get_by_test_id("action-error")
    problems += _focus_problem(page, summary, "the unit grid's error summary")
    problems += [f"unit grid, refused admit: {p}" for p in check_page(page, errors)]
    summary.get_by_role("link").first.press("Enter")
    if "<input" not in page.evaluate(FOCUSED):
        problems.append(f"unit grid: the summary's link leaves focus on {page.evaluate(FOCUSED)}")
    context.close()

    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors = collect_console_errors(page)
    _sign_in(page, base, "caseworker")
    page.goto(f"{base}{reverse('transfers:case-open')}")
    page.locator("input[name=case_number]").press("Enter")  # an empty submit
    summary = page.get_by_test_id("error-summary")
    problems += _focus_problem(page, summary, "the open-case form's error summary")
    problems += [f"case-open, refused: {p}" for p in check_page(page, errors)]
    context.close()
    return problems

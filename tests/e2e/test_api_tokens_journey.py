"""An integrator's journey, keyboard only, on a 390 px phone: from the header's "My account" to a
new API token, used against the API, then revoked and refused."""

import pytest
from playwright.sync_api import Page, expect

from program.core.demo_users import demo_password

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}


def _tab_to(page: Page, text: str, limit: int = 80) -> None:
    """Press Tab until the focused element's text or label is `text`."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "() => { const e = document.activeElement;"
            " return (e.innerText || e.value || e.getAttribute('aria-label') || '').trim(); }"
        )
        if focused.startswith(text):
            return
    raise AssertionError(f"{text!r} cannot be reached with Tab")


def _no_sideways_scroll(page: Page) -> None:
    width = page.evaluate("() => document.documentElement.scrollWidth")
    # The outermost elements that stick out (a table inside its own scroll box does not count).
    wide = page.evaluate(
        "(limit) => [...document.querySelectorAll('body *')]"
        ".filter(e => e.getBoundingClientRect().right > limit"
        " && e.parentElement.getBoundingClientRect().right <= limit)"
        ".map(e => e.tagName + '.' + e.className)",
        PHONE["width"],
    )
    assert width <= PHONE["width"], f"the page is {width} px wide on a phone: {wide}"


def test_a_token_is_made_used_and_revoked_with_the_keyboard_on_a_phone(
    page: Page, live_server, demo
) -> None:
    base = live_server.url
    page.set_viewport_size(PHONE)
    page.goto(f"{base}/login/")
    page.get_by_label("Username").focus()
    page.keyboard.type("occupancy_admin")
    page.keyboard.press("Tab")
    page.keyboard.type(demo_password("occupancy_admin"))
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{base}/")

    _tab_to(page, "My account")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("My account")
    expect(page.get_by_test_id("account-email")).to_contain_text("occupancy_admin@demo.invalid")
    _no_sideways_scroll(page)
    _tab_to(page, "Manage API tokens")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("API tokens")

    _tab_to(page, "")  # past the links into the form: the name field
    page.get_by_label("Name").focus()
    page.keyboard.type("Roll export")
    page.keyboard.press("Tab")
    page.keyboard.press("ArrowDown")  # 30 days → 60 days
    page.get_by_label("Name").focus()
    page.keyboard.press("Enter")
    token = page.get_by_test_id("token-value").inner_text()
    assert token.startswith("rpp_")
    _no_sideways_scroll(page)
    row = page.get_by_test_id("token-row").first
    expect(row).to_contain_text("Roll export")
    expect(row).to_contain_text("Never")

    api = page.request.get(f"{base}/api/v1/me/", headers={"Authorization": f"Bearer {token}"})
    assert api.status == 200
    assert api.json()["roles"] == ["occupancy_admin"]

    page.goto(f"{base}/account/tokens/")
    expect(page.get_by_test_id("token-value")).to_have_count(0)  # shown once only
    expect(page.get_by_test_id("token-row").first).not_to_contain_text("Never")
    _tab_to(page, "Revoke")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status").first).to_contain_text("is revoked")
    expect(page.get_by_test_id("token-row").first).to_contain_text("Revoked")

    refused = page.request.get(f"{base}/api/v1/me/", headers={"Authorization": f"Bearer {token}"})
    assert refused.status == 401
    assert refused.json()["error"]["code"] == "token_revoked"

"""Every page visitors, members, the committee and staff see passes axe-core, at desktop and phone widths, in
English and Spanish; the join form works by keyboard and says what went wrong.

axe-core is loaded from our own static files (the Content Security Policy forbids inline and
foreign scripts); serious and critical findings fail the test, lesser ones are printed.
"""

import re

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

from alliance.network.models import Person
from tests.e2e.conftest import PHONE, VIEWPORT, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "correct-horse-9"
AXE = "/static/vendor/axe/axe.min.js"
JOIN_FIELDS = [
    "first_name",
    "last_name",
    "email",
    "state",
    "sector",
    "organization",
    "title",
    "interests",
    "consent_to_email",
]


def watch_csp(page: Page) -> list[str]:
    """Console messages about blocked content, collected as the page is used."""
    blocked: list[str] = []
    page.on("console", lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None)
    return blocked


def log_in(page: Page, base_url: str, email: str) -> None:
    """Through the real login form, as a person does."""
    page.goto(base_url + "/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Password").press("Enter")
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def axe_findings(page: Page, schemes=("dark", "light")) -> dict[str, list[str]]:
    """axe-core's violations on the page in the dark and the light colour scheme, grouped by impact.

    Pico follows the reader's colour scheme, so colours we set ourselves must hold up in both.
    """
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.add_script_tag(url=AXE)
    findings: dict[str, list[str]] = {}
    for scheme in schemes:
        page.emulate_media(color_scheme=scheme)
        page.wait_for_function("() => !document.getAnimations().some(a => a instanceof CSSTransition)")  # Pico fades
        result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
        for v in result["violations"]:
            targets = [n["target"] for n in v["nodes"]]
            findings.setdefault(v["impact"], []).append(f"{scheme}: {v['id']}: {v['help']} at {targets}")
    return findings


def serious_findings(page: Page) -> list[str]:
    findings = axe_findings(page)
    return findings.get("serious", []) + findings.get("critical", [])


def pages_of(persona: str, network) -> list[str]:
    person, school, people_import = network["mia"].pk, network["school"].pk, network["import"].pk
    return {
        "visitor": ["/", "/join/", "/join/sent/", "/accounts/login/", "/accounts/signup/"],
        "mia": ["/", "/people/", f"/people/{person}/", f"/organizations/{school}/", "/me/", "/api-tokens/"],
        "sam": ["/newcomers/", "/me/"],
        "alice": [
            "/people/",
            f"/people/{person}/",
            f"/people/{person}/edit/",
            "/people/new/",
            f"/organizations/{school}/",
            "/welcome/",
            "/people/import/",
            f"/people/import/{people_import}/",
            "/people/duplicates/",
            "/api-tokens/",
            f"/organizations/{school}/edit/",
            "/organizations/duplicates/",
            "/people/deactivated/",
            "/newcomers/not-followed-up/",
            f"/people/{person}/deactivate/",
        ],
    }[persona]


# Each width in each language: layout and wording change what axe finds. Colours do not depend on
# the language, so each width gets both colour schemes in one language only. One browser, one
# server and no fades (reduced motion) keep the sweep quick.
SWEEP = [
    (VIEWPORT, "en", ("dark", "light")),
    (VIEWPORT, "es", ("light",)),
    (PHONE, "en", ("light",)),
    (PHONE, "es", ("dark", "light")),
]


def test_it_has_no_serious_accessibility_violations_on_any_page(live_server, network, browser, request):
    serious, lesser, overflowing, consoles = {}, {}, {}, []
    for persona in ["visitor", "mia", "sam", "alice"]:
        for viewport, language, schemes in SWEEP:
            context = browser.new_context(viewport=viewport, locale="en-US", reduced_motion="reduce")
            context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}])
            if persona != "visitor":
                sign_in(context, live_server.url, request.getfixturevalue(persona).user)
            page = context.new_page()
            consoles.append(watch_csp(page))
            for path in pages_of(persona, network):
                where = f"{persona} on {path} at {viewport['width']} px in {language}"
                response = page.goto(live_server.url + path)
                assert response.status == 200, where
                assert page.locator("html").get_attribute("lang") == language, where
                findings = axe_findings(page, schemes)
                if found := findings.get("serious", []) + findings.get("critical", []):
                    serious[where] = found
                if found := findings.get("moderate", []) + findings.get("minor", []):
                    lesser[where] = found
                if page.evaluate("document.documentElement.scrollWidth > innerWidth"):
                    overflowing[where] = page.evaluate("document.documentElement.scrollWidth")
            context.close()

    for where, found in lesser.items():
        print(f"axe, minor or moderate, {where}: {found}")
    assert serious == {}
    assert overflowing == {}
    assert [message for console in consoles for message in console] == []


def test_it_lets_a_visitor_join_with_the_keyboard_alone(live_server, member_states, new_page):
    page = new_page()
    blocked = watch_csp(page)
    page.goto(live_server.url + "/join/")
    page.get_by_label("First name").press("Enter")  # too early: every required field says what is missing
    expect(page.get_by_role("textbox", name="Email")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_email_error")).to_contain_text("This field is required")
    assert serious_findings(page) == []

    focused = []
    for _ in range(30):  # from the top of the page through the whole form
        page.keyboard.press("Tab")
        focused.append(page.evaluate("document.activeElement.name || document.activeElement.textContent.trim()"))
        if focused[-1] == "Join" and "consent_to_email" in focused:
            break
    in_form = [name for name in focused if name in JOIN_FIELDS]
    assert in_form == JOIN_FIELDS
    assert focused[-2:] == ["consent_to_email", "Join"]  # the button comes right after the last field
    assert "website" not in focused  # the honeypot is out of the Tab order

    page.get_by_label("First name").focus()
    page.keyboard.type("Rosa")
    page.keyboard.press("Tab")
    page.keyboard.type("Quintana")
    page.keyboard.press("Tab")
    page.keyboard.type("rosa.quintana@example.org")
    page.keyboard.press("Tab")
    page.keyboard.type("New Mexico")  # a focused list picks the option typed
    page.keyboard.press("Tab")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Tab")
    page.keyboard.type("Albuquerque Public Schools")
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    person = Person.objects.get(email="rosa.quintana@example.org")
    assert (person.first_name, person.state_id, person.organization.name) == (
        "Rosa",
        "NM",
        "Albuquerque Public Schools",
    )
    assert person.sector is not None
    assert blocked == []


def test_it_sums_up_a_failed_join_and_leads_to_the_field_in_error(live_server, member_states, new_page):
    page = new_page()
    page.goto(live_server.url + "/join/")
    page.get_by_label("First name").fill("Rosa")
    page.get_by_label("Last name").fill("Quintana")
    page.get_by_role("textbox", name="Email").fill("rosa.quintana@")
    page.get_by_label("State").select_option(label="New Mexico")
    page.get_by_role("button", name="Join", exact=True).last.click()

    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()  # a screen reader starts reading here, a keyboard user tabs on from here
    expect(summary.get_by_role("heading")).to_have_text("There are 2 problems with this form")
    link = summary.get_by_role("link", name="Email: Enter a valid email address.")
    expect(link).to_have_attribute("href", "#id_email")
    expect(summary.get_by_role("link", name="Sector: This field is required.")).to_have_attribute("href", "#id_sector")

    page.keyboard.press("Tab")
    expect(link).to_be_focused()  # the first field in error comes first
    page.keyboard.press("Enter")
    expect(page.get_by_role("textbox", name="Email")).to_be_focused()
    expect(page.get_by_role("textbox", name="Email")).to_have_value("rosa.quintana@")
    assert Person.objects.count() == 0


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two CSS rgb()/rgba() colours (opaque ones: alpha is not blended)."""

    def luminance(css: str) -> float:
        red, green, blue = (float(v) / 255 for v in re.findall(r"[\d.]+", css)[:3])
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in (red, green, blue)]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted([luminance(a), luminance(b)], reverse=True)
    return (high + 0.05) / (low + 0.05)


FOCUS_RING = """el => { el.focus(); const s = getComputedStyle(el);
  return {visible: el.matches(':focus-visible'), style: s.outlineStyle, width: parseFloat(s.outlineWidth),
          offset: parseFloat(s.outlineOffset), color: s.outlineColor,
          page: getComputedStyle(document.documentElement).backgroundColor}; }"""


def test_it_rings_the_focused_control_at_3_to_1_against_the_page_in_both_schemes(live_server, member_states, new_page):
    page = new_page()
    page.goto(live_server.url + "/join/")
    controls = {
        "link": page.get_by_role("link", name="Log in").last,
        "button": page.get_by_role("button", name="Join", exact=True).last,
        "field": page.get_by_label("First name"),
        "list": page.get_by_label("State"),
        "box": page.get_by_role("checkbox"),
    }
    weak = []
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        for name, control in controls.items():
            ring = control.evaluate(FOCUS_RING)
            ratio = contrast(ring["color"], ring["page"])
            # Set off from the control, the ring's neighbour is the page, whatever the control's colour.
            if not (ring["visible"] and ring["style"] == "solid" and ring["width"] >= 2 and ring["offset"] > 0):
                weak.append(f"{scheme} {name}: {ring}")
            elif ratio < 3:
                weak.append(f"{scheme} {name}: {ratio:.1f}:1")
    assert weak == []

"""Every signed-in page on a phone, 390 px wide: nothing scrolls sideways and every action is in reach.

In reach means: the main menu opens from its button and shows every link; each page's own actions
(the directory's filters, a committee member's follow-up button, staff's buttons) are visible and
would take a tap, and no link, button or field of the page sticks out past the screen's edge
(tables too wide for a phone turn into cards or scroll inside their own box).
"""

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import PHONE, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# Each signed-in page with the actions a person comes to it for: (role, accessible name).
FILTERS = [
    ("textbox", "Name or organization"),
    ("combobox", "State"),
    ("combobox", "Sector"),
    ("combobox", "Role"),
    ("button", "Search"),
]
PAGES = {
    "mia": [
        ("/", []),
        ("/people/", FILTERS),
        ("/people/{mia}/", []),
        ("/organizations/{school}/", [("link", "Search them in the directory")]),
        ("/me/", [("button", "Save")]),
        ("/api-tokens/", [("button", "Create token")]),
        ("/accounts/email/", []),
        ("/accounts/password/change/", []),
    ],
    "sam": [
        ("/newcomers/", [("button", "Mark followed up")]),
        ("/people/", FILTERS),
        ("/me/", [("button", "Save")]),
    ],
    "alice": [
        ("/people/", [*FILTERS, ("button", "Add a person"), ("link", "Download CSV")]),
        ("/people/{mia}/", [("button", "Edit")]),
        ("/people/{mia}/edit/", [("button", "Save"), ("button", "Cancel")]),
        ("/people/new/", [("button", "Save")]),
        ("/organizations/{school}/", []),
        ("/welcome/", [("button", "Save")]),
        ("/people/import/", [("button", "Upload and preview")]),
        ("/people/import/{import}/", [("link", "All imports")]),
        ("/people/duplicates/", [("button", "Merge"), ("button", "Not the same person")]),
        ("/api-tokens/", [("button", "Create token")]),
    ],
}

# Links, buttons and fields of the page (not of a box that scrolls on its own) past either edge.
STICKING_OUT = """() => [...document.querySelectorAll(
    'main a, main button, main input:not([type=hidden]), main select, main textarea, main [role=button]')]
  .filter(el => el.getClientRects().length && !el.closest('.table-box, .honeypot'))
  .filter(el => { const r = el.getBoundingClientRect(); return r.left < -1 || r.right > innerWidth + 1; })
  .map(el => el.outerHTML.slice(0, 100))"""


def menu_problems(page: Page) -> list[str]:
    """Open the main menu from its button; every entry must then show within the screen."""
    toggle = page.get_by_role("button", name="Menu")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    entries = page.locator("#main-menu > li > :is(a, form button)")
    assert entries.count() > 0
    expect(entries.first).to_be_hidden()
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    problems = []
    for entry in entries.all():
        box = entry.bounding_box()
        if not entry.is_visible() or box is None or box["x"] < 0 or box["x"] + box["width"] > PHONE["width"]:
            problems.append(f"menu entry {entry.inner_text()!r} out of sight")
    page.keyboard.press("Escape")  # closes it again, back on the button
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(toggle).to_be_focused()
    return problems


@pytest.mark.parametrize("persona", PAGES)
def test_it_fits_every_signed_in_page_on_a_phone(persona, live_server, network, browser, request):
    ids = {"mia": network["mia"].pk, "school": network["school"].pk, "import": network["import"].pk}
    context = browser.new_context(viewport=PHONE, locale="en-US", has_touch=True, is_mobile=True)
    context.set_default_timeout(10_000)
    sign_in(context, live_server.url, request.getfixturevalue(persona).user)
    page = context.new_page()
    problems: dict[str, list[str]] = {}
    for path, actions in PAGES[persona]:
        path = path.format(**ids)
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        found = []
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            found.append(f"the page is {width} px wide")
        found += menu_problems(page)
        for role, name in actions:
            action = page.get_by_role(role, name=name, exact=True).first
            if not action.is_visible():
                found.append(f"{role} {name!r} is not visible")
                continue
            action.scroll_into_view_if_needed()
            action.click(trial=True)  # fails unless it is visible, enabled and nothing covers it
        found += [f"sticks out: {html}" for html in page.evaluate(STICKING_OUT)]
        if found:
            problems[path] = found
    context.close()
    assert problems == {}

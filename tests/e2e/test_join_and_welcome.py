"""A visitor joins, confirms by the mailed link, and is welcomed by a committee member of their state.

Everything is real: Chromium drives the live site, the worker runs in its own process on the
database queue, and mail goes to an SMTP server on loopback.
"""

import os
import re
import time

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from playwright.sync_api import Page, expect

from alliance.core.tests.smtp import SMTPServer, body_of
from alliance.core.tests.workers import Worker
from alliance.network.models import Person, Role, Welcome
from alliance.testing.fixtures import make_person

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "correct-horse-9"
AXE = "/static/vendor/axe/axe.min.js"
SCREENSHOTS = settings.BASE_DIR / "docs" / "screenshots"
VISITOR = "rosa.quintana@example.org"


@pytest.fixture
def smtp():
    with SMTPServer() as server:
        yield server


@pytest.fixture
def worker(settings, live_server, smtp):
    """`alliance worker` on the database queue; it builds confirmation links from the live site's URL."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    env = {"TASK_BACKEND": "database", "EMAIL_URL": smtp.url, "SITE_URL": live_server.url}
    with Worker("--interval", "0.2", **env) as worker:
        yield worker


@pytest.fixture
def nora(sam, django_user_model) -> Person:
    """New Mexico's steering committee member. Sam (Colorado) was added first, so the state decides."""
    email = "nora.mexico@example.org"
    user = django_user_model.objects.create_user(username=email, email=email, password=PASSWORD)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return make_person(first_name="Nora", last_name="Mexico", state="NM", roles=[Role.STEERING], user=user)


def serious_accessibility_violations(page: Page) -> list[str]:
    """axe-core's serious and critical findings on the page (loaded from our own static files, as CSP allows)."""
    page.add_script_tag(url=AXE)
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']]}"
        for v in result["violations"]
        if v["impact"] in {"serious", "critical"}
    ]


def screenshot(page: Page, name: str) -> None:
    """Pictures for the docs, taken only when asked for (SCREENSHOTS=1)."""
    if os.environ.get("SCREENSHOTS") == "1":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SCREENSHOTS / name, animations="disabled")


def is_welcome(message) -> bool:
    return str(message["Message-ID"]).startswith("<welcome-")


def test_it_welcomes_a_visitor_who_joins_and_confirms_by_mail(live_server, worker, smtp, nora, sam, new_page):
    page = new_page()
    blocked = []
    page.on("console", lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None)

    page.goto(live_server.url + "/")
    assert serious_accessibility_violations(page) == []
    page.get_by_role("main").get_by_role("button", name="Join").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Join the network")
    assert serious_accessibility_violations(page) == []

    # Like a person: click into the first field, type, and move on with Tab.
    page.get_by_label("First name").click()
    page.keyboard.type("Rosa")
    page.keyboard.press("Tab")
    page.keyboard.type("Quintana")
    page.keyboard.press("Tab")
    page.keyboard.type(VISITOR)
    page.get_by_role("combobox", name="State", exact=True).select_option(label="New Mexico")
    page.get_by_role("combobox", name="Sector", exact=True).select_option(index=1)
    page.get_by_label("Organization").fill("Albuquerque Public Schools")
    page.get_by_label("Title or role").fill("CTE coordinator")
    page.get_by_label("What would you like to work on?").fill("Girls in welding")
    page.get_by_label("Send me the alliance's newsletter").check()
    screenshot(page, "join.png")
    page.get_by_role("main").get_by_role("button", name="Join").press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")

    [confirmation] = smtp.mailbox.wait_for(lambda m: m["To"] == VISITOR and not is_welcome(m))
    link = re.search(r"https?://\S+/join/confirm/\S+/", body_of(confirmation)).group(0)
    assert link.startswith(live_server.url + "/join/confirm/")
    page.goto(link)
    # Opening the link only asks (mail scanners open links too); the button confirms.
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm your sign-up")
    assert Person.objects.get(email=VISITOR).status == Person.Status.PENDING
    assert serious_accessibility_violations(page) == []
    page.get_by_role("button", name="Confirm and join").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Rosa!")
    expect(page.get_by_role("main")).to_contain_text("Nora Mexico of our steering committee")

    [welcome_mail] = smtp.mailbox.wait_for(is_welcome)
    welcome = Welcome.objects.get(person__email=VISITOR)
    for _ in range(50):  # the mail server accepted it; the worker marks the row sent a moment later
        if welcome.status == Welcome.Status.SENT:
            break
        time.sleep(0.1)
        welcome.refresh_from_db()
    assert welcome.status == Welcome.Status.SENT
    assert welcome.sender == nora
    assert welcome.person.status == Person.Status.ACTIVE
    assert (welcome.person.first_name, welcome.person.state_id) == ("Rosa", "NM")
    assert welcome.person.consent_to_email is True
    assert welcome_mail["To"] == VISITOR
    assert welcome_mail["Reply-To"] == nora.email
    assert "Nora Mexico" in str(welcome_mail["From"])
    assert body_of(welcome_mail).startswith("Dear Rosa,")
    assert len([m for m in smtp.mailbox.to(VISITOR) if is_welcome(m)]) == 1
    assert blocked == []

    committee = new_page()
    committee.goto(live_server.url + "/accounts/login/")
    committee.get_by_label("Email").fill(nora.email)
    committee.get_by_label("Password").fill(PASSWORD)
    committee.get_by_label("Password").press("Enter")
    committee.get_by_role("link", name="Your newcomers", exact=True).click()
    row = committee.locator("#newcomers tbody tr").filter(has_text="Rosa Quintana")
    expect(row).to_contain_text("New Mexico")
    expect(row).to_contain_text("sent")
    screenshot(committee, "newcomers.png")

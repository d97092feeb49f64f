"""Browser tests: Playwright's sync API driving Debian's Chromium against pytest-django's live server.

Playwright's sync API runs an event loop in the test's thread, so Django would refuse database
calls there (SynchronousOnlyOperation) although nothing in the test is asynchronous.
"""

import os

import pytest
from django.conf import settings
from django.db import connections
from django.test import Client
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from alliance.network.models import Organization, PeopleImport, Welcome
from alliance.testing.fixtures import make_person

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
VIEWPORT = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}  # a common phone, in CSS pixels


@pytest.fixture
def browser(live_server) -> Browser:
    """Chromium for one test, started after the test database is ready and stopped before it is reset.

    While Playwright's loop runs, Django hands the test thread other database connections than
    the test case's own (they are context-local); starting the browser per test, after the
    database set-up, keeps `serialized_rollback` and the flush on the test case's connection.
    """
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        try:
            yield browser
        finally:
            browser.close()
            connections.close_all()  # the connections opened while Playwright ran


@pytest.fixture
def new_page(browser: Browser):
    """Open pages in fresh browser contexts (one per person: separate cookies), closed afterwards."""
    contexts = []

    def open_page() -> Page:
        context = browser.new_context(viewport=VIEWPORT, locale="en-US")
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


def sign_in(context: BrowserContext, base_url: str, user) -> None:
    """Give the browser a signed-in session without going through the login form (tests of the form do)."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": base_url}])


@pytest.fixture
def network(alice, sam, mia):
    """Enough of everything that each page shows rows, not only its empty state, with some long words."""
    school = Organization.objects.create(name="Boise State University", state_id="ID")
    mia.organization = school
    mia.title = "STEM outreach lead"
    mia.save(update_fields=["organization", "title"])
    Organization.objects.create(name="Boise State Univ.", state_id="ID")  # a likely duplicate organization
    ann = make_person(first_name="Ann", last_name="Lee", state="ID", organization=school)
    make_person(first_name="Anne", last_name="Lee", state="ID", organization=school)
    college = Organization.objects.create(
        name="Northern New Mexico Community College Workforce Development Center", state_id="NM"
    )
    long = make_person(
        first_name="Maximiliano",
        last_name="Montgomery-Villaseñor",
        state="CO",
        organization=college,
        title="Coordinator of Industry-Recognized Credentials and Apprenticeships",
    )
    long.email = "maximiliano.montgomery-villasenor@northernnewmexicocollege.example.org"
    long.save(update_fields=["email"])
    Welcome.objects.create(person=ann, sender=sam, status=Welcome.Status.SENT)
    Welcome.objects.create(person=long, sender=sam, status=Welcome.Status.SENT)
    people_import = PeopleImport.objects.create(
        filename="idaho-members-from-the-state-association-2026.csv",
        uploaded_by=alice.user,
        status=PeopleImport.Status.DONE,
        rows_total=3,
        rows_read=3,
        rows_created=3,
    )
    return {"school": school, "mia": mia, "import": people_import}

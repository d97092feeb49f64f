"""Members search the directory; staff import people, merge and unmerge duplicates; the committee follows up.

Chromium drives the live site as a person would. The import runs in a real `alliance worker`
process on the database queue, as in production. HTMX updates are checked to happen in place:
a mark set on the page's window survives them, and a page load would wipe it.
"""

import re

import pytest
from playwright.sync_api import Page, expect

from alliance.core.tests.workers import Worker
from alliance.network.models import Organization, PeopleImport, Person, PersonMerge, Welcome
from alliance.testing.fixtures import make_person
from tests.e2e.test_accessibility import log_in, serious_findings, watch_csp

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# Row 3 names no real state; row 5 repeats row 4's address.
CSV = (
    b"First Name,Last Name,E-mail,State,Organisation,Sector\n"
    b"Rosa,Quintana,Rosa@Example.org,New Mexico,Albuquerque Public Schools,k12\n"
    b"Lee,Park,lee@example.org,XX,,\n"
    b"Ann,Lee,ann@example.org,CO,,business\n"
    b"Ann,Again,ANN@example.org,CO,,\n"
)


def mark_document(page: Page) -> None:
    page.evaluate("window.notReloaded = true")


def same_document(page: Page) -> bool:
    """Whether the page is still the document marked by mark_document (no page load since)."""
    return page.evaluate("window.notReloaded === true")


def names_in(page: Page, table: str):
    return page.locator(f"{table} tbody tr td:first-child a")


def test_it_narrows_the_directory_as_a_member_types_and_filters(live_server, mia, new_page):
    for first, last, state in [("Ana", "Torres", "CO"), ("Tomas", "Torres", "NM"), ("Ben", "Okafor", "UT")]:
        make_person(first_name=first, last_name=last, state=state)
    page = new_page()
    blocked = watch_csp(page)
    log_in(page, live_server.url, mia.email)
    page.get_by_role("link", name="Directory", exact=True).click()
    expect(page.locator("#result-count")).to_contain_text("4 people")  # Mia and the three above
    mark_document(page)

    page.get_by_label("Name or organization").press_sequentially("torr")
    expect(names_in(page, "#results")).to_have_text(["Ana Torres", "Tomas Torres"])
    expect(page).to_have_url(re.compile(r"/people/\?(.*&)?q=torr(&|$)"))
    expect(page.locator("#result-count")).to_contain_text("2 people")

    page.get_by_label("State").select_option(label="New Mexico")
    expect(names_in(page, "#results")).to_have_text(["Tomas Torres"])
    expect(page).to_have_url(re.compile(r"state=NM"))
    expect(page.locator("#result-count")).to_contain_text("1 person")
    assert same_document(page)

    page.reload()  # the pushed URL is a real address: it shows the same results
    expect(page.get_by_label("Name or organization")).to_have_value("torr")
    expect(names_in(page, "#results")).to_have_text(["Tomas Torres"])
    assert serious_findings(page) == []
    assert blocked == []


@pytest.fixture
def worker_queue(settings, tmp_path):
    """Tasks go to the database queue; the worker reads the uploads from the same media folder."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.MEDIA_ROOT = tmp_path / "media"
    return {"ALLIANCE_DATA_DIR": str(tmp_path), "TASK_BACKEND": "database"}


def test_it_imports_a_file_with_bad_rows_through_the_worker(live_server, alice, worker_queue, new_page):
    page = new_page()
    blocked = watch_csp(page)
    log_in(page, live_server.url, alice.email)
    page.get_by_role("link", name="Import", exact=True).click()
    page.get_by_label("File").set_input_files({"name": "people.csv", "mimeType": "text/csv", "buffer": CSV})
    page.get_by_role("button", name="Upload and preview").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Preview of people.csv")
    expect(page.locator("#import-status")).to_have_text("Reading the file")  # the worker reads it, not the request
    assert serious_findings(page) == []
    with Worker("--interval", "0.2", **worker_queue) as worker:
        try:
            expect(page.locator("#problems tbody tr")).to_have_count(2, timeout=30_000)
        except AssertionError as exc:
            raise AssertionError(f"worker output:\n{worker.output()}") from exc
    problems = page.locator("#problems tbody tr")
    expect(problems).to_have_count(2)
    expect(problems.nth(0)).to_contain_text("3")
    expect(problems.nth(0)).to_contain_text("unknown state")
    expect(problems.nth(1)).to_contain_text("email repeats row 4")
    assert serious_findings(page) == []
    assert not Person.objects.filter(email="rosa@example.org").exists()  # nothing stored before the run

    page.get_by_role("button", name="Import 4 rows").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Import of people.csv")
    expect(page.locator("#import-status")).to_have_text("Waiting for the worker")
    expect(page.get_by_role("progressbar", name="Import progress")).to_be_visible()
    assert serious_findings(page) == []
    mark_document(page)

    with Worker("--interval", "0.2", **worker_queue) as worker:
        try:
            expect(page.locator("#import-counts")).to_have_text(
                "4 rows read = 2 stored (2 new, 0 updated) + 2 rejected", timeout=30_000
            )
        except AssertionError as exc:
            raise AssertionError(f"worker output:\n{worker.output()}") from exc
    assert same_document(page)  # the progress section refreshed itself in place
    expect(page.locator("#import-status")).to_have_text("Done")
    expect(page.get_by_role("progressbar", name="Import progress")).to_have_attribute("value", "4")
    rejected = page.locator("#rejections tbody tr")
    expect(rejected).to_have_count(2)
    expect(rejected.nth(0).locator("td").first).to_have_text("3")
    expect(rejected.nth(0)).to_contain_text("unknown state")
    expect(rejected.nth(1).locator("td").first).to_have_text("5")
    expect(rejected.nth(1)).to_contain_text("email repeats row 4")
    assert serious_findings(page) == []

    people_import = PeopleImport.objects.get()
    assert people_import.status == PeopleImport.Status.DONE
    assert (people_import.rows_read, people_import.rows_created, people_import.rows_rejected) == (4, 2, 2)
    assert Person.objects.get(email="rosa@example.org").organization.name == "Albuquerque Public Schools"
    assert Person.objects.get(email="ann@example.org").last_name == "Lee"
    assert not Person.objects.filter(email="lee@example.org").exists()
    assert blocked == []


def test_it_merges_a_duplicate_pair_and_undoes_the_merge(live_server, alice, new_page):
    school = Organization.objects.create(name="Denver Public Schools", state_id="CO")
    ann = make_person(first_name="Ann", last_name="Lee", organization=school)
    anne = make_person(first_name="Anne", last_name="Lee", organization=school)
    page = new_page()
    blocked = watch_csp(page)
    log_in(page, live_server.url, alice.email)
    page.get_by_role("link", name="Duplicates", exact=True).click()

    pair = page.locator("#duplicates tbody tr").filter(has_text="Anne Lee")
    expect(pair).to_contain_text("% likely")
    expect(pair).to_contain_text("first name: similar spelling")
    pair.get_by_role("radio", name="Keep Ann Lee", exact=True).check()
    pair.get_by_role("button", name="Merge", exact=True).click()
    expect(page.get_by_role("heading", name="Merge these two people?")).to_be_visible()
    expect(page.locator("#merge-extra-email")).to_contain_text("anne.lee@example.org")
    assert serious_findings(page) == []
    assert PersonMerge.objects.count() == 0  # nothing merged before the confirmation
    page.get_by_role("button", name="Merge, keeping Ann Lee").click()

    expect(page.locator("#last-merge")).to_contain_text("Merged Anne Lee into Ann Lee.")
    expect(page.locator("#duplicates")).not_to_contain_text("Anne Lee")
    assert serious_findings(page) == []
    anne.refresh_from_db()
    assert anne.status == Person.Status.MERGED
    assert PersonMerge.objects.get().kept == ann

    page.locator("#last-merge").get_by_role("button", name="Undo").click()
    expect(page.get_by_role("status")).to_contain_text("Merge undone: Anne Lee and Ann Lee are two records again.")
    expect(page.locator("#duplicates tbody tr").filter(has_text="Anne Lee")).to_contain_text("Ann Lee")
    expect(page.locator("#merges")).to_contain_text("undone")
    assert serious_findings(page) == []
    ann.refresh_from_db()
    anne.refresh_from_db()
    assert (ann.status, anne.status) == (Person.Status.ACTIVE, Person.Status.ACTIVE)
    assert PersonMerge.objects.get().undone is not None

    page.get_by_role("link", name="Directory", exact=True).click()  # both are back where members look
    expect(page.locator("#results")).to_contain_text("Ann Lee")
    expect(page.locator("#results")).to_contain_text("Anne Lee")
    assert blocked == []


def test_it_marks_a_newcomer_followed_up_in_place(live_server, sam, new_page):
    newcomer = make_person(first_name="Nia", last_name="New", state="CO")
    welcome = Welcome.objects.create(person=newcomer, sender=sam, status=Welcome.Status.SENT)
    page = new_page()
    blocked = watch_csp(page)
    log_in(page, live_server.url, sam.email)
    page.get_by_role("link", name="Your newcomers", exact=True).click()
    row = page.locator(f"#welcome-{welcome.pk}")
    expect(row).to_contain_text("Nia New")
    mark_document(page)

    row.get_by_role("button", name="Mark followed up").click()

    expect(row.get_by_role("button", name="Mark followed up")).to_have_count(0)
    expect(row).to_contain_text(re.compile(r"done \w+\.? \d+"))
    assert same_document(page)
    welcome.refresh_from_db()
    assert welcome.followed_up is not None
    assert serious_findings(page) == []
    assert blocked == []

"""A state's data lead loads a file in a layout the app has not seen: drafts a mapping from it,
maps the column the draft could not place, watches the live preview, saves, loads, and finds the
state on the national dashboard. A member of another state cannot load data."""

import re

import pytest
from playwright.sync_api import expect

from alliance.measure.models import Dataset
from tests.e2e.conftest import sign_in
from tests.e2e.test_accessibility import log_in, serious_findings, watch_csp

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

NEW_LAYOUT = (
    b"School Year,District,Gender,Kids\n2023-24,0880,F,140\n2023-24,0880,M,152\n2023-24,0990,F,77\n2023-24,0990,M,69\n"
)


def test_a_data_lead_maps_a_new_layout_loads_it_and_sees_her_state(live_server, dana, new_page):
    page = new_page()
    blocked = watch_csp(page)
    log_in(page, live_server.url, dana.email)
    page.get_by_role("link", name="Data", exact=True).click()
    page.get_by_role("button", name="New mapping").click()

    page.get_by_label("A sample file in this layout").set_input_files(
        {"name": "colorado_2024.csv", "mimeType": "text/csv", "buffer": NEW_LAYOUT}
    )
    text = page.get_by_label("Mapping (YAML)")
    expect(text).to_have_value(re.compile(r"year: School Year"))  # drafted from the header
    expect(page.locator("#preview")).to_contain_text("columns.value: required")  # Kids is not recognised

    drafted = text.input_value()
    text.fill(drafted.replace("  sex: Gender\n", "  sex: Gender\n  value: Kids\n"))
    text.press("End")  # a key press: the preview follows the text as it is typed
    expect(page.locator("#preview-counts")).to_have_text("4 rows read, 0 of them would be rejected.")
    expect(page.locator("#preview-facts tbody tr")).to_have_count(4)
    assert serious_findings(page) == []
    page.get_by_role("button", name="Save the mapping").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("State data")
    page.get_by_label("Mapping").select_option(label="colorado 2024")
    page.get_by_label("File (CSV or XLSX)").set_input_files(
        {"name": "colorado_2024.csv", "mimeType": "text/csv", "buffer": NEW_LAYOUT}
    )
    page.get_by_role("button", name="Load").click()
    expect(page.locator("#dataset-counts")).to_contain_text("4 rows read = 4 stored + 0 rejected", timeout=20_000)
    expect(page.locator("#dataset-status")).to_have_text("Loaded")
    assert serious_findings(page) == []

    page.get_by_role("link", name="Dashboards", exact=True).click()
    expect(page.locator("table.figures tbody")).to_contain_text("Colorado")
    expect(page.locator("table.figures tbody")).to_contain_text("438")  # 140 + 152 + 77 + 69
    assert serious_findings(page) == []
    assert blocked == []
    assert Dataset.objects.get().state == "CO"


def test_a_member_of_another_state_cannot_load_data(live_server, mia, new_page):
    page = new_page()
    sign_in(page.context, live_server.url, mia.user)
    page.goto(live_server.url + "/")
    expect(page.get_by_role("link", name="Dashboards", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Data", exact=True)).to_have_count(0)
    response = page.goto(live_server.url + "/data/")
    assert response.status == 403

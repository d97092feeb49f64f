"""Dashboards: one indicator series across both Perkins eras from two layouts, small counts never
shown, sharing levels, and who may load which state's data."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from alliance.measure import dashboards, mappings
from alliance.measure.models import Dataset
from alliance.measure.series import series_named
from alliance.measure.tests.loads import load

pytestmark = pytest.mark.django_db

PERKINS_IV = """
name: Utah nontraditional participation (Perkins IV, long)
state: UT
constants: {level: secondary, act: IV, indicator: 6S1}
columns: {year: school_year, measure: part, value: students}
codes:
  measure: {NUM: numerator, DEN: denominator}
"""
PERKINS_V = """
name: Utah nontraditional concentration (Perkins V, a column per year)
state: UT
constants: {level: secondary, act: V, indicator: 4S1}
columns: {measure: figure}
unpivot: {columns: "SY*", into: year, strip: "SY"}
"""


def _utah_series(tmp_path):
    old = tmp_path / "ut_perkins_iv.csv"
    old.write_text("school_year,part,students\n2017-18,NUM,300\n2017-18,DEN,1200\n2018-19,NUM,330\n2018-19,DEN,1200\n")
    new = tmp_path / "ut_perkins_v.csv"
    new.write_text("figure,SY2020,SY2021\nnumerator,200,260\ndenominator,1000,1040\n")
    assert load(old, PERKINS_IV).status == Dataset.Status.LOADED
    assert load(new, PERKINS_V).status == Dataset.Status.LOADED


def test_a_perkins_iv_and_a_perkins_v_file_make_one_series_with_the_break_labelled(tmp_path, client):
    _utah_series(tmp_path)
    board = dashboards.national(None, series_named("V-4S1"))
    assert board.years == [2018, 2019, 2020, 2021]
    ((label, cells),) = board.table.rows()
    assert label == "Utah"
    assert [c.text for c in cells] == ["25.0%", "27.5%", "20.0%", "25.0%"]  # 300/1200, 330/1200, 200/1000, 260/1040
    assert any("Perkins IV" in note for note in board.notes)
    page = client.get("/dashboards/", {"series": "V-4S1"}).content.decode()
    assert "Perkins IV | Perkins V" in page  # the break drawn on the chart
    assert "27.5%" in page


SMALL = """
name: Wyoming concentrators by district
state: WY
constants: {level: secondary, measure: concentrators, place_kind: district}
columns: {year: year, place: district, value: n}
"""


def test_a_small_count_is_never_shown_nor_left_to_be_worked_out(tmp_path, client):
    path = tmp_path / "wy.csv"
    path.write_text("year,district,n\n2024,0101,250\n2024,0102,3\n2024,0103,180\n2024,0104,41\n")
    load(path, SMALL)
    board = dashboards.state(None, "WY", series_named("secondary-concentrators"))
    places = {label: cells[0] for label, cells in board.places.rows()}
    assert places["0102"].suppressed and places["0102"].reason == "small"
    hidden = [label for label, cell in places.items() if cell.suppressed]
    assert len(hidden) >= 2  # a complement, so the total minus the others does not give 3
    assert places["0101"].text == "250"
    response = client.get("/dashboards/WY/", {"series": "secondary-concentrators"})
    page = response.content.decode()
    assert "fewer than 10 students" in page
    assert ">3<" not in page
    csv = b"".join(client.get("/dashboards/WY/", {"format": "csv"}).streaming_content).decode()
    assert ",3\r\n" not in csv and "474" in csv  # the state's total is shown; the small count is not


def test_figures_shared_with_members_only_are_hidden_from_visitors(tmp_path, client, as_mia):
    path = tmp_path / "wy.csv"
    path.write_text("year,district,n\n2024,0101,250\n")
    load(path, SMALL, sharing="members")
    assert "Wyoming" not in client.get("/dashboards/").content.decode()
    assert "Wyoming" in as_mia.get("/dashboards/").content.decode()


ID_MAPPING = SMALL.replace("state: WY", "state: ID").replace("Wyoming", "Idaho")
CO_MAPPING = SMALL.replace("state: WY", "state: CO").replace("Wyoming", "Colorado")


def test_a_data_lead_loads_their_own_state_and_no_other(as_dana, as_mia, dana):
    own = mappings.mapping_save(text=CO_MAPPING, actor=None)
    other = mappings.mapping_save(text=ID_MAPPING, actor=None)
    csv = b"year,district,n\n2024,0880,120\n"
    page = as_dana.get("/data/").content.decode()
    assert own.name in page and other.name not in page
    response = as_dana.post(
        "/data/", {"mapping": other.pk, "file": SimpleUploadedFile("id.csv", csv), "sharing": "public"}
    )
    assert response.status_code == 200 and Dataset.objects.count() == 0  # not a choice for her
    response = as_dana.post(
        "/data/", {"mapping": own.pk, "file": SimpleUploadedFile("co.csv", csv), "sharing": "public"}
    )
    dataset = Dataset.objects.get()
    assert response.status_code == 302 and dataset.state == "CO"
    assert as_mia.get("/data/").status_code == 403
    assert as_mia.get(f"/data/{dataset.pk}/").status_code == 403
    response = as_dana.post("/data/mappings/new/", {"text": ID_MAPPING.replace("by district", "v2"), "action": "save"})
    assert response.status_code == 403
    other_state = as_dana.post(f"/data/mappings/{other.pk}/", {"text": ID_MAPPING, "action": "save"})
    assert other_state.status_code == 403


def test_a_states_own_definitions_are_shown_beside_its_figures(tmp_path, client):
    from alliance.measure.models import StateDefinition

    StateDefinition.objects.create(state="WY", act="V", participant="One CTE course.", concentrator="Two courses.")
    path = tmp_path / "wy.csv"
    path.write_text("year,district,n\n2024,0101,250\n")
    load(path, SMALL)
    page = client.get("/dashboards/WY/").content.decode()
    assert "How Wyoming counts its students" in page and "Two courses." in page


def test_a_choice_without_figures_says_so(tmp_path, client):
    path = tmp_path / "wy.csv"
    path.write_text("year,district,n\n2024,0101,250\n")
    load(path, SMALL)
    page = client.get("/dashboards/WY/", {"series": "secondary-concentrators", "by": "race"}).content.decode()
    assert "No figures for this choice" in page

"""The measurement API: indicators, datasets, and the published tables exactly as the dashboard
shows them, a suppressed cell with its flag and reason and never its value."""

import pytest

from alliance.measure import dashboards
from alliance.measure.series import series_named
from alliance.measure.tests.loads import load
from alliance.measure.tests.test_dashboards import SMALL

pytestmark = pytest.mark.django_db


def test_the_indicators_say_which_act_each_code_belongs_to(client):
    indicators = client.get("/api/measure/indicators").json()
    names = {(i["act"], i["code"]): i["name"] for i in indicators}
    assert names[("IV", "4S1")] != names[("V", "4S1")]
    assert "V 4S1" in next(i for i in indicators if (i["act"], i["code"]) == ("IV", "6S1"))["comparable_to"]


def test_a_state_table_is_the_dashboards_without_the_suppressed_values(tmp_path, client):
    path = tmp_path / "wy.csv"
    path.write_text("year,district,n\n2023,0101,250\n2023,0102,180\n2024,0101,240\n2024,0102,3\n")
    load(path, SMALL)
    body = client.get("/api/measure/tables/national", {"series": "secondary-concentrators"}).json()
    assert body["columns"] == ["2023", "2024"]
    (wyoming,) = body["rows"]
    assert (wyoming["key"], [c["value"] for c in wyoming["cells"]]) == ("WY", [430, 243])
    board = dashboards.national(None, series_named("secondary-concentrators"))
    assert [c["text"] for c in wyoming["cells"]] == [c.text for c in board.table.rows()[0][1]]

    body = client.get("/api/measure/tables/states/wy", {"series": "secondary-concentrators"}).json()
    assert body["rows"][0]["cells"][1]["value"] == 243


def test_datasets_shared_with_members_are_listed_for_members_only(tmp_path, client, as_mia):
    path = tmp_path / "wy.csv"
    path.write_text("year,district,n\n2024,0101,250\n")
    dataset = load(path, SMALL, sharing="members")
    assert client.get("/api/measure/datasets").json() == []
    (listed,) = as_mia.get("/api/measure/datasets").json()
    assert (listed["id"], listed["rows_read"], listed["checksum"]) == (dataset.pk, 1, dataset.checksum)


def test_an_unknown_series_or_state_is_a_clear_error(tmp_path, client):
    path = tmp_path / "wy.csv"
    path.write_text("year,district,n\n2024,0101,250\n")
    load(path, SMALL)
    assert client.get("/api/measure/tables/national", {"series": "nothing"}).status_code == 422
    assert client.get("/api/measure/tables/states/XX").status_code == 404

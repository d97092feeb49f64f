"""Results-based indicators: the curve from published figures, targets, a forecast that keeps to
the current Perkins era, who is better or worse served, and who may plan for which state."""

import pytest

from alliance.measure import results
from alliance.measure.models import Indicator, Target, Worksheet
from alliance.measure.tests.loads import load

pytestmark = pytest.mark.django_db

UTAH = """
name: Utah nontraditional concentration by sex
state: UT
constants: {level: secondary, act: V, indicator: 4S1}
columns: {year: year, sex: sex, measure: part, value: n}
"""


def _utah(tmp_path):
    rows = ["year,sex,part,n"]
    for year, girls, boys in [(2020, 200, 300), (2021, 220, 300), (2022, 240, 300), (2023, 260, 300)]:
        rows += [
            f"{year},F,numerator,{girls}",
            f"{year},F,denominator,1000",
            f"{year},M,numerator,{boys}",
            f"{year},M,denominator,1000",
        ]
    path = tmp_path / "ut.csv"
    path.write_text("\n".join(rows) + "\n")
    load(path, UTAH)
    return Indicator.objects.create(name="Nontraditional", series="V-4S1", baseline_year=2020)


def test_the_forecast_continues_the_current_eras_trend_only():
    points = [(2018, 0.9), (2019, 0.95), (2020, 0.20), (2021, 0.22), (2022, 0.24)]
    line = results.forecast(points, rate=True, until=2024)
    assert [year for year, _ in line] == [2022, 2023, 2024, 2025]  # three years on at least
    assert line[1][1] == pytest.approx(0.26) and line[2][1] == pytest.approx(0.28)
    assert results.forecast(points[:4], rate=True) == []  # two Perkins V points: no trend to continue


def test_a_curve_shows_published_rates_targets_and_whether_the_trend_reaches_them(tmp_path):
    indicator = _utah(tmp_path)
    Target.objects.create(indicator=indicator, state="UT", year=2025, value=0.30)
    curve = results.curve(None, indicator, "UT")
    assert curve.points == [(2020, 0.25), (2021, 0.26), (2022, 0.27), (2023, 0.28)]  # (F + M) / 2000
    assert curve.baseline == (2020, 0.25)
    assert dict(curve.forecast)[2025] == pytest.approx(0.30)
    assert curve.on_track is True
    girls, boys = curve.gaps["sex"]
    assert (girls.group, girls.text, girls.to_state, girls.to_best) == (
        "Female",
        "26.0%",
        pytest.approx(-2.0),
        pytest.approx(-4.0),
    )
    assert girls.change == pytest.approx(6.0)  # 20% in 2020 to 26% in 2023
    assert boys.to_best == 0


def test_a_data_lead_plans_for_her_state_only(tmp_path, as_dana, as_mia, client):
    indicator = _utah(tmp_path)
    url = f"/dashboards/indicators/{indicator.pk}/"
    assert as_dana.post(url + "targets/", {"state": "UT", "year": 2026, "value": 30}).status_code == 403
    assert as_mia.post(url + "worksheet/", {"state": "UT", "story": "x"}).status_code == 403
    assert as_dana.post(url + "targets/", {"state": "CO", "year": 2026, "value": 30}).status_code == 302
    assert Target.objects.get().value == pytest.approx(0.30)  # entered as a percentage
    as_dana.post(
        url + "worksheet/",
        {"state": "CO", "story": "Why the curve bends", "partners": "", "what_works": "", "strategy": ""},
    )
    assert Worksheet.objects.get(state="CO").story == "Why the curve bends"
    page = client.get(url, {"state": "UT"}).content.decode()
    assert "25.0%" in page and "Who is better or worse served" in page and "Set the target" not in page

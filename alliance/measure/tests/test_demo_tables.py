"""Every table the demo alliance publishes survives the attack: no hidden count can be worked out,
or narrowed below its state's threshold, from the figures shown (published.check runs the attack
on each table before it is served, and refuses it otherwise)."""

import pytest

from alliance.measure import dashboards, disclosure, published
from alliance.measure.demo import demo_part
from alliance.measure.models import Dataset

pytestmark = pytest.mark.django_db


def test_the_attack_refuses_a_table_whose_hidden_count_can_be_worked_out():
    shown = disclosure.Cell(5)
    hidden = disclosure.Cell(None, suppressed=True, reason=disclosure.SMALL)
    leaky = disclosure.ProtectedTable(
        cells=[[hidden, disclosure.Cell(40)]],
        row_totals=[disclosure.Cell(45)],
        column_totals=[shown, disclosure.Cell(40)],
        grand_total=disclosure.Cell(45),
        threshold=10,
    )
    with pytest.raises(published.Disclosive):
        published.check(leaky)


def test_every_demo_dashboard_table_is_served_and_hides_what_it_must(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    demo_part()
    assert Dataset.objects.filter(status=Dataset.Status.LOADED).count() == Dataset.objects.count() > 0
    served = hidden = 0
    for series in dashboards.available_series(None):
        boards = [dashboards.national(None, series)]
        for state in ("CO", "ID", "NM", "NV", "UT", "WY"):
            boards += [dashboards.state(None, state, series, by=by) for by in ("", "sex", "race", "cluster")]
        for board in boards:
            tables = [board.table] + ([board.places] if board.places else [])
            for table in tables:
                served += 1
                for _label, cells in table.rows():
                    for cell in cells:
                        if cell.reason in (disclosure.SMALL, disclosure.COMPLEMENTARY):
                            hidden += 1
                            assert cell.value is None
                            assert cell.high is None or cell.high - cell.low >= table.threshold
    assert served > 100 and hidden > 100  # the demo has small groups: suppression is exercised

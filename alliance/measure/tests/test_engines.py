"""The same indicator queries give the same figures on DuckDB (the store) and on PostgreSQL.

Runs in the suite's PostgreSQL pass (CI runs both): the facts of a loaded file are copied into a
PostgreSQL table and the queries of queries.py run unchanged on each engine.
"""

import ibis
import pytest
from django.db import connection

from alliance.measure import queries, selectors
from alliance.measure.tests.loads import NC_LONG, load
from alliance.measure.tests.test_dashboards import PERKINS_IV, PERKINS_V
from alliance.testing.fixtures import shared_data

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="runs in the PostgreSQL pass of the suite"),
]


@pytest.fixture
def postgres_facts():
    """A PostgreSQL table holding every loaded dataset's facts, dropped afterwards."""
    settings = connection.settings_dict
    backend = ibis.postgres.connect(
        host=settings["HOST"] or "127.0.0.1",
        port=int(settings["PORT"] or 5432),
        user=settings["USER"],
        password=settings["PASSWORD"] or None,
        database=settings["NAME"],
    )
    name = "measure_engine_check"

    def copy() -> ibis.Table:
        facts, _visible = selectors.visible_facts(None)
        backend.create_table(name, facts.to_pyarrow(), overwrite=True)
        return backend.table(name)

    yield copy
    backend.drop_table(name, force=True)
    backend.disconnect()


@pytest.mark.parametrize(
    "selection",
    [
        queries.Selection(measure="concentrators", by="cluster"),
        queries.Selection(measure="concentrators"),
        queries.Selection(measure="rate", indicators=(("IV", "6S1"), ("V", "4S1"))),
    ],
    ids=["by-cluster", "all-students", "rate-across-eras"],
)
def test_duckdb_and_postgresql_give_the_same_figures(tmp_path, postgres_facts, selection):
    load(shared_data("cte", "nc_2018_cte_concentrators_long.csv"), NC_LONG)
    old, new = tmp_path / "iv.csv", tmp_path / "v.csv"
    old.write_text("school_year,part,students\n2018-19,NUM,330\n2018-19,DEN,1200\n")
    new.write_text("figure,SY2020\nnumerator,200\ndenominator,1000\n")
    load(old, PERKINS_IV), load(new, PERKINS_V)
    facts, visible = selectors.visible_facts(None)
    on_duckdb = queries.figures(facts, selection, datasets=visible)
    on_postgres = queries.figures(postgres_facts(), selection, datasets=visible)
    assert on_duckdb and on_duckdb == on_postgres

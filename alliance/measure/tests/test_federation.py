"""Federated measures: a state's figures computed inside its own PostgreSQL database, standing
here for a state's. Only sums leave it, and a count under the threshold leaves it hidden.

Runs in the suite's PostgreSQL pass, against a second database created for the test.
"""

import uuid

import ibis
import psycopg
import pyarrow as pa
import pytest
from django.db import connection

from alliance.measure import dashboards, federation, queries
from alliance.measure.models import FederatedSource
from alliance.measure.series import series_named

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="runs in the PostgreSQL pass of the suite"),
]


def _fact(year, place, sex, value, *, kind="district"):
    return {
        "state": "NM",
        "year": year,
        "act": "V",
        "level": "secondary",
        "place_kind": kind,
        "place": place,
        "cip": "",
        "cluster": "all",
        "sex": sex,
        "race": "all",
        "population": "all",
        "measure": "concentrators",
        "indicator": "",
        "value": value,
        "suppressed": False,
        "marker": None,
    }


@pytest.fixture
def state_database(monkeypatch):
    """New Mexico's own database, with its facts in a table of the store's columns."""
    settings = connection.settings_dict
    name = f"state_nm_{uuid.uuid4().hex[:8]}"
    host, port = settings["HOST"] or "127.0.0.1", settings["PORT"] or 5432
    admin = f"host={host} port={port} user={settings['USER']} dbname=postgres"
    with psycopg.connect(admin, autocommit=True) as con:
        con.execute(f'CREATE DATABASE "{name}"')
    url = f"postgres://{settings['USER']}@{host}:{port}/{name}"
    backend = ibis.connect(url)
    facts = [
        _fact(2024, "0101", "F", 180),
        _fact(2024, "0101", "M", 220),
        _fact(2024, "0102", "F", 4),
        _fact(2024, "0102", "M", 31),
    ]
    types = {"year": pa.int32(), "value": pa.int64(), "suppressed": pa.bool_()}
    schema = pa.schema([(column, types.get(column, pa.string())) for column in facts[0]])
    backend.create_table("alliance_facts", pa.Table.from_pylist(facts, schema=schema))
    monkeypatch.setenv("MEASURE_NM_DATABASE_URL", url)
    yield url
    backend.disconnect()
    federation._backend.cache_clear()
    with psycopg.connect(admin, autocommit=True) as con:
        con.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


def test_a_states_own_database_answers_for_it_and_keeps_small_counts_hidden(state_database):
    FederatedSource.objects.create(state="NM", name="New Mexico PED warehouse", url_variable="MEASURE_NM_DATABASE_URL")
    by_sex = queries.Selection(measure="concentrators", by="sex", states=("NM",))
    assert {(f.group, f.value) for f in federation.federated_figures(None, by_sex, skip_states=set())} == {
        ("F", 184),
        ("M", 251),
    }
    per_district = queries.Selection(measure="concentrators", by="sex", states=("NM",), place="0102")
    small = {f.group: f.value for f in federation.federated_figures(None, per_district, skip_states=set())}
    assert small == {"F": None, "M": 31}  # 4 girls never left the state's database as a number

    board = dashboards.national(None, series_named("secondary-concentrators"))
    assert [(label, [c.text for c in cells]) for label, cells in board.table.rows()] == [("New Mexico", ["435"])]


def test_an_unreachable_state_database_is_named_and_the_page_still_answers(monkeypatch):
    monkeypatch.setenv("MEASURE_WY_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/no_such_database_here")
    FederatedSource.objects.create(state="WY", name="Wyoming warehouse", url_variable="MEASURE_WY_DATABASE_URL")
    board = dashboards.national(None, series_named("secondary-concentrators"))
    assert any("Wyoming warehouse" in note for note in board.notes)

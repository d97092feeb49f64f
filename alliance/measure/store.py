"""The analytics store: one immutable Parquet file of facts per loaded dataset, read through DuckDB.

DuckDB lets one process open a database file for writing or several for reading, never both. So
no process holds the store open: the worker writes each dataset's facts to a new file (under a
temporary name, then renamed, so a reader never sees half a file), and every web process and
thread queries the files of the loaded datasets with its own in-memory DuckDB. Rolling a dataset
back removes its file; nothing is ever rewritten in place.
"""

import functools
import os
import threading
import uuid
from pathlib import Path
from typing import Any

import duckdb
import ibis
from django.conf import settings

from alliance.measure.mapping import DIMENSIONS

# The facts' columns: the mapping's dimensions, the count, and where it came from.
FACT_TYPES = {
    "state": "VARCHAR",
    "year": "INTEGER",
    **{name: "VARCHAR" for name in DIMENSIONS if name != "year"},
    "value": "BIGINT",
    "suppressed": "BOOLEAN",  # suppressed or not reported at the source: value is NULL, never 0
    "marker": "VARCHAR",  # the source's marker for it ('*', '<10', 'N/A'...)
    "dataset": "INTEGER",
}
# The same columns as Ibis types, to compile queries without a connection (queries.py).
FACT_SCHEMA = ibis.schema(
    {
        column: {"VARCHAR": "string", "INTEGER": "int32", "BIGINT": "int64", "BOOLEAN": "boolean"}[kind]
        for column, kind in FACT_TYPES.items()
    }
)
SORT = ("year", "measure", "indicator", "place_kind")  # one state per file: its years, then what


def directory() -> Path:
    path = Path(settings.MEASURE_STORE_DIR)
    path.mkdir(parents=True, exist_ok=True)
    return path


def write_facts(con: duckdb.DuckDBPyConnection, query: str, *, dataset_id: int) -> tuple[str, int]:
    """Write the facts `query` selects (FACT_TYPES' columns but dataset) as a new file; its name and
    row count. Sorted so that a query by state and year reads only the row groups it needs."""
    name = f"dataset-{dataset_id}-{uuid.uuid4().hex[:12]}.parquet"
    final = directory() / name
    partial = final.with_suffix(".partial")
    columns = ", ".join(
        f"CAST({column} AS {kind}) AS {column}" for column, kind in FACT_TYPES.items() if column != "dataset"
    )
    con.execute(
        f"COPY (SELECT {columns}, CAST({int(dataset_id)} AS INTEGER) AS dataset FROM ({query}) "  # noqa: S608
        f"ORDER BY {', '.join(SORT)}) TO '{partial}' (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 122880)"
    )
    os.replace(partial, final)
    count = con.execute(f"SELECT count(*) FROM read_parquet('{final}')").fetchall()[0][0]  # noqa: S608
    return name, count


def coverage(name: str) -> list[tuple]:
    """(year, act, level, measure, indicator, place_kind) a store file holds figures for."""
    path = directory() / Path(name).name
    if not name or not path.exists():
        return []
    with duckdb.connect() as con:
        return con.execute(
            "SELECT DISTINCT year, act, level, measure, indicator, place_kind FROM read_parquet(?)", [str(path)]
        ).fetchall()


@functools.lru_cache(maxsize=4096)
def contents(name: str) -> frozenset[tuple]:
    """(level, measure, act, indicator) a store file has figures for; files never change."""
    path = directory() / Path(name).name
    if not name or not path.exists():
        return frozenset()
    with duckdb.connect() as con:
        rows = con.execute(
            "SELECT DISTINCT level, measure, act, indicator FROM read_parquet(?)", [str(path)]
        ).fetchall()
    return frozenset(rows)


def remove(name: str) -> None:
    if name:
        (directory() / Path(name).name).unlink(missing_ok=True)


class _Reader(threading.local):
    def __init__(self) -> None:
        self.con: duckdb.DuckDBPyConnection | None = None
        self.files: tuple[str, ...] | None = None
        self.backend: Any = None


_reader = _Reader()


def connection(files: tuple[str, ...]) -> duckdb.DuckDBPyConnection:
    """This thread's DuckDB with the view `facts` over the given store files."""
    if _reader.con is None:
        _reader.con = duckdb.connect()
        _reader.backend = ibis.duckdb.from_connection(_reader.con)
    if _reader.files != files:
        paths = [str(directory() / name) for name in files if (directory() / name).exists()]
        if paths:
            source = f"read_parquet([{', '.join(repr(p) for p in paths)}])"
            _reader.con.execute(f"CREATE OR REPLACE VIEW facts AS SELECT * FROM {source}")  # noqa: S608
        else:
            empty = ", ".join(f"CAST(NULL AS {kind}) AS {column}" for column, kind in FACT_TYPES.items())
            _reader.con.execute(f"CREATE OR REPLACE VIEW facts AS SELECT {empty} WHERE false")  # noqa: S608
        _reader.files = files
    return _reader.con


def facts(files: tuple[str, ...]) -> ibis.Table:
    """The facts of these store files as an Ibis table (see queries.py)."""
    connection(files)
    return _reader.backend.table("facts")

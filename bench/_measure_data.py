"""The data bench/measure.py runs on, cached under var/bench/ so that a second run starts at once:

- the six states' synthetic files (alliance.measure.synthetic) at a size (measure-data/);
- their facts in an analytics store, each file read through its checked-in mapping with
  reading.read_file and written with store.write_facts, as the worker does, without Django models
  (measure-store/);
- the same facts in a PostgreSQL table, for the ORM baseline (database bench_measure);
- a CSV of a given number of rows for the load benchmark: the head of Colorado's long file.

Each cache is keyed by its size and by a digest of the code that made it, so a change to the
generator or the reader makes it again; a stale one of the same size is removed. Nothing here
prints on stdout (the benchmark's stdout is its JSON lines).
"""

import hashlib
import json
import os
import shutil
import time
from pathlib import Path

import duckdb
import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "var" / "bench"
APP = ROOT / "alliance" / "measure"
PG_DSN = "host=127.0.0.1 port=5432 user=postgres"
PG_DATABASE = "bench_measure"
# Facts per data row of the synthetic files (wide layouts and numerator/denominator columns give
# several facts a row): 1.42 measured at 200,000 rows; the runs report the facts they got.
FACTS_PER_ROW = 1.42
LOAD_SOURCE = "co_cte_by_cluster_2012_2025.csv"  # the long layout the load benchmark reads the head of


def _digest(paths: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.name.encode())
        digest.update(path.read_bytes() if path.exists() else b"")
    return digest.hexdigest()[:10]


def data_key(rows: int) -> str:
    return f"{rows}-{_digest([APP / 'synthetic.py', APP / 'vocabulary.py'])}"


def store_key(rows: int) -> str:
    code = [APP / name for name in ("reading.py", "mapping.py", "store.py", "synthetic.py", "vocabulary.py")]
    code += [ROOT / "alliance" / "core" / "tabular.py", *sorted((APP / "demo").glob("*.yaml"))]
    return f"{rows}-{_digest(code)}"


def store_dir(rows: int) -> Path:
    return BENCH_DIR / "measure-store" / store_key(rows)


def _replace_stale(parent: Path, key: str) -> Path:
    """parent/key; other entries of parent for the same size (made by older code) removed."""
    rows = key.split("-")[0]
    parent.mkdir(parents=True, exist_ok=True)
    for other in parent.iterdir():
        if other.name != key and other.name.split("-")[0] == rows and other.is_dir():
            shutil.rmtree(other, ignore_errors=True)
    return parent / key


def generated(rows: int) -> tuple[Path, list[dict]]:
    """The synthetic files of about `rows` data rows: their directory and manifest
    ({state, file, mapping, rows} each), made on the first run of this size."""
    from alliance.measure import synthetic

    final = _replace_stale(BENCH_DIR / "measure-data", data_key(rows))
    manifest = final / "manifest.json"
    if manifest.exists():
        return final, json.loads(manifest.read_text())
    partial = final.with_name(f"{final.name}.partial-{os.getpid()}")
    shutil.rmtree(partial, ignore_errors=True)
    started = time.perf_counter()
    files = synthetic.generate_files(partial, rows=rows)
    entries = [{"state": g.state, "file": g.path.name, "mapping": str(g.mapping), "rows": g.rows} for g in files]
    (partial / "manifest.json").write_text(json.dumps({"entries": entries, "seconds": time.perf_counter() - started}))
    os.replace(partial, final)
    return final, json.loads(manifest.read_text())


def stored(rows: int, data: Path, files: list[dict]) -> dict:
    """The files' facts in the store directory `store_dir(rows)` (which settings.MEASURE_STORE_DIR
    must name), one dataset each, numbered from 1: the manifest ({entries: [{dataset, state, file,
    store_file, facts, rows_read, rows_rejected, years, acts}], seconds})."""
    from django.conf import settings

    from alliance.measure import store
    from alliance.measure.mapping import MappingSpec
    from alliance.measure.reading import read_file

    final = _replace_stale(BENCH_DIR / "measure-store", store_key(rows))
    manifest = final / "manifest.json"
    if manifest.exists():
        return json.loads(manifest.read_text())
    partial = final.with_name(f"{final.name}.partial-{os.getpid()}")
    shutil.rmtree(partial, ignore_errors=True)
    configured = settings.MEASURE_STORE_DIR
    settings.MEASURE_STORE_DIR = partial
    entries = []
    started = time.perf_counter()
    try:
        for number, item in enumerate(files, start=1):
            spec = MappingSpec.parse(Path(item["mapping"]).read_text())
            outcome = read_file(data / item["file"], spec, max_rows=10**9)
            name, facts = store.write_facts(outcome.con, outcome.facts_query, dataset_id=number)
            years, acts = zip(*outcome.con.execute(
                f"SELECT DISTINCT year, act FROM ({outcome.facts_query}) ORDER BY ALL"  # noqa: S608
            ).fetchall(), strict=True)  # fmt: skip
            outcome.con.close()
            entries.append({
                "dataset": number, "state": item["state"], "file": item["file"], "mapping": item["mapping"],
                "store_file": name, "facts": facts, "rows_read": outcome.rows_read,
                "rows_rejected": outcome.rows_rejected, "years": sorted(set(years)), "acts": sorted(set(acts)),
            })  # fmt: skip
    finally:
        settings.MEASURE_STORE_DIR = configured
    (partial / "manifest.json").write_text(json.dumps({"entries": entries, "seconds": time.perf_counter() - started}))
    os.replace(partial, final)
    return json.loads(manifest.read_text())


def load_csv(data: Path, rows: int) -> Path:
    """A CSV of `rows` data rows (fewer if the source is shorter): the head of Colorado's long file,
    one row per year x place x cluster x measure."""
    target = data / f"load_{rows}_rows.csv"
    if target.exists():
        return target
    partial = target.with_suffix(f".partial-{os.getpid()}")
    with (data / LOAD_SOURCE).open("rb") as source, partial.open("wb") as out:
        for number, line in enumerate(source):
            if number > rows:
                break
            out.write(line)
    os.replace(partial, target)
    return target


COLUMNS = {  # the store's columns (store.FACT_TYPES) as PostgreSQL types; only value and marker may be NULL
    "state": "text NOT NULL", "year": "integer NOT NULL", "act": "text NOT NULL", "level": "text NOT NULL",
    "place_kind": "text NOT NULL", "place": "text NOT NULL", "cip": "text NOT NULL", "cluster": "text NOT NULL",
    "sex": "text NOT NULL", "race": "text NOT NULL", "population": "text NOT NULL", "measure": "text NOT NULL",
    "indicator": "text NOT NULL", "value": "bigint", "suppressed": "boolean NOT NULL", "marker": "text",
    "dataset": "integer NOT NULL",
}  # fmt: skip
INDEX = ("state", "measure", "indicator", "year")  # equality columns first, then the year range


def postgres_table(rows: int, paths: list[Path], facts: int) -> str:
    """A PostgreSQL table in database bench_measure holding the facts of these store files, with
    a primary key and an index on (state, measure, indicator, year), analyzed; its name. Made
    once per store (under a temporary name, renamed when complete); older tables of the same
    size dropped."""
    from alliance.measure import store

    if list(COLUMNS) != list(store.FACT_TYPES):
        raise RuntimeError("bench/_measure_data.py COLUMNS no longer match store.FACT_TYPES")
    table = "facts_" + store_key(rows).replace("-", "_")
    with psycopg.connect(f"{PG_DSN} dbname=postgres", autocommit=True) as admin:
        if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [PG_DATABASE]).fetchone():
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(PG_DATABASE)))
    with psycopg.connect(f"{PG_DSN} dbname={PG_DATABASE}", autocommit=True) as con:
        existing = [name for (name,) in con.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]
        for name in existing:
            if name != table and name.startswith(f"facts_{rows}_"):
                con.execute(sql.SQL("DROP TABLE {}").format(sql.Identifier(name)))
        if table in existing:
            count = con.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table))).fetchone()[0]
            if count == facts:
                return table
            con.execute(sql.SQL("DROP TABLE {}").format(sql.Identifier(table)))
        building = f"{table}_partial"
        con.execute(sql.SQL("DROP TABLE IF EXISTS {}").format(sql.Identifier(building)))
        columns = ", ".join(f"{name} {kind}" for name, kind in COLUMNS.items())
        con.execute(f"CREATE TABLE {building} (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, {columns})")
        csv_path = BENCH_DIR / f"measure-pg-{os.getpid()}.csv"
        try:
            with duckdb.connect() as duck:
                source = ", ".join(repr(str(p)) for p in paths)
                duck.execute(
                    f"COPY (SELECT {', '.join(COLUMNS)} FROM read_parquet([{source}])) "  # noqa: S608
                    f"TO '{csv_path}' (FORMAT csv, HEADER false)"
                )
            con.execute("SET synchronous_commit = off")
            copying = f"COPY {building} ({', '.join(COLUMNS)}) FROM STDIN (FORMAT csv)"
            with con.cursor() as cursor, csv_path.open("rb") as handle, cursor.copy(copying) as copy:
                while chunk := handle.read(4 * 1024 * 1024):
                    copy.write(chunk)
        finally:
            csv_path.unlink(missing_ok=True)
        con.execute(f"CREATE INDEX {building}_lookup ON {building} ({', '.join(INDEX)})")
        con.execute(f"VACUUM ANALYZE {building}")
        con.execute(f"ALTER TABLE {building} RENAME TO {table}")
        con.execute(f"ALTER INDEX {building}_lookup RENAME TO {table}_lookup")
    return table

"""Benchmark: shared measurement at 20 million facts, the size of the alliance's states' files.

Prints JSON lines only (ARCHITECTURE.md, "Benchmarks"), each figure beside a baseline measured in
the same run on the same data:
- `indicator_query_median_ms`: an indicator by state, year and group (Colorado's nontraditional
  concentration, Perkins IV 6S1 then V 4S1, 2015-2024, by sex) through queries.figures over the
  store's Parquet files, its figures then protected by published.rate_table, as a dashboard does.
  Three lines, one per baseline computing the same figures (checked equal): (a) one hand-written
  DuckDB SQL statement over the same files (goal: ratio <= 1.5); (b) the Django ORM on a
  PostgreSQL table of the same facts with a primary key and an index on (state, measure,
  indicator, year), analyzed, the session with JIT off and work_mem 64MB so the sort stays in
  memory (the server's defaults reported beside: JIT costs it half) (goal: at least 20x faster);
  (c) pandas on a DataFrame of the same facts already in memory, text as categoricals (goal: at
  least 2x faster);
- `state_dashboard_median_ms`: GET /dashboards/CO/ through Django's test client, every chart and
  table of the page for the default series (warm: the chart's drawing cached; the first, cold
  request reported beside it, and where the time goes), beside a hello-world view behind the same
  middleware (goal: under 300 ms);
- `load_throughput_rows_per_s`: a 1,000,000-row CSV (the head of Colorado's long file) read,
  mapped and checked by reading.read_file and written by store.write_facts, beside DuckDB reading
  the same file bare (CREATE TABLE AS SELECT * FROM read_csv) (goal: at least half its rate).

The synthetic files (alliance.measure.synthetic, sized to give about 20M facts), their store and
the PostgreSQL table (database bench_measure) are made on the first run and kept under var/bench/
(see bench/_measure_data.py); the Django database is a throwaway SQLite file in var/bench/, with a
Dataset per store file so the page sees the facts. BENCH_SCALE multiplies every size.
"""

import gc
import json
import os
import resource
import shutil
import statistics
import sys
import time
from pathlib import Path

import dj_database_url
import duckdb

from bench import _measure_data as data

SCALE = float(os.environ.get("BENCH_SCALE", "1.0"))
FACTS = max(100_000, int(20_000_000 * SCALE))
ROWS = int(round(FACTS / data.FACTS_PER_ROW, -3))  # data rows of the synthetic files
LOAD_ROWS = max(5_000, int(1_000_000 * SCALE))
STATE = "CO"
QUERY_RUNS, ORM_RUNS, PANDAS_RUNS, PAGE_RUNS, LOAD_RUNS = 15, 7, 5, 10, 3
PG = "measure_bench_pg"  # the ORM baseline's database alias: JIT off, 64 MB work_mem for its sort (per session)
PG_DEFAULTS = "measure_bench_pg_defaults"  # the same database with the server's settings (JIT on, 4 MB work_mem)

DB_PATH = data.BENCH_DIR / f"measure-{os.getpid()}.sqlite3"
data.BENCH_DIR.mkdir(parents=True, exist_ok=True)
os.environ["DATABASE_URL"] = f"sqlite:///{DB_PATH}"
os.environ["CACHE_URL"] = "locmem:"  # the chart drawings' cache starts empty: the first request is cold
os.environ["MEASURE_STORE_DIR"] = str(data.store_dir(ROWS))

import django  # noqa: E402
from django.conf import settings  # noqa: E402

PG_URL = f"postgres://postgres@127.0.0.1:5432/{data.PG_DATABASE}"
settings.DATABASES[PG] = dj_database_url.parse(PG_URL, conn_max_age=None)
settings.DATABASES[PG]["OPTIONS"] = {"options": "-c jit=off -c work_mem=64MB"}
settings.DATABASES[PG_DEFAULTS] = dj_database_url.parse(PG_URL, conn_max_age=None)
django.setup()

import ibis  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pyarrow.parquet as pq  # noqa: E402
import vl_convert  # noqa: E402
from django.contrib.auth.models import AnonymousUser  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connections, models  # noqa: E402
from django.db.models import Case, CharField, Count, F, Q, Sum, Value, When  # noqa: E402
from django.db.models.functions import Concat  # noqa: E402
from django.test import Client  # noqa: E402

import bench._hello  # noqa: E402,F401 - the hello-world view beside Alliance's pages, in-process too
from alliance.measure import dashboards, published, queries, selectors, store  # noqa: E402
from alliance.measure.models import Dataset, Mapping, Sharing  # noqa: E402

SELECTION = queries.Selection(
    measure="rate", indicators=(("IV", "6S1"), ("V", "4S1")), states=(STATE,), years=(2015, 2024), by="sex"
)
RAW_SQL = """
WITH picked AS (
    SELECT state, year, act, place_kind, sex AS grp, measure AS part,
        concat_ws(' ', CASE WHEN race <> 'all' THEN 'race' ELSE '' END,
                       CASE WHEN cluster <> 'all' THEN 'cluster' ELSE '' END) AS splits,
        (race <> 'all')::INTEGER + (cluster <> 'all')::INTEGER AS parts_summed,
        value, suppressed
    FROM facts
    WHERE level = 'secondary' AND state IN ('CO') AND year BETWEEN 2015 AND 2024
      AND measure IN ('numerator', 'denominator')
      AND ((act = 'IV' AND indicator = '6S1') OR (act = 'V' AND indicator = '4S1'))
      AND sex <> 'all' AND population = 'all'
), sums AS (
    SELECT state, year, act, place_kind, grp, part, splits, any_value(parts_summed) AS parts_summed,
        sum(value) AS value, count(*) FILTER (WHERE suppressed) AS hidden
    FROM picked GROUP BY ALL
)
SELECT year, grp, part, CASE WHEN hidden > 0 THEN NULL ELSE coalesce(value, 0) END, place_kind
FROM sums
QUALIFY row_number() OVER (
    PARTITION BY state, year, grp, part
    ORDER BY parts_summed, CASE place_kind WHEN 'state' THEN 0 WHEN 'district' THEN 1
                                           WHEN 'institution' THEN 2 ELSE 3 END, splits) = 1
"""


def emit(**figures) -> None:
    print(json.dumps({"bench": "measure", **figures}), flush=True)


def log(message: str) -> None:
    print(f"bench measure: {message}", file=sys.stderr, flush=True)


def timed(work, runs: int, *, warmup: int = 1) -> tuple[float, object]:
    """The median milliseconds of `runs` calls after `warmup` ones, and the last result."""
    result = None
    for _ in range(warmup):
        result = work()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        result = work()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), result


def alternating(works: dict, runs: int) -> dict[str, tuple[float, object]]:
    """Each work's median milliseconds and result, the works taking turns so noise hits all alike."""
    results = {name: work() for name, work in works.items()}  # warm-up
    times: dict[str, list[float]] = {name: [] for name in works}
    for _ in range(runs):
        for name, work in works.items():
            started = time.perf_counter()
            results[name] = work()
            times[name].append((time.perf_counter() - started) * 1000)
    return {name: (statistics.median(times[name]), results[name]) for name in works}


def peak_rss_mb() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024


# ---- the data ------------------------------------------------------------------------------------


def prepare() -> tuple[Path, dict]:
    """The synthetic files and their store (made or reused); Dataset rows for the store files."""
    started = time.perf_counter()
    data_dir, generated = data.generated(ROWS)
    log(f"{len(generated['entries'])} files, {sum(e['rows'] for e in generated['entries']):,} rows "
        f"({time.perf_counter() - started:.0f} s)")  # fmt: skip
    started = time.perf_counter()
    manifest = data.stored(ROWS, data_dir, generated["entries"])
    log(f"store of {sum(e['facts'] for e in manifest['entries']):,} facts ({time.perf_counter() - started:.0f} s)")
    call_command("migrate", verbosity=0)
    for entry in manifest["entries"]:
        text = Path(entry["mapping"]).read_text()
        mapping = Mapping.objects.create(name=entry["file"], state=entry["state"], text=text)
        Dataset.objects.create(
            pk=entry["dataset"],
            state=entry["state"],
            mapping=mapping,
            mapping_text=text,
            filename=entry["file"],
            checksum="",
            sharing=Sharing.PUBLIC,
            status=Dataset.Status.LOADED,
            rows_read=entry["rows_read"],
            rows_rejected=entry["rows_rejected"],
            rows_stored=entry["rows_read"] - entry["rows_rejected"],
            facts=entry["facts"],
            years=entry["years"],
            acts=entry["acts"],
            store_file=entry["store_file"],
        )
    return data_dir, manifest


def store_files(manifest: dict) -> tuple[str, ...]:
    """The files as the pages ask for them (selectors.visible_facts): sorted names."""
    return tuple(sorted(entry["store_file"] for entry in manifest["entries"]))


# ---- 2. the state dashboard ----------------------------------------------------------------------


def dashboard(facts: int) -> None:
    client = Client()
    url = f"/dashboards/{STATE}/"
    started = time.perf_counter()
    response = client.get(url)
    cold = (time.perf_counter() - started) * 1000
    if response.status_code != 200 or b"<svg" not in response.content:
        raise RuntimeError(f"{url} answered {response.status_code} without a chart")
    page_bytes = len(response.content)
    warm, _ = timed(lambda: client.get(url), PAGE_RUNS)
    hello, _ = timed(lambda: client.get("/bench/hello/"), 15, warmup=2)

    # Where the warm time goes: the page's own calls, one at a time.
    visitor = AnonymousUser()
    parts = {}
    parts["available_series"], available = timed(lambda: dashboards.available_series(visitor), PAGE_RUNS)
    series = available[0]
    parts["dashboards_state"], board = timed(lambda: dashboards.state(visitor, STATE, series), PAGE_RUNS)
    facts_table, visible = selectors.visible_facts(visitor)
    parts["visible_facts"], _ = timed(lambda: selectors.visible_facts(visitor), PAGE_RUNS)
    selection = queries.Selection(measure=series.measure, level=series.level, indicators=series.indicators,
                                  states=(STATE,))  # fmt: skip
    parts["figures_query"], _ = timed(lambda: queries.figures(facts_table, selection, datasets=visible), PAGE_RUNS)
    latest = queries.Selection(measure=series.measure, level=series.level, indicators=series.indicators,
                               states=(STATE,), years=(board.place_year, board.place_year))  # fmt: skip
    parts["places_query"], rows = timed(lambda: queries.places(facts_table, latest, datasets=visible), PAGE_RUNS)
    place_values = {(row["place"], str(board.place_year)): None if row["hidden"] else int(row["value"] or 0)
                    for row in rows if row["part"] == series.measure}  # fmt: skip
    place_keys = sorted({row["place"] for row in rows})
    columns, threshold = [str(board.place_year)], board.table.threshold
    parts["places_protect"], _ = timed(
        lambda: published.count_table(place_values, place_keys, columns, threshold=threshold), PAGE_RUNS
    )
    parts["chart_svg_cached"], _ = timed(lambda: board.chart_svg, PAGE_RUNS)
    parts["chart_draw_uncached"], _ = timed(lambda: vl_convert.vegalite_to_svg(board.chart_spec), 3)
    parts["render_and_rest"] = warm - parts["available_series"] - parts["dashboards_state"] - parts["chart_svg_cached"]
    emit(
        metric="state_dashboard_median_ms",
        value=round(warm, 1),
        unit="ms",
        baseline="hello-world Django view, in-process",
        baseline_value=round(hello, 2),
        ratio=round(warm / hello, 1),
        goal="value < 300",
        met=warm < 300,
        cold_ms=round(cold, 1),
        url=url,
        series=series.key,
        facts=facts,
        places=len(place_keys),
        page_kb=round(page_bytes / 1024),
        parts_ms={name: round(ms, 1) for name, ms in parts.items()},
        runs=PAGE_RUNS,
    )


# ---- 1. the indicator query ----------------------------------------------------------------------


def ours(files: tuple[str, ...], threshold: int) -> tuple[list[queries.Figure], published.Table]:
    """The figures and their protected table, as a dashboard makes them."""
    figures = queries.figures(store.facts(files), SELECTION, datasets=None)
    return figures, protected(figures, threshold)


def protected(figures: list[queries.Figure], threshold: int) -> published.Table:
    groups = sorted({f.group for f in figures})
    years = [str(y) for y in sorted({f.year for f in figures})]
    return published.rate_table(
        published.by_group_and_year(figures, "numerator"),
        published.by_group_and_year(figures, "denominator"),
        groups,
        years,
        threshold=threshold,
    )


def keyed(rows) -> dict[tuple, tuple]:
    """(year, group, part) -> (value, place kind), whichever way the figures were made."""
    return {(int(year), group, part): (None if value is None else int(value), kind)
            for year, group, part, value, kind in rows}  # fmt: skip


def fact_model(table: str) -> type[models.Model]:
    """The facts as a Django model over the PostgreSQL table (unmanaged: the bench made it)."""

    class BenchFact(models.Model):
        state = models.CharField(max_length=2)
        year = models.IntegerField()
        act = models.CharField(max_length=2)
        level = models.CharField(max_length=20)
        place_kind = models.CharField(max_length=20)
        place = models.CharField(max_length=40)
        cip = models.CharField(max_length=10)
        cluster = models.CharField(max_length=60)
        sex = models.CharField(max_length=10)
        race = models.CharField(max_length=20)
        population = models.CharField(max_length=40)
        measure = models.CharField(max_length=20)
        indicator = models.CharField(max_length=10)
        value = models.BigIntegerField(null=True)
        suppressed = models.BooleanField()
        marker = models.CharField(max_length=40, null=True)  # noqa: DJ001 - NULL unless suppressed, as in the store
        dataset = models.IntegerField()

        class Meta:
            managed = False
            app_label = "measure"
            db_table = table

        def __str__(self) -> str:
            return f"{self.state} {self.year} {self.measure} {self.indicator}"

    return BenchFact


def orm_figures(model: type[models.Model], alias: str = PG) -> list[queries.Figure]:
    """The same sums through the ORM, one place kind per figure picked as queries.figures does."""

    def split(field: str) -> Case:
        return Case(When(~Q(**{field: "all"}), then=Value(field)), default=Value(""), output_field=CharField())

    rows = (
        model.objects.using(alias)
        .filter(level="secondary", state__in=[STATE], year__range=(2015, 2024), population="all")
        .filter(measure__in=["numerator", "denominator"])
        .filter(Q(act="IV", indicator="6S1") | Q(act="V", indicator="4S1"))
        .exclude(sex="all")
        .annotate(group=F("sex"), part=F("measure"),
                  splits=Concat(split("race"), Value(" "), split("cluster"), output_field=CharField()))
        .values("state", "year", "act", "place_kind", "group", "part", "splits")
        .annotate(total=Sum("value"), hidden=Count("pk", filter=Q(suppressed=True)), figures=Count("pk"))
        .order_by("state", "year", "group", "part", "place_kind")
    )  # fmt: skip
    return queries.pick_place_kind([{**row, "value": row["total"]} for row in rows])


def pandas_figures(df: pd.DataFrame) -> pd.DataFrame:
    """The same sums in pandas: filter, group, one place kind per figure."""
    chosen = (
        (df["level"] == "secondary")
        & (df["state"] == STATE)
        & df["year"].between(2015, 2024)
        & df["measure"].isin(["numerator", "denominator"])
        & (((df["act"] == "IV") & (df["indicator"] == "6S1")) | ((df["act"] == "V") & (df["indicator"] == "4S1")))
        & (df["sex"] != "all")
        & (df["population"] == "all")
    )
    t = df.loc[chosen, ["state", "year", "act", "place_kind", "sex", "measure", "race", "cluster", "value",
                        "suppressed"]]  # fmt: skip
    by_race, by_cluster = (t["race"] != "all").to_numpy(), (t["cluster"] != "all").to_numpy()
    t = t.assign(
        splits=np.char.add(np.char.add(np.where(by_race, "race", ""), " "), np.where(by_cluster, "cluster", "")),
        parts_summed=by_race.astype(int) + by_cluster.astype(int),
    )
    sums = (
        t.groupby(["state", "year", "act", "place_kind", "sex", "measure", "splits", "parts_summed"], observed=True)
        .agg(value=("value", "sum"), hidden=("suppressed", "sum"))
        .reset_index()
    )
    rank = {kind: n for n, kind in enumerate(queries.PLACE_ORDER)}
    sums["kind_rank"] = sums["place_kind"].astype(str).map(rank)
    sums = sums.sort_values(["state", "year", "sex", "measure", "parts_summed", "kind_rank", "splits"])
    return sums.drop_duplicates(["state", "year", "sex", "measure"], keep="first")


def indicator_query(manifest: dict) -> bool:
    files = store_files(manifest)
    paths = [data.store_dir(ROWS) / name for name in files]
    facts = sum(entry["facts"] for entry in manifest["entries"])
    threshold = published.threshold_for([STATE])

    raw = duckdb.connect()
    raw.execute(f"CREATE VIEW facts AS SELECT * FROM read_parquet([{', '.join(repr(str(p)) for p in paths)}])")  # noqa: S608
    selected = raw.execute(RAW_SQL.split("), sums AS")[0].replace("WITH picked AS (", "SELECT count(*) FROM (") + ")")
    selected_facts = selected.fetchall()[0][0]
    measured = alternating({"ours": lambda: ours(files, threshold), "raw": lambda: raw.execute(RAW_SQL).fetchall()},
                           QUERY_RUNS)  # fmt: skip
    ours_ms, (figures, _table) = measured["ours"]
    raw_ms, raw_rows = measured["raw"]
    query_ms, _ = timed(lambda: queries.figures(store.facts(files), SELECTION, datasets=None), QUERY_RUNS)
    compile_ms, _ = timed(lambda: ibis.to_sql(queries.totals(store.facts(files), SELECTION)), QUERY_RUNS)
    suppression_ms, _ = timed(lambda: protected(figures, threshold), QUERY_RUNS)
    raw.close()
    expected = keyed((f.year, f.group, f.part, f.value, f.place_kind) for f in figures)
    agree = {"raw duckdb": keyed(raw_rows) == expected}
    common = {
        "facts": facts,
        "selected_facts": selected_facts,
        "figures": len(figures),
        "query_ms": round(query_ms, 2),
        "suppression_ms": round(suppression_ms, 2),
        "ibis_build_and_compile_ms": round(compile_ms, 2),
        "runs": QUERY_RUNS,
    }
    emit(
        metric="indicator_query_median_ms",
        value=round(ours_ms, 2),
        unit="ms",
        baseline="raw DuckDB SQL over the same Parquet files",
        baseline_value=round(raw_ms, 2),
        ratio=round(ours_ms / raw_ms, 2),
        goal="ratio <= 1.5",
        met=ours_ms / raw_ms <= 1.5,
        same_figures=agree["raw duckdb"],
        **common,
    )

    started = time.perf_counter()
    table = data.postgres_table(ROWS, paths, facts)
    log(f"PostgreSQL table {table} ready ({time.perf_counter() - started:.0f} s)")
    model = fact_model(table)
    orm_ms, orm = timed(lambda: orm_figures(model), ORM_RUNS)
    agree["orm"] = keyed((f.year, f.group, f.part, f.value, f.place_kind) for f in orm) == expected
    defaults_ms, _ = timed(lambda: orm_figures(model, PG_DEFAULTS), ORM_RUNS)
    with connections[PG].cursor() as cursor:
        version = cursor.connection.info.server_version // 10000
    connections[PG].close()
    connections[PG_DEFAULTS].close()
    emit(
        metric="indicator_query_median_ms",
        value=round(ours_ms, 2),
        unit="ms",
        baseline=f"Django ORM on PostgreSQL {version}, index ({', '.join(data.INDEX)}), jit off, work_mem 64MB",
        baseline_value=round(orm_ms, 1),
        ratio=round(ours_ms / orm_ms, 4),
        goal="ratio <= 0.05 (at least 20x faster)",
        met=ours_ms / orm_ms <= 0.05,
        speedup=round(orm_ms / ours_ms, 1),
        same_figures=agree["orm"],
        baseline_server_defaults_ms=round(defaults_ms, 1),
        baseline_runs=ORM_RUNS,
        **common,
    )

    started = time.perf_counter()
    # Low-cardinality text as categoricals, as a careful pandas user keeps them (and a fifth of the memory).
    strings = [field.name for field in pq.read_schema(paths[0]) if str(field.type) == "string"]
    df = pq.read_table(paths, read_dictionary=strings).to_pandas()
    frame_mb = round(df.memory_usage(deep=True).sum() / 2**20)
    log(f"pandas DataFrame of {len(df):,} rows, {frame_mb} MB ({time.perf_counter() - started:.0f} s)")
    pandas_ms, picked = timed(lambda frame=df: pandas_figures(frame), PANDAS_RUNS)
    columns = ("year", "sex", "measure", "value", "hidden", "place_kind")
    rows = zip(*(picked[name] for name in columns), strict=True)
    agree["pandas"] = keyed((y, g, p, None if h else v, k) for y, g, p, v, h, k in rows) == expected
    del df, picked
    gc.collect()
    emit(
        metric="indicator_query_median_ms",
        value=round(ours_ms, 2),
        unit="ms",
        baseline="pandas on the same facts in memory, text as categoricals (filter, groupby)",
        baseline_value=round(pandas_ms, 1),
        ratio=round(ours_ms / pandas_ms, 4),
        goal="ratio <= 0.5 (at least 2x faster)",
        met=ours_ms / pandas_ms <= 0.5,
        speedup=round(pandas_ms / ours_ms, 1),
        same_figures=agree["pandas"],
        dataframe_mb=frame_mb,
        baseline_runs=PANDAS_RUNS,
        **common,
    )
    return all(agree.values())


# ---- 3. loading a file ---------------------------------------------------------------------------


def load_throughput(data_dir: Path) -> bool:
    from alliance.measure.mapping import MappingSpec
    from alliance.measure.reading import read_file
    from alliance.measure.synthetic import DEMO_DIR

    path = data.load_csv(data_dir, LOAD_ROWS)
    spec = MappingSpec.parse((DEMO_DIR / "co_cte_by_cluster.yaml").read_text())
    scratch = data.BENCH_DIR / f"measure-load-{os.getpid()}"
    configured = settings.MEASURE_STORE_DIR
    settings.MEASURE_STORE_DIR = scratch
    stages: dict[str, list[float]] = {"read_file": [], "write_facts": []}
    outcome_rows = [0, 0, 0]

    def ours() -> None:
        started = time.perf_counter()
        outcome = read_file(path, spec, max_rows=10**9)
        read = time.perf_counter()
        name, facts = store.write_facts(outcome.con, outcome.facts_query, dataset_id=1)
        stages["read_file"].append(read - started)
        stages["write_facts"].append(time.perf_counter() - read)
        outcome_rows[:] = [outcome.rows_read, outcome.rows_rejected, facts]
        outcome.con.close()
        store.remove(name)

    def bare() -> None:
        with duckdb.connect() as con:
            con.execute(f"CREATE TABLE t AS SELECT * FROM read_csv('{path}')")  # noqa: S608

    try:
        measured = alternating({"ours": ours, "bare": bare}, LOAD_RUNS)
    finally:
        settings.MEASURE_STORE_DIR = configured
        shutil.rmtree(scratch, ignore_errors=True)
    rows_read, rejected, facts = outcome_rows
    ours_rate = rows_read / (measured["ours"][0] / 1000)
    bare_rate = rows_read / (measured["bare"][0] / 1000)
    emit(
        metric="load_throughput_rows_per_s",
        value=round(ours_rate),
        unit="rows/s",
        baseline="DuckDB read_csv of the same file (CREATE TABLE AS)",
        baseline_value=round(bare_rate),
        ratio=round(ours_rate / bare_rate, 3),
        goal="ratio >= 0.5",
        met=ours_rate / bare_rate >= 0.5,
        rows=rows_read,
        rows_rejected=rejected,
        facts=facts,
        file_mb=round(path.stat().st_size / 2**20, 1),
        ours_s=round(measured["ours"][0] / 1000, 3),
        read_file_s=round(statistics.median(stages["read_file"]), 3),
        write_facts_s=round(statistics.median(stages["write_facts"]), 3),
        baseline_s=round(measured["bare"][0] / 1000, 3),
        runs=LOAD_RUNS,
        peak_rss_mb=peak_rss_mb(),
    )
    return rejected == 0 and facts == rows_read


def main() -> int:
    try:
        data_dir, manifest = prepare()
        facts = sum(entry["facts"] for entry in manifest["entries"])
        dashboard(facts)
        agree = indicator_query(manifest)
        loaded = load_throughput(data_dir)
    finally:
        connections.close_all()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{DB_PATH}{suffix}").unlink(missing_ok=True)
    if not agree:
        log("a baseline's figures differ from queries.figures'")
    if not loaded:
        log("the load benchmark's file did not load whole")
    return 0 if agree and loaded else 1


if __name__ == "__main__":
    sys.exit(main())

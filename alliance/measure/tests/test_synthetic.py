"""The demo states' synthetic data: every file loads through its checked-in mapping with no rejected
row, the same seed gives the same bytes, --rows scales, the states' own statewide figures load as
known figures, and the figures tell the story they should."""

import io
import zipfile
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
import pytest
from django.core.management import call_command

from alliance.measure import synthetic, vocabulary
from alliance.measure.mapping import MappingSpec
from alliance.measure.reading import read_file

STATES = {"CO", "ID", "NM", "NV", "UT", "WY"}


def _read(path: Path, mapping: Path):
    return read_file(path, MappingSpec.parse(mapping.read_text(encoding="utf-8")), max_rows=10**8)


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """The default-size files, each read through its mapping: {file name: (Generated, Outcome)}."""
    out = tmp_path_factory.mktemp("demo")
    return {item.path.name: (item, _read(item.path, item.mapping)) for item in synthetic.generate_files(out)}


@pytest.fixture(scope="module")
def all_facts(demo):
    """Every file's good facts in one DuckDB table `facts`, with the file's name."""
    con = duckdb.connect()
    tables = []
    for name, (_, outcome) in demo.items():
        table = outcome.con.sql(outcome.facts_query).to_arrow_table()
        tables.append(table.append_column("file", pa.array([name] * table.num_rows, pa.string())))
    facts = pa.concat_tables(tables)  # noqa: F841 - DuckDB reads it by name
    con.execute("CREATE TABLE facts AS SELECT * FROM facts")
    return con


def _facts(outcome, where: str = "TRUE") -> list[tuple]:
    return outcome.con.execute(f"SELECT * FROM ({outcome.facts_query}) WHERE {where}").fetchall()  # noqa: S608


def _one(outcome, select: str, where: str = "TRUE"):
    return outcome.con.execute(f"SELECT {select} FROM ({outcome.facts_query}) WHERE {where}").fetchall()[0]  # noqa: S608


def test_every_file_loads_through_its_mapping_with_no_rejected_row(demo):
    assert {item.state for item, _ in demo.values()} == STATES
    for name, (item, outcome) in demo.items():
        rejected = outcome.rejections(5)
        assert outcome.rows_rejected == 0, (name, rejected)
        assert outcome.rows_read > 0, name
        assert outcome.rows_read == item.rows, name
        spec = MappingSpec.parse(item.mapping.read_text(encoding="utf-8"))
        assert spec.state == item.state, name
        assert item.mapping.parent == synthetic.DEMO_DIR and item.mapping.is_file()
        states, years = _one(outcome, "list(DISTINCT state), list(DISTINCT year ORDER BY year)")
        assert states == [item.state], name
        assert set(years) <= set(range(2012, 2026)), name


def test_generate_returns_data_files_with_their_checked_in_mappings(tmp_path):
    pairs = synthetic.generate(tmp_path, rows=5_000)
    assert len(pairs) == len(synthetic.LAYOUTS)
    assert {mapping.name for _, mapping in pairs} == {p.name for p in synthetic.DEMO_DIR.glob("*.yaml")}
    assert all(path.parent == tmp_path and path.is_file() for path, _ in pairs)
    # Mapping names are unique within a state (so the demo can save them all).
    names = [(MappingSpec.parse(m.read_text()).state, MappingSpec.parse(m.read_text()).name) for _, m in pairs]
    assert len(set(names)) == len(names)


def test_each_state_covers_both_eras_with_their_own_indicator_codes(demo):
    facts: dict[str, set] = {state: set() for state in STATES}
    for item, outcome in demo.values():
        rows = outcome.con.execute(
            f"SELECT DISTINCT year, act, indicator FROM ({outcome.facts_query})"  # noqa: S608
        ).fetchall()
        facts[item.state] |= set(rows)
    for state, rows in facts.items():
        assert {year for year, _, _ in rows} == set(range(2012, 2026)), state
        for year, act, indicator in rows:
            assert act == vocabulary.act_for_year(year), (state, year, act)
            if indicator:
                assert (act, indicator) in vocabulary.INDICATORS
        indicators = {(act, indicator) for _, act, indicator in rows if indicator}
        assert indicators == {("IV", "4S1"), ("IV", "6S1"), ("IV", "6S2"), ("V", "1S1"), ("V", "4S1")}, state


def test_indicator_files_hold_a_numerator_for_every_denominator(demo):
    for name, (_, outcome) in demo.items():
        if "indicators" not in name:
            continue
        numerators, denominators = _one(
            outcome, "count(*) FILTER (WHERE measure = 'numerator'), count(*) FILTER (WHERE measure = 'denominator')"
        )
        assert numerators == denominators > 0, name
        # Shown figures never have a numerator above the denominator.
        bad = outcome.con.execute(
            f"""SELECT count(*) FROM ({outcome.facts_query}) n JOIN ({outcome.facts_query}) d  -- noqa
                USING (year, place, indicator, sex, race)
                WHERE n.measure = 'numerator' AND d.measure = 'denominator' AND n.value > d.value"""  # noqa: S608
        ).fetchall()[0][0]
        assert bad == 0, name


def test_every_file_holds_the_states_own_rows_beside_its_districts(demo):
    for name, (item, outcome) in demo.items():
        kinds = _one(outcome, "list(DISTINCT place_kind ORDER BY place_kind)")[0]
        assert kinds == ["district", "state"], name
        # One place for the state's rows, whatever code (or blank) the file gives them.
        places = _one(outcome, "list(DISTINCT place)", "place_kind = 'state'")[0]
        assert len(places) == 1, (name, places)
        assert places != ["NV"] or item.state == "NV"
        years = _one(outcome, "list(DISTINCT year ORDER BY year)", "place_kind = 'state'")[0]
        assert years == _one(outcome, "list(DISTINCT year ORDER BY year)")[0], name


def test_statewide_concentrators_and_4s1_are_known_for_every_state_and_year(all_facts):
    """The dashboards read the state's own figures: known in every year, whatever its districts'
    small cells; the pandemic year 2021 is there like any other."""
    years = list(range(2012, 2026))
    concentrators = all_facts.execute(
        """SELECT state, year, count(*), count(*) FILTER (WHERE suppressed), sum(value) FROM facts
           WHERE place_kind = 'state' AND measure = 'concentrators' GROUP BY ALL ORDER BY ALL"""
    ).fetchall()
    found: dict[str, list[int]] = {}
    for state, year, figures, suppressed, total in concentrators:
        assert figures > 0 and suppressed == 0 and total > 0, (state, year)
        found.setdefault(state, []).append(year)
    assert found == dict.fromkeys(STATES, years)
    nontraditional = all_facts.execute(
        """SELECT state, year, act, measure, bool_or(suppressed), min(value) FROM facts
           WHERE place_kind = 'state' AND indicator = '4S1' AND sex = 'all' AND race = 'all'
           GROUP BY ALL ORDER BY ALL"""
    ).fetchall()
    seen = {(state, year, measure) for state, year, _act, measure, _s, _v in nontraditional}
    assert seen == {(s, y, m) for s in STATES for y in years for m in ("numerator", "denominator")}
    for state, year, act, measure, suppressed, value in nontraditional:
        assert act == vocabulary.act_for_year(year)
        assert not suppressed and value >= 10, (state, year, measure)


def test_statewide_figures_are_the_sums_of_the_districts(all_facts):
    """The state's own rows are the true sums: equal to its districts' where no district cell is
    suppressed, and never less than the districts' known cells."""
    rows = all_facts.execute(
        """SELECT file, s.value AS statewide, d.total, d.hidden FROM
             (SELECT * FROM facts WHERE place_kind = 'state') s
           JOIN (SELECT file, year, act, cluster, sex, race, measure, indicator,
                        sum(value) AS total, count(*) FILTER (WHERE suppressed) AS hidden
                 FROM facts WHERE place_kind = 'district' GROUP BY ALL) d
           USING (file, year, act, cluster, sex, race, measure, indicator)
           WHERE NOT s.suppressed"""
    ).fetchall()
    assert len(rows) > 3_000
    for file, statewide, total, hidden in rows:
        if hidden == 0:
            assert statewide == (total or 0), file
        else:
            assert statewide >= (total or 0), file
    # Some statewide figures are known where a district's cell was suppressed: the point of them.
    assert any(hidden for *_, hidden in rows)


def test_idaho_perkins_iv_and_v_files_differ_in_layout_and_mapping_and_continue_one_series(demo):
    iv_item, iv = demo["id_perkins_iv_indicators_2012_2019.csv"]
    v_item, v = demo["id_perkins_v_indicators_2020_2025.csv"]
    assert iv_item.mapping != v_item.mapping
    assert iv_item.path.read_text().splitlines()[0] != v_item.path.read_text().splitlines()[0]
    assert _one(iv, "list(DISTINCT act)") == (["IV"],)
    assert _one(v, "list(DISTINCT act)") == (["V"],)
    assert ("V", "4S1") in vocabulary.INDICATORS[("IV", "6S1")].comparable_to
    assert ("V", "1S1") in vocabulary.INDICATORS[("IV", "4S1")].comparable_to
    # The old extract's own spellings arrive as the canonical codes: girls, and every race of the 1997 set.
    races = set(_one(iv, "list(DISTINCT race)")[0]) - {"all"}
    assert races == set(vocabulary.RACE_SETS["1997"].categories)
    assert set(_one(iv, "list(DISTINCT sex)")[0]) == {"F", "M", "all"}
    girls_iv = _one(iv, "sum(value)", "indicator = '6S1' AND sex = 'F' AND measure = 'numerator' AND year = 2019")
    girls_v = _one(v, "sum(value)", "indicator = '4S1' AND sex = 'F' AND measure = 'numerator' AND year = 2020")
    assert girls_iv[0] > 0 and girls_v[0] > 0


def test_magnitudes_small_cells_and_markers(demo):
    concentrators = {}
    for item, outcome in demo.values():
        if "indicators" in item.path.name:
            continue
        total = _one(outcome, "sum(value)", "measure = 'concentrators' AND year = 2018 AND place_kind = 'state'")[0]
        concentrators[item.state] = total
    assert min(concentrators, key=concentrators.get) == "WY"
    assert sorted(concentrators, key=concentrators.get)[-2:] in (["CO", "UT"], ["UT", "CO"])
    assert 1_000 <= concentrators["WY"] < 10_000
    assert concentrators["CO"] >= 10_000
    # Many small district cells for the alliance to suppress, and some the states suppressed themselves.
    district = "place_kind = 'district'"
    small = sum(_one(o, "count(*)", f"{district} AND value BETWEEN 1 AND 9")[0] for _, o in demo.values())
    facts = sum(_one(o, "count(*)", district)[0] for _, o in demo.values())
    assert small > facts * 0.12  # about one district figure in seven
    markers = {name: set(_one(o, "list(DISTINCT marker)", "suppressed")[0] or []) for name, (_, o) in demo.items()}
    assert markers["wy_cte_by_cluster_2012_2025.csv"] == {"*"}
    assert markers["nv_perkins_indicators_2012_2025.csv"] == {"<10"}
    assert markers["id_perkins_v_indicators_2020_2025.csv"] == {"N<10"}
    assert markers["nm_perkins_indicators_2012_2025.xlsx"] == {"n/a"}
    assert markers["ut_cte_concentrators_by_year.csv"] == {""}  # LEAs not open yet: missing
    assert markers["co_cte_by_cluster_2012_2025.csv"] == set()


def test_girls_are_underrepresented_in_nontraditional_programs_and_slowly_catch_up(demo):
    _, nevada = demo["nv_cte_concentrators_by_sex_2012_2025.csv"]
    shares = dict(
        nevada.con.execute(
            f"""SELECT year, sum(value) FILTER (WHERE sex = 'F') / sum(value)
                FROM ({nevada.facts_query}) WHERE place_kind = 'state' AND cluster IN ('Manufacturing', 'STEM',
                    'ArchitectureConstruction', 'TransportationDistributionLogistics')
                GROUP BY year"""  # noqa: S608
        ).fetchall()
    )
    assert all(share < 0.35 for share in shares.values())
    assert shares[2025] > shares[2012]
    # Perkins V counts more concentrators than Perkins IV: the definitions changed in 2020.
    _, colorado = demo["co_cte_by_cluster_2012_2025.csv"]
    by_year = dict(
        colorado.con.execute(
            f"""SELECT year, sum(value) FROM ({colorado.facts_query})
                WHERE measure = 'concentrators' AND place_kind = 'state' GROUP BY year"""  # noqa: S608
        ).fetchall()
    )
    assert by_year[2020] > by_year[2019] * 1.1


def test_layouts_keep_their_quirks(demo):
    wy = demo["wy_cte_by_cluster_2012_2025.csv"][0].path.read_bytes()
    with pytest.raises(UnicodeDecodeError):
        wy.decode("utf-8")
    assert "§".encode("latin-1") in wy
    co_item, colorado = demo["co_cte_by_cluster_2012_2025.csv"]
    places = _one(colorado, "list(DISTINCT place)")[0]
    assert all(len(place) == 4 for place in places) and any(place.startswith("0") for place in places)
    assert demo["nv_cte_concentrators_by_sex_2012_2025.csv"][0].path.read_text().splitlines()[1].startswith("2011-12,")
    header = demo["id_cte_concentrators_wide_2012_2025.csv"][0].path.read_text().splitlines()[0]
    assert "num_concentrators_AGNR" in header and header.count("num_concentrators_") == 16
    with zipfile.ZipFile(demo["nm_cte_by_cluster_2012_2025.xlsx"][0].path) as workbook:
        assert sum(name.startswith("xl/worksheets/sheet") for name in workbook.namelist()) == 14
    clusters = set(_one(colorado, "list(DISTINCT cluster)")[0])
    assert clusters == set(vocabulary.CLUSTERS)


def test_same_seed_same_bytes_other_seed_other_bytes(tmp_path):
    first = synthetic.generate(tmp_path / "a", rows=8_000, seed=7)
    second = synthetic.generate(tmp_path / "b", rows=8_000, seed=7)
    other = synthetic.generate(tmp_path / "c", rows=8_000, seed=8)
    for (a, _), (b, _) in zip(first, second, strict=True):
        assert a.name == b.name
        assert a.read_bytes() == b.read_bytes(), a.name
    assert any(a.read_bytes() != c.read_bytes() for (a, _), (c, _) in zip(first, other, strict=True))


def test_district_codes_keep_their_width_and_widen_only_when_they_run_out():
    rng = np.random.default_rng(1)
    assert {len(code) for code in synthetic._numbered(rng, 40, width=4, step=10)} == {4}
    many = synthetic._numbered(rng, 3_000, width=4, step=10)
    assert len(set(many)) == 3_000 and {len(code) for code in many} == {5}
    wyoming = synthetic._numbered(rng, 12, width=4, start=101, suffix="000")
    assert all(len(code) == 7 and code.endswith("000") for code in wyoming)


def _data_rows(path: Path) -> int:
    if path.suffix == ".xlsx":
        from openpyxl import load_workbook

        workbook = load_workbook(io.BytesIO(path.read_bytes()), read_only=True)
        return sum(sum(1 for _ in sheet.iter_rows(min_row=2, values_only=True)) for sheet in workbook.worksheets)
    return path.read_bytes().count(b"\n") - 1


@pytest.mark.parametrize("rows", [12_000, 40_000])
def test_rows_scales_the_total(tmp_path, rows):
    written = synthetic.generate_files(tmp_path, rows=rows)
    total = sum(_data_rows(item.path) for item in written)
    assert total == sum(item.rows for item in written)
    assert abs(total - rows) < rows * 0.1


def test_rows_scale_up_keeps_every_file_loadable(tmp_path):
    """Bigger files load as cleanly (the workbooks, which stop growing at NM_MAX_DISTRICTS, aside)."""
    written = synthetic.generate_files(tmp_path, rows=100_000)
    # The districts and the state's own rows, as many as a district's.
    nm_rows = sum(item.rows for item in written if item.state == "NM")
    assert nm_rows <= (synthetic.NM_MAX_DISTRICTS + 1) * synthetic.rows_per_district("NM")
    for item in written:
        if item.path.suffix == ".xlsx":
            continue
        outcome = _read(item.path, item.mapping)
        assert outcome.rows_rejected == 0, (item.path.name, outcome.rejections(5))
        assert outcome.rows_read == item.rows


def test_demo_data_command(tmp_path):
    out = io.StringIO()
    call_command("demo_data", rows=4_000, out=str(tmp_path), stdout=out)
    text = out.getvalue()
    for layout in synthetic.LAYOUTS:
        assert layout.filename in text and layout.mapping in text
        assert (tmp_path / layout.filename).is_file()
    assert "13 files" in text

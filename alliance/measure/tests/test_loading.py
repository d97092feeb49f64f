"""Loading state files through mappings: the real North Carolina files in two layouts, markers,
rejected rows with their reasons, loading twice, rolling back, and files that cannot be loaded."""

import pytest
from django.core.files.base import ContentFile

from alliance.measure import loading, mappings, queries, selectors
from alliance.measure.mapping import MappingError
from alliance.measure.models import Dataset
from alliance.measure.tests.loads import NC_LONG, NC_WIDE, load
from alliance.testing.fixtures import shared_data

pytestmark = pytest.mark.django_db
CONCENTRATORS = queries.Selection(measure="concentrators", by="cluster")


def _by_cluster(user=None) -> dict[str, int | None]:
    facts, visible = selectors.visible_facts(user)
    return {f.group: f.value for f in queries.figures(facts, CONCENTRATORS, datasets=visible)}


def test_the_long_and_the_wide_north_carolina_files_load_into_the_same_figures():
    long = load(shared_data("cte", "nc_2018_cte_concentrators_long.csv"), NC_LONG)
    assert long.status == Dataset.Status.LOADED
    assert (long.rows_read, long.rows_stored, long.rows_rejected) == (7380, 7380, 0)
    from_long = _by_cluster()
    loading.dataset_rollback(dataset=long, actor=None)
    assert _by_cluster() == {}

    wide = load(shared_data("cte", "nc_2018_cte_concentrators_wide.csv"), NC_WIDE)
    assert (wide.rows_read, wide.rows_rejected, wide.facts) == (492, 0, 7380)
    assert _by_cluster() == from_long
    assert len(from_long) == 16 - 1  # NC's 15 reported clusters (no government cluster)
    assert sum(from_long.values()) == 46852
    assert from_long["AgricultureFoodNaturalResources"] == 9156


def test_loading_the_same_file_again_changes_nothing():
    first = load(shared_data("cte", "nc_2018_cte_concentrators_long.csv"), NC_LONG)
    again = load(shared_data("cte", "nc_2018_cte_concentrators_long.csv"), NC_LONG)
    assert again.pk == first.pk
    assert Dataset.objects.count() == 1
    assert sum(_by_cluster().values()) == 46852


def test_a_second_file_with_the_same_figures_is_refused_until_the_first_is_rolled_back():
    load(shared_data("cte", "nc_2018_cte_concentrators_long.csv"), NC_LONG)
    wide = load(shared_data("cte", "nc_2018_cte_concentrators_wide.csv"), NC_WIDE)
    assert wide.status == Dataset.Status.REFUSED
    assert "already loaded from nc_2018_cte_concentrators_long.csv" in wide.error
    assert sum(_by_cluster().values()) == 46852  # not doubled


MARKED = """
name: Test markers
state: CO
constants: {level: secondary, measure: concentrators, place_kind: district}
columns: {year: year, place: district, sex: sex, value: count}
markers: {suppressed: ["*", "<10"], missing: ["N/A"]}
"""


def test_markers_are_suppressed_or_missing_never_zero_and_bad_rows_say_why(tmp_path):
    path = tmp_path / "co.csv"
    path.write_text(
        "year,district,sex,count\n"
        "2021,0880,Female,120\n"
        "2021,0880,Male,*\n"  # suppressed at the source
        "2021,0900,Female,N/A\n"  # not reported
        "2021,0900,Male,<10\n"
        "2021,0990,Girls,twelve\n"  # text in a count column
        "2021,0990,Robot,14\n"  # unknown code
        "20X1,0991,Male,15\n"  # not a year
        "2021,0992,Male,-3\n",
        encoding="utf-8",
    )
    dataset = load(path, MARKED)
    assert (dataset.rows_read, dataset.rows_stored, dataset.rows_rejected) == (8, 4, 4)
    problems = {(r.row, r.column, r.value, r.problem) for r in dataset.rejections.all()}
    assert problems == {
        (6, "count", "twelve", "number"),
        (7, "sex", "Robot", "code:sex"),
        (8, "year", "20X1", "year"),
        (9, "count", "-3", "negative"),
    }
    facts, visible = selectors.visible_facts(None)
    stored = facts.filter(facts.dataset == dataset.pk).order_by("place").to_pyarrow().to_pylist()
    hidden = [(f["place"], f["sex"], f["value"], f["marker"]) for f in stored if f["suppressed"]]
    assert hidden == [("0880", "M", None, "*"), ("0900", "F", None, "N/A"), ("0900", "M", None, "<10")]
    totals = queries.figures(facts, queries.Selection(measure="concentrators"), datasets=visible)
    assert [t.value for t in totals] == [None]  # a sum that includes a suppressed count is unknown


def test_a_rejected_row_reason_names_the_mapping_fix():
    from alliance.measure.reasons import problem_text

    assert "codes: sex:" in problem_text("code:sex")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"PK\x03\x04not really a workbook", "not a real Excel"),
    ],
)
def test_files_that_cannot_be_read_leave_nothing_behind(tmp_path, content, message):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(content)
    if not content:
        with pytest.raises(loading.LoadError, match=message):
            load(path, MARKED)
        return
    dataset = load(path, MARKED)
    assert dataset.status == Dataset.Status.REFUSED
    assert message in dataset.error
    assert not dataset.file
    assert list(selectors.visible_facts(None)[1]) == []


def test_a_file_over_the_size_limit_is_refused_before_it_is_stored(tmp_path, settings):
    settings.MEASURE_MAX_FILE_MB = 1
    path = tmp_path / "big.csv"
    path.write_bytes(b"year,district,sex,count\n" + b"2021,0880,Female,120\n" * 60_000)
    with pytest.raises(loading.LoadError, match="more than the 1 MB allowed"):
        load(path, MARKED)
    assert Dataset.objects.count() == 0


def test_a_mapping_naming_a_column_the_file_lacks_refuses_the_file_by_name(tmp_path):
    path = tmp_path / "co.csv"
    path.write_text("year,district,gender,count\n2021,0880,F,120\n", encoding="utf-8")
    dataset = load(path, MARKED)
    assert dataset.status == Dataset.Status.REFUSED
    assert "the file has no column 'sex'" in dataset.error


def test_a_workbook_without_the_mapped_sheet_is_refused(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "2021"
    book.active.append(["year", "district", "sex", "count"])
    path = tmp_path / "co.xlsx"
    book.save(path)
    dataset = load(path, MARKED + "sheet: Data\n")
    assert dataset.status == Dataset.Status.REFUSED
    assert "no sheet named Data" in dataset.error


def test_a_mapping_with_mistakes_says_each_one_by_its_place():
    with pytest.raises(MappingError) as raised:
        mappings.mapping_save(text="name: x\nstate: Colorado\ncolumns: {value: n, colour: c}\n", actor=None)
    problems = raised.value.problems
    assert "state: 'COLORADO' is not a two-letter state code" in problems
    assert any(p.startswith("columns.colour: not a field") for p in problems)
    assert "columns.measure: required (a column, a constant or unpivot)" in problems


def test_a_dataset_rolled_back_disappears_from_every_figure():
    dataset = load(shared_data("cte", "nc_2018_cte_concentrators_long.csv"), NC_LONG)
    assert _by_cluster()
    loading.dataset_rollback(dataset=dataset, actor=None)
    dataset.refresh_from_db()
    assert dataset.status == Dataset.Status.ROLLED_BACK
    assert _by_cluster() == {}


def test_the_command_prints_rows_read_stored_and_rejected(tmp_path, capsys):
    from django.core.management import call_command

    mapping = tmp_path / "nc.yaml"
    mapping.write_text(NC_LONG, encoding="utf-8")
    call_command("load_dataset", str(shared_data("cte", "nc_2018_cte_concentrators_long.csv")), mapping=str(mapping))
    assert "7380 rows read = 7380 stored + 0 rejected" in capsys.readouterr().out


def test_a_dataset_is_loaded_by_the_worker_from_an_upload(django_capture_on_commit_callbacks):
    mapping = mappings.mapping_save(text=MARKED, actor=None)
    upload = ContentFile(b"year,district,sex,count\n2021,0880,Female,120\n", name="co.csv")
    with django_capture_on_commit_callbacks(execute=True):
        dataset = loading.dataset_create(upload=upload, filename="co.csv", mapping=mapping, actor=None)
    dataset.refresh_from_db()  # the in-process task backend ran the load on commit
    assert dataset.status == Dataset.Status.LOADED
    assert dataset.rows_stored == 1


CO_ENROLMENT = """
name: Colorado pupil enrolment by race/ethnicity (KIDS COUNT layout)
state: CO
keep: {DataFormat: Number}
constants: {level: secondary, measure: enrolled}
columns: {year: TimeFrame, place: Location, place_kind: Location, race: Race, value: Data}
codes:
  place_kind: {Colorado: state, "*": district}
  race: {Total: all}
markers: {missing: ["N/A", "LNE"]}
"""


def test_the_real_colorado_file_keeps_its_number_rows_and_reads_na_as_missing():
    dataset = load(shared_data("cte", "co_pupil_enrollment_by_race_ethnicity.csv"), CO_ENROLMENT)
    assert dataset.status == Dataset.Status.LOADED, dataset.error
    assert dataset.rows_read == 22378
    assert dataset.rows_left_out == 11184  # the Percent rows
    assert dataset.rows_read == dataset.rows_stored + dataset.rows_rejected + dataset.rows_left_out
    assert dataset.rows_rejected == 0
    facts, visible = selectors.visible_facts(None)
    state = facts.filter((facts.place_kind == "state") & (facts.year == 2010))
    by_race = {row["race"]: row["value"] for row in state.to_pyarrow().to_pylist()}
    assert by_race["all"] == 843316 == sum(v for race, v in by_race.items() if race != "all")
    assert by_race["HispanicLatino"] == 266098
    missing = facts.filter(facts.marker == "N/A").to_pyarrow().to_pylist()
    assert missing and all(row["value"] is None and row["suppressed"] for row in missing)


NC_ENROLMENT = """
name: NC CTE enrolment
state: NC
constants: {level: secondary, measure: participants, place_kind: district}
columns: {year: year, place: agency_code, value: cte_enroll}
"""
NC_SHARES = """
name: NC CTE enrolment from its shares
state: NC
constants: {level: secondary, measure: participants, place_kind: district}
columns: {year: year, place: agency_code}
percent: {column: pct, of: stu_enroll}
"""


def test_a_share_and_its_denominator_give_the_count_the_state_publishes():
    from pathlib import Path

    from alliance.measure.mapping import MappingSpec
    from alliance.measure.reading import read_file

    path: Path = shared_data("cte", "nc_2018_cte_enrollment.csv")

    def counts(text: str) -> dict[str, int]:
        outcome = read_file(path, MappingSpec.parse(text), max_rows=10_000)
        assert outcome.rows_read == 1184 and outcome.rows_rejected == 0
        rows = outcome.con.execute(f"SELECT place, value FROM ({outcome.facts_query})").fetchall()  # noqa: S608
        return dict(rows)

    published, from_shares = counts(NC_ENROLMENT), counts(NC_SHARES)
    assert from_shares == published  # pct x stu_enroll, rounded, is cte_enroll on every row
    assert published["010303"] == 79


def test_a_share_that_is_not_a_number_rejects_its_row_and_a_marker_suppresses_it(tmp_path):
    path = tmp_path / "shares.csv"
    path.write_text("year,agency_code,stu_enroll,pct\n2018,0101,200,25\n2018,0102,150,about half\n2018,0103,*,40\n")
    dataset = load(path, NC_SHARES.replace("NC CTE enrolment from its shares", "shares test"))
    assert (dataset.rows_read, dataset.rows_stored, dataset.rows_rejected) == (3, 2, 1)
    assert [(r.row, r.column, r.value, r.problem) for r in dataset.rejections.all()] == [
        (3, "pct", "about half", "number")
    ]


CIP_2010 = """
name: Utah concentrators by program (CIP 2010)
state: UT
cip_edition: 2010
constants: {level: secondary, measure: concentrators, year: 2019}
columns: {cip: program, value: n}
"""


def test_programs_are_read_in_any_spelling_and_kept_in_cip_2020(tmp_path):
    path = tmp_path / "ut.csv"
    path.write_text('program,n\n="01.0309",40\n15.0503,25\n11.0701,90\n99.9999,12\n')
    dataset = load(path, CIP_2010)
    assert (dataset.rows_read, dataset.rows_stored, dataset.rows_rejected) == (4, 3, 1)
    assert [(r.row, r.column, r.value, r.problem) for r in dataset.rejections.all()] == [
        (5, "program", "99.9999", "code:cip")
    ]
    facts, _visible = selectors.visible_facts(None)
    programs = {row["cip"]: row["value"] for row in facts.to_pyarrow().to_pylist()}
    assert programs == {"01.1004": 40, "15.1701": 25, "11.0701": 90}  # moved codes follow the crosswalk

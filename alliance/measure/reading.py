"""Reading a state's file through its mapping: every row mapped and checked in one DuckDB pass.

No Django models here: `read_file` opens its own in-memory DuckDB, loads the file (CSV with
DuckDB's reader, XLSX through core.tabular), and builds the table `checked` (one row per fact,
with its problems). loading.py stores the good facts and the rejected rows.
Row numbers are the spreadsheet's: the header is row 1.
"""

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa
from django.utils.translation import gettext as _

from alliance.core import tabular
from alliance.measure import vocabulary
from alliance.measure.mapping import (
    ACT_BY_YEAR,
    CODED,
    DIMENSIONS,
    MappingError,
    MappingSpec,
    code_for,
    compile_mapped,
    ident,
    literal,
    problems_sql,
    value_state_sql,
    year_sql,
)

GOOD = "SELECT * FROM checked WHERE _row NOT IN (SELECT _row FROM rejected_rows)"


@dataclass
class Outcome:
    con: duckdb.DuckDBPyConnection
    rows_read: int
    rows_rejected: int
    rows_left_out: int  # rows the mapping's `keep:` does not read (a Percent row beside a Number row)
    facts_query: str  # selects the good facts in the store's columns

    def rejections(self, limit: int | None = None) -> list[tuple[int, str, str, str]]:
        """(row, column, value, problem) of the rejected rows, in row order."""
        query = (
            "SELECT _row, p.column, p.value, p.problem FROM "
            "(SELECT _row, unnest(problems) AS p FROM checked WHERE problems IS NOT NULL) ORDER BY _row"
        )
        if limit is not None:
            query += f" LIMIT {int(limit)}"
        return [
            (row, column, value[:200], problem) for row, column, value, problem in self.con.execute(query).fetchall()
        ]


def read_file(
    path: Path, spec: MappingSpec, *, max_rows: int, stage: Callable[[str, int], None] | None = None
) -> Outcome:
    """Map and check every row of the file; raises tabular.FileRefused or MappingError when the
    file as a whole cannot be read through this mapping."""
    stage = stage or (lambda name, percent: None)
    con = duckdb.connect()
    con.execute("SET preserve_insertion_order = true")
    stage("reading", 10)
    if path.stat().st_size == 0:
        raise tabular.FileRefused(_("The file is empty (0 bytes)."))
    xlsx = path.read_bytes()[:4] == b"PK\x03\x04"
    if xlsx:
        _load_xlsx(con, path, spec, max_rows=max_rows)
    else:
        _load_csv(con, path)
    rows_read = con.execute("SELECT count(*) FROM src").fetchall()[0][0]
    if rows_read > max_rows:
        raise tabular.too_many_rows(max_rows)
    file_columns = [name for name, *_ in con.execute("DESCRIBE src").fetchall() if name != "_row"]
    stage("checking", 40)
    source, rows_left_out = "src", 0
    if spec.keep:
        missing = [
            f"keep.{column}: the file has no column {column!r}" for column in spec.keep if column not in file_columns
        ]
        if missing:
            raise MappingError(missing)
        wanted = " AND ".join(
            f"trim({ident(column)}) IN ({', '.join(literal(v) for v in values)})"
            for column, values in spec.keep.items()
        )
        con.execute(f"CREATE TEMP VIEW kept AS SELECT * FROM src WHERE {wanted}")  # noqa: S608
        source = "kept"
        rows_left_out = rows_read - con.execute("SELECT count(*) FROM kept").fetchall()[0][0]
    con.execute(f"CREATE TEMP VIEW mapped AS {compile_mapped(spec, source, file_columns)}")
    _check(con, spec, _codes(con, spec))
    rows_rejected = con.execute("SELECT count(*) FROM rejected_rows").fetchall()[0][0]
    columns = ", ".join(["state", *DIMENSIONS, "value", "suppressed", "marker"])
    facts = f"SELECT {columns} FROM ({GOOD if rows_rejected else 'SELECT * FROM checked'})"  # noqa: S608
    return Outcome(
        con=con, rows_read=rows_read, rows_rejected=rows_rejected, rows_left_out=rows_left_out, facts_query=facts
    )


def _load_csv(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    source = str(path).replace("'", "''")
    last_error: Exception | None = None
    for encoding in ("utf-8", "latin-1"):
        try:
            con.execute(
                "CREATE OR REPLACE TEMP TABLE src_rows AS SELECT * FROM "  # noqa: S608
                f"read_csv('{source}', all_varchar = true, header = true, encoding = '{encoding}', "
                "null_padding = false)"
            )
            # Rows keep the file's order (preserve_insertion_order), so rowid + 2 is the row number.
            con.execute("CREATE OR REPLACE TEMP VIEW src AS SELECT rowid + 2 AS _row, * FROM src_rows")
            return
        except duckdb.InvalidInputException as exc:
            last_error = exc
            if "unicode" not in str(exc).lower() and "utf" not in str(exc).lower():
                break
        except duckdb.Error as exc:
            last_error = exc
            break
    first_line = str(last_error).strip().splitlines()[0] if last_error else ""
    raise tabular.FileRefused(_("The file could not be read as CSV: %(error)s") % {"error": first_line[:300]})


def _load_xlsx(con: duckdb.DuckDBPyConnection, path: Path, spec: MappingSpec, *, max_rows: int) -> None:
    """The chosen sheet (or the first; or every sheet, one per year) as the table `src`."""
    header: list[str] | None = None
    columns: list[list[str | None]] = []
    rows_seen = 0
    found = False
    with path.open("rb") as handle:
        try:
            for name, rows in tabular.xlsx_sheets(handle, max_rows=max_rows):
                if spec.sheet and name != spec.sheet:
                    continue
                found = True
                sheet_header = next(rows, None)
                if not sheet_header:
                    continue
                sheet_header = [str(cell or f"column {i}") for i, cell in enumerate(sheet_header, start=1)]
                if header is None:
                    header = sheet_header
                    columns = [[] for _ in range(len(header) + 2)]
                elif sheet_header != header:
                    raise tabular.FileRefused(
                        _("Sheet %(sheet)s has other columns than the first sheet.") % {"sheet": name}
                    )
                for number, cells in enumerate(rows, start=2):
                    if not any(cells):
                        continue
                    rows_seen += 1
                    if rows_seen > max_rows:
                        raise tabular.too_many_rows(max_rows)
                    cells = (cells + [""] * len(header))[: len(header)]
                    for index, cell in enumerate(cells):
                        columns[index].append(cell if cell != "" else None)
                    columns[-2].append(name)
                    columns[-1].append(str(number))
                if not spec.years_from_sheets:
                    break
        except tabular.FileRefused:
            raise
        except Exception as exc:
            raise tabular.unreadable(exc) from exc
    if spec.sheet and not found:
        raise tabular.FileRefused(_("The workbook has no sheet named %(sheet)s.") % {"sheet": spec.sheet})
    if header is None:
        raise tabular.FileRefused(_("The workbook has no rows."))
    names = [*header, "_sheet", "_sheet_row"]
    table = pa.table({name: pa.array(values, type=pa.string()) for name, values in zip(names, columns, strict=True)})
    con.register("xlsx_rows", table)
    row = "CAST(_sheet_row AS INTEGER)" if not spec.years_from_sheets else "row_number() OVER () + 1"
    year = ", _sheet AS _sheet_year" if spec.years_from_sheets else ""
    con.execute(
        f"CREATE TEMP TABLE src AS SELECT {row} AS _row, * EXCLUDE (_sheet, _sheet_row){year} FROM xlsx_rows"  # noqa: S608
    )


def _codes(con: duckdb.DuckDBPyConnection, spec: MappingSpec) -> dict[str, str]:
    """For each coded field, the SQL giving its canonical code: a literal where the mapping gives
    the field one value (a constant or a default), else a CASE over the file's distinct values,
    found for every such field in one scan."""
    by_year = spec.constants.get("act", ACT_BY_YEAR) == ACT_BY_YEAR and "act" not in spec.columns
    read = [n for n in CODED if n in spec.columns or (spec.unpivot and spec.unpivot.into == n)]
    sql: dict[str, str] = {}
    if by_year:
        sql["act"] = "CASE WHEN year >= 2020 THEN 'V' WHEN year IS NOT NULL THEN 'IV' END"
    for name in CODED:
        if name in read or name in sql:
            continue
        raw = con.execute(f"SELECT {name}_raw FROM mapped LIMIT 1").fetchall()  # noqa: S608 - a constant
        sql[name] = literal(code_for(spec, name, raw[0][0])) if raw else "NULL"
    if read:
        sets = ", ".join(f"({name}_raw)" for name in read)
        columns = ", ".join(f"{name}_raw" for name in read)
        found: dict[str, set[str]] = {name: set() for name in read}
        query = f"SELECT {columns}, GROUPING({columns}) FROM mapped GROUP BY GROUPING SETS ({sets})"  # noqa: S608
        for row in con.execute(query).fetchall():
            for index, name in enumerate(read):
                if row[index] is not None:
                    found[name].add(row[index])
        for name in read:
            pairs = sorted((raw, code_for(spec, name, raw)) for raw in found[name])
            whens = " ".join(f"WHEN {literal(raw)} THEN {literal(code)}" for raw, code in pairs if code is not None)
            sql[name] = f"CASE m.{name}_raw {whens} END" if whens else "NULL"
    return sql


def _check(con: duckdb.DuckDBPyConnection, spec: MappingSpec, codes_sql: dict[str, str]) -> None:
    codes = [f"{codes_sql[name]} AS {name}_code" for name in CODED if name != "act"]
    indicators = ", ".join(
        f"({literal(act)}, {literal(code)}, {literal(item.level)})"
        for (act, code), item in vocabulary.INDICATORS.items()
    )
    year = year_sql().replace("year_raw", "m.year_raw")
    any_problem, problem_list = problems_sql(spec)
    # One pass: the file's rows are mapped, coded and checked as DuckDB streams them into `checked`;
    # a good row's `problems` is NULL, and the list of problems is built only for the others.
    con.execute(
        f"""CREATE TEMP TABLE checked AS
        WITH coded AS (
            SELECT m.*, {year} AS year, {", ".join(codes)} FROM mapped AS m
        ), states AS (
            SELECT c.*, {codes_sql["act"].replace("m.act_raw", "c.act_raw")} AS act_code,
                i.level AS indicator_level, {value_state_sql(spec)} AS value_state
            FROM coded AS c
            LEFT JOIN (VALUES {indicators}) AS i(act, code, level)
              ON i.act = ({codes_sql["act"].replace("m.act_raw", "c.act_raw")}) AND i.code = c.indicator_code
        )
        SELECT _row, {literal(spec.state)} AS state, year, act_code AS act, level_code AS level,
            place_kind_code AS place_kind,
            CASE WHEN place_kind_code = 'state' AND coalesce(place_raw, '') = '' THEN {literal(spec.state)}
                 ELSE place_raw END AS place,
            coalesce(cip_code, '') AS cip,
            cluster_code AS cluster, sex_code AS sex, race_code AS race, population_code AS population,
            measure_code AS measure, indicator_code AS indicator,
            CASE WHEN value_state = 'ok'
                THEN CAST(replace(replace(value_raw, ',', ''), ' ', '') AS BIGINT) END AS value,
            value_state IN ('suppressed', 'missing') AS suppressed,
            CASE WHEN value_state IN ('suppressed', 'missing') THEN coalesce(value_raw, '') END AS marker,
            CASE WHEN {any_problem} THEN {problem_list} END AS problems
        FROM states"""  # noqa: S608
    )
    keys = ", ".join(["state", *DIMENSIONS])
    repeated = f"""SELECT {keys} FROM checked WHERE problems IS NULL
                   GROUP BY {keys} HAVING count(*) > 1"""  # noqa: S608
    if con.execute(f"SELECT count(*) FROM ({repeated})").fetchall()[0][0]:  # noqa: S608
        con.execute(
            f"""UPDATE checked SET problems = [{{'column': 'row', 'value': '', 'problem': 'repeated'}}]
                WHERE problems IS NULL AND ({keys}) IN ({repeated})"""  # noqa: S608
        )
    con.execute("CREATE TEMP TABLE rejected_rows AS SELECT DISTINCT _row FROM checked WHERE problems IS NOT NULL")

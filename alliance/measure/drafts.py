"""A first mapping for a layout the app has not seen: guessed from the file's header, for the data
lead to finish in the mapping editor, and the editor's live preview of a sample file."""

import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from alliance.core import tabular
from alliance.measure import reasons
from alliance.measure.mapping import MappingError, MappingSpec
from alliance.measure.reading import read_file

PREVIEW_MAX_ROWS = 50_000  # a sample file bigger than this is refused: preview a part of it
PREVIEW_FACTS = 20

# Header words that name a canonical field (compared without case, spaces or punctuation).
GUESSES = {
    "year": {"year", "schoolyear", "sy", "reportingyear", "programyear", "timeframe", "ano"},
    "place": {
        "district",
        "districtcode",
        "agencycode",
        "agency",
        "lea",
        "leacode",
        "leaid",
        "institution",
        "institutioncode",
        "school",
        "schoolcode",
        "county",
        "location",
    },
    "cluster": {"cluster", "careercluster", "careerclustercode", "clustercode"},
    "cip": {"cip", "cipcode", "program", "programcode"},
    "sex": {"sex", "gender"},
    "race": {"race", "ethnicity", "raceethnicity", "race/ethnicity"},
    "population": {"population", "specialpopulation", "subgroup", "studentgroup"},
    "measure": {"measure", "measuretype", "figure", "metric"},
    "indicator": {"indicator", "indicatorcode", "coreindicator"},
    "value": {
        "value",
        "count",
        "n",
        "number",
        "students",
        "total",
        "numconcentrators",
        "concentrators",
        "participants",
        "completers",
        "data",
    },
}


def _key(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.casefold())


def guess_columns(header: list[str]) -> tuple[dict[str, str], list[str]]:
    """The canonical field each recognised column holds, and the columns left unmapped."""
    columns: dict[str, str] = {}
    unmapped = []
    for name in header:
        field_name = next((f for f, words in GUESSES.items() if _key(name) in words and f not in columns), None)
        if field_name:
            columns[field_name] = name
        else:
            unmapped.append(name)
    return columns, unmapped


def draft(header: list[str], *, state: str, name: str) -> str:
    """A mapping to start from: the recognised columns mapped, the rest listed for the reader."""
    columns, unmapped = guess_columns(header)
    constants: dict[str, str] = {"level": "secondary"}
    if "measure" not in columns:
        constants["measure"] = "concentrators"
    if "place" in columns:
        constants["place_kind"] = "district"
    text = yaml.safe_dump(
        {"name": name, "state": state, "constants": constants, "columns": columns},
        sort_keys=False,
        allow_unicode=True,
    )
    if unmapped:
        text += "# Columns not mapped yet (add them under columns:, or leave them out):\n"
        text += "".join(f"#   {column}\n" for column in unmapped)
    return text


def header_of(path: Path) -> list[str]:
    """The first row of a CSV or XLSX file."""
    import duckdb

    if path.read_bytes()[:4] == b"PK\x03\x04":
        with path.open("rb") as handle:
            for _name, rows in tabular.xlsx_sheets(handle, max_rows=PREVIEW_MAX_ROWS):
                return [cell for cell in next(rows, [])]
        return []
    with duckdb.connect() as con:
        source = str(path).replace("'", "''")
        try:
            relation = con.sql(f"SELECT * FROM read_csv('{source}', all_varchar = true, header = true) LIMIT 0")  # noqa: S608
        except duckdb.Error as exc:
            raise tabular.FileRefused(str(exc).splitlines()[0][:300]) from exc
        return list(relation.columns)


def header_of_upload(upload) -> list[str]:
    with tempfile.NamedTemporaryFile(suffix=Path(upload.name).suffix[:6]) as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
        handle.flush()
        return header_of(Path(handle.name))


@dataclass
class Preview:
    rows_read: int = 0
    rows_rejected: int = 0
    header: list[str] = field(default_factory=list)
    facts: list[dict] = field(default_factory=list)
    rejections: list[tuple[int, str, str, str]] = field(default_factory=list)  # row, column, value, reason
    problems: list[str] = field(default_factory=list)  # why the file cannot be read through the mapping


def preview(upload, text: str) -> Preview:
    """The first figures and the rejected rows a sample file gives through this mapping, nothing stored."""
    shown = Preview()
    try:
        spec = MappingSpec.parse(text)
    except MappingError as exc:
        shown.problems = exc.problems
        return shown
    with tempfile.NamedTemporaryFile(suffix=Path(upload.name).suffix[:6]) as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
        handle.flush()
        path = Path(handle.name)
        try:
            shown.header = header_of(path)
            outcome = read_file(path, spec, max_rows=PREVIEW_MAX_ROWS)
        except MappingError as exc:
            shown.problems = exc.problems
            return shown
        except tabular.FileRefused as exc:
            shown.problems = [str(exc)]
            return shown
        shown.rows_read, shown.rows_rejected = outcome.rows_read, outcome.rows_rejected
        cursor = outcome.con.execute(f"SELECT * FROM ({outcome.facts_query}) LIMIT {PREVIEW_FACTS}")  # noqa: S608
        names = [d[0] for d in cursor.description]
        shown.facts = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
        shown.rejections = [
            (row, column, value, reasons.problem_text(problem))
            for row, column, value, problem in outcome.rejections(limit=PREVIEW_FACTS)
        ]
    return shown

"""Mappings: how one source's file layout becomes the shared measures' facts.

A mapping is a small YAML document (docs/measure-mappings.md) kept per source: which file column
holds which canonical field, the constants the file leaves out (its state, level, year...), how the
file's codes translate into canonical codes, which markers mean "suppressed" or "not reported", and
for wide layouts which columns to unpivot. `MappingSpec.parse` checks it and says what is wrong by
its path in the document; `compile_load` turns it into the DuckDB SQL that reads, maps and checks
every row of a file in one pass (see loading.py).
"""

import fnmatch
import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from alliance.measure import cip, vocabulary

# The fact's columns, in the order the store keeps them (see store.FACT_COLUMNS).
DIMENSIONS = (
    "year",
    "act",
    "level",
    "place_kind",
    "place",
    "cip",
    "cluster",
    "sex",
    "race",
    "population",
    "measure",
    "indicator",
)
FIELDS = (*DIMENSIONS, "value")
# Dimensions a file may leave out: they then hold the total over that dimension.
DEFAULTS = {
    "cip": "",
    "cluster": "all",
    "sex": "all",
    "race": "all",
    "population": "all",
    "indicator": "",
    "place_kind": "state",
}
# Dimensions whose values are codes of the shared vocabulary (a file's own codes are translated).
CODED = ("act", "level", "place_kind", "cip", "cluster", "sex", "race", "population", "measure", "indicator")
CIP_EDITIONS = ("2010", "2020")
PLACE_KINDS = ("state", "district", "institution", "school")
# Read as suppressed, never as zero, unless a mapping says otherwise (compared without case).
SUPPRESSED_MARKERS = ("*", "n<10", "<10", "n/a", "")
ACT_BY_YEAR = "by year"
KEYS = {
    "name",
    "state",
    "columns",
    "constants",
    "codes",
    "markers",
    "unpivot",
    "sheet",
    "years_from_sheets",
    "keep",
    "percent",
    "cip_edition",
}
ANY_OTHER = "*"  # in codes: the code for every value not listed


class MappingError(ValueError):
    """A mapping that cannot be used; `problems` lists each one as "where: what"."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Unpivot:
    """A wide layout: every column matching `columns` (a glob) becomes one fact, the column's name
    (less `strip`) going to the field `into` and the cell to `value`."""

    columns: str
    into: str
    strip: str = ""

    def matches(self, column: str) -> bool:
        return fnmatch.fnmatchcase(column, self.columns)

    def name_value(self, column: str) -> str:
        return column[len(self.strip) :] if self.strip and column.startswith(self.strip) else column


@dataclass(frozen=True)
class Percent:
    """A file that gives a share and its denominator, not the count: value = share x denominator.

    `scale` is 100 when the share is written as a percentage (41.36 or 41.36%), 1 for a fraction.
    """

    column: str
    of: str
    scale: float = 100.0


@dataclass(frozen=True)
class MappingSpec:
    name: str
    state: str
    columns: dict[str, str]  # canonical field -> file column
    constants: dict[str, str]  # canonical field -> value for every row
    codes: dict[str, dict[str, str]]  # canonical field -> {file code: canonical code}
    suppressed: tuple[str, ...] = SUPPRESSED_MARKERS
    missing: tuple[str, ...] = ()
    unpivot: Unpivot | None = None
    sheet: str = ""
    years_from_sheets: bool = False
    keep: dict[str, tuple[str, ...]] = field(default_factory=dict)  # file column -> values of rows kept
    percent: Percent | None = None
    cip_edition: str = "2020"  # the edition of the file's CIP codes; stored as CIP 2020
    text: str = field(default="", compare=False)

    @classmethod
    def parse(cls, text: str) -> "MappingSpec":
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f"line {mark.line + 1}" if mark else "mapping"
            raise MappingError([f"{where}: not valid YAML ({getattr(exc, 'problem', exc)})"]) from exc
        if not isinstance(data, dict):
            raise MappingError(["mapping: expected keys such as name, state, columns"])
        problems: list[str] = []
        for key in sorted(set(data) - KEYS):
            problems.append(f"{key}: unknown key (known: {', '.join(sorted(KEYS))})")
        name = _text(data.get("name"), "name", problems, required=True)
        state = _text(data.get("state"), "state", problems, required=True).upper()
        if state and not re.fullmatch(r"[A-Z]{2}", state):
            problems.append(f"state: {state!r} is not a two-letter state code")
        columns = _str_dict(data.get("columns"), "columns", problems)
        constants = _str_dict(data.get("constants"), "constants", problems)
        codes: dict[str, dict[str, str]] = {}
        for field_name, table in (data.get("codes") or {}).items():
            if field_name not in CODED:
                problems.append(f"codes.{field_name}: only these fields have codes: {', '.join(CODED)}")
                continue
            codes[field_name] = {
                k.strip().casefold(): v for k, v in _str_dict(table, f"codes.{field_name}", problems).items()
            }
        markers = data.get("markers") or {}
        if not isinstance(markers, dict):
            problems.append("markers: expected 'suppressed' and/or 'missing' lists")
            markers = {}
        suppressed = _markers(markers.get("suppressed", list(SUPPRESSED_MARKERS)), "markers.suppressed", problems)
        missing = _markers(markers.get("missing", []), "markers.missing", problems)
        unpivot = None
        if data.get("unpivot") is not None:
            raw = data["unpivot"]
            if not isinstance(raw, dict) or not raw.get("columns") or not raw.get("into"):
                problems.append("unpivot: needs 'columns' (a pattern such as num_*) and 'into' (a field)")
            else:
                unpivot = Unpivot(columns=str(raw["columns"]), into=str(raw["into"]), strip=str(raw.get("strip", "")))
                if unpivot.into not in DIMENSIONS:
                    problems.append(f"unpivot.into: {unpivot.into!r} is not a field ({', '.join(DIMENSIONS)})")
        percent = None
        if data.get("percent") is not None:
            raw = data["percent"]
            if not isinstance(raw, dict) or not raw.get("column") or not raw.get("of"):
                problems.append("percent: needs 'column' (the share) and 'of' (the column of its denominator)")
            else:
                try:
                    scale = float(raw.get("scale", 100))
                except (TypeError, ValueError):
                    scale = 0
                if scale <= 0:
                    problems.append("percent.scale: 100 for percentages, 1 for fractions")
                percent = Percent(column=str(raw["column"]), of=str(raw["of"]), scale=scale or 100.0)
                if "value" in (data.get("columns") or {}):
                    problems.append("columns.value: with percent the values are the share times its denominator")
        cip_edition = str(data.get("cip_edition") or "2020")
        if cip_edition not in CIP_EDITIONS:
            problems.append(f"cip_edition: {cip_edition!r}: use 2010 or 2020")
        keep: dict[str, tuple[str, ...]] = {}
        raw_keep = data.get("keep") or {}
        if not isinstance(raw_keep, dict):
            problems.append("keep: expected 'column: value' lines (rows whose column holds the value are read)")
        else:
            for column, values in raw_keep.items():
                listed = values if isinstance(values, list) else [values]
                keep[str(column)] = tuple(str(v).strip() for v in listed)
        for where, names in (("columns", columns), ("constants", constants)):
            for name_ in names:
                if name_ not in FIELDS:
                    problems.append(f"{where}.{name_}: not a field (fields: {', '.join(FIELDS)})")
        for name_ in set(columns) & set(constants):
            problems.append(f"constants.{name_}: also read from column {columns[name_]!r}; keep one")
        given = set(columns) | set(constants) | ({unpivot.into, "value"} if unpivot else set())
        if data.get("percent"):
            given.add("value")
        if unpivot and "value" in columns:
            problems.append("columns.value: with unpivot the values come from the unpivoted columns")
        for required in ("year", "measure", "value"):
            if required not in given and not (required == "year" and data.get("years_from_sheets")):
                problems.append(f"columns.{required}: required (a column, a constant or unpivot)")
        if "level" not in given:
            problems.append("constants.level: required (secondary or postsecondary)")
        act = constants.get("act", ACT_BY_YEAR)
        if act not in (ACT_BY_YEAR, *vocabulary.ACTS) and "act" not in columns:
            problems.append(f"constants.act: {act!r}: use IV, V or '{ACT_BY_YEAR}'")
        place_kind = constants.get("place_kind", "state")
        if place_kind not in PLACE_KINDS:
            problems.append(f"constants.place_kind: {place_kind!r}: use one of {', '.join(PLACE_KINDS)}")
        if place_kind != "state" and "place" not in given:
            problems.append(f"columns.place: required when places are {place_kind}s")
        if problems:
            raise MappingError(problems)
        return cls(
            name=name,
            state=state,
            columns=columns,
            constants=constants,
            codes=codes,
            suppressed=suppressed,
            missing=missing,
            unpivot=unpivot,
            sheet=str(data.get("sheet") or ""),
            years_from_sheets=bool(data.get("years_from_sheets")),
            keep=keep,
            percent=percent,
            cip_edition=cip_edition,
            text=text,
        )

    def source_columns(self) -> set[str]:
        """The file columns the mapping reads by name (unpivoted columns aside)."""
        return set(self.columns.values())


def _text(value: Any, where: str, problems: list[str], *, required: bool = False) -> str:
    if value is None or value == "":
        if required:
            problems.append(f"{where}: required")
        return ""
    if not isinstance(value, str | int | float):
        problems.append(f"{where}: expected text")
        return ""
    return str(value).strip()


def _str_dict(value: Any, where: str, problems: list[str]) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        problems.append(f"{where}: expected 'key: value' lines")
        return {}
    result = {}
    for key, item in value.items():
        if isinstance(item, dict | list) or item is None:
            problems.append(f"{where}.{key}: expected one value")
            continue
        result[str(key).strip()] = str(item).strip()
    return result


def _markers(value: Any, where: str, problems: list[str]) -> tuple[str, ...]:
    if not isinstance(value, list):
        problems.append(f"{where}: expected a list such as ['*', '<10']")
        return ()
    return tuple("" if item is None else str(item).strip().casefold() for item in value)


# ---- SQL -------------------------------------------------------------------------------------


def ident(name: str) -> str:
    """A column name quoted for DuckDB, whatever characters the file used."""
    return '"' + name.replace('"', '""') + '"'


def literal(value: str | None) -> str:
    if value is None:
        return "NULL"
    return "'" + str(value).replace("'", "''") + "'"


def _in_list(values: tuple[str, ...]) -> str:
    return "(" + ", ".join(literal(v) for v in values) + ")" if values else "(NULL)"


def compile_mapped(spec: MappingSpec, source: str, file_columns: list[str]) -> str:
    """The SELECT giving, per fact, its file row and each field's raw text, before any checking.

    `source` is a relation with `_row` (the file's row number) and the file's columns, all text.
    """
    problems = [
        f"columns.{name}: the file has no column {column!r}"
        for name, column in spec.columns.items()
        if column not in file_columns
    ]
    if spec.percent:
        problems += [
            f"percent.{key}: the file has no column {column!r}"
            for key, column in (("column", spec.percent.column), ("of", spec.percent.of))
            if column not in file_columns
        ]
    unpivoted: list[str] = []
    if spec.unpivot:
        unpivoted = [c for c in file_columns if spec.unpivot.matches(c) and c not in spec.source_columns()]
        if not unpivoted:
            problems.append(f"unpivot.columns: no column of the file matches {spec.unpivot.columns!r}")
    if problems:
        raise MappingError(problems)
    selects = ["_row"]
    relation = source
    if spec.unpivot:
        names = ", ".join(ident(c) for c in unpivoted)
        # UNPIVOT leaves out NULL cells; blanks must reach the checks as blanks, so fill them first.
        filled = ", ".join(f"coalesce({ident(c)}, '') AS {ident(c)}" for c in unpivoted)
        # Every name and value in the SQL is quoted by ident() or literal().
        relation = f"(UNPIVOT (SELECT * REPLACE ({filled}) FROM {source}) ON {names} INTO NAME _column VALUE _cell)"  # noqa: S608
    for name in FIELDS:
        if spec.unpivot and name == spec.unpivot.into:
            strip = spec.unpivot.strip
            expr = f"CASE WHEN starts_with(_column, {literal(strip)}) THEN _column[{len(strip) + 1}:] ELSE _column END"
            selects.append(f"{expr} AS {name}_raw, _column AS {name}_col")
        elif spec.unpivot and name == "value":
            selects.append(f"trim(_cell) AS {name}_raw, _column AS {name}_col")
        elif spec.percent and name == "value":
            selects.append(f"{_percent_count(spec)} AS value_raw, {literal(spec.percent.column)} AS value_col")
        elif name == "year" and spec.years_from_sheets and "year" not in spec.columns:
            selects.append("trim(_sheet_year) AS year_raw, 'sheet' AS year_col")
        elif name in spec.columns:
            column = spec.columns[name]
            selects.append(f"trim({ident(column)}) AS {name}_raw, {literal(column)} AS {name}_col")
        elif name in spec.constants:
            selects.append(f"{literal(spec.constants[name])} AS {name}_raw, 'constants.{name}' AS {name}_col")
        elif name == "place":
            selects.append(f"{literal(spec.state)} AS {name}_raw, 'state' AS {name}_col")
        elif name == "act":
            selects.append(f"{literal(ACT_BY_YEAR)} AS {name}_raw, 'constants.act' AS {name}_col")
        else:
            selects.append(f"{literal(DEFAULTS.get(name, ''))} AS {name}_raw, NULL AS {name}_col")
    return f"SELECT {', '.join(selects)} FROM {relation}"  # noqa: S608 - quoted by ident() and literal()


def _percent_count(spec: MappingSpec) -> str:
    """The count a share and its denominator give, as text for the value checks: a marker in
    either cell stands for the figure; text that is not a number stays itself, to be rejected."""
    assert spec.percent is not None
    share, of = f"trim({ident(spec.percent.column)})", f"trim({ident(spec.percent.of)})"
    number = f"TRY_CAST(replace({share}, '%', '') AS DOUBLE)"
    total = f"TRY_CAST(replace({of}, ',', '') AS DOUBLE)"
    markers = _in_list(spec.suppressed + spec.missing)
    return (
        f"CASE WHEN lower(coalesce({share}, '')) IN {markers} THEN coalesce({share}, '') "
        f"WHEN lower(coalesce({of}, '')) IN {markers} THEN coalesce({of}, '') "
        f"WHEN {number} IS NULL THEN {share} WHEN {total} IS NULL THEN {of} "
        f"ELSE CAST(CAST(round({number} / {spec.percent.scale} * {total}) AS BIGINT) AS VARCHAR) END"
    )


def _cip_2020(raw: str, edition: str) -> str | None:
    """A program's CIP 2020 code: '' for all programs; a CIP 2010 code through the official
    crosswalk when it leads to one 2020 code; None when unknown (or split in two)."""
    if not raw.strip():
        return ""
    code = cip.normalize_cip(raw)
    if code is None or code not in cip.cip_titles(edition):
        return None
    if edition == "2010":
        moved = cip.cip_2010_to_2020(code)
        return moved[0] if len(moved) == 1 else None
    return code


def code_for(spec: MappingSpec, field_name: str, raw: str | None) -> str | None:
    """The canonical code a file's raw value stands for, or None when it is unknown."""
    if raw is None:
        return None
    key = raw.strip().casefold()
    own = spec.codes.get(field_name, {})
    if key in own:
        return own[key]
    if ANY_OTHER in own and raw.strip():
        return own[ANY_OTHER]
    if field_name in DEFAULTS and raw == DEFAULTS[field_name]:
        return raw
    if field_name == "cip":
        return _cip_2020(raw, spec.cip_edition)
    if field_name == "place_kind":
        return raw.strip().casefold() if raw.strip().casefold() in PLACE_KINDS else None
    if field_name == "indicator":
        return raw.strip().upper() if any(raw.strip().upper() == code for _, code in vocabulary.INDICATORS) else None
    return vocabulary.resolve_alias(field_name, raw)


def problems_sql(spec: MappingSpec) -> tuple[str, str]:
    """Whether a fact has a problem, and the list of its {column, value, problem} (built only then).

    Reads the relation of mapped fields with their codes as `<field>_code`. Problems are codes,
    worded for the reader by reasons.problem_text.
    """
    checks = [
        ("year", "year IS NULL", "year"),
        ("value", "value_state = 'bad'", "number"),
        ("value", "value_state = 'negative'", "negative"),
        ("act", f"act_code IS NULL AND act_raw IS DISTINCT FROM {literal(ACT_BY_YEAR)}", "act"),
        ("place", "coalesce(place_raw, '') = '' AND place_kind_code IS DISTINCT FROM 'state'", "required"),
        ("indicator", "measure_code IN ('numerator', 'denominator') AND indicator_code = ''", "indicator_needed"),
        ("indicator", "indicator_code <> '' AND indicator_level IS DISTINCT FROM level_code", "indicator_era"),
    ]
    checks += [(name, f"{name}_code IS NULL", f"code:{name}") for name in CODED if name not in ("act", "indicator")]
    checks.append(("indicator", "indicator_code IS NULL", "code:indicator"))
    items = ", ".join(
        f"CASE WHEN {condition} THEN {{'column': coalesce({name}_col, {literal(name)}), "
        f"'value': coalesce({name}_raw, ''), 'problem': {literal(problem)}}} END"
        for name, condition, problem in checks
    )
    any_problem = " OR ".join(f"coalesce({condition}, false)" for _name, condition, _problem in checks)
    return any_problem, f"list_filter([{items}], lambda x: x IS NOT NULL)"


def value_state_sql(spec: MappingSpec) -> str:
    """'ok', 'suppressed', 'missing', 'bad' or 'negative' for the value cell `value_raw`."""
    key = "lower(coalesce(value_raw, ''))"
    digits = "replace(replace(value_raw, ',', ''), ' ', '')"
    return (
        f"CASE WHEN {key} IN {_in_list(spec.missing)} THEN 'missing' "
        f"WHEN {key} IN {_in_list(spec.suppressed)} THEN 'suppressed' "
        f"WHEN regexp_full_match({digits}, '[0-9]+') THEN 'ok' "
        f"WHEN regexp_full_match({digits}, '-[0-9]+') THEN 'negative' "
        "ELSE 'bad' END"
    )


def year_sql() -> str:
    """The year a school year ends in: '2018', '2017-18' and '2017-2018' all give 2018."""
    return (
        "CASE WHEN regexp_full_match(year_raw, '[0-9]{4}') THEN CAST(year_raw AS INTEGER) "
        "WHEN regexp_full_match(year_raw, '[0-9]{4} *[-/] *[0-9]{2}') "
        "THEN CAST(year_raw[1:4] AS INTEGER) + 1 "
        "WHEN regexp_full_match(year_raw, '[0-9]{4} *[-/] *[0-9]{4}') "
        "THEN CAST(right(year_raw, 4) AS INTEGER) END"
    )

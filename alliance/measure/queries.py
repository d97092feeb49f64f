"""The shared measures as Ibis expressions: the same query runs on DuckDB (the store), on PostgreSQL
(a state's own database, see federation) and on any engine Ibis speaks.

Every function takes the facts table and returns an expression (or its result as plain rows);
nothing here knows where the facts live or who may see them: selectors.py decides which datasets a
reader sees and disclosure.py what may be shown. Dimensions a query does not break down by are
held at their total ('all'), so no student is counted twice.
"""

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import ibis
from ibis import _

from alliance.measure import store

GROUP_FIELDS = ("sex", "race", "population", "cluster")
# Groups that split students into parts: a total may be summed over them when a file gives only
# the parts. Special populations overlap (a student may be in several), so never over those.
PARTITIONS = ("sex", "race", "cluster")
PLACE_ORDER = ("state", "district", "institution", "school")  # the first kind a state reports wins


@dataclass(frozen=True)
class Selection:
    """Which figures: a measure (or an indicator's parts), for states, years, a level, one group field."""

    measure: str  # "concentrators"..., or "rate" for an indicator
    level: str = "secondary"
    indicators: tuple[tuple[str, str], ...] = ()  # (act, code) pairs: one series across eras
    states: tuple[str, ...] = ()
    years: tuple[int, int] | None = None
    by: str = ""  # a GROUP_FIELDS name to break down by, or "" for all students
    place: str = ""  # a district or institution code to drill down to, or "" for the state
    cluster: str = ""  # one career cluster only (e.g. STEM for the STEM outcome measures), or "" for all


def selected(facts: ibis.Table, selection: Selection, *, datasets: Sequence[int] | None = None) -> ibis.Table:
    """The facts the selection reads, before any sum."""
    t = facts
    if datasets is not None:
        t = t.filter(t.dataset.isin(list(datasets)) if datasets else ibis.literal(False))
    t = t.filter(t.level == selection.level)
    if selection.states:
        t = t.filter(t.state.isin(list(selection.states)))
    if selection.years:
        t = t.filter(t.year.between(*selection.years))
    if selection.measure == "rate":
        wanted = [(t.act == act) & (t.indicator == code) for act, code in selection.indicators]
        t = t.filter(t.measure.isin(["numerator", "denominator"]))
        t = t.filter(ibis.or_(*wanted) if wanted else ibis.literal(False))
    else:
        t = t.filter((t.measure == selection.measure) & (t.indicator == ""))
    for name in GROUP_FIELDS:
        if name == "cluster" and selection.cluster:
            t = t.filter(t.cluster == selection.cluster)
        elif name == selection.by:
            t = t.filter(t[name] != "all")
        elif name not in PARTITIONS:
            t = t.filter(t[name] == "all")
    if selection.place:
        t = t.filter(t.place == selection.place)
    return t


def _summed(selection: Selection) -> list[str]:
    """The partitions a total may be summed over: all but the breakdown and a fixed cluster."""
    return [n for n in PARTITIONS if n != selection.by and not (n == "cluster" and selection.cluster)]


def totals(facts: ibis.Table, selection: Selection, *, datasets: Sequence[int] | None = None) -> ibis.Table:
    """Sums by state, year, act, place kind, group and part (the measure, or numerator/denominator),
    and by which partitions were summed over (`splits`, e.g. "cluster" when a file gives
    concentrators by cluster only): each (state, year, group, part) may come several ways, and
    `figures` keeps one.

    `value` sums the figures given; `hidden` counts the figures suppressed at the source (their
    sum is unknown, so a total that includes one is unknown too).
    """
    t = selected(facts, selection, datasets=datasets)
    group = t[selection.by] if selection.by else ibis.literal("all")
    splits = [ibis.ifelse(t[name] != "all", name, "") for name in _summed(selection)]
    return (
        t.mutate(group=group, part=t.measure, splits=ibis.literal(" ").join(splits) if splits else ibis.literal(""))
        .group_by(["state", "year", "act", "place_kind", "group", "part", "splits"])
        .aggregate(value=_.value.sum(), hidden=_.suppressed.ifelse(1, 0).sum(), figures=_.count())
        .order_by(["state", "year", "group", "part", "place_kind"])
    )


@dataclass(frozen=True)
class Figure:
    state: str
    year: int
    act: str
    group: str
    part: str
    value: int | None  # None when a figure it sums was suppressed at the source
    place_kind: str


def figures(facts: ibis.Table, selection: Selection, *, datasets: Sequence[int] | None = None) -> list[Figure]:
    """The totals as plain rows, one place kind per state and year: the state's own figure where it
    reported one, else the sum over its districts (or institutions), never both.

    On the store (DuckDB) the SQL of each selection is compiled once per process: building and
    compiling the Ibis expression costs more than running it.
    """
    return pick_place_kind(_rows(facts, totals, selection, datasets))


def _rows(facts: ibis.Table, query, selection: Selection, datasets: Sequence[int] | None) -> list[dict]:
    backend = facts.get_backend()
    if backend.name == "duckdb" and facts.get_name() == "facts":
        sql = _store_sql(query, selection, tuple(datasets) if datasets is not None else None)
        return backend.con.sql(sql).to_arrow_table().to_pylist()
    return query(facts, selection, datasets=datasets).to_pyarrow().to_pylist()


@functools.lru_cache(maxsize=1024)
def _store_sql(query, selection: Selection, datasets: tuple[int, ...] | None) -> str:
    expression = query(ibis.table(store.FACT_SCHEMA, name="facts"), selection, datasets=datasets)
    return str(ibis.to_sql(expression, dialect="duckdb"))


def pick_place_kind(rows: Iterable[dict]) -> list[Figure]:
    """One row per (state, year, group, part): the state's own figure over a sum of its places,
    and a figure given whole over a sum of its parts."""

    def rank(row: dict) -> tuple:
        return (len(row["splits"].split()), PLACE_ORDER.index(row["place_kind"]), row["splits"])

    best: dict[tuple, dict] = {}
    for row in rows:
        key = (row["state"], row["year"], row["group"], row["part"])
        current = best.get(key)
        if current is None or rank(row) < rank(current):
            best[key] = row
    return [
        Figure(
            state=row["state"],
            year=int(row["year"]),
            act=row["act"],
            group=row["group"],
            part=row["part"],
            value=None if row["hidden"] else int(row["value"] or 0),
            place_kind=row["place_kind"],
        )
        for key, row in sorted(best.items())
    ]


def place_sums(facts: ibis.Table, selection: Selection, *, datasets: Sequence[int] | None = None) -> ibis.Table:
    """Sums by district or institution, part and way of summing, within the selection."""
    t = selected(facts, selection, datasets=datasets)
    t = t.filter(t.place_kind != "state")
    splits = [ibis.ifelse(t[name] != "all", name, "") for name in _summed(selection)]
    return (
        t.mutate(part=t.measure, splits=ibis.literal(" ").join(splits) if splits else ibis.literal(""))
        .group_by(["place", "part", "splits"])
        .aggregate(value=_.value.sum(), hidden=_.suppressed.ifelse(1, 0).sum())
    )


def places(facts: ibis.Table, selection: Selection, *, datasets: Sequence[int] | None = None) -> list[dict]:
    """The drill-down: sums by district or institution, one way of summing per place as in `figures`."""
    rows = _rows(facts, place_sums, selection, datasets)
    best: dict[tuple, dict] = {}
    for row in rows:
        key = (row["place"], row["part"])
        if key not in best or (len(row["splits"].split()), row["splits"]) < (
            len(best[key]["splits"].split()),
            best[key]["splits"],
        ):
            best[key] = row
    return [best[key] for key in sorted(best)]

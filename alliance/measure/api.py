"""Shared measurement's API, mounted at /api/measure/: indicators, datasets, and each published
table exactly as the dashboard shows it. A suppressed cell carries its flag and its reason, never
its value: the tables come from the same published.py the pages use.

Open to visitors (public figures) as to members and tokens (figures shared with them).
"""

from datetime import datetime

from django.http import Http404
from ninja import Field, Path, Query, Router, Schema
from ninja.errors import ValidationError

from alliance.core import policy
from alliance.core.http import ApiRequest
from alliance.measure import dashboards, selectors, vocabulary
from alliance.measure.published import Shown, Table
from alliance.measure.series import Series
from alliance.measure.states import NAMES

router = Router(tags=["measure"])


class IndicatorOut(Schema):
    act: str = Field(description="Perkins IV or V: the same code means different things in each")
    code: str
    level: str
    name: str
    numerator: str
    denominator: str
    polarity: str
    comparable_to: list[str] = Field(description="Indicators of the other act a trend may continue with, 'IV 6S1'")


class DatasetOut(Schema):
    id: int
    state: str
    filename: str
    mapping: str
    checksum: str = Field(description="SHA-256 of the file as loaded")
    sharing: str
    loaded: datetime | None
    years: list[int]
    acts: list[str]
    rows_read: int
    rows_stored: int
    rows_rejected: int
    rows_left_out: int = Field(description="Rows the mapping does not read (its `keep:`)")


class CellOut(Schema):
    value: float | None = Field(description="The figure; null when suppressed (its value is never given)")
    text: str = Field(description="As the dashboard shows it: '1,234', '25.0%', '>95%', '*'")
    suppressed: bool
    reason: str = Field(description="'' or small, complementary, source, none, top_coded, bottom_coded")
    why: str = Field(description="The reason in words, in the request's language")


class RowOut(Schema):
    key: str
    label: str
    cells: list[CellOut]


class TableOut(Schema):
    series: str
    label: str
    rate: bool
    threshold: int = Field(description="Counts under this are suppressed")
    notes: list[str] = Field(description="Era breaks and comparability, as under the chart")
    columns: list[str]
    rows: list[RowOut]
    column_totals: list[CellOut]


class TableIn(Schema):
    series: str = Field("", max_length=40, description="A series key (see the dashboards' choices); default the first")
    by: str = Field("", pattern=r"^(|sex|race|population|cluster)$", description="A group to break down by")
    since: int | None = Field(None, ge=1990, le=2100)
    until: int | None = Field(None, ge=1990, le=2100)


@router.get("/indicators", response=list[IndicatorOut], summary="The Perkins IV and V core indicators")
def indicators(request: ApiRequest):
    policy.require(request.auth, "measure.dashboards.view")
    return [
        IndicatorOut(
            act=act,
            code=code,
            level=item.level,
            name=str(item.name),
            numerator=str(item.numerator),
            denominator=str(item.denominator),
            polarity=item.polarity,
            comparable_to=[f"{a} {c}" for a, c in item.comparable_to],
        )
        for (act, code), item in vocabulary.INDICATORS.items()
    ]


@router.get("/datasets", response=list[DatasetOut], summary="Loaded datasets you may see, with their metadata")
def datasets(request: ApiRequest):
    policy.require(request.auth, "measure.dashboards.view")
    return [
        DatasetOut(
            id=d.pk,
            state=d.state,
            filename=d.filename,
            mapping=d.mapping.name,
            checksum=d.checksum,
            sharing=d.sharing,
            loaded=d.finished,
            years=d.years,
            acts=d.acts,
            rows_read=d.rows_read,
            rows_stored=d.rows_stored,
            rows_rejected=d.rows_rejected,
            rows_left_out=d.rows_left_out,
        )
        for d in selectors.visible_datasets(request.auth).select_related("mapping").order_by("state", "pk")
    ]


def _series(request: ApiRequest, key: str) -> Series:
    available = dashboards.available_series(request.auth)
    if not key:
        if not available:
            raise Http404("no figures you may see")
        return available[0]
    found = next((s for s in available if s.key == key), None)
    if found is None:
        raise ValidationError([{"loc": ["query", "series"], "msg": "no such series with figures you may see"}])
    return found


def _years(query: TableIn) -> tuple[int, int] | None:
    if query.since is None and query.until is None:
        return None
    return (query.since or 1990, query.until or 2100)


def _cell(cell: Shown, threshold: int) -> CellOut:
    return CellOut(
        value=cell.value, text=cell.text, suppressed=cell.suppressed, reason=cell.reason, why=cell.why(threshold)
    )


def _table(board: dashboards.Dashboard) -> TableOut:
    table: Table = board.table
    return TableOut(
        series=board.series.key,
        label=board.series.label,
        rate=table.rate,
        threshold=table.threshold,
        notes=board.notes,
        columns=table.column_labels,
        rows=[
            RowOut(key=key, label=label, cells=[_cell(c, table.threshold) for c in cells])
            for (key, label), (_label, cells) in zip(table.row_keys_and_labels, table.rows(), strict=True)
        ],
        column_totals=[_cell(c, table.threshold) for c in table.column_totals],
    )


@router.get("/tables/national", response=TableOut, summary="Member states side by side, as the national dashboard")
def national_table(request: ApiRequest, query: Query[TableIn]):
    policy.require(request.auth, "measure.dashboards.view")
    return _table(dashboards.national(request.auth, _series(request, query.series), years=_years(query)))


@router.get("/tables/states/{state}", response=TableOut, summary="One state by group, as its dashboard")
def state_table(request: ApiRequest, query: Query[TableIn], state: str = Path(..., pattern=r"^[A-Za-z]{2}$")):
    policy.require(request.auth, "measure.dashboards.view")
    code = state.upper()
    if code not in NAMES:
        raise Http404("no such state")
    board = dashboards.state(request.auth, code, _series(request, query.series), by=query.by, years=_years(query))
    return _table(board)

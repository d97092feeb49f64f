"""Results-based indicators: an indicator's curve in a state (published figures only), its
baseline and targets, a forecast from the trend, and who is better or worse served.

The forecast continues the current Perkins era's trend only: a line fitted across the 2020 break
would mix two definitions.
"""

from dataclasses import dataclass, field

import numpy as np
from django.utils.translation import gettext as _

from alliance.measure import charts, dashboards, vocabulary
from alliance.measure.models import Indicator, Target, Worksheet
from alliance.measure.series import Series, series_named

FORECAST_YEARS = 3
MIN_POINTS = 3


@dataclass
class Gap:
    year: int
    group: str
    value: float
    text: str
    to_state: float | None  # percentage points from the state's rate (negative: behind)
    to_best: float | None  # percentage points from the best-served group's
    change: float | None  # percentage points since the era's first published year


@dataclass
class Curve:
    indicator: Indicator
    series: Series
    state: str
    points: list[tuple[int, float]]  # published values only
    targets: list[tuple[int, float]]
    forecast: list[tuple[int, float]]
    board: dashboards.Dashboard
    gaps: dict[str, list[Gap]] = field(default_factory=dict)  # by sex, by race
    worksheet: Worksheet | None = None

    @property
    def baseline(self) -> tuple[int, float] | None:
        year = self.indicator.baseline_year
        return next(((y, v) for y, v in self.points if y == year), None)

    @property
    def latest(self) -> tuple[int, float] | None:
        return self.points[-1] if self.points else None

    @property
    def on_track(self) -> bool | None:
        """Whether the forecast reaches the next target (None without both)."""
        latest = self.latest
        upcoming = [t for t in self.targets if latest and t[0] > latest[0]]
        if not upcoming or not self.forecast:
            return None
        year, goal = upcoming[0]
        projected = dict(self.forecast).get(year)
        if projected is None:
            return None
        better = projected >= goal if self.indicator.polarity == Indicator.Polarity.HIGHER else projected <= goal
        return better

    @property
    def chart_svg(self) -> str:
        return charts.svg(self.chart_spec())

    def chart_spec(self) -> dict:
        years = [y for y, _ in self.points] + [y for y, _ in self.targets] + [y for y, _ in self.forecast]
        era_break = bool(years) and min(years) < vocabulary.FIRST_PERKINS_V_YEAR <= max(years)
        return charts.indicator_spec(
            points=self.points,
            targets=self.targets,
            forecast=self.forecast,
            rate=self.series.is_rate,
            title=str(self.indicator),
            era_break=era_break,
        )


def forecast(points: list[tuple[int, float]], *, rate: bool, until: int | None = None) -> list[tuple[int, float]]:
    """A straight line through the current era's published points, continued to `until` (or three
    years on), starting from the last point. Empty with fewer than three points in the era."""
    if not points:
        return []
    last_year = points[-1][0]
    era_start = vocabulary.FIRST_PERKINS_V_YEAR if last_year >= vocabulary.FIRST_PERKINS_V_YEAR else 0
    era = [(y, v) for y, v in points if y >= era_start]
    if len(era) < MIN_POINTS:
        return []
    slope, intercept = np.polyfit([y for y, _ in era], [v for _, v in era], 1)
    end = max(until or 0, last_year + FORECAST_YEARS)
    line = [(last_year, points[-1][1])]
    for year in range(last_year + 1, end + 1):
        value = float(slope * year + intercept)
        line.append((year, min(max(value, 0.0), 1.0) if rate else max(value, 0.0)))
    return line


def curve(user, indicator: Indicator, state: str) -> Curve:
    series = series_named(indicator.series)
    if series is None:
        raise ValueError(f"indicator {indicator.pk} reads an unknown series {indicator.series!r}")
    board = dashboards.state(user, state, series)
    points = []
    if board.table.rows():
        _label, cells = board.table.rows()[0]
        points = [
            (int(y), float(c.value))
            for y, c in zip(board.table.column_labels, cells, strict=True)
            if c.value is not None
        ]
    targets = [(t.year, t.value) for t in Target.objects.filter(indicator=indicator, state=state).order_by("year")]
    until = max((y for y, _ in targets), default=None)
    found = Curve(
        indicator=indicator,
        series=series,
        state=state,
        points=points,
        targets=targets,
        forecast=forecast(points, rate=series.is_rate, until=until),
        board=board,
        worksheet=Worksheet.objects.filter(indicator=indicator, state=state).first(),
    )
    if series.is_rate:
        state_rate = dict(points)
        for by in ("sex", "race"):
            found.gaps[by] = gaps(dashboards.state(user, state, series, by=by), state_rate, by)
    return found


def gaps(board: dashboards.Dashboard, state_rate: dict[int, float], by: str) -> list[Gap]:
    """Each group's rate in the latest year with published group rates, against the state's rate
    and the best-served group's, and its change since the era's first published year."""
    table = board.table
    years = [int(y) for y in table.column_labels]
    for index in range(len(years) - 1, -1, -1):
        shown = [(label, cells[index]) for label, cells in table.rows() if cells[index].value is not None]
        if len(shown) >= 2:
            break
    else:
        return []
    year = years[index]
    era_start = vocabulary.FIRST_PERKINS_V_YEAR if year >= vocabulary.FIRST_PERKINS_V_YEAR else 0
    best = max(float(cell.value) for _, cell in shown)  # type: ignore[arg-type]
    found = []
    for label, cells in table.rows():
        cell = cells[index]
        if cell.value is None:
            continue
        value = float(cell.value)
        first = next(
            (float(c.value) for y, c in zip(years, cells, strict=True) if y >= era_start and c.value is not None), None
        )
        found.append(
            Gap(
                year=year,
                group=label,
                value=value,
                text=cell.text,
                to_state=100 * (value - state_rate[year]) if year in state_rate else None,
                to_best=100 * (value - best),
                change=100 * (value - first) if first is not None else None,
            )
        )
    return sorted(found, key=lambda gap: gap.value)


def indicator_list() -> list[Indicator]:
    return list(Indicator.objects.all())


def no_data_note() -> str:
    return _("No published figures for this state yet.")

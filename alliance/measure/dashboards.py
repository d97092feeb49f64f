"""What a dashboard shows: the reader's series, states, years and group turned into published
tables and charts. Views call `national` or `state`; the API and exports read the same tables."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from alliance.measure import charts, federation, published, queries, selectors, store, vocabulary
from alliance.measure.published import Table
from alliance.measure.series import Series
from alliance.measure.states import state_name


@dataclass
class Dashboard:
    series: Series
    table: Table
    years: list[int]
    chart_spec: dict | None
    notes: list[str] = field(default_factory=list)
    places: Table | None = None
    place_year: int | None = None

    @property
    def chart_svg(self) -> str:
        return charts.svg(self.chart_spec) if self.chart_spec else ""


def _selection(series: Series, *, states=(), years=None, by="", place="") -> queries.Selection:
    return queries.Selection(
        measure=series.measure,
        level=series.level,
        indicators=series.indicators,
        states=tuple(states),
        years=years,
        by="" if by == "cluster" and series.cluster else by,
        place=place,
        cluster=series.cluster,
    )


def _table(
    series: Series,
    values: list[queries.Figure],
    rows: list[str],
    years: list[int],
    *,
    key,
    threshold,
    labels: list[str],
    totals: bool,
) -> Table:
    columns = [str(y) for y in years]
    if series.is_rate:
        return published.rate_table(
            key(values, "numerator"),
            key(values, "denominator"),
            rows,
            columns,
            threshold=threshold,
            row_labels=labels,
        )
    return published.count_table(
        key(values, series.measure), rows, columns, threshold=threshold, totals=totals, row_labels=labels
    )


def _notes(series: Series, years: list[int]) -> list[str]:
    notes = []
    if years and min(years) < vocabulary.FIRST_PERKINS_V_YEAR <= max(years):
        notes.append(_("Years before 2020 were reported under Perkins IV, from 2020 under Perkins V."))
        if series.note:
            notes.append(series.note)
        elif not series.is_rate:
            notes.append(_("States redefined who counts as a participant, concentrator or completer for Perkins V."))
    return notes


def national(user, series: Series, *, years: tuple[int, int] | None = None) -> Dashboard:
    """Member states side by side, one line per state."""
    facts, visible = selectors.visible_facts(user)
    selection = _selection(series, years=years)
    figures = queries.figures(facts, selection, datasets=visible)
    unreachable = _add_federated(user, selection, figures)
    states = sorted({f.state for f in figures})
    all_years = sorted({f.year for f in figures})
    threshold = published.threshold_for(states)
    table = _table(
        series,
        figures,
        states,
        all_years,
        key=published.by_state_and_year,
        threshold=threshold,
        labels=[state_name(s) for s in states],
        totals=False,
    )
    board = _dashboard(series, table, all_years, title=series.label)
    board.notes += unreachable
    return board


def _add_federated(user, selection: queries.Selection, figures: list[queries.Figure]) -> list[str]:
    """Add the figures states compute in their own databases; notes for those out of reach."""
    notes = []
    try:
        figures += federation.federated_figures(user, selection, skip_states={f.state for f in figures})
    except federation.FederationError as exc:
        notes.append(
            _("A state's own database could not be reached, so its figures are missing: %(why)s") % {"why": exc}
        )
    return notes


def state(user, state_code: str, series: Series, *, by: str = "", years: tuple[int, int] | None = None) -> Dashboard:
    """One state: a line per group (or all students), and its districts or institutions."""
    facts, visible = selectors.visible_facts(user)
    selection = _selection(series, states=[state_code], years=years, by=by)
    figures = queries.figures(facts, selection, datasets=visible)
    unreachable = _add_federated(user, selection, figures)
    groups = sorted({f.group for f in figures})
    all_years = sorted({f.year for f in figures})
    threshold = published.threshold_for([state_code])
    labels = [vocabulary.label(by, g) if by else _("All students") for g in groups]
    table = _table(
        series,
        figures,
        groups,
        all_years,
        key=published.by_group_and_year,
        threshold=threshold,
        labels=labels,
        totals=bool(by) and not series.is_rate,
    )
    board = _dashboard(series, table, all_years, title=f"{state_name(state_code)}: {series.label}")
    board.notes += unreachable
    if all_years and not by:
        board.place_year = all_years[-1]
        board.places = _places(facts, visible, series, state_code, board.place_year, threshold)
    return board


def _places(facts, visible, series: Series, state_code: str, year: int, threshold: int) -> Table | None:
    """The latest year's figures by district or institution: small places' figures are suppressed."""
    selection = _selection(series, states=[state_code], years=(year, year))
    rows = queries.places(facts, selection, datasets=visible)
    if not rows:
        return None
    values: dict[str, dict[tuple[str, str], int | None]] = {}
    for row in rows:
        part = row["part"]
        values.setdefault(part, {})[(row["place"], str(year))] = None if row["hidden"] else int(row["value"] or 0)
    places = sorted({row["place"] for row in rows})
    columns = [str(year)]
    if series.is_rate:
        return published.rate_table(
            values.get("numerator", {}), values.get("denominator", {}), places, columns, threshold=threshold
        )
    return published.count_table(values.get(series.measure, {}), places, columns, threshold=threshold)


def _dashboard(series: Series, table: Table, years: list[int], *, title: str) -> Dashboard:
    era_break = bool(years) and min(years) < vocabulary.FIRST_PERKINS_V_YEAR <= max(years)
    y_title = _("Rate") if series.is_rate else _("Students")
    spec = charts.trend_spec(table, title=title, y_title=y_title, era_break=era_break) if years else None
    return Dashboard(series=series, table=table, years=years, chart_spec=spec, notes=_notes(series, years))


def available_series(user) -> list[Series]:
    """The series some dataset the reader sees has figures for (each store file's contents are
    read once per process: files never change)."""
    from alliance.measure.series import all_series

    present: set[tuple] = set()
    for name in selectors.visible_datasets(user).values_list("store_file", flat=True):
        present |= store.contents(name)
    found = []
    for series in all_series():
        if series.is_rate:
            if any((series.level, "denominator", act, code) in present for act, code in series.indicators):
                found.append(series)
        elif any(level == series.level and measure == series.measure for level, measure, _a, _i in present):
            found.append(series)
    return found

"""What may be shown of a table of student counts, and of a rate, without disclosing a small group.

A table is published whole: its cells, row totals, column totals and grand total. A count under
the threshold (10 by default) identifies students, so `protect` suppresses it ("small"), then
suppresses more cells ("complementary") until nobody can work a hidden count out from what is
shown, not even to within the threshold: every hidden count must keep a feasible range at least
`threshold` wide. Zeros are shown (a true zero discloses nobody), and count as equations in the
check like every other figure shown.

The check is the attack an outsider would run (`attack`): every published figure is an equation
over the hidden non-negative counts, and each hidden count is minimised and maximised subject to
them. Written as linear programs that is two solves per hidden cell: 5 s for the 500 hidden cells
of a typical 60 x 50 table (bench/measure_attack.py), and `protect` attacks again after each cell
it adds. A two-way table with margins has more structure: negate the totals and every row and
column of the extended (rows + 1) x (columns + 1) table sums to zero. The ways the hidden counts can
move together are then exactly the circulations on the bipartite graph whose nodes are those rows
and columns and whose edges are the hidden cells, and how far one hidden count can rise or fall is
a maximum flow between its row and its column. That bound is the linear program's optimum, exact
and whole, at a fortieth of the cost. The tests and the benchmark check it against linprog.

Positions are in the extended table: row `len(cells)` holds the column totals and column
`len(cells[0])` the row totals, so `table.grid[row][column]` is the cell at any position.

Reason codes are returned, not sentences: the caller words them in the reader's language ("fewer
than 10" for SMALL with the table's threshold).
"""

import heapq
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import csr_array
from scipy.sparse.csgraph import maximum_flow

SMALL = "small"
COMPLEMENTARY = "complementary"
TOP_CODED = "top_coded"
BOTTOM_CODED = "bottom_coded"

# scipy's maximum flow keeps capacities as 32-bit integers; "unbounded" is a capacity above every
# finite cut, so the hidden counts of one table must total less than this.
_LARGEST_CAPACITY = 2**31 - 1

Position = tuple[int, int]
_UNBOUNDED = np.iinfo(np.int64).max


@dataclass(frozen=True, slots=True)
class Cell:
    """One figure of a published table. A suppressed cell keeps no value, only the range an
    attacker can narrow it to: `low` and `high` (None when nothing bounds it from above)."""

    value: int | None
    suppressed: bool = False
    reason: str = ""
    low: int | None = None
    high: int | None = None


class CellRange(NamedTuple):
    row: int
    column: int
    low: int
    high: int | None


@dataclass(frozen=True)
class ProtectedTable:
    cells: list[list[Cell]]
    row_totals: list[Cell]
    column_totals: list[Cell]
    grand_total: Cell
    threshold: int
    row_labels: tuple[str, ...] | None = None
    column_labels: tuple[str, ...] | None = None

    @property
    def grid(self) -> list[list[Cell]]:
        """The extended table: each row with its total last, then the column totals and the grand total."""
        rows = [[*row, total] for row, total in zip(self.cells, self.row_totals, strict=True)]
        return [*rows, [*self.column_totals, self.grand_total]]

    def published(self) -> list[list[int | None]]:
        """The extended table as shown: None where a figure is suppressed."""
        return [[cell.value for cell in row] for row in self.grid]

    @property
    def suppressed(self) -> list[Position]:
        return [(r, c) for r, row in enumerate(self.grid) for c, cell in enumerate(row) if cell.suppressed]


def protect(
    counts: Sequence[Sequence[int]] | np.ndarray,
    *,
    threshold: int = 10,
    row_labels: Sequence[str] | None = None,
    column_labels: Sequence[str] | None = None,
) -> ProtectedTable:
    """Suppress what must be hidden in `counts` (rows x columns of non-negative whole numbers) and
    its totals so that no hidden figure can be narrowed to a range under `threshold` wide.

    The same counts always give the same pattern: every choice is by value, then by position.
    Raises ValueError for counts that are not a non-empty table of non-negative whole numbers, or
    whose hidden figures total 2**31 or more.
    """
    values = _extended(counts)
    if threshold < 1:
        raise ValueError("the threshold must be at least 1")
    rows, columns = values.shape[0] - 1, values.shape[1] - 1
    for labels, size, name in ((row_labels, rows, "row"), (column_labels, columns, "column")):
        if labels is not None and len(labels) != size:
            raise ValueError(f"{len(labels)} {name} labels for {size} {name}s")
    hidden = (values > 0) & (values < threshold)
    reasons = {position: SMALL for position in _positions(hidden)}
    reasons.update(dict.fromkeys(_close_lonely_lines(values, hidden), COMPLEMENTARY))

    # Hiding one more figure only widens every range, so a figure found wide stays wide, and a
    # width once measured is a lower bound ever after. The heap holds those bounds: when the
    # figure on top measures no wider than the next bound, it is the weakest.
    attacker = _Attacker(values, hidden)
    heap: list[tuple[float, Position]] = [(0, position) for position in _positions(hidden)]
    while heap and heap[0][0] < threshold:
        _bound, position = heapq.heappop(heap)
        width = attacker.width(position)
        if width >= threshold:
            continue
        if heap and (width, position) > heap[0]:
            heapq.heappush(heap, (width, position))
            continue
        complement = _complement(values, hidden, position)
        hidden[complement] = True
        added = [complement, *_close_lonely_lines(values, hidden)]
        reasons.update(dict.fromkeys(added, COMPLEMENTARY))
        attacker.refresh()
        heapq.heappush(heap, (width, position))
        for new in added:
            heapq.heappush(heap, (0, new))

    ranges = {position: attacker.range(position) for position in _positions(hidden)}
    return _table(values, hidden, reasons, ranges, threshold, row_labels, column_labels)


def attack(table: ProtectedTable) -> list[CellRange]:
    """The narrowest range an outsider can give each suppressed figure of `table`, from what it
    shows alone, in row-major order of the extended table.

    One linprog(method="highs") solve finds a table consistent with what is shown; the ranges are
    then maximum flows around it. Raises ValueError when no table of non-negative counts has
    the published figures.
    """
    grid = table.grid
    if not any(cell.suppressed for row in grid for cell in row):
        return []
    hidden = np.array([[cell.suppressed for cell in row] for row in grid], dtype=bool)
    shown = np.array([[cell.value or 0 for cell in row] for row in grid], dtype=np.int64)
    values = _consistent_table(shown, hidden)
    attacker = _Attacker(values, hidden)
    return [CellRange(r, c, *attacker.range((r, c))) for r, c in _positions(hidden)]


@dataclass(frozen=True, slots=True)
class PublishedRate:
    """A rate as it may be shown: `value` is the rate (0..1), or the coding bound when top- or
    bottom-coded, or None when suppressed; `text` is what a table shows."""

    value: float | None
    text: str
    suppressed: bool
    reason: str  # "" | SMALL | TOP_CODED | BOTTOM_CODED

    @property
    def coded(self) -> bool:
        return self.reason in (TOP_CODED, BOTTOM_CODED)


# Top- and bottom-coding as state report cards do it (and NCES SLDS Technical Brief 3 recommends):
# in a group under 300 students a rate above 95% shows as ">95%" and one below 5% as "<5%"; in a
# larger group the bounds are 99% and 1%.
LARGE_GROUP = 300
SMALL_GROUP_BOUND = 5
LARGE_GROUP_BOUND = 1


def code_rate(numerator: int, denominator: int, *, threshold: int = 10) -> PublishedRate:
    """The rate numerator / denominator as it may be published beside its denominator.

    - Fewer than `threshold` students in the group (denominator): suppressed, reason SMALL.
    - The bound is 5% under LARGE_GROUP students and 1% from it, widened to the smallest whole
      percent of the group that holds `threshold` students, because with the denominator shown a
      rate reveals its numerator: a shown rate never means fewer than `threshold` students on
      either side. Below the bound: "<b%" (BOTTOM_CODED); above 100 - b: ">(100-b)%" (TOP_CODED).
    - A group under twice the threshold has fewer than `threshold` students on one side whatever
      the rate, so its rate is suppressed too, reason SMALL.
    Otherwise the rate is shown to one decimal. Raises ValueError for impossible counts.
    """
    if not 0 <= numerator <= denominator:
        raise ValueError(f"{numerator} of {denominator} is not a rate")
    if denominator == 0 or denominator < threshold:
        return PublishedRate(None, "*", True, SMALL)
    bound = SMALL_GROUP_BOUND if denominator < LARGE_GROUP else LARGE_GROUP_BOUND
    bound = max(bound, -(-100 * threshold // denominator))
    if bound > 50:
        return PublishedRate(None, "*", True, SMALL)
    if 100 * numerator < bound * denominator:
        return PublishedRate(bound / 100, f"<{bound}%", False, BOTTOM_CODED)
    if 100 * numerator > (100 - bound) * denominator:
        return PublishedRate((100 - bound) / 100, f">{100 - bound}%", False, TOP_CODED)
    rate = numerator / denominator
    return PublishedRate(rate, f"{100 * rate:.1f}%", False, "")


def _extended(counts: Sequence[Sequence[int]] | np.ndarray) -> np.ndarray:
    """The counts with a column of row totals and a row of column totals and the grand total."""
    try:
        table = np.asarray(counts)
    except ValueError as error:  # ragged rows
        raise ValueError("counts must be a table: every row as long as the others") from error
    if table.ndim != 2 or 0 in table.shape:
        raise ValueError("counts must be a table of at least one row and one column")
    whole_floats = table.dtype.kind == "f" and np.isfinite(table).all() and (table == np.round(table)).all()
    if table.dtype.kind not in "iu" and not whole_floats:
        raise ValueError("counts must be whole numbers")
    table = table.astype(np.int64)
    if (table < 0).any():
        raise ValueError("counts cannot be negative")
    values = np.zeros((table.shape[0] + 1, table.shape[1] + 1), dtype=np.int64)
    values[:-1, :-1] = table
    values[:-1, -1] = table.sum(axis=1)
    values[-1, :-1] = table.sum(axis=0)
    values[-1, -1] = table.sum()
    return values


def _positions(hidden: np.ndarray) -> list[Position]:
    return [(int(r), int(c)) for r, c in zip(*np.nonzero(hidden), strict=True)]


def _close_lonely_lines(values: np.ndarray, hidden: np.ndarray) -> list[Position]:
    """Hide, in every row and column of the extended table with exactly one hidden figure (which
    its total, or the other figures, would give away), the smallest positive figure shown there.
    Returns the positions hidden, in the order they were."""
    added: list[Position] = []
    in_row, in_column = hidden.sum(axis=1), hidden.sum(axis=0)
    lines = [(True, r) for r in range(values.shape[0])] + [(False, c) for c in range(values.shape[1])]
    changed = True
    while changed:
        changed = False
        for is_row, k in lines:
            if (in_row[k] if is_row else in_column[k]) != 1:
                continue
            line_hidden, line_values = (hidden[k], values[k]) if is_row else (hidden[:, k], values[:, k])
            candidates = np.where(~line_hidden & (line_values > 0), line_values, _UNBOUNDED)
            index = int(np.argmin(candidates))  # the first of equal values: the same data, the same choice
            if candidates[index] == _UNBOUNDED:
                continue  # unreachable: a hidden figure is positive, so its line holds another
            row, column = (k, index) if is_row else (index, k)
            hidden[row, column] = True
            in_row[row] += 1
            in_column[column] += 1
            added.append((row, column))
            changed = True
    return added


def _complement(values: np.ndarray, hidden: np.ndarray, weakest: Position) -> Position:
    """The next figure to hide for the `weakest`: the smallest positive figure shown in its row or
    column, else the smallest positive total shown, else any positive figure shown."""
    shown = ~hidden & (values > 0)
    row, column = weakest
    near = np.zeros_like(shown)
    near[row, :] = near[:, column] = True
    totals = np.zeros_like(shown)
    totals[-1, :] = totals[:, -1] = True
    for pool in (near, totals, np.ones_like(shown)):
        choices = [(int(values[p]), p) for p in _positions(shown & pool)]
        if choices:
            return min(choices)[1]
    raise RuntimeError("every positive figure is hidden and a range is still narrow")  # unreachable


class _Attacker:
    """How far each hidden figure can rise and fall, given the true `values` (or any table that
    has the published figures).

    Each hidden figure is an edge between the node of its row and the node of its column in the
    extended table; the hidden figures can move together by any circulation on that graph that
    keeps them non-negative. An interior count (or the grand total) may rise without limit along
    its edge and fall by its value; a row or column total sits in the extended table negated, so
    its edge runs the other way. How far a figure can rise is the largest flow back from one end
    of its edge to the other through the rest of the graph; how far it can fall, the same the
    other way round, up to its value.

    A maximum flow costs about 0.3 ms, nearly all of it scipy's bookkeeping, so flows are run only
    where the bounds already known do not settle a figure: upper bounds from the cut around
    either end of its edge, lower bounds from the circulations every flow run finds, which move
    many other figures as well.
    """

    def __init__(self, values: np.ndarray, hidden: np.ndarray):
        self.values = values
        self.hidden = hidden  # shared with the caller, who hides more figures in it
        # Lower bounds, by position in the extended table: they hold as more figures are hidden.
        self.rise_low = np.zeros_like(values)
        self.fall_low = np.zeros_like(values)
        self._build()

    def refresh(self) -> None:
        """Take in the figures hidden since: the graph and the bounds from cuts change."""
        self._build()

    def _build(self) -> None:
        height, width = self.values.shape
        self.positions = _positions(self.hidden)
        self.index = {position: i for i, position in enumerate(self.positions)}
        rows, columns = np.nonzero(self.hidden)
        self.counts = counts = self.values[rows, columns]
        # A capacity above every cut made of finite arcs only stands for "without limit".
        self.unbounded = unbounded = int(counts.sum()) + 1
        if unbounded > _LARGEST_CAPACITY:
            raise ValueError("the hidden counts of a table must total under 2**31")
        self.is_total = is_total = (rows == height - 1) ^ (columns == width - 1)
        self.row_nodes, self.column_nodes = rows, height + columns
        to_column = np.where(is_total, counts, unbounded)
        to_row = np.where(is_total, unbounded, counts)
        size = height + width
        sources = np.concatenate([self.row_nodes, self.column_nodes])
        sinks = np.concatenate([self.column_nodes, self.row_nodes])
        capacities = np.concatenate([to_column, to_row])
        self.graph = csr_array((capacities.astype(np.int32), (sources, sinks)), shape=(size, size))
        # A figure rises by a flow from `rise_from` to `rise_to` around its own edge.
        self.rise_from = np.where(is_total, self.row_nodes, self.column_nodes)
        self.rise_to = np.where(is_total, self.column_nodes, self.row_nodes)
        out_of = np.bincount(sources, weights=capacities, minlength=size).astype(np.int64)
        into = np.bincount(sinks, weights=capacities, minlength=size).astype(np.int64)
        self.rise_high = np.minimum(out_of[self.rise_from], into[self.rise_to]) - counts
        self.fall_high = np.minimum(counts, np.minimum(out_of[self.rise_to], into[self.rise_from]) - unbounded)

    def range(self, position: Position) -> tuple[int, int | None]:
        value = int(self.values[position])
        rise, fall = self._rise(position), self._fall(position)
        return value - fall, None if rise == _UNBOUNDED else value + rise

    def width(self, position: Position) -> float:
        rise = self._rise(position)
        return float("inf") if rise == _UNBOUNDED else rise + self._fall(position)

    def _rise(self, position: Position) -> int:
        i = self.index[position]
        known = int(self.rise_low[position])
        if known == _UNBOUNDED or known >= self.rise_high[i]:
            return known
        flow = maximum_flow(self.graph, int(self.rise_from[i]), int(self.rise_to[i]))
        rise = int(flow.flow_value) - int(self.counts[i])  # less the figure's own arc, in every cut
        rise = _UNBOUNDED if rise >= self.unbounded else rise
        self._learn(flow.flow, i, 1)
        self.rise_low[position] = rise
        return rise

    def _fall(self, position: Position) -> int:
        i = self.index[position]
        known = int(self.fall_low[position])
        if known >= self.fall_high[i]:
            return known
        flow = maximum_flow(self.graph, int(self.rise_to[i]), int(self.rise_from[i]))
        fall = min(int(self.counts[i]), int(flow.flow_value) - self.unbounded)
        if fall > 0:
            self._learn(flow.flow, i, fall / (int(flow.flow_value) - self.unbounded))
        self.fall_low[position] = fall
        return fall

    def _learn(self, flow: csr_array, moved: int, scale: float) -> None:
        """Raise the lower bounds of every figure `flow` moves: with `moved`'s own edge carrying it
        back, it is a circulation (scaled down by `scale` when it went further than the figure
        can fall, floored because the true bounds are whole)."""
        through = flow.toarray()[self.row_nodes, self.column_nodes]
        through[moved] = 0
        change = np.where(self.is_total, -through, through)
        rises = np.floor(np.maximum(change, 0) * scale).astype(np.int64)
        rises[rises >= self.unbounded] = _UNBOUNDED
        falls = np.floor(np.maximum(-change, 0) * scale).astype(np.int64)
        cells = (self.row_nodes, self.column_nodes - self.values.shape[0])
        self.rise_low[cells] = np.maximum(self.rise_low[cells], rises)
        self.fall_low[cells] = np.maximum(self.fall_low[cells], falls)


def _consistent_table(shown: np.ndarray, hidden: np.ndarray) -> np.ndarray:
    """`shown` with its hidden figures filled in by non-negative counts that make every total add up.

    The equations of a two-way table are totally unimodular, so the vertex HiGHS returns is whole.
    """
    positions = _positions(hidden)
    if not positions:
        return shown.copy()
    height, width = shown.shape
    sign = -np.ones_like(shown)  # each row and column of the extended table, totals negated, sums to 0
    sign[:-1, :-1] = 1
    sign[-1, -1] = 1
    signed = sign * np.where(hidden, 0, shown)
    unknowns = len(positions)
    equations, variables, coefficients = [], [], []
    for index, (r, c) in enumerate(positions):
        equations += [r, height + c]
        variables += [index, index]
        coefficients += [int(sign[r, c])] * 2
    matrix = csr_array((coefficients, (equations, variables)), shape=(height + width, unknowns))
    right = -np.concatenate([signed.sum(axis=1), signed.sum(axis=0)])
    result = linprog(np.zeros(unknowns), A_eq=matrix, b_eq=right, bounds=(0, None), method="highs")
    if result.status != 0:
        raise ValueError("no table of non-negative counts has these published figures")
    filled = shown.copy()
    for (r, c), value in zip(positions, np.round(result.x).astype(np.int64), strict=True):
        filled[r, c] = value
    if not np.array_equal(matrix @ np.round(result.x).astype(np.int64), right):
        raise ValueError("the published figures admit no whole-number table")
    return filled


def _table(
    values: np.ndarray,
    hidden: np.ndarray,
    reasons: dict[Position, str],
    ranges: dict[Position, tuple[int, int | None]],
    threshold: int,
    row_labels: Sequence[str] | None,
    column_labels: Sequence[str] | None,
) -> ProtectedTable:
    def cell(position: Position) -> Cell:
        if not hidden[position]:
            return Cell(int(values[position]))
        low, high = ranges[position]
        return Cell(None, True, reasons[position], low, high)

    height, width = values.shape
    return ProtectedTable(
        cells=[[cell((r, c)) for c in range(width - 1)] for r in range(height - 1)],
        row_totals=[cell((r, width - 1)) for r in range(height - 1)],
        column_totals=[cell((height - 1, c)) for c in range(width - 1)],
        grand_total=cell((height - 1, width - 1)),
        threshold=threshold,
        row_labels=tuple(row_labels) if row_labels is not None else None,
        column_labels=tuple(column_labels) if column_labels is not None else None,
    )

"""Published tables: the figures as pages, the API and exports show them, never a small cell.

Every table leaves here protected (disclosure.protect, with complementary suppression checked by
the attack) at the strictest threshold of the states it shows. A figure suppressed at the source
stays suppressed, and so does every total that includes it: its value is unknown, not zero.
A suppressed cell carries its reason and never its value.
"""

import functools
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from alliance.measure import disclosure
from alliance.measure.models import StateProfile
from alliance.measure.queries import Figure

SOURCE = "source"  # suppressed or not reported by the state itself
NONE = "none"  # no figure: the state gave none for this year or group


@dataclass(frozen=True)
class Shown:
    """One figure as shown: `value` (a count, or a rate 0..1) and its text, or why it is hidden."""

    value: float | int | None
    text: str
    reason: str = ""  # "" | disclosure.SMALL | disclosure.COMPLEMENTARY | SOURCE | coded rates
    # A hidden count's range as an outsider can narrow it from the table (None above: unbounded).
    low: int | None = None
    high: int | None = None

    @property
    def suppressed(self) -> bool:
        return self.value is None

    def why(self, threshold: int) -> str:
        return reason_text(self.reason, threshold)


def reason_text(reason: str, threshold: int) -> str:
    return _reason_text(reason, threshold, get_language())


@functools.lru_cache(maxsize=256)
def _reason_text(reason: str, threshold: int, language: str | None) -> str:
    del language  # part of the cache key: the words are the active language's
    return {
        disclosure.SMALL: _("fewer than %(n)d students") % {"n": threshold},
        disclosure.COMPLEMENTARY: _("complementary: hidden so that a small count cannot be worked out"),
        SOURCE: _("suppressed or not reported by the state"),
        disclosure.TOP_CODED: _("top-coded: the exact rate would reveal a small group"),
        disclosure.BOTTOM_CODED: _("bottom-coded: the exact rate would reveal a small group"),
        NONE: _("no figure for this year or group"),
    }.get(reason, "")


@dataclass
class Table:
    """A published table: rows x columns with totals (counts), or without (rates)."""

    row_labels: list[str]
    column_labels: list[str]
    cells: list[list[Shown]]
    threshold: int
    column_totals: list[Shown] = field(default_factory=list)
    rate: bool = False
    row_keys: list[str] = field(default_factory=list)

    @property
    def row_keys_and_labels(self) -> list[tuple[str, str]]:
        return list(zip(self.row_keys, self.row_labels, strict=True))

    def rows(self):
        """(label, cells) for the template."""
        return list(zip(self.row_labels, self.cells, strict=True))

    def export_rows(self) -> list[list]:
        """Header and rows for CSV: a suppressed figure is written as its reason, never a number."""

        def text(cell: Shown) -> str:
            if cell.suppressed:
                why = cell.why(self.threshold)
                return f"{cell.text} ({why})" if why else cell.text
            return cell.text

        out = [["", *self.column_labels]]
        out += [[label, *(text(c) for c in cells)] for label, cells in self.rows()]
        if self.column_totals:
            out.append([_("Total"), *(text(c) for c in self.column_totals)])
        return out


def threshold_for(states: Sequence[str]) -> int:
    """The strictest threshold among the states a table shows (each state may set its own)."""
    default = settings.MEASURE_SUPPRESSION_THRESHOLD
    chosen = dict(StateProfile.objects.filter(state__in=list(states)).values_list("state", "threshold"))
    return max([chosen.get(state, default) for state in states] or [default])


class Disclosive(Exception):
    """A table the attack could narrow a hidden count in: it is never served."""


def check(protected: disclosure.ProtectedTable) -> None:
    """Attack the table as an outsider would, from what it shows alone, before it is served: no
    hidden count may be narrowed to a range under the threshold (see disclosure.attack)."""
    for found in disclosure.attack(protected):
        if found.high is not None and found.high - found.low < protected.threshold:
            raise Disclosive(f"cell ({found.row}, {found.column}) narrowed to {found.low}..{found.high}")


def _count(cell: disclosure.Cell) -> Shown:
    if cell.suppressed:
        return Shown(None, "*", cell.reason, low=cell.low, high=cell.high)
    return Shown(cell.value, f"{cell.value:,}")


def count_table(
    values: dict[tuple[str, str], int | None],
    row_keys: list[str],
    column_keys: list[str],
    *,
    threshold: int,
    totals: bool = False,
    row_labels: list[str] | None = None,
    column_labels: list[str] | None = None,
) -> Table:
    """A protected table of counts. `values[(row, column)]` is None when the state suppressed the
    figure, and absent when it gave none; either way the totals that include it are unknown.

    The table is protected as if every margin were published (the stricter case), whatever it
    shows: `totals` shows the column totals (e.g. all students of a year, over the groups).
    """
    if not row_keys or not column_keys:
        return Table(row_labels=[], column_labels=list(column_keys), cells=[], threshold=threshold)
    unknown = {(r, c) for r in row_keys for c in column_keys if values.get((r, c)) is None}
    counts = [[values.get((r, c)) or 0 for c in column_keys] for r in row_keys]
    protected = disclosure.protect(counts, threshold=threshold)
    check(protected)
    cells = [[_count(cell) for cell in row] for row in protected.cells]
    column_totals = [_count(cell) for cell in protected.column_totals] if totals else []
    for i, r in enumerate(row_keys):
        for j, c in enumerate(column_keys):
            if (r, c) in unknown:
                cells[i][j] = Shown(None, "*", SOURCE) if (r, c) in values else Shown(None, "–", NONE)
                if totals:
                    column_totals[j] = Shown(None, "–", NONE)
    return Table(
        row_keys=list(row_keys),
        row_labels=row_labels or list(row_keys),
        column_labels=column_labels or list(column_keys),
        cells=cells,
        threshold=threshold,
        column_totals=column_totals,
    )


def rate_table(
    numerators: dict[tuple[str, str], int | None],
    denominators: dict[tuple[str, str], int | None],
    row_keys: list[str],
    column_keys: list[str],
    *,
    threshold: int,
    row_labels: list[str] | None = None,
    column_labels: list[str] | None = None,
) -> Table:
    """Rates whose numerators and denominators are each protected as count tables first: a rate is
    shown only when both its counts may be, then top- or bottom-coded (disclosure.code_rate)."""
    top = count_table(numerators, row_keys, column_keys, threshold=threshold)
    bottom = count_table(denominators, row_keys, column_keys, threshold=threshold)
    cells: list[list[Shown]] = []
    for i, _r in enumerate(row_keys):
        line = []
        for j, _c in enumerate(column_keys):
            num, den = top.cells[i][j], bottom.cells[i][j]
            hidden = num if num.suppressed else den if den.suppressed else None
            if hidden is not None:
                line.append(Shown(None, hidden.text, hidden.reason))
                continue
            if int(den.value or 0) == 0 or int(num.value or 0) > int(den.value or 0):
                line.append(Shown(None, "–", "none"))
                continue
            coded = disclosure.code_rate(int(num.value or 0), int(den.value or 0), threshold=threshold)
            line.append(Shown(coded.value, coded.text, coded.reason))
        cells.append(line)
    return Table(
        row_keys=list(row_keys),
        row_labels=row_labels or list(row_keys),
        column_labels=column_labels or list(column_keys),
        cells=cells,
        threshold=threshold,
        rate=True,
    )


def by_state_and_year(figures: list[Figure], part: str) -> dict[tuple[str, str], int | None]:
    return {(f.state, str(f.year)): f.value for f in figures if f.part == part}


def by_group_and_year(figures: list[Figure], part: str) -> dict[tuple[str, str], int | None]:
    return {(f.group, str(f.year)): f.value for f in figures if f.part == part}

"""Pages found by key (keyset pagination), for lists too long for OFFSET.

`OFFSET 90000` makes the database read and throw away 90,000 rows; a page that starts "after the
row with id 81234" is found through the list's index, so the last page of 100,000 people costs what
the first does. A cursor is the primary key of the row a page starts after (or ends before); that
row's sort key is looked up, so cursors stay short and readable in a URL. Counts are capped for
the same reason: "more than 10,000" needs no scan of the other 90,000.
"""

from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

COUNT_CAP = 10_000


@dataclass
class KeysetPage:
    """One page of rows, with the cursors of its neighbours (None when there is none)."""

    rows: list
    count: int
    count_capped: bool
    next_cursor: int | None = None
    previous_cursor: int | None = None
    extra: dict = field(default_factory=dict)

    def __iter__(self):
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    @property
    def has_next(self) -> bool:
        return self.next_cursor is not None

    @property
    def has_previous(self) -> bool:
        return self.previous_cursor is not None

    @property
    def has_other_pages(self) -> bool:
        return self.has_next or self.has_previous


def capped_count(queryset: QuerySet, cap: int | None = None) -> tuple[int, bool]:
    """How many rows, counting no further than `cap` (COUNT_CAP); and whether it stopped there."""
    cap = cap or COUNT_CAP
    count = queryset.order_by()[: cap + 1].count()
    return min(count, cap), count > cap


def _after(fields: list[str], values: tuple, *, descending: bool) -> Q:
    """Rows strictly after `values` in the order of `fields` (or before, when `descending`)."""
    op = "lt" if descending else "gt"
    condition = Q()
    for i, name in enumerate(fields):
        step = Q(**{f"{f}": v for f, v in zip(fields[:i], values[:i], strict=True)}, **{f"{name}__{op}": values[i]})
        condition |= step
    # The first field's bound again, on its own, so the database can start from its index.
    return Q(**{f"{fields[0]}__{op}e": values[0]}) & condition


def keyset_page(
    queryset: QuerySet,
    *,
    order: list[str],
    size: int,
    after: int | None = None,
    before: int | None = None,
    last: bool = False,
    count: tuple[int, bool] | None = None,
) -> KeysetPage:
    """The page of `queryset` (ordered by `order`, ascending, ending with "pk") after the row
    `after`, before the row `before`, the last page (`last`), or else the first.

    A cursor naming a row that no longer exists starts again from the first page. `count`, when
    known (a cached total), saves counting.
    """
    model = queryset.model
    backwards = last or before is not None
    cursor = after if after is not None else before
    ordered = queryset.order_by(*(f"-{f}" for f in order) if backwards else order)
    if cursor is not None:
        values = model._base_manager.filter(pk=cursor).values_list(*order).first()
        if values is None:
            return keyset_page(queryset, order=order, size=size, count=count)
        ordered = ordered.filter(_after(order, values, descending=backwards))
    rows = list(ordered[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    if backwards:
        rows.reverse()
    total, capped = count if count is not None else capped_count(queryset)
    page = KeysetPage(rows=rows, count=total, count_capped=capped)
    if rows:
        if more if not backwards else before is not None:
            page.next_cursor = rows[-1].pk
        if more if backwards else after is not None:
            page.previous_cursor = rows[0].pk
    return page

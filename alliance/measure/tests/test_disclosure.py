import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from alliance.measure.disclosure import (
    BOTTOM_CODED,
    COMPLEMENTARY,
    SMALL,
    TOP_CODED,
    CellRange,
    attack,
    code_rate,
    protect,
)


def outsider_ranges(published):
    """What an outsider can work out from `published` (the extended table, None where hidden),
    written independently of disclosure.py: every figure shown is an equation (interior rows and
    columns against their totals, the totals against the grand total), every hidden figure an
    unknown >= 0, minimised and maximised by a dense linprog."""
    height, width = len(published), len(published[0])
    unknowns = [(r, c) for r in range(height) for c in range(width) if published[r][c] is None]
    column_of = {position: k for k, position in enumerate(unknowns)}
    lines = [[(r, c) for c in range(width)] for r in range(height)]
    lines += [[(r, c) for r in range(height)] for c in range(width)]
    equations, constants = [], []
    for line in lines:
        *parts, total = line  # the parts add up to the last figure of the line
        coefficients = np.zeros(len(unknowns))
        constant = 0.0
        for (r, c), sign in [*((p, 1) for p in parts), (total, -1)]:
            if published[r][c] is None:
                coefficients[column_of[(r, c)]] += sign
            else:
                constant -= sign * published[r][c]
        equations.append(coefficients)
        constants.append(constant)
    found = {}
    for position, k in column_of.items():
        objective = np.zeros(len(unknowns))
        objective[k] = 1
        lowest = linprog(objective, A_eq=equations, b_eq=constants, bounds=(0, None), method="highs")
        highest = linprog(-objective, A_eq=equations, b_eq=constants, bounds=(0, None), method="highs")
        assert lowest.status == 0
        assert highest.status in (0, 3)  # 3: nothing bounds it from above
        high = None if highest.status == 3 else math.floor(-highest.fun + 1e-9)
        found[position] = (math.ceil(lowest.fun - 1e-9), high)
    return found


def extended(counts):
    counts = np.asarray(counts)
    truth = np.zeros((counts.shape[0] + 1, counts.shape[1] + 1), dtype=int)
    truth[:-1, :-1] = counts
    truth[:-1, -1] = counts.sum(axis=1)
    truth[-1, :-1] = counts.sum(axis=0)
    truth[-1, -1] = counts.sum()
    return truth


def protect_by_the_rule(counts, threshold):
    """The suppression rule as written, slowly: hide the small figures; while a row or column of
    the extended table has exactly one hidden figure, hide the smallest positive figure shown in it
    (rows first, then columns, first by position among equals); attack everything; while some
    hidden figure's range is under the threshold, hide for the weakest (narrowest, then first by
    position) the smallest positive figure shown in its row or column (else the smallest total,
    else any), close lonely lines again and attack again."""
    truth = extended(counts)
    height, width = truth.shape
    hidden = {(r, c) for r in range(height) for c in range(width) if 0 < truth[r, c] < threshold}

    def smallest_shown(positions):
        shown = [(truth[p], p) for p in positions if p not in hidden and truth[p] > 0]
        return min(shown)[1] if shown else None

    def close_lonely_lines():
        lines = [[(r, c) for c in range(width)] for r in range(height)]
        lines += [[(r, c) for r in range(height)] for c in range(width)]
        changed = True
        while changed:
            changed = False
            for line in lines:
                if sum(p in hidden for p in line) == 1:
                    hidden.add(smallest_shown(line))
                    changed = True

    close_lonely_lines()
    while True:
        published = [[None if (r, c) in hidden else int(truth[r, c]) for c in range(width)] for r in range(height)]
        ranges = outsider_ranges(published)
        narrow = [(high - low, p) for p, (low, high) in ranges.items() if high is not None and high - low < threshold]
        if not narrow:
            return ranges
        row, column = min(narrow)[1]
        near = [(row, c) for c in range(width)] + [(r, column) for r in range(height)]
        totals = [(r, width - 1) for r in range(height)] + [(height - 1, c) for c in range(width)]
        everywhere = [(r, c) for r in range(height) for c in range(width)]
        hidden.add(next(p for p in map(smallest_shown, (near, totals, everywhere)) if p is not None))
        close_lonely_lines()


def stored_ranges(table):
    return {
        (r, c): (cell.low, cell.high)
        for r, row in enumerate(table.grid)
        for c, cell in enumerate(row)
        if cell.suppressed
    }


def assert_publishes_only_truth(counts, table):
    truth = extended(counts)
    for r, row in enumerate(table.grid):
        for c, cell in enumerate(row):
            if cell.suppressed:
                assert cell.value is None
                assert cell.reason in (SMALL, COMPLEMENTARY)
            else:
                assert cell.value == truth[r, c]
                assert not 0 < cell.value < table.threshold
                assert (cell.reason, cell.low, cell.high) == ("", None, None)


def assert_nothing_narrow(ranges, threshold):
    for position, (low, high) in ranges.items():
        assert high is None or high - low >= threshold, (position, low, high)


def tables(largest):
    """Tables up to `largest` x `largest` with zeros, many small counts and some large ones."""
    count = st.one_of(st.just(0), st.integers(1, 9), st.integers(1, 40), st.integers(10, 400))
    return st.tuples(st.integers(1, largest), st.integers(1, largest)).flatmap(
        lambda shape: st.lists(
            st.lists(count, min_size=shape[1], max_size=shape[1]), min_size=shape[0], max_size=shape[0]
        )
    )


@settings(max_examples=40, deadline=None, derandomize=True, database=None)
@given(counts=tables(6), threshold=st.integers(5, 30))
def test_it_leaves_no_hidden_figure_narrower_than_the_threshold(counts, threshold):
    table = protect(counts, threshold=threshold)

    assert_publishes_only_truth(counts, table)
    found = outsider_ranges(table.published())
    assert_nothing_narrow(found, threshold)
    assert stored_ranges(table) == found
    assert {(r.row, r.column): (r.low, r.high) for r in attack(table)} == found


@settings(max_examples=20, deadline=None, derandomize=True, database=None)
@given(counts=tables(5), threshold=st.integers(5, 30))
def test_it_hides_what_the_rule_as_written_hides(counts, threshold):
    assert stored_ranges(protect(counts, threshold=threshold)) == protect_by_the_rule(counts, threshold)


def test_it_holds_on_a_realistic_table_of_districts():
    rng = np.random.default_rng(7)
    district_sizes = np.exp(rng.normal(np.log(900), 1.0, 12))
    group_shares = rng.dirichlet(np.full(16, 0.7))
    counts = rng.poisson(np.outer(group_shares, district_sizes))
    assert ((counts > 0) & (counts < 10)).mean() > 0.2

    table = protect(counts)

    assert_publishes_only_truth(counts, table)
    found = outsider_ranges(table.published())
    assert_nothing_narrow(found, 10)
    assert stored_ranges(table) == found


def test_it_hides_a_small_cell_with_the_smallest_cells_that_close_a_rectangle():
    counts = [
        [20, 30, 40],
        [25, 4, 35],
        [50, 45, 60],
    ]

    table = protect(counts, threshold=10)

    # Row 1 has 4 alone: its smallest other figure is 25. Column 0 then has 25 alone: 20. Row 0
    # then has 20 alone: 30, which column 1 shares with the 4. Moving t around the rectangle
    # (+20, -30, -25, +4) keeps every total, for t from -4 to 25.
    assert stored_ranges(table) == {(0, 0): (16, 45), (0, 1): (5, 34), (1, 0): (0, 29), (1, 1): (0, 29)}
    assert table.cells[1][1].reason == SMALL
    assert {table.cells[r][c].reason for r, c in [(0, 0), (0, 1), (1, 0)]} == {COMPLEMENTARY}
    assert table.published() == [
        [None, None, 40, 90],
        [None, None, 35, 64],
        [50, 45, 60, 155],
        [95, 79, 135, 309],
    ]


def test_it_hides_more_when_the_attack_narrows_a_cell():
    counts = [
        [3, 4, 50, 60],
        [30, 40, 50, 60],
    ]

    table = protect(counts, threshold=10)

    # The rectangle 3, 4, 30, 40 only lets the 3 move from 0 to 7. Hiding the column totals 33 and
    # 44 leaves it so (row 0 still adds up to 7 without them); hiding 50 in row 0 and, for column
    # 2, the 50 below it lets it reach 57.
    assert stored_ranges(table) == {
        (0, 0): (0, 57),
        (0, 1): (0, 57),
        (0, 2): (0, 57),
        (1, 0): (0, 77),
        (1, 1): (0, 77),
        (1, 2): (43, 100),
        (2, 0): (0, 77),
        (2, 1): (0, 77),
    }
    assert [table.cells[0][0].reason, table.cells[0][1].reason] == [SMALL, SMALL]
    assert table.column_totals[0].reason == COMPLEMENTARY


def test_it_publishes_a_table_without_small_cells_whole():
    counts = [[12, 40, 0], [10, 99, 250]]

    table = protect(counts)

    assert table.suppressed == []
    assert table.published() == [[12, 40, 0, 52], [10, 99, 250, 359], [22, 139, 250, 411]]
    assert attack(table) == []


def test_it_protects_a_one_row_table_whose_column_totals_repeat_the_row():
    table = protect([[15, 3, 22]], threshold=10)

    assert table.published() == [[None, None, 22, 40], [None, None, 22, 40]]
    assert stored_ranges(table) == dict.fromkeys([(0, 0), (0, 1), (1, 0), (1, 1)], (0, 18))
    assert table.column_totals[1].reason == SMALL


def test_it_shows_zeros_and_leaves_a_small_grand_total_unbounded():
    table = protect([[2, 0], [3, 0]], threshold=10)

    assert table.published() == [[None, 0, None], [None, 0, None], [None, 0, None]]
    assert set(stored_ranges(table).values()) == {(0, None)}
    assert attack(table) == [CellRange(r, c, 0, None) for r in range(3) for c in (0, 2)]


def test_it_suppresses_a_small_total():
    table = protect([[0, 0], [4, 3], [100, 200]], threshold=10)

    assert table.row_totals[1].suppressed
    assert table.row_totals[1].reason == SMALL
    assert_nothing_narrow(outsider_ranges(table.published()), 10)


def test_it_gives_the_same_pattern_for_the_same_counts():
    rng = np.random.default_rng(3)
    counts = rng.choice([0, 1, 2, 5, 9, 10, 30, 80], size=(8, 7))

    first = protect(counts, threshold=10)
    second = protect(counts.tolist(), threshold=10)

    assert first == second


def test_it_keeps_labels_and_the_threshold():
    table = protect([[1, 50], [60, 70]], threshold=5, row_labels=["Asian", "Black"], column_labels=["2024", "2025"])

    assert (table.row_labels, table.column_labels, table.threshold) == (("Asian", "Black"), ("2024", "2025"), 5)


@pytest.mark.parametrize(
    "counts, message",
    [
        ([[1, -2]], "negative"),
        ([[1, 2], [3]], "every row"),
        ([], "at least one row"),
        ([[1.5, 2]], "whole numbers"),
        ([1, 2, 3], "at least one row"),
    ],
)
def test_it_refuses_what_is_not_a_table_of_counts(counts, message):
    with pytest.raises(ValueError, match=message):
        protect(counts)


@pytest.mark.parametrize(
    "numerator, denominator, value, text, reason",
    [
        (50, 100, 0.5, "50.0%", ""),
        (191, 200, 0.95, ">95%", TOP_CODED),
        (190, 200, 0.95, "95.0%", ""),
        (9, 200, 0.05, "<5%", BOTTOM_CODED),
        (0, 200, 0.05, "<5%", BOTTOM_CODED),
        (200, 200, 0.95, ">95%", TOP_CODED),
        (995, 1000, 0.99, ">99%", TOP_CODED),
        (985, 1000, 0.985, "98.5%", ""),
        (5, 1000, 0.01, "<1%", BOTTOM_CODED),
        # Beside its denominator, 96 of 100 would show that 4 students did not: 5% of 100 holds
        # fewer than 10, so the bound widens to 10%.
        (96, 100, 0.9, ">90%", TOP_CODED),
        (90, 100, 0.9, "90.0%", ""),
        (9, 150, 0.07, "<7%", BOTTOM_CODED),
        (11, 150, 11 / 150, "7.3%", ""),
        (141, 150, 0.93, ">93%", TOP_CODED),
        # 400 students: 1% would be 4, so the bound is the 3% that holds 10 (2.5%, rounded up).
        (8, 400, 0.03, "<3%", BOTTOM_CODED),
        (12, 400, 0.03, "3.0%", ""),
    ],
)
def test_it_codes_rates_at_the_top_and_bottom(numerator, denominator, value, text, reason):
    rate = code_rate(numerator, denominator, threshold=10)

    assert (rate.value, rate.text, rate.reason, rate.suppressed) == (pytest.approx(value), text, reason, False)
    assert rate.coded == (reason != "")


@pytest.mark.parametrize("numerator, denominator", [(0, 0), (5, 9), (9, 9), (12, 19), (3, 19)])
def test_it_suppresses_rates_of_groups_too_small_to_show(numerator, denominator):
    rate = code_rate(numerator, denominator, threshold=10)

    assert (rate.value, rate.text, rate.suppressed, rate.reason) == (None, "*", True, SMALL)


def test_it_shows_the_rate_of_a_group_twice_the_threshold():
    assert code_rate(10, 20, threshold=10).text == "50.0%"
    assert code_rate(11, 20, threshold=10).text == ">50%"


@pytest.mark.parametrize("numerator, denominator", [(5, 4), (-1, 10)])
def test_it_refuses_impossible_rates(numerator, denominator):
    with pytest.raises(ValueError):
        code_rate(numerator, denominator)

"""Benchmark: suppressing a state's table of 3,000 counts so no small group can be worked out.

Prints JSON lines only (ARCHITECTURE.md, "Benchmarks"):
- how long `protect` takes on a 60 x 50 table (student groups by districts), small cells,
  complementary suppression and the attack loop included (goal: under 1 s);
- how long `attack` takes to find the range of every hidden figure of the result (one linprog,
  then maximum flows);
- beside both, in the same run and on the same suppressed table, the attack written as linear
  programs: minimise and maximise each hidden figure with linprog(method="highs"), the published
  figures as equations. That is one attack; `protect` attacks once per figure it adds. The two
  attacks must agree on every range, or the run fails.

The table is built as state files are: district sizes spread log-normally (a few large districts,
many small ones), group shares from a Dirichlet draw (some groups a sliver of every district),
counts Poisson around share x size. Two mixes: a typical one (about a fifth of the cells under 10)
and one with many small cells (about a third). BENCH_SCALE multiplies the number of cells.

Pure computation: no database and no Django settings.
"""

import json
import math
import os
import statistics
import time

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import csr_array

from alliance.measure.disclosure import ProtectedTable, attack, protect

SCALE = float(os.environ.get("BENCH_SCALE", "1.0"))
SIDE = math.sqrt(SCALE)
ROWS, COLUMNS = max(3, round(60 * SIDE)), max(3, round(50 * SIDE))
THRESHOLD = 10
MIXES = {"": (3000, 1.0), "_many_small": (1200, 0.6)}  # median district size, Dirichlet concentration
RUNS = 3


def emit(**figures) -> None:
    print(json.dumps({"bench": "measure", **figures}), flush=True)


def state_table(median_district: float, concentration: float, *, seed: int = 2026) -> np.ndarray:
    rng = np.random.default_rng(seed)
    district_sizes = np.exp(rng.normal(math.log(median_district), 1.0, COLUMNS))
    group_shares = rng.dirichlet(np.full(ROWS, concentration))
    return rng.poisson(np.outer(group_shares, district_sizes))


def linprog_attack(table: ProtectedTable) -> dict[tuple[int, int], tuple[int, int | None]]:
    """The attack as linear programs: the hidden figures are the variables (>= 0), each row and
    column of the extended table is an equation (its parts add up to its total), published
    figures are constants on the right; two solves per hidden figure."""
    grid = table.grid
    height, width = len(grid), len(grid[0])
    hidden = [(r, c) for r in range(height) for c in range(width) if grid[r][c].suppressed]
    variable = {position: k for k, position in enumerate(hidden)}
    rows, columns, signs = [], [], []
    right = np.zeros(height + width)
    for r in range(height):
        for c in range(width):
            sign = -1 if (r == height - 1) != (c == width - 1) else 1  # a total, on the other side
            for equation in (r, height + c):
                if grid[r][c].suppressed:
                    rows.append(equation)
                    columns.append(variable[(r, c)])
                    signs.append(sign)
                else:
                    right[equation] -= sign * grid[r][c].value
    matrix = csr_array((signs, (rows, columns)), shape=(height + width, len(hidden)))
    ranges = {}
    for position, k in variable.items():
        objective = np.zeros(len(hidden))
        objective[k] = 1
        lowest = linprog(objective, A_eq=matrix, b_eq=right, bounds=(0, None), method="highs")
        highest = linprog(-objective, A_eq=matrix, b_eq=right, bounds=(0, None), method="highs")
        high = None if highest.status == 3 else math.floor(-highest.fun + 1e-9)
        ranges[position] = (math.ceil(lowest.fun - 1e-9), high)
    return ranges


def timed(work, runs: int = RUNS) -> tuple[float, object]:
    times, result = [], None
    for _run in range(runs):
        started = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def main() -> None:
    cells = ROWS * COLUMNS
    failed = False
    for suffix, (median_district, concentration) in MIXES.items():
        counts = state_table(median_district, concentration)
        protect_seconds, table = timed(lambda counts=counts: protect(counts, threshold=THRESHOLD))
        attack_seconds, found = timed(lambda table=table: attack(table))
        linprog_seconds, expected = timed(lambda table=table: linprog_attack(table), runs=1)
        agree = {(r.row, r.column): (r.low, r.high) for r in found} == expected
        failed |= not agree
        hidden = table.suppressed
        grid = table.grid
        context = {
            "cells": cells,
            "small_share": round(float(((counts > 0) & (counts < THRESHOLD)).mean()), 3),
            "zero_share": round(float((counts == 0).mean()), 3),
            "hidden": len(hidden),
            "complementary": sum(grid[r][c].reason == "complementary" for r, c in hidden),
            "attacks_agree": agree,
        }
        baseline = f"one attack as linprog(highs), 2 solves x {len(hidden)} hidden figures"
        emit(
            metric=f"protect_{cells}_cells{suffix}_s",
            value=round(protect_seconds, 3),
            unit="s",
            baseline=baseline,
            baseline_value=round(linprog_seconds, 3),
            ratio=round(protect_seconds / linprog_seconds, 3),
            goal="value < 1 s",
            met=protect_seconds < 1 and agree,
            **context,
        )
        emit(
            metric=f"attack_check_{cells}_cells{suffix}_s",
            value=round(attack_seconds, 3),
            unit="s",
            baseline=baseline,
            baseline_value=round(linprog_seconds, 3),
            ratio=round(attack_seconds / linprog_seconds, 3),
            goal="value < 1 s",
            met=attack_seconds < 1 and agree,
            **context,
        )
    if failed:
        raise SystemExit("the flow attack and the linprog attack disagree")


if __name__ == "__main__":
    main()

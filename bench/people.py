"""Benchmark: finding likely duplicate people among 100,000.

Prints JSON lines only (ARCHITECTURE.md, "Benchmarks"):
- the finder on 100,000 synthetic people (goal: under 10 s), beside a naive comparison of every
  pair of a 5,000-person sample in the same run (a widely used nonprofit CRM is reported to take
  over an hour for 5,000 contacts);
- the finder's precision and recall on the FEBRL record-linkage benchmark (dataset3), whose
  record ids say which records are one person.

The finder is a pure function, so no database is touched. BENCH_SCALE multiplies the sizes.
"""

import csv
import itertools
import json
import os
import random
import time
from collections import defaultdict
from pathlib import Path

import django

django.setup()

from django.conf import settings  # noqa: E402
from faker.providers.person.en_US import Provider as Names  # noqa: E402
from rapidfuzz import fuzz  # noqa: E402

from alliance.network.duplicates import NICKNAMES, find_duplicates  # noqa: E402

SCALE = float(os.environ.get("BENCH_SCALE", "1.0"))
PEOPLE = max(200, int(100_000 * SCALE))
SAMPLE = max(100, int(5_000 * SCALE))
DUPLICATE_SHARE = 0.05
STATES = ["CO", "ID", "NM", "NV", "UT", "WY"]
DOMAINS = ["gmail.com", "yahoo.com", "outlook.com", "k12.co.us", "state.nm.us", "uwyo.edu", "example.org"]
FEBRL = Path(settings.BASE_DIR).parent / "shared" / "data" / "dedup" / "febrl" / "dataset3.csv"


def emit(**figures) -> None:
    print(json.dumps({"bench": "people", **figures}), flush=True)


def _typo(rng: random.Random, word: str) -> str:
    if len(word) < 3:
        return word
    i = rng.randrange(1, len(word) - 1)
    kind = rng.randrange(3)
    if kind == 0:  # two letters swapped
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if kind == 1:  # a letter dropped
        return word[:i] + word[i + 1 :]
    return word[:i] + rng.choice("aeinorst") + word[i:]  # a letter added


def people_generate(count: int, *, seed: int = 2026) -> tuple[list[tuple], set[tuple[int, int]]]:
    """`count` people as the finder's tuples, about 5% of them typo-ridden copies of another;
    and the set of (original id, copy id) pairs injected."""
    rng = random.Random(seed)
    firsts, first_weights = list(Names.first_names), list(Names.first_names.values())
    lasts, last_weights = list(Names.last_names), list(Names.last_names.values())
    organizations = [(n, rng.choice(STATES)) for n in range(max(20, count // 25))]
    nickname_of = defaultdict(list)
    for nick, name in NICKNAMES.items():
        nickname_of[name].append(nick)
    people: list[tuple] = []
    injected: set[tuple[int, int]] = set()
    while len(people) < count:
        pid = len(people) + 1
        if people and rng.random() < DUPLICATE_SHARE:
            original = rng.choice(people)
            _id, first, last, email, organization, state = original
            change = rng.randrange(5)
            if change == 0:
                last = _typo(rng, last)
            elif change == 1:
                first = _typo(rng, first)
            elif change == 2:
                first = rng.choice(nickname_of.get(first.lower(), [first])).title()
            elif change == 3:
                first, last = last, first
            else:
                organization = None  # signed up again without an organization
            email = f"{first}.{last}{pid}@{rng.choice(DOMAINS)}".lower()
            people.append((pid, first, last, email, organization, state))
            injected.add((original[0], pid))
            continue
        first = rng.choices(firsts, first_weights)[0]
        last = rng.choices(lasts, last_weights)[0]
        organization, state = rng.choice(organizations) if rng.random() < 0.8 else (None, rng.choice(STATES))
        email = f"{first}.{last}{pid}@{rng.choice(DOMAINS)}".lower()
        people.append((pid, first, last, email, organization, state))
    return people, injected


def naive_pairs(people: list[tuple], *, cutoff: float = 90) -> list[tuple[int, int]]:
    """Every pair compared, as a CRM without blocking does: n²/2 full-name comparisons."""
    names = [(p[0], f"{p[1]} {p[2]}".lower()) for p in people]
    found = []
    for (a, name_a), (b, name_b) in itertools.combinations(names, 2):
        if fuzz.ratio(name_a, name_b, score_cutoff=cutoff):
            found.append((a, b))
    return found


def febrl_records(path: Path) -> tuple[list[tuple], set[tuple[int, int]]]:
    """FEBRL rows as the finder's tuples (postcode standing in for an organization), and the truth."""
    records: list[tuple] = []
    groups: dict[str, list[int]] = defaultdict(list)
    with path.open(newline="") as handle:
        for row in csv.DictReader(handle, skipinitialspace=True):
            index = len(records)
            records.append((index, row["given_name"], row["surname"], "", row["postcode"] or None, row["state"]))
            groups[row["rec_id"].split("-")[1]].append(index)
    truth = {pair for members in groups.values() for pair in itertools.combinations(sorted(members), 2)}
    return records, truth


def main() -> None:
    people, injected = people_generate(PEOPLE)
    started, cpu_started = time.perf_counter(), time.process_time()
    pairs = find_duplicates(people)
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu_started
    found = {(p.a, p.b) for p in pairs}

    sample = random.Random(7).sample(people, SAMPLE)
    started = time.perf_counter()
    naive_pairs(sample)
    naive_seconds = time.perf_counter() - started
    naive_extrapolated = naive_seconds * (PEOPLE * (PEOPLE - 1)) / (SAMPLE * (SAMPLE - 1))

    emit(
        metric=f"duplicates_{PEOPLE // 1000}k_seconds",
        value=round(seconds, 2),
        unit="s",
        baseline=f"naive pairwise on {SAMPLE:,}",
        baseline_value=round(naive_seconds, 2),
        ratio=round(seconds / max(naive_seconds, 1e-9), 3),
        goal="value < 10",
        met=seconds < 10,
        cpu_seconds=round(cpu_seconds, 2),
        people=PEOPLE,
        pairs=len(pairs),
        naive_extrapolated_seconds=round(naive_extrapolated),
    )
    emit(
        metric="duplicates_injected_recall",
        value=round(len(found & injected) / len(injected), 3),
        unit="share",
        injected=len(injected),
        goal="value >= 0.9",
        met=len(found & injected) / len(injected) >= 0.9,
    )
    if FEBRL.exists():
        records, truth = febrl_records(FEBRL)
        started = time.perf_counter()
        found = {(p.a, p.b) for p in find_duplicates(records)}
        febrl_seconds = time.perf_counter() - started
        hits = len(found & truth)
        precision, recall = hits / max(1, len(found)), hits / len(truth)
        emit(
            metric="febrl3_precision",
            value=round(precision, 3),
            unit="share",
            goal="value >= 0.95",
            met=precision >= 0.95,
            seconds=round(febrl_seconds, 3),
        )
        emit(
            metric="febrl3_recall",
            value=round(recall, 3),
            unit="share",
            goal="value >= 0.7",
            met=recall >= 0.7,
            true_pairs=len(truth),
            found=len(found),
        )


if __name__ == "__main__":
    main()

"""Benchmark: finding likely duplicate people in a realistic member base of 98,000.

Prints JSON lines only (ARCHITECTURE.md, "Benchmarks"):
- precision and recall of the finder on a synthetic member base built as real ones are: names
  drawn with the US census frequencies (Faker's en_US lists: many people share a full name),
  organizations of very unequal size (a few school districts of thousands, many small
  nonprofits), work and personal addresses, titles; and about 5% second records of someone,
  injected with what goes wrong in real life (typos, nicknames, an initial, names swapped, another
  address, no organization or another one, no state, another title), so the truth is known;
- beside it, in the same run and on the same people, the name-only finder the scoring replaced
  (similar names in one block, no other evidence), as the baseline;
- the same figures on the FEBRL record-linkage benchmark (dataset3), whose record ids say which
  records are one person;
- how long the finder takes on the whole base (it runs in the worker).

The finder is a pure function, so no database is touched. BENCH_SCALE multiplies the sizes.
"""

import csv
import itertools
import json
import os
import random
import string
import time
from collections import Counter, defaultdict
from pathlib import Path

import django

django.setup()

from django.conf import settings  # noqa: E402
from faker.providers.person.en_US import Provider as Names  # noqa: E402
from rapidfuzz.distance import JaroWinkler  # noqa: E402

from alliance.network import matching  # noqa: E402
from alliance.network.matching import NICKNAMES, email_key, find_duplicates  # noqa: E402

SCALE = float(os.environ.get("BENCH_SCALE", "1.0"))
PEOPLE = max(500, int(98_000 * SCALE))
DUPLICATE_SHARE = 0.05
STATES = {"CO": 35, "UT": 25, "NM": 14, "NV": 15, "ID": 8, "WY": 3}
PERSONAL = {"gmail.com": 50, "yahoo.com": 15, "outlook.com": 12, "hotmail.com": 8, "icloud.com": 5, "comcast.net": 3}
TITLES = {
    "Teacher": 30, "Principal": 6, "Counselor": 6, "Director": 8, "Program Manager": 6, "Professor": 6,
    "Superintendent": 1, "Engineer": 5, "Coordinator": 7, "Instructor": 6, "Executive Director": 3,
    "Dean": 1, "Specialist": 4, "Analyst": 3, "Owner": 2, "Volunteer": 4,
}  # fmt: skip
ORG_KINDS = ["School District", "High School", "Community College", "University", "STEM Center", "Foundation",
             "Engineering", "Labs", "Works", "Library", "Museum", "Academy", "Institute", "Partners"]  # fmt: skip
FEBRL = Path(os.environ.get("SHARED_DATA_DIR") or Path(settings.BASE_DIR).parent / "shared" / "data")
FEBRL = FEBRL / "dedup" / "febrl" / "dataset3.csv"
# The name-only finder this replaced: pairs whose names were this alike (its measured threshold).
NAME_ONLY_THRESHOLD = 0.86


def emit(**figures) -> None:
    print(json.dumps({"bench": "people", **figures}), flush=True)


def _weighted(table: dict) -> tuple[list, list]:
    return list(table), list(table.values())


def _typo(rng: random.Random, word: str) -> str:
    if len(word) < 4:
        return word + rng.choice("aeiou")
    i = rng.randrange(1, len(word) - 1)
    kind = rng.randrange(4)
    if kind == 0:  # two letters swapped
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if kind == 1:  # a letter dropped
        return word[:i] + word[i + 1 :]
    if kind == 2:  # a letter doubled or added
        return word[:i] + rng.choice("aeilnorst") + word[i:]
    return word[:i] + rng.choice(string.ascii_lowercase) + word[i + 1 :]  # a letter replaced


class MemberBase:
    """A synthetic member base: `people` as the finder's tuples, `truth` the injected pairs."""

    def __init__(self, count: int, *, seed: int = 2026):
        self.rng = rng = random.Random(seed)
        self.firsts, self.first_weights = _weighted(Names.first_names)
        self.lasts, self.last_weights = _weighted(Names.last_names)
        self.titles, self.title_weights = _weighted(TITLES)
        self.personal, self.personal_weights = _weighted(PERSONAL)
        states, state_weights = _weighted(STATES)
        # Organization sizes follow a power law: a few very large, most small.
        self.organizations = []
        for n in range(max(20, count // 25)):
            name = f"{rng.choice(self.lasts)} {rng.choice(ORG_KINDS)}"
            domain = f"{name.lower().replace(' ', '')}{n}.org"
            self.organizations.append((n, rng.choices(states, state_weights)[0], domain))
        self.org_weights = [1 / (rank + 8) ** 1.1 for rank in range(len(self.organizations))]
        self.states, self.state_weights = states, state_weights
        self.emails: set[str] = set()
        self.nicknames = defaultdict(list)
        for nick, name in NICKNAMES.items():
            self.nicknames[name].append(nick)
        self.people: list[tuple] = []
        self.truth: set[tuple[int, int]] = set()
        self.kinds: dict[tuple[int, int], tuple[str, str, str]] = {}  # what changed in each second record
        originals = int(count * (1 - DUPLICATE_SHARE))
        while len(self.people) < originals:
            self.people.append(self.person())
        while len(self.people) < count:
            self.people.append(self.second_record(rng.choice(self.people[:originals])))

    def address(self, first: str, last: str, domain: str | None) -> str:
        rng = self.rng
        domain = domain or rng.choices(self.personal, self.personal_weights)[0]
        user = rng.choice([f"{first}.{last}", f"{first[0]}{last}", f"{first}{last}", f"{first}_{last[0]}"])
        user = "".join(c for c in user.lower() if c.isalnum() or c in "._")
        address = f"{user}@{domain}"
        while email_key(address) in self.emails:  # mailboxes are unique in the member base
            address = f"{user}{rng.randrange(1, 999)}@{domain}"
        self.emails.add(email_key(address))
        return address

    def person(self) -> tuple:
        rng = self.rng
        first = rng.choices(self.firsts, self.first_weights)[0]
        last = rng.choices(self.lasts, self.last_weights)[0]
        if rng.random() < 0.88:  # most members come through an organization
            organization, state, domain = rng.choices(self.organizations, self.org_weights)[0]
            work_address = rng.random() < 0.6
        else:
            organization, domain, work_address = None, None, False
            state = rng.choices(self.states, self.state_weights)[0]
        title = rng.choices(self.titles, self.title_weights)[0] if rng.random() < 0.7 else ""
        email = self.address(first, last, domain if work_address else None)
        if rng.random() < 0.01:  # an import that had only initials
            first = first[0] + "."

        return (len(self.people) + 1, first, last, email, organization, state if rng.random() > 0.03 else None, title)

    def second_record(self, original: tuple) -> tuple:
        """The same person entered again, with what differs between two real records of one person."""
        rng = self.rng
        _id, first, last, email, organization, state, title = original
        changes = {"none": 30, "typo_last": 15, "typo_first": 15, "nickname": 20, "initial": 5, "swapped": 5}
        change = rng.choices(list(changes), list(changes.values()))[0]
        if change == "typo_last":
            last = _typo(rng, last)
        elif change == "typo_first":
            first = _typo(rng, first)
        elif change == "nickname":
            nicks = self.nicknames.get(first.lower())
            first = rng.choice(nicks).title() if nicks else _typo(rng, first)
        elif change == "initial":
            first = first[0] + "."
        elif change == "swapped":
            first, last = last, first
        contexts = {"none": 60, "no_organization": 12, "other_organization": 5, "no_state": 8, "title": 15}
        context = rng.choices(list(contexts), list(contexts.values()))[0]
        if context == "no_organization":
            organization = None
        elif context == "other_organization":  # moved to another job in the state
            organization = rng.choice([o[0] for o in self.organizations if o[1] == state] or [None])
        elif context == "no_state":
            state = None
        elif context == "title":
            title = rng.choice(["", rng.choices(self.titles, self.title_weights)[0]])
        user, _at, domain = email.partition("@")
        kind = rng.choices(["mailbox", "same_user", "new"], [10, 25, 65])[0]
        if kind == "mailbox" and domain == "gmail.com" and "." in user:
            email = user.replace(".", "") + "@gmail.com"  # Gmail ignores the dots
        elif kind == "mailbox":
            email = f"{user}+alliance@{domain}"
        elif kind == "same_user":
            other = rng.choices(self.personal, self.personal_weights)[0]
            email = f"{user}@{other if other != domain else 'yahoo.com'}"
        else:
            work = next((o[2] for o in self.organizations if o[0] == organization), None) if organization else None
            email = self.address(first.strip("."), last, work if rng.random() < 0.5 else None)
        if kind != "mailbox" and email_key(email) in self.emails:
            email = self.address(first.strip("."), last, None)
        self.emails.add(email_key(email))
        pid = len(self.people) + 1
        self.truth.add((original[0], pid))
        self.kinds[(original[0], pid)] = (change, context, kind)
        return (pid, first, last, email, organization, state, title)


def name_only_pairs(people: list[tuple]) -> set[tuple[int, int]]:
    """The finder before scoring, as the baseline: the same mailbox, or names at least 0.86 alike
    (both parts counted, the weaker twice) within one block, whatever else the records say."""
    prepared = matching._prepare(people)
    found = set()
    for members in matching._blocks(prepared):
        for i, j in itertools.combinations(members, 2):
            a, b = prepared[i], prepared[j]
            if a.mailbox and a.mailbox == b.mailbox:
                found.add((a.id, b.id))
                continue
            if not (a.nick and a.last and b.nick and b.last):
                continue
            first = 1.0 if a.nick == b.nick else JaroWinkler.similarity(a.first, b.first)
            last = JaroWinkler.similarity(a.last, b.last)
            if (first + last + 2 * min(first, last)) / 4 >= NAME_ONLY_THRESHOLD:
                found.add((min(a.id, b.id), max(a.id, b.id)))
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


def quality(found: set, truth: set) -> tuple[float, float]:
    hits = len(found & truth)
    return hits / max(1, len(found)), hits / max(1, len(truth))


def recall_at_precision(scored: list, truth: set, precision: float) -> tuple[float, float]:
    """The highest recall over the thresholds staff can choose whose precision is at least
    `precision`, and that threshold."""
    best = (0.0, 1.0)
    hits = 0
    for listed, pair in enumerate(sorted(scored, key=lambda p: -p.score), start=1):
        hits += (pair.a, pair.b) in truth
        if hits / listed >= precision and hits / len(truth) > best[0]:
            best = (hits / len(truth), pair.score)
    return best


def main() -> None:
    base = MemberBase(PEOPLE)
    people, truth = base.people, base.truth
    started = time.perf_counter()
    scored = find_duplicates(people, threshold=matching.KEEP_FROM)  # all the worker stores
    seconds = time.perf_counter() - started
    found = {(p.a, p.b) for p in scored if p.score >= matching.THRESHOLD}
    precision, recall = quality(found, truth)
    baseline = name_only_pairs(people)
    base_precision, base_recall = quality(baseline, truth)
    by_id = {p[0]: p for p in people}

    def same_name_elsewhere(pairs_found: set) -> int:
        """Pairs that are two records with one full name at two different organizations."""
        return sum(
            1
            for a, b in pairs_found
            if by_id[a][1:3] == by_id[b][1:3] and None not in (by_id[a][4], by_id[b][4]) and by_id[a][4] != by_id[b][4]
        )

    flagged = len({pk for pair in found for pk in pair}) / len(people)
    sizes = Counter(p[4] for p in people if p[4] is not None)
    common = Counter((p[1], p[2]) for p in people).most_common(1)[0]
    emit(
        metric="duplicates_precision",
        value=round(precision, 3),
        unit="share",
        baseline="name-only finder",
        baseline_value=round(base_precision, 3),
        ratio=round(precision / max(base_precision, 1e-9), 1),
        goal="value >= 0.9",
        met=precision >= 0.9,
        people=len(people),
        injected=len(truth),
        pairs=len(found),
        baseline_pairs=len(baseline),
        people_flagged=round(flagged, 3),
        same_name_other_organization=same_name_elsewhere(found),
        baseline_same_name_other_organization=same_name_elsewhere(baseline),
        largest_organization=sizes.most_common(1)[0][1],
        most_common_name=f"{common[0][0]} {common[0][1]} x{common[1]}",
    )
    emit(
        metric="duplicates_recall",
        value=round(recall, 3),
        unit="share",
        baseline="name-only finder",
        baseline_value=round(base_recall, 3),
        ratio=round(recall / max(base_recall, 1e-9), 3),
        goal="value >= 0.95",
        met=recall >= 0.95,
        threshold=matching.THRESHOLD,
    )
    best_recall, best_threshold = recall_at_precision(scored, truth, 0.9)
    emit(
        metric="duplicates_recall_at_precision_0.9",
        value=round(best_recall, 3),
        unit="share",
        goal="value >= 0.95",
        met=best_recall >= 0.95,
        threshold=best_threshold,
    )
    emit(
        metric=f"duplicates_{len(people) // 1000}k_seconds",
        value=round(seconds, 2),
        unit="s",
        goal="value < 60 (in the worker)",
        met=seconds < 60,
    )
    if FEBRL.exists():
        records, febrl_truth = febrl_records(FEBRL)
        started = time.perf_counter()
        febrl_found = {(p.a, p.b) for p in find_duplicates(records)}
        febrl_seconds = time.perf_counter() - started
        precision, recall = quality(febrl_found, febrl_truth)
        base_precision, base_recall = quality(name_only_pairs(records), febrl_truth)
        emit(
            metric="febrl3_precision",
            value=round(precision, 3),
            unit="share",
            baseline="name-only finder",
            baseline_value=round(base_precision, 3),
            goal="value >= 0.98",
            met=precision >= 0.98,
            seconds=round(febrl_seconds, 3),
        )
        emit(
            metric="febrl3_recall",
            value=round(recall, 3),
            unit="share",
            baseline="name-only finder",
            baseline_value=round(base_recall, 3),
            goal="value >= 0.7",
            met=recall >= 0.7,
            true_pairs=len(febrl_truth),
            found=len(febrl_found),
        )


if __name__ == "__main__":
    main()

"""Finding likely duplicate people: blocking, then fuzzy scoring of names.

Comparing every person with every other is n²/2 comparisons: 5 billion for 100,000 people. Instead
each person is put in a few small *blocks* of people who could plausibly be the same (the same
email once normalized; a name that sounds alike at the same organization; a surname that sounds
alike and the same first initial in the same state), and only people sharing a block are compared.
The core, `find_duplicates`, is a pure function of plain tuples so it runs without the database
and can be measured on its own (bench/people.py); `duplicate_candidates` feeds it active people.
"""

import unicodedata
from collections import defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from itertools import combinations
from typing import NamedTuple

import jellyfish
from django.core.cache import cache
from django.db.models import Count, Max
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rapidfuzz.distance import JaroWinkler

from alliance.core import policy
from alliance.network.models import DistinctPair, Person, PersonMerge

# A block larger than this is a common name in a big state ("Smith, J." in California): comparing
# all its pairs would cost more than it finds, and its true duplicates share a smaller block too.
MAX_BLOCK = 300
# The candidate list is cached until a person changes (every save writes a history row).
CACHE_SECONDS = 600
# Pairs scoring at least this are shown. Measured on FEBRL (see tests/test_duplicates.py).
THRESHOLD = 0.86

REASONS = {
    "email": _("same email"),
    "organization": _("similar names at the same organization"),
    "state": _("similar names in the same state"),
}

# Common given-name variants, mapped to one form, so "Bob Lee" and "Robert Lee" compare as equal.
REASON_RANK = {"email": 0, "organization": 1, "state": 2}

NICKNAMES = {
    "abby": "abigail",
    "al": "albert",
    "alex": "alexander",
    "andy": "andrew",
    "barb": "barbara",
    "becky": "rebecca",
    "ben": "benjamin",
    "beth": "elizabeth",
    "betty": "elizabeth",
    "bill": "william",
    "billy": "william",
    "bob": "robert",
    "bobby": "robert",
    "cathy": "catherine",
    "chris": "christopher",
    "chuck": "charles",
    "charlie": "charles",
    "dan": "daniel",
    "danny": "daniel",
    "dave": "david",
    "deb": "deborah",
    "debbie": "deborah",
    "dick": "richard",
    "don": "donald",
    "ed": "edward",
    "eddie": "edward",
    "fran": "frances",
    "frank": "francis",
    "fred": "frederick",
    "greg": "gregory",
    "jake": "jacob",
    "jim": "james",
    "jimmy": "james",
    "jenny": "jennifer",
    "jen": "jennifer",
    "joe": "joseph",
    "joey": "joseph",
    "jon": "jonathan",
    "kate": "katherine",
    "kathy": "katherine",
    "katie": "katherine",
    "ken": "kenneth",
    "larry": "lawrence",
    "liz": "elizabeth",
    "lupe": "guadalupe",
    "maggie": "margaret",
    "matt": "matthew",
    "meg": "margaret",
    "mike": "michael",
    "nate": "nathaniel",
    "nick": "nicholas",
    "paco": "francisco",
    "pam": "pamela",
    "pat": "patricia",
    "pepe": "jose",
    "peggy": "margaret",
    "pete": "peter",
    "phil": "philip",
    "rich": "richard",
    "rick": "richard",
    "rob": "robert",
    "ron": "ronald",
    "sam": "samuel",
    "sandy": "sandra",
    "steve": "stephen",
    "steven": "stephen",
    "sue": "susan",
    "susie": "susan",
    "ted": "edward",
    "tim": "timothy",
    "tom": "thomas",
    "tommy": "thomas",
    "tony": "anthony",
    "vicky": "victoria",
    "will": "william",
    "zach": "zachary",
}

GMAIL_DOMAINS = {"gmail.com", "googlemail.com"}


class Record(NamedTuple):
    """What the finder needs of a person. `organization` and `state` are any comparable keys."""

    id: int
    first_name: str
    last_name: str
    email: str
    organization: Hashable | None
    state: Hashable | None


@dataclass(frozen=True, slots=True)
class Pair:
    """Two records (a < b) that are likely one person, how alike they are (0..1) and why."""

    a: int
    b: int
    score: float
    reason: str

    @property
    def reason_label(self) -> str:
        return str(REASONS[self.reason])


def email_key(email: str) -> str:
    """An address in the form two spellings of one mailbox share: trimmed, lower case, no +tag,
    and for Gmail no dots (Gmail ignores them)."""
    email = (email or "").strip().lower()
    local, at, domain = email.rpartition("@")
    if not at or not local:
        return email
    local = local.split("+", 1)[0]
    if domain in GMAIL_DOMAINS:
        local = local.replace(".", "")
        domain = "gmail.com"
    return f"{local}@{domain}"


def name_key(name: str) -> str:
    """A name without accents, case or punctuation: "  O'Brien-Núñez" -> "obrien nunez"."""
    name = unicodedata.normalize("NFKD", name or "").encode("ascii", "ignore").decode().lower()
    return " ".join("".join(c if c.isalpha() else " " if c in " -" else "" for c in name).split())


def _first_similarity(a: str, b: str) -> float | None:
    """How alike two given names are; None when one is missing (unknown is not different)."""
    if not a or not b:
        return None
    if a == b or NICKNAMES.get(a, a) == NICKNAMES.get(b, b):
        return 1.0
    if (len(a) == 1 or len(b) == 1) and a[0] == b[0]:  # "J." and "Jane"
        return 0.9
    return JaroWinkler.similarity(a, b)


def _score(first_a: str, last_a: str, first_b: str, last_b: str) -> float:
    """One number for how alike two names are. Both parts must be alike: "John Smith" and
    "Jane Smith" share a surname and are usually two people, so the weaker part counts double."""
    first = _first_similarity(first_a, first_b)
    last = JaroWinkler.similarity(last_a, last_b) if last_a and last_b else None
    if first is None or last is None:
        # A missing name: the other part alone, marked down so it needs to be near exact.
        return 0.9 * (first or last or 0.0)
    return (first + last + 2 * min(first, last)) / 4


def _may_be_swapped(a: tuple, b: tuple) -> bool:
    """Whether a's first and last names start as b's last and first do: a cheap gate before
    scoring the names crosswise, which would otherwise double the work."""
    return bool(a[1] and a[2] and b[1] and b[2]) and a[1][0] == b[2][0] and a[2][0] == b[1][0]


def _blocks(people: list[tuple]) -> Iterable[tuple[str, list[int]]]:
    """Yield (reason, member indexes) for each block of two or more people."""
    by_email: dict[str, list[int]] = defaultdict(list)
    by_org: dict[tuple, list[int]] = defaultdict(list)
    by_state: dict[tuple, list[int]] = defaultdict(list)
    codes: dict[str, str] = {}
    for index, (_id, first, last, email, organization, state) in enumerate(people):
        if email:
            by_email[email].append(index)
        first = NICKNAMES.get(first, first)  # "Kathy" files with "Katherine"
        for name in (first, last):
            if name and name not in codes:
                codes[name] = jellyfish.metaphone(name) or name
        if organization is not None:
            # Either name sounding alike at one organization: catches a changed or misspelt
            # surname, and first and last names entered the wrong way round.
            for code in {codes[first] if first else "", codes[last] if last else ""} - {""}:
                by_org[(organization, code)].append(index)
        if state is not None and last:
            keys = {(state, codes[last], first[:1])}
            if first:
                # The given name's sound and the surname's initial: catches a surname typo that
                # changes its phonetic code ("Thompson"/"Tompson"), and, sharing the keys above,
                # first and last names entered the wrong way round.
                keys.add((state, codes[first], last[:1]))
            for key in keys:  # a set, so nobody is in a block twice ("Lee Lee")
                by_state[key].append(index)
    for reason, blocks in (("email", by_email), ("organization", by_org), ("state", by_state)):
        for members in blocks.values():
            if 1 < len(members) <= MAX_BLOCK:
                yield reason, members


def find_duplicates(records: Iterable[tuple], *, threshold: float = THRESHOLD) -> list[Pair]:
    """Likely duplicate pairs among `records` (tuples shaped like `Record`), best first.

    A pair found by several blocks keeps its strongest reason: email, then organization, then state.
    """
    normalized: dict[str, str] = {}  # names repeat a lot: normalize each spelling once

    def key(name: str) -> str:
        found = normalized.get(name)
        if found is None:
            found = normalized[name] = name_key(name)
        return found

    people = [(r[0], key(r[1]), key(r[2]), email_key(r[3]), r[4], r[5]) for r in records]
    size = len(people)
    seen: set[int] = set()
    pairs: list[Pair] = []
    for reason, members in _blocks(people):
        for i, j in combinations(members, 2):  # members are in index order, so i < j
            if (ij := i * size + j) in seen:
                continue
            seen.add(ij)
            a, b = people[i], people[j]
            if reason == "email":
                score = 1.0
            else:
                score = _score(a[1], a[2], b[1], b[2])
                if score < threshold and _may_be_swapped(a, b):
                    score = max(score, _score(a[1], a[2], b[2], b[1]))
                if score < threshold:
                    continue
            same_organization = reason == "state" and a[4] is not None and a[4] == b[4]
            low, high = (a[0], b[0]) if a[0] < b[0] else (b[0], a[0])
            pairs.append(Pair(low, high, round(score, 3), "organization" if same_organization else reason))
    # Strongest evidence first: a shared address or organization says more than a common name in a state.
    pairs.sort(key=lambda p: (REASON_RANK[p.reason], -p.score, p.a, p.b))
    return pairs


def duplicate_candidates(*, limit: int | None = None, threshold: float = THRESHOLD) -> list[Pair]:
    """Likely duplicate pairs among people not yet merged (active or awaiting confirmation), best
    first. The whole member base is compared, so the answer is cached until any person changes."""
    people = Person.objects.exclude(status=Person.Status.MERGED)
    version = people.aggregate(n=Count("pk"), last=Max("pk"))
    version["history"] = Person.history.aggregate(last=Max("history_id"))["last"]
    key = "network.duplicates:{n}:{last}:{history}:".format(**version) + str(threshold)
    pairs = cache.get(key)
    if pairs is None:
        records = people.values_list("pk", "first_name", "last_name", "email", "organization_id", "state_id")
        pairs = [(p.a, p.b, p.score, p.reason) for p in find_duplicates(records.iterator(), threshold=threshold)]
        cache.set(key, pairs, CACHE_SECONDS)
    distinct = set(DistinctPair.objects.values_list("first_id", "second_id"))
    found = [Pair(*row) for row in pairs if (row[0], row[1]) not in distinct]
    return found[:limit] if limit is not None else found


@dataclass(frozen=True)
class DuplicateRow:
    """A candidate pair ready to show: `kept` is the record kept unless staff choose the other."""

    pair: Pair
    kept: Person
    removed: Person


def merge_default_kept(a: Person, b: Person) -> Person:
    """The record to keep by default: confirmed, then with an account, then the older one."""
    return min(a, b, key=lambda p: (p.confirmed is None, p.user_id is None, p.joined, p.pk))


def duplicate_rows(pairs: list[Pair]) -> list[DuplicateRow]:
    """The people of some pairs (a page of them), in one query; pairs gone stale are skipped."""
    ids = {pk for pair in pairs for pk in (pair.a, pair.b)}
    people = Person.objects.exclude(status=Person.Status.MERGED).select_related("state", "organization").in_bulk(ids)
    rows = []
    for pair in pairs:
        a, b = people.get(pair.a), people.get(pair.b)
        if a is not None and b is not None:
            kept = merge_default_kept(a, b)
            rows.append(DuplicateRow(pair, kept, b if kept is a else a))
    return rows


def merge_recent(*, limit: int = 20) -> list[PersonMerge]:
    """The latest merges, newest first, each with `can_undo`: not undone, and no later standing
    merge touched its people (undo goes back in order, so every undo is exact)."""
    merges = list(PersonMerge.objects.select_related("kept", "removed", "actor").order_by("-pk")[:limit])
    touched: set[int] = set()
    for merge in merges:
        people = {merge.kept_id, merge.removed_id}
        merge.can_undo = merge.undone is None and not (people & touched)  # type: ignore[attr-defined]
        if merge.undone is None:
            touched |= people
    return merges


def access_merge(*, user, merge_id: int) -> PersonMerge:
    """A merge staff who may merge people may undo; 404 for an unknown one."""
    policy.require(user, "network.people.merge")
    merge = PersonMerge.objects.select_related("kept", "removed").filter(pk=merge_id).first()
    if merge is None:
        raise Http404("No such merge")
    return merge

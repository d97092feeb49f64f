"""Finding likely duplicate people: blocking, then weighing all the evidence (Fellegi-Sunter).

Comparing every person with every other is n²/2 comparisons: 5 billion for 100,000 people. Each
person is put in a few small *blocks* of people who could plausibly be the same (one mailbox; one
user name at two addresses; names that sound alike; a name that sounds alike at one organization
or in one state), and only people sharing a block are compared.

A compared pair is scored by the Fellegi-Sunter model of record linkage. Each piece of evidence
(first name, last name, email, organization or email domain, state, title) falls in a level
(same, similar, different, missing...), and each level adds log2(m/u) bits, where m is how often
one person's two records show that level and u how often two different people's records do. For
an exact agreement u is the value's own frequency in the member base (term-frequency adjustment):
two "Michael Smith" records share a name hundreds carry, two "Xiomara Quispe" records one that
few do; agreeing on a 3,000-person school district says less than on a 12-person nonprofit. The
bits, added to the prior odds that two records picked at random are one person, give the
probability staff see and move a threshold over. A missing value adds nothing: unknown is not
different.

Where the weights come from: the m-probabilities are the shares seen among the injected
duplicates of bench/people.py and FEBRL dataset3, rounded; u-probabilities of exact agreements
are counted in the member base at each run, the others were measured on random pairs of
bench/people's member base. The model is small enough to read whole, which an untuned Splink
(trained by expectation-maximisation on the same people) was not: it found 3,860 pairs, recall 0.63.

`find_duplicates` is a pure function of plain tuples, so it runs without the database and is
measured by bench/people.py; network/duplicates.py runs it over the member base in the worker and
stores the pairs the duplicates page reads.
"""

import math
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import NamedTuple

import jellyfish
from django.utils.translation import gettext_lazy as _
from rapidfuzz.distance import OSA, JaroWinkler

from alliance.network.nicknames import NICKNAMES

# A block larger than this is a common name in a big organization: comparing all its pairs would
# cost more than it finds, and its true duplicates share a smaller block too.
MAX_BLOCK = 300
# The probability from which a pair is shown, unless staff move it; and below which it is not even
# stored (staff can lower the threshold that far).
THRESHOLD = 0.5
KEEP_FROM = 0.05
# Names at least this alike (Jaro-Winkler) count as "similar": a typo, not another name.
SIMILAR = 0.88
# The share of records that are a second record of someone: the prior odds of a match are this
# many matching pairs among all n²/2 pairs.
DUPLICATE_SHARE = 0.05
# However rare a name looks in a small member base, one name part counts for at most this many
# bits: rarity measured on a few hundred people is uncertain, and a same name alone at another
# organization must not outweigh everything else.
MAX_NAME_BITS = 10.0
# Conversely, in a member base of a few people every name looks common ("Lee": 2 of 3): names are
# counted as if among at least this many people.
MIN_NAME_BASE = 1000

# (m, u) per comparison and level; u None means the value's own frequency in the member base.
LEVELS: dict[str, dict[str, tuple[float, float | None]]] = {
    "first_name": {
        "same": (0.80, None),
        "nickname": (0.80, None),
        "similar": (0.15, 0.003),
        "initial": (0.05, 0.002),
        "different": (0.03, 0.99),
    },
    "last_name": {"same": (0.85, None), "similar": (0.12, 0.0012), "different": (0.03, 0.995)},
    # A user name built from the person's own names ("jsmith") is shared by many a J. Smith:
    # given the names already agree, it adds little (u 0.25); any other user name is a strong sign.
    "email": {
        "same": (0.09, 1e-7),
        "same_user": (0.27, None),
        "same_user_of_name": (0.27, 0.25),
        "different": (0.64, 1.0),
    },
    "organization": {"same": (0.60, None), "same_domain": (0.15, None), "different": (0.06, 0.97)},
    "state": {"same": (0.93, None), "different": (0.04, 0.80)},
    "title": {"same": (0.70, None), "different": (0.30, 0.87)},
}
# Records with first and last names the wrong way round: rare among true duplicates.
SWAPPED_BITS = -1.0

COMPARISONS = {
    "first_name": _("first name"),
    "last_name": _("last name"),
    "name": _("names"),
    "email": _("email"),
    "organization": _("organization"),
    "state": _("state"),
    "title": _("title"),
}
LEVEL_LABELS = {
    "same": _("same"),
    "nickname": _("a nickname of the other"),
    "similar": _("similar spelling"),
    "initial": _("an initial only"),
    "different": _("different"),
    "same_user": _("same user name, another domain"),
    "same_user_of_name": _("same user name made of the name, another domain"),
    "same_domain": _("same email domain"),
    "swapped": _("first and last entered the wrong way round"),
}

GMAIL_DOMAINS = {"gmail.com", "googlemail.com"}
# Mail providers anyone can use: sharing one says nothing about working together.
FREE_MAIL = GMAIL_DOMAINS | {
    "yahoo.com", "hotmail.com", "outlook.com", "live.com", "msn.com", "aol.com", "icloud.com",
    "me.com", "comcast.net", "protonmail.com", "proton.me", "ymail.com",
}  # fmt: skip
# User names that are a role, not a person.
GENERIC_USERS = {"info", "admin", "office", "contact", "hello", "mail", "director", "principal", "staff", "team"}


class Record(NamedTuple):
    """What the finder needs of a person. `organization` and `state` are any comparable keys;
    `title` may be left out."""

    id: int
    first_name: str
    last_name: str
    email: str
    organization: Hashable | None
    state: Hashable | None
    title: str = ""


@dataclass(frozen=True, slots=True)
class Pair:
    """Two records (a < b) that may be one person: the probability, the bits it came from and the
    evidence, as (comparison, level, bits) for each comparison that said something."""

    a: int
    b: int
    score: float
    weight: float
    evidence: tuple[tuple[str, str, float], ...] = field(default=())


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


class _Person(NamedTuple):
    """A record prepared once: normalized names, the parts of its address, its sound codes."""

    id: int
    first: str
    last: str
    nick: str  # the first name's usual form ("bob" -> "robert")
    mailbox: str
    user: str  # the address's user name, unless it is a role ("info@")
    domain: str  # the address's domain, unless anyone can have one there (gmail.com)
    organization: Hashable | None
    state: Hashable | None
    title: str
    first_code: str
    last_code: str


def _prepare(records: Iterable[tuple]) -> list[_Person]:
    keys: dict[str, str] = {}  # names repeat a lot: normalize each spelling once
    codes: dict[str, str] = {}

    def key(name: str) -> str:
        found = keys.get(name)
        if found is None:
            found = keys[name] = name_key(name)
        return found

    def code(name: str) -> str:
        found = codes.get(name)
        if found is None:
            found = codes[name] = (jellyfish.metaphone(name) or name) if name else ""
        return found

    people = []
    for record in records:
        first, last = key(record[1]), key(record[2])
        nick = NICKNAMES.get(first, first)
        mailbox = email_key(record[3])
        user, _at, domain = mailbox.rpartition("@")
        people.append(
            _Person(
                record[0],
                first,
                last,
                nick,
                mailbox,
                "" if user in GENERIC_USERS or len(user) < 4 else user,
                "" if domain in FREE_MAIL else domain,
                record[4],
                record[5],
                key(record[6]) if len(record) > 6 and record[6] else "",
                code(nick),
                code(last),
            )
        )
    return people


def _blocks(people: list[_Person]) -> Iterator[list[int]]:
    """The member indexes of each block of two or more people."""
    blocks: dict[tuple, list[int]] = defaultdict(list)
    for index, p in enumerate(people):
        keys: set[tuple] = set()  # a set, so nobody is in a block twice ("Lee Lee")
        if p.mailbox:
            keys.add(("mailbox", p.mailbox))
        if p.user:
            keys.add(("user", p.user))
        if p.first_code and p.last_code:
            # Names that sound alike anywhere, either way round.
            keys.add(("name", *sorted((p.first_code, p.last_code))))
        for place in (p.organization, p.state):
            if place is None:
                continue
            # Within one place, the sound of either name and the other's initial: catches a typo
            # that changes one name's sound ("Thompson"/"Tompson"), and swapped names.
            if p.last_code:
                keys.add(("place", place, p.last_code, p.nick[:1]))
            if p.first_code:
                keys.add(("place", place, p.first_code, p.last[:1]))
        for key in keys:
            blocks[key].append(index)
    for members in blocks.values():
        if 1 < len(members) <= MAX_BLOCK:
            yield members


class _Frequencies:
    """How many people share each value, for the u-probabilities of exact agreements."""

    def __init__(self, people: list[_Person]):
        self.size = max(len(people), 1)
        self.counts: dict[str, Counter] = {
            "first_name": Counter(p.nick for p in people if p.nick),
            "last_name": Counter(p.last for p in people if p.last),
            "email": Counter(p.user for p in people if p.user),
            "organization": Counter(p.organization for p in people if p.organization is not None),
            "same_domain": Counter(p.domain for p in people if p.domain),
            "state": Counter(p.state for p in people if p.state is not None),
            "title": Counter(p.title for p in people if p.title),
        }
        self.prior = math.log2(2 * DUPLICATE_SHARE / self.size)
        self._bits: dict[tuple, float] = {}

    def bits(self, comparison: str, level: str, value: Hashable = None) -> float:
        """log2(m/u) of a level; for an exact agreement, of that value."""
        key = (comparison, level, value)
        found = self._bits.get(key)
        if found is None:
            m, u = LEVELS[comparison][level]
            if u is None:
                counts = self.counts["same_domain" if level == "same_domain" else comparison]
                names = comparison in ("first_name", "last_name")
                u = max(counts[value], 1) / (max(self.size, MIN_NAME_BASE) if names else self.size)
            found = self._bits[key] = math.log2(m / u)
            if comparison in ("first_name", "last_name"):
                found = min(found, MAX_NAME_BITS)
        return found


def _made_of_names(user: str, p: _Person) -> bool:
    """Whether a user name is only the person's names or initials ("jsmith", "john.smith",
    "smith_j"), which another person of that name would pick too; digits make it their own."""
    parts = [part for name in (p.first, p.last, p.nick) for part in name.split()]
    rest = user.replace(".", "").replace("_", "").replace("-", "")
    for part in sorted(parts, key=len, reverse=True):
        rest = rest.replace(part, "", 1)
    return len(rest) <= 2 and rest.isalpha() or rest == ""


def _alike(a: str, b: str) -> bool:
    """A typo apart: one letter changed, added, dropped or two swapped, or close by Jaro-Winkler."""
    return OSA.distance(a, b, score_cutoff=1) <= 1 or JaroWinkler.similarity(a, b) >= SIMILAR


def _first_level(a: str, a_nick: str, b: str, b_nick: str) -> str | None:
    if not a or not b:
        return None
    if a == b:
        return "same"
    if a_nick == b_nick:
        return "nickname"
    if (len(a) == 1 or len(b) == 1) and a[0] == b[0]:  # "J." and "Jane"
        return "initial"
    return "similar" if _alike(a_nick, b_nick) or _alike(a, b) else "different"


def _last_level(a: str, b: str) -> str | None:
    if not a or not b:
        return None
    if a == b:
        return "same"
    return "similar" if _alike(a, b) else "different"


def _names(firsts: tuple[str, str, str, str], lasts: tuple[str, str], freq: _Frequencies) -> list[tuple]:
    evidence = []
    level = _first_level(*firsts)
    if level:
        evidence.append(("first_name", level, freq.bits("first_name", level, firsts[1])))
    level = _last_level(*lasts)
    if level:
        evidence.append(("last_name", level, freq.bits("last_name", level, lasts[0])))
    return evidence


def _weigh(a: _Person, b: _Person, freq: _Frequencies) -> list[tuple[str, str, float]]:
    """The evidence of a pair, as (comparison, level, bits)."""
    evidence = _names((a.first, a.nick, b.first, b.nick), (a.last, b.last), freq)
    if a.first and a.last and b.first and b.last and a.first[0] == b.last[0] and a.last[0] == b.first[0]:
        b_nick_of_last = NICKNAMES.get(b.last, b.last)
        crosswise = _names((a.first, a.nick, b.last, b_nick_of_last), (a.last, b.first), freq)
        if sum(e[2] for e in crosswise) + SWAPPED_BITS > sum(e[2] for e in evidence):
            evidence = [*crosswise, ("name", "swapped", SWAPPED_BITS)]
    if a.mailbox and b.mailbox:
        if a.mailbox == b.mailbox:
            evidence.append(("email", "same", freq.bits("email", "same")))
        elif a.user and a.user == b.user:
            level = "same_user_of_name" if _made_of_names(a.user, a) else "same_user"
            evidence.append(("email", level, freq.bits("email", level, a.user)))
        else:
            evidence.append(("email", "different", freq.bits("email", "different")))
    if a.organization is not None and a.organization == b.organization:
        evidence.append(("organization", "same", freq.bits("organization", "same", a.organization)))
    elif a.domain and a.domain == b.domain:
        evidence.append(("organization", "same_domain", freq.bits("organization", "same_domain", a.domain)))
    elif a.organization is not None and b.organization is not None:
        evidence.append(("organization", "different", freq.bits("organization", "different")))
    for name, mine, theirs in (("state", a.state, b.state), ("title", a.title, b.title)):
        if mine is not None and mine != "" and theirs is not None and theirs != "":
            level = "same" if mine == theirs else "different"
            evidence.append((name, level, freq.bits(name, level, mine)))
    return evidence


def probability(weight: float) -> float:
    return 1 / (1 + 2 ** -max(min(weight, 60), -60))


def find_duplicates(records: Iterable[tuple], *, threshold: float = THRESHOLD) -> list[Pair]:
    """Pairs among `records` (tuples shaped like `Record`) at least `threshold` likely to be one
    person, most likely first."""
    people = _prepare(records)
    freq = _Frequencies(people)
    size = len(people)
    seen: set[int] = set()
    pairs: list[Pair] = []
    for members in _blocks(people):
        for x, i in enumerate(members):
            a = people[i]
            for j in members[x + 1 :]:  # members are in index order, so i < j
                if (ij := i * size + j) in seen:
                    continue
                seen.add(ij)
                b = people[j]
                evidence = _weigh(a, b, freq)
                weight = freq.prior + sum(e[2] for e in evidence)
                score = probability(weight)
                if score >= threshold and a.id != b.id:
                    low, high = (a.id, b.id) if a.id < b.id else (b.id, a.id)
                    rounded = tuple((c, level, round(bits, 1)) for c, level, bits in evidence)
                    pairs.append(Pair(low, high, round(score, 4), round(weight, 2), rounded))
    pairs.sort(key=lambda p: (-p.weight, p.a, p.b))
    return pairs

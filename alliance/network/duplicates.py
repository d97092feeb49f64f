"""Likely duplicate people as staff see them: the worker scores the member base with the finder in
network/matching.py and stores the pairs (DuplicatePair), shortly after people change; the
duplicates page reads them a page at a time, most likely first, and merges remove them at once.
"""

import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from alliance.core import policy
from alliance.network.matching import COMPARISONS, KEEP_FROM, LEVEL_LABELS, THRESHOLD, find_duplicates
from alliance.network.models import DistinctPair, DuplicatePair, Person, PersonMerge


def _records() -> Iterator[tuple]:
    people = Person.objects.exclude(status=Person.Status.MERGED)
    fields = ("pk", "first_name", "last_name", "email", "organization_id", "state_id", "title")
    return people.values_list(*fields).iterator(chunk_size=5000)


def duplicates_refresh() -> int:
    """Score the whole member base again and store the pairs worth showing (run by the worker).

    Replaces the stored pairs in one transaction, so the page never sees half a list; returns how
    many were stored. Pairs staff called different people are kept out.
    """
    started = timezone.now()
    cache.delete(QUEUED_KEY)  # changes from now on queue another run
    version = _version()
    pairs = find_duplicates(_records(), threshold=KEEP_FROM)
    distinct = set(DistinctPair.objects.values_list("first_id", "second_id"))
    rows = [
        DuplicatePair(first_id=p.a, second_id=p.b, score=p.score, weight=p.weight, evidence=p.evidence, found=started)
        for p in pairs
        if (p.a, p.b) not in distinct
    ]
    with transaction.atomic():
        DuplicatePair.objects.all().delete()
        DuplicatePair.objects.bulk_create(rows, batch_size=2000)
    cache.set(SCANNED_KEY, {"finished": timezone.now(), "pairs": len(rows), "version": version}, None)
    return len(rows)


def _version() -> tuple:
    """What changes when people are added, changed or merged, even by bulk writes that send no
    signal: (people not merged, the highest id, the latest history row)."""
    people = Person.objects.exclude(status=Person.Status.MERGED).aggregate(n=Count("pk"), last=Max("pk"))
    return (people["n"], people["last"], Person.history.aggregate(last=Max("history_id"))["last"])


def duplicates_refresh_if_stale() -> int:
    """Queue a refresh when people changed since the pairs were computed (the worker's sweep
    calls this, for changes made without signals, such as bulk imports); 1 if queued."""
    scanned = duplicates_scanned()
    if scanned is not None and tuple(scanned.get("version") or ()) == _version():
        return 0
    duplicates_refresh_soon()
    return 1


# Set while a refresh is queued, so a burst of changes (an import, a demo) queues one run.
QUEUED_KEY = "network.duplicates.queued"
SCANNED_KEY = "network.duplicates.scanned"


def duplicates_refresh_soon() -> None:
    """Queue one refresh of the stored pairs, DUPLICATES_DELAY_SECONDS from now, unless one is
    queued already (called whenever people change; the worker does the work)."""
    delay = settings.DUPLICATES_DELAY_SECONDS
    if not cache.add(QUEUED_KEY, True, timeout=max(delay * 10, 60)):
        return
    from alliance.network.tasks import refresh_duplicates

    def enqueue() -> None:
        task = refresh_duplicates
        if delay and task.get_backend().supports_defer:
            task = task.using(run_after=timezone.now() + timedelta(seconds=delay))
        task.enqueue()

    transaction.on_commit(enqueue)


def duplicates_scanned() -> dict | None:
    """When the stored pairs were last computed, and how many: {"finished", "pairs"}, or None."""
    return cache.get(SCANNED_KEY)


def duplicate_pairs_forget(*, people: Iterable[int]) -> int:
    """Remove the stored pairs of some people at once (a merge, or staff calling two records
    different people), without waiting for the next refresh."""
    ids = list(people)
    return DuplicatePair.objects.filter(Q(first__in=ids) | Q(second__in=ids)).delete()[0]


def duplicate_pairs(*, threshold: float = THRESHOLD) -> QuerySet[DuplicatePair]:
    """Stored pairs at least `threshold` likely, most likely first, with both people and what a
    row shows; pairs whose people were merged since, or were called different people, left out."""
    distinct = DistinctPair.objects.filter(first=OuterRef("first"), second=OuterRef("second"))
    return (
        DuplicatePair.objects.filter(score__gte=threshold)
        .exclude(first__status=Person.Status.MERGED)
        .exclude(second__status=Person.Status.MERGED)
        .exclude(Exists(distinct))
        .select_related("first__state", "first__organization", "second__state", "second__organization")
        .order_by("-score", "-weight", "pk")
    )


@dataclass(frozen=True)
class DuplicateRow:
    """A stored pair ready to show: `kept` is the record kept unless staff choose the other, and
    the evidence in words, strongest first."""

    pair: DuplicatePair
    kept: Person
    removed: Person
    evidence: list[tuple[str, str, float]]

    @property
    def likely(self) -> int:
        """The probability in whole percent, never rounded up to a certain 100."""
        return math.floor(self.pair.score * 100)


def merge_default_kept(a: Person, b: Person) -> Person:
    """The record to keep by default: confirmed, then with an account, then the older one."""
    return min(a, b, key=lambda p: (p.confirmed is None, p.user_id is None, p.joined, p.pk))


def duplicate_rows(pairs: Iterable[DuplicatePair]) -> list[DuplicateRow]:
    """A page of stored pairs as rows (no query: `duplicate_pairs` joined the people)."""
    rows = []
    for pair in pairs:
        kept = merge_default_kept(pair.first, pair.second)
        evidence = sorted(pair.evidence, key=lambda e: -abs(e[2]))
        words = [(str(COMPARISONS[c]), str(LEVEL_LABELS[level]), bits) for c, level, bits in evidence]
        rows.append(DuplicateRow(pair, kept, pair.second if kept is pair.first else pair.first, words))
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

"""Federated measures: the same Ibis queries run inside a state's own database (any engine Ibis
speaks; PostgreSQL here), so only aggregates leave the state, and a count under the state's
threshold leaves it as hidden, never as a number.

The state's table holds the store's fact columns (store.FACT_TYPES but `dataset`). Its figures
join the store's on the dashboards as if loaded, under the source's sharing level.
"""

import functools
import os
import re

import ibis
from django.db.models import QuerySet

from alliance.measure import queries, selectors
from alliance.measure.models import FederatedSource
from alliance.measure.published import threshold_for

IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,62}$")


class FederationError(Exception):
    """A state's database that cannot be reached or read, said in words for the backbone."""


def visible_sources(user) -> QuerySet[FederatedSource]:
    return FederatedSource.objects.filter(selectors.shared_with(user), active=True)


@functools.lru_cache(maxsize=32)
def _backend(url: str):
    return ibis.connect(url)


def remote_table(source: FederatedSource) -> ibis.Table:
    url = os.environ.get(source.url_variable, "")
    if not url:
        raise FederationError(f"{source.url_variable} is not set: {source} cannot be reached")
    if not IDENTIFIER.match(source.table):
        raise FederationError(f"{source.table!r} is not a table name")
    try:
        return _backend(url).table(source.table)
    except Exception as exc:  # the driver's own errors: unreachable, refused, no such table
        _backend.cache_clear()
        raise FederationError(f"{source}: {type(exc).__name__}: {str(exc).splitlines()[0][:200]}") from exc


def remote_figures(source: FederatedSource, selection: queries.Selection) -> list[queries.Figure]:
    """The selection's sums computed in the state's database, small ones hidden there."""
    table = remote_table(source)
    if table.columns and "dataset" not in table.columns:
        table = table.mutate(dataset=ibis.literal(0))
    threshold = threshold_for([source.state])
    sums = queries.totals(table, selection)
    small = (sums.value > 0) & (sums.value < threshold)
    masked = sums.mutate(
        value=ibis.ifelse(small, ibis.null("int64"), sums.value), hidden=sums.hidden + small.ifelse(1, 0)
    )
    columns = ["state", "year", "act", "place_kind", "group", "part", "splits", "value", "hidden"]
    try:
        rows = masked.select(*columns).to_pyarrow().to_pylist()
    except Exception as exc:
        raise FederationError(f"{source}: {type(exc).__name__}: {str(exc).splitlines()[0][:200]}") from exc
    rows = [row for row in rows if row["state"] == source.state]  # a source speaks for its own state only
    return queries.pick_place_kind(rows)


def federated_figures(user, selection: queries.Selection, *, skip_states: set[str]) -> list[queries.Figure]:
    """Figures from every state database the reader may see, for states the store has none of."""
    found: list[queries.Figure] = []
    for source in visible_sources(user):
        if source.state in skip_states or (selection.states and source.state not in selection.states):
            continue
        found += remote_figures(source, selection)
    return found

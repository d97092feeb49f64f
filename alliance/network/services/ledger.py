"""The engagement ledger: what happened to or by a person, on their timeline (network.Event)."""

from alliance.network.models import (
    Event,
    Person,
)


def event_record(*, person: Person, kind: str, summary: str, actor: Person | None = None, **data) -> Event:
    """Add an entry to a person's timeline (the engagement ledger)."""
    return Event.objects.create(person=person, kind=kind, summary=summary[:300], actor=actor, data=data)

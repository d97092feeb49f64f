"""What every write of the network shares: its one error, the stored form of an address, finding
the organization a person typed in, and the language to write to a person in."""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import translation

from alliance.network.models import (
    Organization,
    Person,
    Sector,
    State,
)


class NetworkError(Exception):
    pass


def normalize_email(raw: str) -> str:
    """The one form an address is stored and compared in: no surrounding spaces, lower case."""
    return raw.strip().lower()


def organization_named(*, name: str, state: State | None, sector: Sector | None = None) -> Organization | None:
    """The organization a person typed in, found or created; None when they left it blank."""
    return organization_get_or_create(name=name, state=state, sector=sector) if name.strip() else None


def organization_get_or_create(*, name: str, state: State | None, sector: Sector | None = None) -> Organization:
    """The organization of that name in that state (case-insensitive), created when new.

    The name of an organization merged into another finds the one it was merged into.
    """
    name = " ".join(name.split())
    existing = Organization.objects.filter(name__iexact=name, state=state).first()
    if existing is None:
        try:
            with transaction.atomic():
                return Organization.objects.create(name=name, state=state, sector=sector)
        except IntegrityError:  # created meanwhile by a concurrent sign-up
            existing = Organization.objects.get(name__iexact=name, state=state)
    while existing.merged_into_id is not None:
        existing = Organization.objects.get(pk=existing.merged_into_id)
    return existing


def person_language(person: Person) -> str:
    """The language to write to `person` in: theirs when the site offers it, else the site's default."""
    try:
        return translation.get_supported_language_variant(person.language or settings.LANGUAGE_CODE)
    except LookupError:
        return settings.LANGUAGE_CODE


def _one_line(text: str) -> str:
    """Text for a mail header: a line break in a name must not break (or forge) a header."""
    return " ".join(text.split())

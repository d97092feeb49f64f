"""Reads of the member network, with their joins done; and the access helpers views call."""

from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404

from alliance.core import policy
from alliance.network.models import Event, Organization, Person, Sector, State, Welcome


def person_active_list() -> QuerySet[Person]:
    return Person.objects.filter(status=Person.Status.ACTIVE)


@dataclass(frozen=True)
class DirectoryFilters:
    q: str = ""
    state: str = ""
    sector: str = ""
    role: str = ""
    organization: int | None = None


def person_directory(*, filters: DirectoryFilters, search_email: bool = False) -> QuerySet[Person]:
    """Active people matching a directory search, with what a directory row shows.

    `search_email` lets the words match addresses too; only for those who may see them
    (policy "network.person.view_contact"), or a member could probe who is in the network.
    """
    people = person_active_list().select_related("state", "organization", "sector").prefetch_related("roles")
    for word in filters.q.lower().split():
        # One indexed column for names (Person.search), organizations by their own small table.
        matches = Q(search__contains=word) | Q(
            organization__in=Organization.objects.filter(name__icontains=word).values("pk")
        )
        if search_email:
            matches |= Q(email__contains=word)  # stored in lower case
        people = people.filter(matches)
    if filters.state:
        people = people.filter(state=filters.state)
    if filters.sector:
        people = people.filter(sector=filters.sector)
    if filters.role:
        people = people.filter(roles=filters.role)
    if filters.organization:
        people = people.filter(organization=filters.organization)
    return people.order_by(*DIRECTORY_ORDER)


DIRECTORY_ORDER = ["last_name", "first_name", "pk"]


def directory_filtered(filters: DirectoryFilters) -> bool:
    return bool(filters.q or filters.state or filters.sector or filters.role or filters.organization)


@dataclass(frozen=True)
class OrganizationFilters:
    q: str = ""
    state: str = ""
    sector: str = ""


def organization_directory(*, filters: OrganizationFilters) -> QuerySet[Organization]:
    """Organizations matching a search, each with its count of active members as `members`."""
    # Counted for the rows of the page only (a subquery per row, through the people's organization
    # index), not by grouping all 100,000 people before the first page can be cut.
    members = (
        Person.objects.filter(organization=OuterRef("pk"), status=Person.Status.ACTIVE)
        .order_by()
        .values("organization")
        .annotate(n=Count("pk"))
        .values("n")
    )
    organizations = Organization.objects.select_related("state", "sector").annotate(
        members=Coalesce(Subquery(members), 0)
    )
    for word in filters.q.split():
        organizations = organizations.filter(name__icontains=word)
    if filters.state:
        organizations = organizations.filter(state=filters.state)
    if filters.sector:
        organizations = organizations.filter(sector=filters.sector)
    return organizations.order_by("name", "pk")


# The public counts are cached: they cost a scan of every person, and the home page is public.
# Forgotten whenever a person or organization changes; bulk writes are caught by the short TTL.
COUNTS_KEY = "network.counts"
COUNTS_SECONDS = 60


def network_counts() -> dict:
    """Active members by member state and by sector, for the home page (cached)."""
    counts = cache.get(COUNTS_KEY)
    if counts is None:
        counts = _network_counts()
        cache.set(COUNTS_KEY, counts, COUNTS_SECONDS)
    return counts


def network_counts_forget() -> None:
    cache.delete(COUNTS_KEY)


def _network_counts() -> dict:
    active = Q(people__status=Person.Status.ACTIVE)
    states = list(
        State.objects.filter(is_member=True).annotate(members=Count("people", filter=active)).order_by("name")
    )
    sectors = list(Sector.objects.annotate(members=Count("people", filter=active)).order_by("position"))
    total = person_active_list().count()
    return {
        "total": total,
        "organizations": Organization.objects.filter(people__status=Person.Status.ACTIVE).distinct().count(),
        "states": states,
        "sectors": sectors,
        "top": max([s.members for s in states + sectors] or [1]) or 1,
    }


def person_timeline(*, person: Person) -> QuerySet[Event]:
    return person.events.select_related("actor").order_by("-occurred", "-pk")


def organization_timeline(*, organization: Organization) -> QuerySet[Event]:
    return Event.objects.filter(person__organization=organization).select_related("person", "actor")


def newcomers_of(*, sender: Person) -> QuerySet[Welcome]:
    """The people a steering committee member welcomed, newest first, to follow up with."""
    return (
        Welcome.objects.filter(sender=sender)
        .select_related("person__state", "person__organization", "person__sector")
        .order_by("-created", "-pk")
    )


def person_of(user) -> Person | None:
    if not user.is_authenticated:
        return None
    return Person.objects.filter(user=user).first()


def access_person(*, user, person_id: int) -> Person:
    """The active person a signed-in user may see; 404 for anything else."""
    policy.require(user, "network.person.view")
    person = (
        Person.objects.select_related("state", "organization", "sector")
        .prefetch_related("roles")
        .filter(pk=person_id, status=Person.Status.ACTIVE)
        .first()
    )
    if person is None:
        raise Http404("No such person")
    return person


def access_organization(*, user, organization_id: int) -> Organization:
    policy.require(user, "network.organization.view")
    organization = Organization.objects.select_related("state", "sector").filter(pk=organization_id).first()
    if organization is None:
        raise Http404("No such organization")
    return organization


def access_welcome(*, user, welcome_id: int) -> Welcome:
    """A welcome its own sender (or backbone staff) may act on."""
    policy.require(user, "network.newcomers.view")
    welcome = Welcome.objects.select_related("person", "sender").filter(pk=welcome_id).first()
    if welcome is None:
        raise Http404("No such welcome")
    me = person_of(user)
    if not (policy.can(user, "network.person.edit") or (me and welcome.sender_id == me.pk)):
        raise Http404("No such welcome")
    return welcome

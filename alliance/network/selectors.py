"""Reads of the member network, with their joins done; and the access helpers views call."""

from dataclasses import dataclass
from datetime import timedelta

from django.core.cache import cache
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from alliance.core import policy
from alliance.network.models import Event, Organization, Person, PersonEmail, Sector, State, Welcome


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
    organizations = (
        Organization.objects.filter(merged_into__isnull=True)
        .select_related("state", "sector")
        .annotate(members=Coalesce(Subquery(members), 0))
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


def welcomes_needing_attention() -> QuerySet[Welcome]:
    """Welcomes staff must look at: failed ones (with the reason) and those waiting for a sender."""
    return (
        Welcome.objects.filter(status__in=[Welcome.Status.FAILED, Welcome.Status.WAITING])
        .select_related("person__state", "sender")
        .order_by("-created", "-pk")
    )


def welcomes_all() -> QuerySet[Welcome]:
    """Every welcome with its newcomer and sender, newest first (staff's list of who welcomed whom)."""
    return Welcome.objects.select_related("person__state", "sender").order_by("-created", "-pk")


def person_of(user) -> Person | None:
    if not user.is_authenticated:
        return None
    return Person.objects.filter(user=user).first()


def access_person(*, user, person_id: int) -> Person:
    """The active person a signed-in user may see (staff: a deactivated one too); 404 for anything else."""
    policy.require(user, "network.person.view")
    statuses = [Person.Status.ACTIVE]
    if policy.can(user, "network.person.deactivate"):
        statuses.append(Person.Status.INACTIVE)  # staff reach them to reactivate
    person = (
        Person.objects.select_related("state", "organization", "sector")
        .prefetch_related("roles")
        .filter(pk=person_id, status__in=statuses)
        .first()
    )
    if person is None:
        raise Http404("No such person")
    return person


def access_organization(*, user, organization_id: int) -> Organization:
    policy.require(user, "network.organization.view")
    organization = (
        Organization.objects.select_related("state", "sector")
        .filter(pk=organization_id, merged_into__isnull=True)
        .first()
    )
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


def person_inactive_list() -> QuerySet[Person]:
    """Deactivated people, most recently changed first, for staff to find and reactivate."""
    return (
        Person.objects.filter(status=Person.Status.INACTIVE)
        .select_related("state", "organization")
        .order_by("last_name", "first_name", "pk")
    )


def person_by_email(*, email: str, for_update: bool = False) -> Person | None:
    """The person an address (normalized) belongs to: their own, else one of their other addresses
    (a record merged into theirs had it). A merged record is returned only when nobody else has it."""
    people = Person.objects.select_for_update() if for_update else Person.objects.all()
    person = people.filter(email=email).first()
    if person is not None and person.status != Person.Status.MERGED:
        return person
    owner = PersonEmail.objects.filter(email=email).values_list("person_id", flat=True).first()
    if owner is not None:
        return people.filter(pk=owner).first()
    return person


def person_extra_emails(*, person: Person) -> list[str]:
    return list(person.extra_emails.values_list("email", flat=True))


def welcomes_not_followed_up(*, days: int) -> QuerySet[Welcome]:
    """Welcomes sent more than `days` days ago to active newcomers whom their committee member has
    not followed up, grouped by committee member, the longest waiting first."""
    since = timezone.now() - timedelta(days=days)
    return (
        Welcome.objects.filter(
            status=Welcome.Status.SENT, sent__lt=since, followed_up__isnull=True, person__status=Person.Status.ACTIVE
        )
        .select_related("sender", "person__state", "person__organization")
        .order_by("sender__last_name", "sender__first_name", "sender_id", "sent", "pk")
    )


def follow_up_counts(*, welcomes: QuerySet[Welcome]) -> list[dict]:
    """How many of `welcomes` each committee member has waiting, most first."""
    rows = welcomes.order_by().values("sender", "sender__first_name", "sender__last_name").annotate(waiting=Count("pk"))
    return sorted(
        (dict(row) for row in rows), key=lambda row: (-row["waiting"], row["sender__last_name"], row["sender"])
    )

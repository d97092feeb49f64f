"""The network's API: people, organizations, states. Mounted at /api/network/ by alliance/api.

Endpoints ask the same policy rules and access helpers as the HTML pages. They raise Http404,
PermissionDenied or Ninja's ValidationError; the API app turns those into its one error shape
and documents them in the schema.
"""

from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest
from ninja import Field, Path, Query, Router, Schema, Status
from ninja.errors import ValidationError
from ninja.pagination import LimitOffsetPagination, PaginationBase, paginate

from alliance.core import policy
from alliance.core.http import ApiRequest
from alliance.core.paging import COUNT_CAP, capped_count, keyset_page
from alliance.network import people, selectors, services
from alliance.network.models import Organization, Person, Sector, State
from alliance.network.schemas import (
    MAX_ID,
    OrganizationFiltersIn,
    OrganizationOut,
    PersonFiltersIn,
    PersonIn,
    PersonOut,
    StateFiltersIn,
    StateOut,
)

router = Router(tags=["network"])


class Paging(LimitOffsetPagination):
    """limit/offset paging, bounded so no request asks the database for an absurd slice."""

    class Input(Schema):
        limit: int = Field(50, ge=1, le=100)
        offset: int = Field(0, ge=0, le=1_000_000)


class PeoplePaging(PaginationBase):
    """Pages of the directory: `limit`/`offset` for the first pages, `cursor` for any page.

    `next` is the cursor of the page after this one (null on the last): pass it back as `cursor`.
    A cursor page is found through the directory's index, so the 2,000th page costs what the
    first does, where an offset makes the database read and drop every row before it. `count`
    stops at 10,000 (`count_capped` then says there are more).
    """

    class Input(Schema):
        limit: int = Field(50, ge=1, le=100)
        offset: int = Field(0, ge=0, le=COUNT_CAP, description="Rows to skip; beyond 10,000 use `cursor`.")
        cursor: int | None = Field(None, ge=1, le=MAX_ID, description="The `next` of the previous page.")

    class Output(Schema):
        items: list[Any]
        count: int
        count_capped: bool
        next: int | None

    def paginate_queryset(self, queryset: QuerySet, pagination: Any, request: HttpRequest, **params: Any) -> dict:
        if pagination.cursor is None and pagination.offset:
            rows = list(queryset[pagination.offset : pagination.offset + pagination.limit + 1])
            count, capped = capped_count(queryset)
            more = len(rows) > pagination.limit
            rows = rows[: pagination.limit]
            return {"items": rows, "count": count, "count_capped": capped, "next": rows[-1].pk if more else None}
        page = keyset_page(queryset, order=selectors.DIRECTORY_ORDER, size=pagination.limit, after=pagination.cursor)
        return {"items": page.rows, "count": page.count, "count_capped": page.count_capped, "next": page.next_cursor}


@router.get("/people", response=list[PersonOut], summary="Active people in the directory")
@paginate(PeoplePaging)
def people_list(request: ApiRequest, filters: Query[PersonFiltersIn]) -> QuerySet[Person]:
    policy.require(request.auth, "network.directory.view")
    return selectors.person_directory(
        filters=selectors.DirectoryFilters(
            q=filters.q.strip(),
            state=(filters.state or "").upper(),
            sector=filters.sector or "",
            role=filters.role or "",
            organization=filters.organization,
        ),
        search_email=policy.can(request.auth, "network.person.view_contact"),
    )


@router.get("/people/{person_id}", response=PersonOut, summary="One active person")
def person_detail(request: ApiRequest, person_id: int = Path(..., ge=1, le=MAX_ID)) -> Person:
    return selectors.access_person(user=request.auth, person_id=person_id)


@router.post("/people", response={201: PersonOut}, summary="Add an active person (backbone staff)")
def person_create(request: ApiRequest, payload: PersonIn) -> Status:
    policy.require(request.auth, "network.person.edit")
    state = _reference(State, "state", payload.state.upper() if payload.state else None)
    sector = _reference(Sector, "sector", payload.sector)
    try:
        person = people.person_create(
            first_name=payload.first_name,
            last_name=payload.last_name,
            email=payload.email,
            state=state,
            sector=sector,
            organization_name=payload.organization_name,
            title=payload.title,
            actor=request.auth,
            source=Person.Source.API,
            roles=set(payload.roles),
        )
    except services.NetworkError as exc:
        raise _invalid("email", str(exc)) from exc
    return Status(201, selectors.access_person(user=request.auth, person_id=person.pk))


def _reference(model, field: str, key: str | None):
    """The State or Sector a payload names by its key, or None; an unknown key is a 422."""
    if key is None:
        return None
    found = model.objects.filter(pk=key).first()
    if found is None:
        raise _invalid(field, f"no {field} {key!r}")
    return found


def _invalid(field: str, message: str) -> ValidationError:
    return ValidationError([{"loc": ("body", "payload", field), "msg": message, "type": "value_error"}])


@router.get("/organizations", response=list[OrganizationOut], summary="Organizations in the network")
@paginate(Paging)
def organizations_list(request: ApiRequest, filters: Query[OrganizationFiltersIn]) -> QuerySet[Organization]:
    policy.require(request.auth, "network.organization.view")
    return selectors.organization_directory(
        filters=selectors.OrganizationFilters(
            q=filters.q.strip(), state=(filters.state or "").upper(), sector=filters.sector or ""
        )
    )


@router.get("/organizations/{organization_id}", response=OrganizationOut, summary="One organization")
def organization_detail(request: ApiRequest, organization_id: int = Path(..., ge=1, le=MAX_ID)) -> Organization:
    organization = selectors.access_organization(user=request.auth, organization_id=organization_id)
    return selectors.organization_directory(filters=selectors.OrganizationFilters()).get(pk=organization.pk)


@router.get("/states", response=list[StateOut], auth=None, summary="States and their member counts (public)")
@paginate(Paging)
def states_list(request: ApiRequest, filters: Query[StateFiltersIn]) -> QuerySet[State]:
    # Public, like the counts on the home page (policy "network.stats.view").
    policy.require(request.user, "network.stats.view")
    states = State.objects.annotate(members=Count("people", filter=Q(people__status=Person.Status.ACTIVE)))
    if filters.is_member is not None:
        states = states.filter(is_member=filters.is_member)
    return states.order_by("name")

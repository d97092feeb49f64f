"""Input and output schemas of the network's API (alliance/network/api.py). In and Out stay separate."""

from datetime import datetime
from typing import Literal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from ninja import Field, Schema
from pydantic import field_validator

from alliance.core import policy
from alliance.core.validators import text_problem
from alliance.network.services import normalize_email

# The largest key the database can hold; bigger numbers are refused as input, not sent to SQL.
MAX_ID = 2**63 - 1
# Free text may not carry control characters (PostgreSQL refuses NUL outright).
NO_CONTROL = r"^[^\x00-\x1f\x7f]*$"
CODE = r"^[A-Za-z]{2}$"
SLUG = r"^[-a-z0-9_]+$"


class StateRefOut(Schema):
    code: str
    name: str


class SectorRefOut(Schema):
    slug: str
    name: str


class OrganizationRefOut(Schema):
    id: int
    name: str


class PersonOut(Schema):
    id: int
    first_name: str
    last_name: str
    full_name: str
    # Only leaders (policy "network.person.view_contact") see addresses; everyone else gets null.
    email: str | None
    title: str
    state: StateRefOut | None
    sector: SectorRefOut | None
    organization: OrganizationRefOut | None
    roles: list[str]
    joined: datetime

    @staticmethod
    def resolve_email(obj, context) -> str | None:
        return obj.email if policy.can(context["request"].auth, "network.person.view_contact") else None

    @staticmethod
    def resolve_roles(obj) -> list[str]:
        return [role.code for role in obj.roles.all()]


class PersonFiltersIn(Schema):
    q: str = Field("", max_length=100, pattern=NO_CONTROL, description="Words in the name or organization")
    state: str | None = Field(None, pattern=CODE, description="State code, e.g. CO")
    sector: str | None = Field(None, max_length=40, pattern=SLUG, description="Sector slug, e.g. k12")
    role: str | None = Field(None, max_length=20, pattern=SLUG, description="Role code, e.g. steering")
    organization: int | None = Field(None, ge=1, le=MAX_ID, description="Organization id")


class PersonIn(Schema):
    first_name: str = Field(min_length=1, max_length=100, pattern=NO_CONTROL)
    last_name: str = Field(min_length=1, max_length=100, pattern=NO_CONTROL)
    email: str = Field(max_length=254, json_schema_extra={"format": "email"})
    state: str | None = Field(None, pattern=CODE, description="State code, e.g. CO")
    sector: str | None = Field(None, max_length=40, pattern=SLUG, description="Sector slug, e.g. k12")
    organization_name: str = Field("", max_length=200, pattern=NO_CONTROL)
    title: str = Field("", max_length=200, pattern=NO_CONTROL)
    roles: list[Literal["backbone", "steering", "chair", "member"]] = Field(
        default_factory=list, max_length=4, description="Roles besides membership, which everyone holds"
    )

    @field_validator("first_name", "last_name", "organization_name", "title")
    @classmethod
    def _visible_single_line(cls, value: str) -> str:
        if problem := text_problem(value):
            raise ValueError(problem)
        return value

    @field_validator("first_name", "last_name")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("may not be blank")
        return value.strip()

    @field_validator("email")
    @classmethod
    def _an_address(cls, value: str) -> str:
        value = normalize_email(value)
        try:
            validate_email(value)
        except DjangoValidationError as exc:
            raise ValueError("is not a valid email address") from exc
        return value


class OrganizationOut(Schema):
    id: int
    name: str
    website: str
    state: StateRefOut | None
    sector: SectorRefOut | None
    members: int = Field(description="Active members of the network in this organization")


class OrganizationFiltersIn(Schema):
    q: str = Field("", max_length=100, pattern=NO_CONTROL, description="Words in the name")
    state: str | None = Field(None, pattern=CODE, description="State code, e.g. CO")
    sector: str | None = Field(None, max_length=40, pattern=SLUG, description="Sector slug, e.g. k12")


class StateOut(Schema):
    code: str
    name: str
    is_member: bool
    members: int = Field(description="Active members of the network in this state")


class StateFiltersIn(Schema):
    is_member: bool | None = Field(None, description="Only the alliance's own states (true) or only others (false)")

"""Who may do what: the one place Alliance's permission rules live.

Views and API endpoints never test roles themselves; they call `can(user, action)` or
`require(user, action)`, usually through an app's `access_<noun>` helpers.

Roles come from the person linked to the account (`user.person.roles`); Django staff and
superusers count as backbone staff. An anonymous visitor has the role `anonymous` only.
"""

from django.core.exceptions import PermissionDenied

ANONYMOUS = "anonymous"
MEMBER = "member"
CHAIR = "chair"
STEERING = "steering"
BACKBONE = "backbone"

SIGNED_IN = frozenset({MEMBER, CHAIR, STEERING, BACKBONE})
LEADERS = frozenset({STEERING, BACKBONE})

RULES: dict[str, frozenset[str]] = {
    # Anyone may join and see the alliance's public counts.
    "network.join": frozenset({ANONYMOUS, *SIGNED_IN}),
    "network.stats.view": frozenset({ANONYMOUS, *SIGNED_IN}),
    # Members find peers: names, organizations, states, sectors; never contact details.
    "network.directory.view": SIGNED_IN,
    "network.person.view": SIGNED_IN,
    "network.organization.view": SIGNED_IN,
    "network.profile.edit": SIGNED_IN,
    # Leaders reach people: email addresses and timelines.
    "network.person.view_contact": LEADERS,
    "network.person.view_timeline": LEADERS,
    "network.newcomers.view": LEADERS,
    # Staff see every committee member's newcomers still waiting for a personal follow-up.
    "network.newcomers.follow_ups": frozenset({BACKBONE}),
    # The backbone runs the member base.
    "network.person.edit": frozenset({BACKBONE}),
    "network.person.deactivate": frozenset({BACKBONE}),
    "network.organization.edit": frozenset({BACKBONE}),
    "network.organizations.merge": frozenset({BACKBONE}),
    "network.people.export": frozenset({BACKBONE}),
    "network.people.import": frozenset({BACKBONE}),
    "network.people.merge": frozenset({BACKBONE}),
    "network.welcome.edit": frozenset({BACKBONE}),
    "api.token.create": SIGNED_IN,
}


def roles_of(user) -> frozenset[str]:
    """The role codes the user holds (cached on the user object for the request)."""
    if user is None or not user.is_authenticated:
        return frozenset({ANONYMOUS})
    cached = getattr(user, "_alliance_roles", None)
    if cached is not None:
        return cached
    roles: set[str] = set()
    person = getattr(user, "person", None) if hasattr(user, "person") else None
    if person is not None and person.status == "active":
        roles.update(person.roles.values_list("code", flat=True))
        roles.add(MEMBER)
    if user.is_staff or user.is_superuser:
        roles.add(BACKBONE)
    result = frozenset(roles)
    user._alliance_roles = result
    return result


def can(user, action: str) -> bool:
    if action not in RULES:
        raise KeyError(f"no policy rule named {action!r}")
    return bool(roles_of(user) & RULES[action])


def require(user, action: str) -> None:
    """Raise PermissionDenied unless the user may do `action`."""
    if not can(user, action):
        raise PermissionDenied(action)

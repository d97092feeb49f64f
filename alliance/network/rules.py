"""The network's roles and its permission rules (read by core.policy with every app's rules).

Roles come from the person linked to the account (`user.person.roles`) while that person is
active; Django staff and superusers count as backbone staff. Other apps import the role codes
and sets from here to write their own rules.
"""

from alliance.core.policy import ANONYMOUS, AUTHENTICATED
from alliance.network.reference import ROLES as ROLES

MEMBER = "member"
CHAIR = "chair"
STEERING = "steering"
BACKBONE = "backbone"

SIGNED_IN = frozenset({MEMBER, CHAIR, STEERING, BACKBONE})
LEADERS = frozenset({STEERING, BACKBONE})
EVERYONE = frozenset({ANONYMOUS, AUTHENTICATED})

RULES: dict[str, frozenset[str]] = {
    # Anyone may join and see the alliance's public counts; visitors are offered to join or log in.
    "network.join": EVERYONE,
    "network.stats.view": EVERYONE,
    "network.account.login": frozenset({ANONYMOUS}),
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
    "network.admin.view": frozenset({BACKBONE}),
}


def roles_of(user) -> set[str]:
    """The roles the network grants this signed-in user."""
    roles: set[str] = set()
    person = getattr(user, "person", None) if hasattr(user, "person") else None
    if person is not None and person.status == "active":
        roles.update(person.roles.values_list("code", flat=True))
        roles.add(MEMBER)
    if user.is_staff or user.is_superuser:
        roles.add(BACKBONE)
    return roles


def state_of(user) -> str | None:
    """The code of the state the user's person belongs to, while that person is active."""
    person = getattr(user, "person", None) if hasattr(user, "person") else None
    if person is None or person.status != "active" or person.state_id is None:
        return None
    return person.state_id

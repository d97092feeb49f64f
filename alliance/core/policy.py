"""Who may do what: the one place Alliance's permission rules are read.

Each app declares its actions in its own `rules.py` (`RULES`: action -> the role codes allowed)
and any roles of its own (`ROLES`: [(code, name)], such as a state's data lead); the app that
knows people grants roles through `roles_of(user)` and says which state a user belongs to through
`state_of(user)` in its `rules.py` (see core.contributions). This module merges them and
answers; it names no app, action or role of its own but `anonymous`, the role of a visitor who
is not signed in, and `authenticated`, which every signed-in account holds whatever else it is
(an account need not belong to a member).

Views and API endpoints never test roles themselves; they call `can(user, action)` or
`require(user, action)`, usually through an app's `access_<noun>` helpers.
"""

import functools

from django.core.exceptions import PermissionDenied
from django.core.signals import setting_changed
from django.dispatch import receiver

from alliance.core import contributions

ANONYMOUS = "anonymous"
AUTHENTICATED = "authenticated"


@functools.cache
def rules() -> dict[str, frozenset[str]]:
    """Every action of every installed app, with the roles allowed to take it."""
    merged: dict[str, frozenset[str]] = {}
    for module in contributions.modules("rules"):
        for action, roles in getattr(module, "RULES", {}).items():
            if action in merged:
                raise ValueError(f"policy action {action!r} is declared twice ({module.__name__})")
            merged[action] = frozenset(roles)
    return merged


def roles_of(user) -> frozenset[str]:
    """The role codes the user holds (cached on the user object for the request)."""
    if user is None or not user.is_authenticated:
        return frozenset({ANONYMOUS})
    cached = getattr(user, "_alliance_roles", None)
    if cached is not None:
        return cached
    roles: set[str] = {AUTHENTICATED}
    for module in contributions.modules("rules"):
        grant = getattr(module, "roles_of", None)
        if grant is not None:
            roles.update(grant(user))
    result = frozenset(roles)
    user._alliance_roles = result
    return result


def home_state(user) -> str | None:
    """The code of the member state a signed-in user belongs to (for roles held for one state, such
    as a state's data lead), as the app that knows people answers in its rules.py `state_of(user)`."""
    if user is None or not user.is_authenticated:
        return None
    for module in contributions.modules("rules"):
        answer = getattr(module, "state_of", None)
        if answer is not None and (state := answer(user)):
            return state
    return None


def declared_roles() -> list[tuple[str, str]]:
    """(code, English name) of every role the installed apps declare in their rules.py `ROLES`,
    in INSTALLED_APPS order: the app that stores who holds which role offers these."""
    return [role for module in contributions.modules("rules") for role in getattr(module, "ROLES", ())]


def can(user, action: str) -> bool:
    allowed = rules().get(action)
    if allowed is None:
        raise KeyError(f"no policy rule named {action!r}")
    return bool(roles_of(user) & allowed)


def require(user, action: str) -> None:
    """Raise PermissionDenied unless the user may do `action`."""
    if not can(user, action):
        raise PermissionDenied(action)


@receiver(setting_changed)
def _forget_on_new_apps(*, setting: str, **kwargs) -> None:
    if setting == "INSTALLED_APPS":
        rules.cache_clear()

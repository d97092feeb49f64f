"""The site's navigation, assembled from every app's `menu.py` (see core.contributions).

An entry is shown to whoever the policy lets do its `action`; the template never tests roles.
"""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise

from alliance.core import contributions, policy


@dataclass(frozen=True)
class MenuEntry:
    label: str | Promise
    url_name: str  # reversed when the menu is drawn: "app:page"
    action: str  # the policy action that makes the entry visible
    order: int = 100  # smaller first
    # "main": the site's sections; "account": signing in, joining, one's own profile, at the end.
    section: str = "main"
    # A call to action (drawn as a button), e.g. "Join" for visitors.
    prominent: bool = False


@dataclass(frozen=True)
class MenuLink:
    label: str | Promise
    url: str
    section: str
    prominent: bool
    current: bool


def menu_for(request) -> list[MenuLink]:
    """The links this request's user may follow, in order, the current page marked."""
    entries = sorted(
        (entry for module in contributions.modules("menu") for entry in getattr(module, "MENU", ())),
        key=lambda entry: (entry.section != "main", entry.order, str(entry.label)),
    )
    visible = [(entry, reverse(entry.url_name)) for entry in entries if policy.can(request.user, entry.action)]
    # The current section is the longest link the path starts with (/people/import/ is "Import").
    matches = [url for _, url in visible if request.path == url or (url != "/" and request.path.startswith(url))]
    current = max(matches, key=len, default=None)
    return [MenuLink(entry.label, url, entry.section, entry.prominent, url == current) for entry, url in visible]

"""The timeline in the reader's language: each event kind's text, filled from the event's data.

An event is stored once, in English: `Event.summary` is what was true when it was written, and
`Event.data` holds the values its text needs (a name, a file name). Pages show `Event.text()`,
which looks the kind up here. Any app adds its own kinds the same way, in its own `timeline.py`
(found by core.contributions, like menus and rules):

    TIMELINE = {"app.noun.verb": gettext_noop("Did something with %(name)s")}

A text is a format string marked with gettext_noop (so makemessages collects it and the stored
English never depends on who was reading), or a function of the event returning the text. A kind
with no entry, or an event written before its kind had one (a value missing from its data), is
shown by its stored summary.
"""

from collections.abc import Callable
from typing import TYPE_CHECKING

from django.utils.translation import gettext, gettext_noop

from alliance.core.contributions import modules
from alliance.core.policy import declared_roles

if TYPE_CHECKING:
    from alliance.network.models import Event


def _roles_changed(event: "Event") -> str:
    names = {code: gettext(name) for code, name in declared_roles()}
    words = [f"+{names.get(code, code)}" for code in event.data["added"]]
    words += [f"−{names.get(code, code)}" for code in event.data["removed"]]
    return gettext("Roles changed: %(roles)s") % {"roles": ", ".join(words)}


def _consent_changed(event: "Event") -> str:
    return gettext("Agreed to receive email") if event.data["consent"] else gettext("Stopped receiving email")


TIMELINE: dict[str, "str | Callable[[Event], str]"] = {
    "network.signup.received": gettext_noop("Signed up on the join page"),
    "network.person.confirmed": gettext_noop("Confirmed their email address"),
    "network.person.created": gettext_noop("Added by staff"),
    "network.person.imported": gettext_noop("Imported from %(filename)s"),
    "network.person.import_updated": gettext_noop("Updated by the import of %(filename)s"),
    "network.person.merged": gettext_noop("Merged with a duplicate record: %(name)s <%(email)s>"),
    "network.person.roles_changed": _roles_changed,
    "network.person.consent_changed": _consent_changed,
    "network.welcome.sent": gettext_noop("Welcomed by %(sender)s"),
    "network.welcome.followed_up": gettext_noop("%(sender)s followed up personally"),
}
# Marked here for the catalog; _consent_changed and _roles_changed translate them.
gettext_noop("Agreed to receive email")
gettext_noop("Stopped receiving email")


def event_text(event: "Event") -> str:
    """The event's text in the active language, or its stored summary when no app names its kind."""
    for module in reversed(modules("timeline")):  # a later app may restate an earlier app's kind
        text = getattr(module, "TIMELINE", {}).get(event.kind)
        if text is None:
            continue
        try:
            return text(event) if callable(text) else gettext(text) % event.data
        except (KeyError, TypeError, ValueError):  # written before its kind stored these values
            return event.summary
    return event.summary

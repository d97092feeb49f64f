"""Import reasons and field names in the reader's language.

A rejected row's reason is stored in English, already filled in ("email repeats row 7"): the
report is written by the worker, for whoever reads it later. import_files.py and importing.py mark
the reasons with gettext_noop; the same texts are listed here so that a stored reason can be
matched back to its message and its values, and shown translated (the import pages, the
rejected-rows CSV). A reason not listed here is shown as stored.
"""

import functools
import re

from django.utils.translation import gettext, gettext_noop

REASONS = [
    gettext_noop("%(field)s is longer than %(n)d characters"),
    gettext_noop("%(field)s is missing"),
    gettext_noop("email is missing"),
    gettext_noop("email is not a valid address"),
    gettext_noop("email repeats row %(row)d"),
    gettext_noop("unknown state (use its two-letter code or its name)"),
    gettext_noop("unknown sector (use one of: %(names)s)"),
    gettext_noop("consent to email must be yes or no"),
    gettext_noop("email belongs to a merged record"),
]

# import_files.LABELS: how a field is named in reasons and in the report's field column.
FIELDS = {
    "first_name": gettext_noop("first name"),
    "last_name": gettext_noop("last name"),
    "full_name": gettext_noop("name"),
    "email": gettext_noop("email"),
    "state": gettext_noop("state"),
    "organization": gettext_noop("organization"),
    "sector": gettext_noop("sector"),
    "title": gettext_noop("title"),
    "interests": gettext_noop("interests"),
    "consent_to_email": gettext_noop("consent to email"),
}
_PLACEHOLDER = re.compile(r"%\\\((\w+)\\\)([sd])")


@functools.cache
def _patterns() -> list[tuple[re.Pattern[str], str]]:
    def group(match: re.Match[str]) -> str:
        name, kind = match.groups()
        return rf"(?P<{name}>\d+)" if kind == "d" else rf"(?P<{name}>.+?)"

    return [(re.compile(_PLACEHOLDER.sub(group, re.escape(reason))), reason) for reason in REASONS]


def reason_display(reason: str) -> str:
    """A stored (English) reason in the active language; unknown reasons as stored."""
    for pattern, message in _patterns():
        if match := pattern.fullmatch(reason):
            values = {
                name: int(value) if value.isdigit() and f"%({name})d" in message else gettext(value)
                for name, value in match.groupdict().items()
            }
            return gettext(message) % values
    return reason


def field_display(field: str) -> str:
    """A field of the report (`first_name`) as the reader calls it (`nombre`)."""
    return gettext(FIELDS[field]) if field in FIELDS else field


def labels_display(labels: list[str]) -> str:
    """Field labels as import_files names them ("first name"), in the reader's language, joined."""
    return ", ".join(gettext(label) for label in labels)

"""Checks on text people type, shared by forms, API schemas and imports (they know no domain).

Every text field gets a length limit and refuses characters that do harm without being seen:
- control characters (NUL breaks PostgreSQL, a line break in a name breaks a mail header);
- zero-width and bidirectional override characters, which make one name look like another or
  reverse what follows ("Trojan Source"): U+200B, U+2060-U+2064, U+FEFF, U+202A-U+202E,
  U+2066-U+2069. The zero-width joiner and non-joiner (U+200C, U+200D) are allowed: Persian and
  Indic names and emoji need them to be spelled right;
- private-use, unassigned and surrogate code points, which no one can read back.
Single-line fields (names, titles, organizations) also refuse line breaks and tabs; multi-line
fields (interests, a signature, the welcome text) allow line breaks and tabs.
"""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

INVISIBLE = re.compile("[\u200b\u2060-\u2064\ufeff\u202a-\u202e\u2066-\u2069]")
ALLOWED_IN_MULTILINE = {"\n", "\r", "\t"}
REFUSED_CATEGORIES = {"Cc", "Co", "Cn", "Cs", "Zl", "Zp"}


def text_problem(value: str, *, multiline: bool = False) -> str | None:
    """Why the text is refused (translated), or None when it is fine."""
    for char in value:
        if char in ALLOWED_IN_MULTILINE:
            if multiline:
                continue
            return str(_("Use a single line (no line breaks or tabs)."))
        if unicodedata.category(char) in REFUSED_CATEGORIES or INVISIBLE.match(char):
            return str(_("Remove the invisible or control character (U+%(code)04X).") % {"code": ord(char)})
    return None


def validate_single_line(value: str) -> None:
    """For names, titles, organizations: one line of visible text."""
    if problem := text_problem(value):
        raise ValidationError(problem, code="single_line")


def validate_multiline(value: str) -> None:
    """For free text (interests, a signature, a message): line breaks allowed, no control characters."""
    if problem := text_problem(value, multiline=True):
        raise ValidationError(problem, code="control_characters")


def single_line(max_length: int) -> list:
    """The validators of a single-line field of at most max_length characters."""
    return [MaxLengthValidator(max_length), validate_single_line]


def multiline(max_length: int) -> list:
    return [MaxLengthValidator(max_length), validate_multiline]

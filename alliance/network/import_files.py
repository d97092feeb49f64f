"""Reading and checking the rows of a people import file (CSV or XLSX); no database writes.

importing.py runs imports with these. Row numbers are the spreadsheet's: the header is row 1.
"""

import csv
import io
import re
import unicodedata
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from alliance.core import tabular
from alliance.core.validators import text_problem
from alliance.network import services
from alliance.network.models import INTERESTS_MAX_LENGTH, Sector, State


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Header names are compared without case, accents, spaces or punctuation ("E-mail" == "email").
HEADERS: dict[str, frozenset[str]] = {
    "first_name": _words("firstname first givenname forename fname nombre"),
    "last_name": _words("lastname last surname familyname lname apellido apellidos"),
    "full_name": _words("name fullname contactname nombrecompleto"),
    "email": _words("email emailaddress mail emailaddr correo correoelectronico"),
    "state": _words("state statecode st stateprovince stateorterritory estado"),
    "organization": _words(
        "organization organisation org organizationname organisationname company employer "
        "institution agency affiliation school"
    ),
    "sector": _words("sector sectortype industry"),
    "title": _words("title jobtitle position role jobrole cargo"),
    "interests": _words("interests interest interestareas areasofinterest intereses"),
    "consent_to_email": _words(
        "consent consenttoemail emailconsent consentstoemail optin emailoptin newsletter subscribe subscribed"
    ),
}
LABELS = {
    "first_name": "first name",
    "last_name": "last name",
    "full_name": "name",
    "email": "email",
    "state": "state",
    "organization": "organization",
    "sector": "sector",
    "title": "title",
    "interests": "interests",
    "consent_to_email": "consent to email",
}
MAX_LENGTHS = {
    "first_name": 100,
    "last_name": 100,
    "email": 254,
    "organization": 200,
    "title": 200,
    "interests": INTERESTS_MAX_LENGTH,
}
SECTOR_ALIASES = {
    **dict.fromkeys(["school", "schools", "k12"], "k12"),
    **dict.fromkeys(["highered", "highereducation", "college", "university"], "postsecondary"),
    **dict.fromkeys(["industry", "private"], "business"),
    **dict.fromkeys(["gov", "public"], "government"),
    **dict.fromkeys(["nonprofit", "ngo"], "community"),
}
YES = {"yes", "y", "true", "t", "1", "x", "si", "on"}
NO = {"no", "n", "false", "f", "0", "off", ""}


@dataclass(frozen=True)
class Problem:
    row_number: int
    field: str
    value: str
    reason: str


def key_of(text: str) -> str:
    """A header or name reduced for comparison: no accents, case, spaces or punctuation."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in text.lower() if ch.isalnum())


def _csv_rows(data: bytes, notes: dict[int, str] | None) -> Iterator[list[str]]:
    cp1252_lines: set[int] = set()
    text = tabular.decode_text(data, cp1252_lines)
    first_line = text.split("\n", 1)[0]
    # Excel writes ";" where the decimal mark is ",", and its "Unicode text" is tab-separated.
    delimiter = max(",;\t|", key=first_line.count) if first_line else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    last_line = 0
    for number, row in enumerate(reader, start=1):
        if notes is not None and cp1252_lines.intersection(range(last_line + 1, reader.line_num + 1)):
            notes[number] = _("decoded as Windows-1252, not UTF-8: check its accented letters")
        last_line = reader.line_num
        yield [cell.strip() for cell in row]


def too_many_rows() -> services.NetworkError:
    return services.NetworkError(str(tabular.too_many_rows(settings.IMPORT_MAX_ROWS)))


def _xlsx_rows(handle: IO[bytes] | File) -> Generator[list[str]]:
    sheets = tabular.xlsx_sheets(handle, max_rows=settings.IMPORT_MAX_ROWS)
    try:
        _name, rows = next(sheets)
        yield from rows
    finally:
        sheets.close()


def file_rows(handle: IO[bytes] | File, *, xlsx: bool, notes: dict[int, str] | None = None) -> Iterator[list[str]]:
    """Every row of the file as stripped strings, the header first. Raises NetworkError if unreadable.

    Rows of a CSV read in another encoding than the rest get a note in `notes` (row number: text).
    """
    try:
        yield from _xlsx_rows(handle) if xlsx else _csv_rows(handle.read(), notes)
    except services.NetworkError:
        raise
    except tabular.FileRefused as exc:
        raise services.NetworkError(str(exc)) from exc
    except Exception as exc:
        raise services.NetworkError(str(tabular.unreadable(exc))) from exc


def header_check(header: list[str]) -> None:
    """Refuse a header row whose column names repeat, or that holds control characters."""
    seen: dict[str, str] = {}
    repeated: list[str] = []
    for title in header:
        key = title.casefold()
        if key and key in seen and seen[key] not in repeated:
            repeated.append(seen[key])
        seen.setdefault(key, title)
    if repeated:
        raise services.NetworkError(
            _("Column names repeat: %(names)s. Give each column its own name in the first row.")
            % {"names": ", ".join(f"“{name}”" for name in repeated)}
        )
    for position, title in enumerate(header, start=1):
        if text_problem(title):
            raise services.NetworkError(
                _("The name of column %(n)d holds a line break or an invisible character: %(name)s")
                % {"n": position, "name": printable(title)}
            )


def printable(text: str) -> str:
    """Text safe to store and show as it came (PostgreSQL refuses NUL): control characters become �."""
    return CONTROL.sub("\ufffd", text)


CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def data_rows(rows: Iterator[list[str]]) -> Iterator[tuple[int, list[str]]]:
    """(row number, cells) of the rows after the header (row 1). Blank rows are skipped, not counted."""
    for number, cells in enumerate(rows, start=2):
        if any(cells):
            yield number, cells


# --- mapping -------------------------------------------------------------------------------------


def columns_guess(header: list[str]) -> dict[str, str]:
    """{file header: Person field} for the headers we recognize; the first column of a field wins."""
    by_key = {alias: name for name, aliases in HEADERS.items() for alias in aliases}
    columns: dict[str, str] = {}
    for title in header:
        name = by_key.get(key_of(title))
        if title and name and name not in columns.values() and title not in columns:
            columns[title] = name
    if {"first_name", "last_name"} & set(columns.values()):
        columns = {title: name for title, name in columns.items() if name != "full_name"}
    return columns


def columns_missing(columns: dict[str, str]) -> list[str]:
    """Labels of the fields an import needs that no column maps to."""
    found = set(columns.values())
    missing = [] if "email" in found else [LABELS["email"]]
    if "full_name" not in found:
        missing += [LABELS[name] for name in ("first_name", "last_name") if name not in found]
    return missing


def column_index(header: list[str], columns: dict[str, str]) -> dict[str, int]:
    index: dict[str, int] = {}
    for position, title in enumerate(header):
        name = columns.get(title)
        if name and name not in index:
            index[name] = position
    return index


def row_values(cells: list[str], index: dict[str, int]) -> dict[str, str]:
    """{field: cell} of one row; a full name is split at its last space when there are no name columns."""
    values = {name: cells[pos] if pos < len(cells) else "" for name, pos in index.items()}
    full = values.pop("full_name", "")
    if full and not values.get("first_name") and not values.get("last_name"):
        first, _sep, last = " ".join(full.split()).rpartition(" ")
        values["first_name"], values["last_name"] = (first, last) if first else (last, "")
    return values


# --- checking ------------------------------------------------------------------------------------


@dataclass
class Reference:
    """States and sectors by every spelling a file may use: code or name, any case."""

    states: dict[str, str]
    sectors: dict[str, str]

    @classmethod
    def load(cls) -> "Reference":
        states: dict[str, str] = {}
        for code, name in State.objects.values_list("code", "name"):
            states[key_of(code)] = states[key_of(name)] = code
        sectors = dict(SECTOR_ALIASES)
        for slug, name in Sector.objects.values_list("slug", "name"):
            sectors[key_of(slug)] = sectors[key_of(name)] = slug
        return cls(states=states, sectors=sectors)


def row_clean(
    values: dict[str, str], *, row_number: int, reference: Reference, seen: dict[str, int]
) -> tuple[dict | None, list[Problem]]:
    """The row's Person fields and no problems, or None and every problem found (each names its field).

    `seen` maps each email already accepted in this file to its row; a valid row adds its own.
    """
    problems: list[Problem] = []

    def problem(name: str, reason: str) -> None:
        problems.append(Problem(row_number, name, values.get(name, "")[:300], reason))

    clean: dict = {"interests": values.get("interests", "")}
    for name in ("first_name", "last_name", "organization", "title", "interests"):
        # A line break inside a cell (Alt+Enter in Excel) becomes a space in single-line fields.
        clean[name] = values.get(name, "") if name == "interests" else " ".join(values.get(name, "").split())
        if len(clean[name]) > MAX_LENGTHS[name]:
            problem(
                name,
                gettext_noop("%(field)s is longer than %(n)d characters")
                % {"field": LABELS[name], "n": MAX_LENGTHS[name]},
            )
        elif reason := text_problem(clean[name], multiline=name == "interests"):
            problem(name, f"{LABELS[name]}: {reason}")
    for name in ("first_name", "last_name"):
        if not clean[name]:
            problem(name, gettext_noop("%(field)s is missing") % {"field": LABELS[name]})
    broken = set()
    for name in ("email", "state", "sector", "consent_to_email"):
        if reason := text_problem(values.get(name, "")):  # a NUL byte, say: named, never dropped silently
            problem(name, f"{LABELS[name]}: {reason}")
            broken.add(name)
    email = clean["email"] = services.normalize_email(values.get("email", ""))
    if not email:
        problem("email", gettext_noop("email is missing"))
    elif "email" in broken:
        pass  # reported above
    elif len(email) > MAX_LENGTHS["email"] or not _valid_email(email):
        problem("email", gettext_noop("email is not a valid address"))
    elif email in seen:
        problem("email", gettext_noop("email repeats row %(row)d") % {"row": seen[email]})
    state = values.get("state", "")
    clean["state_id"] = reference.states.get(key_of(state)) if state else None
    if state and clean["state_id"] is None and "state" not in broken:
        problem("state", gettext_noop("unknown state (use its two-letter code or its name)"))
    sector = values.get("sector", "")
    clean["sector_id"] = reference.sectors.get(key_of(sector)) if sector else None
    if sector and clean["sector_id"] is None and "sector" not in broken:
        names = ", ".join(sorted(set(reference.sectors.values())))
        problem("sector", gettext_noop("unknown sector (use one of: %(names)s)") % {"names": names})
    consent = key_of(values.get("consent_to_email", ""))
    clean["consent_to_email"] = consent in YES if consent else None
    if consent not in YES | NO and "consent_to_email" not in broken:
        problem("consent_to_email", gettext_noop("consent to email must be yes or no"))
    if problems:
        return None, problems
    seen[email] = row_number
    return clean, []


def _valid_email(email: str) -> bool:
    try:
        validate_email(email)
    except ValidationError:
        return False
    return True

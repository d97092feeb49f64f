"""Reading and checking the rows of a people import file (CSV or XLSX); no database writes.

importing.py runs imports with these. Row numbers are the spreadsheet's: the header is row 1.
"""

import codecs
import csv
import io
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import IO

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from openpyxl import load_workbook

from alliance.network import services
from alliance.network.models import Sector, State


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
MAX_LENGTHS = {"first_name": 100, "last_name": 100, "email": 254, "organization": 200, "title": 200}
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


# --- reading -------------------------------------------------------------------------------------


def decode_text(data: bytes) -> str:
    """Text of a CSV file: UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252/Latin-1."""
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="replace")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:  # one of the five bytes cp1252 leaves undefined
        return data.decode("latin-1")


def _csv_rows(data: bytes) -> Iterator[list[str]]:
    text = decode_text(data)
    first_line = text.split("\n", 1)[0]
    # Excel writes ";" where the decimal mark is ",", and its "Unicode text" is tab-separated.
    delimiter = max(",;\t|", key=first_line.count) if first_line else ","
    for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
        yield [cell.strip() for cell in row]


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime) and not value.time():
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def _xlsx_rows(handle: IO[bytes] | File) -> Iterator[list[str]]:
    workbook = load_workbook(handle, read_only=True, data_only=True)
    try:
        for row in workbook.worksheets[0].iter_rows(values_only=True):
            yield [_cell_text(value) for value in row]
    finally:
        workbook.close()


def file_rows(handle: IO[bytes] | File, *, xlsx: bool) -> Iterator[list[str]]:
    """Every row of the file as stripped strings, the header first. Raises NetworkError if unreadable."""
    try:
        yield from _xlsx_rows(handle) if xlsx else _csv_rows(handle.read())
    except (zipfile.BadZipFile, KeyError, OSError, csv.Error, ValueError) as exc:
        raise services.NetworkError(_("The file could not be read: %(error)s") % {"error": exc}) from exc


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
    for name in ("first_name", "last_name", "organization", "title"):
        clean[name] = " ".join(values.get(name, "").split())
        if len(clean[name]) > MAX_LENGTHS[name]:
            problem(
                name,
                gettext_noop("%(field)s is longer than %(n)d characters")
                % {"field": LABELS[name], "n": MAX_LENGTHS[name]},
            )
    for name in ("first_name", "last_name"):
        if not clean[name]:
            problem(name, gettext_noop("%(field)s is missing") % {"field": LABELS[name]})
    email = clean["email"] = services.normalize_email(values.get("email", ""))
    if not email:
        problem("email", gettext_noop("email is missing"))
    elif len(email) > MAX_LENGTHS["email"] or not _valid_email(email):
        problem("email", gettext_noop("email is not a valid address"))
    elif email in seen:
        problem("email", gettext_noop("email repeats row %(row)d") % {"row": seen[email]})
    state = values.get("state", "")
    clean["state_id"] = reference.states.get(key_of(state)) if state else None
    if state and clean["state_id"] is None:
        problem("state", gettext_noop("unknown state (use its two-letter code or its name)"))
    sector = values.get("sector", "")
    clean["sector_id"] = reference.sectors.get(key_of(sector)) if sector else None
    if sector and clean["sector_id"] is None:
        names = ", ".join(sorted(set(reference.sectors.values())))
        problem("sector", gettext_noop("unknown sector (use one of: %(names)s)") % {"names": names})
    consent = key_of(values.get("consent_to_email", ""))
    clean["consent_to_email"] = consent in YES if consent else None
    if consent not in YES | NO:
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

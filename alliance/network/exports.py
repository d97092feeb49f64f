"""The member directory as rows for CSV and XLSX downloads (written by core.spreadsheets, formula-safe)."""

from collections.abc import Iterable, Iterator

from django.http import HttpResponse, StreamingHttpResponse

from alliance.core import spreadsheets
from alliance.network.models import Person

DIRECTORY_COLUMNS = [
    "first_name",
    "last_name",
    "email",
    "state",
    "organization",
    "sector",
    "title",
    "roles",
    "consent_to_email",
    "joined",
    "source",
]


def directory_rows(people: Iterable[Person]) -> Iterator[list]:
    for person in people.iterator(chunk_size=1000) if hasattr(people, "iterator") else people:
        yield [
            person.first_name,
            person.last_name,
            person.email,
            person.state_id or "",
            person.organization.name if person.organization else "",
            person.sector.name if person.sector else "",
            person.title,
            ";".join(role.code for role in person.roles.all()),
            "yes" if person.consent_to_email else "no",
            person.joined.date().isoformat(),
            person.source,
        ]


def directory_xlsx(people: Iterable[Person]) -> bytes:
    return spreadsheets.xlsx_bytes([DIRECTORY_COLUMNS, *directory_rows(people)], sheet="Members")


def directory_response(people: Iterable[Person], *, fmt: str) -> HttpResponse | StreamingHttpResponse:
    """The directory as a download: XLSX built in memory, CSV streamed."""
    if fmt == "csv":
        rows = (row for rows in ([DIRECTORY_COLUMNS], directory_rows(people)) for row in rows)
        return spreadsheets.csv_response(rows, filename="members.csv")
    response = HttpResponse(directory_xlsx(people), content_type=spreadsheets.XLSX_TYPE)
    response["Content-Disposition"] = 'attachment; filename="members.xlsx"'
    return response

"""The member directory as rows for CSV and XLSX downloads."""

from collections.abc import Iterable, Iterator
from io import BytesIO

from openpyxl import Workbook

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
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Members")
    sheet.append(DIRECTORY_COLUMNS)
    for row in directory_rows(people):
        sheet.append(row)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()

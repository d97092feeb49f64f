import csv
import io

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import Workbook

from alliance.network import importing
from alliance.network.models import Event, ImportRejection, Organization, PeopleImport, Person, Role

HEADER = ["First Name", "Last Name", "E-mail", "State", "Organisation", "Sector", "Job title", "Consent"]
STATES = ["CO", "ut", "New Mexico", "idaho", "NV", "Wyoming"]
SECTORS = ["k12", "Postsecondary education", "business", "Government", "community", "workforce"]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def known(**fields) -> Person:
    """A person already in the network."""
    return Person.objects.create(**{"last_name": "Known", "status": Person.Status.ACTIVE, **fields})


def good_row(i: int) -> list[str]:
    email = f"  Person{i}@Example.ORG " if i % 7 == 0 else f"person{i}@example.org"
    return [
        f"First{i}",
        f"Last{i}",
        email,
        STATES[i % 6],
        f"Org {i % 40}",
        SECTORS[i % 6],
        "Teacher",
        "yes" if i % 2 else "no",
    ]


# Each kind of bad row: how to spoil a good row, the field reported, and words of the reason.
BAD_KINDS = [
    (lambda row, i: row.__setitem__(2, ""), "email", "email is missing"),
    (lambda row, i: row.__setitem__(2, "not-an-address"), "email", "not a valid address"),
    (lambda row, i: row.__setitem__(3, "Atlantis"), "state", "unknown state"),
    (lambda row, i: row.__setitem__(5, "astrology"), "sector", "unknown sector"),
    (lambda row, i: row.__setitem__(0, "A" * 101), "first_name", "longer than 100 characters"),
    (lambda row, i: row.__setitem__(2, f"PERSON{i - 1}@example.org"), "email", "repeats row {row}"),
    (lambda row, i: row.__setitem__(1, " "), "last_name", "last name is missing"),
    (lambda row, i: row.__setitem__(7, "maybe"), "consent_to_email", "must be yes or no"),
]


def csv_bytes(rows: list[list[str]], *, encoding: str = "utf-8", delimiter: str = ",") -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter).writerows(rows)
    return out.getvalue().encode(encoding)


def uploaded(content: bytes, filename: str = "p.csv") -> PeopleImport:
    """An upload as the worker leaves it after reading the file: previewed, or refused."""
    people_import = importing.people_import_create(
        upload=ContentFile(content), filename=filename, actor=None, worker=False
    )
    return importing.people_import_check(import_id=people_import.pk)


def import_file(content: bytes, filename: str, **run) -> PeopleImport:
    people_import = uploaded(content, filename)
    importing.people_import_queue(people_import=people_import, actor=None, worker=False)
    return importing.people_import_run(import_id=people_import.pk, **run)


def test_it_imports_10000_people_reporting_each_bad_row_and_storing_the_rest(member_states):
    bad = list(range(5, 10_000, 33))[:300]  # exactly 3%
    existing = [i for i in range(100, 200) if i not in bad][:50]
    for i in existing:
        known(first_name=f"Old{i}", email=f"person{i}@example.org", title="Old title")
    before = Person.objects.count()
    rows, expected = [HEADER], {}
    for i in range(10_000):
        row = good_row(i)
        if i in bad:
            spoil, field, reason = BAD_KINDS[bad.index(i) % len(BAD_KINDS)]
            spoil(row, i)
            expected[i + 2] = (field, reason.format(row=i + 1))  # the header is row 1
        rows.append(row)

    result = import_file(csv_bytes(rows), "people.csv")

    assert result.status == PeopleImport.Status.DONE
    assert result.rows_read == 10_000
    assert result.rows_rejected == 300
    assert result.rows_updated == 50
    assert result.rows_created == 10_000 - 300 - 50
    assert result.rows_read == result.rows_created + result.rows_updated + result.rows_rejected
    rejections = {r.row_number: (r.field, r.reason) for r in ImportRejection.objects.filter(people_import=result)}
    assert set(rejections) == set(expected)
    for row_number, (field, reason) in expected.items():
        assert rejections[row_number][0] == field, row_number
        assert reason in rejections[row_number][1], (row_number, rejections[row_number])
    assert Person.objects.count() == before + result.rows_created
    emails = list(Person.objects.values_list("email", flat=True))
    assert len(emails) == len(set(emails))
    assert all(email == email.strip().lower() for email in emails)
    updated = Person.objects.get(email=f"person{existing[0]}@example.org")
    assert (updated.first_name, updated.title) == (f"First{existing[0]}", "Teacher")
    new = Person.objects.select_related("state", "sector", "organization").get(email="person14@example.org")
    assert (new.state_id, new.sector_id, new.organization.name) == ("NM", "business", "Org 14")
    assert (new.source, new.status, new.consent_to_email) == (Person.Source.IMPORT, Person.Status.ACTIVE, False)
    assert list(new.roles.values_list("code", flat=True)) == [Role.MEMBER]
    assert Event.objects.filter(kind="network.person.imported").count() == result.rows_created


def test_it_reads_an_xlsx_workbook_with_common_header_variants(member_states):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Full Name", "Email Address", "Organization", "State", "Sector", "Opt-in"])
    sheet.append(["Rosa Quintana", "Rosa@Example.org", "Albuquerque Public Schools", "New Mexico", "K-12", True])
    sheet.append([None, None, None, None, None, None])  # a blank row is skipped, not counted
    sheet.append(["Lee Park", "lee@example.org", 1234, "Guam", None, False])
    sheet.append(["Nobody", "nobody@example", None, "XX", None, None])
    content = io.BytesIO()
    workbook.save(content)

    result = import_file(content.getvalue(), "people.xlsx")

    assert result.status == PeopleImport.Status.DONE
    assert (result.rows_read, result.rows_created, result.rows_rejected) == (3, 2, 1)
    rosa = Person.objects.get(email="rosa@example.org")
    assert (rosa.first_name, rosa.last_name, rosa.state_id, rosa.sector_id) == ("Rosa", "Quintana", "NM", "k12")
    assert rosa.consent_to_email is True
    assert Person.objects.get(email="lee@example.org").organization.name == "1234"
    assert sorted(result.rejections.values_list("row_number", "field")) == [
        (5, "email"),
        (5, "last_name"),
        (5, "state"),
    ]


def test_it_reads_a_latin1_csv_with_semicolons(member_states):
    rows = [["Nombre", "Apellido", "Correo", "Estado"], ["José", "Muñoz", "jose@example.org", "CO"]]
    result = import_file(csv_bytes(rows, encoding="cp1252", delimiter=";"), "gente.csv")

    assert (result.status, result.rows_created) == (PeopleImport.Status.DONE, 1)
    jose = Person.objects.get(email="jose@example.org")
    assert (jose.first_name, jose.last_name) == ("José", "Muñoz")


def test_it_reads_a_utf8_csv_with_a_byte_order_mark(member_states):
    rows = [["First name", "Last name", "Email"], ["Zoë", "Ødegaard", "zoe@example.org"]]
    result = import_file(b"\xef\xbb\xbf" + csv_bytes(rows), "people.csv")

    assert result.columns == {"First name": "first_name", "Last name": "last_name", "Email": "email"}
    assert Person.objects.get(email="zoe@example.org").first_name == "Zoë"


def test_it_updates_people_when_the_same_file_is_imported_again(member_states):
    content = csv_bytes([HEADER] + [good_row(i) for i in range(30)])
    first = import_file(content, "people.csv")
    second = import_file(content.replace(b"Teacher", b"Principal"), "people.csv")

    assert (first.rows_created, first.rows_updated) == (30, 0)
    assert (second.rows_created, second.rows_updated, second.rows_rejected) == (0, 30, 0)
    assert Person.objects.count() == 30
    assert set(Person.objects.values_list("title", flat=True)) == {"Principal"}
    assert Event.objects.filter(kind="network.person.import_updated").count() == 30


def test_it_keeps_what_a_blank_cell_would_erase(member_states):
    known(first_name="Ann", email="ann@example.org", title="Director")
    result = import_file(
        csv_bytes([["first", "last", "email", "title"], ["Ann", "Known", "ann@example.org", ""]]), "a.csv"
    )

    assert result.rows_updated == 1
    assert Person.objects.get(email="ann@example.org").title == "Director"


def failing_insert(*, email: str, message: str) -> None:
    """A database trigger that refuses one person's insert, as a full disk or a lost server would."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "CREATE FUNCTION boom() RETURNS trigger AS $$ BEGIN "
                f"IF NEW.email = '{email}' THEN RAISE EXCEPTION '{message}'; END IF; RETURN NEW; "
                "END $$ LANGUAGE plpgsql"
            )
            cursor.execute("CREATE TRIGGER boom BEFORE INSERT ON network_person FOR EACH ROW EXECUTE FUNCTION boom()")
        else:
            cursor.execute(
                f"CREATE TRIGGER boom BEFORE INSERT ON network_person WHEN NEW.email = '{email}' "
                f"BEGIN SELECT RAISE(ABORT, '{message}'); END"
            )


def failing_insert_removed() -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DROP TRIGGER boom ON network_person")
            cursor.execute("DROP FUNCTION boom()")
        else:
            cursor.execute("DROP TRIGGER boom")


def test_it_leaves_no_half_batch_when_the_database_fails_mid_run_and_resumes(member_states):
    content = csv_bytes([HEADER] + [good_row(i) for i in range(250)])
    people_import = uploaded(content)
    importing.people_import_queue(people_import=people_import, actor=None, worker=False)
    failing_insert(email="person150@example.org", message="disk on fire")  # a real failure in the second batch

    failed = importing.people_import_run(import_id=people_import.pk, batch_size=100)

    assert failed.status == PeopleImport.Status.FAILED
    assert "disk on fire" in failed.error
    assert (failed.rows_read, failed.rows_created, failed.rows_rejected) == (100, 100, 0)
    assert Person.objects.count() == 100
    assert not Person.objects.filter(email__in=[f"person{i}@example.org" for i in range(100, 200)]).exists()

    failing_insert_removed()
    importing.people_import_queue(people_import=failed, actor=None, worker=False)
    resumed = importing.people_import_run(import_id=people_import.pk, batch_size=100)

    assert resumed.status == PeopleImport.Status.DONE
    assert (resumed.rows_read, resumed.rows_created, resumed.rows_updated) == (250, 250, 0)
    assert Person.objects.count() == 250


def test_it_previews_columns_sample_rows_and_problems_without_storing(member_states):
    rows = [HEADER + ["Shoe size"], good_row(1) + ["9"], good_row(2) + ["10"]]
    rows[2][3] = "Narnia"
    people_import = uploaded(csv_bytes(rows))

    preview = importing.people_import_preview(people_import=people_import)

    assert people_import.rows_total == 2
    assert ("E-mail", "email") in preview.columns
    assert ("Shoe size", "") in preview.columns
    assert preview.missing == []
    assert [number for number, _cells in preview.sample] == [2, 3]
    assert [(p.row_number, p.field, p.value) for p in preview.problems] == [(3, "state", "Narnia")]
    assert Person.objects.count() == 0


def test_it_refuses_to_run_a_file_without_an_email_column(member_states):
    content = csv_bytes([["first", "last"], ["Ann", "Lee"]])
    people_import = uploaded(content)

    with pytest.raises(importing.services.NetworkError, match="email"):
        importing.people_import_queue(people_import=people_import, actor=None)
    people_import.refresh_from_db()
    assert people_import.status == PeopleImport.Status.PREVIEW


def test_it_rejects_an_address_of_a_merged_record(member_states):
    known(first_name="Gone", email="gone@example.org", status=Person.Status.MERGED)
    result = import_file(csv_bytes([["first", "last", "email"], ["Gone", "Again", "gone@example.org"]]), "p.csv")

    assert (result.rows_read, result.rows_rejected, result.rows_stored) == (1, 1, 0)
    assert "merged" in result.rejections.get().reason


def test_it_finds_and_creates_the_organizations_of_a_batch_in_one_go(member_states):
    Organization.objects.create(name="Org 1", state_id="CO")  # known already: found, not duplicated
    rows = [["first", "last", "email", "state", "organization"]]
    rows += [[f"F{i}", f"L{i}", f"p{i}@example.org", "CO", f"org {i % 200}"] for i in range(1000)]

    with CaptureQueriesContext(connection) as queries:
        result = import_file(csv_bytes(rows), "p.csv", batch_size=500)

    assert (result.status, result.rows_created) == (PeopleImport.Status.DONE, 1000)
    inserts = [q["sql"] for q in queries if q["sql"].startswith('INSERT INTO "network_organization"')]
    assert len(inserts) == 1  # the first batch brings all 199 new ones; the second finds them known
    assert Organization.objects.count() == 200
    assert Person.objects.get(email="p1@example.org").organization.name == "Org 1"
    assert Person.objects.filter(organization__name="org 7").count() == 5
    assert Organization.history.count() == 200  # each created with its history, as one at a time did

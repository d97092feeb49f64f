"""Hostile, oversized and odd files get a clear answer from the worker, and nothing stops serving."""

import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse

from alliance.network.models import ImportRejection, PeopleImport, Person
from alliance.network.tests import hostile_files

GOOD = b"First name,Last name,Email\nAnn,Lee,ann@example.org\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def stored_files(root) -> list:
    return [path for path in root.rglob("*") if path.is_file()]


def upload(client, content: bytes, name: str):
    """Upload, then let the worker (in process here) read the file; the preview page as staff see it."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(reverse("network:import"), {"file": SimpleUploadedFile(name, content)})
    assert response.status_code == 302, response.content[:2000]
    return client.get(response["Location"])


def import_of(client, content: bytes, name: str = "people.csv") -> PeopleImport:
    page = upload(client, content, name)
    people_import = PeopleImport.objects.get(pk=page.context["people_import"].pk)
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(reverse("network:import-run", args=[people_import.pk]))
    people_import.refresh_from_db()
    return people_import


REFUSALS = [
    (hostile_files.billion_laughs, "declares XML entities"),
    (hostile_files.external_entity, "declares XML entities"),
    (hostile_files.malformed, "its XML cannot be read"),
    (hostile_files.zip_bomb, "as a zip bomb does"),
    (lambda: hostile_files.many_rows(300_000), "more than 200,000 rows"),
]


@pytest.mark.parametrize(("build", "words"), REFUSALS, ids=["laughs", "xxe", "malformed", "zip-bomb", "300k-rows"])
def test_it_refuses_a_hostile_or_oversized_workbook_with_a_message_and_keeps_serving(as_alice, tmp_path, build, words):
    before = Person.objects.count()
    page = upload(as_alice, build(), "people.xlsx")

    assert page.status_code == 200
    people_import = PeopleImport.objects.get()
    assert people_import.status == PeopleImport.Status.REFUSED
    assert words in people_import.error
    assert b"This file was refused" in page.content and words.encode() in page.content
    assert stored_files(tmp_path) == []  # the refused file is removed; the row and its message stay
    assert Person.objects.count() == before

    good = import_of(as_alice, GOOD)  # the site and its worker go on serving
    assert (good.status, good.rows_created) == (PeopleImport.Status.DONE, 1)


def test_it_answers_the_upload_of_a_300000_row_workbook_at_once_and_shows_progress(as_alice):
    content = hostile_files.many_rows(300_000)
    assert len(content) > 5 * 1024 * 1024
    with TestCase.captureOnCommitCallbacks(execute=False) as tasks:
        started = time.monotonic()
        response = as_alice.post(reverse("network:import"), {"file": SimpleUploadedFile("big.xlsx", content)})
        elapsed = time.monotonic() - started

    assert response.status_code == 302
    assert elapsed < 10, elapsed  # the request stores the file; it never parses it
    people_import = PeopleImport.objects.get()
    assert people_import.status == PeopleImport.Status.CHECKING
    page = as_alice.get(response["Location"])
    assert b"Reading the file" in page.content
    assert b'hx-trigger="every 1s"' in page.content
    partial = as_alice.get(response["Location"], headers={"HX-Request": "true"})
    assert partial.content.lstrip().startswith(b'<section id="checking"')

    for task in tasks:  # the worker reads it
        task()
    ready = as_alice.get(response["Location"], headers={"HX-Request": "true"})
    assert ready["HX-Refresh"] == "true"
    assert PeopleImport.objects.get().status == PeopleImport.Status.REFUSED


def test_it_counts_rows_when_the_workbook_does_not_declare_them(as_alice, settings):
    settings.IMPORT_MAX_ROWS = 50
    upload(as_alice, hostile_files.many_rows(51, dimension=False), "people.xlsx")
    assert "more than 50 rows" in PeopleImport.objects.get().error

    upload(as_alice, hostile_files.many_rows(50, dimension=False), "fifty.xlsx")
    fifty = PeopleImport.objects.get(filename="fifty.xlsx")
    assert (fifty.status, fifty.rows_total) == (PeopleImport.Status.PREVIEW, 50)


def test_it_refuses_a_workbook_that_unpacks_beyond_the_limit(as_alice, settings):
    settings.IMPORT_MAX_UNCOMPRESSED_MB = 1
    page = upload(as_alice, hostile_files.many_rows(20_000), "people.xlsx")
    assert b"more than the 1 MB allowed" in page.content


def test_it_rejects_only_the_rows_with_a_nul_byte_naming_the_field(as_alice):
    content = (
        b"First name,Last name,Email,State\n"
        b"Ann,Lee,ann@example.org,CO\n"
        b"Bo\x00b,Ray,bob@example.org,CO\n"
        b"Cy,Day,cy@exa\x00mple.org,CO\n"
        b"Di,Fay,di@example.org,C\x00O\n"
        b"Ed,Gee,ed@example.org,CO\n"
    )
    people_import = import_of(as_alice, content)

    assert people_import.status == PeopleImport.Status.DONE
    assert (people_import.rows_read, people_import.rows_created, people_import.rows_rejected) == (5, 2, 3)
    rejections = list(ImportRejection.objects.order_by("row_number").values_list("row_number", "field", "value"))
    assert rejections == [
        (3, "first_name", "Bo\ufffdb"),
        (4, "email", "cy@exa\ufffdmple.org"),
        (5, "state", "C\ufffdO"),
    ]
    imported = Person.objects.filter(source=Person.Source.IMPORT).values_list("email", flat=True)
    assert sorted(imported) == ["ann@example.org", "ed@example.org"]
    page = as_alice.get(reverse("network:import-detail", args=[people_import.pk]))
    assert "Bo\ufffdb".encode() in page.content


def test_it_reads_cp1252_lines_of_a_utf8_file_and_warns_on_their_rows(as_alice):
    content = (
        "First name,Last name,Email\nZoë,Ødegaard,zoe@example.org\n".encode()
        + "José,Núñez,jose@example.org\n".encode("cp1252")
        + b"Ana,Lee,ana@example.org\n"
    )
    page = upload(as_alice, content, "mixed.csv")
    assert b"decoded as Windows-1252" in page.content
    people_import = PeopleImport.objects.get()
    assert people_import.warnings == [[3, "decoded as Windows-1252, not UTF-8: check its accented letters"]]

    with TestCase.captureOnCommitCallbacks(execute=True):
        as_alice.post(reverse("network:import-run", args=[people_import.pk]))
    assert Person.objects.get(email="jose@example.org").last_name == "Núñez"
    assert Person.objects.get(email="zoe@example.org").first_name == "Zoë"
    detail = as_alice.get(reverse("network:import-detail", args=[people_import.pk]))
    assert b"Rows stored with a warning" in detail.content


def test_it_refuses_repeated_column_names_naming_them(as_alice, tmp_path):
    page = upload(
        as_alice, b"Email,First name,Last name,email,Notes,Notes\na@example.org,A,B,c@example.org,x,y\n", "p.csv"
    )
    people_import = PeopleImport.objects.get()
    assert people_import.status == PeopleImport.Status.REFUSED
    assert people_import.error.startswith("Column names repeat: “Email”, “Notes”.")
    assert b"Column names repeat" in page.content
    assert stored_files(tmp_path) == []


def test_it_removes_the_file_once_the_import_is_done(as_alice, tmp_path):
    people_import = import_of(as_alice, GOOD)
    assert people_import.status == PeopleImport.Status.DONE
    assert not people_import.file
    assert stored_files(tmp_path) == []
    report = as_alice.get(reverse("network:import-detail", args=[people_import.pk]))
    assert b"1 rows read = 1 stored" in report.content  # the report stays


def test_it_exports_rejected_values_that_stay_text_in_a_spreadsheet(as_alice):
    people_import = import_of(as_alice, b"First name,Last name,Email\nAnn,Lee,=cmd|' /C calc'!A0\n")
    response = as_alice.get(reverse("network:import-rejections", args=[people_import.pk]))
    content = b"".join(response.streaming_content)
    assert content.startswith(b"\xef\xbb\xbf")
    assert b"\n2,email,'=cmd|' /C calc'!A0,email is not a valid address" in content.replace(b"\r\n", b"\n")

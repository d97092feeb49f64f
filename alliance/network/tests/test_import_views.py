import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse

from alliance.core.models import AuditEntry
from alliance.network.models import ImportRejection, PeopleImport, Person

CSV = (
    b"First Name,Last Name,E-mail,State,Organisation,Sector\n"
    b"Rosa,Quintana,Rosa@Example.org,New Mexico,Albuquerque Public Schools,k12\n"
    b"Lee,Park,lee@example.org,XX,,\n"
    b"Ann,Lee,ann@example.org,CO,,business\n"
    b"Ann,Again,ANN@example.org,CO,,\n"
)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def upload(client, content: bytes = CSV, name: str = "people.csv"):
    """Upload a file; the worker (in process here) reads it once the upload is committed."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(reverse("network:import"), {"file": SimpleUploadedFile(name, content)})


def test_it_uploads_previews_runs_and_reports_an_import(as_alice, django_capture_on_commit_callbacks):
    response = upload(as_alice)
    people_import = PeopleImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("network:import-preview", args=[people_import.pk])
    assert Person.objects.filter(email="rosa@example.org").count() == 0

    preview = as_alice.get(response["Location"])
    assert preview.status_code == 200
    assert b"Import 4 rows" in preview.content
    assert b"Albuquerque Public Schools" in preview.content  # a sample row
    assert b"unknown state" in preview.content
    assert b"email repeats row 4" in preview.content

    with django_capture_on_commit_callbacks(execute=True):
        response = as_alice.post(reverse("network:import-run", args=[people_import.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("network:import-detail", args=[people_import.pk])
    people_import.refresh_from_db()
    assert people_import.status == PeopleImport.Status.DONE
    assert (people_import.rows_read, people_import.rows_created, people_import.rows_rejected) == (4, 2, 2)
    assert Person.objects.get(email="rosa@example.org").organization.name == "Albuquerque Public Schools"
    assert AuditEntry.objects.filter(action="network.people_import.queued", actor=as_alice.session["_auth_user_id"])

    detail = as_alice.get(response["Location"])
    assert detail.status_code == 200
    assert b"4 rows read = 2 stored (2 new, 0 updated) + 2 rejected" in detail.content
    assert b'<progress id="import-progress"' in detail.content
    assert b"hx-trigger" not in detail.content  # done: nothing left to poll


def test_it_polls_the_progress_partial_while_the_import_waits(as_alice, django_capture_on_commit_callbacks):
    upload(as_alice)
    people_import = PeopleImport.objects.get()
    as_alice.post(reverse("network:import-run", args=[people_import.pk]))  # not committed: the task waits

    response = as_alice.get(reverse("network:import-detail", args=[people_import.pk]), headers={"HX-Request": "true"})

    assert response.status_code == 200
    assert response.content.lstrip().startswith(b'<section id="progress"')
    assert b'hx-trigger="every 1s"' in response.content
    assert b"<html" not in response.content
    assert PeopleImport.objects.get().status == PeopleImport.Status.QUEUED


def test_it_downloads_the_rejected_rows_as_csv(as_alice, django_capture_on_commit_callbacks):
    upload(as_alice)
    people_import = PeopleImport.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        as_alice.post(reverse("network:import-run", args=[people_import.pk]))

    response = as_alice.get(reverse("network:import-rejections", args=[people_import.pk]))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert lines[0] == "row,field,value,reason"
    assert lines[1].startswith("3,state,XX,unknown state")
    assert lines[2] == "5,email,ANN@example.org,email repeats row 4"
    assert ImportRejection.objects.count() == 2


def test_it_refuses_a_file_that_is_not_csv_or_xlsx(as_alice):
    response = upload(as_alice, b"%PDF-1.4 ...", "people.pdf")
    assert response.status_code == 200
    assert "neither" in response.context["form"].errors["file"][0]
    assert b"Choose a CSV or an Excel .xlsx file" in response.content
    assert PeopleImport.objects.count() == 0


def test_it_refuses_a_text_file_dressed_as_xlsx(as_alice):
    response = upload(as_alice, CSV, "people.xlsx")
    assert response.status_code == 200
    assert b"not a real Excel .xlsx workbook" in response.content
    assert PeopleImport.objects.count() == 0


def test_it_refuses_a_file_larger_than_the_limit(as_alice, settings):
    settings.UPLOAD_MAX_MB = 1
    response = upload(as_alice, CSV + b"x" * (1024 * 1024))
    assert response.status_code == 200
    assert b"larger than 1 MB" in response.content
    assert PeopleImport.objects.count() == 0


def test_it_refuses_an_empty_file_once_the_worker_read_it_and_removes_it(as_alice, tmp_path):
    response = upload(as_alice, b"\n\n")
    page = as_alice.get(response["Location"])

    assert page.status_code == 200
    assert b"This file was refused: The file is empty" in page.content
    people_import = PeopleImport.objects.get()
    assert people_import.status == PeopleImport.Status.REFUSED
    assert not people_import.file
    assert not [path for path in tmp_path.rglob("*") if path.is_file()]  # nothing left on disk


def test_it_shows_the_import_link_to_staff_only(as_alice, as_sam):
    assert reverse("network:import").encode() in as_alice.get(reverse("network:home")).content
    assert reverse("network:import").encode() not in as_sam.get(reverse("network:home")).content


@pytest.fixture
def an_import(alice):
    from django.core.files.base import ContentFile

    from alliance.network import importing

    people_import = importing.people_import_create(
        upload=ContentFile(CSV), filename="people.csv", actor=alice.user, worker=False
    )
    return importing.people_import_check(import_id=people_import.pk)


def pages(people_import):
    pk = people_import.pk
    return [
        ("get", reverse("network:import")),
        ("post", reverse("network:import")),
        ("get", reverse("network:import-preview", args=[pk])),
        ("post", reverse("network:import-run", args=[pk])),
        ("get", reverse("network:import-detail", args=[pk])),
        ("get", reverse("network:import-rejections", args=[pk])),
    ]


@pytest.mark.parametrize("persona", ["as_sam", "as_mia", "as_olga"])
def test_it_forbids_everyone_but_backbone_staff(request, persona, an_import):
    client = request.getfixturevalue(persona)
    for method, url in pages(an_import):
        response = getattr(client, method)(url)
        assert response.status_code == 403, (method, url)
    an_import.refresh_from_db()
    assert an_import.status == PeopleImport.Status.PREVIEW
    assert PeopleImport.objects.count() == 1


def test_it_sends_anonymous_visitors_to_log_in(client, an_import):
    for method, url in pages(an_import):
        response = getattr(client, method)(url)
        assert response.status_code == 302, (method, url)
        assert response["Location"].startswith(reverse("account_login"))
    assert PeopleImport.objects.get().status == PeopleImport.Status.PREVIEW


def test_it_gives_404_for_an_unknown_import(as_alice):
    assert as_alice.get(reverse("network:import-detail", args=[999])).status_code == 404


def test_it_explains_a_missing_email_column_and_offers_no_import_button(as_alice):
    upload(as_alice, b"First name,Last name\nAnn,Lee\n")
    people_import = PeopleImport.objects.get()

    response = as_alice.get(reverse("network:import-preview", args=[people_import.pk]))

    assert response.status_code == 200
    assert b"The file has no column for: email" in response.content
    assert reverse("network:import-run", args=[people_import.pk]).encode() not in response.content


def test_it_offers_to_resume_a_failed_import(as_alice, an_import, django_capture_on_commit_callbacks):
    PeopleImport.objects.filter(pk=an_import.pk).update(status=PeopleImport.Status.FAILED, error="disk full")

    page = as_alice.get(reverse("network:import-detail", args=[an_import.pk]))
    assert b"The import stopped: disk full" in page.content
    assert b"Resume the import" in page.content
    with django_capture_on_commit_callbacks(execute=True):
        as_alice.post(reverse("network:import-run", args=[an_import.pk]))

    an_import.refresh_from_db()
    assert (an_import.status, an_import.rows_read, an_import.rows_stored) == (PeopleImport.Status.DONE, 4, 2)

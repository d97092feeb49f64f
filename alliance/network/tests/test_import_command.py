import io
import sys

import pytest
from django.core.management import CommandError, call_command
from django.db import connections

from alliance import cli
from alliance.network.models import PeopleImport, Person

CSV = (
    "first name,last name,email,state\n"
    "Rosa,Quintana,rosa@example.org,NM\n"
    "Lee,Park,not-an-address,CO\n"
    "Ann,Lee,ann@example.org,Atlantis\n"
    "Kim,Ito,KIM@example.org,UT\n"
)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def people_csv(tmp_path):
    path = tmp_path / "people.csv"
    path.write_text(CSV)
    return path


def test_it_imports_a_file_and_prints_the_counts_and_rejected_rows(member_states, people_csv):
    out = io.StringIO()
    call_command("import_people", str(people_csv), stdout=out)

    assert Person.objects.filter(source=Person.Source.IMPORT).count() == 2
    assert PeopleImport.objects.get().status == PeopleImport.Status.DONE
    output = out.getvalue()
    assert "4 rows read = 2 stored (2 created, 0 updated) + 2 rejected" in output
    assert "row 3: email: email is not a valid address ('not-an-address')" in output
    assert "row 4: state: unknown state" in output
    assert "4/4 rows (100%)" in output


def test_it_updates_instead_of_duplicating_when_run_twice(member_states, people_csv):
    call_command("import_people", str(people_csv), stdout=io.StringIO())
    out = io.StringIO()
    call_command("import_people", str(people_csv), "--batch-size", "1", stdout=out)

    assert Person.objects.count() == 2
    assert "4 rows read = 2 stored (0 created, 2 updated) + 2 rejected" in out.getvalue()


def test_it_runs_as_alliance_import_people(member_states, people_csv, monkeypatch, capsys):
    monkeypatch.setattr(sys, "argv", ["alliance", "import-people", str(people_csv)])
    # A command run from the command line closes the connections when it ends, which would end
    # the test's transaction too.
    monkeypatch.setattr(connections, "close_all", lambda: None)
    cli.main()

    assert "4 rows read = 2 stored" in capsys.readouterr().out
    assert Person.objects.filter(email="kim@example.org").exists()


def test_it_fails_clearly_for_a_missing_file(member_states, tmp_path):
    with pytest.raises(CommandError, match="No such file"):
        call_command("import_people", str(tmp_path / "nope.csv"))


def test_it_fails_clearly_without_an_email_column(member_states, tmp_path):
    path = tmp_path / "names.csv"
    path.write_text("first,last\nAnn,Lee\n")
    with pytest.raises(CommandError, match="No column for: email"):
        call_command("import_people", str(path), stdout=io.StringIO())
    assert Person.objects.count() == 0


def test_it_refuses_a_file_of_another_type(member_states, tmp_path):
    path = tmp_path / "people.txt"
    path.write_text(CSV)
    with pytest.raises(CommandError, match="Only CSV and XLSX"):
        call_command("import_people", str(path))

"""A new app plugs into Alliance without an edit of core or network: this throwaway app contributes a
menu entry, a rule and a role, a demo part and a merge handler, and each one takes effect."""

import pytest
from django.core.management import call_command
from django.test import Client

from alliance.core import policy
from alliance.network import merging
from alliance.network.services import NetworkError
from alliance.testing.fixtures import make_person
from alliance.testing.sample_app.models import Note


@pytest.fixture
def reader(db, django_user_model):
    user = django_user_model.objects.create_user(username="sample-reader", email="reader@example.org")
    client = Client()
    client.force_login(user)
    return client


def test_it_shows_the_apps_menu_entry_to_whom_its_rule_allows(reader, as_mia):
    page = reader.get("/").content.decode()
    assert '<a href="/sample/">Sample notes</a>' in page
    assert "Sample notes" not in as_mia.get("/").content.decode()


def test_it_lets_the_apps_rule_and_role_decide_access(reader, as_mia, mia):
    assert reader.get("/sample/").status_code == 200
    assert as_mia.get("/sample/").status_code == 403
    assert not policy.can(mia.user, "sample.notes.view")


def test_it_moves_the_apps_rows_through_its_handler_on_merge_and_back_on_undo(alice, member_states):
    kept = make_person(first_name="Ana", last_name="Ruiz")
    removed = make_person(first_name="Anna", last_name="Ruiz")
    note = Note.objects.create(author=removed, text="Asset map notes")

    merge = merging.person_merge(kept=kept, removed=removed, actor=alice.user)
    note.refresh_from_db()
    assert (note.author, note.moved_from) == (kept, removed)

    merging.person_merge_undo(merge=merge, actor=alice.user)
    note.refresh_from_db()
    assert (note.author, note.moved_from) == (removed, None)


def test_it_refuses_a_merge_when_a_foreign_key_to_person_has_no_handler(alice, member_states, monkeypatch):
    monkeypatch.delitem(merging._handlers, "sample_app.note.author")
    kept = make_person(first_name="Ana", last_name="Ruiz")
    removed = make_person(first_name="Anna", last_name="Ruiz")
    with pytest.raises(NetworkError, match="sample_app.note.author"):
        merging.person_merge(kept=kept, removed=removed, actor=alice.user)
    removed.refresh_from_db()
    assert removed.status == "active"


def test_it_builds_the_apps_demo_part_after_the_network(db, capsys):
    call_command("demo")
    out = capsys.readouterr().out
    assert out.index("Demo: network") < out.index("Demo: sample_app")
    assert "1 sample note" in out
    assert Note.objects.filter(text="Demo note").count() == 1
    call_command("demo")
    assert Note.objects.filter(text="Demo note").count() == 1

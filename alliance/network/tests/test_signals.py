"""The network's documented signals reach other apps after the change has committed."""

import pytest

from alliance.network import merging, services
from alliance.network.models import Person, Welcome
from alliance.network.signals import merge_undone, people_merged, person_confirmed
from alliance.testing.fixtures import make_person


@pytest.fixture
def received():
    calls: list[tuple[str, dict]] = []

    def listener(signal_name):
        def receive(sender, **kwargs):
            kwargs.pop("signal")
            calls.append((signal_name, kwargs))

        return receive

    receivers = {name: listener(name) for name in ("confirmed", "merged", "undone")}
    person_confirmed.connect(receivers["confirmed"])
    people_merged.connect(receivers["merged"])
    merge_undone.connect(receivers["undone"])
    yield calls
    person_confirmed.disconnect(receivers["confirmed"])
    people_merged.disconnect(receivers["merged"])
    merge_undone.disconnect(receivers["undone"])


def _join(member_states) -> str:
    signup = services.person_join(
        first_name="Rosa",
        last_name="Chavez",
        email="rosa@example.org",
        state=member_states["NM"],
        sector=None,
        consent_to_email=True,
    )
    return signup.token


def test_it_sends_person_confirmed_once_after_commit_and_the_welcome_follows(
    sam, member_states, received, django_capture_on_commit_callbacks
):
    token = _join(member_states)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.signup_confirm(token=token)
    assert received == []  # nothing before the commit
    for callback in callbacks:
        callback()
    person = Person.objects.get(email="rosa@example.org")
    assert received == [("confirmed", {"person": person, "signup": person.signups.get(), "first_time": True})]
    assert Welcome.objects.filter(person=person, sender=sam).exists()

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(services.SignupLinkError):
        services.signup_confirm(token=token)  # a link works once
    assert len(received) == 1


def test_it_sends_people_merged_and_merge_undone(alice, member_states, received, django_capture_on_commit_callbacks):
    kept = make_person(first_name="Ana", last_name="Ruiz")
    removed = make_person(first_name="Anna", last_name="Ruiz")
    with django_capture_on_commit_callbacks(execute=True):
        merge = merging.person_merge(kept=kept, removed=removed, actor=alice.user)
    assert received == [("merged", {"kept": kept, "removed": removed, "merge": merge})]
    with django_capture_on_commit_callbacks(execute=True):
        merging.person_merge_undo(merge=merge, actor=alice.user)
    assert received[-1][0] == "undone" and received[-1][1]["merge"] == merge


def test_every_foreign_key_to_person_outside_the_network_has_a_merge_handler(db):
    assert merging.relations_unhandled() == []


def test_a_sweep_gives_a_welcome_to_a_confirmed_newcomer_whose_welcome_was_lost(sam, member_states):
    token = _join(member_states)
    services.signup_confirm(token=token)  # the on-commit receiver never runs here: as if the process died
    person = Person.objects.get(email="rosa@example.org")
    assert not Welcome.objects.filter(person=person).exists()
    assert services.welcomes_missing_create() == 1
    assert Welcome.objects.get(person=person).sender == sam
    assert services.welcomes_missing_create() == 0

import pytest

from alliance.network import services
from alliance.network.models import Role, Welcome
from alliance.testing.fixtures import make_person


@pytest.fixture
def committee(member_states):
    return {
        "co1": make_person(first_name="Cora", last_name="One", state="CO", roles=[Role.STEERING]),
        "co2": make_person(first_name="Cole", last_name="Two", state="CO", roles=[Role.STEERING]),
        "ut": make_person(first_name="Uma", last_name="Utah", state="UT", roles=[Role.STEERING]),
    }


def welcome_from(sender, n):
    for i in range(n):
        Welcome.objects.create(person=make_person(first_name=f"W{sender.pk}x{i}", last_name="Old"), sender=sender)


def test_it_picks_a_committee_member_of_the_newcomers_state(committee):
    newcomer = make_person(first_name="Una", last_name="New", state="UT")
    assert services.welcome_sender_choose(person=newcomer) == committee["ut"]


def test_it_shares_the_work_within_the_state(committee):
    welcome_from(committee["co1"], 2)
    newcomer = make_person(first_name="Cy", last_name="New", state="CO")
    assert services.welcome_sender_choose(person=newcomer) == committee["co2"]


def test_it_falls_back_to_the_least_busy_member_elsewhere(committee):
    welcome_from(committee["co1"], 1)
    welcome_from(committee["co2"], 1)
    newcomer = make_person(first_name="Wyatt", last_name="New", state="WY")
    assert services.welcome_sender_choose(person=newcomer) == committee["ut"]


def test_it_never_picks_inactive_members(committee):
    committee["ut"].status = "merged"
    committee["ut"].save()
    newcomer = make_person(first_name="Una", last_name="New", state="UT")
    assert services.welcome_sender_choose(person=newcomer) in {committee["co1"], committee["co2"]}


def test_it_falls_back_to_the_least_busy_backbone_staff_without_a_committee(member_states):
    first = make_person(first_name="Bea", last_name="One", state="UT", roles=[Role.BACKBONE])
    second = make_person(first_name="Ben", last_name="Two", state="ID", roles=[Role.BACKBONE])
    welcome_from(first, 1)
    newcomer = make_person(first_name="Solo", last_name="New", state="UT")
    assert services.welcome_sender_choose(person=newcomer) == second
    welcome = services.welcome_create(person=newcomer)
    assert (welcome.sender, welcome.sender_role, welcome.status) == (second, Role.BACKBONE, Welcome.Status.PENDING)


def test_it_prefers_the_committee_to_the_backbone(committee):
    make_person(first_name="Bea", last_name="Backbone", state="UT", roles=[Role.BACKBONE])
    newcomer = make_person(first_name="Una", last_name="New", state="UT")
    welcome = services.welcome_create(person=newcomer)
    assert (welcome.sender, welcome.sender_role) == (committee["ut"], Role.STEERING)


def test_with_nobody_to_send_it_the_welcome_waits_for_a_sender(member_states, django_capture_on_commit_callbacks):
    newcomer = make_person(first_name="Solo", last_name="New", state="UT")
    assert services.welcome_sender_choose(person=newcomer) is None
    with django_capture_on_commit_callbacks(execute=True):
        welcome = services.welcome_create(person=newcomer)
    welcome.refresh_from_db()
    assert (welcome.status, welcome.sender) == (Welcome.Status.WAITING, None)
    # Once someone can send it, the next sweep gives it to them and it goes out.
    backbone = make_person(first_name="Bea", last_name="Late", state="ID", roles=[Role.BACKBONE])
    with django_capture_on_commit_callbacks(execute=True):
        assert services.welcomes_resume(overdue_only=True) == 1
    welcome.refresh_from_db()
    assert (welcome.status, welcome.sender, welcome.sender_role) == (Welcome.Status.SENT, backbone, Role.BACKBONE)


def test_it_creates_one_welcome_per_person(committee, django_capture_on_commit_callbacks):
    newcomer = make_person(first_name="Una", last_name="New", state="UT")
    with django_capture_on_commit_callbacks(execute=True):
        assert services.welcome_create(person=newcomer) is not None
        assert services.welcome_create(person=newcomer) is None
    assert Welcome.objects.filter(person=newcomer).count() == 1

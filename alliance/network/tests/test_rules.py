import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from alliance.core import policy


def test_it_gives_anonymous_visitors_only_public_actions():
    anonymous = AnonymousUser()
    assert policy.can(anonymous, "network.join")
    assert not policy.can(anonymous, "network.directory.view")


def test_it_treats_django_staff_as_backbone(alice):
    assert "backbone" in policy.roles_of(alice.user)
    assert policy.can(alice.user, "network.people.merge")


def test_it_lets_the_committee_reach_people_but_not_run_imports(sam):
    assert policy.can(sam.user, "network.person.view_contact")
    assert not policy.can(sam.user, "network.people.import")


def test_it_stops_members_of_a_merged_record(mia):
    mia.status = "merged"
    mia.save()
    mia.user.refresh_from_db()
    assert not policy.can(mia.user, "network.directory.view")


def test_require_raises_permission_denied(mia):
    with pytest.raises(PermissionDenied):
        policy.require(mia.user, "network.people.export")


def test_it_refuses_unknown_actions(mia):
    with pytest.raises(KeyError):
        policy.can(mia.user, "network.people.fly")

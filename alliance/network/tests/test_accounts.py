"""Accounts and members: an account reaches a member's record, roles and data only through an
address it has verified. These tests play the attacker as well as the member."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client
from django.urls import reverse

from alliance.core import policy
from alliance.network.models import Person, Role
from alliance.testing.fixtures import make_person

PASSWORD = "a-long-passphrase-42"


def sign_up(client, email: str):
    return client.post(reverse("account_signup"), {"email": email, "password1": PASSWORD, "password2": PASSWORD})


def verification_link(email: str) -> str:
    [message] = [m for m in mail.outbox if m.to == [email] and "/accounts/confirm-email/" in m.body]
    return re.search(r"http://\S+(/accounts/confirm-email/\S+/)", message.body).group(1)


@pytest.fixture
def leader(member_states):
    """A steering committee member who has no account yet."""
    return make_person(first_name="Lena", last_name="Leader", state="NV", roles=[Role.STEERING])


def test_signing_up_with_a_leaders_address_yields_no_role_and_no_data(client, leader, alice):
    response = sign_up(client, leader.email)
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    leader.refresh_from_db()
    assert leader.user is None
    # The attacker tries every way in: a password login, then the pages leaders and staff see.
    response = client.post(reverse("account_login"), {"login": leader.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    for url in [reverse("network:directory-export", args=["csv"]), reverse("network:newcomers")]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    leader.refresh_from_db()
    assert leader.user is None
    # The verification mail went to the leader's inbox, not to the attacker.
    assert {tuple(m.to) for m in mail.outbox} == {(leader.email,)}


def test_an_account_with_an_unverified_address_holds_no_role_even_when_signed_in(leader, django_user_model):
    """Whatever signs the account in (a session, an API token), an unverified address gives nothing."""
    client = Client()
    sign_up(client, leader.email)
    user = django_user_model.objects.get(email=leader.email)
    assert not EmailAddress.objects.get(user=user).verified
    assert policy.roles_of(user) == {"authenticated"}
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get(reverse("network:directory-export", args=["csv"])).status_code == 403
    assert client.get(reverse("network:directory")).status_code == 403


def test_verifying_the_address_links_the_account_to_the_member(client, leader, django_user_model):
    sign_up(client, "  LENA.leader@example.org")
    link = verification_link(leader.email)
    response = client.get(link)  # the page only asks; mail scanners open links too
    assert response.status_code == 200
    leader.refresh_from_db()
    assert leader.user is None
    response = client.post(link)
    assert response.status_code == 302
    leader.refresh_from_db()
    assert leader.user is not None
    assert leader.user.email.lower() == leader.email
    assert policy.roles_of(leader.user) == {"authenticated", "member", "steering"}
    client.post(reverse("account_login"), {"login": leader.email, "password": PASSWORD})
    assert client.get(reverse("network:newcomers")).status_code == 200


def test_sign_up_does_not_tell_whether_an_address_has_an_account(alice):
    fresh, taken = Client(), Client()
    new_response = sign_up(fresh, "nobody.yet@example.org")
    taken_response = sign_up(taken, alice.email)
    assert (new_response.status_code, new_response["Location"]) == (
        taken_response.status_code,
        taken_response["Location"],
    )
    # The holder of the taken address is told, in their own inbox.
    [notice] = [m for m in mail.outbox if m.to == [alice.email]]
    assert "already" in notice.body.lower()
    alice.refresh_from_db()
    assert alice.user.email == alice.email


def test_it_logs_in_by_email(client, sam):
    response = client.post(reverse("account_login"), {"login": sam.email, "password": "correct-horse-9"})
    assert response.status_code == 302
    assert client.get(reverse("network:newcomers")).status_code == 200


def test_a_verified_account_is_linked_at_login_to_a_person_who_joined_later(client, olga, member_states):
    EmailAddress.objects.filter(user=olga).update(verified=True)
    person = make_person(first_name="Olga", last_name="Outside", state="UT")
    Person.objects.filter(pk=person.pk).update(email=olga.email)
    client.post(reverse("account_login"), {"login": olga.email, "password": "correct-horse-9"})
    person.refresh_from_db()
    assert person.user == olga


def test_an_account_without_membership_is_not_a_member(olga):
    assert policy.roles_of(olga) == {"authenticated"}
    assert not policy.can(olga, "network.directory.view")


def test_a_member_who_changes_their_address_keeps_their_record_under_the_new_one(as_mia, mia):
    response = as_mia.post(reverse("account_email"), {"action_add": "", "email": "mia.new@example.org"})
    assert response.status_code == 302
    mia.refresh_from_db()
    assert mia.email == "mia.member@example.org"  # not before it is verified
    as_mia.post(verification_link("mia.new@example.org"))
    mia.refresh_from_db()
    assert mia.email == "mia.new@example.org"
    assert mia.user.emailaddress_set.get().email == "mia.new@example.org"
    assert [h.email for h in mia.history.all()[:2]] == ["mia.new@example.org", "mia.member@example.org"]
    assert mia.events.filter(kind="network.person.email_changed").exists()


def test_a_member_cannot_take_another_persons_address(as_mia, mia, sam):
    as_mia.post(reverse("account_email"), {"action_add": "", "email": sam.email})
    assert all(m.to != [sam.email] or "/accounts/confirm-email/" in m.body for m in mail.outbox)
    response = as_mia.post(verification_link(sam.email), follow=True)
    assert b"Another person in the network already has this email address." in response.content
    mia.refresh_from_db()
    assert mia.email == "mia.member@example.org"
    assert not EmailAddress.objects.filter(email=sam.email, user=mia.user, verified=True).exists()


def test_a_visitor_who_confirmed_their_sign_up_makes_an_account_without_a_second_mail(
    client, sam, django_capture_on_commit_callbacks
):
    from alliance.network.tests.test_join import JOIN, confirm_link

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("network:join"), {**JOIN, "state": "CO"})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(confirm_link(mail.outbox[0]))
    sent = len(mail.outbox)
    response = sign_up(client, "rosa.quintana@example.org")
    assert response.status_code == 302
    person = Person.objects.get(email="rosa.quintana@example.org")
    assert person.user is not None
    assert policy.roles_of(person.user) == {"authenticated", "member"}
    assert not [m for m in mail.outbox[sent:] if "/accounts/confirm-email/" in m.body]


def test_the_account_pages_rate_limits_count_visitors_behind_a_trusted_proxy(settings):
    from allauth.account.adapter import get_adapter
    from django.test import RequestFactory

    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    behind_proxy = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.2", headers={"X-Forwarded-For": "1.2.3.4, 198.51.100.1"}
    )
    direct = RequestFactory().get("/", REMOTE_ADDR="203.0.113.9", headers={"X-Forwarded-For": "198.51.100.1"})
    assert get_adapter().get_client_ip(behind_proxy) == "198.51.100.1"
    assert get_adapter().get_client_ip(direct) == "203.0.113.9"

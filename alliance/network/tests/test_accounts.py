from django.urls import reverse

from alliance.core import policy
from alliance.testing.fixtures import make_person


def test_it_links_a_new_account_to_the_member_with_that_email(client, member_states, django_user_model):
    person = make_person(first_name="Lina", last_name="Park", state="NV")
    response = client.post(
        reverse("account_signup"),
        {"email": "  LINA.park@example.org", "password1": "a-long-passphrase-42", "password2": "a-long-passphrase-42"},
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.user is not None
    assert person.user.email.lower() == "lina.park@example.org"
    assert policy.roles_of(person.user) == {"authenticated", "member"}


def test_it_logs_in_by_email(client, sam):
    response = client.post(reverse("account_login"), {"login": sam.email, "password": "correct-horse-9"})
    assert response.status_code == 302
    assert client.get(reverse("network:newcomers")).status_code == 200


def test_an_account_without_membership_is_not_a_member(olga):
    assert policy.roles_of(olga) == {"authenticated"}
    assert not policy.can(olga, "network.directory.view")

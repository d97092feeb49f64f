import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from alliance.network.models import Event, Person, Signup, Welcome

JOIN = {
    "first_name": "Rosa",
    "last_name": "Quintana",
    "email": "  Rosa.Quintana@Example.ORG ",
    "state": "NM",
    "sector": "k12",
    "organization": "Albuquerque Public Schools",
    "title": "CTE coordinator",
    "interests": "Girls in welding",
    "consent_to_email": "on",
}


def confirm_link(message) -> str:
    return re.search(r"http://\S+/join/confirm/\S+/", message.body).group(0)


@pytest.fixture
def committee(sam, member_states):
    from alliance.network.models import Role
    from alliance.testing.fixtures import make_person

    return make_person(first_name="Nora", last_name="Mexico", state="NM", roles=[Role.STEERING])


def test_it_shows_the_join_form_to_anonymous_visitors(client, member_states):
    response = client.get(reverse("network:join"))
    assert response.status_code == 200
    assert b'name="email"' in response.content
    assert b"New Mexico" in response.content


def test_it_stores_a_pending_person_and_mails_a_confirmation_link(
    client, member_states, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("network:join"), JOIN)
    assert response.status_code == 302
    assert response["Location"] == reverse("network:join-sent")
    person = Person.objects.get()
    assert person.email == "rosa.quintana@example.org"
    assert person.status == Person.Status.PENDING
    assert person.organization.name == "Albuquerque Public Schools"
    assert person.source == Person.Source.JOIN
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["rosa.quintana@example.org"]
    assert Signup.objects.get().token in confirm_link(mail.outbox[0])


def test_it_gives_field_level_messages_for_bad_input(client, member_states):
    response = client.post(reverse("network:join"), {**JOIN, "email": "not-an-address", "first_name": ""})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"email", "first_name"}
    assert b'id="id_email_error"' in response.content
    assert Person.objects.count() == 0


def test_a_second_sign_up_of_a_pending_address_waits_for_its_own_confirmation(
    client, committee, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("network:join"), JOIN)
        client.post(reverse("network:join"), {**JOIN, "email": "ROSA.quintana@example.org", "title": "Director"})
    person = Person.objects.get(source=Person.Source.JOIN)
    assert person.title == "CTE coordinator"
    assert Signup.objects.filter(person=person).count() == 2
    client.post(confirm_link(mail.outbox[1]))
    person.refresh_from_db()
    assert (person.title, person.status) == ("Director", Person.Status.ACTIVE)


def test_it_confirms_and_queues_one_welcome_from_the_same_state(client, committee, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("network:join"), JOIN)
    link = confirm_link(mail.outbox[0])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(link)
        again = client.post(link)  # a second press is refused and changes nothing
    assert response.status_code == 200
    assert b"Welcome, Rosa!" in response.content
    assert again.status_code == 410
    assert b"already been used" in again.content
    person = Person.objects.get(email="rosa.quintana@example.org")
    assert person.status == Person.Status.ACTIVE
    welcome = Welcome.objects.get(person=person)
    assert welcome.sender == committee
    assert welcome.status == Welcome.Status.SENT
    welcomes = [m for m in mail.outbox if m.subject.startswith("Welcome")]
    assert len(welcomes) == 1
    assert welcomes[0].reply_to == [committee.email]
    assert "Nora Mexico" in welcomes[0].from_email
    assert Event.objects.filter(person=person, kind="network.welcome.sent").count() == 1


def test_opening_the_link_changes_nothing_until_the_button_is_pressed(
    client, committee, django_capture_on_commit_callbacks
):
    """Mail scanners open every link in a message; only a person presses the button."""
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("network:join"), JOIN)
    link = confirm_link(mail.outbox[0])
    for _ in range(3):
        response = client.get(link)
        assert response.status_code == 200
        assert b'<form method="post">' in response.content
        assert b"Confirm and join" in response.content
    person = Person.objects.get(source=Person.Source.JOIN)
    assert person.status == Person.Status.PENDING
    assert Signup.objects.get().confirmed is None
    assert not Welcome.objects.exists()
    assert client.post(link).status_code == 200
    person.refresh_from_db()
    assert person.status == Person.Status.ACTIVE


def test_it_refuses_an_expired_link_and_offers_to_join_again(client, committee, settings):
    settings.SIGNUP_TOKEN_DAYS = 7
    client.post(reverse("network:join"), JOIN)
    signup = Signup.objects.get()
    Signup.objects.filter(pk=signup.pk).update(created=timezone.now() - timedelta(days=7, minutes=1))
    link = reverse("network:join-confirm", args=[signup.token])
    for response in [client.get(link), client.post(link)]:
        assert response.status_code == 410
        assert b"expired" in response.content
        assert reverse("network:join").encode() in response.content
    assert Person.objects.get(source=Person.Source.JOIN).status == Person.Status.PENDING
    assert not Welcome.objects.exists()


def test_a_link_still_works_on_its_last_day(client, committee, settings):
    settings.SIGNUP_TOKEN_DAYS = 7
    client.post(reverse("network:join"), JOIN)
    signup = Signup.objects.get()
    Signup.objects.filter(pk=signup.pk).update(created=timezone.now() - timedelta(days=6, hours=23))
    assert client.post(reverse("network:join-confirm", args=[signup.token])).status_code == 200
    assert Person.objects.get(source=Person.Source.JOIN).status == Person.Status.ACTIVE


def test_an_unconfirmed_sign_up_leaves_an_existing_member_unchanged(
    client, committee, mia, django_capture_on_commit_callbacks
):
    """Anyone can type a member's address into the join form: nothing changes until the member confirms."""
    before = (mia.first_name, mia.last_name, mia.state_id, mia.title, mia.organization_id, mia.status)
    history = mia.history.count()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("network:join"), {**JOIN, "email": mia.email.upper(), "first_name": "Mallory", "title": "Owner"}
        )
    assert response.status_code == 302
    mia.refresh_from_db()
    assert (mia.first_name, mia.last_name, mia.state_id, mia.title, mia.organization_id, mia.status) == before
    assert mia.history.count() == history
    assert Person.objects.filter(email=mia.email).count() == 1
    assert mail.outbox[0].to == [mia.email]  # only the member can confirm

    response = client.post(confirm_link(mail.outbox[0]))
    assert response.status_code == 200
    mia.refresh_from_db()
    assert (mia.first_name, mia.title, mia.state_id) == ("Mallory", "Owner", "NM")
    assert mia.organization.name == "Albuquerque Public Schools"
    latest = mia.history.first()
    change = latest.diff_against(latest.prev_record)
    diffs = {c.field: (c.old, c.new) for c in change.changes}
    assert diffs["first_name"] == ("Mia", "Mallory")
    assert diffs["title"] == ("", "Owner")
    assert latest.history_change_reason == "Confirmed a sign-up"


def test_it_stores_the_language_the_visitor_joined_in(client, member_states, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("network:join"), JOIN, headers={"accept-language": "es"})
    assert Person.objects.get().language == "es"


def test_it_rejects_an_unknown_confirmation_token(client, member_states):
    for response in [
        client.get(reverse("network:join-confirm", args=["nope"])),
        client.post(reverse("network:join-confirm", args=["nope"])),
    ]:
        assert response.status_code == 404
        assert b"This link does not work" in response.content


def test_it_stores_nothing_when_the_honeypot_is_filled(client, member_states):
    response = client.post(reverse("network:join"), {**JOIN, "website": "http://spam.example"})
    assert response.status_code == 302
    assert Person.objects.count() == 0


def test_it_limits_sign_ups_per_address(client, member_states, settings):
    settings.JOIN_RATE_PER_HOUR = 2
    for n in range(2):
        assert client.post(reverse("network:join"), {**JOIN, "email": f"p{n}@example.org"}).status_code == 302
    response = client.post(reverse("network:join"), {**JOIN, "email": "p9@example.org"})
    assert response.status_code == 429
    assert Person.objects.count() == 2


def test_the_confirmation_link_survives_raw_mail_unbroken(client, member_states, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("network:join"), JOIN)
    raw = mail.outbox[0].message().as_string()
    assert "Content-Transfer-Encoding: 7bit" in raw
    assert confirm_link(mail.outbox[0]) in raw

"""Text people type is limited in length and refuses control and invisible characters, everywhere."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from alliance.network.models import INTERESTS_MAX_LENGTH, Person, Signup
from alliance.testing.fixtures import make_person

JOIN = {
    "first_name": "Rosa",
    "last_name": "Quintana",
    "email": "rosa@example.org",
    "state": "NM",
    "sector": "k12",
    "organization": "Albuquerque Public Schools",
    "title": "CTE coordinator",
    "interests": "Girls in welding",
}


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("first_name", "Rosa\nBcc: everyone@example.org"),  # a line break in a name broke its welcome
        ("last_name", "Quin\x00tana"),
        ("organization", "Albuquerque\u200b Public Schools"),
        ("title", "Coordinator \u202egnidleW"),
        ("interests", "x" * (INTERESTS_MAX_LENGTH + 1)),
        ("interests", "Welding\x1b[2J"),
        ("first_name", "R" * 101),
    ],
)
def test_it_refuses_a_join_with_harmful_text_and_says_which_field(client, member_states, field, value):
    response = client.post(reverse("network:join"), {**JOIN, field: value})

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Person.objects.exists()
    assert not Signup.objects.exists()


def test_it_keeps_line_breaks_in_interests(client, member_states):
    response = client.post(reverse("network:join"), {**JOIN, "interests": "Welding\r\nRobotics"})
    assert response.status_code == 302
    assert Person.objects.get().interests.splitlines() == ["Welding", "Robotics"]


def test_it_refuses_an_overlong_profile_and_invisible_characters(as_mia, mia):
    url = reverse("network:profile")
    response = as_mia.post(url, {"title": "Counselor\u2066", "interests": "y" * 15_000})
    assert set(response.context["form"].errors) == {"title", "interests"}
    mia.refresh_from_db()
    assert mia.title != "Counselor\u2066" and len(mia.interests) < 15_000


def test_it_refuses_an_api_person_with_an_override_character(as_alice, member_states):
    new = {"first_name": "Ana\u202e", "last_name": "Lee", "email": "ana@example.org", "state": "CO"}
    response = as_alice.post("/api/network/people", new, content_type="application/json")
    assert response.status_code == 422
    assert not Person.objects.filter(email="ana@example.org").exists()


def test_it_refuses_overlong_interests_in_the_database_too(member_states):
    person = make_person(first_name="Long", last_name="Text", state="CO")
    with pytest.raises(IntegrityError), transaction.atomic():
        Person.objects.filter(pk=person.pk).update(interests="z" * (INTERESTS_MAX_LENGTH + 1))
    Person.objects.filter(pk=person.pk).update(interests="z" * INTERESTS_MAX_LENGTH)

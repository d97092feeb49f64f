import pytest
from django.urls import reverse

from alliance.core.models import AuditEntry
from alliance.network.models import Event, Person
from alliance.testing.fixtures import make_person

FORM = {
    "first_name": "Lena",
    "last_name": "Ortiz-Baca",
    "email": " Lena.Ortiz@Example.org ",
    "state": "NM",
    "sector": "government",
    "organization": "New Mexico Public Education Department",
    "title": "CTE Director",
    "interests": "Perkins V data",
    "consent_to_email": "on",
    "roles": ["steering", "chair"],
}


@pytest.fixture
def lena(member_states):
    return make_person(first_name="Lena", last_name="Ortiz", state="ID")


def url(person):
    return reverse("network:person-edit", args=[person.pk])


def test_it_lets_staff_edit_a_record_and_its_roles(as_alice, lena):
    response = as_alice.post(url(lena), FORM)
    assert response.status_code == 302
    assert response["Location"] == reverse("network:person-detail", args=[lena.pk])
    lena.refresh_from_db()
    assert (lena.last_name, lena.email, lena.state_id, lena.title) == (
        "Ortiz-Baca",
        "lena.ortiz@example.org",
        "NM",
        "CTE Director",
    )
    assert lena.organization.name == "New Mexico Public Education Department"
    assert set(lena.roles.values_list("code", flat=True)) == {"member", "steering", "chair"}
    event = Event.objects.get(person=lena, kind="network.person.roles_changed")
    assert "+Steering committee" in event.summary and event.actor.full_name == "Alice Backbone"
    assert AuditEntry.objects.filter(action="network.person.updated", target_id=str(lena.pk)).exists()
    assert lena.history.count() == 2


def test_it_removes_roles_but_keeps_membership(as_alice, lena):
    as_alice.post(url(lena), FORM)
    as_alice.post(url(lena), {**FORM, "roles": []})
    assert list(lena.roles.values_list("code", flat=True)) == ["member"]


def test_it_refuses_an_email_another_person_has(as_alice, lena):
    make_person(first_name="Other", last_name="Person")
    response = as_alice.post(url(lena), {**FORM, "email": "OTHER.person@example.org"})
    assert response.status_code == 200
    assert "already has this email" in str(response.context["form"].errors["email"])
    lena.refresh_from_db()
    assert lena.email == "lena.ortiz@example.org"


def test_it_shows_the_edit_button_to_staff_only(as_alice, as_sam, lena):
    button = f'href="{url(lena)}"'.encode()
    assert button in as_alice.get(reverse("network:person-detail", args=[lena.pk])).content
    assert button not in as_sam.get(reverse("network:person-detail", args=[lena.pk])).content


@pytest.mark.parametrize("persona", ["as_sam", "as_chris", "as_mia", "as_olga"])
def test_it_is_only_for_staff(persona, request, lena):
    client = request.getfixturevalue(persona)
    assert client.get(url(lena)).status_code == 403
    assert client.post(url(lena), FORM).status_code == 403
    assert Person.objects.get(pk=lena.pk).last_name == "Ortiz"


def test_it_sends_anonymous_visitors_to_log_in(client, lena):
    assert client.get(url(lena)).status_code == 302


ADD = reverse("network:person-add")


def test_it_lets_staff_add_someone_they_know_with_roles(as_alice, member_states):
    response = as_alice.post(ADD, {**FORM, "email": "Nora.Tso@navajo-tech.example", "roles": ["chair"]})
    person = Person.objects.get(email="nora.tso@navajo-tech.example")
    assert response.status_code == 302
    assert response["Location"] == reverse("network:person-detail", args=[person.pk])
    assert (person.status, person.source, person.consent_to_email) == ("active", "staff", True)
    assert person.interests == "Perkins V data"
    assert set(person.roles.values_list("code", flat=True)) == {"member", "chair"}
    assert AuditEntry.objects.filter(action="network.person.created", target_id=str(person.pk)).exists()
    assert Event.objects.filter(person=person, kind="network.person.roles_changed").exists()


def test_it_refuses_to_add_someone_already_in_the_network(as_alice, lena):
    response = as_alice.post(ADD, {**FORM, "email": "LENA.ORTIZ@example.org"})
    assert response.status_code == 200
    assert "already in the network" in str(response.context["form"].errors["email"])
    assert Person.objects.filter(email="lena.ortiz@example.org").count() == 1


def test_it_offers_adding_on_the_directory_to_staff_only(as_alice, as_sam):
    assert ADD.encode() in as_alice.get(reverse("network:directory")).content
    assert ADD.encode() not in as_sam.get(reverse("network:directory")).content


@pytest.mark.parametrize("persona", ["as_sam", "as_chris", "as_mia", "as_olga"])
def test_only_staff_add_people(persona, request, member_states):
    client = request.getfixturevalue(persona)
    assert client.post(ADD, {**FORM, "email": "new@example.org"}).status_code == 403
    assert not Person.objects.filter(email="new@example.org").exists()

import pytest
from django.urls import reverse

from alliance.network import services
from alliance.network.models import Organization, Person
from alliance.testing.fixtures import make_person


@pytest.fixture
def lena(member_states):
    org = Organization.objects.create(name="Idaho STEM Action Center", state_id="ID", sector_id="government")
    person = make_person(first_name="Lena", last_name="Ortiz", state="ID", organization=org, title="Director")
    services.event_record(person=person, kind="network.person.confirmed", summary="Confirmed their email address")
    return person


def url(person):
    return reverse("network:person-detail", args=[person.pk])


def test_it_shows_a_member_the_profile_without_contact_or_timeline(as_mia, lena):
    response = as_mia.get(url(lena))
    assert response.status_code == 200
    assert b"Lena Ortiz" in response.content and b"Idaho STEM Action Center" in response.content
    assert b"lena.ortiz@example.org" not in response.content
    assert response.context["timeline"] is None


def test_it_shows_leaders_the_contact_and_timeline(as_sam, lena):
    response = as_sam.get(url(lena))
    assert b"lena.ortiz@example.org" in response.content
    assert [e.summary for e in response.context["timeline"]] == ["Confirmed their email address"]


def test_it_shows_staff_the_history_of_changes(as_alice, lena):
    lena.title = "Deputy Director"
    lena.save()
    response = as_alice.get(url(lena))
    assert len(response.context["changes"]) == 2


def test_it_hides_pending_and_merged_people(as_alice, lena):
    Person.objects.filter(pk=lena.pk).update(status=Person.Status.PENDING)
    assert as_alice.get(url(lena)).status_code == 404


def test_it_refuses_anonymous_visitors_and_outsiders(client, as_olga, lena):
    assert client.get(url(lena)).status_code == 302
    assert as_olga.get(url(lena)).status_code == 403


def test_it_lists_the_people_of_an_organization(as_mia, lena):
    response = as_mia.get(reverse("network:organization-detail", args=[lena.organization_id]))
    assert response.status_code == 200
    assert [p.full_name for p in response.context["page"]] == ["Lena Ortiz"]
    assert response.context["timeline"] is None


def test_it_shows_leaders_the_organization_timeline(as_sam, lena):
    response = as_sam.get(reverse("network:organization-detail", args=[lena.organization_id]))
    assert [e.summary for e in response.context["timeline"]] == ["Confirmed their email address"]


def test_it_refuses_organizations_to_outsiders(client, as_olga, lena):
    page = reverse("network:organization-detail", args=[lena.organization_id])
    assert client.get(page).status_code == 302
    assert as_olga.get(page).status_code == 403
    assert as_olga.get(reverse("network:organization-detail", args=[999999])).status_code == 403

import pytest
from django.urls import reverse

from alliance.network.models import Event, Welcome
from alliance.testing.fixtures import make_person

URL = reverse("network:newcomers")


@pytest.fixture
def welcome(sam):
    newcomer = make_person(first_name="Nia", last_name="New", state="CO")
    return Welcome.objects.create(person=newcomer, sender=sam, status=Welcome.Status.SENT)


def test_it_lists_the_newcomers_a_committee_member_welcomed(as_sam, welcome, chris):
    other = make_person(first_name="Other", last_name="Person", state="UT")
    Welcome.objects.create(person=other, sender=chris)
    response = as_sam.get(URL)
    assert response.status_code == 200
    assert [w.person.full_name for w in response.context["page"]] == ["Nia New"]


def test_it_marks_a_newcomer_followed_up(as_sam, welcome):
    response = as_sam.post(reverse("network:newcomer-followed-up", args=[welcome.pk]))
    assert response.status_code == 302
    welcome.refresh_from_db()
    assert welcome.followed_up is not None
    assert Event.objects.filter(person=welcome.person, kind="network.welcome.followed_up").exists()


def test_it_answers_htmx_with_the_updated_row(as_sam, welcome):
    response = as_sam.post(reverse("network:newcomer-followed-up", args=[welcome.pk]), headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response.content.strip().startswith(b"<tr")
    assert b"done" in response.content


def test_it_refuses_following_up_someone_elses_newcomer(welcome, django_user_model, member_states):
    from django.test import Client

    from alliance.network.models import Role

    other = make_person(first_name="Olive", last_name="Steer", roles=[Role.STEERING])
    other.user = django_user_model.objects.create_user(username="olive", email=other.email, password="x-12345678")
    other.save()
    client = Client()
    client.force_login(other.user)
    assert client.post(reverse("network:newcomer-followed-up", args=[welcome.pk])).status_code == 404
    welcome.refresh_from_db()
    assert welcome.followed_up is None


@pytest.mark.parametrize("persona", ["as_chris", "as_mia", "as_olga"])
def test_it_is_only_for_leaders(persona, request, welcome):
    client = request.getfixturevalue(persona)
    assert client.get(URL).status_code == 403
    assert client.post(reverse("network:newcomer-followed-up", args=[welcome.pk])).status_code == 403


def test_it_sends_anonymous_visitors_to_log_in(client):
    assert client.get(URL).status_code == 302

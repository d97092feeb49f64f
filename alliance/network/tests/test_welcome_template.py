import pytest
from django.core import mail
from django.urls import reverse

from alliance.core.models import AuditEntry
from alliance.network import services
from alliance.network.models import Welcome
from alliance.testing.fixtures import make_person

URL = reverse("network:welcome-template")


def test_it_lets_staff_edit_the_welcome_and_uses_it_for_the_next_one(as_alice, sam, django_capture_on_commit_callbacks):
    response = as_alice.post(
        URL, {"subject": "Hello {first_name}!", "body": "Hi {first_name}, I am {sender_full_name}."}
    )
    assert response.status_code == 302
    assert AuditEntry.objects.filter(action="network.welcome_template.updated").count() == 1
    newcomer = make_person(first_name="Tomas", last_name="Reyes", state="CO")
    with django_capture_on_commit_callbacks(execute=True):
        services.welcome_create(person=newcomer)
    assert mail.outbox[-1].subject == "Hello Tomas!"
    assert mail.outbox[-1].body.strip() == "Hi Tomas, I am Sam Steering."
    assert Welcome.objects.get(person=newcomer).status == Welcome.Status.SENT


def test_it_renders_unknown_placeholders_empty(sam, member_states):
    services.welcome_template_update(subject="Hi {nickname}", body="{unknown}Body", actor=None)
    welcome = Welcome(person=make_person(first_name="A", last_name="B"), sender=sam)
    assert services.welcome_render(welcome) == ("Hi ", "Body\n")


def test_it_shows_the_current_text(as_alice):
    response = as_alice.get(URL)
    assert response.status_code == 200
    assert response.context["form"].initial["subject"] == services.DEFAULT_WELCOME_SUBJECT


@pytest.mark.parametrize("persona", ["as_sam", "as_chris", "as_mia", "as_olga"])
def test_it_is_only_for_staff(persona, request, db):
    client = request.getfixturevalue(persona)
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"subject": "x", "body": "y"}).status_code == 403

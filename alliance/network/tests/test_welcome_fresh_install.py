"""A fresh install has no steering committee: sign-ups are still confirmed, and welcomed by the
backbone staff, or wait (listed for staff) until someone can send them. Real worker, real SMTP."""

import re

import pytest
from django.urls import reverse

from alliance.core.tests.smtp import body_of
from alliance.core.tests.workers import Worker
from alliance.network.models import Person, Role, Welcome
from alliance.network.tests.welcomes import sent_within, welcomes_in
from alliance.testing.fixtures import make_person

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

VISITOR = "rosa.quintana@example.org"
JOIN = {
    "first_name": "Rosa",
    "last_name": "Quintana",
    "email": VISITOR,
    "state": "NM",
    "sector": "k12",
    "consent_to_email": "on",
}


@pytest.fixture
def worker(settings, smtp_server):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    env = {"TASK_BACKEND": "database", "EMAIL_URL": smtp_server.url, "WORKER_SWEEP_SECONDS": "1"}
    with Worker("--interval", "0.2", **env) as worker:
        yield worker


def join_and_confirm(client, mailbox) -> tuple[int, str]:
    """Sign up, open the mailed link (and press its button, if the page asks to); the page's status and text."""
    assert client.post(reverse("network:join"), JOIN).status_code == 302
    [confirmation] = mailbox.wait_for(lambda m: m["To"] == VISITOR)
    link = re.search(r"http://\S+/join/confirm/\S+/", body_of(confirmation)).group(0)
    response = client.get(link)
    if b'method="post"' in response.content:
        response = client.post(link)
    return response.status_code, response.content.decode()


def test_it_confirms_and_welcomes_from_the_backbone_without_a_committee(client, member_states, smtp_server, worker):
    bea = make_person(first_name="Bea", last_name="Backbone", state="CO", roles=[Role.BACKBONE])
    status, page = join_and_confirm(client, smtp_server.mailbox)
    assert status == 200, page
    assert "This link does not work" not in page
    assert "Bea Backbone of the alliance's staff will write to you shortly." in page
    welcome = Welcome.objects.get(person__email=VISITOR)
    assert sent_within(welcome, 20), worker.output()
    assert (welcome.sender, welcome.sender_role) == (bea, Role.BACKBONE)
    assert welcome.person.status == Person.Status.ACTIVE
    [message] = welcomes_in(smtp_server.mailbox)
    assert message["Reply-To"] == bea.email
    assert "I'm Bea, one of the staff of" in " ".join(body_of(message).split())


def test_with_nobody_to_send_it_the_welcome_waits_and_goes_once_someone_can(
    client, member_states, smtp_server, worker, alice, as_alice
):
    alice.roles.remove(Role.BACKBONE)  # staff by account only: no person holds a sending role
    status, page = join_and_confirm(client, smtp_server.mailbox)
    assert status == 200, page
    assert "This link does not work" not in page
    welcome = Welcome.objects.get(person__email=VISITOR)
    assert welcome.status == Welcome.Status.WAITING
    staff_page = as_alice.get(reverse("network:welcome-template")).content.decode()
    assert "Rosa Quintana" in staff_page and "Waiting for a sender" in staff_page

    alice.roles.add(Role.BACKBONE)  # the worker's next sweep finds her
    assert sent_within(welcome, 20), worker.output()
    assert welcome.sender == alice
    assert len(welcomes_in(smtp_server.mailbox)) == 1

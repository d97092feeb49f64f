"""Sending a welcome when the mail server says no: the row goes back, a retry is scheduled, and
after five tries the welcome is marked failed instead of retrying forever."""

import pytest
from django.tasks import task_backends

from alliance.core.tests.smtp import Mailbox, SMTPServer
from alliance.network import services
from alliance.network.models import Event, Welcome
from alliance.testing.fixtures import make_person


class Refusing(Mailbox):
    async def handle_DATA(self, server, session, envelope):
        return "451 4.3.0 Mail server temporarily unavailable"


@pytest.fixture
def refusing_server(settings):
    from alliance.settings import email_settings

    with SMTPServer(Refusing()) as server:
        settings.MAILERS = {"default": email_settings(server.url)}
        yield server


@pytest.fixture
def queue(settings):
    """Tasks are recorded, not run, so the test sees what was scheduled and when."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    backend = task_backends["default"]
    backend.clear()
    return backend


@pytest.fixture
def welcome(sam):
    newcomer = make_person(first_name="Ria", last_name="Retry", state="CO")
    return Welcome.objects.create(person=newcomer, sender=sam)


def test_it_hands_the_welcome_back_and_schedules_a_retry(
    refusing_server, queue, welcome, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(Exception, match="451"):
        services.welcome_deliver(welcome_id=welcome.pk)
    welcome.refresh_from_db()
    assert (welcome.status, welcome.attempts, welcome.lease_until) == (Welcome.Status.PENDING, 1, None)
    assert "temporarily unavailable" in welcome.error
    [retry] = queue.results
    assert retry.kwargs == {"welcome_id": welcome.pk}
    assert retry.task.run_after is not None
    assert not Event.objects.filter(person=welcome.person, kind="network.welcome.sent").exists()


def test_it_gives_up_after_five_tries(refusing_server, queue, welcome, django_capture_on_commit_callbacks):
    Welcome.objects.filter(pk=welcome.pk).update(attempts=4)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(Exception, match="451"):
        services.welcome_deliver(welcome_id=welcome.pk)
    welcome.refresh_from_db()
    assert (welcome.status, welcome.attempts) == (Welcome.Status.FAILED, 5)
    assert queue.results == []


def test_a_later_try_sends_it_once(smtp_server, welcome):
    Welcome.objects.filter(pk=welcome.pk).update(attempts=1, error="451 earlier")
    assert services.welcome_deliver(welcome_id=welcome.pk) is True
    assert services.welcome_deliver(welcome_id=welcome.pk) is False
    welcome.refresh_from_db()
    assert (welcome.status, welcome.attempts, welcome.error) == (Welcome.Status.SENT, 2, "")
    assert len(smtp_server.mailbox.to(welcome.person.email)) == 1

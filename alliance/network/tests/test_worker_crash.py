"""A worker killed while sending a welcome, then restarted, still sends exactly one.

The worker is the real `alliance worker` process on the database queue, the mail server a real
SMTP server on loopback; the kill is a SIGKILL in the middle of the SMTP transaction.
"""

import asyncio
import threading
import time

import pytest
from django.utils import timezone

from alliance.core.tests.smtp import Mailbox, SMTPServer
from alliance.core.tests.workers import Worker
from alliance.network import services
from alliance.network.models import Event, Person, Welcome
from alliance.network.tasks import deliver_welcome
from alliance.network.tests.welcomes import sent_within, welcomes_in
from alliance.testing.fixtures import make_person

# Longer than the worker takes to start, so that "restart at once" meets a running lease.
LEASE_SECONDS = 3


class StallingMailbox(Mailbox):
    """Holds the first welcome's DATA until the test says so, then refuses it with a 451.

    That is what a real server does when the client vanishes mid-transaction: nothing is stored.
    Every later message is accepted.
    """

    def __init__(self):
        super().__init__()
        self.stalled = threading.Event()
        self.release = threading.Event()

    async def handle_DATA(self, server, session, envelope):
        if not self.stalled.is_set() and b"Message-ID: <welcome-" in envelope.original_content:
            self.stalled.set()
            while not self.release.is_set():
                await asyncio.sleep(0.05)
            return "451 Requested action aborted: the client went away"
        return await super().handle_DATA(server, session, envelope)


@pytest.fixture
def database_queue(settings):
    """Enqueue into the real database queue instead of running tasks in-process."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def stalling_server():
    with SMTPServer(StallingMailbox()) as server:
        yield server


@pytest.fixture
def newcomer(member_states) -> Person:
    return make_person(first_name="Rosa", last_name="Quintana", state="CO")


def worker_env(server: SMTPServer) -> dict[str, str]:
    # The lease must exceed the mail timeout (checks.py), or the worker refuses to start.
    return {
        "TASK_BACKEND": "database",
        "EMAIL_URL": server.url,
        "WELCOME_LEASE_SECONDS": str(LEASE_SECONDS),
        "EMAIL_TIMEOUT": str(LEASE_SECONDS - 1),
    }


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("restart", ["at_once", "after_the_lease"])
def test_it_sends_one_welcome_when_a_worker_dies_mid_send_and_restarts(
    restart, database_queue, stalling_server, sam, newcomer
):
    mailbox = stalling_server.mailbox
    welcome = services.welcome_create(person=newcomer)

    with Worker("--interval", "0.2", **worker_env(stalling_server)) as first:
        assert mailbox.stalled.wait(timeout=20), first.output()
        first.kill()
    mailbox.release.set()

    welcome.refresh_from_db()
    assert welcome.status == Welcome.Status.SENDING
    assert welcome.attempts == 1
    assert welcomes_in(mailbox) == []

    if restart == "after_the_lease":
        time.sleep(max(0.0, (welcome.lease_until - timezone.now()).total_seconds()) + 0.2)
    # A supervisor usually restarts the worker at once, while the dead worker's lease still runs:
    # the resumed welcome must then wait for the lease, not be dropped.
    with Worker("--interval", "0.2", **worker_env(stalling_server)) as restarted:
        assert sent_within(welcome, 20), restarted.output()
    assert "resumed 1" in restarted.output()

    assert welcome.status == Welcome.Status.SENT
    assert welcome.attempts == 2
    assert welcome.lease_until is None
    received = welcomes_in(mailbox)
    assert len(received) == 1
    assert received[0]["To"] == newcomer.email
    assert received[0]["Reply-To"] == sam.email
    assert Event.objects.filter(person=newcomer, kind="network.welcome.sent").count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_it_sends_nothing_when_the_task_runs_again_for_a_sent_welcome(database_queue, smtp_server, sam, newcomer):
    mailbox = smtp_server.mailbox
    welcome = services.welcome_create(person=newcomer)
    with Worker("--batch", **worker_env(smtp_server)) as worker:
        assert worker.wait() == 0, worker.output()
    assert len(welcomes_in(mailbox)) == 1

    again = deliver_welcome.enqueue(welcome_id=welcome.pk)
    with Worker("--batch", **worker_env(smtp_server)) as worker:
        assert worker.wait() == 0, worker.output()

    again.refresh()
    assert again.return_value is False
    welcome.refresh_from_db()
    assert welcome.status == Welcome.Status.SENT
    assert welcome.attempts == 1
    assert len(welcomes_in(mailbox)) == 1
    assert Event.objects.filter(person=newcomer, kind="network.welcome.sent").count() == 1

"""Welcomes left unfinished are queued again: every one when a worker starts, and while it runs
the ones whose task was lost (overdue by the sweep interval)."""

import time
from datetime import timedelta

import pytest
from django.tasks import task_backends
from django.utils import timezone

from alliance.core.tests.workers import Worker
from alliance.network import services
from alliance.network.models import Welcome
from alliance.network.tests.welcomes import sent_within, welcomes_in
from alliance.testing.fixtures import make_person


@pytest.fixture
def queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    settings.WORKER_SWEEP_SECONDS = 300
    backend = task_backends["default"]
    backend.clear()
    return backend


def welcome_for(sam, name: str, **fields) -> Welcome:
    person = make_person(first_name=name, last_name="Waiting", state="CO")
    return Welcome.objects.create(person=person, sender=sam, **fields)


def queued(queue) -> dict[int, object]:
    return {result.kwargs["welcome_id"]: result.task.run_after for result in queue.results}


def test_a_sweep_while_running_queues_only_welcomes_whose_task_was_lost(queue, sam, django_capture_on_commit_callbacks):
    now = timezone.now()
    lost = welcome_for(sam, "Lost", next_attempt=now - timedelta(minutes=30))
    fresh = welcome_for(sam, "Fresh")
    backing_off = welcome_for(sam, "Backoff", next_attempt=now + timedelta(minutes=8), attempts=2)
    sending = welcome_for(sam, "Sending", status=Welcome.Status.SENDING, lease_until=now + timedelta(minutes=2))
    dead = welcome_for(sam, "Dead", status=Welcome.Status.SENDING, lease_until=now - timedelta(minutes=10))
    welcome_for(sam, "Done", status=Welcome.Status.SENT, next_attempt=now - timedelta(days=1))

    with django_capture_on_commit_callbacks(execute=True):
        assert services.welcomes_resume(overdue_only=True) == 2

    assert set(queued(queue)) == {lost.pk, dead.pk}
    assert {fresh.pk, backing_off.pk, sending.pk}.isdisjoint(queued(queue))


def test_a_starting_worker_queues_every_unfinished_welcome_for_when_it_is_due(
    queue, sam, django_capture_on_commit_callbacks
):
    now = timezone.now()
    backing_off = welcome_for(sam, "Backoff", next_attempt=now + timedelta(minutes=8), attempts=2)
    sending = welcome_for(sam, "Sending", status=Welcome.Status.SENDING, lease_until=now + timedelta(minutes=2))
    fresh = welcome_for(sam, "Fresh")

    with django_capture_on_commit_callbacks(execute=True):
        assert services.welcomes_resume() == 3

    due = queued(queue)
    assert due[fresh.pk] is None
    assert due[backing_off.pk] > backing_off.next_attempt - timedelta(seconds=1)
    assert due[sending.pk] > sending.lease_until - timedelta(seconds=1)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_running_worker_sends_a_welcome_whose_task_was_lost(settings, smtp_server, sam, member_states):
    """The queue was down when the welcome was created: no task exists, yet the welcome goes out."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    env = {"TASK_BACKEND": "database", "EMAIL_URL": smtp_server.url, "WORKER_SWEEP_SECONDS": "1"}
    with Worker("--interval", "0.2", **env) as worker:
        deadline = time.monotonic() + 20  # past the start-up sweep: only a periodic one can find it
        while "Starting worker" not in worker.output() and time.monotonic() < deadline:
            time.sleep(0.1)
        person = make_person(first_name="Lou", last_name="Lost", state="CO")
        welcome = Welcome.objects.create(person=person, sender=sam, next_attempt=timezone.now() - timedelta(minutes=5))
        assert sent_within(welcome, 20), worker.output()
    assert [m["To"] for m in welcomes_in(smtp_server.mailbox)] == [person.email]

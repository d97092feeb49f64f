"""The Redis-backed worker option: TASK_BACKEND=rq queues welcomes in Redis and `alliance worker`
runs them with RQ. Needs Redis on 127.0.0.1:6379; the tests use their own database number.
"""

import time
from datetime import timedelta

import django_rq
import pytest
import redis
from django.utils import timezone

from alliance.core.tests.smtp import SMTPServer
from alliance.core.tests.workers import Worker
from alliance.network import services
from alliance.network.models import Event, Person, Welcome
from alliance.network.tests.welcomes import welcomes_in
from alliance.testing.fixtures import make_person

REDIS_URL = "redis://127.0.0.1:6379/5"


@pytest.fixture
def redis_queue(settings):
    """Tasks go to RQ's `default` queue in a Redis database of their own, empty before and after.

    Other runs of this suite (other checkouts, CI jobs) may share the Redis server; they take
    turns through a lock, or one run's clean-up would wipe the other's queued work.
    """
    connection = redis.Redis.from_url(REDIS_URL)
    lock = connection.lock("alliance-tests:rq-lock", timeout=120, blocking_timeout=120)
    assert lock.acquire(), "another test run kept the Redis test queue for two minutes"
    try:
        rq_keys_delete(connection)
        settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
        settings.RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 60}}
        yield django_rq.get_queue("default")
    finally:
        rq_keys_delete(connection)
        lock.release()
        connection.close()


def rq_keys_delete(connection: redis.Redis) -> None:
    for key in connection.scan_iter("rq:*"):
        connection.delete(key)


@pytest.fixture
def newcomer(member_states) -> Person:
    return make_person(first_name="Rosa", last_name="Quintana", state="CO")


def rq_worker(server: SMTPServer, *args: str) -> Worker:
    return Worker(*args, TASK_BACKEND="rq", REDIS_URL=REDIS_URL, EMAIL_URL=server.url)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_it_sends_a_welcome_through_a_redis_worker(redis_queue, smtp_server, sam, newcomer):
    welcome = services.welcome_create(person=newcomer)
    assert redis_queue.count == 1

    with rq_worker(smtp_server, "--batch") as worker:
        assert worker.wait() == 0, worker.output()

    welcome.refresh_from_db()
    assert welcome.status == Welcome.Status.SENT
    assert welcome.attempts == 1
    received = welcomes_in(smtp_server.mailbox)
    assert len(received) == 1
    assert received[0]["To"] == newcomer.email
    assert received[0]["Reply-To"] == sam.email
    assert Event.objects.filter(person=newcomer, kind="network.welcome.sent").count() == 1
    assert redis_queue.count == 0
    assert redis_queue.failed_job_registry.count == 0


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_it_runs_a_welcome_queued_for_later_when_its_time_comes(redis_queue, smtp_server, sam, newcomer):
    # As a worker that died mid-send leaves it: claimed, with a lease that still runs a moment.
    welcome = services.welcome_create(person=newcomer)
    redis_queue.empty()
    Welcome.objects.filter(pk=welcome.pk).update(
        status=Welcome.Status.SENDING, attempts=1, lease_until=timezone.now() + timedelta(seconds=3)
    )

    with rq_worker(smtp_server) as worker:
        deadline = time.monotonic() + 20
        while welcome.status != Welcome.Status.SENT and time.monotonic() < deadline:
            time.sleep(0.2)
            welcome.refresh_from_db()
        assert welcome.status == Welcome.Status.SENT, f"welcome {welcome.pk}\n{worker.output()}"
    assert "resumed 1" in worker.output()

    assert welcome.attempts == 2
    assert len(welcomes_in(smtp_server.mailbox)) == 1
    assert redis_queue.failed_job_registry.count == 0

"""The worker compares people after they change, once for a burst of changes, and stores the pairs."""

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from alliance.core.tests.workers import Worker
from alliance.network.models import DuplicatePair, Organization
from alliance.testing.fixtures import make_person

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def refreshes() -> list[DBTaskResult]:
    return list(DBTaskResult.objects.filter(task_path="alliance.network.tasks.refresh_duplicates"))


def test_it_queues_one_delayed_comparison_for_a_burst_of_changes(database_queue, member_states, settings):
    settings.DUPLICATES_DELAY_SECONDS = 30
    school = Organization.objects.create(name="Denver Public Schools", state_id="CO")
    for n in range(5):
        make_person(first_name=f"Ann{n}", last_name="Lee", organization=school)
    queued = refreshes()
    assert len(queued) == 1
    assert queued[0].run_after > timezone.now()


def test_a_real_worker_stores_the_pairs_after_people_change(database_queue, member_states, settings):
    settings.DUPLICATES_DELAY_SECONDS = 0
    school = Organization.objects.create(name="Denver Public Schools", state_id="CO")
    ann = make_person(first_name="Ann", last_name="Lee", organization=school)
    anne = make_person(first_name="Anne", last_name="Lee", organization=school)
    assert not DuplicatePair.objects.exists()  # nothing compared in the request
    with Worker("--batch", TASK_BACKEND="database", CACHE_URL="locmem:") as worker:
        assert worker.wait(60) == 0, worker.output()
    assert list(DuplicatePair.objects.values_list("first", "second")) == [(ann.pk, anne.pk)]

"""Imports cannot hang: a run holds a lease, a dead worker's run is resumed, a lost task queued again.

The crash test runs the real `alliance worker` on the database queue and kills it with SIGKILL in
the middle of an import; a second worker finishes it with rows read = stored + rejected.
"""

import time
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.test import TestCase
from django.utils import timezone

from alliance.core.tests.workers import Worker
from alliance.network import importing
from alliance.network.models import Event, ImportRejection, PeopleImport, Person

ROWS = 6000
BAD = set(range(7, ROWS, 97))  # rows without an address: rejected, with a reason


def people_csv(rows: int = ROWS) -> bytes:
    lines = ["First name,Last name,Email,State"]
    lines += [f"First{i},Last{i},{'' if i in BAD else f'p{i}@example.org'},CO" for i in range(rows)]
    return ("\n".join(lines) + "\n").encode()


def previewed(content: bytes) -> PeopleImport:
    people_import = importing.people_import_create(
        upload=ContentFile(content), filename="people.csv", actor=None, worker=False
    )
    return importing.people_import_check(import_id=people_import.pk)


@pytest.fixture
def worker_queue(settings, tmp_path):
    """Tasks go to the database queue; the worker reads the uploads from the same media folder."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.MEDIA_ROOT = tmp_path / "media"
    return {"ALLIANCE_DATA_DIR": str(tmp_path), "TASK_BACKEND": "database"}


def wait_for(condition, timeout: float, worker: Worker) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, worker.output()
        time.sleep(0.05)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_it_finishes_an_import_whose_worker_was_killed_mid_run(worker_queue, member_states):
    people_import = previewed(people_csv())
    importing.people_import_queue(people_import=people_import, actor=None)  # enqueued: the test commits
    env = {**worker_queue, "IMPORT_BATCH_SIZE": "20", "IMPORT_LEASE_SECONDS": "3"}

    def progress() -> PeopleImport:
        people_import.refresh_from_db()
        return people_import

    with Worker("--interval", "0.2", **env) as first:
        wait_for(lambda: progress().rows_read >= 400, 60, first)
        first.kill()
    killed = progress()
    assert killed.status == PeopleImport.Status.RUNNING  # what a dead worker leaves behind
    assert 400 <= killed.rows_read < ROWS
    assert killed.rows_read % 20 == 0  # whole batches only: the one in hand was rolled back

    # Restarted at once, as a supervisor does: the new worker waits out the dead one's lease.
    with Worker("--interval", "0.2", **env) as second:
        wait_for(lambda: progress().status == PeopleImport.Status.DONE, 120, second)
        output = second.output()
    assert "network.receivers: resumed 1" in output

    done = progress()
    assert done.rows_read == ROWS == done.rows_stored + done.rows_rejected
    assert (done.rows_created, done.rows_rejected, done.rows_updated) == (ROWS - len(BAD), len(BAD), 0)
    assert Person.objects.filter(source=Person.Source.IMPORT).count() == ROWS - len(BAD)
    assert Event.objects.filter(kind="network.person.imported").count() == ROWS - len(BAD)
    assert sorted(ImportRejection.objects.values_list("row_number", flat=True)) == sorted(i + 2 for i in BAD)
    assert not done.file  # removed once done


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_it_runs_an_import_whose_task_was_lost_when_a_worker_starts(worker_queue, member_states):
    people_import = previewed(people_csv(30))
    importing.people_import_queue(people_import=people_import, actor=None, worker=False)  # no task: lost

    with Worker("--batch", **worker_queue) as worker:
        assert worker.wait(60) == 0, worker.output()

    people_import.refresh_from_db()
    assert people_import.status == PeopleImport.Status.DONE
    assert people_import.rows_read == 30 == people_import.rows_stored + people_import.rows_rejected


def test_it_queues_a_lost_import_again_only_once_its_time_is_up(member_states, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    people_import = previewed(people_csv(10))
    importing.people_import_queue(people_import=people_import, actor=None, worker=False)

    assert importing.people_imports_resume(overdue_only=True) == 0  # its task may still be on the way
    PeopleImport.objects.filter(pk=people_import.pk).update(lease_until=timezone.now() - timedelta(seconds=1))
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert importing.people_imports_resume(overdue_only=True) == 1

    people_import.refresh_from_db()
    assert people_import.status == PeopleImport.Status.DONE


def test_it_stores_nothing_more_once_another_worker_took_the_import_over(member_states, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    people_import = previewed(people_csv(100))
    importing.people_import_queue(people_import=people_import, actor=None, worker=False)
    taken_over = []

    def stall_then_lose_the_lease(current: PeopleImport) -> None:
        if not taken_over:  # after our first batch, our lease runs out and another run takes over
            PeopleImport.objects.filter(pk=current.pk).update(lease_until=timezone.now() - timedelta(seconds=1))
            taken_over.append(importing.people_import_run(import_id=current.pk, batch_size=10))

    first = importing.people_import_run(
        import_id=people_import.pk, batch_size=10, on_progress=stall_then_lose_the_lease
    )

    assert taken_over[0].status == PeopleImport.Status.DONE
    assert first.status == PeopleImport.Status.DONE
    assert (first.rows_read, first.rows_stored + first.rows_rejected) == (100, 100)
    assert Person.objects.filter(source=Person.Source.IMPORT).count() == 100 - len([i for i in BAD if i < 100])


def test_it_reads_a_file_again_when_its_worker_died_and_refuses_one_that_keeps_killing_it(
    member_states, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    past = timezone.now() - timedelta(seconds=1)
    unlucky, poison = (
        importing.people_import_create(upload=ContentFile(people_csv(5)), filename=name, actor=None, worker=False)
        for name in ("unlucky.csv", "poison.csv")
    )
    PeopleImport.objects.filter(pk=unlucky.pk).update(attempts=1, lease_until=past)  # its worker died once
    PeopleImport.objects.filter(pk=poison.pk).update(attempts=3, lease_until=past)  # and this one's three times

    with TestCase.captureOnCommitCallbacks(execute=True):
        assert importing.people_imports_resume(overdue_only=True) == 2

    unlucky.refresh_from_db()
    poison.refresh_from_db()
    assert (unlucky.status, unlucky.rows_total) == (PeopleImport.Status.PREVIEW, 5)
    assert poison.status == PeopleImport.Status.REFUSED
    assert "stopped the worker each time" in poison.error
    assert not poison.file

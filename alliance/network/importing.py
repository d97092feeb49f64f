"""Importing people from CSV or XLSX: upload, read by the worker, preview, queue, run in batches.

An upload is stored as an import CHECKING (`people_import_create`); the worker reads the file
(`people_import_check`): a hostile, oversized or unreadable file is REFUSED with a message and
removed, any other gets its columns guessed, its rows counted and a preview stored (PREVIEW). The
web request never parses the file. Staff queue it (`people_import_queue`) and the worker runs it
(`people_import_run`) batch by batch, each batch in one transaction that also moves the counters,
so after every commit rows_read == rows_created + rows_updated + rows_rejected. People are matched
by normalized email: a known address updates that person, an address repeated in the file is
rejected as a repeat. A run holds a lease, renewed with each batch; a run whose worker died (the
lease ran out) or whose task was lost is queued again by `people_imports_resume` (worker_sweep) and
resumes after its last committed batch, as a failed run does when staff resume it. The file is
removed once the import is done.

Imported people are active members straight away and get no welcome mail: an import brings in
contacts the backbone already knows, and ten thousand welcomes at once would swamp the committee.

Callers check permission (`access_people_import` or core.policy); these functions trust them.
They raise services.NetworkError for a file or request that cannot be imported.
"""

import logging
from collections.abc import Callable, Generator
from contextlib import closing
from dataclasses import asdict, dataclass, field
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.db import connection, transaction
from django.db.models import F, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from alliance.core import audit, policy
from alliance.network import import_rows, services
from alliance.network.import_files import (
    LABELS,
    Problem,
    Reference,
    column_index,
    columns_guess,
    columns_missing,
    data_rows,
    file_rows,
    header_check,
    printable,
    row_clean,
    row_values,
    too_many_rows,
)
from alliance.network.models import (
    Event,
    ImportRejection,
    Organization,
    PeopleImport,
    Person,
)

logger = logging.getLogger(__name__)

BATCH_SIZE = 500  # the default of settings.IMPORT_BATCH_SIZE
SAMPLE_ROWS = 20
SAMPLE_CELL_CHARS = 200
PREVIEW_SCAN_ROWS = 5000  # the preview checks this many rows; the run checks every row
PREVIEW_PROBLEMS = 50
WARNINGS_KEPT = 200
ANALYZE_FROM = 1000  # new people from which an import refreshes the planner's statistics
LEASE_RENEWAL_ROWS = 10_000  # rows read between two renewals of the lease while checking a file
CHECK_ATTEMPTS = 3  # a file that stopped the worker this often is refused, not read again
EXTENSIONS = {".csv", ".xlsx"}
Status = PeopleImport.Status


@dataclass
class Preview:
    columns: list[tuple[str, str]]  # (file header, what it is read as, or "")
    missing: list[str]  # labels of needed fields that no column maps to
    sample: list[tuple[int, list[str]]]
    problems: list[Problem] = field(default_factory=list)
    problem_rows: int = 0
    rows_scanned: int = 0

    @classmethod
    def from_json(cls, data: dict) -> "Preview":
        return cls(
            columns=[(title, label) for title, label in data.get("columns", [])],
            missing=data.get("missing", []),
            sample=[(number, cells) for number, cells in data.get("sample", [])],
            problems=[Problem(**problem) for problem in data.get("problems", [])],
            problem_rows=data.get("problem_rows", 0),
            rows_scanned=data.get("rows_scanned", 0),
        )


def table_rows(people_import: PeopleImport, notes: dict[int, str] | None = None) -> Generator[list[str]]:
    """The rows of the import's file, header first. Raises NetworkError if it cannot be read."""
    if not people_import.file:
        raise services.NetworkError(_("The uploaded file is no longer stored; upload it again."))
    with people_import.file.open("rb") as handle:
        xlsx = Path(people_import.filename).suffix.lower() == ".xlsx"
        yield from file_rows(handle, xlsx=xlsx, notes=notes)


# --- the import's life: create, check, queue, run -------------------------------------------------


def people_import_create(*, upload: File, filename: str, actor, worker: bool = True) -> PeopleImport:
    """Store an uploaded file as an import the worker will read (after commit).

    The caller checks permission and the file's type and size. With worker=False the caller reads
    it itself (`people_import_check`, as the import_people command does). Raises NetworkError for a
    file that is not CSV or XLSX.
    """
    if Path(filename).suffix.lower() not in EXTENSIONS:
        raise services.NetworkError(_("Only CSV and XLSX files can be imported."))
    people_import = PeopleImport(
        filename=Path(filename).name[:255], uploaded_by=actor, status=Status.CHECKING, lease_until=_task_lost_after()
    )
    people_import.file.save(Path(filename).name, upload, save=False)
    people_import.save()
    audit.record("network.people_import.uploaded", actor=actor, target=people_import)
    if worker:
        _enqueue("check", people_import.pk)
    return people_import


def people_import_check(*, import_id: int) -> PeopleImport:
    """Read an uploaded file (the worker's task): refuse it with a message, or store its preview.

    Claimed like a run, so two deliveries of the task read the file once. A file that stopped the
    worker CHECK_ATTEMPTS times (killed while reading it) is refused rather than read again.
    """
    now = timezone.now()
    claimable = Q(attempts=0) | Q(lease_until__lt=now) | Q(lease_until=None)
    claimed = PeopleImport.objects.filter(claimable, pk=import_id, status=Status.CHECKING).update(
        attempts=F("attempts") + 1, lease_until=now + timedelta(seconds=settings.IMPORT_LEASE_SECONDS)
    )
    people_import = PeopleImport.objects.get(pk=import_id)
    if claimed != 1:
        return people_import
    if people_import.attempts > CHECK_ATTEMPTS:
        message = _("The file stopped the worker each time it was read, so it was refused.")
        return _people_import_refuse(people_import, message)
    try:
        found = _file_read(people_import)
    except services.NetworkError as exc:
        return _people_import_refuse(people_import, str(exc))
    except Exception as exc:  # whatever else a hostile file provokes is a refusal, not a crash
        logger.exception("people import %s: reading the file failed", import_id)
        message = _("The file could not be read (%(error)s).") % {"error": type(exc).__name__}
        return _people_import_refuse(people_import, message)
    PeopleImport.objects.filter(pk=import_id, status=Status.CHECKING).update(
        status=Status.PREVIEW, lease_until=None, **found
    )
    people_import.refresh_from_db()
    return people_import


def _file_read(people_import: PeopleImport) -> dict:
    """Every row read once: header checked, rows counted (at most IMPORT_MAX_ROWS), a preview built."""
    notes: dict[int, str] = {}
    reference, seen = Reference.load(), dict[str, int]()
    with closing(table_rows(people_import, notes)) as rows:
        header = next(rows, None)
        if not header or not any(header):
            raise services.NetworkError(_("The file is empty: its first row should name the columns."))
        header_check(header)
        columns = columns_guess(header)
        preview = Preview(
            columns=[(title, LABELS.get(columns.get(title, ""), "")) for title in header],
            missing=columns_missing(columns),
            sample=[],
        )
        index, total = column_index(header, columns), 0
        for row_number, cells in data_rows(rows):
            total += 1
            if total > settings.IMPORT_MAX_ROWS:
                raise too_many_rows()
            if total % LEASE_RENEWAL_ROWS == 0:  # a long read is not taken for a dead worker's
                PeopleImport.objects.filter(pk=people_import.pk, status=Status.CHECKING).update(
                    lease_until=timezone.now() + timedelta(seconds=settings.IMPORT_LEASE_SECONDS)
                )
            if preview.rows_scanned >= PREVIEW_SCAN_ROWS:
                continue
            preview.rows_scanned += 1
            if len(preview.sample) < SAMPLE_ROWS:
                preview.sample.append((row_number, [printable(cell[:SAMPLE_CELL_CHARS]) for cell in cells]))
            values = row_values(cells, index)
            _clean, problems = row_clean(values, row_number=row_number, reference=reference, seen=seen)
            if problems:
                preview.problem_rows += 1
                preview.problems.extend(problems[: PREVIEW_PROBLEMS - len(preview.problems)])
    preview.problems = [Problem(p.row_number, p.field, printable(p.value), p.reason) for p in preview.problems]
    warnings = [[number, note] for number, note in sorted(notes.items()) if number > 1]
    return {
        "columns": columns,
        "rows_total": total,
        "preview": asdict(preview),
        "warnings": warnings[:WARNINGS_KEPT],
        "warnings_count": len(warnings),
    }


def _people_import_refuse(people_import: PeopleImport, message: str) -> PeopleImport:
    """Refuse the file with a message for staff and remove it from storage (the row stays)."""
    PeopleImport.objects.filter(pk=people_import.pk).update(
        status=Status.REFUSED, error=message[:2000], finished=timezone.now(), lease_until=None
    )
    _file_remove(people_import)
    people_import.refresh_from_db()
    audit.record("network.people_import.refused", actor=people_import.uploaded_by, target=people_import, reason=message)
    return people_import


def _file_remove(people_import: PeopleImport) -> None:
    if people_import.file:
        people_import.file.delete(save=False)
        PeopleImport.objects.filter(pk=people_import.pk).update(file="")


def people_import_preview(*, people_import: PeopleImport) -> Preview:
    """The detected columns, the first rows, and the problems in the first PREVIEW_SCAN_ROWS rows."""
    return Preview.from_json(people_import.preview)


def people_import_queue(*, people_import: PeopleImport, actor, worker: bool = True) -> PeopleImport:
    """Queue a previewed (or failed) import and hand it to the worker after commit.

    With worker=False the caller runs it itself (the import_people command). Raises NetworkError
    when a needed column is missing or the import has already started.
    """
    if missing := columns_missing(people_import.columns):
        raise services.NetworkError(_("No column for: %(fields)s.") % {"fields": ", ".join(missing)})
    queued = PeopleImport.objects.filter(pk=people_import.pk, status__in=[Status.PREVIEW, Status.FAILED]).update(
        status=Status.QUEUED, error="", lease_until=_task_lost_after()
    )
    people_import.refresh_from_db()
    if queued != 1:
        raise services.NetworkError(_("This import has already been started."))
    audit.record("network.people_import.queued", actor=actor, target=people_import, rows=people_import.rows_total)
    if worker:
        _enqueue("run", people_import.pk)
    return people_import


def people_import_run(
    *, import_id: int, batch_size: int | None = None, on_progress: Callable[[PeopleImport], None] | None = None
) -> PeopleImport:
    """Run a queued import to the end (the worker's task, or the import_people command).

    Only a run that claims the import goes on: a queued one, or a running one whose worker's lease
    ran out (it died); so a task delivered twice imports once. A failure rolls back the batch in
    hand, marks the import failed with the error and returns it; queued again, it resumes after the
    last committed batch. A run that finds its lease taken over stops and leaves the import alone.
    """
    now = timezone.now()
    lease = now + timedelta(seconds=settings.IMPORT_LEASE_SECONDS)
    claimable = Q(status=Status.QUEUED) | Q(status=Status.RUNNING, lease_until__lt=now)
    claimed = PeopleImport.objects.filter(claimable, pk=import_id).update(
        status=Status.RUNNING, started=now, finished=None, lease_until=lease
    )
    people_import = PeopleImport.objects.get(pk=import_id)
    if claimed != 1:
        return people_import
    try:
        with closing(table_rows(people_import)) as rows:
            import_rows.rows_store(
                people_import, rows, batch_size=batch_size or settings.IMPORT_BATCH_SIZE, on_progress=on_progress
            )
    except import_rows.LeaseLost:
        logger.warning("people import %s: another worker took it over", import_id)
        people_import.refresh_from_db()
        return people_import
    except Exception as exc:
        logger.exception("people import %s failed", import_id)
        PeopleImport.objects.filter(pk=import_id, lease_until=people_import.lease_until).update(
            status=Status.FAILED, finished=timezone.now(), error=f"{type(exc).__name__}: {exc}"[:2000], lease_until=None
        )
    else:
        PeopleImport.objects.filter(pk=import_id, lease_until=people_import.lease_until).update(
            status=Status.DONE, finished=timezone.now(), rows_total=F("rows_read"), lease_until=None
        )
    people_import.refresh_from_db()
    done = people_import.status == Status.DONE
    if done:
        _file_remove(people_import)
        if people_import.rows_created >= ANALYZE_FROM:
            _statistics_refresh()
    audit.record(
        "network.people_import.finished" if done else "network.people_import.failed",
        actor=people_import.uploaded_by,
        target=people_import,
        read=people_import.rows_read,
        created=people_import.rows_created,
        updated=people_import.rows_updated,
        rejected=people_import.rows_rejected,
    )
    return people_import


def _statistics_refresh() -> None:
    """Tell the query planner about the rows just added (its statistics lag behind a bulk load)."""
    if connection.vendor not in {"postgresql", "sqlite"}:
        return
    try:
        with connection.cursor() as cursor:
            for model in (Person, Organization, Event):
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
    except Exception:  # the import is stored; stale statistics only slow queries down until autovacuum
        logger.exception("ANALYZE after an import failed")


def people_imports_resume(*, overdue_only: bool = False) -> int:
    """Queue again the imports whose task was lost or whose worker died; how many (worker_sweep).

    When a worker starts (`overdue_only=False`) every unfinished import is queued: a waiting one at
    once (a second task for it finds nothing to claim), one a worker holds for just after its lease,
    since that worker may be the one that just died. While a worker runs, only imports whose time
    ran out are queued (see PeopleImport.lease_until), and a waiting one's time starts again.
    """
    now = timezone.now()
    count = 0
    unfinished = PeopleImport.objects.filter(status__in=[Status.CHECKING, Status.QUEUED, Status.RUNNING])
    for people_import in unfinished.only("pk", "status", "lease_until", "attempts"):
        due = people_import.lease_until or now
        if overdue_only and due > now:
            continue
        held = people_import.status == Status.RUNNING or (
            people_import.status == Status.CHECKING and people_import.attempts > 0
        )
        delay = due - now + timedelta(seconds=1) if held and due > now else None
        if not held:
            PeopleImport.objects.filter(pk=people_import.pk, status=people_import.status).update(
                lease_until=_task_lost_after()
            )
        _enqueue("check" if people_import.status == Status.CHECKING else "run", people_import.pk, delay=delay)
        count += 1
    return count


def _task_lost_after():
    return timezone.now() + timedelta(seconds=settings.WORKER_SWEEP_SECONDS)


def _enqueue(what: str, import_id: int, *, delay: timedelta | None = None) -> None:
    from alliance.network.tasks import check_people_import, run_people_import

    task = check_people_import if what == "check" else run_people_import
    if delay:
        task = task.using(run_after=timezone.now() + delay)
    transaction.on_commit(lambda: task.enqueue(import_id=import_id))


# --- reads ---------------------------------------------------------------------------------------


def access_people_import(*, user, import_id: int) -> PeopleImport:
    """An import staff may see and run; 403 for anyone without the right, 404 for no such import."""
    policy.require(user, "network.people.import")
    people_import = PeopleImport.objects.filter(pk=import_id).first()
    if people_import is None:
        raise Http404("No such import")
    return people_import


def people_import_list() -> QuerySet[PeopleImport]:
    return PeopleImport.objects.select_related("uploaded_by").order_by("-created", "-pk")


def import_rejection_list(*, people_import: PeopleImport) -> QuerySet[ImportRejection]:
    return people_import.rejections.order_by("row_number", "pk")

"""Importing people from CSV or XLSX: upload and preview, queue, run in batches with progress.

An import is previewed on upload (`people_import_create`, `people_import_preview`), queued by staff
(`people_import_queue`) and run by the worker (`people_import_run`) batch by batch, each batch in
one transaction that also moves the counters, so after every commit
rows_read == rows_created + rows_updated + rows_rejected. People are matched by normalized email:
a known address updates that person, an address repeated in the file is rejected as a repeat.
A failed run keeps its committed batches and, queued again, resumes after them.

Imported people are active members straight away and get no welcome mail: an import brings in
contacts the backbone already knows, and ten thousand welcomes at once would swamp the committee.

Callers check permission (`access_people_import` or core.policy); these functions trust them.
They raise services.NetworkError for a file or request that cannot be imported.
"""

import logging
from collections.abc import Callable, Generator
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

from django.core.files import File
from django.db import transaction
from django.db.models import F, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from alliance.core import audit, policy
from alliance.network import services
from alliance.network.import_files import (
    LABELS,
    Problem,
    Reference,
    column_index,
    columns_guess,
    columns_missing,
    data_rows,
    file_rows,
    row_clean,
    row_values,
)
from alliance.network.models import Event, ImportRejection, PeopleImport, Person, Role, Sector, State

logger = logging.getLogger(__name__)

BATCH_SIZE = 500
SAMPLE_ROWS = 20
PREVIEW_SCAN_ROWS = 5000  # the preview checks this many rows; the run checks every row
PREVIEW_PROBLEMS = 50
EXTENSIONS = {".csv", ".xlsx"}
UPDATE_FIELDS = ["first_name", "last_name", "state", "organization", "sector", "title", "interests", "consent_to_email"]


@dataclass
class Preview:
    columns: list[tuple[str, str]]  # (file header, what it is read as, or "")
    missing: list[str]  # labels of needed fields that no column maps to
    sample: list[tuple[int, list[str]]]
    problems: list[Problem] = field(default_factory=list)
    problem_rows: int = 0
    rows_scanned: int = 0


def table_rows(people_import: PeopleImport) -> Generator[list[str]]:
    """The rows of the import's file, header first. Raises NetworkError if it cannot be read."""
    with people_import.file.open("rb") as handle:
        yield from file_rows(handle, xlsx=Path(people_import.filename).suffix.lower() == ".xlsx")


# --- the import's life: create, preview, queue, run -----------------------------------------------


def people_import_create(*, upload: File, filename: str, actor) -> PeopleImport:
    """Store an uploaded file as an import in preview, with its columns guessed and its rows counted.

    The caller checks permission and the file's type and size. Raises NetworkError for a file
    that cannot be read or has no header row.
    """
    if Path(filename).suffix.lower() not in EXTENSIONS:
        raise services.NetworkError(_("Only CSV and XLSX files can be imported."))
    people_import = PeopleImport(filename=Path(filename).name[:255], uploaded_by=actor)
    people_import.file.save(Path(filename).name, upload, save=False)
    try:
        with closing(table_rows(people_import)) as rows:
            header = next(rows, None)
            if not header or not any(header):
                raise services.NetworkError(_("The file is empty: its first row should name the columns."))
            people_import.columns = columns_guess(header)
            people_import.rows_total = sum(1 for _row in data_rows(rows))
    except services.NetworkError:
        people_import.file.delete(save=False)
        raise
    people_import.save()
    audit.record("network.people_import.uploaded", actor=actor, target=people_import, rows=people_import.rows_total)
    return people_import


def people_import_preview(*, people_import: PeopleImport) -> Preview:
    """The detected columns, the first rows, and the problems in the first PREVIEW_SCAN_ROWS rows."""
    reference, seen = Reference.load(), dict[str, int]()
    with closing(table_rows(people_import)) as rows:
        header = next(rows, [])
        columns = people_import.columns
        preview = Preview(
            columns=[(title, LABELS.get(columns.get(title, ""), "")) for title in header],
            missing=columns_missing(columns),
            sample=[],
        )
        index = column_index(header, columns)
        for row_number, cells in data_rows(rows):
            if preview.rows_scanned >= PREVIEW_SCAN_ROWS:
                break
            preview.rows_scanned += 1
            if len(preview.sample) < SAMPLE_ROWS:
                preview.sample.append((row_number, cells))
            clean, problems = row_clean(row_values(cells, index), row_number=row_number, reference=reference, seen=seen)
            if problems:
                preview.problem_rows += 1
                preview.problems.extend(problems[: PREVIEW_PROBLEMS - len(preview.problems)])
    return preview


def people_import_queue(*, people_import: PeopleImport, actor, worker: bool = True) -> PeopleImport:
    """Queue a previewed (or failed) import and hand it to the worker after commit.

    With worker=False the caller runs it itself (the import_people command). Raises NetworkError
    when a needed column is missing or the import has already started.
    """
    if missing := columns_missing(people_import.columns):
        raise services.NetworkError(_("No column for: %(fields)s.") % {"fields": ", ".join(missing)})
    queued = PeopleImport.objects.filter(
        pk=people_import.pk, status__in=[PeopleImport.Status.PREVIEW, PeopleImport.Status.FAILED]
    ).update(status=PeopleImport.Status.QUEUED, error="")
    people_import.refresh_from_db()
    if queued != 1:
        raise services.NetworkError(_("This import has already been started."))
    audit.record("network.people_import.queued", actor=actor, target=people_import, rows=people_import.rows_total)
    if not worker:
        return people_import
    from alliance.network.tasks import run_people_import

    transaction.on_commit(lambda: run_people_import.enqueue(import_id=people_import.pk))
    return people_import


def people_import_run(
    *, import_id: int, batch_size: int = BATCH_SIZE, on_progress: Callable[[PeopleImport], None] | None = None
) -> PeopleImport:
    """Run a queued import to the end (the worker's task, or the import_people command).

    Only a run that claims the queued import goes on, so a task delivered twice imports once.
    A failure rolls back the batch in hand, marks the import failed with the error and returns it;
    queued again, it resumes after the last committed batch.
    """
    claimed = PeopleImport.objects.filter(pk=import_id, status=PeopleImport.Status.QUEUED).update(
        status=PeopleImport.Status.RUNNING, started=timezone.now(), finished=None
    )
    people_import = PeopleImport.objects.get(pk=import_id)
    if claimed != 1:
        return people_import
    try:
        _rows_import(people_import, batch_size=batch_size, on_progress=on_progress)
    except Exception as exc:
        logger.exception("people import %s failed", import_id)
        PeopleImport.objects.filter(pk=import_id).update(
            status=PeopleImport.Status.FAILED, finished=timezone.now(), error=f"{type(exc).__name__}: {exc}"[:2000]
        )
    else:
        PeopleImport.objects.filter(pk=import_id).update(
            status=PeopleImport.Status.DONE, finished=timezone.now(), rows_total=F("rows_read")
        )
    people_import.refresh_from_db()
    done = people_import.status == PeopleImport.Status.DONE
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


def _rows_import(people_import: PeopleImport, *, batch_size: int, on_progress) -> None:
    reference, seen, organizations = Reference.load(), dict[str, int](), dict[tuple, object]()
    done = people_import.rows_read  # rows committed by an earlier, failed run: checked again, not stored
    batch: list[tuple[int, dict | None, list[Problem]]] = []
    with closing(table_rows(people_import)) as rows:
        header = next(rows, [])
        index = column_index(header, people_import.columns)
        for position, (row_number, cells) in enumerate(data_rows(rows)):
            clean, problems = row_clean(row_values(cells, index), row_number=row_number, reference=reference, seen=seen)
            if position < done:
                continue
            batch.append((row_number, clean, problems))
            if len(batch) >= batch_size:
                _batch_store(people_import, batch, organizations)
                batch = []
                if on_progress:
                    on_progress(people_import)
    if batch:
        _batch_store(people_import, batch, organizations)
        if on_progress:
            on_progress(people_import)


def _batch_store(people_import: PeopleImport, batch: list, organizations: dict) -> None:
    """Store one batch and move the counters, all or nothing."""
    rejected = [problem for _number, _clean, problems in batch for problem in problems]
    valid = [(number, clean) for number, clean, _problems in batch if clean is not None]
    reason = f"import {people_import.pk}: {people_import.filename}"[:100]
    with transaction.atomic():
        existing = {
            p.email: p for p in Person.objects.select_for_update().filter(email__in=[c["email"] for _n, c in valid])
        }
        new, changed, events = [], [], []
        for number, clean in valid:
            person = existing.get(clean["email"])
            if person is not None and person.status == Person.Status.MERGED:
                rejected.append(
                    Problem(number, "email", clean["email"], gettext_noop("email belongs to a merged record"))
                )
                continue
            fields = _person_fields(clean, organizations)
            if person is None:
                new.append(
                    Person(email=clean["email"], source=Person.Source.IMPORT, status=Person.Status.ACTIVE, **fields)
                )
            else:
                changes = [name for name, value in fields.items() if getattr(person, name) != value]
                for name in changes:
                    setattr(person, name, fields[name])
                changed.append(person)
                if changes:
                    events.append(Event(person=person, kind="network.person.import_updated",
                                        summary=f"Updated by the import of {people_import.filename}"[:300],
                                        data={"import": people_import.pk, "fields": changes,
                                              "filename": people_import.filename}))  # fmt: skip
        created = bulk_create_with_history(new, Person, default_change_reason=reason) if new else []
        if changed:
            bulk_update_with_history(changed, Person, fields=UPDATE_FIELDS, default_change_reason=reason)
        Person.roles.through.objects.bulk_create(
            [Person.roles.through(person_id=p.pk, role_id=Role.MEMBER) for p in created], ignore_conflicts=True
        )
        events += [
            Event(person=p, kind="network.person.imported", summary=f"Imported from {people_import.filename}"[:300],
                  data={"import": people_import.pk, "filename": people_import.filename})
            for p in created
        ]  # fmt: skip
        Event.objects.bulk_create(events)
        ImportRejection.objects.bulk_create(
            ImportRejection(people_import=people_import, row_number=p.row_number, field=p.field,
                            value=p.value[:300], reason=p.reason[:300])
            for p in rejected
        )  # fmt: skip
        PeopleImport.objects.filter(pk=people_import.pk).update(
            rows_read=F("rows_read") + len(batch),
            rows_created=F("rows_created") + len(created),
            rows_updated=F("rows_updated") + len(changed),
            rows_rejected=F("rows_rejected") + len({p.row_number for p in rejected}),
        )
    people_import.refresh_from_db()


def _person_fields(clean: dict, organizations: dict) -> dict:
    """The Person fields a row sets; blank cells leave what an existing person has."""
    fields = {name: clean[name] for name in ("first_name", "last_name", "title", "interests") if clean[name]}
    if clean["state_id"]:
        fields["state_id"] = clean["state_id"]
    if clean["sector_id"]:
        fields["sector_id"] = clean["sector_id"]
    if clean["consent_to_email"] is not None:
        fields["consent_to_email"] = clean["consent_to_email"]
    if clean["organization"]:
        key = (clean["organization"].lower(), clean["state_id"])
        if key not in organizations:
            organizations[key] = services.organization_get_or_create(
                name=clean["organization"],
                state=State(code=clean["state_id"]) if clean["state_id"] else None,
                sector=Sector(slug=clean["sector_id"]) if clean["sector_id"] else None,
            )
        fields["organization"] = organizations[key]
    return fields


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

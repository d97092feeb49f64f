"""Loading a state's file: a dataset created from an upload (or the command line), loaded by the
worker through its mapping into the analytics store, and rolled back on request.

A load claims the dataset with a lease; a worker that dies leaves the lease to run out and
`datasets_resume` (worker_sweep) queues the dataset again. Loading is all or nothing: the store
file is renamed into place and the dataset marked LOADED in one step at the end, so a load that
stops half way leaves no facts behind. The same file through the same mapping loads once.
"""

import hashlib
import logging
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from alliance.core import audit, tabular
from alliance.measure import mappings, store
from alliance.measure.mapping import MappingError, MappingSpec
from alliance.measure.models import Dataset, Mapping, Rejection
from alliance.measure.reading import read_file

log = logging.getLogger(__name__)
Status = Dataset.Status
REJECTIONS_KEPT = 50_000  # problems stored per dataset; the counts stay exact beyond it
ACTIVE = (Status.QUEUED, Status.RUNNING, Status.LOADED)


class LoadError(Exception):
    """A load that cannot start, with a message for the person who asked."""


def file_checksum(handle) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    handle.seek(0)
    for chunk in iter(lambda: handle.read(1024 * 1024), b""):
        digest.update(chunk)
        size += len(chunk)
    handle.seek(0)
    return digest.hexdigest(), size


def dataset_create(
    *, upload: File, filename: str, mapping: Mapping, actor, sharing: str = "public", worker: bool = True
) -> Dataset:
    """A dataset for this file, queued for the worker; the existing one when the same file was
    already loaded (or is loading) through the same mapping, so loading again changes nothing."""
    spec = MappingSpec.parse(mapping.text)
    checksum, size = file_checksum(upload)
    if size > settings.MEASURE_MAX_FILE_MB * 1024 * 1024:
        raise LoadError(
            _("The file is %(size)d MB, more than the %(max)d MB allowed; split it by year or by level.")
            % {"size": size // (1024 * 1024), "max": settings.MEASURE_MAX_FILE_MB}
        )
    if size == 0:
        raise LoadError(_("The file is empty (0 bytes)."))
    same = Dataset.objects.filter(checksum=checksum, mapping_text=mapping.text, status__in=ACTIVE).first()
    if same is not None:
        return same
    dataset = Dataset(
        state=spec.state,
        mapping=mapping,
        mapping_text=mapping.text,
        filename=Path(filename).name[:255],
        checksum=checksum,
        size=size,
        sharing=sharing,
        loaded_by=actor if getattr(actor, "pk", None) else None,
        lease_until=timezone.now() + timedelta(seconds=settings.MEASURE_LEASE_SECONDS),
    )
    dataset.file.save(f"{checksum[:16]}{Path(filename).suffix.lower()[:6]}", upload, save=False)
    dataset.save()
    audit.record("measure.dataset.create", actor=actor, target=dataset, state=spec.state)
    if worker:
        _enqueue(dataset.pk)
    return dataset


def file_load(*, path: Path, mapping_text: str, actor, sharing: str = "public") -> tuple[Dataset, bool]:
    """Load a file here and now (not through the worker) through a mapping given as YAML, saved as
    the state's mapping of its name: for the command line and the demo. Returns the dataset and
    whether it was already loaded (then nothing changed)."""
    mapping = mappings.mapping_save(text=mapping_text, actor=actor)
    with path.open("rb") as handle:
        dataset = dataset_create(
            upload=File(handle, name=path.name),
            filename=path.name,
            mapping=mapping,
            actor=actor,
            sharing=sharing,
            worker=False,
        )
    if dataset.status != Status.QUEUED:
        return dataset, dataset.status == Status.LOADED
    return dataset_load(dataset_id=dataset.pk), False


def dataset_load(*, dataset_id: int) -> Dataset:
    """Load a queued dataset (or one whose worker died): read, map, check, store. Returns it."""
    now = timezone.now()
    lease = now + timedelta(seconds=settings.MEASURE_LEASE_SECONDS)
    claimable = Q(status=Status.QUEUED) | Q(status=Status.RUNNING, lease_until__lt=now)
    claimed = Dataset.objects.filter(claimable, pk=dataset_id).update(
        status=Status.RUNNING, started=now, lease_until=lease, attempts=F("attempts") + 1, stage="reading", progress=5
    )
    dataset = Dataset.objects.get(pk=dataset_id)
    if not claimed:
        return dataset

    def stage(name: str, percent: int) -> None:
        Dataset.objects.filter(pk=dataset_id, lease_until=lease).update(stage=name, progress=percent)

    try:
        spec = MappingSpec.parse(dataset.mapping_text)
        outcome = read_file(Path(dataset.file.path), spec, max_rows=settings.IMPORT_MAX_ROWS * 50, stage=stage)
        stage("storing", 70)
        name, facts = store.write_facts(outcome.con, outcome.facts_query, dataset_id=dataset_id)
        coverage = _coverage(outcome.con, outcome.facts_query)
        clash = _overlap(dataset, coverage)
        if clash:
            store.remove(name)
            return _refuse(dataset_id, lease, clash)
        rejections = outcome.rejections(limit=REJECTIONS_KEPT)
        with transaction.atomic():
            if not Dataset.objects.select_for_update().filter(pk=dataset_id, lease_until=lease).exists():
                store.remove(name)  # another worker took the dataset over; its load counts
                return Dataset.objects.get(pk=dataset_id)
            Rejection.objects.filter(dataset_id=dataset_id).delete()
            Rejection.objects.bulk_create(
                [
                    Rejection(dataset_id=dataset_id, row=row, column=column[:200], value=value, problem=problem)
                    for row, column, value, problem in rejections
                ],
                batch_size=2000,
            )
            Dataset.objects.filter(pk=dataset_id).update(
                status=Status.LOADED,
                stage="",
                progress=100,
                finished=timezone.now(),
                rows_read=outcome.rows_read,
                rows_rejected=outcome.rows_rejected,
                rows_left_out=outcome.rows_left_out,
                rows_stored=outcome.rows_read - outcome.rows_rejected - outcome.rows_left_out,
                facts=facts,
                years=sorted({item[0] for item in coverage}),
                acts=sorted({item[1] for item in coverage}),
                store_file=name,
                lease_until=None,
            )
    except (tabular.FileRefused, MappingError) as exc:
        return _refuse(dataset_id, lease, str(exc))
    _file_remove(dataset_id)
    return Dataset.objects.get(pk=dataset_id)


def _coverage(con, facts_query: str) -> list[tuple]:
    """(year, act, level, measure, indicator, place_kind) the dataset holds figures for."""
    return con.execute(
        f"SELECT DISTINCT year, act, level, measure, indicator, place_kind FROM ({facts_query}) ORDER BY ALL"  # noqa: S608
    ).fetchall()


def _overlap(dataset: Dataset, coverage: list[tuple]) -> str:
    """Why the dataset would count figures another loaded dataset of its state already holds."""
    mine = {tuple(item) for item in coverage}
    for other in Dataset.objects.filter(state=dataset.state, status=Status.LOADED).exclude(pk=dataset.pk):
        theirs = {tuple(item) for item in store.coverage(other.store_file)}
        common = sorted(mine & theirs)
        if common:
            year, _act, level, measure, indicator, _kind = common[0]
            what = f"{measure} {indicator}".strip()
            return _(
                "%(what)s of %(level)s %(year)s is already loaded from %(file)s (dataset %(id)d); "
                "roll that dataset back first to replace it."
            ) % {"what": what, "level": level, "year": year, "file": other.filename, "id": other.pk}
    return ""


def _refuse(dataset_id: int, lease, message: str) -> Dataset:
    Dataset.objects.filter(pk=dataset_id, lease_until=lease).update(
        status=Status.REFUSED, stage="", error=message[:4000], finished=timezone.now(), lease_until=None
    )
    _file_remove(dataset_id)
    return Dataset.objects.get(pk=dataset_id)


def _file_remove(dataset_id: int) -> None:
    dataset = Dataset.objects.get(pk=dataset_id)
    if dataset.file:
        dataset.file.delete(save=False)
        Dataset.objects.filter(pk=dataset_id).update(file="")


def dataset_rollback(*, dataset: Dataset, actor) -> Dataset:
    """Take a loaded dataset's figures out of every page, API and export."""
    if dataset.status != Status.LOADED:
        raise LoadError(_("Only a loaded dataset can be rolled back."))
    Dataset.objects.filter(pk=dataset.pk, status=Status.LOADED).update(
        status=Status.ROLLED_BACK,
        rolled_back=timezone.now(),
        rolled_back_by=actor if getattr(actor, "pk", None) else None,
    )
    store.remove(dataset.store_file)
    audit.record("measure.dataset.rollback", actor=actor, target=dataset, state=dataset.state)
    dataset.refresh_from_db()
    return dataset


def datasets_resume() -> int:
    """Queue again every dataset whose task was lost or whose worker died (see worker_sweep)."""
    now = timezone.now()
    resumed = 0
    for dataset in Dataset.objects.filter(status__in=(Status.QUEUED, Status.RUNNING), lease_until__lt=now):
        lease = now + timedelta(seconds=settings.MEASURE_LEASE_SECONDS)
        if dataset.status == Status.QUEUED:
            Dataset.objects.filter(pk=dataset.pk, lease_until=dataset.lease_until).update(lease_until=lease)
        _enqueue(dataset.pk)
        resumed += 1
    return resumed


def _enqueue(dataset_id: int) -> None:
    from alliance.measure.tasks import load_dataset

    transaction.on_commit(lambda: load_dataset.enqueue(dataset_id=dataset_id))

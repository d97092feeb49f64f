from pathlib import Path

from django.core.files import File
from django.core.management.base import BaseCommand, CommandError

from alliance.network import importing
from alliance.network.models import PeopleImport
from alliance.network.services import NetworkError


class Command(BaseCommand):
    help = (
        "Import people from a CSV or XLSX file (`alliance import-people FILE`), here and now rather than "
        "through the worker. Columns are recognized by their header names; people are matched by email "
        "address and updated, never duplicated. Prints progress, the counts "
        "(rows read = stored + rejected) and every rejected row with its reason."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="A .csv (UTF-8 or Windows-1252/Latin-1) or .xlsx file.")
        parser.add_argument("--batch-size", type=int, default=None, help="Rows per transaction (IMPORT_BATCH_SIZE).")

    def handle(self, *, file: str, batch_size: int | None, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        try:
            with path.open("rb") as handle:
                people_import = importing.people_import_create(
                    upload=File(handle, name=path.name), filename=path.name, actor=None, worker=False
                )
            people_import = importing.people_import_check(import_id=people_import.pk)
            if people_import.status == PeopleImport.Status.REFUSED:
                raise NetworkError(people_import.error)
            columns = ", ".join(f"{title} -> {field}" for title, field in people_import.columns.items())
            self.stdout.write(f"{people_import.rows_total} rows; columns: {columns or '(none recognized)'}")
            importing.people_import_queue(people_import=people_import, actor=None, worker=False)
        except NetworkError as exc:
            raise CommandError(str(exc)) from exc
        result = importing.people_import_run(
            import_id=people_import.pk, batch_size=batch_size, on_progress=self._progress
        )
        self._report(result)
        if result.status != PeopleImport.Status.DONE:
            raise CommandError(f"The import stopped: {result.error or result.get_status_display()}")

    def _progress(self, people_import: PeopleImport) -> None:
        self.stdout.write(f"  {people_import.rows_read}/{people_import.rows_total} rows ({people_import.percent}%)")

    def _report(self, people_import: PeopleImport) -> None:
        rejections = importing.import_rejection_list(people_import=people_import)
        for rejection in rejections.iterator(chunk_size=1000):
            self.stdout.write(
                f"  row {rejection.row_number}: {rejection.field}: {rejection.reason}"
                + (f" ({rejection.value!r})" if rejection.value else "")
            )
        line = (
            f"{people_import.rows_read} rows read = {people_import.rows_stored} stored "
            f"({people_import.rows_created} created, {people_import.rows_updated} updated) "
            f"+ {people_import.rows_rejected} rejected"
        )
        self.stdout.write(self.style.SUCCESS(line) if people_import.status == PeopleImport.Status.DONE else line)

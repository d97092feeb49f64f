from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from alliance.measure import loading, reasons
from alliance.measure.mapping import MappingError
from alliance.measure.models import Dataset, Sharing

SHOWN = 200  # rejected rows printed; the dataset keeps the rest for the download


class Command(BaseCommand):
    help = (
        "Load a state's CSV or XLSX file into the shared measures through a mapping "
        "(`alliance load-dataset FILE --mapping MAPPING.yaml`), here and now rather than through the worker. "
        "Prints rows read = stored + rejected and each rejected row with its column, value and reason. "
        "Loading the same file through the same mapping again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="A .csv or .xlsx file as the state publishes it.")
        parser.add_argument(
            "--mapping", required=True, help="The source's mapping (YAML; see docs/measure-mappings.md)."
        )
        parser.add_argument(
            "--sharing", choices=Sharing.values, default=Sharing.PUBLIC, help="Who may see the figures."
        )

    def handle(self, *, file: str, mapping: str, sharing: str, **options):
        path, mapping_path = Path(file), Path(mapping)
        for item in (path, mapping_path):
            if not item.is_file():
                raise CommandError(f"No such file: {item}")
        try:
            dataset, already = loading.file_load(
                path=path, mapping_text=mapping_path.read_text(encoding="utf-8"), actor=None, sharing=sharing
            )
        except (MappingError, loading.LoadError) as exc:
            raise CommandError(str(exc)) from exc
        if already:
            self.stdout.write(
                f"Already loaded as dataset {dataset.pk} on {dataset.finished:%Y-%m-%d}: nothing changed."
            )
        if dataset.status != Dataset.Status.LOADED:
            raise CommandError(f"{path.name} was not loaded: {dataset.error or dataset.get_status_display()}")
        for rejection in dataset.rejections.all()[:SHOWN]:
            self.stdout.write(
                f"  row {rejection.row}: {rejection.column}: {reasons.problem_text(rejection.problem)}"
                + (f" ({rejection.value!r})" if rejection.value else "")
            )
        if dataset.rows_rejected > SHOWN:
            self.stdout.write("  ... and more: see the dataset's page for every rejected row.")
        self.stdout.write(
            self.style.SUCCESS(
                f"{dataset.rows_read} rows read = {dataset.rows_stored} stored + {dataset.rows_rejected} rejected "
                + (f"+ {dataset.rows_left_out} left out by the mapping " if dataset.rows_left_out else "")
                + f"({dataset.facts} figures; dataset {dataset.pk})"
            )
        )

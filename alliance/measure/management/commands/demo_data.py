import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from alliance.measure import synthetic


class Command(BaseCommand):
    help = (
        "Write synthetic CTE data for the demo alliance's six states (CO, ID, NM, NV, UT, WY; school years "
        "ending 2012-2025), each state in its own file layouts, and print each file with the checked-in mapping "
        "that loads it (`alliance demo-data [--rows N] [--out DIR]`). The same --seed and --rows give "
        "byte-identical files. Without --rows, about 50,000 rows in all; --rows N makes about N rows in all "
        "(at least ~6,000), for benchmarks."
    )

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, default=None, help="About how many data rows in all the files.")
        parser.add_argument(
            "--out", default=None, help="Directory to write the files into (default: the data directory's demo-data)."
        )
        parser.add_argument("--seed", type=int, default=2017, help="Random seed (default 2017).")

    def handle(self, *, rows: int | None, out: str | None, seed: int, **options):
        if rows is not None and rows < 1:
            raise CommandError("--rows must be a positive number of rows.")
        out_dir = Path(out) if out else Path(settings.DATA_DIR) / "demo-data"
        started = time.perf_counter()
        written = synthetic.generate_files(out_dir, rows=rows, seed=seed)
        elapsed = time.perf_counter() - started
        for item in written:
            self.stdout.write(f"{item.state}  {item.path}  {item.rows:>12,} rows  mapping {item.mapping}")
        total = sum(item.rows for item in written)
        size = sum(item.path.stat().st_size for item in written)
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(written)} files, {total:,} rows, {size / 1024 / 1024:.1f} MB in {out_dir} ({elapsed:.1f} s). "
                "Load one with: alliance load-dataset FILE --mapping MAPPING"
            )
        )

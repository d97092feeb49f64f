import logging
import threading
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import close_old_connections
from django.tasks import task_backends

from alliance.core.signals import worker_sweep

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "Run background tasks (welcomes, imports, mailings) until stopped with SIGTERM or Ctrl+C. "
        "Uses the database queue by default, Redis workers when TASK_BACKEND=rq."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch", action="store_true", help="Run every waiting task, then exit.")
        parser.add_argument("--interval", type=float, default=1.0, help="Seconds between polls (database).")

    def handle(self, *, batch: bool, interval: float, **options):
        # Apps resume work left half-done (see core.signals): now, and every so often while running.
        self.sweep(periodic=False)
        if not batch:
            threading.Thread(target=self.sweep_forever, name="sweep", daemon=True).start()
        if settings.TASK_BACKEND == "rq":
            # Without the scheduler, RQ never runs a task queued for later (retries, resumed welcomes).
            args = ["default", "--job-class", "django_tasks_rq.Job", "--with-scheduler"]
            if batch:
                args.append("--burst")
            call_command("rqworker", *args)
            return
        backend = next(iter(task_backends))
        call_command(
            "db_worker",
            "--interval",
            str(interval),
            "--backend",
            backend,
            "--no-startup-delay",
            *(["--batch"] if batch else []),
        )

    def sweep(self, *, periodic: bool) -> None:
        for receiver, resumed in worker_sweep.send(sender=self.__class__, periodic=periodic):
            if resumed:
                self.stdout.write(f"{receiver.__module__}: resumed {resumed}")

    def sweep_forever(self) -> None:
        """Runs beside the task loop in a daemon thread, so it ends with the worker."""
        while True:
            time.sleep(settings.WORKER_SWEEP_SECONDS)
            try:
                self.sweep(periodic=True)
            except Exception:  # a failed sweep must not stop the worker; the next one tries again
                logger.exception("sweep failed")
            finally:
                close_old_connections()

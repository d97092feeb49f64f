import os
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

SHARED_MEMORY = "/dev/shm"  # noqa: S108 - not a temporary file path of ours


class Command(BaseCommand):
    help = "Serve Alliance with gunicorn (migrating first), for a single machine or behind a proxy."

    def add_arguments(self, parser):
        parser.add_argument("--bind", default=os.environ.get("BIND", "127.0.0.1:8000"))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_WORKERS", "2")))
        parser.add_argument("--no-migrate", action="store_true", help="Do not apply migrations first.")

    def handle(self, *, bind: str, workers: int, no_migrate: bool, **options):
        if not no_migrate:
            call_command("migrate", interactive=False, verbosity=0)
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alliance.settings")
        self.stdout.write(f"Alliance is serving on http://{bind}/ (data in {settings.DATA_DIR})")
        sys.stdout.flush()
        command = [sys.executable, "-m", "gunicorn", "alliance.wsgi:application"]
        command += ["--bind", bind, "--workers", str(workers), "--access-logfile", "-"]
        if os.path.isdir(SHARED_MEMORY):  # gunicorn's docs recommend it for heartbeat files; Linux only
            command += ["--worker-tmp-dir", SHARED_MEMORY]
        os.execvp(sys.executable, command)  # noqa: S606 - replaces this process with gunicorn; arguments are ours

import os
import signal
import subprocess
import sys

from django.core.management import call_command
from django.core.management.base import BaseCommand

from alliance.core import contributions


class Command(BaseCommand):
    help = (
        "Build the demo alliance (six states, about 1,200 people, and each capability's part of it) and "
        "print the logins. Safe to run again: what exists is kept. With --serve, also run the site and a worker."
    )

    def add_arguments(self, parser):
        parser.add_argument("--serve", action="store_true", help="Then serve on --bind with a background worker.")
        parser.add_argument("--bind", default=os.environ.get("BIND", "127.0.0.1:8000"))

    def handle(self, *, serve: bool, bind: str, **options):
        call_command("migrate", interactive=False, verbosity=0)
        # Each app's `demo.demo_part()` builds its part unless it is there, in the order of
        # INSTALLED_APPS, so a part finds the parts it stands on (see core.contributions).
        lines: list[str] = []
        for module in contributions.modules("demo"):
            self.stdout.write(f"Demo: {module.__name__.split('.')[-2]}...")
            lines.extend(module.demo_part())
        self.stdout.write("\n".join(lines))
        self.stdout.write(self.style.SUCCESS(f"\nAlliance demo is ready at http://{bind}/"))
        if serve:
            self._serve(bind)

    def _serve(self, bind: str) -> None:
        alliance = [sys.executable, "-m", "alliance.cli"]
        worker = subprocess.Popen([*alliance, "worker"])  # noqa: S603 - our own command
        try:
            subprocess.run([*alliance, "serve", "--no-migrate", "--bind", bind], check=False)  # noqa: S603
        except KeyboardInterrupt:
            pass
        finally:
            worker.send_signal(signal.SIGTERM)
            worker.wait(timeout=30)

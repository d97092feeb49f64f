"""Real `alliance worker` processes for tests, pointed at the test database.

Tests that need the real queue start the worker as a subprocess, as an operator would; it reads
everything from the environment, so it is told the test database, the mail server and the backend.
"""

import os
import signal
import subprocess
import sys
import tempfile
from urllib.parse import quote

from django.conf import settings


def database_url_of_tests() -> str:
    """DATABASE_URL of the database the running test uses (its name is known only once it exists)."""
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    credentials = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"], safe="")
    host = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    return f"postgres://{credentials}@{host}/{quote(db['NAME'], safe='')}"


class Worker:
    """`alliance worker ARGS` in its own process, its output kept for failure messages.

    Use as a context manager: leaving it stops the process (SIGTERM, then SIGKILL), so a failing
    test never leaves a worker holding the test database open.
    """

    def __init__(self, *args: str, **env: str):
        self.args = ["worker", *args]
        self.env = {**os.environ, "DATABASE_URL": database_url_of_tests(), "PYTHONUNBUFFERED": "1", **env}
        self.log = tempfile.TemporaryFile(mode="w+")  # noqa: SIM115 - closed in __exit__
        self.process: subprocess.Popen | None = None
        self.final_output: str | None = None

    def __enter__(self) -> "Worker":
        self.process = subprocess.Popen(  # noqa: S603 - our own command, fixed arguments
            [sys.executable, "-m", "alliance.cli", *self.args],
            env=self.env,
            cwd=settings.BASE_DIR,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        return self

    def __exit__(self, *exc) -> None:
        self.stop()
        self.final_output = self.output()
        self.log.close()

    def wait(self, timeout: float = 30) -> int:
        """Wait for a `--batch` worker to drain the queue and exit; its exit status."""
        assert self.process is not None
        try:
            return self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired as exc:
            raise AssertionError(f"worker still running after {timeout}s:\n{self.output()}") from exc

    def kill(self) -> None:
        """Die at once, as on a power cut or the OOM killer: no cleanup, no finally blocks."""
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)

    def output(self) -> str:
        if self.final_output is not None:
            return self.final_output
        self.log.flush()
        self.log.seek(0)
        return self.log.read()

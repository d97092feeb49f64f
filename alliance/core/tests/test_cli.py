"""The `alliance` console command, run as a user would: a real process on a fresh database."""

import subprocess
import sys
import time
import urllib.request

from alliance.core.tests.smtp import free_port


def run_alliance(*args: str, env: dict, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - our own command
        [sys.executable, "-m", "alliance.cli", *args], env=env, capture_output=True, text=True, timeout=timeout
    )


def fresh_env(tmp_path) -> dict:
    import os

    return {**os.environ, "ALLIANCE_DATA_DIR": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path / 'a.sqlite3'}"}


def test_alliance_serve_migrates_and_serves_the_site(tmp_path):
    port = free_port()
    process = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "alliance.cli", "serve", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
        env=fresh_env(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        page, deadline = None, time.monotonic() + 60
        while page is None and time.monotonic() < deadline and process.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/join/", timeout=2) as response:  # noqa: S310
                    page = response.read().decode()
            except OSError:
                time.sleep(0.3)
        assert page is not None, process.stdout.read().decode() if process.poll() is not None else "no answer"
        assert "Join the network" in page
        assert (tmp_path / "secret_key").exists()  # generated and kept, since SECRET_KEY was not given
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_alliance_runs_django_commands_and_says_what_it_offers(tmp_path):
    env = fresh_env(tmp_path)
    assert run_alliance("migrate", "-v0", env=env).returncode == 0
    help_text = run_alliance("help", env=env).stdout
    for command in ["demo", "serve", "worker", "import_people"]:
        assert command in help_text
    result = run_alliance("import-people", str(tmp_path / "missing.csv"), env=env)
    assert result.returncode != 0
    assert "missing.csv" in result.stderr + result.stdout

"""Benchmark: the pages people use most, at 100,000 people, on the configured database.

Prints JSON lines only (ARCHITECTURE.md, "Benchmarks"):
- the median time of the directory, a search, the directory's last page, an API page 90,000
  people deep, the duplicates page and the public home page, each served in-process through
  Django's test client (goal: under 50 ms each), beside a hello-world view served the same way;
- the throughput of a mix of those pages under 20 concurrent users, through a real gunicorn on a
  loopback port, beside the hello-world view served by the same server in the same run
  (goal: at least half its throughput).

Builds its member base (bench/people.py's, with bulk_create) in a throwaway database beside the
configured one (SQLite: a file in var/; PostgreSQL: a database named <name>_bench_pages), and
drops it at the end. BENCH_SCALE multiplies the number of people.
"""

import http.client
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import dj_database_url
import psycopg

SCALE = float(os.environ.get("BENCH_SCALE", "1.0"))
PEOPLE = max(500, int(100_000 * SCALE))
RUNS = 15
USERS = 20
LOAD_SECONDS = max(10.0, 20 * min(SCALE, 1.0))
ROOT = Path(__file__).resolve().parent.parent
CONFIGURED = os.environ.get("DATABASE_URL") or f"sqlite:///{ROOT / 'var' / 'alliance.sqlite3'}"


def throwaway_database() -> str:
    """A fresh, empty database beside the configured one; its URL."""
    config = dj_database_url.parse(CONFIGURED)
    if config["ENGINE"].endswith("sqlite3"):
        path = ROOT / "var" / f"bench_pages{os.getpid()}.sqlite3"
        path.parent.mkdir(exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{path}"
    name = f"{config['NAME']}_bench_pages"
    with psycopg.connect(_admin_url(config), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    parts = urlsplit(CONFIGURED)
    return urlunsplit(parts._replace(path=f"/{name}"))


def _admin_url(config: dict) -> str:
    return urlunsplit(urlsplit(CONFIGURED)._replace(path="/postgres"))


def drop_database(url: str) -> None:
    config = dj_database_url.parse(url)
    if config["ENGINE"].endswith("sqlite3"):
        for suffix in ("", "-wal", "-shm"):
            Path(f"{config['NAME']}{suffix}").unlink(missing_ok=True)
        return
    with psycopg.connect(_admin_url(config), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{config["NAME"]}" WITH (FORCE)')


URL = throwaway_database()
os.environ["DATABASE_URL"] = URL
os.environ["CACHE_URL"] = "locmem:"

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

import bench._hello  # noqa: E402,F401 - the hello-world view beside Alliance's pages, in-process too
from alliance.network import duplicates, selectors  # noqa: E402
from alliance.network.models import Organization, Person, Role, Sector  # noqa: E402
from bench.people import MemberBase  # noqa: E402


def emit(**figures) -> None:
    print(json.dumps({"bench": "pages", "database": connection.vendor, **figures}), flush=True)


def build() -> dict:
    """The member base, in bulk; staff's login; what the pages need to be asked for."""
    call_command("migrate", verbosity=0)
    base = MemberBase(PEOPLE)
    sectors = list(Sector.objects.values_list("slug", flat=True))
    organizations = Organization.objects.bulk_create(
        [
            Organization(name=f"{domain.split('.')[0]} {n}", state_id=state, sector_id=sectors[n % len(sectors)])
            for n, state, domain in base.organizations
        ],
        batch_size=2000,
    )
    people = [
        Person(
            first_name=first,
            last_name=last,
            email=email,
            organization=organizations[organization] if organization is not None else None,
            state_id=state,
            sector_id=sectors[pid % len(sectors)],
            title=title,
            status=Person.Status.ACTIVE,
            source=Person.Source.IMPORT,
        )
        for pid, first, last, email, organization, state, title in base.people
    ]
    Person.objects.bulk_create(people, batch_size=5000)
    user = get_user_model().objects.create_user(username="staff@bench.example", email="staff@bench.example")
    staff = Person.objects.create(
        first_name="Bench", last_name="Staff", email="staff@bench.example", user=user, state_id="CO"
    )
    staff.roles.add(Role.BACKBONE, Role.MEMBER)
    started = time.perf_counter()
    duplicates.duplicates_refresh()  # the worker's job, once
    refresh_seconds = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    deep = selectors.person_directory(filters=selectors.DirectoryFilters()).values_list("pk", flat=True)
    return {"user": user, "deep_cursor": deep[int(PEOPLE * 0.9)], "refresh_seconds": refresh_seconds}


def median_ms(client: Client, url: str) -> float:
    for _ in range(2):
        assert client.get(url).status_code == 200, url
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, url
    return statistics.median(times)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def load(port: int, urls: list[str], cookie: str) -> tuple[float, int]:
    """Requests per second of USERS users each asking `urls` in turn for LOAD_SECONDS; errors."""
    done, errors = [0] * USERS, [0] * USERS
    stop = time.perf_counter() + LOAD_SECONDS

    def user(n: int) -> None:
        i = n
        while time.perf_counter() < stop:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            try:
                conn.request("GET", urls[i % len(urls)], headers={"Cookie": cookie, "Host": "127.0.0.1"})
                response = conn.getresponse()
                response.read()
                done[n] += 1
                errors[n] += response.status != 200
            except OSError:
                errors[n] += 1
            finally:
                conn.close()
            i += 1

    started = time.perf_counter()
    threads = [threading.Thread(target=user, args=(n,)) for n in range(USERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(done) / (time.perf_counter() - started), sum(errors)


def serve(port: int) -> subprocess.Popen:
    workers = str(2 * (os.cpu_count() or 1) + 1)
    server = subprocess.Popen(  # noqa: S603 - our own server, fixed arguments
        [sys.executable, "-m", "gunicorn", "bench._hello:application", "--bind", f"127.0.0.1:{port}",
         "--workers", workers, "--log-level", "warning"],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": URL, "CACHE_URL": "locmem:", "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    for _ in range(300):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/bench/hello/")
            if conn.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise RuntimeError("gunicorn did not start")


def main() -> None:
    try:
        setup = build()
        staff = Client()
        staff.force_login(setup["user"])
        pages = {
            "directory": "/people/",
            "search": "/people/?q=smith",
            "directory_last_page": "/people/?last=1",
            "api_deep_page": f"/api/network/people?cursor={setup['deep_cursor']}",
            "duplicates": "/people/duplicates/",
            "home": "/",
        }
        hello = median_ms(staff, "/bench/hello/")
        for name, url in pages.items():
            client = Client() if name == "home" else staff
            value = median_ms(client, url)
            emit(
                metric=f"{name}_median_ms",
                value=round(value, 1),
                unit="ms",
                baseline="hello-world Django view, in-process",
                baseline_value=round(hello, 1),
                ratio=round(value / hello, 1),
                goal="value < 50",
                met=value < 50,
                people=PEOPLE,
                url=url,
            )
        emit(
            metric="duplicates_refresh_seconds",
            value=round(setup["refresh_seconds"], 1),
            unit="s",
            goal="runs in the worker",
            met=True,
        )
        cookie = f"sessionid={staff.cookies['sessionid'].value}"
        port = free_port()
        server = serve(port)
        try:
            for url in [*pages.values(), "/bench/hello/"] * 12:  # every worker loads its code and templates
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                conn.request("GET", url, headers={"Cookie": cookie})
                conn.getresponse().read()
                conn.close()
            mixed, mixed_errors = load(port, list(pages.values()), cookie)
            baseline, baseline_errors = load(port, ["/bench/hello/"], cookie)
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(30)
        emit(
            metric="mixed_pages_20_users_rps",
            value=round(mixed, 1),
            unit="requests/s",
            baseline="hello-world Django view, same server",
            baseline_value=round(baseline, 1),
            ratio=round(mixed / baseline, 2),
            goal="ratio >= 0.5",
            met=mixed / baseline >= 0.5 and mixed_errors == 0,
            errors=mixed_errors + baseline_errors,
            seconds=LOAD_SECONDS,
        )
    finally:
        connection.close()
        drop_database(URL)


if __name__ == "__main__":
    main()

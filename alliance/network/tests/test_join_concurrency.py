"""Twenty sign-ups at once with one new address: one person, twenty sign-ups, no error.

Real concurrency: each thread has its own database connection and transaction (on PostgreSQL the
inserts race for the unique address; SQLite serializes them).
"""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from alliance.network.models import Organization, Person, Signup

# serialized_rollback: the flush after the test would otherwise take the reference data (states, roles) away.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

VISITORS = 20
JOIN = {
    "first_name": "Rosa",
    "last_name": "Quintana",
    "email": "rosa.quintana@example.org",
    "state": "NM",
    "sector": "k12",
    "organization": "Albuquerque Public Schools",
}


def test_concurrent_joins_with_one_address_give_one_person_and_no_error(member_states, settings):
    settings.JOIN_RATE_PER_HOUR = 1000
    start = threading.Barrier(VISITORS)
    statuses: list[int] = []
    failures: list[BaseException] = []

    def join() -> None:
        client = Client(raise_request_exception=True)
        try:
            start.wait()
            statuses.append(client.post(reverse("network:join"), JOIN).status_code)
        except BaseException as exc:  # noqa: BLE001 - reported below
            failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=join) for _ in range(VISITORS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert failures == []
    assert statuses == [302] * VISITORS
    person = Person.objects.get(email="rosa.quintana@example.org")
    assert Signup.objects.filter(person=person).count() == VISITORS
    assert Organization.objects.filter(name="Albuquerque Public Schools").count() == 1

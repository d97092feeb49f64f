"""Fixtures every app's tests share: personas, a real SMTP server, tasks run in-process.

Personas: `alice` (backbone staff), `sam` (steering committee, Colorado), `chris` (workgroup
chair), `mia` (a member), `olga` (an outsider: an account with no membership), and the
anonymous visitor (Django's `client`).
"""

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from django.utils import translation

from alliance.core.tests.smtp import SMTPServer
from alliance.network.models import Person, Role, State
from alliance.settings import email_settings


def shared_data(*parts: str) -> Path:
    """A file of the real reference data kept beside the checkout (../shared/data, or SHARED_DATA_DIR).

    CI always has it; a missing file fails the test rather than skipping it.
    """
    root = Path(os.environ.get("SHARED_DATA_DIR") or Path(settings.BASE_DIR).parent / "shared" / "data")
    path = root.joinpath(*parts)
    if not path.exists():
        pytest.fail(f"{path} is missing: tests read the shared reference data from ../shared/data")
    return path


@pytest.fixture(autouse=True)
def _tasks_run_in_process(settings):
    """Tasks run as they are enqueued (after commit); the worker tests start real workers."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _fresh_cache(settings):
    """Rate limits and other cached counts start empty in every test (in memory, not in var/)."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _language_of_the_site():
    """Each test starts in the site's language: a request in Spanish leaves Spanish active in its
    thread, which would otherwise carry over into the next test."""
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _measure_store(settings, tmp_path_factory):
    """Each test's analytics store starts empty, in a directory of its own."""
    settings.MEASURE_STORE_DIR = tmp_path_factory.mktemp("measure-store")


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on loopback, with the "default" mailer pointed at it as EMAIL_URL would.

    Without this fixture tests get Django's memory backend (mail.outbox) in place of every mailer.
    """
    with SMTPServer() as server:
        settings.MAILERS = {"default": email_settings(server.url)}
        yield server


@pytest.fixture
def member_states(db):
    states = ["CO", "ID", "NM", "NV", "UT", "WY"]
    State.objects.filter(code__in=states).update(is_member=True)
    return {s.code: s for s in State.objects.filter(code__in=states)}


def make_person(*, first_name: str, last_name: str, state: str = "CO", roles=(), user=None, **extra) -> Person:
    person = Person.objects.create(
        first_name=first_name,
        last_name=last_name,
        email=f"{first_name}.{last_name}@example.org".lower(),
        state_id=state,
        status=Person.Status.ACTIVE,
        user=user,
        **extra,
    )
    person.roles.add(Role.MEMBER, *roles)
    return person


def _account(django_user_model, person: Person | None, email: str, **flags):
    from allauth.account.models import EmailAddress

    user = django_user_model.objects.create_user(username=email, email=email, password="correct-horse-9", **flags)
    # Accounts reach their member record only through a verified address (network/accounts.py).
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    if person is not None:
        person.user = user
        person.save(update_fields=["user"])
    return user


def _client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def alice(db, member_states, django_user_model):
    person = make_person(first_name="Alice", last_name="Backbone", roles=[Role.BACKBONE])
    _account(django_user_model, person, person.email, is_staff=True)
    return person


@pytest.fixture
def sam(db, member_states, django_user_model):
    person = make_person(first_name="Sam", last_name="Steering", roles=[Role.STEERING], title="Director")
    _account(django_user_model, person, person.email)
    return person


@pytest.fixture
def chris(db, member_states, django_user_model):
    person = make_person(first_name="Chris", last_name="Chair", state="UT", roles=[Role.CHAIR])
    _account(django_user_model, person, person.email)
    return person


@pytest.fixture
def mia(db, member_states, django_user_model):
    person = make_person(first_name="Mia", last_name="Member", state="ID")
    _account(django_user_model, person, person.email)
    return person


@pytest.fixture
def dana(db, member_states, django_user_model):
    """Colorado's data lead: loads Colorado's files, no other state's."""
    person = make_person(first_name="Dana", last_name="Data", state="CO", roles=["data_lead"])
    _account(django_user_model, person, person.email)
    return person


@pytest.fixture
def as_dana(dana):
    return _client_for(dana.user)


@pytest.fixture
def olga(db, django_user_model):
    return _account(django_user_model, None, "olga@outside.example")


@pytest.fixture
def as_alice(alice):
    return _client_for(alice.user)


@pytest.fixture
def as_sam(sam):
    return _client_for(sam.user)


@pytest.fixture
def as_chris(chris):
    return _client_for(chris.user)


@pytest.fixture
def as_mia(mia):
    return _client_for(mia.user)


@pytest.fixture
def as_olga(olga):
    return _client_for(olga)

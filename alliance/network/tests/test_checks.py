"""A welcome's lease must outlast the mail timeout, or two workers could send one welcome twice:
the worker refuses to start with such settings."""

from django.core import checks

from alliance.core.tests.workers import Worker
from alliance.settings import email_settings


def lease_errors() -> list[str]:
    return [m.id for m in checks.run_checks() if m.id and m.id.startswith("network.")]


def test_it_refuses_a_lease_no_longer_than_the_mail_timeout(settings):
    settings.MAILERS = {"default": email_settings("smtp://mail.example.org")}
    timeout = settings.MAILERS["default"]["OPTIONS"]["timeout"]
    settings.WELCOME_LEASE_SECONDS = timeout
    assert lease_errors() == ["network.E001"]
    settings.WELCOME_LEASE_SECONDS = timeout + 1
    assert lease_errors() == []


def test_a_mailer_without_a_timeout_needs_no_check(settings):
    settings.MAILERS = {"default": email_settings("console:")}
    settings.WELCOME_LEASE_SECONDS = 1
    assert lease_errors() == []


def test_the_worker_will_not_start_with_a_lease_shorter_than_the_mail_timeout(db):
    env = {"EMAIL_URL": "smtp://127.0.0.1:9", "EMAIL_TIMEOUT": "30", "WELCOME_LEASE_SECONDS": "20"}
    with Worker("--batch", **env) as worker:
        assert worker.wait(60) != 0
    assert "WELCOME_LEASE_SECONDS (20) must be longer than the mail timeout EMAIL_TIMEOUT (30)" in worker.output()

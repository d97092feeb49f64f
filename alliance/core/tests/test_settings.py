import pytest
from django.conf import DEPRECATED_EMAIL_SETTINGS
from django.core import mail as django_mail
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from alliance import settings as alliance_settings
from alliance.core import mail
from alliance.core.tests.smtp import body_of
from alliance.settings import cache_settings, email_settings, envbool, envint

SMTP = "django.core.mail.backends.smtp.EmailBackend"


def test_it_reads_an_smtp_url_with_credentials_and_starttls():
    mailer = email_settings("smtp://ann:s3cret@mail.example.org:587?tls=1")
    assert mailer["BACKEND"] == SMTP
    assert mailer["OPTIONS"] == {
        "host": "mail.example.org",
        "port": 587,
        "username": "ann",
        "password": "s3cret",
        "use_ssl": False,
        "use_tls": True,
        "timeout": 30,
    }


def test_it_decodes_escaped_characters_in_smtp_credentials():
    options = email_settings("smtp://ann%40example.org:p%40ss%3Aword@mail.example.org")["OPTIONS"]
    assert (options["username"], options["password"]) == ("ann@example.org", "p@ss:word")
    assert options["port"] == 25


def test_it_reads_smtps_submission_console_file_and_memory_urls():
    smtps = email_settings("smtps://mail.example.org")["OPTIONS"]
    assert (smtps["port"], smtps["use_ssl"], smtps["use_tls"]) == (465, True, False)
    submission = email_settings("submission://mail.example.org")["OPTIONS"]
    assert (submission["port"], submission["use_ssl"], submission["use_tls"]) == (587, False, True)
    assert email_settings("console:") == {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
    assert email_settings("memory:") == {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
    assert email_settings("file:///srv/alliance/mail") == {
        "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "OPTIONS": {"file_path": "/srv/alliance/mail"},
    }


def test_it_refuses_an_unknown_mail_scheme():
    with pytest.raises(ImproperlyConfigured, match="EMAIL_URL"):
        email_settings("pigeon://coop")


def test_it_configures_mail_only_through_mailers():
    """The EMAIL_* connection settings are deprecated (Django warns on start-up and drops them in 2028)."""
    assert not DEPRECATED_EMAIL_SETTINGS & set(vars(alliance_settings))
    assert set(alliance_settings.MAILERS) == {"default"}


def test_it_swaps_in_the_memory_mailer_during_tests(db):
    mail.send(to="ana.ruiz@example.org", subject="Hello", body="Hi Ana.", kind="test.hello")
    assert [m.to for m in django_mail.outbox] == [["ana.ruiz@example.org"]]


def test_it_delivers_our_mail_and_allauths_through_the_mailer_an_smtp_url_sets(client, mia, smtp_server):
    mail.send(to="ana.ruiz@example.org", subject="Hello", body="Hi Ana.", from_name="Sam Steering", kind="test.hello")
    response = client.post(reverse("account_reset_password"), {"email": mia.email})

    assert response.status_code == 302
    ours = smtp_server.mailbox.wait_for(lambda m: "ana.ruiz@example.org" in str(m["To"]))
    assert [str(m["From"]) for m in ours] == ["Sam Steering <hello@alliance.localhost>"]
    reset = smtp_server.mailbox.wait_for(lambda m: mia.email in str(m["To"]))
    assert len(reset) == 1
    assert "/accounts/password/reset/key/" in body_of(reset[0])
    assert not getattr(django_mail, "outbox", [])


def test_it_reads_cache_urls():
    assert cache_settings("file:///var/cache/alliance")["LOCATION"] == "/var/cache/alliance"
    assert cache_settings("redis://127.0.0.1:6379/1")["BACKEND"].endswith("RedisCache")
    with pytest.raises(ImproperlyConfigured, match="CACHE_URL"):
        cache_settings("memcached://x")


def test_it_fails_loudly_on_a_bad_flag_or_number(monkeypatch):
    monkeypatch.setenv("SOME_FLAG", "maybe")
    monkeypatch.setenv("SOME_NUMBER", "ten")
    with pytest.raises(ImproperlyConfigured, match="SOME_FLAG"):
        envbool("SOME_FLAG", False)
    with pytest.raises(ImproperlyConfigured, match="SOME_NUMBER"):
        envint("SOME_NUMBER", 1)
    monkeypatch.setenv("SOME_FLAG", "")
    assert envbool("SOME_FLAG", True) is True

import pytest
from django.core.exceptions import ImproperlyConfigured

from alliance.settings import cache_settings, email_settings, envbool, envint


def test_it_reads_an_smtp_url_with_credentials_and_starttls():
    mail = email_settings("smtp://ann:s3cret@mail.example.org:587?tls=1")
    assert mail["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert (mail["EMAIL_HOST"], mail["EMAIL_PORT"]) == ("mail.example.org", 587)
    assert (mail["EMAIL_HOST_USER"], mail["EMAIL_HOST_PASSWORD"]) == ("ann", "s3cret")
    assert mail["EMAIL_USE_TLS"] and not mail["EMAIL_USE_SSL"]


def test_it_reads_smtps_console_and_file_urls():
    assert email_settings("smtps://mail.example.org")["EMAIL_PORT"] == 465
    assert email_settings("console:")["EMAIL_BACKEND"].endswith("console.EmailBackend")
    assert email_settings("file:///srv/alliance/mail")["EMAIL_FILE_PATH"] == "/srv/alliance/mail"


def test_it_refuses_an_unknown_mail_scheme():
    with pytest.raises(ImproperlyConfigured, match="EMAIL_URL"):
        email_settings("pigeon://coop")


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

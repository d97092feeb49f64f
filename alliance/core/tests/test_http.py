"""The visitor's address behind proxies: X-Forwarded-For is believed only from a trusted proxy."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from alliance.core.http import client_ip
from alliance.network.models import Signup


def request_from(peer: str, forwarded: str | None = None):
    headers = {"X-Forwarded-For": forwarded} if forwarded is not None else {}
    return RequestFactory().get("/", REMOTE_ADDR=peer, headers=headers)


def test_it_ignores_x_forwarded_for_from_an_untrusted_peer(settings):
    settings.TRUSTED_PROXIES = []
    assert client_ip(request_from("203.0.113.9", "198.51.100.1")) == "203.0.113.9"
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert client_ip(request_from("203.0.113.9", "198.51.100.1")) == "203.0.113.9"


def test_it_takes_the_right_most_untrusted_address_from_a_trusted_proxy(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8", "192.0.2.7"]
    # The visitor wrote "1.2.3.4" themselves; the proxies appended what they saw.
    assert client_ip(request_from("10.0.0.2", "1.2.3.4, 198.51.100.1, 192.0.2.7")) == "198.51.100.1"
    assert client_ip(request_from("10.0.0.2", "198.51.100.1")) == "198.51.100.1"
    assert client_ip(request_from("10.0.0.2", "2001:db8::1")) == "2001:db8::1"


def test_it_falls_back_to_the_last_trusted_hop(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert client_ip(request_from("10.0.0.2")) == "10.0.0.2"
    assert client_ip(request_from("10.0.0.2", "10.0.0.9")) == "10.0.0.9"
    assert client_ip(request_from("10.0.0.2", "not-an-address, 10.0.0.9")) == "10.0.0.9"


JOIN = {
    "first_name": "Rosa",
    "last_name": "Quintana",
    "state": "NM",
    "sector": "k12",
}


@pytest.mark.parametrize("trusted", [False, True])
def test_the_join_rate_limit_counts_visitors_not_proxies(client, member_states, settings, trusted):
    """Behind a trusted proxy each visitor has their own bucket; a visitor talking to us directly
    cannot escape theirs by sending X-Forwarded-For."""
    settings.JOIN_RATE_PER_HOUR = 2
    settings.TRUSTED_PROXIES = ["127.0.0.1"] if trusted else []

    def join(n: int, forwarded: str):
        data = {**JOIN, "email": f"p{n}@example.org"}
        return client.post(
            reverse("network:join"), data, REMOTE_ADDR="127.0.0.1", headers={"X-Forwarded-For": forwarded}
        )

    statuses = [join(n, f"198.51.100.{n}").status_code for n in range(4)]
    if trusted:
        assert statuses == [302, 302, 302, 302]
        assert sorted(Signup.objects.values_list("ip", flat=True)) == [f"198.51.100.{n}" for n in range(4)]
    else:
        assert statuses == [302, 302, 429, 429]
        assert set(Signup.objects.values_list("ip", flat=True)) == {"127.0.0.1"}


def test_a_mistyped_trusted_proxy_stops_the_start(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    from alliance.settings import trusted_proxies

    monkeypatch.setenv("TRUSTED_PROXIES", "10.0.0.0/8, 192.0.2.7")
    assert trusted_proxies("TRUSTED_PROXIES") == ["10.0.0.0/8", "192.0.2.7"]
    monkeypatch.setenv("TRUSTED_PROXIES", "10.0.0.0/8,proxy.local")
    with pytest.raises(ImproperlyConfigured, match="proxy.local"):
        trusted_proxies("TRUSTED_PROXIES")

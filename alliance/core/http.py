import ipaddress
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    """A request as our views see it: django-htmx's middleware adds `request.htmx`."""

    htmx: HtmxDetails


class ApiRequest(HttpRequest):
    """A request as API endpoints see it: Django Ninja's authentication sets `request.auth` (the user)."""

    auth: Any


IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[IPNetwork, ...]:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


def _trusted(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in _networks(tuple(settings.TRUSTED_PROXIES)))


def client_ip(request: HttpRequest) -> str:
    """The visitor's address: the peer's, or behind trusted proxies the right-most address in
    X-Forwarded-For that is not one of them (settings.TRUSTED_PROXIES).

    Only the right-most untrusted entry can be believed: everything left of it was written by the
    visitor, who can put any address there. When the peer is not a trusted proxy the header is
    ignored, since anyone can send it.
    """
    peer = request.META.get("REMOTE_ADDR", "")
    if not _trusted(peer):
        return peer
    hop = peer
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    for entry in reversed([part.strip() for part in forwarded.split(",") if part.strip()]):
        try:
            ipaddress.ip_address(entry)
        except ValueError:
            return hop  # garbage from the visitor: the last hop we trust speaks for them
        if not _trusted(entry):
            return entry
        hop = entry
    return hop


def client_ip_key(group: str, request: HttpRequest) -> str:
    """django-ratelimit's key: one bucket per visitor, not per proxy."""
    return client_ip(request)

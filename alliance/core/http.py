from typing import Any

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    """A request as our views see it: django-htmx's middleware adds `request.htmx`."""

    htmx: HtmxDetails


class ApiRequest(HttpRequest):
    """A request as API endpoints see it: Django Ninja's authentication sets `request.auth` (the user)."""

    auth: Any

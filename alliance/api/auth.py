"""Who is calling the API: a browser session (with its CSRF token) or `Authorization: Bearer <token>`.

The bearer token is tried first, so a script that sends a token never trips the CSRF check
meant for browsers.
"""

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from alliance.api.selectors import api_token_user


class BearerTokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        return api_token_user(key=token)


class BrowserSessionAuth(SessionAuth):
    """Django's session; unsafe methods also need the CSRF token (Ninja checks it when csrf=True)."""

    def __init__(self) -> None:
        super().__init__(csrf=True)


AUTH = [BearerTokenAuth(), BrowserSessionAuth()]


def visitor(request: HttpRequest):
    """No session and no token: a visitor, who sees what is public (request.auth is AnonymousUser)."""
    return AnonymousUser()


# For endpoints that answer everyone, each caller seeing what the policy lets them.
AUTH_OR_VISITOR = [*AUTH, visitor]

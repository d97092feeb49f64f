"""Reads of the API app: a user's tokens, the user a token belongs to."""

from datetime import timedelta

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from alliance.api.models import ApiToken
from alliance.api.services import api_token_hash
from alliance.core import policy

# Longer than any key we hand out; longer input is not worth hashing.
MAX_KEY_LENGTH = 100
# `last_used` is a hint for the owner, not a log: refreshing it at most once a minute keeps
# a busy client from turning every read into a write.
LAST_USED_PRECISION = timedelta(minutes=1)


def api_token_list(*, user) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).order_by("-created", "-pk")


def access_api_token(*, user, token_id: int) -> ApiToken:
    """One of the user's own tokens; 404 for anyone else's."""
    policy.require(user, "api.token.create")
    token = ApiToken.objects.filter(pk=token_id, user=user).first()
    if token is None:
        raise Http404("No such token")
    return token


def api_token_user(*, key: str):
    """The active user a presented key belongs to, or None (unknown, revoked, inactive account)."""
    if not key or len(key) > MAX_KEY_LENGTH:
        return None
    token = (
        ApiToken.objects.select_related("user__person")
        .filter(key_hash=api_token_hash(key), revoked__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used is None or token.last_used < now - LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used=now)
    return token.user

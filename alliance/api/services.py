"""Writes of the API app: creating and revoking API tokens.

Callers check permission (policy "api.token.create"); these functions trust their arguments' author.
"""

import hashlib
import secrets

from django.utils import timezone

from alliance.api.models import ApiToken
from alliance.core import audit

# Marks a string as an Alliance key (for people and for secret scanners); not a secret itself.
TOKEN_PREFIX = "alc_"  # noqa: S105


def api_token_hash(key: str) -> str:
    """The one form a token is stored and looked up in."""
    return hashlib.sha256(key.encode()).hexdigest()


def api_token_create(*, user, name: str) -> tuple[ApiToken, str]:
    """A new token for `user`, and its key. The key is not stored: show it once, now."""
    key = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name.strip(), key_hash=api_token_hash(key), prefix=key[: len(TOKEN_PREFIX) + 4]
    )
    audit.record("api.token.created", actor=user, target=token)
    return token, key


def api_token_revoke(*, token: ApiToken, actor) -> None:
    """Revoke a token for good; revoking it again changes nothing."""
    if token.revoked is not None:
        return
    token.revoked = timezone.now()
    token.save(update_fields=["revoked"])
    audit.record("api.token.revoked", actor=actor, target=token)

"""Rules of the REST API (read by core.policy)."""

from alliance.network.rules import SIGNED_IN

RULES = {
    "api.token.create": SIGNED_IN,
}

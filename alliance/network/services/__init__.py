"""Writes to the member network, split by concern; callers import them from here.

- base: the one error (NetworkError), addresses, organizations typed in, a person's language
- ledger: the engagement ledger (timeline entries)
- signups: joining and confirming (double opt-in)
- welcomes: the personal welcome, its text and its delivery

Person writes live in network/people.py, organization edits and merges in network/organizations.py,
person merges in network/merging.py, imports in network/importing.py.

Callers check permission (see core.policy); these functions trust their arguments' author.
"""

from alliance.network.services.base import (
    NetworkError,
    normalize_email,
    organization_get_or_create,
    organization_named,
    person_language,
)
from alliance.network.services.ledger import event_record
from alliance.network.services.signups import (
    SignupLinkError,
    person_join,
    signup_confirm,
    signup_confirmation_send,
    signup_usable,
)
from alliance.network.services.welcomes import (
    DEFAULT_WELCOME_BODY,
    DEFAULT_WELCOME_SUBJECT,
    DEFAULT_WELCOMES,
    WELCOME_PLACEHOLDERS,
    welcome_create,
    welcome_deliver,
    welcome_enqueue,
    welcome_follow_up,
    welcome_render,
    welcome_retry,
    welcome_sender_assign,
    welcome_sender_choose,
    welcome_template_current,
    welcome_template_update,
    welcome_text_problems,
    welcomes_missing_create,
    welcomes_resume,
)

__all__ = [
    "DEFAULT_WELCOMES",
    "DEFAULT_WELCOME_BODY",
    "DEFAULT_WELCOME_SUBJECT",
    "WELCOME_PLACEHOLDERS",
    "NetworkError",
    "SignupLinkError",
    "event_record",
    "normalize_email",
    "organization_get_or_create",
    "organization_named",
    "person_join",
    "person_language",
    "signup_confirm",
    "signup_confirmation_send",
    "signup_usable",
    "welcome_create",
    "welcome_deliver",
    "welcome_enqueue",
    "welcome_follow_up",
    "welcome_render",
    "welcome_retry",
    "welcome_sender_assign",
    "welcome_sender_choose",
    "welcome_template_current",
    "welcome_template_update",
    "welcome_text_problems",
    "welcomes_missing_create",
    "welcomes_resume",
]

"""Building outgoing mail the same way everywhere: a plain-text body, our headers, the "default" mailer."""

import textwrap
from email.utils import formataddr, parseaddr

from django.conf import settings
from django.core.mail import EmailMessage


def from_address(display_name: str) -> str:
    """The alliance's own sending address under another display name ("Ana Ruiz via <alliance>").

    Mail goes out from our domain, never the person's, so receiving servers' DMARC checks pass;
    replies reach the person through Reply-To.
    """
    _, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    return formataddr((display_name, address))


def message_id(kind: str, key: object) -> str:
    """A stable Message-ID, so a resend after a crash is recognisable as the same message."""
    _, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    domain = address.rpartition("@")[2] or "alliance.localhost"
    return f"<{kind}-{key}@{domain}>"


def wrap(text: str) -> str:
    """A paragraph folded to 72 columns, as plain-text mail is read."""
    return textwrap.fill(text, width=72, break_long_words=False, break_on_hyphens=False)


def send(
    *,
    to: str,
    subject: str,
    body: str,
    from_name: str | None = None,
    reply_to: str | None = None,
    headers: dict[str, str] | None = None,
) -> None:
    """Send one plain-text message now through the "default" mailer (settings.MAILERS, set by EMAIL_URL),
    raising on failure (callers run inside tasks)."""
    message = EmailMessage(
        subject=subject,
        body=body,
        from_email=from_address(from_name) if from_name else settings.DEFAULT_FROM_EMAIL,
        to=[to],
        reply_to=[reply_to] if reply_to else None,
        headers=headers or {},
    )
    message.send(using="default")

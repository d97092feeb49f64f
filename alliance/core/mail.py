"""Building outgoing mail the same way everywhere: a plain-text body, our headers, the "default" mailer.

Every message sent through here is logged, one row per recipient, in `core.OutboundMessage`
(queued, then sent or failed with the mailer's error): the one outbound log of the alliance.
"""

import textwrap
from email.utils import formataddr, make_msgid, parseaddr

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import timezone

from alliance.core.models import OutboundMessage


def from_address(display_name: str) -> str:
    """The alliance's own sending address under another display name ("Ana Ruiz via <alliance>").

    Mail goes out from our domain, never the person's, so receiving servers' DMARC checks pass;
    replies reach the person through Reply-To.
    """
    _, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    return formataddr((display_name, address))


def _domain() -> str:
    _, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    return address.rpartition("@")[2] or "alliance.localhost"


def message_id(kind: str, key: object) -> str:
    """A stable Message-ID, so a resend after a crash is recognisable as the same message."""
    return f"<{kind}-{key}@{_domain()}>"


def wrap(text: str) -> str:
    """A paragraph folded to 72 columns, as plain-text mail is read."""
    return textwrap.fill(text, width=72, break_long_words=False, break_on_hyphens=False)


def send(
    *,
    to: str,
    subject: str,
    body: str,
    kind: str,
    from_name: str | None = None,
    reply_to: str | None = None,
    headers: dict[str, str] | None = None,
) -> OutboundMessage:
    """Send one plain-text message now through the "default" mailer (settings.MAILERS, set by EMAIL_URL),
    raising on failure (callers run inside tasks). `kind` names the message in the log
    ("network.welcome", "network.signup.confirm"...); the log row is returned."""
    message = EmailMessage(
        subject=subject,
        body=body,
        from_email=from_address(from_name) if from_name else settings.DEFAULT_FROM_EMAIL,
        to=[to],
        reply_to=[reply_to] if reply_to else None,
        headers=headers or {},
    )
    return send_message(message, kind=kind)[0]


def send_message(message: EmailMessage, *, kind: str) -> list[OutboundMessage]:
    """Send a message built elsewhere (allauth's account mail) through the "default" mailer and log
    it, one row per recipient; raises what the mailer raises, after marking the rows failed.

    The rows are written before the mailer is called, so a worker that dies mid-send leaves
    `queued` rows behind: the trace of a message whose fate is unknown.
    """
    # Our own Message-ID rather than Django's, which is only made at sending time (and asks DNS for
    # the host's name); the log needs it now.
    message.extra_headers.setdefault("Message-ID", make_msgid(domain=_domain()))
    rows = [
        OutboundMessage.objects.create(
            recipient=recipient[:254],
            kind=kind[:60],
            message_id=message.extra_headers["Message-ID"][:255],
            subject=" ".join(str(message.subject).split())[:300],
        )
        for recipient in message.recipients()
    ]
    ids = [row.pk for row in rows]
    try:
        message.send(using="default")
    except Exception as exc:
        OutboundMessage.objects.filter(pk__in=ids).update(status=OutboundMessage.Status.FAILED, error=str(exc)[:2000])
        raise
    now = timezone.now()
    OutboundMessage.objects.filter(pk__in=ids).update(status=OutboundMessage.Status.SENT, sent=now)
    for row in rows:
        row.status, row.sent = OutboundMessage.Status.SENT, now
    return rows

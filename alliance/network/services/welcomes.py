"""The personal welcome: who sends it, its text (staff edit it, per language), and its exactly-once
delivery by the worker under a lease.

Callers check permission (see core.policy). Raises NetworkError.
"""

import logging
import string
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from alliance.core import audit, mail
from alliance.network.models import (
    Person,
    Role,
    Welcome,
    WelcomeTemplate,
)
from alliance.network.services.base import NetworkError, _one_line, person_language
from alliance.network.services.ledger import event_record

logger = logging.getLogger(__name__)



def _welcome_sender(*, person: Person) -> tuple[Person | None, str]:
    """The person to welcome `person` and the role they are chosen for, or (None, "") when nobody can.

    A steering committee member: one from the newcomer's state when there is one, else from the
    whole committee. With no committee at all (a fresh install), one of the backbone staff. Among
    those, the one with the fewest welcomes in the last 90 days, so the work is shared.
    """
    since = timezone.now() - timedelta(days=90)
    for role in (Role.STEERING, Role.BACKBONE):
        candidates = (
            Person.objects.filter(roles=role, status=Person.Status.ACTIVE)
            .exclude(pk=person.pk)
            .annotate(recent=Count("welcomes_sent", filter=Q(welcomes_sent__created__gte=since)))
        )
        local = candidates.filter(state=person.state_id) if role == Role.STEERING and person.state_id else None
        chosen = (local if local is not None and local.exists() else candidates).order_by("recent", "pk").first()
        if chosen is not None:
            return chosen, role
    return None, ""


def welcome_sender_choose(*, person: Person) -> Person | None:
    """The person to welcome `person`: a steering committee member, else backbone staff, else None."""
    return _welcome_sender(person=person)[0]


def welcome_create(*, person: Person) -> Welcome | None:
    """Give a confirmed person their one welcome and queue it; None when they already have one.

    Never raises for want of a sender, so a confirmation never fails for it: with nobody to send
    it, the welcome waits (status WAITING, listed for staff) until the sweep finds a sender.
    """
    if Welcome.objects.filter(person=person).exists():
        return None
    sender, role = _welcome_sender(person=person)
    status = Welcome.Status.PENDING if sender else Welcome.Status.WAITING
    try:
        with transaction.atomic():
            welcome = Welcome.objects.create(person=person, sender=sender, sender_role=role, status=status)
    except IntegrityError:  # a concurrent confirmation created it first
        return None
    if sender:
        welcome_enqueue(welcome)
    return welcome


def welcome_enqueue(welcome: Welcome, *, delay: timedelta | None = None) -> None:
    from alliance.network.tasks import deliver_welcome

    task = deliver_welcome.using(run_after=timezone.now() + delay) if delay else deliver_welcome
    transaction.on_commit(lambda: task.enqueue(welcome_id=welcome.pk))


def welcome_sender_assign(*, welcome: Welcome) -> bool:
    """Give a welcome waiting for a sender its sender now that there is one, and queue it; True if so."""
    sender, role = _welcome_sender(person=welcome.person)
    if sender is None:
        return False
    assigned = Welcome.objects.filter(pk=welcome.pk, status=Welcome.Status.WAITING).update(
        status=Welcome.Status.PENDING, sender=sender, sender_role=role, next_attempt=timezone.now()
    )
    if assigned:
        welcome_enqueue(welcome)
    return bool(assigned)


def welcome_retry(*, welcome: Welcome, actor) -> None:
    """Staff send a failed welcome again, or one waiting for a sender (with a sender found now).

    The caller checks permission ("network.welcome.edit"); `actor` (a User) is audited. The sender
    is kept while still active, else chosen anew. Raises NetworkError when the welcome is sent or
    on its way, or when nobody can send it yet.
    """
    if welcome.status not in {Welcome.Status.FAILED, Welcome.Status.WAITING}:
        raise NetworkError(_("This welcome is sent or on its way; there is nothing to send again."))
    sender, role = welcome.sender, welcome.sender_role
    if sender is None or sender.status != Person.Status.ACTIVE:
        sender, role = _welcome_sender(person=welcome.person)
    if sender is None:
        raise NetworkError(
            _("Nobody can send this welcome yet: give someone the steering committee or backbone staff role first.")
        )
    retried = Welcome.objects.filter(pk=welcome.pk, status=welcome.status).update(
        status=Welcome.Status.PENDING,
        sender=sender,
        sender_role=role,
        attempts=0,
        error="",
        lease_until=None,
        next_attempt=timezone.now(),
    )
    if not retried:  # changed meanwhile (sent again from another tab)
        raise NetworkError(_("This welcome is sent or on its way; there is nothing to send again."))
    welcome_enqueue(welcome)
    audit.record("network.welcome.retried", actor=actor, target=welcome.person, sender=sender.pk)


# The welcome's text per language, until staff write their own (welcome_template_update).
DEFAULT_WELCOMES: dict[str, tuple[str, str]] = {
    "en": (
        "Welcome to {alliance}, {first_name}",
        """Dear {first_name},

I'm {sender_first_name}, {sender_role} of {alliance}, and I'm glad you
have joined us. Our members come from schools, colleges, business, government and community
organizations across six states, and everyone has a part in what we do together.

I'd love to hear what brought you here and what you hope to work on. Just reply to this email;
it comes straight to me.

You can find peers, workgroups and our common agenda at {site_url}.

Warmly,
{sender_full_name}
{sender_title}
{sender_signature}
""",
    ),
    "es": (
        "{first_name}, le damos la bienvenida a {alliance}",
        """Hola, {first_name}:

Soy {sender_first_name}, {sender_role} de {alliance}, y me da mucho gusto
que se haya unido a nosotros. Nuestros miembros vienen de escuelas, universidades y colegios
comunitarios, empresas, gobierno y organizaciones de la comunidad de seis estados, y cada quien
tiene un papel en lo que hacemos juntos.

Me encantaría saber qué le trajo aquí y en qué le gustaría trabajar. Nomás responda a este
correo; me llega directamente a mí.

En {site_url} puede encontrar a sus colegas, los grupos de trabajo y nuestra agenda común.

Con cariño,
{sender_full_name}
{sender_title}
{sender_signature}
""",
    ),
}
DEFAULT_WELCOME_SUBJECT, DEFAULT_WELCOME_BODY = DEFAULT_WELCOMES["en"]

# What a welcome's text may name; welcome_render fills in exactly these.
WELCOME_PLACEHOLDERS = (
    "first_name",
    "full_name",
    "state",
    "organization",
    "sender_first_name",
    "sender_full_name",
    "sender_title",
    "sender_role",
    "sender_signature",
    "alliance",
    "site_url",
)


def welcome_template_current(*, language: str | None = None) -> WelcomeTemplate:
    """The welcome text in use for `language` (default: the site's): staff's newest, else ours.

    A language with neither falls back to the default language's text.
    """
    language = language or settings.LANGUAGE_CODE
    template = WelcomeTemplate.objects.filter(language=language).order_by("-updated", "-pk").first()
    if template is not None:
        return template
    if language not in DEFAULT_WELCOMES:
        return welcome_template_current(language=settings.LANGUAGE_CODE)
    subject, body = DEFAULT_WELCOMES[language]
    return WelcomeTemplate.objects.create(language=language, subject=subject, body=body)


def welcome_text_problems(text: str) -> list[str]:
    """What keeps `text` from being a welcome's subject or body, in words staff can act on.

    Fields are found with string.Formatter().parse, as str.format will read them at sending time.
    """
    try:
        fields = [
            (name, conv, spec) for _literal, name, spec, conv in string.Formatter().parse(text) if name is not None
        ]
    except ValueError:
        return [_stray_brace_problem(text)]
    unknown = []
    for name, conv, spec in fields:
        if name not in WELCOME_PLACEHOLDERS or conv or spec:
            written = "{" + name + (f"!{conv}" if conv else "") + (f":{spec}" if spec else "") + "}"
            if written not in unknown:
                unknown.append(written)
    if not unknown:
        return []
    return [
        ngettext(
            "Unknown placeholder %(names)s. The placeholders are %(allowed)s.",
            "Unknown placeholders %(names)s. The placeholders are %(allowed)s.",
            len(unknown),
        )
        % {"names": ", ".join(unknown), "allowed": ", ".join("{" + p + "}" for p in WELCOME_PLACEHOLDERS)}
    ]


def _stray_brace_problem(text: str) -> str:
    """Where the first brace that opens or closes no placeholder is (str.format says only that there is one)."""
    i = 0
    while i < len(text):
        char = text[i]
        if char in "{}" and text[i + 1 : i + 2] == char:  # {{ and }} write a brace
            i += 2
            continue
        if char == "{":
            end = text.find("}", i)
            if end != -1 and "{" not in text[i + 1 : end]:
                i = end + 1
                continue
        if char in "{}":
            break
        i += 1
    line = text.count("\n", 0, i) + 1
    excerpt = _one_line(text[max(0, i - 20) : i + 20])
    return _(
        'A stray "%(brace)s" on line %(line)d, in "%(excerpt)s". Write %(double)s for a brace '
        "that should appear in the message, or finish the placeholder."
    ) % {"brace": text[i : i + 1] or "{", "line": line, "excerpt": excerpt, "double": (text[i : i + 1] or "{") * 2}


def welcome_template_update(
    *, subject: str, body: str, actor: Person | None, language: str | None = None
) -> WelcomeTemplate:
    """Save a new version of the welcome text in `language` (older versions stay in its history).

    Raises NetworkError naming the unknown placeholders or stray braces, so a text that cannot be
    sent is never saved.
    """
    language = language or settings.LANGUAGE_CODE
    problems = welcome_text_problems(subject) + welcome_text_problems(body)
    if problems:
        raise NetworkError(" ".join(problems))
    template = WelcomeTemplate.objects.filter(language=language).order_by("-updated", "-pk").first()
    if template is None:
        template = WelcomeTemplate(language=language)
    template.subject, template.body = subject, body
    template.updated, template.updated_by = timezone.now(), actor
    template.save()
    return template


def welcome_render(welcome: Welcome) -> tuple[str, str]:
    """The subject and body of a welcome, in the newcomer's language and its sender's name and signature.

    Raises ValueError (or another error of str.format) for a text that cannot be filled in.
    """
    person, sender = welcome.person, welcome.sender
    assert sender is not None, "a welcome is rendered once it has a sender"
    with translation.override(person_language(person)):
        template = welcome_template_current(language=translation.get_language())
        roles = {Role.BACKBONE: _("one of the staff")}
        values = {
            "first_name": person.first_name,
            "full_name": person.full_name,
            "state": str(person.state) if person.state else "",
            "organization": person.organization.name if person.organization else "",
            "sender_first_name": sender.first_name,
            "sender_full_name": sender.full_name,
            "sender_title": ", ".join(p for p in [sender.title, sender.organization and sender.organization.name] if p),
            "sender_role": roles.get(welcome.sender_role, _("a member of the steering committee")),
            "sender_signature": sender.signature,
            "alliance": settings.ALLIANCE_NAME,
            "site_url": settings.SITE_URL,
        }
    subject = _one_line(template.subject.format_map(_Blank(values)))
    return subject, template.body.format_map(_Blank(values)).rstrip() + "\n"


class _Blank(dict):
    """A placeholder unknown to this version (a text saved before checks existed) renders empty."""

    def __missing__(self, key: str) -> str:
        return ""


def _welcome_fail(welcome: Welcome, *, lease, reason: str) -> None:
    # The reason is stored in one language (English), like timeline summaries, whatever language
    # the worker happens to be writing the newcomer's mail in.
    """Mark a welcome failed for good (only while this worker holds it); staff see it and the reason."""
    Welcome.objects.filter(pk=welcome.pk, lease_until=lease).update(
        status=Welcome.Status.FAILED, lease_until=None, error=reason[:2000]
    )
    logger.warning("welcome %s failed: %s", welcome.pk, reason)


def welcome_deliver(*, welcome_id: int) -> bool:
    """Send one welcome, exactly once; True when this call sent it.

    A worker first claims the row with a conditional UPDATE and a lease. A second worker (or a
    retry of this task) finds nothing to claim. If the worker dies mid-send, the lease runs out
    and `welcomes_resume` hands the row to the next worker. SENT (and its ledger entry, in the
    same transaction) is written only while this worker still holds the lease: a worker that
    took longer than its lease leaves the row to the one that took it over. The lease is longer
    than the mail timeout (checks.py), so that happens only to a worker paused or starved. The
    one window left is between the SMTP server accepting the message and our UPDATE to `sent`
    (milliseconds); the stable Message-ID lets receiving systems drop a resend from that window.

    A text that cannot be filled in, or a message the mailer refuses to build, fails at once
    (no retry can mend it); a mail server's refusal is retried with a growing delay five times.
    """
    now = timezone.now()
    lease = now + timedelta(seconds=settings.WELCOME_LEASE_SECONDS)
    claimable = Q(status=Welcome.Status.PENDING) | Q(status=Welcome.Status.SENDING, lease_until__lt=now)
    claimed = Welcome.objects.filter(claimable, pk=welcome_id, sender__isnull=False).update(
        status=Welcome.Status.SENDING, lease_until=lease, attempts=F("attempts") + 1
    )
    if claimed != 1:
        return False
    welcome = Welcome.objects.select_related("person__state", "person__organization", "sender__organization").get(
        pk=welcome_id
    )
    sender = welcome.sender
    assert sender is not None
    try:
        subject, body = welcome_render(welcome)
    except Exception as exc:  # anything str.format raises on a broken text
        _welcome_fail(welcome, lease=lease, reason=f"The welcome text could not be filled in: {exc}")
        return False
    message_id = mail.message_id("welcome", welcome.person_id)
    try:
        mail.send(
            to=welcome.person.email,
            subject=subject,
            body=body,
            from_name=_one_line(f"{sender.full_name} ({settings.ALLIANCE_NAME})"),
            reply_to=sender.email,
            kind="network.welcome",
            headers={"Message-ID": message_id},
        )
    except ValueError as exc:  # the message cannot be built (a bad header, a bad address)
        _welcome_fail(welcome, lease=lease, reason=f"The welcome could not be sent: {exc}")
        return False
    except Exception as exc:
        # Hand the row back (unless our lease ran out and another worker holds it now) and try
        # again later with a growing delay; give up after five tries.
        failed = welcome.attempts >= 5
        backoff = timedelta(minutes=2**welcome.attempts)
        Welcome.objects.filter(pk=welcome.pk, lease_until=lease).update(
            status=Welcome.Status.FAILED if failed else Welcome.Status.PENDING,
            lease_until=None,
            next_attempt=timezone.now() + backoff,
            error=str(exc),
        )
        if not failed:
            welcome_enqueue(welcome, delay=backoff)
        raise
    with transaction.atomic():
        done = Welcome.objects.filter(pk=welcome.pk, status=Welcome.Status.SENDING, lease_until=lease).update(
            status=Welcome.Status.SENT, sent=timezone.now(), lease_until=None, message_id=message_id, error=""
        )
        if done != 1:
            logger.warning(
                "welcome %s was sent after its lease ran out; the worker holding it now records it", welcome.pk
            )
            return False
        event_record(
            person=welcome.person,
            kind="network.welcome.sent",
            actor=sender,
            summary=f"Welcomed by {sender.full_name}",
            subject=subject,
            sender=sender.full_name,
        )
    return True


def welcomes_resume(*, overdue_only: bool = False) -> int:
    """Queue the welcomes left unfinished, and those waiting for a sender that now has one; how many.

    When a worker starts (`overdue_only=False`), every unfinished welcome is queued for when it is
    due: a row whose lease still runs may belong to the worker that just died (supervisors restart
    a worker at once), so it is queued for just after the lease rather than skipped; a row waiting
    out a back-off, for the end of it. If its worker is alive after all, the row is sent by then
    and the task finds nothing to claim.

    While a worker runs (`overdue_only=True`), only rows overdue by WORKER_SWEEP_SECONDS are
    queued: their task was lost (the queue was down when it was enqueued, a worker died without
    being restarted), since a task that still exists would have run by then.
    """
    now = timezone.now()
    overdue = now - timedelta(seconds=settings.WORKER_SWEEP_SECONDS)
    count = 0
    for welcome in Welcome.objects.filter(status=Welcome.Status.WAITING).select_related("person"):
        count += welcome_sender_assign(welcome=welcome)
    for welcome in Welcome.objects.filter(status__in=[Welcome.Status.PENDING, Welcome.Status.SENDING]):
        leased = welcome.status == Welcome.Status.SENDING and welcome.lease_until is not None
        due = welcome.lease_until if leased and welcome.lease_until else welcome.next_attempt
        if overdue_only and due > overdue:
            continue
        welcome_enqueue(welcome, delay=due - now + timedelta(seconds=1) if due > now else None)
        count += 1
    return count


def welcomes_missing_create() -> int:
    """Give their welcome to confirmed members who have none; how many were given.

    The welcome is created after the confirmation commits; if that process died in between, the
    worker's sweep finds the newcomer here.
    """
    newcomers = Person.objects.filter(
        status=Person.Status.ACTIVE, signups__confirmed__isnull=False, welcome__isnull=True
    ).distinct()
    # welcome_create never fails for want of a sender: with nobody to send it, the welcome waits.
    return sum(welcome_create(person=person) is not None for person in newcomers)


def welcome_follow_up(*, welcome: Welcome) -> None:
    """The committee member marks that they followed up with their newcomer personally."""
    welcome.followed_up = timezone.now()
    welcome.save(update_fields=["followed_up"])
    event_record(
        person=welcome.person,
        kind="network.welcome.followed_up",
        actor=welcome.sender,
        summary=f"{welcome.sender.full_name if welcome.sender else 'Staff'} followed up personally",
        sender=welcome.sender.full_name if welcome.sender else "",
    )

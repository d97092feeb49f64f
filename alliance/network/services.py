"""Writes to the member network: joining, confirming, welcoming, editing people.

Callers check permission (see core.policy); these functions trust their arguments' author.
Each raises NetworkError for a request the network cannot take.
"""

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from alliance.core import audit, mail
from alliance.network.models import (
    Event,
    Organization,
    Person,
    Role,
    Sector,
    Signup,
    State,
    Welcome,
    WelcomeTemplate,
)
from alliance.network.signals import person_confirmed


class NetworkError(Exception):
    pass


def normalize_email(raw: str) -> str:
    """The one form an address is stored and compared in: no surrounding spaces, lower case."""
    return raw.strip().lower()


def event_record(*, person: Person, kind: str, summary: str, actor: Person | None = None, **data) -> Event:
    """Add an entry to a person's timeline (the engagement ledger)."""
    return Event.objects.create(person=person, kind=kind, summary=summary[:300], actor=actor, data=data)


def organization_named(*, name: str, state: State | None, sector: Sector | None = None) -> Organization | None:
    """The organization a person typed in, found or created; None when they left it blank."""
    return organization_get_or_create(name=name, state=state, sector=sector) if name.strip() else None


def organization_get_or_create(*, name: str, state: State | None, sector: Sector | None = None) -> Organization:
    """The organization of that name in that state (case-insensitive), created when new."""
    name = " ".join(name.split())
    existing = Organization.objects.filter(name__iexact=name, state=state).first()
    if existing:
        return existing
    try:
        with transaction.atomic():
            return Organization.objects.create(name=name, state=state, sector=sector)
    except IntegrityError:  # created meanwhile by a concurrent sign-up
        return Organization.objects.get(name__iexact=name, state=state)


def person_join(
    *,
    first_name: str,
    last_name: str,
    email: str,
    state: State | None,
    sector: Sector | None,
    organization_name: str = "",
    title: str = "",
    interests: str = "",
    consent_to_email: bool,
    ip: str | None = None,
) -> Signup:
    """Record a sign-up from /join/ and mail a confirmation link (double opt-in).

    A second sign-up with the same address updates that person instead of adding another.
    A new person stays `pending` until confirmed; a known person keeps their status.
    """
    email = normalize_email(email)
    organization = organization_named(name=organization_name, state=state, sector=sector)
    fields: dict[str, object] = {
        "first_name": first_name.strip(),
        "last_name": last_name.strip(),
        "state": state,
        "sector": sector,
        "title": title.strip(),
        "interests": interests.strip(),
        "consent_to_email": consent_to_email,
    }
    if organization is not None:
        fields["organization"] = organization
    with transaction.atomic():
        person = Person.objects.select_for_update().filter(email=email).first()
        if person is None:
            person = Person.objects.create(
                email=email, status=Person.Status.PENDING, source=Person.Source.JOIN, **fields
            )
        else:
            for name, value in fields.items():
                setattr(person, name, value)
            person.save(update_fields=list(fields))
        signup = Signup.objects.create(person=person, token=secrets.token_urlsafe(24), ip=ip)
        event_record(person=person, kind="network.signup.received", summary="Signed up on the join page")
        from alliance.network.tasks import send_signup_confirmation

        transaction.on_commit(lambda: send_signup_confirmation.enqueue(signup_id=signup.pk))
    return signup


def signup_confirmation_send(*, signup_id: int) -> None:
    """Mail the confirmation link of one sign-up (run by the worker)."""
    signup = Signup.objects.select_related("person").get(pk=signup_id)
    if signup.confirmed:
        return
    person = signup.person
    link = f"{settings.SITE_URL}/join/confirm/{signup.token}/"
    intro = f"Thank you for signing up to {settings.ALLIANCE_NAME}. Please confirm your address by opening this link:"
    mail.send(
        to=person.email,
        subject=f"Please confirm you want to join {settings.ALLIANCE_NAME}",
        # Short lines keep the message plain 7-bit text, so the link is never split by
        # quoted-printable soft breaks (which matters where mail is read raw, as in the demo).
        body=(
            f"Hello {person.first_name},\n\n{mail.wrap(intro)}\n\n{link}\n\n"
            f"{mail.wrap('If you did not sign up, ignore this message and nothing will happen.')}\n"
        ),
        headers={"Message-ID": mail.message_id("confirm", signup.pk)},
    )


def signup_confirm(*, token: str) -> Person:
    """Confirm a sign-up by its mailed token; activates the person and, once committed, sends
    `person_confirmed` (whose first receiver gives the newcomer their welcome).

    Confirming the same sign-up again is harmless and sends nothing.
    """
    with transaction.atomic():
        signup = Signup.objects.select_for_update().select_related("person").filter(token=token).first()
        if signup is None:
            raise NetworkError(_("This confirmation link is not valid."))
        person = signup.person
        if person.status == Person.Status.MERGED:
            raise NetworkError(_("This sign-up belongs to a record that was merged into another."))
        now = timezone.now()
        if signup.confirmed is not None:
            return person
        signup.confirmed = now
        signup.save(update_fields=["confirmed"])
        first_time = person.status != Person.Status.ACTIVE or person.confirmed is None
        if first_time:
            person.status = Person.Status.ACTIVE
            person.confirmed = person.confirmed or now
            person.save(update_fields=["status", "confirmed"])
            person.roles.add(*Role.objects.filter(code=Role.MEMBER))
            event_record(person=person, kind="network.person.confirmed", summary="Confirmed their email address")
        transaction.on_commit(
            lambda: person_confirmed.send(sender=Person, person=person, signup=signup, first_time=first_time)
        )
    return person


def welcome_sender_choose(*, person: Person) -> Person:
    """The steering committee member to welcome `person`.

    One from the newcomer's state when there is one, else from the whole committee; among those,
    the one with the fewest welcomes in the last 90 days, so the work is shared.
    """
    committee = Person.objects.filter(roles=Role.STEERING, status=Person.Status.ACTIVE).exclude(pk=person.pk)
    since = timezone.now() - timedelta(days=90)
    committee = committee.annotate(recent=Count("welcomes_sent", filter=Q(welcomes_sent__created__gte=since)))
    local = committee.filter(state=person.state_id) if person.state_id else committee.none()
    chosen = (local if local.exists() else committee).order_by("recent", "pk").first()
    if chosen is None:
        raise NetworkError("The alliance has no active steering committee member to send welcomes.")
    return chosen


def welcome_create(*, person: Person) -> Welcome | None:
    """Give a confirmed person their one welcome and queue it; None when they already have one."""
    if Welcome.objects.filter(person=person).exists():
        return None
    sender = welcome_sender_choose(person=person)
    try:
        with transaction.atomic():
            welcome = Welcome.objects.create(person=person, sender=sender)
    except IntegrityError:  # a concurrent confirmation created it first
        return None
    welcome_enqueue(welcome)
    return welcome


def welcome_enqueue(welcome: Welcome, *, delay: timedelta | None = None) -> None:
    from alliance.network.tasks import deliver_welcome

    task = deliver_welcome.using(run_after=timezone.now() + delay) if delay else deliver_welcome
    transaction.on_commit(lambda: task.enqueue(welcome_id=welcome.pk))


def welcome_template_current() -> WelcomeTemplate:
    template = WelcomeTemplate.objects.order_by("-updated", "-pk").first()
    if template is None:
        template = WelcomeTemplate.objects.create(subject=DEFAULT_WELCOME_SUBJECT, body=DEFAULT_WELCOME_BODY)
    return template


def welcome_template_update(*, subject: str, body: str, actor: Person | None) -> WelcomeTemplate:
    """Save a new version of the welcome text (older versions stay in its history)."""
    template = welcome_template_current()
    template.subject, template.body = subject, body
    template.updated, template.updated_by = timezone.now(), actor
    template.save(update_fields=["subject", "body", "updated", "updated_by"])
    return template


DEFAULT_WELCOME_SUBJECT = "Welcome to {alliance}, {first_name}"
DEFAULT_WELCOME_BODY = """Dear {first_name},

I'm {sender_first_name}, a member of the steering committee of {alliance}, and I'm glad you
have joined us. Our members come from schools, colleges, business, government and community
organizations across six states, and everyone has a part in what we do together.

I'd love to hear what brought you here and what you hope to work on. Just reply to this email;
it comes straight to me.

You can find peers, workgroups and our common agenda at {site_url}.

Warmly,
{sender_full_name}
{sender_title}
{sender_signature}
"""


def welcome_render(welcome: Welcome) -> tuple[str, str]:
    """The subject and body of a welcome, in its sender's name and signature."""
    template = welcome_template_current()
    person, sender = welcome.person, welcome.sender
    values = {
        "first_name": person.first_name,
        "full_name": person.full_name,
        "state": person.state.name if person.state else "",
        "organization": person.organization.name if person.organization else "",
        "sender_first_name": sender.first_name,
        "sender_full_name": sender.full_name,
        "sender_title": ", ".join(p for p in [sender.title, sender.organization and sender.organization.name] if p),
        "sender_signature": sender.signature,
        "alliance": settings.ALLIANCE_NAME,
        "site_url": settings.SITE_URL,
    }
    return template.subject.format_map(_Blank(values)), template.body.format_map(_Blank(values)).rstrip() + "\n"


class _Blank(dict):
    """Unknown placeholders in a staff-edited template render empty instead of failing the send."""

    def __missing__(self, key: str) -> str:
        return ""


def welcome_deliver(*, welcome_id: int) -> bool:
    """Send one welcome, exactly once; True when this call sent it.

    A worker first claims the row with a conditional UPDATE and a lease. A second worker (or a
    retry of this task) finds nothing to claim. If the worker dies mid-send, the lease runs out
    and `welcomes_resume` hands the row to the next worker. The one window left is between the
    SMTP server accepting the message and our UPDATE to `sent` (milliseconds); the stable
    Message-ID lets receiving systems drop a resend from that window.
    """
    now = timezone.now()
    lease = now + timedelta(seconds=settings.WELCOME_LEASE_SECONDS)
    claimable = Q(status=Welcome.Status.PENDING) | Q(status=Welcome.Status.SENDING, lease_until__lt=now)
    claimed = Welcome.objects.filter(claimable, pk=welcome_id).update(
        status=Welcome.Status.SENDING, lease_until=lease, attempts=F("attempts") + 1
    )
    if claimed != 1:
        return False
    welcome = Welcome.objects.select_related("person__state", "person__organization", "sender__organization").get(
        pk=welcome_id
    )
    subject, body = welcome_render(welcome)
    message_id = mail.message_id("welcome", welcome.person_id)
    try:
        mail.send(
            to=welcome.person.email,
            subject=subject,
            body=body,
            from_name=f"{welcome.sender.full_name} ({settings.ALLIANCE_NAME})",
            reply_to=welcome.sender.email,
            headers={"Message-ID": message_id},
        )
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
    Welcome.objects.filter(pk=welcome.pk).update(
        status=Welcome.Status.SENT, sent=timezone.now(), lease_until=None, message_id=message_id, error=""
    )
    event_record(
        person=welcome.person,
        kind="network.welcome.sent",
        actor=welcome.sender,
        summary=f"Welcomed by {welcome.sender.full_name}",
        subject=subject,
        sender=welcome.sender.full_name,
    )
    return True


def welcomes_resume(*, overdue_only: bool = False) -> int:
    """Queue the welcomes left unfinished; how many were queued.

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
    count = 0
    newcomers = Person.objects.filter(
        status=Person.Status.ACTIVE, signups__confirmed__isnull=False, welcome__isnull=True
    ).distinct()
    for person in newcomers:
        try:
            count += welcome_create(person=person) is not None
        except NetworkError:
            break  # nobody to send welcomes yet; the next sweep tries again
    return count


def welcome_follow_up(*, welcome: Welcome) -> None:
    """The committee member marks that they followed up with their newcomer personally."""
    welcome.followed_up = timezone.now()
    welcome.save(update_fields=["followed_up"])
    event_record(
        person=welcome.person,
        kind="network.welcome.followed_up",
        actor=welcome.sender,
        summary=f"{welcome.sender.full_name} followed up personally",
        sender=welcome.sender.full_name,
    )


def person_create(
    *,
    first_name: str,
    last_name: str,
    email: str,
    state: State | None,
    sector: Sector | None,
    organization_name: str,
    title: str,
    actor,
    interests: str = "",
    consent_to_email: bool = False,
    source: str = Person.Source.STAFF,
) -> Person:
    """Add an active member on staff's word (no double opt-in, no welcome mail: staff know them).

    The caller checks permission ("network.person.edit"); `actor` is the staff user, recorded in
    the audit log and on the person's timeline. Raises NetworkError when the address is taken.
    """
    email = normalize_email(email)
    if Person.objects.filter(email=email).exists():
        raise NetworkError(_("A person with this email address is already in the network."))
    organization = organization_named(name=organization_name, state=state, sector=sector)
    try:
        with transaction.atomic():
            person = Person.objects.create(
                first_name=first_name.strip(),
                last_name=last_name.strip(),
                email=email,
                state=state,
                sector=sector,
                organization=organization,
                title=title.strip(),
                interests=interests.strip(),
                consent_to_email=consent_to_email,
                status=Person.Status.ACTIVE,
                confirmed=timezone.now(),
                source=source,
            )
    except IntegrityError as exc:  # the same address added meanwhile
        raise NetworkError(_("A person with this email address is already in the network.")) from exc
    person.roles.add(*Role.objects.filter(code=Role.MEMBER))
    actor_person = Person.objects.filter(user=actor).first() if getattr(actor, "is_authenticated", False) else None
    event_record(person=person, kind="network.person.created", summary="Added by staff", actor=actor_person)
    audit.record("network.person.created", actor=actor, target=person, source=source)
    return person

"""Joining: a sign-up from /join/ waits on its Signup until its address is confirmed (double opt-in).

Callers check permission (see core.policy). Raises NetworkError (SignupLinkError for a link that
cannot be used).
"""

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from alliance.core import mail
from alliance.network import selectors
from alliance.network.models import (
    Person,
    Role,
    Sector,
    Signup,
    State,
)
from alliance.network.services.base import NetworkError, _one_line, normalize_email, organization_named, person_language
from alliance.network.services.ledger import event_record
from alliance.network.signals import person_confirmed


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
    language: str = "",
) -> Signup:
    """Record a sign-up from /join/ and mail a confirmation link (double opt-in).

    Anyone can type anyone's address, so a sign-up changes no existing person: what was typed
    waits on the Signup and is applied when the link is confirmed (`signup_confirm`). A new address
    gets a `pending` person at once, so staff see sign-ups waiting for confirmation. Concurrent
    sign-ups with one new address give one person (the unique address decides; the others find it).
    """
    email = normalize_email(email)
    submitted = {
        "first_name": first_name.strip(),
        "last_name": last_name.strip(),
        "state": state.code if state else None,
        "sector": sector.slug if sector else None,
        "organization": " ".join(organization_name.split()),
        "title": title.strip(),
        "interests": interests.strip(),
        "consent_to_email": consent_to_email,
        "language": language,
    }
    with transaction.atomic():
        # An address of a record merged into another finds the person it was merged into.
        person = selectors.person_by_email(email=email) or _person_pending_create(email=email, submitted=submitted)
        signup = Signup.objects.create(person=person, token=secrets.token_urlsafe(24), ip=ip, submitted=submitted)
        event_record(person=person, kind="network.signup.received", summary="Signed up on the join page")
        from alliance.network.tasks import send_signup_confirmation

        transaction.on_commit(lambda: send_signup_confirmation.enqueue(signup_id=signup.pk))
    return signup


def _person_pending_create(*, email: str, submitted: dict) -> Person:
    """A pending person for a new address, or the one a concurrent sign-up created a moment ago."""
    values = _person_values(submitted)
    try:
        with transaction.atomic():  # a savepoint: the unique address may refuse the row
            return Person.objects.create(email=email, status=Person.Status.PENDING, source=Person.Source.JOIN, **values)
    except IntegrityError:
        # Another sign-up created it after our look-up and has committed (PostgreSQL's insert
        # waited for it; SQLite serializes writers), so this statement's snapshot sees it.
        return Person.objects.get(email=email)


def _person_values(submitted: dict) -> dict:
    """A sign-up's submitted values as Person fields (an organization left blank is not cleared)."""
    state = State.objects.filter(code=submitted.get("state") or "").first()
    sector = Sector.objects.filter(slug=submitted.get("sector") or "").first()
    values: dict[str, object] = {
        "first_name": submitted.get("first_name", ""),
        "last_name": submitted.get("last_name", ""),
        "state": state,
        "sector": sector,
        "title": submitted.get("title", ""),
        "interests": submitted.get("interests", ""),
        "consent_to_email": bool(submitted.get("consent_to_email")),
    }
    if submitted.get("language"):
        values["language"] = submitted["language"]
    organization = organization_named(name=submitted.get("organization", ""), state=state, sector=sector)
    if organization is not None:
        values["organization"] = organization
    return values


def signup_confirmation_send(*, signup_id: int) -> None:
    """Mail the confirmation link of one sign-up (run by the worker)."""
    signup = Signup.objects.select_related("person").get(pk=signup_id)
    person = signup.person
    if person.status == Person.Status.INACTIVE:
        return  # a deactivated person receives no mail; staff reactivate them
    first_name = signup.submitted.get("first_name") or person.first_name
    link = f"{settings.SITE_URL}/join/confirm/{signup.token}/"
    first_name = signup.submitted.get("first_name") or person.first_name
    names = {"alliance": settings.ALLIANCE_NAME, "name": _one_line(first_name)}
    # Written in the language the person joined in.
    with translation.override(person_language(person)):
        subject = _("Please confirm you want to join %(alliance)s") % names
        intro = _("Thank you for signing up to %(alliance)s. Please confirm your address by opening this link:") % names
        # Short lines keep the message plain text, so the link is never split by quoted-printable
        # soft breaks (which matters where mail is read raw, as in the demo).
        body = (
            f"{_('Hello %(name)s,') % names}\n\n{mail.wrap(intro)}\n\n{link}\n\n"
            f"{mail.wrap(_('If you did not sign up, ignore this message and nothing will happen.'))}\n"
        )
    mail.send(
        to=person.email,
        subject=subject,
        body=body,
        kind="network.signup.confirm",
        headers={"Message-ID": mail.message_id("confirm", signup.pk)},
    )


class SignupLinkError(NetworkError):
    """A confirmation link that cannot be used; `reason` is "unknown", "used", "expired", "merged" or "inactive"."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


def signup_usable(*, token: str, lock: bool = False) -> Signup:
    """The sign-up a confirmation link names, if the link can still be used; raises SignupLinkError.

    Links work once and for settings.SIGNUP_TOKEN_DAYS days. Writes nothing (the page shown on GET
    uses it: mail scanners open links, only a person presses the button).
    """
    signups = Signup.objects.select_related("person")
    signup = (signups.select_for_update() if lock else signups).filter(token=token).first()
    if signup is None:
        raise SignupLinkError("unknown", _("This confirmation link is not valid."))
    if signup.confirmed is not None:
        raise SignupLinkError("used", _("This confirmation link has already been used."))
    if signup.created < timezone.now() - timedelta(days=settings.SIGNUP_TOKEN_DAYS):
        raise SignupLinkError(
            "expired",
            _("This confirmation link has expired: links work for %(days)d days.")
            % {"days": settings.SIGNUP_TOKEN_DAYS},
        )
    if signup.person.status == Person.Status.MERGED:
        raise SignupLinkError("merged", _("This sign-up belongs to a record that was merged into another."))
    if signup.person.status == Person.Status.INACTIVE:
        raise SignupLinkError(
            "inactive", _("This membership was ended by the alliance's staff; write to them to come back.")
        )
    return signup


def signup_confirm(*, token: str) -> Person:
    """Confirm a sign-up by its mailed token (a POST: the page's button); raises SignupLinkError.

    Applies what the visitor submitted to the person (the change is kept in the person's history),
    activates a pending person and makes them a member; once committed, sends `person_confirmed`
    (whose first receiver gives the newcomer their one welcome). The token is spent: a second use
    is refused.
    """
    with transaction.atomic():
        signup = signup_usable(token=token, lock=True)
        person = Person.objects.select_for_update().get(pk=signup.person_id)
        now = timezone.now()
        signup.confirmed = now
        signup.save(update_fields=["confirmed"])
        values = _person_values(signup.submitted) if signup.submitted else {}
        changed = [name for name, value in values.items() if getattr(person, name) != value]
        for name in changed:
            setattr(person, name, values[name])
        activated = person.status != Person.Status.ACTIVE or person.confirmed is None
        if activated:
            person.status = Person.Status.ACTIVE
            person.confirmed = person.confirmed or now
            changed += ["status", "confirmed"]
        if changed:
            person._change_reason = "Confirmed a sign-up"  # type: ignore[attr-defined]
            person.save(update_fields=changed)
        if not person.roles.filter(code=Role.MEMBER).exists():
            person.roles.add(*Role.objects.filter(code=Role.MEMBER))
        if activated:
            event_record(person=person, kind="network.person.confirmed", summary="Confirmed their email address")
        else:
            event_record(person=person, kind="network.signup.confirmed", summary="Confirmed a sign-up", fields=changed)
        transaction.on_commit(
            lambda: person_confirmed.send(sender=Person, person=person, signup=signup, first_time=activated)
        )
    return person

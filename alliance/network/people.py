"""Editing people: staff change anyone's record and roles; each member keeps their own profile.

Callers check permission ("network.person.edit" for staff edits; a member may only edit their own
profile). Every change is kept in the person's history (django-simple-history), role changes go on
their timeline, and staff edits are audited. Raises NetworkError for an address already taken.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alliance.core import audit
from alliance.network.models import Person, Role, Sector, State, Welcome
from alliance.network.services import (
    NetworkError,
    event_record,
    normalize_email,
    organization_named,
    welcome_enqueue,
)

# The error of a welcome held back because its newcomer was deactivated before it went out;
# reactivation finds the held welcome by it and sends it after all.
WELCOME_HELD = "Held: the newcomer was deactivated before it was sent."


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
    roles: set[str] | None = None,
) -> Person:
    """Add an active member on staff's word (no double opt-in, no welcome mail: staff know them),
    with their roles (membership always; `roles` adds others), in one transaction.

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
            actor_person = _person_of(actor)
            event_record(person=person, kind="network.person.created", summary="Added by staff", actor=actor_person)
            person_roles_set(person=person, codes=set(roles or ()), actor=actor)
    except IntegrityError as exc:  # the same address added meanwhile
        raise NetworkError(_("A person with this email address is already in the network.")) from exc
    audit.record("network.person.created", actor=actor, target=person, source=source)
    return person


def _person_of(actor) -> Person | None:
    """The member record of the user acting, for their name on a timeline."""
    return Person.objects.filter(user=actor).first() if getattr(actor, "is_authenticated", False) else None


def person_update(
    *,
    person: Person,
    first_name: str,
    last_name: str,
    email: str,
    state: State | None,
    sector: Sector | None,
    organization_name: str,
    title: str,
    interests: str,
    consent_to_email: bool,
    roles: list[str],
    actor,
) -> Person:
    """Staff edit of a person's record and roles; `actor` is the staff user."""
    email = normalize_email(email)
    if Person.objects.filter(email=email).exclude(pk=person.pk).exists():
        raise NetworkError(_("Another person in the network already has this email address."))
    organization = organization_named(name=organization_name, state=state, sector=sector)
    fields = {
        "first_name": first_name.strip(),
        "last_name": last_name.strip(),
        "email": email,
        "state": state,
        "sector": sector,
        "organization": organization,
        "title": title.strip(),
        "interests": interests.strip(),
        "consent_to_email": consent_to_email,
    }
    changed = [name for name, value in fields.items() if getattr(person, name) != value]
    try:
        with transaction.atomic():
            for name in changed:
                setattr(person, name, fields[name])
            if changed:
                person.save(update_fields=changed)
            person_roles_set(person=person, codes=set(roles), actor=actor)
    except IntegrityError as exc:  # the address was taken meanwhile
        raise NetworkError(_("Another person in the network already has this email address.")) from exc
    audit.record("network.person.updated", actor=actor, target=person, fields=changed)
    return person


def person_roles_set(*, person: Person, codes: set[str], actor) -> None:
    """Give `person` exactly these roles (membership always stays); the change goes on their timeline."""
    codes.add(Role.MEMBER)  # everyone in the network is a member; other roles come on top
    current = set(person.roles.values_list("code", flat=True))
    if codes == current:
        return
    roles = {role.code: role for role in Role.objects.filter(code__in=codes | current)}
    added, removed = sorted(codes - current), sorted(current - codes)
    person.roles.add(*(roles[code] for code in added))
    person.roles.remove(*(roles[code] for code in removed))
    words = [f"+{roles[code].name}" for code in added] + [f"−{roles[code].name}" for code in removed]
    event_record(
        person=person,
        kind="network.person.roles_changed",
        summary=f"Roles changed: {', '.join(words)}",  # timeline text is stored, in one language like the rest
        actor=_person_of(actor),
        added=added,
        removed=removed,
    )
    audit.record("network.person.roles_changed", actor=actor, target=person, added=added, removed=removed)


def person_profile_update(
    *,
    person: Person,
    title: str,
    organization_name: str,
    interests: str,
    consent_to_email: bool,
    signature: str,
    language: str | None = None,
) -> Person:
    """A member's edit of their own profile. Name, email, state and roles stay as they are:
    email changes go through the account's address verification, roles through staff."""
    organization = organization_named(name=organization_name, state=person.state, sector=person.sector)
    fields = {
        "title": title.strip(),
        "organization": organization,
        "interests": interests.strip(),
        "consent_to_email": consent_to_email,
        "signature": signature.strip(),
    }
    if language is not None:
        fields["language"] = language
    changed = [name for name, value in fields.items() if getattr(person, name) != value]
    for name in changed:
        setattr(person, name, fields[name])
    if changed:
        person.save(update_fields=changed)
    if "consent_to_email" in changed:
        event_record(
            person=person,
            kind="network.person.consent_changed",
            summary="Agreed to receive email" if consent_to_email else "Stopped receiving email",
            consent=consent_to_email,
        )
    return person


def person_email_change(*, person: Person, email: str, actor) -> Person:
    """Give a member the address their account has just verified (the account's email change).

    The caller has verified the address (allauth); `actor` is the member's own account. The old
    address stays in the person's history. Raises NetworkError when another person has it.
    """
    email = normalize_email(email)
    if email == person.email:
        return person
    if Person.objects.filter(email=email).exclude(pk=person.pk).exists():
        raise NetworkError(_("Another person in the network already has this email address."))
    old = person.email
    try:
        with transaction.atomic():
            person.email = email
            person._change_reason = "Verified a new address"  # type: ignore[attr-defined]
            person.save(update_fields=["email"])
    except IntegrityError as exc:  # taken meanwhile
        person.email = old
        raise NetworkError(_("Another person in the network already has this email address.")) from exc
    event_record(person=person, kind="network.person.email_changed", summary="Changed their email address")
    audit.record("network.person.email_changed", actor=actor, target=person)
    return person


def person_deactivate(*, person: Person, reason: str, actor) -> Person:
    """Take an active person out of the network, keeping everything of theirs for a reactivation.

    They leave the directory and the counts, their account loses every role (core.policy gives
    roles to active people only) and a welcome not yet sent is held. The caller checks permission
    ("network.person.deactivate"); the reason goes in the history, the timeline and the audit log.
    Raises NetworkError without a reason or for a person who is not active.
    """
    reason = " ".join(reason.split())
    if not reason:
        raise NetworkError(_("Say why this person is deactivated."))
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=person.pk)
        if person.status != Person.Status.ACTIVE:
            raise NetworkError(_("Only an active person can be deactivated."))
        person.status = Person.Status.INACTIVE
        person._change_reason = reason[:100]  # type: ignore[attr-defined]  # simple-history's reason
        person.save(update_fields=["status"])
        held = Welcome.objects.filter(person=person, status=Welcome.Status.PENDING).update(
            status=Welcome.Status.FAILED, error=WELCOME_HELD
        )
        event_record(
            person=person,
            kind="network.person.deactivated",
            summary=f"Deactivated: {reason}",
            actor=_person_of(actor),
            reason=reason,
            welcome_held=bool(held),
        )
        audit.record("network.person.deactivated", actor=actor, target=person, reason=reason)
    return person


def person_reactivate(*, person: Person, reason: str, actor) -> Person:
    """Bring a deactivated person back as they were: roles, organization, history, timeline.

    A welcome held at deactivation is sent now. The caller checks permission
    ("network.person.deactivate"). Raises NetworkError for a person who is not deactivated.
    """
    reason = " ".join(reason.split())
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=person.pk)
        if person.status != Person.Status.INACTIVE:
            raise NetworkError(_("Only a deactivated person can be reactivated."))
        person.status = Person.Status.ACTIVE
        person._change_reason = (reason or "Reactivated")[:100]  # type: ignore[attr-defined]
        person.save(update_fields=["status"])
        welcome = Welcome.objects.filter(
            person=person, status=Welcome.Status.FAILED, error=WELCOME_HELD, sent__isnull=True
        ).first()
        if welcome is not None:
            welcome.status, welcome.error, welcome.next_attempt = Welcome.Status.PENDING, "", timezone.now()
            welcome.save(update_fields=["status", "error", "next_attempt"])
            welcome_enqueue(welcome)
        event_record(
            person=person,
            kind="network.person.reactivated",
            summary=f"Reactivated: {reason}" if reason else "Reactivated",
            actor=_person_of(actor),
            reason=reason,
        )
        audit.record("network.person.reactivated", actor=actor, target=person, reason=reason)
    return person

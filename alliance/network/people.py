"""Editing people: staff change anyone's record and roles; each member keeps their own profile.

Callers check permission ("network.person.edit" for staff edits; a member may only edit their own
profile). Every change is kept in the person's history (django-simple-history), role changes go on
their timeline, and staff edits are audited. Raises NetworkError for an address already taken.
"""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from alliance.core import audit
from alliance.network.models import Person, Role, Sector, State
from alliance.network.services import NetworkError, event_record, normalize_email, organization_named


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
        actor=Person.objects.filter(user=actor).first() if getattr(actor, "is_authenticated", False) else None,
        added=added,
        removed=removed,
    )


def person_profile_update(
    *,
    person: Person,
    title: str,
    organization_name: str,
    interests: str,
    consent_to_email: bool,
    signature: str,
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

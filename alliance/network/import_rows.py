"""Storing an import's rows (the worker's part of importing.people_import_run), batch by batch:
each batch in one transaction that also moves the import's counters under its lease, so a run
killed mid-way resumes after its last committed batch, and rows read = stored + rejected holds
after every batch. People are matched by address (a merged-away address finds the kept person)
and organizations are found or created in bulk per batch.
"""
from collections.abc import Iterator
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_noop
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from alliance.network import services
from alliance.network.import_files import (
    Problem,
    Reference,
    column_index,
    data_rows,
    printable,
    row_clean,
    row_values,
)
from alliance.network.models import (
    Event,
    ImportRejection,
    Organization,
    PeopleImport,
    Person,
    PersonEmail,
    Role,
    Sector,
    State,
)

UPDATE_FIELDS = ["first_name", "last_name", "state", "organization", "sector", "title", "interests", "consent_to_email"]


class LeaseLost(Exception):
    """Another worker took the import over (ours was thought dead): stop without storing the batch."""


def rows_store(people_import: PeopleImport, rows: Iterator[list[str]], *, batch_size: int, on_progress) -> None:
    """Check every row of the file (header first) and store them batch by batch, after the rows an
    earlier run committed. Raises LeaseLost when another worker took the import over."""
    reference, seen, organizations = Reference.load(), dict[str, int](), dict[tuple, object]()
    done = people_import.rows_read  # rows committed by an earlier run: checked again, not stored
    batch: list[tuple[int, dict | None, list[Problem]]] = []
    header = next(rows, [])
    index = column_index(header, people_import.columns)
    for position, (row_number, cells) in enumerate(data_rows(rows)):
        clean, problems = row_clean(row_values(cells, index), row_number=row_number, reference=reference, seen=seen)
        if position < done:
            continue
        batch.append((row_number, clean, problems))
        if len(batch) >= batch_size:
            _batch_store(people_import, batch, organizations)
            batch = []
            if on_progress:
                on_progress(people_import)
    if batch:
        _batch_store(people_import, batch, organizations)
        if on_progress:
            on_progress(people_import)


def _batch_store(people_import: PeopleImport, batch: list, organizations: dict) -> None:
    """Store one batch and move the counters, all or nothing."""
    rejected = [problem for _number, _clean, problems in batch for problem in problems]
    valid = [(number, clean) for number, clean, _problems in batch if clean is not None]
    reason = f"import {people_import.pk}: {people_import.filename}"[:100]
    with transaction.atomic():
        existing = {
            p.email: p for p in Person.objects.select_for_update().filter(email__in=[c["email"] for _n, c in valid])
        }
        _add_extra_addresses(existing, [c["email"] for _n, c in valid])
        _organizations_resolve([clean for _n, clean in valid], organizations)
        new, changed, events = [], [], []
        for number, clean in valid:
            person = existing.get(clean["email"])
            if person is not None and person.status == Person.Status.MERGED:
                rejected.append(
                    Problem(number, "email", clean["email"], gettext_noop("email belongs to a merged record"))
                )
                continue
            fields = _person_fields(clean, organizations)
            if person is None:
                new.append(
                    Person(email=clean["email"], source=Person.Source.IMPORT, status=Person.Status.ACTIVE, **fields)
                )
            else:
                changes = [name for name, value in fields.items() if getattr(person, name) != value]
                for name in changes:
                    setattr(person, name, fields[name])
                changed.append(person)
                if changes:
                    events.append(Event(person=person, kind="network.person.import_updated",
                                        summary=f"Updated by the import of {people_import.filename}"[:300],
                                        data={"import": people_import.pk, "fields": changes,
                                              "filename": people_import.filename}))  # fmt: skip
        created = bulk_create_with_history(new, Person, default_change_reason=reason) if new else []
        if changed:
            bulk_update_with_history(changed, Person, fields=UPDATE_FIELDS, default_change_reason=reason)
        Person.roles.through.objects.bulk_create(
            [Person.roles.through(person_id=p.pk, role_id=Role.MEMBER) for p in created], ignore_conflicts=True
        )
        events += [
            Event(person=p, kind="network.person.imported", summary=f"Imported from {people_import.filename}"[:300],
                  data={"import": people_import.pk, "filename": people_import.filename})
            for p in created
        ]  # fmt: skip
        Event.objects.bulk_create(events)
        ImportRejection.objects.bulk_create(
            ImportRejection(people_import=people_import, row_number=p.row_number, field=p.field,
                            value=printable(p.value[:300]), reason=p.reason[:300])
            for p in rejected
        )  # fmt: skip
        # Only while our lease holds, and renewing it: a worker thought dead must not store twice.
        lease = timezone.now() + timedelta(seconds=settings.IMPORT_LEASE_SECONDS)
        held = PeopleImport.objects.filter(pk=people_import.pk, lease_until=people_import.lease_until).update(
            lease_until=lease,
            rows_read=F("rows_read") + len(batch),
            rows_created=F("rows_created") + len(created),
            rows_updated=F("rows_updated") + len(changed),
            rows_rejected=F("rows_rejected") + len({p.row_number for p in rejected}),
        )
        if held != 1:
            raise LeaseLost
    people_import.refresh_from_db()


def _add_extra_addresses(existing: dict, emails: list[str]) -> None:
    """Map each address that is another address of a person (kept from a merged record) to them."""
    unknown = [e for e in emails if e not in existing or existing[e].status == Person.Status.MERGED]
    owners = dict(PersonEmail.objects.filter(email__in=unknown).values_list("email", "person_id"))
    people = Person.objects.select_for_update().in_bulk(set(owners.values()))
    existing.update({email: people[pk] for email, pk in owners.items() if pk in people})


def _organizations_resolve(rows: list[dict], organizations: dict) -> None:
    """Find the batch's organizations in one query and create the new ones in one insert.

    One at a time, finding or creating organizations took 44% of a large import. `organizations`
    maps (lower-case name, state) to the Organization and lives for the whole run. When the insert
    meets an organization created meanwhile (a sign-up) or one whose name folds differently in the
    database, each is found or created one by one as before.
    """
    wanted: dict[tuple, dict] = {}
    for clean in rows:
        key = _organization_key(clean)
        if key and key not in organizations:
            wanted.setdefault(key, clean)
    if not wanted:
        return
    lowered = Organization.objects.annotate(lower_name=Lower("name")).select_related("merged_into")
    for organization in lowered.filter(lower_name__in={name for name, _state in wanted}):
        key = (organization.name.lower(), organization.state_id)
        if key in wanted:
            # A name merged into another organization leads to the one kept (as in sign-ups).
            organizations[key] = organization.merged_into or organization
            del wanted[key]
    new = [
        Organization(name=clean["organization"], state_id=clean["state_id"], sector_id=clean["sector_id"])
        for clean in wanted.values()
    ]
    try:
        with transaction.atomic():
            created = bulk_create_with_history(new, Organization, default_change_reason="import")
    except IntegrityError:
        created = [_organization_get_or_create(clean) for clean in wanted.values()]
    for organization in created:
        organizations[(organization.name.lower(), organization.state_id)] = organization
    for key, clean in wanted.items():  # a name the database folds differently: as before
        if key not in organizations:
            organizations[key] = _organization_get_or_create(clean)


def _organization_key(clean: dict) -> tuple | None:
    return (clean["organization"].lower(), clean["state_id"]) if clean["organization"] else None


def _organization_get_or_create(clean: dict) -> Organization:
    return services.organization_get_or_create(
        name=clean["organization"],
        state=State(code=clean["state_id"]) if clean["state_id"] else None,
        sector=Sector(slug=clean["sector_id"]) if clean["sector_id"] else None,
    )


def _person_fields(clean: dict, organizations: dict) -> dict:
    """The Person fields a row sets; blank cells leave what an existing person has."""
    fields = {name: clean[name] for name in ("first_name", "last_name", "title", "interests") if clean[name]}
    if clean["state_id"]:
        fields["state_id"] = clean["state_id"]
    if clean["sector_id"]:
        fields["sector_id"] = clean["sector_id"]
    if clean["consent_to_email"] is not None:
        fields["consent_to_email"] = clean["consent_to_email"]
    if key := _organization_key(clean):
        if key not in organizations:
            organizations[key] = _organization_get_or_create(clean)
        fields["organization"] = organizations[key]
    return fields

"""Merging duplicate people, and undoing a merge.

A merge keeps everything of both records on the kept one. The network's own rows that point at
the removed person (timeline events, sign-ups, roles, a welcome, welcomes they sent) are
re-pointed, found through Django's model metadata. Every other app's rows are moved by that app:
it registers a handler for each of its foreign keys to Person (`person_rows_register`, usually in
its AppConfig.ready), which moves the rows through the app's own services and returns a record of
what it moved; undo hands the record back. A foreign key nobody handles stops the merge (and a
test names it), so no row is left pointing at a merged-away record. The removed record is not
deleted: it is marked MERGED with `merged_into`, keeps its email, and the merge records what it
moved in `PersonMerge.snapshot`, which is what makes the undo exact.

After commit, `people_merged` / `merge_undone` (network.signals) tell whoever cares.

Callers check permission (policy action "network.people.merge"); these functions audit the write.
They raise NetworkError for a merge or undo that cannot be done.
"""

from typing import Any, Protocol, cast

from django.apps import apps
from django.db import IntegrityError, transaction
from django.db.models import Field, ForeignObjectRel, Model, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.models import HistoricalChanges

from alliance.core import audit
from alliance.network.duplicates import duplicate_pairs_forget
from alliance.network.models import DistinctPair, DuplicatePair, Event, Person, PersonEmail, PersonMerge
from alliance.network.services import NetworkError, event_record
from alliance.network.signals import merge_undone, people_merged

# Fields never copied from the removed person onto the kept one: identity and bookkeeping.
NOT_FILLED = {"id", "email", "status", "merged_into", "user", "source", "consent_to_email", "joined"}


def _field(model: type[Model], name: str) -> Field:
    return cast(Field, model._meta.get_field(name))


class PersonRowsHandler(Protocol):
    """How an app moves its rows that point at people when two people are merged."""

    def merge(self, *, kept: Person, removed: Person) -> Any:
        """Move the rows of `removed` to `kept`; return a JSON-serializable record of what moved."""

    def undo(self, *, kept: Person, removed: Person, record: Any) -> None:
        """Put back what `merge` moved, as told by its record."""


class RepointRows:
    """The plain handler: re-point the rows, and on undo point exactly those rows back.

    A row the kept person already has an equivalent of (a unique constraint) stays behind.
    """

    def __init__(self, model: type[Model], field_name: str):
        self.model, self.field = model, _field(model, field_name)

    def merge(self, *, kept: Person, removed: Person) -> list[int]:
        moved, _left = _move_rows(model=self.model, field=self.field, source=removed, target=kept)
        return moved

    def undo(self, *, kept: Person, removed: Person, record: list[int]) -> None:
        self.model._base_manager.filter(pk__in=record, **{self.field.attname: kept.pk}).update(
            **{self.field.attname: removed.pk}
        )


_handlers: dict[str, PersonRowsHandler] = {}


def _key(model: type[Model], field_name: str) -> str:
    return f"{model._meta.label_lower}.{field_name}"


def person_rows_register(model: type[Model], field_name: str, handler: PersonRowsHandler | None = None) -> None:
    """Declare how `model.field_name` (a foreign key to Person outside the network) follows a merge.

    Without a handler its rows are simply re-pointed (RepointRows). Safe to call twice.
    """
    _handlers[_key(model, field_name)] = handler or RepointRows(model, field_name)


def relations_unhandled() -> list[str]:
    """Foreign keys to Person of other apps that no handler moves (a merge would refuse)."""
    return [
        _key(model, field.name)
        for model, field in _relations()
        if model._meta.app_label != Person._meta.app_label and _key(model, field.name) not in _handlers
    ]


def _relations() -> list[tuple[type[Model], Field]]:
    """(model, foreign key) for every row that can point at a person, bar history and merges.

    Includes the hidden ones (`related_name="+"`, like Event.actor) and the rows of many-to-many
    tables (Person.roles), which appear here as foreign keys of their through tables.
    """
    found = []
    for rel in Person._meta.get_fields(include_hidden=True):
        if not isinstance(rel, ForeignObjectRel) or rel.many_to_many:
            continue
        model = cast(type[Model], rel.related_model)
        if model in (PersonMerge, DistinctPair, DuplicatePair) or issubclass(model, HistoricalChanges):
            # A merge's own record and history stay as they were written; a judgement that two
            # records differ was about those two records, not about whoever absorbs one of them;
            # likely-duplicate pairs of the removed record are dropped, not moved.
            continue
        found.append((model, cast(Field, rel.field)))
    return found


def _move_rows(*, model: type[Model], field: Field, source: Model, target: Model) -> tuple[list[int], list[int]]:
    """Point `model` rows at `target` instead of `source`; return (moved pks, pks left behind).

    A row the target already has an equivalent of (the same role; a second welcome, when the field
    is one-to-one) would break a unique constraint: it stays with the source, where undo finds it.
    """
    manager = model._base_manager
    pks = list(manager.filter(**{field.attname: source.pk}).values_list("pk", flat=True))
    if not pks:
        return [], []
    if field.unique and manager.filter(**{field.attname: target.pk}).exists():
        return [], pks
    try:
        with transaction.atomic():
            manager.filter(pk__in=pks).update(**{field.attname: target.pk})
        return pks, []
    except IntegrityError:
        pass
    moved, left = [], []
    for pk in pks:  # one at a time, to keep every row that does not collide
        try:
            with transaction.atomic():
                manager.filter(pk=pk).update(**{field.attname: target.pk})
            moved.append(pk)
        except IntegrityError:
            left.append(pk)
    return moved, left


def _as_json(field, person: Person):
    value = field.value_from_object(person)
    return None if value is None else field.value_to_string(person)


def _fill_fields(*, kept: Person, removed: Person) -> dict[str, list]:
    """Fill the kept person's blank fields from the removed one; {field: [before, after]}."""
    changed: dict[str, list] = {}
    for field in Person._meta.concrete_fields:
        if field.name in NOT_FILLED:
            continue
        mine, theirs = field.value_from_object(kept), field.value_from_object(removed)
        if mine in (None, "") and theirs not in (None, ""):
            before = _as_json(field, kept)
            setattr(kept, field.attname, theirs)
            changed[field.name] = [before, _as_json(field, kept)]
    if removed.joined < kept.joined:  # they have been with us since the earlier date
        joined = _field(Person, "joined")
        before = _as_json(joined, kept)
        kept.joined = removed.joined
        changed["joined"] = [before, _as_json(joined, kept)]
    return changed


def _locked(*pks: int) -> dict[int, Person]:
    return {p.pk: p for p in Person.objects.select_for_update().filter(pk__in=pks)}


def person_merge(*, kept: Person, removed: Person, actor) -> PersonMerge:
    """Merge `removed` into `kept`: move every row of `removed` to `kept`, fill kept's blanks.

    `actor` is the User doing it (audited). Raises NetworkError for a person merged with itself
    or with a record already merged into another.
    """
    if kept.pk == removed.pk:
        raise NetworkError(_("A person cannot be merged with themselves."))
    with transaction.atomic():
        people = _locked(kept.pk, removed.pk)
        kept, removed = people[kept.pk], people[removed.pk]
        if Person.Status.MERGED in (kept.status, removed.status):
            raise NetworkError(_("One of these records was already merged into another."))
        unhandled = relations_unhandled()
        if unhandled:
            raise NetworkError(_("No merge handler for %(models)s.") % {"models": ", ".join(unhandled)})
        moved, left, handled = [], [], {}
        for model, field in _relations():
            key = _key(model, field.name)
            if key in _handlers:
                handled[key] = _handlers[key].merge(kept=kept, removed=removed)
                continue
            moved_pks, left_pks = _move_rows(model=model, field=field, source=removed, target=kept)
            if moved_pks:
                moved.append({"model": model._meta.label_lower, "field": field.name, "pks": moved_pks})
            if left_pks:
                left.append({"model": model._meta.label_lower, "field": field.name, "pks": left_pks})
        fields = _fill_fields(kept=kept, removed=removed)
        user_id = None
        if kept.user_id is None and removed.user_id is not None:
            user_id, removed.user = removed.user_id, None
            removed.save(update_fields=["user"])  # the account is unique: free it first
            kept.user_id = user_id
        kept.save(update_fields=[*(_field(Person, name).attname for name in fields), "user"])
        snapshot = {
            "removed": {"status": removed.status, "merged_into": removed.merged_into_id},
            "fields": fields,
            "user": user_id,
            "moved": moved,
            "left": left,
            "handled": handled,
            "extra_email": _extra_email_add(kept=kept, email=removed.email),
        }
        removed.status, removed.merged_into = Person.Status.MERGED, kept
        removed.save(update_fields=["status", "merged_into"])
        event = event_record(
            person=kept,
            kind="network.person.merged",
            summary=f"Merged with a duplicate record: {removed.full_name} <{removed.email}>",
            actor=Person.objects.filter(user=actor).first() if getattr(actor, "is_authenticated", False) else None,
            removed=removed.pk,
            name=removed.full_name,
            email=removed.email,
        )
        snapshot["event"] = event.pk
        merge = PersonMerge.objects.create(kept=kept, removed=removed, actor=actor, snapshot=snapshot)
        duplicate_pairs_forget(people=[removed.pk])  # gone from the duplicates page at once
        audit.record("network.person.merged", actor=actor, target=kept, removed=removed.pk, merge=merge.pk)
        transaction.on_commit(lambda: people_merged.send(sender=Person, kept=kept, removed=removed, merge=merge))
    return merge


def _extra_email_add(*, kept: Person, email: str) -> int | None:
    """Keep the merged-away address as a second address of the kept person; its pk, for undo."""
    if email == kept.email or PersonEmail.objects.filter(email=email).exists():
        return None
    return PersonEmail.objects.create(person=kept, email=email).pk


def merge_preview(*, kept: Person, removed: Person) -> dict:
    """What merging `removed` into `kept` would do, for staff to confirm: the rows that would move
    (by kind, with counts), the kept person's blank fields that would be filled, the address kept."""
    moves = []
    for model, field in _relations():
        count = model._base_manager.filter(**{field.attname: removed.pk}).count()
        if count:
            moves.append({"what": f"{model._meta.verbose_name_plural} ({field.verbose_name})", "count": count})
    filled = _fill_fields(kept=Person.objects.get(pk=kept.pk), removed=removed)  # a copy: nothing is saved
    return {
        "moves": moves,
        "filled": [str(_field(Person, name).verbose_name) for name in filled],
        "extra_email": removed.email if removed.email != kept.email else None,
    }


def merge_blocker(merge: PersonMerge) -> PersonMerge | None:
    """The later, standing merge that touched the same people, which must be undone first."""
    people = [merge.kept_id, merge.removed_id]
    return (
        PersonMerge.objects.filter(pk__gt=merge.pk, undone__isnull=True)
        .filter(Q(kept__in=people) | Q(removed__in=people))
        .order_by("-pk")
        .first()
    )


def person_merge_undo(*, merge: PersonMerge, actor) -> PersonMerge:
    """Undo a merge: rows go back to the removed person, kept's filled fields are blanked again,
    the removed person's status returns. Rows added to the kept person since stay with them,
    and a field staff changed since the merge keeps the change.

    Raises NetworkError when already undone, or when a later merge touched the same people.
    """
    with transaction.atomic():
        merge = PersonMerge.objects.select_for_update().get(pk=merge.pk)
        if merge.undone:
            raise NetworkError(_("This merge was already undone."))
        if merge_blocker(merge) is not None:
            raise NetworkError(_("A later merge involved these people; undo that one first."))
        people = _locked(merge.kept_id, merge.removed_id)
        kept, removed = people[merge.kept_id], people[merge.removed_id]
        snapshot = merge.snapshot
        for entry in snapshot["moved"]:
            model = apps.get_model(entry["model"])
            field = _field(model, entry["field"])
            model._base_manager.filter(pk__in=entry["pks"], **{field.attname: kept.pk}).update(
                **{field.attname: removed.pk}
            )
        for key, record in snapshot.get("handled", {}).items():
            _handlers[key].undo(kept=kept, removed=removed, record=record)
        restored = []
        for name, (before, after) in snapshot["fields"].items():
            field = _field(Person, name)
            if _as_json(field, kept) == after:
                setattr(kept, field.attname, None if before is None else field.to_python(before))
                restored.append(field.attname)
        if snapshot["user"] and kept.user_id == snapshot["user"]:
            kept.user = None
            restored.append("user")
        kept.save(update_fields=restored)
        removed.status = snapshot["removed"]["status"]
        removed.merged_into_id = snapshot["removed"]["merged_into"]
        if "user" in restored:
            removed.user_id = snapshot["user"]
        removed.save(update_fields=["status", "merged_into", "user"])
        Event.objects.filter(pk=snapshot.get("event"), kind="network.person.merged").delete()
        PersonEmail.objects.filter(pk=snapshot.get("extra_email"), person=kept).delete()
        merge.undone = timezone.now()
        merge.save(update_fields=["undone"])
        audit.record("network.merge.undone", actor=actor, target=removed, kept=kept.pk, merge=merge.pk)
        transaction.on_commit(lambda: merge_undone.send(sender=Person, kept=kept, removed=removed, merge=merge))
    return merge


def people_merge_batch(*, pairs: list[tuple[int, int]], actor) -> tuple[list[PersonMerge], list[str]]:
    """Merge each (kept id, removed id) pair; return the merges and why any pair was skipped.

    Each pair is its own merge (each can be undone). When an earlier pair of the batch merged the
    kept person into someone else, the pair merges into that someone instead.
    """
    merges: list[PersonMerge] = []
    skipped: list[str] = []
    for kept_id, removed_id in pairs:
        kept = Person.objects.filter(pk=kept_id).first()
        removed = Person.objects.filter(pk=removed_id).first()
        while kept is not None and kept.status == Person.Status.MERGED and kept.merged_into_id:
            kept = Person.objects.filter(pk=kept.merged_into_id).first()
        if kept is None or removed is None:
            skipped.append(f"{kept_id} and {removed_id}: no such person")
            continue
        try:
            merges.append(person_merge(kept=kept, removed=removed, actor=actor))
        except NetworkError as exc:
            skipped.append(f"{kept.full_name} and {removed.full_name}: {exc}")
    return merges, skipped


def people_mark_distinct(*, a: Person, b: Person, actor) -> DistinctPair:
    """Record that `a` and `b` are different people, so they are no longer offered as duplicates.

    The caller checks permission ("network.people.merge"). Raises NetworkError for one person twice.
    """
    if a.pk == b.pk:
        raise NetworkError(_("A person cannot be a different person from themselves."))
    first, second = sorted([a.pk, b.pk])
    pair, created = DistinctPair.objects.get_or_create(first_id=first, second_id=second, defaults={"decided_by": actor})
    DuplicatePair.objects.filter(first_id=first, second_id=second).delete()
    if created:
        audit.record("network.people.marked_distinct", actor=actor, target=a, other=b.pk)
    return pair

"""Organizations: staff edit them, find likely duplicates, merge two and undo the last merge.

Services (writes) and selectors (reads) for organizations. A merge moves every row that points at
the removed organization (its people, and whatever later apps add) to the kept one, found through
model metadata as people's merges are (network/merging.py). The removed organization is kept,
marked `merged_into`: its name stays reserved, so a sign-up or an import that types it lands on
the kept organization (services.organization_get_or_create follows the mark).

Callers check permission ("network.organization.edit", "network.organizations.merge"); these
functions audit the write and raise NetworkError for a change that cannot be made.
"""

import re
import unicodedata
from collections import defaultdict
from typing import cast

from django.apps import apps
from django.db import IntegrityError, transaction
from django.db.models import Count, Field, ForeignObjectRel, Model, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.models import HistoricalChanges

from alliance.core import audit, policy
from alliance.network.merging import _move_rows
from alliance.network.models import Organization, OrganizationMerge, Person, Sector, State
from alliance.network.services import NetworkError

# Fields filled on the kept organization from the removed one when blank on the kept one.
FILLED = ["sector", "website"]


def organization_update(
    *, organization: Organization, name: str, state: State | None, sector: Sector | None, website: str, actor
) -> Organization:
    """Staff edit of an organization; every version stays in its history.

    Raises NetworkError when another organization in that state has the name (merge them instead).
    """
    name = " ".join(name.split())
    if not name:
        raise NetworkError(_("An organization needs a name."))
    taken = _("Another organization in that state already has this name: merge the two instead.")
    if Organization.objects.filter(name__iexact=name, state=state).exclude(pk=organization.pk).exists():
        raise NetworkError(taken)
    fields = {"name": name, "state": state, "sector": sector, "website": website.strip()}
    changed = [key for key, value in fields.items() if getattr(organization, key) != value]
    if not changed:
        return organization
    try:
        with transaction.atomic():
            for key in changed:
                setattr(organization, key, fields[key])
            organization.save(update_fields=changed)
    except IntegrityError as exc:  # the name was taken meanwhile
        raise NetworkError(taken) from exc
    audit.record("network.organization.updated", actor=actor, target=organization, fields=changed)
    return organization


def _relations() -> list[tuple[type[Model], Field]]:
    """(model, foreign key) for every row that can point at an organization, bar history and merges."""
    found = []
    for rel in Organization._meta.get_fields(include_hidden=True):
        if not isinstance(rel, ForeignObjectRel) or rel.many_to_many:
            continue
        model = cast(type[Model], rel.related_model)
        if model is OrganizationMerge or issubclass(model, HistoricalChanges):
            continue  # a merge's own record and history stay as they were written
        found.append((model, cast(Field, rel.field)))
    return found


def _value(organization: Organization, name: str):
    field = cast(Field, Organization._meta.get_field(name))
    value = field.value_from_object(organization)
    return None if value in (None, "") else value


def organization_merge(*, kept: Organization, removed: Organization, actor) -> OrganizationMerge:
    """Merge `removed` into `kept`: its people and every other row move; kept's blanks are filled.

    `actor` is the staff user (audited). Raises NetworkError for one organization twice or one
    already merged.
    """
    if kept.pk == removed.pk:
        raise NetworkError(_("An organization cannot be merged with itself."))
    with transaction.atomic():
        locked = Organization.objects.select_for_update().in_bulk([kept.pk, removed.pk])
        kept, removed = locked[kept.pk], locked[removed.pk]
        if kept.merged_into_id or removed.merged_into_id:
            raise NetworkError(_("One of these organizations was already merged into another."))
        moved, left = [], []
        for model, field in _relations():
            moved_pks, left_pks = _move_rows(model=model, field=field, source=removed, target=kept)
            if moved_pks:
                moved.append({"model": model._meta.label_lower, "field": field.name, "pks": moved_pks})
            if left_pks:
                left.append({"model": model._meta.label_lower, "field": field.name, "pks": left_pks})
        filled = {}
        for name in FILLED:
            attname = cast(Field, Organization._meta.get_field(name)).attname
            if _value(kept, name) is None and _value(removed, name) is not None:
                filled[attname] = getattr(kept, attname)
                setattr(kept, attname, getattr(removed, attname))
        kept.save(update_fields=list(filled))
        removed.merged_into = kept
        removed.save(update_fields=["merged_into"])
        snapshot = {"fields": filled, "moved": moved, "left": left}
        merge = OrganizationMerge.objects.create(kept=kept, removed=removed, actor=actor, snapshot=snapshot)
        audit.record("network.organization.merged", actor=actor, target=kept, removed=removed.pk, merge=merge.pk)
    return merge


def organization_merge_blocker(merge: OrganizationMerge) -> OrganizationMerge | None:
    """The later, standing merge that touched the same organizations, which must be undone first."""
    both = [merge.kept_id, merge.removed_id]
    return (
        OrganizationMerge.objects.filter(pk__gt=merge.pk, undone__isnull=True)
        .filter(Q(kept__in=both) | Q(removed__in=both))
        .order_by("-pk")
        .first()
    )


def organization_merge_undo(*, merge: OrganizationMerge, actor) -> OrganizationMerge:
    """Undo a merge: the moved rows go back, the filled fields are blanked again (unless changed
    since), and the removed organization is an organization of its own again. People who joined
    the kept organization since stay there.

    Raises NetworkError when already undone or when a later merge touched the same organizations.
    """
    with transaction.atomic():
        merge = OrganizationMerge.objects.select_for_update().get(pk=merge.pk)
        if merge.undone:
            raise NetworkError(_("This merge was already undone."))
        if organization_merge_blocker(merge) is not None:
            raise NetworkError(_("A later merge involved these organizations; undo that one first."))
        locked = Organization.objects.select_for_update().in_bulk([merge.kept_id, merge.removed_id])
        kept, removed = locked[merge.kept_id], locked[merge.removed_id]
        for entry in merge.snapshot["moved"]:
            model = apps.get_model(entry["model"])
            attname = cast(Field, model._meta.get_field(entry["field"])).attname
            model._base_manager.filter(pk__in=entry["pks"], **{attname: kept.pk}).update(**{attname: removed.pk})
        restored = []
        for attname, before in merge.snapshot["fields"].items():
            if getattr(kept, attname) == getattr(removed, attname):  # not changed by staff since
                setattr(kept, attname, before)
                restored.append(attname)
        kept.save(update_fields=restored)
        removed.merged_into = None
        removed.save(update_fields=["merged_into"])
        merge.undone = timezone.now()
        merge.save(update_fields=["undone"])
        audit.record("network.organization.merge_undone", actor=actor, target=removed, kept=kept.pk, merge=merge.pk)
    return merge


# Spellings staff type for the same word; and words that do not tell organizations apart.
ABBREVIATIONS = {
    "univ": "university",
    "coll": "college",
    "dept": "department",
    "ctr": "center",
    "centre": "center",
    "assn": "association",
    "assoc": "association",
    "sch": "school",
    "dist": "district",
    "inst": "institute",
    "natl": "national",
    "intl": "international",
    "mt": "mount",
    "ft": "fort",
    "cmty": "community",
}
IGNORED = {"the", "inc", "llc", "ltd", "corp", "corporation", "incorporated", "co"}


def organization_name_key(name: str) -> str:
    """A name reduced to what identifies it: "Boise State Univ." and "boise state university" match."""
    text = unicodedata.normalize("NFKD", name.replace("&", " and ")).encode("ascii", "ignore").decode().lower()
    words = [ABBREVIATIONS.get(word, word) for word in re.findall(r"[a-z0-9]+", text)]
    return " ".join(word for word in words if word not in IGNORED)


def organization_duplicate_groups() -> list[list[Organization]]:
    """Organizations of one state whose names reduce to the same key; each group's first
    organization is the one with the most active members (the likely one to keep)."""
    keys: dict[tuple, list[int]] = defaultdict(list)
    for pk, name, state in Organization.objects.filter(merged_into__isnull=True).values_list("pk", "name", "state"):
        keys[(state, organization_name_key(name))].append(pk)
    pks = [pk for group in keys.values() if len(group) > 1 for pk in group]
    found = organization_list().in_bulk(pks)
    groups = [
        sorted((found[pk] for pk in group), key=lambda o: (-o.members, o.pk))  # type: ignore[attr-defined]
        for group in keys.values()
        if len(group) > 1
    ]
    return sorted(groups, key=lambda g: (g[0].state_id or "", g[0].name.lower()))


def organization_list() -> QuerySet[Organization]:
    """Organizations not merged away, each with its count of active members as `members`."""
    return (
        Organization.objects.filter(merged_into__isnull=True)
        .select_related("state", "sector")
        .annotate(members=Count("people", filter=Q(people__status=Person.Status.ACTIVE)))
    )


def organization_changes(*, organization: Organization) -> QuerySet:
    return organization.history.select_related("history_user").order_by("-history_date", "-history_id")


def organization_merge_recent() -> list[OrganizationMerge]:
    """The latest organization merges, each marked `can_undo` when no later merge stands in the way."""
    merges = list(OrganizationMerge.objects.select_related("kept", "removed", "actor")[:20])
    for merge in merges:
        merge.can_undo = merge.undone is None and organization_merge_blocker(merge) is None  # type: ignore[attr-defined]
    return merges


def access_organization_for_edit(*, user, organization_id: int) -> Organization:
    policy.require(user, "network.organization.edit")
    organization = Organization.objects.filter(pk=organization_id, merged_into__isnull=True).first()
    if organization is None:
        raise Http404("No such organization")
    return organization


def access_organization_merge(*, user, merge_id: int) -> OrganizationMerge:
    policy.require(user, "network.organizations.merge")
    merge = OrganizationMerge.objects.select_related("kept", "removed").filter(pk=merge_id).first()
    if merge is None:
        raise Http404("No such merge")
    return merge

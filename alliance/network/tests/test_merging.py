from datetime import timedelta

import pytest
from django.utils import timezone

from alliance.core.models import AuditEntry
from alliance.network import merging
from alliance.network.models import Event, Organization, Person, PersonMerge, Role, Signup, Welcome
from alliance.network.services import NetworkError, event_record
from alliance.testing.fixtures import make_person


def state_of(person: Person) -> dict:
    """Everything a merge may touch of one person, in comparable form."""
    person.refresh_from_db()
    return {
        "fields": {f.attname: getattr(person, f.attname) for f in Person._meta.concrete_fields},
        "events": set(person.events.values_list("pk", flat=True)),
        "acted": set(Event.objects.filter(actor=person).values_list("pk", flat=True)),
        "roles": set(person.roles.values_list("code", flat=True)),
        "signups": set(person.signups.values_list("pk", flat=True)),
        "welcome": Welcome.objects.filter(person=person).values_list("pk", flat=True).first(),
        "sent": set(Welcome.objects.filter(sender=person).values_list("pk", flat=True)),
    }


@pytest.fixture
def pair(alice, sam, django_user_model):
    """Rosa twice: signed up on the web (with an account, a welcome, a sign-up) and imported
    by staff later with a title and an organization, as a steering committee member."""
    web = make_person(first_name="Rosa", last_name="Quintana", state="NM", title="")
    web.joined = timezone.now() - timedelta(days=30)
    web.user = django_user_model.objects.create_user(username="rosa", email="rosa@example.org")
    web.save(update_fields=["joined", "user"])
    imported = make_person(
        first_name="Rosa",
        last_name="Quintanna",
        state="NM",
        title="CTE coordinator",
        organization=Organization.objects.create(name="Albuquerque Public Schools", state_id="NM"),
        roles=[Role.STEERING],
    )
    event_record(person=web, kind="network.signup.received", summary="Signed up on the join page")
    event_record(person=imported, kind="network.person.imported", summary="Imported")
    Signup.objects.create(person=web, token="t-web")
    Welcome.objects.create(person=web, sender=sam)
    newcomer = make_person(first_name="Newt", last_name="Comer", state="NM")
    Welcome.objects.create(person=newcomer, sender=imported)
    event_record(person=newcomer, kind="network.welcome.sent", summary="Welcomed", actor=imported)
    return web, imported


def test_it_keeps_both_timelines_roles_and_memberships_on_the_kept_person(pair, alice):
    web, imported = pair
    before_web, before_imported = state_of(web), state_of(imported)

    merge = merging.person_merge(kept=web, removed=imported, actor=alice.user)

    after = state_of(web)
    assert before_web["events"] | before_imported["events"] < after["events"]  # plus the merge event
    assert after["roles"] == {Role.MEMBER, Role.STEERING}
    assert after["signups"] == before_web["signups"]
    assert after["welcome"] == before_web["welcome"]
    assert after["sent"] == before_imported["sent"]  # the newcomer Rosa welcomed
    assert after["acted"] == before_imported["acted"] != set()
    assert after["fields"]["title"] == "CTE coordinator"
    assert after["fields"]["organization_id"] == imported.organization_id
    imported.refresh_from_db()
    assert imported.status == Person.Status.MERGED
    assert imported.merged_into == web
    assert imported.email == before_imported["fields"]["email"]
    assert web.events.filter(kind="network.person.merged").count() == 1
    assert AuditEntry.objects.filter(action="network.person.merged", target_id=str(web.pk)).count() == 1
    assert merge.snapshot["fields"]["title"] == ["", "CTE coordinator"]


def test_it_moves_the_account_and_the_welcome_when_the_kept_person_has_none(pair, alice):
    web, imported = pair
    user_id, welcome_id = web.user_id, web.welcome.pk

    merging.person_merge(kept=imported, removed=web, actor=alice.user)

    imported.refresh_from_db()
    web.refresh_from_db()
    assert imported.user_id == user_id
    assert web.user_id is None
    assert imported.welcome.pk == welcome_id
    assert imported.joined == web.joined  # a member since the earlier date
    assert set(imported.roles.values_list("code", flat=True)) == {Role.MEMBER, Role.STEERING}


@pytest.mark.parametrize("keep_web", [True, False])
def test_it_restores_both_people_exactly_on_undo(pair, alice, keep_web):
    web, imported = pair
    kept, removed = (web, imported) if keep_web else (imported, web)
    before = state_of(kept), state_of(removed)
    merge = merging.person_merge(kept=kept, removed=removed, actor=alice.user)

    merging.person_merge_undo(merge=merge, actor=alice.user)

    assert (state_of(kept), state_of(removed)) == before
    merge.refresh_from_db()
    assert merge.undone is not None
    assert AuditEntry.objects.filter(action="network.merge.undone", target_id=str(removed.pk)).count() == 1


def test_it_leaves_a_second_welcome_with_the_removed_person_and_restores_it(pair, alice, sam):
    web, imported = pair
    second = Welcome.objects.create(person=imported, sender=sam)
    merge = merging.person_merge(kept=web, removed=imported, actor=alice.user)
    assert Welcome.objects.get(pk=second.pk).person_id == imported.pk
    assert {"model": "network.welcome", "field": "person", "pks": [second.pk]} in merge.snapshot["left"]
    merging.person_merge_undo(merge=merge, actor=alice.user)
    assert Welcome.objects.get(person=web).pk != second.pk
    assert Welcome.objects.get(person=imported).pk == second.pk


def test_it_keeps_what_happened_after_the_merge_on_undo(pair, alice):
    web, imported = pair
    merge = merging.person_merge(kept=web, removed=imported, actor=alice.user)
    later = event_record(person=web, kind="network.note.added", summary="Called after the merge")
    web.refresh_from_db()
    web.title = "Director of CTE"
    web.save(update_fields=["title"])

    merging.person_merge_undo(merge=merge, actor=alice.user)

    web.refresh_from_db()
    assert later.pk in set(web.events.values_list("pk", flat=True))
    assert web.title == "Director of CTE"


def test_it_refuses_to_merge_a_person_with_itself_or_an_already_merged_one(pair, alice):
    web, imported = pair
    with pytest.raises(NetworkError):
        merging.person_merge(kept=web, removed=web, actor=alice.user)
    merging.person_merge(kept=web, removed=imported, actor=alice.user)
    third = make_person(first_name="Rosa", last_name="Q", state="NM")
    with pytest.raises(NetworkError):
        merging.person_merge(kept=third, removed=imported, actor=alice.user)
    with pytest.raises(NetworkError):
        merging.person_merge(kept=imported, removed=third, actor=alice.user)
    assert PersonMerge.objects.count() == 1


def test_it_refuses_to_undo_a_merge_a_later_merge_built_on_until_that_is_undone(pair, alice):
    web, imported = pair
    third = make_person(first_name="Rosa", last_name="Q", state="NM")
    first = merging.person_merge(kept=web, removed=imported, actor=alice.user)
    second = merging.person_merge(kept=third, removed=web, actor=alice.user)

    with pytest.raises(NetworkError):
        merging.person_merge_undo(merge=first, actor=alice.user)
    merging.person_merge_undo(merge=second, actor=alice.user)
    merging.person_merge_undo(merge=first, actor=alice.user)
    with pytest.raises(NetworkError):
        merging.person_merge_undo(merge=first, actor=alice.user)
    assert set(Person.objects.filter(pk__in=[web.pk, imported.pk, third.pk]).values_list("status", flat=True)) == {
        Person.Status.ACTIVE
    }


def test_it_merges_a_batch_following_earlier_merges_of_the_batch(pair, alice):
    web, imported = pair
    third = make_person(first_name="Rosa", last_name="Q", state="NM")
    ann = make_person(first_name="Ann", last_name="Lee")
    anne = make_person(first_name="Anne", last_name="Lee")

    merges, skipped = merging.people_merge_batch(
        pairs=[(web.pk, imported.pk), (imported.pk, third.pk), (ann.pk, anne.pk), (ann.pk, ann.pk)],
        actor=alice.user,
    )

    assert [(m.kept_id, m.removed_id) for m in merges] == [(web.pk, imported.pk), (web.pk, third.pk), (ann.pk, anne.pk)]
    assert len(skipped) == 1
    assert set(Person.objects.filter(merged_into=web).values_list("pk", flat=True)) == {imported.pk, third.pk}

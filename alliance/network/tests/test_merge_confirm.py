"""A person merge is confirmed on a page showing both records; the merged-away address stays with
the kept person, so signing up or importing with it finds them."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from alliance.network import duplicates, importing, merging
from alliance.network.models import Organization, Person, PersonEmail, PersonMerge, Signup
from alliance.testing.fixtures import make_person

URL = "network:merge-confirm"


@pytest.fixture
def pair(member_states):
    school = Organization.objects.create(name="Denver Public Schools", state_id="CO")
    ann = make_person(first_name="Ann", last_name="Lee", organization=school)
    anne = make_person(first_name="Anne", last_name="Lee", title="Teacher")
    return ann, anne


def test_it_shows_both_records_and_what_moves_before_merging(as_alice, pair):
    ann, anne = pair
    response = as_alice.post(reverse(URL), {"a": ann.pk, "b": anne.pk, "keep": ann.pk})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Merge these two people?" in page
    assert "ann.lee@example.org" in page and "anne.lee@example.org" in page
    assert response.context["kept"] == ann and response.context["removed"] == anne
    assert "title" in response.context["preview"]["filled"]
    assert response.context["preview"]["extra_email"] == "anne.lee@example.org"
    assert PersonMerge.objects.count() == 0
    anne.refresh_from_db()
    assert anne.status == Person.Status.ACTIVE


def test_it_merges_only_on_the_confirmation_post(as_alice, pair):
    ann, anne = pair
    response = as_alice.post(reverse(URL), {"a": ann.pk, "b": anne.pk, "keep": ann.pk, "confirm": "1"})
    merge = PersonMerge.objects.get()
    assert response["Location"] == f"{reverse('network:duplicates')}?merged={merge.pk}"
    anne.refresh_from_db()
    assert (anne.status, anne.merged_into_id) == (Person.Status.MERGED, ann.pk)


def test_the_duplicates_page_sends_its_merge_buttons_to_the_confirmation(as_alice, pair):
    duplicates.duplicates_refresh()  # the worker's job: pairs are found and stored before the page shows them
    page = as_alice.get(reverse("network:duplicates")).content.decode()
    assert page.count(f'action="{reverse(URL)}"') == 2  # the batch and the pair's form


def test_it_confirms_a_batch_listing_its_pairs(as_alice, pair, member_states):
    ann, anne = pair
    bo = make_person(first_name="Bo", last_name="Park")
    bob = make_person(first_name="Bob", last_name="Park")
    pairs = [f"{ann.pk}:{anne.pk}", f"{bo.pk}:{bob.pk}"]
    response = as_alice.post(reverse(URL), {"pair": pairs})
    assert response.status_code == 200
    assert [(k.pk, r.pk) for k, r in response.context["rows"]] == [(ann.pk, anne.pk), (bo.pk, bob.pk)]
    assert PersonMerge.objects.count() == 0
    as_alice.post(reverse(URL), {"pair": pairs, "confirm": "1"})
    assert PersonMerge.objects.count() == 2


def test_it_refuses_a_merge_by_a_committee_member(as_sam, pair):
    ann, anne = pair
    response = as_sam.post(reverse(URL), {"a": ann.pk, "b": anne.pk, "keep": ann.pk, "confirm": "1"})
    assert response.status_code == 403
    assert PersonMerge.objects.count() == 0


def test_it_keeps_the_merged_away_address_and_shows_it_to_leaders(as_alice, as_sam, as_mia, pair):
    ann, anne = pair
    as_alice.post(reverse(URL), {"a": ann.pk, "b": anne.pk, "keep": ann.pk, "confirm": "1"})
    assert list(ann.extra_emails.values_list("email", flat=True)) == ["anne.lee@example.org"]
    assert b"anne.lee@example.org" in as_sam.get(reverse("network:person-detail", args=[ann.pk])).content
    assert b"anne.lee@example.org" not in as_mia.get(reverse("network:person-detail", args=[ann.pk])).content


def test_a_rejoin_with_the_merged_away_address_finds_the_kept_person(client, as_alice, pair):
    ann, anne = pair
    as_alice.post(reverse(URL), {"a": ann.pk, "b": anne.pk, "keep": ann.pk, "confirm": "1"})
    people = Person.objects.count()
    data = {"first_name": "Ann", "last_name": "Lee", "email": " Anne.Lee@example.org", "state": "CO", "sector": "k12"}
    assert client.post(reverse("network:join"), data).status_code == 302
    assert Person.objects.count() == people
    assert Signup.objects.get().person == ann


def test_an_import_with_the_merged_away_address_updates_the_kept_person(alice, pair, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    ann, anne = pair
    merging.person_merge(kept=ann, removed=anne, actor=alice.user)
    people = Person.objects.count()
    content = b"First Name,Last Name,E-mail,State,Job title\nAnn,Lee,anne.lee@example.org,CO,Principal\n"
    people_import = importing.people_import_create(
        upload=ContentFile(content), filename="people.csv", actor=None, worker=False
    )
    people_import = importing.people_import_check(import_id=people_import.pk)
    importing.people_import_queue(people_import=people_import, actor=None, worker=False)
    result = importing.people_import_run(import_id=people_import.pk)
    assert (result.rows_created, result.rows_updated, result.rows_rejected) == (0, 1, 0)
    assert Person.objects.count() == people
    ann.refresh_from_db()
    assert ann.title == "Principal"


def test_undoing_the_merge_removes_the_second_address(alice, pair):
    ann, anne = pair
    merge = merging.person_merge(kept=ann, removed=anne, actor=alice.user)
    merging.person_merge_undo(merge=merge, actor=alice.user)
    assert PersonEmail.objects.count() == 0

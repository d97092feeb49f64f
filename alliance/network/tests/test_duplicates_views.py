import pytest
from django.urls import reverse

from alliance.core.models import AuditEntry
from alliance.network import duplicates, merging
from alliance.network.models import DuplicatePair, Organization, Person, PersonMerge
from alliance.testing.fixtures import make_person

LIST = reverse("network:duplicates")
MERGE = reverse("network:duplicates-merge")


@pytest.fixture
def twins(member_states):
    """Ann Lee, twice at one school; and a second pair in Utah."""
    school = Organization.objects.create(name="Denver Public Schools", state_id="CO")
    ann = make_person(first_name="Ann", last_name="Lee", organization=school)
    anne = make_person(first_name="Anne", last_name="Lee", organization=school)
    bob = make_person(first_name="Robert", last_name="Okafor", state="UT", title="Principal")
    bobby = make_person(first_name="Bob", last_name="Okafor", state="UT", title="Principal")
    duplicates.duplicates_refresh()  # what the worker does shortly after people change
    return ann, anne, bob, bobby


def test_it_lists_likely_duplicates_to_staff(as_alice, twins):
    ann, anne, bob, bobby = twins
    response = as_alice.get(LIST)
    assert response.status_code == 200
    rows = response.context["rows"]
    assert {pair_of(r) for r in rows} == {(ann.pk, anne.pk), (bob.pk, bobby.pk)}
    assert b"Denver Public Schools" in response.content
    assert anne.email.encode() in response.content
    row = response.content.decode().split(f'id="pair-{bob.pk}-{bobby.pk}"')[1].split("</tr>")[0]
    assert "% likely" in row
    assert "first name: a nickname of the other" in row
    assert "title: same" in row


def pair_of(row) -> tuple[int, int]:
    return (row.pair.first_id, row.pair.second_id)


def test_it_lists_the_most_likely_first_from_a_threshold_kept_in_the_url(as_alice, twins):
    lena = make_person(first_name="Lena", last_name="Ortiz", state="NM", title="Teacher")
    initial = make_person(first_name="L.", last_name="Ortiz", state="NM", title="Counselor")
    duplicates.duplicates_refresh()
    weak = DuplicatePair.objects.get(first=lena, second=initial)
    others = DuplicatePair.objects.exclude(pk=weak.pk)
    assert 0.05 < weak.score < min(p.score for p in others)  # an initial, another title: less sure
    rows = as_alice.get(LIST, {"likely": 5}).context["rows"]
    assert [pair_of(r) for r in rows][-1] == (lena.pk, initial.pk)
    assert [r.pair.score for r in rows] == sorted((r.pair.score for r in rows), reverse=True)
    above = int(weak.score * 100) + 1
    strict = as_alice.get(LIST, {"likely": above})
    assert (lena.pk, initial.pk) not in [pair_of(r) for r in strict.context["rows"]]
    assert len(strict.context["rows"]) == len(rows) - 1
    assert f'name="likely" id="id_likely" min="1" max="99" step="1" value="{above}"' in strict.content.decode()
    assert as_alice.get(LIST, {"likely": "abc"}).status_code == 200  # not understood: the default


def test_it_reads_stored_pairs_with_a_fixed_number_of_queries(as_alice, twins, django_assert_num_queries):
    for n in range(30):
        make_person(first_name=f"Person{n}", last_name="Lee")
    merging.person_merge(kept=twins[2], removed=twins[3], actor=None)
    duplicates.duplicates_refresh()
    # session, user, person and roles (policy); count and page of pairs; merges; messages
    with django_assert_num_queries(7):
        response = as_alice.get(LIST)
    assert response.status_code == 200


def test_it_does_not_compare_people_in_the_request(as_alice, member_states):
    make_person(first_name="Ann", last_name="Lee")
    make_person(first_name="Anne", last_name="Lee")
    assert as_alice.get(LIST).context["rows"] == []  # not compared yet: the worker does it
    duplicates.duplicates_refresh()
    assert len(as_alice.get(LIST).context["rows"]) == 1


def test_it_merges_the_chosen_record_into_the_other_and_offers_an_undo(as_alice, twins):
    ann, anne, _bob, _bobby = twins
    response = as_alice.post(MERGE, {"a": ann.pk, "b": anne.pk, "keep": anne.pk})
    merge = PersonMerge.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{LIST}?merged={merge.pk}"
    ann.refresh_from_db()
    assert (merge.kept, merge.removed) == (anne, ann)
    assert ann.status == Person.Status.MERGED
    assert AuditEntry.objects.filter(action="network.person.merged").count() == 1

    page = as_alice.get(response["Location"])
    assert reverse("network:merge-undo", args=[merge.pk]).encode() in page.content
    assert (ann.pk, anne.pk) not in {pair_of(r) for r in page.context["rows"]}
    assert not DuplicatePair.objects.filter(second=anne).exists()  # gone at once, not at the next refresh


def test_it_undoes_the_last_merge(as_alice, twins):
    ann, anne, _bob, _bobby = twins
    as_alice.post(MERGE, {"a": ann.pk, "b": anne.pk, "keep": ann.pk})
    merge = PersonMerge.objects.get()
    response = as_alice.post(reverse("network:merge-undo", args=[merge.pk]))
    assert response.status_code == 302
    anne.refresh_from_db()
    merge.refresh_from_db()
    assert anne.status == Person.Status.ACTIVE
    assert merge.undone is not None
    assert AuditEntry.objects.filter(action="network.merge.undone").count() == 1
    duplicates.duplicates_refresh()
    page = as_alice.get(LIST)
    assert (ann.pk, anne.pk) in {pair_of(r) for r in page.context["rows"]}


def test_it_merges_a_batch_of_ticked_pairs(as_alice, twins):
    ann, anne, bob, bobby = twins
    response = as_alice.post(MERGE, {"pair": [f"{ann.pk}:{anne.pk}", f"{bob.pk}:{bobby.pk}"]})
    assert response.status_code == 302
    assert set(PersonMerge.objects.values_list("kept", "removed")) == {(ann.pk, anne.pk), (bob.pk, bobby.pk)}
    assert as_alice.get(LIST).context["rows"] == []


def test_it_refuses_a_choice_that_is_neither_record(as_alice, twins):
    ann, anne, bob, _bobby = twins
    response = as_alice.post(MERGE, {"a": ann.pk, "b": anne.pk, "keep": bob.pk})
    assert response.status_code == 302
    assert PersonMerge.objects.count() == 0


@pytest.mark.parametrize("persona", ["as_sam", "as_mia", "as_olga"])
def test_it_denies_everyone_but_the_backbone(request, persona, twins):
    ann, anne, _bob, _bobby = twins
    merge = merging.person_merge(kept=ann, removed=anne, actor=None)
    client = request.getfixturevalue(persona)
    assert client.get(LIST).status_code == 403
    assert client.post(MERGE, {"a": ann.pk, "b": anne.pk, "keep": ann.pk}).status_code == 403
    assert client.post(reverse("network:merge-undo", args=[merge.pk])).status_code == 403
    merge.refresh_from_db()
    assert merge.undone is None


def test_it_sends_anonymous_visitors_to_log_in(client, twins):
    for url in (LIST, MERGE, reverse("network:merge-undo", args=[1])):
        response = client.get(url) if url == LIST else client.post(url)
        assert response.status_code == 302
        assert reverse("account_login") in response["Location"]
    assert PersonMerge.objects.count() == 0


DISTINCT = reverse("network:duplicates-distinct")


def test_it_stops_offering_a_pair_staff_call_different_people(as_alice, twins):
    ann, anne, bob, bobby = twins
    response = as_alice.post(DISTINCT, {"a": bob.pk, "b": bobby.pk})
    assert response.status_code == 302
    rows = as_alice.get(LIST).context["rows"]
    assert {pair_of(r) for r in rows} == {(ann.pk, anne.pk)}
    assert not DuplicatePair.objects.filter(first=bob, second=bobby).exists()
    assert Person.objects.filter(pk__in=[bob.pk, bobby.pk], status=Person.Status.ACTIVE).count() == 2
    assert AuditEntry.objects.filter(action="network.people.marked_distinct").count() == 1
    as_alice.post(DISTINCT, {"a": bobby.pk, "b": bob.pk})  # the same pair, either way round: one row
    assert AuditEntry.objects.filter(action="network.people.marked_distinct").count() == 1


@pytest.mark.parametrize("persona", ["as_sam", "as_mia", "as_olga"])
def test_only_staff_mark_people_distinct(persona, request, twins):
    client = request.getfixturevalue(persona)
    assert client.post(DISTINCT, {"a": twins[2].pk, "b": twins[3].pk}).status_code == 403
    from alliance.network.models import DistinctPair

    assert not DistinctPair.objects.exists()

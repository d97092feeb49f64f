from django.urls import reverse

from alliance.network.models import Person
from alliance.testing.fixtures import make_person


def test_it_shows_member_counts_by_state_and_sector(client, member_states):
    for n in range(3):
        make_person(first_name=f"Ann{n}", last_name="Lee", state="WY", sector_id="k12")
    make_person(first_name="Bo", last_name="Ray", state="UT", sector_id="business")
    Person.objects.create(
        first_name="Pending", last_name="X", email="p@x.org", state_id="WY", status=Person.Status.PENDING
    )
    response = client.get(reverse("network:home"))
    assert response.status_code == 200
    counts = response.context["counts"]
    assert counts["total"] == 4
    by_state = {s.code: s.members for s in counts["states"]}
    assert by_state == {"CO": 0, "ID": 0, "NM": 0, "NV": 0, "UT": 1, "WY": 3}
    by_sector = {s.slug: s.members for s in counts["sectors"]}
    assert by_sector["k12"] == 3 and by_sector["business"] == 1
    assert b"Wyoming" in response.content


def test_it_counts_with_a_fixed_number_of_queries(client, member_states, django_assert_max_num_queries):
    for n in range(20):
        make_person(first_name=f"P{n}", last_name="Q", state="CO")
    with django_assert_max_num_queries(8):
        client.get(reverse("network:home"))


def test_it_counts_once_until_people_or_organizations_change(client, member_states, django_assert_num_queries):
    from alliance.network.models import Organization

    make_person(first_name="Ann", last_name="Lee", state="CO")
    client.get(reverse("network:home"))
    with django_assert_num_queries(0):  # an anonymous visit: the counts come from the cache
        response = client.get(reverse("network:home"))
    assert response.context["counts"]["total"] == 1
    make_person(first_name="Bo", last_name="Ray", state="UT")
    assert client.get(reverse("network:home")).context["counts"]["total"] == 2
    Organization.objects.create(name="Denver Public Schools", state_id="CO")
    with django_assert_num_queries(4):  # counted again: states, sectors, people, organizations
        client.get(reverse("network:home"))

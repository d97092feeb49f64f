import pytest

from alliance.network.models import Organization, Person, State
from alliance.testing.fixtures import make_person

ORGANIZATIONS = "/api/network/organizations"
STATES = "/api/network/states"


@pytest.fixture
def organizations(sam, mia):
    """Denver Public Schools (CO, K-12) with Sam and a pending sign-up; Boise State (ID, no sector) with Mia."""
    dps = Organization.objects.create(name="Denver Public Schools", state_id="CO", sector_id="k12")
    boise = Organization.objects.create(name="Boise State University", state_id="ID", website="https://boisestate.edu")
    Person.objects.filter(pk=sam.pk).update(organization=dps)
    Person.objects.filter(pk=mia.pk).update(organization=boise)
    pending = make_person(first_name="Pat", last_name="Pending", organization=dps)
    Person.objects.filter(pk=pending.pk).update(status=Person.Status.PENDING)
    return {"dps": dps, "boise": boise}


def dps_json(organizations) -> dict:
    return {
        "id": organizations["dps"].pk,
        "name": "Denver Public Schools",
        "website": "",
        "state": {"code": "CO", "name": "Colorado"},
        "sector": {"slug": "k12", "name": "K-12 education"},
        "members": 1,
    }


def boise_json(organizations) -> dict:
    return {
        "id": organizations["boise"].pk,
        "name": "Boise State University",
        "website": "https://boisestate.edu",
        "state": {"code": "ID", "name": "Idaho"},
        "sector": None,
        "members": 1,
    }


def test_it_lists_organizations_to_a_member(as_mia, organizations):
    response = as_mia.get(ORGANIZATIONS)
    assert response.status_code == 200
    assert response.json() == {"items": [boise_json(organizations), dps_json(organizations)], "count": 2}


def test_it_refuses_anonymous_callers(client, organizations):
    assert client.get(ORGANIZATIONS).status_code == 401
    assert client.get(f"{ORGANIZATIONS}/{organizations['dps'].pk}").status_code == 401


def test_it_refuses_an_account_without_membership(as_olga, organizations):
    assert as_olga.get(ORGANIZATIONS).status_code == 403
    assert as_olga.get(f"{ORGANIZATIONS}/{organizations['dps'].pk}").status_code == 403


@pytest.mark.parametrize(
    ("query", "names"),
    [
        ({"state": "CO"}, ["Denver Public Schools"]),
        ({"sector": "k12"}, ["Denver Public Schools"]),
        ({"q": "boise state"}, ["Boise State University"]),
        ({"q": "public nowhere"}, []),
    ],
)
def test_it_filters_organizations(as_mia, organizations, query, names):
    response = as_mia.get(ORGANIZATIONS, query)
    assert response.status_code == 200
    assert [o["name"] for o in response.json()["items"]] == names


def test_it_pages_organizations(as_mia, organizations):
    response = as_mia.get(ORGANIZATIONS, {"limit": 1, "offset": 1})
    assert response.json() == {"items": [dps_json(organizations)], "count": 2}


def test_it_lists_organizations_in_a_pinned_number_of_queries(as_mia, organizations, django_assert_num_queries):
    for n in range(20):
        Organization.objects.create(name=f"School {n}", state_id="UT", sector_id="k12")
    # session, user, person, roles (policy); count, page (state, sector and members joined in)
    with django_assert_num_queries(6):
        response = as_mia.get(ORGANIZATIONS)
    assert response.json()["count"] == 22


def test_it_shows_one_organization(as_mia, organizations):
    response = as_mia.get(f"{ORGANIZATIONS}/{organizations['dps'].pk}")
    assert response.status_code == 200
    assert response.json() == dps_json(organizations)


def test_it_answers_404_for_an_unknown_organization(as_mia, organizations):
    response = as_mia.get(f"{ORGANIZATIONS}/999999")
    assert response.status_code == 404
    assert response.json() == {"error": "Not found."}


def test_it_lists_states_with_member_counts_to_anyone(client, organizations):
    response = client.get(STATES, {"is_member": "true"})
    assert response.status_code == 200
    assert response.json() == {
        "items": [
            {"code": "CO", "name": "Colorado", "is_member": True, "members": 1},
            {"code": "ID", "name": "Idaho", "is_member": True, "members": 1},
            {"code": "NV", "name": "Nevada", "is_member": True, "members": 0},
            {"code": "NM", "name": "New Mexico", "is_member": True, "members": 0},
            {"code": "UT", "name": "Utah", "is_member": True, "members": 0},
            {"code": "WY", "name": "Wyoming", "is_member": True, "members": 0},
        ],
        "count": 6,
    }


def test_it_pages_all_states(client, organizations, django_assert_num_queries):
    with django_assert_num_queries(2):
        response = client.get(STATES, {"limit": 10})
    body = response.json()
    assert body["count"] == State.objects.count() > 50
    assert [s["code"] for s in body["items"]] == list(
        State.objects.order_by("name").values_list("code", flat=True)[:10]
    )

from datetime import UTC, datetime

import pytest

from alliance.api import services as api_services
from alliance.core.models import AuditEntry
from alliance.network.models import Event, Organization, Person, Role
from alliance.testing.fixtures import make_person

PEOPLE = "/api/network/people"
JOINED = datetime(2026, 1, 15, 9, 30, tzinfo=UTC)
NEW = {
    "first_name": " Rosa ",
    "last_name": "Quintana",
    "email": "  Rosa.Quintana@Example.ORG ",
    "state": "NM",
    "sector": "k12",
    "organization_name": "Albuquerque Public Schools",
    "title": "CTE coordinator",
}


@pytest.fixture
def network(alice, sam, mia):
    """Alice (CO, backbone), Sam (CO, steering, Denver Public Schools), Mia (ID, member)."""
    dps = Organization.objects.create(name="Denver Public Schools", state_id="CO", sector_id="k12")
    Person.objects.filter(pk=sam.pk).update(organization=dps, sector_id="k12")
    Person.objects.update(joined=JOINED)
    return {"alice": alice, "sam": sam, "mia": mia, "dps": dps}


def person_json(person: Person, *, email: bool, roles: list[str]) -> dict:
    return {
        "id": person.pk,
        "first_name": person.first_name,
        "last_name": person.last_name,
        "full_name": person.full_name,
        "email": person.email if email else None,
        "title": person.title,
        "state": {"code": person.state_id, "name": person.state.name},
        "sector": None,
        "organization": None,
        "roles": roles,
        "joined": "2026-01-15T09:30:00Z",
    }


def sam_json(network, *, email: bool) -> dict:
    return {
        **person_json(network["sam"], email=email, roles=["steering", "member"]),
        "sector": {"slug": "k12", "name": "K-12 education"},
        "organization": {"id": network["dps"].pk, "name": "Denver Public Schools"},
    }


def test_it_lists_people_without_emails_for_a_member(as_mia, network):
    response = as_mia.get(PEOPLE)
    assert response.status_code == 200
    assert response.json() == {
        "items": [
            person_json(network["alice"], email=False, roles=["backbone", "member"]),
            person_json(network["mia"], email=False, roles=["member"]),
            sam_json(network, email=False),
        ],
        "count": 3,
        "count_capped": False,
        "next": None,
    }


def test_it_shows_emails_to_the_steering_committee(as_sam, network):
    response = as_sam.get(PEOPLE)
    assert response.status_code == 200
    assert [p["email"] for p in response.json()["items"]] == [
        "alice.backbone@example.org",
        "mia.member@example.org",
        "sam.steering@example.org",
    ]


def test_it_refuses_anonymous_callers(client, network):
    response = client.get(PEOPLE)
    assert response.status_code == 401
    assert client.get(f"{PEOPLE}/{network['mia'].pk}").status_code == 401


def test_it_refuses_an_account_without_membership(as_olga, network):
    response = as_olga.get(PEOPLE)
    assert response.status_code == 403
    assert response.json() == {"error": "You are not allowed to do this."}


def test_it_pages_with_limit_and_offset(as_mia, network):
    response = as_mia.get(PEOPLE, {"limit": 1, "offset": 1})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3
    assert [p["full_name"] for p in body["items"]] == ["Mia Member"]


def test_it_refuses_a_page_larger_than_the_limit(as_mia, network):
    response = as_mia.get(PEOPLE, {"limit": 101})
    assert response.status_code == 422
    body = response.json()
    assert body["error"] == "limit: Input should be less than or equal to 100"
    assert body["details"] == [{"loc": ["query", "limit"], "msg": "Input should be less than or equal to 100"}]


@pytest.mark.parametrize(
    ("query", "names"),
    [
        ({"state": "co"}, ["Alice Backbone", "Sam Steering"]),
        ({"sector": "k12"}, ["Sam Steering"]),
        ({"role": "steering"}, ["Sam Steering"]),
        ({"q": "denver"}, ["Sam Steering"]),
        ({"q": "nobody"}, []),
    ],
)
def test_it_filters_people(as_mia, network, query, names):
    response = as_mia.get(PEOPLE, query)
    assert response.status_code == 200
    assert [p["full_name"] for p in response.json()["items"]] == names


def test_it_filters_people_by_organization(as_mia, network):
    response = as_mia.get(PEOPLE, {"organization": network["dps"].pk})
    assert [p["full_name"] for p in response.json()["items"]] == ["Sam Steering"]


def test_it_leaves_out_people_who_are_not_active(as_mia, network):
    Person.objects.filter(pk=network["alice"].pk).update(status=Person.Status.PENDING)
    response = as_mia.get(PEOPLE)
    assert response.json()["count"] == 2
    assert as_mia.get(f"{PEOPLE}/{network['alice'].pk}").status_code == 404


def test_it_lists_people_in_a_pinned_number_of_queries(as_sam, network, django_assert_num_queries):
    for n in range(20):
        make_person(first_name=f"Extra{n}", last_name="Person", roles=[Role.CHAIR])
    # session, user, person, roles (policy); page, count, roles of the page
    with django_assert_num_queries(7):
        response = as_sam.get(PEOPLE, {"limit": 10})
    assert response.json()["count"] == 23
    # a page by cursor: and the cursor's key
    with django_assert_num_queries(8):
        response = as_sam.get(PEOPLE, {"limit": 10, "cursor": response.json()["next"]})
    assert len(response.json()["items"]) == 10


def test_it_pages_by_cursor_through_everyone_once(as_sam, network):
    for n in range(12):
        make_person(first_name=f"Extra{n:02}", last_name="Person")
    everyone = [p["id"] for p in as_sam.get(PEOPLE, {"limit": 100}).json()["items"]]
    seen, cursor = [], None
    while True:
        body = as_sam.get(PEOPLE, {"limit": 4, **({"cursor": cursor} if cursor else {})}).json()
        seen += [p["id"] for p in body["items"]]
        cursor = body["next"]
        if cursor is None:
            break
    assert seen == everyone
    assert len(seen) == 15
    after_offset = as_sam.get(PEOPLE, {"limit": 4, "offset": 4}).json()
    assert [p["id"] for p in after_offset["items"]] == everyone[4:8]
    assert after_offset["next"] == everyone[7]


def test_it_shows_one_person(as_mia, network):
    response = as_mia.get(f"{PEOPLE}/{network['sam'].pk}")
    assert response.status_code == 200
    assert response.json() == sam_json(network, email=False)


def test_it_shows_one_persons_email_to_a_leader(as_sam, network):
    response = as_sam.get(f"{PEOPLE}/{network['mia'].pk}")
    assert response.json()["email"] == "mia.member@example.org"


def test_it_answers_404_for_an_unknown_person(as_mia, network):
    response = as_mia.get(f"{PEOPLE}/999999")
    assert response.status_code == 404
    assert response.json() == {"error": "Not found."}


def test_it_lets_backbone_staff_add_a_person(as_alice, network, alice):
    response = as_alice.post(PEOPLE, NEW, content_type="application/json")
    assert response.status_code == 201
    person = Person.objects.get(email="rosa.quintana@example.org")
    assert response.json() == {
        "id": person.pk,
        "first_name": "Rosa",
        "last_name": "Quintana",
        "full_name": "Rosa Quintana",
        "email": "rosa.quintana@example.org",
        "title": "CTE coordinator",
        "state": {"code": "NM", "name": "New Mexico"},
        "sector": {"slug": "k12", "name": "K-12 education"},
        "organization": {"id": person.organization_id, "name": "Albuquerque Public Schools"},
        "roles": ["member"],
        "joined": response.json()["joined"],
    }
    assert person.status == Person.Status.ACTIVE
    assert person.source == Person.Source.API
    assert person.organization.state_id == "NM"
    assert Event.objects.filter(person=person, kind="network.person.created", actor=alice).count() == 1
    assert AuditEntry.objects.filter(
        action="network.person.created", actor=alice.user, target_id=str(person.pk)
    ).exists()


def test_it_lets_staff_add_a_person_with_a_token(client, network, alice):
    _token, key = api_services.api_token_create(user=alice.user, name="import")
    response = client.post(
        PEOPLE,
        {"first_name": "Lee", "last_name": "Park", "email": "lee@example.org"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    assert response.status_code == 201
    assert response.json()["state"] is None
    assert Person.objects.filter(email="lee@example.org", status=Person.Status.ACTIVE).exists()


@pytest.mark.parametrize("persona", ["as_sam", "as_mia", "as_olga"])
def test_it_lets_nobody_else_add_a_person(request, network, persona):
    response = request.getfixturevalue(persona).post(PEOPLE, NEW, content_type="application/json")
    assert response.status_code == 403
    assert not Person.objects.filter(email="rosa.quintana@example.org").exists()


def test_it_refuses_anonymous_additions(client, network):
    assert client.post(PEOPLE, NEW, content_type="application/json").status_code == 401
    assert not Person.objects.filter(email="rosa.quintana@example.org").exists()


def test_it_refuses_an_email_already_in_the_network(as_alice, network):
    response = as_alice.post(PEOPLE, {**NEW, "email": " MIA.Member@example.org"}, content_type="application/json")
    assert response.status_code == 422
    assert response.json() == {
        "error": "payload.email: A person with this email address is already in the network.",
        "details": [
            {"loc": ["body", "payload", "email"], "msg": "A person with this email address is already in the network."}
        ],
    }
    assert Person.objects.count() == 3


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"email": "not-an-address"}, "email"),
        ({"first_name": "   "}, "first_name"),
        ({"state": "XX"}, "state"),
        ({"sector": "astrology"}, "sector"),
    ],
)
def test_it_refuses_invalid_fields(as_alice, network, change, field):
    response = as_alice.post(PEOPLE, {**NEW, **change}, content_type="application/json")
    assert response.status_code == 422
    assert [d["loc"][-1] for d in response.json()["details"]] == [field]
    assert not Person.objects.filter(last_name="Quintana").exists()


def test_it_refuses_a_body_that_is_not_json(as_alice, network):
    response = as_alice.post(PEOPLE, "{not json", content_type="application/json")
    assert response.status_code == 400
    assert "error" in response.json()


def test_it_adds_a_person_with_roles_through_the_same_service_as_the_page(as_alice, network, alice):
    response = as_alice.post(PEOPLE, {**NEW, "roles": ["steering"]}, content_type="application/json")
    assert response.status_code == 201
    assert set(response.json()["roles"]) == {"steering", "member"}
    person = Person.objects.get(email="rosa.quintana@example.org")
    assert set(person.roles.values_list("code", flat=True)) == {"steering", "member"}
    grant = AuditEntry.objects.get(action="network.person.roles_changed", target_id=str(person.pk))
    assert grant.actor == alice.user and grant.data["added"] == ["member", "steering"]


def test_it_refuses_an_unknown_role(as_alice, network):
    response = as_alice.post(PEOPLE, {**NEW, "roles": ["emperor"]}, content_type="application/json")
    assert response.status_code == 422
    assert not Person.objects.filter(email="rosa.quintana@example.org").exists()

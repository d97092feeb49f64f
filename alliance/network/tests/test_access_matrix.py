"""Every page of the network for every persona: who gets the page, who is refused, who must log in.

The per-feature tests check what each page does; this one pins the policy across all of them,
so a route added without an access check (or with the wrong one) fails here.
"""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from alliance.network import organizations
from alliance.network.models import Organization, PeopleImport, Welcome
from alliance.testing.fixtures import make_person

PERSONAS = ["anonymous", "olga", "mia", "chris", "sam", "alice"]
ALL = set(PERSONAS)
SIGNED_IN_MEMBERS = {"mia", "chris", "sam", "alice"}
LEADERS = {"sam", "alice"}
STAFF = {"alice"}


@pytest.fixture
def world(alice, sam, chris, mia, olga):
    newcomer = make_person(first_name="Nia", last_name="New", state="CO")
    welcome = Welcome.objects.create(person=newcomer, sender=sam, status=Welcome.Status.SENT)
    people_import = PeopleImport.objects.create(
        filename="people.csv", file=ContentFile(b"email\n", name="people.csv"), status=PeopleImport.Status.PREVIEW
    )
    kept = Organization.objects.create(name="Boise State University", state_id="ID")
    merge = organizations.organization_merge(
        kept=kept, removed=Organization.objects.create(name="Boise State Univ.", state_id="ID"), actor=None
    )
    return {"person": newcomer, "welcome": welcome, "import": people_import, "organization_merge": merge}


def pages(world) -> list[tuple[str, str, set[str]]]:
    """(method, url, personas allowed) for every network page."""
    person, welcome, people_import = world["person"], world["welcome"], world["import"]
    return [
        ("get", reverse("network:home"), ALL),
        ("get", reverse("network:join"), ALL),
        ("get", reverse("network:join-sent"), ALL),
        ("get", reverse("network:directory"), SIGNED_IN_MEMBERS),
        ("get", reverse("network:directory-export", args=["csv"]), STAFF),
        ("get", reverse("network:person-detail", args=[person.pk]), SIGNED_IN_MEMBERS),
        ("get", reverse("network:person-edit", args=[person.pk]), STAFF),
        ("get", reverse("network:person-add"), STAFF),
        ("get", reverse("network:profile"), SIGNED_IN_MEMBERS),
        ("get", reverse("network:organization-detail", args=[mia_org(world)]), SIGNED_IN_MEMBERS),
        ("get", reverse("network:newcomers"), LEADERS),
        ("post", reverse("network:newcomer-followed-up", args=[welcome.pk]), LEADERS),
        ("get", reverse("network:newcomers-not-followed-up"), STAFF),
        ("get", reverse("network:welcome-template"), STAFF),
        ("get", reverse("network:welcome-list"), STAFF),
        ("post", reverse("network:welcome-retry", args=[welcome.pk]), STAFF),
        ("get", reverse("network:import"), STAFF),
        ("get", reverse("network:import-detail", args=[people_import.pk]), STAFF),
        ("get", reverse("network:import-preview", args=[people_import.pk]), STAFF),
        ("get", reverse("network:import-rejections", args=[people_import.pk]), STAFF),
        ("get", reverse("network:duplicates"), STAFF),
        ("get", reverse("apitokens:tokens"), SIGNED_IN_MEMBERS),
        ("get", reverse("network:people-inactive"), STAFF),
        ("get", reverse("network:person-deactivate", args=[person.pk]), STAFF),
        ("post", reverse("network:person-deactivate", args=[person.pk]), STAFF),
        ("post", reverse("network:person-reactivate", args=[person.pk]), STAFF),
        ("get", reverse("network:organization-edit", args=[mia_org(world)]), STAFF),
        ("get", reverse("network:organization-duplicates"), STAFF),
        ("post", reverse("network:merge-confirm"), STAFF),
        ("post", reverse("network:organization-merge"), STAFF),
        ("post", reverse("network:organization-merge-undo", args=[world["organization_merge"].pk]), STAFF),
    ]


def mia_org(world) -> int:
    from alliance.network.models import Organization

    return Organization.objects.get_or_create(name="Idaho STEM Action Center", state_id="ID")[0].pk


def client_for(persona, request):
    return request.getfixturevalue("client" if persona == "anonymous" else f"as_{persona}")


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_page_answers_each_persona_as_the_policy_says(persona, request, world):
    client = client_for(persona, request)
    wrong = []
    for method, url, allowed in pages(world):
        status = getattr(client, method)(url).status_code
        if persona in allowed:
            ok = status in {200, 302} and not (status == 302 and persona == "anonymous" and "/accounts/login/" in url)
        elif persona == "anonymous":
            ok = status == 302
        else:
            ok = status in {403, 404}
        if not ok:
            wrong.append(f"{method.upper()} {url} -> {status}")
    assert wrong == []


@pytest.mark.parametrize("persona", ["anonymous", "olga", "mia", "chris", "sam"])
def test_only_staff_change_the_network(persona, request, world):
    client = client_for(persona, request)
    expected = 302 if persona == "anonymous" else 403
    writes = [
        reverse("network:welcome-template"),
        reverse("network:welcome-retry", args=[world["welcome"].pk]),
        reverse("network:import-run", args=[world["import"].pk]),
        reverse("network:duplicates-merge"),
        reverse("network:person-deactivate", args=[world["person"].pk]),
        reverse("network:person-reactivate", args=[world["person"].pk]),
        reverse("network:organization-edit", args=[world["organization_merge"].kept_id]),
        reverse("network:organization-merge"),
        reverse("network:merge-confirm"),
        reverse("network:organization-merge-undo", args=[world["organization_merge"].pk]),
    ]
    assert [client.post(url, {}).status_code for url in writes] == [expected] * len(writes)
    world["import"].refresh_from_db()
    assert world["import"].status == PeopleImport.Status.PREVIEW
    world["organization_merge"].refresh_from_db()
    assert world["organization_merge"].undone is None

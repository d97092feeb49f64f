"""Staff edit organizations, find duplicate ones, merge two and undo the merge."""

import pytest
from django.urls import reverse

from alliance.core.models import AuditEntry
from alliance.network import organizations, services
from alliance.network.models import Organization, OrganizationMerge
from alliance.testing.fixtures import make_person


@pytest.fixture
def boise(member_states):
    university = Organization.objects.create(name="Boise State University", state_id="ID", sector_id="postsecondary")
    short = Organization.objects.create(name="Boise State Univ.", state_id="ID", website="https://boisestate.edu")
    return university, short


def test_it_saves_an_edit_and_keeps_the_earlier_version(as_alice, boise):
    university, _short = boise
    url = reverse("network:organization-edit", args=[university.pk])
    assert as_alice.get(url).status_code == 200
    data = {"name": "Boise  State University ", "state": "ID", "sector": "k12", "website": "https://www.boisestate.edu"}
    response = as_alice.post(url, data)
    assert response["Location"] == reverse("network:organization-detail", args=[university.pk])
    university.refresh_from_db()
    assert (university.name, university.sector_id, university.website) == (
        "Boise State University",
        "k12",
        "https://www.boisestate.edu",
    )
    versions = list(university.history.order_by("history_date").values_list("sector_id", "website"))
    assert versions == [("postsecondary", ""), ("k12", "https://www.boisestate.edu")]
    assert university.history.latest().history_user.email == "alice.backbone@example.org"
    page = as_alice.get(reverse("network:organization-detail", args=[university.pk]))
    assert len(page.context["changes"]) == 2
    assert AuditEntry.objects.filter(action="network.organization.updated").exists()


def test_it_refuses_a_name_another_organization_of_the_state_has(as_alice, boise):
    university, short = boise
    response = as_alice.post(
        reverse("network:organization-edit", args=[short.pk]), {"name": "boise state university", "state": "ID"}
    )
    assert response.status_code == 200
    assert "merge the two instead" in response.content.decode()
    short.refresh_from_db()
    assert short.name == "Boise State Univ."


def test_it_refuses_an_edit_by_a_committee_member(as_sam, boise):
    university, _short = boise
    url = reverse("network:organization-edit", args=[university.pk])
    assert as_sam.post(url, {"name": "Mine now", "state": "ID"}).status_code == 403
    university.refresh_from_db()
    assert university.name == "Boise State University"


def test_it_lists_organizations_whose_names_differ_only_in_spelling(as_alice, boise):
    university, short = boise
    Organization.objects.create(name="Boise State University", state_id="UT")  # another state: not a duplicate
    Organization.objects.create(name="Boise School District", state_id="ID")
    response = as_alice.get(reverse("network:organization-duplicates"))
    assert [[o.pk for o in group] for group in response.context["page"]] == [[university.pk, short.pk]]
    assert organizations.organization_name_key("The Boise State Univ., Inc.") == "boise state university"


def test_it_merges_an_organization_and_undoes_the_merge(as_alice, as_mia, boise):
    university, short = boise
    ana = make_person(first_name="Ana", last_name="Ruiz", state="ID", organization=university)
    ben = make_person(first_name="Ben", last_name="Cole", state="ID", organization=short)
    response = as_alice.post(reverse("network:organization-merge"), {"keep": university.pk, "merge": [short.pk]})
    assert response["Location"] == reverse("network:organization-detail", args=[university.pk])
    ben.refresh_from_db()
    short.refresh_from_db()
    university.refresh_from_db()
    assert ben.organization_id == university.pk
    assert short.merged_into_id == university.pk
    assert university.website == "https://boisestate.edu"  # filled from the merged record
    assert as_mia.get(reverse("network:organization-detail", args=[short.pk])).status_code == 404
    people = as_mia.get(reverse("network:organization-detail", args=[university.pk])).context["page"]
    assert {p.pk for p in people} == {ana.pk, ben.pk}
    # The merged name leads to the kept organization.
    assert services.organization_get_or_create(name="boise state univ.", state=short.state) == university

    merge = OrganizationMerge.objects.get()
    as_alice.post(reverse("network:organization-merge-undo", args=[merge.pk]))
    ben.refresh_from_db()
    short.refresh_from_db()
    university.refresh_from_db()
    assert ben.organization_id == short.pk and short.merged_into_id is None
    assert university.website == ""
    ana.refresh_from_db()
    assert ana.organization_id == university.pk


def test_it_undoes_only_the_last_merge_of_the_same_organizations(as_alice, boise):
    university, short = boise
    third = Organization.objects.create(name="BSU", state_id="ID")
    first = organizations.organization_merge(kept=university, removed=short, actor=None)
    organizations.organization_merge(kept=third, removed=university, actor=None)
    as_alice.post(reverse("network:organization-merge-undo", args=[first.pk]))
    first.refresh_from_db()
    assert first.undone is None


def test_it_refuses_a_merge_by_a_committee_member(as_sam, boise):
    university, short = boise
    response = as_sam.post(reverse("network:organization-merge"), {"keep": university.pk, "merge": [short.pk]})
    assert response.status_code == 403
    short.refresh_from_db()
    assert short.merged_into_id is None

from django.urls import reverse

from alliance.network.models import Event

URL = reverse("network:profile")


def test_it_lets_a_member_edit_their_own_profile_and_stop_email(as_mia, mia):
    mia.consent_to_email = True
    mia.save()
    response = as_mia.post(URL, {"title": "Counselor", "organization": "Boise High School", "interests": "Dual credit"})
    assert response.status_code == 302
    mia.refresh_from_db()
    assert (mia.title, mia.organization.name, mia.consent_to_email) == ("Counselor", "Boise High School", False)
    assert mia.organization.state_id == "ID"
    assert Event.objects.filter(person=mia, kind="network.person.consent_changed").count() == 1


def test_it_keeps_name_email_and_roles_out_of_reach(as_mia, mia):
    as_mia.post(URL, {"title": "x", "first_name": "Hacker", "email": "evil@example.org", "roles": ["backbone"]})
    mia.refresh_from_db()
    assert (mia.first_name, mia.email) == ("Mia", "mia.member@example.org")
    assert list(mia.roles.values_list("code", flat=True)) == ["member"]


def test_it_lets_a_committee_member_set_the_signature_of_their_welcomes(as_sam, sam):
    response = as_sam.get(URL)
    assert b'name="signature"' in response.content
    as_sam.post(URL, {"signature": "Sam Steering\nDirector, Colorado Workforce Board"})
    sam.refresh_from_db()
    assert sam.signature == "Sam Steering\nDirector, Colorado Workforce Board"


def test_it_hides_the_signature_from_members(as_mia):
    assert b'name="signature"' not in as_mia.get(URL).content


def test_it_has_nothing_for_accounts_without_membership(as_olga, client):
    assert as_olga.get(URL).status_code == 403
    assert client.get(URL).status_code == 302

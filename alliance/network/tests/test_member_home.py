"""A member who signs in lands on what the alliance offers them now, not on the public statistics."""

from django.utils import timezone

from alliance.network.models import Role, Welcome
from alliance.testing.fixtures import make_person


def test_it_shows_a_member_their_committee_their_profile_and_peers(as_mia, mia, member_states):
    idaho_lead = make_person(first_name="Ida", last_name="Lead", state="ID", roles=[Role.STEERING], title="Dean")
    make_person(first_name="Colorado", last_name="Lead", state="CO", roles=[Role.STEERING])
    Welcome.objects.create(person=mia, sender=idaho_lead, status=Welcome.Status.SENT, sent=timezone.now())

    page = as_mia.get("/").content.decode()

    assert "Welcome, Mia" in page
    assert "Ida Lead" in page and "Dean" in page
    assert "Colorado Lead" not in page  # only the member's own state's committee
    assert "Ida Lead welcomed you on" in page
    assert "your organization, your title, your interests" in page
    assert "/people/?state=ID" in page


def test_it_reminds_a_committee_member_of_newcomers_waiting_for_a_follow_up(as_sam, sam, member_states):
    for n in range(2):
        newcomer = make_person(first_name=f"New{n}", last_name="Comer")
        Welcome.objects.create(person=newcomer, sender=sam, status=Welcome.Status.SENT, sent=timezone.now())

    page = as_sam.get("/").content.decode()

    assert "2 people you welcomed have not had a personal follow-up yet." in page
    assert "/newcomers/" in page


def test_visitors_and_accounts_without_membership_see_the_public_page(client, as_olga, member_states):
    for visitor in (client, as_olga):
        page = visitor.get("/").content.decode()
        assert "Members by state" in page
        assert "Your steering committee" not in page


def test_it_reads_the_home_page_in_few_queries(as_mia, mia, member_states, django_assert_max_num_queries):
    for n in range(5):
        make_person(first_name=f"Lead{n}", last_name="Idaho", state="ID", roles=[Role.STEERING])
    with django_assert_max_num_queries(16):
        assert as_mia.get("/").status_code == 200

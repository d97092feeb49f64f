"""Staff see every newcomer welcomed more than N days ago whom nobody has followed up, per committee member."""

from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from alliance.network.models import Person, Role, Welcome
from alliance.testing.fixtures import make_person

URL = reverse("network:newcomers-not-followed-up")


def welcomed(first_name, sender, *, days_ago, **extra):
    joined = timezone.make_aware(datetime(2025, 1, 6, 12, 0))
    person = make_person(first_name=first_name, last_name="New", joined=joined)
    sent = timezone.now() - timedelta(days=days_ago)
    return Welcome.objects.create(person=person, sender=sender, status=Welcome.Status.SENT, sent=sent, **extra)


@pytest.fixture
def welcomes(sam, member_states):
    rosa = make_person(first_name="Rosa", last_name="Committee", roles=[Role.STEERING])
    return {
        "waiting": welcomed("Wes", sam, days_ago=20),
        "rosa_waiting": welcomed("Rae", rosa, days_ago=30),
        "rosa_waiting_too": welcomed("Ron", rosa, days_ago=15),
        "recent": welcomed("Rita", sam, days_ago=5),
        "followed": welcomed("Fay", sam, days_ago=20, followed_up=timezone.now()),
    }


def test_it_lists_newcomers_welcomed_over_14_days_ago_without_follow_up(as_alice, welcomes):
    inactive = welcomed("Ina", welcomes["waiting"].sender, days_ago=40)
    Person.objects.filter(pk=inactive.person_id).update(status=Person.Status.INACTIVE)
    response = as_alice.get(URL)
    assert response.status_code == 200
    listed = [w.pk for w in response.context["page"]]
    assert listed == [welcomes["rosa_waiting"].pk, welcomes["rosa_waiting_too"].pk, welcomes["waiting"].pk]
    counts = [(row["sender__first_name"], row["waiting"]) for row in response.context["counts"]]
    assert counts == [("Rosa", 2), ("Sam", 1)]
    page = response.content.decode()
    assert "Welcomed by Rosa Committee" in page and "Welcomed by Sam Steering" in page
    assert "Jan. 6, 2025" in page  # the newcomer's date of joining, with its year


def test_it_takes_another_number_of_days(as_alice, welcomes):
    response = as_alice.get(URL, {"days": 3})
    assert welcomes["recent"] in list(response.context["page"])
    response = as_alice.get(URL, {"days": 25})
    assert [w.pk for w in response.context["page"]] == [welcomes["rosa_waiting"].pk]


def test_it_reads_the_page_in_a_fixed_number_of_queries(as_alice, welcomes, django_assert_num_queries):
    as_alice.get(URL)  # the session and the user are read once per request either way
    with django_assert_num_queries(7):
        as_alice.get(URL)


def test_it_links_staff_there_from_their_newcomers_page(as_alice, as_sam, welcomes):
    assert URL in as_alice.get(reverse("network:newcomers")).content.decode()
    assert URL not in as_sam.get(reverse("network:newcomers")).content.decode()


def test_it_is_for_staff_only(as_sam, as_mia, welcomes):
    assert as_sam.get(URL).status_code == 403
    assert as_mia.get(URL).status_code == 403

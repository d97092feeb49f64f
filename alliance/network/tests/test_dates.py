"""Dates are shown with their year, as the reader's language writes them."""

from datetime import datetime

from django.urls import reverse
from django.utils import timezone

from alliance.network import services
from alliance.network.models import Welcome
from alliance.testing.fixtures import make_person

LONG_AGO = timezone.make_aware(datetime(2023, 3, 9, 15, 0))


def test_it_shows_the_year_on_the_person_page(as_sam, member_states):
    lena = make_person(first_name="Lena", last_name="Ortiz", joined=LONG_AGO)
    event = services.event_record(person=lena, kind="network.person.confirmed", summary="Confirmed")
    event.occurred = LONG_AGO
    event.save(update_fields=["occurred"])
    page = as_sam.get(reverse("network:person-detail", args=[lena.pk])).content.decode()
    assert "March 2023" in page  # member since
    assert "March 9, 2023" in page  # the timeline entry


def test_it_writes_dates_the_spanish_way_for_a_spanish_reader(as_sam, member_states):
    lena = make_person(first_name="Lena", last_name="Ortiz", joined=LONG_AGO)
    page = as_sam.get(reverse("network:person-detail", args=[lena.pk]), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "marzo de 2023" in page


def test_it_shows_the_year_of_a_welcome_on_the_newcomers_page(as_sam, sam, member_states):
    nia = make_person(first_name="Nia", last_name="New")
    Welcome.objects.create(person=nia, sender=sam, status=Welcome.Status.SENT, sent=LONG_AGO)
    page = as_sam.get(reverse("network:newcomers")).content.decode()
    assert "sent March 9, 2023" in page

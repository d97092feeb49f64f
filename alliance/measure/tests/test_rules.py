"""Shared measurement's role: declared by the app, kept as a network role, held for one state."""

import pytest
from django.utils import translation

from alliance.core import policy
from alliance.network.models import Person, Role

pytestmark = pytest.mark.django_db


def test_the_data_lead_role_is_offered_like_the_networks_own(as_alice):
    lead = Role.objects.get(code="data_lead")
    assert lead.name == "State data lead"
    with translation.override("es"):
        assert str(lead) != "State data lead"  # named in the reader's language
    page = as_alice.get(f"/people/{Person.objects.first().pk}/edit/")
    assert "State data lead" in page.content.decode()


def test_a_data_lead_belongs_to_their_state_and_may_load_its_data_only(dana, mia):
    assert policy.home_state(dana.user) == "CO"
    assert policy.can(dana.user, "measure.datasets.load")
    assert not policy.can(dana.user, "measure.all_states.load")
    assert not policy.can(mia.user, "measure.datasets.load")


def test_a_deactivated_data_lead_loses_the_role_and_the_state(dana):
    dana.status = "inactive"
    dana.save()
    dana.user.refresh_from_db()
    assert policy.home_state(dana.user) is None
    assert not policy.can(dana.user, "measure.datasets.load")

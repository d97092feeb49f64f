"""Upgrading: accounts once linked by an unverified sign-up address lose the link they never earned."""

import importlib

from allauth.account.models import EmailAddress
from django.apps import apps

from alliance.testing.fixtures import make_person

migration = importlib.import_module("alliance.network.migrations.0006_identity_signup_submitted_person_language")


def test_it_unlinks_only_accounts_whose_address_was_never_verified(sam, mia, member_states, django_user_model):
    EmailAddress.objects.filter(user=mia.user).update(verified=False)
    staff_user = django_user_model.objects.create_user(username="admin", email="lena.leader@example.org")
    lena = make_person(first_name="Lena", last_name="Leader", user=staff_user)  # made by staff: no address row
    migration.unlink_unverified_accounts(apps, None)
    for person in (sam, mia, lena):
        person.refresh_from_db()
    assert mia.user is None
    assert sam.user is not None
    assert lena.user == staff_user

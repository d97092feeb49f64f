"""Accounts: a person who creates an account is linked to their member record by email."""

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings

from alliance.network.models import Person


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        return getattr(settings, "ACCOUNT_SIGNUP_OPEN", True)

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            person_link_user(user)
        return user


def person_link_user(user) -> Person | None:
    """Link the account to the active member with the same address, if there is one and it is free."""
    from alliance.network.services import normalize_email

    person = Person.objects.filter(email=normalize_email(user.email), user__isnull=True).first()
    if person is not None:
        person.user = user
        person.save(update_fields=["user"])
    return person

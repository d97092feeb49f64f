"""Accounts: a person who creates an account is linked to their member record by email."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.conf import settings
from django.contrib.sites.shortcuts import get_current_site

from alliance.core import mail
from alliance.network.models import Person


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        return getattr(settings, "ACCOUNT_SIGNUP_OPEN", True)

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            person_link_user(user)
        return user

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """allauth's mail (sign-in codes, password resets...) through our mailer and its log, as
        `account.<template>` ("account.login_code")."""
        request = allauth_context.request
        ctx = {"request": request, "email": email, "current_site": get_current_site(request), **context}
        message = self.render_mail(template_prefix, email, ctx)
        mail.send_message(message, kind="account." + template_prefix.rsplit("/", 1)[-1])


def person_link_user(user) -> Person | None:
    """Link the account to the active member with the same address, if there is one and it is free."""
    from alliance.network.services import normalize_email

    person = Person.objects.filter(email=normalize_email(user.email), user__isnull=True).first()
    if person is not None:
        person.user = user
        person.save(update_fields=["user"])
    return person

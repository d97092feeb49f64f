"""Accounts (django-allauth) and members: an account reaches a member's record only through an
address the account has verified.

Signing up or adding an address proves nothing until allauth has verified it (verification is
mandatory, see settings). The link is made when an address is verified (allauth's `email_confirmed`)
or at a login whose account holds a verified address (`user_logged_in`), never when an account is
saved. A linked member who verifies a new address has their record's address changed with it.
"""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.models import EmailAddress
from allauth.core import context as allauth_context
from django.conf import settings
from django.contrib import messages
from django.contrib.sites.shortcuts import get_current_site
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from alliance.core import mail
from alliance.core.http import client_ip
from alliance.network.models import Person
from alliance.network.services import NetworkError, event_record, normalize_email


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        return getattr(settings, "ACCOUNT_SIGNUP_OPEN", True)

    def get_client_ip(self, request: HttpRequest) -> str:
        """allauth's own rate limits (logins, codes, resets) count visitors as /join/ does, behind
        trusted proxies too (settings.TRUSTED_PROXIES)."""
        return client_ip(request) or super().get_client_ip(request)

    def confirm_email(self, request: HttpRequest, email_address: EmailAddress) -> bool:
        """Refuse to verify a member's new address when another person in the network has it:
        the account and the member's record would otherwise name different addresses. Said only to
        the one who proved they hold the address, so it reveals nothing to anyone else."""
        person = Person.objects.filter(user_id=email_address.user_id).first()
        email = normalize_email(email_address.email)
        if person is not None and person.email != email and _taken(email, person):
            messages.error(request, _("Another person in the network already has this email address."))
            return False
        return super().confirm_email(request, email_address)

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """allauth's mail (sign-in codes, password resets...) through our mailer and its log, as
        `account.<template>` ("account.login_code")."""
        request = allauth_context.request
        ctx = {"request": request, "email": email, "current_site": get_current_site(request), **context}
        message = self.render_mail(template_prefix, email, ctx)
        mail.send_message(message, kind="account." + template_prefix.rsplit("/", 1)[-1])


def _taken(email: str, person: Person) -> bool:
    return Person.objects.filter(email=email).exclude(pk=person.pk).exists()


def person_link_account(*, user) -> Person | None:
    """Link the account to the member whose address it has verified; the person linked (or already
    linked), or None. Merged-away records and records linked to another account are left alone."""
    linked = Person.objects.filter(user=user).first()
    if linked is not None:
        return linked
    verified = {
        normalize_email(email)
        for email in EmailAddress.objects.filter(user=user, verified=True).values_list("email", flat=True)
    }
    if not verified:
        return None
    with transaction.atomic():
        person = (
            Person.objects.select_for_update()
            .filter(email__in=verified, user__isnull=True)
            .exclude(status=Person.Status.MERGED)
            .order_by("pk")
            .first()
        )
        if person is None:
            return None
        person.user = user
        person.save(update_fields=["user"])
        event_record(person=person, kind="network.person.account_linked", summary="Linked their account")
    return person


def account_address_verified(*, request: HttpRequest | None, email_address: EmailAddress) -> Person | None:
    """An account verified an address: link it to that member, or, for an account already linked,
    make it the member's address (an email change)."""
    from alliance.network.people import person_email_change

    user = email_address.user
    person = Person.objects.filter(user=user).first()
    if person is None:
        return person_link_account(user=user)
    email = normalize_email(email_address.email)
    if person.email != email:
        try:
            person_email_change(person=person, email=email, actor=user)
        except NetworkError as exc:
            if request is not None:
                messages.error(request, str(exc))
    return person


def account_email_proven(request: HttpRequest, email: str) -> None:
    """The visitor proved they hold `email` (they confirmed a sign-up mailed to it): an account
    they create now with it needs no second verification mail (allauth's own mechanism)."""
    DefaultAccountAdapter(request).stash_verified_email(request, email)

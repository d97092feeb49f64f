"""The network's receivers: its own reactions to core's and its own signals."""

from allauth.account.signals import email_confirmed, user_logged_in
from django.dispatch import receiver

from alliance.core.signals import worker_sweep
from alliance.network import accounts, importing, services
from alliance.network.signals import person_confirmed


@receiver(person_confirmed)
def welcome_newcomer(sender, *, person, **kwargs) -> None:
    """Every confirmed member gets their one personal welcome (once, however often they confirm)."""
    services.welcome_create(person=person)


@receiver(worker_sweep)
def resume_welcomes(sender, *, periodic: bool, **kwargs) -> int:
    return services.welcomes_missing_create() + services.welcomes_resume(overdue_only=periodic)


@receiver(worker_sweep)
def resume_imports(sender, *, periodic: bool, **kwargs) -> int:
    return importing.people_imports_resume(overdue_only=periodic)


@receiver(email_confirmed)
def link_verified_address(sender, *, request, email_address, **kwargs) -> None:
    accounts.account_address_verified(request=request, email_address=email_address)


@receiver(user_logged_in)
def link_at_login(sender, *, request, user, **kwargs) -> None:
    # An account may have verified its address before that person joined.
    accounts.person_link_account(user=user)

"""The network's receivers: its own reactions to core's and its own signals."""

from allauth.account.signals import email_confirmed, user_logged_in
from django.db.models.signals import post_delete, post_migrate, post_save
from django.dispatch import receiver

from alliance.core.policy import declared_roles
from alliance.core.signals import worker_sweep
from alliance.network import accounts, duplicates, importing, selectors, services
from alliance.network.models import Organization, Person, Role
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


@receiver(worker_sweep)
def refresh_stale_duplicates(sender, **kwargs) -> int:
    return duplicates.duplicates_refresh_if_stale()


@receiver([post_save, post_delete], sender=Person)
def person_changed(sender, **kwargs) -> None:
    """Cache busting: people are compared again shortly (once for a burst of changes), and the
    public counts are counted again."""
    duplicates.duplicates_refresh_soon()
    selectors.network_counts_forget()


@receiver([post_save, post_delete], sender=Organization)
def organization_changed(sender, **kwargs) -> None:
    selectors.network_counts_forget()


@receiver(post_migrate)
def keep_declared_roles(sender, *, using: str = "default", **kwargs) -> None:
    """A Role row for every role an installed app declares (see core.policy.declared_roles)."""
    if sender.label != "network":
        return
    for position, (code, name) in enumerate(declared_roles()):
        Role.objects.using(using).update_or_create(code=code, defaults={"name": name, "position": position})

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from alliance.core.signals import worker_sweep
from alliance.network import duplicates, selectors, services
from alliance.network.models import Organization, Person


@receiver(worker_sweep)
def resume_welcomes(sender, *, periodic: bool, **kwargs) -> int:
    return services.welcomes_resume(overdue_only=periodic)


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

"""The network's receivers: its own reactions to core's and its own signals."""

from django.dispatch import receiver

from alliance.core.signals import worker_sweep
from alliance.network import services
from alliance.network.signals import person_confirmed


@receiver(person_confirmed)
def welcome_newcomer(sender, *, person, **kwargs) -> None:
    """Every confirmed member gets their one personal welcome (once, however often they confirm)."""
    services.welcome_create(person=person)


@receiver(worker_sweep)
def resume_welcomes(sender, *, periodic: bool, **kwargs) -> int:
    return services.welcomes_missing_create() + services.welcomes_resume(overdue_only=periodic)

from django.dispatch import receiver

from alliance.core.signals import worker_sweep
from alliance.network import importing, services


@receiver(worker_sweep)
def resume_welcomes(sender, *, periodic: bool, **kwargs) -> int:
    return services.welcomes_resume(overdue_only=periodic)


@receiver(worker_sweep)
def resume_imports(sender, *, periodic: bool, **kwargs) -> int:
    return importing.people_imports_resume(overdue_only=periodic)

"""Shared measurement's answers to core's signals."""

from django.dispatch import receiver

from alliance.core.signals import worker_sweep
from alliance.measure import loading


@receiver(worker_sweep)
def resume_datasets(sender, **kwargs) -> int:
    return loading.datasets_resume()

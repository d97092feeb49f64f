from django.dispatch import receiver

from alliance.core.signals import worker_starting
from alliance.network import services


@receiver(worker_starting)
def resume_welcomes(sender, **kwargs) -> int:
    return services.welcomes_resume()

"""System checks of the network's settings, run by every `alliance` command (the worker included) at start."""

from django.conf import settings
from django.core.checks import Error, register


@register()
def welcome_lease_exceeds_mail_timeout(app_configs, **kwargs) -> list[Error]:
    """A welcome's lease must outlast the mail server's timeout.

    Otherwise a worker still waiting on a slow server loses its lease, a second worker claims the
    welcome and sends it too: the newcomer gets two welcomes.
    """
    timeout = settings.MAILERS.get("default", {}).get("OPTIONS", {}).get("timeout")
    if timeout is None or timeout < settings.WELCOME_LEASE_SECONDS:
        return []
    return [
        Error(
            f"WELCOME_LEASE_SECONDS ({settings.WELCOME_LEASE_SECONDS}) must be longer than the mail "
            f"timeout EMAIL_TIMEOUT ({timeout}).",
            hint="Raise WELCOME_LEASE_SECONDS (several times EMAIL_TIMEOUT) or lower EMAIL_TIMEOUT.",
            id="network.E001",
        )
    ]

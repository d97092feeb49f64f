"""Background work of the network; each task takes primary keys and calls one service."""

from django.tasks import task

from alliance.network import services


@task()
def send_signup_confirmation(*, signup_id: int) -> None:
    services.signup_confirmation_send(signup_id=signup_id)


@task()
def deliver_welcome(*, welcome_id: int) -> bool:
    return services.welcome_deliver(welcome_id=welcome_id)

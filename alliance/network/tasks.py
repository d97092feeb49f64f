"""Background work of the network; each task takes primary keys and calls one service."""

from django.tasks import task

from alliance.network import duplicates, importing, services


@task()
def send_signup_confirmation(*, signup_id: int) -> None:
    services.signup_confirmation_send(signup_id=signup_id)


@task()
def deliver_welcome(*, welcome_id: int) -> bool:
    return services.welcome_deliver(welcome_id=welcome_id)


@task()
def check_people_import(*, import_id: int) -> str:
    return importing.people_import_check(import_id=import_id).status


@task()
def run_people_import(*, import_id: int) -> str:
    return importing.people_import_run(import_id=import_id).status


@task()
def refresh_duplicates() -> int:
    return duplicates.duplicates_refresh()

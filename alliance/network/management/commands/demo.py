import os
import signal
import subprocess
import sys

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand

from alliance.network import demo
from alliance.network.accounts import person_link_account
from alliance.network.models import Person, Role


class Command(BaseCommand):
    help = (
        "Build the demo alliance (six states, about 1,200 people) in an empty database and print the "
        "logins. Safe to run again: an existing demo is kept. With --serve, also run the site and a worker."
    )

    def add_arguments(self, parser):
        parser.add_argument("--serve", action="store_true", help="Then serve on --bind with a background worker.")
        parser.add_argument("--bind", default=os.environ.get("BIND", "127.0.0.1:8000"))

    def handle(self, *, serve: bool, bind: str, **options):
        call_command("migrate", interactive=False, verbosity=0)
        if demo.demo_loaded():
            self.stdout.write("The demo alliance is already loaded; keeping it.")
        else:
            self.stdout.write("Building the demo alliance...")
            counts = demo.demo_build()
            self.stdout.write(
                f"  {counts['people']} people, {counts['organizations']} organizations, "
                f"{counts['steering']} steering committee members, {counts['welcomes']} welcomes sent"
            )
        steering_email = self._logins()
        self.stdout.write(
            self.style.SUCCESS(
                f"\nAlliance demo is ready at http://{bind}/\n"
                f"  staff login:              {demo.STAFF_EMAIL} / {demo.STAFF_PASSWORD}\n"
                f"  steering committee login: {steering_email} / {demo.STAFF_PASSWORD}\n"
            )
        )
        if serve:
            self._serve(bind)

    def _logins(self) -> str:
        User = get_user_model()
        staff, _ = User.objects.get_or_create(
            username="staff", defaults={"email": demo.STAFF_EMAIL, "is_staff": True, "is_superuser": True}
        )
        staff.set_password(demo.STAFF_PASSWORD)
        staff.save()
        _ensure_verified(staff)
        person = Person.objects.filter(roles=Role.STEERING, status=Person.Status.ACTIVE).order_by("pk").first()
        if person is None:
            return "(no steering committee)"
        user = person.user or User.objects.filter(email=person.email).first()
        if user is None:
            user = User.objects.create_user(username=person.email, email=person.email)
        user.set_password(demo.STEERING_PASSWORD)
        user.save()
        _ensure_verified(user)
        if person.user_id is None:
            person_link_account(user=user)
        return person.email

    def _serve(self, bind: str) -> None:
        alliance = [sys.executable, "-m", "alliance.cli"]
        worker = subprocess.Popen([*alliance, "worker"])  # noqa: S603 - our own command
        try:
            subprocess.run([*alliance, "serve", "--no-migrate", "--bind", bind], check=False)  # noqa: S603
        except KeyboardInterrupt:
            pass
        finally:
            worker.send_signal(signal.SIGTERM)
            worker.wait(timeout=30)


def _ensure_verified(user) -> None:
    from allauth.account.models import EmailAddress

    EmailAddress.objects.update_or_create(
        user=user, email=user.email.lower(), defaults={"verified": True, "primary": True}
    )

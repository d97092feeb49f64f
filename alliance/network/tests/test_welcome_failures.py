"""A welcome that cannot go out is marked failed, with the reason, and staff see it and send it again;
one that went out after its worker lost the lease is recorded by the worker holding it, not twice."""

import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from alliance.core.models import AuditEntry
from alliance.core.tests.smtp import Mailbox, SMTPServer
from alliance.network import services
from alliance.network.models import Event, Role, Welcome, WelcomeTemplate
from alliance.settings import email_settings
from alliance.testing.fixtures import make_person

PAGE = reverse("network:welcome-template")


@pytest.fixture
def broken_text(member_states):
    """A text saved before texts were checked (or straight into the database): it cannot be filled in."""
    return WelcomeTemplate.objects.create(language="en", subject="Welcome {first_name}", body="See you at {the meeting")


def test_a_welcome_whose_text_cannot_be_filled_in_is_failed_and_shown_to_staff(
    broken_text, sam, as_alice, django_capture_on_commit_callbacks
):
    newcomer = make_person(first_name="Fay", last_name="Failed", state="CO")
    with django_capture_on_commit_callbacks(execute=True):
        welcome = services.welcome_create(person=newcomer)
    welcome.refresh_from_db()
    assert (welcome.status, welcome.lease_until) == (Welcome.Status.FAILED, None)
    assert "could not be filled in" in welcome.error
    assert mail.outbox == []
    assert not Event.objects.filter(kind="network.welcome.sent").exists()

    page = as_alice.get(PAGE)
    assert list(page.context["attention"]) == [welcome]
    html = page.content.decode()
    assert "Fay Failed" in html and "could not be filled in" in html and "Send again" in html

    # Staff mend the text, then send it again.
    broken_text.delete()
    with django_capture_on_commit_callbacks(execute=True):
        response = as_alice.post(reverse("network:welcome-retry", args=[welcome.pk]))
    assert response.status_code == 302
    welcome.refresh_from_db()
    assert (welcome.status, welcome.sender, welcome.error) == (Welcome.Status.SENT, sam, "")
    assert [m.to for m in mail.outbox] == [[newcomer.email]]
    assert AuditEntry.objects.filter(action="network.welcome.retried", target_id=str(newcomer.pk)).count() == 1
    assert list(as_alice.get(PAGE).context["attention"]) == []


def test_staff_see_who_waits_for_a_sender_and_send_once_someone_can(
    as_alice, alice, member_states, django_capture_on_commit_callbacks
):
    alice.roles.remove(Role.BACKBONE)  # a staff account whose person holds no role: nobody can send
    newcomer = make_person(first_name="Wes", last_name="Waiting", state="NV")
    welcome = services.welcome_create(person=newcomer)
    html = as_alice.get(PAGE).content.decode()
    assert "Wes Waiting" in html and "Waiting for a sender" in html

    response = as_alice.post(reverse("network:welcome-retry", args=[welcome.pk]), follow=True)
    assert "Nobody can send this welcome yet" in response.content.decode()
    alice.roles.add(Role.BACKBONE)
    with django_capture_on_commit_callbacks(execute=True):
        as_alice.post(reverse("network:welcome-retry", args=[welcome.pk]))
    welcome.refresh_from_db()
    assert (welcome.status, welcome.sender, welcome.sender_role) == (Welcome.Status.SENT, alice, Role.BACKBONE)


def test_a_sent_welcome_is_not_sent_again(as_alice, sam, django_capture_on_commit_callbacks):
    newcomer = make_person(first_name="Sue", last_name="Sent", state="CO")
    with django_capture_on_commit_callbacks(execute=True):
        welcome = services.welcome_create(person=newcomer)
        response = as_alice.post(reverse("network:welcome-retry", args=[welcome.pk]), follow=True)
    assert "nothing to send again" in response.content.decode()
    assert len(mail.outbox) == 1
    assert not AuditEntry.objects.filter(action="network.welcome.retried").exists()


def test_only_staff_send_a_welcome_again(as_sam, sam, broken_text, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        welcome = services.welcome_create(person=make_person(first_name="Fay", last_name="F", state="CO"))
    assert as_sam.post(reverse("network:welcome-retry", args=[welcome.pk])).status_code == 403
    welcome.refresh_from_db()
    assert welcome.status == Welcome.Status.FAILED


def test_a_line_break_in_a_name_does_not_break_the_welcome(sam, smtp_server, member_states):
    newcomer = make_person(first_name="Ana", last_name="Line", state="CO")
    newcomer.first_name = "Ana\nBcc: victim@example.org"  # as an import before input checks could store it
    newcomer.save(update_fields=["first_name"])
    welcome = Welcome.objects.create(person=newcomer, sender=sam, sender_role=Role.STEERING)
    assert services.welcome_deliver(welcome_id=welcome.pk) is True
    [message] = smtp_server.mailbox.messages
    assert str(message["Subject"]).endswith("Ana Bcc: victim@example.org")
    assert message["Bcc"] is None


def test_staff_see_who_welcomed_whom(as_alice, sam, alice, django_assert_max_num_queries):
    for i, (sender, role) in enumerate([(sam, Role.STEERING), (alice, Role.BACKBONE), (alice, Role.BACKBONE)]):
        person = make_person(first_name=f"New{i}", last_name="Comer", state="CO")
        Welcome.objects.create(person=person, sender=sender, sender_role=role, status=Welcome.Status.SENT)
    with django_assert_max_num_queries(8):
        response = as_alice.get(reverse("network:welcome-list"))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("Backbone staff") == 2 and html.count("Steering committee") == 1
    assert "Sam Steering" in html and "New2 Comer" in html


class Stalling(Mailbox):
    """Holds each message until released, as a slow mail server does."""

    def __init__(self):
        super().__init__()
        self.holding = threading.Event()
        self.release = threading.Event()

    async def handle_DATA(self, server, session, envelope):
        import asyncio

        self.holding.set()
        while not self.release.is_set():
            await asyncio.sleep(0.02)
        return await super().handle_DATA(server, session, envelope)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_worker_that_lost_its_lease_does_not_write_sent(settings, sam, member_states):
    newcomer = make_person(first_name="Lea", last_name="Lost", state="CO")
    welcome = Welcome.objects.create(person=newcomer, sender=sam, sender_role=Role.STEERING)
    result = {}
    with SMTPServer(Stalling()) as server:
        settings.MAILERS = {"default": email_settings(server.url)}
        slow = threading.Thread(target=lambda: result.update(sent=services.welcome_deliver(welcome_id=welcome.pk)))
        slow.start()
        try:
            assert server.mailbox.holding.wait(10)
            # Meanwhile the lease ran out and another worker claimed the welcome (as welcome_deliver does).
            later = timezone.now() + timedelta(minutes=5)
            assert Welcome.objects.filter(pk=welcome.pk).update(lease_until=later) == 1
        finally:
            server.mailbox.release.set()
            slow.join(20)
    assert result == {"sent": False}
    welcome.refresh_from_db()
    assert (welcome.status, welcome.lease_until, welcome.sent) == (Welcome.Status.SENDING, later, None)
    assert not Event.objects.filter(person=newcomer, kind="network.welcome.sent").exists()

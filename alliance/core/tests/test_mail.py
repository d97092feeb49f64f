"""Every message sent through core.mail is logged, one row per recipient, with what became of it."""

import pytest

from alliance.core import mail
from alliance.core.models import OutboundMessage
from alliance.core.tests.smtp import Mailbox, SMTPServer
from alliance.settings import email_settings


class Refusing(Mailbox):
    async def handle_DATA(self, server, session, envelope):
        return "554 5.7.1 Message rejected as spam"


def test_it_logs_a_sent_message_with_the_message_id_the_recipient_sees(smtp_server, db):
    row = mail.send(to="ana@example.org", subject="Hello", body="Hi Ana", kind="test.greeting")
    [received] = smtp_server.mailbox.wait_for(lambda m: True)
    row.refresh_from_db()
    assert (row.recipient, row.kind, row.subject, row.status) == ("ana@example.org", "test.greeting", "Hello", "sent")
    assert row.message_id == received["Message-ID"]
    assert row.sent is not None and row.error == ""


def test_it_keeps_a_stable_message_id_given_by_the_sender(smtp_server, db):
    mail.send(to="b@example.org", subject="S", body="B", kind="test.x", headers={"Message-ID": "<x-1@example.org>"})
    assert OutboundMessage.objects.get().message_id == "<x-1@example.org>"


def test_it_logs_a_refused_message_as_failed_with_the_servers_answer(settings, db):
    with SMTPServer(Refusing()) as server:
        settings.MAILERS = {"default": email_settings(server.url)}
        with pytest.raises(Exception, match="554"):
            mail.send(to="spam@example.org", subject="Buy", body="now", kind="test.spam")
    row = OutboundMessage.objects.get()
    assert row.status == OutboundMessage.Status.FAILED
    assert "rejected as spam" in row.error
    assert row.sent is None


def test_it_shows_the_log_to_staff_in_the_admin_read_only(admin_client, db):
    mail.send(to="c@example.org", subject="Logged", body="B", kind="test.admin")
    row = OutboundMessage.objects.get()
    listing = admin_client.get("/admin/core/outboundmessage/")
    assert listing.status_code == 200
    assert b"c@example.org" in listing.content
    assert admin_client.get("/admin/core/outboundmessage/add/").status_code == 403
    change = admin_client.post(f"/admin/core/outboundmessage/{row.pk}/change/", {"subject": "changed"})
    assert change.status_code in {200, 403}
    row.refresh_from_db()
    assert row.subject == "Logged"

"""The network's mail and allauth's account mail all land in the one outbound log, by kind."""

import re

from django.urls import reverse

from alliance.core.models import OutboundMessage
from alliance.network.models import Role
from alliance.testing.fixtures import make_person

JOIN = {
    "first_name": "Lena",
    "last_name": "Log",
    "email": "lena.log@example.org",
    "state": "NM",
    "sector": "k12",
    "consent_to_email": "on",
}


def test_it_logs_the_confirmation_and_the_welcome_with_their_status(
    client, smtp_server, member_states, django_capture_on_commit_callbacks
):
    make_person(first_name="Nora", last_name="Mexico", state="NM", roles=[Role.STEERING])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("network:join"), JOIN)
    [confirmation] = smtp_server.mailbox.to("lena.log@example.org")
    link = re.search(r"http://\S+/join/confirm/\S+/", confirmation.get_content()).group(0)
    with django_capture_on_commit_callbacks(execute=True):
        client.get(link)
        client.post(link)  # whichever way the page confirms, one welcome follows
    rows = OutboundMessage.objects.filter(recipient="lena.log@example.org").order_by("created", "pk")
    assert [(r.kind, r.status) for r in rows] == [("network.signup.confirm", "sent"), ("network.welcome", "sent")]
    received = {str(m["Message-ID"]) for m in smtp_server.mailbox.to("lena.log@example.org")}
    assert {r.message_id for r in rows} == received


def test_it_logs_the_sign_in_codes_allauth_sends(client, smtp_server, sam):
    response = client.post(reverse("account_request_login_code"), {"email": sam.email})
    assert response.status_code == 302
    [row] = OutboundMessage.objects.filter(recipient=sam.email)
    assert (row.kind, row.status) == ("account.login_code", "sent")
    assert [str(m["Message-ID"]) for m in smtp_server.mailbox.to(sam.email)] == [row.message_id]

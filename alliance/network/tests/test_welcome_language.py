"""Newcomers are welcomed in the language they joined in; staff keep a text per language."""

import pytest
from django.core import mail

from alliance.core.tests.smtp import body_of
from alliance.network import services
from alliance.network.models import Role, Welcome
from alliance.network.tests.welcomes import welcomes_in
from alliance.testing.fixtures import make_person


def welcome_to(person, sender) -> Welcome:
    return Welcome.objects.create(person=person, sender=sender, sender_role=Role.STEERING)


def test_a_spanish_joiner_is_welcomed_in_spanish_through_the_mail_server(smtp_server, sam, member_states):
    rosa = make_person(first_name="Rosa", last_name="Quintana", state="NM", language="es")
    assert services.welcome_deliver(welcome_id=welcome_to(rosa, sam).pk) is True
    [message] = welcomes_in(smtp_server.mailbox)
    body = body_of(message).replace("\r\n", "\n")
    assert message["Subject"] == "Rosa, le damos la bienvenida a Intermountain STEM Alliance"
    assert body.startswith("Hola, Rosa:\n\nSoy Sam, ")
    assert "me da mucho gusto" in body and "Nomás responda a este" in body and "Con cariño,\nSam Steering" in body
    assert "Dear" not in body


def test_an_english_joiner_beside_them_gets_english(smtp_server, sam, member_states):
    tom = make_person(first_name="Tom", last_name="Reyes", state="CO")  # language left empty: the site's
    services.welcome_deliver(welcome_id=welcome_to(tom, sam).pk)
    [message] = welcomes_in(smtp_server.mailbox)
    assert message["Subject"] == "Welcome to Intermountain STEM Alliance, Tom"
    assert (
        body_of(message).replace("\r\n", "\n").startswith("Dear Tom,\n\nI'm Sam, a member of the steering committee of")
    )


@pytest.mark.parametrize(("language", "greeting"), [("es-mx", "Hola,"), ("fr", "Dear"), ("", "Dear")])
def test_it_writes_in_the_closest_language_the_site_offers(sam, member_states, language, greeting):
    person = make_person(first_name="Ana", last_name="Lang", state="NM", language=language)
    services.welcome_deliver(welcome_id=welcome_to(person, sam).pk)
    assert mail.outbox[-1].body.startswith(f"{greeting} ")


def test_staff_keep_a_spanish_text_beside_the_english_one(sam, member_states):
    services.welcome_template_update(
        subject="Hola {first_name}", body="¡Bienvenida, {first_name}!", actor=None, language="es"
    )
    services.welcome_template_update(subject="Hi {first_name}", body="Welcome, {first_name}!", actor=None)
    ana = make_person(first_name="Ana", last_name="Es", state="NM", language="es")
    bob = make_person(first_name="Bob", last_name="En", state="NM", language="en")
    services.welcome_deliver(welcome_id=welcome_to(ana, sam).pk)
    services.welcome_deliver(welcome_id=welcome_to(bob, sam).pk)
    assert [(m.subject, m.body) for m in mail.outbox] == [
        ("Hola Ana", "¡Bienvenida, Ana!\n"),
        ("Hi Bob", "Welcome, Bob!\n"),
    ]


def test_a_language_without_a_text_falls_back_to_the_default_languages(settings, sam, member_states):
    settings.LANGUAGES = [*settings.LANGUAGES, ("fr", "Français")]
    services.welcome_template_update(subject="Hi {first_name}", body="Welcome!", actor=None)
    marie = make_person(first_name="Marie", last_name="Fr", state="NM", language="fr")
    services.welcome_deliver(welcome_id=welcome_to(marie, sam).pk)
    assert (mail.outbox[-1].subject, mail.outbox[-1].body) == ("Hi Marie", "Welcome!\n")

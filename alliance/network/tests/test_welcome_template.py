import pytest
from django.core import mail
from django.urls import reverse

from alliance.core.models import AuditEntry
from alliance.network import services
from alliance.network.models import Welcome, WelcomeTemplate
from alliance.testing.fixtures import make_person

URL = reverse("network:welcome-template")


def texts(**changes) -> dict[str, str]:
    """The form as the page shows it (both languages' current text), with `changes` typed in."""
    data = {}
    for code in ("en", "es"):
        template = services.welcome_template_current(language=code)
        data |= {f"subject_{code}": template.subject, f"body_{code}": template.body}
    return data | changes


def test_it_lets_staff_edit_the_welcome_and_uses_it_for_the_next_one(as_alice, sam, django_capture_on_commit_callbacks):
    response = as_alice.post(
        URL, texts(subject_en="Hello {first_name}!", body_en="Hi {first_name}, I am {sender_full_name}.")
    )
    assert response.status_code == 302
    [entry] = AuditEntry.objects.filter(action="network.welcome_template.updated")
    assert entry.data == {"language": "en"}
    newcomer = make_person(first_name="Tomas", last_name="Reyes", state="CO")
    with django_capture_on_commit_callbacks(execute=True):
        services.welcome_create(person=newcomer)
    assert mail.outbox[-1].subject == "Hello Tomas!"
    assert mail.outbox[-1].body.strip() == "Hi Tomas, I am Sam Steering."
    assert Welcome.objects.get(person=newcomer).status == Welcome.Status.SENT


def test_it_refuses_a_stray_brace_and_says_where_it_is(as_alice, member_states):
    before = texts()
    broken = "Dear {first_name},\n\nSee you at the {annual meeting!\n"
    response = as_alice.post(URL, texts(body_en=broken))
    assert response.status_code == 200
    [error] = response.context["form"].errors["body_en"]
    assert 'stray "{" on line 3' in error
    assert "annual meeting" in error
    assert texts() == before
    assert not AuditEntry.objects.exists()


def test_it_refuses_a_lone_closing_brace(as_alice, member_states):
    response = as_alice.post(URL, texts(subject_es="Hola } {first_name}"))
    [error] = response.context["form"].errors["subject_es"]
    assert 'stray "}" on line 1' in error


@pytest.mark.parametrize("written", ["{nickname}", "{0}", "{}", "{first_name.upper}", "{first_name!r}"])
def test_it_refuses_an_unknown_placeholder_and_names_it(as_alice, member_states, written):
    response = as_alice.post(URL, texts(body_en=f"Hi {written}, from {{sender_full_name}}"))
    assert response.status_code == 200
    [error] = response.context["form"].errors["body_en"]
    assert f"Unknown placeholder {written}." in error
    assert "{sender_role}" in error  # the allowed ones are listed
    assert "{sender_full_name}" not in error.split(".")[0]


def test_it_accepts_doubled_braces_as_braces(as_alice, sam, django_capture_on_commit_callbacks):
    assert as_alice.post(URL, texts(body_en="Use {{curly}} braces, {first_name}.")).status_code == 302
    newcomer = make_person(first_name="Bea", last_name="Brace", state="CO")
    with django_capture_on_commit_callbacks(execute=True):
        services.welcome_create(person=newcomer)
    assert mail.outbox[-1].body.strip() == "Use {curly} braces, Bea."


def test_the_service_refuses_a_broken_text_too(member_states):
    with pytest.raises(services.NetworkError, match="stray"):
        services.welcome_template_update(subject="Hi {first_name", body="Body", actor=None)
    with pytest.raises(services.NetworkError, match=r"\{nickname\}"):
        services.welcome_template_update(subject="Hi", body="{nickname}", actor=None, language="es")
    assert not WelcomeTemplate.objects.filter(subject__startswith="Hi").exists()


def test_it_renders_placeholders_unknown_to_this_version_empty(sam, member_states):
    """A text saved before the checks existed still goes out, its unknown placeholders blank."""
    WelcomeTemplate.objects.create(language="en", subject="Hi {nickname}", body="{unknown}Body")
    welcome = Welcome(person=make_person(first_name="A", last_name="B"), sender=sam)
    assert services.welcome_render(welcome) == ("Hi", "Body\n")


def test_it_shows_the_current_text_in_each_language(as_alice):
    response = as_alice.get(URL)
    assert response.status_code == 200
    initial = response.context["form"].initial
    assert initial["subject_en"] == services.DEFAULT_WELCOME_SUBJECT
    assert initial["body_es"] == services.DEFAULT_WELCOMES["es"][1]
    assert "Message (Español)" in response.content.decode()


@pytest.mark.parametrize("persona", ["as_sam", "as_chris", "as_mia", "as_olga"])
def test_it_is_only_for_staff(persona, request, db):
    client = request.getfixturevalue(persona)
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"subject_en": "x", "body_en": "y"}).status_code == 403
    assert client.get(reverse("network:welcome-list")).status_code == 403

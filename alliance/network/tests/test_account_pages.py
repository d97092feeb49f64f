"""Account pages (allauth) in Alliance's own layout and languages, reachable from the profile."""

import pytest
from django.urls import reverse

ANONYMOUS_PAGES = [
    "account_login",
    "account_signup",
    "account_reset_password",
    "account_reset_password_done",
    "account_request_login_code",
    "account_email_verification_sent",
]
MEMBER_PAGES = ["account_email", "account_change_password"]


def in_alliance_layout(html: str) -> bool:
    return all(part in html for part in ['class="skip"', 'aria-label="Main"', 'id="main"', 'name="language"'])


@pytest.mark.parametrize("name", ANONYMOUS_PAGES)
def test_every_account_page_is_in_alliances_layout(client, member_states, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    html = response.content.decode()
    assert in_alliance_layout(html)
    assert "Intermountain STEM Alliance</title>" in html


@pytest.mark.parametrize("name", MEMBER_PAGES)
def test_every_account_page_of_a_member_is_in_alliances_layout(as_mia, name):
    response = as_mia.get(reverse(name))
    assert response.status_code == 200
    assert in_alliance_layout(response.content.decode())


def test_account_pages_speak_the_visitors_language(client, member_states):
    response = client.get(reverse("account_login"), headers={"accept-language": "es"})
    html = response.content.decode()
    assert '<html lang="es">' in html
    assert "Iniciar sesión" in html  # allauth's own Spanish


def test_signing_up_from_the_login_page_goes_through_join(client, member_states):
    html = client.get(reverse("account_login")).content.decode()
    assert f'href="{reverse("network:join")}"' in html
    html = client.get(reverse("account_signup")).content.decode()
    assert f'href="{reverse("network:join")}"' in html


def test_form_errors_are_tied_to_their_field(client, member_states):
    response = client.post(reverse("account_signup"), {"email": "not-an-address", "password1": "x", "password2": "y"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_email_error"' in html


def test_the_profile_leads_to_the_account_pages(as_mia):
    html = as_mia.get(reverse("network:profile")).content.decode()
    assert f'href="{reverse("account_email")}"' in html
    assert f'href="{reverse("account_change_password")}"' in html


def test_a_member_chooses_the_language_of_their_mail_on_the_profile(as_mia, mia):
    response = as_mia.post(reverse("network:profile"), {"language": "es", "title": "Teacher"})
    assert response.status_code == 302
    mia.refresh_from_db()
    assert (mia.language, mia.title) == ("es", "Teacher")

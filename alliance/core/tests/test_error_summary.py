"""After a failed submit every form opens with one summary of its errors, linking to each field in error."""

import re

import pytest

LONG = "x" * 300


def forms(people):
    """(persona, url, data, field in error) for every form a person fills in."""
    return [
        ("client", "/join/", {"first_name": "Rosa", "email": "not-an-address"}, "email"),
        ("as_alice", "/people/new/", {"first_name": "Rosa"}, "last_name"),
        ("as_alice", f"/people/{people['mia'].pk}/edit/", {"first_name": ""}, "first_name"),
        ("as_mia", "/me/", {"title": LONG}, "title"),
        ("as_alice", "/welcome/", {"subject_en": "", "body_en": "Hi", "subject_es": "Hola", "body_es": "Hola"}, "subject_en"),  # noqa: E501
        ("as_alice", "/people/import/", {"note": "no file"}, "file"),
        ("as_mia", "/api-tokens/", {"name": ""}, "name"),
        ("client", "/accounts/login/", {"login": "nobody@example.org", "password": ""}, "password"),
        ("as_mia", "/accounts/password/change/", {"oldpassword": "wrong"}, "password1"),
    ]


@pytest.fixture
def people(alice, mia):
    return {"alice": alice, "mia": mia}


def test_it_summarises_the_errors_of_every_form_after_a_failed_submit(people, request):
    missing = []
    for persona, url, data, field in forms(people):
        response = request.getfixturevalue(persona).post(url, data)
        html = response.content.decode()
        summary = re.search(r'<section class="error-summary".*?</section>', html, re.S)
        if response.status_code != 200 or summary is None:
            missing.append(f"{url}: no summary (status {response.status_code})")
        elif f'href="#id_{field}"' not in summary.group(0):
            missing.append(f"{url}: the summary does not link to {field}")
        elif 'tabindex="-1"' not in summary.group(0):
            missing.append(f"{url}: the summary cannot take focus")
    assert missing == []


def test_it_shows_no_summary_before_a_submit(people, as_alice):
    for url in ["/people/new/", "/welcome/", "/people/import/", "/api-tokens/"]:
        assert "error-summary" not in as_alice.get(url).content.decode(), url

import hashlib

import pytest
from django.test import Client

from alliance.api import services
from alliance.api.models import ApiToken

PEOPLE = "/api/network/people"


@pytest.fixture
def mia_key(mia):
    _token, key = services.api_token_create(user=mia.user, name="sync")
    return key


def bearer(key: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_it_answers_a_valid_token(client, mia_key, mia):
    response = client.get(PEOPLE, **bearer(mia_key))
    assert response.status_code == 200
    assert response.json()["count"] == 1
    token = ApiToken.objects.get()
    assert token.last_used is not None


def test_it_stores_only_a_hash_of_the_token(mia_key):
    token = ApiToken.objects.get()
    assert token.key_hash == hashlib.sha256(mia_key.encode()).hexdigest()
    assert mia_key not in {token.key_hash, token.prefix, token.name}
    assert mia_key.startswith(token.prefix)


def test_it_refuses_a_revoked_token(client, mia_key, mia):
    services.api_token_revoke(token=ApiToken.objects.get(), actor=mia.user)
    response = client.get(PEOPLE, **bearer(mia_key))
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    assert set(response.json()) == {"error"}


def test_it_refuses_an_unknown_token(client, mia_key):
    response = client.get(PEOPLE, **bearer(mia_key + "x"))
    assert response.status_code == 401
    assert response.json() == {"error": "Sign in, or send an API token as 'Authorization: Bearer <token>'."}


def test_it_refuses_a_token_of_a_deactivated_account(client, mia_key, mia):
    mia.user.is_active = False
    mia.user.save(update_fields=["is_active"])
    assert client.get(PEOPLE, **bearer(mia_key)).status_code == 401


def test_it_refuses_anonymous_callers(client, member_states):
    response = client.get(PEOPLE)
    assert response.status_code == 401
    assert "error" in response.json()


def test_it_answers_a_browser_session(as_mia):
    response = as_mia.get(PEOPLE)
    assert response.status_code == 200
    assert [p["full_name"] for p in response.json()["items"]] == ["Mia Member"]


def test_it_requires_the_csrf_token_for_a_session_write(alice):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(alice.user)
    payload = {"first_name": "Rosa", "last_name": "Quintana", "email": "rosa@example.org"}
    response = browser.post(PEOPLE, payload, content_type="application/json")
    assert response.status_code == 403
    assert response.json() == {"error": "CSRF check Failed"}


def test_it_needs_no_csrf_token_with_a_bearer_token(alice):
    _token, key = services.api_token_create(user=alice.user, name="import")
    browser = Client(enforce_csrf_checks=True)
    payload = {"first_name": "Rosa", "last_name": "Quintana", "email": "rosa@example.org"}
    response = browser.post(PEOPLE, payload, content_type="application/json", **bearer(key))
    assert response.status_code == 201


def test_it_serves_the_schema_and_the_docs(client, db):
    schema = client.get("/api/openapi.json")
    assert schema.status_code == 200
    assert (schema.json()["info"]["title"], schema.json()["info"]["version"]) == ("Alliance API", "1")
    assert "/api/network/people" in schema.json()["paths"]
    docs = client.get("/api/docs")
    assert docs.status_code == 200
    assert b"swagger-ui" in docs.content
    assert b"cdn." not in docs.content  # served from our own static files, as the CSP demands

import re

from django.urls import reverse

from alliance.api import services
from alliance.api.models import ApiToken
from alliance.core.models import AuditEntry

TOKENS = "/api-tokens/"


def test_it_shows_the_tokens_page_to_a_member(as_mia):
    response = as_mia.get(reverse("apitokens:tokens"))
    assert response.status_code == 200
    assert b'name="name"' in response.content
    assert b"You have no tokens yet." in response.content


def test_it_sends_anonymous_visitors_to_log_in(client, db):
    response = client.get(TOKENS)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_it_refuses_an_account_without_membership(as_olga):
    assert as_olga.get(TOKENS).status_code == 403
    assert as_olga.post(TOKENS, {"name": "x"}).status_code == 403
    assert ApiToken.objects.count() == 0


def test_it_creates_a_token_and_shows_it_once(as_mia, mia, client):
    response = as_mia.post(TOKENS, {"name": "State dashboard"})
    assert response.status_code == 200
    key = re.search(rb'id="new-token-key" type="text" readonly value="(alc_[^"]+)"', response.content).group(1).decode()
    token = ApiToken.objects.get()
    assert token.user == mia.user
    assert token.name == "State dashboard"
    assert response["Cache-Control"] == "no-store"
    assert AuditEntry.objects.filter(action="api.token.created", actor=mia.user).count() == 1
    # The key works, and the page never shows it again.
    assert client.get("/api/network/people", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200
    again = as_mia.get(TOKENS)
    assert key.encode() not in again.content
    assert token.prefix.encode() in again.content


def test_it_rejects_a_token_without_a_name(as_mia):
    response = as_mia.post(TOKENS, {"name": ""})
    assert response.status_code == 200
    assert b'id="id_name_error"' in response.content
    assert ApiToken.objects.count() == 0


def test_it_revokes_a_token(as_mia, mia, client):
    token, key = services.api_token_create(user=mia.user, name="sync")
    response = as_mia.post(reverse("apitokens:revoke", args=[token.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("apitokens:tokens")
    token.refresh_from_db()
    assert token.revoked is not None
    assert AuditEntry.objects.filter(action="api.token.revoked", target_id=str(token.pk)).count() == 1
    assert client.get("/api/network/people", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401


def test_it_does_not_revoke_someone_elses_token(as_mia, sam):
    token, _key = services.api_token_create(user=sam.user, name="sam's")
    response = as_mia.post(reverse("apitokens:revoke", args=[token.pk]))
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked is None


def test_it_revokes_only_by_post(as_mia, mia):
    token, _key = services.api_token_create(user=mia.user, name="sync")
    assert as_mia.get(reverse("apitokens:revoke", args=[token.pk])).status_code == 405
    token.refresh_from_db()
    assert token.revoked is None

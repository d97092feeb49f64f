"""The page where a signed-in member creates and revokes their own API tokens."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alliance.api import selectors, services
from alliance.api.forms import ApiTokenForm
from alliance.core import policy


@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, "api.token.create")
    form = ApiTokenForm(request.POST or None)
    new_key = None
    if request.method == "POST" and form.is_valid():
        _token, new_key = services.api_token_create(user=request.user, name=form.cleaned_data["name"])
        # The key is rendered in this response only (never stored, never redirected with).
        form = ApiTokenForm()
    context = {"form": form, "tokens": selectors.api_token_list(user=request.user), "new_key": new_key}
    response = render(request, "api/tokens.html", context)
    if new_key:
        response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    token = selectors.access_api_token(user=request.user, token_id=token_id)
    services.api_token_revoke(token=token, actor=request.user)
    messages.success(request, _("The token “%(name)s” is revoked; it no longer works.") % {"name": token.name})
    return redirect("apitokens:tokens")

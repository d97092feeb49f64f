"""Staff take a person out of the network and bring them back; the deactivated people's list."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from alliance.core import policy
from alliance.network import people, selectors
from alliance.network.services import NetworkError

PAGE_SIZE = 50


class ReasonForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Why (kept in the history)"), max_length=300, required=False)


@login_required
def person_deactivate(request: HttpRequest, person_id: int) -> HttpResponse:
    """GET asks why; POST deactivates."""
    policy.require(request.user, "network.person.deactivate")
    person = selectors.access_person(user=request.user, person_id=person_id)
    if request.method != "POST":
        return render(request, "network/person_deactivate.html", {"person": person, "form": ReasonForm()})
    form = ReasonForm(request.POST)
    try:
        reason = form.cleaned_data["reason"] if form.is_valid() else ""
        people.person_deactivate(person=person, reason=reason, actor=request.user)
    except NetworkError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("%(name)s is deactivated.") % {"name": person.full_name})
    return redirect("network:person-detail", person_id=person.pk)


@login_required
@require_POST
def person_reactivate(request: HttpRequest, person_id: int) -> HttpResponse:
    policy.require(request.user, "network.person.deactivate")
    person = selectors.access_person(user=request.user, person_id=person_id)
    form = ReasonForm(request.POST)
    try:
        reason = form.cleaned_data["reason"] if form.is_valid() else ""
        people.person_reactivate(person=person, reason=reason, actor=request.user)
    except NetworkError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("%(name)s is active again.") % {"name": person.full_name})
    return redirect("network:person-detail", person_id=person.pk)


@login_required
def inactive_list(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, "network.person.deactivate")
    page = Paginator(selectors.person_inactive_list(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "network/people_inactive.html", {"page": page})

"""Editing people: staff edit any record and its roles; a member edits their own profile."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from alliance.core import policy
from alliance.network import people, rules, selectors
from alliance.network.forms import PersonForm, ProfileForm, person_fields
from alliance.network.services import NetworkError


@login_required
def person_add(request: HttpRequest) -> HttpResponse:
    """Staff add one person they know (no double opt-in, no welcome mail); imports add many."""
    policy.require(request.user, "network.person.edit")
    form = PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            person = people.person_create(**person_fields(data), roles=set(data["roles"]), actor=request.user)
        except NetworkError as exc:
            form.add_error("email", str(exc))
        else:
            messages.success(request, _("%(name)s is now in the network.") % {"name": person.full_name})
            return redirect("network:person-detail", person_id=person.pk)
    return render(request, "network/person_edit.html", {"form": form, "person": None})


@login_required
def person_edit(request: HttpRequest, person_id: int) -> HttpResponse:
    policy.require(request.user, "network.person.edit")
    person = selectors.access_person(user=request.user, person_id=person_id)
    form = PersonForm(request.POST or None, initial=_person_initial(person))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            people.person_update(
                person=person,
                **person_fields(data),
                roles=data["roles"],
                actor=request.user,
            )
        except NetworkError as exc:
            form.add_error("email", str(exc))
        else:
            messages.success(request, _("The changes to %(name)s are saved.") % {"name": person.full_name})
            return redirect("network:person-detail", person_id=person.pk)
    return render(request, "network/person_edit.html", {"form": form, "person": person})


def _person_initial(person) -> dict:
    return {
        "first_name": person.first_name,
        "last_name": person.last_name,
        "email": person.email,
        "state": person.state_id,
        "sector": person.sector_id,
        "organization": person.organization.name if person.organization else "",
        "title": person.title,
        "interests": person.interests,
        "consent_to_email": person.consent_to_email,
        "roles": [role.code for role in person.roles.all()],
    }


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, "network.profile.edit")
    person = selectors.person_of(request.user)
    if person is None:
        raise Http404("This account has no member record")
    initial = {
        "title": person.title,
        "organization": person.organization.name if person.organization else "",
        "interests": person.interests,
        "consent_to_email": person.consent_to_email,
        "signature": person.signature,
        "language": person.language or settings.LANGUAGE_CODE,
    }
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        people.person_profile_update(
            person=person,
            title=data["title"],
            organization_name=data["organization"],
            interests=data["interests"],
            consent_to_email=data["consent_to_email"],
            signature=data["signature"],
            language=data["language"] or person.language,
        )
        messages.success(request, _("Your profile is saved."))
        return redirect("network:profile")
    context = {"form": form, "person": person, "is_steering": rules.STEERING in policy.roles_of(request.user)}
    return render(request, "network/profile.html", context)

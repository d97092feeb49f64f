"""Pages of the member network. Thin: parse, check access, call a selector or service, render."""

import csv

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_ratelimit.core import is_ratelimited

from alliance.core import audit, policy
from alliance.core.http import HtmxHttpRequest
from alliance.core.paging import keyset_page
from alliance.network import selectors, services
from alliance.network.exports import DIRECTORY_COLUMNS, directory_rows, directory_xlsx
from alliance.network.forms import DirectoryForm, JoinForm, WelcomeTemplateForm, person_fields
from alliance.network.models import Organization, Welcome

PAGE_SIZE = 50


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "network/home.html", {"counts": selectors.network_counts()})


def join(request: HttpRequest) -> HttpResponse:
    form = JoinForm(request.POST or None)
    if request.method == "POST":
        limited = is_ratelimited(
            request,
            group="network.join",
            key="ip",
            rate=f"{settings.JOIN_RATE_PER_HOUR}/h",
            method="POST",
            increment=True,
        )
        if limited:
            return render(request, "network/join.html", {"form": form, "limited": True}, status=429)
        if form.is_valid():
            if not form.is_bot():
                data = form.cleaned_data
                services.person_join(
                    **person_fields(data),
                    ip=request.META.get("REMOTE_ADDR"),
                )
            # A bot is shown the same page as a person, so it learns nothing from the honeypot.
            return redirect("network:join-sent")
    return render(request, "network/join.html", {"form": form})


def join_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "network/join_sent.html")


def join_confirm(request: HttpRequest, token: str) -> HttpResponse:
    try:
        person = services.signup_confirm(token=token)
    except services.NetworkError as exc:
        return render(request, "network/join_confirm.html", {"error": str(exc)}, status=404)
    welcome = getattr(person, "welcome", None)
    return render(request, "network/join_confirm.html", {"person": person, "welcome": welcome})


@login_required
def directory(request: HtmxHttpRequest) -> HttpResponse:
    policy.require(request.user, "network.directory.view")
    form = DirectoryForm(request.GET or None)
    filters = _directory_filters(form)
    people = selectors.person_directory(
        filters=filters, search_email=policy.can(request.user, "network.person.view_contact")
    )
    # Everyone, unfiltered, is the public total counted (and cached) for the home page.
    total = None if selectors.directory_filtered(filters) else (selectors.network_counts()["total"], False)
    page = keyset_page(
        people,
        order=selectors.DIRECTORY_ORDER,
        size=PAGE_SIZE,
        after=_cursor(request.GET.get("after")),
        before=_cursor(request.GET.get("before")),
        last="last" in request.GET,
        count=total,
    )
    context = {
        "form": form,
        "page": page,
        "show_contact": policy.can(request.user, "network.person.view_contact"),
        "can_export": policy.can(request.user, "network.people.export"),
        "can_add": policy.can(request.user, "network.person.edit"),
        "organization": Organization.objects.filter(pk=filters.organization).first() if filters.organization else None,
    }
    template = "network/directory.html#results" if request.htmx else "network/directory.html"
    return render(request, template, context)


def _cursor(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and len(value) < 19 else None


def _directory_filters(form: DirectoryForm) -> selectors.DirectoryFilters:
    if not form.is_bound or not form.is_valid():
        return selectors.DirectoryFilters()
    data = form.cleaned_data
    return selectors.DirectoryFilters(
        q=data["q"].strip(),
        state=data["state"].code if data["state"] else "",
        sector=data["sector"].slug if data["sector"] else "",
        role=data["role"].code if data["role"] else "",
        organization=data["organization"],
    )


@login_required
def directory_export(request: HttpRequest, fmt: str) -> HttpResponseBase:
    policy.require(request.user, "network.people.export")
    if fmt not in {"csv", "xlsx"}:
        raise Http404("Exports are CSV or XLSX")
    people = selectors.person_directory(
        filters=_directory_filters(DirectoryForm(request.GET or None)), search_email=True
    )
    audit.record("network.people.exported", actor=request.user, format=fmt, count=people.count())
    if fmt == "xlsx":
        response = HttpResponse(
            directory_xlsx(people),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = 'attachment; filename="members.xlsx"'
        return response
    writer = csv.writer(_Echo())
    rows = (writer.writerow(row) for row in [DIRECTORY_COLUMNS, *directory_rows(people)])
    stream = StreamingHttpResponse(rows, content_type="text/csv; charset=utf-8")
    stream["Content-Disposition"] = 'attachment; filename="members.csv"'
    return stream


class _Echo:
    def write(self, value: str) -> str:
        return value


@login_required
def person_detail(request: HttpRequest, person_id: int) -> HttpResponse:
    person = selectors.access_person(user=request.user, person_id=person_id)
    context = {
        "person": person,
        "show_contact": policy.can(request.user, "network.person.view_contact"),
        "can_edit": policy.can(request.user, "network.person.edit"),
        "timeline": selectors.person_timeline(person=person)[:100]
        if policy.can(request.user, "network.person.view_timeline")
        else None,
        "changes": person.history.select_related("history_user")[:20]
        if policy.can(request.user, "network.person.edit")
        else None,
    }
    return render(request, "network/person_detail.html", context)


@login_required
def organization_detail(request: HttpRequest, organization_id: int) -> HttpResponse:
    organization = selectors.access_organization(user=request.user, organization_id=organization_id)
    people = selectors.person_directory(filters=selectors.DirectoryFilters(organization=organization.pk))
    context = {
        "organization": organization,
        "page": Paginator(people, PAGE_SIZE).get_page(request.GET.get("page")),
        "timeline": selectors.organization_timeline(organization=organization)[:50]
        if policy.can(request.user, "network.person.view_timeline")
        else None,
        "show_contact": policy.can(request.user, "network.person.view_contact"),
    }
    return render(request, "network/organization_detail.html", context)


@login_required
def newcomers(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, "network.newcomers.view")
    me = selectors.person_of(request.user)
    welcomes = selectors.newcomers_of(sender=me) if me else Welcome.objects.none()
    page = Paginator(welcomes, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "network/newcomers.html", {"page": page, "me": me})


@login_required
@require_POST
def newcomer_followed_up(request: HtmxHttpRequest, welcome_id: int) -> HttpResponse:
    welcome = selectors.access_welcome(user=request.user, welcome_id=welcome_id)
    services.welcome_follow_up(welcome=welcome)
    audit.record("network.welcome.followed_up", actor=request.user, target=welcome.person)
    if request.htmx:
        return render(request, "network/newcomers.html#row", {"welcome": welcome})
    return redirect("network:newcomers")


@login_required
def welcome_template(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, "network.welcome.edit")
    current = services.welcome_template_current()
    form = WelcomeTemplateForm(request.POST or None, initial={"subject": current.subject, "body": current.body})
    if request.method == "POST" and form.is_valid():
        template = services.welcome_template_update(
            subject=form.cleaned_data["subject"],
            body=form.cleaned_data["body"],
            actor=selectors.person_of(request.user),
        )
        audit.record("network.welcome_template.updated", actor=request.user, target=template)
        messages.success(request, _("The welcome message is saved. New welcomes use it from now on."))
        return redirect("network:welcome-template")
    return render(request, "network/welcome_template.html", {"form": form, "current": current})

"""Pages of the member network. Thin: parse, check access, call a selector or service, render."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_ratelimit.core import is_ratelimited

from alliance.core import audit, policy
from alliance.core.http import HtmxHttpRequest, client_ip, client_ip_key
from alliance.core.paging import keyset_page
from alliance.network import organizations, selectors, services
from alliance.network.accounts import account_email_proven
from alliance.network.exports import directory_response
from alliance.network.forms import DirectoryForm, JoinForm, WelcomeTemplateForm, person_fields
from alliance.network.models import Organization, Welcome

PAGE_SIZE = 50


def join(request: HttpRequest) -> HttpResponse:
    form = JoinForm(request.POST or None)
    if request.method == "POST":
        limited = is_ratelimited(
            request,
            group="network.join",
            key=client_ip_key,
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
                    ip=client_ip(request) or None,
                    language=translation.get_language() or "",
                )
            # A bot is shown the same page as a person, so it learns nothing from the honeypot.
            return redirect("network:join-sent")
    return render(request, "network/join.html", {"form": form})


def join_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "network/join_sent.html")


def join_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button and changes nothing (mail scanners open links); the POST confirms."""
    try:
        if request.method != "POST":
            signup = services.signup_usable(token=token)
            return render(request, "network/join_confirm.html", {"signup": signup, "ask": True})
        person = services.signup_confirm(token=token)
    except services.SignupLinkError as exc:
        status = 404 if exc.reason == "unknown" else 410
        return render(request, "network/join_confirm.html", {"error": str(exc), "reason": exc.reason}, status=status)
    # They proved they hold the address: an account made now with it needs no second mail.
    account_email_proven(request, person.email)
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
    return directory_response(people, fmt=fmt)


@login_required
def person_detail(request: HttpRequest, person_id: int) -> HttpResponse:
    person = selectors.access_person(user=request.user, person_id=person_id)
    context = {
        "person": person,
        "show_contact": policy.can(request.user, "network.person.view_contact"),
        "can_edit": policy.can(request.user, "network.person.edit"),
        "can_deactivate": policy.can(request.user, "network.person.deactivate"),
        "extra_emails": selectors.person_extra_emails(person=person)
        if policy.can(request.user, "network.person.view_contact")
        else [],
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
        "can_edit": policy.can(request.user, "network.organization.edit"),
        "can_merge": policy.can(request.user, "network.organizations.merge"),
        "changes": organizations.organization_changes(organization=organization)[:20]
        if policy.can(request.user, "network.organization.edit")
        else None,
    }
    return render(request, "network/organization_detail.html", context)


@login_required
def newcomers(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, "network.newcomers.view")
    me = selectors.person_of(request.user)
    welcomes = selectors.newcomers_of(sender=me) if me else Welcome.objects.none()
    page = Paginator(welcomes, PAGE_SIZE).get_page(request.GET.get("page"))
    can_see_all = policy.can(request.user, "network.newcomers.follow_ups")
    return render(request, "network/newcomers.html", {"page": page, "me": me, "can_see_all": can_see_all})


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
    current = {code: services.welcome_template_current(language=code) for code, _name in settings.LANGUAGES}
    initial: dict[str, str] = {}
    for code, template in current.items():
        initial |= {f"subject_{code}": template.subject, f"body_{code}": template.body}
    form = WelcomeTemplateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        actor = selectors.person_of(request.user)
        for code, (subject, body) in form.texts().items():
            was = current[code]
            if (subject, body) != (was.subject.strip(), was.body.strip()) or was.language != code:
                template = services.welcome_template_update(subject=subject, body=body, actor=actor, language=code)
                audit.record("network.welcome_template.updated", actor=request.user, target=template, language=code)
        messages.success(request, _("The welcome message is saved. New welcomes use it from now on."))
        return redirect("network:welcome-template")
    context = {"form": form, "current": current, "attention": selectors.welcomes_needing_attention()[:100]}
    return render(request, "network/welcome_template.html", context)


@login_required
def welcome_list(request: HttpRequest) -> HttpResponse:
    """Every welcome, newest first: who welcomed whom, as which role, and how it went."""
    policy.require(request.user, "network.welcome.edit")
    page = Paginator(selectors.welcomes_all(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "network/welcome_list.html", {"page": page})


@login_required
@require_POST
def welcome_retry(request: HttpRequest, welcome_id: int) -> HttpResponse:
    policy.require(request.user, "network.welcome.edit")
    welcome = selectors.access_welcome(user=request.user, welcome_id=welcome_id)
    try:
        services.welcome_retry(welcome=welcome, actor=request.user)
    except services.NetworkError as exc:
        messages.error(request, str(exc))
    else:
        name = welcome.person.full_name
        messages.success(request, _("The welcome to %(name)s is on its way again.") % {"name": name})
    return redirect("network:welcome-template")

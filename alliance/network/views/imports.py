"""Importing people: upload, watch the worker read it, preview, run as a task, download the rejected rows."""

from itertools import chain

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alliance.core import audit, policy, spreadsheets
from alliance.core.http import HtmxHttpRequest
from alliance.network import importing
from alliance.network.forms import PeopleImportForm
from alliance.network.import_reasons import field_display, reason_display
from alliance.network.models import PeopleImport
from alliance.network.services import NetworkError

PAGE_SIZE = 100
IN_PROGRESS = {PeopleImport.Status.QUEUED, PeopleImport.Status.RUNNING}
BEFORE_RUN = {PeopleImport.Status.CHECKING, PeopleImport.Status.REFUSED, PeopleImport.Status.PREVIEW}


@login_required
def upload(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, "network.people.import")
    form = PeopleImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        file = form.cleaned_data["file"]
        try:
            people_import = importing.people_import_create(upload=file, filename=file.name, actor=request.user)
        except NetworkError as exc:
            form.add_error("file", str(exc))
        else:
            return redirect("network:import-preview", people_import.pk)
    page = Paginator(importing.people_import_list(), 20).get_page(request.GET.get("page"))
    return render(request, "network/import_upload.html", {"form": form, "page": page})


@login_required
def preview(request: HtmxHttpRequest, import_id: int) -> HttpResponse:
    """The worker's reading of the file: progress while it reads, then its refusal or the preview."""
    people_import = importing.access_people_import(user=request.user, import_id=import_id)
    if people_import.status not in BEFORE_RUN:
        return redirect("network:import-detail", people_import.pk)
    if request.htmx:
        if people_import.status == PeopleImport.Status.CHECKING:
            return render(request, "network/import_preview.html#checking", {"people_import": people_import})
        return HttpResponse(headers={"HX-Refresh": "true"})  # read: show the whole preview
    found = importing.people_import_preview(people_import=people_import)
    context = {"people_import": people_import, "preview": found}
    return render(request, "network/import_preview.html", context)


@login_required
@require_POST
def run(request: HttpRequest, import_id: int) -> HttpResponse:
    people_import = importing.access_people_import(user=request.user, import_id=import_id)
    try:
        importing.people_import_queue(people_import=people_import, actor=request.user)
    except NetworkError as exc:
        messages.error(request, str(exc))
        if people_import.status == PeopleImport.Status.PREVIEW:
            return redirect("network:import-preview", people_import.pk)
    return redirect("network:import-detail", people_import.pk)


@login_required
def detail(request: HtmxHttpRequest, import_id: int) -> HttpResponse:
    people_import = importing.access_people_import(user=request.user, import_id=import_id)
    if people_import.status in BEFORE_RUN:
        return redirect("network:import-preview", people_import.pk)
    rejections = importing.import_rejection_list(people_import=people_import)
    context = {
        "people_import": people_import,
        "in_progress": people_import.status in IN_PROGRESS,
        "page": Paginator(rejections, PAGE_SIZE).get_page(request.GET.get("page")),
    }
    template = "network/import_detail.html#progress" if request.htmx else "network/import_detail.html"
    return render(request, template, context)


@login_required
def rejections(request: HttpRequest, import_id: int) -> StreamingHttpResponse:
    people_import = importing.access_people_import(user=request.user, import_id=import_id)
    rows = importing.import_rejection_list(people_import=people_import)
    audit.record("network.people_import.rejections_downloaded", actor=request.user, target=people_import)
    header = [_("row"), _("field"), _("value"), _("reason")]
    # Reasons are stored in English and read in the downloader's language.
    body = (
        [r.row_number, field_display(r.field), r.value, reason_display(r.reason)]
        for r in rows.iterator(chunk_size=1000)
    )
    return spreadsheets.csv_response(chain([header], body), filename=f"rejected-rows-{people_import.pk}.csv")

"""Importing people: upload, preview, run as a task, watch its progress, download the rejected rows."""

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alliance.core import audit, policy
from alliance.core.http import HtmxHttpRequest
from alliance.network import importing
from alliance.network.forms import PeopleImportForm
from alliance.network.import_reasons import field_display, reason_display
from alliance.network.models import PeopleImport
from alliance.network.services import NetworkError

PAGE_SIZE = 100
IN_PROGRESS = {PeopleImport.Status.QUEUED, PeopleImport.Status.RUNNING}


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
def preview(request: HttpRequest, import_id: int) -> HttpResponse:
    people_import = importing.access_people_import(user=request.user, import_id=import_id)
    if people_import.status != PeopleImport.Status.PREVIEW:
        return redirect("network:import-detail", people_import.pk)
    try:
        found = importing.people_import_preview(people_import=people_import)
    except NetworkError as exc:
        found, error = None, str(exc)
    else:
        error = ""
    context = {"people_import": people_import, "preview": found, "error": error}
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
    if people_import.status == PeopleImport.Status.PREVIEW:
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
def rejections(request: HttpRequest, import_id: int) -> HttpResponse:
    people_import = importing.access_people_import(user=request.user, import_id=import_id)
    rows = importing.import_rejection_list(people_import=people_import)
    audit.record("network.people_import.rejections_downloaded", actor=request.user, target=people_import)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="rejected-rows-{people_import.pk}.csv"'
    writer = csv.writer(response)
    writer.writerow([_("row"), _("field"), _("value"), _("reason")])
    for rejection in rows.iterator(chunk_size=1000):
        writer.writerow(
            [
                rejection.row_number,
                field_display(rejection.field),
                _cell_safe(rejection.value),
                reason_display(rejection.reason),  # stored in English, read in the downloader's language
            ]
        )
    return response


def _cell_safe(value: str) -> str:
    """A cell a spreadsheet will not run as a formula (the values come from an uploaded file)."""
    return "'" + value if value[:1] in {"=", "+", "-", "@", "\t", "\r"} else value

"""A state's data lead loads files: upload through a mapping, watch the load, read the rejected
rows, roll a dataset back; and keeps the state's mappings."""

from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alliance.core import policy, spreadsheets, tabular
from alliance.core.http import HtmxHttpRequest
from alliance.measure import drafts, loading, mappings, reasons, selectors
from alliance.measure.forms import DatasetUploadForm, MappingForm
from alliance.measure.mapping import MappingError, MappingSpec
from alliance.measure.models import Dataset

IN_PROGRESS = {Dataset.Status.QUEUED, Dataset.Status.RUNNING}


@login_required
def datasets(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, "measure.datasets.view")
    form = DatasetUploadForm(
        request.POST or None, request.FILES or None, mappings=selectors.mapping_list(user=request.user)
    )
    if request.method == "POST" and form.is_valid():
        mapping = form.cleaned_data["mapping"]
        selectors.access_state_loading(user=request.user, state=mapping.state)
        upload = form.cleaned_data["file"]
        try:
            dataset = loading.dataset_create(
                upload=upload,
                filename=upload.name,
                mapping=mapping,
                actor=request.user,
                sharing=form.cleaned_data["sharing"],
            )
        except (loading.LoadError, MappingError) as exc:
            form.add_error("file", str(exc))
        else:
            return redirect("measure:dataset", dataset.pk)
    page = Paginator(selectors.dataset_list(user=request.user), 25).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "mappings": selectors.mapping_list(user=request.user)}
    return render(request, "measure/datasets.html", context)


@login_required
def dataset(request: HtmxHttpRequest, dataset_id: int) -> HttpResponse:
    found = selectors.access_dataset(user=request.user, dataset_id=dataset_id)
    page = Paginator(found.rejections.all(), 100).get_page(request.GET.get("page"))
    context = {"dataset": found, "page": page, "in_progress": found.status in IN_PROGRESS}
    if request.htmx:
        return render(request, "measure/dataset.html#progress", context)
    return render(request, "measure/dataset.html", context)


@login_required
def dataset_rejections(request: HttpRequest, dataset_id: int) -> StreamingHttpResponse:
    found = selectors.access_dataset(user=request.user, dataset_id=dataset_id)
    rows: list[list] = [[_("Row"), _("Column"), _("Value"), _("Reason")]]
    rows += [
        [r.row, r.column, r.value, reasons.problem_text(r.problem)] for r in found.rejections.iterator(chunk_size=2000)
    ]
    return spreadsheets.csv_response(rows, filename=f"rejected-rows-{found.pk}.csv")


@login_required
@require_POST
def dataset_rollback(request: HttpRequest, dataset_id: int) -> HttpResponse:
    found = selectors.access_dataset(user=request.user, dataset_id=dataset_id)
    try:
        loading.dataset_rollback(dataset=found, actor=request.user)
    except loading.LoadError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, _("%(file)s was rolled back: its figures are no longer shown.") % {"file": found.filename}
        )
    return redirect("measure:dataset", found.pk)


@login_required
def mapping_edit(request: HtmxHttpRequest, mapping_id: int | None = None) -> HttpResponse:
    """Write or change a mapping: draft it from a sample file's header, preview what the sample
    gives through it (live, as the text changes), save it."""
    policy.require(request.user, "measure.datasets.load")
    mapping = selectors.access_mapping(user=request.user, mapping_id=mapping_id) if mapping_id else None
    form = MappingForm(request.POST or None, request.FILES or None, initial={"text": mapping.text if mapping else ""})
    problems: list[str] = []
    shown = None
    drafted = ""
    if request.method == "POST" and form.is_valid():
        text, sample = form.cleaned_data["text"], form.cleaned_data["sample"]
        action = request.POST.get("action", "preview")
        if sample is not None and not text.strip():
            try:
                header = drafts.header_of_upload(sample)
            except tabular.FileRefused as exc:
                problems = [str(exc)]
            else:
                state = policy.home_state(request.user) or "XX"
                text = drafts.draft(header, state=state, name=Path(sample.name).stem.replace("_", " "))
                form = MappingForm(initial={"text": text})
                drafted = text
        if action == "save" and text.strip():
            try:
                spec = MappingSpec.parse(text)
                selectors.access_state_loading(user=request.user, state=spec.state)
                mapping = mappings.mapping_save(text=text, actor=request.user, mapping=mapping)
            except MappingError as exc:
                problems = exc.problems
            else:
                messages.success(request, _("Mapping %(name)s saved.") % {"name": mapping.name})
                return redirect("measure:datasets")
        elif sample is not None and text.strip():
            sample.seek(0)
            shown = drafts.preview(sample, text)
        elif text.strip():
            try:
                MappingSpec.parse(text)
            except MappingError as exc:
                problems = exc.problems
    context = {"form": form, "mapping": mapping, "problems": problems, "preview": shown, "drafted": drafted}
    if request.htmx:
        return render(request, "measure/mapping_edit.html#preview", context)
    return render(request, "measure/mapping_edit.html", context)

"""Staff pages for duplicate people: the likely pairs, merging one or a batch, undoing a merge."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alliance.core import policy
from alliance.network import duplicates, merging
from alliance.network.models import Person
from alliance.network.services import NetworkError

PAGE_SIZE = 50


class MergeForm(forms.Form):
    """One pair: `keep` is whichever of `a` and `b` staff chose to keep."""

    a = forms.IntegerField()
    b = forms.IntegerField()
    keep = forms.IntegerField()

    def clean(self):
        data = super().clean()
        if not self.errors and data["keep"] not in (data["a"], data["b"]):
            raise forms.ValidationError(_("Choose one of the two records to keep."))
        return data


class ThresholdForm(forms.Form):
    """How likely, in percent, a pair must be to be listed; staff move it, the URL keeps it."""

    likely = forms.IntegerField(min_value=1, max_value=99, required=False)

    def threshold(self) -> float:
        if self.is_valid() and self.cleaned_data["likely"]:
            return self.cleaned_data["likely"] / 100
        return duplicates.THRESHOLD


class BatchForm(forms.Form):
    """Checked pairs, each "kept id:removed id"."""

    pair = forms.MultipleChoiceField(choices=(), required=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pair"].choices = [(v, v) for v in self.data.getlist("pair")] if self.data else []

    def clean_pair(self) -> list[tuple[int, int]]:
        try:
            pairs = [value.split(":") for value in self.cleaned_data["pair"]]
            return [(int(kept), int(removed)) for kept, removed in pairs]
        except ValueError:  # not two numbers
            raise forms.ValidationError(_("A pair was not understood.")) from None


@login_required
def duplicate_list(request: HttpRequest) -> HttpResponse:
    """The stored likely pairs (the worker scores them), most likely first, from a threshold staff move."""
    policy.require(request.user, "network.people.merge")
    form = ThresholdForm(request.GET or None)
    threshold = form.threshold()
    page = Paginator(duplicates.duplicate_pairs(threshold=threshold), PAGE_SIZE).get_page(request.GET.get("page"))
    recent = duplicates.merge_recent()
    last = next((m for m in recent if str(m.pk) == request.GET.get("merged")), None)
    context = {
        "page": page,
        "rows": duplicates.duplicate_rows(page.object_list),
        "recent": recent,
        "last": last,
        "form": form,
        "likely": round(threshold * 100),
        "scanned": duplicates.duplicates_scanned(),
    }
    return render(request, "network/duplicates.html", context)


@login_required
@require_POST
def duplicate_merge(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, "network.people.merge")
    if "pair" in request.POST:
        batch = BatchForm(request.POST)
        if not batch.is_valid():
            messages.error(request, _("Tick at least one pair to merge."))
            return redirect("network:duplicates")
        merges, skipped = merging.people_merge_batch(pairs=batch.cleaned_data["pair"], actor=request.user)
        messages.success(request, _("%(count)d pairs merged.") % {"count": len(merges)})
        for reason in skipped:
            messages.warning(request, _("Not merged: %(reason)s") % {"reason": reason})
        return redirect("network:duplicates")
    form = MergeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of the two records to keep."))
        return redirect("network:duplicates")
    data = form.cleaned_data
    people = Person.objects.in_bulk([data["a"], data["b"]])
    kept, removed = people.get(data["keep"]), people.get(data["b"] if data["keep"] == data["a"] else data["a"])
    if kept is None or removed is None:
        raise Http404("No such person")
    try:
        merge = merging.person_merge(kept=kept, removed=removed, actor=request.user)
    except NetworkError as exc:
        messages.error(request, str(exc))
        return redirect("network:duplicates")
    return redirect(f"{reverse('network:duplicates')}?merged={merge.pk}")


@login_required
@require_POST
def merge_undo(request: HttpRequest, merge_id: int) -> HttpResponse:
    merge = duplicates.access_merge(user=request.user, merge_id=merge_id)
    try:
        merging.person_merge_undo(merge=merge, actor=request.user)
    except NetworkError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("Merge undone: %(removed)s and %(kept)s are two records again.")
            % {"removed": merge.removed.full_name, "kept": merge.kept.full_name},
        )
    return redirect("network:duplicates")


@login_required
@require_POST
def duplicate_distinct(request: HttpRequest) -> HttpResponse:
    """Staff say the two records of a pair are different people; the pair is not offered again."""
    policy.require(request.user, "network.people.merge")
    form = MergeForm({**request.POST.dict(), "keep": request.POST.get("a")})
    if not form.is_valid():
        messages.error(request, _("The pair was not understood."))
        return redirect("network:duplicates")
    people = Person.objects.in_bulk([form.cleaned_data["a"], form.cleaned_data["b"]])
    if len(people) != 2:
        raise Http404("No such person")
    a, b = people[form.cleaned_data["a"]], people[form.cleaned_data["b"]]
    merging.people_mark_distinct(a=a, b=b, actor=request.user)
    messages.success(request, _("%(a)s and %(b)s are marked as different people.") % {"a": a, "b": b})
    return redirect("network:duplicates")

"""The confirmation step before people are merged: staff see both records and what moves, then confirm.

The duplicates page's merge buttons post here. The first POST shows "Merge these two people?" (or
the list of ticked pairs); only a POST carrying `confirm` merges.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alliance.core import policy
from alliance.network import merging
from alliance.network.models import Person
from alliance.network.services import NetworkError
from alliance.network.views.duplicates import BatchForm, MergeForm


@login_required
@require_POST
def merge_confirm(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, "network.people.merge")
    if "pair" in request.POST:
        return _batch(request)
    form = MergeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of the two records to keep."))
        return redirect("network:duplicates")
    data = form.cleaned_data
    people = Person.objects.select_related("state", "organization", "sector").in_bulk([data["a"], data["b"]])
    kept, removed = people.get(data["keep"]), people.get(data["b"] if data["keep"] == data["a"] else data["a"])
    if kept is None or removed is None:
        raise Http404("No such person")
    if "confirm" not in request.POST:
        context = {"kept": kept, "removed": removed, "preview": merging.merge_preview(kept=kept, removed=removed)}
        return render(request, "network/merge_confirm.html", context)
    try:
        merge = merging.person_merge(kept=kept, removed=removed, actor=request.user)
    except NetworkError as exc:
        messages.error(request, str(exc))
        return redirect("network:duplicates")
    return redirect(f"{reverse('network:duplicates')}?merged={merge.pk}")


def _batch(request: HttpRequest) -> HttpResponse:
    batch = BatchForm(request.POST)
    if not batch.is_valid():
        messages.error(request, _("Tick at least one pair to merge."))
        return redirect("network:duplicates")
    pairs = batch.cleaned_data["pair"]
    if "confirm" not in request.POST:
        people = Person.objects.select_related("organization").in_bulk([pk for pair in pairs for pk in pair])
        rows = [(people[k], people[r]) for k, r in pairs if k in people and r in people]
        return render(request, "network/merge_confirm_batch.html", {"rows": rows})
    merges, skipped = merging.people_merge_batch(pairs=pairs, actor=request.user)
    messages.success(request, _("%(count)d pairs merged.") % {"count": len(merges)})
    for reason in skipped:
        messages.warning(request, _("Not merged: %(reason)s") % {"reason": reason})
    return redirect("network:duplicates")

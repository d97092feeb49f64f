"""Staff pages for organizations: edit one, its likely duplicates, merging two, undoing a merge."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from alliance.core import policy
from alliance.network import organizations
from alliance.network.models import Organization, Sector, State
from alliance.network.services import NetworkError

PAGE_SIZE = 50


class OrganizationForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    state = forms.ModelChoiceField(label=gettext_lazy("State"), queryset=State.objects.all(), required=False)
    sector = forms.ModelChoiceField(label=gettext_lazy("Sector"), queryset=Sector.objects.all(), required=False)
    website = forms.URLField(label=gettext_lazy("Website"), max_length=200, required=False, assume_scheme="https")


class MergeForm(forms.Form):
    """`keep` receives every organization in `merge` (numbers as shown on their pages)."""

    keep = forms.IntegerField()
    merge = forms.TypedMultipleChoiceField(coerce=int, choices=(), required=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        values = self.data.getlist("merge") if self.data else []
        self.fields["merge"].choices = [(v, v) for v in values]


@login_required
def organization_edit(request: HttpRequest, organization_id: int) -> HttpResponse:
    organization = organizations.access_organization_for_edit(user=request.user, organization_id=organization_id)
    initial = {"name": organization.name, "state": organization.state_id, "sector": organization.sector_id}
    form = OrganizationForm(request.POST or None, initial={**initial, "website": organization.website})
    if request.method == "POST" and form.is_valid():
        try:
            organizations.organization_update(organization=organization, **form.cleaned_data, actor=request.user)
        except NetworkError as exc:
            form.add_error("name", str(exc))
        else:
            messages.success(request, _("The changes to %(name)s are saved.") % {"name": organization.name})
            return redirect("network:organization-detail", organization_id=organization.pk)
    return render(request, "network/organization_edit.html", {"form": form, "organization": organization})


@login_required
def organization_duplicates(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, "network.organizations.merge")
    page = Paginator(organizations.organization_duplicate_groups(), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "recent": organizations.organization_merge_recent()}
    return render(request, "network/organization_duplicates.html", context)


@login_required
@require_POST
def organization_merge(request: HttpRequest) -> HttpResponse:
    """Merge each organization in `merge` into `keep`; each merge can be undone on its own."""
    policy.require(request.user, "network.organizations.merge")
    form = MergeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the organizations to merge, by their numbers."))
        return redirect("network:organization-duplicates")
    found = Organization.objects.in_bulk([form.cleaned_data["keep"], *form.cleaned_data["merge"]])
    kept = found.get(form.cleaned_data["keep"])
    if kept is None or len(found) != len({form.cleaned_data["keep"], *form.cleaned_data["merge"]}):
        raise Http404("No such organization")
    for pk in form.cleaned_data["merge"]:
        if pk == kept.pk:  # the kept one is ticked along with the rest of its group
            continue
        try:
            organizations.organization_merge(kept=kept, removed=found[pk], actor=request.user)
        except NetworkError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("%(removed)s is merged into %(kept)s.") % {"removed": found[pk], "kept": kept})
    return redirect("network:organization-detail", organization_id=kept.pk)


@login_required
@require_POST
def organization_merge_undo(request: HttpRequest, merge_id: int) -> HttpResponse:
    merge = organizations.access_organization_merge(user=request.user, merge_id=merge_id)
    try:
        organizations.organization_merge_undo(merge=merge, actor=request.user)
    except NetworkError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("Merge undone: %(removed)s and %(kept)s are two organizations again.")
            % {"removed": merge.removed.name, "kept": merge.kept.name},
        )
    return redirect("network:organization-duplicates")

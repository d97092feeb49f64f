"""Staff see the newcomers nobody has followed up: welcomed more than N days ago, per committee member."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy

from alliance.core import policy
from alliance.network import selectors

PAGE_SIZE = 50
DEFAULT_DAYS = 14


class DaysForm(forms.Form):
    days = forms.IntegerField(
        label=gettext_lazy("Welcomed more than this many days ago"), min_value=0, max_value=3650, required=False
    )


@login_required
def newcomers_not_followed_up(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, "network.newcomers.follow_ups")
    form = DaysForm(request.GET or None)
    days = form.cleaned_data["days"] if form.is_valid() and form.cleaned_data["days"] is not None else DEFAULT_DAYS
    welcomes = selectors.welcomes_not_followed_up(days=days)
    context = {
        "form": form,
        "days": days,
        "page": Paginator(welcomes, PAGE_SIZE).get_page(request.GET.get("page")),
        "counts": selectors.follow_up_counts(welcomes=welcomes),
    }
    return render(request, "network/newcomers_not_followed_up.html", context)

"""Indicators: each one's curve in a state with its targets and forecast, who is better or worse
served, and the state's turn-the-curve worksheet."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from alliance.core import policy
from alliance.measure import indicators, results, selectors
from alliance.measure.forms import TargetForm, WorksheetForm
from alliance.measure.models import Indicator
from alliance.measure.series import series_named
from alliance.measure.states import NAMES, state_name


def indicator_list(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, "measure.dashboards.view")
    return render(request, "measure/indicator_list.html", {"indicators": results.indicator_list()})


def _state(request: HttpRequest) -> str:
    code = (request.GET.get("state") or policy.home_state(request.user) or "").upper()
    states = sorted(selectors.visible_datasets(request.user).values_list("state", flat=True).distinct())
    if code not in NAMES:
        code = states[0] if states else ""
    return code


def _may_plan(user, state: str) -> bool:
    if not policy.can(user, "measure.indicators.plan"):
        return False
    allowed = selectors.loadable_states(user)
    return allowed is None or state in allowed


def indicator_detail(request: HttpRequest, indicator_id: int) -> HttpResponse:
    policy.require(request.user, "measure.dashboards.view")
    indicator = get_object_or_404(Indicator, pk=indicator_id)
    state = _state(request)
    if not state:
        raise Http404("no figures yet")
    curve = results.curve(request.user, indicator, state)
    may_plan = _may_plan(request.user, state)
    states = sorted(set(selectors.visible_datasets(request.user).values_list("state", flat=True)))
    context = {
        "indicator": indicator,
        "curve": curve,
        "state_code": state,
        "state_name": state_name(state),
        "states": [(code, state_name(code)) for code in states],
        "may_plan": may_plan,
        "worksheet_form": WorksheetForm(instance=curve.worksheet) if may_plan else None,
        "target_form": TargetForm(rate=curve.series.is_rate) if may_plan else None,
    }
    return render(request, "measure/indicator_detail.html", context)


def _planned(request: HttpRequest, indicator_id: int) -> tuple[Indicator, str]:
    indicator = get_object_or_404(Indicator, pk=indicator_id)
    state = (request.POST.get("state") or "").upper()
    if state not in NAMES or not _may_plan(request.user, state):
        raise PermissionDenied("measure.indicators.plan")
    return indicator, state


@login_required
@require_POST
def worksheet_edit(request: HttpRequest, indicator_id: int) -> HttpResponse:
    indicator, state = _planned(request, indicator_id)
    form = WorksheetForm(request.POST)
    if form.is_valid():
        indicators.worksheet_save(indicator=indicator, state=state, actor=request.user, **form.cleaned_data)
    return redirect(f"{indicator_url(indicator)}?state={state}#worksheet")


@login_required
@require_POST
def target_edit(request: HttpRequest, indicator_id: int) -> HttpResponse:
    indicator, state = _planned(request, indicator_id)
    series = series_named(indicator.series)
    form = TargetForm(request.POST, rate=bool(series and series.is_rate))
    if request.POST.get("remove"):
        indicators.target_remove(indicator=indicator, state=state, year=int(request.POST["remove"]), actor=request.user)
    elif form.is_valid():
        indicators.target_set(
            indicator=indicator,
            state=state,
            year=form.cleaned_data["year"],
            value=form.target_value(),
            actor=request.user,
        )
    return redirect(f"{indicator_url(indicator)}?state={state}#targets")


def indicator_url(indicator: Indicator) -> str:
    return reverse("measure:indicator", args=[indicator.pk])

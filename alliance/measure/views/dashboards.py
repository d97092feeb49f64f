"""Dashboards: national (member states side by side) and per state, with CSV and PNG downloads."""

from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render

from alliance.core import policy, spreadsheets
from alliance.measure import charts, dashboards, selectors
from alliance.measure.forms import DashboardForm
from alliance.measure.states import NAMES, state_name


def _choices(request: HttpRequest):
    available = dashboards.available_series(request.user)
    form = DashboardForm(request.GET or None, series_choices=[(s.key, s.label) for s in available])
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    chosen = next((s for s in available if s.key == data.get("series")), available[0] if available else None)
    since, until = data.get("since"), data.get("until")
    years = (since or 1990, until or 2100) if since or until else None
    return form, chosen, data.get("by") or "", years


def national(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    policy.require(request.user, "measure.dashboards.view")
    form, series, _by, years = _choices(request)
    board = dashboards.national(request.user, series, years=years) if series else None
    return _respond(request, "measure/dashboard_national.html", {"form": form, "board": board}, board, "alliance")


def state(request: HttpRequest, state_code: str) -> HttpResponse | StreamingHttpResponse:
    policy.require(request.user, "measure.dashboards.view")
    state_code = state_code.upper()
    if state_code not in NAMES:
        raise Http404
    form, series, by, years = _choices(request)
    board = dashboards.state(request.user, state_code, series, by=by, years=years) if series else None
    context = {
        "form": form,
        "board": board,
        "state_code": state_code,
        "state_name": state_name(state_code),
        "definitions": selectors.state_definitions(state=state_code),
    }
    return _respond(request, "measure/dashboard_state.html", context, board, state_code.lower())


def _respond(
    request: HttpRequest, template: str, context: dict, board, name: str
) -> HttpResponse | StreamingHttpResponse:
    fmt = request.GET.get("format")
    if fmt and board is None:
        raise Http404
    if fmt == "csv":
        return spreadsheets.csv_response(board.table.export_rows(), filename=f"{name}-{board.series.key}.csv")
    if fmt == "png" and board.chart_spec:
        response = HttpResponse(charts.png(board.chart_spec), content_type="image/png")
        response["Content-Disposition"] = f'attachment; filename="{name}-{board.series.key}.png"'
        return response
    return render(request, template, context)

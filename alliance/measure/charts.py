"""Charts as Vega-Lite specs (Altair), drawn to SVG or PNG on the server with vl-convert.

One spec serves the page, the PNG download and mail alike; drawing needs no script in the browser
and no network. Drawings are cached by their spec, so a page whose figures did not change is not
drawn again. Only published figures ever reach a chart: suppressed ones are left out.
"""

import hashlib
import json

import altair as alt
import vl_convert
from django.core.cache import cache

from alliance.measure.published import Table

PERKINS_V_FIRST_YEAR = 2020
WIDTH, HEIGHT = 640, 300


def trend_spec(table: Table, *, title: str, y_title: str, era_break: bool) -> dict:
    """A line per row of the table over its columns (years); the Perkins era break marked."""
    points = [
        {"series": label, "year": int(year), "value": cell.value}
        for label, cells in table.rows()
        for year, cell in zip(table.column_labels, cells, strict=True)
        if cell.value is not None
    ]
    axis_format = ".0%" if table.rate else ",d"
    data = alt.Data(values=points)
    lines = (
        alt.Chart(data)
        .mark_line(point=True)
        .encode(
            x=alt.X("year:O", title=None),
            y=alt.Y("value:Q", title=y_title, axis=alt.Axis(format=axis_format)),
            color=alt.Color("series:N", title=None, legend=alt.Legend(orient="bottom", columns=6)),
        )
    )
    layers = [lines]
    if era_break:
        layers += _era_break()
    chart = alt.layer(*layers).properties(width=WIDTH, height=HEIGHT, title=title)
    return chart.to_dict()


def indicator_spec(
    *,
    points: list[tuple[int, float]],
    targets: list[tuple[int, float]],
    forecast: list[tuple[int, float]],
    rate: bool,
    title: str,
    era_break: bool,
) -> dict:
    """An indicator's curve: published figures, the forecast (dashed) and the targets (diamonds)."""
    kinds = {"figure": "Published", "forecast": "Forecast", "target": "Target"}
    values = [{"year": y, "value": v, "kind": kinds["figure"]} for y, v in points]
    values += [{"year": y, "value": v, "kind": kinds["forecast"]} for y, v in forecast]
    values += [{"year": y, "value": v, "kind": kinds["target"]} for y, v in targets]
    data = alt.Data(values=values)
    axis_format = ".0%" if rate else ",d"
    x = alt.X("year:O", title=None)
    y = alt.Y("value:Q", title=None, axis=alt.Axis(format=axis_format))
    color = alt.Color(
        "kind:N",
        title=None,
        scale=alt.Scale(domain=list(kinds.values()), range=["#1f5fa8", "#7a7a7a", "#b3261e"]),
        legend=alt.Legend(orient="bottom"),
    )
    base = alt.Chart(data)
    layers = [
        base.transform_filter(alt.datum.kind == kinds["figure"]).mark_line(point=True).encode(x=x, y=y, color=color),
        base.transform_filter(alt.datum.kind == kinds["forecast"])
        .mark_line(strokeDash=[6, 4])
        .encode(x=x, y=y, color=color),
        base.transform_filter(alt.datum.kind == kinds["target"])
        .mark_point(shape="diamond", size=120, filled=True)
        .encode(x=x, y=y, color=color),
    ]
    if era_break:
        layers += _era_break()
    return alt.layer(*layers).properties(width=WIDTH, height=HEIGHT, title=title).to_dict()


def _era_break() -> list:
    """A dashed rule at 2020 labelled "Perkins IV | Perkins V": the figures either side differ."""
    rule = alt.Chart(alt.Data(values=[{"year": PERKINS_V_FIRST_YEAR, "label": "Perkins IV | Perkins V"}]))
    return [
        rule.mark_rule(strokeDash=[4, 4], color="#666").encode(x="year:O"),
        rule.mark_text(align="center", dy=-8, color="#444", fontSize=11).encode(
            x="year:O", y=alt.value(0), text="label:N"
        ),
    ]


def _key(spec: dict, kind: str) -> str:
    digest = hashlib.sha256(json.dumps(spec, sort_keys=True).encode()).hexdigest()
    return f"measure:chart:{kind}:{digest}"


def svg(spec: dict) -> str:
    key = _key(spec, "svg")
    drawn = cache.get(key)
    if drawn is None:
        drawn = vl_convert.vegalite_to_svg(spec)
        cache.set(key, drawn, timeout=24 * 3600)
    return drawn


def png(spec: dict) -> bytes:
    key = _key(spec, "png")
    drawn = cache.get(key)
    if drawn is None:
        drawn = vl_convert.vegalite_to_png(spec, scale=2)
        cache.set(key, drawn, timeout=24 * 3600)
    return drawn

from django import template
from django.utils.html import format_html

register = template.Library()


@register.simple_tag
def shown(cell, threshold: int) -> str:
    """A table cell for a published figure: its text, or the mark and, on hover and for screen
    readers, why it is hidden."""
    why = cell.why(threshold)
    if cell.suppressed or why:
        return format_html(
            '<td class="num hidden-figure" title="{why}">{text}<span class="visually-hidden"> ({why})</span></td>',
            why=why,
            text=cell.text,
        )
    return format_html('<td class="num">{}</td>', cell.text)


@register.filter
def problem_text(problem: str) -> str:
    from alliance.measure.reasons import problem_text as text

    return text(problem)


@register.filter
def stage_name(stage: str) -> str:
    from django.utils.translation import gettext

    return {
        "reading": gettext("reading the file"),
        "checking": gettext("checking every row"),
        "storing": gettext("storing the figures"),
    }.get(stage, stage)


@register.filter
def figure(value, rate: bool) -> str:
    """A value as figures are shown: a rate as a percentage, a count with thousands separators."""
    if value is None:
        return "–"
    return f"{100 * float(value):.1f}%" if rate else f"{round(float(value)):,}"

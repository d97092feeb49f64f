"""Why a row of a state's file was left out, in the reader's language (problem codes from mapping.py)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

FIELD_NAMES = {
    "act": gettext_noop("Perkins act"),
    "level": gettext_noop("level"),
    "place_kind": gettext_noop("kind of place (state, district, institution, school)"),
    "cip": gettext_noop("program (CIP)"),
    "cluster": gettext_noop("career cluster"),
    "sex": gettext_noop("sex"),
    "race": gettext_noop("race/ethnicity"),
    "population": gettext_noop("special population"),
    "measure": gettext_noop("measure"),
    "indicator": gettext_noop("indicator"),
}


def problem_text(problem: str) -> str:
    kind, _sep, field = problem.partition(":")
    if kind == "code":
        return _("not a known %(field)s code: add it under codes: %(key)s: in the mapping, or correct the file") % {
            "field": _(FIELD_NAMES.get(field, field)),
            "key": field,
        }
    texts = {
        "year": _("not a year (write 2018, or 2017-18 for the school year ending in 2018)"),
        "number": _("not a whole number of students, nor a suppression marker"),
        "negative": _("a count cannot be negative"),
        "act": _("no Perkins act for this row: its year is missing"),
        "required": _("empty, and every figure needs its place"),
        "indicator_needed": _("a numerator or denominator needs the indicator it belongs to"),
        "indicator_era": _("no such indicator in this row's Perkins act at this level"),
        "repeated": _("the same figure (year, place, program, group and measure) is on another row too"),
    }
    return texts.get(kind, problem)

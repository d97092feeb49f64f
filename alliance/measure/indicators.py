"""Writing an indicator's plan for a state: its targets and its turn-the-curve worksheet."""

from django.utils import timezone

from alliance.core import audit
from alliance.measure.models import Indicator, Target, Worksheet


def target_set(*, indicator: Indicator, state: str, year: int, value: float, actor) -> Target:
    target, _created = Target.objects.update_or_create(
        indicator=indicator, state=state, year=year, defaults={"value": value}
    )
    audit.record("measure.target.set", actor=actor, target=target, state=state, year=year, value=value)
    return target


def target_remove(*, indicator: Indicator, state: str, year: int, actor) -> None:
    removed, _ = Target.objects.filter(indicator=indicator, state=state, year=year).delete()
    if removed:
        audit.record("measure.target.remove", actor=actor, target=indicator, state=state, year=year)


def worksheet_save(*, indicator: Indicator, state: str, actor, **fields: str) -> Worksheet:
    worksheet, _created = Worksheet.objects.update_or_create(
        indicator=indicator,
        state=state,
        defaults={**fields, "updated": timezone.now(), "updated_by": actor if getattr(actor, "pk", None) else None},
    )
    audit.record("measure.worksheet.save", actor=actor, target=worksheet, state=state)
    return worksheet

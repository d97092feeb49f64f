"""The series a dashboard can show: a count, or an indicator continued across the Perkins eras
where the definitions allow (vocabulary.ERA_CROSSWALKS), each with its comparability note."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from alliance.measure import vocabulary


@dataclass(frozen=True)
class Series:
    key: str
    label: str
    measure: str  # a count measure, or "rate"
    level: str = "secondary"
    indicators: tuple[tuple[str, str], ...] = ()
    note: str = ""  # what differs across the era break
    cluster: str = ""  # one career cluster only, or "" for all

    @property
    def is_rate(self) -> bool:
        return self.measure == "rate"


def all_series() -> list[Series]:
    """Every series in the reader's language: counts by level, then each indicator (with the
    earlier era's indicator it continues, when a crosswalk allows)."""
    found: list[Series] = []
    for level in vocabulary.LEVELS:
        for code in ("participants", "concentrators", "completers"):
            found.append(
                Series(
                    f"{level}-{code}", f"{vocabulary.label('measure', code)} ({vocabulary.LEVELS[level]})", code, level
                )
            )
    # The seeds' two outcome measures, counted in the STEM career cluster.
    found.append(
        Series(
            "stem-completion",
            _("High-school STEM course completion (completers, STEM cluster)"),
            "completers",
            "secondary",
            cluster="STEM",
        )
    )
    found.append(
        Series(
            "stem-entry",
            _("Entry into STEM programs of study (concentrators, STEM cluster)"),
            "concentrators",
            "secondary",
            cluster="STEM",
        )
    )
    continued: dict[tuple[str, str], vocabulary.EraCrosswalk] = {}
    for crosswalk in vocabulary.ERA_CROSSWALKS.values():
        continued.setdefault(crosswalk.target, crosswalk)
    for (act, code), indicator in vocabulary.INDICATORS.items():
        if act == "V" and (act, code) in continued:
            crosswalk = continued[(act, code)]
            source = vocabulary.INDICATORS[crosswalk.source]
            label = _("%(name)s (Perkins V %(code)s; before 2020 Perkins IV %(old)s, %(old_name)s)") % {
                "name": indicator.name,
                "code": code,
                "old": source.code,
                "old_name": source.name,
            }
            found.append(
                Series(
                    f"V-{code}", label, "rate", indicator.level, (crosswalk.source, (act, code)), str(crosswalk.note)
                )
            )
        else:
            label = _("%(name)s (Perkins %(act)s %(code)s)") % {"name": indicator.name, "act": act, "code": code}
            found.append(Series(f"{act}-{code}", label, "rate", indicator.level, ((act, code),)))
    return found


def series_named(key: str) -> Series | None:
    return next((s for s in all_series() if s.key == key), None)

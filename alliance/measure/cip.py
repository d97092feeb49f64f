"""CIP codes: the NCES Classification of Instructional Programs, 2010 and 2020 editions.

Programs in state files are identified by six-digit CIP codes ("NN.NNNN"), written in many ways:
"1.0309" or "10309" once a spreadsheet has dropped the leading zero, `="01.0309"` when exported to
keep it. `normalize_cip` reads them all. The code lists, the 2010→2020 crosswalk and the STEM list
ship in reference_data/ (see SOURCES.md there).
"""

import csv
import re
from functools import cache
from pathlib import Path

REFERENCE_DATA = Path(__file__).resolve().parent / "reference_data"
EDITIONS = ("2010", "2020")
_CODE_FILES = {
    "2010": "CIPCode2010_code_action_title.csv",
    "2020": "CIPCode2020_code_action_title.csv",
}
_CROSSWALK_FILE = "Crosswalk2010_2020_changes_only.csv"
_STEM_FILE = "STEM_CIP2020_UCOP.csv"

# An NCES edition file also lists the previous edition's codes it retired ("Moved from" a code, or
# "Deleted"); those are not codes of the edition.
_RETIRED = ("Moved from", "Deleted")
_SIX_DIGITS = re.compile(r"\d\d\.\d{4}")


def _rows(name: str) -> list[dict[str, str]]:
    # The shipped files are UTF-8 (the NCES 2010 original is Latin-1, but holds only ASCII).
    with (REFERENCE_DATA / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def normalize_cip(raw: str) -> str | None:
    """The six-digit code "NN.NNNN" that `raw` writes, or None if it is not one.

    Accepts "01.0309", "1.0309", "010309", "10309" and Excel's `="01.0309"`, with or without quotes
    and spaces around them. A code with three decimals ("13.121") lost its trailing zero to a
    spreadsheet and becomes "13.1210". Two- and four-digit series ("01", "01.03") give None, as
    does anything else: the result is well-formed, not necessarily a code of any edition.
    """
    text = raw.strip()
    if text.startswith("="):
        text = text[1:].strip()
    text = text.strip("\"'").strip()
    if re.fullmatch(r"\d{5,6}", text):
        text = text.zfill(6)
        return f"{text[:2]}.{text[2:]}"
    match = re.fullmatch(r"(\d{1,2})\.(\d{3,4})", text)
    if not match:
        return None
    return f"{match[1].zfill(2)}.{match[2].ljust(4, '0')}"


@cache
def cip_titles(edition: str) -> dict[str, str]:
    """Six-digit code → title for the codes of one edition ("2010" or "2020").

    The dict is cached and shared between callers: read it, do not change it.
    """
    if edition not in EDITIONS:
        raise ValueError(f"unknown CIP edition {edition!r}; expected one of {', '.join(EDITIONS)}")
    return {
        row["CIPCode"]: row["CIPTitle"]
        for row in _rows(_CODE_FILES[edition])
        if _SIX_DIGITS.fullmatch(row["CIPCode"]) and row["Action"] not in _RETIRED
    }


@cache
def _crosswalk() -> dict[str, tuple[str, ...]]:
    """2010 code → its 2020 codes, for the codes the 2020 edition moved or deleted."""
    changes: dict[str, list[str]] = {}
    for row in _rows(_CROSSWALK_FILE):
        original = normalize_cip(row["Original code"])
        if original is None:
            raise ValueError(f"{_CROSSWALK_FILE}: bad code {row['Original code']!r}")
        targets = changes.setdefault(original, [])
        if row["Action"] == "Moved to":
            targets.append(normalize_cip(row["Current code"]) or "")
        elif row["Action"] == "Deleted":
            # "Deleted, report under 61.0903": NCES names where to report instead. A two-digit
            # family ("report under 61") names no six-digit code, so nothing is added.
            targets.extend(_SIX_DIGITS.findall(row["Current title"]))
    if any("" in targets for targets in changes.values()):
        raise ValueError(f"{_CROSSWALK_FILE}: a 'Moved to' row has no six-digit current code")
    return {code: tuple(targets) for code, targets in changes.items()}


def cip_2010_to_2020(code: str) -> list[str]:
    """The CIP 2020 codes a CIP 2010 code became.

    Unchanged codes map to themselves; moved codes to their new codes; deleted codes to the codes
    NCES says to report under, or [] when it names only a two-digit family. Raises ValueError when
    `code` is not a CIP 2010 code.
    """
    normalized = normalize_cip(code)
    if normalized is None or normalized not in cip_titles("2010"):
        raise ValueError(f"{code!r} is not a CIP 2010 code")
    changed = _crosswalk()
    if normalized in changed:
        return list(changed[normalized])
    return [normalized]


@cache
def _stem_codes() -> frozenset[str]:
    return frozenset(row["CIP_Code"] for row in _rows(_STEM_FILE))


def is_stem(code: str, *, edition: str = "2020") -> bool:
    """Whether a program is STEM by UC Office of the President's list of CIP 2020 codes.

    That list is UCOP's choice for its own reporting, not a federal definition, and unrelated to the
    STEM career cluster. A CIP 2010 code (`edition="2010"`) counts as STEM when a code it became is.
    Raises ValueError when `code` is not a code of `edition`.
    """
    normalized = normalize_cip(code)
    if edition == "2010":
        return any(c in _stem_codes() for c in cip_2010_to_2020(code))
    if normalized is None or normalized not in cip_titles(edition):
        raise ValueError(f"{code!r} is not a CIP {edition} code")
    return normalized in _stem_codes()

"""The shared measures' vocabulary and the CIP code lists: facts a reviewer would check."""

import csv

import openpyxl
import pytest

from alliance.measure import cip, vocabulary
from alliance.measure.vocabulary import (
    ERA_CROSSWALKS,
    INDICATORS,
    RACE_ROLLUPS,
    RACE_SETS,
    SPECIAL_POPULATIONS,
    canonical_codes,
    label,
    resolve_alias,
)
from alliance.testing.fixtures import shared_data


def _column(path, name, encoding="utf-8"):
    with path.open(encoding=encoding, newline="") as handle:
        return {row[name] for row in csv.DictReader(handle)}


# --- Acts and indicators --------------------------------------------------------------------------


def test_it_dates_perkins_v_from_the_2019_20_program_year():
    assert vocabulary.act_for_year(2019) == "IV"
    assert vocabulary.act_for_year(2020) == "V"
    assert vocabulary.act_for_year(2012) == "IV"
    assert vocabulary.ACTS["V"].effective.isoformat() == "2019-07-01"


def test_it_lists_the_indicators_of_each_act():
    assert sorted(canonical_codes("indicator", act="V")) == [
        "1P1", "1S1", "1S2", "2P1", "2S1", "2S2", "2S3", "3P1", "3S1", "4S1", "5S1", "5S2", "5S3", "5S4",
    ]  # fmt: skip
    assert sorted(canonical_codes("indicator", act="IV")) == [
        "1P1", "1S1", "1S2", "2P1", "2S1", "3P1", "3S1", "4P1", "4S1", "5P1", "5P2", "5S1", "6S1", "6S2",
    ]  # fmt: skip
    for (act, code), indicator in INDICATORS.items():
        assert (indicator.act, indicator.code) == (act, code)
        assert indicator.level == ("secondary" if code[1] == "S" else "postsecondary")
        assert indicator.polarity in ("higher", "lower")
        assert str(indicator.numerator) and str(indicator.denominator)


def test_it_gives_4s1_a_different_meaning_in_each_act():
    assert INDICATORS["IV", "4S1"].name == "Student graduation rates"
    assert INDICATORS["V", "4S1"].name == "Non-traditional program concentration"
    assert label("indicator", "4S1", act="IV") != label("indicator", "4S1", act="V")
    with pytest.raises(ValueError, match="both acts"):
        label("indicator", "4S1")
    assert label("indicator", "5S4") == "Program quality: other (state-defined)"  # only in Perkins V


def test_every_crosswalk_points_at_existing_indicators_of_the_other_act():
    assert {(c.source, c.target) for c in ERA_CROSSWALKS.values()} == {
        (("IV", "6S1"), ("V", "4S1")),
        (("IV", "6S2"), ("V", "4S1")),
        (("IV", "5P1"), ("V", "3P1")),
        (("IV", "5P2"), ("V", "3P1")),
        (("IV", "4S1"), ("V", "1S1")),
    }
    for crosswalk in ERA_CROSSWALKS.values():
        source, target = INDICATORS[crosswalk.source], INDICATORS[crosswalk.target]
        assert (source.act, target.act) == ("IV", "V")
        assert source.level == target.level
        assert str(crosswalk.note)
        assert crosswalk.target in source.comparable_to
        assert crosswalk.source in target.comparable_to
    linked = {key for key, indicator in INDICATORS.items() if indicator.comparable_to}
    assert linked == {c.source for c in ERA_CROSSWALKS.values()} | {c.target for c in ERA_CROSSWALKS.values()}


# --- Special populations, sex, measures -----------------------------------------------------------


def test_perkins_v_has_nine_special_populations_and_perkins_iv_six():
    assert len(SPECIAL_POPULATIONS["V"]) == 9
    assert len(SPECIAL_POPULATIONS["IV"]) == 6
    assert set(SPECIAL_POPULATIONS["V"]) - set(SPECIAL_POPULATIONS["IV"]) == {
        "OutOfWorkforce", "EnglishLearner", "Homeless", "FosterCare", "MilitaryConnected",
    }  # fmt: skip
    assert set(SPECIAL_POPULATIONS["IV"]) - set(SPECIAL_POPULATIONS["V"]) == {
        "DisplacedHomemaker", "LimitedEnglishProficient",
    }  # fmt: skip
    assert canonical_codes("population", act="V") == {*SPECIAL_POPULATIONS["V"], "all"}


def test_it_answers_for_a_population_in_the_terms_of_the_act():
    assert resolve_alias("population", "LEP", act="V") == "EnglishLearner"
    assert resolve_alias("population", "English learners", act="IV") == "LimitedEnglishProficient"
    assert resolve_alias("population", "Homeless", act="IV") is None
    assert label("population", "EconomicDisadvantage", act="IV").endswith("including foster children")


def test_it_resolves_common_sex_spellings():
    for raw, code in [("Female", "F"), ("GIRLS", "F"), (" m ", "M"), ("Male", "M"), ("Non-binary", "X"),
                      ("All Students", "all"), ("Total", "all")]:  # fmt: skip
        assert resolve_alias("sex", raw) == code, raw
    assert resolve_alias("sex", "Unknown") is None
    assert canonical_codes("sex") == {"F", "M", "X", "all"}


def test_measures_carry_their_ceds_names():
    assert {code: m.ceds for code, m in vocabulary.MEASURES.items() if m.ceds} == {
        "participants": "CteParticipant",
        "concentrators": "CteConcentrator",
        "completers": "CteCompleter",
    }
    assert resolve_alias("measure", "CteConcentrator") == "concentrators"
    assert {code for code, m in vocabulary.MEASURES.items() if m.needs_indicator} == {"numerator", "denominator"}


# --- Race and ethnicity ---------------------------------------------------------------------------


def test_it_knows_the_three_race_sets_and_when_ed_switched():
    assert len(RACE_SETS["1977"].categories) == 5
    assert len(RACE_SETS["1997"].categories) == 7
    assert "MiddleEasternNorthAfrican" in RACE_SETS["2024"].categories
    assert vocabulary.race_set_for_year(2010) == "1977"
    assert vocabulary.race_set_for_year(2011) == "1997"
    assert vocabulary.race_set_for_year(2025) == "1997"


def test_every_seven_category_code_rolls_up_into_the_five_categories_except_two_or_more():
    five = set(RACE_SETS["1977"].categories)
    assert set(RACE_SETS["1997"].categories) <= set(RACE_ROLLUPS)
    assert {code for code, up in RACE_ROLLUPS.items() if up is None} == {"TwoOrMoreRaces"}
    assert {up for up in RACE_ROLLUPS.values() if up not in (None, "all")} == five
    assert RACE_ROLLUPS["NativeHawaiianPacificIslander"] == RACE_ROLLUPS["Asian"] == "AsianPacificIslander"


def test_every_colorado_race_spelling_resolves():
    spellings = _column(shared_data("cte", "co_pupil_enrollment_by_race_ethnicity.csv"), "Race")
    spellings |= _column(shared_data("cte", "co_math_proficiency_by_race_ethnicity.csv"), "Race Ethnicity")
    resolved = {raw: resolve_alias("race", raw) for raw in spellings}
    assert None not in resolved.values(), resolved
    assert resolved["All Students"] == resolved["Total"] == "all"
    assert resolved["Hawaiian/Pacific Islander"] == "NativeHawaiianPacificIslander"
    assert resolved["Two or more"] == resolved["Two or more races"] == "TwoOrMoreRaces"
    assert resolved["Native American"] == resolved["American Indian Students"] == "AmericanIndianAlaskaNative"


# --- Career clusters ------------------------------------------------------------------------------


def test_it_has_the_sixteen_national_career_clusters():
    assert len(vocabulary.CLUSTERS) == 16
    assert canonical_codes("cluster") == {*vocabulary.CLUSTERS, "all"}


def test_every_north_carolina_cluster_abbreviation_resolves():
    long_codes = _column(shared_data("cte", "nc_2018_cte_concentrators_long.csv"), "career_cluster")
    with shared_data("cte", "nc_2018_cte_concentrators_wide.csv").open(newline="") as handle:
        header = next(csv.reader(handle))
    wide_codes = {name.removeprefix("num_concentrators_") for name in header if name != "agency_code"}
    assert long_codes == wide_codes
    resolved = {raw: resolve_alias("cluster", raw) for raw in long_codes}
    assert None not in resolved.values(), resolved
    assert len(set(resolved.values())) == len(long_codes) == 15  # NC has no Government cluster
    assert resolved["AAVC"] == "ArtsAVTechnologyCommunications"
    assert resolved["STEM"] == "STEM"


def test_cluster_names_resolve_with_ampersands_and_either_case():
    assert (
        resolve_alias("cluster", "Law, Public Safety, Corrections & Security") == "LawPublicSafetyCorrectionsSecurity"
    )
    assert resolve_alias("cluster", "business, management & administration") == "BusinessManagementAdministration"
    assert resolve_alias("cluster", "Advanced Manufacturing") is None  # a 2024-framework cluster: no 1:1 mapping


# --- The lookup API as a whole --------------------------------------------------------------------


@pytest.mark.parametrize("field", vocabulary.FIELDS)
def test_every_canonical_code_has_a_label_and_resolves_to_itself(field):
    codes = canonical_codes(field)
    assert codes
    for code in codes:
        assert resolve_alias(field, code) == code
        assert resolve_alias(field, f"  {code.upper()} ") == code
        if field != "indicator":  # indicator codes need an act; tested above
            assert label(field, code)


@pytest.mark.parametrize(
    ("field", "aliases"),
    [
        ("sex", vocabulary.SEX_ALIASES),
        ("race", vocabulary.RACE_ALIASES),
        ("population", vocabulary.POPULATION_ALIASES),
        ("cluster", vocabulary.CLUSTER_ALIASES),
    ],
)
def test_no_alias_is_shadowed_by_another_spelling(field, aliases):
    for raw, code in aliases.items():
        assert code in canonical_codes(field), raw
        assert resolve_alias(field, raw) == code, raw
    for code in canonical_codes(field):
        assert resolve_alias(field, label(field, code)) == code, code


def test_it_refuses_unknown_fields_codes_and_acts():
    with pytest.raises(ValueError, match="field"):
        canonical_codes("colour")
    with pytest.raises(ValueError, match="act"):
        canonical_codes("indicator", act="VI")
    with pytest.raises(ValueError, match="not a canonical"):
        label("sex", "Q")
    assert resolve_alias("race", "Martian") is None


# --- CIP ------------------------------------------------------------------------------------------


def test_it_reads_plausible_numbers_of_cip_codes():
    titles_2010, titles_2020 = cip.cip_titles("2010"), cip.cip_titles("2020")
    assert 1700 < len(titles_2010) < 1750
    assert 2150 < len(titles_2020) < 2200
    assert all(len(code) == 7 and code[2] == "." for code in titles_2010.keys() | titles_2020.keys())
    assert titles_2010["01.0309"] == "Viticulture and Enology."
    assert "01.0309" not in titles_2020  # moved to 01.1004
    assert titles_2020["01.1004"] == "Viticulture and Enology."
    with pytest.raises(ValueError):
        cip.cip_titles("2000")


def test_the_shipped_2010_titles_match_the_latin_1_original():
    # The original is documented as Latin-1 but holds no byte above 127, so no title has an accent:
    # decoding it as Latin-1 and the shipped copy as UTF-8 must give the same text.
    original = shared_data("cip", "CIPCode2010.csv")
    assert max(original.read_bytes()) < 128
    with original.open(encoding="latin-1", newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if len(r["CIPCode"]) == 7 and r["Action"] not in cip._RETIRED]
    assert {r["CIPCode"]: r["CIPTitle"] for r in rows} == cip.cip_titles("2010")


def test_every_move_in_the_crosswalk_file_maps_as_the_file_says():
    with shared_data("cip", "Crosswalk2010_2020_changes_only.csv").open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    moves = [r for r in rows if r["Action"] == "Moved to"]
    assert len(moves) == 145
    for row in moves:
        assert cip.cip_2010_to_2020(row["Original code"]) == [cip.normalize_cip(row["Current code"])]
    assert cip.cip_2010_to_2020("15.0503") == ["15.1701"]
    assert cip.cip_2010_to_2020("60.0406") == ["61.0903"]  # deleted, "report under 61.0903"
    assert cip.cip_2010_to_2020("60.0499") == []  # deleted, "report under 61": no six-digit code


def test_every_cip_2010_code_maps_to_codes_of_the_2020_edition():
    titles_2020 = cip.cip_titles("2020")
    for code in cip.cip_titles("2010"):
        assert set(cip.cip_2010_to_2020(code)) <= titles_2020.keys(), code
    assert cip.cip_2010_to_2020("11.0701") == ["11.0701"]  # unchanged
    with pytest.raises(ValueError):
        cip.cip_2010_to_2020("01.1004")  # a 2020 code that did not exist in 2010


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ('="01.0309"', "01.0309"),
        (' = "01.0309" ', "01.0309"),
        ("01.0309", "01.0309"),
        ("1.0309", "01.0309"),
        ("010309", "01.0309"),
        ("10309", "01.0309"),
        ("13.121", "13.1210"),
        ("'52.0201'", "52.0201"),
        ("01.03", None),
        ("01", None),
        ("1.03.09", None),
        ("CIP 01.0309", None),
        ("", None),
    ],
)
def test_it_normalizes_cip_codes_as_spreadsheets_write_them(raw, code):
    assert cip.normalize_cip(raw) == code


def test_it_flags_stem_programs_by_the_ucop_list():
    assert cip.is_stem("11.0701")  # Computer Science
    assert cip.is_stem("14.0901")  # Computer Engineering, General
    assert not cip.is_stem("52.0201")  # Business Administration and Management, General
    assert cip.is_stem("15.0503", edition="2010")  # became 15.1701, which the list has
    with pytest.raises(ValueError):
        cip.is_stem("15.0503")  # not a 2020 code


def test_the_shipped_stem_list_is_the_ucop_workbook_without_its_series_markers():
    workbook = openpyxl.load_workbook(shared_data("cip", "STEM_List_for_CAIR_UCOP.xlsx"), read_only=True)
    listed = {row[0] for row in workbook.worksheets[0].iter_rows(min_row=2, values_only=True) if row[0]}
    titles_2020 = cip.cip_titles("2020")
    markers = listed - titles_2020.keys()
    assert all(code.endswith("00") for code in markers)
    for marker in markers:  # a marker's whole family or series is listed code by code
        prefix = marker[:2] if marker.endswith(".0000") else marker[:5]
        assert {c for c in titles_2020 if c.startswith(prefix)} <= listed, marker
    shipped = {code for code in listed if code in titles_2020}
    assert all(cip.is_stem(code) for code in shipped)
    assert sum(cip.is_stem(code) for code in titles_2020) == len(shipped) == 435

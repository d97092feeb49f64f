"""The canonical vocabulary of the shared measures: acts, levels, indicators, measures and the
categories a count can be broken down by (sex, race/ethnicity, special population, career cluster).

Everything here is plain data. A loader maps each source spelling to one canonical code with
`resolve_alias`, stores the code, and shows `label(field, code)` in the reader's language.

Years are the calendar year in which the school or program year ends: 2019-20 is 2020. Perkins
program years run July 1 to June 30, so one number names both.

Sources: Perkins IV (Carl D. Perkins Career and Technical Education Act of 2006, P.L. 109-270)
sec. 3 and 113, with OCTAE's 2007 "Student Definitions and Measurement Approaches" memo; Perkins V
(Strengthening Career and Technical Education for the 21st Century Act, P.L. 115-224) sec. 3 and
113; OMB race/ethnicity standards of 1977, 1997 and 2024 (SPD 15) and ED's 2007 guidance applying
the 1997 ones; Advance CTE's National Career Clusters Framework; CEDS element names.
"""

import re
from dataclasses import dataclass
from datetime import date
from functools import cache

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

IndicatorKey = tuple[str, str]  # (act, code), e.g. ("V", "4S1")


# --- Acts ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Act:
    code: str
    name: Promise
    short_name: Promise
    public_law: str
    effective: date


ACTS: dict[str, Act] = {
    "IV": Act(
        "IV",
        _("Carl D. Perkins Career and Technical Education Act of 2006"),
        _("Perkins IV"),
        "P.L. 109-270",
        date(2007, 7, 1),
    ),
    "V": Act(
        "V",
        _("Strengthening Career and Technical Education for the 21st Century Act"),
        _("Perkins V"),
        "P.L. 115-224",
        date(2019, 7, 1),
    ),
}

FIRST_PERKINS_V_YEAR = 2020


def act_for_year(year: int) -> str:
    """The act whose indicators apply to the program year ending in `year`.

    Perkins V took effect on July 1, 2019, so 2019-20 (2020) is its first program year; 2018-19
    (2019) and earlier are Perkins IV. ED treated 2019-20 as a transition year and did not require
    Perkins V performance data for it, so 2020 figures may be missing or provisional.

    Years before 2008 predate Perkins IV (its first program year, 2007-08, was a transition year
    under Perkins III, the 1998 act). We model no Perkins III vocabulary, so they get "IV" too:
    treat indicator data from those years as not comparable.
    """
    return "V" if year >= FIRST_PERKINS_V_YEAR else "IV"


# --- Levels and measures --------------------------------------------------------------------------

LEVELS: dict[str, Promise] = {
    "secondary": _("Secondary"),
    "postsecondary": _("Postsecondary"),
}


@dataclass(frozen=True)
class Measure:
    """A kind of fact a file row can hold. `ceds` is the CEDS element's technical name, or ""."""

    code: str
    name: Promise
    ceds: str = ""
    needs_indicator: bool = False


MEASURES: dict[str, Measure] = {
    # Perkins V sec. 3(13): completed at least one course or earned at least one credit in a CTE program.
    "participants": Measure("participants", _("CTE participants"), "CteParticipant"),
    # Perkins V sec. 3(12): secondary, two courses in one program; postsecondary, 12 credits or a shorter program.
    "concentrators": Measure("concentrators", _("CTE concentrators"), "CteConcentrator"),
    # Neither act defines completers: each state does.
    "completers": Measure("completers", _("CTE completers"), "CteCompleter"),
    # All students enrolled, CTE or not: the context a CTE count is read against.
    "enrolled": Measure("enrolled", _("Students enrolled")),
    "numerator": Measure("numerator", _("Indicator numerator"), needs_indicator=True),
    "denominator": Measure("denominator", _("Indicator denominator"), needs_indicator=True),
}


# --- Indicators -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Indicator:
    """A core indicator of performance. Perkins sets what each measures; each state defines its exact
    numerator and denominator, so `numerator` and `denominator` describe the federal model
    (OCTAE's 2007 guidance for Perkins IV, the wording of sec. 113(b)(2) for Perkins V).

    `comparable_to` lists the other act's indicators a trend may be continued with (see
    ERA_CROSSWALKS for what differs). We know of no CEDS element for a whole indicator, so `ceds` is ""
    for now.
    """

    act: str
    code: str
    level: str
    name: Promise
    numerator: Promise
    denominator: Promise
    polarity: str = "higher"
    comparable_to: tuple[IndicatorKey, ...] = ()
    ceds: str = ""


# The statute says "the percentage of CTE concentrators in ... programs ... that lead to non-traditional
# fields" without fixing the denominator. This is the Perkins IV pattern (6S2, 5P2) that many states
# kept; some divide instead by all CTE concentrators. Check each state's plan before comparing states.
_NONTRAD_V_NUM = _(
    "CTE concentrators of the underrepresented gender in CTE programs and programs of study that lead to"
    " non-traditional fields"
)
_NONTRAD_V_DEN = _("CTE concentrators in CTE programs and programs of study that lead to non-traditional fields")
_HS_GRADS = _("CTE concentrators who graduated high school")
_V_POST_LEAVERS = _("CTE concentrators who completed their program or otherwise left postsecondary education")


_V_INDICATORS = [
    ("1S1", "secondary", _("Four-year graduation rate"),
     _("CTE concentrators who graduated high school, as counted in the four-year adjusted cohort graduation rate"),
     _("CTE concentrators in the four-year adjusted cohort")),
    ("1S2", "secondary", _("Extended graduation rate"),
     _("CTE concentrators who graduated high school, as counted in the extended-year adjusted cohort graduation"
       " rate"),
     _("CTE concentrators in the extended-year adjusted cohort")),
    ("2S1", "secondary", _("Academic proficiency in reading/language arts"),
     _("CTE concentrators who scored proficient on the state's ESEA reading/language arts assessment"),
     _("CTE concentrators who took the state's ESEA reading/language arts assessment")),
    ("2S2", "secondary", _("Academic proficiency in mathematics"),
     _("CTE concentrators who scored proficient on the state's ESEA mathematics assessment"),
     _("CTE concentrators who took the state's ESEA mathematics assessment")),
    ("2S3", "secondary", _("Academic proficiency in science"),
     _("CTE concentrators who scored proficient on the state's ESEA science assessment"),
     _("CTE concentrators who took the state's ESEA science assessment")),
    ("3S1", "secondary", _("Post-program placement"),
     _("CTE concentrators who, in the second quarter after leaving secondary education, are in postsecondary"
       " education or advanced training, military service, a national service program or the Peace Corps, or are"
       " employed"),
     _("CTE concentrators who left secondary education")),
    ("4S1", "secondary", _("Non-traditional program concentration"), _NONTRAD_V_NUM, _NONTRAD_V_DEN),
    ("5S1", "secondary", _("Program quality: attained a recognized postsecondary credential"),
     _("CTE concentrators who graduated high school having attained a recognized postsecondary credential"),
     _HS_GRADS),
    ("5S2", "secondary", _("Program quality: attained postsecondary credits"),
     _("CTE concentrators who graduated high school having earned postsecondary credits in their CTE program"
       " through dual or concurrent enrollment or another credit transfer agreement"),
     _HS_GRADS),
    ("5S3", "secondary", _("Program quality: participated in work-based learning"),
     _("CTE concentrators who graduated high school having participated in work-based learning"),
     _HS_GRADS),
    ("5S4", "secondary", _("Program quality: other (state-defined)"),
     _("Defined by the state: a statewide, valid and reliable measure of student success in CTE"),
     _("Defined by the state")),
    ("1P1", "postsecondary", _("Post-program placement"),
     _("CTE concentrators who, in the second quarter after completing their program, remain enrolled in"
       " postsecondary education, are in advanced training, military service, a national service program or the"
       " Peace Corps, or are placed or retained in employment"),
     _V_POST_LEAVERS),
    ("2P1", "postsecondary", _("Earned recognized postsecondary credential"),
     _("CTE concentrators who received a recognized postsecondary credential during participation or within one"
       " year of program completion"),
     _V_POST_LEAVERS),
    ("3P1", "postsecondary", _("Non-traditional program concentration"), _NONTRAD_V_NUM, _NONTRAD_V_DEN),
]  # fmt: skip

_IV_SEC_LEAVERS = _("CTE concentrators who left secondary education in the reporting year")
_IV_POST_LEAVERS = _("CTE concentrators who left postsecondary education in the reporting year")
_IV_TSA_NUM = _("CTE concentrators who passed technical skill assessments aligned with industry-recognized standards")
_IV_TSA_DEN = _("CTE concentrators who took technical skill assessments")
_IV_NT_PART_NUM = _("CTE participants of the underrepresented gender in programs that lead to nontraditional fields")
_IV_NT_PART_DEN = _("CTE participants in programs that lead to nontraditional fields")
_IV_NT_COMP_NUM = _(
    "CTE concentrators of the underrepresented gender who completed a program that leads to nontraditional fields"
)
_IV_NT_COMP_DEN = _("CTE concentrators who completed a program that leads to nontraditional fields")


_IV_ACADEMIC_DEN = _(
    "CTE concentrators who left secondary education in the reporting year and took the state's ESEA high school"
    " assessment in that subject, with scores counted in the state's adequate yearly progress"
)


_IV_INDICATORS = [
    ("1S1", "secondary", _("Academic attainment: reading/language arts"),
     _("CTE concentrators who left secondary education in the reporting year and scored proficient or advanced on"
       " the state's ESEA high school reading/language arts assessment"),
     _IV_ACADEMIC_DEN),
    ("1S2", "secondary", _("Academic attainment: mathematics"),
     _("CTE concentrators who left secondary education in the reporting year and scored proficient or advanced on"
       " the state's ESEA high school mathematics assessment"),
     _IV_ACADEMIC_DEN),
    ("2S1", "secondary", _("Technical skill attainment"), _IV_TSA_NUM, _IV_TSA_DEN),
    ("3S1", "secondary", _("Secondary school completion"),
     _("CTE concentrators who earned a regular diploma, a GED or other state-recognized equivalent, or a"
       " proficiency credential with a diploma, in the reporting year"),
     _IV_SEC_LEAVERS),
    ("4S1", "secondary", _("Student graduation rates"),
     _("CTE concentrators counted as graduates in the state's ESEA graduation rate"),
     _("CTE concentrators included in the state's ESEA graduation rate")),
    ("5S1", "secondary", _("Secondary placement"),
     _("CTE concentrators who, in the second quarter after the program year in which they left secondary"
       " education, were in postsecondary education or advanced training, military service or employment"),
     _IV_SEC_LEAVERS),
    ("6S1", "secondary", _("Nontraditional participation"), _IV_NT_PART_NUM, _IV_NT_PART_DEN),
    ("6S2", "secondary", _("Nontraditional completion"), _IV_NT_COMP_NUM, _IV_NT_COMP_DEN),
    ("1P1", "postsecondary", _("Technical skill attainment"), _IV_TSA_NUM, _IV_TSA_DEN),
    ("2P1", "postsecondary", _("Credential, certificate, or degree"),
     _("CTE concentrators who received an industry-recognized credential, a certificate or a degree in the"
       " reporting year"),
     _IV_POST_LEAVERS),
    ("3P1", "postsecondary", _("Student retention or transfer"),
     _("Of the denominator, those who remained enrolled at their institution or transferred to another two- or"
       " four-year institution in the reporting year"),
     _("CTE concentrators enrolled in the fall of the previous reporting year who earned no credential,"
       " certificate or degree that year")),
    ("4P1", "postsecondary", _("Student placement"),
     _("CTE concentrators placed or retained in employment, or placed in military service or an apprenticeship,"
       " in the second quarter after the program year in which they left postsecondary education"),
     _IV_POST_LEAVERS),
    ("5P1", "postsecondary", _("Nontraditional participation"), _IV_NT_PART_NUM, _IV_NT_PART_DEN),
    ("5P2", "postsecondary", _("Nontraditional completion"), _IV_NT_COMP_NUM, _IV_NT_COMP_DEN),
]  # fmt: skip


@dataclass(frozen=True)
class EraCrosswalk:
    """A Perkins IV indicator whose trend a Perkins V indicator may continue, and what differs.

    `since` is the first year from which the Perkins IV figures are comparable at all (None: any).
    Every crosswalk is a break in method: chart the two eras as separate series that share an axis.
    """

    source: IndicatorKey
    target: IndicatorKey
    note: Promise
    since: int | None = None


# Shown with every crosswalk: each one spans the change of concentrator definitions.
ERA_CHANGE_NOTE = _(
    "CTE concentrators were redefined in 2019-20: OCTAE's Perkins IV guidance suggested three credits in one"
    " program area at the secondary level; Perkins V sets two courses in one program or program of study"
    " (postsecondary: 12 credits, or a completed shorter program, under both). Chart the eras as two series."
)
_NONTRAD_COMPLETION_NOTE = _(
    "Perkins IV counted concentrators who completed a nontraditional program; Perkins V counts concentrators in"
    " such programs whether or not they completed."
)

ERA_CROSSWALKS: dict[IndicatorKey, EraCrosswalk] = {
    c.source: c
    for c in [
        EraCrosswalk(("IV", "6S1"), ("V", "4S1"), _(
            "Perkins IV counted CTE participants (one credit) of the underrepresented gender among participants in"
            " nontraditional programs; Perkins V counts CTE concentrators, a smaller group further along."
        )),
        EraCrosswalk(("IV", "6S2"), ("V", "4S1"), _NONTRAD_COMPLETION_NOTE),
        EraCrosswalk(("IV", "5P1"), ("V", "3P1"), _(
            "Perkins IV counted CTE participants (one credit) of the underrepresented gender among participants in"
            " nontraditional programs; Perkins V counts CTE concentrators (12 credits, or a completed shorter program)."
        )),
        EraCrosswalk(("IV", "5P2"), ("V", "3P1"), _NONTRAD_COMPLETION_NOTE),
        EraCrosswalk(("IV", "4S1"), ("V", "1S1"), _(
            "Both count CTE concentrators in the state's ESEA graduation rate. Perkins V fixes the four-year adjusted"
            " cohort rate; under Perkins IV it was whatever rate the state's ESEA plan used, the four-year adjusted"
            " cohort rate only from 2010-11 on, and some states reported it a year late."
        ), since=2011),
    ]
}  # fmt: skip


def _build_indicators() -> dict[IndicatorKey, Indicator]:
    links: dict[IndicatorKey, list[IndicatorKey]] = {}
    for c in ERA_CROSSWALKS.values():
        links.setdefault(c.source, []).append(c.target)
        links.setdefault(c.target, []).append(c.source)
    built = {}
    for act, rows in (("IV", _IV_INDICATORS), ("V", _V_INDICATORS)):
        for code, level, name, numerator, denominator in rows:
            key = (act, code)
            built[key] = Indicator(
                act, code, level, name, numerator, denominator, comparable_to=tuple(sorted(links.get(key, ())))
            )
    return built


INDICATORS: dict[IndicatorKey, Indicator] = _build_indicators()


# --- Sex ------------------------------------------------------------------------------------------

SEXES: dict[str, Promise] = {
    "F": _("Female"),
    "M": _("Male"),
    "X": _("Nonbinary or another sex"),  # some states report it; ED collections mostly do not
    "all": _("All students"),
}

# "Unknown", "Not selected" and "Other" are deliberately absent: they are not "X".
SEX_ALIASES: dict[str, str] = {
    **dict.fromkeys(["female", "females", "f", "girl", "girls", "woman", "women"], "F"),
    **dict.fromkeys(["male", "males", "m", "boy", "boys", "man", "men"], "M"),
    **dict.fromkeys(["x", "nonbinary", "non-binary", "another gender", "gender x"], "X"),
    **dict.fromkeys(["all", "total", "all students", "both", "all genders", "all sexes"], "all"),
}


# --- Race and ethnicity ---------------------------------------------------------------------------

RACE_LABELS: dict[str, Promise] = {
    "AmericanIndianAlaskaNative": _("American Indian or Alaska Native"),
    "AsianPacificIslander": _("Asian or Pacific Islander"),
    "BlackNonHispanic": _("Black, non-Hispanic"),
    "HispanicLatino": _("Hispanic or Latino"),
    "WhiteNonHispanic": _("White, non-Hispanic"),
    "Asian": _("Asian"),
    "BlackAfricanAmerican": _("Black or African American"),
    "NativeHawaiianPacificIslander": _("Native Hawaiian or Other Pacific Islander"),
    "White": _("White"),
    "TwoOrMoreRaces": _("Two or more races"),
    "MiddleEasternNorthAfrican": _("Middle Eastern or North African"),
    "MultiracialMultiethnic": _("Multiracial and/or multiethnic"),
    "all": _("All students"),
}


@dataclass(frozen=True)
class RaceSet:
    key: str
    name: Promise
    categories: tuple[str, ...]


# Codes shared between sets name the same category, but counts still shift between sets: before the
# 1997 standards took effect a multiracial student was counted in one category, after in two or more.
RACE_SETS: dict[str, RaceSet] = {
    "1977": RaceSet("1977", _("Five categories (OMB 1977 standards)"), (
        "AmericanIndianAlaskaNative", "AsianPacificIslander", "BlackNonHispanic", "HispanicLatino",
        "WhiteNonHispanic",
    )),
    # ED's aggregate categories under the 1997 standards: Hispanic or Latino of any race first, then
    # the races of non-Hispanic students, and two or more races.
    "1997": RaceSet("1997", _("Seven categories (OMB 1997 standards)"), (
        "HispanicLatino", "AmericanIndianAlaskaNative", "Asian", "BlackAfricanAmerican",
        "NativeHawaiianPacificIslander", "White", "TwoOrMoreRaces",
    )),
    # SPD 15 (2024): one combined question; Hispanic or Latino is a category like the others and
    # Middle Eastern or North African is split out of White. Respondents choosing more than one
    # category are shown "alone or in combination" or as multiracial and/or multiethnic.
    "2024": RaceSet("2024", _("Seven categories and multiracial (OMB SPD 15, 2024)"), (
        "AmericanIndianAlaskaNative", "Asian", "BlackAfricanAmerican", "HispanicLatino",
        "MiddleEasternNorthAfrican", "NativeHawaiianPacificIslander", "White", "MultiracialMultiethnic",
    )),
}  # fmt: skip

FIRST_SEVEN_CATEGORY_YEAR = 2011


def race_set_for_year(year: int) -> str:
    """The race set ED required for the school year ending in `year`: "1977" or "1997".

    ED's 2007 guidance made the seven categories mandatory for data on the 2010-11 school year
    (2011) and later; IPEDS required them from its 2010-11 collection. States could adopt them earlier
    (Colorado's pupil counts use them for the year labelled 2010), so trust the categories a file has.
    "2024" is never returned: ED has set no date; OMB requires compliance by March 28, 2029.
    """
    return "1997" if year >= FIRST_SEVEN_CATEGORY_YEAR else "1977"


# How a seven-category (1997) code rolls up into the five categories (1977), for trends across 2010.
# Two or more races has no counterpart (those students were counted under one race before), so a
# five-category total rebuilt from seven-category counts falls short by that group. Black and White
# carry "non-Hispanic" in the five-category names only: ED counted Hispanic students of any race as
# Hispanic in both sets.
RACE_ROLLUPS: dict[str, str | None] = {
    "HispanicLatino": "HispanicLatino",
    "AmericanIndianAlaskaNative": "AmericanIndianAlaskaNative",
    "Asian": "AsianPacificIslander",
    "NativeHawaiianPacificIslander": "AsianPacificIslander",
    "BlackAfricanAmerican": "BlackNonHispanic",
    "White": "WhiteNonHispanic",
    "TwoOrMoreRaces": None,
    "all": "all",
}

# Source spellings (beyond the canonical codes and labels, which resolve anyway). "Asian", "Black" and
# "White" resolve to the seven-category codes; in a five-category year pass them through RACE_ROLLUPS
# (Colorado's "Asian Students" of 2007-2009 includes Pacific Islanders).
RACE_ALIASES: dict[str, str] = {
    **dict.fromkeys(["American Indian", "American Indian Students", "Native American", "American Indian/Alaska Native",
                     "American Indian or Alaskan Native", "AIAN", "AM7"], "AmericanIndianAlaskaNative"),
    **dict.fromkeys(["Asian Students", "AS7"], "Asian"),
    **dict.fromkeys(["Asian/Pacific Islander", "API"], "AsianPacificIslander"),
    **dict.fromkeys(["Black", "Black Students", "African American", "BL7"], "BlackAfricanAmerican"),
    **dict.fromkeys(["Black (not Hispanic)", "Black, not Hispanic"], "BlackNonHispanic"),
    **dict.fromkeys(["Hispanic", "Hispanic Students", "Latino", "Latinx", "Hispanic/Latino",
                     "Hispanic or Latino of any race", "HI7"], "HispanicLatino"),
    **dict.fromkeys(["Native Hawaiian/Other Pacific Islander", "Hawaiian/Pacific Islander", "Pacific Islander",
                     "Native Hawaiian or Pacific Islander", "NHPI", "PI7"], "NativeHawaiianPacificIslander"),
    **dict.fromkeys(["White Students", "Caucasian", "WH7"], "White"),
    **dict.fromkeys(["White (not Hispanic)", "White, not Hispanic"], "WhiteNonHispanic"),
    **dict.fromkeys(["Two or more", "Two or More Races", "Multiracial", "Multi-racial", "MU7"], "TwoOrMoreRaces"),
    **dict.fromkeys(["MENA"], "MiddleEasternNorthAfrican"),
    **dict.fromkeys(["All", "All Students", "Total", "Total Students"], "all"),
}  # fmt: skip


# --- Special populations --------------------------------------------------------------------------

# Perkins V sec. 3(48) and Perkins IV sec. 3(29), in the acts' order and words. Across the eras:
# Perkins IV's economically disadvantaged included foster children, whom Perkins V lists apart;
# displaced homemakers became part of Perkins V's out-of-workforce individuals; limited English
# proficiency became English learners.
SPECIAL_POPULATIONS: dict[str, dict[str, Promise]] = {
    "V": {
        "Disability": _("Individuals with disabilities"),
        "EconomicDisadvantage": _(
            "Individuals from economically disadvantaged families, including low-income youth and adults"
        ),
        "NontraditionalPreparation": _("Individuals preparing for non-traditional fields"),
        "SingleParent": _("Single parents, including single pregnant women"),
        "OutOfWorkforce": _("Out-of-workforce individuals"),
        "EnglishLearner": _("English learners"),
        "Homeless": _("Homeless individuals"),
        "FosterCare": _("Youth who are in, or have aged out of, the foster care system"),
        "MilitaryConnected": _("Youth with a parent who is a member of the armed forces and is on active duty"),
    },
    "IV": {
        "Disability": _("Individuals with disabilities"),
        "EconomicDisadvantage": _("Individuals from economically disadvantaged families, including foster children"),
        "NontraditionalPreparation": _("Individuals preparing for nontraditional fields"),
        "SingleParent": _("Single parents, including single pregnant women"),
        "DisplacedHomemaker": _("Displaced homemakers"),
        "LimitedEnglishProficient": _("Individuals with limited English proficiency"),
    },
}

POPULATION_ALIASES: dict[str, str] = {
    **dict.fromkeys(["Students with disabilities", "SWD", "IEP", "Disabled", "Disabilities"], "Disability"),
    **dict.fromkeys(["Economically disadvantaged", "Low income", "Low-income", "Econ Disadv"], "EconomicDisadvantage"),
    **dict.fromkeys(["Nontraditional", "Non-traditional", "Nontraditional fields"], "NontraditionalPreparation"),
    **dict.fromkeys(["Single parents", "Single parent"], "SingleParent"),
    **dict.fromkeys(["Out of workforce", "Out-of-workforce"], "OutOfWorkforce"),
    **dict.fromkeys(["Displaced homemaker"], "DisplacedHomemaker"),
    **dict.fromkeys(["EL", "ELL", "English learner", "English language learners"], "EnglishLearner"),
    **dict.fromkeys(["LEP", "Limited English proficiency", "Limited English proficient"], "LimitedEnglishProficient"),
    **dict.fromkeys(["Homeless"], "Homeless"),
    **dict.fromkeys(["Foster care", "Foster youth", "Foster"], "FosterCare"),
    **dict.fromkeys(["Military connected", "Military-connected", "Active duty parent"], "MilitaryConnected"),
    **dict.fromkeys(["All", "Total", "All Students"], "all"),
}  # fmt: skip

# The same group under each act's name, for resolve_alias(..., act=...).
_POPULATION_ERA_TWINS = {"EnglishLearner": "LimitedEnglishProficient", "LimitedEnglishProficient": "EnglishLearner"}


# --- Career clusters ------------------------------------------------------------------------------

# The 16 National Career Clusters (Advance CTE), canonical for 2012-2025 data. Labels follow Ed-Fi's
# CareerPathwayDescriptor. Advance CTE's 2024 modernized framework has 14 clusters (Advanced
# Manufacturing; Agriculture; Arts, Entertainment & Design; Construction; Digital Technology;
# Education; Energy & Natural Resources; Financial Services; Healthcare & Human Services;
# Hospitality, Events & Tourism; Management & Entrepreneurship; Marketing & Sales; Public Service &
# Safety; Supply Chain & Transportation). They split and merge the 16, so their names are
# deliberately not aliases here: a file using them needs a CIP-level mapping.
CLUSTERS: dict[str, Promise] = {
    "AgricultureFoodNaturalResources": _("Agriculture, Food and Natural Resources"),
    "ArchitectureConstruction": _("Architecture and Construction"),
    "ArtsAVTechnologyCommunications": _("Arts, A/V Technology and Communications"),
    "BusinessManagementAdministration": _("Business Management and Administration"),
    "EducationTraining": _("Education and Training"),
    "Finance": _("Finance"),
    "GovernmentPublicAdministration": _("Government and Public Administration"),
    "HealthScience": _("Health Science"),
    "HospitalityTourism": _("Hospitality and Tourism"),
    "HumanServices": _("Human Services"),
    "InformationTechnology": _("Information Technology"),
    "LawPublicSafetyCorrectionsSecurity": _("Law, Public Safety, Corrections and Security"),
    "Manufacturing": _("Manufacturing"),
    "MarketingSalesService": _("Marketing, Sales and Service"),  # Advance CTE later shortened it to "Marketing"
    "STEM": _("Science, Technology, Engineering and Mathematics"),
    "TransportationDistributionLogistics": _("Transportation, Distribution and Logistics"),
}

# North Carolina's abbreviations (its files have no Government and Public Administration cluster),
# then other common names. "&" and "and" compare equal, as do "Business, Management" and "Business Management".
CLUSTER_ALIASES: dict[str, str] = {
    "AGNR": "AgricultureFoodNaturalResources",
    "ARCH": "ArchitectureConstruction",
    "AAVC": "ArtsAVTechnologyCommunications",
    "BMA": "BusinessManagementAdministration",
    "EDUC": "EducationTraining",
    "FINA": "Finance",
    "HLTH": "HealthScience",
    "HOSP": "HospitalityTourism",
    "HUMA": "HumanServices",
    "INFO": "InformationTechnology",
    "LAW": "LawPublicSafetyCorrectionsSecurity",
    "MANU": "Manufacturing",
    "MRKT": "MarketingSalesService",
    "TRAN": "TransportationDistributionLogistics",
    "AFNR": "AgricultureFoodNaturalResources",
    "Agriculture": "AgricultureFoodNaturalResources",
    "Arts, Audio/Video Technology and Communications": "ArtsAVTechnologyCommunications",
    "Business, Management and Administration": "BusinessManagementAdministration",
    "Government": "GovernmentPublicAdministration",
    "Health": "HealthScience",
    "IT": "InformationTechnology",
    "Law and Public Safety": "LawPublicSafetyCorrectionsSecurity",
    "Marketing": "MarketingSalesService",
    "Transportation": "TransportationDistributionLogistics",
    "TDL": "TransportationDistributionLogistics",
    **dict.fromkeys(["All", "Total", "All clusters", "All career clusters"], "all"),
}


# --- Nontraditional fields ------------------------------------------------------------------------

NONTRADITIONAL_THRESHOLD = 0.25
"""A field is non-traditional for a sex when that sex is less than 25% (strictly) of those employed in it
(Perkins IV and V, sec. 3, "non-traditional fields"). A program leading to such a field is flagged
nontraditional for that sex; its students of that sex are the "underrepresented gender" the
nontraditional indicators count."""


# --- Lookup API -----------------------------------------------------------------------------------

FIELDS = ("sex", "race", "population", "cluster", "measure", "level", "act", "indicator")

_OTHER_ALIASES: dict[str, dict[str, str]] = {
    "act": {"4": "IV", "Perkins IV": "IV", "Perkins 4": "IV", "5": "V", "Perkins V": "V", "Perkins 5": "V"},
    "level": {
        "Sec": "secondary",
        "High school": "secondary",
        "HS": "secondary",
        "Postsecondary/adult": "postsecondary",
        "Post": "postsecondary",
        "PS": "postsecondary",
    },  # fmt: skip
    "measure": {
        **dict.fromkeys(["participant", "CTE participant"], "participants"),
        **dict.fromkeys(["concentrator", "CTE concentrator", "num_concentrators"], "concentrators"),
        **dict.fromkeys(["completer", "CTE completer"], "completers"),
        **dict.fromkeys(
            ["enrollment", "enrolment", "students enrolled", "membership", "pupil enrollment", "stu_enroll"], "enrolled"
        ),
        "num": "numerator",
        "den": "denominator",
    },
}


def _key(raw: str) -> str:
    """Compare spellings ignoring case, spaces and punctuation, with "&" read as "and"."""
    return re.sub(r"[\W_]+", "", raw.replace("&", "and").casefold())


def _names(field: str, act: str | None) -> dict[str, Promise]:
    """Code → label for one field (the indicator names when `act` picks one act)."""
    if field == "indicator":
        acts = [act] if act else ["IV", "V"]
        return {i.code: i.name for key, i in INDICATORS.items() if key[0] in acts}
    if field == "population":
        if act:
            return {**SPECIAL_POPULATIONS[act], "all": _("All students")}
        return {**SPECIAL_POPULATIONS["IV"], **SPECIAL_POPULATIONS["V"], "all": _("All students")}
    tables: dict[str, dict[str, Promise]] = {
        "sex": SEXES,
        "race": RACE_LABELS,
        "cluster": {**CLUSTERS, "all": _("All career clusters")},
        "measure": {code: m.name for code, m in MEASURES.items()},
        "level": LEVELS,
        "act": {code: a.short_name for code, a in ACTS.items()},
    }
    return tables[field]


def _check(field: str, act: str | None) -> None:
    if field not in FIELDS:
        raise ValueError(f"unknown vocabulary field {field!r}; expected one of {', '.join(FIELDS)}")
    if act is not None and act not in ACTS:
        raise ValueError(f"unknown act {act!r}; expected one of {', '.join(ACTS)}")


def canonical_codes(field: str, *, act: str | None = None) -> frozenset[str]:
    """The codes a loader may store for `field`. `act` narrows "population" and "indicator"; without it
    they are the union over both acts (indicator codes repeat across acts: "4S1" is in both).

    Sex, race, population and cluster include "all": the count is not broken down by that field.
    """
    _check(field, act)
    return frozenset(_names(field, act))


def label(field: str, code: str, *, act: str | None = None) -> str:
    """The name of `code` in the active language.

    Indicator codes used by both acts need `act` ("4S1" is graduation under Perkins IV, nontraditional
    concentration under Perkins V). A special population without `act` gets its Perkins V wording.
    Raises ValueError for an unknown or ambiguous code.
    """
    _check(field, act)
    if field == "indicator" and act is None:
        acts = [k[0] for k in INDICATORS if k[1] == code]
        if len(acts) > 1:
            raise ValueError(f"indicator {code!r} exists in both acts; pass act=")
        act = acts[0] if acts else None
    names = _names(field, act)
    if code not in names:
        raise ValueError(f"{code!r} is not a canonical {field} code")
    return str(names[code])


@cache
def _alias_table(field: str) -> dict[str, str]:
    """Normalized spelling → code, from English labels, then aliases, then the codes themselves."""
    names = _names(field, None)
    spellings = {
        "sex": SEX_ALIASES,
        "race": RACE_ALIASES,
        "population": POPULATION_ALIASES,
        "cluster": CLUSTER_ALIASES,
    }.get(field) or _OTHER_ALIASES.get(field, {})
    table = {}
    if field != "indicator":  # indicator names repeat ("Post-program placement" is 3S1 and 1P1)
        # A file's spellings are English whatever the reader's language: read labels untranslated.
        with translation.override(None):
            table.update({_key(str(name)): code for code, name in names.items()})
            if field == "population":  # the Perkins IV wordings, which `names` overrides with Perkins V's
                table.update({_key(str(name)): code for code, name in SPECIAL_POPULATIONS["IV"].items()})
    table.update({_key(raw): code for raw, code in spellings.items()})
    table.update({_key(code): code for code in names})
    return table


def resolve_alias(field: str, raw: str, *, act: str | None = None) -> str | None:
    """The canonical code a source spelling stands for, or None when it is not known.

    Matching ignores case, spaces and punctuation; canonical codes resolve to themselves. With `act`,
    "population" answers in that act's terms ("LEP" is "EnglishLearner" for Perkins V) and returns
    None for a population the act does not have.
    """
    _check(field, act)
    code = _alias_table(field).get(_key(raw))
    if code is None or act is None or field not in ("population", "indicator"):
        return code
    allowed = canonical_codes(field, act=act)
    if code not in allowed:
        code = _POPULATION_ERA_TWINS.get(code, code)
    return code if code in allowed else None

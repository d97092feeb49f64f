"""Synthetic career-technical education (CTE) data for the demo alliance's six states.

`generate(out_dir)` writes, for CO, ID, NM, NV, UT and WY, secondary-level figures by district, and
each state's own statewide figures beside them, for the school years ending 2012-2025 (Perkins IV to
2019, Perkins V from 2020), each state in its own file layout, and returns every data file with the
checked-in mapping that reads it (`alliance/measure/demo/*.yaml`, the worked examples of
docs/measure-mappings.md). The same seed and size give byte-identical files. No Django models
here: only numbers, pyarrow and DuckDB.

What the figures are (one model per state, then written in that state's layouts):

- Concentrators by career cluster (the 16 National Career Clusters) and sex, per district and year;
  completers are a share of them. District sizes are log-normal, so a few large districts hold most
  students and many district x cluster (x sex, x race) cells are under 10: suppression matters.
  Statewide concentrators at the default size run from about 3,000 a year (WY) to 20,000-36,000
  (CO, UT); ID, NM and NV lie between. Every year is there: the pandemic years ending 2020 and 2021
  have fewer concentrators (7% and 10% under the trend), but states reported them as any other year.
- The seeds' outcome measures are kept simple: "high-school STEM course completion" is completers in
  the STEM cluster, and "entry into STEM majors" (programs of study) is concentrators in the STEM
  cluster. There is no postsecondary data.
- Nontraditional indicators from the same students: Perkins IV 6S1 (participants, who outnumber
  concentrators) and 6S2 (completers) for all students and by sex (Idaho: and by race); Perkins V
  4S1 (concentrators) for all students, by sex and by race.
  A program leads to a nontraditional field for girls in Architecture & Construction, Information
  Technology, Manufacturing, STEM and Transportation, for boys in Education & Training, Health
  Science and Human Services. Girls are under-represented there and catch up slowly (+0.4 points a
  year); the 2020 era break shows: concentrators jump (two courses instead of three credits),
  and 6S1 counted participants, a wider group with more girls than 4S1's concentrators.
- A graduation rate of concentrators, Perkins IV 4S1 and Perkins V 1S1, for all students.
- Race is the seven-category (1997) set in every year; Idaho's Perkins IV file spells it in old
  abbreviations, which its mapping translates.

Some states suppress small cells themselves (WY `*`, NV `<10`, ID `N<10`, NM `n/a`); CO and UT
publish every count (Utah leaves a charter LEA's cells blank before it opened: not reported).

Every file also holds the state's own rows, as real states publish them: the true statewide sums
(over all districts, before any cell is suppressed), first in each year, every measure and group the
district rows have. The state's rule applies to them too, so only a statewide figure under 10 (a
small race group's, say) can be suppressed: a statewide total never becomes unknown because one
district's cell was (summed from districts alone, whole states and years, 2021 among them, showed
as "suppressed by the state" on the dashboards). Each layout marks them its own way, read by its
mapping's `place_kind` column: CO a `level` column (State/District, district 0000), ID a type
column (State/District or State/LEA, agency 000; the old extract S/D), NM a Type column
(Statewide/District, district 999), NV a Level column with a blank district, UT an LEA Type column
(State/District/Charter, LEA 00) and WY a Type column (State Total/District, district 0000000).

Without `rows` the files hold about 50,000 data rows in all. `rows` scales the number of districts
so that they hold about that many (at least ~5,700: one district a state and the state's own
rows); New Mexico's workbooks stop growing at NM_MAX_DISTRICTS districts (openpyxl writes only
about 12,000 rows a second) and the other states take up the rest. District codes widen when a state's run out.
"""

import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from alliance.measure import vocabulary

DEMO_DIR = Path(__file__).parent / "demo"
YEARS = np.arange(2012, 2026)
Y = len(YEARS)
FIRST_V = vocabulary.FIRST_PERKINS_V_YEAR
V_FROM = int(np.searchsorted(YEARS, FIRST_V))  # index of the first Perkins V year
NM_MAX_DISTRICTS = 60
FIXED_TIME = (2025, 7, 1, 0, 0, 0)  # the date every workbook says it was written

# (NC's abbreviation, canonical code, the name as most states print it, share of concentrators, share of girls in 2012)
CLUSTERS = (
    ("AGNR", "AgricultureFoodNaturalResources", "Agriculture, Food & Natural Resources", 0.085, 0.42),
    ("ARCH", "ArchitectureConstruction", "Architecture & Construction", 0.065, 0.08),
    ("AAVC", "ArtsAVTechnologyCommunications", "Arts, A/V Technology & Communications", 0.095, 0.55),
    ("BMA", "BusinessManagementAdministration", "Business Management & Administration", 0.095, 0.52),
    ("EDUC", "EducationTraining", "Education & Training", 0.045, 0.79),
    ("FINA", "Finance", "Finance", 0.030, 0.46),
    ("GOVT", "GovernmentPublicAdministration", "Government & Public Administration", 0.010, 0.50),
    ("HLTH", "HealthScience", "Health Science", 0.140, 0.78),
    ("HOSP", "HospitalityTourism", "Hospitality & Tourism", 0.080, 0.60),
    ("HUMA", "HumanServices", "Human Services", 0.050, 0.83),
    ("INFO", "InformationTechnology", "Information Technology", 0.075, 0.19),
    ("LAW", "LawPublicSafetyCorrectionsSecurity", "Law, Public Safety, Corrections & Security", 0.040, 0.45),
    ("MANU", "Manufacturing", "Manufacturing", 0.055, 0.12),
    ("MRKT", "MarketingSalesService", "Marketing", 0.040, 0.56),
    ("STEM", "STEM", "Science, Technology, Engineering & Mathematics", 0.060, 0.22),
    ("TRAN", "TransportationDistributionLogistics", "Transportation, Distribution & Logistics", 0.035, 0.07),
)
C = len(CLUSTERS)
ABBR = [c[0] for c in CLUSTERS]
NAMES = [c[2] for c in CLUSTERS]
NONTRAD_F = [ABBR.index(a) for a in ("ARCH", "INFO", "MANU", "STEM", "TRAN")]  # girls under 25%
NONTRAD_M = [ABBR.index(a) for a in ("EDUC", "HLTH", "HUMA")]  # boys under 25%

RACES = vocabulary.RACE_SETS["1997"].categories  # Hispanic, AIAN, Asian, Black, NHPI, White, Two or more
R = len(RACES)
# Groups an indicator is broken down by: (sex, race) with "all" for the total over that field.
GROUPS = (("all", "all"), ("F", "all"), ("M", "all"), *(("all", race) for race in RACES))
G = len(GROUPS)
ALL, BY_SEX, BY_RACE = [0], [1, 2], list(range(3, G))

# Indicators (act, code) in the order the files list them, and the groups each is reported for.
GRAD_IV, NT_PART_IV, NT_COMP_IV, GRAD_V, NT_V = ("IV", "4S1"), ("IV", "6S1"), ("IV", "6S2"), ("V", "1S1"), ("V", "4S1")
for _key in (GRAD_IV, NT_PART_IV, NT_COMP_IV, GRAD_V, NT_V):
    assert _key in vocabulary.INDICATORS, _key  # noqa: S101 - the vocabulary must know them


@dataclass(frozen=True)
class StateSpec:
    code: str
    districts: int  # at the default size
    concentrators: int  # statewide, 2012, at the default size
    growth: float  # a year
    tilt: dict[str, float]  # cluster abbreviation -> how much more common than nationally
    races: tuple[float, ...]  # shares in RACES order
    district_codes: Callable[[np.random.Generator, int], list[str]] = field(repr=False)
    charters: float = 0.0  # share of districts (charter LEAs) opening between 2013 and 2020


def _numbered(rng: np.random.Generator, n: int, *, width: int, step: int = 1, start: int = 1, suffix: str = "",
              consecutive: bool = False, spare_top: bool = False) -> list[str]:  # fmt: skip
    """n distinct codes of `width` digits (wider when they run out), sorted, with leading zeros;
    `spare_top` leaves out the highest code of the width (999), which the state's own row takes."""
    while (10**width - start) // step - spare_top < 2 * n:
        width += 1
    space = (10**width - start) // step - spare_top
    picks = np.arange(n) if consecutive else np.sort(rng.choice(space, size=n, replace=False))
    return [f"{start + int(p) * step:0{width}d}{suffix}" for p in picks]


def _utah_codes(rng: np.random.Generator, n: int) -> list[str]:
    """Districts numbered 01, 02...; charter LEAs (the last quarter) numbered from 600."""
    charters = round(n * 0.25)
    districts = _numbered(rng, n - charters, width=2, consecutive=True)
    return districts + _numbered(rng, charters, width=3, start=600) if charters else districts


STATES = {
    s.code: s
    for s in (
        StateSpec("CO", 20, 24_000, 1.015, {"STEM": 1.5, "AAVC": 1.1, "INFO": 1.1},
                  (0.34, 0.006, 0.03, 0.045, 0.002, 0.53, 0.047),
                  lambda rng, n: _numbered(rng, n, width=4, step=10)),
        StateSpec("ID", 20, 9_500, 1.02, {"AGNR": 2.0, "MANU": 1.2, "HLTH": 1.1},
                  (0.19, 0.012, 0.012, 0.01, 0.003, 0.74, 0.033),
                  lambda rng, n: _numbered(rng, n, width=3)),
        StateSpec("NM", 18, 7_500, 1.003, {"AGNR": 1.3, "HLTH": 1.2, "LAW": 1.3},
                  (0.62, 0.10, 0.012, 0.02, 0.001, 0.22, 0.027),
                  lambda rng, n: _numbered(rng, n, width=3, spare_top=True)),  # 999 is the state
        StateSpec("NV", 15, 13_000, 1.012, {"HOSP": 2.2, "LAW": 1.2, "AGNR": 0.5},
                  (0.43, 0.008, 0.055, 0.11, 0.015, 0.31, 0.072),
                  lambda rng, n: _numbered(rng, n, width=2, consecutive=True)),
        StateSpec("UT", 22, 21_000, 1.025, {"INFO": 1.4, "HLTH": 1.2, "AAVC": 1.2},
                  (0.18, 0.01, 0.017, 0.013, 0.017, 0.73, 0.033),
                  _utah_codes, charters=0.25),
        StateSpec("WY", 11, 2_600, 1.005, {"AGNR": 2.0, "TRAN": 1.6, "MANU": 1.3, "HOSP": 1.2},
                  (0.15, 0.03, 0.008, 0.01, 0.001, 0.78, 0.021),
                  lambda rng, n: _numbered(rng, n, width=4, start=101, suffix="000")),
    )
}  # fmt: skip


# ---- the model --------------------------------------------------------------------------------


@dataclass
class Truth:
    """One state's figures: `conc[d, y, c, s]` concentrators by district, year, cluster and sex
    (0 girls, 1 boys), `comp[d, y, c]` completers, and `ind[(act, code)] = (num, den)`, each
    [district, year, group] over GROUPS. `opened[d]` is the index of the district's first year.
    After `_with_statewide`, place 0 is the whole state (code "": each layout writes its own)."""

    state: StateSpec
    codes: list[str]
    opened: np.ndarray
    conc: np.ndarray
    comp: np.ndarray
    ind: dict[tuple[str, str], tuple[np.ndarray, np.ndarray]]

    @property
    def districts(self) -> int:
        """Places, the statewide one included once added."""
        return len(self.codes)


def _with_statewide(t: Truth) -> Truth:
    """The truth with the state's own figures first: every count summed over all districts, as the
    state computes them from its student records, before any cell is suppressed."""

    def first(counts: np.ndarray) -> np.ndarray:
        return np.concatenate([counts.sum(axis=0, keepdims=True), counts])

    ind = {key: (first(num), first(den)) for key, (num, den) in t.ind.items()}
    return Truth(t.state, ["", *t.codes], np.concatenate([[0], t.opened]), first(t.conc), first(t.comp), ind)


def _girls_share() -> np.ndarray:
    """Share of girls among concentrators, [year, cluster]."""
    t = YEARS - 2012
    base = np.array([c[4] for c in CLUSTERS])
    share = np.repeat(base[None, :], Y, axis=0) + 0.001 * t[:, None]
    share[:, NONTRAD_F] += 0.003 * t[:, None]  # girls catch up slowly in male-dominated programs...
    share[V_FROM:, NONTRAD_F] += 0.02  # ...and Perkins V's wider concentrator counts more of them
    return share


def _simulate(state: StateSpec, n: int, rng: np.random.Generator) -> Truth:
    codes = state.district_codes(rng, n)
    size = rng.lognormal(0.0, 1.0, n)
    size /= size.mean()
    opened = np.zeros(n, dtype=np.int64)
    charters = round(n * state.charters)
    if charters:
        opened[n - charters :] = rng.integers(1, V_FROM + 1, charters)
        size[n - charters :] *= 0.25  # charter LEAs are small
    share = np.array([c[3] * state.tilt.get(c[0], 1.0) for c in CLUSTERS])
    share /= share.sum()
    mix = rng.dirichlet(share * 40, size=n)
    offered = rng.random((n, C)) < np.clip(0.35 + 0.5 * size[:, None], 0.0, 1.0)  # small districts offer less
    offered[:, ABBR.index("HLTH")] = True
    mix = mix * offered
    mix /= mix.sum(axis=1, keepdims=True)
    t = YEARS - 2012
    trend = state.growth**t * np.where(YEARS >= FIRST_V, 1.3, 1.0)  # two courses instead of three credits
    trend *= np.select([YEARS == 2020, YEARS == 2021], [0.93, 0.9], 1.0)  # the pandemic years
    noise = rng.lognormal(0.0, 0.07, (n, Y, 1))
    expected = state.concentrators / state.districts * size[:, None, None] * trend[None, :, None] * mix[:, None, :]
    total = rng.poisson(expected * noise)
    total[np.arange(Y)[None, :] < opened[:, None]] = 0
    girls_share = np.clip(_girls_share()[None] + rng.normal(0.0, 0.03, (n, 1, 1)), 0.01, 0.99)
    girls = rng.binomial(total, girls_share)
    conc = np.stack([girls, total - girls], axis=-1)
    completion = np.where(YEARS >= FIRST_V, 0.48, 0.52 + 0.006 * t)
    comp = rng.binomial(total, completion[None, :, None])

    # The nontraditional indicators, from four counts a year: girls and boys in programs leading to fields
    # nontraditional for girls (a, c) and for boys (b, d). Girls in the first, boys in the second, count.
    def parts(count: np.ndarray) -> tuple[np.ndarray, ...]:
        return (count[..., NONTRAD_F, 0].sum(-1), count[..., NONTRAD_M, 0].sum(-1),
                count[..., NONTRAD_F, 1].sum(-1), count[..., NONTRAD_M, 1].sum(-1))  # fmt: skip

    a, b, c, d = parts(conc)
    # Participants (one course) outnumber concentrators; girls often try an engineering or IT class.
    part = [x + rng.poisson(k * x) for x, k in zip((a, b, c, d), (2.3, 1.4, 1.5, 1.9), strict=True)]
    done = [rng.binomial(x, k) for x, k in zip((a, b, c, d), (0.45, 0.55, 0.5, 0.5), strict=True)]
    races = rng.dirichlet(np.array(state.races) * 30 + 1e-3, size=n)
    races = np.nan_to_num(races) + 1e-9
    races /= races.sum(axis=1, keepdims=True)
    tilt = np.array([1.05, 0.9, 1.3, 1.1, 1.0, 0.95, 1.1])  # who is the underrepresented gender, by race
    races_num = races * tilt
    races_num /= races_num.sum(axis=1, keepdims=True)

    def nontrad(a, b, c, d) -> tuple[np.ndarray, np.ndarray]:
        num, den = np.zeros((n, Y, G), np.int64), np.zeros((n, Y, G), np.int64)
        num[..., 0], den[..., 0] = a + d, a + b + c + d
        num[..., 1], den[..., 1] = a, a + b
        num[..., 2], den[..., 2] = d, c + d
        by_race = rng.multinomial(a + d, races_num[:, None, :])
        num[..., 3:], den[..., 3:] = by_race, by_race + rng.multinomial(b + c, races[:, None, :])
        return num, den

    def graduation(rate: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        num, den = np.zeros((n, Y, G), np.int64), np.zeros((n, Y, G), np.int64)
        den[..., 0] = rng.binomial(total.sum(-1), 0.36)  # concentrators in the graduating cohort
        logit = np.log(rate / (1 - rate))[None, :] + rng.normal(0.0, 0.5, (n, 1))
        num[..., 0] = rng.binomial(den[..., 0], 1 / (1 + np.exp(-logit)))
        return num, den

    ind = {
        GRAD_IV: graduation(0.89 + 0.004 * t),
        NT_PART_IV: nontrad(*part),
        NT_COMP_IV: nontrad(*done),
        GRAD_V: graduation(np.full(Y, 0.95)),
        NT_V: nontrad(a, b, c, d),
    }
    return Truth(state, codes, opened, conc, comp, ind)


# ---- writing --------------------------------------------------------------------------------


def _take(words: list[str] | tuple[str, ...], index: np.ndarray) -> pa.Array:
    return pa.array(list(words), pa.string()).take(pa.array(index))


def _text(values: np.ndarray, marked: np.ndarray | None = None, marker: str = "", *, thousands: bool = False):
    """Counts as text, with `marker` where `marked`; "1,234" with thousands separators."""
    values = np.asarray(values, np.int64)
    text = pc.cast(pa.array(values), pa.string())
    if thousands:
        high, low = pa.array(values // 1000), pa.array(values % 1000)
        grouped = pc.binary_join_element_wise(
            pc.cast(high, pa.string()), pc.utf8_lpad(pc.cast(low, pa.string()), 3, "0"), ","
        )
        text = pc.if_else(pa.array((values >= 1000) & (values < 1_000_000)), grouped, text)
    if marked is not None:
        text = pc.if_else(pa.array(marked), pa.scalar(marker, pa.string()), text)
    return text


def _csv(path: Path, columns: dict[str, object], *, latin1: bool = False) -> int:
    """Write the columns as CSV (quotes only where needed); the number of data rows."""
    table = pa.table(columns)
    con = duckdb.connect()
    try:
        con.execute("SET preserve_insertion_order = true")
        con.register("rows", table)
        target = str(path).replace("'", "''")
        con.execute(f"COPY rows TO '{target}' (FORMAT csv, HEADER true)")
    finally:
        con.close()
    if latin1:  # every character but the section sign is ASCII
        data = path.read_bytes()
        path.write_bytes(data.decode("utf-8").encode("latin-1"))
    return table.num_rows


def _xlsx(path: Path, sheets: list[tuple[str, list[str], list[list]]]) -> int:
    """A workbook with one sheet per (name, header, rows), written the same way every time."""
    from datetime import datetime

    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    workbook.properties.creator = "Alliance demo data"
    workbook.properties.created = datetime(*FIXED_TIME)
    count = 0
    for name, header, rows in sheets:
        sheet = workbook.create_sheet(name)
        sheet.append(header)
        for row in rows:
            sheet.append(row)
        count += len(rows)
    workbook.save(path)
    # openpyxl stamps the time of saving into the document and the archive: fix both.
    with zipfile.ZipFile(path) as archive:
        members = [(info.filename, archive.read(info.filename)) for info in archive.infolist()]
    stamp = "{:04d}-{:02d}-{:02d}T{:02d}:{:02d}:{:02d}Z".format(*FIXED_TIME).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members:
            if name == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>" + stamp, data)
            info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return count


def _school_year(year: int) -> str:
    return f"{year - 1}-{year % 100:02d}"


def _cluster_rows(t: Truth, *, by_sex: bool = False, measures: int = 2) -> dict[str, np.ndarray]:
    """Long rows year x district x cluster x (sex F, M | measure concentrators, completers)."""
    inner = 2 if by_sex else measures
    yi, di, ci, ki = (x.ravel() for x in np.indices((Y, t.districts, C, inner)))
    if by_sex:
        value = t.conc.transpose(1, 0, 2, 3)[yi, di, ci, ki]
    else:
        both = np.stack([t.conc.sum(-1), t.comp], axis=-1)[..., :measures]
        value = both.transpose(1, 0, 2, 3)[yi, di, ci, ki]
    keep = t.opened[di] <= yi
    return {"y": yi[keep], "d": di[keep], "c": ci[keep], "k": ki[keep], "value": value[keep]}


# Each indicator for all students, and the nontraditional ones also by sex (and race where given).
IV_PLAN = ((GRAD_IV, ALL), (NT_PART_IV, ALL + BY_SEX), (NT_COMP_IV, ALL + BY_SEX))
IV_PLAN_BY_RACE = ((GRAD_IV, ALL), (NT_PART_IV, ALL + BY_SEX + BY_RACE), (NT_COMP_IV, ALL + BY_SEX + BY_RACE))
V_PLAN = ((GRAD_V, ALL), (NT_V, ALL + BY_SEX + BY_RACE))
INDICATOR_KEYS = (GRAD_IV, NT_PART_IV, NT_COMP_IV, GRAD_V, NT_V)


def _indicator_rows(t: Truth, *, eras: tuple[str, ...] = ("IV", "V"), iv_by_race: bool = False) -> dict:
    """Rows year x district x indicator x group, with `num` and `den`."""
    blocks = []
    for yi, year in enumerate(YEARS):
        era = "V" if year >= FIRST_V else "IV"
        if era not in eras:
            continue
        plan = V_PLAN if era == "V" else (IV_PLAN_BY_RACE if iv_by_race else IV_PLAN)
        items = [(key, g) for key, groups in plan for g in groups]
        num = np.stack([t.ind[key][0][:, yi, g] for key, g in items], axis=1).ravel()
        den = np.stack([t.ind[key][1][:, yi, g] for key, g in items], axis=1).ravel()
        d = np.repeat(np.arange(t.districts), len(items))
        k = np.tile([INDICATOR_KEYS.index(key) for key, _ in items], t.districts)
        g = np.tile([g for _, g in items], t.districts)
        keep = t.opened[d] <= yi
        blocks.append({"y": np.full(keep.sum(), yi), "d": d[keep], "k": k[keep], "g": g[keep],
                       "num": num[keep], "den": den[keep]})  # fmt: skip
    return {name: np.concatenate([b[name] for b in blocks]) for name in blocks[0]}


def _sex_race(rows: dict, sexes: dict[str, str], races: list[str], total: str) -> tuple[pa.Array, pa.Array]:
    """The sex and race columns of indicator rows, `total` where the row is not broken down."""
    sex_words = [sexes.get(s, total) if s != "all" else total for s, _ in GROUPS]
    race_words = [total if r == "all" else races[RACES.index(r)] for _, r in GROUPS]
    return _take(sex_words, rows["g"]), _take(race_words, rows["g"])


def _interleave(rows: dict) -> tuple[dict, np.ndarray, np.ndarray]:
    """Rows doubled into a numerator row and a denominator row: (rows, measure index, value)."""
    doubled = {name: np.repeat(values, 2) for name, values in rows.items() if name not in ("num", "den")}
    value = np.stack([rows["num"], rows["den"]], axis=1).ravel()
    measure = np.tile([0, 1], len(rows["num"]))
    small = np.repeat((rows["den"] > 0) & (rows["den"] < 10), 2)
    doubled["small"] = small
    return doubled, measure, value


# ---- the layouts, one function per file --------------------------------------------------------
#
# Every file holds the state's own rows (place 0 of the truth) beside its districts', marked the way
# that state marks them: a level or type column, a code of its own ("0000", "999") or none (blank).


def _place(t: Truth, index: np.ndarray, statewide: str | None) -> pa.Array:
    """The place codes of rows, `statewide` (None: blank) for the state's own rows."""
    return pa.array([statewide, *t.codes[1:]], pa.string()).take(pa.array(index))


def _kind(index: np.ndarray, state: str, district: str) -> pa.Array:
    """The place-kind words of rows: `state` for the state's own rows, `district` for the others."""
    return _take([state, district], np.minimum(index, 1))


def co_clusters(t: Truth, path: Path) -> int:
    """Long: one row per year x place x cluster x measure; every count published. The state's own
    rows come first each year, level "State" and district code 0000."""
    r = _cluster_rows(t)
    return _csv(path, {
        "school_year": YEARS[r["y"]],
        "level": _kind(r["d"], "State", "District"),
        "district_code": _place(t, r["d"], "0000"),
        "career_cluster": _take(NAMES, r["c"]),
        "measure": _take(["Concentrators", "Completers"], r["k"]),
        "count": r["value"],
    })  # fmt: skip


CO_RACES = ["Hispanic or Latino", "American Indian or Alaska Native", "Asian", "Black or African American",
            "Native Hawaiian or Other Pacific Islander", "White", "Two or More Races"]  # fmt: skip


def co_indicators(t: Truth, path: Path) -> int:
    """Both eras, one row per year x place x indicator x group, numerator and denominator columns;
    the state's rows as in co_clusters."""
    r = _indicator_rows(t)
    sex, race = _sex_race(r, {"F": "Female", "M": "Male"}, CO_RACES, "All")
    return _csv(path, {
        "school_year": YEARS[r["y"]],
        "level": _kind(r["d"], "State", "District"),
        "district_code": _place(t, r["d"], "0000"),
        "indicator": _take([code for _, code in INDICATOR_KEYS], r["k"]),
        "gender": sex,
        "race_ethnicity": race,
        "count_numerator": r["num"],
        "count_denominator": r["den"],
    })  # fmt: skip


def id_wide(t: Truth, path: Path) -> int:
    """Wide, as North Carolina publishes it: a column per career cluster, concentrators only; the
    state's row first each year (agency code 000, agency type "State")."""
    yi, di = (x.ravel() for x in np.indices((Y, t.districts)))
    keep = t.opened[di] <= yi
    yi, di = yi[keep], di[keep]
    total = t.conc.sum(-1)
    columns = {"year": YEARS[yi], "agency_code": _place(t, di, "000"), "agency_type": _kind(di, "State", "District")}
    for ci in sorted(range(C), key=lambda i: ABBR[i]):
        columns[f"num_concentrators_{ABBR[ci]}"] = total[di, yi, ci]
    return _csv(path, columns)


ID_OLD_RACES = ["Hisp", "Am Ind/AK Nat", "Asian", "Blk/Afr Am", "Nat Haw/PI", "White", "Multi"]


def id_iv(t: Truth, path: Path) -> int:
    """Perkins IV years in the department's old extract: upper-case columns, gender in one letter, race
    abbreviated, T for totals, NUM_CNT and DEN_CNT columns; 6S1 and 6S2 by gender and by race. A
    record type says S (the state, DIST_NO 000) or D (a district)."""
    r = _indicator_rows(t, eras=("IV",), iv_by_race=True)
    sex, race = _sex_race(r, {"F": "F", "M": "M"}, ID_OLD_RACES, "T")
    return _csv(path, {
        "SCHOOL_YR": YEARS[r["y"]],
        "REC_TYPE": _kind(r["d"], "S", "D"),
        "DIST_NO": _place(t, r["d"], "000"),
        "INDICATOR": _take([code for _, code in INDICATOR_KEYS], r["k"]),
        "GENDER": sex,
        "ETHNICITY": race,
        "NUM_CNT": r["num"],
        "DEN_CNT": r["den"],
    })  # fmt: skip


def id_v(t: Truth, path: Path) -> int:
    """Perkins V years in the new extract: long, a measure column, N<10 where the denominator is
    under 10; agency level "State" (agency code 000) or "LEA"."""
    rows, measure, value = _interleave(_indicator_rows(t, eras=("V",)))
    sex, race = _sex_race(rows, {"F": "Female", "M": "Male"}, CO_RACES, "All Students")
    return _csv(path, {
        "year": YEARS[rows["y"]],
        "agency_level": _kind(rows["d"], "State", "LEA"),
        "agency_code": _place(t, rows["d"], "000"),
        "indicator": _take([code for _, code in INDICATOR_KEYS], rows["k"]),
        "sex": sex,
        "race_ethnicity": race,
        "measure": _take(["Numerator", "Denominator"], measure),
        "value": _text(value, rows["small"], "N<10"),
    })  # fmt: skip


def nm_clusters(t: Truth, path: Path) -> int:
    """A workbook, one sheet per school year: concentrators and completers columns; completers
    were not collected in the 2019-20 transition year (blank cells). The statewide rows come
    first, district code 999 and type "Statewide"."""
    total, comp = t.conc.sum(-1), t.comp
    sheets = []
    for yi, year in enumerate(YEARS):
        rows = []
        for di in np.flatnonzero(t.opened <= yi):
            code, kind = ("999", "Statewide") if di == 0 else (t.codes[di], "District")
            for ci in range(C):
                done = None if year == FIRST_V else int(comp[di, yi, ci])
                rows.append([code, kind, NAMES[ci], int(total[di, yi, ci]), done])
        header = ["District Code", "Type", "Career Cluster", "CTE Concentrators", "CTE Completers"]
        sheets.append((_school_year(int(year)), header, rows))
    return _xlsx(path, sheets)


NM_RACES = ["Hispanic", "Native American", "Asian", "Black", "Pacific Islander", "Caucasian", "Multiracial"]


def nm_indicators(t: Truth, path: Path) -> int:
    """A workbook, one sheet per school year, long: a Measure and a Value column; n/a under 10. The
    statewide rows as in nm_clusters."""
    rows, measure, value = _interleave(_indicator_rows(t))
    sex, race = _sex_race(rows, {"F": "Female", "M": "Male"}, NM_RACES, "All Students")
    columns = [
        _place(t, rows["d"], "999").to_pylist(),
        _kind(rows["d"], "Statewide", "District").to_pylist(),
        _take([code for _, code in INDICATOR_KEYS], rows["k"]).to_pylist(),
        sex.to_pylist(),
        race.to_pylist(),
        _take(["Numerator", "Denominator"], measure).to_pylist(),
        ["n/a" if small else count for small, count in zip(rows["small"].tolist(), value.tolist(), strict=True)],
    ]
    header = ["District Code", "Type", "Indicator", "Sex", "Race/Ethnicity", "Measure", "Value"]
    bounds = np.searchsorted(rows["y"], np.arange(Y + 1))  # rows are in year order
    sheets = [
        (
            _school_year(int(year)),
            header,
            [list(row) for row in zip(*(c[bounds[yi] : bounds[yi + 1]] for c in columns), strict=True)],
        )
        for yi, year in enumerate(YEARS)
    ]
    return _xlsx(path, sheets)


def nv_clusters(t: Truth, path: Path) -> int:
    """Long by sex: one row per school year ("2018-19") x place x cluster x sex ("Female"); the
    state's rows have level "State" and no district code."""
    r = _cluster_rows(t, by_sex=True)
    return _csv(path, {
        "School Year": _take([_school_year(int(y)) for y in YEARS], r["y"]),
        "Level": _kind(r["d"], "State", "District"),
        "District": _place(t, r["d"], None),
        "Career Cluster": _take(NAMES, r["c"]),
        "Sex": _take(["Female", "Male"], r["k"]),
        "Concentrators": r["value"],
    })  # fmt: skip


NV_RACES = ["Hispanic/Latino", "Am In/AK Native", "Asian", "Black", "Pacific Islander", "White", "Two or More Races"]


def nv_indicators(t: Truth, path: Path) -> int:
    """# Numerator, # Denominator and Percent columns; "<10" in all three when the denominator is
    under 10; the state's rows as in nv_clusters."""
    r = _indicator_rows(t)
    sex, race = _sex_race(r, {"F": "Female", "M": "Male"}, NV_RACES, "All Students")
    small = (r["den"] > 0) & (r["den"] < 10)
    percent = np.round(100 * r["num"] / np.maximum(r["den"], 1), 1)
    percent_text = pc.if_else(pa.array(small), pa.scalar("<10"), pc.cast(pa.array(percent), pa.string()))
    percent_text = pc.if_else(pa.array(r["den"] == 0), pa.scalar(""), percent_text)
    return _csv(path, {
        "School Year": _take([_school_year(int(y)) for y in YEARS], r["y"]),
        "Level": _kind(r["d"], "State", "District"),
        "District": _place(t, r["d"], None),
        "Indicator": _take([code for _, code in INDICATOR_KEYS], r["k"]),
        "Sex": sex,
        "Race/Ethnicity": race,
        "# Numerator": _text(r["num"], small, "<10"),
        "# Denominator": _text(r["den"], small, "<10"),
        "Percent": percent_text,
    })  # fmt: skip


def _ut_types(t: Truth, index: np.ndarray) -> pa.Array:
    """Utah's LEA types: State (LEA 00), District, or Charter (the last districts, see _utah_codes)."""
    districts = t.districts - 1
    first_charter = 1 + districts - round(districts * t.state.charters)
    return _take(["State", "District", "Charter"], np.select([index == 0, index < first_charter], [0, 1], 2))


def ut_wide(t: Truth, path: Path) -> int:
    """Wide by year: one row per LEA x cluster, a column per school year; counts with thousands
    separators; blank before a charter LEA opened. The state's rows first (LEA 00, type State)."""
    di, ci = (x.ravel() for x in np.indices((t.districts, C)))
    total = t.conc.sum(-1)
    columns: dict[str, object] = {
        "LEA": _place(t, di, "00"),
        "LEA Type": _ut_types(t, di),
        "Cluster": _take(NAMES, ci),
    }
    for yi, year in enumerate(YEARS):
        text = _text(total[di, yi, ci], thousands=True)
        not_open = pa.array(t.opened[di] > yi)
        columns[_school_year(int(year))] = pc.if_else(not_open, pa.scalar(None, pa.string()), text)
    return _csv(path, columns)


UT_RACES = ["HI7", "AM7", "AS7", "BL7", "PI7", "WH7", "MU7"]


def ut_indicators(t: Truth, path: Path) -> int:
    """Long, both eras, CEDS-style race codes and Num/Den in a measure column; every count published;
    the state's rows as in ut_wide."""
    rows, measure, value = _interleave(_indicator_rows(t))
    sex, race = _sex_race(rows, {"F": "F", "M": "M"}, UT_RACES, "All")
    return _csv(path, {
        "Year": YEARS[rows["y"]],
        "LEA": _place(t, rows["d"], "00"),
        "LEA Type": _ut_types(t, rows["d"]),
        "Indicator": _take([code for _, code in INDICATOR_KEYS], rows["k"]),
        "Sex": sex,
        "Race": race,
        "Measure": _take(["Num", "Den"], measure),
        "Count": value,
    })  # fmt: skip


WY_NOTE = "* fewer than 5 students (see § 3 of the data guide)"


def _note(small: np.ndarray) -> pa.Array:
    return pc.if_else(pa.array(small), pa.scalar(WY_NOTE), pa.scalar(None, pa.string()))


def wy_clusters(t: Truth, path: Path) -> int:
    """Long, Latin-1, `*` for completers of 1 to 4, with a note saying why (concentrators are all
    published); the state's rows type "State Total", district ID 0000000."""
    r = _cluster_rows(t)
    small = (r["k"] == 1) & (r["value"] > 0) & (r["value"] < 5)
    return _csv(path, {
        "Year": YEARS[r["y"]],
        "Type": _kind(r["d"], "State Total", "District"),
        "District ID": _place(t, r["d"], "0000000"),
        "Career Cluster": _take(NAMES, r["c"]),
        "Measure": _take(["Concentrators", "Completers"], r["k"]),
        "Value": _text(r["value"], small, "*"),
        "Note": _note(small),
    }, latin1=True)  # fmt: skip


WY_RACES = ["Hispanic", "American Indian/Alaska Native", "Asian", "Black", "Native Hawaiian/Other Pacific Islander",
            "White", "Two or more"]  # fmt: skip


def wy_indicators(t: Truth, path: Path) -> int:
    """Long, Latin-1, a measure column; `*` for both counts when the denominator is 1 to 4; the
    state's rows as in wy_clusters."""
    rows, measure, value = _interleave(_indicator_rows(t))
    small = np.repeat(value[1::2], 2)
    small = (small > 0) & (small < 5)
    sex, race = _sex_race(rows, {"F": "Female", "M": "Male"}, WY_RACES, "Total")
    return _csv(path, {
        "Year": YEARS[rows["y"]],
        "Type": _kind(rows["d"], "State Total", "District"),
        "District ID": _place(t, rows["d"], "0000000"),
        "Indicator": _take([code for _, code in INDICATOR_KEYS], rows["k"]),
        "Sex": sex,
        "Race": race,
        "Measure": _take(["Numerator", "Denominator"], measure),
        "Value": _text(value, small, "*"),
        "Note": _note(small),
    }, latin1=True)  # fmt: skip


@dataclass(frozen=True)
class Layout:
    state: str
    filename: str
    mapping: str  # file name in DEMO_DIR
    write: Callable[[Truth, Path], int]
    rows_per_district: int  # data rows a district adds (about: charters add fewer); the state's own rows as many


_IV_YEARS, _V_YEARS = V_FROM, Y - V_FROM


def _groups(plan: tuple) -> int:
    return sum(len(groups) for _, groups in plan)


_IND = _IV_YEARS * _groups(IV_PLAN) + _V_YEARS * _groups(V_PLAN)  # indicator rows a district has, one per group
LAYOUTS = (
    Layout("CO", "co_cte_by_cluster_2012_2025.csv", "co_cte_by_cluster.yaml", co_clusters, Y * C * 2),
    Layout("CO", "co_perkins_indicators_2012_2025.csv", "co_perkins_indicators.yaml", co_indicators, _IND),
    Layout("ID", "id_cte_concentrators_wide_2012_2025.csv", "id_cte_concentrators_wide.yaml", id_wide, Y),
    Layout("ID", "id_perkins_iv_indicators_2012_2019.csv", "id_perkins_iv_indicators.yaml", id_iv,
           _IV_YEARS * _groups(IV_PLAN_BY_RACE)),
    Layout("ID", "id_perkins_v_indicators_2020_2025.csv", "id_perkins_v_indicators.yaml", id_v,
           2 * _V_YEARS * _groups(V_PLAN)),
    Layout("NM", "nm_cte_by_cluster_2012_2025.xlsx", "nm_cte_by_cluster.yaml", nm_clusters, Y * C),
    Layout("NM", "nm_perkins_indicators_2012_2025.xlsx", "nm_perkins_indicators.yaml", nm_indicators, 2 * _IND),
    Layout("NV", "nv_cte_concentrators_by_sex_2012_2025.csv", "nv_cte_concentrators_by_sex.yaml", nv_clusters,
           Y * C * 2),
    Layout("NV", "nv_perkins_indicators_2012_2025.csv", "nv_perkins_indicators.yaml", nv_indicators, _IND),
    Layout("UT", "ut_cte_concentrators_by_year.csv", "ut_cte_concentrators_by_year.yaml", ut_wide, C),
    Layout("UT", "ut_perkins_indicators_2012_2025.csv", "ut_perkins_indicators.yaml", ut_indicators, 2 * _IND),
    Layout("WY", "wy_cte_by_cluster_2012_2025.csv", "wy_cte_by_cluster.yaml", wy_clusters, Y * C * 2),
    Layout("WY", "wy_perkins_indicators_2012_2025.csv", "wy_perkins_indicators.yaml", wy_indicators, 2 * _IND),
)  # fmt: skip


def rows_per_district(state: str) -> int:
    return sum(layout.rows_per_district for layout in LAYOUTS if layout.state == state)


def district_counts(rows: int | None) -> dict[str, int]:
    """Districts per state: the defaults, or scaled so the files hold about `rows` data rows (the
    states' own rows, as many as one district's each, included)."""
    if rows is None:
        return {code: s.districts for code, s in STATES.items()}
    per = {code: rows_per_district(code) for code in STATES}
    budget = rows - sum(per.values())  # what the districts may hold beside the statewide rows
    default = sum(STATES[code].districts * per[code] for code in STATES)
    counts = {"NM": int(min(NM_MAX_DISTRICTS, max(1, round(STATES["NM"].districts * budget / default))))}
    others = [code for code in STATES if code != "NM"]
    left = budget - counts["NM"] * per["NM"]
    scale = left / sum(STATES[code].districts * per[code] for code in others)
    ideal = {code: STATES[code].districts * scale for code in others}
    counts |= {code: max(1, int(ideal[code])) for code in others}
    # Hand out the rest a district at a time, largest shortfall first, while it brings the total closer.
    for code in sorted(others, key=lambda c: int(ideal[c]) - ideal[c]):
        total = sum(counts[c] * per[c] for c in STATES)
        if abs(total + per[code] - budget) < abs(total - budget):
            counts[code] += 1
    return counts


@dataclass(frozen=True)
class Generated:
    state: str
    path: Path
    mapping: Path
    rows: int


def generate_files(out_dir: Path, *, rows: int | None = None, seed: int = 2017) -> list[Generated]:
    """Write every state's files into out_dir; what was written, with its mapping and data rows."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    counts = district_counts(rows)
    written = []
    for number, (code, state) in enumerate(STATES.items()):
        truth = _with_statewide(_simulate(state, counts[code], np.random.default_rng([seed, number])))
        for layout in LAYOUTS:
            if layout.state == code:
                path = out_dir / layout.filename
                count = layout.write(truth, path)
                written.append(Generated(code, path, DEMO_DIR / layout.mapping, count))
    return written


def generate(out_dir: Path, *, rows: int | None = None, seed: int = 2017) -> list[tuple[Path, Path]]:
    """Write the demo states' data files into out_dir: (data file, its checked-in mapping) pairs.

    The same seed and `rows` give byte-identical files. Without `rows`, a few tens of thousands of
    rows in all; with it, about that many.
    """
    return [(item.path, item.mapping) for item in generate_files(out_dir, rows=rows, seed=seed)]

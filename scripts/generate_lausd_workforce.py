"""Generate the bundled LAUSD workforce: synthetic, calibrated to public figures, seeded.

Writes ``data/lausd/workforce.csv`` and ``data/lausd/schedules.csv`` (formats: docs/engine.md)
and ``data/lausd/workforce.md`` (what is synthetic, each calibration target with its source
next to the value the generated data reaches). Base year 2024-25: a workforce describes the
pay rates in force at the end of its base year, here June 30, 2025, i.e. the last step of
the UTLA 2022-25 agreement (4% on 1/1/2025) and of the SEIU Local 99 2020-24 agreement
($2/hour on 1/1/2024, $22.52 minimum). No 2025-26 raise is in it (neither successor
agreement was settled when 2025-26 began); scenarios for 2025-26 start after the base year
and price them.

Also writes two historical snapshots of the same synthetic people, for pricing the
historical bargaining rounds (``history``; ``data/lausd/history/``, described in its
README.md): 2019-20 (rates in force on June 30, 2020) and 2021-22 (June 30, 2022).

Nothing here is an employee record. Headcounts, salary placement, hourly rates and hours
are drawn or set so that the aggregates match the public targets listed in
``CALIBRATION``; every value that is an assumption says so in workforce.md.

Run: ``python scripts/generate_lausd_workforce.py`` (a few seconds; the same files every
time for the same ``SEED``).
"""

from __future__ import annotations

from dataclasses import dataclass
from math import prod
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data" / "lausd"
SEED = 20250701
BASE_YEAR = "2024-25"  # rates in force at the end of 2024-25 (June 30, 2025)

# --------------------------------------------------------------------------- UTLA (certificated)
# L-table lowest cell, "2023" column of the source: $50,384 = $46,587 x 1.05 x 1.03, i.e. it
# already carries the 5% of 2021-22 and the 3% of 7/1/2022. The rest of the UTLA 2022-25
# path is applied to reach the base year.
L_TABLE_START = 50_384
UTLA_REMAINING = (1.04, 1.03, 1.04, 1.03, 1.04)  # 1/1/23, 7/1/23, 1/1/24, 7/1/24, 1/1/25
T_START = round(L_TABLE_START * prod(UTLA_REMAINING))
T_STEPS = list(range(1, 11))  # 10 pay-scale levels (years of service)
T_COLUMNS = [f"G{k}" for k in range(1, 9)]  # 8 salary-point groups: 0, 14, ..., 98 points
TEACHER_AVERAGE_TARGET = 106_000  # LAist 2023-05-08: average teacher salary by July 2025
TEACHER_DAYS = 183  # Ed-Data 2024-25 teacher service days

# Ed-Data 2024-25 teacher experience (district profile): first-year, inexperienced
# (first and second year, first-year included), experienced; average years teaching 15.
ED_FIRST_YEAR, ED_INEXPERIENCED, ED_EXPERIENCED = 1_440, 3_431, 23_442

# headcounts
UTLA_UNIT = 35_000  # "nearly 35,000 members" (AP, 2023-04-18)
TEACHERS = 24_769  # 2022-23 (LAUSD figure via Wikipedia, L)
SPED_SHARE = 0.15  # illustrative: no public count of special education teachers found
CERT_SUPPORT = 6_853  # LA Almanac 2024-25 (LAUSD Fingertip Facts)
EARLY_ED = 564  # LA Almanac 2024-25
ADULT_ED = 662  # LA Almanac 2024-25
PSYCH_PSW = (
    int(930 / 0.80) + 930
)  # 930 hires in 2021-22 = 'more than 80%' (LAT via KTLA 2021-06-24)
LIBRARIANS = 77 + 86  # one per middle and senior high school (2019 goal; LA Almanac counts)
COUNSELOR_RATIO = 500  # students in grades 6-12 per counselor (2019 agreement target)
PSA_COUNSELORS = 250  # illustrative: no public count found

# flat additions to T cells (UTLA 2022-25 agreement; applied to every cell, an assumption)
ADD_NURSE, ADD_SPECIAL_SERVICES, ADD_SPED, ADD_EARLY_ED = 20_000, 3_000, 2_500, 1_500

# --------------------------------------------------------------------------- SEIU Local 99 (classified)
SEIU_UNIT = 30_000  # K-12 Dive 2023
SEIU_PATH = 1.06 * 1.07 * 1.07  # 7/1/2021, 7/1/2022, 7/1/2023
SEIU_FLAT = 2.00  # $/hour from 1/1/2024
SEIU_MINIMUM = 22.52
SEIU_STEP_RATIO = 1.05  # illustrative 5% between the 5 steps of a classified range
SEIU_STEP_SHARES = (0.12, 0.10, 0.10, 0.10, 0.58)  # illustrative placement on steps 1-5
FULL_YEAR_DAYS = 261  # 12-month positions: 52 weeks x 5 days (2,088 hours at 8 h/day)
AVERAGE_PAY_TARGET = 33_000  # SEIU Local 99, 2023-05-19: average pay after the contract
PRE_AVERAGE_TARGET = 25_000  # ABC7 2023-03-22 / SEIU: average before the contract
PERS_DAILY_HOURS = 4.0  # 20 h/week permanent part-time: CalPERS membership on hire
PERS_ANNUAL_HOURS = 1_000  # otherwise CalPERS membership at 1,000 hours in a fiscal year
HEALTH_HOURS = 4.0

# --------------------------------------------------------------------------- historical snapshots
# The same synthetic people at the rates in force at the end of an earlier fiscal year
# (June 30), for pricing the historical bargaining rounds. UTLA's certificated tables are
# deflated along the raise path below; SEIU Local 99 is at its pre-contract rates and hours.
# (effective date, raise, source); METHODOLOGY 10.4 compiles them.
UTLA_RAISES = (
    (
        "2021-22",
        0.05,
        "5% for 2021-22: reopener agreement of September 2021 (utla.net, 'UTLA reaches "
        "agreement with LAUSD on extended safety protocols and 5% pay raise'); 'the 5% hikes "
        "included in the 2021-22 district budget' (NBC LA 2023-04-18); L-table start $46,587 "
        "(2019-2021) -> $48,916 (2022), lausd.org/page/4045",
    ),
    ("2022-07-01", 0.03, "UTLA 2022-25 agreement (Fox LA 2023-04-18; NBC LA 2023-04-18)"),
    ("2023-01-01", 0.04, "UTLA 2022-25 agreement (Fox LA 2023-04-18; NBC LA 2023-04-18)"),
    ("2023-07-01", 0.03, "UTLA 2022-25 agreement (Fox LA 2023-04-18; NBC LA 2023-04-18)"),
    ("2024-01-01", 0.04, "UTLA 2022-25 agreement (Fox LA 2023-04-18; NBC LA 2023-04-18)"),
    ("2024-07-01", 0.03, "UTLA 2022-25 agreement (Fox LA 2023-04-18; NBC LA 2023-04-18)"),
    ("2025-01-01", 0.04, "UTLA 2022-25 agreement (Fox LA 2023-04-18; NBC LA 2023-04-18)"),
)
# snapshot -> the UTLA raises that took effect after its June 30 (all in force by June 30, 2025)
HISTORY = {
    "2019-20": UTLA_RAISES,
    "2021-22": UTLA_RAISES[1:],
}


@dataclass(frozen=True)
class Classified:
    name: str
    code: str  # schedule suffix
    abc7_unit: str  # the ABC7 pay group the class belongs to
    count: int
    step1_pre: float  # pre-contract (2020-21 rates) hourly rate at step 1
    hours: tuple[tuple[float, float], ...]  # (hours per day, share) before the contract
    full_year: bool
    at_school: bool
    min_hours_after: float = 0.0  # hours guaranteed by the 2023 agreement


SEIU_CLASSES = (
    Classified(
        "Special Education Assistant",
        "SEA",
        "instructional aides",
        10_900,
        18.62,
        ((6.0, 0.20), (6.5, 0.25), (7.0, 0.40), (8.0, 0.15)),
        False,
        True,
        7.0,
    ),
    Classified(
        "Teacher Assistant",
        "TA",
        "teacher assistants",
        4_000,
        17.25,
        ((4.0, 0.10), (5.0, 0.25), (6.0, 0.45), (6.5, 0.10), (7.0, 0.10)),
        False,
        True,
    ),
    Classified(
        "Program Aide",
        "PA",
        "program aides",
        6_950,
        16.91,
        ((3.0, 0.30), (3.5, 0.20), (4.0, 0.30), (5.0, 0.20)),
        False,
        True,
    ),
    Classified(
        "Cafeteria Worker",
        "CAF",
        "operations",
        3_200,
        16.91,
        ((3.0, 0.15), (3.5, 0.15), (4.0, 0.20), (5.0, 0.25), (6.0, 0.15), (8.0, 0.10)),
        False,
        True,
    ),
    Classified("Custodian", "CUST", "operations", 3_850, 18.25, ((8.0, 1.0),), True, True),
    Classified(
        "School Bus Driver",
        "BUS",
        "operations",
        1_100,
        19.60,
        ((6.0, 0.30), (7.0, 0.40), (8.0, 0.30)),
        False,
        False,
    ),
)
ABC7_UNIT_AVERAGES = {  # ABC7 2023-03-22, citing SEIU Local 99: average annual pay before the contract
    "instructional aides": 27_531,
    "operations": 31_825,
    "teacher assistants": 22_257,
    "program aides": 14_576,
}


def largest_remainder(weights: np.ndarray, total: int) -> np.ndarray:
    w = np.asarray(weights, dtype=float)
    quota = w / w.sum() * total
    base = np.floor(quota).astype(int)
    order = np.argsort(-(quota - base), kind="stable")
    base[order[: total - int(base.sum())]] += 1
    return base


def load_schools() -> pd.DataFrame:
    schools = pd.read_csv(DATA / "schools.csv", dtype={"school_code": str})
    schools["secondary"] = schools[[f"gr_{g:02d}" for g in range(6, 13)]].sum(axis=1)
    return schools


# --------------------------------------------------------------------------- certificated


def t_cell(step: np.ndarray, col: np.ndarray, g: float) -> np.ndarray:
    """T cell: T_START x (1 + g)^(step - 1) x (1 + g)^(group - 1), whole dollars."""
    return np.round(T_START * (1.0 + g) ** ((step - 1) + (col - 1)))


def place_certificated(n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Steps from Ed-Data experience shares, groups rising with the step (illustrative)."""
    total = ED_INEXPERIENCED + ED_EXPERIENCED
    p1 = ED_FIRST_YEAR / total
    p2 = (ED_INEXPERIENCED - ED_FIRST_YEAR) / total
    u = rng.random(n)
    years = rng.integers(3, 32, size=n)  # experienced: 3..31 years, mean 17 -> overall mean 15
    years = np.where(u < p1, 1, np.where(u < p1 + p2, 2, years))
    step = np.minimum(years, 10)
    col = 1 + rng.binomial(7, 0.15 + 0.065 * (step - 1))
    return step, col


def solve_growth(step: np.ndarray, col: np.ndarray, add: np.ndarray) -> float:
    """Per-level and per-group growth g so that the teachers' average salary hits the target."""
    lo, hi = 0.0, 0.10
    for _ in range(60):
        mid = (lo + hi) / 2
        avg = np.mean(T_START * (1 + mid) ** ((step - 1) + (col - 1)) + add)
        lo, hi = (mid, hi) if avg < TEACHER_AVERAGE_TARGET else (lo, mid)
    return (lo + hi) / 2


# --------------------------------------------------------------------------- classified


def pre_rate(c: Classified, step: np.ndarray) -> np.ndarray:
    return np.round(c.step1_pre * SEIU_STEP_RATIO ** (step - 1), 2)


def post_rate(pre: np.ndarray) -> np.ndarray:
    """The 2023 agreement: +6%, +7%, +7% compounded, then +$2.00, with the $22.52 floor."""
    return np.maximum(np.round(pre * SEIU_PATH, 2) + SEIU_FLAT, SEIU_MINIMUM)


def retirement(hours: np.ndarray, days: np.ndarray) -> np.ndarray:
    member = (hours >= PERS_DAILY_HOURS) | (hours * days >= PERS_ANNUAL_HOURS)
    return np.where(member, "PERS", "none")


# --------------------------------------------------------------------------- build


@dataclass
class Build:
    workforce: pd.DataFrame
    schedules: pd.DataFrame
    calibration: pd.DataFrame
    facts: dict
    groups: pd.DataFrame  # the workforce rows with each group's pre-contract hours (h_pre)


def build(seed: int = SEED) -> Build:
    rng = np.random.default_rng(seed)
    schools = load_schools()
    codes = schools["school_code"].to_numpy()
    w_all = schools["enrollment"].to_numpy(float)
    w_sec = schools["secondary"].to_numpy(float)

    counselors = round(schools["secondary"].sum() / COUNSELOR_RATIO)
    nurses = len(schools)  # a full-time nurse at every school (2019 agreement goal)
    sped = round(TEACHERS * SPED_SHARE)
    cert_known = nurses + PSYCH_PSW + LIBRARIANS + counselors + PSA_COUNSELORS
    utla_spec = [
        # classification, count, schedule, flat add, school weights
        ("Teacher", TEACHERS - sped, "T", 0, w_all),
        ("Special Education Teacher", sped, "T_SE", ADD_SPED, w_all),
        ("Early Education Teacher", EARLY_ED, "T_EE", ADD_EARLY_ED, None),
        ("Adult Education Teacher", ADULT_ED, "T", 0, None),
        ("School Nurse", nurses, "NURSE", ADD_NURSE, w_all),
        ("School Psychologist", PSYCH_PSW - PSYCH_PSW // 2, "SPSVC", ADD_SPECIAL_SERVICES, w_all),
        ("Psychiatric Social Worker", PSYCH_PSW // 2, "SPSVC", ADD_SPECIAL_SERVICES, w_all),
        (
            "Pupil Services and Attendance Counselor",
            PSA_COUNSELORS,
            "SPSVC",
            ADD_SPECIAL_SERVICES,
            w_all,
        ),
        ("Counselor", counselors, "T", 0, w_sec),
        ("Teacher Librarian", LIBRARIANS, "T", 0, w_sec),
        ("Other Certificated Support (residual)", CERT_SUPPORT - cert_known, "T", 0, None),
        (
            "Other UTLA-Represented (residual)",
            UTLA_UNIT - TEACHERS - EARLY_ED - ADULT_ED - CERT_SUPPORT,
            "T",
            0,
            None,
        ),
    ]
    adds = {
        "T": 0,
        "T_SE": ADD_SPED,
        "T_EE": ADD_EARLY_ED,
        "NURSE": ADD_NURSE,
        "SPSVC": ADD_SPECIAL_SERVICES,
    }

    people = []
    for name, n, sched, add, weights in utla_spec:
        step, col = place_certificated(n, rng)
        school = (
            rng.choice(codes, size=n, p=weights / weights.sum())
            if weights is not None
            else np.full(n, "")
        )
        people.append(
            pd.DataFrame(
                {
                    "classification": name,
                    "schedule": sched,
                    "step": step,
                    "col": col,
                    "add": add,
                    "school_code": school,
                }
            )
        )
    cert = pd.concat(people, ignore_index=True)
    is_teacher = cert["classification"].isin(["Teacher", "Special Education Teacher"]).to_numpy()
    g = solve_growth(
        cert["step"].to_numpy()[is_teacher],
        cert["col"].to_numpy()[is_teacher],
        cert["add"].to_numpy()[is_teacher],
    )
    g = round(g, 5)
    cert["annual_salary"] = (
        t_cell(cert["step"].to_numpy(), cert["col"].to_numpy(), g) + cert["add"].to_numpy()
    )

    sched_rows = []
    s_grid, c_grid = np.meshgrid(T_STEPS, range(1, 9), indexing="ij")
    base_cells = t_cell(s_grid.ravel(), c_grid.ravel(), g)
    for sched, add in adds.items():
        for s, c, v in zip(s_grid.ravel(), c_grid.ravel(), base_cells, strict=True):
            sched_rows.append((sched, T_COLUMNS[c - 1], int(s), float(v + add)))

    utla = pd.DataFrame(
        {
            "unit": "UTLA",
            "classification": cert["classification"],
            "fte": 1.0,
            "pay_basis": "salary",
            "hourly_rate": np.nan,
            "hours_per_day": np.nan,
            "days_per_year": float(TEACHER_DAYS),
            "annual_salary": cert["annual_salary"],
            "retirement": "STRS",
            "schedule": cert["schedule"],
            "step": cert["step"],
            "column": [T_COLUMNS[c - 1] for c in cert["col"]],
            "school_code": cert["school_code"],
            "health_eligible": "true",
            "h_pre": np.nan,
        }
    )

    # classified: draw steps and hours, then pick the school-year paid days that hit the average
    draws = []
    for c in SEIU_CLASSES:
        step = rng.choice(np.arange(1, 6), size=c.count, p=SEIU_STEP_SHARES)
        hv, hp = zip(*c.hours, strict=True)
        h_pre = rng.choice(np.array(hv), size=c.count, p=np.array(hp))
        h_post = np.maximum(h_pre, c.min_hours_after)
        school = (
            rng.choice(codes, size=c.count, p=w_all / w_all.sum())
            if c.at_school
            else np.full(c.count, "")
        )
        draws.append((c, step, h_pre, h_post, school))

    def seiu_average(days_school_year: int, pre: bool) -> tuple[float, dict]:
        pay, n, by_unit = 0.0, 0, {}
        for c, step, h_pre, h_post, _ in draws:
            days = FULL_YEAR_DAYS if c.full_year else days_school_year
            rate = pre_rate(c, step) if pre else post_rate(pre_rate(c, step))
            p = rate * (h_pre if pre else h_post) * days
            pay += p.sum()
            n += len(p)
            tot, cnt = by_unit.get(c.abc7_unit, (0.0, 0))
            by_unit[c.abc7_unit] = (tot + p.sum(), cnt + len(p))
        return pay / n, {k: v[0] / v[1] for k, v in by_unit.items()}

    school_days = min(
        range(170, 241), key=lambda d: abs(seiu_average(d, pre=False)[0] - AVERAGE_PAY_TARGET)
    )

    frames = []
    for c, step, h_pre, h_post, school in draws:
        days = np.full(c.count, float(FULL_YEAR_DAYS if c.full_year else school_days))
        frames.append(
            pd.DataFrame(
                {
                    "unit": "SEIU 99",
                    "classification": c.name,
                    "fte": 1.0,
                    "pay_basis": "hourly",
                    "hourly_rate": post_rate(pre_rate(c, step)),
                    "hours_per_day": h_post,
                    "days_per_year": days,
                    "annual_salary": np.nan,
                    "retirement": retirement(h_post, days),
                    "schedule": f"C_{c.code}",
                    "step": step,
                    "column": "R",
                    "school_code": school,
                    "health_eligible": "",
                    "h_pre": h_pre,
                }
            )
        )
        for s in range(1, 6):
            pre = pre_rate(c, np.array([s]))
            sched_rows.append((f"C_{c.code}", "R", s, float(post_rate(pre)[0])))
    seiu = pd.concat(frames, ignore_index=True)

    # Rows group identical people; the pre-contract hours are a grouping key too (kept in
    # ``groups``, not written to workforce.csv), so that each row is the same group of
    # people in every snapshot (see ``history``).
    people = pd.concat([utla, seiu], ignore_index=True)
    keys = [c for c in people.columns]
    wf = people.groupby(keys, dropna=False, sort=False).size().rename("count").reset_index()
    order = [
        "unit",
        "classification",
        "count",
        "fte",
        "pay_basis",
        "hourly_rate",
        "hours_per_day",
        "days_per_year",
        "annual_salary",
        "retirement",
        "schedule",
        "step",
        "column",
        "school_code",
        "health_eligible",
    ]
    groups = (
        wf[[*order, "h_pre"]]
        .sort_values(
            [
                "unit",
                "classification",
                "schedule",
                "column",
                "step",
                "hours_per_day",
                "h_pre",
                "school_code",
            ],
            kind="stable",
        )
        .reset_index(drop=True)
    )
    groups["employee_id"] = ""
    wf = groups.drop(columns="h_pre")
    schedules = pd.DataFrame(sched_rows, columns=["schedule", "column", "step", "rate"])

    pre_avg, pre_units = seiu_average(school_days, pre=True)
    facts = {
        "g": g,
        "school_days": school_days,
        "counselors": counselors,
        "nurses": nurses,
        "sped": sped,
        "pre_avg": pre_avg,
        "pre_units": pre_units,
        "pre_mean_hours": float(np.mean(np.concatenate([d[2] for d in draws]))),
        "cert_residual": CERT_SUPPORT - cert_known,
        "utla_residual": UTLA_UNIT - TEACHERS - EARLY_ED - ADULT_ED - CERT_SUPPORT,
    }
    return Build(wf, schedules, calibration(wf, schedules, facts), facts, groups)


# --------------------------------------------------------------------------- historical snapshots


def _start_year(fiscal_year: str) -> int:
    return int(fiscal_year[:4])


def utla_factor(year: str) -> float:
    """Compounded UTLA raises between June 30 of ``year`` and June 30 of the base year."""
    return float(prod(1.0 + r for _, r, _ in HISTORY[year]))


def step_back(step: np.ndarray, top: np.ndarray, k: int) -> np.ndarray:
    """Step rule: one step lower per year back for rows below the top, never below step 1;
    rows at the top stay at the top."""
    return np.where(step >= top, step, np.maximum(1, step - k))


@dataclass
class Snapshot:
    year: str
    workforce: pd.DataFrame
    schedules: pd.DataFrame
    facts: dict


def history(b: Build, year: str) -> Snapshot:
    """The base-year people at the rates in force on June 30 of ``year``.

    Same rows, classifications, school codes and counts as the base workforce. Steps by
    :func:`step_back` (``k`` = years between the snapshot and the base year); columns kept.
    UTLA cells = base T cell / :func:`utla_factor`, whole dollars, with no flat additions
    (the nurse, special-services, special-education and early-education additions came
    with the 2022-25 agreement). SEIU 99 cells = the pre-contract rates; hours = the
    pre-contract hours (the 7-hour guarantee came with the 2023 agreement).
    """
    k = _start_year(BASE_YEAR) - _start_year(year)
    factor = utla_factor(year)
    base_sched = b.schedules
    utla_sched = base_sched["schedule"].isin(["T", "T_SE", "T_EE", "NURSE", "SPSVC"])
    t_cells = base_sched[base_sched["schedule"] == "T"].set_index(["column", "step"])["rate"]
    hist_t = np.round(t_cells / factor)
    pre_cells = {
        (f"C_{c.code}", "R", s): float(pre_rate(c, np.array([s]))[0])
        for c in SEIU_CLASSES
        for s in range(1, 6)
    }
    rates = [
        float(hist_t[(col, st)]) if is_utla else pre_cells[(sch, col, st)]
        for sch, col, st, is_utla in zip(
            base_sched["schedule"],
            base_sched["column"],
            base_sched["step"],
            utla_sched,
            strict=True,
        )
    ]
    schedules = base_sched.assign(rate=rates)

    g = b.groups
    top_sched = base_sched.groupby(["schedule", "column"])["step"].max()
    top = np.array(
        [top_sched[(sch, col)] for sch, col in zip(g["schedule"], g["column"], strict=True)]
    )
    step = step_back(g["step"].to_numpy(), top, k)
    cell = schedules.set_index(["schedule", "column", "step"])["rate"]
    rate = np.array(
        [cell[key] for key in zip(g["schedule"], g["column"], step, strict=True)], dtype=float
    )
    hourly = (g["pay_basis"] == "hourly").to_numpy()
    hours = np.where(hourly, g["h_pre"].to_numpy(float), g["hours_per_day"].to_numpy(float))
    days = g["days_per_year"].to_numpy(float)
    wf = g.drop(columns="h_pre").copy()
    wf["step"] = step
    wf["hourly_rate"] = np.where(hourly, rate, np.nan)
    wf["annual_salary"] = np.where(hourly, np.nan, rate)
    wf["hours_per_day"] = hours
    wf["retirement"] = np.where(hourly, retirement(hours, days), wf["retirement"].to_numpy())

    n = wf["count"].to_numpy(float)
    base_step = g["step"].to_numpy()

    # forward check: the snapshot's pay at the steps the engine projects k years on
    # (min(step + k, top)) against its pay at the base-year steps, both at snapshot rates
    def pay_at(steps: np.ndarray) -> np.ndarray:
        r = np.array(
            [cell[key] for key in zip(g["schedule"], g["column"], steps, strict=True)], dtype=float
        )
        return np.where(hourly, r * hours * days, r) * n

    projected, at_base = pay_at(np.minimum(step + k, top)), pay_at(base_step)
    below = base_step < top
    clipped = below & (base_step - k < 1)
    seiu = hourly
    teach = wf["classification"].isin(["Teacher", "Special Education Teacher"]).to_numpy()
    pay = annual_pay_each(wf)
    facts = {
        "k": k,
        "factor": factor,
        "t_lowest": float(hist_t[("G1", 1)]),
        "teacher_average_salary": float(np.average(pay[teach], weights=n[teach])),
        "utla_payroll": float((pay * n)[~hourly].sum()),
        "seiu_payroll": float((pay * n)[seiu].sum()),
        "seiu_average_pay": float(np.average(pay[seiu], weights=n[seiu])),
        "seiu_min_rate": float(rate[seiu].min()),
        "seiu_at_minimum": int(n[seiu & (rate == rate[seiu].min())].sum()),
        "seiu_mean_hours": float(np.average(hours[seiu], weights=n[seiu])),
        "utla_at_top": float(n[~hourly & ~below].sum() / n[~hourly].sum()),
        "utla_stepped_back": float(n[~hourly & below & ~clipped].sum() / n[~hourly].sum()),
        "utla_clipped": float(n[~hourly & clipped].sum() / n[~hourly].sum()),
        "seiu_at_top": float(n[seiu & ~below].sum() / n[seiu].sum()),
        "seiu_stepped_back": float(n[seiu & below & ~clipped].sum() / n[seiu].sum()),
        "seiu_clipped": float(n[seiu & clipped].sum() / n[seiu].sum()),
        "hours_below_base": int(n[seiu & (hours < g["hours_per_day"].to_numpy(float))].sum()),
        "utla_forward": float(projected[~hourly].sum() / at_base[~hourly].sum() - 1),
        "seiu_forward": float(projected[seiu].sum() / at_base[seiu].sum() - 1),
    }
    return Snapshot(year, wf, schedules, facts)


# --------------------------------------------------------------------------- calibration


def _w(wf: pd.DataFrame, mask) -> tuple[np.ndarray, pd.DataFrame]:
    sub = wf[mask]
    return sub["count"].to_numpy(float), sub


def annual_pay_each(sub: pd.DataFrame) -> np.ndarray:
    hourly = (sub["pay_basis"] == "hourly").to_numpy()
    h = (
        sub["hourly_rate"].to_numpy(float)
        * sub["hours_per_day"].to_numpy(float)
        * sub["days_per_year"].to_numpy(float)
    )
    s = sub["fte"].to_numpy(float) * sub["annual_salary"].to_numpy(float)
    return np.where(hourly, h, s)


def measures(wf: pd.DataFrame, schedules: pd.DataFrame) -> dict:
    """The calibration measures, computed from the workforce and schedule tables alone."""
    utla = wf["unit"] == "UTLA"
    seiu = wf["unit"] == "SEIU 99"
    teach = wf["classification"].isin(["Teacher", "Special Education Teacher"])
    n_t, t = _w(wf, teach)
    n_s, s = _w(wf, seiu)
    pay_s = annual_pay_each(s)
    hrs = s["hours_per_day"].to_numpy(float)
    t_low = schedules[(schedules["schedule"] == "T")]
    first = t_low[(t_low["step"] == 1) & (t_low["column"] == "G1")]["rate"].iloc[0]
    nurse = schedules[schedules["schedule"] == "NURSE"].set_index(["column", "step"])["rate"]
    tt = schedules[schedules["schedule"] == "T"].set_index(["column", "step"])["rate"]
    sp = schedules[schedules["schedule"] == "SPSVC"].set_index(["column", "step"])["rate"]
    return {
        "utla_headcount": float(wf.loc[utla, "count"].sum()),
        "teacher_headcount": float(n_t.sum()),
        "cert_support_headcount": float(
            wf.loc[
                wf["classification"].isin(
                    [
                        "School Nurse",
                        "School Psychologist",
                        "Psychiatric Social Worker",
                        "Pupil Services and Attendance Counselor",
                        "Counselor",
                        "Teacher Librarian",
                        "Other Certificated Support (residual)",
                    ]
                ),
                "count",
            ].sum()
        ),
        "psych_psw_headcount": float(
            wf.loc[
                wf["classification"].isin(["School Psychologist", "Psychiatric Social Worker"]),
                "count",
            ].sum()
        ),
        "teacher_average_salary": float(
            np.average(t["annual_salary"].to_numpy(float), weights=n_t)
        ),
        "t_lowest_cell": float(first),
        "nurse_minus_t": float((nurse - tt).min()),
        "nurse_minus_t_max": float((nurse - tt).max()),
        "spsvc_minus_t": float((sp - tt).min()),
        "t_shape": (
            schedules[schedules["schedule"] == "T"]["step"].nunique(),
            schedules[schedules["schedule"] == "T"]["column"].nunique(),
        ),
        "teacher_step1_share": float(n_t[t["step"].to_numpy() == 1].sum() / n_t.sum()),
        "seiu_headcount": float(n_s.sum()),
        "seiu_min_rate": float(s["hourly_rate"].min()),
        "seiu_average_pay": float(np.average(pay_s, weights=n_s)),
        "seiu_mean_hours": float(np.average(hrs, weights=n_s)),
        "seiu_health_eligible_share": float(n_s[hrs >= HEALTH_HOURS].sum() / n_s.sum()),
        "seiu_pers_share": float(n_s[(s["retirement"] == "PERS").to_numpy()].sum() / n_s.sum()),
        "sea_min_hours": float(
            s.loc[s["classification"] == "Special Education Assistant", "hours_per_day"].min()
        ),
        "custodian_headcount": float(wf.loc[wf["classification"] == "Custodian", "count"].sum()),
        "utla_payroll": float(
            (annual_pay_each(wf[utla]) * wf.loc[utla, "count"].to_numpy(float)).sum()
        ),
        "seiu_payroll": float((pay_s * n_s).sum()),
    }


# (key, target, tolerance (relative unless noted), description, source)
TARGETS = [
    (
        "utla_headcount",
        UTLA_UNIT,
        0.02,
        "UTLA unit headcount",
        "'nearly 35,000 members' (AP, 2023-04-18; METHODOLOGY 10.2)",
    ),
    (
        "teacher_headcount",
        TEACHERS,
        0.01,
        "teachers (general + special education)",
        "24,769 in 2022-23 (LAUSD via Wikipedia, L; METHODOLOGY 10.2)",
    ),
    (
        "cert_support_headcount",
        CERT_SUPPORT,
        0.0,
        "certificated support staff",
        "6,853 in 2024-25 (LA Almanac, LAUSD Fingertip Facts, M)",
    ),
    (
        "psych_psw_headcount",
        PSYCH_PSW,
        0.0,
        "psychologists + psychiatric social workers",
        "930 hires in 2021-22 = +80% (LA Times via KTLA, 2021-06-24, M): 1,162 + 930",
    ),
    (
        "teacher_average_salary",
        TEACHER_AVERAGE_TARGET,
        0.01,
        "average teacher salary (base pay)",
        "$106,000 by July 2025, Superintendent's projection (LAist, 2023-05-08, M)",
    ),
    (
        "t_lowest_cell",
        T_START,
        0.0,
        "lowest T cell",
        "L-table start $50,384 (LAUSD HR via climate-and-community, M) x 1.04 x 1.03 x 1.04 x 1.03 x 1.04 (UTLA 2022-25, Fox LA 2023-04-18, M)",
    ),
    (
        "nurse_minus_t",
        ADD_NURSE,
        0.0,
        "nurse table minus T table, every cell",
        "nurse table +$20,000 (Fox LA / NBC LA 2023-04-18, M)",
    ),
    (
        "spsvc_minus_t",
        ADD_SPECIAL_SERVICES,
        0.0,
        "special-services table minus T table",
        "+$3,000 psychologists, PSWs, PSA counselors (Fox LA / NBC LA 2023-04-18, M)",
    ),
    (
        "teacher_step1_share",
        ED_FIRST_YEAR / (ED_INEXPERIENCED + ED_EXPERIENCED),
        0.10,
        "teachers on step 1 (first-year)",
        "1,440 first-year of 26,873 teachers (Ed-Data 2024-25, H)",
    ),
    (
        "seiu_headcount",
        SEIU_UNIT,
        0.01,
        "SEIU 99 unit headcount",
        "about 30,000 (K-12 Dive 2023, M)",
    ),
    (
        "seiu_min_rate",
        SEIU_MINIMUM,
        0.0,
        "lowest hourly rate",
        "$22.52 minimum (K-12 Dive; EdSource 2023-03-24, H)",
    ),
    (
        "seiu_average_pay",
        AVERAGE_PAY_TARGET,
        0.02,
        "average annual pay, base year",
        "$33,000 after the 2023 agreement (SEIU Local 99, 2023-05-19, M)",
    ),
    (
        "sea_min_hours",
        7.0,
        0.0,
        "special education assistants' hours (minimum)",
        "7 guaranteed hours (LA School Report / EdSource 2023-03-24, M)",
    ),
    (
        "custodian_headcount",
        round(770 / 0.25) + 770,
        0.0,
        "custodians",
        "770 hires in 2021-22 = +25% (LA Times via KTLA, 2021-06-24, M): 3,080 + 770",
    ),
]
PRE_TARGETS = [
    (
        "pre_mean_hours",
        5.5,
        0.10,
        "SEIU 99 mean hours per day before the contract (5-6)",
        "'members average 5-6 hours/day' (ABC7 2023-03-22 citing SEIU, M)",
    ),
    (
        "pre_avg",
        PRE_AVERAGE_TARGET,
        0.05,
        "SEIU 99 average pay before the contract (2020-21 rates, pre-contract hours)",
        "about $25,000 (ABC7 2023-03-22; SEIU Local 99, M)",
    ),
    *[
        (
            f"pre_unit:{u}",
            v,
            0.10,
            f"before the contract: {u}",
            "ABC7 2023-03-22, citing SEIU Local 99 (M)",
        )
        for u, v in ABC7_UNIT_AVERAGES.items()
    ],
]


def calibration(wf: pd.DataFrame, schedules: pd.DataFrame, facts: dict) -> pd.DataFrame:
    m = measures(wf, schedules)
    for k, v in facts["pre_units"].items():
        m[f"pre_unit:{k}"] = v
    m["pre_avg"] = facts["pre_avg"]
    m["pre_mean_hours"] = facts["pre_mean_hours"]
    rows = []
    for key, target, tol, what, source in TARGETS + PRE_TARGETS:
        reached = m[key]
        rows.append(
            {
                "measure": key,
                "what": what,
                "target": float(target),
                "reached": float(reached),
                "tolerance": tol,
                "within": abs(reached - target) <= tol * abs(target) + 1e-6,
                "source": source,
            }
        )
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- write


def _fmt(key: str, v: float) -> str:
    if "share" in key:
        return f"{v:.1%}"
    if "rate" in key:
        return f"${v:,.2f}"
    if "hours" in key:
        return f"{v:.2f}"
    if "salary" in key or "pay" in key or "cell" in key or "minus" in key or key.startswith("pre"):
        return f"${v:,.0f}"
    return f"{v:,.0f}"


def write_markdown(b: Build) -> str:
    f = b.facts
    m = measures(b.workforce, b.schedules)
    lines = [
        "# LAUSD workforce (synthetic) and salary schedules",
        "",
        "**This workforce is synthetic.** No row is an employee. It is generated by",
        "`scripts/generate_lausd_workforce.py` (numpy `default_rng("
        + str(SEED)
        + ")`, a few seconds to run,",
        "the same files every time) so that its aggregates match the public figures below.",
        "Files: `workforce.csv` (grouped rows: `count` identical employees per row; format",
        "docs/engine.md), `schedules.csv` (one row per schedule cell: `schedule, column, step, rate`).",
        "The same people at earlier rates are in `history/` (2019-20 and 2021-22 snapshots, see",
        "`history/README.md`).",
        "",
        f"**Base year {BASE_YEAR}.** A workforce describes the pay rates in force at the end of its",
        "base year, i.e. on June 30 (docs/engine.md); steps move every July 1 after it and a",
        f"scenario starts in a later fiscal year. Base year {BASE_YEAR} = the rates in force on June 30,",
        "2025, which are also the rates at the start of 2025-26 before any 2025-26 raise: the UTLA",
        "2022-25 agreement's last step (4% on 1/1/2025) and the SEIU Local 99 2020-24 agreement's",
        "last step ($2/hour on 1/1/2024, $22.52 minimum). No 2025-26 raise is included: neither",
        "successor agreement was settled when 2025-26 began (UTLA's tentative agreement is dated",
        "April 2026); scenarios for 2025-26 start after this base year and price them. The",
        "calibration targets below describe these rates (e.g. the $106,000 average teacher salary",
        '"by July 2025").',
        "",
        "## Calibration: target, source, value reached",
        "",
        "| measure | target | reached | tolerance | source |",
        "|---|---|---|---|---|",
    ]
    for r in b.calibration.itertuples():
        tol = "exact" if r.tolerance == 0 else f"±{r.tolerance:.0%}"
        lines.append(
            f"| {r.what} | {_fmt(r.measure, r.target)} | {_fmt(r.measure, r.reached)} | {tol} | {r.source} |"
        )
    lines += [
        "",
        "The tests (`tests/test_lausd_data.py`) recompute every row of this table from the files",
        "(the pre-contract rows from the generator) and fail outside the tolerance.",
        "",
        "Reported, not targeted:",
        f"- Base-year pay (before statutory benefits): UTLA ${m['utla_payroll'] / 1e9:,.2f}B, SEIU 99 ${m['seiu_payroll'] / 1e9:,.2f}B;",
        f"  1% of it: UTLA ${m['utla_payroll'] / 1e8:,.1f}M, SEIU 99 ${m['seiu_payroll'] / 1e8:,.1f}M (for scale: about $26.8M per 1%, UTLA only, in 2014, LA Business Journal via METHODOLOGY section 2).",
        f"- SEIU 99 mean hours a day in the base year: {m['seiu_mean_hours']:.2f} (after the 7-hour guarantee).",
        f"- SEIU 99 share at 4 or more hours a day (health-eligible by the hours test): {m['seiu_health_eligible_share']:.1%}.",
        f"- SEIU 99 share in CalPERS: {m['seiu_pers_share']:.1%} (the rest `none`, see below).",
        "- Cross-checks not used as targets: NCES 2023-24 instructional staff 21,730 FTE (an FTE count,",
        "  independent charters excluded); Ed-Data 2024-25 teachers 23,442 experienced + 3,431",
        "  inexperienced (probably including charters under the district code); the 2019 average",
        "  teacher salary $75,000 (LAUSD strike FAQ) x 1.05 (2021-22) x 1.2292 (2022-25, compounded)",
        "  = $96,800 before step movement.",
        "",
        "## How the UTLA unit is built",
        "",
        "Headcounts by classification (all salaried, 1.0 FTE, CalSTRS, health-eligible, 183 paid",
        "days = Ed-Data 2024-25 teacher service days; `hours_per_day` is left empty because no",
        "public figure gives the certificated day; a $/hour proposal for these rows needs it):",
        "",
        "| classification | count | rule | schedule |",
        "|---|---|---|---|",
        f"| Teacher | {TEACHERS - f['sped']:,} | 24,769 teachers less special education | T |",
        f"| Special Education Teacher | {f['sped']:,} | **illustrative** {SPED_SHARE:.0%} of 24,769 (no public count found) | T_SE = T + $2,500 |",
        f"| Early Education Teacher | {EARLY_ED:,} | LA Almanac 2024-25 | T_EE = T + $1,500 |",
        f"| Adult Education Teacher | {ADULT_ED:,} | LA Almanac 2024-25 (placed on T; their real pay basis is not modelled) | T |",
        f"| School Nurse | {f['nurses']:,} | one per school in schools.csv (2019 goal: a full-time nurse at every school, LA Magazine 2019, M) | NURSE = T + $20,000 |",
        f"| School Psychologist | {PSYCH_PSW - PSYCH_PSW // 2:,} | half of 2,092 (pre-expansion ratios 1:2,004 and 1:2,200 were similar) | SPSVC = T + $3,000 |",
        f"| Psychiatric Social Worker | {PSYCH_PSW // 2:,} | half of 2,092 | SPSVC |",
        f"| Pupil Services and Attendance Counselor | {PSA_COUNSELORS:,} | **illustrative** (no public count; 78 were laid off in 2013) | SPSVC |",
        f"| Counselor | {f['counselors']:,} | grades 6-12 students in schools.csv / 500 (2019 agreement's secondary target) | T |",
        f"| Teacher Librarian | {LIBRARIANS:,} | one per middle and senior high school (2019 goal; 77 + 86, LA Almanac 2024-25) | T |",
        f"| Other Certificated Support (residual) | {f['cert_residual']:,} | 6,853 certificated support less the rows above | T |",
        f"| Other UTLA-Represented (residual) | {f['utla_residual']:,} | 35,000 less every count above (not identified in public counts) | T |",
        "",
        "The two residual rows are plugs so the unit and the certificated-support total match",
        "their public figures; drop them to price only identified classifications.",
        "",
        "**Schedule T** (approximation, labelled as such; the real T table is published by LAUSD",
        "HR as a PDF and is not in the bundled sources): 10 pay-scale levels (`step` 1-10, years",
        "of service) x 8 salary-point groups (`column` G1-G8 for 0, 14, ..., 98 salary points).",
        f"Cell = ${T_START:,} x (1 + g)^(step - 1) x (1 + g)^(group - 1), whole dollars, with",
        f"g = {f['g']:.3%} per level and per group, solved so that the teachers' average salary is",
        f'$106,000. The lowest cell ${T_START:,} = the L-table start $50,384 (its "2023" column,',
        "which already includes the 5% of 2021-22 and the 3% of 7/1/2022: 46,587 x 1.05 x 1.03)",
        "raised by the rest of the UTLA 2022-25 path (4%, 3%, 4%, 3%, 4%). T_SE, T_EE, NURSE and",
        "SPSVC add the agreement's flat amounts to every cell (applying them to every cell is an",
        'assumption; the nurse table\'s "+$20,000 at each step" is sourced). Career increments',
        "beyond step 10 and differentials (master's $584, doctorate $1,168, bilingual, National",
        "Board) are not modelled.",
        "",
        'Open point: UTLA\'s 2025 demand of a T-table start of "$80,000+ (+16%)" implies a current',
        "T start near $69,000, and the 2019 BA start of $50,428 (Daily Breeze) raised by the same",
        f"path gives about $65,100, both above ${T_START:,}: the T table's first cell is probably",
        "higher than the L table's. The issue asks for the L-table start; with a higher start the",
        "solved g would be smaller and step-and-column costs lower.",
        "",
        "Placement (illustrative where not sourced): step 1 = first-year teachers (1,440 of",
        "26,873, Ed-Data), step 2 = the rest of the inexperienced (3,431 - 1,440, assuming Ed-Data's",
        "'inexperienced' counts the first two years), the experienced at min(years, 10) with years",
        "uniform on 3-31 (so the mean is 15 years, Ed-Data's average); group = 1 + Binomial(7,",
        "0.15 + 0.065 (step - 1)) (illustrative: more salary points with more years). Every",
        "certificated classification uses the same placement rule.",
        "",
        "School codes: teachers, special education teachers, nurses, psychologists, PSWs and PSA",
        "counselors are drawn over schools.csv in proportion to each school's enrollment;",
        "counselors and librarians in proportion to its grades 6-12 enrollment; early-education,",
        "adult-education and residual rows have no school (their sites are not in the K-12 table).",
        "",
        "## How the SEIU Local 99 unit is built",
        "",
        "| classification | count | pre-contract step 1 | hours/day (before -> base year) | days | ABC7 group |",
        "|---|---|---|---|---|---|",
    ]
    for c in SEIU_CLASSES:
        hours = ", ".join(f"{h:g} ({p:.0%})" for h, p in c.hours)
        if c.min_hours_after:
            hours += f" -> at least {c.min_hours_after:g}"
        days = f"{FULL_YEAR_DAYS}" if c.full_year else f"{f['school_days']}"
        lines.append(
            f"| {c.name} | {c.count:,} | ${c.step1_pre:.2f} | {hours} | {days} | {c.abc7_unit} |"
        )
    lines += [
        "",
        "- Counts: **illustrative**, except custodians (3,850: 770 hires in 2021-22 described as",
        "  +25%). They are set so that the pre-contract average of each ABC7 pay group and of the",
        "  whole unit match ABC7's figures; LAUSD's counts by classification are not public here.",
        "- Rates: each classification has a 5-step hourly range (the Personnel Commission schedule",
        "  layout has 5 steps, docslib mirror, M) with **illustrative** 5% steps and step-1 rates",
        "  inside the public pre-contract range ($16.91, the food-service rate cited by ABC7 and",
        "  the Whittier Daily News, to under $23.85). Placement: 12/10/10/10/58% on steps 1-5",
        "  (illustrative). Base-year cell = max(pre x 1.06 x 1.07 x 1.07 + $2.00, $22.52), rounded",
        "  to the cent (the 2023 agreement; $16.91 becomes exactly $22.52, METHODOLOGY section 2).",
        "  Schedules `C_SEA`, `C_TA`, `C_PA`, `C_CAF`, `C_CUST`, `C_BUS`, one column `R`.",
        "- Hours: **illustrative** distributions, set so the ABC7 group averages hold before the",
        "  contract and the unit averages 5-6 hours a day; special education assistants are raised",
        "  to the agreement's 7 guaranteed hours.",
        f"- Days: custodians {FULL_YEAR_DAYS} (12-month, 2,088 hours a year); every other class",
        f"  {f['school_days']} paid days, **solved** (a whole number) so that the base-year average pay is",
        "  $33,000. No public figure gives LAUSD's paid days for school-year classified staff;",
        "  paid days are work days plus paid holidays (METHODOLOGY section 2, a practitioner",
        "  convention), and the solved value sits a few days above the 183 teacher service days.",
        "- Retirement: `PERS` if the position is at least 4 hours a day (20 hours a week: a",
        "  part-time position of 20+ hours a week lasting more than 12 months is enrolled on hire,",
        "  CalPERS Circular Letter 200-037-25, https://www.calpers.ca.gov/employers/policies-and-procedures/circular-letters/200-037-25)",
        "  or reaches 1,000 hours in the fiscal year (Gov. Code 20305(a)(3)(B), same letter); `none`",
        "  otherwise. Simplification: the rule ignores that an existing CalPERS member stays one at",
        "  any hours, so the `none` share is an upper bound.",
        "  Note for pricing: `none` rows get no OASDI under the engine's default `oasdi_systems`;",
        "  part-time non-members in fact get OASDI or an alternative plan (METHODOLOGY section 3).",
        "- Health: `health_eligible` is left empty on hourly rows, so the engine's hours test",
        "  (4+ hours a day) decides; it is `true` on the salaried UTLA rows.",
        "- School codes: drawn over schools.csv in proportion to enrollment; bus drivers have none.",
        "",
        "## Regenerating",
        "",
        "`python scripts/generate_lausd_workforce.py` rewrites workforce.csv, schedules.csv, this",
        "file and the `history/` snapshots with their README. Change a constant at the top of the",
        "script (each is commented with its source or marked illustrative) and rerun; the tests",
        "then tell you which target moved.",
        "",
    ]
    return "\n".join(lines)


def _date(year: str) -> str:
    return f"June 30, {_start_year(year) + 1}"


def write_history_readme(b: Build, snaps: list[Snapshot]) -> str:
    f = b.facts
    by = {sn.year: sn for sn in snaps}
    first, second = by["2019-20"], by["2021-22"]
    sea_pre = next(c for c in SEIU_CLASSES if c.min_hours_after)
    raise_rows = [
        f"| {d} | {r:.0%} | {'2019-20' if d == UTLA_RAISES[0][0] else '2019-20, 2021-22'} | {src} |"
        for d, r, src in UTLA_RAISES
    ]
    lines = [
        "# LAUSD workforce history: 2019-20 and 2021-22 snapshots (synthetic)",
        "",
        "**Synthetic.** No row is an employee. These files are derived from the base-year",
        f"workforce (`../workforce.csv`, base year {BASE_YEAR}; how it is built and calibrated:",
        "`../workforce.md`) by the rules below, and written with it by",
        "`scripts/generate_lausd_workforce.py`. They hold the **same synthetic people**: the same",
        "rows in the same order, with the same classification, school code, count, FTE, pay",
        "basis, paid days, schedule and column as `../workforce.csv`; step, rate, hours and",
        "retirement follow the rules below. Formats: docs/engine.md.",
        "",
        "A workforce describes the pay rates in force at the **end of its base year** (June 30);",
        "steps move every July 1 after it, and a scenario must start in a later fiscal year.",
        "",
        "| files | base year | rates in force on | UTLA | SEIU Local 99 | prices, e.g. |",
        "|---|---|---|---|---|---|",
        f"| `workforce_2019-20.csv`, `schedules_2019-20.csv` | 2019-20 | {_date('2019-20')} | the 2019 agreement's tables, before the 5% of 2021-22 | pre-contract rates and hours, before the 2020-24 agreement (signed 2023) | the SEIU Local 99 2020-24 agreement, scenarios from 2020-21 |",
        f"| `workforce_2021-22.csv`, `schedules_2021-22.csv` | 2021-22 | {_date('2021-22')} | after the 5% of 2021-22, before the 2022-25 agreement | still pre-contract (see below) | the UTLA 2022-25 agreement, scenarios from 2022-23 |",
        "",
        "SEIU Local 99 in 2021-22: the 2023 agreement's first raises (6% retroactive to 7/1/2021,",
        "7% retroactive to 7/1/2022) were agreed and ratified in spring 2023 and paid afterwards",
        "as retroactive pay (METHODOLOGY 2, 'Retro'; Boyle Heights Beat 2023: $4,000-$8,000 per",
        "member), so the rates in force on June 30, 2022 were still the pre-contract rates. The",
        "6% dated 7/1/2021 falls inside the 2021-22 base year, so a scenario priced from this",
        "snapshot (starting 2022-23) cannot date it there: price the whole agreement from the",
        "2019-20 snapshot, or carry the 6% in a 7/1/2022 change plus a one-time retro payment.",
        "",
        "## UTLA: certificated tables deflated along the raise path",
        "",
        "Every raise between a snapshot's June 30 and June 30, 2025 (sources as compiled in",
        "/work/shared/domain/METHODOLOGY.md section 10.4, 'UTLA'):",
        "",
        "| effective | raise | removed from | source |",
        "|---|---|---|---|",
        *raise_rows,
        "",
        f"Factors: 2019-20 = 1.05 x 1.03 x 1.04 x 1.03 x 1.04 x 1.03 x 1.04 = {first.facts['factor']:.6f};",
        f"2021-22 = 1.03 x 1.04 x 1.03 x 1.04 x 1.03 x 1.04 = {second.facts['factor']:.6f} (UTLA's '22.9%",
        "compounded'). No UTLA raise took effect in 2019-20 or 2020-21 (L-table start $46,587 for",
        "2019-2021, lausd.org/page/4045 via METHODOLOGY 10.4).",
        "",
        "- Rule: historical T cell = base-year T cell / factor, rounded to the whole dollar, so",
        "  that base-year cell = historical cell x factor to within $1 in every cell (the tests",
        f"  check it). Lowest cell: ${first.facts['t_lowest']:,.0f} in 2019-20 (the L-table's",
        f"  $46,587 for 2019-2021 exactly) and ${second.facts['t_lowest']:,.0f} in 2021-22 (L table: $48,916,",
        "  LAUSD rounds after each raise; the base year was built from the rounded $50,384).",
        "- The flat additions did not exist before the 2022-25 agreement: the nurse table's",
        "  +$20,000 a step, +$3,000 for psychologists, PSWs, PSA counselors and other special",
        "  services, +$2,500 special education and +$1,500 early education (Fox LA / NBC LA",
        "  2023-04-18; METHODOLOGY 10.4; UTLA's 2023 FAQ: the special-education table starts after",
        "  the first year's increases). In both snapshots `T_SE`, `T_EE`, `NURSE` and `SPSVC`",
        "  therefore equal `T` cell for cell; the schedules and their rows are kept so that a",
        "  scenario can select them and add the amounts.",
        "",
        "## SEIU Local 99: pre-contract rates and hours",
        "",
        "- Cells: the pre-contract ranges of `../workforce.md` (illustrative 5-step ranges with",
        "  5% steps; step 1 from $16.91, the food-service rate cited by ABC7 and the Whittier Daily",
        "  News). They were in force on June 30, 2020 and on June 30, 2022: the 2020-24 agreement",
        "  (term 7/1/2020-6/30/2024) gives no raise for 2020-21; its raises are +6% retroactive to",
        "  7/1/2021, +7% retroactive to 7/1/2022, +7% from 7/1/2023, +$2.00/hour from 1/1/2024 and a",
        "  $22.52 minimum (K-12 Dive; LAist; EdSource 2023-03-24; METHODOLOGY 10.5).",
        "- Path check (tests): every base-year cell, hence every base-year SEIU row's rate, equals",
        "  max($22.52, pre-contract cell x 1.06 x 1.07 x 1.07 + $2.00) to the cent, cell by cell",
        "  (same schedule, column and step); $16.91 x 1.06 x 1.07 x 1.07 + $2.00 = $22.52 by",
        "  January 2024 (METHODOLOGY 2). No exception for rates.",
        f"- $16.91 workers: {first.facts['seiu_at_minimum']:,} in 2019-20 (program aides and cafeteria workers on",
        "  step 1), the lowest rate in both snapshots.",
        f"- Hours: pre-contract hours. {first.facts['hours_below_base']:,} {sea_pre.name.lower()}s work fewer",
        f"  than {sea_pre.min_hours_after:g} hours a day here and {sea_pre.min_hours_after:g} in the base year: the 2023 agreement's",
        "  7-hour guarantee (an hours change, not a rate change; its effective date is not in the",
        "  bundled sources: a scenario prices it as an `hours` proposal `set_hours` 7 on that",
        "  classification). Every other row keeps its hours.",
        "- Retirement recomputed by the rule of `../workforce.md` (at least 4 hours a day or 1,000",
        "  hours a year); it changes no row (the special education assistants work 6 or more hours",
        "  before the contract). `health_eligible` stays empty (the engine's hours test).",
        f"- Paid days unchanged ({f['school_days']} school-year, {FULL_YEAR_DAYS} for custodians): the solved",
        "  calendar of the base year is assumed for the earlier years.",
        "",
        "## Step rule",
        "",
        "With k = years between the snapshot and the base year (5 for 2019-20, 3 for 2021-22), a",
        "row at base-year step s on a schedule column whose top step is `top` sits at",
        "",
        "    step = s                 if s = top",
        "    step = max(1, s - k)     otherwise",
        "",
        "(one step lower per year back where below the top, never below step 1; the column, i.e.",
        "the UTLA salary-point group, is kept). This is the inverse of the engine's status quo",
        "(one step up every July 1 after the base year, docs/engine.md): projecting a snapshot k",
        "years gives back the base-year step exactly for every row at the top or with s - k >= 1.",
        "Rows below the top with s <= k (in reality mostly people hired after the snapshot year)",
        "are put on step 1 and the engine projects them to step min(1 + k, top), above s: they",
        "overstate the step-and-column cost of the interval. Approximations: a row at the top in",
        "the base year is assumed at the top k years earlier (understating movement), and the",
        "interval's hires, leavers and column changes are not modelled. Keeping the same placement",
        "instead would count k years of step movement twice when a scenario is projected from the",
        "snapshot.",
        "",
        "| share of employees | UTLA 2019-20 | UTLA 2021-22 | SEIU 99 2019-20 | SEIU 99 2021-22 |",
        "|---|---|---|---|---|",
        f"| at the top (kept) | {first.facts['utla_at_top']:.1%} | {second.facts['utla_at_top']:.1%} | {first.facts['seiu_at_top']:.1%} | {second.facts['seiu_at_top']:.1%} |",
        f"| moved back k steps (exact inverse) | {first.facts['utla_stepped_back']:.1%} | {second.facts['utla_stepped_back']:.1%} | {first.facts['seiu_stepped_back']:.1%} | {second.facts['seiu_stepped_back']:.1%} |",
        f"| put on step 1 (s <= k) | {first.facts['utla_clipped']:.1%} | {second.facts['utla_clipped']:.1%} | {first.facts['seiu_clipped']:.1%} | {second.facts['seiu_clipped']:.1%} |",
        f"| status-quo pay k years on vs pay at the base-year steps (snapshot rates) | {first.facts['utla_forward']:+.1%} | {second.facts['utla_forward']:+.1%} | {first.facts['seiu_forward']:+.1%} | {second.facts['seiu_forward']:+.1%} |",
        "",
        "The last row is the overstatement of the status quo's step-and-column movement when the",
        "engine projects a snapshot to the base year without turnover; largest for SEIU Local 99,",
        "whose 5-step ranges are shorter than the 5 years back to 2019-20 and whose base-year",
        f"placement puts {1 - first.facts['seiu_at_top']:.0%} below the top. The engine's turnover option (`tau`,",
        "docs/engine.md) moves the projection toward the base-year placement; a raise's cost",
        "depends on the placement only through the pay it applies to.",
        "",
        "## What the snapshots reach (reported, not targeted)",
        "",
        f"| measure | 2019-20 | 2021-22 | {BASE_YEAR} |",
        "|---|---|---|---|",
        f"| lowest T cell | ${first.facts['t_lowest']:,.0f} | ${second.facts['t_lowest']:,.0f} | ${T_START:,} |",
        f"| average teacher salary | ${first.facts['teacher_average_salary']:,.0f} | ${second.facts['teacher_average_salary']:,.0f} | ${b.calibration.set_index('measure').loc['teacher_average_salary', 'reached']:,.0f} |",
        f"| UTLA pay (before benefits) | ${first.facts['utla_payroll'] / 1e9:,.2f}B | ${second.facts['utla_payroll'] / 1e9:,.2f}B | ${measures(b.workforce, b.schedules)['utla_payroll'] / 1e9:,.2f}B |",
        f"| SEIU 99 average annual pay | ${first.facts['seiu_average_pay']:,.0f} | ${second.facts['seiu_average_pay']:,.0f} | ${b.calibration.set_index('measure').loc['seiu_average_pay', 'reached']:,.0f} |",
        f"| SEIU 99 pay (before benefits) | ${first.facts['seiu_payroll'] / 1e9:,.2f}B | ${second.facts['seiu_payroll'] / 1e9:,.2f}B | ${measures(b.workforce, b.schedules)['seiu_payroll'] / 1e9:,.2f}B |",
        f"| SEIU 99 lowest hourly rate | ${first.facts['seiu_min_rate']:,.2f} | ${second.facts['seiu_min_rate']:,.2f} | ${SEIU_MINIMUM:,.2f} |",
        f"| SEIU 99 mean hours a day | {first.facts['seiu_mean_hours']:.2f} | {second.facts['seiu_mean_hours']:.2f} | {measures(b.workforce, b.schedules)['seiu_mean_hours']:.2f} |",
        "",
        "Cross-checks: the 2019 average teacher salary was about $75,000 (LAUSD strike FAQ 2019,",
        f"METHODOLOGY 10.4) against ${first.facts['teacher_average_salary']:,.0f} here; SEIU Local 99 members averaged about",
        f"$25,000 before the contract (ABC7 / LAist 2023) against ${first.facts['seiu_average_pay']:,.0f} here (the pre-contract",
        f"calibration in `../workforce.md`, ${f['pre_avg']:,.0f}, uses the base-year placement).",
        "",
        "Regenerate with `python scripts/generate_lausd_workforce.py` (all LAUSD workforce files",
        "at once); `tests/test_lausd_data.py` checks that the snapshots validate, hold the same",
        "rows and counts as the base year, follow the SEIU path to the cent and the UTLA",
        "deflation to the dollar, and that the generator reproduces every file.",
        "",
    ]
    return "\n".join(lines)


def outputs(b: Build | None = None) -> dict[str, str]:
    """Every file the generator writes (path relative to data/lausd -> text)."""
    b = b or build()
    snaps = [history(b, y) for y in HISTORY]
    files = {
        "workforce.csv": b.workforce.to_csv(index=False),
        "schedules.csv": b.schedules.to_csv(index=False),
        "workforce.md": write_markdown(b),
    }
    for sn in snaps:
        files[f"history/workforce_{sn.year}.csv"] = sn.workforce.to_csv(index=False)
        files[f"history/schedules_{sn.year}.csv"] = sn.schedules.to_csv(index=False)
    files["history/README.md"] = write_history_readme(b, snaps)
    return files


def main() -> None:
    b = build()
    for name, text in outputs(b).items():
        path = DATA / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    cal = b.calibration
    print(cal[["measure", "target", "reached", "within"]].to_string(index=False))
    print(
        f"rows: {len(b.workforce):,}; employees: {int(b.workforce['count'].sum()):,}; "
        f"g = {b.facts['g']:.4%}; school-year days = {b.facts['school_days']}"
    )
    if not cal["within"].all():
        raise SystemExit(
            "calibration targets missed: " + ", ".join(cal.loc[~cal["within"], "measure"])
        )


if __name__ == "__main__":
    main()

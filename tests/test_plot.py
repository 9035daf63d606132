"""Figure functions: expected artists, titles, labels with units, source line, legends."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

from pathlib import Path

import pandas as pd
import pytest
from matplotlib.container import BarContainer

import costing as ct
import costing.plot as cp
from costing.proposals.health import health_drawdown
from costing.scenario_file import read_scenario

SCEN = Path(__file__).resolve().parents[1] / "data" / "scenarios"


def _title(fig) -> str:
    return fig._suptitle.get_text() if fig._suptitle is not None else ""


def _legend(fig) -> list[str]:
    for ax in fig.axes:
        if ax.get_legend() is not None:
            return [t.get_text() for t in ax.get_legend().get_texts()]
    return []


def _bars(ax) -> list[BarContainer]:
    return [c for c in ax.containers if isinstance(c, BarContainer)]


def _check(fig, title: str, ylabel_unit: str, legend: list[str] | None) -> None:
    assert title in _title(fig)
    ax = fig.axes[0]
    assert ylabel_unit in ax.get_ylabel() or ylabel_unit in ax.get_xlabel()
    assert ax.get_xlabel()
    src = [t.get_text() for t in fig.texts if t.get_text().startswith("Source: ")]
    assert len(src) == 1 and src[0].endswith("costing")
    if legend is not None:
        assert _legend(fig) == legend


@pytest.fixture(scope="module")
def small():
    d = ct.load_example()
    offer = ct.Scenario("District 2%", party="district", start="2025-26", years=2,
                        proposals=(ct.Raise(percent=0.02, effective="2025-07-01"),))
    demand = ct.Scenario("Union 6%", party="union", start="2025-26", years=2,
                         proposals=(ct.Raise(percent=0.06, effective="2025-07-01"),
                                    ct.Bonus(amount=500.0, fiscal_year="2025-26")))
    return d, offer, demand, ct.price([offer, demand], d)


@pytest.fixture(scope="module")
def lausd():
    scen = {p.stem: read_scenario(p) for p in SCEN.glob("*.toml")}
    return scen, ct.price_lausd(list(scen.values()))


def test_style_is_packaged_and_editable():
    assert cp.STYLE_PATH.is_file()
    with cp.style():
        assert matplotlib.rcParams["pdf.fonttype"] == 42
        assert matplotlib.rcParams["svg.fonttype"] == "none"
    assert "0072B2" in cp.STYLE_PATH.read_text()


def test_cost_by_year_small(small):
    _, offer, demand, res = small
    fig = cp.cost_by_year(res)
    _check(fig, "cost", "($ millions)", [offer.name, demand.name])
    assert len(_bars(fig.axes[0])) == 2
    assert [t.get_text() for t in fig.axes[0].get_xticklabels()] == ["2025-26", "2026-27"]


def test_cost_by_year_lausd(lausd):
    scen, res = lausd
    names = [scen["utla-2025-district-offer"].name, scen["utla-2025-win-our-future-demand"].name]
    fig = cp.cost_by_year(res, names)
    _check(fig, "cost", "($ millions)", names)
    assert len(_bars(fig.axes[0])) == 2
    with pytest.raises(ValueError, match="no scenario"):
        cp.cost_by_year(res, ["nope"])


def test_cost_by_component(small, lausd):
    _, _, demand, res = small
    fig = cp.cost_by_component(res, demand.name)
    _check(fig, demand.name, "($ millions)", None)
    labels = _legend(fig)
    assert "Salary" in labels and "Statutory benefits" in labels
    assert len(_bars(fig.axes[0])) == len(labels)
    scen, lres = lausd
    fig = cp.cost_by_component(lres, scen["utla-2025-win-our-future-demand"].name, include_step=True)
    assert "Step and column" in _legend(fig)


def test_waterfall(small, lausd):
    _, _, demand, res = small
    fig = cp.waterfall(res, demand.name, "2026-27")
    _check(fig, demand.name, "($ millions)", None)
    n_steps = len(fig.axes[0].get_xticks()) - 2
    assert [len(c) for c in _bars(fig.axes[0])] == [2, n_steps]
    scen, lres = lausd
    fig = cp.waterfall(lres, scen["utla-2025-win-our-future-demand"].name)
    assert "2027-28" in _title(fig)


def test_reserve_path_and_share(lausd):
    scen, res = lausd
    parties = {s.name: s.party for s in scen.values()}
    r = ct.project(costing=res)
    fig = cp.reserve_path(r, parties=parties)
    _check(fig, "Reserves", "($ billions)", [*r.scenario_names, "Legal minimum reserve"])
    assert len(fig.axes[0].get_lines()) >= len(r.scenario_names) + 1
    fig = cp.cost_share_of_reserves(r, parties=parties)
    names = list(dict.fromkeys(r.affordability["scenario"]))
    _check(fig, "afford", "(%)", names)
    assert "(years)" in fig.axes[1].get_ylabel()
    assert all(len(_bars(ax)) == len(names) for ax in fig.axes)


def test_projected_vs_actual():
    fig = cp.projected_vs_actual(ct.load_lausd())
    _check(fig, "projections", "($ billions)", ["District projection", "Actual"])
    assert [len(c) for c in _bars(fig.axes[0])] == [3, 3]
    h = pd.DataFrame({"made_in": ["2015-16"], "fiscal_year": ["2017-18"], "measure": ["unrestricted_ending_balance"],
                      "projected": [105e6], "actual": [1.863e9]})
    assert [len(c) for c in _bars(cp.projected_vs_actual(h).axes[0])] == [1, 1]


def test_health_drawdown(lausd):
    _, res = lausd
    frame = health_drawdown(res)
    fig = cp.health_drawdown(frame)
    names = list(dict.fromkeys(frame["scenario"]))
    _check(fig, "health", "($ millions)", [*names, "Reserve floor"])


@pytest.mark.parametrize("by, label", [("band", "Grade band"), ("role", "Role")])
def test_positions_added(lausd, by, label):
    _, res = lausd
    fig = cp.positions_added(res["2021-22"], by=by)
    _check(fig, "Positions added", "(FTE)", None)
    assert fig.axes[0].get_ylabel() == label
    legend = _legend(fig)
    assert "UTLA: class-size demand (2022)" in legend
    assert len(_bars(fig.axes[0])) == len(legend)
    with pytest.raises(ValueError, match="by must be"):
        cp.positions_added(res["2021-22"], by="school")


def test_member_pay_and_figures(small, lausd):
    d, offer, demand, _ = small
    row = d.workforce.iloc[0]
    kw = {"unit": row["unit"], "classification": row["classification"]}
    kw["salary" if row["pay_basis"] == "salary" else "hourly_rate"] = 50000.0 if row["pay_basis"] == "salary" else 20.0
    pay = cp.member_pay([offer, demand], d, **kw)
    base = pay.attrs["base_pay"]
    first = pay[(pay["scenario"] == offer.name) & (pay["fiscal_year"] == "2025-26")]
    assert first["pay"].iloc[0] == pytest.approx(base * 1.02)
    fig = cp.per_member(pay)
    _check(fig, "earns", "($)", None)
    legend = _legend(fig)
    assert [x for x in legend if x in (offer.name, demand.name)] == [offer.name, demand.name]
    assert any(x.startswith("Pay now") for x in legend) and f"{demand.name}: one-time" in legend
    scen, _ = lausd
    d22 = ct.load_lausd("2021-22")
    names = ["utla-2022-25-agreement", "utla-2022-district-counter"]
    pay = cp.member_pay([scen[n] for n in names], d22, unit="UTLA", classification="Teacher", salary=80000)
    fig = cp.raise_vs_inflation(pay)
    _check(fig, "inflation", "(2021-22 = 100)", None)
    legend = _legend(fig)
    assert legend[0].startswith("Prices (CPI-U Los Angeles)")
    assert [x.split(" (real pay")[0] for x in legend[1:]] == [scen[n].name for n in names]
    assert len(fig.axes[0].get_lines()) == 3


def test_cpi_fiscal_year():
    cpi = cp.cpi_fiscal_year()
    assert "2022-23" in cpi.index and "2026-27" not in cpi.index
    assert cpi["2023-24"] > cpi["2021-22"]


def test_save_writes_three_files(small, tmp_path):
    *_, res = small
    paths = cp.save(cp.cost_by_year(res), tmp_path / "sub" / "cost")
    assert [p.suffix for p in paths] == [".png", ".svg", ".pdf"]
    assert all(p.stat().st_size > 0 for p in paths)
    assert "<text" in paths[1].read_text()  # editable text, not paths


def test_result_accessors_draw_the_same_figures():
    import costing as ct

    lausd = ct.load_lausd()
    offer = ct.Scenario.from_toml(ct.data_dir() / "scenarios" / "utla-2025-district-offer.toml")
    result = ct.price(offer, lausd)
    fig = result.plot.compare()
    assert offer.name in [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert result.plot.components(offer.name).axes[0].get_title() or fig.texts
    reserves_fig = ct.project(lausd, result).plot()
    assert "minimum" in " ".join(t.get_text() for t in reserves_fig.axes[0].get_legend().get_texts()).lower()


def test_positions_by_target(lausd):
    _, res = lausd
    fig = cp.positions_by_target(res["2021-22"])
    _check(fig, "100 highest-need schools", "(FTE)", None)
    assert "($ millions)" in fig.axes[1].get_xlabel()
    assert _legend(fig) == ["100 highest-need schools", "All other schools", "District-wide (not school-based)"]
    ticks = [t.get_text().replace("\n", " ") for t in fig.axes[0].get_yticklabels()]
    assert "UTLA: class-size demand (2022)" in ticks
    assert all(len(_bars(ax)) == 3 for ax in fig.axes)
    assert any("% to the 100" in t.get_text() for t in fig.axes[0].texts)
    with pytest.raises(ValueError, match="no scenario adds positions"):
        cp.positions_by_target(res["2024-25"])


def test_reserve_composition():
    d = ct.load_lausd()
    fig = cp.reserve_composition(d)
    _check(fig, "reserves are made of", "($ billions)", None)
    legend = _legend(fig)
    assert legend[0].startswith("Nonspendable") and legend[-1] == "Unassigned" and len(legend) == 6
    assert [len(c) for c in _bars(fig.axes[0])] == [1] * 6
    assert any(t.get_text().startswith("Total $4.93") for t in fig.axes[0].texts)
    assert "2022-23" in fig.axes[0].get_xticklabels()[0].get_text()
    with pytest.raises(ValueError, match="no ending-balance components"):
        cp.reserve_composition(d.budget[d.budget["measure"] == "revenue"])


def test_pension_rates():
    d = ct.load_lausd()
    fig = cp.pension_rates(d.rates)
    _check(fig, "pensions", "(% of pay)", ["CalSTRS (teachers): actual", "CalSTRS (teachers): projected",
                                          "CalPERS Schools Pool (classified staff): actual",
                                          "CalPERS Schools Pool (classified staff): projected"])
    ticks = [t.get_text() for t in fig.axes[0].get_xticklabels()]
    assert ticks[0] == "2013-14" and "2029-30" in ticks
    assert any(line.get_linestyle() == "--" for line in fig.axes[0].get_lines())

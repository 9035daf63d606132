"""The ranked statewide chart: artists, title, units, source line, colours."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import pytest
from matplotlib.colors import to_hex

import costing as ct
from costing.plot.statewide import BELOW_COLOR, STAYS_COLOR, _short, ranked_districts
from costing.statewide import generate_statewide, load_statewide, price_statewide

DISTRICTS = ["600001", "600018", "601420", "601465", "601471", "601484"]


@pytest.fixture(scope="module")
def result(tmp_path_factory):
    out = tmp_path_factory.mktemp("statewide-plot")
    generate_statewide(out, districts=DISTRICTS, seed=7)
    s = ct.Scenario("TK-3 cap of 20", party="union", start="2025-26", years=3, proposals=(
        ct.ClassSize(name="TK-3 to 20", effective="2025-07-01", caps=(ct.Cap("TK-3", 20.0),),
                     current=(ct.Cap("TK-3", 27.0),)),
    ))
    return price_statewide(s, load_statewide(out), client="sync")


def _bars(fig):
    return [p for p in fig.axes[0].patches]


def test_ranked_per_student(result):
    fig = ranked_districts(result, top=4)
    ax = fig.axes[0]
    assert "TK-3 cap of 20: what it costs, district by district" in fig._suptitle.get_text()
    assert ax.get_xlabel() == "Cost per student, 2025-26 to 2027-28 ($ per student)"
    assert ax.get_ylabel() == "District (NCES id)"
    src = [t.get_text() for t in fig.texts if t.get_text().startswith("Source: ")]
    assert len(src) == 1 and "synthetic" in src[0] and src[0].endswith("costing")
    bars = _bars(fig)
    assert len(bars) == 4
    # largest at the top: bar widths are the four highest costs per student, in order
    per = result.cost_per_student().head(4)
    tops = sorted(bars, key=lambda b: -b.get_y())
    assert [b.get_width() for b in tops] == pytest.approx(per["total"].tolist())
    labels = [t.get_text() for t in sorted(ax.get_yticklabels(), key=lambda t: -t.get_position()[1])]
    assert labels == [f"{_short(n)} ({d})" for n, d in zip(per["district_name"], per["district"], strict=True)]
    # vermillion for the districts whose reserves fall below the minimum, blue otherwise
    below = set(result.below_minimum()["district"])
    for b, d in zip(tops, per["district"], strict=True):
        assert to_hex(b.get_facecolor()) == (BELOW_COLOR if d in below else STAYS_COLOR).lower()
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["Reserves fall below the legal minimum", "Reserves stay above the minimum"]


def test_ranked_total_in_millions(result):
    fig = result.plot(measure="total")
    ax = fig.axes[0]
    assert ax.get_xlabel() == "Cost over the status quo, 2025-26 to 2027-28 ($ millions)"
    widths = sorted((b.get_width() for b in _bars(fig)), reverse=True)
    by = result.cost_by_district()
    assert widths == pytest.approx((by["total"] / 1e6).tolist())


def test_bad_arguments(result):
    with pytest.raises(ValueError, match="measure"):
        ranked_districts(result, measure="mean")
    with pytest.raises(ValueError, match="top"):
        ranked_districts(result, top=0)
    with pytest.raises(ValueError, match="no scenario"):
        ranked_districts(result, scenario="nope")


def test_long_names_are_cut_for_the_tick_labels():
    # 40 characters at most: the first 39 ("PUC Early College Acad for Leaders and "), the
    # trailing space dropped, then an ellipsis: 38 + 1 characters
    name = "PUC Early College Acad for Leaders and Scholars (ECALS) DIST"
    assert _short(name) == "PUC Early College Acad for Leaders and\u2026"
    assert len(_short(name)) == 39 and _short("Kern High") == "Kern High"

"""The HTML report's charts: inline SVG with exact coordinates, bounded for any batch."""

import random
import re
import xml.etree.ElementTree as ET
from decimal import ROUND_HALF_UP, Decimal

from hypothesis import given
from hypothesis import strategies as st

from perfscore import audit, load, summarize
from perfscore.render._charts import (
    findings_bars,
    gap_histogram,
    grade_bars,
    nice_step,
    totals_scatter,
)
from perfscore.render._shape import check_title

SVG = "{http://www.w3.org/2000/svg}"
# Every coordinate and length: a whole number or one decimal, never a float's digits.
COORDINATE = re.compile(r'\b(?:x|y|x1|y1|x2|y2|cx|cy|width|height|r)="(-?\d+(?:\.\d)?)"')
ANY_COORDINATE = re.compile(r'\b(?:x|y|x1|y1|x2|y2|cx|cy|width|height|r)="([^"]*)"')


def parsed(svg):
    root = ET.fromstring(svg)  # noqa: S314 - our own output
    assert root.tag == f"{SVG}svg"
    assert ANY_COORDINATE.findall(svg) == COORDINATE.findall(svg)
    return root


def of_class(root, tag, css):
    return [element for element in root.iter(f"{SVG}{tag}") if element.get("class") == css]


def changji():
    tables = load("examples/changji-2023")
    return summarize((None, i, audit(t, profile="changji-2023")) for i, t in enumerate(tables))


def test_the_scatter_of_the_bundled_tables():
    """One dot per distinct pair of totals: 3 red (the mismatches), the rest on the line."""
    summary = changji()
    root = parsed(totals_scatter(summary.points))
    assert len(summary.points) == 8  # 16 printed totals, 8 distinct pairs
    differ = of_class(root, "circle", "differ")
    same = of_class(root, "circle", "same")
    assert (len(differ), len(same)) == (3, 5)
    tips = sorted(circle.find(f"{SVG}title").text for circle in differ)
    assert tips == ["算 100.00，印 90：1 张", "算 50.00，印 30：1 张", "算 90.00，印 100：1 张"]
    # The axes run 0 to 100 over 320 pixels from (64, 354): 50.00 across, 30 up.
    dot = next(c for c in differ if c.find(f"{SVG}title").text.startswith("算 50.00"))
    assert (dot.get("cx"), dot.get("cy")) == ("224.0", "258.0")
    # Six tables agree at 100: the largest dot.
    full = next(c for c in same if c.find(f"{SVG}title").text == "算 100.00，印 100：6 张")
    assert full.get("r") == "4"
    assert len(of_class(root, "line", "agree")) == 1
    assert len(of_class(root, "line", "grid")) == 22  # 11 ticks on each axis


def test_the_gap_histogram_of_the_bundled_tables():
    """Bins 1 point wide from -20 to +10: bars at -20, -10, 0 (13 tables) and +10."""
    root = parsed(gap_histogram(changji().points))
    bars = of_class(root, "rect", "bar")
    tips = [bar.find(f"{SVG}title").text for bar in bars]
    assert tips == [
        "差额 -20.5 至 -19.5：1 张",
        "差额 -10.5 至 -9.5：1 张",
        "差额 -0.5 至 0.5：13 张",
        "差额 9.5 至 10.5：1 张",
    ]
    heights = [Decimal(bar.get("height")) for bar in bars]
    # 13 of an axis up to 15, over 214 pixels, to a tenth of a pixel.
    assert heights[2] == (Decimal(214) * 13 / 15).quantize(Decimal("0.1"), ROUND_HALF_UP)
    texts = {text.text for text in root.iter(f"{SVG}text")}
    assert "差额：印刷总分 − 计算总分（每格 1 分）" in texts


def test_the_findings_bars_of_the_bundled_tables():
    """A row per id, labelled with its title, one stacked part per severity found."""
    summary = changji()
    titles = {check: check_title(check) for check, _ in summary.by_id}
    root = parsed(findings_bars(summary.by_id, titles))
    parts = of_class(root, "rect", "bar")
    assert len(parts) == sum(len(counts) for _, counts in summary.by_id) == 13
    assert parts[0].find(f"{SVG}title").text == "score-mismatch 得分与规则计算值不符：错误 4"
    labels = [t.text for t in root.iter(f"{SVG}text") if t.get("text-anchor") == "end"]
    assert labels[:2] == [
        "score-mismatch 得分与规则计算值不符",
        "unit-mismatch 指标值与实际完成值单位不一致",
    ]


def test_the_grade_bars_of_the_bundled_tables():
    """A bar per grade, the best first."""
    root = parsed(grade_bars(changji().grades))
    tips = [bar.find(f"{SVG}title").text for bar in of_class(root, "rect", "bar")]
    assert tips == ["优：表 8", "良：表 1", "中：表 2", "差：表 6"]


def test_charts_of_one_table():
    """One table gives one dot, one bar per chart."""
    tables = load("examples/changji-2023/02_wine-competition-2022.json")
    summary = summarize([(None, 0, audit(tables[0], profile="changji-2023"))])
    assert len(of_class(parsed(totals_scatter(summary.points)), "circle", "differ")) == 1
    assert len(of_class(parsed(gap_histogram(summary.points)), "rect", "bar")) == 1
    assert len(of_class(parsed(grade_bars(summary.grades)), "rect", "bar")) == 1


def test_charts_of_ten_thousand_tables_stay_small():
    """10,000 tables with distinct totals: at most 400 dots, 31 bins, a few kilobytes each."""
    rng = random.Random(2023)  # noqa: S311 - reproducible test data, no secret
    points = []
    for _ in range(10_000):
        computed = Decimal(rng.randrange(0, 10001)) / 100
        printed = min(computed + Decimal(rng.randrange(-500, 2001)) / 100, Decimal(100))
        points.append((computed, printed, 1))
    scatter = totals_scatter(points)
    dots = len(of_class(parsed(scatter), "circle", "differ")) + len(
        of_class(parsed(scatter), "circle", "same")
    )
    assert dots <= 400
    assert "≈" in scatter  # merged into cells
    histogram = gap_histogram(points)
    assert len(of_class(parsed(histogram), "rect", "bar")) <= 31
    assert len(scatter.encode()) < 100_000
    assert len(histogram.encode()) < 20_000


@given(
    st.lists(
        st.tuples(
            st.decimals(-(10**6), 10**6, places=2),
            st.decimals(-(10**6), 10**6, places=2),
            st.integers(1, 10**6),
        ),
        min_size=1,
        max_size=30,
    )
)
def test_charts_of_any_totals_are_well_formed(points):
    """Any totals (a total may be from -1,000,000 to 1,000,000) draw inside the plot."""
    for svg in (totals_scatter(points), gap_histogram(points)):
        root = parsed(svg)
        width = Decimal(root.get("width"))
        for element in root.iter():
            for name in ("x", "cx", "x1", "x2"):
                if element.get(name) is not None:
                    assert Decimal(0) <= Decimal(element.get(name)) <= width


def test_nice_steps():
    """Round steps: 1, 2 or 5 times a power of ten."""
    assert nice_step(Decimal(100), 10) == 10
    assert nice_step(Decimal(31), 30) == 2
    assert nice_step(Decimal("0.07"), 30) == Decimal("0.005")
    assert nice_step(Decimal(0), 10) == 1

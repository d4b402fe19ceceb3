import itertools
import math
import xml.etree.ElementTree as ET

import pytest

from advisor.reports import charts

SVG = "{http://www.w3.org/2000/svg}"
MONTHS = list(range(13))
CUMULATIVE = {
    "prompt_engineering": [300 + 40 * m for m in MONTHS],
    "rag": [2000 + 409 * m for m in MONTHS],
    "hybrid": [13600 + 685 * m for m in MONTHS],
    "fine_tuning": [11600 + 276 * m for m in MONTHS],
}
VOLUMES = [10 ** (2 + i / 4) for i in range(25)]
BY_VOLUME = {
    "prompt_engineering": [300 + 12 * 0.004 * v for v in VOLUMES],
    "rag": [2000 + 12 * (50 + 0.002 * v) for v in VOLUMES],
    "hybrid": [13600 + 12 * (150 + 0.0012 * v) for v in VOLUMES],
    "fine_tuning": [11600 + 12 * (100 + 0.0006 * v) for v in VOLUMES],
}


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def texts(root: ET.Element) -> list[str]:
    return ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]


def line_colours(root: ET.Element) -> dict[str, str]:
    """Dash pattern -> stroke colour of every drawn series line."""
    return {
        line.get("stroke-dasharray", ""): line.get("stroke") for line in root.iter(f"{SVG}polyline")
    }


def cumulative(**kwargs) -> ET.Element:
    return parse(charts.cumulative_cost_chart(MONTHS, CUMULATIVE, **kwargs))


def by_volume(**kwargs) -> ET.Element:
    kwargs.setdefault("break_even", 380_000)
    kwargs.setdefault("your_volume", 15_000)
    return parse(charts.volume_cost_chart(VOLUMES, BY_VOLUME, horizon_months=12, **kwargs))


def test_charts_are_images_with_a_title_and_a_description_for_screen_readers():
    for root in (cumulative(id_prefix="a"), by_volume(id_prefix="b")):
        assert root.get("role") == "img"
        title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
        assert title is not None and title.text
        assert desc is not None and desc.text
        assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"


def test_the_description_states_the_totals_and_the_break_even():
    desc = cumulative().find(f"{SVG}desc").text
    assert "After 12 months" in desc and "$6.9K" in desc
    desc = by_volume().find(f"{SVG}desc").text
    assert "380K calls a month" in desc and "15K calls a month" in desc


def test_axes_are_labelled_in_dollars():
    labels = texts(cumulative())
    assert "$0" in labels and "$20K" in labels
    assert "Months from start" in labels and "Spent so far" in labels


def test_each_approach_keeps_its_colour_and_dash_pattern_in_both_charts():
    expected = {s.dash: s.colour for s in charts.STYLES.values()}
    assert line_colours(cumulative()).items() >= expected.items()
    assert line_colours(by_volume()).items() >= expected.items()
    dashes = [s.dash for s in charts.STYLES.values()]
    assert len(set(dashes)) == len(dashes), "lines must stay apart in greyscale"


def _end_labels(root: ET.Element) -> list[tuple[str, float, float]]:
    """(text, x, y) of every label right of the plot area."""
    plot_right = charts.WIDTH - charts.MARGIN_RIGHT
    return [
        ("".join(t.itertext()), float(t.get("x")), float(t.get("y")))
        for t in root.iter(f"{SVG}text")
        if float(t.get("x")) > plot_right
    ]


@pytest.mark.parametrize("chart", [cumulative, by_volume])
def test_each_line_is_named_at_its_end_without_overlaps_and_the_recommended_one_marked(chart):
    ends = _end_labels(chart(highlight="rag", labels={"rag": "Retrieval (RAG)"}))
    names = [text for text, _, _ in ends]
    assert {"Retrieval (RAG)", "Prompting", "Hybrid", "Fine-tuning", "(recommended)"} <= set(names)
    ys = sorted(y for _, _, y in ends)
    assert all(b - a >= 12 for a, b in itertools.pairwise(ys)), "labels overlap"
    assert all(y <= charts.HEIGHT for y in ys)


def test_the_band_spans_the_recommended_approachs_low_and_high():
    low = [v * 0.5 for v in CUMULATIVE["rag"]]
    high = [v * 2 for v in CUMULATIVE["rag"]]
    root = cumulative(highlight="rag", band=(low, high))
    polygons = list(root.iter(f"{SVG}polygon"))
    assert len(polygons) == 1
    points = polygons[0].get("points").split()
    assert len(points) == 2 * len(MONTHS)
    # The y axis grows to hold the band's top.
    assert max(charts.nice_ticks(0, max(high))) <= 2 * max(high)
    assert charts.compact_usd(charts.nice_ticks(0, max(high))[-1]) in texts(root)


def test_the_tornado_puts_the_largest_swing_first_and_marks_a_changed_recommendation():
    rows = [
        charts.TornadoRow("Calls a month", "1.5M", "6M", 17_000, 40_000, None, "Retrieval"),
        charts.TornadoRow("Answer tokens", "225", "450", 21_000, 31_000),
    ]
    root = parse(charts.tornado_chart(rows, base_total=25_000, approach_label="Fine-tuning"))
    labels = texts(root)
    assert labels.index("Calls a month") < labels.index("Answer tokens")
    assert "6M → Retrieval" in labels and "450" in labels
    assert len(list(root.iter(f"{SVG}circle"))) == 1
    assert "Your answers: $25K" in labels
    desc = root.find(f"{SVG}desc").text
    assert "Calls a month: $17K to $40K" in desc


def test_the_volume_axis_is_logarithmic_with_round_ticks():
    labels = texts(by_volume())
    assert {"100", "1K", "10K", "100K", "1M", "10M", "100M"} <= set(labels)
    assert "Calls per month (log scale)" in labels


def test_break_even_and_your_volume_are_marked():
    labels = texts(by_volume())
    assert "Break-even: 380K/month" in labels
    assert "You: 15K/month" in labels
    assert by_volume().find(f"{SVG}circle") is not None


def test_a_missing_break_even_is_said_not_drawn():
    root = by_volume(break_even=None)
    assert not any(t.startswith("Break-even") for t in texts(root))
    assert "does not become cheaper" in root.find(f"{SVG}desc").text


def test_labels_are_escaped():
    svg = charts.cumulative_cost_chart(
        MONTHS, CUMULATIVE, labels={"rag": "<script>alert(1)</script>"}, id_prefix='x" onload="'
    )
    assert "<script>" not in svg and 'onload="' not in svg
    assert "&lt;script&gt;" in svg
    parse(svg)


def test_a_wide_cost_range_switches_the_money_axis_to_log():
    root = by_volume()
    labels = texts(root)
    assert "Total after 12 months (log scale)" in labels


def test_huge_and_zero_volumes_still_draw():
    root = parse(
        charts.volume_cost_chart(
            [1, 10, 100],
            {"rag": [0, 5e13, 7.2e13]},
            horizon_months=60,
            break_even=None,
            your_volume=0,
        )
    )
    assert "$80T" in texts(root)
    for line in root.iter(f"{SVG}polyline"):
        for pair in line.get("points").split():
            assert all(math.isfinite(float(v)) for v in pair.split(","))


@pytest.mark.parametrize(
    ("value", "text"),
    [(0, "$0"), (7.5, "$7.50"), (750, "$750"), (1500, "$1.5K"), (12000, "$12K"), (3e9, "$3B")],
)
def test_compact_dollars(value, text):
    assert charts.compact_usd(value) == text


def test_nice_ticks_cover_the_range_with_round_steps():
    assert charts.nice_ticks(0, 19_300) == [0, 5000, 10000, 15000, 20000]


def test_no_style_attributes_so_the_page_stays_csp_clean():
    for svg in (
        charts.cumulative_cost_chart(MONTHS, CUMULATIVE),
        charts.volume_cost_chart(VOLUMES, BY_VOLUME, horizon_months=12),
        charts.meter(3),
        charts.bar(78),
    ):
        assert "style=" not in svg and "<script" not in svg

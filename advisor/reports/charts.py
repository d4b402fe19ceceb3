"""Cost charts as SVG strings, drawn from numbers only.

Pure functions: numbers in, markup out. Every piece of text that reaches the SVG passes through
`escape`, so the strings are safe to mark safe once built here. The same SVG is shown on the
result page and embedded in the PDF, so styling uses SVG presentation attributes (fill, stroke,
stroke-dasharray) that both browsers and WeasyPrint understand; the page's stylesheet may refine
fonts but never needs to for the chart to read correctly.

Each approach keeps one colour and one dash pattern everywhere, so the lines stay apart when the
report is printed in greyscale.
"""

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape

WIDTH = 680
HEIGHT = 380
MARGIN_LEFT = 70
MARGIN_RIGHT = 132  # room for each line's label at its right end
MARGIN_TOP = 50
MARGIN_BOTTOM = 56
FONT = "Liberation Sans, Helvetica, Arial, sans-serif"
AXIS_COLOUR = "#5c636a"
GRID_COLOUR = "#dee2e6"
TEXT_COLOUR = "#212529"
MARKER_COLOUR = "#212529"
TEXT_WIDTH = 6.4  # average advance of a 12px sans-serif character, for layout


@dataclass(frozen=True)
class LineStyle:
    colour: str
    dash: str  # SVG stroke-dasharray; "" draws a solid line
    short_label: str


# Okabe-Ito colours (distinguishable with the common colour-vision deficiencies), each paired with
# its own dash pattern for greyscale print.
STYLES: dict[str, LineStyle] = {
    "prompt_engineering": LineStyle("#7a7a7a", "2 4", "Prompting"),
    "rag": LineStyle("#0072b2", "", "Retrieval (RAG)"),
    "hybrid": LineStyle("#009e73", "12 4 3 4", "Hybrid"),
    "fine_tuning": LineStyle("#d55e00", "8 5", "Fine-tuning"),
}
ORDER: tuple[str, ...] = tuple(STYLES)
# Darker shades of the line colours for text, at least 4.5:1 on white.
LABEL_COLOURS: dict[str, str] = {
    "prompt_engineering": "#595959",
    "rag": "#005a8c",
    "hybrid": "#00704f",
    "fine_tuning": "#a34700",
}


def style_for(approach: str) -> LineStyle:
    return STYLES.get(approach, LineStyle("#444444", "1 3", approach))


# ---------------------------------------------------------------------------------------------
# Number formatting for axes and labels


_MAGNITUDES = ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K"))


def compact_usd(value: float) -> str:
    """$0, $750, $1.5K, $12K, $1.2M, $3B: short enough for an axis tick."""
    sign = "-" if value < 0 else ""
    value = abs(value)
    for size, suffix in _MAGNITUDES:
        if value >= size:
            return f"{sign}${_trim(value / size)}{suffix}"
    if value >= 10 or value == 0:
        return f"{sign}${value:,.0f}"
    return f"{sign}${value:.2f}".replace(".00", "")


def compact_count(value: float) -> str:
    """1, 500, 10K, 1.5M, 2B."""
    for size, suffix in _MAGNITUDES:
        if value >= size:
            return f"{_trim(value / size)}{suffix}"
    return f"{value:,.0f}"


def _trim(number: float) -> str:
    text = f"{number:.1f}" if number < 10 else f"{number:,.0f}"
    return text.removesuffix(".0")


# ---------------------------------------------------------------------------------------------
# Scales


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values covering [low, high]: 0, 2,000, 4,000 ... rather than 0, 1,937 ..."""
    if high <= low:
        high = low + 1
    raw = (high - low) / max(count, 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    start = math.floor(low / step) * step
    ticks = []
    value = start
    while value < high + step * 0.999:
        ticks.append(round(value, 10))
        value += step
    return ticks


def log_ticks(low: float, high: float) -> list[float]:
    """Powers of ten covering [low, high] (both positive)."""
    first = math.floor(math.log10(low))
    last = math.ceil(math.log10(high))
    return [10.0**p for p in range(first, last + 1)]


@dataclass(frozen=True)
class Scale:
    low: float
    high: float
    start: float  # pixel for low
    end: float  # pixel for high
    log: bool = False

    def __call__(self, value: float) -> float:
        if self.log:
            value = max(value, self.low)
            fraction = (math.log10(value) - math.log10(self.low)) / (
                math.log10(self.high) - math.log10(self.low)
            )
        else:
            fraction = (value - self.low) / (self.high - self.low)
        return self.start + fraction * (self.end - self.start)


# ---------------------------------------------------------------------------------------------
# SVG building blocks


def _num(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def _text(
    x: float, y: float, content: str, *, anchor: str = "start", size: int = 12, **attrs
) -> str:
    attrs.setdefault("fill", TEXT_COLOUR)
    extra = "".join(f' {name.replace("_", "-")}="{escape(str(v))}"' for name, v in attrs.items())
    return (
        f'<text x="{_num(x)}" y="{_num(y)}" text-anchor="{anchor}" font-size="{size}"{extra}>'
        f"{escape(content)}</text>"
    )


def _polyline(points: Sequence[tuple[float, float]], style: LineStyle, width: float = 2.5) -> str:
    coords = " ".join(f"{_num(x)},{_num(y)}" for x, y in points)
    dash = f' stroke-dasharray="{style.dash}"' if style.dash else ""
    return (
        f'<polyline points="{coords}" fill="none" stroke="{style.colour}"'
        f' stroke-width="{width}" stroke-linejoin="round" stroke-linecap="butt"{dash}/>'
    )


def _open_svg(id_prefix: str, title: str, description: str) -> str:
    ident = escape(id_prefix)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {WIDTH} {HEIGHT}"'
        f' width="{WIDTH}" height="{HEIGHT}" role="img"'
        f' aria-labelledby="{ident}-title {ident}-desc" font-family="{FONT}">'
        f'<title id="{ident}-title">{escape(title)}</title>'
        f'<desc id="{ident}-desc">{escape(description)}</desc>'
        f'<rect x="0" y="0" width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/>'
    )


def _frame(x: Scale, y: Scale) -> str:
    return (
        f'<line x1="{_num(x.start)}" y1="{_num(y.start)}" x2="{_num(x.end)}" y2="{_num(y.start)}"'
        f' stroke="{AXIS_COLOUR}" stroke-width="1"/>'
        f'<line x1="{_num(x.start)}" y1="{_num(y.start)}" x2="{_num(x.start)}" y2="{_num(y.end)}"'
        f' stroke="{AXIS_COLOUR}" stroke-width="1"/>'
    )


def _y_axis(y: Scale, x: Scale, ticks: Sequence[float], label: str) -> str:
    parts = []
    for tick in ticks:
        py = y(tick)
        parts.append(
            f'<line x1="{_num(x.start)}" y1="{_num(py)}" x2="{_num(x.end)}" y2="{_num(py)}"'
            f' stroke="{GRID_COLOUR}" stroke-width="1"/>'
        )
        parts.append(_text(x.start - 8, py + 4, compact_usd(tick), anchor="end", size=12))
    parts.append(_text(x.start - 60, 16, label, size=12, font_weight="bold"))
    return "".join(parts)


def _x_axis(x: Scale, y: Scale, ticks: Sequence[tuple[float, str]], label: str) -> str:
    parts = []
    for value, text in ticks:
        px = x(value)
        parts.append(
            f'<line x1="{_num(px)}" y1="{_num(y.start)}" x2="{_num(px)}" y2="{_num(y.start + 5)}"'
            f' stroke="{AXIS_COLOUR}" stroke-width="1"/>'
        )
        parts.append(_text(px, y.start + 19, text, anchor="middle", size=12))
    centre = (x.start + x.end) / 2
    parts.append(_text(centre, y.start + 38, label, anchor="middle", size=12, font_weight="bold"))
    return "".join(parts)


def _end_labels(
    ends: Sequence[tuple[str, float]], labels: Mapping[str, str], highlight: str | None
) -> str:
    """Each line named at its right end (no legend to look up), in the line's colour; labels
    that would overlap are pushed apart vertically, keeping their order."""
    placed: list[tuple[str, float]] = []
    bottom = 0.0  # where the previous label's last line ends
    for approach, py in sorted(ends, key=lambda e: e[1]):
        py = max(py, bottom + 13) if placed else py
        placed.append((approach, py))
        bottom = py + (13 if approach == highlight else 0)
    overflow = bottom - (HEIGHT - MARGIN_BOTTOM + 4) if placed else 0
    if overflow > 0:
        placed = [(a, py - overflow) for a, py in placed]
    parts = []
    left = WIDTH - MARGIN_RIGHT + 6
    for approach, py in placed:
        name = labels.get(approach, style_for(approach).short_label)
        colour = LABEL_COLOURS.get(approach, TEXT_COLOUR)
        if approach == highlight:
            parts.append(_text(left, py + 4, name, size=11, fill=colour, font_weight="bold"))
            parts.append(_text(left, py + 17, "(recommended)", size=10, fill=TEXT_COLOUR))
        else:
            parts.append(_text(left, py + 4, name, size=11, fill=colour))
    return "".join(parts)


def _band(xs: Sequence[float], low: Sequence[float], high: Sequence[float], colour: str) -> str:
    """The plausible range of one line, as a translucent area between its low and high."""
    top = [f"{_num(x)},{_num(y)}" for x, y in zip(xs, high, strict=False)]
    bottom = [f"{_num(x)},{_num(y)}" for x, y in zip(reversed(xs), reversed(low), strict=False)]
    return (
        f'<polygon points="{" ".join(top + bottom)}" fill="{colour}" fill-opacity="0.14"'
        f' stroke="none"/>'
    )


def _domain(series: Mapping[str, Sequence[float]]) -> tuple[float, float]:
    values = [v for line in series.values() for v in line if v is not None and math.isfinite(v)]
    if not values:
        return 0.0, 1.0
    return min(0.0, min(values)), max(values)


def _money_axis(series: Mapping[str, Sequence[float]]) -> tuple[Scale, list[float]]:
    """A linear dollar axis from zero, or a log one when the lines span more than two orders of
    magnitude (otherwise the cheap options flatten onto the zero line)."""
    low, high = _domain(series)
    positive = [v for line in series.values() for v in line if v and v > 0]
    if positive and high / min(positive) > 300:
        ticks = log_ticks(min(positive), high)
        if len(ticks) <= 4:
            ticks = sorted({t * m for t in ticks for m in (1, 2, 5) if t * m <= ticks[-1]})
        scale = Scale(ticks[0], ticks[-1], HEIGHT - MARGIN_BOTTOM, MARGIN_TOP, log=True)
        return scale, ticks
    ticks = nice_ticks(low, high)
    return Scale(ticks[0], ticks[-1], HEIGHT - MARGIN_BOTTOM, MARGIN_TOP), ticks


def _interpolate_log(xs: Sequence[float], ys: Sequence[float], at: float) -> float | None:
    """Value of a line plotted on a log x axis at `at` (None outside the data)."""
    for (x0, y0), (x1, y1) in itertools.pairwise(zip(xs, ys, strict=False)):
        if x0 <= at <= x1 and x0 > 0:
            if x1 == x0:
                return y0
            t = (math.log10(at) - math.log10(x0)) / (math.log10(x1) - math.log10(x0))
            return y0 + t * (y1 - y0)
    return None


# ---------------------------------------------------------------------------------------------
# The charts


def cumulative_cost_chart(
    months: Sequence[float],
    series: Mapping[str, Sequence[float]],
    *,
    labels: Mapping[str, str] | None = None,
    highlight: str | None = None,
    id_prefix: str = "cumulative",
    band: tuple[Sequence[float], Sequence[float]] | None = None,
) -> str:
    """Money spent so far, month by month, one line per approach; `band` is the plausible low
    and high of the highlighted approach, drawn behind the lines."""
    labels = labels or {}
    approaches = [a for a in ORDER if a in series] + [a for a in series if a not in STYLES]
    last = months[-1] if months else 1
    low, high = _domain({**series, **({"band": band[1]} if band else {})})
    y_ticks = nice_ticks(low, high)
    x = Scale(months[0] if months else 0, last, MARGIN_LEFT, WIDTH - MARGIN_RIGHT)
    y = Scale(y_ticks[0], y_ticks[-1], HEIGHT - MARGIN_BOTTOM, MARGIN_TOP)
    step = max(1, math.ceil(last / 12))
    x_ticks = [(m, f"{m:g}") for m in range(int(x.low), int(last) + 1) if m % step == 0]

    endings = ", ".join(
        f"{labels.get(a, style_for(a).short_label)} {compact_usd(series[a][-1])}"
        for a in approaches
        if series[a]
    )
    parts = [
        _open_svg(
            id_prefix,
            "Cumulative cost by approach",
            f"Total spent from the start to month {last:g}, per approach. "
            f"After {last:g} months: {endings}.",
        ),
        _y_axis(y, x, y_ticks, "Spent so far"),
        _x_axis(x, y, x_ticks, "Months from start"),
        _frame(x, y),
    ]
    if band and highlight:
        xs = [x(m) for m in months]
        parts.append(
            _band(xs, [y(v) for v in band[0]], [y(v) for v in band[1]], style_for(highlight).colour)
        )
    # Draw the recommended approach last so it sits on top.
    ends = []
    for approach in sorted(approaches, key=lambda a: a == highlight):
        points = [(x(m), y(v)) for m, v in zip(months, series[approach], strict=False)]
        width = 3.5 if approach == highlight else 2.5
        parts.append(_polyline(points, style_for(approach), width=width))
        if points:
            ends.append((approach, points[-1][1]))
    parts.append(_end_labels(ends, labels, highlight))
    parts.append("</svg>")
    return "".join(parts)


def volume_cost_chart(
    monthly_queries: Sequence[float],
    series: Mapping[str, Sequence[float]],
    *,
    horizon_months: int,
    break_even: float | None = None,
    your_volume: float | None = None,
    labels: Mapping[str, str] | None = None,
    highlight: str | None = None,
    id_prefix: str = "volume",
) -> str:
    """Total cost at the horizon against monthly volume (log scale), with the break-even volume
    and the founder's own volume marked."""
    labels = labels or {}
    approaches = [a for a in ORDER if a in series] + [a for a in series if a not in STYLES]
    volumes = [max(v, 1.0) for v in monthly_queries] or [1.0, 10.0]
    y, y_ticks = _money_axis(series)
    x = Scale(volumes[0], volumes[-1], MARGIN_LEFT, WIDTH - MARGIN_RIGHT, log=True)
    x_ticks = [(t, compact_count(t)) for t in log_ticks(volumes[0], volumes[-1])]
    x_ticks = [(t, s) for t, s in x_ticks if volumes[0] <= t <= volumes[-1]]

    facts = []
    if break_even is not None:
        facts.append(
            f"Fine-tuning becomes cheaper than retrieval above {compact_count(break_even)} "
            "calls a month."
        )
    else:
        facts.append("Fine-tuning does not become cheaper than retrieval in this range.")
    if your_volume is not None:
        facts.append(f"Your expected volume is {compact_count(your_volume)} calls a month.")
    parts = [
        _open_svg(
            id_prefix,
            f"Total cost over {horizon_months} months by monthly volume",
            f"Total cost after {horizon_months} months for monthly volumes from "
            f"{compact_count(volumes[0])} to {compact_count(volumes[-1])} calls, "
            f"on a logarithmic scale. {' '.join(facts)}",
        ),
        _y_axis(
            y,
            x,
            y_ticks,
            f"Total after {horizon_months} months" + (" (log scale)" if y.log else ""),
        ),
        _x_axis(x, y, x_ticks, "Calls per month (log scale)"),
        _frame(x, y),
    ]
    ends = []
    for approach in sorted(approaches, key=lambda a: a == highlight):
        points = [(x(v), y(c)) for v, c in zip(volumes, series[approach], strict=False)]
        width = 3.5 if approach == highlight else 2.5
        parts.append(_polyline(points, style_for(approach), width=width))
        if points:
            ends.append((approach, points[-1][1]))

    markers = []
    if break_even is not None and volumes[0] <= break_even <= volumes[-1]:
        cost = _interpolate_log(volumes, series.get("rag", []), break_even)
        markers.append(
            ("Break-even: " + compact_count(break_even) + "/month", break_even, cost, "4 3")
        )
    if your_volume is not None and volumes[0] <= max(your_volume, 1) <= volumes[-1]:
        markers.append(("You: " + compact_count(your_volume) + "/month", your_volume, None, ""))
    parts.append(_markers(markers, x, y))
    parts.append(_end_labels(ends, labels, highlight))
    parts.append("</svg>")
    return "".join(parts)


def _markers(markers: Sequence[tuple[str, float, float | None, str]], x: Scale, y: Scale) -> str:
    """Vertical reference lines with a label above the plot; labels that would collide are
    staggered, and labels near the right edge are anchored to the end."""
    parts = []
    placed: list[tuple[float, float, int]] = []
    for label, value, cost, dash in sorted(markers, key=lambda m: m[1]):
        px = x(max(value, x.low))
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(
            f'<line x1="{_num(px)}" y1="{_num(y.start)}" x2="{_num(px)}" y2="{_num(y.end - 4)}"'
            f' stroke="{MARKER_COLOUR}" stroke-width="1.5"{dash_attr}/>'
        )
        if cost is not None:
            parts.append(
                f'<circle cx="{_num(px)}" cy="{_num(y(cost))}" r="5" fill="#ffffff"'
                f' stroke="{MARKER_COLOUR}" stroke-width="2"/>'
            )
        width = len(label) * TEXT_WIDTH + 6
        left = min(max(px - width / 2, 4), WIDTH - 4 - width)
        anchor_x = left + width / 2
        row = 0
        while any(r == row and left < right and other < left + width for other, right, r in placed):
            row += 1
        placed.append((left, left + width, row))
        parts.append(
            _text(
                anchor_x, y.end - 8 - 15 * row, label, anchor="middle", size=12, font_weight="bold"
            )
        )
    return "".join(parts)


def meter(level: int, maximum: int = 5, *, colour: str = "#343a40") -> str:
    """A row of `maximum` small blocks with `level` filled: a strength gauge beside its words.
    Decorative (aria-hidden): the words next to it carry the meaning."""
    level = max(0, min(level, maximum))
    blocks = []
    for index in range(maximum):
        fill = colour if index < level else "#dee2e6"
        blocks.append(f'<rect x="{index * 12}" y="0" width="10" height="10" rx="2" fill="{fill}"/>')
    width = maximum * 12 - 2
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="meter" viewBox="0 0 {width} 10"'
        f' width="{width}" height="10" aria-hidden="true" focusable="false">'
        f"{''.join(blocks)}</svg>"
    )


def bar(percent: float, *, colour: str = "#0b5ed7", width: int = 160) -> str:
    """A horizontal bar filled to `percent`; decorative like `meter`."""
    filled = max(0.0, min(100.0, percent)) / 100 * width
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="bar" viewBox="0 0 {width} 10"'
        f' width="{width}" height="10" preserveAspectRatio="none" aria-hidden="true"'
        f' focusable="false">'
        f'<rect x="0" y="0" width="{width}" height="10" rx="5" fill="#dee2e6"/>'
        f'<rect x="0" y="0" width="{_num(filled)}" height="10" rx="5" fill="{colour}"/></svg>'
    )


@dataclass(frozen=True)
class TornadoRow:
    label: str  # the input, as the founder would name it
    low_text: str  # the input's low value, e.g. "1.5M calls"
    high_text: str
    total_low: float  # the recommended option's total with the input at its low value
    total_high: float
    flips_at_low: str | None = None  # the approach recommended instead at the low value, if any
    flips_at_high: str | None = None


def tornado_chart(
    rows: Sequence[TornadoRow],
    *,
    base_total: float,
    approach_label: str,
    id_prefix: str = "tornado",
) -> str:
    """What moves the recommended option's total most: one bar per input, from its total at the
    input's low value to its total at the high value, largest swing on top, around the total
    at your answers. A bar end where the recommendation itself would change is marked."""
    label_width = 190
    row_height = 34
    top = 52
    height = top + row_height * max(len(rows), 1) + 44
    values = [base_total] + [v for r in rows for v in (r.total_low, r.total_high)]
    ticks = nice_ticks(min(0.0, min(values)), max(values))
    x = Scale(ticks[0], ticks[-1], label_width, WIDTH - 150)
    description = "; ".join(
        f"{r.label}: {compact_usd(min(r.total_low, r.total_high))} to "
        f"{compact_usd(max(r.total_low, r.total_high))}"
        for r in rows
    )
    ident = escape(id_prefix)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {WIDTH} {height}"'
        f' width="{WIDTH}" height="{height}" role="img"'
        f' aria-labelledby="{ident}-title {ident}-desc" font-family="{FONT}">'
        f'<title id="{ident}-title">What moves the cost of {escape(approach_label)} most</title>'
        f'<desc id="{ident}-desc">Total with each input at the low and high end of its range. '
        f"{escape(description)}.</desc>"
        f'<rect x="0" y="0" width="{WIDTH}" height="{height}" fill="#ffffff"/>',
        _text(label_width, 16, f"Total for {approach_label} if…", size=12, font_weight="bold"),
    ]
    axis_y = top + row_height * len(rows) + 6
    for tick in ticks:
        px = x(tick)
        parts.append(
            f'<line x1="{_num(px)}" y1="{top - 6}" x2="{_num(px)}" y2="{_num(axis_y)}"'
            f' stroke="{GRID_COLOUR}" stroke-width="1"/>'
        )
        parts.append(_text(px, axis_y + 16, compact_usd(tick), anchor="middle", size=11))
    for index, r in enumerate(rows):
        y0 = top + row_height * index
        lo, hi = sorted((r.total_low, r.total_high))
        parts.append(_text(label_width - 8, y0 + 16, r.label, anchor="end", size=12))
        parts.append(
            f'<rect x="{_num(x(lo))}" y="{y0 + 5}" width="{_num(max(x(hi) - x(lo), 1.5))}"'
            f' height="16" fill="#0b5ed7" fill-opacity="0.75"/>'
        )
        for total, text, flips in (
            (r.total_low, r.low_text, r.flips_at_low),
            (r.total_high, r.high_text, r.flips_at_high),
        ):
            right = total >= (lo + hi) / 2 and total == hi
            px = x(total)
            words = text + (f" → {flips}" if flips else "")
            parts.append(
                _text(
                    px + (6 if right else -6),
                    y0 + 17,
                    words,
                    anchor="start" if right else "end",
                    size=10,
                    **({"font_weight": "bold"} if flips else {}),
                )
                if right or px - 6 - len(words) * 5.5 > label_width
                else _text(px + 6, y0 + 31, words, size=10)
            )
            if flips:
                parts.append(
                    f'<circle cx="{_num(px)}" cy="{y0 + 13}" r="4" fill="#ffffff"'
                    f' stroke="{MARKER_COLOUR}" stroke-width="2"/>'
                )
    base_x = x(base_total)
    parts.append(
        f'<line x1="{_num(base_x)}" y1="{top - 8}" x2="{_num(base_x)}" y2="{_num(axis_y)}"'
        f' stroke="{MARKER_COLOUR}" stroke-width="1.5" stroke-dasharray="4 3"/>'
    )
    parts.append(
        _text(
            base_x, top - 12, f"Your answers: {compact_usd(base_total)}", anchor="middle", size=11
        )
    )
    parts.append("</svg>")
    return "".join(parts)

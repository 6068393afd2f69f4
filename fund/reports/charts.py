"""Horizontal bar charts as inline SVG, server-rendered (no JavaScript).

Each chart is a list of bars; the template draws the SVG (``role="img"`` with a title) and
always a data table next to it, so screen-reader users get the numbers, not a picture.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

WIDTH = 640
LABEL_WIDTH = 200
BAR_HEIGHT = 22
GAP = 8


@dataclass(frozen=True)
class Segment:
    value: Decimal
    css_class: str
    x: int
    width: int


@dataclass(frozen=True)
class Bar:
    label: str
    value_text: str
    y: int
    segments: list[Segment]


# Labels are drawn at 13 px; about 7 px a character keeps the longest one whole.
CHAR_WIDTH = 7
MAX_LABEL_WIDTH = 380


@dataclass(frozen=True)
class Chart:
    title: str
    bars: list[Bar]
    width: int = WIDTH
    label_width: int = LABEL_WIDTH
    bar_height: int = BAR_HEIGHT

    @property
    def height(self) -> int:
        return len(self.bars) * (BAR_HEIGHT + GAP) + GAP


def bar_chart(title: str, items: list[tuple[str, list[tuple[Decimal | int, str]], str]],
              scale_max: Decimal | int | None = None) -> Chart:
    """``items``: (label, [(value, css class), ...] stacked, value text). The label column is as
    wide as the longest label needs (the SVG scales to the page), so no label is cut off."""
    label_width = max(LABEL_WIDTH, min(MAX_LABEL_WIDTH, CHAR_WIDTH * max((len(i[0]) for i in items), default=0) + 12))
    width = WIDTH - LABEL_WIDTH + label_width
    room = width - label_width - 90
    top = scale_max if scale_max is not None else max(
        (sum((Decimal(v) for v, _ in segs), Decimal(0)) for _, segs, _ in items), default=Decimal(0))
    top = Decimal(top) or Decimal(1)
    bars = []
    for i, (label, segs, text) in enumerate(items):
        x = label_width
        segments = []
        for value, css in segs:
            w = int(Decimal(value) * room / top) if value else 0
            segments.append(Segment(Decimal(value), css, x, max(w, 0)))
            x += max(w, 0)
        bars.append(Bar(label, text, GAP + i * (BAR_HEIGHT + GAP), segments))
    return Chart(title, bars, width=width, label_width=label_width)

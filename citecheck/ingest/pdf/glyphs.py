"""What the layout and the rendering share: printed characters and the lines made of them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Glyph:
    """One printed character, in points from the page's top-left corner."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    bold: bool


@dataclass
class Line:
    """One printed line: its glyphs (left to right) and where it sits."""

    chars: list[Glyph]
    page: int
    top: float
    bottom: float
    size: float  # the font size most of its glyphs have
    bold: bool
    column: str  # "L", "R" or "S" (spanning / single column)
    text: str = ""
    blank_before: bool = False
    furniture: str | None = None  # a margin row's text, numbers aside: maybe a running header

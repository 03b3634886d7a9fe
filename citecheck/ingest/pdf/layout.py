"""Laying a page's glyphs out into lines in reading order.

Rows are glyphs of one size on one baseline; superscripts and subscripts are then given to the
line they sit in, a column gutter is found from the strip consecutive rows leave empty, and
each row is split at it. Margin rows keep a key (their text, numbers aside) so running headers
and footers that recur across pages can be dropped once all pages are read.
"""

from __future__ import annotations

import itertools
import re
import statistics
from collections.abc import Sequence

from pdfminer.layout import LTChar

from citecheck.ingest.pdf.glyphs import Glyph, Line


def page_lines(
    chars: list[LTChar], page: int, width: float, height: float
) -> tuple[list[Line], int]:
    """The page's lines in reading order: full-width lines in place, columns left then right."""
    glyphs: list[Glyph] = []
    unmapped = 0
    for c in chars:
        text = c.get_text()
        if text.startswith("(cid:"):
            unmapped += 1
        elif (
            text.strip()
            and c.upright
            and 0 < c.size < height
            and -1 <= c.x0 <= c.x1 <= width + 1
            and -1 <= c.y0 <= c.y1 <= height + 1
        ):  # visible glyphs only: a damaged file may put some anywhere
            glyphs.append(
                Glyph(
                    text=text,
                    x0=c.x0,
                    x1=c.x1,
                    top=height - c.y1,
                    bottom=height - c.y0,
                    size=c.size,
                    bold="bold" in str(c.fontname).lower(),
                )
            )
    if not glyphs:
        return [], unmapped
    rows = _merge_small(_rows(glyphs))
    gutter = _gutter(rows)
    lines: list[Line] = []
    block: list[Line] = []

    def flush() -> None:
        lines.extend(sorted(block, key=lambda ln: (ln.column != "L", ln.top)))
        block.clear()

    ordered = sorted(rows, key=lambda r: min(c.top for c in r))
    edge = 0.1 * height
    for i, row in enumerate(ordered):
        # a running header or footer: one of the page's outermost rows, in the margin
        outer = i < 3 and min(c.top for c in row) < edge
        outer = outer or (i >= len(ordered) - 3 and max(c.bottom for c in row) > height - edge)
        key = _furniture_key(row) if outer else None
        parts = _split(row, gutter) if gutter is not None else None
        if parts is None:
            flush()
            lines.append(_line(row, page, "S", key))
        else:
            left, right = parts
            block.extend(
                _line(part, page, side, key) for side, part in (("L", left), ("R", right)) if part
            )
    flush()
    _mark_paragraphs(lines)
    return lines, unmapped


def _rows(glyphs: list[Glyph]) -> list[list[Glyph]]:
    """Glyphs of one size on one baseline (their bottoms agree to a quarter of their size).
    A superscript thus gets a row of its own, even when another column's line sits level
    with it; ``_merge_small`` then gives it to its line."""
    rows: list[list[Glyph]] = []
    open_rows: list[tuple[float, float, int]] = []  # (bottom, size, index into rows)
    for c in sorted(glyphs, key=lambda g: (g.bottom, g.x0)):
        size = c.size
        open_rows = [o for o in open_rows if c.bottom - o[0] <= 0.25 * o[1]]
        for _, row_size, index in open_rows:
            if 0.87 <= size / row_size <= 1.15:
                rows[index].append(c)
                break
        else:
            open_rows.append((c.bottom, size, len(rows)))
            rows.append([c])
    return rows


def _size(row: Sequence[Glyph]) -> float:
    return float(statistics.median_high(round(c.size, 1) for c in row))


def _merge_small(rows: list[list[Glyph]]) -> list[list[Glyph]]:
    """Superscripts and subscripts sit on their own baseline: give each to the line it is in."""
    spans = [(min(c.top for c in r), max(c.bottom for c in r), _size(r)) for r in rows]
    extents = [(min(c.x0 for c in r), max(c.x1 for c in r)) for r in rows]
    keep: list[list[Glyph]] = [[] for _ in rows]
    for i, row in enumerate(rows):
        top, bottom, size = spans[i]
        hosts = [
            j
            for j in range(max(0, i - 3), min(len(rows), i + 4))
            if j != i
            and spans[j][2] >= 1.15 * size
            and min(bottom, spans[j][1]) - max(top, spans[j][0]) >= 0.4 * (bottom - top)
        ]
        for c in row:
            near = [(max(0.0, extents[j][0] - c.x1, c.x0 - extents[j][1]), j) for j in hosts]
            distance, host = min(near, default=(0.0, i))
            keep[host if distance <= 3 * spans[host][2] else i].append(c)
    return [r for r in keep if r]


def _runs(row: Sequence[Glyph]) -> list[tuple[float, float]]:
    """Horizontal stretches of text in a row, split where the gap is wider than an em."""
    out: list[tuple[float, float]] = []
    for c in sorted(row, key=lambda g: g.x0):
        if out and c.x0 - out[-1][1] <= c.size:
            out[-1] = (out[-1][0], max(out[-1][1], c.x1))
        else:
            out.append((c.x0, c.x1))
    return out


def _gutter(rows: list[list[Glyph]]) -> float | None:
    """The x of a column gutter: a vertical strip in the middle of the text that runs of
    consecutive rows leave empty, with text on both sides of it. Lines across the page
    (title, abstract, a wide table) interrupt the runs but do not hide the gutter; a
    one-column page has no such strip, its short last lines of paragraphs never make a run."""
    if len(rows) < 6:
        return None
    left = min(c.x0 for r in rows for c in r)
    right = max(c.x1 for r in rows for c in r)
    if right - left < 100:
        return None
    ordered = sorted(rows, key=lambda r: min(c.top for c in r))
    runs = [_runs(r) for r in ordered]
    scores: dict[int, int] = {}
    step = max(1, int((right - left) / 250))  # a point, or coarser on a huge page
    for x in range(int(left + 0.3 * (right - left)), int(left + 0.7 * (right - left)) + 1, step):
        in_runs = lefts = rights = 0
        streak: list[list[tuple[float, float]]] = []
        for rr in [*runs, [(x - 1.0, x + 1.0)]]:  # a sentinel that covers x ends the last run
            if any(a < x < b for a, b in rr):
                if len(streak) >= 4:
                    in_runs += len(streak)
                    lefts += sum(1 for s in streak if any(b <= x for _, b in s))
                    rights += sum(1 for s in streak if any(a >= x for a, _ in s))
                streak = []
            else:
                streak.append(rr)
        if min(lefts, rights) >= 3:
            scores[x] = in_runs
    if not scores:
        return None
    # the strip most rows leave empty (not a river of wide word spaces in one column)
    peak = max(scores, key=lambda x: scores[x])
    if scores[peak] < max(6, 0.3 * len(rows)):
        return None
    good = {x for x, n in scores.items() if n >= 0.9 * scores[peak]}
    lo = hi = peak
    while lo - step in good:
        lo -= step
    while hi + step in good:
        hi += step
    return (lo + hi) / 2 if hi - lo >= 3 else None


def _split(row: list[Glyph], gutter: float) -> tuple[list[Glyph], list[Glyph]] | None:
    """A row's left- and right-column parts; None when the row runs across the gutter."""
    left = [c for c in row if (c.x0 + c.x1) / 2 < gutter]
    right = [c for c in row if (c.x0 + c.x1) / 2 >= gutter]
    if left and right:
        gap = min(c.x0 for c in right) - max(c.x1 for c in left)
        if gap < 0.9 * _size(row):
            return None
    return left, right


def _line(chars: list[Glyph], page: int, column: str, furniture: str | None = None) -> Line:
    chars = sorted(chars, key=lambda c: c.x0)
    size = _size(chars)
    main = [c for c in chars if c.size >= 0.85 * size] or chars
    bold = sum(1 for c in main if c.bold) > len(main) / 2
    return Line(
        chars=chars,
        page=page,
        top=min(c.top for c in main),
        bottom=max(c.bottom for c in main),
        size=size,
        bold=bold,
        column=column,
        furniture=furniture,
    )


def _mark_paragraphs(lines: list[Line]) -> None:
    """A blank line where the vertical step to the next line is wider than the page's usual
    line pitch (paragraph or section spacing), and around headings."""
    steps = [
        b.top - a.top
        for a, b in itertools.pairwise(lines)
        if a.column == b.column and 0.5 * a.size < b.top - a.top < 3 * a.size
    ]
    pitch = statistics.median(steps) if steps else None
    for a, b in itertools.pairwise(lines):
        step = b.top - a.top
        if step <= 0:
            continue  # the next column starts: the text runs on
        if pitch is not None and step > pitch + 0.25 * b.size:
            b.blank_before = True


def without_furniture(lines: list[Line], pages: int) -> list[Line]:
    """Drop running headers and footers: margin rows whose text (numbers aside) recurs on
    other pages."""
    if pages < 2:
        return lines
    keys: dict[str, set[int]] = {}
    for line in lines:
        if line.furniture is not None:
            keys.setdefault(line.furniture, set()).add(line.page)
    repeated = {k for k, on in keys.items() if len(on) >= max(2, 0.3 * pages)}
    kept = [ln for ln in lines if ln.furniture not in repeated]
    for prev, line in itertools.pairwise(kept):
        if line.page != prev.page:
            line.blank_before = False  # the page break gives the blank line
    return kept


def _furniture_key(row: Sequence[Glyph]) -> str:
    text = "".join(c.text for c in sorted(row, key=lambda c: c.x0))
    return re.sub(r"\d+", "#", text.lower())

"""Word's list numbers, rendered as Word shows them ("1.", "iv)", "2.3").

A reference list typed as a Word numbered list has no numbers in its XML: they come from
numbering.xml (levels, formats, start values, overrides) and styles.xml (styles that carry
a list), with counters shared by every list of one abstract definition. The text reader
needs them to match "[3]" with entry 3. styles.xml also says which style is the title.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree


@dataclass(frozen=True)
class Level:
    start: int = 1
    fmt: str = "decimal"
    text: str = "%1."
    suffix: str = "tab"
    legal: bool = False
    style: str | None = None


def int_or(value: object, default: int) -> int:
    """An attribute's whole number, or ``default`` when it has none."""
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return default


def _roman(n: int) -> str:
    out = ""
    for value, letters in (
        (1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
        (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"),
    ):  # fmt: skip
        count, n = divmod(n, value)
        out += letters * count
    return out


def _format(n: int, fmt: str) -> str:
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt in ("lowerRoman", "upperRoman") and 0 < n < 4000:
        return _roman(n) if fmt == "lowerRoman" else _roman(n).upper()
    if fmt in ("lowerLetter", "upperLetter") and n > 0:
        letter = chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)
        return letter if fmt == "lowerLetter" else letter.upper()
    return str(n)


class Numbering:
    """Word's list numbers: numbering.xml levels, counters shared per abstract list."""

    def __init__(self, w: str, numbering: etree._Element | None, styles: etree._Element | None):
        self.w = w
        self.abstracts: dict[str, dict[int, Level]] = {}
        self.links: dict[str, str] = {}  # abstractNum with numStyleLink -> style id
        self.nums: dict[str, tuple[str, dict[int, Level], dict[int, int]]] = {}
        self.style_num: dict[str, tuple[str | None, int | None]] = {}
        self.based_on: dict[str, str] = {}
        self.title_styles: set[str] = set()
        self.counters: dict[str, list[int | None]] = {}
        self.used: set[str] = set()
        if styles is not None:
            self._read_styles(styles)
        if numbering is not None:
            self._read_numbering(numbering)

    def _val(self, el: etree._Element | None, child: str) -> str | None:
        found = el.find(self.w + child) if el is not None else None
        return None if found is None else found.get(self.w + "val")

    def _read_styles(self, styles: etree._Element) -> None:
        for style in styles.iter(self.w + "style"):
            sid = style.get(self.w + "styleId")
            if not sid:
                continue
            if sid.lower() == "title" or (self._val(style, "name") or "").lower() == "title":
                self.title_styles.add(sid)
            parent = self._val(style, "basedOn")
            if parent:
                self.based_on[sid] = parent
            numpr = style.find(f"{self.w}pPr/{self.w}numPr")
            if numpr is not None:
                ilvl = self._val(numpr, "ilvl")
                self.style_num[sid] = (
                    self._val(numpr, "numId"),
                    int_or(ilvl, 0) if ilvl is not None else None,
                )

    def _level(self, lvl: etree._Element, base: Level | None = None) -> Level:
        base = base or Level()
        text = lvl.find(self.w + "lvlText")
        legal = lvl.find(self.w + "isLgl")
        return Level(
            start=int_or(self._val(lvl, "start"), base.start),
            fmt=self._val(lvl, "numFmt") or base.fmt,
            text=(text.get(self.w + "val") or "") if text is not None else base.text,
            suffix=self._val(lvl, "suff") or base.suffix,
            legal=legal is not None and legal.get(self.w + "val") not in ("0", "false", "off"),
            style=self._val(lvl, "pStyle") or base.style,
        )

    def _read_numbering(self, numbering: etree._Element) -> None:
        for abstract in numbering.iter(self.w + "abstractNum"):
            aid = abstract.get(self.w + "abstractNumId")
            if aid is None:
                continue
            levels = {}
            for lvl in abstract.iter(self.w + "lvl"):
                levels[int_or(lvl.get(self.w + "ilvl"), 0)] = self._level(lvl)
            self.abstracts[aid] = levels
            link = self._val(abstract, "numStyleLink")
            if link:
                self.links[aid] = link
        for num in numbering.iter(self.w + "num"):
            nid, aid = num.get(self.w + "numId"), self._val(num, "abstractNumId")
            if nid is None or aid is None:
                continue
            levels, starts = {}, {}
            for override in num.iter(self.w + "lvlOverride"):
                ilvl = int_or(override.get(self.w + "ilvl"), 0)
                start = self._val(override, "startOverride")
                if start is not None:
                    starts[ilvl] = int_or(start, 1)
                lvl = override.find(self.w + "lvl")
                if lvl is not None:
                    levels[ilvl] = self._level(lvl)
            self.nums[nid] = (aid, levels, starts)

    def _style_numpr(self, style: str | None) -> tuple[str | None, int | None]:
        seen: set[str] = set()
        while style and style not in seen:
            seen.add(style)
            if style in self.style_num:
                return self.style_num[style]
            style = self.based_on.get(style)
        return None, None

    def _abstract(self, nid: str) -> str | None:
        aid = self.nums[nid][0] if nid in self.nums else None
        for _ in range(3):  # numStyleLink -> the style's list -> its abstract
            if aid is None or aid not in self.links:
                break
            linked, _ = self._style_numpr(self.links[aid])
            if linked is None or linked not in self.nums or self.nums[linked][0] == aid:
                break
            aid = self.nums[linked][0]
        return aid if aid in self.abstracts else None

    def is_title(self, ppr: etree._Element | None) -> bool:
        return self._val(ppr, "pStyle") in self.title_styles

    def label(self, ppr: etree._Element | None) -> str:
        """The number Word shows before this paragraph ('' when none); counts it."""
        if ppr is None:
            return ""
        style = self._val(ppr, "pStyle")
        numpr = ppr.find(self.w + "numPr")
        nid = self._val(numpr, "numId")
        raw_ilvl = self._val(numpr, "ilvl")
        ilvl = int_or(raw_ilvl, 0) if raw_ilvl is not None else None
        if nid is None:
            nid, style_ilvl = self._style_numpr(style)
            ilvl = ilvl if ilvl is not None else style_ilvl
        if not nid or nid == "0" or nid not in self.nums:
            return ""
        aid = self._abstract(nid)
        if aid is None:
            return ""
        levels = {**self.abstracts[aid], **self.nums[nid][1]}
        if ilvl is None:
            ilvl = next((k for k, v in levels.items() if style and v.style == style), 0)
        ilvl = min(max(ilvl, 0), 8)
        counters = self.counters.setdefault(aid, [None] * 9)
        if nid not in self.used:
            self.used.add(nid)
            for k, start in self.nums[nid][2].items():
                if 0 <= k <= 8:
                    counters[k] = start - 1
        level = levels.get(ilvl, Level())
        current = counters[ilvl]
        counters[ilvl] = level.start if current is None else current + 1
        for deeper in range(ilvl + 1, 9):
            counters[deeper] = None
        return self._render(level, levels, counters)

    def _render(self, level: Level, levels: dict[int, Level], counters: list[int | None]) -> str:
        if level.fmt == "none":
            return ""
        if level.fmt == "bullet":
            glyph = level.text.strip()
            return "•" if not glyph or any("\ue000" <= c <= "\uf8ff" for c in glyph) else glyph

        def number(m: re.Match[str]) -> str:
            k = int(m.group(1)) - 1
            lvl = levels.get(k, Level())
            value = counters[k] if counters[k] is not None else lvl.start
            return _format(value or 0, "decimal" if level.legal else lvl.fmt)

        return re.sub(r"%([1-9])", number, level.text).strip()

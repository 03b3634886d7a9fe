"""One walk over the XML of the body, then of the notes: the lines of text and the fields.

A paragraph is a line (a table row is one line, its cells joined); the list number Word
shows is written in; text hidden or inside a field's code is not shown, as in Word. Fields
(simple, complex with begin/separate/end, nested, and Mendeley's content controls) are
collected with the line they start on, so a citation knows its line in the text. A note
reference is written as a mark (private-use characters) that ``notes`` later numbers.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from lxml import etree

from citecheck.ingest.docx.numbering import Numbering, int_or

_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_SENTINELS = re.compile("[\ue000-\ue003]")  # in a document's own text: never a mark
NOTE_MARK = re.compile("\ue000([fe])(-?\\d+)\ue001")  # a note reference in the text
NOTE_LABEL = re.compile("\ue003([fe])(-?\\d+)\ue001")  # a note's own number, before it


# Elements whose content is walked as if it stood in their place.
_BLOCK_WRAPPERS = ("customXml", "ins", "moveTo", "smartTag")
_INLINE_WRAPPERS = ("hyperlink", "smartTag", "customXml", "ins", "moveTo", "dir", "bdo")
Walk = Callable[[etree._Element], None]


def note_mark(kind: str, ident: str) -> str:
    return f"\ue000{kind}{ident}\ue001"


def note_label(kind: str, ident: str) -> str:
    return f"\ue003{kind}{ident}\ue001"


@dataclass
class _OpenField:
    instr: list[str] = field(default_factory=list)
    data: list[str] = field(default_factory=list)  # w:fldData (EndNote keeps its XML here)
    result: list[str] = field(default_factory=list)
    in_result: bool = False
    line: int = 0  # index of the line (paragraph) where the field starts


@dataclass(frozen=True)
class Field:
    """A finished field: its code, its w:fldData chunks, the text it shows, where it starts."""

    instr: str
    data: tuple[str, ...]
    result: str
    line: int


@dataclass
class Line:
    text: list[str] = field(default_factory=list)
    joined: bool = False  # continues the line before it: no blank line between

    def plain(self) -> str:
        """The line's text, note marks and labels taken out."""
        return " ".join(NOTE_LABEL.sub("", NOTE_MARK.sub("", "".join(self.text))).split())


class Walker:
    """One pass over the body (then the notes): lines of text and finished fields."""

    def __init__(self, w: str, numbering: Numbering) -> None:
        self.w = w
        self.numbering = numbering
        self.lines: list[Line] = []
        self.fields: list[Field] = []
        self.stack: list[_OpenField] = []
        self.note_refs: list[tuple[str, str]] = []  # ("f"/"e", id) in reading order
        self.title: str | None = None
        self.text_boxes = 0
        self.in_row = 0
        self.joined = False

    # lines
    def _emit(self, text: str) -> None:
        if any(not f.in_result for f in self.stack):
            return  # inside a field's code: Word does not show it
        if not self.lines:
            self.lines.append(Line())
        self.lines[-1].text.append(text)
        for f in self.stack:
            f.result.append(text)

    def _new_line(self) -> None:
        self.lines.append(Line(joined=self.joined))

    # block level
    def block(self, el: etree._Element) -> None:
        w = self.w
        for child in el:
            tag = child.tag
            if not isinstance(tag, str):
                continue
            if tag == w + "p":
                self.paragraph(child)
            elif tag == w + "tbl":
                for row in child.iterchildren(w + "tr"):
                    self._new_line()
                    self.in_row += 1
                    for cell in row.iterchildren(w + "tc"):
                        self.block(cell)
                    self.in_row -= 1
            else:
                self._through(child, self.block, _BLOCK_WRAPPERS)

    def paragraph(self, p: etree._Element) -> None:
        ppr = p.find(self.w + "pPr")
        if not self.in_row:
            self._new_line()
        elif self.lines and self.lines[-1].text:
            self.lines[-1].text.append(" ")
        label = self.numbering.label(ppr)
        if label:
            self.lines[-1].text.append(label + " ")
        start = len(self.lines[-1].text)
        self.inline(p)
        if self.title is None and self.numbering.is_title(ppr):
            self.title = " ".join("".join(self.lines[-1].text[start:]).split()) or None
        for f in self.stack:
            if f.in_result:
                f.result.append(" ")

    # inline level
    def inline(self, el: etree._Element) -> None:
        w = self.w
        for child in el:
            tag = child.tag
            if not isinstance(tag, str):
                continue
            if tag == w + "r":
                self.run(child)
            elif tag == w + "fldSimple":
                self.stack.append(_OpenField([str(child.get(w + "instr") or "")], line=self._at()))
                self.stack[-1].in_result = True
                self.inline(child)
                self._end_field()
            else:
                self._through(child, self.inline, _INLINE_WRAPPERS)

    def run(self, r: etree._Element) -> None:
        w = self.w
        rpr = r.find(w + "rPr")
        vanish = rpr.find(w + "vanish") if rpr is not None else None
        hidden = vanish is not None and vanish.get(w + "val") not in ("0", "false", "off")
        for child in r:
            tag = child.tag
            if not isinstance(tag, str):
                continue
            local = tag[len(w) :] if tag.startswith(w) else ""
            if local == "t":
                if not hidden:
                    self._emit(_SENTINELS.sub("", child.text or ""))
            elif local == "instrText":
                if self.stack and not self.stack[-1].in_result:
                    self.stack[-1].instr.append(child.text or "")
            elif local == "fldChar":
                self._fld_char(child)
            elif local in ("tab", "ptab", "br", "cr"):
                self._emit(" ")
            elif local == "noBreakHyphen":
                self._emit("-")
            elif local in ("footnoteReference", "endnoteReference"):
                if child.get(w + "customMarkFollows") not in ("1", "true", "on"):
                    kind = "f" if local.startswith("foot") else "e"
                    ident = str(int_or(child.get(w + "id"), -9))
                    self.note_refs.append((kind, ident))
                    self._emit(note_mark(kind, ident))
            elif local in ("drawing", "pict", "object") or tag == _MC + "AlternateContent":
                self.text_boxes += sum(
                    1
                    for e in child.iter()
                    if isinstance(e.tag, str) and e.tag.endswith("}txbxContent")
                )

    def _fld_char(self, el: etree._Element) -> None:
        kind = el.get(self.w + "fldCharType")
        if kind == "begin":
            data = el.find(self.w + "fldData")
            self.stack.append(_OpenField(line=self._at()))
            if data is not None and data.text:
                self.stack[-1].data.append(data.text)
        elif kind == "separate" and self.stack:
            self.stack[-1].in_result = True
        elif kind == "end" and self.stack:
            self._end_field()

    def _end_field(self) -> None:
        done = self.stack.pop()
        if self.stack and not self.stack[-1].in_result:
            self.stack[-1].data.extend(done.data)  # EndNote: EN.CITE.DATA inside EN.CITE
        self.fields.append(
            Field("".join(done.instr), tuple(done.data), "".join(done.result), done.line)
        )

    def _through(self, el: etree._Element, walk: Walk, wrappers: tuple[str, ...]) -> None:
        """A wrapper's content, walked with ``walk``: a content control, a tracked insertion,
        a hyperlink…, an AlternateContent's first choice; anything else is not text."""
        tag = el.tag
        if tag == self.w + "sdt":
            self._sdt(el, walk)
        elif isinstance(tag, str) and tag.startswith(self.w) and tag[len(self.w) :] in wrappers:
            walk(el)
        elif tag == _MC + "AlternateContent":
            self._alternate(el, walk)

    def _sdt(self, sdt: etree._Element, walk: Walk) -> None:
        """A content control; Mendeley Cite keeps a citation's data in its tag."""
        tag = sdt.find(f"{self.w}sdtPr/{self.w}tag")
        value = str(tag.get(self.w + "val") or "") if tag is not None else ""
        content = sdt.find(self.w + "sdtContent")
        if content is None:
            return
        if value.startswith("MENDELEY_CITATION_v3_"):
            self.stack.append(
                _OpenField(["MENDELEY_V3 " + value[21:]], in_result=True, line=self._at())
            )
            walk(content)
            self._end_field()
        else:
            walk(content)

    def _alternate(self, el: etree._Element, walk: Walk) -> None:
        choice = el.find(_MC + "Choice")
        if choice is None:
            choice = el.find(_MC + "Fallback")
        if choice is not None:
            walk(choice)

    def _at(self) -> int:
        if not self.lines:
            self.lines.append(Line())
        return len(self.lines) - 1

    def end_part(self) -> None:
        self.stack.clear()  # a field left open at the end of a part ends there

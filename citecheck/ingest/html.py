"""HTML manuscripts (a journal's full-text page, an exported draft): rendered to plain text.

The text pipeline then reads the list and the markers as it does for any text, so the
rendering keeps what it needs: block elements on lines of their own (the list segments),
superscript markers as "[n]", and the items of a numbered list under a "References"
heading with their numbers written ("1. …"), as a browser shows them. lxml's HTML parser
never fetches anything; scripts, styles and other non-text elements are dropped.
"""

from __future__ import annotations

import re
from pathlib import Path

import lxml.html
from lxml import etree

from citecheck.errors import InputError
from citecheck.ingest.manuscript import Manuscript
from citecheck.ingest.text import decode_file
from citecheck.ingest.xml import text_of
from citecheck.references.citations import MARKER_NUMBERS

_DROP = {
    "script",
    "style",
    "noscript",
    "template",
    "head",
    "iframe",
    "object",
    "embed",
    "svg",
    "math",
    "canvas",
    "button",
    "select",
    "form",
    "nav",
}
_BLOCK = {
    "p",
    "div",
    "section",
    "article",
    "main",
    "header",
    "footer",
    "aside",
    "address",
    "blockquote",
    "pre",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "li",
    "table",
    "thead",
    "tbody",
    "tfoot",
    "tr",
    "figure",
    "figcaption",
    "caption",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "body",
    "html",
}
# Blocks that end a paragraph for the text reader (blank line); other blocks only a line.
_SECTIONING = {"section", "article", "main", "header", "footer", "aside", "table", "figure"}
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_REFERENCES = re.compile(
    r"^\s*(?:\d+\.?\s*)?(references?|bibliography|literature cited|works cited|"
    r"references and notes|sources)\s*:?\s*$",
    re.I,
)
_MARKER = re.compile(rf"\s*{MARKER_NUMBERS}\s*")
_MAX_DEPTH = 400
_SUPERSCRIPTS = str.maketrans("0123456789,-–", "⁰¹²³⁴⁵⁶⁷⁸⁹˒⁻⁻")


def read_html(path: Path, data: bytes) -> Manuscript:
    """The page as text (reference list and markers read from it by the text pipeline)."""
    source, encoding = decode_file(path, data)
    # lxml refuses a str that still declares its byte encoding.
    source = re.sub(r"\A\s*<\?xml[^>]*\?>", "", source)
    try:
        root = lxml.html.document_fromstring(
            source, parser=lxml.html.HTMLParser(remove_comments=True, remove_pis=True)
        )
    except (etree.ParserError, etree.LxmlError, ValueError) as exc:
        raise InputError(f"{path}: not readable HTML ({exc})") from None
    title = _title(root)
    writer = _Writer()
    body = root.find("body")
    writer.walk(body if body is not None else root, 0)
    text = writer.text()
    if not text.strip():
        raise InputError(f"{path}: no text in the HTML")
    return Manuscript(path=str(path), text=text, encoding=encoding, title=title, format="html")


def _title(root: etree._Element) -> str | None:
    """citation_title meta, else the first <h1>, else <title>: plain text, markup dropped."""
    for meta in root.iter("meta"):
        if (meta.get("name") or "").lower() in ("citation_title", "dc.title"):
            content = " ".join((meta.get("content") or "").split())
            if content:
                return content
    for tag in ("h1", "title"):
        for element in root.iter(tag):
            text = text_of(element)
            if text:
                return text
    return None


class _Writer:
    """Walks the tree, writing text. A block starts a new line (a section or heading a blank
    line too: the text reader's paragraphs and headings), and where the text has fewer lines
    than the page's source it is padded down to the element's source line, so reported lines
    are the HTML file's."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.in_references = False
        self.pre = 0
        self.line = 1  # the line the next character goes on
        self.trailing = 0  # newlines at the end of what is written

    def text(self) -> str:
        lines = [line.strip() for line in "".join(self.parts).split("\n")]
        return "\n".join(lines).rstrip() + "\n"

    def emit(self, text: str) -> None:
        if not text:
            return
        self.parts.append(text)
        self.line += text.count("\n")
        kept = text.rstrip("\n")
        self.trailing = self.trailing + len(text) if not kept else len(text) - len(kept)

    def write(self, text: str | None) -> None:
        if not text:
            return
        if not self.pre:
            text = re.sub(r"\s+", " ", text)
            if self.trailing:
                text = text.lstrip()
        self.emit(text)

    def newlines(self, count: int, element: etree._Element | None = None) -> None:
        """End the line. Then go down to the element's source line when the text is above
        it; when it is not (or the line is unknown), ``count`` 2 leaves a blank line."""
        if self.parts:
            self.emit("\n" * max(0, 1 - self.trailing))
        target = element.sourceline if element is not None else None
        if isinstance(target, int) and target >= self.line:
            self.emit("\n" * (target - self.line))
        elif self.parts:
            self.emit("\n" * max(0, count - self.trailing))

    def walk(self, element: etree._Element, depth: int) -> None:
        tag = element.tag.lower() if isinstance(element.tag, str) else ""
        if tag in _DROP or depth > _MAX_DEPTH or not tag:
            return
        if tag in _HEADINGS:
            heading = text_of(element)
            self.in_references = bool(_REFERENCES.match(heading))
            self.newlines(2, element)
            self.emit(heading)
            self.newlines(1)
            return
        if tag == "br":
            self.emit("\n")
            return
        if tag == "sup" and _MARKER.fullmatch(text_of(element) or "x"):
            self._sup(element)
            return
        if tag == "ol" and self.in_references:
            self._numbered(element, depth)
            return
        block = tag in _BLOCK
        gap = 2 if tag in _SECTIONING else 1
        if block:
            self.newlines(gap, element)
        if tag == "pre":
            self.pre += 1
        self.write(element.text)
        for child in element:
            self.walk(child, depth + 1)
            self.write(child.tail)
        if tag == "pre":
            self.pre -= 1
        if block:
            self.newlines(1)

    def _sup(self, sup: etree._Element) -> None:
        """A superscript number: a citation marker "[n]", unless it follows what it could be
        the power of ("cm²", "10⁶"): then a superscript digit the text reader weighs."""
        spec = "".join(text_of(sup).split())
        linked = any((a.get("href") or "").startswith("#") for a in sup.iter("a"))
        before = "".join(self.parts[-3:]).rstrip()
        token = re.search(r"\S*$", before)
        word = token.group(0) if token else ""
        if not linked and (word[-1:].isdigit() or re.fullmatch(r"[A-Za-zµμ]{1,2}|\S*/\S*", word)):
            self.emit(spec.translate(_SUPERSCRIPTS))
        else:
            self.emit(f"[{spec}]")

    def _numbered(self, ol: etree._Element, depth: int) -> None:
        """A reference list as a browser shows it: each item on its own line, numbered."""
        start = ol.get("start") or ""
        number = int(start) if start.isdigit() and len(start) < 6 else 1
        self.newlines(2, ol)
        for li in ol:
            if not isinstance(li.tag, str) or li.tag.lower() != "li":
                continue
            value = li.get("value") or ""
            number = int(value) if value.isdigit() and len(value) < 6 else number
            self.newlines(1, li)
            if not re.match(r"\s*\[?\d{1,4}[.\])]", text_of(li)):
                self.emit(f"{number}. ")
            self.write(li.text)
            for child in li:
                self.walk_inline(child, depth + 1)
                self.write(child.tail)
            number += 1
        self.newlines(2)
        self.in_references = False  # one list per heading

    def walk_inline(self, element: etree._Element, depth: int) -> None:
        """Inside a reference: everything on one line (a <div> per field is still one entry)."""
        tag = element.tag.lower() if isinstance(element.tag, str) else ""
        if tag in _DROP or depth > _MAX_DEPTH or not tag:
            return
        if (tag in _BLOCK or tag == "br") and not "".join(self.parts[-1:]).endswith((" ", "\n")):
            self.write(" ")
        self.write(element.text)
        for child in element:
            self.walk_inline(child, depth + 1)
            self.write(child.tail)

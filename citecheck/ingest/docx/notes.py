"""Footnotes and endnotes: which are read, how they are numbered, and how they are written.

Only the notes the body cites are read, in the order it cites them, numbered 1, 2… per kind
as Word shows them. A document that keeps its reference list in endnotes (or footnotes) has
no list in its body: then those notes are written as the list ("References", "1. Smith…")
and their marks as "[1]", so the text reader reads them as any numbered manuscript; other
notes follow the body under "Footnotes", their marks written "[footnote 1]".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

from citecheck.ingest.docx.numbering import int_or
from citecheck.ingest.docx.package import Package
from citecheck.ingest.docx.walk import NOTE_LABEL, NOTE_MARK, Walker, note_label
from citecheck.references.segment import NoReferenceList, find_section

_YEAR = re.compile(r"\b(?:1[6-9]|20)\d\d\b")
_NAMES = {"f": "footnote", "e": "endnote"}


@dataclass(frozen=True)
class Notes:
    numbers: dict[tuple[str, str], int]  # (kind "f"/"e", id) -> the number Word shows
    walked: dict[str, list[tuple[str, int]]]  # kind -> (id, first line index) of each note
    as_references: str | None  # the kind that holds the reference list, if any


def read_notes(walker: Walker, package: Package, parts: dict[str, str], body_end: int) -> Notes:
    """Walk the cited notes after the body (``walker.lines[:body_end]``)."""
    order: dict[str, list[str]] = {"f": [], "e": []}
    for kind, ident in walker.note_refs:
        if ident not in order[kind]:
            order[kind].append(ident)
    numbers = {(kind, ident): n for kind in "fe" for n, ident in enumerate(order[kind], start=1)}
    walked: dict[str, list[tuple[str, int]]] = {"f": [], "e": []}
    for kind, part, tag in (("f", "footnotes", "footnote"), ("e", "endnotes", "endnote")):
        if order[kind]:  # a notes part is only read when the body cites a note
            found = _notes(package.xml(parts[part], needed=False), walker.w, tag)
            walked[kind] = _walk_notes(walker, kind, order[kind], found)
    body_lines = [line.plain() for line in walker.lines[:body_end]]
    return Notes(numbers, walked, _notes_as_references(walker, walked, body_lines))


def _notes(root: etree._Element | None, w: str, tag: str) -> dict[str, etree._Element]:
    if root is None:
        return {}
    return {
        str(int_or(note.get(w + "id"), -9)): note
        for note in root.iter(w + tag)
        if note.get(w + "type") in (None, "normal")
    }


def _walk_notes(
    walker: Walker, kind: str, order: list[str], notes: dict[str, etree._Element]
) -> list[tuple[str, int]]:
    """Each cited note as numbered lines (its paragraphs joined): (id, first line index)."""
    out = []
    for ident in order:
        note = notes.get(ident)
        if note is None:
            continue
        first = len(walker.lines)
        walker.joined = False
        for n, p in enumerate(x for x in note.iter(walker.w + "p")):
            walker.joined = n > 0
            walker.paragraph(p)
        walker.joined = False
        if len(walker.lines) > first:
            walker.lines[first].text.insert(0, note_label(kind, ident))
            out.append((ident, first))
        walker.end_part()
    return out


def _has_list(paragraphs: list[str]) -> bool:
    """Does the body hold a reference list (a heading with entries under it)?"""
    lines = [line for p in paragraphs if p for line in ("", p)]
    try:
        start, end = find_section(lines)
    except NoReferenceList:
        return False
    return any(_YEAR.search(line) for line in lines[start:end])


def _notes_as_references(
    walker: Walker, walked: dict[str, list[tuple[str, int]]], body_lines: list[str]
) -> str | None:
    """Which notes hold the reference list: endnotes (or footnotes) that mostly carry a
    year, in a document whose body has no reference list of its own."""
    if _has_list(body_lines):
        return None
    for kind in "ef":
        texts = [walker.lines[first].plain() for _, first in walked[kind]]
        if texts and sum(1 for t in texts if _YEAR.search(t)) * 2 >= len(texts):
            return kind
    return None


def text_with_notes(walker: Walker, notes: Notes) -> tuple[str, dict[int, int]]:
    """The text, notes numbered, and each walker line's 1-based line in it (empty lines map
    to the next)."""
    refs_kind = notes.as_references

    def mark(m: re.Match[str]) -> str:
        n = notes.numbers.get((m.group(1), m.group(2)))
        if n is None:
            return ""
        return f"[{n}]" if m.group(1) == refs_kind else f"[{_NAMES[m.group(1)]} {n}]"

    def label(m: re.Match[str]) -> str:
        n = notes.numbers.get((m.group(1), m.group(2)), 0)
        return f"{n}. " if m.group(1) == refs_kind else f"{_NAMES[m.group(1)]} {n}: "

    heads: dict[int, str] = {}
    other = [first for kind in "fe" if kind != refs_kind for _, first in notes.walked[kind]]
    if other:
        heads[min(other)] = "Footnotes"
    if refs_kind and notes.walked[refs_kind]:
        heads[notes.walked[refs_kind][0][1]] = "References"
    out: list[str] = []
    line_of: dict[int, int] = {}
    pending: list[int] = []
    for i, line in enumerate(walker.lines):
        if i in heads:
            out += ["", heads[i]] if out else [heads[i]]
        text = " ".join(NOTE_LABEL.sub(label, NOTE_MARK.sub(mark, "".join(line.text))).split())
        if not text:
            pending.append(i)
            continue
        if out and not line.joined:
            out.append("")
        out.append(text)
        for j in [*pending, i]:
            line_of[j] = len(out)
        pending = []
    for j in pending:
        line_of[j] = max(1, len(out))
    return "\n".join(out) + "\n", line_of

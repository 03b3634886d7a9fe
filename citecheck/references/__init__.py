"""References: find the reference list in a manuscript, split it, parse each entry."""

from __future__ import annotations

from dataclasses import replace

from citecheck.model import ParsedReference
from citecheck.references.parse import SAME_AUTHORS, parse_reference
from citecheck.references.segment import Entry, NoReferenceList, split_references

__all__ = ["Entry", "NoReferenceList", "parse_reference", "read_references", "split_references"]


def read_references(text: str) -> list[ParsedReference]:
    """Split and parse; a "———." entry inherits the authors of the entry before it."""
    refs: list[ParsedReference] = []
    for entry in split_references(text):
        ref = parse_reference(
            entry.text, line=entry.line, number=entry.number if entry.numbered else None
        )
        if refs and not ref.authors and SAME_AUTHORS.match(entry.text):
            ref = replace(ref, authors=refs[-1].authors, et_al=refs[-1].et_al)
        refs.append(ref)
    return refs

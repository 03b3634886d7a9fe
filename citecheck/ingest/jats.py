"""JATS XML (journals, PMC): the reference list and the in-text citations as the XML tags them.

``element-citation`` / ``mixed-citation`` fields are used as tagged; ``pub-id`` DOI and PMID
are trusted as cited; ``xref ref-type="bibr"`` are the markers. lxml gives source lines.
The XML is parsed by ``citecheck.ingest.xml``: no DTD loaded, no entity resolved, no network;
a document that declares entities of its own is refused outright.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import Literal

from lxml import etree

from citecheck.errors import InputError
from citecheck.ingest.fields import author, make_reference, split_name
from citecheck.ingest.manuscript import Manuscript
from citecheck.ingest.xml import parse_xml, text_of
from citecheck.model import ParsedReference
from citecheck.references.citations import InText, Marker
from citecheck.references.parse import parse_reference

_CITATIONS = ("element-citation", "mixed-citation", "citation", "nlm-citation")


def _local(el: etree._Element) -> str:
    tag = el.tag
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def _find(el: etree._Element, name: str) -> etree._Element | None:
    return next((e for e in el.iter() if _local(e) == name), None)


def _all(el: etree._Element, name: str) -> list[etree._Element]:
    return [e for e in el.iter() if _local(e) == name]


def _authors(cit: etree._Element) -> tuple[list, bool]:
    """Authors of the first author group (or of the citation when it has no group)."""
    groups = _all(cit, "person-group")
    scope = next(
        (g for g in groups if g.get("person-group-type", "author") == "author"),
        groups[0] if groups else cit,
    )
    people = []
    for el in scope.iter():
        name = _local(el)
        if name in ("name", "name-alternatives") and _local(el.getparent()) != "name-alternatives":
            surname = text_of(_find(el, "surname"))
            if surname:
                people.append(author(surname, text_of(_find(el, "given-names"))))
        elif name == "string-name" and _find(el, "surname") is None:
            people.append(split_name(text_of(el)))
        elif name == "collab":
            people.append(author(text_of(el)))
    return people, _find(scope, "etal") is not None


def _pub_id(cit: etree._Element, kind: str) -> str | None:
    for el in _all(cit, "pub-id"):
        if el.get("pub-id-type", "").lower() == kind:
            return text_of(el)
    return None


def reference(ref: etree._Element, number: int) -> ParsedReference | None:
    """One ``<ref>``: tagged fields as tagged; an untagged mixed-citation is parsed as text."""
    cit = next((e for e in ref.iter() if _local(e) in _CITATIONS), None)
    if cit is None:
        return None
    line = ref.sourceline
    label = text_of(_find(ref, "label")).strip(". []")
    if label.isdigit():
        number = int(label)
    tagged = any(_local(e) in ("source", "article-title", "person-group", "year") for e in cit)
    if not tagged:
        raw = text_of(cit)
        parsed = parse_reference(raw, line=line)
        return replace(parsed, number=number) if raw else None
    people, et_al = _authors(cit)
    first, last = text_of(_find(cit, "fpage")), text_of(_find(cit, "lpage"))
    pages = f"{first}-{last}" if first and last else first or text_of(_find(cit, "elocation-id"))
    title = text_of(_find(cit, "article-title")) or text_of(_find(cit, "chapter-title"))
    source = text_of(_find(cit, "source"))
    doi = _pub_id(cit, "doi")
    if doi is None:
        link = next((e for e in _all(cit, "ext-link") if "doi.org" in text_of(e)), None)
        doi = text_of(link) if link is not None else None
    kind = cit.get("publication-type") or cit.get("citation-type") or ""
    book = kind == "book" and not title
    return make_reference(
        authors=people,
        et_al=et_al,
        title=title or (source if book else None),
        container=None if book else source,
        year=text_of(_find(cit, "year")),
        volume=text_of(_find(cit, "volume")),
        issue=text_of(_find(cit, "issue")),
        pages=pages or None,
        doi=doi,
        pmid=_pub_id(cit, "pmid"),
        line=line,
        number=number,
    )


def read_jats(path: Path, data: bytes) -> Manuscript:
    root = parse_xml(data, str(path))
    if _local(root) != "article":
        raise InputError(f"{path}: XML, but not a JATS <article> (root <{_local(root)}>)")
    refs: list[ParsedReference] = []
    ids: dict[str, int] = {}
    skipped: list[str] = []
    back = _find(root, "back")
    for n, ref in enumerate(_all(back, "ref") if back is not None else [], start=1):
        parsed = reference(ref, n)
        if parsed is None:
            skipped.append(f"<ref> on line {ref.sourceline} has no citation element")
            continue
        refs.append(parsed)
        ids[ref.get("id", f"#{n}")] = len(refs)
    if not refs:
        raise InputError(f"{path}: the JATS article has no reference list")
    body = _find(root, "body")
    markers = _markers(body, ids) if body is not None else []
    front = _find(root, "front")
    title = text_of(_find(front if front is not None else root, "article-title")) or None
    return Manuscript(
        path=str(path),
        text=_plain(root, title),
        encoding="utf-8",
        title=title,
        format="jats",
        references=tuple(refs),
        citations=InText(_style(markers), tuple(markers)),
        skipped=tuple(skipped),
    )


def _markers(body: etree._Element, ids: dict[str, int]) -> list[Marker]:
    """Each ``xref ref-type="bibr"``; "[3]–[6]" (two xrefs joined by a dash) covers 4 and 5."""
    out: list[Marker] = []
    previous: tuple[etree._Element, list[int]] | None = None
    for xref in body.iter():
        if _local(xref) != "xref" or xref.get("ref-type") != "bibr":
            continue
        rids = (xref.get("rid") or "").split()
        targets = [ids[r] for r in rids if r in ids]
        unresolved = [r for r in rids if r not in ids]
        if previous is not None and previous[0].getnext() is xref and previous[1] and targets:
            between = (previous[0].tail or "").strip()
            if between in ("-", "–", "—") and targets[0] > previous[1][-1] + 1:
                targets = [*range(previous[1][-1] + 1, targets[0]), *targets]
        previous = (xref, targets)
        paragraph = next(
            (a for a in xref.iterancestors() if _local(a) in ("p", "caption", "title", "td")),
            xref,
        )
        out.append(
            Marker(
                text=text_of(xref) or " ".join(rids),
                line=xref.sourceline or 0,
                targets=tuple(dict.fromkeys(targets)),
                unresolved=tuple(unresolved),
                sentence=text_of(paragraph)[:1000],
            )
        )
    return out


def _within(el: etree._Element, name: str) -> bool:
    return any(_local(a) == name for a in el.iterancestors())


def _style(markers: list[Marker]) -> Literal["numeric", "author-year", "none"]:
    if not markers:
        return "none"
    numeric = sum(1 for m in markers if re.fullmatch(r"[\d\s,–\-\[\]()]+", m.text))
    return "numeric" if numeric * 2 >= len(markers) else "author-year"


def _plain(root: etree._Element, title: str | None) -> str:
    """Title, keywords, abstract, headings and paragraphs, one block a line: for relevance."""
    blocks = [title or ""]
    for el in root.iter():
        name = _local(el)
        if name == "kwd-group":
            blocks.append("Keywords: " + "; ".join(text_of(k) for k in _all(el, "kwd")))
        elif name == "abstract":
            blocks += ["Abstract", *(text_of(p) for p in _all(el, "p"))]
        elif (name, True) in (("title", _within(el, "sec")), ("p", _within(el, "body"))):
            blocks.append(text_of(el))
    return "\n\n".join(b for b in blocks if b)

"""How well ``citecheck`` reads in-text citation markers, and what ``check_intext`` says about
correct articles.

``citecheck.references.citations.read_citations(text, refs)`` finds the markers of a
manuscript ("[1,2]", "¹⁻³", "(Smith et al., 2019)") and resolves them against the reference
list; ``citecheck.checks.intext.check_intext`` turns what it read into ``missing-reference``,
``uncited`` and ``citation-order`` findings. On a correct article every such finding is a
false alarm, except a citation-order violation the source article really has.

Ground truth comes from the JATS articles in ``benchmarks/data/jats`` (all of them, eLife's
template ``elife-00666`` included: its citations are real markup, only its prose is not an
article): the reference list in document order, and for every ``<xref ref-type="bibr">`` the
ref ids it cites (``rid`` may list several; two xrefs joined by a dash, "[3]–[6]", also cite
the ids between, as ``relevance.citation_contexts`` reads them). Xrefs separated only by
commas, semicolons, dashes and spaces form one group, i.e. one printed marker.

Each article is rendered as a plain-text manuscript (title, "Abstract", abstracts,
keywords, the body's headings, paragraphs and captions, via ``relevance._paragraphs`` and
``relevance.manuscript_text``; body paragraphs wrapped at ``--width`` columns like a text
export) in three marker styles, with the original citation text (and the brackets or
parentheses directly around it) replaced:

* ``brackets``     "[1,2]", "[3-6]": numbers are positions in the reference list;
* ``superscript``  the same numbers as Unicode superscripts ("¹˒²", "³⁻⁶") glued to the
                   preceding word or punctuation; two markers that stood side by side
                   ("(A) (B)") are joined with "˒";
* ``author-year``  "(Surname et al., 2019; Other and Second, 2020)", first surname and year
                   from the JATS ref ("et al." for more than two authors); "Surname et al.
                   (2019)" where the source cites narratively; no parentheses of its own
                   where an author-year source already cites inside a parenthesis of the
                   sentence ("(see Smith, 2019)"); consecutive entries of
                   the same name share it ("Smith et al., 2005, 2006"); entries sharing first
                   surname and year get "a", "b", ... in list order. Refs without a surname
                   (organisations, no authors) or a year are left out of the list and the text;
                   their number is reported.

The list follows a "References" heading, one entry per line (not wrapped), each rendered in
Vancouver style by ``parse_accuracy.render_vancouver`` ("Surname GI, ... Title. Source.
Year;Vol(Iss):fpage-lpage."; software and "other" entries take their data title or comment
as source, untagged ones keep their printed text):
numbered "1. ..." in list order for the numeric styles, unnumbered and alphabetical for
author-year. ``citecheck.references.read_references`` reads it back; every entry citecheck
reads is mapped back to a ref id by the line it starts on.

Scores per style: pair recall and precision of (marker line, ref id) pairs (a marker's line
is where it starts; an author-year group contributes one pair per entry at the line where
that entry's name starts), the style citecheck detects, unresolved markers, the findings
``check_intext`` returns on the correct text (``missing-reference``: all false;
``uncited`` on an entry the text cites: false; on an entry the rendered text really never
cites: true; ``citation-order``: genuine when the first citations in the rendered text are
out of list order, else false) and the entries cited but not found.

Then errors are injected into the bracket-style text (``--trials`` per article and kind,
seeded): (a) one citation of an entry that is also cited earlier changed to len(list)+1 ->
one more ``missing-reference``, for that number; (b) every marker of one cited entry removed
(empty markers deleted) -> ``uncited`` for it; (c) an entry's first citation moved to a
marker of its own right before its predecessor's first citation -> ``citation-order``
(only in articles whose citations are in list order and raise no order finding clean).

Rendered text is much cleaner than text extracted from PDFs (no lost superscripts, page
headers, hyphenation or broken lines inside the list), so these figures are an upper bound.

Usage::

    python benchmarks/intext.py [--width 80] [--trials 5] [--seed 1] [--repeat 3]
                                [--show-errors N] [--dump DIR]

``--show-errors N`` prints the first N disagreements (per line: the line, the markers
expected with the ref ids they cite, the markers read with what they resolved to; then every
finding); ``--dump DIR`` writes the rendered texts.
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import random
import re
import statistics
import sys
import time
import unicodedata
from collections import Counter
from collections.abc import Callable
from copy import deepcopy
from dataclasses import dataclass, field, replace
from pathlib import Path
from xml.etree.ElementTree import Element

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT.parent))  # run from a checkout without installing

# Reading and rendering are shared with the other benchmarks, so all of them see the same
# article text and the same Vancouver strings.
from parse_accuracy import _child, _contributors, _itertext, _local, render_vancouver  # noqa: E402
from relevance import (  # noqa: E402
    _CITATIONS,
    _YEAR,
    JATS_DIR,
    Block,
    _keywords,
    _paragraphs,
    git_head,
    manuscript_text,
    open_article,
)

import citecheck.checks.intext as intext_check  # noqa: E402
import citecheck.references.citations as citations  # noqa: E402
from citecheck.checks.intext import check_intext  # noqa: E402
from citecheck.model import Finding, ParsedReference, ReferenceResult  # noqa: E402
from citecheck.references import read_references  # noqa: E402
from citecheck.references.citations import InText, read_citations  # noqa: E402

STYLES = ("brackets", "superscript", "author-year")
INJECTIONS = ("missing-reference", "uncited", "citation-order")
PHANTOM = "\0phantom"  # a cited id that is not in the list: rendered as len(list) + 1
_SUP = str.maketrans("0123456789,-", "⁰¹²³⁴⁵⁶⁷⁸⁹˒⁻")
_GAP = re.compile(r"[\s,;–—‐\-]*")  # between xrefs of one printed marker
_DASH = re.compile(r"\s*[-‐–—]\s*")  # between the two ends of a range
_NARRATIVE = re.compile(r"(?P<name>\D*?\S)\s*\(\s*(?:1[5-9]|20)\d\d[a-z]?\s*\)")


# --------------------------------------------------------------------------- source


@dataclass(frozen=True)
class Name:
    """What an author-year citation prints for one entry: "Smith et al." and 2019."""

    first: str  # first author's surname
    label: str  # "Smith", "Smith and Lee", "Smith et al."
    year: int


@dataclass
class Group:
    """One printed citation marker: the ref ids its xrefs cite, in source order."""

    rids: list[str]
    narrative: str | None = None  # "Smith et al." when the source reads "Smith et al. (2019)"
    enclosed: bool = False  # author-year source citing inside a parenthesis: "(see Smith, 2019)"


Item = str | Group


@dataclass
class Source:
    """One JATS article: list, citations, and the text around them."""

    name: str
    title: str
    order: list[str]  # ref ids in list order
    entries: dict[str, str]  # ref id -> Vancouver line (no number)
    years: dict[str, str]  # ref id -> the year as printed in the entry ("2004b"), if any
    names: dict[str, Name | None]  # ref id -> author-year name; None: skipped in that style
    abstract: list[list[Item]]
    keywords: list[str]
    body: list[list[Item]]
    unknown: int = 0  # cited ids that are not in the list


def _year(cit: Element) -> tuple[int | None, str]:
    year_el = _child(cit, "year")
    text = _itertext(year_el) if year_el is not None else ""
    m = _YEAR.search(text)
    return (int(m.group(1)) if m else None), text


def _surname(el: Element) -> str | None:
    if _local(el.tag) == "collab":
        return None
    surname = _child(el, "surname")
    return " ".join(_itertext(surname).split()) if surname is not None else None


def _name(cit: Element) -> Name | None:
    """First surname and year; None for an organisation, no authors or no year."""
    names, etal = _contributors(cit)
    year, _ = _year(cit)
    first = _surname(names[0]) if names else None
    if not first or year is None:
        return None
    if len(names) > 2 or (etal and len(names) >= 1):
        label = f"{first} et al."
    elif len(names) == 2:
        second = _surname(names[1]) or " ".join(_itertext(names[1]).split())
        label = f"{first} and {second}"
    else:
        label = first
    return Name(first, label, year)


def _entry(cit: Element) -> str:
    """Vancouver from the tags. Software and "other" entries with no article title and no
    source use their data title or comment as the source; untagged ones their own text."""
    if _child(cit, "article-title") is not None or _child(cit, "source") is not None:
        return render_vancouver(cit)
    for tag in ("data-title", "chapter-title", "part-title", "comment"):
        el = _child(cit, tag)
        if el is not None and _itertext(el):
            copy = deepcopy(cit)
            source = Element("source")
            source.text = _itertext(el)
            copy.append(source)
            return render_vancouver(copy)
    return _itertext(cit)


def _groups(block: Block, position: dict[str, int], order: list[str]) -> tuple[list[Item], int]:
    """The block as text pieces and citation groups; brackets around a group are dropped."""
    items: list[Item] = []
    unknown = 0
    pos = 0
    text = block.text
    cites = sorted(block.cites)
    i = 0
    while i < len(cites):
        start, end, rids = cites[i]
        own = text[start:end]
        narrative = None
        m = _NARRATIVE.fullmatch(own)
        if m and len(rids) == 1:
            narrative = m["name"].strip()
        ids = list(rids)
        j = i + 1
        while narrative is None and j < len(cites):
            nstart, nend, nrids = cites[j]
            gap = text[end:nstart]
            if not _GAP.fullmatch(gap) or _NARRATIVE.fullmatch(text[nstart:nend]):
                break
            if _DASH.fullmatch(gap) and ids and nrids:
                lo, hi = position.get(ids[-1]), position.get(nrids[0])
                if lo is not None and hi is not None and lo < hi:
                    ids.extend(order[lo + 1 : hi])
            ids.extend(nrids)
            end = nend
            j += 1
        known = [r for r in dict.fromkeys(ids) if r in position]
        unknown += len(set(ids)) - len(known)
        before, after_at = text[pos:start], end
        stripped, rest = before.rstrip(), text[end:]
        wrapped = (
            narrative is None
            and stripped[-1:] in ("[", "(")
            and rest.lstrip()[:1] == {"[": "]", "(": ")"}[stripped[-1]]
        )
        if wrapped:
            before = stripped[:-1]
            after_at = end + len(rest) - len(rest.lstrip()) + 1
        # "(see Smith et al., 2019)": an author-year source that cites inside a parenthesis
        # of its own; author-year renders it without parentheses of the citation's own.
        depth = sum(
            (s.count("(") - s.count(")"))
            for s in [*(x for x in items if isinstance(x, str)), before]
        )
        enclosed = not wrapped and depth > 0 and re.search(r"[^\W\d_]", own) is not None
        items.append(before)
        if known:
            items.append(Group(known, narrative, enclosed))
        pos = after_at
        i = j
    items.append(text[pos:])
    return items, unknown


def load_source(path: Path) -> Source:
    """List order, entries, names and citation groups of one JATS file."""
    name, root, meta, title = open_article(path)

    order: list[str] = []
    entries: dict[str, str] = {}
    years: dict[str, str] = {}
    names: dict[str, Name | None] = {}
    for el in (e for e in root.iter() if _local(e.tag) == "ref"):
        rid = el.get("id") or ""
        cit = next((c for c in el.iter() if _local(c.tag) in _CITATIONS), None)
        if not rid or rid in entries:
            continue
        order.append(rid)
        entries[rid] = _entry(cit) if cit is not None else _itertext(el)
        names[rid] = _name(cit) if cit is not None else None
        years[rid] = _year(cit)[1] if cit is not None else ""
    position = {rid: i for i, rid in enumerate(order)}

    abstracts = [e for e in meta if _local(e.tag) == "abstract"]
    body_el = _child(root, "body")  # the article's own body, not a sub-article's
    unknown = 0
    parts: list[list[list[Item]]] = []
    for blocks in (_paragraphs(abstracts), _paragraphs([body_el] if body_el is not None else [])):
        part = []
        for block in blocks:
            items, lost = _groups(block, position, order)
            unknown += lost
            part.append(items)
        parts.append(part)
    return Source(
        name, title, order, entries, years, names, parts[0], _keywords(meta), parts[1], unknown
    )


# --------------------------------------------------------------------------- rendering


@dataclass(frozen=True)
class Truth:
    """One printed marker (author-year: one name in a group) and what it cites."""

    line: int
    text: str
    rids: tuple[str, ...]


@dataclass
class Rendered:
    """A manuscript as text, where its list entries start, and what its markers cite."""

    style: str
    text: str
    entry_line: dict[int, str]  # manuscript line -> ref id of the list entry starting there
    listed: list[str]  # ref ids in printed list order
    truth: list[Truth]
    first_cited: list[str]  # ref ids in the order of their first citation
    groups: int  # printed markers


def _compress(numbers: list[int]) -> str:
    """[1, 2, 3, 4, 7] -> '1-4,7'; runs of two stay '1,2'."""
    out: list[str] = []
    i = 0
    while i < len(numbers):
        j = i
        while j + 1 < len(numbers) and numbers[j + 1] == numbers[j] + 1:
            j += 1
        if j - i >= 2:
            out.append(f"{numbers[i]}-{numbers[j]}")
        else:
            out.extend(str(n) for n in numbers[i : j + 1])
        i = j + 1
    return ",".join(out)


def wrap(text: str, width: int) -> str:
    """Greedy wrap that turns spaces into newlines, so every offset stays where it was."""
    chars = list(text)
    start = 0
    while len(chars) - start > width:
        cut = text.rfind(" ", start, start + width + 1)
        if cut <= start:
            cut = text.find(" ", start + width)
            if cut < 0:
                break
        chars[cut] = "\n"
        start = cut + 1
    return "".join(chars)


class Renderer:
    """Renders a Source in one style; numbers and author-year labels are fixed per list."""

    def __init__(self, src: Source, style: str, width: int) -> None:
        self.src, self.style, self.width = src, style, width
        if style == "author-year":
            kept = [r for r in src.order if src.names[r] is not None]
            self.listed = sorted(kept, key=lambda r: (_fold(src.entries[r]), r))
            self.suffix = _suffixes(self.listed, src.names)
        else:
            self.listed = list(src.order)
            self.suffix = {}
        self.number = {rid: i for i, rid in enumerate(self.listed, 1)}
        self.number[PHANTOM] = len(self.listed) + 1

    def year(self, rid: str) -> str:
        name = self.src.names[rid]
        assert name is not None
        return f"{name.year}{self.suffix.get(rid, '')}"

    def entry(self, rid: str) -> str:
        """The list line; an author-year entry carries the year suffix the text uses."""
        text = self.src.entries[rid]
        printed = self.src.years[rid].strip()
        if self.style == "author-year" and printed and (at := text.rfind(printed)) >= 0:
            text = text[:at] + self.year(rid) + text[at + len(printed) :]
        return text

    def group(self, g: Group, out: str) -> tuple[str, list[tuple[int, str, tuple[str, ...]]]]:
        """Text to append after ``out`` and its anchors (offset in the text, label, rids)."""
        rids = [r for r in g.rids if r in self.number]
        if not rids:
            return "", []
        sep = "" if not out or out[-1] in " ([/" else " "
        if self.style in ("brackets", "superscript"):
            spec = _compress(sorted({self.number[r] for r in rids}))
            marker = f"[{spec}]" if self.style == "brackets" else spec.translate(_SUP)
            lead = ""
            if g.narrative:
                lead = sep + g.narrative + (" " if self.style == "brackets" else "")
                sep = ""
            elif self.style == "superscript":
                sep = ""  # glued to the word before
            at = len(lead) + len(sep)
            return lead + sep + marker, [(at, marker, tuple(rids))]
        names = {r: self.src.names[r] for r in rids}
        if g.narrative and len(rids) == 1:
            name = names[rids[0]]
            assert name is not None
            label = f"{name.label} ({self.year(rids[0])})"
            return sep + label, [(len(sep), label, tuple(rids))]
        parts: list[tuple[str, list[str]]] = []  # label, years; same label merges
        for rid in rids:
            name = names[rid]
            assert name is not None
            if parts and parts[-1][0] == name.label:
                parts[-1][1].append(rid)
            else:
                parts.append((name.label, [rid]))
        text = "" if g.enclosed else "("
        anchors = []
        for i, (label, members) in enumerate(parts):
            if i:
                text += "; "
            part = f"{label}, {', '.join(self.year(r) for r in members)}"
            anchors.append((len(sep) + len(text), part, tuple(members)))
            text += part
        text += "" if g.enclosed else ")"
        return sep + text, anchors

    def paragraph(
        self, items: list[Item]
    ) -> tuple[str, list[tuple[int, str, tuple[str, ...]]], int]:
        """One paragraph as a single line, its anchors, and the markers printed."""
        out = ""
        anchors: list[tuple[int, str, tuple[str, ...]]] = []
        printed = 0
        after_marker = False
        marker_end = -1  # where the last marker printed ends
        for item in items:
            if isinstance(item, Group):
                glue = self.style == "superscript"
                text, found = self.group(item, out.rstrip() if glue else out)
                if found:
                    out = out.rstrip() if glue else out
                    if glue and len(out) == marker_end and not item.narrative:
                        out += "˒"  # "(A) (B)" as ¹⁴˒⁶⁶, not ¹⁴⁶⁶
                    anchors += [(len(out) + at, label, rids) for at, label, rids in found]
                    out += text
                    printed += 1
                    after_marker = True
                    marker_end = len(out)
                continue
            piece = item
            if out.endswith(" ") and piece[:1] in (" ", ".", ",", ";", ":", ")"):
                out = out.rstrip()  # a marker left out (author-year skip) leaves no gap
            elif after_marker and piece[:1].isalnum():
                piece = " " + piece
            out += piece
            after_marker = False
        lead = len(out) - len(out.lstrip())
        return out.strip(), [(a - lead, t, r) for a, t, r in anchors], printed

    def render(self, abstract: list[list[Item]], body: list[list[Item]]) -> Rendered:
        paragraphs: list[tuple[str, list[tuple[int, str, tuple[str, ...]]]]] = []
        printed = 0
        for items in [*abstract, *body]:
            text, anchors, n = self.paragraph(items)
            paragraphs.append((wrap(text, self.width), anchors))
            printed += n
        n_abs = len(abstract)
        text = manuscript_text(
            self.src.title,
            [Block(t, False, []) for t, _ in paragraphs[:n_abs]],
            self.src.keywords,
            [Block(t, False, []) for t, _ in paragraphs[n_abs:]],
        )
        # Where each paragraph starts: manuscript_text joins title, "Abstract", abstracts,
        # keywords and body with blank lines.
        line = 3
        truth: list[Truth] = []
        first: list[str] = []
        for k, (para, anchors) in enumerate(paragraphs):
            if k == n_abs and self.src.keywords:
                line += 2
            line += 2
            for at, label, rids in anchors:
                truth.append(Truth(line + para.count("\n", 0, at), label, rids))
                for rid in sorted(rids, key=lambda r: self.number[r]):
                    if rid not in first:
                        first.append(rid)
            line += para.count("\n")
        if n_abs == len(paragraphs) and self.src.keywords:
            line += 2
        lines = text.split("\n")
        if line != len(lines):
            raise AssertionError(f"{self.src.name}: line bookkeeping off ({line} vs {len(lines)})")
        lines += ["", "References", ""]
        entry_line: dict[int, str] = {}
        for i, rid in enumerate(self.listed, 1):
            entry = self.entry(rid)
            lines.append(entry if self.style == "author-year" else f"{i}. {entry}")
            entry_line[len(lines)] = rid
        return Rendered(
            self.style,
            "\n".join(lines) + "\n",
            entry_line,
            self.listed,
            truth,
            first,
            printed,
        )


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _suffixes(listed: list[str], names: dict[str, Name | None]) -> dict[str, str]:
    """Entries sharing first surname and year get a, b, c... in list order."""
    seen: dict[tuple[str, int], list[str]] = {}
    for rid in listed:
        name = names[rid]
        assert name is not None
        seen.setdefault((_fold(name.first), name.year), []).append(rid)
    return {
        rid: "abcdefghijklmnopqrstuvwxyz"[i]
        for same in seen.values()
        if len(same) > 1
        for i, rid in enumerate(same[:26])
    }


def render(
    src: Source, style: str, width: int, edit: Callable[[Source], Source] | None = None
) -> Rendered:
    """The article in one style; ``edit`` changes the citations first (injected errors)."""
    target = edit(src) if edit else src
    return Renderer(src, style, width).render(target.abstract, target.body)


# --------------------------------------------------------------------------- measuring


@dataclass
class Run:
    """read_references + read_citations + check_intext on one rendered text."""

    rendered: Rendered
    refs: list[ParsedReference]
    intext: InText
    findings: list[Finding]
    notes: list[str]
    uncited: list[str]  # ref ids with an uncited finding ("?" when unmapped)
    rid_of: list[str]  # list index - 1 -> ref id ("?" when an entry maps to no line)


def run(rendered: Rendered) -> Run:
    refs = read_references(rendered.text)
    rid_of = [rendered.entry_line.get(r.line or -1, "?") for r in refs]
    intext = read_citations(rendered.text, refs)
    results = [ReferenceResult(i, ref) for i, ref in enumerate(refs, 1)]
    findings, notes = check_intext(intext, results)
    uncited = [rid_of[r.index - 1] for r in results for f in r.findings if f.code == "uncited"]
    return Run(rendered, refs, intext, findings, notes, uncited, rid_of)


def found_pairs(r: Run) -> Counter[tuple[int, str]]:
    return Counter(
        (m.line, r.rid_of[t - 1] if 0 < t <= len(r.rid_of) else "?")
        for m in r.intext.markers
        for t in m.targets
    )


def true_pairs(rendered: Rendered) -> Counter[tuple[int, str]]:
    return Counter((t.line, rid) for t in rendered.truth for rid in t.rids)


def order_violation(rendered: Rendered) -> bool:
    """Are the entries first cited out of list order in the rendered text itself?"""
    pos = {rid: i for i, rid in enumerate(rendered.listed)}
    seq = [pos[r] for r in rendered.first_cited if r in pos]
    return any(b < a for a, b in zip(_running_max(seq), seq[1:], strict=False))


def _running_max(seq: list[int]) -> list[int]:
    out, best = [], -1
    for v in seq:
        best = max(best, v)
        out.append(best)
    return out


@dataclass
class Score:
    """Totals of one style (or one article in one style)."""

    articles: int = 0
    markers: int = 0  # printed markers
    found_markers: int = 0
    pairs: int = 0
    found: int = 0
    hits: int = 0
    styles: Counter[str] = field(default_factory=Counter)
    listed: int = 0
    read: int = 0  # entries read_references returned
    unmapped: int = 0  # of those, entries starting on no rendered entry's first line
    unresolved: int = 0  # markers with an unresolved part
    missing: int = 0  # missing-reference findings (all false on correct text)
    not_found: int = 0  # entries the text cites that read_citations found no marker for
    false_uncited: int = 0
    true_uncited: int = 0
    skipped_uncited: int = 0  # articles where the uncited check was skipped (share < 0.5)
    false_order: int = 0
    genuine_present: int = 0
    genuine_flagged: int = 0
    skipped_refs: int = 0  # author-year: refs without surname or year

    def add(self, other: Score) -> None:
        for name, value in vars(other).items():
            if isinstance(value, Counter):
                getattr(self, name).update(value)
            else:
                setattr(self, name, getattr(self, name) + value)


def score(src: Source, r: Run) -> Score:
    truth, found = true_pairs(r.rendered), found_pairs(r)
    cited = {rid for t in r.rendered.truth for rid in t.rids}
    got = {r.rid_of[t - 1] for t in r.intext.cited() if 0 < t <= len(r.rid_of)}
    codes = Counter(f.code for f in r.findings)
    genuine = order_violation(r.rendered) if r.rendered.style != "author-year" else False
    return Score(
        articles=1,
        markers=r.rendered.groups,
        found_markers=len(r.intext.markers),
        pairs=sum(truth.values()),
        found=sum(found.values()),
        hits=sum((truth & found).values()),
        styles=Counter([r.intext.style]),
        listed=len(r.rendered.listed),
        read=len(r.refs),
        unmapped=r.rid_of.count("?"),
        unresolved=sum(bool(m.unresolved) for m in r.intext.markers),
        missing=codes["missing-reference"],
        not_found=len(cited - got),
        false_uncited=sum(rid in cited or rid == "?" for rid in r.uncited),
        true_uncited=sum(rid not in cited and rid != "?" for rid in r.uncited),
        skipped_uncited=sum("uncited check was skipped" in n for n in r.notes),
        false_order=codes["citation-order"] if not genuine else 0,
        genuine_present=int(genuine),
        genuine_flagged=codes["citation-order"] if genuine else 0,
        skipped_refs=len(src.order) - len(r.rendered.listed),
    )


# --------------------------------------------------------------------------- injection


def _edit(src: Source, change: Callable[[Group], Group | None]) -> Source:
    """A copy of src with every group passed through ``change`` (None deletes it)."""

    def para(items: list[Item]) -> list[Item]:
        out: list[Item] = []
        for item in items:
            if isinstance(item, Group):
                new = change(item)
                if new is not None and new.rids:
                    out.append(new)
            else:
                out.append(item)
        return out

    return replace(src, abstract=[para(p) for p in src.abstract], body=[para(p) for p in src.body])


def _all_groups(src: Source) -> list[Group]:
    return [i for p in [*src.abstract, *src.body] for i in p if isinstance(i, Group)]


@dataclass
class Injected:
    kind: str
    article: str
    caught: bool
    exact: bool
    detail: str


def inject(src: Source, baseline: Run, kind: str, rng: random.Random, width: int) -> Injected | str:
    """One injected error in the bracket text, and whether check_intext reports it.

    Returns a reason string when the article offers no place for this kind of error.
    """
    groups = _all_groups(src)
    first_group: dict[str, int] = {}
    for k, g in enumerate(groups):
        for rid in g.rids:
            first_group.setdefault(rid, k)
    number = {rid: i for i, rid in enumerate(src.order, 1)}
    base = Counter(f.code for f in baseline.findings)
    n = len(src.order)

    if kind == "missing-reference":
        spots = [(k, rid) for k, g in enumerate(groups) for rid in g.rids if first_group[rid] < k]
        if not spots:
            return "no entry cited twice"
        k, rid = rng.choice(spots)
        target = groups[k]

        def change(g: Group) -> Group | None:
            if g is not target:
                return g
            return replace(g, rids=[PHANTOM if r == rid else r for r in g.rids])

        r = run(render(src, "brackets", width, lambda s: _edit(s, change)))
        codes = Counter(f.code for f in r.findings)
        hit = [f for f in r.findings if f.code == "missing-reference" and f.cited == f"[{n + 1}]"]
        exact = (
            bool(hit)
            and codes["missing-reference"] == base["missing-reference"] + 1
            and Counter(r.uncited) == Counter(baseline.uncited)
            and codes["citation-order"] == base["citation-order"]
        )
        return Injected(kind, src.name, bool(hit), exact, f"[{number[rid]}] -> [{n + 1}]")

    if kind == "uncited":
        cited = list(first_group)
        rid = rng.choice(cited)

        def drop(g: Group) -> Group | None:
            return replace(g, rids=[r for r in g.rids if r != rid])

        r = run(render(src, "brackets", width, lambda s: _edit(s, drop)))
        caught = rid in r.uncited
        exact = caught and Counter(r.uncited) - Counter(baseline.uncited) == Counter([rid])
        skipped = any("uncited check was skipped" in note for note in r.notes)
        return Injected(
            kind,
            src.name,
            caught,
            exact,
            f"[{number[rid]}] removed" + (" (uncited check skipped)" if skipped else ""),
        )

    # citation-order: only where the clean text is in order and raises no order finding
    if order_violation(baseline.rendered) or base["citation-order"]:
        return "cited out of list order already"
    candidates = [
        rid for rid in first_group if number[rid] >= 2 and src.order[number[rid] - 2] in first_group
    ]
    if not candidates:
        return "no entry whose predecessor is cited"
    rid = rng.choice(candidates)
    before = src.order[number[rid] - 2]
    source_group, target_group = groups[first_group[rid]], groups[first_group[before]]

    def move(s: Source) -> Source:
        def para(items: list[Item]) -> list[Item]:
            out: list[Item] = []
            for item in items:
                if item is target_group:
                    out += [Group([rid]), " "]
                if item is source_group:
                    left = [r for r in item.rids if r != rid]
                    if left:
                        out.append(replace(item, rids=left))
                    continue
                out.append(item)
            return out

        return replace(s, abstract=[para(p) for p in s.abstract], body=[para(p) for p in s.body])

    r = run(render(src, "brackets", width, move))
    order = [f for f in r.findings if f.code == "citation-order"]
    k = number[rid]  # exact: the finding names the moved entry as the one cited too early
    exact = bool(order) and f"[{k}] is cited" in order[0].message
    return Injected(kind, src.name, bool(order), exact, f"[{k}] moved before [{k - 1}]")


# --------------------------------------------------------------------------- report


def fingerprint(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _pct(k: int, n: int) -> str:
    return f"{k / n:.3f}" if n else "—"


def style_table(scores: dict[str, Score]) -> list[str]:
    out = [
        "| style | articles | refs left out | markers | pairs | pair recall | pair precision | "
        "detected as | list entries read | unresolved markers | false missing-reference | "
        "cited entries not found | false uncited | false citation-order | genuine order "
        "flagged | true uncited |",
        "|---|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for style, s in scores.items():
        detected = ", ".join(f"{k} {v}" for k, v in sorted(s.styles.items()))
        out.append(
            f"| {style} | {s.articles} | {s.skipped_refs} | {s.markers:,} | {s.pairs:,} | "
            f"{_pct(s.hits, s.pairs)} | {_pct(s.hits, s.found)} | {detected} | "
            f"{s.read}/{s.listed}{f' ({s.unmapped} unmapped)' if s.unmapped else ''} | {s.unresolved} | {s.missing} | {s.not_found} | "
            f"{s.false_uncited} | {s.false_order} | {s.genuine_flagged}/{s.genuine_present} | "
            f"{s.true_uncited} |"
        )
    return out


def article_table(per: dict[tuple[str, str], Score]) -> list[str]:
    out = [
        "| article | style | detected | markers | pair recall | pair precision | false "
        "missing | not found | false uncited | false order | genuine order flagged |",
        "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for (name, style), s in per.items():
        out.append(
            f"| {name} | {style} | {next(iter(s.styles))} | {s.markers} | "
            f"{_pct(s.hits, s.pairs)} | {_pct(s.hits, s.found)} | {s.missing} | "
            f"{s.not_found} | {s.false_uncited} | {s.false_order} | "
            f"{s.genuine_flagged}/{s.genuine_present} |"
        )
    return out


def injection_table(done: list[Injected], skipped: Counter[tuple[str, str]]) -> list[str]:
    out = [
        "| injected error | expected finding | trials | caught | exact | articles skipped |",
        "|---|---|---:|---:|---:|---|",
    ]
    for kind in INJECTIONS:
        rows = [d for d in done if d.kind == kind]
        why = "; ".join(f"{n} ({reason})" for (k, reason), n in skipped.items() if k == kind)
        expected = {
            "missing-reference": "one more missing-reference, for [len+1]",
            "uncited": "uncited on that entry",
            "citation-order": "citation-order",
        }[kind]
        label = {
            "missing-reference": "(a) a marker number -> len(list)+1",
            "uncited": "(b) all markers of one entry removed",
            "citation-order": "(c) a first citation moved before its predecessor's",
        }[kind]
        out.append(
            f"| {label} | {expected} | {len(rows)} | {sum(d.caught for d in rows)} | "
            f"{sum(d.exact for d in rows)} | {why or '—'} |"
        )
    return out


def disagreements(src: Source, r: Run) -> list[str]:
    """Lines where the markers read disagree with the truth: expected vs found."""
    truth, found = true_pairs(r.rendered), found_pairs(r)
    bad = sorted({line for line, _ in (truth - found) + (found - truth)})
    lines = r.rendered.text.split("\n")
    show = (
        (lambda rid: f"{rid}=[{r.rendered.listed.index(rid) + 1}]")
        if r.rendered.style != "author-year"
        else (lambda rid: rid)
    )
    out = []
    for line in bad:
        expected = [
            f"{t.text!r} -> {', '.join(show(x) for x in t.rids)}"
            for t in r.rendered.truth
            if t.line == line
        ]
        got = [
            f"{m.text!r} -> "
            + ", ".join(
                [show(r.rid_of[t - 1]) if r.rid_of[t - 1] != "?" else f"#{t}?" for t in m.targets]
                + [f"unresolved {u!r}" for u in m.unresolved]
            )
            for m in r.intext.markers
            if m.line == line
        ]
        out.append(
            f"- {src.name} {r.rendered.style} line {line}: `{lines[line - 1]}`\n"
            f"  expected: {'; '.join(expected) or '(none)'}\n"
            f"  found:    {'; '.join(got) or '(none)'}"
        )
    for rid in sorted({x for x in r.uncited}):
        cited = any(rid in t.rids for t in r.rendered.truth)
        out.append(
            f"- {src.name} {r.rendered.style}: uncited finding for {rid} "
            f"({'FALSE: the text cites it' if cited or rid == '?' else 'true: never cited'})"
        )
    for f in r.findings:
        out.append(f"- {src.name} {r.rendered.style}: {f.code}: {f.message}")
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--width", type=int, default=80, help="wrap body text here (default 80)")
    ap.add_argument("--trials", type=int, default=5, help="injections per article and kind")
    ap.add_argument("--seed", type=int, default=1, help="injection seed (default 1)")
    ap.add_argument(
        "--show-errors", type=int, default=0, metavar="N", help="print the first N disagreements"
    )
    ap.add_argument(
        "--repeat", type=int, default=3, help="timing passes over all texts (median; default 3)"
    )
    ap.add_argument("--dump", type=Path, metavar="DIR", help="write the rendered texts here")
    args = ap.parse_args(argv)

    started = time.perf_counter()
    header = (
        f"citecheck/references/citations.py sha256 {fingerprint(Path(citations.__file__))}; "
        f"citecheck/checks/intext.py sha256 {fingerprint(Path(intext_check.__file__))[:12]}; "
        f"git {git_head()}"
    )
    sources = [load_source(p) for p in sorted(JATS_DIR.glob("*.gz"))]
    rendered = {
        (src.name, style): render(src, style, args.width) for src in sources for style in STYLES
    }
    if args.dump:
        args.dump.mkdir(parents=True, exist_ok=True)
        for (name, style), r in rendered.items():
            (args.dump / f"{name}.{style}.txt").write_text(r.text, encoding="utf-8")

    # Timing: read_citations alone over every rendered text, the lists already read.
    refs = {key: read_references(r.text) for key, r in rendered.items()}
    passes = []
    n_markers = 0
    for _ in range(max(1, args.repeat)):
        t0 = time.perf_counter()
        intexts = [read_citations(r.text, refs[key]) for key, r in rendered.items()]
        passes.append(time.perf_counter() - t0)
        n_markers = sum(len(i.markers) for i in intexts)
    read_s = statistics.median(passes)

    runs = {key: run(r) for key, r in rendered.items()}
    by_source = {src.name: src for src in sources}
    per = {key: score(by_source[key[0]], r) for key, r in runs.items()}
    totals: dict[str, Score] = {style: Score() for style in STYLES}
    for (_, style), s in per.items():
        totals[style].add(s)

    done: list[Injected] = []
    skipped: Counter[tuple[str, str]] = Counter()
    inject_t0 = time.perf_counter()
    for src in sources:
        baseline = runs[(src.name, "brackets")]
        for kind in INJECTIONS:
            for trial in range(args.trials):
                rng = random.Random(f"{args.seed}/{src.name}/{kind}/{trial}")
                result = inject(src, baseline, kind, rng, args.width)
                if isinstance(result, str):
                    skipped[(kind, result)] += 1
                    break
                done.append(result)
    inject_s = time.perf_counter() - inject_t0
    wall = time.perf_counter() - started

    now = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    print("## In-text citations: markers read, false findings on correct articles\n")
    print(f"{header}; run {now}")
    print(
        f"{len(sources)} JATS articles, body wrapped at {args.width} columns; "
        f"{args.trials} injections per article and kind, seed {args.seed}.\n"
    )
    print("### Per style (correct text)\n")
    print("\n".join(style_table(totals)))
    print("\n### Injected errors (bracket style)\n")
    print("\n".join(injection_table(done, skipped)))
    print("\n### Per article\n")
    print("\n".join(article_table(per)))
    print("\n### Notes\n")
    unknown = sum(s.unknown for s in sources)
    ay = {
        s.name: len(s.order) - len(rendered[(s.name, "author-year")].listed)
        for s in sources
        if len(s.order) > len(rendered[(s.name, "author-year")].listed)
    }
    print(
        "- author-year: refs left out (no surname, i.e. an organisation or no authors, or no "
        "year), with their citations: "
        + (", ".join(f"{k} {v}" for k, v in ay.items()) or "none")
        + "."
    )
    print(f"- bibr xref ids not in the reference list (ignored): {unknown}.")
    genuine = [k[0] for k, s in per.items() if k[1] == "brackets" and s.genuine_present]
    print(
        "- Genuinely out of list order in the numeric renderings (author-year sources whose "
        f"list is alphabetical): {', '.join(genuine) or 'none'}."
    )
    skipped_uncited = [f"{k[0]} {k[1]}" for k, s in per.items() if s.skipped_uncited]
    if skipped_uncited:
        print(
            "- Uncited check skipped (under half the entries read as cited): "
            + ", ".join(skipped_uncited)
            + "."
        )
    for kind in INJECTIONS:
        missed = [d for d in done if d.kind == kind and not d.exact]
        if missed:
            shown = "; ".join(
                f"{d.article} {d.detail}{'' if d.caught else ' (missed)'}" for d in missed[:6]
            )
            print(f"- {kind}: not exact in {len(missed)}: {shown}{' …' if len(missed) > 6 else ''}")
    print(
        f"- Time: {wall:.2f} s wall; read_citations {n_markers:,} markers in {read_s:.3f} s "
        f"(median of {len(passes)} passes over the {len(rendered)} texts: "
        f"{n_markers / read_s:,.0f} markers/s, {1000 * read_s / len(rendered):.1f} ms per text, "
        f"lists already read); {len(done)} injections (render, read_references, "
        f"read_citations, check_intext) in {inject_s:.2f} s."
    )

    if args.show_errors:
        print(f"\n### First {args.show_errors} disagreements\n")
        lines = [
            line for (name, _), r in runs.items() for line in disagreements(by_source[name], r)
        ]
        lines += [
            f"- injection {d.kind} in {d.article}: {d.detail}: "
            f"{'caught but not exact' if d.caught else 'MISSED'}"
            for d in done
            if not d.exact
        ]
        print("\n".join(lines[: args.show_errors]))
    return 0


if __name__ == "__main__":
    sys.exit(main())

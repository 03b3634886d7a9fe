"""How well ``citecheck.relevance`` tells a manuscript's own references from unrelated ones.

Paper-mill articles cite references about unrelated diseases. This script measures whether
``assess(profile_manuscript(text), reference, contexts=...)`` scores such references low
and leaves the genuine ones alone, on real articles with their real reference lists:

* **manuscripts**: the JATS articles in ``benchmarks/data/jats`` rendered as plain text
  (article title on the first line, "Abstract" and the abstract(s), "Keywords: ...", then
  the body's section titles, paragraphs and figure/table captions in order; no back
  matter, no reference list, no sub-articles such as eLife's decision letters; table
  bodies, formulas, labels and object DOIs left out).
* **negatives** (should NOT be flagged): each article's own references that have a title
  (``article-title``, ``chapter-title``, ``data-title``, or for non-journal items the
  ``source``), with their citation contexts: the body sentences holding an
  ``<xref ref-type="bibr">`` that points at them (``rid`` may list several ids; a range
  coded as two xrefs joined by a dash, "[3]-[6]", covers the ids between).
* **positives** (should be flagged): ``--k`` injected references per article, half taken
  from the reference lists of the OTHER JATS articles whose hand-assigned topic tags
  (``ARTICLES``) share nothing with this article's, half sampled from the biblio-glutton
  set (17,015 PMC reference strings from 1,943 journals; rows with a title and a first
  author only). A glutton row is a random biomedical paper, so now and then it is on topic
  by chance: those count as misses here although the scorer may be right.

Every reference, real or injected, is given to ``assess`` in the same shape: first author
only (family name and initials), title, journal (``source``), year, and ``raw`` rendered as
"Family X. Title. Journal. Year.", so nothing but content tells them apart.

Three context modes are scored (each is cheap):

* ``contexts``    real references get their citing sentences, injected ones none;
* ``no-contexts`` every reference gets ``contexts=()`` (what contexts add = the difference);
* ``swapped``     injected references get the contexts of a randomly chosen real reference
                  of the same article (a paper mill replacing the references behind
                  existing citations).

Metrics, pooled over articles and per article: AUROC of (1 - score) for "injected"
(Mann-Whitney, ties count half), precision / recall / F1 of the ``off_topic`` flag (or of
``score < --threshold``), and the false-alarm rate = share of the articles' own references
flagged (target: at most 2 %). ``elife-00666`` is eLife's "kitchen sink" template, not a
research article (its text describes eLife's editorial process and its references are a
grab bag from many fields), so it is left out unless ``--include-template``.

A separate table checks the seed manuscript ``examples/001_ea8cd2c476dabe3b.txt`` (targeted
therapy in acute lymphoblastic leukemia; all 10 references are about other cancers and are
expected off topic): the text before its "References" heading is the manuscript, the
entries come from ``citecheck.references.read_references``, and the contexts are the
sentences holding "[n]" citations.

Reads only ``benchmarks/data/`` and ``examples/``. Usage::

    python benchmarks/relevance.py [--k 10] [--seed 1] [--threshold T]
                                   [--contexts-for-injected] [--include-template]
                                   [--impl MODULE] [--json FILE]

``--impl`` names the module that provides ``profile_manuscript``, ``assess`` and
``DEFAULT_THRESHOLD`` (default ``citecheck.relevance``), to compare an alternative.
"""

from __future__ import annotations

import argparse
import datetime
import gzip
import hashlib
import importlib
import json
import random
import re
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from types import ModuleType
from xml.etree.ElementTree import Element

from defusedxml import ElementTree

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT.parent))  # run from a checkout without installing
from build_idf import in_idf_half  # noqa: E402

# Citation-level JATS helpers shared with the parser benchmark, so that both benchmarks
# read a <ref> the same way (printed spacing, person groups, initials).
from parse_accuracy import _child, _contributors, _initials, _itertext, _local  # noqa: E402

from citecheck.model import Author, ParsedReference  # noqa: E402
from citecheck.references import read_references  # noqa: E402

DATA = ROOT / "data"
JATS_DIR = DATA / "jats"
GLUTTON = DATA / "references-doi-matching.json.gz"
SEED_EXAMPLE = ROOT.parent / "examples" / "001_ea8cd2c476dabe3b.txt"

MODES = ("contexts", "no-contexts", "swapped")
FAR_TARGET = 0.02
TEMPLATE = "elife-00666"


@dataclass(frozen=True)
class Field:
    """Hand-assigned subject of an article: a label to print, tags to keep donors apart."""

    label: str
    tags: frozenset[str]


def _field(label: str, *tags: str) -> Field:
    return Field(label, frozenset(tags))


# Decided by reading each article's title, abstract and keywords. A reference list may
# donate injected references to an article only if the two share no tag, so that e.g. the
# two cancer papers, or the two microbiology papers, never feed each other. Evolution is
# a tag wherever the paper or its references lean on evolutionary biology.
ARTICLES: dict[str, Field] = {
    "1471-2180-11-174": _field("microbiology: phage lambda lysis timing", "microbiology", "evolution"),
    "1472-6831-8-11": _field("oral health: OHIP-NL questionnaire validation", "oral-health", "psychometrics"),
    "ehp-116-1694": _field("environmental health: PBDE-47 and thyroid in rats", "toxicology", "endocrinology"),
    "elife-00666": _field("none: eLife XML template (kitchen sink)", "template"),
    "elife02304": _field("structural biochemistry: apicomplexan LDH evolution", "biochemistry", "evolution", "parasitology"),
    "elife02935": _field("oncology: somatic mtDNA mutations in cancer", "cancer", "genetics"),
    "elife04490": _field("plant ecology: volatile defense of N. attenuata", "plant", "ecology"),
    "elife04953": _field("immunology: actin foci and PLC-gamma in T cells", "immunology", "cell-signalling"),
    "elife05502": _field("developmental biology: BMP/Toll axis in an insect", "development", "cell-signalling", "evolution"),
    "mds526": _field("oncology: cancer stage inequalities (epidemiology)", "cancer", "epidemiology"),
    "pntd.0002065": _field("tropical disease: Rift Valley fever in livestock", "infectious-disease", "epidemiology", "veterinary"),
    "pone.0000217": _field("evolutionary biology: organismal complexity", "evolution", "genetics"),
    "pone.0046493": _field("microbiology: M. tuberculosis lipase inhibitor", "microbiology", "infectious-disease", "biochemistry"),
}  # fmt: skip


# --------------------------------------------------------------------------- data types


@dataclass
class Ref:
    """One reference as the scorer sees it, plus where it came from."""

    key: str  # ref id in its article, or glutton row index
    origin: str  # "real", "jats:<donor article>" or "glutton"
    reference: ParsedReference
    contexts: tuple[str, ...] = ()


@dataclass
class Article:
    """A manuscript as plain text and its reference list (titled entries only)."""

    name: str
    title: str
    text: str
    refs: list[Ref]
    n_listed: int  # <ref> elements in the reference list
    injected: list[Ref] = field(default_factory=list)
    borrowed: dict[str, str] = field(default_factory=dict)  # injected key -> real key (swapped)


@dataclass
class Row:
    """One assess() call: what went in, what came out."""

    article: str
    mode: str
    kind: str  # "real" or "injected"
    source: str  # "real", "jats", "glutton"
    key: str
    title: str
    container: str | None
    year: int | None
    n_contexts: int
    contexts: tuple[str, ...]
    score: float | None
    off_topic: bool | None
    flagged: bool
    explanation: str


# --------------------------------------------------------------------------- sentences

_SENT_END = re.compile(r"[.!?][\"'”’)\]]*\s+")
_ABBREV = frozenset({
    "al", "fig", "figs", "e.g", "i.e", "cf", "vs", "ca", "approx", "ref", "refs", "eq", "eqs",
    "no", "nos", "dr", "prof", "sp", "spp", "st", "var", "resp", "suppl", "vol", "pp",
})  # fmt: skip


def _is_abbreviation(before: str) -> bool:
    """'et al.', 'Fig.', 'e.g.', 'U.S.' and single initials ('J.', 'E.') end no sentence."""
    m = re.search(r"(\S+)$", before)
    if not m:
        return False
    token = m.group(1).lstrip("([").casefold()
    return (
        token in _ABBREV
        or (len(token) == 1 and token.isalpha())
        or re.fullmatch(r"(?:[^\W\d_]\.)+[^\W\d_]", token) is not None
    )


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Start/end offsets of the sentences of one paragraph.

    A sentence ends at . ! or ? followed by white space and a capital, digit or opening
    bracket, unless the word before the full stop is an abbreviation. Decimals ("3.5")
    never split because no space follows their point.
    """
    spans, start = [], 0
    for m in _SENT_END.finditer(text):
        nxt = text[m.end() : m.end() + 1]
        if not nxt or not (nxt.isupper() or nxt.isdigit() or nxt in "([\"'“‘"):
            continue
        if text[m.start()] == "." and _is_abbreviation(text[start : m.start()]):
            continue
        spans.append((start, m.end()))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


# --------------------------------------------------------------------------- JATS text

# Whole subtrees that are not prose: table bodies, maths, labels, object DOIs, graphics.
_SKIP = frozenset({
    "table", "label", "object-id", "graphic", "inline-graphic", "disp-formula",
    "inline-formula", "math", "tex-math",
})  # fmt: skip
# Elements that start a new paragraph of the plain text.
_BLOCKS = frozenset({
    "p", "title", "sec", "caption", "fig", "fig-group", "table-wrap", "table-wrap-foot",
    "list", "list-item", "def-list", "def-item", "term", "def", "boxed-text", "statement",
    "disp-quote", "supplementary-material", "media", "fn", "abstract", "body",
})  # fmt: skip


@dataclass
class Block:
    """A paragraph or heading of plain text, with the bibr xrefs that stood in it."""

    text: str
    heading: bool
    cites: list[tuple[int, int, tuple[str, ...]]]  # start, end, rids


class TextWalker:
    """Turns a JATS subtree into paragraphs while remembering where each citation stood.

    White space is collapsed as the text is appended, so the recorded offsets stay valid
    for the final paragraph text.
    """

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self._parts: list[str] = []
        self._len = 0
        self._cites: list[tuple[int, int, tuple[str, ...]]] = []

    def _add(self, text: str | None) -> None:
        if not text:
            return
        text = re.sub(r"\s+", " ", text)
        if text.startswith(" ") and (not self._parts or self._parts[-1].endswith(" ")):
            text = text[1:]
        if text:
            self._parts.append(text)
            self._len += len(text)

    def _flush(self, heading: bool = False) -> None:
        text = "".join(self._parts).rstrip()
        if text and not re.fullmatch(r"DOI: ?\S+", text):  # eLife's per-asset DOI lines
            self.blocks.append(Block(text, heading, self._cites))
        self._parts, self._len, self._cites = [], 0, []

    def walk(self, node: Element) -> None:
        tag = _local(node.tag)
        if tag in _SKIP:
            return
        block = tag in _BLOCKS
        if block:
            self._flush()
        start = self._len
        self._add(node.text)
        for child in node:
            self.walk(child)
            self._add(child.tail)
        if tag == "xref" and node.get("ref-type") == "bibr":
            self._cites.append((start, self._len, tuple((node.get("rid") or "").split())))
        if block:
            self._flush(heading=tag == "title")


def _paragraphs(nodes: Sequence[Element]) -> list[Block]:
    walker = TextWalker()
    for node in nodes:
        walker.walk(node)
    return walker.blocks


def _keywords(meta: Element) -> list[str]:
    """All kwd-groups (author keywords and eLife's research organisms), titles skipped."""
    return [
        " ".join(_itertext(kwd).split())
        for group in meta.iter()
        if _local(group.tag) == "kwd-group"
        for kwd in group
        if _local(kwd.tag) == "kwd"
    ]


def manuscript_text(
    title: str, abstract: list[Block], keywords: list[str], body: list[Block]
) -> str:
    """The plain-text shape profile_manuscript expects: title line first, no references."""
    parts = [title, "Abstract", *(b.text for b in abstract)]
    if keywords:
        parts.append("Keywords: " + "; ".join(keywords))
    parts.extend(b.text for b in body)
    return "\n\n".join(parts)


def citation_contexts(body: list[Block], order: list[str]) -> dict[str, list[str]]:
    """Ref id -> the body sentences citing it, in order, without repeats.

    Two bibr xrefs with only a dash between them ("[3]–[6]", BMC's "3-6") are a range and
    also cite the ids that lie between them in the reference list.
    """
    position = {rid: i for i, rid in enumerate(order)}
    found: dict[str, list[str]] = {}
    for block in body:
        spans = sentence_spans(block.text)
        previous: tuple[int, int, tuple[str, ...]] | None = None
        for cite in block.cites:
            start, _, rids = cite
            ids = list(rids)
            if previous and re.fullmatch(r"\s*[-‐–—]\s*", block.text[previous[1] : start]):
                lo, hi = position.get(previous[2][-1]), position.get(rids[0]) if rids else None
                if lo is not None and hi is not None and lo < hi:
                    ids.extend(order[lo + 1 : hi])
            previous = cite
            sentence = next((block.text[a:b].strip() for a, b in reversed(spans) if a <= start), "")
            for rid in ids:
                bucket = found.setdefault(rid, [])
                if sentence and sentence not in bucket:
                    bucket.append(sentence)
    return found


# --------------------------------------------------------------------------- JATS references

_YEAR = re.compile(r"(?<![\d.\-–/])(1[5-9]\d\d|20\d\d)(?![\d\-–/])")
_CITATIONS = ("element-citation", "mixed-citation", "citation")


def render_raw(author: Author | None, title: str, container: str | None, year: int | None) -> str:
    """'Family X. Title. Journal. Year.' - the same printed shape for real and injected."""
    parts = [str(author)] if author else []
    parts += [title, container or "", str(year) if year else ""]
    out = []
    for part in parts:
        part = part.strip().rstrip(".").strip()
        if part:
            out.append(part if part[-1] in "?!" else part + ".")
    return " ".join(out)


def make_reference(
    author: Author | None, title: str, container: str | None, year: int | None
) -> ParsedReference:
    """First author only for every source: glutton knows no other authors."""
    title = " ".join(title.split()).rstrip(" .")
    container = " ".join(container.split()) if container else None
    return ParsedReference(
        raw=render_raw(author, title, container, year),
        authors=(author,) if author else (),
        title=title,
        container=container or None,
        year=year,
    )


def _first_author(cit: Element) -> Author | None:
    names, _ = _contributors(cit)
    if not names:
        return None
    el = names[0]
    if _local(el.tag) == "collab":
        return Author(" ".join(_itertext(el).split()))
    surname = _child(el, "surname")
    given = _child(el, "given-names")
    family = _itertext(surname) if surname is not None else _itertext(el)
    return Author(family, _initials(_itertext(given)) if given is not None else "")


def reference_from_citation(cit: Element) -> ParsedReference | None:
    """Title from article-/chapter-/data-title; a book's or web page's source is its title."""
    kind = cit.get("publication-type") or cit.get("citation-type") or ""
    source = _child(cit, "source")
    source_text = _itertext(source) if source is not None else ""
    title = ""
    for tag in ("article-title", "chapter-title", "data-title"):
        el = _child(cit, tag)
        if el is not None and (title := _itertext(el)):
            break
    container: str | None = source_text
    if not title and kind != "journal":
        title, container = source_text, None
    if not title:
        return None
    year_el = _child(cit, "year")
    m = _YEAR.search(_itertext(year_el)) if year_el is not None else None
    return make_reference(_first_author(cit), title, container, int(m.group(1)) if m else None)


def open_article(path: Path) -> tuple[str, Element, Element, str]:
    """A gzipped JATS file's name, root, article-meta and title."""
    name = path.name.removesuffix(".gz").rsplit(".", 1)[0]
    with gzip.open(path) as fh:
        root = ElementTree.parse(fh).getroot()
    front = _child(root, "front")
    meta = _child(front, "article-meta") if front is not None else None
    if meta is None:
        raise ValueError(f"{path.name}: no front/article-meta")
    title_el = next((e for e in meta.iter() if _local(e.tag) == "article-title"), None)
    title = " ".join(_itertext(title_el).split()) if title_el is not None else ""
    return name, root, meta, title


def load_article(path: Path) -> Article:
    """Text, titled references and citation contexts of one JATS file."""
    name, root, meta, title = open_article(path)
    abstracts = [e for e in meta if _local(e.tag) == "abstract"]
    body_el = _child(root, "body")  # the article's own body, not a sub-article's
    body = _paragraphs([body_el] if body_el is not None else [])
    text = manuscript_text(title, _paragraphs(abstracts), _keywords(meta), body)

    ref_els = [e for e in root.iter() if _local(e.tag) == "ref"]
    order = [e.get("id") or "" for e in ref_els]
    contexts = citation_contexts(body, order)
    refs = []
    for el in ref_els:
        for cit in el.iter():
            if _local(cit.tag) in _CITATIONS and (parsed := reference_from_citation(cit)):
                rid = el.get("id") or ""
                refs.append(Ref(rid, "real", parsed, tuple(contexts.get(rid, ()))))
                break
    return Article(name, title, text, refs, len(ref_els))


# --------------------------------------------------------------------------- injection


def _norm_title(title: str | None) -> str:
    return "".join(ch for ch in (title or "").casefold() if ch.isalnum())


def load_glutton() -> list[Ref]:
    """Glutton rows with a title and a first author, shaped like the JATS references.

    The gold has no year and no initials; both are read from the string when they are
    plainly there (a year not inside the title; capitals right after the first author).
    """
    with gzip.open(GLUTTON, "rt", encoding="utf-8") as fh:
        rows = json.load(fh)
    out = []
    for i, row in enumerate(rows):
        title = " ".join((row.get("atitle") or "").split())
        family = (row.get("firstAuthor") or "").strip()
        if not title or not family or in_idf_half(title):
            continue  # the IDF table was built from the other half
        raw = " ".join((row.get("reference") or "").split())
        in_title = set(_YEAR.findall(title))
        year = next((int(y) for y in _YEAR.findall(raw) if y not in in_title), None)
        m = re.search(re.escape(family) + r"[\s,]+((?:[A-Z]\.?-?\s?){1,3})(?![a-z])", raw)
        initials = re.sub(r"[^A-Z]", "", m.group(1)) if m else ""
        ref = make_reference(Author(family, initials), title, row.get("jtitle"), year)
        out.append(Ref(str(i), "glutton", ref))
    return out


def donors_for(name: str, articles: dict[str, Article]) -> list[str]:
    """Articles whose topic tags are disjoint from this one's (the template never donates)."""
    tags = ARTICLES[name].tags
    return [
        other
        for other in articles
        if other not in (name, TEMPLATE) and not (ARTICLES[other].tags & tags)
    ]


def inject(articles: dict[str, Article], glutton: list[Ref], k: int, seed: int) -> None:
    """Give each article k foreign references and pick whose contexts each would borrow.

    Each article has its own Random, seeded from (seed, article), so adding an article or
    changing k elsewhere does not reshuffle the others. Titles the article really cites are
    never injected.
    """
    for name, art in articles.items():
        rng = random.Random(f"{seed}/{name}")
        own = {_norm_title(r.reference.title) for r in art.refs}
        pool: dict[str, Ref] = {}
        for donor in donors_for(name, articles):
            for ref in articles[donor].refs:
                t = _norm_title(ref.reference.title)
                if t not in own and t not in pool:
                    pool[t] = Ref(f"{donor}#{ref.key}", f"jats:{donor}", ref.reference)
        n_jats = min(k // 2, len(pool))
        picked = rng.sample(sorted(pool.values(), key=lambda r: r.key), n_jats)
        while len(picked) < k:
            g = glutton[rng.randrange(len(glutton))]
            if _norm_title(g.reference.title) not in own and all(g.key != p.key for p in picked):
                picked.append(g)
        art.injected = picked
        cited = [r.key for r in art.refs if r.contexts]
        swap = random.Random(f"{seed}/{name}/swap")
        art.borrowed = {r.key: swap.choice(cited) for r in picked} if cited else {}


# --------------------------------------------------------------------------- scoring


def _contexts(art: Article, ref: Ref, mode: str) -> tuple[str, ...]:
    if mode == "no-contexts":
        return ()
    if ref.origin == "real":
        return ref.contexts
    if mode == "swapped" and ref.key in art.borrowed:
        real = next(r for r in art.refs if r.key == art.borrowed[ref.key])
        return real.contexts
    return ()


def score_article(
    art: Article, impl: ModuleType, threshold: float | None, timing: dict[str, float]
) -> list[Row]:
    """Profile the manuscript once, then assess every reference in every mode."""
    t0 = time.perf_counter()
    manuscript = impl.profile_manuscript(art.text)
    timing["profile"] += time.perf_counter() - t0
    rows = []
    for mode in MODES:
        for ref in art.refs + art.injected:
            ctx = _contexts(art, ref, mode)
            rows.append(assess_row(impl, manuscript, art.name, mode, ref, ctx, threshold, timing))
    return rows


def assess_row(
    impl: ModuleType,
    manuscript: object,
    article: str,
    mode: str,
    ref: Ref,
    ctx: tuple[str, ...],
    threshold: float | None,
    timing: dict[str, float],
) -> Row:
    """One call; an exception becomes a row with no score (counted, left out of metrics)."""
    t0 = time.perf_counter()
    try:
        rel = impl.assess(manuscript, ref.reference, contexts=ctx)
        score, why = float(rel.score), str(rel.explanation)
        off = getattr(rel, "off_topic", None)  # the API promises it; say so if it is missing
        off = None if off is None else bool(off)
    except Exception as exc:  # a crash must not hide the other 2,000 results
        score, off, why = None, None, f"EXCEPTION {type(exc).__name__}: {exc}"
    timing["assess"] += time.perf_counter() - t0
    timing["calls"] += 1
    if score is None:
        flagged = False
    elif threshold is not None:
        flagged = score < threshold
    else:
        flagged = off if off is not None else score < float(impl.DEFAULT_THRESHOLD)
    r = ref.reference
    return Row(
        article=article,
        mode=mode,
        kind="real" if ref.origin == "real" else "injected",
        source=ref.origin.split(":")[0],
        key=ref.key,
        title=r.title or "",
        container=r.container,
        year=r.year,
        n_contexts=len(ctx),
        contexts=ctx,
        score=score,
        off_topic=off,
        flagged=flagged,
        explanation=why,
    )


# --------------------------------------------------------------------------- metrics


def auroc(positives: Sequence[float], negatives: Sequence[float]) -> float | None:
    """Mann-Whitney U / (n+ n-): the chance a positive outranks a negative, ties half."""
    if not positives or not negatives:
        return None
    values = sorted([(v, 1) for v in positives] + [(v, 0) for v in negatives])
    rank_sum, i = 0.0, 0
    while i < len(values):
        j = i
        while j < len(values) and values[j][0] == values[i][0]:
            j += 1
        mid_rank = (i + 1 + j) / 2  # ranks i+1 .. j share their mean
        rank_sum += mid_rank * sum(flag for _, flag in values[i:j])
        i = j
    n_pos, n_neg = len(positives), len(negatives)
    return (rank_sum - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg)


@dataclass
class Metrics:
    """Detection of injected references among scored rows."""

    n_real: int
    n_injected: int
    auroc: float | None
    tp: int
    fp: int
    fn: int
    precision: float | None
    recall: float | None
    f1: float | None
    false_alarm_rate: float | None
    threshold_at_target: float | None  # largest cut-off whose false-alarm rate <= target
    recall_at_target: float | None


def _ratio(k: float, n: float) -> float | None:
    return k / n if n else None


def metrics(rows: Sequence[Row]) -> Metrics:
    """AUROC of 1 - score, P/R/F1 of the flag, false alarms, recall at the 2 % budget."""
    scored = [r for r in rows if r.score is not None]
    real = [r for r in scored if r.kind == "real"]
    inj = [r for r in scored if r.kind == "injected"]
    tp = sum(r.flagged for r in inj)
    fp = sum(r.flagged for r in real)
    fn = len(inj) - tp
    precision, recall = _ratio(tp, tp + fp), _ratio(tp, len(inj))
    f1 = (
        2 * precision * recall / (precision + recall)
        if precision is not None and recall and precision + recall
        else (0.0 if precision is not None and recall is not None else None)
    )
    cut = recall_cut = None
    if real and inj:
        real_scores = sorted(r.score for r in real if r.score is not None)
        cut = real_scores[int(FAR_TARGET * len(real_scores))]  # < cut flags <= 2 % of real
        recall_cut = sum(r.score is not None and r.score < cut for r in inj) / len(inj)
    return Metrics(
        n_real=len(real),
        n_injected=len(inj),
        auroc=auroc(
            [1 - r.score for r in inj if r.score is not None],
            [1 - r.score for r in real if r.score is not None],
        ),
        tp=tp,
        fp=fp,
        fn=fn,
        precision=precision,
        recall=recall,
        f1=f1,
        false_alarm_rate=_ratio(fp, len(real)),
        threshold_at_target=cut,
        recall_at_target=recall_cut,
    )


def mean_article_auroc(rows: Sequence[Row]) -> float | None:
    """Mean of per-article AUROCs: ranking within a manuscript, free of scale differences."""
    values = [
        m.auroc
        for name in sorted({r.article for r in rows})
        if (m := metrics([r for r in rows if r.article == name])).auroc is not None
    ]
    return sum(values) / len(values) if values else None


# --------------------------------------------------------------------------- seed manuscript

_BRACKETS = re.compile(r"\[(\d+(?:\s*[-–,]\s*\d+)*)\]")


def _bracket_numbers(inner: str) -> list[int]:
    """'1,2' -> [1, 2]; '3-5' -> [3, 4, 5]."""
    out: list[int] = []
    for part in re.split(r"\s*,\s*", inner):
        bounds = [int(x) for x in re.split(r"\s*[-–]\s*", part) if x]
        if len(bounds) == 2 and bounds[0] <= bounds[1]:
            out.extend(range(bounds[0], bounds[1] + 1))
        else:
            out.extend(bounds)
    return out


def seed_check(
    impl: ModuleType, threshold: float | None, timing: dict[str, float]
) -> list[dict[str, object]]:
    """Score the seed manuscript's 10 references with and without their [n] contexts."""
    text = SEED_EXAMPLE.read_text(encoding="utf-8")
    m = re.search(r"(?m)^\s*References\s*$", text)
    body = text[: m.start()] if m else text
    refs = read_references(text)
    contexts: dict[int, list[str]] = {}
    for para in re.split(r"\n\s*\n", body):
        para = " ".join(para.split())
        for a, b in sentence_spans(para):
            sentence = para[a:b].strip()
            for bm in _BRACKETS.finditer(sentence):
                for n in _bracket_numbers(bm.group(1)):
                    contexts.setdefault(n, []).append(sentence)
    manuscript = impl.profile_manuscript(body)
    out = []
    for i, parsed in enumerate(refs, 1):
        ref = Ref(str(i), "real", parsed, tuple(contexts.get(i, ())))
        with_ctx = assess_row(
            impl, manuscript, "seed", "contexts", ref, ref.contexts, threshold, timing
        )
        without = assess_row(impl, manuscript, "seed", "no-contexts", ref, (), threshold, timing)
        out.append({"n": i, "with_contexts": asdict(with_ctx), "no_contexts": asdict(without)})
    return out


# --------------------------------------------------------------------------- report


def code_version(impl: ModuleType) -> str:
    """Which scorer was measured: it is being written while this runs, so say exactly."""
    path = Path(impl.__file__ or "")
    files = sorted(path.parent.glob("*.py")) if path.name == "__init__.py" else [path]
    digest = hashlib.sha256()
    for f in files:
        digest.update(f.name.encode() + b"\0" + f.read_bytes())
    return f"{impl.__name__} ({path}) sha256 {digest.hexdigest()[:12]}, git {git_head()}"


def git_head() -> str:
    """The checkout's commit, and whether citecheck/ differs from it: what was measured."""

    def git(*args: str) -> str:
        return subprocess.run(
            ["git", "-C", str(ROOT.parent), *args], capture_output=True, text=True, check=True
        ).stdout.strip()

    try:
        head, dirty = git("rev-parse", "--short", "HEAD"), git("status", "--porcelain", "citecheck")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return head + (" (citecheck/ has uncommitted changes)" if dirty else "")


def _f(value: float | None, digits: int = 3) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{100 * value:.1f}%"


def _short(text: str, width: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def article_table(articles: dict[str, Article], all_articles: dict[str, Article]) -> list[str]:
    out = [
        "| article | field label (topic tags) | <ref>s | titled (used) | with contexts | "
        "mean contexts | text words | donor articles |",
        "|---|---|---:|---:|---:|---:|---:|---|",
    ]
    for name, art in all_articles.items():
        f = ARTICLES[name]
        used = name in articles
        cited = [r for r in art.refs if r.contexts]
        mean = sum(len(r.contexts) for r in art.refs) / len(art.refs) if art.refs else 0
        donors = ", ".join(donors_for(name, articles)) if used else "(not evaluated)"
        out.append(
            f"| {name} | {f.label} ({', '.join(sorted(f.tags))}) | {art.n_listed} | "
            f"{len(art.refs)} | {len(cited)} | {mean:.1f} | {len(art.text.split()):,} | {donors} |"
        )
    return out


def summary_table(rows: list[Row]) -> list[str]:
    out = [
        "| mode | real | injected | AUROC pooled | AUROC mean/article | precision | recall | F1 "
        "| false alarms | FAR ≤ 2 %? | cut-off at FAR 2 % | recall there |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|",
    ]
    for mode in MODES:
        sub = [r for r in rows if r.mode == mode]
        m = metrics(sub)
        ok = (
            "—"
            if m.false_alarm_rate is None
            else ("yes" if m.false_alarm_rate <= FAR_TARGET else "**no**")
        )
        out.append(
            f"| {mode} | {m.n_real} | {m.n_injected} | {_f(m.auroc)} | {_f(mean_article_auroc(sub))} | "
            f"{_f(m.precision)} | {_f(m.recall)} | {_f(m.f1)} | {m.fp} ({_pct(m.false_alarm_rate)}) "
            f"| {ok} | {_f(m.threshold_at_target)} | {_f(m.recall_at_target)} |"
        )
    return out


def source_table(rows: list[Row], modes: Sequence[str]) -> list[str]:
    out = [
        "| mode | injected from | n | recall (flagged) | AUROC vs the real references |",
        "|---|---|---:|---:|---:|",
    ]
    for mode in modes:
        sub = [r for r in rows if r.mode == mode and r.score is not None]
        real = [1 - r.score for r in sub if r.kind == "real" and r.score is not None]
        for source in ("jats", "glutton"):
            inj = [r for r in sub if r.kind == "injected" and r.source == source]
            recall = _ratio(sum(r.flagged for r in inj), len(inj))
            auc = auroc([1 - r.score for r in inj if r.score is not None], real)
            out.append(f"| {mode} | {source} | {len(inj)} | {_f(recall)} | {_f(auc)} |")
    return out


def per_article_table(rows: list[Row], primary: str) -> list[str]:
    out = [
        "| article | field | real | injected | AUROC | precision | recall | F1 | false alarms "
        "| AUROC no-ctx | false alarms no-ctx |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name in sorted({r.article for r in rows}):
        m = metrics([r for r in rows if r.article == name and r.mode == primary])
        n = metrics([r for r in rows if r.article == name and r.mode == "no-contexts"])
        out.append(
            f"| {name} | {ARTICLES[name].label.split(':')[0]} | {m.n_real} | {m.n_injected} | "
            f"{_f(m.auroc)} | {_f(m.precision)} | {_f(m.recall)} | {_f(m.f1)} | "
            f"{m.fp} ({_pct(m.false_alarm_rate)}) | {_f(n.auroc)} | {n.fp} ({_pct(n.false_alarm_rate)}) |"
        )
    return out


def seed_table(seed_rows: list[dict[str, object]]) -> list[str]:
    out = [
        "| # | score | off_topic | flagged | contexts | score no-ctx | flagged no-ctx | title | explanation |",
        "|---:|---:|---|---|---:|---:|---|---|---|",
    ]
    for item in seed_rows:
        w, n = item["with_contexts"], item["no_contexts"]
        assert isinstance(w, dict) and isinstance(n, dict)
        out.append(
            f"| {item['n']} | {_f(w['score'])} | {w['off_topic']} | {w['flagged']} | "
            f"{w['n_contexts']} | {_f(n['score'])} | {n['flagged']} | "
            f"{_cell(_short(w['title'], 70))} | {_cell(_short(w['explanation'], 80))} |"
        )
    flagged = sum(bool(i["with_contexts"]["flagged"]) for i in seed_rows)  # type: ignore[index]
    flagged_n = sum(bool(i["no_contexts"]["flagged"]) for i in seed_rows)  # type: ignore[index]
    out.append("")
    out.append(
        f"Flagged: {flagged}/{len(seed_rows)} with contexts, {flagged_n}/{len(seed_rows)} "
        "without (all are expected off topic)."
    )
    return out


def row_list(rows: list[Row], key: Callable[[Row], float], n: int, source: bool) -> list[str]:
    head = "| article | source | score | flagged | contexts | title | journal | explanation |"
    out = [head if source else head.replace(" source |", ""), "|---" * (8 if source else 7) + "|"]
    for r in sorted(rows, key=key)[:n]:
        cells = [r.article] + ([r.source] if source else [])
        cells += [
            _f(r.score),
            str(r.flagged),
            str(r.n_contexts),
            _short(r.title, 80),
            _short(r.container or "", 30),
            _short(r.explanation, 100),
        ]
        out.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    return out


# --------------------------------------------------------------------------- main


def load_articles(include_template: bool) -> tuple[dict[str, Article], dict[str, Article]]:
    """All parsed articles, and the ones evaluated (the template only on request)."""
    loaded = {}
    for path in sorted(JATS_DIR.glob("*.gz")):
        art = load_article(path)
        if art.name not in ARTICLES:
            raise SystemExit(f"{path.name}: no field label in ARTICLES; add one by hand")
        loaded[art.name] = art
    used = {k: v for k, v in loaded.items() if include_template or k != TEMPLATE}
    return loaded, used


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--k", type=int, default=10, help="injected references per article (default 10)"
    )
    ap.add_argument(
        "--seed", type=int, default=1, help="injection and context-swap seed (default 1)"
    )
    ap.add_argument("--threshold", type=float, help="flag score < T instead of using off_topic")
    ap.add_argument(
        "--contexts-for-injected",
        action="store_true",
        help="per-article table and lists use the 'swapped' mode (injected references borrow "
        "a real reference's contexts); the summary always shows all modes",
    )
    ap.add_argument("--include-template", action="store_true", help=f"also evaluate {TEMPLATE}")
    ap.add_argument("--impl", default="citecheck.relevance", help="module under test")
    ap.add_argument("--lowest", type=int, default=15, help="real references listed (default 15)")
    ap.add_argument("--highest", type=int, default=10, help="injected listed (default 10)")
    ap.add_argument("--json", type=Path, metavar="FILE", help="write every scored row here")
    args = ap.parse_args(argv)

    impl = importlib.import_module(args.impl)
    default_threshold = float(impl.DEFAULT_THRESHOLD)
    primary = "swapped" if args.contexts_for_injected else "contexts"
    version = code_version(impl)  # before the run: the scorer may change while it runs
    started = time.perf_counter()

    all_articles, articles = load_articles(args.include_template)
    glutton = load_glutton()
    inject(articles, glutton, args.k, args.seed)
    loaded_s = time.perf_counter() - started

    timing = {"profile": 0.0, "assess": 0.0, "calls": 0.0}
    rows = [
        row for art in articles.values() for row in score_article(art, impl, args.threshold, timing)
    ]
    seed_rows = seed_check(impl, args.threshold, timing)
    wall = time.perf_counter() - started

    threshold = args.threshold if args.threshold is not None else default_threshold
    now = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    print("## Relevance: own references vs injected off-topic ones\n")
    print(f"{version}; run {now}")
    how = (
        "score < --threshold"
        if args.threshold is not None
        else "the off_topic flag (or score < DEFAULT_THRESHOLD where there is none)"
    )
    print(
        f"seed {args.seed}, k {args.k} injected per article ({args.k // 2} from other JATS "
        f"articles of other fields, {args.k - args.k // 2} from glutton); flagged = {how} "
        f"(threshold {threshold:g}; DEFAULT_THRESHOLD {default_threshold:g}); "
        f"per-article tables and lists: mode '{primary}'.\n"
    )
    print("### Articles\n")
    print("\n".join(article_table(articles, all_articles)))
    print("\n### Summary (pooled over the evaluated articles)\n")
    print("\n".join(summary_table(rows)))
    print("\n### By injection source\n")
    print("\n".join(source_table(rows, [primary, "no-contexts"])))
    print(f"\n### Per article (mode '{primary}'; no-ctx = every reference without contexts)\n")
    print("\n".join(per_article_table(rows, primary)))
    print("\n### Seed manuscript (examples/001_ea8cd2c476dabe3b.txt)\n")
    print("\n".join(seed_table(seed_rows)))
    main_rows = [r for r in rows if r.mode == primary and r.score is not None]
    score_of: Callable[[Row], float] = lambda r: r.score if r.score is not None else 0.0  # noqa: E731
    print(f"\n### The {args.lowest} lowest-scoring REAL references (false alarms to study)\n")
    print(
        "\n".join(
            row_list([r for r in main_rows if r.kind == "real"], score_of, args.lowest, False)
        )
    )
    print(f"\n### The {args.highest} highest-scoring INJECTED references (misses)\n")
    injected = [r for r in main_rows if r.kind == "injected"]
    print("\n".join(row_list(injected, lambda r: -score_of(r), args.highest, True)))

    print("\n### Notes\n")
    for note in notes(rows, seed_rows, all_articles, articles, default_threshold, args.threshold):
        print(f"- {note}")
    calls = int(timing["calls"])
    print(
        f"- Time: {wall:.2f} s wall; loading and injection {loaded_s:.2f} s; "
        f"profile_manuscript {timing['profile']:.2f} s for {len(articles) + 1} manuscripts; "
        f"assess {timing['assess']:.2f} s for {calls:,} calls "
        f"({1000 * timing['assess'] / max(calls, 1):.2f} ms each)."
    )

    if args.json:
        dump = {
            "version": version,
            "run": now,
            "args": {k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items()},
            "threshold": threshold,
            "fields": {k: {"label": v.label, "tags": sorted(v.tags)} for k, v in ARTICLES.items()},
            "summary": {
                mode: asdict(metrics([r for r in rows if r.mode == mode])) for mode in MODES
            },
            "rows": [asdict(r) for r in rows],
            "seed_manuscript": seed_rows,
        }
        args.json.write_text(
            json.dumps(dump, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
        print(f"- Wrote {len(rows) + 2 * len(seed_rows):,} rows to {args.json}.")
    return 0


def notes(
    rows: list[Row],
    seed_rows: list[dict[str, object]],
    all_articles: dict[str, Article],
    articles: dict[str, Article],
    default_threshold: float,
    threshold: float | None,
) -> list[str]:
    """Caveats and sanity checks that belong next to the numbers."""
    out = []
    errors = [r for r in rows if r.score is None]
    if errors:
        out.append(
            f"**{len(errors)} assess() calls raised** and are left out of every metric; first: "
            f"{errors[0].article} {errors[0].key}: {_short(errors[0].explanation, 150)}"
        )
    bad = [r for r in rows if r.score is not None and not 0 <= r.score <= 1]
    if bad:
        out.append(f"**{len(bad)} scores outside [0, 1]**, e.g. {bad[0].score!r}.")
    missing = [r for r in rows if r.score is not None and r.off_topic is None]
    if missing:
        out.append(
            f"**The result of assess() has no off_topic attribute** ({len(missing)} rows); "
            "flagged = score < DEFAULT_THRESHOLD instead."
        )
    if threshold is None:
        mismatch = [
            r
            for r in rows
            if r.off_topic is not None
            and r.score is not None
            and r.off_topic != (r.score < default_threshold)
        ]
        if mismatch:
            out.append(
                f"**off_topic disagrees with score < DEFAULT_THRESHOLD on {len(mismatch)} rows**"
                f" (e.g. {mismatch[0].article} {mismatch[0].key}: score {mismatch[0].score})."
            )
    scores = Counter(r.score for r in rows if r.mode == "contexts" and r.score is not None)
    if scores:
        top, n = scores.most_common(1)[0]
        total_scores = sum(scores.values())
        if n > total_scores / 10:
            out.append(
                f"{n} of {total_scores} scores in mode 'contexts' are exactly {top:g} "
                f"({len(scores)} distinct values): ties count half in AUROC, and the lists "
                "above show tied rows in article order."
            )
    skipped = {
        n: a.n_listed - len(a.refs) for n, a in all_articles.items() if a.n_listed > len(a.refs)
    }
    out.append(
        "References without any title are not used: "
        + ", ".join(f"{n} {k}" for n, k in skipped.items())
        + " (mostly untagged PLoS 'other' entries, web pages and reports)."
    )
    uncited = sum(1 for a in articles.values() for r in a.refs if not r.contexts)
    total = sum(len(a.refs) for a in articles.values())
    out.append(
        f"{uncited} of {total} real references have no citing sentence in the body (cited "
        "only in tables, methods tables, supplements or not at all); in mode 'contexts' they "
        "are scored like injected ones, without contexts."
    )
    out.append(
        "In mode 'contexts' the mere presence of a citing sentence separates real from "
        "injected references, so a scorer that rewards having contexts at all looks good "
        "there for free; mode 'swapped' removes that cue and is the fair test of what the "
        "contexts' content adds over 'no-contexts'."
    )
    if TEMPLATE in all_articles and TEMPLATE not in articles:
        out.append(
            f"{TEMPLATE} is eLife's 'kitchen sink' XML template: its text is about eLife's "
            "editorial process and its references are samples from many fields, so it is not "
            "evaluated and never donates (--include-template evaluates it)."
        )
    out.append(
        "Glutton injections are random PMC-cited papers: some will be on the article's topic "
        "by chance (read the 'highest-scoring injected' list before blaming the scorer); about "
        "1% of glutton rows carry another reference's gold title, and some titles are not in "
        "English."
    )
    out.append(
        "JATS injections come only from articles with disjoint topic tags, but a reference "
        "list also cites methods and statistics papers (e.g. R, BLAST, mixed models) that are "
        "off topic everywhere and on topic nowhere; those set the floor of what any scorer "
        "can reach here."
    )
    out.append(
        "AUROC pooled ranks all articles' rows together (what a single global threshold "
        "sees); AUROC mean/article ranks within each manuscript. Cut-off at FAR 2 % = the "
        "largest threshold at which at most 2 % of the real references score below it."
    )
    if seed_rows:
        n_ctx = sum(bool(i["with_contexts"]["n_contexts"]) for i in seed_rows)  # type: ignore[index]
        out.append(
            f"Seed manuscript: {n_ctx} of {len(seed_rows)} references have a '[n]' context. "
            "Its text has no title line (it starts at 'Introduction'; the title stands only "
            "in the 'Citation:' lines after the reference heading), so the profile sees the "
            "body alone."
        )
    return out


if __name__ == "__main__":
    sys.exit(main())

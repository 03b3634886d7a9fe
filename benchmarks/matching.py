"""DOI matching accuracy of citecheck's resolver, measured the way biblio-glutton published it.

biblio-glutton's evaluation (doc/Benchmarking.md in kermitt2/biblio-glutton) runs 17,015
PDF-extracted PubMed Central reference strings through a matcher and counts the DOIs it
returns: precision = correct / returned, recall = correct / all, F1. Their figures, against a
full Crossref dump (Sept. 2021): biblio-glutton P 97.33 / R 95.52 / F1 96.42, the Crossref REST
API P 97.19 / R 94.26 / F1 95.69.

No machine of this project reaches Crossref or PubMed, so this script serves a LOCAL corpus
from ``tests/fakeservice.FakeServices`` (a fake Crossref REST API + E-utilities on 127.0.0.1)
and runs citecheck's real pipeline against it: ``parse_reference`` on each string, then
``Resolver.resolve_all`` over the same ``Http``/``Crossref``/``PubMed`` classes that
``citecheck.audit.services`` builds, with rate limiting off (``services()`` has no switch for
that, so the stack is assembled here from its classes). A reference's predicted DOI is the
DOI of the record the resolver accepted (Crossref's, else PubMed's).

The corpus:

* one ``Work`` per distinct gold DOI, built from the gold metadata only: title, first author
  (surname only, as the only author: the gold has no other authors and no given names),
  journal (as the citing article wrote it, usually an abbreviation), volume, first page (no
  last page), DOI, PMID (PubMed-visible only when the gold has one). The gold has no year; it
  is taken from the reference string when exactly one plausible year stands there outside
  the title, page ranges and DOIs (or, among several, exactly one in a year slot such as
  "(2004)" or "2004;"), else left None (the count is printed; the fake then serves the
  placeholder "created" year 2000, which citecheck reads as the record's year).
* one SYNTHETIC distractor per gold work, under Crossref's example prefix 10.5555
  (``10.5555/citecheck-bench.<kind>.<n>``; PMIDs from 90,000,000 up, where the gold has a
  PMID): ``neighbour`` = same journal, volume and year, another first author, a title that
  keeps ~40% of the gold title's words, pages further on; ``sibling`` = same first author and
  journal, a title that keeps the first ~60% of the gold words ("part II"), one to three
  years and volumes later; ``correction`` = "Correction: <gold title>", no authors, same
  journal, volume and year, a later page (PubMed type Published Erratum).

Why this flatters the result (also printed with the table): the corpus is small (~34k works
against Crossref's ~170M), so there are few true near-duplicates (same-title reprints,
conference abstracts, preprints, book chapters); the records are built from the very gold
metadata the strings were aligned with, so fields agree unless the parser erred, and journal
names are in the citing article's own form; there are no stale or changed DOIs (a large share
of biblio-glutton's and Crossref's errors, by their own account); and the fake's BM25 ranking
is not Crossref's. Treat the figures as an upper bound for the resolver and parser, and the
failure list as the useful output.

The same references can be resolved from a local index instead (issue 9): ``--index``
writes the corpus as dump files with ``tests/fakeservice.write_dumps`` (the fake's own
rendering: Crossref JSON lines, a PubMed baseline file), builds an index from them with
``citecheck.index.build`` and resolves through ``IndexResolver`` (as ``check --index`` does);
every other line is shared. ``--compare`` runs both paths on the same references and prints
them side by side, with every reference whose predicted DOI differs, grouped by why.
``--pubmed-only`` hides the corpus from Crossref, so every match has to come through
ECitMatch and the PubMed title search (what the index emulates least directly).

Usage::

    python benchmarks/matching.py                 # random sample of 2,000, seed 1
    python benchmarks/matching.py --limit 500 --examples 3
    python benchmarks/matching.py --all --jobs 2  # all 17,015 strings (~40 min on 2 cores)
    python benchmarks/matching.py --limit 4000 --dump /tmp/failures.jsonl
    python benchmarks/matching.py --index         # the same from a local index (~20 s)
    python benchmarks/matching.py --compare       # both, side by side, and the differences
    python benchmarks/matching.py --compare --pubmed-only --all

Runs ``--jobs`` worker processes (default: CPU count), each with its own fake server and a
share of the sample, because the fake's search is pure Python and shares the GIL with the
client. References are resolved in batches of ``--batch`` (default 40), one resolver per
batch, as if each batch were one manuscript's list: the resolver batches ECitMatch and
ESearch per list, and one 2,000-entry list would make URLs no real service accepts.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import multiprocessing
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run from a checkout without installing; tests/ is not installed

from citecheck.checks.match import Evidence, evaluate  # noqa: E402
from citecheck.checks.text import fold  # noqa: E402
from citecheck.index.build import build  # noqa: E402
from citecheck.model import ParsedReference, Record  # noqa: E402
from citecheck.references import parse_reference  # noqa: E402
from citecheck.resolve.crossref import Crossref, to_record  # noqa: E402
from citecheck.resolve.http import Http  # noqa: E402
from citecheck.resolve.index import IndexCrossref, IndexPubMed, IndexResolver, LocalIndex  # noqa: E402
from citecheck.resolve.pubmed import CitMatch, PubMed  # noqa: E402
from citecheck.resolve.resolver import Resolution, Resolver  # noqa: E402
from citecheck.settings import Settings  # noqa: E402
from tests.fakeservice import FakeServices, Work, crossref_item, write_dumps  # noqa: E402

GLUTTON = ROOT / "benchmarks" / "data" / "references-doi-matching.json.gz"
DISTRACTOR_PREFIX = "10.5555/citecheck-bench"  # Crossref's example prefix: never a real work
SYNTHETIC_PMID_BASE = 90_000_000
KINDS = (("neighbour", 0.5), ("sibling", 0.35), ("correction", 0.15))

# Published figures (kermitt2/biblio-glutton, doc/Benchmarking.md): 17,015 references,
# Crossref dump of Sept. 2021; Crossref API used with ~50 concurrent queries.
PUBLISHED = (
    ("biblio-glutton (published)", 17015, 16699, 97.33, 95.52, 96.42, 0.0673),
    ("Crossref REST API (published)", 17015, 16502, 97.19, 94.26, 95.69, 0.1797),
)

CAVEATS = """\
Why these figures flatter citecheck (read them as an upper bound):
- Small corpus: ~2 works per gold DOI (the gold work and one synthetic distractor), against
  Crossref's ~170M records. Real near-duplicates (same-title reprints, conference abstracts,
  preprints, errata with the full title, book chapters) are mostly absent, so a match that
  is merely "good enough" is rarely beaten by a wrong one.
- No stale DOIs: every gold DOI exists and points to the gold metadata. biblio-glutton says
  a large share of its and Crossref's errors come from DOIs in the NLM files that are no
  longer valid; here those cannot happen.
- The records are built from the gold metadata the strings were aligned with (journal in
  the citing article's own, usually abbreviated, form; first page only; first author only),
  so a field disagrees only when the parser got it wrong. Real records differ from the
  citation more often (full journal names, page ranges, online vs print years).
- Ranking: the fake ranks with BM25 over tokens, not Crossref's engine; misses caused by
  ranking here say little about Crossref's ranking, and vice versa.
- Year: the gold has no year, so a record's year is taken from the string itself when one
  year stands there unambiguously; a cited year therefore never disagrees with the record.
Two things cut the other way: a record left without a year gets the fake's placeholder
"created" date (2000), which citecheck reads as its year, so it disagrees with the cited
year; and ~30% of gold rows have no first author, so those records have no authors at all
and the author field can never support a match."""


# ---------------------------------------------------------------------------------------
# Gold data and corpus
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """One gold row: a PDF-extracted reference string and the NLM metadata it was aligned with."""

    index: int
    reference: str
    doi: str
    pmid: str | None
    title: str
    first_author: str
    journal: str
    volume: str
    first_page: str


def load_rows(path: Path = GLUTTON) -> list[Row]:
    """The gold rows; also reads a plain-JSON excerpt whose rows keep their upstream "row"."""
    with (gzip.open if path.suffix == ".gz" else open)(path, "rt", encoding="utf-8") as fh:
        data = json.load(fh)
    return [
        Row(
            index=r.get("row", i),
            reference=r.get("reference") or "",
            doi=(r.get("doi") or "").strip(),
            pmid=(r.get("pmid") or "").strip() or None,
            title=" ".join((r.get("atitle") or "").split()),
            first_author=(r.get("firstAuthor") or "").strip(),
            journal=(r.get("jtitle") or "").strip(),
            volume=(r.get("volume") or "").strip(),
            first_page=(r.get("firstPage") or "").strip(),
        )
        for i, r in enumerate(data)
    ]


# A year not glued to other digits, a page range ("1844-1850", "1860- 1866"), a DOI or a path.
_YEAR = re.compile(r"(?<![\d.\-–/])(?<![\-–] )(1[89]\d\d|20[0-2]\d)(?![\d\-–/])")
# Where a year stands in common styles: "(2004)", "2004;", "2004, 29:", ". 2004.", at the end.
_YEAR_SLOTS = (
    r"\(\s*{y}[a-z]?\s*\)",
    r"{y}[a-z]?\s*;",
    r"{y}[a-z]?\s*,\s*\d",
    r"[.,]\s*{y}[a-z]?\s*[.:]",
    r"\b{y}[a-z]?\s*$",
)


def year_from_string(row: Row) -> int | None:
    """The one year the string gives, or None when there is none or it stays ambiguous.

    Years inside the title ("the 2007 St Gallen conference") count only if they also stand
    outside it; a year equal to the gold volume or first page is ignored. With several
    candidates, the one standing in a year slot wins if it is the only one there.
    """
    text = " ".join(row.reference.split())
    in_string = Counter(_YEAR.findall(text))
    in_title = Counter(_YEAR.findall(row.title))
    years = {
        y
        for y, n in in_string.items()
        if n > in_title.get(y, 0) and y not in (row.volume, row.first_page)
    }
    if len(years) > 1:
        years = {y for y in years if any(re.search(p.format(y=y), text) for p in _YEAR_SLOTS)}
    return int(years.pop()) if len(years) == 1 else None


@dataclass
class Corpus:
    works: list[Work]
    gold: dict[str, Work]  # lower-case DOI -> gold work
    distractor_kind: dict[str, str]  # lower-case DOI -> kind
    stats: dict[str, int] = field(default_factory=dict)


def _shift_page(page: str, rng: random.Random, low: int = 3, high: int = 60) -> str | None:
    m = re.fullmatch(r"([A-Za-z]*)(\d+)([A-Za-z]*)", page)
    if not m:
        return None
    return f"{m.group(1)}{int(m.group(2)) + rng.randint(low, high)}{m.group(3)}"


def _bump(value: str, rng: random.Random) -> str:
    return str(int(value) + rng.randint(1, 3)) if value.isdigit() else value


def build_corpus(rows: list[Row], seed: int) -> Corpus:
    """Gold works (one per DOI, first row wins) plus one synthetic distractor each."""
    rng = random.Random(seed)
    gold: dict[str, Work] = {}
    pmid_owner: dict[str, str] = {}
    stats: Counter[str] = Counter()
    for row in rows:
        key = row.doi.lower()
        if not key:
            stats["rows without DOI"] += 1
            continue
        if key in gold:
            stats["duplicate DOI rows (first row's metadata kept)"] += 1
            continue
        pmid = row.pmid
        if pmid and pmid_owner.setdefault(pmid, key) != key:
            stats["PMIDs shared by two DOIs (dropped on the second)"] += 1
            pmid = None
        year = year_from_string(row)
        stats["gold works"] += 1
        stats["gold works with a year from the string"] += year is not None
        stats["gold works with a first author"] += bool(row.first_author)
        stats["gold works with a PMID (PubMed-visible)"] += pmid is not None
        gold[key] = Work(
            doi=row.doi,
            pmid=pmid,
            title=row.title,
            authors=((row.first_author, ""),) if row.first_author else (),
            journal=row.journal,
            year=year,
            volume=row.volume or None,
            pages=row.first_page or None,
        )
    vocabulary = sorted({w for work in gold.values() for w in work.title.split() if len(w) > 3})
    surnames = sorted({work.authors[0][0] for work in gold.values() if work.authors})
    distractors: list[Work] = []
    kinds: dict[str, str] = {}
    for n, work in enumerate(gold.values()):
        kind = rng.choices([k for k, _ in KINDS], weights=[w for _, w in KINDS])[0]
        words = work.title.split()
        doi = f"{DISTRACTOR_PREFIX}.{kind}.{n}"
        pmid = str(SYNTHETIC_PMID_BASE + n) if work.pmid else None
        page = _shift_page(work.pages or "", rng)
        if kind == "neighbour":
            keep = [w if rng.random() < 0.4 else rng.choice(vocabulary) for w in words]
            other = rng.choice(surnames) if surnames else ""
            fake = Work(
                doi=doi,
                pmid=pmid,
                title=" ".join(keep) or "Untitled",
                authors=((other, ""),) if other else (),
                journal=work.journal,
                year=work.year,
                volume=work.volume,
                pages=page,
            )
        elif kind == "sibling":
            cut = max(1, round(len(words) * 0.6))
            tail = [rng.choice(vocabulary) for _ in range(max(2, len(words) - cut))]
            fake = Work(
                doi=doi,
                pmid=pmid,
                title=" ".join(words[:cut] + tail),
                authors=work.authors,
                journal=work.journal,
                year=work.year + rng.randint(1, 3) if work.year else None,
                volume=_bump(work.volume, rng) if work.volume else None,
                pages=_shift_page(work.pages or "", rng, 100, 900),
            )
        else:
            fake = Work(
                doi=doi,
                pmid=pmid,
                title=f"Correction: {work.title}",
                journal=work.journal,
                year=work.year,
                volume=work.volume,
                pages=_shift_page(work.pages or "", rng, 200, 900),
                publication_types=("Published Erratum",),
            )
        distractors.append(fake)
        kinds[doi.lower()] = kind
        stats[f"distractors: {kind}"] += 1
    return Corpus([*gold.values(), *distractors], gold, kinds, dict(stats))


# ---------------------------------------------------------------------------------------
# Running the resolver
# ---------------------------------------------------------------------------------------


class Recording:
    """Keeps each search's candidates, to tell ranking from rejection (mixed into both
    Crossref clients: the API's and the index's)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.candidates: dict[int, list[Record]] = {}
        self.seconds = 0.0
        self.searches = 0

    def search(self, ref: ParsedReference) -> list[Record]:
        started = time.perf_counter()
        found: list[Record] = super().search(ref)  # type: ignore[misc]
        self.seconds += time.perf_counter() - started
        self.searches += 1
        self.candidates[id(ref)] = found
        return found


class RecordingCrossref(Recording, Crossref):
    """The API client, recording."""


class Asked:
    """Questions put to the index, by kind: the index path's "requests"."""

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()
        self._lock = threading.Lock()

    def __call__(self, kind: str) -> None:
        with self._lock:
            self.counts[kind] += 1


class RecordingIndexCrossref(Recording, IndexCrossref):
    """The index's Crossref client, recording and counting."""

    def __init__(self, index: LocalIndex, rows: int, asked: Asked) -> None:
        super().__init__(index, rows)
        self.asked = asked

    def search(self, ref: ParsedReference) -> list[Record]:
        self.asked("crossref search")
        return super().search(ref)

    def works(self, dois: list[str]) -> dict[str, Record]:
        self.asked("crossref works by DOI")
        return super().works(dois)


class CountingIndexPubMed(IndexPubMed):
    """The index's PubMed client, counting."""

    def __init__(self, index: LocalIndex, asked: Asked) -> None:
        super().__init__(index)
        self.asked = asked

    def fetch(self, pmids: list[str]) -> dict[str, Record]:
        self.asked("pubmed fetch")
        return super().fetch(pmids)

    def by_dois(self, dois: list[str]) -> list[str]:
        self.asked("pubmed by DOI")
        return super().by_dois(dois)

    def by_title(self, ref: ParsedReference) -> list[str]:
        self.asked("pubmed by title")
        return super().by_title(ref)

    def citmatch(self, refs: dict[str, ParsedReference]) -> dict[str, CitMatch]:
        self.asked("pubmed citmatch (one per list)")
        return super().citmatch(refs)


@dataclass
class Backend:
    """What a worker resolves against: the fake API or the local index."""

    resolver: Callable[[], Resolver]  # a fresh one per batch ("manuscript")
    crossref: Recording
    asked: Callable[[], Counter[str]]
    setup_seconds: float  # the fake's one-off index build (0 for the local index)


@contextmanager
def fake_api(corpus: Corpus) -> Iterator[Backend]:
    """The corpus served by the fake services, and the API clients over HTTP."""
    with FakeServices(corpus.works) as svc:
        settings = Settings(
            crossref_url=svc.crossref_url,
            eutils_url=svc.eutils_url,
            use_cache=False,
            timeout=5,
            retries=1,
            run_budget=10**6,
        )
        http = Http(settings, rate_limit=False)
        crossref = RecordingCrossref(http, settings.crossref_url, settings.crossref_rows)
        pubmed = PubMed(http, settings.eutils_url)
        # Build the fake's indexes before timing: a one-off cost of the fake, not the resolver.
        started = time.perf_counter()
        svc._bm25_for("bibliographic")
        svc._pubidx  # noqa: B018 - property that builds the PubMed index
        setup_seconds = time.perf_counter() - started
        svc.clear_requests()
        try:
            yield Backend(
                lambda: Resolver(crossref, pubmed),
                crossref,
                lambda: Counter(_endpoint(r.path, r.query) for r in svc.requests),
                setup_seconds,
            )
        finally:
            http.close()
        if svc.errors:
            print(f"warning: the fake raised {len(svc.errors)} error(s): {svc.errors[:3]}")


@contextmanager
def local_index(directory: Path) -> Iterator[Backend]:
    """The same corpus from a local index built from its dumps (``build_index``), through
    ``IndexResolver`` as ``check --index`` builds it; only the clients record and count."""
    index = LocalIndex(directory)
    asked = Asked()
    rows = Settings().crossref_rows
    crossref = RecordingIndexCrossref(index, rows, asked)
    pubmed = CountingIndexPubMed(index, asked)

    def resolver() -> Resolver:
        res = IndexResolver(index, rows)
        res.crossref, res.pubmed = crossref, pubmed
        return res

    try:
        yield Backend(resolver, crossref, lambda: Counter(asked.counts), 0.0)
    finally:
        index.close()


@dataclass
class IndexBuild:
    directory: Path
    dump_seconds: float
    build_seconds: float
    dump_bytes: int
    index_bytes: int
    reused: bool


def _size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def build_index(corpus: Corpus, directory: Path) -> IndexBuild:
    """The corpus as dump files (``write_dumps``: the fake's own rendering) and the index
    built from them with ``citecheck.index.build``. The index folder is named after the
    dumps' checksums, so a kept directory is reused only for the very same corpus (the build
    then skips the files it has applied)."""
    started = time.perf_counter()
    crossref, pubmed = write_dumps(corpus.works, directory / "dumps")
    dump_seconds = time.perf_counter() - started
    # An empty dump is an error to the builder; with --pubmed-only Crossref's is empty.
    files = [pubmed] if not any(w.crossref_visible for w in corpus.works) else [crossref, pubmed]
    digest = hashlib.sha256(b"".join(f.read_bytes() for f in files)).hexdigest()[:12]
    target = directory / f"index-{digest}"
    started = time.perf_counter()
    applied = build(target, files, complete=True)  # the corpus is the whole fake world
    build_seconds = time.perf_counter() - started
    return IndexBuild(
        target,
        dump_seconds,
        build_seconds,
        sum(f.stat().st_size for f in files),
        _size(target),
        reused=not applied.files,
    )


@dataclass
class Outcome:
    """What happened to one reference, in picklable form for the parent process."""

    index: int
    gold_doi: str
    predicted: str | None
    via: str  # which lookup accepted the record
    kind: str  # "correct", or the failure kind
    detail: str  # why not / what was taken instead
    parsed: str
    gold_fits: bool  # False: the gold row does not describe the string (see misaligned)
    top: tuple[str, ...] = ()  # the Crossref search's candidates, best first


def _predicted(res: Resolution) -> str | None:
    for rec in (res.crossref, res.pubmed):
        if rec is not None and rec.doi:
            return rec.doi.lower()
    return None


def _via(res: Resolution) -> str:
    matches = [f"{lk.service} {lk.query}" for lk in res.lookups if lk.outcome == "match"]
    return matches[0] if matches else ""


def _short_parse(ref: ParsedReference) -> str:
    author = ref.authors[0].family if ref.authors else "-"
    return (
        f"au={author!r} ti={(ref.title or '')[:70]!r} jo={ref.container!r} y={ref.year} "
        f"v={ref.volume} p={ref.pages} doi={ref.doi}"
    )


def _ev(ev: Evidence) -> str:
    return (
        f"agree={'+'.join(ev.agree) or '-'} disagree={'+'.join(ev.disagree) or '-'} "
        f"title_sim={ev.title_similarity:.2f}"
    )


def _title_tokens(text: str) -> set[str]:
    return {w for w in fold(text).split() if len(w) > 2}


_NUMBERS = re.compile(r"\d+\s*[-–:(]\s*[A-Za-z]?\d+")


def misaligned(row: Row) -> bool:
    """The gold does not fit the string: wrong alignment or a wrong DOI in the NLM data.

    Either most gold title words are missing from the string, or the string gives its own
    volume/pages and neither the gold volume nor the gold first page occurs in it.
    """
    text = re.sub(r"-\s*\n\s*", "", row.reference)
    tokens = set(fold(text).split())
    words = _title_tokens(row.title)
    if len(words) >= 3 and len(words & tokens) / len(words) < 0.5:
        return True
    numbers = [fold(x) for x in (row.volume, row.first_page) if x]
    return (
        len(numbers) == 2 and bool(_NUMBERS.search(text)) and not any(n in tokens for n in numbers)
    )


def _title_cause(row: Row, ref: ParsedReference, ev: Evidence) -> str:
    if "title" in ev.agree:
        return "title agrees"
    if not ref.title:
        return "no title parsed"
    flat = fold(" ".join(row.reference.split()))
    joined = fold(re.sub(r"-\s*\n\s*", "", row.reference))
    gold = fold(row.title)
    if gold and gold in flat:
        where = "record title verbatim in the string"
    elif gold and gold in joined:
        where = "record title in the string once end-of-line hyphens are joined"
    else:
        where = "record title not verbatim in the string"
    level = "differs" if ev.title_similarity < 0.5 else "partly differs (0.5-0.85)"
    return f"parsed title {level}; {where}"


def merged(row: Row) -> bool:
    """Two or more distinct years outside the title: likely two references glued together."""
    text = " ".join(row.reference.split())
    in_title = Counter(_YEAR.findall(row.title))
    years = {y for y, n in Counter(_YEAR.findall(text)).items() if n > in_title.get(y, 0)}
    return len(years) > 1


def classify(
    row: Row, ref: ParsedReference, res: Resolution, corpus: Corpus, candidates: list[Record]
) -> tuple[str, str]:
    """(failure kind, detail) for a reference; ("correct", "") when the gold DOI came back."""
    gold_key = row.doi.lower()
    predicted = _predicted(res)
    if predicted == gold_key:
        return "correct", ""
    gold_rec = to_record(crossref_item(corpus.gold[gold_key]))
    gold_ev = evaluate(ref, gold_rec)
    cand_dois = [c.doi for c in candidates]
    in_top = gold_key in cand_dois
    where = "gold in Crossref top-5" if in_top else "gold not in Crossref top-5"
    if predicted is not None:
        took = res.evidence
        took_txt = _ev(took) if took else "no evidence kept"
        if predicted in corpus.distractor_kind:
            kind = f"wrong: accepted synthetic {corpus.distractor_kind[predicted]} distractor"
        elif misaligned(row):
            kind = "wrong: accepted another real work; gold does not fit the string"
        else:
            kind = "wrong: accepted another real work"
        kind += f" ({where})"
        detail = f"took {predicted} via {_via(res)} [{took_txt}]; gold would score [{_ev(gold_ev)}]"
        return kind, detail
    if res.failed:
        return "none: a lookup failed", "; ".join(lk.detail for lk in res.failed)[:200]
    if misaligned(row):
        return "none: gold does not fit the string (misaligned row or wrong NLM DOI)", (
            f"gold {row.volume}:{row.first_page} {row.title!r}"
        )
    if not ref.title and not ref.container:
        return "none: unparsed (no title, no journal)", f"gold [{_ev(gold_ev)}]"
    if gold_ev.accepted:
        kind = "none: gold would be accepted but was not among the candidates (ranking)"
        return kind, f"top-5 {cand_dois}; gold [{_ev(gold_ev)}]"
    cause = _title_cause(row, ref, gold_ev)
    if cause == "title agrees":
        others = [f for f in gold_ev.agree if f != "title"]
        if not others:
            cause = "title agrees, no second field agrees"
            if not gold_rec.authors:
                cause += " (record has no author: gold firstAuthor empty)"
        else:
            cause = f"title agrees, rejected for disagreeing {'+'.join(gold_ev.disagree)}"
    elif gold_ev.disagree:
        cause += f"; also disagree: {'+'.join(f for f in gold_ev.disagree if f != 'title') or '-'}"
    if merged(row):
        cause += " [string has 2+ years: merged references?]"
    return f"none: {where}, rejected: {cause}", f"gold [{_ev(gold_ev)}]"


@dataclass
class WorkerResult:
    outcomes: list[Outcome]
    requests: Counter[str]
    resolve_seconds: float
    parse_seconds: float
    setup_seconds: float  # the fake's own index build, per worker (0 for the local index)
    references: int
    search_seconds: float
    searches: int


_ENDPOINTS = (
    ("crossref search", re.compile(r"^/crossref/works$"), "query.bibliographic"),
    ("crossref filter=doi", re.compile(r"^/crossref/works$"), "filter"),
    ("crossref other", re.compile(r"^/crossref"), ""),
    ("esearch", re.compile(r"/esearch"), ""),
    ("ecitmatch", re.compile(r"/ecitmatch"), ""),
    ("efetch", re.compile(r"/efetch"), ""),
)


def _endpoint(path: str, query: dict[str, str]) -> str:
    for name, pattern, param in _ENDPOINTS:
        if pattern.search(path) and (not param or param in query):
            return name
    return "other"


@dataclass(frozen=True)
class Job:
    """One worker's share of the sample and how to resolve it (picklable)."""

    rows: list[Row]  # all gold rows: every worker builds the same corpus
    share: list[Row]
    seed: int
    batch: int
    index_dir: Path | None  # None: the fake API
    pubmed_only: bool = False


def corpus_for(rows: list[Row], seed: int, pubmed_only: bool = False) -> Corpus:
    """The benchmark corpus; with ``pubmed_only`` Crossref holds nothing, so every match
    goes through the PubMed side (ECitMatch, title search): what the Crossref search hides."""
    corpus = build_corpus(rows, seed)
    if pubmed_only:
        corpus.works = [replace(w, in_crossref=False) for w in corpus.works]
    return corpus


def run_share(job: Job) -> WorkerResult:
    """One worker: build the corpus, serve it (or open its index), resolve this share of the
    sample in batches."""
    share, batch = job.share, job.batch
    corpus = corpus_for(job.rows, job.seed, job.pubmed_only)
    outcomes: list[Outcome] = []
    backend = fake_api(corpus) if job.index_dir is None else local_index(job.index_dir)
    with backend as be:
        crossref = be.crossref
        started = time.perf_counter()
        refs = [parse_reference(row.reference) for row in share]
        parse_seconds = time.perf_counter() - started
        resolve_seconds = 0.0
        for start in range(0, len(share), batch):
            rows = share[start : start + batch]
            chunk = refs[start : start + batch]
            resolver = be.resolver()  # one per "manuscript": fresh breaker
            t0 = time.perf_counter()
            resolutions = resolver.resolve_all(chunk)
            resolve_seconds += time.perf_counter() - t0
            for row, ref, res in zip(rows, chunk, resolutions, strict=True):
                candidates = crossref.candidates.get(id(ref), [])
                kind, detail = classify(row, ref, res, corpus, candidates)
                outcomes.append(
                    Outcome(
                        row.index,
                        row.doi.lower(),
                        _predicted(res),
                        _via(res),
                        kind,
                        detail,
                        _short_parse(ref),
                        not misaligned(row),
                        tuple((c.doi or "").lower() for c in candidates),
                    )
                )
            crossref.candidates.clear()
        requests = be.asked()
        setup_seconds = be.setup_seconds
    return WorkerResult(
        outcomes,
        requests,
        resolve_seconds,
        parse_seconds,
        setup_seconds,
        len(share),
        crossref.seconds,
        crossref.searches,
    )


def run(
    rows: list[Row],
    sample: list[Row],
    seed: int,
    batch: int,
    jobs: int,
    index_dir: Path | None,
    pubmed_only: bool = False,
) -> tuple[list[WorkerResult], float]:
    """The sample split over ``jobs`` workers; (their results, wall seconds)."""
    work = [Job(rows, sample[j::jobs], seed, batch, index_dir, pubmed_only) for j in range(jobs)]
    started = time.perf_counter()
    if jobs == 1:
        results = [run_share(work[0])]
    else:
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            results = pool.map(run_share, work)
    return results, time.perf_counter() - started


# ---------------------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------------------


def code_version() -> str:
    """Which citecheck was measured: others edit it while benchmarks run, so say exactly."""
    digest = hashlib.sha256()
    for path in sorted((ROOT / "citecheck").rglob("*.py")):
        digest.update(path.relative_to(ROOT).as_posix().encode())
        digest.update(path.read_bytes())
    try:
        git = ["git", "-C", str(ROOT)]
        head = subprocess.run(
            [*git, "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            [*git, "status", "--porcelain", "--", "citecheck"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        head, dirty = "unknown", ""
    state = " + uncommitted changes in citecheck/" if dirty else ""
    return f"citecheck at git {head}{state}; sha256 of citecheck/**/*.py {digest.hexdigest()[:12]}"


def _pct(k: int, n: int) -> str:
    return f"{100 * k / n:.2f}" if n else "-"


def _one_line(text: str, width: int = 200) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _row(name: str, corpus: str, outcomes: list[Outcome], extra: str) -> str:
    """One table row: biblio-glutton's precision (correct/returned) and recall (correct/all)."""
    n = len(outcomes)
    predicted = sum(o.predicted is not None for o in outcomes)
    correct = sum(o.kind == "correct" for o in outcomes)
    p = correct / predicted if predicted else 0.0
    r = correct / n if n else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return (
        f"| {name} | {corpus} | {n:,} | {predicted:,} | {correct:,} | {predicted - correct:,} | "
        f"{n - predicted:,} | {100 * p:.2f} | {100 * r:.2f} | {100 * f1:.2f} | {extra} |"
    )


@dataclass
class Run:
    """One path's results over the sample."""

    path: str  # "api" or "index"
    results: list[WorkerResult]
    wall: float
    built: IndexBuild | None = None

    @property
    def outcomes(self) -> list[Outcome]:
        return [o for r in self.results for o in r.outcomes]

    @property
    def requests(self) -> Counter[str]:
        total: Counter[str] = Counter()
        for res in self.results:
            total.update(res.requests)
        return total

    @property
    def resolve_seconds(self) -> float:
        return sum(res.resolve_seconds for res in self.results)


def _corpus_label(path: str, stats: dict[str, int]) -> str:
    works = stats.get("gold works", 0)
    distractors = sum(v for k, v in stats.items() if k.startswith("distractors"))
    where = "local fake API" if path == "api" else "local index"
    return f"{where}: {works:,} gold + {distractors:,} synthetic"


def _system_rows(run: Run, stats: dict[str, int]) -> list[str]:
    outcomes = run.outcomes
    n = len(outcomes)
    name = "**citecheck**, API path" if run.path == "api" else "**citecheck --index**"
    corpus = _corpus_label(run.path, stats)
    fits = [o for o in outcomes if o.gold_fits]
    extra = f"{sum(run.requests.values()) / n:.2f} | {run.resolve_seconds / n:.4f}"
    return [
        _row(f"{name} (this run)", corpus, outcomes, extra),
        _row(f"{name}, rows whose gold fits the string", corpus, fits, "| "),
    ]


def _table_head() -> list[str]:
    out = [
        "| system | corpus | references | DOIs returned | correct | wrong | none | "
        "precision | recall | F1 | requests/ref | s/ref |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, refs, found, pp, rr, ff, spr in PUBLISHED:
        out.append(
            f"| {name} | full Crossref (2021) | {refs:,} | {found:,} | | | {refs - found:,} | "
            f"{pp:.2f} | {rr:.2f} | {ff:.2f} | | {spr:.3f} |"
        )
    return out


def _fits_note(run: Run) -> str:
    n = len(run.outcomes)
    fits = sum(o.gold_fits for o in run.outcomes)
    return (
        f"Second citecheck row: the {n - fits:,} rows whose gold does not describe the "
        "string (most gold title words absent, or the string's own volume/pages share "
        "nothing with the gold's: misaligned rows, merged strings, wrong DOIs in the NLM "
        "data) left out. biblio-glutton's figures include such rows; the row is there to "
        "separate data errors from resolver errors, not to compare."
    )


def _build_note(built: IndexBuild) -> str:
    how = "reused (same dumps already applied)" if built.reused else "built"
    return (
        f"Index: the corpus written as dumps (Crossref JSON lines + PubMed baseline XML, "
        f"{built.dump_bytes / 1e6:.1f} MB gzipped) in {built.dump_seconds:.1f} s, index "
        f"{how} in {built.build_seconds:.1f} s ({built.index_bytes / 1e6:.0f} MB on disk)."
    )


def _timing_note(run: Run, jobs: int) -> str:
    n = len(run.outcomes)
    results = run.results
    resolve_s = run.resolve_seconds
    parse_s = sum(res.parse_seconds for res in results)
    searches = sum(res.searches for res in results)
    search_s = sum(res.search_seconds for res in results)
    common = (
        f"s/ref = resolver time per reference inside one worker (sum over {jobs} worker(s) / "
        "references; excludes parsing"
    )
    tail = (
        f"Wall clock for the whole run: {run.wall:.1f} s with {jobs} worker process(es) "
        f"({run.wall / n:.4f} s/ref). Parsing alone: {parse_s / n * 1000:.2f} ms/ref."
    )
    if run.path == "index":
        return (
            f"{common} and the index build). requests/ref = questions put to the index "
            f"(same batching as the API path). {tail} Crossref search in the index: "
            f"{search_s / max(searches, 1) * 1000:.1f} ms per query ({searches:,} queries; their "
            f"time summed over the resolver's threads is {100 * search_s / max(resolve_s, 1e-9):.0f}% "
            "of resolver time)."
        )
    setup_s = max(res.setup_seconds for res in results)
    return (
        f"{common} and the fake's index build), fake server included: it runs in the same "
        f"process. {tail} Fake index build: {setup_s:.1f} s per worker. The fake's Crossref "
        f"bibliographic search took {search_s / max(searches, 1):.3f} s per query "
        f"({searches:,} queries, {100 * search_s / max(resolve_s, 1e-9):.0f}% of resolver "
        "time): it scores and sorts the whole corpus per query, so s/ref here measures the "
        "fake, not citecheck. Published s/ref: glutton on one machine; Crossref with ~50 "
        "concurrent queries."
    )


def _via_key(via: str) -> str:
    return re.sub(r"(doi|pmid) \S+", r"\1 …", via).replace("-index ", " ")


def report(
    run: Run,
    rows_by_index: dict[int, Row],
    corpus_stats: dict[str, int],
    label: str,
    jobs: int,
    examples: int,
    version: str,
) -> str:
    outcomes = run.outcomes
    n = len(outcomes)
    requests = run.requests
    total_requests = sum(requests.values())
    against = "local fake services" if run.path == "api" else "local index (--index)"

    out: list[str] = []
    out.append(f"## DOI matching: citecheck resolver vs {against} ({label})\n")
    out.append(f"{version}\n")
    out += _table_head()
    out += _system_rows(run, corpus_stats)
    out.append("")
    out.append(_fits_note(run))
    out.append("")
    if run.built is not None:
        out.append(_build_note(run.built))
        out.append("")
    out.append(_timing_note(run, jobs))
    out.append("")
    what = "requests by endpoint" if run.path == "api" else "index questions by kind"
    out.append(f"| {what} | count | per reference |")
    out.append("|---|---:|---:|")
    for name, count in requests.most_common():
        out.append(f"| {name} | {count:,} | {count / n:.3f} |")
    out.append(f"| **total** | {total_requests:,} | {total_requests / n:.3f} |")
    out.append("")
    vias = Counter(_via_key(o.via) for o in outcomes if o.predicted is not None)
    out.append("| accepted through | references | correct |")
    out.append("|---|---:|---:|")
    for via, count in vias.most_common(8):
        ok = sum(
            1
            for o in outcomes
            if o.predicted is not None and _via_key(o.via) == via and o.kind == "correct"
        )
        out.append(f"| {via} | {count:,} | {ok:,} |")
    out.append("")
    out.append("Corpus: " + "; ".join(f"{k} {v:,}" for k, v in sorted(corpus_stats.items())))
    out.append("")
    out.append(CAVEATS)
    out.append("")

    failures = [o for o in outcomes if o.kind != "correct"]
    kinds = Counter(o.kind for o in failures)
    out.append(f"## The 10 most common failure kinds ({len(failures):,} failures, {n:,} refs)\n")
    out.append("| # | failure kind | count | share of refs |")
    out.append("|---:|---|---:|---:|")
    for i, (kind, count) in enumerate(kinds.most_common(10), 1):
        out.append(f"| {i} | {kind} | {count:,} | {_pct(count, n)}% |")
    rest = sum(kinds.values()) - sum(c for _, c in kinds.most_common(10))
    if rest:
        out.append(f"| | (other kinds: {len(kinds) - 10}) | {rest:,} | {_pct(rest, n)}% |")
    out.append("")
    by_kind: dict[str, list[Outcome]] = defaultdict(list)
    for o in failures:
        by_kind[o.kind].append(o)
    rng = random.Random(0)
    for i, (kind, _) in enumerate(kinds.most_common(10), 1):
        out.append(f"### {i}. {kind}\n")
        picks = by_kind[kind]
        for o in rng.sample(picks, min(examples, len(picks))):
            row = rows_by_index[o.index]
            out.append(f"- string: `{_one_line(row.reference)}`")
            out.append(f"  - gold: {o.gold_doi} — title {_one_line(row.title, 100)!r}")
            out.append(f"  - parsed: {o.parsed}")
            out.append(f"  - predicted: {o.predicted or 'none'} — {o.detail}")
        out.append("")
    return "\n".join(out)


# ---------------------------------------------------------------------------------------
# API path vs index path
# ---------------------------------------------------------------------------------------


def _side(o: Outcome) -> str:
    return "correct" if o.kind == "correct" else ("wrong" if o.predicted else "none")


def diff_reason(api: Outcome, idx: Outcome) -> str:
    """Why two paths predicted differently, in words that group: who got it right, through
    which lookup each path accepted (or "none"), and whether the gold was among each path's
    Crossref search candidates (ranking) or was there and refused (records differ)."""
    if api.kind == "correct":
        verdict = "index worse"
    elif idx.kind == "correct":
        verdict = "index better"
    else:
        verdict = "both miss, differently"
    stages = (
        f"API {_side(api)} via {_via_key(api.via) or '-'}; "
        f"index {_side(idx)} via {_via_key(idx.via) or '-'}"
    )
    gold = api.gold_doi
    in_api, in_idx = gold in api.top, gold in idx.top
    if in_api == in_idx:
        top = f"gold in {'both' if in_api else 'neither'} Crossref top-n"
    else:
        top = f"gold in {'API' if in_api else 'index'} Crossref top-n only"
    same = "same candidates" if api.top == idx.top else "different candidates"
    return f"{verdict}: {stages}; {top}, {same}"


def comparison(
    api: Run,
    idx: Run,
    rows_by_index: dict[int, Row],
    corpus_stats: dict[str, int],
    label: str,
    jobs: int,
    examples: int,
    version: str,
) -> str:
    """Both paths side by side, and every reference whose predicted DOI differs."""
    by_api = {o.index: o for o in api.outcomes}
    pairs = [(by_api[o.index], o) for o in idx.outcomes]
    n = len(pairs)
    out = [f"## DOI matching: API path vs --index, same references ({label})\n", f"{version}\n"]
    out += _table_head()
    out += _system_rows(api, corpus_stats)
    out += _system_rows(idx, corpus_stats)
    out.append("")
    if idx.built is not None:
        out.append(_build_note(idx.built))
        out.append("")
    out.append("API path: " + _timing_note(api, jobs))
    out.append("")
    out.append("Index path: " + _timing_note(idx, jobs))
    out.append("")
    differ = [(a, b) for a, b in pairs if a.predicted != b.predicted]
    other_set = sum(set(a.top) != set(b.top) for a, b in pairs)
    other_order = sum(a.top != b.top and set(a.top) == set(b.top) for a, b in pairs)
    first = sum(a.top[:1] != b.top[:1] for a, b in pairs)
    out.append(
        f"Same predicted DOI (or both none) for {n - len(differ):,} of {n:,} references "
        f"({_pct(n - len(differ), n)}%); {len(differ):,} differ. The Crossref searches of the "
        f"two paths returned different candidates for {other_set:,} references, the same "
        f"candidates in another order for {other_order:,}, another first candidate for "
        f"{first:,}."
    )
    out.append("")
    swaps = Counter(f"API {_side(a)} → index {_side(b)}" for a, b in differ)
    out.append("| API → index | references |")
    out.append("|---|---:|")
    for key, count in swaps.most_common():
        out.append(f"| {key} | {count:,} |")
    if not swaps:
        out.append("| (none) | 0 |")
    out.append("")
    reasons: dict[str, list[tuple[Outcome, Outcome]]] = defaultdict(list)
    for a, b in differ:
        reasons[diff_reason(a, b)].append((a, b))
    out.append("| # | why the predicted DOI differs | references |")
    out.append("|---:|---|---:|")
    ordered = sorted(reasons.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    for i, (reason, group) in enumerate(ordered, 1):
        out.append(f"| {i} | {reason} | {len(group):,} |")
    if not ordered:
        out.append("| | (none) | 0 |")
    out.append("")
    rng = random.Random(0)
    for i, (reason, group) in enumerate(ordered, 1):
        out.append(f"### {i}. {reason}\n")
        for a, b in rng.sample(group, min(examples, len(group))):
            row = rows_by_index[a.index]
            out.append(f"- string: `{_one_line(row.reference)}`")
            out.append(f"  - gold: {a.gold_doi} — title {_one_line(row.title, 100)!r}")
            out.append(f"  - parsed: {a.parsed}")
            for name, o in (("API", a), ("index", b)):
                out.append(
                    f"  - {name}: {o.predicted or 'none'} via {o.via or '-'}; "
                    f"top-n {list(o.top)}; {_one_line(o.detail, 300) or 'correct'}"
                )
        out.append("")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--limit", type=int, default=2000, help="random sample size (default 2000)")
    ap.add_argument("--all", action="store_true", help="all 17,015 strings")
    ap.add_argument("--seed", type=int, default=1, help="sample and distractor seed")
    ap.add_argument("--batch", type=int, default=40, help="references per resolve_all call")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="worker processes")
    ap.add_argument("--examples", type=int, default=3, help="examples per failure kind")
    ap.add_argument("--dump", type=Path, help="write every failure as JSON lines to this file")
    path = ap.add_mutually_exclusive_group()
    path.add_argument(
        "--index",
        action="store_true",
        help="resolve from a local index built from the corpus's dumps, not the fake API",
    )
    path.add_argument(
        "--compare",
        action="store_true",
        help="run both paths on the same references; print them side by side and the diff",
    )
    ap.add_argument(
        "--pubmed-only",
        action="store_true",
        help="hide the corpus from Crossref: every match goes through ECitMatch and the "
        "PubMed title search (to measure the index's emulation of those)",
    )
    ap.add_argument(
        "--index-dir",
        type=Path,
        help="keep the dumps and the index here (reused when the dumps are unchanged); "
        "default: a temporary directory, removed at the end",
    )
    args = ap.parse_args(argv)

    rows = load_rows()
    if args.all or args.limit >= len(rows):
        sample = rows
        label = f"all {len(rows):,} strings"
    else:
        picked = sorted(random.Random(args.seed).sample(range(len(rows)), args.limit))
        sample = [rows[i] for i in picked]
        label = f"random sample of {len(sample):,} of {len(rows):,} strings, seed {args.seed}"
    if args.pubmed_only:
        label += "; PubMed only: Crossref holds nothing"
    corpus = corpus_for(rows, args.seed, args.pubmed_only)
    jobs = max(1, min(args.jobs, len(sample)))
    version = code_version()  # before the run: the tree may change while it runs
    rows_by_index = {r.index: r for r in rows}
    runs: list[Run] = []
    if not args.index:
        results, wall = run(rows, sample, args.seed, args.batch, jobs, None, args.pubmed_only)
        runs.append(Run("api", results, wall))
    if args.index or args.compare:
        workdir = args.index_dir or Path(tempfile.mkdtemp(prefix="citecheck-matching-"))
        try:
            built = build_index(corpus, workdir)
            results, wall = run(
                rows, sample, args.seed, args.batch, jobs, built.directory, args.pubmed_only
            )
            runs.append(Run("index", results, wall, built))
        finally:
            if args.index_dir is None:
                shutil.rmtree(workdir, ignore_errors=True)
    if args.dump:
        with args.dump.open("w", encoding="utf-8") as fh:
            for one in runs:
                for o in one.outcomes:
                    if o.kind != "correct":
                        record = {
                            **asdict(o),
                            "path": one.path,
                            "reference": rows[o.index].reference,
                        }
                        fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    if args.compare:
        api, idx = runs
        print(
            comparison(api, idx, rows_by_index, corpus.stats, label, jobs, args.examples, version)
        )
        print()
    for one in runs:
        print(report(one, rows_by_index, corpus.stats, label, jobs, args.examples, version))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Resolve every reference against Crossref and PubMed, batching where the services allow.

Order of questions for each reference, batched over many references:
  1. cited DOIs      -> Crossref ``filter=doi:A,doi:B``
  2. cited PMIDs     -> PubMed EFetch id list
  3. the rest        -> Crossref ``query.bibliographic`` (one per reference)
  4. PubMed side     -> ESearch ``"doi"[doi] OR …`` for Crossref matches, ECitMatch lines for
                        the unmatched, then one EFetch for every PMID found
  5. last resort     -> ESearch by title words and first author, for what is still unmatched
  6. cross-link      -> Crossref records for DOIs that only PubMed gave
  7. related works   -> the works notices and preprints point to
Steps 1, 2, 6 and 7 are asked once for the whole list. Steps 3-5 go in chunks of ``CHUNK``
references so that both services work at once: while Crossref searches chunk k+1, PubMed
answers steps 4 and 5 for chunk k (the PubMed lane, one thread). Each reference still goes
through the steps in this order, so its evidence trail reads the same; a list of at most
``CHUNK`` references is asked exactly what it was asked before chunks existed.
Every candidate is validated field by field (``checks.match``). A failed question is recorded
as a failed lookup and can only make a reference `unverified`.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Generator, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import AbstractContextManager, closing, nullcontext
from dataclasses import dataclass, field, replace
from functools import partial
from typing import TypeVar

from citecheck.checks.codes import finding
from citecheck.checks.match import Evidence, best, evaluate, same_work
from citecheck.model import Finding, Lookup, ParsedReference, Record
from citecheck.resolve.crossref import Crossref
from citecheck.resolve.interface import (
    BudgetExceeded,
    RateLimited,
    ServerError,
    ServiceError,
    ServiceUnavailable,
    Unreachable,
)
from citecheck.resolve.pubmed import PubMed, pubmed_term

T = TypeVar("T")
DOI_SEARCH_BATCH = 50  # DOIs per ESearch OR-list
WORKERS = 4  # per-reference questions in flight; the HTTP layer holds each service to its limits
# References per chunk of steps 3-5: two full ESearch-by-DOI batches, and one ECitMatch and
# one EFetch per 100 references, where a single chunk would have had one of each in all.
CHUNK = 100


@dataclass
class Resolution:
    ref: ParsedReference
    crossref: Record | None = None
    pubmed: Record | None = None
    evidence: Evidence | None = None
    lookups: list[Lookup] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    # Works the matched records point to (the work a notice is about, a preprint's journal
    # version), keyed by lower-case DOI or PMID, to describe them in findings.
    related: dict[str, Record] = field(default_factory=dict)
    notice: Record | None = None  # a notice that a cited identifier pointed to instead

    @property
    def matched(self) -> bool:
        return self.crossref is not None or self.pubmed is not None

    @property
    def failed(self) -> list[Lookup]:
        return [lk for lk in self.lookups if lk.outcome == "failed"]

    @property
    def records(self) -> list[Record]:
        return [r for r in (self.crossref, self.pubmed) if r is not None]

    def note(self, service: str, query: str, outcome: str, detail: str = "") -> None:
        self.lookups.append(Lookup(service, query, outcome, detail))  # type: ignore[arg-type]

    def accept(self, rec: Record, ev: Evidence | None = None) -> None:
        if rec.source == "crossref":
            self.crossref = rec
        else:
            self.pubmed = rec
        if ev is not None and (self.evidence is None or ev.score > self.evidence.score):
            self.evidence = ev


class Halted(Exception):
    """The run is being abandoned (Ctrl-C, SIGTERM, an error): nothing more is asked."""


class Breaker:
    """Stops asking a service that keeps failing; its remaining questions fail fast.

    Transport failures, 5xx and 429 that outlived their retries, and a spent budget count;
    a malformed body or a missing cassette does not (the next question may well succeed).
    Whether a service ever answered is the HTTP layer's to know: it says so by raising
    ``Unreachable``, which opens the breaker at once.
    """

    TRIPS = (ServiceUnavailable, ServerError, RateLimited, BudgetExceeded)

    def __init__(
        self,
        threshold: int = 2,
        budget: Callable[[], AbstractContextManager[object]] | None = None,
    ) -> None:
        self.threshold = threshold
        self.budget = budget or nullcontext
        self.failures: dict[str, int] = {}
        self.last: dict[str, str] = {}  # the failure that opened the breaker, to quote it
        self._lock = threading.Lock()
        self._halted = threading.Event()

    def is_open(self, service: str) -> bool:
        return self.failures.get(service, 0) >= self.threshold

    def halt(self) -> None:
        """Refuse every further question, from every thread, for good: the run is over."""
        self._halted.set()

    def call(self, service: str, fn: Callable[[], T]) -> T:
        if self._halted.is_set():
            raise Halted
        if self.is_open(service):
            why = self.last.get(service, "")
            raise ServiceUnavailable(
                service,
                f"not asked: {service} is failing" + (f" ({why})" if why else ""),
            )
        try:
            result = fn()
        except self.TRIPS as exc:
            with self._lock:
                count = self.failures.get(service, 0) + 1
                if isinstance(exc, Unreachable):
                    # Unreachable before it ever answered: a dead or hung network, not a
                    # hiccup. Waiting out another timeout per question is what makes other
                    # tools take minutes; stop now.
                    count = max(count, self.threshold)
                self.failures[service] = count
                self.last[service] = exc.reason
            raise
        with self._lock:
            self.failures[service] = 0
        return result

    def each(
        self, service: str, fn: Callable[[T], object], items: Iterable[T]
    ) -> list[object | ServiceError]:
        """``fn`` on every item, a few at a time; results (or the failure) in item order."""
        return list(self.stream(service, fn, items))

    def stream(
        self, service: str, fn: Callable[[T], object], items: Iterable[T]
    ) -> Generator[object | ServiceError, None, None]:
        """As ``each``, each result as soon as it and those before it are in."""

        def one(item: T) -> object | ServiceError:
            try:
                with self.budget():
                    return self.call(service, partial(fn, item))
            except ServiceError as exc:
                return exc

        items = list(items)
        if len(items) <= 1:
            yield from map(one, items)
            return
        pool = ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="citecheck")
        try:
            yield from pool.map(one, items)
        finally:
            # On Ctrl-C or SIGTERM, questions not yet asked are dropped, not asked anyway.
            pool.shutdown(wait=False, cancel_futures=True)


class Resolver:
    def __init__(
        self,
        crossref: Crossref,
        pubmed: PubMed,
        budget: Callable[[], AbstractContextManager[object]] | None = None,
    ) -> None:
        self.crossref = crossref
        self.pubmed = pubmed
        # Each per-reference question runs inside ``budget()`` (a time limit per reference).
        self.breaker = Breaker(budget=budget)

    def resolve_all(self, refs: list[ParsedReference]) -> list[Resolution]:
        states = [Resolution(ref) for ref in refs]
        # The PubMed lane: PubMed's questions, in the order submitted, beside Crossref's.
        lane = ThreadPoolExecutor(max_workers=1, thread_name_prefix="citecheck-pubmed")
        try:
            cited_pmids = lane.submit(self._fetch_cited_pmids, states)
            self._cited_dois(states)
            self._cited_pmids(states, cited_pmids.result())
            chunks: list[Future[None]] = []

            def searched(start: int, chunk: list[Resolution]) -> None:
                for done in (c for c in chunks if c.done()):
                    done.result()  # a bug in the lane surfaces now, not after every search
                chunks.append(lane.submit(self._pubmed_steps, chunk, start))

            self._crossref_search(states, searched)
            for pending in chunks:
                pending.result()
        except BaseException:
            # Ctrl-C, SIGTERM or a bug: the lane stops after the requests already in flight
            # instead of asking the rest of its chunk (its threads would be waited for).
            self.breaker.halt()
            raise
        finally:
            lane.shutdown(wait=False, cancel_futures=True)
        self._cross_link(states)
        self._related(states)
        _suggest_identifiers(states)
        return states

    def silence_unsure(self, service: str) -> str | None:
        """Why an absence from ``service`` proves nothing, or None: the services' own
        "no such work" is an answer; a partial local index's is not."""
        return None

    def _pubmed_steps(self, chunk: list[Resolution], start: int) -> None:
        """Steps 4 and 5 for one chunk; ``start`` is its first reference's position."""
        self._pubmed_side(chunk, first=start)
        self._pubmed_search(chunk)

    # -- 1, 2: identifiers as cited ------------------------------------------------------
    def _cited_dois(self, states: list[Resolution]) -> None:
        cited = [s for s in states if s.ref.doi]
        if not cited:
            return
        try:
            found = self.breaker.call(
                "crossref", lambda: self.crossref.works([s.ref.doi or "" for s in cited])
            )
        except ServiceError as exc:
            for s in cited:
                s.note("crossref", f"doi {s.ref.doi}", "failed", exc.reason)
            return
        for s in cited:
            doi = (s.ref.doi or "").lower()
            rec = found.get(doi)
            if rec is not None:
                self._check_cited(s, "doi", doi, rec)
                continue
            try:
                agency = self.breaker.call("crossref", partial(self.crossref.agency, doi))
            except ServiceError as exc:
                s.note("crossref", f"agency of doi {doi}", "failed", exc.reason)
                continue
            if agency is not None:
                # A real DOI from another agency (DataCite: arXiv, Zenodo…): not an error.
                s.note("crossref", f"doi {doi}", "no_match", f"DOI registered with {agency}")
                continue
            s.note("crossref", f"doi {doi}", "no_match", "no registration agency knows it")
            s.findings.append(
                finding(
                    "doi-invalid",
                    f"The cited DOI {doi} does not exist: neither Crossref nor any other "
                    "registration agency knows it.",
                    field="doi",
                    cited=doi,
                    source="crossref",
                    line=s.ref.line,
                )
            )

    def _fetch_cited_pmids(self, states: list[Resolution]) -> dict[str, Record] | ServiceError:
        """The question of step 2, asked while Crossref answers step 1."""
        cited = [s.ref.pmid or "" for s in states if s.ref.pmid]
        if not cited:
            return {}
        try:
            return self.breaker.call("pubmed", lambda: self.pubmed.fetch(cited))
        except ServiceError as exc:
            return exc

    def _cited_pmids(
        self, states: list[Resolution], found: dict[str, Record] | ServiceError
    ) -> None:
        cited = [s for s in states if s.ref.pmid]
        if isinstance(found, ServiceError):
            for s in cited:
                s.note("pubmed", f"pmid {s.ref.pmid}", "failed", found.reason)
            return
        for s in cited:
            pmid = s.ref.pmid or ""
            rec = found.get(pmid)
            if rec is not None:
                self._check_cited(s, "pmid", pmid, rec)
                continue
            if (why := self.silence_unsure("pubmed")) is not None:
                s.note("pubmed", f"pmid {pmid}", "failed", why)
                continue
            s.note("pubmed", f"pmid {pmid}", "no_match", "PMID not in PubMed")
            s.findings.append(
                finding(
                    "pmid-mismatch",
                    f"The cited PMID {pmid} does not exist in PubMed.",
                    field="pmid",
                    cited=pmid,
                    source="pubmed",
                    line=s.ref.line,
                )
            )

    @staticmethod
    def _check_cited(s: Resolution, kind: str, ident: str, rec: Record) -> None:
        """The record an identifier points to: the cited work, or a copy-paste error."""
        label = kind.upper()
        if same_work(s.ref, rec):
            s.note(rec.source, f"{kind} {ident}", "match")
            s.accept(rec, evaluate(s.ref, rec))
            return
        s.note(rec.source, f"{kind} {ident}", "no_match", f"{label} is another work")
        what = f"a different work: {_describe(rec)}"
        if rec.notice_of:
            about = rec.notice_of[0].kind.replace("_", " ")
            what = f"a {about} notice, not the article: {_describe(rec)}"
            s.notice = rec
        s.findings.append(
            finding(
                f"{kind}-mismatch",
                f"The cited {label} {ident} belongs to {what}.",
                field=kind,
                cited=ident,
                record=rec.to_dict(),
                source=rec.source,
                line=s.ref.line,
            )
        )

    # -- 3: Crossref bibliographic search ------------------------------------------------
    def _crossref_search(
        self, states: list[Resolution], searched: Callable[[int, list[Resolution]], None]
    ) -> None:
        """Searches run through the whole list without a pause; every ``CHUNK`` references
        (and at the end) ``searched(start, chunk)`` is told that chunk's are judged."""
        todo = [
            s
            for s in states
            if s.crossref is None
            and len(s.ref.raw.strip()) >= 15
            and not (s.pubmed is not None and s.pubmed.doi)  # cross-linked by DOI in step 6
        ]
        asked = {id(s) for s in todo}
        with closing(
            self.breaker.stream("crossref", self.crossref.search, [s.ref for s in todo])
        ) as answers:
            for start in range(0, len(states), CHUNK):
                chunk = states[start : start + CHUNK]
                for s in chunk:
                    if id(s) in asked:
                        self._judge_search(s, next(answers))
                searched(start, chunk)

    @staticmethod
    def _judge_search(s: Resolution, answer: object) -> None:
        if isinstance(answer, ServiceError):
            s.note("crossref", "bibliographic search", "failed", answer.reason)
            return
        candidates: list[Record] = answer  # type: ignore[assignment]
        chosen = best(s.ref, candidates)
        if chosen is None:
            s.note(
                "crossref",
                "bibliographic search",
                "no_match",
                f"{len(candidates)} candidate(s), none supported by the cited fields",
            )
        else:
            s.note("crossref", "bibliographic search", "match", chosen[0].doi or "")
            s.accept(*chosen)

    # -- 4: PubMed by DOI and by citation ------------------------------------------------
    def _pubmed_side(self, states: list[Resolution], first: int = 0) -> None:
        pmids: dict[int, list[str]] = {}
        by_doi = [s for s in states if s.pubmed is None and s.crossref and s.crossref.doi]
        for at in range(0, len(by_doi), DOI_SEARCH_BATCH):
            chunk = by_doi[at : at + DOI_SEARCH_BATCH]
            dois = [s.crossref.doi for s in chunk if s.crossref and s.crossref.doi]
            try:
                ids = self.breaker.call("pubmed", partial(self.pubmed.by_dois, dois))
            except ServiceError as exc:
                for s in chunk:
                    s.note("pubmed", "search by DOI", "failed", exc.reason)
            else:
                for s in chunk:
                    pmids[id(s)] = ids  # mapped back by DOI after the fetch
        # Keyed by position in the whole list: the ECitMatch lines read the same in any chunk.
        unmatched = {str(i): s for i, s in enumerate(states, first) if not s.matched}
        if unmatched:
            try:
                answers = self.breaker.call(
                    "pubmed", lambda: self.pubmed.citmatch({k: s.ref for k, s in unmatched.items()})
                )
            except ServiceError as exc:
                for s in unmatched.values():
                    s.note("pubmed", "citation match", "failed", exc.reason)
            else:
                for key, answer in answers.items():
                    s = unmatched[key]
                    if answer.pmid:
                        pmids[id(s)] = [answer.pmid]
                    elif answer.answered:
                        s.note("pubmed", "citation match", "no_match", answer.detail)
                    else:
                        s.note("pubmed", "citation match", "failed", answer.detail)
        self._fetch_and_validate(states, pmids, "search by DOI / citation match")

    def _fetch_and_validate(
        self, states: list[Resolution], pmids: dict[int, list[str]], what: str
    ) -> None:
        wanted = sorted({p for ids in pmids.values() for p in ids})
        if not wanted:
            return
        try:
            records = self.breaker.call("pubmed", lambda: self.pubmed.fetch(wanted))
        except ServiceError as exc:
            for s in states:
                if id(s) in pmids:
                    s.note("pubmed", what, "failed", exc.reason)
            return
        for s in states:
            ids = pmids.get(id(s))
            if ids is None:
                continue
            candidates = [records[p] for p in ids if p in records]
            if s.crossref and s.crossref.doi and not s.pubmed:
                linked = [r for r in candidates if r.doi == s.crossref.doi]
                if linked:
                    s.note("pubmed", f"doi {s.crossref.doi}", "match", f"PMID {linked[0].pmid}")
                    s.accept(linked[0])
                else:
                    s.note(
                        "pubmed",
                        f"doi {s.crossref.doi}",
                        "no_match",
                        "no PubMed record with this DOI",
                    )
                continue
            chosen = best(s.ref, candidates)
            if chosen is None:
                s.note(
                    "pubmed", what, "no_match", f"{len(candidates)} candidate(s), none supported"
                )
            else:
                s.note("pubmed", what, "match", f"PMID {chosen[0].pmid}")
                s.accept(*chosen)

    # -- 5: PubMed search by title and author --------------------------------------------
    def _pubmed_search(self, states: list[Resolution]) -> None:
        pmids: dict[int, list[str]] = {}
        todo = [s for s in states if not s.matched and pubmed_term(s.ref)]
        answers = self.breaker.each("pubmed", self.pubmed.by_title, [s.ref for s in todo])
        for s, answer in zip(todo, answers, strict=True):
            if isinstance(answer, ServiceError):
                s.note("pubmed", "search by title", "failed", answer.reason)
                continue
            ids: list[str] = answer  # type: ignore[assignment]
            if ids:
                pmids[id(s)] = ids
            else:
                s.note("pubmed", "search by title", "no_match", "no hits")
        self._fetch_and_validate(states, pmids, "search by title")

    # -- 6: Crossref record for PubMed-only matches --------------------------------------
    def _cross_link(self, states: list[Resolution]) -> None:
        need = [s for s in states if s.crossref is None and s.pubmed and s.pubmed.doi]
        if not need:
            return
        try:
            found = self.breaker.call(
                "crossref",
                lambda: self.crossref.works([s.pubmed.doi or "" for s in need if s.pubmed]),
            )
        except ServiceError as exc:
            for s in need:
                s.note("crossref", "doi from PubMed", "failed", exc.reason)
            return
        for s in need:
            rec = found.get((s.pubmed.doi if s.pubmed else "") or "")
            if rec is not None:
                s.note("crossref", f"doi {rec.doi}", "match", "DOI from the PubMed record")
                s.accept(rec)
            else:
                s.note("crossref", "doi from PubMed", "no_match", "DOI not in Crossref")

    # -- 7: works the records point to ----------------------------------------------------
    def _related(self, states: list[Resolution]) -> None:
        """One batched question per service for notice targets and journal versions.

        Optional evidence: a failure here only leaves the finding less descriptive.
        """
        dois = {d for s in states for d in _pointed_dois(s)}
        pmids = {p for s in states for p in _pointed_pmids(s)}
        found: dict[str, Record] = {}
        if dois and not self.breaker.is_open("crossref"):
            try:
                found.update(
                    self.breaker.call("crossref", lambda: self.crossref.works(sorted(dois)))
                )
            except ServiceError as exc:
                for s in states:
                    if set(_pointed_dois(s)) & dois:
                        s.note("crossref", "related works", "failed", exc.reason)
        if pmids and not self.breaker.is_open("pubmed"):
            try:
                found.update(self.breaker.call("pubmed", lambda: self.pubmed.fetch(sorted(pmids))))
            except ServiceError as exc:
                for s in states:
                    if set(_pointed_pmids(s)) & pmids:
                        s.note("pubmed", "related works", "failed", exc.reason)
        for s in states:
            for key in (*_pointed_dois(s), *_pointed_pmids(s)):
                if key in found:
                    s.related[key] = found[key]


def _pointed_dois(s: Resolution) -> list[str]:
    records = [*s.records, *([s.notice] if s.notice else [])]
    out = [n.doi for r in records for n in r.notice_of if n.doi]
    out += [d for r in s.records for d in r.published_as]
    return out


def _pointed_pmids(s: Resolution) -> list[str]:
    records = [*s.records, *([s.notice] if s.notice else [])]
    return [n.pmid for r in records for n in r.notice_of if n.pmid]


def _suggest_identifiers(states: list[Resolution]) -> None:
    """A wrong or unknown identifier next to a record that fits the rest of the entry:
    suggest that record's identifier."""
    for s in states:
        for i, f in enumerate(s.findings):
            if f.code in ("doi-mismatch", "doi-invalid") and s.crossref and s.crossref.doi:
                right = s.crossref.doi
            elif f.code in ("doi-mismatch", "doi-invalid") and s.pubmed and s.pubmed.doi:
                right = s.pubmed.doi
            elif f.code == "pmid-mismatch" and s.pubmed and s.pubmed.pmid:
                right = s.pubmed.pmid
            else:
                continue
            if right != f.cited:
                label = "DOI" if f.code.startswith("doi") else "PMID"
                s.findings[i] = replace(
                    f,
                    message=f"{f.message} The rest of the entry fits {label} {right}.",
                    suggestion=f"{label} {right}",
                )


def _describe(rec: Record) -> str:
    first = f"{rec.authors[0].family} et al." if rec.authors else ""
    bits = [first, f'"{rec.title}"' if rec.title else "", rec.container or "", str(rec.year or "")]
    return ", ".join(b for b in bits if b)

"""The local index behind the same two clients as the APIs (``Crossref``, ``PubMed``).

The resolver cannot tell them apart: it asks the same questions, validates candidates
with the same rules and writes the same findings. What differs is what an absence means.
A source the index was never built from knows nothing, and one it holds only part of
(not declared ``--complete`` at build time) cannot show that a work is missing: either
way its silence is a failed lookup (``unverified``), never "not found". And the index
cannot say which agency registered a DOI it lacks, or translate a topic to MeSH, so those
questions fail with a reason that points to ``--online``.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from citecheck.index.build import FTS_DIR, KV_DIR
from citecheck.index.fulltext import FullText
from citecheck.index.manifest import Manifest
from citecheck.index.sources import Source
from citecheck.index.store import Store
from citecheck.model import Lookup, Notice, ParsedReference, Record
from citecheck.resolve.crossref import Crossref, bibliographic_query
from citecheck.resolve.interface import ServiceError
from citecheck.resolve.pubmed import CitMatch, pubmed_term
from citecheck.resolve.resolver import Resolution, Resolver

ONLINE_HINT = "add --online to ask the service"
_NAMES = {"crossref": "Crossref", "pubmed": "PubMed"}


class NotInIndex(ServiceError):
    """A question the local index cannot answer; does not trip the circuit breaker."""


class LocalIndex:
    """An index directory opened read-only, shared by both clients and all threads."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.manifest = Manifest.load(directory)
        self.store = Store(directory / KV_DIR)
        self.fulltext = FullText(directory / FTS_DIR)

    def close(self) -> None:
        self.store.close()

    def has(self, source: Source) -> bool:
        return self.manifest.totals.get(source, 0) > 0

    def complete(self, source: Source) -> bool:
        """Declared whole at build time (``--complete``): its silence means "not there"."""
        return self.has(source) and source in self.manifest.complete

    def require(self, source: Source, what: str) -> None:
        if not self.has(source):
            raise NotInIndex(source, f"the local index holds no {source} records to {what}")

    def record(self, source: Source, key: str) -> Record | None:
        """The stored record, with the Retraction Watch notices the table holds about it."""
        rec = self.store.get(source, key)
        if rec is None:
            return None
        extra = self.store.retractions(rec.doi, rec.pmid)
        if not extra:
            return rec
        # One notice per channel: Crossref's copy of a Retraction Watch entry (its record-id)
        # and the CSV row are the same; PubMed's and the publisher's are other witnesses.
        have = {_identity(n) for n in rec.notices}
        new = tuple(n for n in extra if _identity(n) not in have)
        return replace(rec, notices=rec.notices + new) if new else rec

    def describe(self) -> str:
        totals = self.manifest.totals
        parts = [
            f"{totals.get(k, 0):,} {label}"
            for k, label in (
                ("crossref", "Crossref works"),
                ("pubmed", "PubMed records"),
                ("retraction_watch", "Retraction Watch notices"),
            )
        ]
        updated = self.manifest.updated or self.manifest.created
        return (
            f"local index {self.directory} (updated {updated}: {', '.join(parts)}; "
            f"{self.manifest.coverage()})"
        )


def _identity(n: Notice) -> tuple[str, str, str]:
    return n.channel, n.kind, n.record_id or n.doi or n.pmid or ""


class IndexCrossref:
    """``Crossref``'s questions, answered from the index."""

    def __init__(self, index: LocalIndex, rows: int = 5, online: Crossref | None = None) -> None:
        self.index = index
        self.rows = rows
        self.online = online  # with --online: who knows a DOI's registration agency

    def works(self, dois: list[str]) -> dict[str, Record]:
        self.index.require("crossref", "look up DOIs in")
        found = {}
        for doi in sorted({d.lower() for d in dois if d}):
            rec = self.index.record("crossref", doi)
            if rec is not None:
                found[doi] = rec
        return found

    def agency(self, doi: str) -> str | None:
        if self.online is not None:
            return self.online.agency(doi)
        raise NotInIndex(
            "crossref",
            f"not in the local index; whether another agency (DataCite…) registered it "
            f"is not known offline ({ONLINE_HINT})",
        )

    def search(self, ref: ParsedReference) -> list[Record]:
        self.index.require("crossref", "search")
        keys = self.index.fulltext.bibliographic(bibliographic_query(ref), "crossref", self.rows)
        return [r for k in keys if (r := self.index.record("crossref", k)) is not None]


class IndexPubMed:
    """``PubMed``'s questions, answered from the index."""

    def __init__(self, index: LocalIndex) -> None:
        self.index = index

    def fetch(self, pmids: list[str]) -> dict[str, Record]:
        self.index.require("pubmed", "look up PMIDs in")
        found = {}
        for pmid in dict.fromkeys(p for p in pmids if p):
            rec = self.index.record("pubmed", pmid)
            if rec is not None:
                found[pmid] = rec
        return found

    def by_dois(self, dois: list[str]) -> list[str]:
        self.index.require("pubmed", "look up DOIs in")
        return [p for d in dois for p in self.index.store.pmids_for_doi(d)]

    def by_title(self, ref: ParsedReference) -> list[str]:
        self.index.require("pubmed", "search")
        if not pubmed_term(ref):  # the API path asks only when the title has words to ask
            return []
        return self.index.fulltext.by_title(ref, "pubmed", 5)

    def citmatch(self, refs: dict[str, ParsedReference]) -> dict[str, CitMatch]:
        self.index.require("pubmed", "match citations in")
        answers = {}
        for key, ref in refs.items():
            if not (ref.container and ref.year and ref.volume and ref.first_page):
                continue
            hits = self.index.fulltext.citation(ref, "pubmed", 1)
            answers[key] = (
                CitMatch(hits[0], True) if hits else CitMatch(None, True, "NOT_FOUND (local index)")
            )
        return answers

    def esearch(self, db: str, term: str, retmax: int) -> object:
        raise NotInIndex("pubmed", f"MeSH is not in the local index ({ONLINE_HINT})")

    def ask_xml(self, endpoint: str, params: dict[str, str], post: bool = False) -> object:
        raise NotInIndex("pubmed", f"MeSH is not in the local index ({ONLINE_HINT})")


def _from_index(lookups: list[Lookup], online: bool) -> list[Lookup]:
    """Name the index as the service; with --online the agency question went to Crossref."""
    return [
        lk
        if online and lk.query.startswith("agency of")
        else replace(lk, service=f"{lk.service}-index")
        for lk in lookups
    ]


class IndexResolver(Resolver):
    """The resolver over the index; its lookups are named ``crossref-index`` / ``pubmed-index``
    so the evidence trail says where each answer came from."""

    def __init__(self, index: LocalIndex, rows: int = 5, online: Crossref | None = None) -> None:
        self.crossref: IndexCrossref = IndexCrossref(index, rows, online)  # type: ignore[assignment]
        super().__init__(self.crossref, IndexPubMed(index))  # type: ignore[arg-type]
        self.index = index

    def silence_unsure(self, service: str) -> str | None:
        if self.index.complete(service):  # type: ignore[arg-type]
            return None
        return (
            f"not in the local index, which holds only part of {_NAMES[service]} "
            f"(not built with --complete), so it cannot show that a work is missing; "
            f"{ONLINE_HINT}"
        )

    def resolve_all(self, refs: list[ParsedReference]) -> list[Resolution]:
        states = super().resolve_all(refs)
        alone = self.crossref.online is None  # with --online, the services get the unmatched
        for s in states:
            if alone and s.lookups and not s.matched and not s.failed:
                # "Not found" says neither Crossref nor PubMed has the work: a partial index
                # cannot say that.
                for service in ("crossref", "pubmed"):
                    if (why := self.silence_unsure(service)) is not None:
                        s.note(service, "coverage", "failed", why)
            s.lookups = _from_index(s.lookups, not alone)
        return states


class TieredResolver:
    """The index first; the APIs for the references the index could not match."""

    def __init__(self, local: IndexResolver, online: Resolver) -> None:
        self.local = local
        self.online = online
        self.index = local.index
        self.breaker = online.breaker
        self.pubmed = online.pubmed  # MeSH for the relevance check comes from PubMed

    def resolve_all(self, refs: list[ParsedReference]) -> list[Resolution]:
        states = self.local.resolve_all(refs)
        todo = [i for i, s in enumerate(states) if not s.matched]
        answers = self.online.resolve_all([refs[i] for i in todo]) if todo else []
        for i, online in zip(todo, answers, strict=True):
            online.lookups[:0] = states[i].lookups
            states[i] = online
        return states

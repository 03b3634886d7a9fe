"""The full-text half of the index: bibliographic candidates for a cited reference.

Tantivy (Lucene's design in Rust) because it ranks with BM25 in milliseconds over millions
of titles from an embedded directory; SQLite FTS5 was about 100x slower at that size. The
index holds only what is searched; the records themselves come from the key-value store.

Text is folded (no accents, lower case) by us on both sides, so a query term is exactly
what the index's default tokenizer made of the same word.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from citecheck.accents import unaccent
from citecheck.errors import InputError
from citecheck.model import ParsedReference, Record

WRITER_HEAP = 256 * 1024 * 1024
# A parsed reference has fewer distinct useful words, and the raw-string query Crossref is
# sent when parsing failed (400 characters, bibliographic_query) has at most ~70: all of them
# count, as at the API (on the glutton strings, 48 cut the cited work off 10 merged strings).
# Only a pasted paragraph is cut.
MAX_TERMS = 80
# A query word in more than this share of the documents (and more than COMMON_FLOOR of them)
# is left out of a ranked search; the FEW rarest words are always kept.
COMMON_SHARE = 0.01
COMMON_FLOOR = 1_000
FEW = 4
_TOKEN = re.compile(r"[^\W_]+")
# Words that say nothing about which work is cited; dropping them keeps queries fast.
_SKIP = frozenset(
    "a an and are as at be by de der des die et for from in into is it its la le of on or "  # noqa: SIM905
    "the to with al vol pp pages doi org http https www".split()
)


def tokens(text: str) -> list[str]:
    """Distinct search terms of ``text``, in order."""
    seen: dict[str, None] = {}
    for word in _TOKEN.findall(unaccent(text).casefold()):
        if (len(word) > 1 or word.isdigit()) and word not in _SKIP and len(word) <= 40:
            seen.setdefault(word, None)
    return list(seen)


def _tantivy() -> Any:
    try:
        import tantivy
    except ImportError as exc:
        raise InputError(
            "the local index needs the 'index' extra: pip install 'citecheck-biomed[index]'"
        ) from exc
    return tantivy


def _schema(tantivy: Any) -> Any:
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("key", stored=True, tokenizer_name="raw")
    builder.add_text_field("source", tokenizer_name="raw", index_option="basic")
    builder.add_text_field("bib", tokenizer_name="default", index_option="freq")
    builder.add_text_field("title", tokenizer_name="default", index_option="freq")
    builder.add_text_field("author", tokenizer_name="default", index_option="basic")
    builder.add_text_field("journal", tokenizer_name="default", index_option="basic")
    for name in ("year", "volume", "page"):
        builder.add_text_field(name, tokenizer_name="raw", index_option="basic")
    return builder.build()


def doc_key(source: str, key: str) -> str:
    return f"{source}:{key}"


def _fold(text: str | None) -> str:
    return unaccent(text or "").casefold()


def document(source: str, key: str, rec: Record) -> dict[str, str]:
    """A record's full-text fields: plain strings, so worker processes can lay them out."""
    families = " ".join(a.family for a in rec.authors[:20])
    journal = " ".join([rec.container or "", *rec.container_abbrev])
    first_page = (rec.pages or "").split("-")[0].strip()
    year = str(rec.year) if rec.year else ""
    bib = " ".join(
        [rec.title or "", families, journal, year, rec.volume or "", rec.issue or "", first_page]
    )
    return {
        "key": doc_key(source, key),
        "source": source,
        "bib": _fold(bib),
        "title": _fold(rec.title),
        "author": _fold(families),
        "journal": _fold(journal),
        "year": year,
        "volume": (rec.volume or "").strip().lower(),
        "page": first_page.lower(),
    }


class FullText:
    def __init__(self, path: Path, write: bool = False) -> None:
        self.tantivy = _tantivy()
        self.schema = _schema(self.tantivy)
        if not write and not (path / "meta.json").is_file():
            raise InputError(f"{path} has no full-text index (no meta.json)")
        path.mkdir(parents=True, exist_ok=True)
        self.index = self.tantivy.Index(self.schema, path=str(path))
        self._writer: Any = None
        self._searcher: Any = None

    # -- writing ---------------------------------------------------------------------
    def _w(self) -> Any:
        if self._writer is None:
            self._writer = self.index.writer(heap_size=WRITER_HEAP, num_threads=1)
        return self._writer

    def add(self, fields: dict[str, str]) -> None:
        """Add a document laid out by ``document``."""
        self._w().add_document(self.tantivy.Document(**fields))

    def delete(self, source: str, key: str) -> None:
        self._w().delete_documents_by_term("key", doc_key(source, key))

    def commit(self) -> None:
        if self._writer is not None:
            self._writer.commit()

    def close(self) -> None:
        if self._writer is not None:
            self._writer.commit()
            self._writer.wait_merging_threads()
            self._writer = None

    # -- searching -------------------------------------------------------------------
    def _s(self) -> Any:
        if self._searcher is None:
            self._searcher = self.index.searcher()
        return self._searcher

    def _run(self, must: list[Any], should: list[Any], limit: int) -> list[str]:
        return [key for _score, key in self._scored(must, should, limit)]

    def _scored(self, must: list[Any], should: list[Any], limit: int) -> list[tuple[float, str]]:
        q = self.tantivy.Query
        occur = self.tantivy.Occur
        if not should:
            return []
        clauses = [(occur.Must, m) for m in must]
        clauses.append((occur.Must, q.boolean_query([(occur.Should, s) for s in should])))
        searcher = self._s()
        hits = searcher.search(q.boolean_query(clauses), limit).hits
        return [(score, searcher.doc(address)["key"][0]) for score, address in hits]

    def _telling(self, field: str, words: list[str]) -> list[str]:
        """The words that can tell works apart. A word in one document of a hundred ("cell",
        a year, a large journal's name) adds little to a BM25 ranking but walks a long
        posting list: leaving such words out made bibliographic searches of 2.7 M records
        four times faster with the same candidates (benchmarks/index_scale.py)."""
        searcher = self._s()
        limit = max(searcher.num_docs * COMMON_SHARE, COMMON_FLOOR)
        df = {w: searcher.doc_freq(field, w) for w in words}
        rare = [w for w in words if df[w] <= limit]
        if len(rare) >= FEW:
            return rare
        keep = set(sorted(words, key=df.__getitem__)[:FEW])
        return [w for w in words if w in keep]

    def _terms(self, field: str, words: Iterable[str]) -> list[Any]:
        return [self.tantivy.Query.term_query(self.schema, field, w) for w in words]

    def bibliographic(self, query: str, source: str, limit: int) -> list[str]:
        """Keys of the records whose words best cover the query, best first (what
        Crossref's ``query.bibliographic`` does)."""
        must = self._terms("source", [source])
        should = self._terms("bib", self._telling("bib", tokens(query)[:MAX_TERMS]))
        return [k.split(":", 1)[1] for k in self._run(must, should, limit)]

    def by_title(self, ref: ParsedReference, source: str, limit: int) -> list[str]:
        """Title words and first author, as the PubMed title search asks."""
        must = self._terms("source", [source])
        should = self._terms("title", self._telling("title", tokens(ref.title or "")[:MAX_TERMS]))
        if ref.authors:
            should += self._terms("author", tokens(ref.authors[0].family)[:2])
        return [k.split(":", 1)[1] for k in self._run(must, should, limit)]

    def citation(self, ref: ParsedReference, source: str, limit: int) -> list[str]:
        """Volume and first page must agree; year, journal and author rank (ECitMatch).

        Records that tie for first place are ones the citation cannot tell apart: same
        journal, year, volume and page, and the cited author in none (or all) of them, as
        in journals whose every article starts at page 1 ("J Vis 7:1-10" is many works).
        ECitMatch answers AMBIGUOUS there, and so does this: nothing.
        """
        page = (ref.first_page or "").lower()
        if not (ref.volume and page):
            return []
        must = self._terms("source", [source])
        must += self._terms("volume", [ref.volume.strip().lower()]) + self._terms("page", [page])
        should = self._terms("year", [str(ref.year)] if ref.year else [])
        should += self._terms("journal", tokens(ref.container or "")[:12])
        if ref.authors:
            should += self._terms("author", tokens(ref.authors[0].family)[:2])
        hits = self._scored(must, should, max(limit, 2))
        if len(hits) > 1 and math.isclose(hits[0][0], hits[1][0], rel_tol=1e-6):
            return []
        return [k.split(":", 1)[1] for _score, k in hits[:limit]]

    def count(self) -> int:
        return int(self._s().num_docs)

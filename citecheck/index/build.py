"""``citecheck index build``: apply dump files to an index, in order, each once.

A file is applied in chunks; its records go to the key-value store and the full-text
index, and only then is it written into the manifest. A build that stopped half-way leaves
``in_progress`` set, and the next one re-applies that file in repair mode (the full-text
entries of every record it holds are rewritten), so the two halves never disagree for long.
"""

from __future__ import annotations

import hashlib
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any, Literal

from citecheck.errors import InputError
from citecheck.index.codec import encode
from citecheck.index.fulltext import FullText, document
from citecheck.index.manifest import NAME, Manifest, now
from citecheck.index.sources import Deletion, Ready, Tally, Upsert
from citecheck.index.sources._files import walk
from citecheck.index.sources.crossref_dump import file_kind, read_crossref
from citecheck.index.sources.pubmed_baseline import read_pubmed, series_prefix
from citecheck.index.sources.retraction_watch import read_retraction_watch
from citecheck.index.store import Store

Kind = Literal["crossref", "pubmed", "retraction-watch"]
CHUNK = 20_000  # changes per key-value transaction
KV_DIR, FTS_DIR = "kv", "fulltext"


@dataclass
class Applied:
    """What one build did, for the command's summary."""

    files: list[dict[str, Any]] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # already applied, same checksum


def kind_of(path: Path) -> Kind:
    """Which dump a path is, from names alone; a folder by what it holds."""
    if path.is_dir():
        kinds = {k for f in walk(path) if (k := _file_kind(f)) is not None}
        if len(kinds) == 1:
            return kinds.pop()
        what = " and ".join(sorted(kinds)) if kinds else "no dump files"
        raise InputError(f"{path}: holds {what}; give one kind of dump per folder")
    kind = _file_kind(path)
    if kind is None:
        raise InputError(
            f"{path}: not a dump citecheck reads (Crossref .json[l][.gz]/.tar[.gz], "
            "PubMed pubmedYYnNNNN.xml[.gz], Retraction Watch .csv)"
        )
    return kind


def _file_kind(path: Path) -> Kind | None:
    name = path.name.lower()
    if name.endswith(".csv"):
        return "retraction-watch"
    if series_prefix(path.name) is not None or name.endswith((".xml", ".xml.gz")):
        return "pubmed"
    return "crossref" if file_kind(name) is not None else None


def _files(path: Path, kind: Kind) -> list[Path]:
    """The files of a source, in the order they must be applied."""
    if not path.is_dir():
        return [path]
    files = [f for f in walk(path) if _file_kind(f) == kind]
    if kind == "pubmed":
        files.sort(key=lambda f: series_prefix(f.name) or f.name)
    return files


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while block := f.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def ready(change: Upsert | Deletion) -> Ready | Deletion:
    if isinstance(change, Deletion):
        return change
    rec = change.record
    return Ready(
        change.source,
        change.key,
        change.stamp,
        change.version,
        rec.doi,
        encode(rec),
        document(change.source, change.key, rec),
    )


def _changes(path: Path, kind: Kind, tally: Tally) -> Iterator[Ready | Deletion]:
    reader = read_crossref(path, tally) if kind == "crossref" else read_pubmed(path, tally)
    return map(ready, reader)


def _read_whole(path: Path, kind: Kind) -> tuple[list[Ready | Deletion], dict[str, int]]:
    """A worker process's job: one dump file, read and made ready to write."""
    tally = Tally()
    return list(_changes(path, kind, tally)), tally.counts


def _chunks(changes: Iterable[Any]) -> Iterator[list[Any]]:
    it = iter(changes)
    while chunk := list(islice(it, CHUNK)):
        yield chunk


class Builder:
    """Opens (or creates) an index directory for writing."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        directory.mkdir(parents=True, exist_ok=True)
        self.manifest = Manifest.load(directory) if (directory / NAME).is_file() else Manifest()
        self.store = Store(directory / KV_DIR, write=True)
        self.fulltext = FullText(directory / FTS_DIR, write=True)

    def close(self) -> None:
        self.fulltext.close()
        self.store.close()

    def add(
        self,
        sources: list[Path],
        force: bool = False,
        progress: Callable[[str], None] | None = None,
        complete: bool = False,
        jobs: int = 1,
    ) -> Applied:
        plan = [(f, kind) for p in sources for kind in [kind_of(p)] for f in _files(p, kind)]
        done = Applied()
        todo = []
        for path, kind in plan:
            digest = sha256(path)
            repair = self.manifest.in_progress == str(path.resolve())
            if not force and not repair and self.manifest.applied(digest) is not None:
                done.skipped.append(str(path))
            else:
                todo.append((path, kind, digest, repair))
        with _Readers(jobs) as readers:
            for path, kind, _digest, _repair in todo:
                readers.want(path, kind)
            for path, kind, digest, repair in todo:
                if progress:
                    progress(f"{kind}: {path}")
                self.manifest.in_progress = str(path.resolve())
                self.manifest.save(self.directory)
                counts = self._apply(path, kind, repair, readers)
                entry = {
                    "kind": kind,
                    "name": path.name,
                    "path": str(path.resolve()),
                    "sha256": digest,
                    "bytes": path.stat().st_size,
                    "applied": now(),
                    "counts": counts,
                }
                self.manifest.sources = [
                    s for s in self.manifest.sources if s.get("sha256") != digest
                ] + [entry]
                self.manifest.in_progress = None
                self.manifest.save(self.directory)
                done.files.append(entry)
        if complete:
            whole = {kind for _, kind in plan if kind != "retraction-watch"}
            self.manifest.complete = sorted(set(self.manifest.complete) | whole)
            self.manifest.save(self.directory)
        return done

    def _apply(self, path: Path, kind: Kind, repair: bool, readers: _Readers) -> dict[str, int]:
        tally = Tally()
        if kind == "retraction-watch":
            rows = self.store.replace_retractions(read_retraction_watch(path, tally))
            self.manifest.totals["retraction_watch"] = rows
            return dict(tally.counts)
        changes, counts = readers.take(path, kind, tally)
        outcomes: Counter[str] = Counter()
        for chunk in _chunks(changes):
            with self.store.writing() as txn:
                for change in chunk:
                    outcomes[self._one(txn, change, repair)] += 1
        self.fulltext.commit()
        self.manifest.totals[kind] = self.store.count(kind)
        return dict(counts()) | {f"index_{k}": v for k, v in sorted(outcomes.items())}

    def _one(self, txn: Any, change: Ready | Deletion, repair: bool) -> str:
        outcome, _previous = self.store.apply(txn, change)
        fts = self.fulltext
        if outcome == "added":
            fts.add(change.document)  # type: ignore[union-attr]
        elif outcome == "replaced":
            fts.delete(change.source, change.key)
            fts.add(change.document)  # type: ignore[union-attr]
        elif outcome == "deleted":
            fts.delete(change.source, change.key)
        elif repair:  # this file was half-applied: make the full text say what the store says
            fts.delete(change.source, change.key)
            current = self.store.get_in(txn, change.source, change.key)
            if current is not None:
                fts.add(document(change.source, change.key, current))
        return outcome


class _Readers:
    """Where a file's changes come from: read here as a stream (``jobs`` 1), or read whole
    by worker processes a few files ahead of the writer, in order.

    Parsing and encoding are nearly all of a build's work and each file is independent, so
    they spread over processes; writing stays in one process because LMDB and Tantivy take
    one writer. A Metadata Plus tar is one huge file, so it is always streamed.
    """

    def __init__(self, jobs: int) -> None:
        self.jobs = max(1, jobs)
        self.pool: ProcessPoolExecutor | None = None
        self.queue: deque[tuple[Path, Kind]] = deque()
        self.running: dict[Path, Future[tuple[list[Ready | Deletion], dict[str, int]]]] = {}

    def __enter__(self) -> _Readers:
        if self.jobs > 1:
            self.pool = ProcessPoolExecutor(max_workers=self.jobs)
        return self

    def __exit__(self, *exc: object) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)

    def want(self, path: Path, kind: Kind) -> None:
        if self.pool is not None and kind != "retraction-watch" and not _streamed(path):
            self.queue.append((path, kind))

    def _fill(self) -> None:
        # Read ahead at most 2 files per worker: a whole file's changes wait in memory.
        while self.queue and self.pool is not None and len(self.running) < 2 * self.jobs:
            path, kind = self.queue.popleft()
            self.running[path] = self.pool.submit(_read_whole, path, kind)

    def take(
        self, path: Path, kind: Kind, tally: Tally
    ) -> tuple[Iterable[Ready | Deletion], Callable[[], dict[str, int]]]:
        """The file's changes, and how to get the reader's counts once they are spent."""
        self._fill()
        future = self.running.pop(path, None)
        if future is None:
            return _changes(path, kind, tally), lambda: tally.counts
        changes, counts = future.result()  # a reader's InputError is raised here
        self._fill()
        return changes, lambda: counts


def _streamed(path: Path) -> bool:
    return ".tar" in path.name.lower()


def build(
    directory: Path,
    sources: list[Path],
    force: bool = False,
    progress: Callable[[str], None] | None = None,
    complete: bool = False,
    jobs: int = 1,
) -> Applied:
    """Create or update the index in ``directory`` from dump files (see ``kind_of``).

    ``complete`` declares that the sources hold all of Crossref / PubMed (a whole public
    data file or baseline): only then may the index say a work does not exist. ``jobs``
    worker processes read and encode files while this one writes.
    """
    builder = Builder(directory)
    try:
        return builder.add(sources, force=force, progress=progress, complete=complete, jobs=jobs)
    finally:
        builder.close()

"""``citecheck index build``: apply dump files to an index, in order, each once.

A file is applied in chunks; its records go to the key-value store and the full-text
index, and only then is it written into the manifest. A build that stopped half-way leaves
``in_progress`` set, and the next one re-applies that file in repair mode (the full-text
entries of every record it holds are rewritten), so the two halves never disagree for long.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any, Literal

from citecheck.errors import InputError
from citecheck.index.fulltext import FullText
from citecheck.index.manifest import NAME, Manifest, now
from citecheck.index.sources import Deletion, Tally, Upsert
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
    ) -> Applied:
        plan = [(f, kind) for p in sources for kind in [kind_of(p)] for f in _files(p, kind)]
        done = Applied()
        for path, kind in plan:
            digest = sha256(path)
            repair = self.manifest.in_progress == str(path.resolve())
            if not force and not repair and self.manifest.applied(digest) is not None:
                done.skipped.append(str(path))
                continue
            if progress:
                progress(f"{kind}: {path}")
            self.manifest.in_progress = str(path.resolve())
            self.manifest.save(self.directory)
            counts = self._apply(path, kind, repair)
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
        return done

    def _apply(self, path: Path, kind: Kind, repair: bool) -> dict[str, int]:
        tally = Tally()
        if kind == "retraction-watch":
            rows = self.store.replace_retractions(read_retraction_watch(path, tally))
            self.manifest.totals["retraction_watch"] = rows
            return dict(tally.counts)
        reader = read_crossref(path, tally) if kind == "crossref" else read_pubmed(path, tally)
        outcomes: Counter[str] = Counter()
        for chunk in _chunks(reader):
            with self.store.writing() as txn:
                for change in chunk:
                    outcomes[self._one(txn, change, repair)] += 1
        self.fulltext.commit()
        self.manifest.totals[kind] = self.store.count(kind)
        return dict(tally.counts) | {f"index_{k}": v for k, v in sorted(outcomes.items())}

    def _one(self, txn: Any, change: Upsert | Deletion, repair: bool) -> str:
        outcome, _previous = self.store.apply(txn, change)
        fts = self.fulltext
        if outcome == "added":
            fts.add(change.source, change.key, change.record)  # type: ignore[union-attr]
        elif outcome == "replaced":
            fts.delete(change.source, change.key)
            fts.add(change.source, change.key, change.record)  # type: ignore[union-attr]
        elif outcome == "deleted":
            fts.delete(change.source, change.key)
        elif repair:  # this file was half-applied: make the full text say what the store says
            fts.delete(change.source, change.key)
            current = self.store.get_in(txn, change.source, change.key)
            if current is not None:
                fts.add(change.source, change.key, current)
        return outcome


def build(
    directory: Path,
    sources: list[Path],
    force: bool = False,
    progress: Callable[[str], None] | None = None,
) -> Applied:
    """Create or update the index in ``directory`` from dump files (see ``kind_of``)."""
    builder = Builder(directory)
    try:
        return builder.add(sources, force=force, progress=progress)
    finally:
        builder.close()

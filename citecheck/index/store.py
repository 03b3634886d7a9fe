"""The key-value half of the index: records by DOI and by PMID, in one LMDB environment.

LMDB because the index is read far more than written: readers in any number of processes
share one memory map without locks, a reader never sees half an update, and the directory
(``data.mdb`` + ``lock.mdb``) can be copied to another machine as it is.

Each value starts with the change's stamp, so updates are idempotent and order-proof: a
change no newer than what is stored is skipped, and a deletion leaves a tombstone so that
re-reading an older file cannot bring the record back.
"""

from __future__ import annotations

import json
import struct
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from citecheck.errors import InputError
from citecheck.index.codec import decode
from citecheck.index.sources import Deletion, Ready, RetractionEntry, Source
from citecheck.model import Notice, Record

MAP_SIZE = 1 << 40  # address space only: the file grows with what is written
_HEAD = struct.Struct(">cHB")  # kind (R record, D deleted), version, stamp length

Outcome = Literal["added", "replaced", "deleted", "skipped"]


@dataclass(frozen=True)
class _Stored:
    deleted: bool
    version: int
    stamp: str
    payload: bytes


def _pack(kind: bytes, version: int, stamp: str, payload: bytes = b"") -> bytes:
    raw = stamp.encode()[:255]
    return _HEAD.pack(kind, min(version, 0xFFFF), len(raw)) + raw + payload


def _unpack(value: bytes) -> _Stored:
    kind, version, n = _HEAD.unpack_from(value)
    start = _HEAD.size
    stamp = bytes(value[start : start + n]).decode()
    return _Stored(kind == b"D", version, stamp, bytes(value[start + n :]))


def _lmdb() -> Any:
    try:
        import lmdb
    except ImportError as exc:  # an optional extra: the API path never needs it
        raise InputError(
            "the local index needs the 'index' extra: pip install 'citecheck-biomed[index]'"
        ) from exc
    return lmdb


class Store:
    """Records by source and key, the DOI -> PMID map, and the Retraction Watch table."""

    def __init__(self, path: Path, write: bool = False) -> None:
        lmdb = _lmdb()
        if not write and not (path / "data.mdb").is_file():
            raise InputError(f"{path} is not a citecheck index (no data.mdb)")
        path.mkdir(parents=True, exist_ok=True)
        self.env = lmdb.open(
            str(path),
            map_size=MAP_SIZE,
            max_dbs=8,
            readonly=not write,
            lock=write,  # readers of a finished index need no lock file writes
            readahead=False,  # random lookups: let the OS cache what is used
            max_readers=512,
        )
        self._db = {
            name: self.env.open_db(name.encode(), create=write, dupsort=dup)
            for name, dup in (
                ("crossref", False),
                ("pubmed", False),
                ("doi_pmid", True),
                ("retractions", False),
                ("notice_keys", True),
                ("meta", False),  # live record counts, kept in the same transactions
            )
        }
        self._delta: dict[str, int] = {}

    def close(self) -> None:
        self.env.close()

    # -- writing ---------------------------------------------------------------------
    @contextmanager
    def writing(self) -> Iterator[Any]:
        """One write transaction; the record counts change with it or not at all."""
        self._delta = {}
        with self.env.begin(write=True) as txn:
            yield txn
            for source, delta in self._delta.items():
                key = f"count:{source}".encode()
                count = int(txn.get(key, b"0", db=self._db["meta"])) + delta
                txn.put(key, str(count).encode(), db=self._db["meta"])

    def count(self, source: Source) -> int:
        with self.env.begin() as txn:
            return int(txn.get(f"count:{source}".encode(), b"0", db=self._db["meta"]))

    def apply(self, txn: Any, change: Ready | Deletion) -> tuple[Outcome, Record | None]:
        """Apply one change; returns what happened and the record it replaced or deleted."""
        db = self._db[change.source]
        key = change.key.encode()
        raw = txn.get(key, db=db)
        old = _unpack(raw) if raw is not None else None
        if isinstance(change, Deletion):
            if old is not None and change.stamp <= old.stamp:
                return "skipped", None
            txn.put(key, _pack(b"D", 0, change.stamp), db=db)
            if old is None or old.deleted:
                return "skipped", None
            previous = decode(old.payload)
            self._unlink_doi(txn, change.source, change.key, previous)
            self._delta[change.source] = self._delta.get(change.source, 0) - 1
            return "deleted", previous
        if old is not None:
            newer = (
                change.stamp > old.stamp
                if old.deleted
                else (change.version, change.stamp) > (old.version, old.stamp)
            )
            if not newer:
                return "skipped", None
        txn.put(key, _pack(b"R", change.version, change.stamp, change.payload), db=db)
        replaced = decode(old.payload) if old is not None and not old.deleted else None
        if replaced is not None:
            self._unlink_doi(txn, change.source, change.key, replaced)
        if change.source == "pubmed" and change.doi:
            txn.put(change.doi.lower().encode(), key, db=self._db["doi_pmid"])
        if replaced is None:
            self._delta[change.source] = self._delta.get(change.source, 0) + 1
        return ("replaced" if replaced is not None else "added"), replaced

    def _unlink_doi(self, txn: Any, source: Source, key: str, previous: Record) -> None:
        if source == "pubmed" and previous.doi:
            txn.delete(previous.doi.lower().encode(), key.encode(), db=self._db["doi_pmid"])

    def replace_retractions(self, entries: Iterable[RetractionEntry]) -> int:
        """The Retraction Watch CSV is a full snapshot: it replaces the table, in one step."""
        rows = self._db["retractions"]
        keys = self._db["notice_keys"]
        n = 0
        with self.env.begin(write=True) as txn:
            txn.drop(rows, delete=False)
            txn.drop(keys, delete=False)
            for entry in entries:
                rid = entry.record_id.encode()
                txn.put(rid, json.dumps(entry.notice.to_dict()).encode(), db=rows)
                if entry.original_doi:
                    txn.put(f"doi:{entry.original_doi.lower()}".encode(), rid, db=keys)
                if entry.original_pmid:
                    txn.put(f"pmid:{entry.original_pmid}".encode(), rid, db=keys)
                n += 1
        return n

    # -- reading ---------------------------------------------------------------------
    def get(self, source: Source, key: str) -> Record | None:
        with self.env.begin() as txn:
            return self.get_in(txn, source, key)

    def get_in(self, txn: Any, source: Source, key: str) -> Record | None:
        raw = txn.get(key.encode(), db=self._db[source])
        if raw is None:
            return None
        stored = _unpack(raw)
        return None if stored.deleted else decode(stored.payload)

    def pmids_for_doi(self, doi: str) -> list[str]:
        with self.env.begin() as txn:
            cursor = txn.cursor(db=self._db["doi_pmid"])
            if not cursor.set_key(doi.lower().encode()):
                return []
            return [bytes(v).decode() for v in cursor.iternext_dup()]

    def retractions(self, doi: str | None, pmid: str | None) -> list[Notice]:
        """Retraction Watch notices about the work with this DOI or PMID, by record id."""
        keys = [k for k in (doi and f"doi:{doi.lower()}", pmid and f"pmid:{pmid}") if k]
        ids: list[bytes] = []
        with self.env.begin() as txn:
            cursor = txn.cursor(db=self._db["notice_keys"])
            for key in keys:
                if cursor.set_key(key.encode()):
                    ids += [bytes(v) for v in cursor.iternext_dup() if bytes(v) not in ids]
            rows = [txn.get(rid, db=self._db["retractions"]) for rid in sorted(ids)]
        return [Notice(**json.loads(r)) for r in rows if r is not None]

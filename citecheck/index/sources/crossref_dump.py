"""Crossref's bulk metadata: the public data file and Metadata Plus snapshots, as upserts.

Forms read, told apart by name (gzip or not by content):

- up to 2025, a directory of ``N.json.gz``, each one object ``{"items": [work, …]}`` (an
  API response's ``message`` minus the paging): loaded one file at a time;
- from 2026, JSON lines (``*.jsonl.gz`` / ``*.jsonl``), one work per line: streamed;
- a single ``.json`` / ``.jsonl`` (gzipped or not);
- a Metadata Plus snapshot: a ``.tar`` / ``.tar.gz`` / ``.tgz`` of such files, read as a
  stream (members in archive order, nothing extracted to disk).

A directory is walked in natural order ("2.json.gz" before "10.json.gz"); files of other
kinds in it (checksums, READMEs) are ignored and counted. Order does not decide which
version of a work wins: the stamp (``indexed``) does.

Bad input raises ``InputError`` naming the file and the line or item: a truncated gzip, a
line that is not JSON, an item that is not an object. A dump that is damaged anywhere was
damaged in transit and should be fetched again, not silently indexed in part; so is an
empty file (a failed download). Works without a DOI are skipped and counted
(``skipped_no_doi``). Changes yielded before the error are sound; whether to keep them is
the caller's choice.
"""

from __future__ import annotations

import json
import tarfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any, Literal

from citecheck.errors import InputError
from citecheck.index.sources import Tally, Upsert
from citecheck.index.sources._files import (
    READ_ERRORS,
    corrupt,
    decompressed,
    must_exist,
    walk,
)
from citecheck.resolve import crossref

Kind = Literal["json", "jsonl", "tar"]

# One JSON line longer than this is not a work record (the largest, with thousands of
# references, are a few MB); refusing it keeps a hostile file from filling memory.
MAX_LINE = 64 * 1024 * 1024
# One {"items": [...]} file of the public data file is ~5,000 works, tens of MB unpacked.
MAX_JSON_FILE = 1024 * 1024 * 1024


def read_crossref(path: Path, tally: Tally | None = None) -> Iterator[Upsert]:
    """Every work with a DOI in a Crossref dump (file, directory or snapshot tar)."""
    tally = tally if tally is not None else Tally()
    must_exist(path)
    if path.is_dir():
        for file in walk(path):
            kind = file_kind(file.name)
            if kind is None:
                tally.add("ignored_files")
                continue
            yield from _read_path(file, kind, tally)
        return
    kind = file_kind(path.name)
    if kind is None:
        raise InputError(
            f"{path}: not a Crossref dump file "
            "(expected .json, .jsonl, .json.gz, .jsonl.gz, .tar, .tar.gz or .tgz)"
        )
    yield from _read_path(path, kind, tally)


def file_kind(name: str) -> Kind | None:
    """What a file holds, by its name: a tar of dump files, JSON lines, or one JSON."""
    name = name.lower()
    if name.endswith((".tar", ".tar.gz", ".tgz")):
        return "tar"
    if name.endswith((".jsonl", ".jsonl.gz")):
        return "jsonl"
    if name.endswith((".json", ".json.gz")):
        return "json"
    return None


def stamp(item: dict[str, Any]) -> str:
    """When Crossref last indexed the work: later stamps replace earlier ones."""
    for key in ("indexed", "deposited"):
        value = item.get(key)
        if isinstance(value, dict):
            when = value.get("date-time")
            if isinstance(when, str) and when:
                return when
    return ""


def _read_path(path: Path, kind: Kind, tally: Tally) -> Iterator[Upsert]:
    if kind == "tar":
        yield from _read_tar(path, tally)
        return
    with path.open("rb") as raw:
        yield from _read_stream(raw, str(path), kind, tally)


def _read_tar(path: Path, tally: Tally) -> Iterator[Upsert]:
    try:
        # "r|*": a forward-only stream, compression detected; members are never extracted.
        with tarfile.open(path, mode="r|*") as tar:
            for member in tar:
                kind = file_kind(member.name)
                if not member.isfile() or kind is None or kind == "tar":
                    tally.add("ignored_files")
                    continue
                stream = tar.extractfile(member)
                if stream is None:
                    continue
                yield from _read_stream(stream, f"{path}!{member.name}", kind, tally)
    except (tarfile.TarError, *READ_ERRORS) as exc:
        raise corrupt(str(path), exc) from None


def _read_stream(
    raw: IO[bytes], where: str, kind: Literal["json", "jsonl"], tally: Tally
) -> Iterator[Upsert]:
    tally.files.append(where)
    tally.add("files")
    try:
        with decompressed(raw) as data:
            if kind == "jsonl":
                yield from _read_lines(data, where, tally)
            else:
                yield from _read_items(data, where, tally)
    except UnicodeDecodeError:
        raise InputError(f"{where}: not UTF-8 text") from None
    except READ_ERRORS as exc:
        raise corrupt(where, exc) from None


def _read_lines(data: IO[bytes], where: str, tally: Tally) -> Iterator[Upsert]:
    number = 0
    seen = False
    while True:
        line = data.readline(MAX_LINE + 1)
        if not line:
            break
        number += 1
        if len(line) > MAX_LINE:
            raise InputError(f"{where}: line {number}: longer than {MAX_LINE} bytes")
        if not line.strip():
            continue
        seen = True
        try:
            item = json.loads(line)
        except ValueError as exc:
            raise InputError(f"{where}: line {number}: not JSON ({exc})") from None
        upsert = _upsert(item, f"{where}: line {number}", tally)
        if upsert is not None:
            yield upsert
    if not seen:
        raise InputError(f"{where}: empty file")


def _read_items(data: IO[bytes], where: str, tally: Tally) -> Iterator[Upsert]:
    body = data.read(MAX_JSON_FILE + 1)
    if len(body) > MAX_JSON_FILE:
        raise InputError(f"{where}: larger than {MAX_JSON_FILE} bytes unpacked")
    if not body.strip():
        raise InputError(f"{where}: empty file")
    try:
        parsed = json.loads(body)
    except ValueError as exc:
        raise InputError(f"{where}: not JSON ({exc})") from None
    del body
    if isinstance(parsed, dict) and isinstance(parsed.get("message"), dict):
        parsed = parsed["message"]  # an API response saved as is
    items = parsed.get("items") if isinstance(parsed, dict) else parsed
    if not isinstance(items, list):
        raise InputError(f'{where}: expected an object with an "items" list')
    for number, item in enumerate(items, start=1):
        upsert = _upsert(item, f"{where}: item {number}", tally)
        if upsert is not None:
            yield upsert


def _upsert(item: object, where: str, tally: Tally) -> Upsert | None:
    tally.add("items")
    if not isinstance(item, dict):
        raise InputError(f"{where}: a work must be a JSON object, not {type(item).__name__}")
    doi = item.get("DOI")
    if not isinstance(doi, str) or not doi.strip():
        tally.add("skipped_no_doi")
        return None
    try:
        record = crossref.to_record(item)
    except (AttributeError, TypeError, ValueError, KeyError, IndexError) as exc:
        raise InputError(f"{where}: work {doi!r} has an unexpected shape ({exc})") from None
    tally.add("upserts")
    key = record.doi or doi.lower()
    return Upsert(source="crossref", key=key, stamp=stamp(item), record=record)

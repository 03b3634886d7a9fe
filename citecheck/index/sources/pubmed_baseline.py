"""PubMed's annual baseline and daily update files (``pubmedYYnNNNN.xml.gz``) as changes.

Baseline and updates share one numbering ("26n0001" … "26n1274" baseline, then updates),
so the file's place in the series, plus the record's place in the file, is a stamp that
orders every change: applying a file again, or an older one later, changes nothing. That is
why a file must carry its series name (or the caller must give a stamp prefix).

The files are parsed as a stream (lxml ``iterparse``, each article cleared once read), so a
100 MB file takes bounded memory. The parser never resolves entities, never loads a DTD and
never touches the network: real files declare NLM's DTD at https://dtd.nlm.nih.gov/, which
is not needed and must not be fetched. A file whose DOCTYPE declares entities is refused
(PubMed's never do; such a file is an entity-expansion or external-entity attack).

Records are built by ``citecheck.resolve.pubmed.to_record``, as for EFetch answers.
``<PubmedBookArticle>`` (Bookshelf chapters) are skipped and counted.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from lxml import etree

from citecheck.errors import ConfigError, InputError
from citecheck.index.sources import Deletion, Tally, Upsert
from citecheck.index.sources._files import (
    READ_ERRORS,
    corrupt,
    decompressed,
    must_exist,
    walk,
)
from citecheck.resolve import pubmed

_SERIES = re.compile(r"^pubmed(\d{2})n(\d{4})\.xml(?:\.gz)?$")
_PREFIX = re.compile(r"^[0-9A-Za-z._-]+$")
_TAGS = ("PubmedArticle", "PubmedBookArticle", "DeleteCitation")


def series_prefix(name: str) -> str | None:
    """ "pubmed26n0001.xml.gz" -> "26n0001"; None for a name outside the series."""
    m = _SERIES.match(name)
    return f"{m.group(1)}n{m.group(2)}" if m else None


def read_pubmed(
    path: Path, tally: Tally | None = None, stamp_prefix: str | None = None
) -> Iterator[Upsert | Deletion]:
    """The changes in one PubMed XML file, or in a directory of them in series order.

    ``stamp_prefix`` stands in for the series name of a single file named otherwise; the
    caller then answers for its order ("26n0002" sorts after "26n0001")."""
    tally = tally if tally is not None else Tally()
    must_exist(path)
    if path.is_dir():
        if stamp_prefix is not None:
            raise ConfigError("a stamp prefix names one file; it cannot apply to a directory")
        yield from _read_directory(path, tally)
        return
    if stamp_prefix is not None:
        if not _PREFIX.match(stamp_prefix):
            raise ConfigError(
                f"stamp prefix {stamp_prefix!r}: use letters, digits, '.', '_' or '-'"
            )
        prefix: str | None = stamp_prefix
    else:
        prefix = series_prefix(path.name)
    if prefix is None:
        raise InputError(
            f"{path}: not named like pubmedYYnNNNN.xml.gz; the series number is what orders "
            "updates (give a stamp prefix to read it anyway)"
        )
    yield from _read_file(path, prefix, tally)


def _read_directory(path: Path, tally: Tally) -> Iterator[Upsert | Deletion]:
    files: dict[str, Path] = {}
    for file in walk(path):
        if not file.name.endswith((".xml", ".xml.gz")):
            tally.add("ignored_files")  # .md5 checksums, README.txt
            continue
        prefix = series_prefix(file.name)
        if prefix is None:
            raise InputError(f"{file}: not named like pubmedYYnNNNN.xml.gz")
        if prefix in files:
            raise InputError(f"{file}: {files[prefix]} has the same place in the series")
        files[prefix] = file
    for prefix in sorted(files):
        yield from _read_file(files[prefix], prefix, tally)


def _read_file(path: Path, prefix: str, tally: Tally) -> Iterator[Upsert | Deletion]:
    where = str(path)
    tally.files.append(where)
    tally.add("files")
    try:
        with path.open("rb") as raw, decompressed(raw) as data:
            yield from _parse(data, where, prefix, tally)
    except etree.XMLSyntaxError as exc:
        raise InputError(f"{where}: malformed XML ({exc})") from None
    except READ_ERRORS as exc:
        raise corrupt(where, exc) from None


def _parse(data: Any, where: str, prefix: str, tally: Tally) -> Iterator[Upsert | Deletion]:
    context = etree.iterparse(
        data,
        events=("end",),
        tag=_TAGS,
        resolve_entities=False,
        load_dtd=False,
        dtd_validation=False,
        no_network=True,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    position = 0
    checked = False
    for _, el in context:
        if not checked:
            _check(el.getroottree(), where)
            checked = True
        if el.tag == "PubmedArticle":
            position += 1
            upsert = _upsert(el, where, f"{prefix}:{position:09d}", tally)
            if upsert is not None:
                yield upsert
        elif el.tag == "PubmedBookArticle":
            position += 1
            tally.add("skipped_book_articles")
        else:
            for pmid in el.iterfind("PMID"):
                position += 1
                key = (pmid.text or "").strip()
                if not key:
                    tally.add("skipped_no_pmid")
                    continue
                tally.add("deletions")
                yield Deletion(source="pubmed", key=key, stamp=f"{prefix}:{position:09d}")
        # Drop what has been read: the element's content and the siblings before it.
        el.clear(keep_tail=True)
        parent = el.getparent()
        while parent is not None and el.getprevious() is not None:
            del parent[0]
    if not checked:
        root = getattr(context, "root", None)
        if root is None:
            raise InputError(f"{where}: no XML document")
        _check(root.getroottree(), where)


def _check(tree: Any, where: str) -> None:
    root = tree.getroot()
    if root.tag != "PubmedArticleSet":
        raise InputError(f"{where}: <{root.tag}> is not a PubmedArticleSet")
    dtd = tree.docinfo.internalDTD
    if dtd is not None and any(True for _ in dtd.iterentities()):
        raise InputError(f"{where}: the DOCTYPE declares entities; PubMed files never do")


def _upsert(el: Any, where: str, stamp: str, tally: Tally) -> Upsert | None:
    try:
        record = pubmed.to_record(el)
    except (AttributeError, TypeError, ValueError) as exc:
        raise InputError(f"{where}: article at {stamp} has an unexpected shape ({exc})") from None
    if not record.pmid:
        tally.add("skipped_no_pmid")
        return None
    pmid = el.find("MedlineCitation/PMID")
    raw = (pmid.get("Version") or "").strip() if pmid is not None else ""
    tally.add("upserts")
    return Upsert(
        source="pubmed",
        key=record.pmid,
        stamp=stamp,
        record=record,
        version=int(raw) if raw.isdigit() and int(raw) > 0 else 1,
    )

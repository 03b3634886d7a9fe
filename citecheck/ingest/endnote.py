"""EndNote XML exports (``<xml><records><record>…``): a reference list alone."""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from citecheck.errors import InputError
from citecheck.ingest.fields import make_reference, split_name
from citecheck.ingest.jats import safe_xml
from citecheck.ingest.manuscript import Manuscript
from citecheck.model import ParsedReference
from citecheck.references.citations import InText


def _text(el: etree._Element | None) -> str:
    return " ".join("".join(el.itertext()).split()) if el is not None else ""


def record_reference(record: etree._Element) -> ParsedReference:
    """One ``<record>``; every value sits in ``<style>`` runs, hence itertext."""
    start, _, end = _text(record.find("pages")).partition("-")
    accession = _text(record.find("accession-num"))
    provider = _text(record.find("remote-database-provider")).lower()
    return make_reference(
        authors=[split_name(_text(a)) for a in record.iterfind("contributors/authors/author")],
        title=_text(record.find("titles/title")),
        container=_text(record.find("titles/secondary-title"))
        or _text(record.find("periodical/full-title")),
        year=_text(record.find("dates/year")),
        volume=_text(record.find("volume")),
        issue=_text(record.find("number")),
        pages="-".join(p for p in (start.strip(), end.strip()) if p) or None,
        doi=_text(record.find("electronic-resource-num")) or None,
        pmid=accession
        if accession.isdigit() and ("nlm" in provider or "pubmed" in provider)
        else None,
        url=_text(record.find("urls/related-urls/url")) or None,
        line=record.sourceline,
    )


def read_endnote_xml(path: Path, data: bytes) -> Manuscript:
    root = safe_xml(path, data)
    records = root.findall("records/record")
    if not records:
        raise InputError(f"{path}: an EndNote XML file without records")
    return Manuscript(
        path=str(path),
        text="",
        encoding="utf-8",
        format="endnote-xml",
        references=tuple(record_reference(r) for r in records),
        citations=InText("none", ()),
    )

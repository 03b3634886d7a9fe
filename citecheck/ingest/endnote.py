"""EndNote records: an EndNote XML export (``<xml><records><record>…``), a reference list
alone, and the ``<record>`` in each citation field EndNote leaves in a Word document (the
same shape; the .docx reader finds it and maps it here)."""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from citecheck.errors import InputError
from citecheck.ingest.fields import make_reference, split_name
from citecheck.ingest.manuscript import Manuscript, reference_list
from citecheck.ingest.xml import parse_xml, text_of
from citecheck.model import ParsedReference


def record_reference(record: etree._Element, line: int | None) -> ParsedReference:
    """One ``<record>``; every value sits in ``<style>`` runs, hence the text of all inside.
    Its accession number is a PMID only when the record came from PubMed (NLM)."""

    def text(path: str) -> str:
        return text_of(record.find(path))

    start, _, end = text("pages").partition("-")
    accession = text("accession-num")
    provider = text("remote-database-provider").lower()
    return make_reference(
        authors=[split_name(text_of(a)) for a in record.iterfind("contributors/authors/author")],
        title=text("titles/title"),
        container=text("titles/secondary-title")
        or text("periodical/full-title")
        or text("periodical/abbr-1"),
        year=text("dates/year"),
        volume=text("volume"),
        issue=text("number"),
        pages="-".join(p for p in (start.strip(), end.strip()) if p) or None,
        doi=text("electronic-resource-num") or None,
        pmid=accession
        if accession.isdigit() and ("nlm" in provider or "pubmed" in provider)
        else None,
        url=text("urls/related-urls/url") or None,
        line=line,
    )


def read_endnote_xml(path: Path, data: bytes) -> Manuscript:
    root = parse_xml(data, str(path))
    records = root.findall("records/record")
    if not records:
        raise InputError(f"{path}: an EndNote XML file without records")
    return reference_list(
        path, tuple(record_reference(r, r.sourceline) for r in records), "endnote-xml"
    )

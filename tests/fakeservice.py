"""Local fake of the Crossref REST API and NCBI E-utilities, for tests and benchmarks.

No machine that runs the test-suite can reach api.crossref.org or eutils.ncbi.nlm.nih.gov, so
this module serves both from one ``ThreadingHTTPServer`` on 127.0.0.1 (ephemeral port, stdlib
only). Responses copy the envelopes, field names, content types and rate-limit headers of real
recorded responses (copies with provenance in tests/data/); nothing here reads other files.

Usage::

    works = [Work(doi="10.5555/example.1", pmid="90000001", title="...", year=2013)]
    with FakeServices(works) as svc, httpx.Client() as http:
        svc.fail(r"/crossref/works/", status(429, headers={"Retry-After": "1"}), reset())
        http.get(f"{svc.crossref_url}/works/10.5555/nature12373")  # -> 429, then a reset, then 200
        http.get(f"{svc.eutils_url}/efetch.fcgi", params={"db": "pubmed", "id": "90012373"})
        assert svc.count(r"^/eutils/efetch") == 1

Fault injection: ``svc.fail(path_regex, *faults)`` queues faults (``status``, ``hang``,
``stall``, ``truncated``, ``cut``, ``reset``, ``malformed``) consumed in order by matching
requests; ``svc.flaky(path_regex, rate, *faults, seed=0)`` gives a seeded share of matching
requests one of the faults, for ever (``rate=1.0``: a storm); ``svc.down = True`` resets every
connection, ``svc.crossref_down`` / ``svc.eutils_down`` only that service's; ``latency`` delays
every response.

MeSH: ``FakeServices(works, mesh=[MeshDescriptor("D008545", "Melanoma", ("C04.557.465",))])``
makes PubMed ESearch translate those descriptors' names and entry terms found in a query
(TranslationSet, QueryTranslation), and answers ESearch and ESummary (version 2.0) in the
MeSH database, whose uid for descriptor D008545 is 68008545.
"""

from __future__ import annotations

import calendar
import contextlib
import gzip
import itertools
import json
import math
import random
import re
import socket
import socketserver
import struct
import threading
import time
import unicodedata
from collections import Counter, deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import parse_qs, unquote, urlsplit

__all__ = [
    "FakeServices",
    "Fault",
    "MeshDescriptor",
    "RecordedRequest",
    "Work",
    "crossref_item",
    "cut",
    "hang",
    "malformed",
    "pubmed_article_xml",
    "reset",
    "stall",
    "status",
    "truncated",
]


# --------------------------------------------------------------------------------------------
# Metadata
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Work:
    """One bibliographic record, rendered as a Crossref item and/or a PubMed article.

    Keyword-only so test corpora stay readable. ``in_crossref`` needs a ``doi``; ``in_pubmed``
    only has an effect when ``pmid`` is set. A ``mesh`` heading is ``(UI, name, major topic)``;
    a bare name (older corpora) gets its UI from a small table, or UI="", and is not major.
    """

    doi: str | None = None
    pmid: str | None = None
    title: str = ""
    authors: Sequence[tuple[str, str]] = ()
    journal: str = ""
    journal_abbrev: str | None = None
    year: int | None = None
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None
    publication_types: Sequence[str] = ("Journal Article",)
    abstract: str | None = None
    mesh: Sequence[str | tuple[str, str, bool]] = ()
    keywords: Sequence[str] = ()
    updated_by: Sequence[dict[str, Any]] = ()
    comments_corrections: Sequence[tuple[str, str | None, str]] = ()
    in_crossref: bool = True
    in_pubmed: bool = True
    # Extras beyond the brief, all optional: Crossref ``update-to`` (on a retraction notice),
    # an ISSN, and a publisher name (otherwise guessed from the DOI prefix).
    update_to: Sequence[dict[str, Any]] = ()
    issn: str | None = None
    publisher: str | None = None
    # Crossref ``type`` ("posted-content" for a preprint) and ``relation`` (e.g.
    # ``{"is-preprint-of": [{"id-type": "doi", "id": …, "asserted-by": "subject"}]}``).
    work_type: str = "journal-article"
    relation: dict[str, Any] | None = None

    @property
    def first_page(self) -> str | None:
        """First page of ``pages`` ("754" for "754-759"), as ECitMatch and [pg] use it."""
        return _split_pages(self.pages)[0]

    @property
    def crossref_visible(self) -> bool:
        return bool(self.doi) and self.in_crossref

    @property
    def pubmed_visible(self) -> bool:
        return bool(self.pmid) and self.in_pubmed

    @property
    def mesh_headings(self) -> list[tuple[str, str, bool]]:
        """``mesh`` as (UI, name, major) whichever form each heading was given in."""
        return [
            (_MESH_UI.get(h, ""), h, False) if isinstance(h, str) else (h[0], h[1], bool(h[2]))
            for h in self.mesh
        ]


def _split_pages(pages: str | None) -> tuple[str | None, str | None]:
    if not pages:
        return None, None
    parts = re.split(r"\s*[-\u2010-\u2015]\s*", pages.strip(), maxsplit=1)
    start = parts[0] or None
    end = parts[1] if len(parts) > 1 and parts[1] else None
    return start, end


@dataclass(frozen=True)
class MeshDescriptor:
    """A MeSH descriptor the fake's PubMed translates queries to and its MeSH database holds."""

    ui: str
    name: str
    tree_numbers: tuple[str, ...]
    entry_terms: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not re.fullmatch(r"D\d{6}(\d{3})?", self.ui):
            raise ValueError(f"not a descriptor UI: {self.ui!r}")

    @property
    def uid(self) -> str:
        """MeSH database uid: "68" and the six digits (D008545 -> 68008545). For the newer
        nine-digit UIs (D000086382) the last six are used: an assumption, nothing recorded
        here shows the uid NCBI gives them."""
        return f"68{self.ui[-6:]}"


# --------------------------------------------------------------------------------------------
# Crossref item
# --------------------------------------------------------------------------------------------

# (publisher, member) for common prefixes. Only PLoS/340 is in the recordings; the others are
# Crossref's names as far as known and only cosmetic. Unknown prefixes get _DEFAULT_PUBLISHER.
_PUBLISHERS: dict[str, tuple[str, str]] = {
    "10.1371": ("Public Library of Science (PLoS)", "340"),
    "10.1038": ("Springer Science and Business Media LLC", "297"),
    "10.1007": ("Springer Science and Business Media LLC", "297"),
    "10.1016": ("Elsevier BV", "78"),
    "10.1056": ("Massachusetts Medical Society", "150"),
    "10.1126": ("American Association for the Advancement of Science (AAAS)", "221"),
    "10.1093": ("Oxford University Press (OUP)", "286"),
    "10.1002": ("Wiley", "311"),
    "10.1111": ("Wiley", "311"),
    "10.1073": ("Proceedings of the National Academy of Sciences", "341"),
    "10.1136": ("BMJ", "239"),
    "10.1001": ("American Medical Association (AMA)", "10"),
    "10.3389": ("Frontiers Media SA", "1965"),
}
_DEFAULT_PUBLISHER = ("Example Publisher", "99999")

_INDEXED = (
    '{"date-parts":[[2026,6,6]],"date-time":"2026-06-06T19:55:37Z",'
    '"timestamp":1780775737845,"version":"3.54.1"}'
)


def _stamp(year: int, month: int = 1, day: int = 1) -> dict[str, Any]:
    ts = calendar.timegm((year, month, day, 0, 0, 0)) * 1000
    return {
        "date-parts": [[year, month, day]],
        "date-time": f"{year:04d}-{month:02d}-{day:02d}T00:00:00Z",
        "timestamp": ts,
    }


def crossref_item(work: Work) -> dict[str, Any]:
    """Build the ``message`` of ``GET /works/{doi}`` for ``work`` (2026 field names and shapes).

    Keys whose value is unknown are left out, except ``issued``: real records without a date
    carry ``{"date-parts": [[null]]}`` (recorded 2024/2025), so clients must cope with it.
    """
    if not work.doi:
        raise ValueError("a Crossref item needs a DOI")
    prefix = work.doi.split("/", 1)[0]
    publisher, member = _PUBLISHERS.get(prefix, _DEFAULT_PUBLISHER)
    if work.publisher:
        publisher = work.publisher
    item: dict[str, Any] = {
        "indexed": json.loads(_INDEXED),  # a fresh copy: callers may mutate the item
        "reference-count": 0,
        "publisher": publisher,
    }
    if work.issue:
        item["issue"] = work.issue
    item["content-domain"] = {"domain": [], "crossmark-restriction": False}
    if work.journal_abbrev:
        item["short-container-title"] = [work.journal_abbrev]
    if work.abstract:
        item["abstract"] = f"<jats:p>{_xml_text(work.abstract, ascii_only=False)}</jats:p>"
    item["DOI"] = work.doi
    item["type"] = work.work_type
    item["created"] = _stamp(work.year or 2000, 1, 15)
    if work.pages:
        item["page"] = work.pages
    if work.update_to or work.updated_by:
        item["update-policy"] = f"https://doi.org/{prefix}/crossmark_policy"
    item["source"] = "Crossref"
    item["is-referenced-by-count"] = 0
    if work.title:
        item["title"] = [work.title]
    item["prefix"] = prefix
    if work.volume:
        item["volume"] = work.volume
    if work.authors:
        item["author"] = [
            _crossref_author(family, given, i) for i, (family, given) in enumerate(work.authors)
        ]
    item["member"] = member
    if work.update_to:
        item["update-to"] = [dict(u) for u in work.update_to]
    if work.updated_by:
        item["updated-by"] = [dict(u) for u in work.updated_by]
    if work.journal:
        item["container-title"] = [work.journal]
    item["original-title"] = []
    item["language"] = "en"
    item["deposited"] = _stamp(work.year or 2000, 2, 1)
    item["score"] = 1
    item["resource"] = {"primary": {"URL": f"https://example.org/article/{work.doi}"}}
    item["subtitle"] = []
    item["short-title"] = []
    item["issued"] = {"date-parts": [[work.year]]}
    item["references-count"] = 0
    if work.year is not None:
        item["published-print"] = {"date-parts": [[work.year]]}
    if work.issue:
        journal_issue: dict[str, Any] = {"issue": work.issue}
        if work.year is not None:
            journal_issue["published-print"] = {"date-parts": [[work.year]]}
        item["journal-issue"] = journal_issue
    item["URL"] = f"https://doi.org/{work.doi}"
    item["relation"] = json.loads(json.dumps(work.relation or {}))
    if work.issn:
        item["ISSN"] = [work.issn]
        item["issn-type"] = [{"value": work.issn, "type": "print"}]
    item["subject"] = []
    if work.year is not None:
        item["published"] = {"date-parts": [[work.year]]}
    return item


def _crossref_author(family: str, given: str, index: int) -> dict[str, Any]:
    author: dict[str, Any] = {}
    if given:
        author["given"] = given
    author["family"] = family
    author["sequence"] = "first" if index == 0 else "additional"
    author["affiliation"] = []
    author["role"] = [{"vocabulary": "crossref", "role": "author"}]
    return author


# --------------------------------------------------------------------------------------------
# PubMed article XML
# --------------------------------------------------------------------------------------------

_PUBMED_DOCTYPE = (
    '<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, 1st January 2025//EN" '
    '"https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd">'
)
_ESEARCH_HEAD = (
    '<?xml version="1.0" encoding="UTF-8" ?>\n'
    '<!DOCTYPE eSearchResult PUBLIC "-//NLM//DTD esearch 20060628//EN" '
    '"https://eutils.ncbi.nlm.nih.gov/eutils/dtd/20060628/esearch.dtd">\n'
)
_ESUMMARY_HEAD = (
    '<?xml version="1.0" encoding="UTF-8" ?>\n'
    '<!DOCTYPE eSummaryResult PUBLIC "-//NLM//DTD esummary v1 20041029//EN" '
    '"https://eutils.ncbi.nlm.nih.gov/eutils/dtd/20041029/esummary-v1.dtd">\n'
)

# UIs as they appear in the recorded efetch XML; unknown names get UI="" (as NCBI does for
# some publisher-supplied types, e.g. "RETRACTION OF PUBLICATION").
_PUBTYPE_UI = {
    "Journal Article": "D016428",
    "Retracted Publication": "D016441",
    "Retraction of Publication": "D016440",
    "Published Erratum": "D016425",
    "Review": "D016454",
    "Systematic Review": "D000078182",
    "Meta-Analysis": "D017418",
    "Comment": "D016420",
    "Editorial": "D016421",
    "Letter": "D016422",
    "Case Reports": "D002363",
    "Randomized Controlled Trial": "D016449",
    "Clinical Trial": "D016430",
    "Multicenter Study": "D016448",
    "Comparative Study": "D003160",
    "Corrected and Republished Article": "D016439",
    "Research Support, Non-U.S. Gov't": "D013485",
    "Research Support, N.I.H., Extramural": "D052061",
}
_MESH_UI = {
    "Humans": "D006801",
    "Female": "D005260",
    "Male": "D008297",
    "Animals": "D000818",
    "Middle Aged": "D008875",
    "Adult": "D000328",
    "Aged": "D000368",
    "Rats": "D051381",
    "Mice": "D051379",
    "Child": "D002648",
    "Adolescent": "D000293",
    "Neoplasms": "D009369",
    "Mutation": "D009154",
}

_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_text(value: object, *, ascii_only: bool = True) -> str:
    """Escape text for XML; like efetch, write non-ASCII as ``&#x..;`` references."""
    text = _XML_INVALID.sub("", str(value))
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if ascii_only:
        text = "".join(ch if ord(ch) < 128 else f"&#x{ord(ch):x};" for ch in text)
    return text


def _xml_attr(value: object) -> str:
    return _xml_text(value).replace('"', "&quot;")


def _initials(given: str) -> str:
    """PubMed ``Initials``: "Yoon Soo" -> "YS", "Brooks B." -> "BB", "Jean-Pierre" -> "JP"."""
    return "".join(part[0].upper() for part in re.split(r"[\s.\-]+", given) if part)


def pubmed_article_xml(work: Work) -> str:
    """Build one ``<PubmedArticle>`` element as efetch returns it (2025 DTD element order)."""
    if not work.pmid:
        raise ValueError("a PubMed article needs a PMID")
    x = _xml_text
    status_attr = "MEDLINE" if work.mesh else "PubMed-not-MEDLINE"
    out = [
        f'<PubmedArticle><MedlineCitation Status="{status_attr}" Owner="NLM">'
        f'<PMID Version="1">{x(work.pmid)}</PMID>'
        '<Article PubModel="Print"><Journal>'
    ]
    if work.issn:
        out.append(f'<ISSN IssnType="Print">{x(work.issn)}</ISSN>')
    out.append('<JournalIssue CitedMedium="Print">')
    if work.volume:
        out.append(f"<Volume>{x(work.volume)}</Volume>")
    if work.issue:
        out.append(f"<Issue>{x(work.issue)}</Issue>")
    if work.year is not None:
        out.append(f"<PubDate><Year>{work.year}</Year></PubDate>")
    else:
        out.append("<PubDate/>")
    out.append(f"</JournalIssue><Title>{x(work.journal)}</Title>")
    if work.journal_abbrev:
        out.append(f"<ISOAbbreviation>{x(work.journal_abbrev)}</ISOAbbreviation>")
    out.append(f"</Journal><ArticleTitle>{x(work.title)}</ArticleTitle>")
    start, end = _split_pages(work.pages)
    if start:
        out.append(f"<Pagination><StartPage>{x(start)}</StartPage>")
        if end:
            out.append(f"<EndPage>{x(end)}</EndPage>")
        out.append(f"<MedlinePgn>{x(work.pages)}</MedlinePgn></Pagination>")
    if work.doi:
        out.append(f'<ELocationID EIdType="doi" ValidYN="Y">{x(work.doi)}</ELocationID>')
    if work.abstract:
        out.append(f"<Abstract><AbstractText>{x(work.abstract)}</AbstractText></Abstract>")
    if work.authors:
        out.append('<AuthorList CompleteYN="Y">')
        for family, given in work.authors:
            out.append(f'<Author ValidYN="Y"><LastName>{x(family)}</LastName>')
            if given:
                out.append(f"<ForeName>{x(given)}</ForeName>")
                out.append(f"<Initials>{x(_initials(given))}</Initials>")
            out.append("</Author>")
        out.append("</AuthorList>")
    out.append("<Language>eng</Language><PublicationTypeList>")
    for ptype in work.publication_types:
        ui = _PUBTYPE_UI.get(ptype, "")
        out.append(f'<PublicationType UI="{ui}">{x(ptype)}</PublicationType>')
    out.append("</PublicationTypeList></Article><MedlineJournalInfo>")
    out.append(f"<MedlineTA>{x(work.journal_abbrev or work.journal)}</MedlineTA>")
    if work.issn:
        out.append(f"<ISSNLinking>{x(work.issn)}</ISSNLinking>")
    out.append("</MedlineJournalInfo>")
    if work.comments_corrections:
        out.append("<CommentsCorrectionsList>")
        for ref_type, ref_pmid, ref_source in work.comments_corrections:
            out.append(
                f'<CommentsCorrections RefType="{_xml_attr(ref_type)}">'
                f"<RefSource>{x(ref_source)}</RefSource>"
            )
            if ref_pmid:
                out.append(f'<PMID Version="1">{x(ref_pmid)}</PMID>')
            out.append("</CommentsCorrections>")
        out.append("</CommentsCorrectionsList>")
    if work.mesh:
        out.append("<MeshHeadingList>")
        for ui, name, major in work.mesh_headings:
            out.append(
                f'<MeshHeading><DescriptorName UI="{_xml_attr(ui)}" '
                f'MajorTopicYN="{"Y" if major else "N"}">{x(name)}'
                "</DescriptorName></MeshHeading>"
            )
        out.append("</MeshHeadingList>")
    if work.keywords:
        # After MeshHeadingList, as in every recorded record that has both; "NOTNLM" is
        # the owner of author keywords, by far the most common list.
        out.append('<KeywordList Owner="NOTNLM">')
        for keyword in work.keywords:
            out.append(f'<Keyword MajorTopicYN="N">{x(keyword)}</Keyword>')
        out.append("</KeywordList>")
    out.append("</MedlineCitation><PubmedData><PublicationStatus>ppublish</PublicationStatus>")
    out.append(f'<ArticleIdList><ArticleId IdType="pubmed">{x(work.pmid)}</ArticleId>')
    if work.doi:
        out.append(f'<ArticleId IdType="doi">{x(work.doi)}</ArticleId>')
    out.append("</ArticleIdList></PubmedData></PubmedArticle>")
    return "".join(out)


def _pubmed_article_set(works: Iterable[Work]) -> str:
    body = "".join(pubmed_article_xml(w) for w in works)
    head = f'<?xml version="1.0" ?>\n{_PUBMED_DOCTYPE}\n'
    return f"{head}<PubmedArticleSet>\n{body}</PubmedArticleSet>\n"


def _esummary_docsum(work: Work) -> str:
    x = _xml_text
    authors = [f"{fam} {_initials(given)}".strip() for fam, given in work.authors]
    author_items = "".join(
        f'\t\t<Item Name="Author" Type="String">{x(a)}</Item>\n' for a in authors
    )
    ptypes = "".join(
        f'\t\t<Item Name="PubType" Type="String">{x(p)}</Item>\n' for p in work.publication_types
    )
    ids = f'\t\t<Item Name="pubmed" Type="String">{x(work.pmid)}</Item>\n'
    if work.doi:
        ids += f'\t\t<Item Name="doi" Type="String">{x(work.doi)}</Item>\n'
    year = "" if work.year is None else str(work.year)
    so = f"{year};{work.volume or ''}({work.issue or ''}):{work.pages or ''}"

    def item(name: str, value: object, typ: str = "String") -> str:
        return f'\t<Item Name="{name}" Type="{typ}">{x(value)}</Item>\n'

    return (
        f"<DocSum>\n\t<Id>{x(work.pmid)}</Id>\n"
        + item("PubDate", year, "Date")
        + item("EPubDate", "", "Date")
        + item("Source", work.journal_abbrev or work.journal)
        + f'\t<Item Name="AuthorList" Type="List">\n{author_items}\t</Item>\n'
        + item("LastAuthor", authors[-1] if authors else "")
        + item("Title", work.title)
        + item("Volume", work.volume or "")
        + item("Issue", work.issue or "")
        + item("Pages", work.pages or "")
        + f'\t<Item Name="PubTypeList" Type="List">\n{ptypes}\t</Item>\n'
        + f'\t<Item Name="ArticleIds" Type="List">\n{ids}\t</Item>\n'
        + item("DOI", work.doi or "")
        + item("FullJournalName", work.journal)
        + item("SO", so)
        + "</DocSum>\n"
    )


# ESummary version 2.0 for db=mesh, laid out like the recorded MeSH DocumentSummary
# (Klortho/Eutils-JSON samples/esummary.mesh.xml): tab-indented, list elements open on their
# own line even when empty, a blank line before the set closes.
_MESH_ESUMMARY_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<!DOCTYPE eSummaryResult PUBLIC "-//NLM//DTD eSummaryResult//EN" '
    '"http://www.ncbi.nlm.nih.gov/entrez/query/DTD/eSummaryDTD/eSummary_mesh.dtd">\n'
)


def _mesh_document_summary(desc: MeshDescriptor) -> str:
    """One ``<DocumentSummary>``: MeSH terms (name first) and one LinksType per tree number.

    Parent uids are not known here, so Parent is empty; fields the fake has no data for are
    empty elements, as the recorded sample writes empty ones.
    """

    def x(value: str) -> str:
        return _xml_text(value, ascii_only=False)

    def empty_list(tag: str) -> str:
        return f"\t<{tag}>\n\t</{tag}>\n"

    terms = "".join(f"\t\t<string>{x(t)}</string>\n" for t in (desc.name, *desc.entry_terms))
    links = "".join(
        "\t\t<LinksType>\n\t\t\t<Parent></Parent>\n"
        f"\t\t\t<TreeNum>{x(tree)}</TreeNum>\n"
        "\t\t\t<Children>\n\t\t\t</Children>\n\t\t</LinksType>\n"
        for tree in desc.tree_numbers
    )
    return (
        f'<DocumentSummary uid="{desc.uid}">\n'
        "\t<DS_YearIntroduced></DS_YearIntroduced>\n"
        "\t<DS_ScopeNote></DS_ScopeNote>\n"
        "\t<DS_RegistryNumber></DS_RegistryNumber>\n"
        "\t<DS_HeadingMappedTo></DS_HeadingMappedTo>\n"
        f"\t<DS_MeshTerms>\n{terms}\t</DS_MeshTerms>\n"
        + empty_list("DS_Subheading")
        + empty_list("DS_PaPx")
        + empty_list("DS_PreviousIndexing")
        + empty_list("DS_SeeRelated")
        + empty_list("DS_PaList")
        + f"\t<DS_IdxLinks>\n{links}\t</DS_IdxLinks>\n"
        "\t<DS_EntryDate></DS_EntryDate>\n"
        "\t<DS_RevisionDate></DS_RevisionDate>\n"
        + empty_list("DS_HeadingMappedToList")
        + "</DocumentSummary>\n"
    )


def _mesh_esummary(found: Iterable[MeshDescriptor], version: str) -> str:
    """ESummary db=mesh. Unknown uids are left out of the set (NCBI may instead answer them
    with an error inside a DocumentSummary; no such answer is recorded), so a request naming
    none of the registered descriptors gets an empty set with status="OK": an assumption."""
    found = list(found)
    if version != "2.0":
        # The version 1.0 MeSH DocSum items are not recorded: only the Id, so a client that
        # forgets version=2.0 finds no DocumentSummarySet here either.
        docs = "".join(f"<DocSum>\n\t<Id>{d.uid}</Id>\n</DocSum>\n" for d in found)
        return f"{_ESUMMARY_HEAD}<eSummaryResult>\n{docs}</eSummaryResult>\n"
    docs = "".join(_mesh_document_summary(d) for d in found)
    return (
        f'{_MESH_ESUMMARY_HEAD}<eSummaryResult>\n<DocumentSummarySet status="OK">\n'
        f"{docs}\n</DocumentSummarySet>\n</eSummaryResult>\n"
    )


# --------------------------------------------------------------------------------------------
# Text normalisation and scoring
# --------------------------------------------------------------------------------------------


def _fold(text: str) -> str:
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()


def _tokens(text: str | None) -> list[str]:
    return re.findall(r"[a-z0-9]+", _fold(text or ""))


def _squash(text: str | None) -> str:
    """Lower-case, accents and punctuation removed, spaces collapsed: for equality tests."""
    return " ".join(_tokens(text))


def _norm_doi(doi: str) -> str:
    doi = doi.strip().lower()
    doi = re.sub(r"^(https?://(dx\.)?doi\.org/|doi:\s*)", "", doi)
    return doi


class _Bm25:
    """Okapi BM25 with postings, so a query only touches documents sharing a token."""

    def __init__(self, docs: list[list[str]], k1: float = 1.2, b: float = 0.75) -> None:
        self.k1 = k1
        self.b = b
        self.n = len(docs)
        self.lengths = [len(d) for d in docs]
        self.avgdl = (sum(self.lengths) / self.n) if self.n else 0.0
        self.counts: list[dict[str, int]] = []
        self.postings: dict[str, list[int]] = {}
        for i, doc in enumerate(docs):
            counts: dict[str, int] = {}
            for tok in doc:
                counts[tok] = counts.get(tok, 0) + 1
            self.counts.append(counts)
            for tok in counts:
                self.postings.setdefault(tok, []).append(i)

        avgdl = self.avgdl or 1.0
        self.norms = [k1 * (1 - b + b * length / avgdl) for length in self.lengths]

    def search(self, query: list[str]) -> dict[int, tuple[float, int]]:
        """Term at a time: {doc: (BM25 score, distinct query tokens it contains)}."""
        out: dict[int, tuple[float, int]] = {}
        qtf: dict[str, int] = {}
        for tok in query:
            qtf[tok] = qtf.get(tok, 0) + 1
        for tok, qf in qtf.items():
            posting = self.postings.get(tok)
            if not posting:
                continue
            df = len(posting)
            idf = math.log(1 + (self.n - df + 0.5) / (df + 0.5)) * qf * (self.k1 + 1)
            for i in posting:
                tf = self.counts[i][tok]
                score, matched = out.get(i, (0.0, 0))
                out[i] = (score + idf * tf / (tf + self.norms[i]), matched + 1)
        return out


def _author_tokens(work: Work) -> list[str]:
    return [tok for fam, given in work.authors for tok in _tokens(f"{fam} {given}")]


def _crossref_field_tokens(work: Work, name: str) -> list[str]:
    if name == "title":
        return _tokens(work.title)
    if name == "author":
        return _author_tokens(work)
    if name == "container-title":
        return _tokens(f"{work.journal} {work.journal_abbrev or ''}")
    start, end = _split_pages(work.pages)
    biblio = (
        _tokens(work.title)
        + _author_tokens(work)
        + _tokens(f"{work.journal} {work.journal_abbrev or ''}")
        + _tokens(" ".join(str(v) for v in (work.year, work.volume, work.issue, start, end) if v))
    )
    if name == "query":  # the free-form ``query`` parameter also sees the abstract
        biblio += _tokens(work.abstract)
    return biblio


# --------------------------------------------------------------------------------------------
# PubMed query language (subset)
# --------------------------------------------------------------------------------------------

_FIELDS = {
    "doi": "doi",
    "aid": "doi",
    "lid": "doi",
    "ti": "title",
    "title": "title",
    "tiab": "tiab",
    "title/abstract": "tiab",
    "ab": "abstract",
    "abstract": "abstract",
    "au": "author",
    "auth": "author",
    "author": "author",
    "fau": "author",
    "full author name": "author",
    "1au": "first_author",
    "author - first": "first_author",
    "lastau": "last_author",
    "author - last": "last_author",
    "dp": "year",
    "pdat": "year",
    "pubdate": "year",
    "publication date": "year",
    "date - publication": "year",
    "ta": "journal",
    "jour": "journal",
    "journal": "journal",
    "vi": "volume",
    "volume": "volume",
    "ip": "issue",
    "issue": "issue",
    "pg": "page",
    "page": "page",
    "pagination": "page",
    "pmid": "pmid",
    "uid": "pmid",
    "mh": "mesh",
    "mesh": "mesh",
    "mesh terms": "mesh",
    "majr": "mesh",
    "pt": "ptype",
    "ptyp": "ptype",
    "publication type": "ptype",
    "all": "all",
    "all fields": "all",
}
_FIELD_LABEL = {
    "doi": "doi",
    "title": "Title",
    "tiab": "Title/Abstract",
    "abstract": "Abstract",
    "author": "Author",
    "first_author": "Author - First",
    "last_author": "Author - Last",
    "year": "Date - Publication",
    "journal": "Journal",
    "volume": "Volume",
    "issue": "Issue",
    "page": "Pagination",
    "pmid": "UID",
    "mesh": "MeSH Terms",
    "ptype": "Publication Type",
    "all": "All Fields",
}


@dataclass
class _Term:
    text: str
    field: str
    quoted: bool
    raw: str
    atm: str | None = None  # QueryTranslation of a phrase mapped to MeSH (display only)


@dataclass
class _Op:
    op: str
    left: _Term | _Op
    right: _Term | _Op
    atm: str | None = None


_Node = _Term | _Op


def _lex(query: str) -> list[tuple[str, str]]:
    """Split a PubMed term into (kind, text): ( ) OP QUOTE WORD TAG."""
    out: list[tuple[str, str]] = []
    i, n = 0, len(query)
    while i < n:
        ch = query[i]
        if ch.isspace():
            i += 1
        elif ch in "()":
            out.append((ch, ch))
            i += 1
        elif ch == '"':
            j = query.find('"', i + 1)
            j = n if j < 0 else j
            out.append(("QUOTE", query[i + 1 : j]))
            i = j + 1
        elif ch == "[" and (m := re.match(r"\[([A-Za-z0-9 /\-]+)\]", query[i:])):
            out.append(("TAG", m.group(1).strip().lower()))
            i += m.end()
        else:
            # A bare word; parentheses/brackets inside it (DOIs such as "10.1016/S0024-3205(99)")
            # stay in the word as long as they balance.
            j, depth = i, 0
            while j < n:
                c = query[j]
                if c.isspace() or c == '"':
                    break
                if c == "(":
                    depth += 1
                elif c == ")":
                    if depth == 0:
                        break
                    depth -= 1
                elif c == "[" and re.match(r"\[[A-Za-z0-9 /\-]+\]", query[j:]):
                    break
                j += 1
            word = query[i:j]
            out.append(("OP", word) if word in ("AND", "OR", "NOT") else ("WORD", word))
            i = j
    return out


class _QueryParser:
    """PubMed evaluates Boolean operators left to right; parentheses group.

    With ``mesh``, runs of untagged words get PubMed's automatic term mapping: a phrase
    naming a descriptor is grouped and shown translated (``translations`` collects the
    TranslationSet); which records match does not change.
    """

    def __init__(
        self, query: str, default_field: str = "all", mesh: _MeshIndex | None = None
    ) -> None:
        self.toks = _lex(query)
        self.pos = 0
        self.default_field = default_field
        self.mesh = mesh if default_field == "all" else None
        self.translations: dict[str, tuple[str, str]] = {}  # casefolded From -> (From, To)

    def parse(self) -> _Node | None:
        node = self._expr()
        while self.pos < len(self.toks):  # stray ")" or trailing operator: skip, like NCBI
            self.pos += 1
            rest = self._expr()
            if rest is not None:
                node = rest if node is None else _Op("AND", node, rest)
        return node

    def _peek(self) -> tuple[str, str] | None:
        return self.toks[self.pos] if self.pos < len(self.toks) else None

    def _expr(self) -> _Node | None:
        node = self._unit()
        while (tok := self._peek()) is not None and tok[0] != ")":
            op = "AND"
            if tok[0] == "OP":
                op = tok[1]
                self.pos += 1
            right = self._unit()
            if right is None:
                continue
            node = right if node is None else _Op(op, node, right)
        return node

    def _unit(self) -> _Node | None:
        tok = self._peek()
        if tok is None:
            return None
        kind, text = tok
        if kind == "(":
            self.pos += 1
            node = self._expr()
            if self._peek() == (")", ")"):
                self.pos += 1
            return node
        if kind == "QUOTE":
            self.pos += 1
            return self._term(text, quoted=True)
        if kind == "WORD":
            words = []
            while (t := self._peek()) is not None and t[0] == "WORD":
                words.append(t[1])
                self.pos += 1
            nxt = self._peek()
            if nxt is not None and nxt[0] == "TAG":
                return self._term(" ".join(words), quoted=False)
            return self._words(words)
        self.pos += 1  # an OP or TAG where a term was expected: ignore it
        return None

    def _words(self, words: list[str]) -> _Node:
        """Untagged words, ANDed left to right; a MeSH phrase among them becomes one group."""
        words = [w for w in words if w.strip()]
        spans = self.mesh.spans(words) if self.mesh is not None else []
        pieces: list[_Node] = []
        done = 0
        for start, end, desc in spans:
            pieces += [_Term(w, self.default_field, False, w) for w in words[done:start]]
            group: _Node = _Term(words[start], self.default_field, False, words[start])
            for w in words[start + 1 : end]:
                group = _Op("AND", group, _Term(w, self.default_field, False, w))
            phrase = re.sub(r"^\W+|\W+$", "", " ".join(words[start:end]))
            to = _atm_to(phrase, desc)
            group.atm = _query_form(to)
            self.translations.setdefault(phrase.casefold(), (phrase, to))
            pieces.append(group)
            done = end
        pieces += [_Term(w, self.default_field, False, w) for w in words[done:]]
        node = pieces[0]
        for piece in pieces[1:]:
            node = _Op("AND", node, piece)
        return node

    def _term(self, text: str, *, quoted: bool) -> _Term:
        field_name = self.default_field
        raw = f'"{text}"' if quoted else text
        nxt = self._peek()
        if nxt is not None and nxt[0] == "TAG":
            self.pos += 1
            field_name = _FIELDS.get(nxt[1], "all")
            raw += f"[{nxt[1]}]"
        return _Term(text, field_name, quoted, raw)


def _render(node: _Node, top: bool = True) -> str:
    if node.atm is not None:
        return node.atm if top else f"({node.atm})"
    if isinstance(node, _Term):
        return f'"{node.text.lower()}"[{_FIELD_LABEL[node.field]}]'
    text = f"{_render(node.left, False)} {node.op} {_render(node.right, False)}"
    return text if top else f"({text})"


class _MeshIndex:
    """Registered descriptors by uid, by normalised name or entry term, and by token phrase."""

    def __init__(self, descriptors: Iterable[MeshDescriptor]) -> None:
        self.descriptors = list(descriptors)
        self.by_uid: dict[str, MeshDescriptor] = {}
        self.by_text: dict[str, list[MeshDescriptor]] = {}
        self.phrases: dict[tuple[str, ...], MeshDescriptor] = {}
        for desc in self.descriptors:
            self.by_uid.setdefault(desc.uid, desc)
            for text in dict.fromkeys((desc.name, *desc.entry_terms)):
                key = _squash(text)
                if key:
                    self.by_text.setdefault(key, []).append(desc)
                    self.phrases.setdefault(tuple(key.split()), desc)
        self.longest = max((len(p) for p in self.phrases), default=0)

    def spans(self, words: list[str]) -> list[tuple[int, int, MeshDescriptor]]:
        """(start, end, descriptor) of whole-word phrases, longest first, left to right."""
        toks = [tuple(_tokens(w)) for w in words]
        out: list[tuple[int, int, MeshDescriptor]] = []
        i = 0
        while i < len(words):
            best: tuple[int, int, MeshDescriptor] | None = None
            run: tuple[str, ...] = ()
            # A phrase starts and ends on a word, not on a lone punctuation mark.
            for j in range(i, len(words) if toks[i] else i):
                run += toks[j]
                if len(run) > self.longest:
                    break
                if toks[j] and run in self.phrases:
                    best = (i, j + 1, self.phrases[run])
            if best is None:
                i += 1
            else:
                out.append(best)
                i = best[1]
        return out

    def lookup(self, term: _Term) -> set[str]:
        """ESearch db=mesh: [MeSH Terms] is the whole name or an entry term (case and
        punctuation aside); untagged words must all occur in one of them; [uid] is the uid."""
        if term.field == "mesh":
            return {d.uid for d in self.by_text.get(_squash(term.text), [])}
        if term.field == "pmid":
            return {term.text.strip()} if term.text.strip() in self.by_uid else set()
        if term.field == "all":
            words = set(_tokens(term.text))
            return {
                d.uid
                for key, descs in self.by_text.items()
                if words and words <= set(key.split())
                for d in descs
            }
        return set()


def _all_fields(phrase: str) -> list[str]:
    words = [w.strip(",;:") for w in phrase.split()]
    words = [w for w in words if w]
    out = []
    if len(words) > 1:
        out.append("(" + " AND ".join(f'"{w}"[All Fields]' for w in words) + ")")
    out.append(f'"{phrase}"[All Fields]')
    return out


def _atm_to(phrase: str, desc: MeshDescriptor) -> str:
    """The TranslationSet ``To`` of a phrase mapped to a descriptor, in the recorded shape
    ("stem cells" -> "stem cells"[MeSH Terms] OR ("stem"[All Fields] AND "cells"[All Fields])
    OR "stem cells"[All Fields]; "cancer" -> "neoplasms"[MeSH Terms] OR "neoplasms"[All
    Fields] OR "cancer"[All Fields]), without the spelling variants NCBI adds."""
    name, typed = desc.name.lower(), phrase.lower()
    parts = [f'"{name}"[MeSH Terms]', *_all_fields(name)]
    if _squash(typed) != _squash(name):
        parts += _all_fields(typed)
    return " OR ".join(parts)


def _query_form(to: str) -> str:
    """QueryTranslation writes hyphens and apostrophes as spaces where the TranslationSet keeps
    them (recorded: "cancer's" -> "cancer s", "sars-cov-2"[MeSH Terms] -> "sars cov 2")."""
    return re.sub(r'"[^"]*"', lambda m: re.sub(r"[-']", " ", m.group()), to)


def _translation_set(translations: Iterable[tuple[str, str]]) -> str:
    """As recorded, whitespace inside Translation included; empty: ``<TranslationSet/>``."""
    out = []
    for phrase, to in translations:
        out.append(
            f"<Translation>     <From>{_xml_text(phrase)}</From>     <To>{_xml_text(to)}</To>"
            "    </Translation>"
        )
    return f"<TranslationSet>{''.join(out)}</TranslationSet>" if out else "<TranslationSet/>"


def _leaves(node: _Node) -> list[_Term]:
    if isinstance(node, _Term):
        return [node]
    return _leaves(node.left) + _leaves(node.right)


class _PubDoc:
    """A PubMed-visible work with everything the query evaluator compares precomputed."""

    def __init__(self, work: Work) -> None:
        self.work = work
        self.pmid = work.pmid or ""
        self.doi = _norm_doi(work.doi) if work.doi else ""
        self.year = work.year
        self.title = _tokens(work.title)
        self.abstract = _tokens(work.abstract)
        self.authors = [_author_forms(fam, given) for fam, given in work.authors]
        self.journals = {_squash(work.journal), _squash(work.journal_abbrev)} - {""}
        self.issn = (work.issn or "").lower()
        self.volume = _squash(work.volume)
        self.issue = _squash(work.issue)
        self.pages = {_squash(work.first_page), _squash(work.pages)} - {""}
        mesh_names = [name for _, name, _ in work.mesh_headings]
        self.mesh = {_squash(m) for m in mesh_names}
        self.ptypes = {_squash(p) for p in work.publication_types}
        start, end = _split_pages(work.pages)
        numbers = " ".join(str(v) for v in (work.year, work.volume, work.issue, start, end) if v)
        self.all_fields = [
            self.title,
            self.abstract,
            _tokens(work.journal),
            _tokens(work.journal_abbrev),
            _author_tokens(work),
            _tokens(" ".join(mesh_names)),
            _tokens(" ".join(work.publication_types)),
            _tokens(numbers),
        ]
        if work.keywords:  # PubMed's All Fields include author keywords ([ot])
            self.all_fields.append(_tokens(" ".join(work.keywords)))
        self.all_tokens = {tok for toks in self.all_fields for tok in toks}


class _PubIndex:
    """Search structures over the PubMed-visible works."""

    def __init__(self, works: list[Work]) -> None:
        self.docs = [_PubDoc(w) for w in works]
        self.by_doi = {d.doi: d for d in self.docs if d.doi}
        self.by_journal: dict[str, list[_PubDoc]] = {}
        self.title_postings: dict[str, set[str]] = {}
        self.all_postings: dict[str, set[str]] = {}
        for doc in self.docs:
            for key in doc.journals:
                self.by_journal.setdefault(key, []).append(doc)
            for tok in doc.title:
                self.title_postings.setdefault(tok, set()).add(doc.pmid)
            for tok in doc.all_tokens:
                self.all_postings.setdefault(tok, set()).add(doc.pmid)


def _author_forms(family: str, given: str) -> tuple[str, ...]:
    """PubMed matches an author as "Smith JA" or as "Smith John A"."""
    return tuple(
        dict.fromkeys([_squash(f"{family} {_initials(given or '')}"), _squash(f"{family} {given}")])
    )


def _word_match(query_text: str, quoted: bool, fields: list[list[str]]) -> bool:
    words = re.findall(r"[a-z0-9]+\*?", _fold(query_text))
    if not words:
        return False

    def tok_eq(q: str, t: str) -> bool:
        return t.startswith(q[:-1]) if q.endswith("*") else t == q

    if quoted:
        for toks in fields:
            for start in range(len(toks) - len(words) + 1):
                if all(tok_eq(q, toks[start + k]) for k, q in enumerate(words)):
                    return True
        return False
    return all(any(tok_eq(q, t) for toks in fields for t in toks) for q in words)


def _author_match(query_text: str, authors: Iterable[tuple[str, ...]]) -> bool:
    q = _squash(query_text)
    if not q:
        return False
    for forms in authors:
        for form in forms:
            if form == q or form.startswith(q + " ") or (" " in q and form.startswith(q)):
                return True
    return False


def _year_match(text: str, year: int | None) -> bool:
    if year is None:
        return False
    m = re.fullmatch(r"\s*(\d{4})[/\d]*\s*(?::\s*(\d{4})[/\d]*)?\s*", text)
    if not m:
        return False
    low = int(m.group(1))
    high = int(m.group(2)) if m.group(2) else low
    return low <= year <= high


def _term_matches(term: _Term, doc: _PubDoc) -> bool:
    text, kind = term.text, term.field
    if kind == "doi":
        return bool(doc.doi) and _norm_doi(text) == doc.doi
    if kind == "pmid":
        return text.strip() == doc.pmid
    if kind == "title":
        return _word_match(text, term.quoted, [doc.title])
    if kind == "abstract":
        return _word_match(text, term.quoted, [doc.abstract])
    if kind == "tiab":
        return _word_match(text, term.quoted, [doc.title, doc.abstract])
    if kind == "author":
        return _author_match(text, doc.authors)
    if kind == "first_author":
        return _author_match(text, doc.authors[:1])
    if kind == "last_author":
        return _author_match(text, doc.authors[-1:])
    if kind == "year":
        return _year_match(text, doc.year)
    if kind == "journal":
        return _squash(text) in doc.journals or (
            doc.issn != "" and doc.issn == text.strip().lower()
        )
    if kind == "volume":
        return doc.volume != "" and _squash(text) == doc.volume
    if kind == "issue":
        return doc.issue != "" and _squash(text) == doc.issue
    if kind == "page":
        return _squash(text) in doc.pages
    if kind == "mesh":
        return _squash(text) in doc.mesh
    if kind == "ptype":
        return _squash(text) in doc.ptypes
    # All Fields
    stripped = text.strip()
    if (doc.doi and _norm_doi(stripped) == doc.doi) or stripped == doc.pmid:
        return True
    if _author_match(text, doc.authors):
        return True
    if not term.quoted and "*" not in text:  # fast path: plain words against a token set
        words = _tokens(text)
        return bool(words) and all(w in doc.all_tokens for w in words)
    return _word_match(text, term.quoted, doc.all_fields)


# --------------------------------------------------------------------------------------------
# Faults
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Fault:
    """One scripted misbehaviour; build with status(), hang(), stall(), truncated(), cut(),
    reset(), malformed()."""

    kind: str
    code: int = 200
    body: str = ""
    headers: tuple[tuple[str, str], ...] = ()
    seconds: float = 0.0
    fraction: float = 0.5
    echo: bool = False


def status(
    code: int, body: str = "", headers: dict[str, str] | None = None, *, echo: bool = False
) -> Fault:
    """Answer with this status, body and headers (the service's rate-limit headers are kept).

    ``echo``: the body goes on with the request's method, target (query string included) and
    form body, as error pages that print the request they could not serve.
    """
    return Fault("status", code=code, body=body, headers=tuple((headers or {}).items()), echo=echo)


def hang(seconds: float) -> Fault:
    """Wait ``seconds`` before answering normally, so client timeouts fire."""
    return Fault("hang", seconds=seconds)


def stall(seconds: float) -> Fault:
    """Send the status, the headers and half the body, then wait ``seconds`` before the rest:
    the client's read timeout fires in the middle of a body, not before the headers."""
    return Fault("stall", seconds=seconds)


def truncated() -> Fault:
    """Send the normal status and full Content-Length, then half the body, then close."""
    return Fault("truncated")


def cut(fraction: float = 0.5) -> Fault:
    """A well-formed HTTP answer whose document stops early: the normal status, the first
    ``fraction`` of the body and a Content-Length to match (as when a backend gives up in
    the middle of writing; NCBI does this). JSON/XML no longer parse; ECitMatch text loses
    lines, and the last line kept may stop in the middle of a PMID."""
    return Fault("cut", fraction=fraction)


def reset() -> Fault:
    """Drop the connection without any response (TCP RST)."""
    return Fault("reset")


def malformed() -> Fault:
    """Answer 200 with a body that is not valid JSON/XML (or, for ECitMatch, an HTML page)."""
    return Fault("malformed")


class RecordedRequest(NamedTuple):
    """A request as seen by the fake: decoded path, URL query (repeated keys joined by ",")."""

    method: str
    path: str
    query: dict[str, str]
    body: str


class _Response(NamedTuple):
    status: int
    headers: list[tuple[str, str]]
    body: bytes


def _json_bytes(obj: Any) -> bytes:
    # Crossref output is compact and escapes non-ASCII as \uXXXX.
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=True).encode("ascii")


# --------------------------------------------------------------------------------------------
# Server
# --------------------------------------------------------------------------------------------

_CROSSREF_JSON = "application/json"
_CROSSREF_ERROR_JSON = "application/json;charset=utf-8"
_NCBI_XML = "text/xml; charset=UTF-8"
_NOT_FOUND = b"Resource not found."
_MAX_ROWS = 1000
_MAX_OFFSET = 10000
_FIELD_QUERIES = {
    "query.bibliographic": "bibliographic",
    "query.title": "title",
    "query.author": "author",
    "query.contributor": "author",
    "query.container-title": "container-title",
}
_LIST_PARAMS = {"query", "filter", "rows", "offset", "select", "mailto", "sort", "order"}
_OTHER_CROSSREF_PARAMS = {"cursor", "sample", "facet"}  # real, but not implemented here
_UNKNOWN_PARAM = "Parameter {} specified but there is no such parameter available on any route"
_FILTERS = ("doi", "type", "from-pub-date", "until-pub-date")


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    services: FakeServices

    def server_bind(self) -> None:
        # Skip HTTPServer.server_bind's getfqdn() reverse lookup, which can stall.
        socketserver.TCPServer.server_bind(self)
        self.server_name = "127.0.0.1"
        self.server_port = self.server_address[1]

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # client hang-ups are expected under fault injection; stay quiet


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "fakeservice/1.0"
    sys_version = ""
    timeout = 30
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def setup(self) -> None:
        super().setup()
        # Headers and body go out in separate writes; without NODELAY, Nagle + delayed ACK
        # add ~40 ms to every keep-alive response, which would swamp benchmarks.
        with contextlib.suppress(OSError):
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.server.services._track(self.connection, threading.current_thread(), add=True)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.server.services._track(self.connection, threading.current_thread(), add=False)

    def do_GET(self) -> None:
        self._handle("GET")

    def do_POST(self) -> None:
        self._handle("POST")

    def _handle(self, method: str) -> None:
        svc = self.server.services
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        target = self.path
        split = urlsplit(target)
        path = unquote(split.path)
        query = parse_qs(split.query, keep_blank_values=True)
        svc._record(
            RecordedRequest(
                method,
                path,
                {k: ",".join(v) for k, v in query.items()},
                body.decode("utf-8", "replace"),
            )
        )
        if svc.down or svc._service_down(path):
            self._reset()
            return
        fault = svc._next_fault(target)
        if fault is not None and fault.kind == "reset":
            self._reset()
            return
        if fault is not None and fault.kind == "hang" and not svc._sleep(fault.seconds):
            self._reset()
            return
        if svc.latency and not svc._sleep(svc.latency):
            self._reset()
            return
        params = {k: list(v) for k, v in query.items()}
        if method == "POST" and body:
            ctype = self.headers.get("Content-Type", "")
            if "application/x-www-form-urlencoded" in ctype or not ctype:
                form = parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)
                for k, v in form.items():
                    params.setdefault(k, []).extend(v)
        if fault is not None and fault.kind == "status":
            response = svc._status_response(split.path, self.headers, params, fault)
            if fault.echo:
                echoed = f"{method} {target}\n{body.decode('utf-8', 'replace')}".encode()
                response = response._replace(body=response.body + echoed)
        else:
            try:
                response = svc._route(method, split.path, params, self.headers)
            except Exception as exc:  # a bug in the fake: answer 500, keep it for assertions
                svc.errors.append(exc)
                response = _Response(500, [("Content-Type", "text/plain")], repr(exc).encode())
            if fault is not None and fault.kind == "malformed":
                response = _malform(response, split.path)
            if fault is not None and fault.kind == "cut":
                keep = response.body[: int(len(response.body) * fault.fraction)]
                response = response._replace(
                    headers=[(k, v) for k, v in response.headers if k.lower() != "content-length"],
                    body=keep,
                )
        if fault is not None and fault.kind == "stall":
            self._send(response, stall=fault.seconds)
            return
        self._send(response, truncate=fault is not None and fault.kind == "truncated")

    def _send(self, response: _Response, *, truncate: bool = False, stall: float = 0.0) -> None:
        self.send_response(response.status)
        names = {name.lower() for name, _ in response.headers}
        for name, value in response.headers:
            self.send_header(name, value)
        if "content-length" not in names:
            self.send_header("Content-Length", str(len(response.body)))
        if truncate:
            self.send_header("Connection", "close")
        self.end_headers()
        try:
            if stall:
                half = len(response.body) // 2
                self.wfile.write(response.body[:half])
                self.wfile.flush()
                if not self.server.services._sleep(stall):
                    self.close_connection = True
                    return
                self.wfile.write(response.body[half:])
            else:
                self.wfile.write(
                    response.body[: len(response.body) // 2] if truncate else response.body
                )
            self.wfile.flush()
        except OSError:
            self.close_connection = True
            return
        if truncate:
            self.close_connection = True

    def _reset(self) -> None:
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        with contextlib.suppress(OSError):
            self.rfile.close()
        with contextlib.suppress(OSError):
            self.connection.close()


def _malform(response: _Response, raw_path: str) -> _Response:
    ctype = next((v for k, v in response.headers if k.lower() == "content-type"), "")
    body = response.body
    if "json" in ctype or (raw_path.startswith("/crossref") and "xml" not in ctype):
        ctype = ctype if "json" in ctype else _CROSSREF_JSON
        bad = body[: len(body) // 2] if body.startswith(b"{") else b'{"status":"ok","message":{'
    elif "xml" in ctype:
        bad = body[: len(body) // 2] if len(body) > 120 else b"<?xml version='1.0'?><eResult><"
    else:
        ctype = "text/html"
        bad = b"<html><body><h1>Service unavailable</h1></body></html>"
    headers = [(k, v) for k, v in response.headers if k.lower() != "content-type"]
    return _Response(200, [*headers, ("Content-Type", ctype)], bad)


class FakeServices:
    """Fake Crossref + E-utilities on one 127.0.0.1 port; a context manager.

    ``crossref_url`` stands in for https://api.crossref.org and ``eutils_url`` for
    https://eutils.ncbi.nlm.nih.gov/entrez/eutils (append "/esearch.fcgi" etc.). ``mesh``
    is the MeSH vocabulary the fake knows: PubMed query translation and db=mesh use it.
    """

    def __init__(
        self,
        works: Iterable[Work],
        *,
        latency: float = 0.0,
        mesh: Iterable[MeshDescriptor] = (),
    ) -> None:
        self.works: list[Work] = list(works)
        self.mesh: list[MeshDescriptor] = list(mesh)
        self.latency = latency
        self.down = False
        self.crossref_down = False  # only /crossref requests are reset
        self.eutils_down = False  # only /eutils requests are reset
        self.errors: list[BaseException] = []
        self._lock = threading.Lock()
        self._build_lock = threading.Lock()  # index building is slow; don't block recording
        self._requests: list[RecordedRequest] = []
        self._faults: list[tuple[re.Pattern[str], deque[Fault]]] = []
        self._flaky: list[tuple[re.Pattern[str], float, tuple[Fault, ...], int, Counter[str]]] = []
        self._stop = threading.Event()
        self._conns: dict[socket.socket, threading.Thread] = {}
        self._ncbi_hits: dict[str, deque[float]] = {}
        self._webenvs: dict[str, list[str]] = {}
        self._webenv_ids = itertools.count(1)
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._index()

    # -- lifecycle -------------------------------------------------------------------------

    def __enter__(self) -> FakeServices:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self) -> None:
        """Bind 127.0.0.1 on an ephemeral port and serve in a background thread."""
        if self._server is not None:
            return
        self._stop.clear()
        server = _Server(("127.0.0.1", 0), _Handler)
        server.services = self
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        """Stop promptly: interrupt hangs, close idle keep-alive sockets, join threads."""
        server, self._server = self._server, None
        if server is None:
            return
        self._stop.set()
        server.shutdown()
        with self._lock:
            conns = list(self._conns.items())
        for sock, _ in conns:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
        server.server_close()
        for _, thread in conns:
            thread.join(timeout=1.0)
        if self._thread is not None:
            self._thread.join(timeout=1.0)

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("FakeServices is not running")
        return self._server.server_address[1]

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def crossref_url(self) -> str:
        return f"{self.base_url}/crossref"

    @property
    def eutils_url(self) -> str:
        return f"{self.base_url}/eutils"

    # -- observation and scripting ---------------------------------------------------------

    @property
    def requests(self) -> list[RecordedRequest]:
        """A snapshot of every request received so far (including faulted ones)."""
        with self._lock:
            return list(self._requests)

    def clear_requests(self) -> None:
        with self._lock:
            self._requests.clear()

    def count(self, path_regex: str = "") -> int:
        """How many requests had a decoded path matching ``path_regex`` (re.search)."""
        pattern = re.compile(path_regex)
        return sum(1 for r in self.requests if pattern.search(r.path))

    def fail(self, path_regex: str, *responses: Fault) -> None:
        """Queue ``responses`` for requests whose target matches ``path_regex`` (re.search).

        The target is the raw request line path plus query ("/crossref/works/10.1%2Fx?rows=1");
        its percent-decoded form is tried as well. Each matching request consumes one fault,
        in order, then normal behaviour resumes. Several rules may be queued; the first rule
        that still has faults and matches wins.
        """
        for fault in responses:
            if not isinstance(fault, Fault):
                raise TypeError(f"not a Fault: {fault!r}")
        with self._lock:
            self._faults.append((re.compile(path_regex), deque(responses)))

    def flaky(self, path_regex: str, rate: float, *faults: Fault, seed: int = 0) -> None:
        """From now on, give each matching request one of ``faults`` with probability ``rate``.

        Deterministic whatever order concurrent requests arrive in: the draw depends only on
        ``seed``, the request target and how often that target was asked before (so a retry
        draws afresh). ``rate=1.0`` is a storm. Faults queued with ``fail`` are served first.
        """
        if not faults or not all(isinstance(f, Fault) for f in faults):
            raise TypeError(f"need one or more Faults: {faults!r}")
        if not 0.0 <= rate <= 1.0:
            raise ValueError(f"rate must be within [0, 1]: {rate}")
        with self._lock:
            self._flaky.append((re.compile(path_regex), rate, faults, seed, Counter()))

    def pending_faults(self) -> int:
        """Faults queued but not yet consumed (to assert a test used all it scripted)."""
        with self._lock:
            return sum(len(q) for _, q in self._faults)

    # -- internals -------------------------------------------------------------------------

    def _index(self) -> None:
        self._crossref_works = [w for w in self.works if w.crossref_visible]
        self._by_doi = {_norm_doi(w.doi or ""): w for w in self._crossref_works}
        self._pubmed_works = [w for w in self.works if w.pubmed_visible]
        self._by_pmid = {w.pmid: w for w in self._pubmed_works}
        self._pub: _PubIndex | None = None
        self._bm25: dict[str, _Bm25] = {}
        self._mesh = _MeshIndex(self.mesh)

    @property
    def _pubidx(self) -> _PubIndex:
        """Built on first E-utilities use, so Crossref-only runs start instantly."""
        with self._build_lock:
            if self._pub is None:
                self._pub = _PubIndex(self._pubmed_works)
            return self._pub

    def _bm25_for(self, name: str) -> _Bm25:
        with self._build_lock:
            if name not in self._bm25:
                docs = [_crossref_field_tokens(w, name) for w in self._crossref_works]
                self._bm25[name] = _Bm25(docs)
            return self._bm25[name]

    def _track(self, sock: socket.socket, thread: threading.Thread, *, add: bool) -> None:
        with self._lock:
            if add:
                self._conns[sock] = thread
            else:
                self._conns.pop(sock, None)

    def _record(self, request: RecordedRequest) -> None:
        with self._lock:
            self._requests.append(request)

    def _next_fault(self, target: str) -> Fault | None:
        decoded = unquote(target)
        with self._lock:
            for pattern, queue in self._faults:
                if queue and (pattern.search(target) or pattern.search(decoded)):
                    fault = queue.popleft()
                    self._faults = [(p, q) for p, q in self._faults if q]
                    return fault
            for pattern, rate, faults, seed, seen in self._flaky:
                if pattern.search(target) or pattern.search(decoded):
                    draw = random.Random(f"{seed}|{target}|{seen[target]}")
                    seen[target] += 1
                    if draw.random() < rate:
                        return faults[draw.randrange(len(faults))]
        return None

    def _service_down(self, path: str) -> bool:
        return (self.crossref_down and path.startswith("/crossref")) or (
            self.eutils_down and path.startswith("/eutils")
        )

    def _sleep(self, seconds: float) -> bool:
        """Sleep in small steps; False if the server is stopping."""
        return not self._stop.wait(seconds)

    def _status_response(
        self, raw_path: str, headers: Any, params: dict[str, list[str]], fault: Fault
    ) -> _Response:
        if raw_path.startswith("/eutils"):
            base = self._ncbi_headers(params)
        elif raw_path.startswith("/crossref"):
            base = self._crossref_headers(headers, params)
        else:
            base = []
        extra = list(fault.headers)
        names = {k.lower() for k, _ in extra}
        out = [(k, v) for k, v in base if k.lower() not in names] + extra
        if "content-type" not in names:
            out.append(("Content-Type", "text/plain"))
        return _Response(fault.code, out, fault.body.encode("utf-8"))

    def _route(
        self, method: str, raw_path: str, params: dict[str, list[str]], headers: Any
    ) -> _Response:
        if raw_path == "/crossref" or raw_path.startswith("/crossref/"):
            return self._crossref(method, raw_path[len("/crossref") :], params, headers)
        if raw_path == "/eutils" or raw_path.startswith("/eutils/"):
            return self._eutils(raw_path[len("/eutils") :], params)
        return _Response(404, [("Content-Type", "text/plain")], b"Not Found")

    # -- Crossref --------------------------------------------------------------------------

    def _crossref_headers(
        self, headers: Any, params: dict[str, list[str]]
    ) -> list[tuple[str, str]]:
        agent = (headers.get("User-Agent") or "").lower()
        polite = "mailto:" in agent or "mailto" in params
        return [
            ("access-control-allow-origin", "*"),
            ("x-rate-limit-limit", "10" if polite else "5"),
            ("x-rate-limit-interval", "1s"),
            ("x-concurrency-limit", "3" if polite else "1"),
            ("x-api-pool", "polite" if polite else "public"),
        ]

    def _crossref(
        self, method: str, rest: str, params: dict[str, list[str]], headers: Any
    ) -> _Response:
        base = self._crossref_headers(headers, params)

        def ok(obj: Any) -> _Response:
            return _Response(200, [*base, ("Content-Type", _CROSSREF_JSON)], _json_bytes(obj))

        def not_found(ctype: str = "text/plain") -> _Response:
            return _Response(404, [*base, ("Content-Type", ctype)], _NOT_FOUND)

        def invalid(kind: str, value: str, message: str) -> _Response:
            body = {
                "status": "failed",
                "message-type": "validation-failure",
                "message": [{"type": kind, "value": value, "message": message}],
            }
            return _Response(
                400, [*base, ("Content-Type", _CROSSREF_ERROR_JSON)], _json_bytes(body)
            )

        if method != "GET":
            return _Response(405, [*base, ("Content-Type", "text/plain")], b"Method Not Allowed")
        path = unquote(rest)
        if path.startswith("/v1/"):
            path = path[3:]
        if path.rstrip("/") == "/works":
            return self._crossref_list(params, ok, invalid)
        if not path.startswith("/works/"):
            return not_found()
        doi = path[len("/works/") :]
        agency = doi.endswith("/agency")
        if agency:
            doi = doi[: -len("/agency")]
        for name in params:
            if name == "mailto":
                continue
            if name.startswith("query."):
                return invalid(
                    "parameter-not-allowed",
                    "query.*",
                    "This route does not support field query parameters",
                )
            if name in _LIST_PARAMS or name in _OTHER_CROSSREF_PARAMS:
                return invalid("parameter-not-allowed", name, f"This route does not support {name}")
            return invalid(
                "unknown-parameter",
                name,
                _UNKNOWN_PARAM.format(name),
            )
        work = self._by_doi.get(_norm_doi(doi))
        if work is None:
            # The agency route's 404 says JSON in its content type but is plain text (recorded).
            return not_found(_CROSSREF_ERROR_JSON if agency else "text/plain")
        if agency:
            message = {"DOI": work.doi, "agency": {"id": "crossref", "label": "Crossref"}}
            return ok(_envelope("work-agency", message))
        return ok(_envelope("work", crossref_item(work)))

    def _crossref_list(self, params: dict[str, list[str]], ok: Any, invalid: Any) -> _Response:
        single: dict[str, str] = {}
        field_queries: dict[str, str] = {}
        for name, values in params.items():
            value = values[-1] if values else ""
            if name in _FIELD_QUERIES:
                field_queries[_FIELD_QUERIES[name]] = value
            elif name.startswith("query."):
                return invalid(
                    "unknown-parameter",
                    name,
                    _UNKNOWN_PARAM.format(name),
                )
            elif name in _LIST_PARAMS:
                single[name] = ",".join(values) if name == "filter" else value
            else:
                kind = (
                    "parameter-not-allowed"
                    if name in _OTHER_CROSSREF_PARAMS
                    else "unknown-parameter"
                )
                msg = (
                    f"This fake route does not support {name}"
                    if kind == "parameter-not-allowed"
                    else _UNKNOWN_PARAM.format(name)
                )
                return invalid(kind, name, msg)
        limits = {"rows": (_MAX_ROWS, 20), "offset": (_MAX_OFFSET, 0)}
        numbers: dict[str, int] = {}
        for name, (limit, default) in limits.items():
            raw = single.get(name)
            if raw is None:
                numbers[name] = default
                continue
            if not re.fullmatch(r"\d+", raw) or int(raw) > limit:
                return invalid(
                    "integer-not-valid",
                    raw,
                    f"Integer specified as {raw} but must be a positive integer less than or "
                    f"equal to {limit}. ",
                )
            numbers[name] = int(raw)
        filters: dict[str, list[str]] = {}
        if single.get("filter"):
            for part in single["filter"].split(","):
                name, sep, value = part.partition(":")
                name = name.strip()
                if not sep or name not in _FILTERS:
                    return invalid(
                        "filter-not-available",
                        name,
                        f"Filter '{name}' specified but there is no such filter for this route. "
                        f"Valid filters for this route are: {', '.join(_FILTERS)}",
                    )
                filters.setdefault(name, []).append(value.strip())
        # Candidates are narrowed before anything touches the whole corpus: a DOI filter
        # names them, a query's postings find them; only a bare list walks every work.
        restricted: list[int] | None = None
        if "doi" in filters:
            wanted_dois = [_norm_doi(v) for v in filters["doi"]]
            pos = {_norm_doi(w.doi or ""): i for i, w in enumerate(self._crossref_works)}
            restricted = list(dict.fromkeys(pos[d] for d in wanted_dois if d in pos))

        def passing(pool: Iterable[int]) -> list[int]:
            return [i for i in pool if _passes_filters(self._crossref_works[i], filters)]

        query_text = single.get("query")
        scored: list[tuple[int, float]]
        if query_text is not None or field_queries:
            queries = dict(field_queries)
            if query_text is not None:
                queries["query"] = query_text
            totals: dict[int, list[float]] = {}
            query_size = 0
            for name, text in queries.items():
                toks = _tokens(text)
                query_size += len(set(toks))
                for i, (score, hits) in self._bm25_for(name).search(toks).items():
                    acc = totals.setdefault(i, [0.0, 0.0])
                    acc[0] += score
                    acc[1] += hits
            scored = []
            pool = totals if restricted is None else [i for i in restricted if i in totals]
            for i in passing(pool):
                if totals[i][0] > 0:
                    # Coordination factor: a work matching more of the query ranks higher
                    # even when a short distractor wins on BM25 length normalisation alone.
                    total, covered = totals[i]
                    scored.append((i, round(total * covered / query_size, 6)))
            scored.sort(key=lambda pair: (-pair[1], self._crossref_works[pair[0]].doi or ""))
        else:
            pool = range(len(self._crossref_works)) if restricted is None else restricted
            scored = [(i, 1.0) for i in passing(pool)]
        offset, rows = numbers["offset"], numbers["rows"]
        selected = [s.strip() for s in single.get("select", "").split(",") if s.strip()]
        items = []
        for i, score in scored[offset : offset + rows]:
            item = crossref_item(self._crossref_works[i])
            item["score"] = score
            if selected:
                item = {k: v for k, v in item.items() if k in selected}
            items.append(item)
        message = {
            "facets": {},
            "total-results": len(scored),
            "items": items,
            "items-per-page": rows,
            "query": {"start-index": offset, "search-terms": query_text},
        }
        return ok(_envelope("work-list", message))

    # -- E-utilities -----------------------------------------------------------------------

    def _ncbi_headers(
        self, params: dict[str, list[str]], *, count: bool = True
    ) -> list[tuple[str, str]]:
        key = (params.get("api_key") or [""])[-1]
        limit = 10 if key else 3
        now = time.monotonic()
        with self._lock:
            window = self._ncbi_hits.setdefault(key, deque())
            while window and now - window[0] > 1.0:
                window.popleft()
            if count:
                window.append(now)
            remaining = max(limit - len(window), 0)
        return [
            ("Access-Control-Allow-Origin", "*"),
            ("Access-Control-Expose-Headers", "X-RateLimit-Limit,X-RateLimit-Remaining"),
            ("X-RateLimit-Limit", str(limit)),
            ("X-RateLimit-Remaining", str(remaining)),
        ]

    def _eutils(self, rest: str, params: dict[str, list[str]]) -> _Response:
        base = self._ncbi_headers(params)

        def respond(text: str, ctype: str = _NCBI_XML, code: int = 200) -> _Response:
            return _Response(code, [*base, ("Content-Type", ctype)], text.encode("utf-8"))

        def one(name: str, default: str = "") -> str:
            values = params.get(name)
            return values[-1] if values else default

        util = rest.strip("/")
        db = one("db").lower()
        if util == "ecitmatch.cgi":
            return respond(self._ecitmatch(one("bdata")), "text/plain; charset=UTF-8")
        if util not in ("esearch.fcgi", "efetch.fcgi", "esummary.fcgi"):
            return respond("Not Found", "text/plain", 404)
        root = {"esearch.fcgi": "eSearchResult", "efetch.fcgi": "eFetchResult"}.get(
            util, "eSummaryResult"
        )
        # MeSH is served for ESearch and ESummary only; EFetch db=mesh (a text format) is
        # not modelled and answers like any database the fake does not know.
        if db != "pubmed" and not (db == "mesh" and util != "efetch.fcgi"):
            return respond(
                f'<?xml version="1.0" encoding="UTF-8" ?>\n<{root}><ERROR>Invalid db name '
                f"specified: {_xml_text(db)}</ERROR></{root}>\n"
            )
        if util == "esearch.fcgi":
            return respond(self._esearch(params, db))
        ids = [i for v in params.get("id", []) for i in re.split(r"[,\s]+", v) if i]
        webenv, query_key = one("WebEnv"), one("query_key")
        if not ids and webenv and query_key:
            ids = list(self._webenvs.get(f"{webenv}#{query_key}", []))
        if not ids:
            return respond(
                f'<?xml version="1.0" encoding="UTF-8" ?>\n<{root}><ERROR>Empty id list - '
                f"nothing todo</ERROR></{root}>\n"
            )
        if db == "mesh":
            by_uid = self._mesh.by_uid
            descs = [by_uid[i] for i in dict.fromkeys(ids) if i in by_uid]
            return respond(_mesh_esummary(descs, one("version")))
        found = [self._by_pmid[i] for i in dict.fromkeys(ids) if i in self._by_pmid]
        if util == "efetch.fcgi":
            return respond(_pubmed_article_set(found))
        docs = "".join(_esummary_docsum(w) for w in found)
        return respond(f"{_ESUMMARY_HEAD}<eSummaryResult>\n{docs}</eSummaryResult>\n")

    def _esearch(self, params: dict[str, list[str]], db: str = "pubmed") -> str:
        def one(name: str, default: str = "") -> str:
            values = params.get(name)
            return values[-1] if values else default

        term = one("term").strip()
        if not term:
            return (
                '<?xml version="1.0" encoding="UTF-8" ?>\n<eSearchResult><ERROR>Empty term and '
                "query_key - nothing todo</ERROR></eSearchResult>\n"
            )
        default_field = _FIELDS.get(one("field").lower(), "all") if one("field") else "all"
        pubmed = db == "pubmed"
        parser = _QueryParser(term, default_field, self._mesh if pubmed else None)
        node = parser.parse()
        lookup = self._lookup if pubmed else self._mesh.lookup
        retmax = min(int(one("retmax", "20") or 20), 10000)
        retstart = int(one("retstart", "0") or 0)
        if node is None:
            hits: list[str] = []
            missing: list[str] = [term]
            translation = ""
        else:
            leaf_hits: dict[int, set[str]] = {}
            matched = self._evaluate(node, leaf_hits, lookup)
            hits = sorted(matched, key=lambda p: (-int(p) if p.isdigit() else 0, p))
            missing = [leaf.raw for leaf in _leaves(node) if not leaf_hits[id(leaf)]]
            translation = _render(node)
        page = hits[retstart : retstart + retmax]
        history = ""
        if one("usehistory").lower() == "y":
            webenv = f"MCID_fake{next(self._webenv_ids):020d}"
            with self._lock:
                self._webenvs[f"{webenv}#1"] = hits
            history = f"<QueryKey>1</QueryKey><WebEnv>{webenv}</WebEnv>"
        if page:
            id_list = "<IdList>\n" + "".join(f"<Id>{p}</Id>\n" for p in page) + "</IdList>"
        else:
            id_list = "<IdList/>"
        out = [
            _ESEARCH_HEAD,
            f"<eSearchResult><Count>{len(hits)}</Count><RetMax>{len(page)}</RetMax>"
            f"<RetStart>{retstart}</RetStart>{history}{id_list}"
            f"{_translation_set(parser.translations.values())}"
            f"<QueryTranslation>{_xml_text(translation)}</QueryTranslation>",
        ]
        if missing:
            out.append(
                "<ErrorList>"
                + "".join(f"<PhraseNotFound>{_xml_text(m)}</PhraseNotFound>" for m in missing)
                + "</ErrorList>"
            )
        if not hits:
            out.append("<WarningList><OutputMessage>No items found.</OutputMessage></WarningList>")
        out.append("</eSearchResult>\n")
        return "".join(out)

    def _evaluate(
        self,
        node: _Node,
        leaf_hits: dict[int, set[str]],
        lookup: Callable[[_Term], set[str]],
    ) -> set[str]:
        if isinstance(node, _Term):
            found = lookup(node)
            leaf_hits[id(node)] = found
            return found
        left = self._evaluate(node.left, leaf_hits, lookup)
        right = self._evaluate(node.right, leaf_hits, lookup)
        if node.op == "OR":
            return left | right
        if node.op == "NOT":
            return left - right
        return left & right

    def _lookup(self, term: _Term) -> set[str]:
        """PMIDs matching one term; identifier and plain-word terms use indexes, not a scan."""
        if term.field == "doi":
            doc = self._pubidx.by_doi.get(_norm_doi(term.text))
            return {doc.pmid} if doc else set()
        if term.field == "pmid":
            return {term.text.strip()} if term.text.strip() in self._by_pmid else set()
        if term.field in ("title", "all") and not term.quoted and "*" not in term.text:
            words = _tokens(term.text)
            postings = (
                self._pubidx.title_postings if term.field == "title" else self._pubidx.all_postings
            )
            found = set.intersection(*(postings.get(w, set()) for w in words)) if words else set()
            if term.field == "all":
                stripped = term.text.strip()
                if doc := self._pubidx.by_doi.get(_norm_doi(stripped)):
                    found.add(doc.pmid)
                if stripped in self._by_pmid:
                    found.add(stripped)
            return found
        return {d.pmid for d in self._pubidx.docs if _term_matches(term, d)}

    def _ecitmatch(self, bdata: str) -> str:
        lines = []
        for raw in re.split(r"[\r\n]+", bdata):
            if not raw.strip():
                continue
            fields = (raw.split("|") + [""] * 7)[:7]
            journal, year, volume, first_page, author, key = (f.strip() for f in fields[:6])
            by_journal = [d.work for d in self._pubidx.by_journal.get(_squash(journal), [])]
            if not by_journal:
                lines.append(
                    f"{journal}|{year}|{volume}|{first_page}||{key}|NOT_FOUND;INVALID_JOURNAL"
                )
                continue
            hits = [
                w
                for w in by_journal
                if (not year or str(w.year) == year)
                and (not volume or _squash(w.volume) == _squash(volume))
                and (not first_page or _squash(w.first_page) == _squash(first_page))
            ]
            if len(hits) > 1 and author:
                named = [w for w in hits if _author_match(author, _forms(w))]
                hits = named or hits
            result = hits[0].pmid if len(hits) == 1 else ("AMBIGUOUS" if hits else "NOT_FOUND")
            lines.append(f"{journal}|{year}|{volume}|{first_page}|{author}|{key}|{result}")
        return "".join(f"{line}\n" for line in lines)


def _forms(work: Work) -> list[tuple[str, ...]]:
    return [_author_forms(fam, given) for fam, given in work.authors]


def _envelope(kind: str, message: Any) -> dict[str, Any]:
    return {"status": "ok", "message-type": kind, "message-version": "1.0.0", "message": message}


def _passes_filters(work: Work, filters: dict[str, list[str]]) -> bool:
    if "type" in filters and work.work_type not in filters["type"]:
        return False
    for name, cmp in (
        ("from-pub-date", lambda y, b: y >= b),
        ("until-pub-date", lambda y, b: y <= b),
    ):
        for value in filters.get(name, []):
            bound = re.match(r"\d{4}", value)
            if bound and (work.year is None or not cmp(work.year, int(bound.group()))):
                return False
    return True


def write_dumps(works: Iterable[Work], directory: Path, *, stamp: str = "26n0001") -> list[Path]:
    """The works as the dumps a user downloads: a Crossref JSON-lines file (2026 public data
    file) and a PubMed baseline file, rendered by the same code that serves the API, so an
    index built from them must give the same answers as the fake services."""
    works = list(works)
    directory.mkdir(parents=True, exist_ok=True)
    crossref = directory / "crossref.jsonl.gz"
    lines = "".join(json.dumps(crossref_item(w)) + "\n" for w in works if w.crossref_visible)
    crossref.write_bytes(gzip.compress(lines.encode(), mtime=0))
    pubmed = directory / f"pubmed{stamp}.xml.gz"
    body = _pubmed_article_set([w for w in works if w.pubmed_visible])
    pubmed.write_bytes(gzip.compress(body.encode(), mtime=0))
    return [crossref, pubmed]

"""NCBI E-utilities for PubMed: EFetch by id lists, ECitMatch in batches, ESearch.

XML is parsed with defusedxml: NCBI's documents carry a DOCTYPE, and Bio.Entrez's parser
would download an unknown DTD with urllib outside our HTTP policy (no timeout, no limiter,
no cache), so we read the few elements we need ourselves.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TypedDict
from xml.etree.ElementTree import Element

from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException

from citecheck.dates import parse_date
from citecheck.model import Author, MeshHeading, Notice, NoticeKind, ParsedReference, Record
from citecheck.resolve.http import Http
from citecheck.resolve.interface import BadResponse

SERVICE = "pubmed"
POST_OVER = 200  # NCBI asks for POST when sending more than ~200 ids
LONG_TERM = 1500  # characters of ESearch term above which the query goes in a POST body
_DOCTYPE = re.compile(rb"<!DOCTYPE[^>\[]*(\[[^\]]*\])?\s*>", re.S)


@dataclass(frozen=True)
class CitMatch:
    """One ECitMatch answer: a PMID, or none (``answered`` False = no line came back)."""

    pmid: str | None
    answered: bool
    detail: str = ""


class PubMed:
    def __init__(self, http: Http, base_url: str) -> None:
        self.http = http
        self.base = base_url.rstrip("/")

    def _params(self, params: dict[str, str]) -> dict[str, str]:
        settings = self.http.settings
        params["tool"] = settings.ncbi_tool
        if settings.mailto:
            params["email"] = settings.mailto
        if settings.ncbi_api_key:
            params["api_key"] = settings.ncbi_api_key
        return params

    def _ask(self, endpoint: str, params: dict[str, str], post: bool = False) -> bytes:
        """NCBI wants long id lists and long terms in a POST body, the rest as a GET."""
        url = f"{self.base}/{endpoint}"
        if post:
            return self.http.request(SERVICE, "POST", url, data=params).body
        return self.http.request(SERVICE, "GET", url, params=params).body

    def fetch(self, pmids: list[str]) -> dict[str, Record]:
        """Records for the PMIDs PubMed returned; a missing id is unknown to PubMed."""
        unique = list(dict.fromkeys(p for p in pmids if p))
        if not unique:
            return {}
        params = {"db": "pubmed", "retmode": "xml", "id": ",".join(unique)}
        root = self.ask_xml("efetch.fcgi", params, post=len(unique) > POST_OVER)
        if root.tag != "PubmedArticleSet":
            raise BadResponse(SERVICE, f"efetch returned <{root.tag}>, not PubmedArticleSet")
        records = [to_record(a) for a in root.iter("PubmedArticle")]
        return {rec.pmid: rec for rec in records if rec.pmid}

    def search(self, term: str, retmax: int = 5) -> list[str]:
        return ids(self.esearch("pubmed", term, retmax))

    def by_dois(self, dois: list[str]) -> list[str]:
        """PMIDs of the records with these DOIs, in one OR-list ESearch."""
        if not dois:
            return []
        return self.search(" OR ".join(f'"{d}"[doi]' for d in dois), retmax=len(dois) * 2)

    def by_title(self, ref: ParsedReference) -> list[str]:
        """A few PMIDs for the reference's title words and first author."""
        term = pubmed_term(ref)
        return self.search(term, retmax=5) if term else []

    def esearch(self, db: str, term: str, retmax: int) -> Element:
        """One ESearch in any Entrez database, as parsed XML; an error answer raises."""
        params = {"db": db, "term": term, "retmax": str(retmax)}
        root = self.ask_xml("esearch.fcgi", params, post=len(term) > LONG_TERM)
        if root.tag != "eSearchResult":
            raise BadResponse(SERVICE, f"esearch returned <{root.tag}>")
        error = root.findtext("ERROR")
        if error:
            raise BadResponse(SERVICE, f"esearch error: {error[:120]}")
        return root

    def ask_xml(self, endpoint: str, params: dict[str, str], post: bool = False) -> Element:
        """An E-utilities request with our identification, answered in XML."""
        return _xml(self._ask(endpoint, self._params(params), post=post))

    def citmatch(self, refs: dict[str, ParsedReference]) -> dict[str, CitMatch]:
        """Batch ECitMatch: key -> answer, for references with journal, year, volume, page."""
        lines: dict[str, str] = {}
        for key, ref in refs.items():
            line = _citmatch_line(ref, key)
            if line:
                lines[key] = line
        if not lines:
            return {}
        params = self._params(
            {"db": "pubmed", "retmode": "xml", "bdata": "\r".join(lines.values())}
        )
        text = self._ask("ecitmatch.cgi", params).decode("utf-8", errors="replace")
        answers: dict[str, CitMatch] = {}
        for line in text.splitlines():
            fields = line.strip().split("|")
            if len(fields) < 7:
                continue
            key, result = fields[5], fields[6].strip()
            if key not in lines:
                continue
            if result.isdigit():
                answers[key] = CitMatch(result, True)
            else:
                answers[key] = CitMatch(None, True, result or "no match")
        # A key with no line in the answer was not answered: that is not "not found".
        for key in lines:
            answers.setdefault(key, CitMatch(None, False, "no answer line for this citation"))
        return answers


def _citmatch_line(ref: ParsedReference, key: str) -> str | None:
    if not (ref.container and ref.year and (ref.volume or ref.first_page)):
        return None
    author = ""
    if ref.authors:
        a = ref.authors[0]
        author = f"{a.family} {a.initials}".strip()

    def clean(s: str) -> str:
        return re.sub(r"[|\r\n]+", " ", s).strip().lower()

    return "|".join(
        [
            clean(ref.container),
            str(ref.year),
            clean(ref.volume or ""),
            clean(ref.first_page or ""),
            clean(author),
            key,
            "",
        ]
    )


def ids(root: Element) -> list[str]:
    """The IdList of an ESearch answer."""
    return [e.text.strip() for e in root.iterfind("IdList/Id") if e.text]


def _xml(body: bytes) -> Element:
    # NCBI documents declare an external DTD; nothing here needs it, so drop the DOCTYPE
    # (an internal subset could define entities, which defusedxml would refuse anyway).
    body = _DOCTYPE.sub(b"", body, count=1)
    try:
        return ElementTree.fromstring(body)
    except (ElementTree.ParseError, DefusedXmlException, ValueError) as exc:
        raise BadResponse(SERVICE, f"malformed XML ({type(exc).__name__})") from None


def _text(node: Element | None) -> str | None:
    if node is None:
        return None
    text = "".join(node.itertext()).strip()
    return re.sub(r"\s+", " ", text) or None


def to_record(article: Element) -> Record:
    citation = article.find("MedlineCitation")
    art = citation.find("Article") if citation is not None else None
    pmid = citation.findtext("PMID") if citation is not None else None
    journal = art.find("Journal") if art is not None else None
    issue = journal.find("JournalIssue") if journal is not None else None
    year = None
    if issue is not None:
        y = issue.findtext("PubDate/Year") or issue.findtext("PubDate/MedlineDate") or ""
        m = re.search(r"\d{4}", y)
        year = int(m.group()) if m else None
    authors = []
    for a in art.iterfind("AuthorList/Author") if art is not None else []:
        family = a.findtext("LastName") or a.findtext("CollectiveName")
        if family:
            authors.append(
                Author(family=family.strip(), initials=(a.findtext("Initials") or "").strip())
            )
    doi = None
    for aid in article.iterfind("PubmedData/ArticleIdList/ArticleId"):
        if aid.get("IdType") == "doi" and aid.text:
            doi = aid.text.strip().lower()
    if doi is None and art is not None:
        for eid in art.iterfind("ELocationID"):
            if eid.get("EIdType") == "doi" and eid.text:
                doi = eid.text.strip().lower()
    abbrevs = [
        s
        for s in (
            journal.findtext("ISOAbbreviation") if journal is not None else None,
            citation.findtext("MedlineJournalInfo/MedlineTA") if citation is not None else None,
        )
        if s
    ]
    pages = art.findtext("Pagination/MedlinePgn") if art is not None else None
    if not pages and art is not None:
        for eid in art.iterfind("ELocationID"):
            if eid.get("EIdType") == "pii" and eid.text:
                pages = eid.text
    return Record(
        source=SERVICE,
        pmid=pmid.strip() if pmid else None,
        doi=doi,
        title=_text(art.find("ArticleTitle")) if art is not None else None,
        container=journal.findtext("Title") if journal is not None else None,
        container_abbrev=tuple(dict.fromkeys(abbrevs)),
        year=year,
        years=(year,) if year else (),
        volume=issue.findtext("Volume") if issue is not None else None,
        issue=issue.findtext("Issue") if issue is not None else None,
        pages=pages,
        authors=tuple(authors),
        url=f"https://pubmed.ncbi.nlm.nih.gov/{pmid.strip()}/" if pmid else None,
        **_subject(citation, art),
        **_status(citation),
    )


# CommentsCorrections RefTypes, lower-cased (a 2016 publisher notice writes them upper case):
# on a work, the notices about it; on a notice, the work it is about.
_NOTICE_IN: dict[str, NoticeKind] = {
    "retractionin": "retraction",
    "partialretractionin": "partial_retraction",
    "retractedandrepublishedin": "retraction_and_replacement",
    "expressionofconcernin": "expression_of_concern",
    "erratumin": "correction",
    "correctedandrepublishedin": "correction_and_republication",
}
_NOTICE_OF: dict[str, NoticeKind] = {
    "retractionof": "retraction",
    "partialretractionof": "partial_retraction",
    "expressionofconcernfor": "expression_of_concern",
    "erratumfor": "correction",
}
_NOTICE_TYPES: dict[str, NoticeKind] = {
    "retraction of publication": "retraction",
    "expression of concern": "expression_of_concern",
    "published erratum": "correction",
}


class _Status(TypedDict, total=False):
    notices: tuple[Notice, ...]
    notice_of: tuple[Notice, ...]


def _status(citation: Element | None) -> _Status:
    """Retractions and other notices, from CommentsCorrections and the publication types."""
    if citation is None:
        return {}
    notices: list[Notice] = []
    notice_of: list[Notice] = []
    for cc in citation.iterfind("CommentsCorrectionsList/CommentsCorrections"):
        ref_type = (cc.get("RefType") or "").strip()
        kind = _NOTICE_IN.get(ref_type.lower())
        target = notices
        if kind is None:
            kind, target = _NOTICE_OF.get(ref_type.lower()), notice_of
        if kind is None:
            continue
        pmid = (cc.findtext("PMID") or "").strip() or None
        # RefSource cites the other item: for a notice about this work, the notice's issue
        # date; for a notice, the original article's (not worth keeping).
        date = parse_date(_text(cc.find("RefSource")) or "") if target is notices else None
        target.append(Notice(kind=kind, label=ref_type, channel=SERVICE, pmid=pmid, date=date))
    types = [
        (_text(t) or "").lower()
        for t in citation.iterfind("Article/PublicationTypeList/PublicationType")
    ]
    if "retracted publication" in types and not any(
        n.kind in ("retraction", "retraction_and_replacement") for n in notices
    ):
        notices.append(Notice(kind="retraction", label="Retracted Publication", channel=SERVICE))
    for name, kind in _NOTICE_TYPES.items():
        if name in types and not any(n.kind == kind for n in notice_of):
            notice_of.append(Notice(kind=kind, label=name.title(), channel=SERVICE))
    return {"notices": tuple(notices), "notice_of": tuple(notice_of)}


class _Subject(TypedDict, total=False):
    abstract: str | None
    mesh: tuple[MeshHeading, ...]
    keywords: tuple[str, ...]
    publication_types: tuple[str, ...]


def _subject(citation: Element | None, art: Element | None) -> _Subject:
    """Abstract, MeSH headings, keywords and publication types: what the work is about."""
    if citation is None or art is None:
        return {}
    abstract = " ".join(t for t in (_text(a) for a in art.iterfind("Abstract/AbstractText")) if t)
    mesh = []
    for heading in citation.iterfind("MeshHeadingList/MeshHeading"):
        descriptor = heading.find("DescriptorName")
        name = _text(descriptor)
        if descriptor is None or not name:
            continue
        major = descriptor.get("MajorTopicYN") == "Y" or any(
            q.get("MajorTopicYN") == "Y" for q in heading.iterfind("QualifierName")
        )
        mesh.append(MeshHeading(ui=descriptor.get("UI", ""), name=name, major=major))
    keywords = [k for k in (_text(k) for k in citation.iterfind("KeywordList/Keyword")) if k]
    types = [
        t for t in (_text(t) for t in art.iterfind("PublicationTypeList/PublicationType")) if t
    ]
    return {
        "abstract": abstract or None,
        "mesh": tuple(mesh),
        "keywords": tuple(keywords),
        "publication_types": tuple(types),
    }


_STOPWORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "the",
        "of",
        "in",
        "on",
        "for",
        "with",
        "to",
        "from",
        "by",
        "at",
        "as",
        "is",
        "are",
        "was",
        "were",
        "be",
        "its",
        "their",
        "or",
    ]
)


def pubmed_term(ref: ParsedReference) -> str | None:
    """ESearch query from the most distinctive title words, first author and year."""
    words = [
        w
        for w in re.findall(r"[A-Za-z][A-Za-z0-9\-]{2,}", ref.title or "")
        if w.lower() not in _STOPWORDS
    ]
    if len(words) < 2:
        return None
    parts = [" AND ".join(f"{w}[ti]" for w in words[:8])]
    if ref.authors:
        parts.append(f"{ref.authors[0].family}[1au]")
    return " AND ".join(parts)

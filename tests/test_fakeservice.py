"""Tests for tests/fakeservice.py: the local Crossref/E-utilities fake must look real.

Resolver tests trust the fake, so here it is checked against the recorded bodies in tests/data
(shapes, content types, headers) and every fault mode is exercised with plain httpx.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as DET
import httpx
import pytest

from citecheck.model import MeshHeading
from citecheck.resolve.http import Http
from citecheck.resolve.interface import ServiceError
from citecheck.resolve.mesh import Mesh, gather
from citecheck.resolve.pubmed import PubMed
from citecheck.settings import Settings
from tests.fakeservice import (
    FakeServices,
    MeshDescriptor,
    Work,
    crossref_item,
    hang,
    malformed,
    pubmed_article_xml,
    reset,
    status,
    truncated,
)

DATA = Path(__file__).parent / "data"

NATURE = Work(
    doi="10.5555/nature12373",
    pmid="90012373",
    title="Nanometre-scale thermometry in a living cell",
    authors=[("Kucsko", "G"), ("Maurer", "P C"), ("Lukin", "M D")],
    journal="Nature",
    journal_abbrev="Nature",
    year=2013,
    volume="500",
    issue="7460",
    pages="54-58",
    mesh=["Humans", "Thermometry"],
    issn="0028-0836",
)
PLOS = Work(
    doi="10.1371/journal.pone.0033693",
    pmid="22457784",
    title="Methylphenidate exposure induces dopamine neuron loss and activation of microglia "
    "in the basal ganglia of mice",
    authors=[("Sadasivan", "Shankar"), ("Pond", "Brooks B."), ("Smeyne", "Richard J.")],
    journal="PLoS ONE",
    journal_abbrev="PLoS One",
    year=2012,
    volume="7",
    issue="3",
    pages="e33693",
    updated_by=[
        {
            "DOI": "10.1371/annotation/c76da2c1-ccb8-4797-94c1-359d3ceceeda",
            "type": "correction",
            "label": "Correction",
            "source": "publisher",
            "updated": {
                "date-parts": [[2012, 5, 8]],
                "date-time": "2012-05-08T00:00:00Z",
                "timestamp": 1336435200000,
            },
        }
    ],
)
RETRACTED = Work(
    doi="10.1056/nejmoa2001017",
    pmid="31978945",
    title="A novel coronavirus from patients with pneumonia in China, 2019",
    authors=[("Zhu", "Na"), ("Zhang", "Dingyu")],
    journal="The New England journal of medicine",
    journal_abbrev="N Engl J Med",
    year=2020,
    volume="382",
    issue="8",
    pages="727-733",
    publication_types=["Journal Article", "Retracted Publication"],
    comments_corrections=[("RetractionIn", "39999999", "N Engl J Med. 2021;384:1.")],
)
# Distractors share words with the targets so ranking has something to do.
DISTRACTORS = [
    Work(
        doi="10.1000/thermo.1",
        title="Thermometry of living tissue in mice",
        authors=[("Maurer", "Anna")],
        journal="Journal of Thermal Biology",
        year=2013,
        volume="38",
        pages="1-9",
        pmid="30000001",
    ),
    Work(
        doi="10.1000/cell.2",
        title="A living cell atlas",
        authors=[("Lukin", "Paul")],
        journal="Cell",
        year=2019,
        volume="500",
        pages="54-60",
        pmid="30000002",
    ),
    Work(
        doi="10.1000/dopamine.3",
        title="Dopamine neuron loss in ageing",
        authors=[("Pond", "Alice")],
        journal="PLoS ONE",
        journal_abbrev="PLoS One",
        year=2012,
        volume="7",
        pages="e40000",
        pmid="30000003",
    ),
]
NO_PUBMED = Work(doi="10.5555/only.crossref", title="Only in Crossref", journal="X", year=2001)
NO_CROSSREF = Work(pmid="11111111", title="Only in PubMed", journal="Y", year=1999)
WORKS = [NATURE, PLOS, RETRACTED, *DISTRACTORS, NO_PUBMED, NO_CROSSREF]


@pytest.fixture
def svc() -> Iterator[FakeServices]:
    with FakeServices(WORKS) as services:
        yield services
    assert services.errors == []


@pytest.fixture(scope="module")
def client() -> Iterator[httpx.Client]:
    """One client for the module: building one loads CA certificates (~25 ms) each time."""
    with httpx.Client(timeout=2.0) as c:
        yield c


def _json_type(value: Any) -> str:
    return type(value).__name__ if value is not None else "null"


def _paths(el: Element, prefix: str = "") -> set[str]:
    here = f"{prefix}/{el.tag}"
    out = {here} | {f"{here}@{a}" for a in el.attrib}
    for child in el:
        out |= _paths(child, here)
    return out


# -- Crossref ---------------------------------------------------------------------------------


def test_work_round_trips_with_real_envelope_and_headers(svc, client) -> None:
    r = client.get(f"{svc.crossref_url}/works/10.1371/journal.pone.0033693")
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/json"
    assert r.headers["x-rate-limit-limit"] == "5"
    assert r.headers["x-rate-limit-interval"] == "1s"
    assert r.headers["x-concurrency-limit"] == "1"
    assert r.headers["x-api-pool"] == "public"
    body = r.json()
    assert list(body) == ["status", "message-type", "message-version", "message"]
    assert body["status"] == "ok" and body["message-type"] == "work"
    msg = body["message"]
    assert msg["DOI"] == PLOS.doi
    assert msg["title"] == [PLOS.title]
    assert msg["container-title"] == ["PLoS ONE"]
    assert msg["short-container-title"] == ["PLoS One"]
    assert msg["author"][1] == {
        "given": "Brooks B.",
        "family": "Pond",
        "sequence": "additional",
        "affiliation": [],
        "role": [{"vocabulary": "crossref", "role": "author"}],
    }
    assert msg["author"][0]["sequence"] == "first"
    assert msg["issued"] == {"date-parts": [[2012]]}
    assert msg["published-print"] == {"date-parts": [[2012]]}
    assert (msg["volume"], msg["issue"], msg["page"]) == ("7", "3", "e33693")
    assert (msg["prefix"], msg["member"]) == ("10.1371", "340")
    assert msg["publisher"] == "Public Library of Science (PLoS)"
    assert msg["type"] == "journal-article"
    assert msg["URL"] == "https://doi.org/10.1371/journal.pone.0033693"
    assert msg["updated-by"] == list(PLOS.updated_by)


def test_item_keys_and_types_match_the_recorded_work(svc, client) -> None:
    """Every key we emit exists in the real 2026 record with the same JSON type."""
    real = json.loads((DATA / "crossref_work_10.1371_journal.pone.0033693.json").read_bytes())
    mine = client.get(f"{svc.crossref_url}/works/{PLOS.doi}").json()
    assert {k: _json_type(v) for k, v in mine.items() if k != "message"} == {
        k: _json_type(v) for k, v in real.items() if k != "message"
    }
    # This PLOS record is dated by published-online; print-dated records (e.g. the recorded
    # paper-qa searches) carry published-print with the same shape.
    reference = {**real["message"], "published-print": real["message"]["published-online"]}
    for key, value in mine["message"].items():
        assert key in reference, key
        assert _json_type(value) == _json_type(reference[key]), key
    assert set(mine["message"]["author"][0]) <= set(real["message"]["author"][0])


def test_doi_lookup_is_case_insensitive_and_accepts_encoding(svc, client) -> None:
    for path in ("10.5555/NATURE12373", "10.5555%2Fnature12373", "10.5555%2FNature12373"):
        r = client.get(f"{svc.crossref_url}/works/{path}")
        assert r.status_code == 200, path
        assert r.json()["message"]["DOI"] == "10.5555/nature12373"


def test_unknown_keys_are_left_out() -> None:
    item = crossref_item(Work(doi="10.1/x", title="T", journal="J"))
    for key in ("volume", "issue", "page", "author", "short-container-title", "published"):
        assert key not in item
    # As recorded for undated records: issued is present with a null date part.
    assert item["issued"] == {"date-parts": [[None]]}


def test_unknown_doi_is_plain_text_404(svc, client) -> None:
    r = client.get(f"{svc.crossref_url}/works/10.1371/notarealdoi")
    assert r.status_code == 404
    assert r.headers["content-type"] == "text/plain"
    assert r.content == (DATA / "crossref_404_notarealdoi.txt").read_bytes().strip()
    assert r.headers["x-api-pool"] == "public"
    # A PubMed-only record has no DOI record.
    assert client.get(f"{svc.crossref_url}/works/10.5555/none").status_code == 404


def test_agency_route(svc, client) -> None:
    r = client.get(f"{svc.crossref_url}/works/{NATURE.doi}/agency")
    assert r.json() == {
        "status": "ok",
        "message-type": "work-agency",
        "message-version": "1.0.0",
        "message": {"DOI": NATURE.doi, "agency": {"id": "crossref", "label": "Crossref"}},
    }
    missing = client.get(f"{svc.crossref_url}/works/10.9999/nope/agency")
    assert missing.status_code == 404
    assert missing.text == "Resource not found."


def test_polite_pool_headers_with_mailto(svc, client) -> None:
    r = client.get(f"{svc.crossref_url}/works/{NATURE.doi}", params={"mailto": "a@b.org"})
    assert (r.headers["x-rate-limit-limit"], r.headers["x-concurrency-limit"]) == ("10", "3")
    assert r.headers["x-api-pool"] == "polite"
    ua = {"User-Agent": "citecheck/0.1 (mailto:a@b.org)"}
    r = client.get(f"{svc.crossref_url}/works/{NATURE.doi}", headers=ua)
    assert r.headers["x-api-pool"] == "polite"


def test_filter_doi_lists_known_works(svc, client) -> None:
    dois = [PLOS.doi, "10.9999/unknown", NATURE.doi]
    r = client.get(
        f"{svc.crossref_url}/works",
        params={"filter": ",".join(f"doi:{d}" for d in dois), "rows": 5},
    )
    assert r.status_code == 200
    body = r.json()
    assert body["message-type"] == "work-list"
    msg = body["message"]
    assert list(msg) == ["facets", "total-results", "items", "items-per-page", "query"]
    assert msg["total-results"] == 2
    assert msg["items-per-page"] == 5
    assert msg["query"] == {"start-index": 0, "search-terms": None}
    assert [i["DOI"] for i in msg["items"]] == [PLOS.doi, NATURE.doi]
    assert all(isinstance(i["score"], float) for i in msg["items"])


def test_list_envelope_matches_recorded_search(svc, client) -> None:
    real = json.loads((DATA / "crossref_worklist_query_ecology.json").read_bytes())
    mine = client.get(f"{svc.crossref_url}/works", params={"query": "thermometry"}).json()
    assert list(mine) == list(real)
    assert list(mine["message"]) == list(real["message"])
    assert mine["message"]["query"]["search-terms"] == "thermometry"


def test_query_bibliographic_ranks_the_cited_work_first(svc, client) -> None:
    ref = "Kucsko G, Maurer PC, Lukin MD. Nanometre-scale thermometry in a living cell. "
    ref += "Nature. 2013;500(7460):54-58."
    r = client.get(f"{svc.crossref_url}/works", params={"query.bibliographic": ref, "rows": 3})
    items = r.json()["message"]["items"]
    assert len(items) == 3
    assert items[0]["DOI"] == NATURE.doi
    scores = [i["score"] for i in items]
    assert scores == sorted(scores, reverse=True) and scores[0] > scores[1] > 0
    # Deterministic: same query, same answer.
    again = client.get(f"{svc.crossref_url}/works", params={"query.bibliographic": ref, "rows": 3})
    assert again.json()["message"]["items"] == items


def test_field_queries(svc, client) -> None:
    url = f"{svc.crossref_url}/works"
    r = client.get(url, params={"query.title": "dopamine neuron loss", "rows": 1})
    assert r.json()["message"]["items"][0]["DOI"] in (PLOS.doi, "10.1000/dopamine.3")
    r = client.get(url, params={"query.title": "dopamine neuron loss", "query.author": "Sadasivan"})
    assert r.json()["message"]["items"][0]["DOI"] == PLOS.doi
    r = client.get(url, params={"query.bibliographic": "zzzz qqqq"})
    assert r.json()["message"]["total-results"] == 0
    assert r.json()["message"]["items"] == []


def test_select_keeps_only_requested_fields(svc, client) -> None:
    r = client.get(
        f"{svc.crossref_url}/works",
        params={"query.title": "thermometry living cell", "rows": 1, "select": "DOI,title"},
    )
    assert r.json()["message"]["items"] == [{"DOI": NATURE.doi, "title": [NATURE.title]}]


def test_bad_parameters_give_validation_failures(svc, client) -> None:
    url = f"{svc.crossref_url}/works"
    r = client.get(url, params={"bogus": "1"})
    assert r.status_code == 400
    assert r.headers["content-type"] == "application/json;charset=utf-8"
    body = r.json()
    assert (body["status"], body["message-type"]) == ("failed", "validation-failure")
    assert body["message"][0]["type"] == "unknown-parameter"
    assert body["message"][0]["value"] == "bogus"
    r = client.get(url, params={"rows": "things"})
    assert r.json()["message"][0] == {
        "type": "integer-not-valid",
        "value": "things",
        "message": "Integer specified as things but must be a positive integer less than or "
        "equal to 1000. ",
    }
    r = client.get(f"{url}/{NATURE.doi}", params={"query.author": "carl boettiger"})
    assert r.status_code == 400
    assert r.json()["message"][0]["value"] == "query.*"
    r = client.get(url, params={"filter": "has-assertion:true"})
    assert r.json()["message"][0]["type"] == "filter-not-available"


# -- E-utilities ------------------------------------------------------------------------------


def _esearch(client: httpx.Client, svc: FakeServices, term: str, **extra: str) -> Element:
    r = client.get(f"{svc.eutils_url}/esearch.fcgi", params={"db": "pubmed", "term": term, **extra})
    assert r.status_code == 200
    assert r.headers["content-type"] == "text/xml; charset=UTF-8"
    return DET.fromstring(r.content)


def _ids(root: Element) -> list[str]:
    return [e.text or "" for e in root.iterfind("IdList/Id")]


def test_esearch_doi_or_list(svc, client) -> None:
    term = f"{NATURE.doi}[doi] OR {str(PLOS.doi).upper()}[doi] OR 10.9999/none[doi]"
    root = _esearch(client, svc, term)
    assert root.findtext("Count") == "2"
    assert sorted(_ids(root)) == sorted([str(NATURE.pmid), str(PLOS.pmid)])
    assert root.find("TranslationSet") is not None
    assert "[doi]" in (root.findtext("QueryTranslation") or "")
    # The unmatched DOI is reported like NCBI reports phrases it cannot find.
    assert [e.text for e in root.iterfind("ErrorList/PhraseNotFound")] == ["10.9999/none[doi]"]


def test_esearch_field_tags(svc, client) -> None:
    assert _ids(_esearch(client, svc, "thermometry[ti] AND kucsko g[au] AND 2013[dp]")) == [
        NATURE.pmid
    ]
    assert _ids(_esearch(client, svc, '"scale thermometry"[ti]')) == [NATURE.pmid]
    assert _ids(_esearch(client, svc, "thermometry living[ti]")) == [NATURE.pmid, "30000001"]
    assert _ids(_esearch(client, svc, "Zhu N[1au] AND n engl j med[ta] AND 382[vi] AND 727[pg]"))
    assert _ids(_esearch(client, svc, "Zhang[1au]")) == []
    assert _ids(_esearch(client, svc, f"{PLOS.pmid}[pmid]")) == [PLOS.pmid]
    both = _esearch(client, svc, "(dopamine[ti] AND 2012[pdat]) NOT sadasivan[au]")
    assert _ids(both) == ["30000003"]
    assert _ids(_esearch(client, svc, "Retracted Publication[pt]")) == [RETRACTED.pmid]
    # Bare words search all fields; results are newest PMID first like the default sort.
    assert _ids(_esearch(client, svc, "thermometry")) == [NATURE.pmid, "30000001"]
    # Only PubMed-visible records are searchable.
    assert _ids(_esearch(client, svc, "Only in Crossref[ti]")) == []


def test_esearch_zero_hits_looks_like_ncbi(svc, client) -> None:
    root = _esearch(client, svc, "abcXYZ")
    real = DET.fromstring((DATA / "esearch8_phrase_not_found.xml").read_bytes())
    assert [c.tag for c in root] == [c.tag for c in real]
    assert root.findtext("Count") == "0"
    id_list = root.find("IdList")
    assert id_list is not None and len(id_list) == 0
    assert root.findtext("ErrorList/PhraseNotFound") == "abcXYZ"
    assert root.findtext("WarningList/OutputMessage") == "No items found."


def test_esearch_retmax_post_and_rate_headers(svc, client) -> None:
    r = client.post(
        f"{svc.eutils_url}/esearch.fcgi",
        data={"db": "pubmed", "term": "2012[dp] OR 2013[dp]", "retmax": "2", "api_key": "k"},
    )
    root = DET.fromstring(r.content)
    assert (root.findtext("Count"), root.findtext("RetMax")) == ("4", "2")
    assert len(_ids(root)) == 2
    assert r.headers["X-RateLimit-Limit"] == "10"
    assert int(r.headers["X-RateLimit-Remaining"]) < 10
    r = client.get(f"{svc.eutils_url}/esearch.fcgi", params={"db": "pubmed", "term": "x"})
    assert r.headers["X-RateLimit-Limit"] == "3"
    assert svc.requests[0].method == "POST"
    assert "retmax=2" in svc.requests[0].body


def test_esearch_history_feeds_efetch(svc, client) -> None:
    root = _esearch(client, svc, "thermometry[ti]", usehistory="y")
    params = {
        "db": "pubmed",
        "query_key": root.findtext("QueryKey"),
        "WebEnv": root.findtext("WebEnv"),
    }
    r = client.get(f"{svc.eutils_url}/efetch.fcgi", params=params)
    pmids = [
        e.text for e in DET.fromstring(r.content).iterfind("PubmedArticle/MedlineCitation/PMID")
    ]
    assert pmids == _ids(root)


def test_efetch_returns_known_articles_in_request_order(svc, client) -> None:
    ids = f"{RETRACTED.pmid},99999999,{NATURE.pmid}"
    r = client.post(
        f"{svc.eutils_url}/efetch.fcgi", data={"db": "pubmed", "id": ids, "retmode": "xml"}
    )
    assert r.status_code == 200
    assert r.headers["content-type"] == "text/xml; charset=UTF-8"
    lines = r.text.splitlines()
    assert lines[0] == '<?xml version="1.0" ?>'
    assert lines[1] == (
        '<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, 1st January 2025//EN" '
        '"https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd">'
    )
    root = DET.fromstring(r.content)  # the DOCTYPE declares no entities, so defusedxml accepts it
    arts = root.findall("PubmedArticle")
    assert [a.findtext("MedlineCitation/PMID") for a in arts] == [RETRACTED.pmid, NATURE.pmid]
    retracted, nature = arts
    art = nature.find("MedlineCitation/Article")
    assert art is not None
    assert art.findtext("Journal/JournalIssue/Volume") == "500"
    assert art.findtext("Journal/JournalIssue/Issue") == "7460"
    assert art.findtext("Journal/JournalIssue/PubDate/Year") == "2013"
    assert art.findtext("Journal/Title") == "Nature"
    assert art.findtext("Journal/ISOAbbreviation") == "Nature"
    assert art.findtext("ArticleTitle") == NATURE.title
    assert art.findtext("Pagination/MedlinePgn") == "54-58"
    assert (art.findtext("Pagination/StartPage"), art.findtext("Pagination/EndPage")) == (
        "54",
        "58",
    )
    first = art.find("AuthorList/Author")
    assert first is not None
    assert [first.findtext(t) for t in ("LastName", "ForeName", "Initials")] == ["Kucsko", "G", "G"]
    assert art.find("AuthorList/Author[2]/Initials").text == "PC"  # type: ignore[union-attr]
    assert nature.findtext("MedlineCitation/MedlineJournalInfo/MedlineTA") == "Nature"
    mesh = [e.text for e in nature.iterfind(".//MeshHeadingList/MeshHeading/DescriptorName")]
    assert mesh == ["Humans", "Thermometry"]
    ids_ = {e.get("IdType"): e.text for e in nature.iterfind("PubmedData/ArticleIdList/ArticleId")}
    assert ids_ == {"pubmed": NATURE.pmid, "doi": NATURE.doi}
    ptypes = {e.text: e.get("UI") for e in retracted.iterfind(".//PublicationType")}
    assert ptypes == {"Journal Article": "D016428", "Retracted Publication": "D016441"}
    cc = retracted.find(".//CommentsCorrectionsList/CommentsCorrections")
    assert cc is not None and cc.get("RefType") == "RetractionIn"
    assert (cc.findtext("PMID"), cc.find("PMID").get("Version")) == ("39999999", "1")  # type: ignore[union-attr]


def test_efetch_element_paths_exist_in_real_record() -> None:
    """Apart from CommentsCorrections (absent from that record), every path is a real one."""
    real = _paths(DET.fromstring((DATA / "pubmed_efetch_28731372.xml").read_bytes()))
    real_cc = (
        '<CommentsCorrectionsList><CommentsCorrections RefType="CommentOn"><RefSource>Am J Public '
        'Health. 2021 Oct;111(10):1815-1823.</RefSource><PMID Version="1">34473563</PMID>'
        "</CommentsCorrections></CommentsCorrectionsList>"
    )
    real |= _paths(DET.fromstring(real_cc), "/PubmedArticleSet/PubmedArticle/MedlineCitation")
    full = Work(
        doi="10.1/x",
        pmid="1",
        title="T",
        authors=[("A", "B C")],
        journal="J",
        journal_abbrev="J",
        year=2000,
        volume="1",
        issue="2",
        pages="3-4",
        abstract="Ab",
        mesh=["Humans", ("D008545", "Melanoma", True)],
        keywords=["melanoma"],
        comments_corrections=[("RetractionIn", "2", "src")],
        issn="1234-5678",
    )
    xml = f"<PubmedArticleSet>{pubmed_article_xml(full)}</PubmedArticleSet>"
    assert _paths(DET.fromstring(xml)) <= real


def test_pubmed_xml_escapes_text() -> None:
    work = Work(pmid="5", title='Caf\u00e9 <b> & "x"', authors=[("M\u00fcller", "J")], journal="J")
    xml = pubmed_article_xml(work)
    assert "Caf&#xe9; &lt;b&gt; &amp;" in xml  # efetch writes non-ASCII as character references
    assert DET.fromstring(xml).findtext(".//ArticleTitle") == 'Caf\u00e9 <b> & "x"'


def test_efetch_without_ids_reports_in_band(svc, client) -> None:
    r = client.get(f"{svc.eutils_url}/efetch.fcgi", params={"db": "pubmed", "id": "99999999"})
    assert DET.fromstring(r.content).findall("PubmedArticle") == []
    r = client.get(f"{svc.eutils_url}/efetch.fcgi", params={"db": "pubmed"})
    assert DET.fromstring(r.content).findtext("ERROR") == "Empty id list - nothing todo"


def test_ecitmatch_lines(svc, client) -> None:
    bdata = (
        "n engl j med|2020|382|727|zhu n|Art4|\r"
        "fake journal|2000|1|1|nobody|ref2|\r"
        "nature|2013|499|54||k3|\r"
        "plos one|2012|7|e33693|sadasivan s|k4|"
    )
    r = client.get(
        f"{svc.eutils_url}/ecitmatch.cgi", params={"db": "pubmed", "retmode": "xml", "bdata": bdata}
    )
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/plain")
    assert r.text.splitlines() == [
        "n engl j med|2020|382|727|zhu n|Art4|31978945",
        "fake journal|2000|1|1||ref2|NOT_FOUND;INVALID_JOURNAL",
        "nature|2013|499|54||k3|NOT_FOUND",
        "plos one|2012|7|e33693|sadasivan s|k4|22457784",
    ]
    # Byte-for-byte the lines NCBI returned for the same two citations.
    recorded = (DATA / "citmatch_mixed.txt").read_text().splitlines()
    assert r.text.splitlines()[:2] == [recorded[2], recorded[1]]


def test_esummary_docsum(svc, client) -> None:
    r = client.get(f"{svc.eutils_url}/esummary.fcgi", params={"db": "pubmed", "id": NATURE.pmid})
    doc = DET.fromstring(r.content).find("DocSum")
    assert doc is not None and doc.findtext("Id") == NATURE.pmid
    items = {i.get("Name"): i.text for i in doc.iterfind("Item")}
    assert (items["Source"], items["Volume"], items["Pages"]) == ("Nature", "500", "54-58")


# -- MeSH, for the relevance check ----------------------------------------------------------

# Real UIs, names and entry terms; the tree numbers only need to sit under C04 (Neoplasms).
MELANOMA = MeshDescriptor("D008545", "Melanoma", ("C04.557.465.625.650.510",))
LEUKEMIA = MeshDescriptor(
    "D054198",
    "Precursor Cell Lymphoblastic Leukemia-Lymphoma",
    ("C04.557.337.428.600", "C15.604.515.560.600"),
    ("Acute Lymphoblastic Leukemia",),
)
NEOPLASMS = MeshDescriptor("D009369", "Neoplasms", ("C04",), ("Cancer", "Tumors"))
MESH = [MELANOMA, LEUKEMIA, NEOPLASMS]
MELANOMA_WORK = Work(
    doi="10.1000/braf.11",
    pmid="30000011",
    title="BRAF inhibition in metastatic melanoma",
    authors=[("Weber", "Anna")],
    journal="Journal of Skin Oncology",
    year=2015,
    volume="3",
    pages="10-19",
    abstract="Vemurafenib prolonged survival.",
    mesh=[("D008545", "Melanoma", True), "Humans"],
    keywords=["BRAF", "vemurafenib"],
)
LEUKEMIA_WORK = Work(
    pmid="30000012",
    title="Blinatumomab for relapsed leukemia in children",
    journal="Blood Reports",
    year=2017,
    mesh=[("D054198", LEUKEMIA.name, False)],
)

# Recorded ESummary version 2.0 for db=mesh (Klortho/Eutils-JSON, samples/esummary.mesh.xml),
# DS_MeshTerms cut to two terms.
REAL_MESH_SUMMARY = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE eSummaryResult PUBLIC "-//NLM//DTD eSummaryResult//EN" "http://www.ncbi.nlm.nih.gov/entrez/query/DTD/eSummaryDTD/eSummary_mesh.dtd">
<eSummaryResult>
<DocumentSummarySet status="OK">
<DocumentSummary uid="67414177">
	<DS_YearIntroduced></DS_YearIntroduced>
	<DS_ScopeNote>RefSeq NM_003046</DS_ScopeNote>
	<DS_RegistryNumber>0</DS_RegistryNumber>
	<DS_HeadingMappedTo></DS_HeadingMappedTo>
	<DS_MeshTerms>
		<string>SLC7A2 protein, human</string>
		<string>hCAT-2 transport protein</string>
	</DS_MeshTerms>
	<DS_Subheading>
	</DS_Subheading>
	<DS_PaPx>
	</DS_PaPx>
	<DS_PreviousIndexing>
		<string>CALCIUM CHANNELS (2000-2006)</string>
	</DS_PreviousIndexing>
	<DS_SeeRelated>
	</DS_SeeRelated>
	<DS_PaList>
	</DS_PaList>
	<DS_IdxLinks>
		<LinksType>
			<Parent>1000048</Parent>
			<TreeNum>@3065</TreeNum>
			<Children>
			</Children>
		</LinksType>
	</DS_IdxLinks>
	<DS_EntryDate>2000/10/10 00:00</DS_EntryDate>
	<DS_RevisionDate>2006/07/06 00:00</DS_RevisionDate>
	<DS_HeadingMappedToList>
		<int>68026923</int>
	</DS_HeadingMappedToList>
</DocumentSummary>

</DocumentSummarySet>
</eSummaryResult>
"""


@pytest.fixture
def mesh_svc() -> Iterator[FakeServices]:
    with FakeServices([*WORKS, MELANOMA_WORK, LEUKEMIA_WORK], mesh=MESH) as services:
        yield services
    assert services.errors == []


@pytest.fixture
def pubmed(mesh_svc: FakeServices, tmp_path: Path) -> Iterator[PubMed]:
    """The project's own client against the fake: no cache, no pacing, instant retries."""
    settings = Settings(
        eutils_url=mesh_svc.eutils_url,
        cache_dir=tmp_path / "cache",
        use_cache=False,
        retries=1,
        timeout=2.0,
    )
    with Http(settings, sleep=lambda s: None, rate_limit=False) as http:
        yield PubMed(http, settings.eutils_url)


def _in_order(mine: list[str], real: list[str]) -> bool:
    """``mine`` is a subsequence of ``real``: same relative order, gaps allowed."""
    rest = iter(real)
    return all(tag in rest for tag in mine)


def test_efetch_subject_fields_reach_the_client_record(pubmed) -> None:
    """Abstract, MeSH headings (UI, major topic) and keywords sit where real records put them."""
    rec = pubmed.fetch([str(MELANOMA_WORK.pmid)])[str(MELANOMA_WORK.pmid)]
    assert rec.abstract == "Vemurafenib prolonged survival."
    assert rec.mesh == (
        MeshHeading("D008545", "Melanoma", True),
        MeshHeading("D006801", "Humans", False),
    )
    assert rec.keywords == ("BRAF", "vemurafenib")
    real = DET.fromstring((DATA / "pubmed_efetch_28731372.xml").read_bytes()).find("PubmedArticle")
    mine = DET.fromstring(pubmed_article_xml(MELANOMA_WORK))
    for path in ("MedlineCitation", "MedlineCitation/Article"):
        assert _in_order([c.tag for c in mine.find(path)], [c.tag for c in real.find(path)]), path
    # A bare name is the same heading as its (UI, name, not major) triple.
    assert pubmed_article_xml(Work(pmid="1", mesh=["Humans"])) == pubmed_article_xml(
        Work(pmid="1", mesh=[("D006801", "Humans", False)])
    )


def _translations(root: Element) -> list[tuple[str | None, str | None]]:
    return [(t.findtext("From"), t.findtext("To")) for t in root.iterfind("TranslationSet/*")]


def _skeleton(xml: bytes) -> str:
    """The first Translation with From and To emptied: NCBI's whitespace stays."""
    match = re.search(rb"<Translation>.*?</Translation>", xml, re.S)
    assert match is not None
    return re.sub(r"<(From|To)>.*?</\1>", r"<\1></\1>", match.group().decode())


def test_esearch_translates_mesh_phrases_like_pubmed(mesh_svc, client, pubmed) -> None:
    term = "Cancer: relapse of acute lymphoblastic leukemia after BRAF inhibition"
    root = _esearch(client, mesh_svc, term, retmax="0")
    assert _translations(root) == [
        ("Cancer", '"neoplasms"[MeSH Terms] OR "neoplasms"[All Fields] OR "cancer"[All Fields]'),
        (
            "acute lymphoblastic leukemia",
            '"precursor cell lymphoblastic leukemia-lymphoma"[MeSH Terms] OR ("precursor"[All '
            'Fields] AND "cell"[All Fields] AND "lymphoblastic"[All Fields] AND "leukemia-lymphoma"'
            '[All Fields]) OR "precursor cell lymphoblastic leukemia-lymphoma"[All Fields] OR '
            '("acute"[All Fields] AND "lymphoblastic"[All Fields] AND "leukemia"[All Fields]) OR '
            '"acute lymphoblastic leukemia"[All Fields]',
        ),
    ]
    real_bytes = (DATA / "esearch2_mesh_translation.xml").read_bytes()
    r = client.get(f"{mesh_svc.eutils_url}/esearch.fcgi", params={"db": "pubmed", "term": "cancer"})
    assert _skeleton(r.content) == _skeleton(real_bytes)
    real = DET.fromstring(real_bytes)
    assert _in_order([c.tag for c in root][:6], [c.tag for c in real])
    # QueryTranslation: lower case, hyphens as spaces (recorded: "sars cov 2"[MeSH Terms]).
    translation = root.findtext("QueryTranslation") or ""
    assert '("neoplasms"[MeSH Terms] OR "neoplasms"[All Fields] OR "cancer"[All Fields])' in (
        translation
    )
    assert '"precursor cell lymphoblastic leukemia lymphoma"[MeSH Terms]' in translation
    assert Mesh(pubmed).translate(term) == [
        "neoplasms",
        "precursor cell lymphoblastic leukemia lymphoma",
    ]
    assert mesh_svc.requests[-1].query["retmax"] == "0"
    # Which records match is untouched; retmax=0 keeps the count and empties the list.
    with FakeServices(mesh_svc.works) as plain:
        for text in ("melanoma", "cancer BRAF", "leukemia children", "acute lymphoblastic"):
            with_mesh = _esearch(client, mesh_svc, text)
            without = _esearch(client, plain, text)
            assert _ids(with_mesh) == _ids(without), text
            assert without.find("TranslationSet") is not None
            assert len(without.find("TranslationSet")) == 0  # type: ignore[arg-type]
            counted = _esearch(client, mesh_svc, text, retmax="0")
            assert counted.findtext("Count") == str(len(_ids(without))), text
            assert _ids(counted) == [] and counted.findtext("RetMax") == "0"


def test_esearch_in_the_mesh_database(mesh_svc, client, pubmed) -> None:
    mesh = Mesh(pubmed)
    found = mesh.search(["melanoma", "precursor cell lymphoblastic leukemia-lymphoma", "nothing"])
    assert sorted(found) == ["68008545", "68054198"]
    # Case, punctuation and entry terms, as NCBI's index matches them.
    assert mesh.search(["precursor cell lymphoblastic leukemia lymphoma"]) == ["68054198"]
    assert mesh.search(["TUMORS"]) == ["68009369"]
    assert mesh.search(["unheard of"]) == []
    assert mesh_svc.requests[-1].query["db"] == "mesh"
    real = DET.fromstring((DATA / "esearch1.xml").read_bytes())
    root = DET.fromstring(
        client.get(
            f"{mesh_svc.eutils_url}/esearch.fcgi",
            params={"db": "mesh", "term": '"melanoma"[MeSH Terms]'},
        ).content
    )
    assert [c.tag for c in root] == [c.tag for c in real]
    assert _ids(root) == ["68008545"]
    # Databases the fake does not serve answer as before, and EFetch has no MeSH.
    for util, db in (("esearch", "nlmcatalog"), ("efetch", "mesh")):
        r = client.get(
            f"{mesh_svc.eutils_url}/{util}.fcgi", params={"db": db, "id": "1", "term": "x"}
        )
        assert DET.fromstring(r.content).findtext("ERROR") == f"Invalid db name specified: {db}"


def _summary_skeleton(text: str) -> list[str]:
    """Lines with their text emptied; list items (``<string>``/``<int>``) dropped."""
    lines = [ln for ln in text.splitlines() if "<string>" not in ln and "<int>" not in ln]
    return [re.sub(r'uid="\d+"', 'uid=""', re.sub(r">[^<]+<", "><", ln)) for ln in lines]


def test_esummary_mesh_version_2(mesh_svc, client, pubmed) -> None:
    summaries = Mesh(pubmed).summaries(["68008545", "68054198", "68999999", "68008545"])
    assert summaries == {
        "68008545": ("Melanoma", MELANOMA.tree_numbers),
        "68054198": (LEUKEMIA.name, LEUKEMIA.tree_numbers),
    }
    url = f"{mesh_svc.eutils_url}/esummary.fcgi"
    form = {"db": "mesh", "version": "2.0", "id": "68008545"}
    got = client.get(url, params=form)
    assert got.headers["content-type"] == "text/xml; charset=UTF-8"
    assert client.post(url, data=form).text == got.text
    assert _summary_skeleton(got.text) == _summary_skeleton(REAL_MESH_SUMMARY)
    doc = DET.fromstring(got.content).find("DocumentSummarySet/DocumentSummary")
    assert doc is not None
    assert [s.text for s in doc.iterfind("DS_MeshTerms/string")] == ["Melanoma"]
    assert _paths(DET.fromstring(got.content)) <= _paths(DET.fromstring(REAL_MESH_SUMMARY))
    terms = DET.fromstring(client.get(url, params={**form, "id": "68054198"}).content)
    assert [s.text for s in terms.iterfind(".//DS_MeshTerms/string")] == [
        LEUKEMIA.name,
        "Acute Lymphoblastic Leukemia",
    ]
    # No known id: an empty set, still "OK" (assumed; see the fake).
    none = DET.fromstring(client.get(url, params={**form, "id": "68999999"}).content)
    assert none.find("DocumentSummarySet").get("status") == "OK"  # type: ignore[union-attr]
    assert len(none.find("DocumentSummarySet")) == 0  # type: ignore[arg-type]
    assert Mesh(pubmed).summaries(["68999999"]) == {}
    # Without version=2.0 there is no DocumentSummarySet, as from NCBI.
    v1 = DET.fromstring(client.get(url, params={"db": "mesh", "id": "68008545"}).content)
    assert v1.find("DocumentSummarySet") is None


def test_mesh_requests_take_faults_and_are_recorded(mesh_svc, pubmed) -> None:
    mesh = Mesh(pubmed)
    mesh_svc.fail(r"esearch\.fcgi\?db=mesh", status(500), status(503))
    with pytest.raises(ServiceError):
        mesh.search(["melanoma"])  # both attempts fail
    mesh_svc.fail(r"esummary\.fcgi", malformed())
    with pytest.raises(ServiceError):
        mesh.summaries(["68008545"])
    mesh_svc.fail(r"esearch\.fcgi\?db=pubmed", reset(), truncated())
    with pytest.raises(ServiceError):
        mesh.translate("melanoma")
    assert mesh_svc.pending_faults() == 0
    assert mesh.search(["melanoma"]) == ["68008545"]
    assert [(r.method, r.path, r.query.get("db")) for r in mesh_svc.requests] == [
        ("GET", "/eutils/esearch.fcgi", "mesh"),
        ("GET", "/eutils/esearch.fcgi", "mesh"),
        ("GET", "/eutils/esummary.fcgi", "mesh"),
        ("GET", "/eutils/esearch.fcgi", "pubmed"),
        ("GET", "/eutils/esearch.fcgi", "pubmed"),
        ("GET", "/eutils/esearch.fcgi", "mesh"),
    ]


def test_gather_end_to_end(mesh_svc, pubmed) -> None:
    """Title to MeSH concepts, record headings to tree numbers: three requests in all."""
    records = pubmed.fetch([str(MELANOMA_WORK.pmid), str(LEUKEMIA_WORK.pmid)])
    mesh_svc.clear_requests()
    evidence = gather(Mesh(pubmed), "Cancer and melanoma in adolescents", records.values())
    assert evidence.problems == []
    # "Humans" (68006801) is not in the fake's vocabulary, so it gets no trees.
    assert evidence.trees == {
        "D008545": MELANOMA.tree_numbers,
        "D054198": LEUKEMIA.tree_numbers,
    }
    assert {(c.ident, c.label, c.tree_numbers) for c in evidence.manuscript} == {
        ("D008545", "Melanoma", MELANOMA.tree_numbers),
        ("D009369", "Neoplasms", NEOPLASMS.tree_numbers),
    }
    assert [(r.path, r.query["db"]) for r in mesh_svc.requests] == [
        ("/eutils/esearch.fcgi", "pubmed"),
        ("/eutils/esearch.fcgi", "mesh"),
        ("/eutils/esummary.fcgi", "mesh"),
    ]
    asked = mesh_svc.requests[-1].query["id"].split(",")
    assert sorted(asked) == ["68006801", "68008545", "68009369", "68054198"]
    # A service failure is evidence missing, never an exception.
    mesh_svc.down = True
    failed = gather(Mesh(pubmed), "Cancer", records.values())
    assert failed.trees == {} and failed.manuscript == []
    assert len(failed.problems) == 2


# -- Faults and lifecycle ---------------------------------------------------------------------


def test_status_faults_are_consumed_in_order_then_normal(svc, client) -> None:
    url = f"{svc.crossref_url}/works/{NATURE.doi}"
    svc.fail(
        r"/works/10\.5555/nature", status(429, headers={"Retry-After": "1"}), status(503, "down")
    )
    first = client.get(url)
    assert first.status_code == 429
    assert first.headers["Retry-After"] == "1"
    assert first.headers["x-rate-limit-limit"] == "5"  # the service's headers are kept
    second = client.get(url)
    assert (second.status_code, second.text) == (503, "down")
    assert client.get(url).status_code == 200
    assert svc.pending_faults() == 0
    assert svc.count(r"^/crossref/works/") == 3


def test_faults_only_hit_matching_paths(svc, client) -> None:
    svc.fail(r"efetch\.fcgi", status(500))
    ok = client.get(f"{svc.eutils_url}/esearch.fcgi", params={"db": "pubmed", "term": "x"})
    assert ok.status_code == 200
    assert svc.pending_faults() == 1
    r = client.get(f"{svc.eutils_url}/efetch.fcgi", params={"db": "pubmed", "id": "1"})
    assert r.status_code == 500
    assert r.headers["X-RateLimit-Limit"] == "3"


def test_hang_trips_client_timeout(svc, client) -> None:
    svc.fail("/works/", hang(0.3))
    with pytest.raises(httpx.ReadTimeout):
        client.get(f"{svc.crossref_url}/works/{NATURE.doi}", timeout=0.1)
    assert client.get(f"{svc.crossref_url}/works/{NATURE.doi}").status_code == 200


def test_truncated_body(svc, client) -> None:
    svc.fail("/works/", truncated())
    with pytest.raises(httpx.RemoteProtocolError):
        client.get(f"{svc.crossref_url}/works/{NATURE.doi}")
    assert client.get(f"{svc.crossref_url}/works/{NATURE.doi}").status_code == 200


def test_reset_and_down(svc, client) -> None:
    svc.fail("esearch", reset())
    with pytest.raises(httpx.TransportError):
        client.get(f"{svc.eutils_url}/esearch.fcgi", params={"db": "pubmed", "term": "x"})
    svc.down = True
    with pytest.raises(httpx.TransportError):
        client.get(f"{svc.crossref_url}/works/{NATURE.doi}")
    svc.down = False
    assert client.get(f"{svc.crossref_url}/works/{NATURE.doi}").status_code == 200


def test_malformed_bodies(svc, client) -> None:
    svc.fail("/works", malformed(), malformed())
    r = client.get(f"{svc.crossref_url}/works/{NATURE.doi}")
    assert r.status_code == 200 and r.headers["content-type"] == "application/json"
    with pytest.raises(json.JSONDecodeError):
        r.json()
    r = client.get(f"{svc.crossref_url}/works/10.9/unknown")  # malformed even where 404 was due
    assert r.status_code == 200
    with pytest.raises(json.JSONDecodeError):
        r.json()
    svc.fail("efetch", malformed())
    r = client.get(f"{svc.eutils_url}/efetch.fcgi", params={"db": "pubmed", "id": NATURE.pmid})
    with pytest.raises(ParseError):
        DET.fromstring(r.content)


def test_latency_is_added(client) -> None:
    with FakeServices(WORKS, latency=0.05) as svc:
        start = time.monotonic()
        client.get(f"{svc.crossref_url}/works/{NATURE.doi}")
        assert time.monotonic() - start >= 0.05


def test_shutdown_is_prompt_even_while_hanging(client) -> None:
    svc = FakeServices(WORKS)
    svc.start()
    svc.fail("/works/", hang(30))
    with pytest.raises(httpx.ReadTimeout):
        client.get(f"{svc.crossref_url}/works/{NATURE.doi}", timeout=0.1)
    start = time.monotonic()
    svc.stop()
    assert time.monotonic() - start < 1.0


def test_binds_loopback_only_and_logs_requests(svc, client) -> None:
    assert svc.crossref_url.startswith("http://127.0.0.1:")
    assert svc._server is not None and svc._server.server_address[0] == "127.0.0.1"
    client.get(f"{svc.crossref_url}/works", params={"filter": f"doi:{NATURE.doi}", "rows": "1"})
    method, path, query, body = svc.requests[-1]
    assert (method, path, body) == ("GET", "/crossref/works", "")
    assert query == {"filter": f"doi:{NATURE.doi}", "rows": "1"}


def test_concurrent_requests_are_all_recorded(svc, client) -> None:
    codes: list[int] = []

    def worker() -> None:
        for _ in range(5):
            codes.append(client.get(f"{svc.crossref_url}/works/{PLOS.doi}").status_code)

    threads = [threading.Thread(target=worker) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert codes == [200] * 30
    assert svc.count("/works/") == 30

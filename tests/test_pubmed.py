"""PubMed client on real recorded bodies."""

from __future__ import annotations

import httpx
import pytest
import respx

from citecheck.model import ParsedReference
from citecheck.resolve.http import Http
from citecheck.resolve.interface import BadResponse
from citecheck.resolve.pubmed import PubMed
from citecheck.settings import Settings
from tests.conftest import data

BASE = "https://eutils.ncbi.nlm.nih.gov/entrez/eutils"


@respx.mock
def test_efetch_record_fields(http: Http) -> None:
    route = respx.get(f"{BASE}/efetch.fcgi").mock(
        return_value=httpx.Response(200, content=data("pubmed_efetch_28731372.xml"))
    )
    records = PubMed(http, BASE).fetch(["28731372"])
    rec = records["28731372"]
    assert rec.doi == "10.1177/1352458517722646"
    assert rec.volume == "24" and rec.pages == "1280-1287" and rec.year == 2018
    assert "Mult Scler" in rec.container_abbrev
    assert rec.title.startswith("Exploring the effect of vitamin D3")
    params = route.calls.last.request.url.params
    assert params["tool"] == "citecheck" and params["db"] == "pubmed"
    # What the article is about, for the relevance check.
    assert rec.abstract and "vitamin D" in rec.abstract
    mesh = {h.name: h for h in rec.mesh}
    assert mesh["Dietary Supplements"].major and mesh["Dietary Supplements"].ui == "D019587"
    assert mesh["Antibodies, Viral"].major  # major through its qualifier ("blood*")
    assert not mesh["Adult"].major
    assert "Randomized Controlled Trial" in rec.publication_types


@respx.mock
def test_efetch_posts_long_id_lists(http: Http) -> None:
    route = respx.post(f"{BASE}/efetch.fcgi").mock(
        return_value=httpx.Response(200, content=b"<PubmedArticleSet></PubmedArticleSet>")
    )
    assert PubMed(http, BASE).fetch([str(i) for i in range(1, 260)]) == {}
    assert route.call_count == 1
    assert b"id=1%2C2%2C3" in route.calls.last.request.content


@respx.mock
def test_esearch_ids_and_zero_hits(http: Http) -> None:
    respx.get(f"{BASE}/esearch.fcgi").mock(
        side_effect=[
            httpx.Response(200, content=data("esearch1.xml")),
            httpx.Response(200, content=data("esearch8_phrase_not_found.xml")),
        ]
    )
    pubmed = PubMed(http, BASE)
    assert pubmed.search("x")[:2] == ["41282813", "41148224"]
    assert pubmed.search("abcXYZ") == []


@respx.mock
def test_citmatch_lines_and_missing_lines(http: Http) -> None:
    route = respx.get(f"{BASE}/ecitmatch.cgi").mock(
        return_value=httpx.Response(200, content=data("citmatch_mixed.txt"))
    )
    refs = {
        "Art1": ParsedReference(
            raw="", container="proc natl acad sci u s a", year=1991, volume="88", pages="3248"
        ),
        "ref2": ParsedReference(raw="", container="fake journal", year=2000, volume="1", pages="1"),
        "lost": ParsedReference(raw="", container="Blood", year=2008, volume="112", pages="4384"),
    }
    answers = PubMed(http, BASE).citmatch(refs)
    assert answers["Art1"].pmid == "2014248"
    assert answers["ref2"].pmid is None and answers["ref2"].answered
    assert "NOT_FOUND" in answers["ref2"].detail
    assert not answers["lost"].answered  # no line back is no answer, not "not found"
    bdata = route.calls.last.request.url.params["bdata"]
    assert bdata.split("\r")[0] == "proc natl acad sci u s a|1991|88|3248||Art1|"


@respx.mock
def test_api_key_and_email_are_sent(settings: Settings) -> None:
    http = Http(settings.replace(ncbi_api_key="SECRETKEY", mailto="a@b.org"), sleep=lambda s: None)
    route = respx.get(f"{BASE}/esearch.fcgi").mock(
        return_value=httpx.Response(200, content=data("esearch8_phrase_not_found.xml"))
    )
    PubMed(http, BASE).search("x")
    params = route.calls.last.request.url.params
    assert params["api_key"] == "SECRETKEY" and params["email"] == "a@b.org"
    assert http.limiters["pubmed"].limit == 10.0


@respx.mock
def test_malformed_and_hostile_xml_are_bad_responses(http: Http) -> None:
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>'
        b"<PubmedArticleSet>&b;</PubmedArticleSet>"
    )
    respx.get(f"{BASE}/efetch.fcgi").mock(
        side_effect=[
            httpx.Response(200, content=b"<PubmedArticleSet><PubmedArt"),
            httpx.Response(200, content=bomb),
        ]
    )
    pubmed = PubMed(http, BASE)
    with pytest.raises(BadResponse):
        pubmed.fetch(["1"])
    with pytest.raises(BadResponse):
        pubmed.fetch(["1"])


@respx.mock
def test_long_esearch_terms_are_posted(http: Http) -> None:
    route = respx.post(f"{BASE}/esearch.fcgi").mock(
        return_value=httpx.Response(200, content=data("esearch1.xml"))
    )
    term = " OR ".join(f'"10.1000/{i:05d}"[doi]' for i in range(120))
    assert PubMed(http, BASE).search(term, retmax=240)
    assert b"term=" in route.calls.last.request.content


@respx.mock
def test_query_translation_yields_mesh_terms(http: Http) -> None:
    from citecheck.resolve.mesh import Mesh

    route = respx.get(f"{BASE}/esearch.fcgi").mock(
        return_value=httpx.Response(200, content=data("esearch2_mesh_translation.xml"))
    )
    assert Mesh(PubMed(http, BASE)).translate("cancer") == ["neoplasms"]
    params = route.calls.last.request.url.params
    assert params["db"] == "pubmed" and params["retmax"] == "0"

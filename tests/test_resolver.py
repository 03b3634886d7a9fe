"""The resolution strategy on recorded bodies (respx): what is asked, and what follows."""

from __future__ import annotations

import json

import httpx
import respx

from citecheck.model import ParsedReference
from citecheck.resolve.crossref import Crossref
from citecheck.resolve.http import Http
from citecheck.resolve.pubmed import PubMed
from citecheck.resolve.resolver import Resolver
from tests.conftest import data

CR = "https://api.crossref.org"
EU = "https://eutils.ncbi.nlm.nih.gov/entrez/eutils"


def empty_work_list() -> dict:
    envelope = json.loads(data("crossref_worklist_query_ecology.json"))
    envelope["message"]["items"] = []
    envelope["message"]["total-results"] = 0
    return envelope


def resolver(http: Http) -> Resolver:
    return Resolver(Crossref(http, CR), PubMed(http, EU))


@respx.mock
def test_doi_of_another_agency_is_not_an_error(http: Http) -> None:
    respx.get(f"{CR}/works").mock(return_value=httpx.Response(200, json=empty_work_list()))
    agency = respx.get(f"{CR}/works/10.1430/8105/agency").mock(
        return_value=httpx.Response(200, content=data("crossref_agency_medra_10.1430_8105.json"))
    )
    respx.get(url__startswith=EU).mock(
        return_value=httpx.Response(200, content=data("esearch8_phrase_not_found.xml"))
    )
    (res,) = resolver(http).resolve_all(
        [ParsedReference(raw="doi:10.1430/8105", doi="10.1430/8105")]
    )
    assert agency.called
    assert res.findings == []
    assert ("crossref", "no_match", "DOI registered with medra") in [
        (lk.service, lk.outcome, lk.detail) for lk in res.lookups
    ]


@respx.mock
def test_doi_no_agency_knows_is_doi_invalid(http: Http) -> None:
    respx.get(f"{CR}/works").mock(return_value=httpx.Response(200, json=empty_work_list()))
    respx.get(f"{CR}/works/10.9999/nothing/agency").mock(
        return_value=httpx.Response(
            404,
            headers={"content-type": "text/plain"},
            content=data("crossref_404_notarealdoi.txt"),
        )
    )
    respx.get(url__startswith=EU).mock(
        return_value=httpx.Response(200, content=data("esearch8_phrase_not_found.xml"))
    )
    (res,) = resolver(http).resolve_all(
        [
            ParsedReference(
                raw="Smith J. A title. Blood. 2001;1:2. doi:10.9999/nothing",
                doi="10.9999/nothing",
                title="A title",
                container="Blood",
                year=2001,
            )
        ]
    )
    assert [f.code for f in res.findings] == ["doi-invalid"]
    assert "nor any other registration agency" in res.findings[0].message


@respx.mock
def test_failed_agency_lookup_is_unverified_not_an_error(http: Http) -> None:
    respx.get(f"{CR}/works").mock(return_value=httpx.Response(200, json=empty_work_list()))
    respx.get(f"{CR}/works/10.9999/nothing/agency").mock(return_value=httpx.Response(503))
    respx.get(url__startswith=EU).mock(return_value=httpx.Response(503))
    (res,) = resolver(http).resolve_all(
        [ParsedReference(raw="doi:10.9999/nothing", doi="10.9999/nothing")]
    )
    assert res.findings == [] and res.failed

"""Crossref client on real recorded bodies."""

from __future__ import annotations

import json

import httpx
import respx

from citecheck.model import ParsedReference
from citecheck.resolve.crossref import Crossref, to_record
from citecheck.resolve.http import Http
from tests.conftest import data

BASE = "https://api.crossref.org"


def test_work_record_from_real_2026_response() -> None:
    item = json.loads(data("crossref_work_10.1371_journal.pone.0033693.json"))["message"]
    rec = to_record(item)
    assert rec.doi == "10.1371/journal.pone.0033693"
    assert rec.title.startswith("Methylphenidate Exposure Induces Dopamine Neuron Loss")
    assert rec.container_abbrev == ("PLoS ONE",)
    assert (rec.year, rec.volume, rec.issue, rec.pages) == (2012, "7", "3", "e33693")
    assert (rec.authors[0].family, rec.authors[0].initials) == ("Sadasivan", "S")
    assert rec.authors[1].initials == "BB"


@respx.mock
def test_works_batches_dois_in_one_filter_request(http: Http) -> None:
    item = json.loads(data("crossref_work_10.1371_journal.pone.0033693.json"))["message"]
    # Crossref answers filter=doi: with a work-list envelope (shape as in the recorded search).
    envelope = json.loads(data("crossref_worklist_query_ecology.json"))
    envelope["message"]["items"] = [item]
    route = respx.get(f"{BASE}/works").mock(return_value=httpx.Response(200, json=envelope))
    found = Crossref(http, BASE).works(["10.1371/JOURNAL.PONE.0033693", "10.9999/absent"])
    assert list(found) == ["10.1371/journal.pone.0033693"]
    assert route.call_count == 1
    params = route.calls.last.request.url.params
    assert params["filter"] == "doi:10.1371/journal.pone.0033693,doi:10.9999/absent"
    assert params["rows"] == "2"


@respx.mock
def test_search_sends_query_bibliographic_with_few_rows(http: Http) -> None:
    route = respx.get(f"{BASE}/works").mock(
        return_value=httpx.Response(200, content=data("crossref_worklist_query_ecology.json"))
    )
    ref = ParsedReference(raw="x", title="Communicating Ecology", year=2019)
    records = Crossref(http, BASE).search(ref)
    assert [r.doi for r in records] == [
        "10.1093/obo/9780199830060-0238",
        "10.1093/obo/9780199830060-0023",
    ]
    params = route.calls.last.request.url.params
    assert params["rows"] == "5"
    assert "Communicating Ecology" in params["query.bibliographic"]


def test_deposit_date_is_a_year_only_when_nothing_else_is() -> None:
    item = {
        "DOI": "10.5555/x",
        "published-print": {"date-parts": [[1995, 4]]},
        "created": {"date-parts": [[2002, 8, 25]]},
    }
    assert to_record(item).years == (1995,)
    assert to_record({"DOI": "10.5555/x", "created": {"date-parts": [[2002]]}}).years == (2002,)
    assert to_record({"DOI": "10.5555/x", "issued": {"date-parts": [[None]]}}).year is None

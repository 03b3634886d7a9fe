"""Smoke test of benchmarks/index_data.py: a few hundred synthetic records in the real dump
formats. The generator is run by hand for benchmarks; this only checks that what it writes
parses as the real formats and that queries.tsv points at records that are there."""

from __future__ import annotations

import csv
import gzip
import importlib.util
import io
import json
import re
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from lxml import etree

from citecheck.resolve import crossref, pubmed

ROOT = Path(__file__).parent.parent


@pytest.fixture(scope="module")
def gen() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "benchmarks_index_data", ROOT / "benchmarks" / "index_data.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["benchmarks_index_data"] = module
    spec.loader.exec_module(module)
    return module


def _plan(gen: ModuleType, **kw: Any) -> Any:
    # Small files, and rates raised so 200 works hold retractions, revisions and deletions.
    args: dict[str, Any] = dict(
        records=200,
        queries=60,
        crossref_per_file=40,
        pubmed_per_file=30,
        update_share=0.2,
        retracted=0.05,
        deleted=0.05,
    )
    args.update(kw)
    return gen.Plan(**args)


@pytest.fixture(scope="module")
def dump(gen: ModuleType, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dump")
    gen.generate(out, _plan(gen), jobs=1)
    return out


def _safe_parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False
    )


def _crossref_items(out: Path) -> dict[str, dict[str, Any]]:
    items: dict[str, dict[str, Any]] = {}
    for path in sorted((out / "crossref").iterdir()):
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            text = fh.read()
        if path.name.endswith(".jsonl.gz"):
            batch = [json.loads(line) for line in text.splitlines()]
        else:
            body = json.loads(text)
            assert list(body) == ["items"]
            batch = body["items"]
        for item in batch:
            assert item["DOI"].lower() not in items
            items[item["DOI"].lower()] = item
    return items


def _pubmed(out: Path) -> tuple[dict[str, etree._Element], set[str], list[str]]:
    """Records by PMID (later files win, as updates do), deleted PMIDs, file names."""
    records: dict[str, etree._Element] = {}
    deleted: set[str] = set()
    names = sorted(p.name for p in (out / "pubmed").iterdir())
    for name in names:
        with gzip.open(out / "pubmed" / name) as fh:
            tree = etree.parse(fh, _safe_parser())
        assert tree.docinfo.public_id == "-//NLM//DTD PubMedArticle, 1st January 2025//EN"
        root = tree.getroot()
        assert root.tag == "PubmedArticleSet"
        pmids = [a.findtext("MedlineCitation/PMID") for a in root.iter("PubmedArticle")]
        assert pmids == sorted(pmids, key=int)
        for art in root.iter("PubmedArticle"):
            records[art.findtext("MedlineCitation/PMID")] = art
        deleted |= {p.text for d in root.iter("DeleteCitation") for p in d.iter("PMID")}
    return records, deleted, names


def test_crossref_items_are_api_work_items_under_the_example_prefix(dump: Path) -> None:
    files = sorted(p.name for p in (dump / "crossref").iterdir())
    assert files[:2] == ["0.json.gz", "1.json.gz"]
    items = _crossref_items(dump)
    assert len(items) == 170  # 200 works less the 30 PubMed-only ones
    for doi, item in items.items():
        assert doi.startswith("10.5555/")
        assert item["indexed"]["date-time"] >= item["created"]["date-time"]
        record = crossref.to_record(item)
        assert record.doi == doi
        if item["type"] == "journal-article":
            assert item["title"] and item["container-title"] and item["ISSN"]
            assert record.year and 1930 <= record.year <= 2025
    articles = [i for i in items.values() if i["type"] == "journal-article"]
    assert len(articles) > 150
    sizes = sorted(len(json.dumps(i, ensure_ascii=False)) for i in articles)
    assert 1500 < sizes[len(sizes) // 2] < 5000  # a real item is 2-4 KB without references
    authors = [a for i in articles for a in i.get("author", [])]
    assert {a["sequence"] for a in authors} == {"first", "additional"}
    assert all(
        "given" in a and "family" in a and "affiliation" in a for a in authors if "name" not in a
    )
    assert any("abstract" in i and i["abstract"].startswith("<jats:") for i in articles)


def test_pubmed_files_parse_safely_and_share_dois_with_crossref(dump: Path) -> None:
    items = _crossref_items(dump)
    records, _, names = _pubmed(dump)
    assert names[0] == "pubmed26n0001.xml.gz" and len(names) >= 5  # 100 records / 30, + update
    assert all(int(p) >= 90_000_001 for p in records)
    shared = 0
    for pmid, art in records.items():
        assert art.find("MedlineCitation/PMID").get("Version") == "1"
        record = pubmed.to_record(art)
        assert record.pmid == pmid and record.title and record.container
        shared += bool(record.doi and record.doi.lower() in items)
    assert shared == 70  # 70 % of the 100 PubMed records are Crossref works


def test_updates_complete_ahead_of_print_records_and_delete_some(dump: Path) -> None:
    records, deleted, names = _pubmed(dump)
    baseline = {}
    for name in names[:-1]:
        with gzip.open(dump / "pubmed" / name) as fh:
            for art in etree.parse(fh, _safe_parser()).getroot().iter("PubmedArticle"):
                baseline[art.findtext("MedlineCitation/PMID")] = art
    with gzip.open(dump / "pubmed" / names[-1]) as fh:
        update = etree.parse(fh, _safe_parser()).getroot()
    revised = [a.findtext("MedlineCitation/PMID") for a in update.iter("PubmedArticle")]
    assert revised and deleted
    for pmid in revised:
        before = baseline[pmid]
        assert before.findtext("PubmedData/PublicationStatus") == "aheadofprint"
        assert before.find("MedlineCitation/Article/Journal/JournalIssue/Volume") is None
        assert records[pmid].find("MedlineCitation/Article/Journal/JournalIssue/Volume") is not None
        assert records[pmid].find("MedlineCitation").get("Status") == "MEDLINE"
    assert deleted <= set(baseline) and not deleted & set(revised)


def test_retractions_agree_across_crossref_pubmed_and_retraction_watch(
    dump: Path, gen: ModuleType
) -> None:
    items = _crossref_items(dump)
    records, _, _ = _pubmed(dump)
    raw = (dump / "retraction_watch.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert list(rows[0]) == gen.RW_HEADER
    retractions = [r for r in rows if r["RetractionNature"] == "Retraction"]
    assert retractions
    for row in retractions:
        assert re.fullmatch(r"\d{1,2}/\d{1,2}/\d{4} 0:00", row["RetractionDate"])
        assert int(row["Record ID"]) > 1_000_000
        doi, pmid = row["OriginalPaperDOI"].lower(), row["OriginalPaperPubMedID"]
        assert doi != "unavailable" or pmid != "0"
        if doi in items:
            updates = items[doi]["updated-by"]
            assert any(u["type"] == "retraction" for u in updates)
            rw = [u for u in updates if u["source"] == "retraction-watch"]
            assert all(u["record-id"] == row["Record ID"] for u in rw)
        if pmid != "0":
            types = [t.text for t in records[pmid].iter("PublicationType")]
            assert "Retracted Publication" in types
    for item in items.values():
        for target in item.get("update-to", []):
            assert target["type"] == "retraction"
            assert any(u["DOI"] == item["DOI"] for u in items[target["DOI"].lower()]["updated-by"])


def test_queries_expect_ids_that_are_in_the_dump(dump: Path) -> None:
    items = _crossref_items(dump)
    records, deleted, _ = _pubmed(dump)
    dois = set(items) | {
        d.text.lower()
        for a in records.values()
        for d in a.iter("ArticleId")
        if d.get("IdType") == "doi"
    }
    with open(dump / "queries.tsv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    assert len(rows) == 60
    assert {"vancouver", "apa"} <= {r["style"] for r in rows}
    absent = [r for r in rows if not r["expected_doi"] and not r["expected_pmid"]]
    assert len(absent) == 6 and all("not_in_dump" in r["noise"] for r in absent)
    for row in rows:
        assert row["reference"] and "\t" not in row["reference"]
        if row["expected_doi"]:
            assert row["expected_doi"].lower() in dois
        if row["expected_pmid"]:
            assert row["expected_pmid"] in records and row["expected_pmid"] not in deleted


def test_output_depends_on_the_seed_only(dump: Path, gen: ModuleType, tmp_path: Path) -> None:
    gen.generate(tmp_path, _plan(gen), jobs=1)
    for path in sorted(dump.rglob("*")):
        if path.is_file() and path.name != "manifest.json":
            assert (tmp_path / path.relative_to(dump)).read_bytes() == path.read_bytes(), path.name


def test_jsonl_form_is_one_item_per_line(gen: ModuleType, tmp_path: Path) -> None:
    gen.generate(tmp_path, _plan(gen, records=40, fmt="jsonl.gz", queries=5), jobs=1)
    assert sorted(p.name for p in (tmp_path / "crossref").iterdir()) == ["part-0.jsonl.gz"]
    items = _crossref_items(tmp_path)
    assert len(items) == 34
    authors = [a for i in items.values() for a in i.get("author", []) if "name" not in a]
    assert authors and all(
        a["role"] == [{"vocabulary": "crossref", "role": "author"}] for a in authors
    )

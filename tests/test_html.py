"""HTML report: parsed back (no browser), self-contained, escaped, every finding shown."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import lxml.html
import pytest

from citecheck.audit import Report, check
from citecheck.checks.codes import finding
from citecheck.cli import main
from citecheck.ingest import Manuscript
from citecheck.model import Author, Finding, ParsedReference, Record, ReferenceResult
from citecheck.report.html import doi_url, evidence_text, pubmed_url, to_html, vancouver
from citecheck.settings import load_settings
from tests.conftest import ROOT, SEED, use_services
from tests.fakeservice import FakeServices
from tests.test_integration import BLINA, PUI, SANDLUND
from tests.test_integrity import MANUSCRIPT, NOTICE, PALESTINIANS, PREPRINT, PUBLISHED, RETRACTED

CASSETTES = ROOT / "cassettes" / "001_ea8cd2c476dabe3b"
LINKS = ("https://doi.org/", "https://pubmed.ncbi.nlm.nih.gov/")
HOSTILE = "<script>alert(1)</script><img src=x onerror=alert(2)>"


def seed_report(tmp_path: Path) -> tuple[int, str]:
    out = tmp_path / "seed.html"
    code = main(
        [
            *("check", str(SEED), "--replay", str(CASSETTES), "--no-cache"),
            *("--format", "html", "-o", str(out)),
        ]
    )
    return code, out.read_text(encoding="utf-8")


def tiles(doc: lxml.html.HtmlElement, box: str) -> dict[str, int]:
    """The summary tiles of one box: label -> count."""
    return {
        t.findtext("span"): int(t.findtext("b") or "-1")
        for t in doc.get_element_by_id(box).find_class("tile")
    }


def assert_self_contained(text: str) -> None:
    """Nothing is loaded from anywhere: the only URLs are doi.org / PubMed anchors."""
    doc = lxml.html.fromstring(text)
    assert not doc.xpath(
        "//script | //iframe | //object | //embed | //img | //link[@rel='stylesheet']"
    )
    assert not doc.xpath("//*[@src]") and not doc.xpath("//*[@srcset]")
    for el in doc.iter():
        for name, value in el.attrib.items():
            assert not name.lower().startswith("on"), (el.tag, name)
            if name == "href":
                ok = value.startswith("#") or (el.tag == "a" and value.startswith(LINKS))
                ok = ok or (el.tag == "link" and el.get("rel") == "icon" and value == "data:,")
                assert ok, value
            elif name not in ("content", "title", "aria-label"):
                assert "://" not in value, (el.tag, name, value)
    css = " ".join(s.text_content() for s in doc.xpath("//style"))
    assert "@import" not in css and "url(" not in css and "@font-face" not in css
    policy = doc.xpath("//meta[@http-equiv='Content-Security-Policy']/@content")
    assert policy and policy[0].startswith("default-src 'none'")


def test_seed_report_shows_the_verdict_counts_and_every_reference(tmp_path: Path) -> None:
    code, text = seed_report(tmp_path)
    assert code == 1
    doc = lxml.html.fromstring(text)
    assert doc.findtext(".//h1") == (
        "Advancing oncology. Targeted therapy in the treatment of acute lymphoblastic leukemia"
    )
    meta = " ".join(doc.find_class("meta")[0].text_content().split())
    assert "001_ea8cd2c476dabe3b.txt" in meta and "text" in meta and "2024-11-01" in meta
    assert "/work" not in meta and str(ROOT) not in text  # the file name, not the path
    refs = doc.find_class("ref")
    assert [r.get("id") for r in refs] == [f"ref-{i}" for i in range(1, 11)]
    statuses = [r.get("data-status") for r in refs]
    assert Counter(statuses) == {"verified": 6, "unverified": 4}
    assert statuses[:3] == ["unverified", "unverified", "verified"]
    assert refs[0].find_class("badge")[0].text_content() == "Unverified"
    assert tiles(doc, "status-counts") == {
        "Verified": 6,
        "Problem": 0,
        "Not found": 0,
        "Unverified": 4,
        "Retracted": 0,
    }
    assert tiles(doc, "severity-counts") == {"Errors": 1, "Warnings": 13, "Info": 1}
    verdict = " ".join(doc.find_class("verdict")[0].text_content().split())
    assert verdict.startswith("Needs an editor's attention")
    assert "9 of 10 references do not appear to support this manuscript" in verdict
    assert "4 of 10 references could not be checked" in verdict
    # the overview table: one row per reference, linking to its section
    rows = doc.xpath("//table[contains(@class,'overview')]/tbody/tr")
    assert [r.xpath("string(td[1]/a/@href)") for r in rows] == [f"#ref-{i}" for i in range(1, 11)]
    # the manuscript-level finding and the note
    document = doc.get_element_by_id("document")
    assert [li.get("data-code") for li in document.find_class("finding")] == [
        "reference-list-off-topic"
    ]
    assert "judged on the offline lexicon" in document.text_content()
    # record links for the verified references; Jaffe's record side by side with the citation
    jaffe = doc.get_element_by_id("ref-8")
    hrefs = jaffe.xpath(".//a/@href")
    assert "https://doi.org/10.1182/blood-2008-07-077982" in hrefs
    assert "https://pubmed.ncbi.nlm.nih.gov/19029456/" in hrefs
    fields = {
        r.xpath("string(th)").strip(): [td.text_content() for td in r.findall("td")]
        for r in jaffe.xpath(".//table[contains(@class,'fields')]/tbody/tr")
    }
    assert fields["Year"] == ["2008", "2008"] and fields["DOI"][1] == "10.1182/blood-2008-07-077982"
    assert not jaffe.find_class("mismatch")  # nothing disagrees
    assert not doc.find_class("suggested")  # no metadata findings in the seed
    # a DOI with angle brackets (reference 6) is percent-encoded in its link
    assert (
        "https://doi.org/10.1002/1097-0142(19950415)75:8%3C2186::aid-cncr2820750825%3E3.0.co;2-f"
        in (doc.get_element_by_id("ref-6").xpath(".//a/@href"))
    )


def test_seed_report_charts(tmp_path: Path) -> None:
    _, text = seed_report(tmp_path)
    doc = lxml.html.fromstring(text)
    relevance, problems = doc.xpath("//svg[contains(@class,'chart')]")
    bars = relevance.xpath(".//rect[contains(@class,'bar')]")
    assert len(bars) == 10
    assert Counter(b.get("class") for b in bars) == {"bar off-topic": 9, "bar weak": 1}
    assert relevance.xpath(".//a/@href") == [f"#ref-{i}" for i in range(1, 11)]
    (line,) = relevance.xpath(".//line[@class='threshold']")
    assert float(line.get("y1")) == pytest.approx(10 + 130 * (1 - 0.35), abs=0.1)
    heights = [float(b.get("height")) for b in bars]
    assert heights[0] > heights[1]  # 0.358 vs 0.094
    names = [t.text for t in problems.xpath(".//text[@class='name']")]
    values = [t.text for t in problems.xpath(".//text[@class='value']")]
    assert dict(zip(names, values, strict=True)) == {
        "CC140 off-topic": "10",
        "CC120 unverified": "4",
        "CC141 reference-list-off-topic": "1",
    }


def test_seed_report_is_self_contained_and_deterministic(tmp_path: Path) -> None:
    _, first = seed_report(tmp_path)
    assert_self_contained(first)
    assert first.startswith("<!DOCTYPE html>")
    _, second = seed_report(tmp_path)
    assert first == second  # no clock, no timings


def hostile_report() -> Report:
    doi = '10.1234/x"><script>alert(3)</script>'
    record = Record(
        source="crossref",
        doi=doi,
        pmid="1 onmouseover=alert(5)",
        title=f"Record {HOSTILE}",
        container=f'J "{HOSTILE}',
        year=2001,
        authors=(Author(f"<b>{HOSTILE}</b>", "A"),),
        url="javascript:alert(6)",
    )
    ref = ParsedReference(
        raw=f"A B. {HOSTILE} title. J. 2001;1:1. doi:{doi}",
        authors=(Author("B", "A"),),
        title=f"{HOSTILE} title",
        container="J",
        year=2001,
        doi=doi,
        url="javascript:alert(7)",
        line=9,
    )
    findings = [
        finding(
            "field-mismatch",
            f"Title: cited {HOSTILE}",
            field="title",
            cited=f"{HOSTILE} title",
            record={"title": HOSTILE, "authors": [HOSTILE]},
            source=HOSTILE,
            line=9,
        ),
        Finding(
            code="doi-mismatch",
            severity="error",
            message=HOSTILE,
            field="doi",
            suggestion=f"DOI {HOSTILE}",
        ),
    ]
    result = ReferenceResult(
        1, ref, status="problem", record=record, findings=findings, match_score=3.0
    )
    manuscript = Manuscript(
        path=f"/tmp/{HOSTILE}.txt", text="", encoding="utf-8", title=f'"{HOSTILE}'
    )
    return Report(
        manuscript=manuscript,
        references=[result],
        findings=[finding("missing-reference", HOSTILE, cited=HOSTILE)],
        notes=[HOSTILE],
        topics=(HOSTILE,),
        submitted=HOSTILE,
    )


def test_markup_in_titles_and_messages_is_text_not_markup() -> None:
    text = to_html(hostile_report())
    doc = lxml.html.fromstring(text)
    assert not doc.xpath("//script | //img | //b[contains(., 'alert')]")
    assert_self_contained(text)
    assert "<script>alert" not in text and "<img src=x" not in text
    assert doc.findtext(".//h1") == f'"{HOSTILE}'
    assert doc.findtext(".//title") == f'citecheck: "{HOSTILE}'
    body = doc.text_content()
    assert body.count(HOSTILE) >= 10  # shown, as text, wherever it was given
    ref = doc.get_element_by_id("ref-1")
    # the DOI link is built from the validated DOI and percent-encoded; the bad PMID and
    # the javascript: URLs are never linked
    assert ref.xpath(".//a/@href") == [
        "https://doi.org/10.1234/x%22%3E%3Cscript%3Ealert(3)%3C/script%3E"
    ]
    assert "javascript:" not in text  # URLs from the entry or the record are never shown
    suggested = ref.find_class("suggested")[0].text_content()
    assert f"Record {HOSTILE}." in suggested and 'doi:10.1234/x"><script>' in suggested
    mismatched = [r.xpath("string(th)").split()[0] for r in ref.find_class("mismatch")]
    assert mismatched == ["Title", "DOI"]


def test_links_only_for_valid_identifiers() -> None:
    assert doi_url("10.1000/a b") is None and doi_url("javascript:alert(1)") is None
    assert doi_url("10.1000/x#y?z=1&w") == "https://doi.org/10.1000/x%23y%3Fz%3D1%26w"
    assert doi_url(None) is None and doi_url("10.12/short-registrant") is None
    assert pubmed_url("19029456") == "https://pubmed.ncbi.nlm.nih.gov/19029456/"
    assert pubmed_url("1/../../x") is None and pubmed_url("0") is None


def test_evidence_and_vancouver(jaffe_record: Record) -> None:
    assert evidence_text({"doi": "10.1/x", "pmid": None, "authors": ["A B", "C D"]}) == (
        "doi: 10.1/x; authors: A B, C D"
    )
    assert evidence_text([2008, 2009]) == "2008, 2009" and evidence_text(True) == "yes"
    result = ReferenceResult(1, ParsedReference(raw="x"), record=jaffe_record)
    assert vancouver(result) == (
        "Jaffe ES, Harris NL, Stein H, Isaacson PG. Classification of lymphoid neoplasms: "
        "the microscope as a tool for disease discovery. Blood. 2008;112(12):4384-99. "
        "doi:10.1182/blood-2008-07-077982. PMID: 19029456."
    )
    many = Record(
        source="crossref",
        title="T.",
        authors=tuple(Author(f"N{i}", "A") for i in range(8)),
        volume="3",
        pages="1-2",
    )
    assert vancouver(ReferenceResult(1, ParsedReference(raw="x"), record=many)) == (
        "N0 A, N1 A, N2 A, N3 A, N4 A, N5 A, et al. T. 3:1-2."
    )


def test_a_clean_report_says_so() -> None:
    ref = ReferenceResult(1, ParsedReference(raw="A. T. J. 2001.", title="T"), status="verified")
    report = Report(manuscript=Manuscript(path="p.md", text="", encoding="utf-8"), references=[ref])
    doc = lxml.html.fromstring(to_html(report))
    verdict = " ".join(doc.find_class("verdict")[0].text_content().split())
    assert verdict == "No problems found 1 of 1 reference matches a published record."
    assert "Relevance was not checked." in doc.text_content()
    assert "No findings." in doc.text_content()
    assert doc.findtext(".//h1") == "p.md"  # no title: the file name


@pytest.fixture
def integrity_report(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Report]:
    """tests/test_integrity.py's manuscript (one of each problem) against the fake services."""
    works = [PALESTINIANS, RETRACTED, NOTICE, PREPRINT, PUBLISHED, PUI, SANDLUND, BLINA]
    path = tmp_path / "paper.md"
    path.write_text(MANUSCRIPT, encoding="utf-8")
    with FakeServices(works) as services:
        use_services(monkeypatch, services, timeout=2, retries=1)
        yield check(path, load_settings().replace(use_cache=False, relevance=False))


def test_many_findings_all_rendered(integrity_report: Report) -> None:
    report = integrity_report
    doc = lxml.html.fromstring(to_html(report))
    assert_self_contained(lxml.html.tostring(doc, encoding="unicode"))
    shown = Counter(li.get("data-code") for li in doc.find_class("finding"))
    expected = Counter(f.code for f in report.all_findings())
    assert shown == expected
    assert {"doi-mismatch", "doi-invalid", "retracted", "duplicate", "missing-reference"} <= set(
        shown
    )
    body = " ".join(doc.text_content().split())
    for f in report.all_findings():
        assert " ".join(f.message.split()) in body
        if f.suggestion:
            assert f"Suggestion: {f.suggestion}" in body
    # the problems chart has one bar per code, the counts add up
    problems = doc.xpath("//svg[contains(@class,'chart')]")[-1]
    values = [int(t.text) for t in problems.xpath(".//text[@class='value']")]
    assert len(values) == len(expected) and sum(values) == sum(expected.values())
    assert tiles(doc, "status-counts")["Retracted"] == report.counts()["retracted"] == 3
    # reference 2 cites the retraction notice's DOI: the row is flagged, the record's DOI is
    # linked and the record is offered as the suggested reference
    ref2 = doc.get_element_by_id("ref-2")
    assert [r.xpath("string(th)").split()[0] for r in ref2.find_class("mismatch")] == ["DOI"]
    assert "https://doi.org/10.5555/mrd.2018.010" in ref2.xpath(".//a/@href")
    suggested = " ".join(ref2.find_class("suggested")[0].text_content().split())
    assert "Fabian M, Quint L. Minimal residual disease kinetics" in suggested
    assert "doi:10.5555/mrd.2018.010." in suggested
    assert "https://pubmed.ncbi.nlm.nih.gov/11543891/" in doc.get_element_by_id("ref-1").xpath(
        ".//a/@href"
    )
    verdict = " ".join(doc.find_class("verdict")[0].text_content().split())
    assert "3 cited works were retracted." in verdict
    assert "1 in-text citation points to no entry of the reference list." in verdict
    # every finding carries its stable fingerprint
    assert all(
        re.fullmatch(r"[0-9a-f]{32}", li.get("data-fingerprint"))
        for li in doc.find_class("finding")
    )


def test_the_chart_draws_the_threshold_the_check_used(tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    main(
        [
            *("check", str(SEED), "--replay", str(CASSETTES), "--no-cache"),
            *("--relevance-threshold", "0.2", "--format", "html", "-o", str(out)),
        ]
    )
    text = out.read_text(encoding="utf-8")
    assert "threshold 0.20" in text and "threshold 0.35" not in text

"""Integrity checks end to end: the CLI against the local fake services on 127.0.0.1.

One manuscript holds one instance of each problem; each must give exactly its finding.
Works with the 10.5555 prefix and PMIDs from 90000001 are test-only; the retracted article
is the real PubMed record 11543891 (title, authors, journal, pages, publication types and
its RetractionIn entry as in the 2019 baseline copy in tests/data/).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from citecheck.cli import main
from tests.conftest import use_services
from tests.fakeservice import FakeServices, Work
from tests.test_integration import BLINA, PUI, SANDLUND

PALESTINIANS = Work(
    pmid="11543891",
    in_crossref=False,
    title="The origin of Palestinians and their genetic relatedness with other Mediterranean "
    "populations.",
    authors=[("Arnaiz-Villena", "A"), ("Elaiwa", "N"), ("Silvera", "C"), ("Rostom", "A")],
    journal="Human immunology",
    journal_abbrev="Hum Immunol",
    year=2001,
    volume="62",
    issue="9",
    pages="889-900",
    publication_types=("Comparative Study", "Journal Article", "Retracted Publication"),
    comments_corrections=[("RetractionIn", "11600210", "Hum Immunol. 2001 Oct;62(10):1063")],
)


def _update(doi: str, source: str, **extra: str) -> dict[str, object]:
    return {
        "DOI": doi,
        "type": "retraction",
        "label": "Retraction",
        "source": source,
        "updated": {
            "date-parts": [[2020, 6, 1]],
            "date-time": "2020-06-01T00:00:00Z",
            "timestamp": 1590969600000,
        },
        **extra,
    }


RETRACTED = Work(
    doi="10.5555/mrd.2018.010",
    pmid="90000010",
    title="Minimal residual disease kinetics in childhood acute lymphoblastic leukemia",
    authors=[("Fabian", "Maria"), ("Quint", "Lars")],
    journal="Leukemia Research Letters",
    year=2018,
    volume="12",
    pages="101-109",
    # Both channels, as Crossref serves them since 2025 (record-id: a test-only number).
    updated_by=[
        _update("10.5555/mrd.2020.011", "retraction-watch", **{"record-id": "900001"}),
        _update("10.5555/mrd.2020.011", "publisher"),
    ],
)
NOTICE = Work(
    doi="10.5555/mrd.2020.011",
    title="Retraction: Minimal residual disease kinetics in childhood acute lymphoblastic leukemia",
    authors=[("Editors", "")],
    journal="Leukemia Research Letters",
    year=2020,
    volume="14",
    pages="1",
    update_to=[_update("10.5555/mrd.2018.010", "publisher")],
)
PREPRINT = Work(
    doi="10.5555/prep.2020.020",
    title="Blinatumomab responses in relapsed pediatric leukemia",
    authors=[("Okafor", "Ada")],
    journal="",
    year=2020,
    work_type="posted-content",
    in_pubmed=False,
    relation={
        "is-preprint-of": [
            {"id-type": "doi", "id": "10.5555/pub.2021.021", "asserted-by": "subject"}
        ]
    },
)
PUBLISHED = Work(
    doi="10.5555/pub.2021.021",
    title="Blinatumomab responses in relapsed pediatric leukemia",
    authors=[("Okafor", "Ada")],
    journal="Pediatric Leukemia Journal",
    year=2021,
    volume="7",
    pages="55-61",
)

MANUSCRIPT = """# Residual disease in childhood leukemia

Received: 12 March 2019

Population genetics were studied [1]. MRD kinetics predict relapse [2]. Blinatumomab
helps in relapse [3]. Therapy has changed [4]. Lymphoma in children differs [5, 6].
Those populations were studied again [7]. Outcomes keep improving [9].

## References

1. Arnaiz-Villena A, Elaiwa N, Silvera C, Rostom A. The origin of Palestinians and their genetic relatedness with other Mediterranean populations. Hum Immunol. 2001;62(9):889-900.
2. Fabian M, Quint L. Minimal residual disease kinetics in childhood acute lymphoblastic leukemia. Leuk Res Lett. 2018;12:101-9. doi:10.5555/mrd.2020.011
3. Okafor A. Blinatumomab responses in relapsed pediatric leukemia. bioRxiv. 2020. doi:10.5555/prep.2020.020
4. Pui CH, Evans WE. Treatment of acute lymphoblastic leukemia. N Engl J Med. 2006;354(2):166-78. doi: 10.5555.all.2006.001
5. Downing JR, Crist WM. Non-Hodgkin's lymphoma in childhood. N Engl J Med. 1996;334:1238-48. doi:10.5555/nhl.1996.999
6. Kantarjian H, Stein A. Blinatumomab versus chemotherapy for advanced acute lymphoblastic leukemia. N Engl J Med. 2017;376(9):836-47.
7. Arnaiz-Villena, A., et al. (2001) The origin of Palestinians and their genetic relatedness with other Mediterranean populations. Human Immunology 62, 889-900.
8. Kantarjian H, Stein A. Blinatumomab versus chemotherapy for advanced acute lymphoblastic leukemia. N Engl J Med. 2017;376:836.
"""


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeServices]:
    works = [PALESTINIANS, RETRACTED, NOTICE, PREPRINT, PUBLISHED, PUI, SANDLUND, BLINA]
    with FakeServices(works) as services:
        use_services(monkeypatch, services, timeout=2, retries=1)
        yield services


def audit(path: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, dict]:
    code = main(["check", str(path), "--format", "json", "--no-cache", "--no-relevance", *extra])
    out, _ = capsys.readouterr()
    return code, json.loads(out)


INTEGRITY = {
    "doi-mismatch",
    "doi-invalid",
    "preprint-published",
    "retracted",
    "withdrawn",
    "expression-of-concern",
    "corrected",
    "missing-reference",
    "uncited",
    "citation-order",
    "duplicate",
}


def test_each_problem_gives_its_finding(
    fake: FakeServices, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "paper.md"
    path.write_text(MANUSCRIPT, encoding="utf-8")
    code, report = audit(path, capsys)
    assert code == 1
    assert report["manuscript"]["submitted"] == "2019-03-12"
    refs = report["references"]
    found = {
        r["index"]: sorted(f["code"] for f in r["findings"] if f["code"] in INTEGRITY) for r in refs
    }
    assert found == {
        1: ["retracted"],
        2: ["doi-mismatch", "retracted"],
        3: ["preprint-published"],
        4: ["doi-invalid"],
        5: ["doi-invalid"],
        6: [],
        7: ["duplicate", "retracted"],
        8: ["duplicate", "uncited"],
    }
    assert [f["code"] for f in report["findings"]] == ["missing-reference"]

    def one(index: int, code: str) -> dict:
        (f,) = [f for f in refs[index - 1]["findings"] if f["code"] == code]
        return f

    retracted = one(1, "retracted")
    assert retracted["severity"] == "error" and retracted["source"] == "pubmed"
    assert "PMID 11600210" in retracted["message"] and "2001-10" in retracted["message"]
    assert "after this manuscript" not in retracted["message"]  # 2001 < 2019

    both = one(2, "retracted")
    assert "Retraction Watch (via Crossref) record 900001" in both["message"]
    assert "the publisher (Crossref)" in both["message"]
    assert "after this manuscript was received (2019-03-12)" in both["message"]
    assert {n["after_submission"] for n in both["record"]} == {True}
    mismatch = one(2, "doi-mismatch")
    assert "a retraction notice, not the article" in mismatch["message"]
    assert mismatch["suggestion"] == "DOI 10.5555/mrd.2018.010"
    assert refs[1]["record"]["doi"] == "10.5555/mrd.2018.010"

    preprint = one(3, "preprint-published")
    assert "Pediatric Leukemia Journal, 2021, doi:10.5555/pub.2021.021" in preprint["message"]
    assert preprint["suggestion"] == "DOI 10.5555/pub.2021.021"

    malformed = one(4, "doi-invalid")
    assert "malformed" in malformed["message"]
    assert malformed["suggestion"] == "DOI 10.5555/all.2006.001"
    dead = one(5, "doi-invalid")
    assert "no" in dead["message"] and dead["suggestion"] == "DOI 10.5555/nhl.1996.002"

    dup = one(7, "duplicate")
    assert dup["line"] == refs[6]["line"] and "entry 1" in dup["message"]
    assert "same PMID 11543891" in dup["message"]
    assert "same DOI 10.5555/blina.2017.003" in one(8, "duplicate")["message"]

    (missing,) = report["findings"]
    assert missing["cited"] == "[9]" and missing["line"] == 7
    assert missing["severity"] == "error"
    assert one(8, "uncited")["line"] == refs[7]["line"]


def test_ignore_and_fail_on_apply_to_integrity_findings(
    fake: FakeServices, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "paper.md"
    path.write_text(MANUSCRIPT, encoding="utf-8")
    _, report = audit(path, capsys, "--ignore", "retracted", "--ignore", "missing-reference")
    codes = {f["code"] for r in report["references"] for f in r["findings"]}
    codes |= {f["code"] for f in report["findings"]}
    assert "retracted" not in codes and "missing-reference" not in codes
    assert "duplicate" in codes


def test_submitted_flag_overrides_the_received_line(
    fake: FakeServices, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "paper.md"
    path.write_text(MANUSCRIPT, encoding="utf-8")
    _, report = audit(path, capsys, "--submitted", "2021-01-01")
    assert report["manuscript"]["submitted"] == "2021-01-01"
    retracted = [f for f in report["references"][1]["findings"] if f["code"] == "retracted"]
    assert "after this manuscript" not in retracted[0]["message"]
    assert main(["check", str(path), "--submitted", "soon"]) == 2


def seed_variant() -> str:
    """The seed article with one wrong marker, one duplicate entry and one uncited entry."""
    text = (Path(__file__).parent.parent / "examples" / "001_ea8cd2c476dabe3b.txt").read_text(
        encoding="utf-8"
    )
    edits = [
        ("cases [3, 4].", "cases [3]."),  # entry 4 is now cited nowhere
        ("its impact [9, 10].", "its impact [9-12]."),  # the list ends at 11, which repeats 8
        (
            "Blood. 2008;112(4):1374-81.\n",
            "Blood. 2008;112(4):1374-81.\n\n11. Jaffe ES, Harris NL, Stein H, Campo E, Pileri "
            "SA, Swerdlow SH. Classification of lymphoid neoplasms: the microscope as a tool "
            "for disease discovery. Blood 2008; 112: 4384–4399.\n",
        ),
    ]
    for old, new in edits:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


def test_seed_variant_gives_exactly_the_in_text_findings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Offline (nothing recorded): in-text and duplicate checks need no service."""
    path = tmp_path / "variant.txt"
    path.write_text(seed_variant(), encoding="utf-8")
    empty = tmp_path / "no-evidence"
    empty.mkdir()
    code, report = audit(path, capsys, "--replay", str(empty))
    assert code == 1  # missing-reference is an error
    refs = report["references"]
    assert len(refs) == 11
    found = [(r["index"], f["code"]) for r in refs for f in r["findings"] if f["code"] in INTEGRITY]
    assert found == [(4, "uncited"), (11, "duplicate")]
    (missing,) = [f for f in report["findings"] if f["code"] in INTEGRITY]
    assert (missing["code"], missing["cited"], missing["line"]) == ("missing-reference", "[12]", 81)
    dup = next(f for f in refs[10]["findings"] if f["code"] == "duplicate")
    assert "entry 8" in dup["message"] and "volume and first page" in dup["message"]


def test_seed_has_no_in_text_findings(capsys: pytest.CaptureFixture[str]) -> None:
    seed = Path(__file__).parent.parent / "examples" / "001_ea8cd2c476dabe3b.txt"
    cassettes = Path(__file__).parent.parent / "cassettes" / "001_ea8cd2c476dabe3b"
    _, report = audit(seed, capsys, "--replay", str(cassettes))
    codes = [f["code"] for r in report["references"] for f in r["findings"]]
    codes += [f["code"] for f in report["findings"]]
    assert not INTEGRITY & set(codes)
    assert report["manuscript"]["submitted"] == "2024-11-01"


PALESTINIANS_NOTICE = Work(
    pmid="11600210",
    in_crossref=False,
    title="Editorial. Anthropology and genetic markers.",
    authors=[("Suciu-Foca", "N"), ("Lewis", "R")],
    journal="Human immunology",
    journal_abbrev="Hum Immunol",
    year=2001,
    volume="62",
    issue="10",
    pages="1063",
    publication_types=("Retraction of Publication",),
    comments_corrections=[("RetractionOf", "11543891", "Hum Immunol. 2001 Sep;62(9):889-900")],
)


def test_a_pmid_of_the_notice_cited_for_the_article(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    text = (
        "# Population genetics\n\nStudied before [1].\n\n## References\n\n"
        "1. Arnaiz-Villena A, Elaiwa N, Silvera C, Rostom A. The origin of Palestinians and "
        "their genetic relatedness with other Mediterranean populations. Hum Immunol. "
        "2001;62(9):889-900. PMID: 11600210\n"
    )
    path = tmp_path / "paper.md"
    path.write_text(text, encoding="utf-8")
    with FakeServices([PALESTINIANS, PALESTINIANS_NOTICE]) as services:
        use_services(monkeypatch, services, timeout=2, retries=1)
        _, report = audit(path, capsys)
    (ref,) = report["references"]
    codes = [f["code"] for f in ref["findings"]]
    assert codes == ["pmid-mismatch", "retracted"]
    mismatch, retracted = ref["findings"]
    assert "a retraction notice, not the article" in mismatch["message"]
    assert mismatch["suggestion"] == "PMID 11543891"
    assert ref["record"]["pmid"] == "11543891"
    assert "PMID 11600210" in retracted["message"]

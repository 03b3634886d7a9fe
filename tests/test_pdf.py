"""The PDF reader: the seed article as one- and two-column PDFs (bracket and superscript
markers), a PLoS article rendered from its JATS, and every kind of bad PDF.

The PDFs are made by tests/data/make_pdfs.py (see tests/data/README.md).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from unittest.mock import patch

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from citecheck.cli import main
from citecheck.errors import InputError
from citecheck.ingest import read_manuscript
from citecheck.ingest.manuscript import Manuscript
from citecheck.ingest.pdf import read_pdf
from citecheck.model import ParsedReference
from citecheck.references import read_references
from citecheck.references.citations import read_citations
from tests.conftest import DATA, ROOT, SEED

CASSETTES = ROOT / "cassettes" / "001_ea8cd2c476dabe3b"
ONE_COLUMN = DATA / "pdf_seed_onecolumn.pdf"
TWO_COLUMN = DATA / "pdf_seed_twocolumn.pdf"
JATS_PDF = DATA / "pdf_jats_pntd.0002065.pdf"
JATS_GOLD = DATA / "pdf_jats_pntd.0002065.gold.json"
FIELDS = ("authors", "title", "container", "year", "volume", "pages")
SEED_MARKERS = [(1, 2), (3, 4), (5, 6), (7, 8), (9, 10)]


@cache
def read(path: Path) -> Manuscript:
    return read_pdf(path, path.read_bytes())


def fields(ref: ParsedReference) -> dict[str, object]:
    return {name: getattr(ref, name) for name in FIELDS}


# ---------------------------------------------------------------- the seed article


@pytest.mark.parametrize("pdf", [ONE_COLUMN, TWO_COLUMN], ids=["one-column", "two-column"])
def test_seed_pdf_gives_the_text_versions_references(pdf: Path) -> None:
    want = read_references(SEED.read_text())
    manuscript = read(pdf)
    got = read_references(manuscript.text)
    assert [r.number for r in got] == list(range(1, 11))
    assert [fields(r) for r in got] == [fields(r) for r in want]
    assert manuscript.format == "pdf" and manuscript.encoding == "pdf"
    assert manuscript.title == (
        "Advancing oncology: Targeted therapy in the treatment of acute lymphoblastic leukemia"
    )
    assert manuscript.skipped == ()


@pytest.mark.parametrize("pdf", [ONE_COLUMN, TWO_COLUMN], ids=["one-column", "two-column"])
def test_seed_pdf_markers_are_the_seeds_five(pdf: Path) -> None:
    manuscript = read(pdf)
    markers = read_citations(manuscript.text, read_references(manuscript.text)).markers
    assert [m.targets for m in markers] == SEED_MARKERS
    assert all(m.unresolved == () for m in markers)


def test_superscript_citations_become_bracket_markers() -> None:
    text = read(TWO_COLUMN).text
    assert "therapy in managing ALL [1,2]." in text  # printed "ALL¹˒²."
    assert "relapsed cases [3,4]." in text
    assert "ALL12" not in text and "cases34" not in text


def test_pages_give_each_line_its_page() -> None:
    manuscript = read(ONE_COLUMN)
    assert len(manuscript.pages) == len(manuscript.text.split("\n"))
    refs = read_references(manuscript.text)
    # references 1 and 2 start on page 2, the rest on page 3 (entry 2 runs over the break)
    assert [manuscript.page(r.line) for r in refs] == [2, 2] + [3] * 8
    markers = read_citations(manuscript.text, refs).markers
    assert [manuscript.page(m.line) for m in markers] == [1, 1, 2, 2, 2]
    lines = manuscript.text.split("\n")
    assert manuscript.page(lines.index("References") + 1) == 2


def test_running_headers_and_footers_are_removed() -> None:
    for pdf in (ONE_COLUMN, TWO_COLUMN):
        text = read(pdf).text
        assert "J Mol Oncol Res 2024 Volume 8 Issue 6" not in text
        assert "Citation: Join A." not in text and "Page 2" not in text
        assert "Received: 01-Nov-2024" in text  # the page-1 footnote is no running footer


def test_two_columns_read_left_then_right() -> None:
    lines = read(TWO_COLUMN).text.split("\n")
    # the left column of page 1 ends mid-paragraph; the right column continues it
    left_end = lines.index("(ADCs): ADCs combine the specificity of antibodies")
    assert lines[left_end + 1] == "with the potency of chemotherapy drugs, delivering"
    assert lines.index("Introduction") < left_end < lines.index("Conclusion")


def test_hyphenation_undone_only_before_lower_case() -> None:
    text = read(TWO_COLUMN).text
    assert "growth. Unlike chemotherapy, which indiscriminately" in text  # "indiscrimi-|nately"
    assert "\nattacks rapidly dividing cells, targeted" in text
    assert "Philadelphia\nchromosome-positive ALL" in text  # a real hyphen stays
    jats = read(JATS_PDF).text
    assert "seroprevalence" in jats and "seropre-" not in jats


def test_page_breaks_are_blank_lines() -> None:
    manuscript = read(ONE_COLUMN)
    lines = manuscript.text.split("\n")
    for i in range(1, len(lines)):
        if manuscript.pages[i] != manuscript.pages[i - 1]:
            assert lines[i - 1] == "", lines[i - 1]


def _codes(path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, dict]:
    code = main(["check", str(path), "--replay", str(CASSETTES), "--format", "json", "--no-cache"])
    out, _ = capsys.readouterr()
    return code, json.loads(out)


@pytest.mark.parametrize("pdf", [ONE_COLUMN, TWO_COLUMN], ids=["one-column", "two-column"])
def test_seed_pdf_gives_the_text_versions_findings(
    pdf: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    want_code, want = _codes(SEED, capsys)
    got_code, got = _codes(pdf, capsys)
    assert got_code == want_code

    def per_reference(report: dict) -> list[tuple[str, list[str]]]:
        return [
            (r["status"], sorted(f["code"] for f in r["findings"])) for r in report["references"]
        ]

    assert per_reference(got) == per_reference(want)
    assert sorted(f["code"] for f in got["findings"]) == sorted(f["code"] for f in want["findings"])
    assert got["manuscript"]["format"] == "pdf"
    assert got["manuscript"]["submitted"] == want["manuscript"]["submitted"] == "2024-11-01"


def test_owner_password_only_pdf_is_read() -> None:
    """Copy restrictions without a user password: every viewer opens it, so do we."""
    manuscript = read(DATA / "pdf_owner_password_only.pdf")
    assert len(read_references(manuscript.text)) == 10


# ---------------------------------------------------------------- the JATS article


def test_jats_pdf_references_match_the_rendered_list_and_the_gold() -> None:
    gold = json.loads(JATS_GOLD.read_text())
    manuscript = read(JATS_PDF)
    got = read_references(manuscript.text)
    as_text = "References\n\n" + "\n\n".join(f"{g['number']}. {g['raw']}" for g in gold)
    want = read_references(as_text)
    assert [r.number for r in got] == list(range(1, 33))
    assert [fields(r) for r in got] == [fields(r) for r in want]
    # against the JATS fields of its journal articles: what the parser gets right from the text
    hits = total = 0
    for entry, ref in zip(gold, got, strict=True):
        if entry["type"] != "journal":
            continue
        expected = {
            "authors": [list(a) for a in entry["authors"]] or None,
            "title": entry["title"],
            "container": entry["container"],
            "year": entry["year"],
            "volume": entry["volume"],
            "pages": entry["pages"],
        }
        actual = {
            **fields(ref),
            "authors": [[a.family, a.initials] for a in ref.authors] or None,
        }
        for name, value in expected.items():
            if value is not None:
                total += 1
                hits += actual[name] == value
    assert hits / total >= 0.9, (hits, total)


def test_jats_pdf_superscripts_and_front_matter() -> None:
    manuscript = read(JATS_PDF)
    text = manuscript.text
    assert manuscript.title == (
        "Serological Evidence of Rift Valley Fever Virus Circulation in Sheep and Goats in "
        "Zambézia Province, Mozambique"
    )
    assert "genus Phlebovirus [1]." in text
    assert "both in animals and\nhumans [4-7]." in text
    # affiliation numbers in the author list are no citations
    assert "José Fafetine1,*, Luis Neves1,2" in text
    refs = read_references(text)
    markers = read_citations(text, refs).markers
    cited = {t for m in markers for t in m.targets}
    assert cited == set(range(1, 33)) - {30}  # 30 is cited only in a table, not rendered
    assert all(manuscript.page(m.line) in range(1, 6) for m in markers)
    assert manuscript.page(refs[0].line) == 5 and manuscript.page(refs[-1].line) == 6


# ---------------------------------------------------------------- bad files


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("pdf_scanned.pdf", "no text layer (a scanned PDF?): run OCR first"),
        ("pdf_encrypted.pdf", "the PDF is password-protected"),
        ("pdf_truncated.pdf", "damaged PDF (truncated"),
    ],
)
def test_bad_pdfs_exit_2_with_one_line(
    name: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["check", str(DATA / name), "--replay", str(CASSETTES), "--no-cache"])
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    assert f"{DATA / name}: {message}" in err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_pdf_detected_whatever_the_extension(tmp_path: Path) -> None:
    renamed = tmp_path / "manuscript.txt"
    renamed.write_bytes(ONE_COLUMN.read_bytes())
    manuscript = read_manuscript(renamed)
    assert manuscript.format == "pdf" and len(read_references(manuscript.text)) == 10


def test_page_limit_reads_the_first_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    import citecheck.ingest.pdf as pdf_reader

    monkeypatch.setattr(pdf_reader, "MAX_PAGES", 1)
    manuscript = read_pdf(ONE_COLUMN, ONE_COLUMN.read_bytes())
    assert set(manuscript.pages) == {1}
    assert manuscript.skipped == ("only the first 1 of 3 PDF pages were read",)


def test_oversized_page_content_is_skipped(monkeypatch: pytest.MonkeyPatch) -> None:
    import citecheck.ingest.pdf as pdf_reader

    # pages 1 and 2 hold 15-17 kB of drawing operators, page 3 some 9 kB
    monkeypatch.setattr(pdf_reader, "MAX_PAGE_CONTENT", 12_000)
    manuscript = read_pdf(ONE_COLUMN, ONE_COLUMN.read_bytes())
    assert set(manuscript.pages) == {3}
    assert manuscript.skipped == (
        "pages 1, 2 of the PDF not read: content larger than 0.012 MB or 60000 characters",
    )
    monkeypatch.setattr(pdf_reader, "MAX_PAGE_CONTENT", 1_000)
    with pytest.raises(InputError, match=r"pages 1, 2, 3 of the PDF not read: content larger"):
        read_pdf(ONE_COLUMN, ONE_COLUMN.read_bytes())


@cache
def _valid() -> bytes:
    return TWO_COLUMN.read_bytes()


def _read_or_input_error(data: bytes) -> None:
    # one page is enough to reach the page parser; it keeps a hundred examples to seconds
    with patch("citecheck.ingest.pdf.MAX_PAGES", 1):
        try:
            read_pdf(Path("fuzz.pdf"), data)
        except InputError as exc:
            assert "\n" not in str(exc) and str(exc).startswith("fuzz.pdf: ")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=4096))
def test_random_bytes_only_raise_input_error(data: bytes) -> None:
    _read_or_input_error(b"%PDF-1.4\n" + data)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.floats(min_value=0.0, max_value=1.0))
def test_truncations_only_raise_input_error(fraction: float) -> None:
    data = _valid()
    _read_or_input_error(data[: int(len(data) * fraction)])


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.floats(0.0, 1.0), st.integers(0, 7)), min_size=1, max_size=12))
def test_bit_flips_only_raise_input_error(flips: list[tuple[float, int]]) -> None:
    data = bytearray(_valid())
    for where, bit in flips:
        data[min(len(data) - 1, int(len(data) * where))] ^= 1 << bit
    _read_or_input_error(bytes(data))

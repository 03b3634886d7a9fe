"""`citecheck extract`: the parsed reference list in four formats, and never a lookup."""

from __future__ import annotations

import csv
import io
import json
import socket
from pathlib import Path

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from citecheck.audit import parse
from citecheck.cli import main
from citecheck.ingest import read_manuscript
from citecheck.ingest.bibtex import parse_bib
from citecheck.ingest.manuscript import Manuscript
from citecheck.ingest.ris import read_ris
from citecheck.model import Author, ParsedReference
from citecheck.references.export import keys, to_bibtex, to_csv, to_ris
from tests.conftest import DATA, SEED

SAME = ("authors", "title", "year", "volume", "pages", "doi")
NOWHERE = Manuscript(path="refs", text="", encoding="utf-8")


@pytest.fixture(autouse=True)
def no_lookups(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Any HTTP request fails the test, and the services are a port nothing listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    monkeypatch.setenv("CITECHECK_CROSSREF_URL", f"http://127.0.0.1:{port}/crossref")
    monkeypatch.setenv("CITECHECK_EUTILS_URL", f"http://127.0.0.1:{port}/eutils")

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("extract made an HTTP request")

    monkeypatch.setattr(httpx.Client, "send", refuse)


def extract(
    capsys: pytest.CaptureFixture[str], path: Path, fmt: str = "json", *extra: str
) -> tuple[int, str, str]:
    code = main(["extract", str(path), "--format", fmt, *extra])
    out, err = capsys.readouterr()
    return code, out, err


def fields(ref: ParsedReference) -> tuple[object, ...]:
    return tuple(getattr(ref, name) for name in SAME)


def test_json_lists_every_parsed_entry(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, err = extract(capsys, SEED)
    assert code == 0, err
    doc = json.loads(out)
    assert doc["schema_version"] == "1.0"
    assert doc["manuscript"] == {"path": str(SEED), "format": "text", "title": None}
    refs = doc["references"]
    assert [r["index"] for r in refs] == list(range(1, 11))
    assert [r["number"] for r in refs] == list(range(1, 11))
    jaffe = refs[7]
    assert jaffe["raw"].startswith("Jaffe ES, Harris NL, Stein H, et al.")
    assert jaffe["authors"] == ["Jaffe ES", "Harris NL", "Stein H"] and jaffe["et_al"] is True
    assert (jaffe["container"], jaffe["year"], jaffe["volume"], jaffe["issue"]) == (
        "Blood",
        2008,
        "112",
        "12",
    )
    assert jaffe["pages"] == "4384-99" and jaffe["line"] == 142 and jaffe["page"] is None
    assert not (tmp_path / "cache").exists()  # not even the cache was opened


@pytest.mark.parametrize(("fmt", "suffix"), [("ris", ".ris"), ("bibtex", ".bib")])
def test_round_trip_through_the_readers(
    fmt: str, suffix: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out = tmp_path / f"refs{suffix}"
    code, stdout, err = extract(capsys, SEED, fmt, "-o", str(out))
    assert code == 0 and stdout == "", err
    original = parse(read_manuscript(SEED))
    back = read_manuscript(out)
    assert back.format == fmt and not back.skipped
    assert back.references is not None and len(back.references) == 10
    assert [fields(r) for r in back.references] == [fields(r) for r in original]
    assert [r.container for r in back.references] == [r.container for r in original]
    assert [r.issue for r in back.references] == [r.issue for r in original]
    if fmt == "bibtex":  # "and others"; RIS has no et al. convention
        assert [r.et_al for r in back.references] == [r.et_al for r in original]


def test_bibtex_entries_and_keys(capsys: pytest.CaptureFixture[str]) -> None:
    _code, out, _err = extract(capsys, SEED, "bibtex")
    assert out.count("@article{") == 10
    assert "@article{jaffe2008," in out and "@article{ott2019," in out
    assert "author = {Jaffe, E. S. and Harris, N. L. and Stein, H. and others}" in out
    assert "pages = {4384--99}" in out


def test_ris_records(capsys: pytest.CaptureFixture[str]) -> None:
    _code, out, _err = extract(capsys, SEED, "ris")
    assert out.count("TY  - JOUR\n") == 10 and out.count("ER  - \n") == 10
    assert "AU  - Jaffe, E. S.\nAU  - Harris, N. L.\n" in out
    assert "SP  - 4384\nEP  - 99\n" in out


def test_csv_parses_back(capsys: pytest.CaptureFixture[str]) -> None:
    _code, out, _err = extract(capsys, SEED, "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 10
    assert rows[7]["authors"] == "Jaffe ES; Harris NL; Stein H"
    assert rows[7]["title"].startswith("Classification of lymphoid neoplasms")
    assert rows[1]["raw"].startswith("Janz TA, Neskey DM")  # commas survive quoting
    assert (rows[7]["year"], rows[7]["page"], rows[7]["doi"]) == ("2008", "", "")


def test_csv_defuses_spreadsheet_formulas() -> None:
    hostile = [
        ParsedReference(raw='=HYPERLINK("http://evil","x")', title="+1+1", container="@SUM(A1)"),
        ParsedReference(raw="-2+3", title='He said "no", twice\nthen left', pages="-5"),
    ]
    rows = list(csv.DictReader(io.StringIO(to_csv(NOWHERE, hostile))))
    assert rows[0]["raw"] == '\'=HYPERLINK("http://evil","x")'
    assert (rows[0]["title"], rows[0]["container"]) == ("'+1+1", "'@SUM(A1)")
    assert (rows[1]["raw"], rows[1]["pages"]) == ("'-2+3", "'-5")
    assert rows[1]["title"] == 'He said "no", twice\nthen left'


def test_bibtex_escapes_what_latex_and_bibtex_would_read_as_syntax(tmp_path: Path) -> None:
    ref = ParsedReference(
        raw="x",
        authors=(Author("Cancer and Leukemia Group B"), Author("Müller", "HJ")),
        title="50% & $5 a_b #1 -- ``q'' } @article{evil, title={x}}",
        container="J Exp",
        year=2009,
        pages="S1–S5",
        doi="10.1002/(sici)1097{x",
        url="http://x.org/a%20b?c=1&d=2",
        pmid="123",
    )
    out = to_bibtex(NOWHERE, [ref])
    path = tmp_path / "hostile.bib"
    path.write_text(out, encoding="utf-8")
    (back,) = read_manuscript(path).references or ()
    # Braces are lost (the reader drops them), the text is not; one entry, no "evil" one.
    assert back.title == "50% & $5 a_b #1 -- ``q'' @articleevil, title=x"
    assert [str(a) for a in back.authors] == ["Cancer and Leukemia Group B", "Müller HJ"]
    assert (back.pages, back.pmid, back.url) == ("S1-S5", "123", "http://x.org/a%20b?c=1&d=2")
    assert back.doi == "10.1002/(sici)1097x"  # an unbalanced brace is dropped, never closes


def test_keys_are_unique() -> None:
    def r(family: str, year: int | None) -> ParsedReference:
        return ParsedReference(raw="x", authors=(Author(family, "A"),), year=year)

    refs = [r("Pui", 2009), r("Müller", 2001), r("Pui", 2009), ParsedReference(raw="x")]
    assert keys(refs) == ["pui2009a", "muller2001", "pui2009b", "ref"]


_TEXT = st.text(
    st.one_of(
        st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")),
        st.sampled_from("\n\t\r{}\\%&$#_^~@\"',=-`<>!?"),
    ),
    max_size=60,
)


def _plain(text: str) -> str | None:
    """What the readers give back: whitespace collapsed, braces gone, "^" as LaTeX prints it."""
    return " ".join(text.replace("{", "").replace("}", "").replace("^", "ˆ").split()) or None


@settings(max_examples=80, deadline=None)
@given(title=_TEXT, container=_TEXT)
def test_any_text_stays_inside_its_field(title: str, container: str) -> None:
    """Whatever a manuscript says, each entry is read back as one entry with its own text."""
    refs = [
        ParsedReference(raw="x", title=title, container=container),
        ParsedReference(raw="y", title="Next", container="J"),
    ]
    bib, skipped = parse_bib(to_bibtex(NOWHERE, refs))
    assert list(bib) == ["refa", "refb"] and not skipped
    assert (bib["refa"].title, bib["refa"].container) == (_plain(title), _plain(container))
    ris = read_ris(Path("x.ris"), to_ris(NOWHERE, refs).encode()).references or ()
    assert [r.title for r in ris] == [" ".join(title.split()) or None, "Next"]
    assert ris[0].container == (" ".join(container.split()) or None)


def test_structured_input(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = extract(capsys, DATA / "jats_pone.0000217.nxml")
    assert code == 0, err
    doc = json.loads(out)
    assert doc["manuscript"]["format"] == "jats"
    refs = doc["references"]
    assert len(refs) > 10 and all(r["line"] for r in refs)
    assert any(r["doi"] or r["pmid"] for r in refs)


def test_pdf_entries_have_pages(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = extract(capsys, DATA / "pdf_seed_onecolumn.pdf", "csv")
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 10
    assert all(row["page"].isdigit() for row in rows)
    assert any(row["title"].startswith("Classification of lymphoid neoplasms") for row in rows)


@pytest.mark.parametrize("content", [b"", b"\x00\x01\x02\xff\xfe" * 200], ids=["empty", "binary"])
def test_unreadable_input_is_a_one_line_error(
    content: bytes, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "paper.txt"
    path.write_bytes(content)
    code, out, err = extract(capsys, path)
    assert code == 2 and out == ""
    assert err.startswith("citecheck: error:") and err.count("\n") == 1


def test_no_reference_list_is_a_one_line_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "paper.txt"
    path.write_text("Just some prose without any references at all.\n", encoding="utf-8")
    code, _out, err = extract(capsys, path)
    assert code == 2 and err.count("\n") == 1

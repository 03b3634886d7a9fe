"""The Word reader: the seed article as Word documents gives the text version's references,
markers and findings; list numbers, notes and citation fields are read as Word shows them;
bad and hostile files end in one line."""

from __future__ import annotations

import base64
import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from citecheck.audit import parse
from citecheck.cli import main
from citecheck.errors import InputError
from citecheck.ingest import detect, read_manuscript, reader
from citecheck.ingest.docx import package as docx_package
from citecheck.ingest.docx import read_docx
from citecheck.references import read_references
from citecheck.references.citations import read_citations
from tests.conftest import DATA, ROOT, SEED

CASSETTES = ROOT / "cassettes" / "001_ea8cd2c476dabe3b"
SEED_FILES = ["numbered", "zotero", "mendeley", "endnote_cite", "endnotes"]
FIELDS = ("authors", "et_al", "title", "container", "year", "volume", "issue", "pages", "doi")
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def seed_docx(name: str) -> Path:
    return DATA / f"docx_{name}.docx"


def findings(path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, Any]:
    args = ["check", str(path), "--replay", str(CASSETTES), "--format", "json", "--no-cache"]
    code = main(args)
    report = json.loads(capsys.readouterr().out)
    per_ref = [
        (r["status"], sorted(f["code"] for f in r["findings"])) for r in report["references"]
    ]
    return code, (per_ref, sorted(f["code"] for f in report["findings"]))


def docx(
    body: str,
    numbering: str | None = None,
    styles: str | None = None,
    footnotes: str | None = None,
    extra: dict[str, bytes] | None = None,
) -> bytes:
    """A minimal package: what Word needs to show the body, and nothing else."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", f"<w:document {W}><w:body>{body}</w:body></w:document>")
        if numbering:
            z.writestr("word/numbering.xml", f"<w:numbering {W}>{numbering}</w:numbering>")
        if styles:
            z.writestr("word/styles.xml", f"<w:styles {W}>{styles}</w:styles>")
        if footnotes:
            z.writestr("word/footnotes.xml", f"<w:footnotes {W}>{footnotes}</w:footnotes>")
        for name, data in (extra or {}).items():
            z.writestr(name, data)
    return out.getvalue()


def para(*runs: str, ppr: str = "") -> str:
    return f"<w:p>{f'<w:pPr>{ppr}</w:pPr>' if ppr else ''}{''.join(runs)}</w:p>"


def r(text: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>'


def numpr(num: int, ilvl: int = 0) -> str:
    return f'<w:numPr><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num}"/></w:numPr>'


def level(ilvl: int, text: str, fmt: str = "decimal", start: int = 1) -> str:
    return (
        f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/>'
        f'<w:lvlText w:val="{text}"/></w:lvl>'
    )


def read(data: bytes) -> Any:
    return read_docx(Path("m.docx"), data)


# --- the seed article as Word documents -----------------------------------------------


@pytest.mark.parametrize("name", SEED_FILES)
def test_seed_docx_gives_the_text_versions_references(name: str) -> None:
    expected = read_references(SEED.read_text(encoding="utf-8"))
    manuscript = read_manuscript(seed_docx(name))
    got = parse(manuscript)
    assert manuscript.format == "docx"
    assert len(got) == len(expected) == 10
    for ours, theirs in zip(got, expected, strict=True):
        assert {f: getattr(ours, f) for f in FIELDS} == {f: getattr(theirs, f) for f in FIELDS}


@pytest.mark.parametrize("name", ["zotero", "mendeley", "endnote_cite"])
def test_citation_fields_are_the_structure(name: str) -> None:
    manuscript = read_manuscript(seed_docx(name))
    assert manuscript.references is not None and manuscript.citations is not None
    assert manuscript.skipped == ()
    text_version = SEED.read_text(encoding="utf-8")
    expected = read_citations(text_version, read_references(text_version))
    markers = manuscript.citations.markers
    assert manuscript.citations.style == expected.style == "numeric"
    assert [(m.text, m.targets) for m in markers] == [(m.text, m.targets) for m in expected.markers]
    lines = manuscript.text.split("\n")
    for marker in markers:  # the marker stands on its line, in its paragraph
        assert marker.text in lines[marker.line - 1] and lines[marker.line - 1] == marker.sentence
    # an entry's line is the line of the first paragraph citing it
    assert [ref.line for ref in manuscript.references] == [
        markers[(n - 1) // 2].line for n in range(1, 11)
    ]


@pytest.mark.parametrize("name", ["numbered", "endnotes"])
def test_text_markers_read_from_docx_text(name: str) -> None:
    manuscript = read_manuscript(seed_docx(name))
    assert manuscript.references is None and manuscript.citations is None
    intext = read_citations(manuscript.text, read_references(manuscript.text))
    assert intext.style == "numeric"
    assert sorted(intext.cited()) == list(range(1, 11))
    assert "1. Ott PA. Intralesional" in manuscript.text  # the number Word shows, written in


def test_seed_docx_same_findings_as_text(capsys: pytest.CaptureFixture[str]) -> None:
    expected = findings(SEED, capsys)
    assert expected[0] == 1 and len(expected[1][0]) == 10
    for name in SEED_FILES:
        assert findings(seed_docx(name), capsys) == expected, name


@pytest.mark.parametrize(
    ("name", "says"),
    [("truncated", "damaged zip archive"), ("billion_laughs", "declares a DTD")],
)
def test_bad_seed_files_exit_2_with_one_line(
    name: str, says: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", str(seed_docx(name)), "--no-cache"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert len(captured.err.strip().splitlines()) == 1 and says in captured.err
    assert "Traceback" not in captured.err


# --- list numbers ---------------------------------------------------------------------


def test_numbered_list_formats_starts_and_restarts() -> None:
    numbering = (
        f'<w:abstractNum w:abstractNumId="1">{level(0, "[%1]", start=3)}'
        f"{level(1, '%1.%2.')}</w:abstractNum>"
        f'<w:abstractNum w:abstractNumId="2">{level(0, "(%1)", "lowerLetter")}'
        f"{level(1, '%2)', 'upperRoman')}</w:abstractNum>"
        '<w:num w:numId="1"><w:abstractNumId w:val="1"/></w:num>'
        '<w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>'  # same list, continues
        '<w:num w:numId="3"><w:abstractNumId w:val="1"/>'
        '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>'
        '<w:num w:numId="4"><w:abstractNumId w:val="2"/></w:num>'
    )
    body = "".join(
        [
            para(r("Alpha"), ppr=numpr(1)),
            para(r("Beta"), ppr=numpr(1)),
            para(r("Sub"), ppr=numpr(1, 1)),
            para(r("Gamma"), ppr=numpr(2)),
            para(r("No number"), ppr=numpr(0)),
            para(r("Restart"), ppr=numpr(3)),
            para(r("Letter"), ppr=numpr(4)),
            para(r("Roman"), ppr=numpr(4, 1)),
            para(r("Roman"), ppr=numpr(4, 1)),
        ]
    )
    lines = [line for line in read(docx(body, numbering)).text.split("\n") if line]
    assert lines == [
        "[3] Alpha",
        "[4] Beta",
        "4.1. Sub",
        "[5] Gamma",
        "No number",
        "[1] Restart",
        "(a) Letter",
        "I) Roman",
        "II) Roman",
    ]


def test_numbering_from_the_paragraph_style() -> None:
    styles = (
        '<w:style w:type="paragraph" w:styleId="RefList"><w:pPr>'
        '<w:numPr><w:numId w:val="7"/></w:numPr></w:pPr></w:style>'
        '<w:style w:type="paragraph" w:styleId="MyRefs"><w:basedOn w:val="RefList"/></w:style>'
    )
    numbering = (
        f'<w:abstractNum w:abstractNumId="0">{level(0, "%1.")}</w:abstractNum>'
        '<w:num w:numId="7"><w:abstractNumId w:val="0"/></w:num>'
    )
    entries = [
        "Ott PA. Intralesional Cancer Immunotherapies. Hematol Oncol Clin North Am. "
        "2019;33(2):249-260.",
        "Jaffe ES, Harris NL, Stein H, et al. Classification of lymphoid neoplasms. Blood. "
        "2008;112(12):4384-99.",
    ]
    body = para(r("References")) + "".join(
        para(r(e), ppr='<w:pStyle w:val="MyRefs"/>') for e in entries
    )
    refs = read_references(read(docx(body, numbering, styles)).text)
    assert [(ref.number, ref.authors[0].family, ref.year) for ref in refs] == [
        (1, "Ott", 2019),
        (2, "Jaffe", 2008),
    ]


# --- text -----------------------------------------------------------------------------


def test_what_word_shows_and_nothing_else() -> None:
    body = "".join(
        [
            para(r("A Title Of The Work")),
            para(
                r("Shown "),
                "<w:r><w:rPr><w:vanish/></w:rPr><w:t>hidden </w:t></w:r>",
                "<w:del><w:r><w:delText>deleted </w:delText></w:r></w:del>",
                f"<w:ins>{r('inserted ')}</w:ins>",
                f"<w:hyperlink>{r('linked')}</w:hyperlink>",
                '<w:r><w:fldChar w:fldCharType="begin"/></w:r>',
                "<w:r><w:instrText> PAGE </w:instrText></w:r>",
                '<w:r><w:fldChar w:fldCharType="separate"/></w:r>',
                r(" 7"),
                '<w:r><w:fldChar w:fldCharType="end"/></w:r>',
            ),
            "<w:tbl><w:tr><w:tc>"
            + para(r("cell one"))
            + "</w:tc><w:tc>"
            + para(r("cell two"))
            + "</w:tc></w:tr></w:tbl>",
        ]
    )
    manuscript = read(docx(body))
    assert manuscript.text == (
        "A Title Of The Work\n\nShown inserted linked 7\n\ncell one cell two\n"
    )
    assert manuscript.title == "A Title Of The Work"
    assert manuscript.references is None and manuscript.citations is None


def test_footnotes_that_are_not_references_stay_notes() -> None:
    body = para(r("A claim"), '<w:r><w:footnoteReference w:id="2"/></w:r>', r(" [1]."))
    body += para(r("References")) + para(
        r("1. Ott PA. Intralesional Cancer Immunotherapies. Hematol Oncol. 2019;33(2):249-260.")
    )
    notes = (
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p>'
        '</w:footnote><w:footnote w:id="2"><w:p><w:r><w:footnoteRef/></w:r>'
        f"{r(' Funded by nobody.')}</w:p></w:footnote>"
    )
    text = read(docx(body, footnotes=notes)).text
    assert "A claim[footnote 1] [1]." in text
    assert text.endswith("Footnotes\n\nfootnote 1: Funded by nobody.\n")
    assert len(read_references(text)) == 1


# --- citation fields ------------------------------------------------------------------


def csl(n: int) -> dict[str, Any]:
    return {
        "id": n,
        "type": "article-journal",
        "title": f"Study number {n} of leukemia",
        "container-title": "Blood",
        "author": [{"family": f"Author{n}", "given": "A"}],
        "issued": {"date-parts": [[2000 + n]]},
    }


def field(code: str, shown: str, pieces: int = 3) -> str:
    step = max(1, len(code) // pieces)
    instr = "".join(
        f'<w:r><w:instrText xml:space="preserve">{code[i : i + step]}</w:instrText></w:r>'
        for i in range(0, len(code), step)
    )
    return (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        + instr
        + '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        + r(shown)
        + '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )


def zotero(*items: int, shown: str) -> str:
    payload = {
        "citationItems": [
            {"id": n, "uris": [f"http://zotero.org/users/1/items/I{n}"], "itemData": csl(n)}
            for n in items
        ]
    }
    code = f" ADDIN ZOTERO_ITEM CSL_CITATION {json.dumps(payload)} "
    return field(code.replace("&", "&amp;").replace("<", "&lt;"), shown, pieces=5)


def test_fields_dedupe_in_order_of_first_citation() -> None:
    mendeley = {"citationItems": [{"id": "X", "itemData": csl(9)}]}
    tag = "MENDELEY_CITATION_v3_" + base64.b64encode(json.dumps(mendeley).encode()).decode()
    simple = json.dumps({"citationItems": [{"id": 5, "uris": ["u5"], "itemData": csl(5)}]})
    simple = simple.replace('"', "&quot;")
    body = "".join(
        [
            para(r("Intro")),
            para(r("First "), zotero(7, 3, shown="[1,2]"), r(".")),
            para(
                r("Again "),
                zotero(3, shown="[2]"),
                f'<w:fldSimple w:instr=" ADDIN CSL_CITATION {simple} ">{r("[3]")}</w:fldSimple>',
            ),
            para(
                r("Mendeley Cite "),
                f'<w:sdt><w:sdtPr><w:tag w:val="{tag}"/></w:sdtPr>'
                f"<w:sdtContent>{r('[4]')}</w:sdtContent></w:sdt>",
            ),
        ]
    )
    manuscript = read(docx(body))
    refs = manuscript.references
    assert refs is not None and manuscript.citations is not None
    assert [ref.title for ref in refs] == [f"Study number {n} of leukemia" for n in (7, 3, 5, 9)]
    assert [ref.line for ref in refs] == [3, 3, 5, 7]
    markers = manuscript.citations.markers
    assert [(m.text, m.line, m.targets) for m in markers] == [
        ("[1,2]", 3, (1, 2)),
        ("[2]", 5, (2,)),
        ("[3]", 5, (3,)),
        ("[4]", 7, (4,)),
    ]
    assert markers[0].sentence == "First [1,2]."
    assert "ADDIN" not in manuscript.text


def test_author_year_fields_and_unreadable_fields() -> None:
    body = para(r("As shown "), zotero(1, shown="(Author1, 2001)"), r("."))
    body += para(field(" ADDIN ZOTERO_ITEM CSL_CITATION {broken ", "(x)"))
    manuscript = read(docx(body))
    assert manuscript.citations is not None and manuscript.citations.style == "author-year"
    assert manuscript.skipped == ("1 citation field(s) with unreadable data",)


def test_endnote_fields_without_records_fall_back_to_the_text() -> None:
    code = " ADDIN EN.CITE &lt;EndNote&gt;&lt;Cite&gt;&lt;Author&gt;Ott&lt;/Author&gt;&lt;Year&gt;"
    code += "2019&lt;/Year&gt;&lt;/Cite&gt;&lt;/EndNote&gt;"
    manuscript = read(docx(para(r("Claim "), field(code, "[1]", pieces=1))))
    assert manuscript.references is None and manuscript.citations is None
    assert manuscript.skipped[0].startswith("EndNote citation fields seen")


# --- bad and hostile input ------------------------------------------------------------


def one_line_error(data: bytes) -> str:
    with pytest.raises(InputError) as caught:
        read(data)
    message = str(caught.value)
    assert message.startswith("m.docx: ") and "\n" not in message
    return message


def test_hostile_and_broken_packages() -> None:
    assert "without word/document.xml" in one_line_error(zip_of({"a.xml": b"x"}))
    assert "old Word" in one_line_error(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    assert "not well-formed" in one_line_error(zip_of({"word/document.xml": b"<w:document"}))
    xxe = (
        b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b"<w:document " + W.encode() + b"><w:body><w:p><w:r><w:t>&x;</w:t></w:r></w:p>"
        b"</w:body></w:document>"
    )
    assert "declares a DTD" in one_line_error(zip_of({"word/document.xml": xxe}))
    assert "not a WordprocessingML" in one_line_error(zip_of({"word/document.xml": b"<a/>"}))
    assert "no text" in one_line_error(docx(para()))


def test_an_unreadable_side_part_is_skipped_and_said() -> None:
    data = docx(para(r("Body text")), numbering="<w:abstractNum", footnotes="<x>&y;</x>")
    manuscript = read(data)
    assert manuscript.text == "Body text\n"
    assert [note.split(" ")[0] for note in manuscript.skipped] == [
        "word/numbering.xml",
    ]  # footnotes are only read when the body cites one


def test_an_encrypted_docx_says_so_through_the_cli(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "locked.docx"
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + "EncryptedPackage".encode("utf-16-le")
    path.write_bytes(ole)
    assert main(["check", str(path), "--no-cache"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "password-protected" in err


def test_a_zip_bomb_part_is_refused_before_it_is_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(docx_package, "MAX_PART_BYTES", 1_000_000)
    bomb = docx(para(r("x" * 2_000_000)))  # 2 MB of text packs into a few kB
    assert len(bomb) < 20_000
    assert "over the 1 MB limit" in one_line_error(bomb)


def zip_of(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return out.getvalue()


VALID = seed_docx("zotero").read_bytes()


def read_any(data: bytes) -> None:
    """Through detection, as the CLI reads: a Manuscript or an InputError, nothing else."""
    path = Path("fuzz.docx")
    try:
        reader(detect(path, data))(path, data)
    except InputError as exc:
        assert "\n" not in str(exc)


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.binary(max_size=2048))
def test_random_bytes_are_an_input_error(data: bytes) -> None:
    with pytest.raises(InputError):
        read_docx(Path("fuzz.docx"), data)
    read_any(data)


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    st.integers(min_value=0, max_value=len(VALID)),
    st.lists(st.tuples(st.integers(0, len(VALID) - 1), st.integers(1, 255)), max_size=8),
)
def test_truncated_or_flipped_docx_is_read_or_refused(cut: int, flips: list[Any]) -> None:
    data = bytearray(VALID)
    for at, mask in flips:
        data[at] ^= mask
    read_any(bytes(data[:cut]))


DOCUMENT = zipfile.ZipFile(io.BytesIO(VALID)).read("word/document.xml")


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    st.integers(min_value=0, max_value=len(DOCUMENT)),
    st.lists(st.tuples(st.integers(0, len(DOCUMENT) - 1), st.integers(1, 255)), max_size=6),
)
def test_damaged_document_xml_is_read_or_refused(cut: int, flips: list[Any]) -> None:
    """Flips and cuts inside document.xml itself, stored intact in a sound zip."""
    xml = bytearray(DOCUMENT)
    for at, mask in flips:
        xml[at] ^= mask
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("word/document.xml", bytes(xml[:cut]))
    read_any(out.getvalue())

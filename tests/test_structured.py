"""Structured inputs: JATS, RIS, CSL-JSON, EndNote XML; format detection; hostile XML."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from citecheck.cli import main
from citecheck.errors import InputError
from citecheck.ingest import detect, read_manuscript
from citecheck.ingest.csl import read_csl_json
from citecheck.ingest.endnote import read_endnote_xml
from citecheck.ingest.jats import read_jats
from citecheck.ingest.ris import read_ris
from citecheck.references import read_references
from tests.conftest import DATA, ROOT, SEED

CASSETTES = ROOT / "cassettes" / "001_ea8cd2c476dabe3b"
JATS = DATA / "jats_pone.0000217.nxml"
LISTS = ["seed_refs.ris", "seed_refs.json", "seed_refs_endnote.xml"]


def fields(refs: object) -> list[tuple[object, ...]]:
    return [
        (r.authors, r.et_al, r.title, r.container, r.year, r.volume, r.issue, r.pages, r.doi)
        for r in refs  # type: ignore[attr-defined]
    ]


def report(path: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, dict]:
    code = main(["check", str(path), "--format", "json", "--no-cache", *extra])
    out, err = capsys.readouterr()
    assert out, err
    return code, json.loads(out)


@pytest.mark.parametrize("name", LISTS)
def test_reference_lists_give_the_seed_references(name: str) -> None:
    seed = read_references(read_manuscript(SEED).text)
    listed = read_manuscript(DATA / name)
    assert fields(listed.references) == fields(seed)
    assert all(r.line for r in listed.references or ())


@pytest.mark.parametrize("name", LISTS)
def test_reference_lists_give_the_seed_findings(
    name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    _, text = report(SEED, capsys, "--replay", str(CASSETTES), "--no-relevance")
    _, listed = report(DATA / name, capsys, "--replay", str(CASSETTES), "--no-relevance")

    def codes(rep: dict) -> list[list[str]]:
        return [sorted(f["code"] for f in r["findings"]) for r in rep["references"]]

    assert codes(listed) == codes(text)
    assert [r["status"] for r in listed["references"]] == [r["status"] for r in text["references"]]
    assert listed["manuscript"]["path"].endswith(name)


def test_a_list_alone_is_judged_against_the_stated_topic(
    capsys: pytest.CaptureFixture[str],
) -> None:
    _, rep = report(
        DATA / "seed_refs.ris",
        capsys,
        "--replay",
        str(CASSETTES),
        "--topic",
        "targeted therapy in acute lymphoblastic leukemia",
    )
    assert rep["manuscript"]["topics"][0] == "Acute lymphoblastic leukemia"
    assert [f["code"] for f in rep["findings"]] == ["reference-list-off-topic"]


def test_jats_fields_are_used_as_tagged() -> None:
    m = read_jats(JATS, JATS.read_bytes())
    refs = m.references or ()
    assert m.format == "jats" and len(refs) == 33
    assert m.title and m.title.startswith("Quantifying Organismal Complexity")
    assert sum(1 for r in refs if r.pmid) == 26  # pub-id pmid, trusted as cited
    first = refs[0]
    assert first.number == 1 and first.line and first.authors and first.year
    assert first.raw  # rendered, since JATS gives fields, not a printed string
    # Every xref is a marker on its own source line, and every entry is cited.
    intext = m.citations
    assert intext is not None and intext.style == "numeric"
    assert intext.cited() == set(range(1, 34))
    assert all(not mk.unresolved for mk in intext.markers)
    assert "Abstract" in m.text and "References" not in m.text


def test_jats_unknown_rid_is_a_missing_reference(tmp_path: Path) -> None:
    data = JATS.read_bytes().replace(b'rid="pone.0000217-Adami1"', b'rid="nowhere"', 1)
    assert data != JATS.read_bytes()
    m = read_jats(tmp_path / "a.xml", data)
    assert any(mk.unresolved == ("nowhere",) for mk in m.citations.markers)  # type: ignore[union-attr]


def test_jats_through_the_cli_has_no_in_text_findings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = tmp_path / "nothing-recorded"
    empty.mkdir()
    code, rep = report(JATS, capsys, "--replay", str(empty), "--no-relevance")
    assert code == 3  # nothing could be checked: incomplete, not failed
    codes = {f["code"] for r in rep["references"] for f in r["findings"]}
    assert codes == {"unverified"}
    assert rep["findings"] == []


BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE article [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>
<article><back><ref-list><ref id="r1"><mixed-citation>&c;</mixed-citation></ref></ref-list></back></article>
"""
XXE = b"""<?xml version="1.0"?>
<!DOCTYPE article [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<article><back><ref-list><ref id="r1"><mixed-citation>&x;</mixed-citation></ref></ref-list></back></article>
"""


@pytest.mark.parametrize("payload", [BOMB, XXE], ids=["billion-laughs", "external-entity"])
def test_hostile_xml_is_refused(payload: bytes, tmp_path: Path) -> None:
    path = tmp_path / "paper.xml"
    path.write_bytes(payload)
    with pytest.raises(InputError, match="declares its own entities"):
        read_manuscript(path)
    assert main(["check", str(path)]) == 2


@pytest.mark.parametrize(
    ("name", "head", "fmt"),
    [
        ("a.txt", b"%PDF-1.7\n", "pdf"),
        ("paper", b"<?xml version='1.0'?><!DOCTYPE article PUBLIC 'x' 'y'><article>", "jats"),
        ("refs.txt", b"TY  - JOUR\nTI  - x\nER  - \n", "ris"),
        ("refs", b'[{"id": "a"}]', "csl-json"),
        ("x.xml", b"<?xml version='1.0'?><xml><records><record/></records></xml>", "endnote-xml"),
        ("refs.txt", b"@article{key,\n title={T}}", "bibtex"),
        ("p.tex", b"\\documentclass{article}", "latex"),
        ("p.htm", b"<!DOCTYPE html><html>", "html"),
        ("p.md", b"# Title\n", "markdown"),
        ("p.txt", b"Plain text.", "text"),
    ],
)
def test_detect_by_content_first(name: str, head: bytes, fmt: str) -> None:
    assert detect(Path(name), head) == fmt


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("p.docx", b"PK\x03\x04broken", "damaged zip"),
        ("p.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "old Word"),
        ("p.pdf", b"not a pdf at all", "no %PDF- header"),
        ("p.json", b"[1, 2", "not valid CSL-JSON"),
        ("p.ris", b"TY  - JOUR\n", "no RIS records"),
        ("p.xml", b"<article><front/>", "not well-formed XML"),
    ],
)
def test_bad_files_give_one_line_errors(
    name: str, data: bytes, message: str, tmp_path: Path
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    if message == "no RIS records":
        path.write_bytes(b"just words\n")
        with pytest.raises(InputError, match="no RIS records"):
            read_ris(path, path.read_bytes())
        return
    with pytest.raises(InputError, match=message):
        read_manuscript(path)


@settings(max_examples=40, deadline=None)
@given(st.binary(max_size=2000))
def test_structured_readers_never_crash(data: bytes) -> None:
    for read in (read_jats, read_ris, read_csl_json, read_endnote_xml):
        with contextlib.suppress(InputError):
            read(Path("fuzz"), data)


@settings(max_examples=30, deadline=None)
@given(st.integers(min_value=0, max_value=20000), st.integers(min_value=0, max_value=255))
def test_damaged_jats_never_crashes(cut: int, byte: int) -> None:
    data = bytearray(JATS.read_bytes()[: 2000 + cut])
    data[min(cut, len(data) - 1)] = byte
    with contextlib.suppress(InputError):
        read_jats(Path("fuzz.xml"), bytes(data))

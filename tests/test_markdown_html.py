"""Pandoc Markdown and HTML: the seed in each gives the text version's references, markers and
findings; pandoc citation syntax; HTML rendering; random input raises only InputError."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from citecheck.errors import InputError
from citecheck.ingest import read_manuscript
from citecheck.ingest.html import read_html
from citecheck.ingest.markdown import read_markdown
from citecheck.references import read_references
from citecheck.references.citations import read_citations
from tests.conftest import DATA, SEED
from tests.test_latex import findings, same_as_text


def test_seed_markdown_gives_the_text_versions_references_and_markers() -> None:
    m = read_manuscript(DATA / "md_seed.md")
    assert m.format == "markdown"
    assert (
        m.title
        == "Advancing oncology: Targeted therapy in the treatment of acute lymphoblastic leukemia"
    )
    same_as_text(m.references)
    text = SEED.read_text(encoding="utf-8")
    theirs = read_citations(text, read_references(text)).markers
    assert m.citations is not None and m.citations.style == "numeric"  # csl: vancouver.csl
    assert [k.targets for k in m.citations.markers] == [k.targets for k in theirs]
    assert [k.sentence for k in m.citations.markers] == [k.sentence for k in theirs]
    assert m.citations.markers[0].text == "[@ott2019; @janz2018]"
    assert m.citations.markers[0].line == 25
    assert "amini@join.ca" in m.text  # an e-mail address is no citation
    assert "[@" not in m.text


def test_seed_markdown_findings_equal_the_text_versions(capsys: pytest.CaptureFixture[str]) -> None:
    assert findings(DATA / "md_seed.md", capsys) == findings(SEED, capsys)


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


BIB = """@article{smith2019, author={Smith, John}, title={Alpha}, journal={J}, year={2019}}
@article{lee2020, author={Lee, Ann}, title={Beta}, journal={J}, year={2020}}
@article{kim2021, author={Kim, Bo}, title={Gamma}, journal={J}, year={2021}}
"""


def test_pandoc_citation_syntax_and_same_stem_bib(tmp_path: Path) -> None:
    write(tmp_path, "paper.bib", BIB)
    md = write(
        tmp_path,
        "paper.md",
        "# A paper\n\nAs shown [see @lee2020, p. 4; @smith2019]. @kim2021 says so.\n"
        "Alone [-@lee2020]. Write to someone@example.org or @nobody.\n"
        "Missing [@ghost2000; @smith2019].\n\n`[@incode]` is code.\n",
    )
    m = read_markdown(md, md.read_bytes())
    assert [r.title for r in m.references or ()] == ["Beta", "Alpha", "Gamma"]
    markers = m.citations.markers  # type: ignore[union-attr]
    assert [(k.text, k.targets, k.unresolved, k.line) for k in markers] == [
        ("[see @lee2020, p. 4; @smith2019]", (1, 2), (), 3),
        ("@kim2021", (3,), (), 3),
        ("[-@lee2020]", (1,), (), 4),
        ("[@ghost2000; @smith2019]", (2,), ("ghost2000",), 5),
    ]
    assert markers[0].sentence == "As shown."
    assert m.citations.style == "author-year"  # type: ignore[union-attr]  # pandoc's default CSL


def test_front_matter_csl_json_inline_references_and_nocite(tmp_path: Path) -> None:
    items = [
        {
            "id": "j1",
            "type": "article-journal",
            "title": "From JSON",
            "author": [{"family": "Roe", "given": "R"}],
            "container-title": "JJ",
            "issued": {"date-parts": [[2018]]},
            "DOI": "10.1000/J1",
            "PMID": "123",
        },
    ]
    write(tmp_path, "items.json", json.dumps(items, indent=1))
    write(tmp_path, "refs.bib", BIB)
    md = write(
        tmp_path,
        "p.md",
        '---\ntitle: "*Styled* title"\nbibliography: [items.json, refs.bib, ../outside.bib]\n'
        "nocite: '@kim2021'\nreferences:\n- id: inline1\n  title: Inline entry\n  issued: {date-parts: [[2017]]}\n---\n"
        "Text [@j1; @inline1].\n",
    )
    m = read_markdown(md, md.read_bytes())
    refs = m.references or ()
    assert [(r.title, r.doi, r.pmid) for r in refs] == [
        ("From JSON", "10.1000/j1", "123"),
        ("Inline entry", None, None),
        ("Gamma", None, None),
    ]
    assert refs[0].line == 3  # where "id": "j1" is written in items.json
    assert m.title == "*Styled* title"
    assert (
        "bibliography file ../outside.bib: outside the manuscript's folder; not read" in m.skipped
    )


def test_markdown_without_pandoc_citations_is_plain_text(tmp_path: Path) -> None:
    md = write(tmp_path, "plain.md", SEED.read_text(encoding="utf-8"))
    m = read_markdown(md, md.read_bytes())
    assert m.references is None and m.citations is None and m.format == "markdown"
    assert len(read_references(m.text)) == 10


def test_pandoc_citations_without_bibliography_fall_back_to_text(tmp_path: Path) -> None:
    md = write(
        tmp_path, "p.md", "Claim [@a2019].\n\nReferences\n\n1. Smith J. Title. J. 2019;1:1-2.\n"
    )
    m = read_markdown(md, md.read_bytes())
    assert m.references is None
    assert m.skipped == (
        "pandoc citations found but no bibliography: the list is read from the text",
    )


def test_seed_html_gives_the_text_versions_references_and_markers() -> None:
    m = read_manuscript(DATA / "html_seed.html")
    assert m.format == "html" and m.references is None
    assert (
        m.title
        == "Advancing oncology: Targeted therapy in the treatment of acute lymphoblastic leukemia"
    )
    refs = read_references(m.text)
    text = SEED.read_text(encoding="utf-8")
    theirs = read_references(text)
    assert [r.to_dict() for r in refs] == [r.to_dict() for r in theirs]
    assert [r.line for r in refs] == list(range(30, 40))  # the <li> lines of the HTML file
    markers = read_citations(m.text, refs).markers
    assert [k.targets for k in markers] == [k.targets for k in read_citations(text, theirs).markers]
    assert [k.line for k in markers] == [17, 18, 19, 20, 21]  # the <p> lines
    assert "document.title" not in m.text and "font-size" not in m.text


def test_seed_html_findings_equal_the_text_versions(capsys: pytest.CaptureFixture[str]) -> None:
    assert findings(DATA / "html_seed.html", capsys) == findings(SEED, capsys)


def test_html_rendering(tmp_path: Path) -> None:
    page = (
        "<?xml version='1.0' encoding='utf-8'?><html><head><title>T &amp; <b>x</b></title>"
        "<script>alert('x')</script></head><body><h1>Caf&eacute; <i>study</i></h1>"
        "<p>Area 5 cm<sup>2</sup> grew<sup><a href='#r3'>3</a></sup> and<sup>1&#8211;2</sup>."
        "</p><h2>Bibliography</h2><ol start='3'><li>Smith J. <i>Alpha</i>. J. 2019;1:1-2.</li>"
        "<li value='7'><div>Lee A.</div><div>Beta. J. 2020;2:3-4.</div></li></ol>"
        "<ol><li>not a reference</li></ol></body></html>"
    )
    path = write(tmp_path, "p.html", page)
    m = read_html(path, path.read_bytes())
    assert m.title == "Café study"
    assert "5 cm² grew[3] and[1–2]." in m.text
    assert "\n3. Smith J. Alpha. J. 2019;1:1-2.\n7. Lee A. Beta. J. 2020;2:3-4.\n" in m.text
    assert "alert" not in m.text and "not a reference" in m.text and "1. not" not in m.text


@pytest.mark.parametrize("data", [b"", b"   ", b"<html></html>", b"\x00\x01binary\x00"])
def test_unreadable_html_is_an_input_error(tmp_path: Path, data: bytes) -> None:
    with pytest.raises(InputError, match=r"p\.html"):
        read_html(tmp_path / "p.html", data)


TAGS = st.sampled_from(
    [
        "<p>",
        "</p>",
        "<sup>",
        "</sup>",
        "<ol>",
        "<li>",
        "</li>",
        "<h2>References</h2>",
        "<script>",
        "</script>",
        "<div>",
        "<br>",
        "&amp;",
        "&#x0;",
        "&bogus;",
        "<!--",
        "-->",
        "<![CDATA[",
        "<?xml?>",
        "<a href='#1'>",
        "</a>",
        "1",
        "2,3",
        "text. ",
        "\n",
        "<",
        ">",
        '"',
        "<pre>",
        "</pre>",
        "<table><tr><td>",
    ]
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(TAGS, max_size=60).map("".join))
def test_html_reader_raises_only_input_error(page: str) -> None:
    try:
        m = read_html(Path("x.html"), page.encode())
    except InputError:
        return
    assert m.text.strip()


MD_PIECES = st.sampled_from(
    [
        "[@",
        "@",
        "a2019",
        "]",
        "[",
        "; ",
        "-@",
        "{",
        "}",
        "---\n",
        "bibliography: x.bib\n",
        "nocite: '@*'\n",
        "`",
        "```\n",
        "e@mail.org",
        " text. ",
        "\n",
        "references:\n- id: a\n",
    ]
)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(MD_PIECES, max_size=40).map("".join))
def test_markdown_reader_raises_only_input_error(text: str) -> None:
    with contextlib.suppress(InputError):
        read_markdown(Path("/nonexistent-dir/x.md"), text.encode())

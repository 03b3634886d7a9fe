"""LaTeX: \\cite markers, the .bib / .bbl / thebibliography list BibTeX would print, the same
references and findings as the text version, and no file read outside the .tex's folder."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from citecheck.cli import main
from citecheck.errors import InputError
from citecheck.ingest import read_manuscript
from citecheck.ingest.latex import read_latex, to_plain
from citecheck.model import REFERENCE_FIELDS, Author
from citecheck.references import read_references
from citecheck.references.citations import read_citations
from tests.conftest import DATA, ROOT, SEED

CASSETTES = ROOT / "cassettes" / "001_ea8cd2c476dabe3b"
FIELDS = tuple(f for f in REFERENCE_FIELDS if f != "url")  # every parsed field but the url


def findings(path: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, object]:
    main(["check", str(path), "--replay", str(CASSETTES), "--format", "json", "--no-cache"])
    report = json.loads(capsys.readouterr().out)
    return {
        "references": [
            (r["status"], [(f["code"], f["severity"]) for f in r["findings"]])
            for r in report["references"]
        ],
        "document": [f["code"] for f in report["findings"]],
        "relevance": [r["relevance"] and r["relevance"]["score"] for r in report["references"]],
    }


def same_as_text(refs: tuple[object, ...] | None) -> None:
    """The seed's ten entries as the text version reads them; entry 7 repaired (see bib)."""
    text = read_references(SEED.read_text(encoding="utf-8"))
    assert refs is not None and len(refs) == 10
    for n, (ours, theirs) in enumerate(zip(refs, text, strict=True), 1):
        for name in FIELDS:
            if n == 7 and name in ("authors", "container"):
                continue  # "JtS. downing Jr ... N engl J Med" in the text: see test_bibtex
            assert getattr(ours, name) == getattr(theirs, name), (n, name)
    assert refs[6].authors[0] == Author("Downing", "JR")  # type: ignore[attr-defined]


def test_seed_tex_bib_gives_the_same_references_markers_and_sentences() -> None:
    m = read_manuscript(DATA / "tex_seed.tex")
    assert m.format == "latex"
    assert (
        m.title
        == "Advancing oncology: Targeted therapy in the treatment of acute lymphoblastic leukemia"
    )
    same_as_text(m.references)
    assert [r.number for r in m.references or ()] == list(range(1, 11))
    assert "Join" not in {r.authors[0].family for r in m.references or ()}  # uncited: not listed
    text = SEED.read_text(encoding="utf-8")
    theirs = read_citations(text, read_references(text)).markers
    assert m.citations is not None and m.citations.style == "numeric"
    ours = m.citations.markers
    assert [k.targets for k in ours] == [k.targets for k in theirs]
    assert [k.sentence for k in ours] == [k.sentence for k in theirs]
    assert [k.line for k in ours] == [28, 42, 65, 82, 96]  # the .tex lines of the \cite
    assert ours[0].text == r"\cite{ott2019,janz2018}"
    assert "Received: 01-Nov-2024" in m.text and "\\" not in m.text


def test_seed_tex_findings_equal_the_text_versions(capsys: pytest.CaptureFixture[str]) -> None:
    assert findings(DATA / "tex_seed.tex", capsys) == findings(SEED, capsys)


def test_only_a_bbl_next_to_the_tex(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for name in ("tex_seed.tex", "tex_seed.bbl"):
        shutil.copy(DATA / name, tmp_path / name)
    m = read_manuscript(tmp_path / "tex_seed.tex")
    same_as_text(m.references)
    assert m.references is not None and m.references[0].line == 5  # line of \bibitem in .bbl
    assert m.skipped == (
        "bibliography file tex_seed.bib: not found",
        "the list is read from tex_seed.bbl, as BibTeX printed it",
    )
    assert [k.targets for k in m.citations.markers] == [(1, 2), (3, 4), (5, 6), (7, 8), (9, 10)]  # type: ignore[union-attr]
    assert findings(tmp_path / "tex_seed.tex", capsys) == findings(SEED, capsys)


def test_a_bbl_alone_is_a_reference_list() -> None:
    m = read_manuscript(DATA / "tex_seed.bbl")
    same_as_text(m.references)
    assert m.citations is not None and m.citations.style == "none"


def test_jats_article_fields_come_through_the_bib() -> None:
    """eLife 05502's 71 element-citations, converted to .bib, read back equal to the JATS."""
    m = read_manuscript(DATA / "tex_elife05502.tex")
    gold = json.loads((DATA / "tex_elife05502_gold.json").read_text(encoding="utf-8"))
    assert m.references is not None and len(m.references) == len(gold) == 71
    by_title = {r.title: r for r in m.references}
    for key, want in gold.items():
        got = by_title[want["title"]]
        for name, value in want.items():
            actual = getattr(got, name)
            if name == "authors":
                actual = [[a.family, a.initials] for a in actual]
            assert actual == value, (key, name)
    markers = m.citations.markers  # type: ignore[union-attr]
    assert len(markers) == 22 and not any(k.unresolved for k in markers)
    assert markers[0].text == r"\citep{leulier2008,stein2014}" and markers[0].targets == (1, 2)
    # cited entries first, in order of first citation; \nocite{*} adds the rest in .bib order
    assert m.references[0].authors[0].family == "Leulier"


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


BIB = """@article{a, author={Smith, John}, title={Alpha}, journal={J}, year={2001}}
@article{b, author={Lee, Ann}, title={Beta}, journal={J}, year={2002}}
@article{c, author={Kim, Bo}, title={Gamma}, journal={J}, year={2003}}
@article{d, author={Ode, Cy}, title={Delta}, journal={J}, year={2004}}
"""


def test_cite_commands_options_stars_and_order(tmp_path: Path) -> None:
    write(tmp_path, "refs.bib", BIB)
    tex = write(
        tmp_path,
        "paper.tex",
        "\\documentclass{article}\n\\begin{document}\n"
        "First \\citep[see][p.~4]{b, a}. Then \\citet*{c} % \\cite{d} is a comment\n"
        "and \\parencite{a} \\textcite{b} \\autocite{c} \\footcite{a} \\cites{a}[p.~2]{c}.\n"
        "Missing \\cite{zz,a}. \\nocite{d,ghost}\n\\bibliography{refs}\n\\end{document}\n",
    )
    m = read_latex(tex, tex.read_bytes())
    assert [r.title for r in m.references or ()] == ["Beta", "Alpha", "Gamma", "Delta"]
    markers = m.citations.markers  # type: ignore[union-attr]
    assert [k.targets for k in markers] == [(1, 2), (3,), (2,), (1,), (3,), (2,), (2, 3), (2,)]
    assert markers[-1].unresolved == ("zz",)
    assert [k.line for k in markers] == [3, 3, 4, 4, 4, 4, 4, 5]
    assert markers[0].sentence == "First."
    assert "\\nocite{ghost}: no such key in the bibliography" in m.skipped


def test_nocite_star_lists_every_entry(tmp_path: Path) -> None:
    write(tmp_path, "refs.bib", BIB)
    tex = write(
        tmp_path,
        "p.tex",
        "\\begin{document}\\cite{c}\\nocite{*}\\bibliography{refs}\\end{document}",
    )
    m = read_latex(tex, tex.read_bytes())
    assert [r.title for r in m.references or ()] == ["Gamma", "Alpha", "Beta", "Delta"]


def test_missing_key_becomes_a_missing_reference(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in ("tex_seed.tex", "tex_seed.bib"):
        shutil.copy(DATA / name, tmp_path / name)
    tex = tmp_path / "tex_seed.tex"
    tex.write_text(
        tex.read_text().replace("its impact", "its impact~\\cite{klapper2008,smith2099}"),
        encoding="utf-8",
    )
    main(["check", str(tex), "--replay", str(CASSETTES), "--format", "json", "--no-cache"])
    report = json.loads(capsys.readouterr().out)
    missing = [f for f in report["findings"] if f["code"] == "missing-reference"]
    assert [(f["cited"], f["line"]) for f in missing] == [("[smith2099]", 96)]


def test_inline_thebibliography_and_input_files(tmp_path: Path) -> None:
    write(tmp_path, "intro.tex", "Intro cites \\cite{k2}.\n\\input{intro}\n")  # a cycle
    (tmp_path / "sec").mkdir()
    write(tmp_path / "sec", "deep.tex", "Deep text \\cite{k1}.\n")
    tex = write(
        tmp_path,
        "main.tex",
        "\\documentclass{article}\n\\title{A \\emph{Title}}\n\\begin{document}\n"
        "Start \\cite{k1}.\n\\input{intro}\n\\include{sec/deep}\n\\input{missing}\n"
        "\\begin{thebibliography}{9}\n"
        "\\bibitem{k1} Ott PA. Intralesional Cancer Immunotherapies. Hematol Oncol Clin North Am. 2019;33(2):249--260.\n"
        "\\bibitem[Janz et~al.(2018)]{k2} Janz TA, Neskey DM. Is imaging of the brain necessary?. Am J Otolaryngol. 2018;39(5):631--635.\n"
        "\\end{thebibliography}\n\\end{document}\n",
    )
    m = read_latex(tex, tex.read_bytes())
    assert m.title == "A Title"
    refs = m.references or ()
    assert [(r.authors[0].family, r.pages, r.line, r.number) for r in refs] == [
        ("Ott", "249-260", 9, 1),
        ("Janz", "631-635", 10, 2),
    ]
    assert [(k.targets, k.line) for k in m.citations.markers] == [((1,), 4), ((2,), 5), ((1,), 6)]  # type: ignore[union-attr]
    assert "\\input{intro} (line 5): already read; not read again" in m.skipped
    assert "\\input{missing} (line 7): not found" in m.skipped
    assert "Intro cites." in m.text and "Deep text." in m.text


def test_input_depth_is_limited(tmp_path: Path) -> None:
    for n in range(12):
        write(tmp_path, f"f{n}.tex", f"level {n}\n\\input{{f{n + 1}}}\n")
    tex = write(
        tmp_path,
        "main.tex",
        "\\begin{document}\\input{f0}\\cite{a}\\bibliography{refs}\\end{document}",
    )
    write(tmp_path, "refs.bib", BIB)
    m = read_latex(tex, tex.read_bytes())
    assert any("nested too deep" in s for s in m.skipped)
    assert "level 7" in m.text and "level 9" not in m.text


def test_a_hostile_tex_reads_nothing_outside_its_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[Path] = []
    real = Path.read_bytes

    def spy(self: Path) -> bytes:
        opened.append(self.resolve())
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", spy)
    m = read_manuscript(DATA / "tex_malicious.tex")
    assert all(p.is_relative_to(DATA.resolve()) for p in opened), opened
    assert "root:" not in m.text
    outside = [s for s in m.skipped if "outside the manuscript's folder; not read" in s]
    assert len(outside) == 7  # four \input/\include, three bibliography names
    assert (
        "bibliography file ../../secret.bib: outside the manuscript's folder; not read" in m.skipped
    )
    assert [r.authors[0].family for r in m.references or ()] == ["Ott"]
    assert [k.unresolved for k in m.citations.markers] == [(), ("nosuchkey2020",)]  # type: ignore[union-attr]


def test_symlink_and_parent_bibliography_are_refused(tmp_path: Path) -> None:
    paper = tmp_path / "paper"
    paper.mkdir()
    write(tmp_path, "secret.bib", "@misc{s, title={Secret}}")
    (paper / "refs.bib").symlink_to(tmp_path / "secret.bib")
    tex = write(
        paper, "p.tex", "\\begin{document}\\cite{s}\\bibliography{refs,../secret}\\end{document}"
    )
    with pytest.raises(InputError, match=r"no reference list.*refs\.bib: outside"):
        read_latex(tex, tex.read_bytes())


def test_no_bibliography_at_all_is_an_input_error(tmp_path: Path) -> None:
    tex = write(
        tmp_path, "p.tex", "\\documentclass{article}\\begin{document}Hi \\cite{a}.\\end{document}"
    )
    with pytest.raises(InputError, match=r"p\.tex: no reference list"):
        read_latex(tex, tex.read_bytes())


def test_to_plain_keeps_words_and_drops_markup() -> None:
    latex = (
        "\\section{Intro} M{\\\"u}ller and Garc\\'{\\i}a found 5\\% of $p<0.05$ cases"
        "~\\ref{fig:1}\\label{x}.\\footnote{A note.}\n\\begin{equation}x^2\\end{equation}\n"
        "\\begin{itemize}\\item One \\item Two\\end{itemize} ``Quoted'' -- \\textbf{bold}"
    )
    plain = to_plain(latex)
    assert "Müller and García found 5% of p<0.05 cases" in plain
    assert "fig:1" not in plain and "x^2" not in plain and "\\" not in plain
    assert "Intro" in plain.split("\n") and "“Quoted” – bold" in plain


TEX_PIECES = st.sampled_from(
    [
        "\\cite{",
        "\\citep[",
        "]",
        "[",
        "{",
        "}",
        "a,b",
        "\\nocite{*}",
        "\\input{",
        "../x",
        "\\bibliography{",
        "\\begin{document}",
        "\\end{document}",
        "\\begin{thebibliography}",
        "\\bibitem{",
        "\\section{",
        "\\'",
        "\\\\",
        "%",
        "$",
        "\n",
        " text. ",
        "\\title{",
        "~",
        "--",
    ]
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(TEX_PIECES, max_size=50).map("".join))
def test_latex_reader_raises_only_input_error(text: str) -> None:
    try:
        m = read_latex(Path("/nonexistent-dir/x.tex"), text.encode())
    except InputError:
        return
    assert m.references is not None


@settings(max_examples=80, deadline=None)
@given(st.text(max_size=300))
def test_to_plain_never_fails(text: str) -> None:
    assert isinstance(to_plain(text), str)

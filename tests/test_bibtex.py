"""BibTeX: fields used as parsed (names, LaTeX accents, macros, crossref, identifiers), broken
entries skipped and named, and no input that makes the reader raise anything but InputError."""

from __future__ import annotations

import contextlib
import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from citecheck.errors import InputError
from citecheck.ingest import read_manuscript
from citecheck.ingest.bibtex import parse_bib, read_bibtex
from citecheck.ingest.files import local_file
from citecheck.model import Author
from citecheck.references import read_references
from tests.conftest import DATA, SEED

FIELDS = ("authors", "et_al", "title", "container", "year", "volume", "issue", "pages", "doi")


def test_seed_bib_gives_the_text_versions_fields_and_repairs_entry_7() -> None:
    refs, skipped = parse_bib((DATA / "tex_seed.bib").read_text(encoding="utf-8"))
    text = read_references(SEED.read_text(encoding="utf-8"))
    assert skipped == []
    assert len(refs) == 11  # the ten cited entries and the uncited join2024
    for n, (ours, theirs) in enumerate(zip(list(refs.values())[:10], text, strict=True), 1):
        for name in FIELDS:
            if n == 7 and name in ("authors", "container"):
                continue
            assert getattr(ours, name) == getattr(theirs, name), (n, name)
    # Entry 7 is garbled in the seed ("JtS. downing Jr ... N engl J Med"): the text parser
    # reads a lower-case surname; the .bib's fields are the name and journal as meant.
    downing = refs["downing1996"]
    assert text[6].authors[0] == Author("downing", "JR")
    assert downing.authors == (Author("Downing", "JR"), Author("Crist", "WM"))
    assert (text[6].container, downing.container) == ("N engl J Med", "N Engl J Med")
    assert refs["ott2019"].line == 7  # the line of "@article{ott2019,"
    assert refs["jaffe2008"].container == "Blood"  # from the @string macro


def test_names_accents_braces_and_identifiers() -> None:
    refs, skipped = parse_bib(
        r"""
@string{nejm = "N Engl J Med"}
@article{a,
  author = {M{\"u}ller, J{\"o}rg and Garc\'{\i}a, Jos\'e and {World Health Organization}
            and van der Berg, Jan and Freeman, Jr, R. M. and others},
  title = {The {DNA} of \emph{E.~coli}: a study},
  journal = nejm, year = 2019, volume = {380}, number = {4}, pages = {100--110},
  doi = {https://doi.org/10.1056/NEJMoa\_1%20X}, url = {\url{https://x.org/a\_b}},
  eprint = {31234567}, eprinttype = {pubmed},
}
@misc{b, author = {Bar, Foo}, date = {2019-03-07}, journaltitle = {JT}, issue = {4},
  pmid = {999}, year = {2014a}}
"""
    )
    assert skipped == []
    a = refs["a"]
    assert a.authors == (
        Author("Müller", "J"),
        Author("García", "J"),
        Author("World Health Organization", ""),
        Author("van der Berg", "J"),
        Author("Freeman", "RM"),
    )
    assert a.et_al
    assert a.title == "The DNA of E. coli: a study"
    assert (a.container, a.year, a.volume, a.issue, a.pages) == (
        "N Engl J Med",
        2019,
        "380",
        "4",
        "100-110",
    )
    assert a.doi == "10.1056/nejmoa_1%20x"  # verbatim, not LaTeX-decoded
    assert a.url == "https://x.org/a_b"
    assert a.pmid == "31234567"  # eprint with eprinttype = {pubmed}
    b = refs["b"]
    assert (b.year, b.container, b.issue, b.pmid) == (2014, "JT", "4", "999")


def test_crossref_inherits_the_parents_fields() -> None:
    refs, _ = parse_bib(
        "@incollection{ch, crossref = {book}, author = {Lee, A}, title = {Chapter}, pages = {1--9}}\n"
        "@book{book, title = {The Handbook}, year = {2001}, publisher = {P}}\n"
    )
    assert (refs["ch"].container, refs["ch"].year, refs["ch"].pages) == (
        "The Handbook",
        2001,
        "1-9",
    )


def test_unbalanced_braces_skip_the_entry_and_say_which() -> None:
    m = read_manuscript(DATA / "bib_unbalanced.bib")
    assert m.format == "bibtex"
    assert [r.authors[0].family for r in m.references] == ["Barker", "Jaffe", "Mbulaiteye"]
    assert m.skipped == (
        "BibTeX entry broken_title (line 9): unbalanced braces or a syntax error; skipped",
        "BibTeX entry no_comma_between_fields (line 22): unbalanced braces or a syntax error; skipped",
        "BibTeX entry unterminated (line 33): unbalanced braces or a syntax error; skipped",
    )


def test_duplicate_keys_keep_the_first() -> None:
    refs, skipped = parse_bib("@article{k, title={one}}\n@article{k, title={two}}\n")
    assert refs["k"].title == "one"
    assert skipped == ["BibTeX entry k (line 2): duplicate key, the first definition is used"]


@pytest.mark.parametrize(
    "data",
    [b"% nothing but a comment\n", b"@article{x, title = {never closed\n", b"\x00\x01\x02binary"],
)
def test_nothing_readable_is_an_input_error(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "refs.bib"
    path.write_bytes(data)
    with pytest.raises(InputError, match=r"refs\.bib"):
        read_bibtex(path, data)


def test_local_files_stay_in_the_folder(tmp_path: Path) -> None:
    (tmp_path / "paper").mkdir()
    (tmp_path / "secret.bib").write_text("@misc{s, title={secret}}")
    (tmp_path / "paper" / "refs.bib").write_text("@misc{r, title={ok}}")
    (tmp_path / "paper" / "link.bib").symlink_to(tmp_path / "secret.bib")
    folder = tmp_path / "paper"
    assert local_file(folder, "refs", ".bib")[0] == (folder / "refs.bib").resolve()
    for name in ("../secret", "/etc/passwd", "link", "sub/../../secret", "~/x", "C:/x"):
        found, why = local_file(folder, name, ".bib")
        assert found is None and "outside" in why, name
    assert local_file(folder, "absent", ".bib") == (None, "not found")


SEED_BIB = (DATA / "tex_seed.bib").read_text(encoding="utf-8")
PIECES = st.sampled_from(
    [
        "@article{",
        "@string{",
        "@comment{",
        "}",
        "{",
        ",",
        " = ",
        '"',
        "#",
        "\\",
        "\\'",
        '{\\"u}',
        "author",
        "title",
        "crossref",
        " and ",
        "others",
        "@",
        "\n",
        "%",
        "x",
        "2019",
        "--",
        "$",
        "~",
    ]
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(PIECES, max_size=60).map("".join))
def test_parse_bib_never_raises_on_random_text(text: str) -> None:
    refs, skipped = parse_bib(text)
    assert all(isinstance(s, str) for s in skipped)
    assert all(r.raw is not None for r in refs.values())


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(min_value=0, max_value=2**32 - 1), st.integers(min_value=1, max_value=12))
def test_random_brace_deletions_lose_only_the_damaged_entries(seed: int, count: int) -> None:
    rng = random.Random(seed)
    braces = [i for i, ch in enumerate(SEED_BIB) if ch in "{}"]
    gone = set(rng.sample(braces, count))
    damaged = "".join(ch for i, ch in enumerate(SEED_BIB) if i not in gone)
    data = damaged.encode()
    try:
        m = read_bibtex(Path("damaged.bib"), data)
    except InputError:
        return
    assert 1 <= len(m.references) <= 11
    assert len(m.references) + len(m.skipped) >= 1


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=400))
def test_read_bibtex_raises_only_input_error(data: bytes) -> None:
    with contextlib.suppress(InputError):
        read_bibtex(Path("x.bib"), data)

"""--index against the API path on real reference strings (issue 9).

97 rows of biblio-glutton's DOI-matching set (tests/data/glutton_matching_sample.json), their
gold works plus synthetic distractors built by ``benchmarks/matching.py``, resolved once
through the fake services and once from an index built from the same works' dumps. The
benchmark's own code builds both paths, so only the resolver differs.

The Crossref side must agree reference by reference. The PubMed side may not, in one
direction only: the index emulates ECitMatch and the title ESearch with ranked queries
(volume and page required, journal, year and author ranked; title words ranked), where the
services match exactly (journal string, year, every title word AND the first author). So the
index can offer a candidate where the service offers none, and the resolver validates it like
any other. The test allows exactly that: an API answer is never lost or changed, and an
extra index answer comes only from those two PubMed lookups and is the gold work, unless the
string describes another work than its gold row (a misaligned row, or two references merged
into one string, whose second work the index then finds).
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from citecheck.index.build import build
from citecheck.references import parse_reference
from citecheck.resolve.http import Http
from citecheck.resolve.index import IndexPubMed, LocalIndex
from citecheck.resolve.pubmed import PubMed
from citecheck.settings import Settings
from tests.fakeservice import FakeServices, Work, write_dumps

ROOT = Path(__file__).parent.parent
SAMPLE = Path(__file__).parent / "data" / "glutton_matching_sample.json"
LENIENT = ("pubmed-index search by DOI / citation match", "pubmed-index search by title")


@pytest.fixture(scope="module")
def matching() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "benchmarks_matching", ROOT / "benchmarks" / "matching.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["benchmarks_matching"] = module
    spec.loader.exec_module(module)
    return module


def _resolve(matching: ModuleType, backend, refs: list) -> list[tuple[str | None, str]]:
    """(predicted DOI, accepting lookup) per reference, in lists of 40 as the benchmark does."""
    out = []
    with backend as be:
        for start in range(0, len(refs), 40):
            for res in be.resolver().resolve_all(refs[start : start + 40]):
                out.append((matching._predicted(res), matching._via(res)))
    return out


@pytest.mark.parametrize("pubmed_only", [False, True], ids=["crossref+pubmed", "pubmed-only"])
def test_index_predicts_what_the_api_predicts(
    matching: ModuleType, pubmed_only: bool, tmp_path: Path
) -> None:
    rows = matching.load_rows(SAMPLE)
    corpus = matching.corpus_for(rows, seed=1, pubmed_only=pubmed_only)
    refs = [parse_reference(row.reference) for row in rows]
    built = matching.build_index(corpus, tmp_path)
    api = _resolve(matching, matching.fake_api(corpus), refs)
    local = _resolve(matching, matching.local_index(built.directory), refs)

    gold = [row.doi.lower() for row in rows]
    lost, extra = [], []
    for row, (a, a_via), (b, b_via) in zip(rows, api, local, strict=True):
        if a is not None and a != b:
            lost.append((row.index, a, a_via, b, b_via))
        elif a is None and b is not None:
            extra.append((row.index, b, b_via))
    assert not lost, f"the index lost or changed API answers: {lost}"
    assert all(via in LENIENT for _, _, via in extra), extra
    by_index = {row.index: row for row in rows}
    wrong = [
        (i, doi)
        for i, doi, _ in extra
        if doi != by_index[i].doi.lower()
        and not (matching.misaligned(by_index[i]) or matching.merged(by_index[i]))
    ]
    assert not wrong, f"the index's extra answers took other works: {wrong}"

    # Not vacuous: both paths resolve most of what they can reach, and the right works.
    # (The sample is enriched with rows the API path cannot resolve, and with --pubmed-only
    # only the rows with a PMID are there to find.)
    correct_api = sum(a == g for (a, _), g in zip(api, gold, strict=True))
    correct_local = sum(b == g for (b, _), g in zip(local, gold, strict=True))
    reachable = sum(bool(row.pmid) for row in rows) if pubmed_only else len(rows)
    assert correct_api >= 0.7 * reachable, (correct_api, reachable)
    assert correct_local >= correct_api
    if pubmed_only:  # every answer came through the PubMed side
        vias = {via.split(" ", 1)[1] for _, via in local if via}
        assert {"search by DOI / citation match", "search by title"} <= vias, vias


def test_a_citation_that_fits_several_works_is_ambiguous(tmp_path: Path) -> None:
    """Articles that all start at page 1 share journal, year, volume and page; only the
    cited author tells them apart, and ECitMatch says AMBIGUOUS without one. So must the
    index (it took the first of the ties, and the resolver accepted it on four fields)."""
    works = [
        Work(
            doi=f"10.1167/7.2.{n}",
            pmid=str(18217810 + n),
            title=title,
            authors=((au, "A"),),
            journal="J Vis",
            year=2007,
            volume="7",
            pages="1-12",
        )
        for n, (au, title) in enumerate(
            [
                ("Livne", "Configuration influence on crowding"),
                ("Nandy", "The nature of letter crowding"),
                ("Louie", "Holistic crowding"),
            ],
            start=4,
        )
    ]
    index_dir = tmp_path / "ix"
    build(index_dir, write_dumps(works, tmp_path / "dumps"))
    refs = {
        name: parse_reference(f"{name} A (2007) Some title on crowding. J Vis 7:1-12")
        for name in ("Yu", "Nandy")
    }
    local = LocalIndex(index_dir)
    try:
        from_index = IndexPubMed(local).citmatch(refs)
    finally:
        local.close()
    with FakeServices(works) as svc:
        http = Http(Settings(use_cache=False, timeout=5, retries=1), rate_limit=False)
        from_api = PubMed(http, svc.eutils_url).citmatch(refs)
        http.close()
    assert from_api["Yu"].pmid is None and "AMBIGUOUS" in from_api["Yu"].detail
    assert from_index["Yu"].pmid is None
    assert from_api["Nandy"].pmid == from_index["Nandy"].pmid == "18217815"


def test_the_whole_raw_string_is_searched(tmp_path: Path) -> None:
    """When parsing fails, Crossref is sent the first 400 characters of the string, every
    word of them; so is the index. Merged PDF strings put the cited work last."""
    work = Work(
        doi="10.1038/nbt0210-126",
        title="An economic and technical evaluation of microalgal biofuels",
        authors=(("Stephens", "E"),),
        journal="Nat Biotechnol",
    )
    build(tmp_path / "ix", write_dumps([work], tmp_path / "dumps"))
    before = " ".join(f"w{n}" for n in range(60))  # an unparsed reference before it
    local = LocalIndex(tmp_path / "ix")
    try:
        keys = local.fulltext.bibliographic(f"{before} microalgal biofuels", "crossref", 5)
    finally:
        local.close()
    assert len(before) + 30 < 400
    assert keys == ["10.1038/nbt0210-126"]

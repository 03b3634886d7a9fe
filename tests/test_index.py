"""The local index: build and update from dumps, and check --index against the services.

The equivalence tests render one set of works twice, as the fake services' API answers
and as dump files (``write_dumps``), and require the same report from both paths.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from citecheck.audit import check
from citecheck.cli import main
from citecheck.index.build import FTS_DIR, KV_DIR, build
from citecheck.index.fulltext import FullText
from citecheck.index.manifest import Manifest
from citecheck.index.store import Store
from citecheck.report.json import to_json
from citecheck.settings import Settings
from tests.fakeservice import FakeServices, Work, write_dumps
from tests.test_integration import BLINA, CART, DISTRACTOR, PUI, SANDLUND
from tests.test_integration import MANUSCRIPT as LEUKEMIA
from tests.test_integrity import MANUSCRIPT as INTEGRITY
from tests.test_integrity import NOTICE, PALESTINIANS, PREPRINT, PUBLISHED, RETRACTED

FIXTURES = Path(__file__).parent / "data" / "index"
ALL = [
    FIXTURES / "crossref-2025",
    FIXTURES / "crossref-2026",
    FIXTURES / "pubmed",
    FIXTURES / "retraction_watch.csv",
]
DEAD = "http://127.0.0.1:9"  # nothing listens: an index-only run must not need it
CASES = {
    "integrity": (
        [PALESTINIANS, RETRACTED, NOTICE, PREPRINT, PUBLISHED, PUI, SANDLUND, BLINA],
        INTEGRITY,
    ),
    "leukemia": ([PUI, SANDLUND, BLINA, CART, DISTRACTOR], LEUKEMIA),
}


@pytest.fixture(scope="module")
def fixture_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("index")
    build(directory, ALL)
    return directory


def _report(path: Path, settings: Settings) -> dict:
    return json.loads(to_json(check(path, settings)))


def _comparable(ref: dict) -> tuple:
    findings = sorted(
        (
            f["code"],
            f["message"].replace("crossref-index", "crossref").replace("pubmed-index", "pubmed"),
        )
        for f in ref["findings"]
    )
    return ref["status"], ref["record"], findings


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_index_gives_the_services_findings(case: str, tmp_path: Path) -> None:
    works, text = CASES[case]
    paper = tmp_path / "paper.md"
    paper.write_text(text, encoding="utf-8")
    # The fake services' world is exactly these works, so the dumps are all of it.
    build(tmp_path / "ix", write_dumps(works, tmp_path / "dumps"), complete=True)
    base = Settings(use_cache=False, relevance=False, timeout=2, retries=1)
    with FakeServices(works) as svc:
        online = base.replace(crossref_url=svc.crossref_url, eutils_url=svc.eutils_url)
        api = _report(paper, online)
        tiered = _report(paper, online.replace(index=tmp_path / "ix", online=True))
        asked = len(svc.requests)
    local = _report(paper, base.replace(index=tmp_path / "ix", crossref_url=DEAD, eutils_url=DEAD))

    assert local["summary"]["requests"] == 0
    assert "resolved from the local index" in local["notes"][0]
    for a, b, c in zip(api["references"], local["references"], tiered["references"], strict=True):
        assert {lk["service"] for lk in b["lookups"]} <= {"crossref-index", "pubmed-index"}
        # --online: the same verdicts; a not-found names what both paths asked.
        assert (a["status"], a["record"]) == (c["status"], c["record"])
        assert sorted(f["code"] for f in a["findings"]) == sorted(f["code"] for f in c["findings"])
        if b["status"] == "unverified":
            # Only the index cannot tell: a cited DOI it lacks may be another agency's.
            (why,) = [f for f in b["findings"] if f["code"] == "unverified"]
            assert "--online" in why["message"] and "doi-invalid" in [
                f["code"] for f in a["findings"]
            ]
        else:
            assert _comparable(a) == _comparable(b)
    statuses = [r["status"] for r in local["references"]]
    assert statuses.count("unverified") == (1 if case == "integrity" else 0)
    # --online asked the services only about what the index could not settle.
    assert asked > 0 and tiered["summary"]["requests"] < api["summary"]["requests"]


def test_worker_processes_build_the_same_index(fixture_index: Path, tmp_path: Path) -> None:
    """Files read by two worker processes, written by one: the same records, full text
    and manifest counts as a build that reads them itself."""
    build(tmp_path, ALL, jobs=2, complete=True)
    one, two = Manifest.load(fixture_index), Manifest.load(tmp_path)
    assert two.totals == one.totals and two.complete == ["crossref", "pubmed"]
    assert [s["counts"] for s in two.sources] == [s["counts"] for s in one.sources]
    a, b = Store(fixture_index / KV_DIR), Store(tmp_path / KV_DIR)
    try:
        for db in ("crossref", "pubmed", "doi_pmid", "retractions", "notice_keys", "meta"):
            with a.env.begin(db=a._db[db]) as ta, b.env.begin(db=b._db[db]) as tb:
                assert list(ta.cursor()) == list(tb.cursor()), db
    finally:
        a.close()
        b.close()
    assert FullText(tmp_path / FTS_DIR).count() == FullText(fixture_index / FTS_DIR).count()


def test_a_partial_index_never_says_not_found(tmp_path: Path) -> None:
    """Without --complete, what the index cannot match, or a cited PMID it lacks, is
    unverified with the reason, where the whole world's index says not found."""
    works, text = CASES["leukemia"]
    paper = tmp_path / "paper.md"
    # Entry 6: a real work cited with a PMID that does not exist.
    sixth = "Treatment of acute lymphoblastic leukemia. N Engl J Med. 2006;354(2):166-78."
    paper.write_text(f"{text.rstrip()}\n6. Pui CH, Evans WE. {sixth} PMID: 99999999.\n")
    dumps = write_dumps(works, tmp_path / "dumps")
    build(tmp_path / "whole", dumps, complete=True)
    build(tmp_path / "part", dumps)
    base = Settings(use_cache=False, relevance=False, crossref_url=DEAD, eutils_url=DEAD)
    whole = _report(paper, base.replace(index=tmp_path / "whole"))
    part = _report(paper, base.replace(index=tmp_path / "part"))

    assert "crossref complete, pubmed complete" in whole["notes"][0]
    assert "crossref partial, pubmed partial" in part["notes"][0]
    changed = 0
    for w, p in zip(whole["references"], part["references"], strict=True):
        if w["status"] == "not_found" or "pmid-mismatch" in {f["code"] for f in w["findings"]}:
            changed += 1
            assert p["status"] == "unverified"
            assert "not-found" not in {f["code"] for f in p["findings"]}
            assert "pmid-mismatch" not in {f["code"] for f in p["findings"]}
            (why,) = [f for f in p["findings"] if f["code"] == "unverified"]
            assert "only part of" in why["message"] and "--complete" in why["message"]
        else:
            assert _comparable(w) == _comparable(p)
    assert changed == 2  # entry 5 (in neither service) and entry 6's PMID
    assert "coverage:  crossref partial, pubmed partial" in Manifest.load(
        tmp_path / "part"
    ).summary(tmp_path / "part")


def test_build_update_and_rebuild_are_idempotent(fixture_index: Path, tmp_path: Path) -> None:
    manifest = Manifest.load(fixture_index)
    assert manifest.totals == {"crossref": 17, "pubmed": 19, "retraction_watch": 17}
    assert manifest.in_progress is None and len(manifest.sources) == 6
    assert all(len(s["sha256"]) == 64 and s["bytes"] > 0 for s in manifest.sources)

    again = tmp_path / "again"
    build(again, ALL)
    assert build(again, ALL).files == []  # every file already applied: skipped by checksum
    forced = build(again, ALL[:3], force=True)  # re-read: nothing is newer, nothing changes
    assert all(
        set(f["counts"]) & {"index_added", "index_replaced", "index_deleted"} == set()
        for f in forced.files
    )
    # Older dumps after newer ones change nothing either.
    build(
        again,
        [FIXTURES / "crossref-2025", FIXTURES / "pubmed" / "pubmed26n0001.xml.gz"],
        force=True,
    )
    assert Manifest.load(again).totals == manifest.totals
    a, b = Store(fixture_index / KV_DIR), Store(again / KV_DIR)
    try:
        for doi in ("10.1371/journal.pone.0033693", "10.1021/am300292v", "10.3892/ijo_00000353"):
            assert a.get("crossref", doi) == b.get("crossref", doi) is not None
        for pmid in ("11543891", "32894878", "9394824"):
            assert a.get("pubmed", pmid) == b.get("pubmed", pmid) is not None
        assert b.get("pubmed", "10078868") is None  # deleted by the update, not brought back
    finally:
        a.close()
        b.close()
    assert FullText(again / FTS_DIR).count() == FullText(fixture_index / FTS_DIR).count() == 36


def test_newer_stamp_and_version_win(fixture_index: Path) -> None:
    store = Store(fixture_index / KV_DIR)
    try:
        from citecheck.index.store import _unpack

        with store.env.begin() as txn:
            v2 = _unpack(txn.get(b"32894878", db=store._db["pubmed"]))
            cr = _unpack(txn.get(b"10.1371/journal.pone.0033693", db=store._db["crossref"]))
        assert v2.version == 2 and v2.stamp.startswith("26n0002")
        assert cr.stamp.startswith("2026-")  # the 2026 file's copy replaced the 2025 one
    finally:
        store.close()


def test_retraction_watch_notices_join_records(fixture_index: Path) -> None:
    from citecheck.resolve.index import LocalIndex

    index = LocalIndex(fixture_index)
    try:
        rec = index.record("crossref", "10.1021/am300292v")
        assert rec is not None
        # The dump's own updated-by and the CSV row are one notice (record 20946), not two.
        notices = [n for n in rec.notices if n.kind == "retraction"]
        assert [(n.record_id, n.doi, n.channel) for n in notices] == [
            ("20946", "10.1021/acsami.9b11759", "retraction-watch")
        ]
        pubmed = index.record("pubmed", "11543891")
        assert pubmed is not None
        assert {n.channel for n in pubmed.notices} >= {"pubmed", "retraction-watch"}
        assert index.record("crossref", "10.5555/rw-fixture-1") is None  # rows of unknown works
    finally:
        index.close()


def test_a_build_stopped_midway_is_repaired(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = {"n": 0}
    real = FullText.commit

    def crash(self: FullText) -> None:
        calls["n"] += 1
        if calls["n"] == 2:  # after the second file's records reached the key-value store
            raise KeyboardInterrupt
        real(self)

    monkeypatch.setattr(FullText, "commit", crash)
    with pytest.raises(KeyboardInterrupt):
        build(tmp_path, ALL[:1])
    monkeypatch.setattr(FullText, "commit", real)
    assert Manifest.load(tmp_path).in_progress is not None
    build(tmp_path, ALL[:1])
    manifest = Manifest.load(tmp_path)
    assert manifest.in_progress is None and manifest.totals["crossref"] == 13
    assert FullText(tmp_path / FTS_DIR).count() == 13


def test_what_the_index_does_not_hold_is_unverified(tmp_path: Path) -> None:
    build(tmp_path / "ix", [FIXTURES / "crossref-2025"])  # no PubMed in this index
    paper = tmp_path / "paper.txt"
    paper.write_text(
        "References\n1. Arnaiz-Villena A, Elaiwa N. The origin of Palestinians and their "
        "genetic relatedness with other Mediterranean populations. Hum Immunol. "
        "2001;62(9):889-900. PMID: 11543891.\n",
        encoding="utf-8",
    )
    settings = Settings(index=tmp_path / "ix", use_cache=False, relevance=False, crossref_url=DEAD)
    (ref,) = _report(paper, settings)["references"]
    assert ref["status"] == "unverified"
    failed = [lk for lk in ref["lookups"] if lk["outcome"] == "failed"]
    assert any("holds no pubmed records" in lk["detail"] for lk in failed)
    assert not [f for f in ref["findings"] if f["code"] in {"pmid-mismatch", "not-found"}]


def test_an_old_index_is_named_in_the_notes(fixture_index: Path, tmp_path: Path) -> None:
    paper = tmp_path / "paper.txt"
    paper.write_text("References\n1. Pui CH. Acute leukemia. N Engl J Med. 2006;354:166-78.\n")
    settings = Settings(index=fixture_index, use_cache=False, relevance=False)
    assert not any("days ago" in n for n in _report(paper, settings)["notes"])
    stale = _report(paper, settings.replace(index_max_age_days=-1))["notes"]
    assert any("index_max_age_days" in n for n in stale)


def test_cli_build_info_and_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ix = tmp_path / "ix"
    assert main(["index", "build", str(ix), str(FIXTURES / "pubmed")]) == 0
    out = capsys.readouterr().out
    assert "pubmed:    19 records" in out and "pubmed26n0002.xml.gz" in out
    assert main(["index", "info", str(ix), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["totals"]["pubmed"] == 19
    junk = tmp_path / "notes.txt"
    junk.write_text("x")
    for argv in (
        ["index", "info", str(tmp_path)],  # no manifest
        ["index", "build", str(ix), str(junk)],  # not a dump
        ["check", str(junk), "--index", str(tmp_path / "missing")],
    ):
        assert main(argv) == 2
        err = capsys.readouterr().err
        assert err.startswith("citecheck: error:") and "Traceback" not in err


def test_index_setting_from_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from citecheck.settings import load_settings

    monkeypatch.setenv("CITECHECK_INDEX", str(tmp_path))
    monkeypatch.setenv("CITECHECK_INDEX_MAX_AGE_DAYS", "7")
    settings = load_settings(start=tmp_path)
    assert settings.index == tmp_path and settings.index_max_age_days == 7


def test_hostile_titles_stay_text(tmp_path: Path) -> None:
    evil = Work(
        doi="10.5555/evil.1",
        pmid="90000099",
        title='<script>alert(1)</script> Leukemia "x" OR title:* AND (',
        authors=[("O'Brien", "S")],
        journal="Blood",
        year=2020,
        volume="1",
        pages="1-2",
    )
    build(tmp_path / "ix", write_dumps([evil], tmp_path / "d"))
    paper = tmp_path / "p.txt"
    paper.write_text(
        'References\n1. O\'Brien S. <script>alert(1)</script> Leukemia "x" OR title:* AND (. '
        "Blood. 2020;1:1-2.\n"
    )
    (ref,) = _report(paper, Settings(index=tmp_path / "ix", use_cache=False, relevance=False))[
        "references"
    ]
    assert ref["record"]["doi"] == "10.5555/evil.1"

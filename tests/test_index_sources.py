"""The dump readers of the local index on real-format fixtures (tests/data/index/README.md),
and on broken and hostile files."""

from __future__ import annotations

import gzip
import http.server
import io
import json
import shutil
import tarfile
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from citecheck.errors import ConfigError, InputError
from citecheck.index.sources import Deletion, Tally, Upsert
from citecheck.index.sources.crossref_dump import read_crossref
from citecheck.index.sources.pubmed_baseline import read_pubmed, series_prefix
from citecheck.index.sources.retraction_watch import (
    COLUMNS,
    iso_date,
    normalize_doi,
    normalize_pmid,
    read_retraction_watch,
    split_list,
)
from citecheck.resolve import crossref, pubmed

DATA = Path(__file__).parent / "data"
INDEX = DATA / "index"
CR2025 = INDEX / "crossref-2025"
CR2026 = INDEX / "crossref-2026"
PUBMED = INDEX / "pubmed"
RW = INDEX / "retraction_watch.csv"
PUBMED_HEADER = (
    b'<?xml version="1.0" encoding="utf-8"?>\n'
    b'<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, 1st January 2025//EN" '
    b'"https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd">\n'
)


def by_key(changes: list[Upsert]) -> dict[str, Upsert]:
    return {u.key: u for u in changes}


# --- Crossref ------------------------------------------------------------------------------


def test_crossref_2025_directory_counts_keys_and_stamps() -> None:
    tally = Tally()
    upserts = list(read_crossref(CR2025, tally))
    assert tally.counts == {"files": 2, "items": 14, "upserts": 13, "skipped_no_doi": 1}
    assert [Path(f).name for f in tally.files] == ["0.json.gz", "1.json.gz"]
    assert all(u.source == "crossref" and u.key == u.key.lower() for u in upserts)
    works = by_key(upserts)
    # The item deposited under a mixed-case DOI is keyed lower-case.
    sici = "10.1002/(sici)1098-1004(1998)11:4<286::aid-humu6>3.3.co;2-2"
    assert works[sici].record.doi == sici
    assert works["10.1371/journal.pone.0033693"].stamp == "2025-06-03T01:29:02Z"
    # Publisher corrections (updated-by) and retraction notices (update-to) come through.
    (correction,) = works["10.1371/journal.pone.0033693"].record.notices
    assert (correction.kind, correction.channel) == ("correction", "publisher")
    (retracts,) = works["10.1371/journal.pone.0210346"].record.notice_of
    assert (retracts.kind, retracts.doi) == ("retraction", "10.1371/journal.pone.0031093")


def test_crossref_2026_jsonl_and_the_retraction_watch_assertion() -> None:
    tally = Tally()
    works = by_key(list(read_crossref(CR2026 / "part-0.jsonl.gz", tally)))
    assert tally.counts == {"files": 1, "items": 11, "upserts": 11}
    am = works["10.1021/am300292v"]
    assert am.stamp == ""  # the documented fragment has no indexed date
    (notice,) = am.record.notices
    assert (notice.kind, notice.channel, notice.record_id, notice.doi, notice.date) == (
        "retraction",
        "retraction-watch",
        "20946",
        "10.1021/acsami.9b11759",
        "2019-07-26",
    )


def test_crossref_2026_items_are_newer_than_2025_ones() -> None:
    old = by_key(list(read_crossref(CR2025)))
    new = by_key(list(read_crossref(CR2026)))
    both = sorted(set(old) & set(new))
    assert len(both) == 7
    assert all(new[k].stamp >= old[k].stamp for k in both)
    assert new["10.1371/journal.pone.0033693"].stamp > old["10.1371/journal.pone.0033693"].stamp
    # Unchanged between the two recordings: same stamp, so re-applying is a no-op.
    assert new["10.3892/ijo_00000353"].stamp == old["10.3892/ijo_00000353"].stamp


def test_crossref_record_is_the_api_record() -> None:
    # The same 2026 recording, once as a /works/{doi} response and once as a dump line.
    api = json.loads((DATA / "crossref_work_10.1371_journal.pone.0033693.json").read_bytes())
    dump = by_key(list(read_crossref(CR2026)))["10.1371/journal.pone.0033693"]
    assert dump.record == crossref.to_record(api["message"])


def test_crossref_snapshot_tar_plain_files_and_natural_order(tmp_path: Path) -> None:
    expected = [u.key for u in read_crossref(CR2025)] + [u.key for u in read_crossref(CR2026)]
    tar_path = tmp_path / "all.json.tar.gz"
    with tarfile.open(tar_path, "w:gz") as tar:
        tar.add(CR2025, arcname="snapshot/2025")
        tar.add(CR2026, arcname="snapshot/2026")
        readme = tmp_path / "README.txt"
        readme.write_text("not a dump file")
        tar.add(readme, arcname="snapshot/README.txt")
    tally = Tally()
    assert [u.key for u in read_crossref(tar_path, tally)] == expected
    assert tally["files"] == 3 and tally["ignored_files"] >= 1
    assert tally.files[0] == f"{tar_path}!snapshot/2025/0.json.gz"

    plain = tmp_path / "plain"
    plain.mkdir()
    (plain / "10.json").write_bytes(gzip.decompress((CR2025 / "0.json.gz").read_bytes()))
    (plain / "2.jsonl").write_bytes(gzip.decompress((CR2026 / "part-0.jsonl.gz").read_bytes()))
    shutil.copy(CR2025 / "1.json.gz", plain / "3.json")  # gzip whatever the name says
    (plain / "10.json.md5").write_text("checksum")
    tally = Tally()
    keys = [u.key for u in read_crossref(plain, tally)]
    assert [Path(f).name for f in tally.files] == ["2.jsonl", "3.json", "10.json"]
    assert tally["ignored_files"] == 1
    assert sorted(keys) == sorted(expected)


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def test_crossref_bad_input_names_the_file_and_place(tmp_path: Path) -> None:
    lines = gzip.decompress((CR2026 / "part-0.jsonl.gz").read_bytes()).splitlines(True)
    truncated = _write(tmp_path / "t.jsonl.gz", (CR2026 / "part-0.jsonl.gz").read_bytes()[:5000])
    with pytest.raises(InputError, match=r"t\.jsonl\.gz: truncated or corrupt"):
        list(read_crossref(truncated))
    not_json = _write(tmp_path / "n.jsonl", lines[0] + b"{not json\n" + lines[1])
    with pytest.raises(InputError, match=r"n\.jsonl: line 2: not JSON"):
        list(read_crossref(not_json))
    not_object = _write(tmp_path / "o.json", b'{"items": [{"DOI": "10.5555/x"}, 42]}')
    with pytest.raises(InputError, match=r"o\.json: item 2: a work must be a JSON object"):
        list(read_crossref(not_object))
    for name in ("e.json", "e.jsonl", "e.jsonl.gz"):
        empty = _write(tmp_path / name, gzip.compress(b"", mtime=0) if name.endswith("gz") else b"")
        with pytest.raises(InputError, match="empty file"):
            list(read_crossref(empty))
    with pytest.raises(InputError, match="items"):
        list(read_crossref(_write(tmp_path / "w.json", b'{"works": []}')))
    with pytest.raises(InputError, match="not a Crossref dump file"):
        list(read_crossref(_write(tmp_path / "x.csv", b"a,b")))
    with pytest.raises(InputError, match="no such file"):
        list(read_crossref(tmp_path / "missing.jsonl"))
    with pytest.raises(InputError, match="truncated or corrupt"):
        list(read_crossref(_write(tmp_path / "s.tar.gz", b"\x1f\x8b\x08\x00garbage")))


# --- PubMed --------------------------------------------------------------------------------


def test_pubmed_baseline_file() -> None:
    tally = Tally()
    changes = list(read_pubmed(PUBMED / "pubmed26n0001.xml.gz", tally))
    assert tally.counts == {"files": 1, "upserts": 20}
    assert all(isinstance(c, Upsert) and c.version == 1 for c in changes)
    stamps = [c.stamp for c in changes]
    assert stamps[0] == "26n0001:000000001" and stamps == sorted(stamps)
    records = {c.key: c.record for c in changes if isinstance(c, Upsert)}
    retraction = records["11543891"].notices[0]
    assert (retraction.kind, retraction.pmid) == ("retraction", "11600210")
    assert records["11600210"].notice_of[0].pmid == "11543891"
    assert any(n.kind == "retraction" and n.pmid == "11905463" for n in records["10066780"].notices)
    assert records["9885794"].doi == "10.1016/s0893-133x(98)00041-4"


def test_pubmed_records_are_the_efetch_records() -> None:
    # EFetch answers go through defusedxml; the dump through lxml: same records.
    root = pubmed._xml(gzip.decompress((PUBMED / "pubmed26n0001.xml.gz").read_bytes()))
    api = {r.pmid: r for r in map(pubmed.to_record, root.iter("PubmedArticle"))}
    dump = {c.key: c.record for c in read_pubmed(PUBMED / "pubmed26n0001.xml.gz")}
    assert len(api) == 20 and dump == api


def test_pubmed_update_file_in_series_order() -> None:
    tally = Tally()
    changes = list(read_pubmed(PUBMED, tally))
    assert tally.counts == {"files": 2, "upserts": 22, "deletions": 1}
    assert [c.stamp for c in changes] == sorted(c.stamp for c in changes)
    baseline = {c.key: c for c in changes[:20] if isinstance(c, Upsert)}
    revised, version2, deleted = changes[20:]
    assert isinstance(revised, Upsert) and isinstance(version2, Upsert)
    assert revised.stamp == "26n0002:000000001" and revised.key == "9394824"
    assert revised.record == baseline["9394824"].record  # only <DateRevised> changed
    assert (version2.key, version2.version) == ("32894878", 2)
    assert deleted == Deletion(source="pubmed", key="10078868", stamp="26n0002:000000003")


def test_pubmed_directory_orders_by_series_not_by_name(tmp_path: Path) -> None:
    shutil.copy(PUBMED / "pubmed26n0002.xml.gz", tmp_path / "pubmed26n0002.xml.gz")
    shutil.copy(PUBMED / "pubmed26n0001.xml.gz", tmp_path / "pubmed25n1274.xml.gz")
    (tmp_path / "pubmed26n0002.xml.gz.md5").write_text("checksum")
    tally = Tally()
    stamps = [c.stamp for c in read_pubmed(tmp_path, tally)]
    assert stamps[0] == "25n1274:000000001" and stamps[-1] == "26n0002:000000003"
    assert tally["ignored_files"] == 1
    assert series_prefix("pubmed26n0001.xml.gz") == "26n0001"
    assert series_prefix("pubmed26n0001.xml.gz.md5") is None


def test_pubmed_file_outside_the_series_needs_a_stamp_prefix(tmp_path: Path) -> None:
    odd = tmp_path / "baseline-sample.xml.gz"
    shutil.copy(PUBMED / "pubmed26n0001.xml.gz", odd)
    with pytest.raises(InputError, match="pubmedYYnNNNN"):
        list(read_pubmed(odd))
    assert next(read_pubmed(odd, stamp_prefix="local-1")).stamp == "local-1:000000001"
    with pytest.raises(ConfigError):
        list(read_pubmed(odd, stamp_prefix="a:b"))
    with pytest.raises(ConfigError):
        list(read_pubmed(PUBMED, stamp_prefix="26n0001"))
    with pytest.raises(InputError, match="pubmedYYnNNNN"):
        list(read_pubmed(tmp_path))


def test_pubmed_book_articles_are_skipped_and_counted(tmp_path: Path) -> None:
    article = gzip.decompress((PUBMED / "pubmed26n0002.xml.gz").read_bytes())
    first = article[article.index(b"<PubmedArticle>") : article.index(b"</PubmedArticle>") + 16]
    body = (
        PUBMED_HEADER
        + b"<PubmedArticleSet><PubmedBookArticle><BookDocument><PMID Version='1'>1</PMID>"
        + b"</BookDocument></PubmedBookArticle>"
        + first
        + b"</PubmedArticleSet>"
    )
    tally = Tally()
    (change,) = read_pubmed(_write(tmp_path / "pubmed26n0003.xml", body), tally)
    assert change.stamp == "26n0003:000000002"  # the book chapter kept its place
    assert tally["skipped_book_articles"] == 1


def _bomb(levels: int) -> bytes:
    entities = '<!ENTITY l0 "lollollollollollollollollol">'
    for i in range(1, levels + 1):
        entities += f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">'
    return (
        f'<?xml version="1.0"?><!DOCTYPE PubmedArticleSet [{entities}]>'
        f"<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID Version='1'>1</PMID>"
        f"<Article><ArticleTitle>&l{levels};</ArticleTitle></Article></MedlineCitation>"
        f"</PubmedArticle></PubmedArticleSet>"
    ).encode()


@pytest.mark.parametrize("levels", [3, 9])
def test_pubmed_entity_bomb_is_refused(tmp_path: Path, levels: int) -> None:
    bomb = _write(tmp_path / "pubmed26n0009.xml.gz", gzip.compress(_bomb(levels), mtime=0))
    with pytest.raises(InputError, match="pubmed26n0009"):
        list(read_pubmed(bomb))


def test_pubmed_external_entity_is_not_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    for target in ("file:///etc/passwd", secret.as_uri()):
        xml = (
            f'<?xml version="1.0"?><!DOCTYPE PubmedArticleSet [<!ENTITY x SYSTEM "{target}">]>'
            "<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID Version='1'>1</PMID>"
            "<Article><ArticleTitle>&x;</ArticleTitle></Article></MedlineCitation>"
            "</PubmedArticle></PubmedArticleSet>"
        )
        path = _write(tmp_path / "pubmed26n0009.xml", xml.encode())
        with pytest.raises(InputError, match="declares entities"):
            list(read_pubmed(path))


@pytest.fixture
def listener() -> Iterator[tuple[str, list[str]]]:
    """A local HTTP server that records every request made to it."""
    seen: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            seen.append(self.path)
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b'<!ENTITY y "fetched">')

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", seen
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_pubmed_reader_fetches_nothing(tmp_path: Path, listener: tuple[str, list[str]]) -> None:
    url, seen = listener
    article = gzip.decompress((PUBMED / "pubmed26n0002.xml.gz").read_bytes())
    articles = article[article.index(b"<PubmedArticleSet>") :]
    # An external DTD, like the real files' NLM one: read without loading it.
    external = f'<?xml version="1.0"?><!DOCTYPE PubmedArticleSet SYSTEM "{url}/dtd">'.encode()
    path = _write(tmp_path / "pubmed26n0010.xml", external + articles)
    assert len(list(read_pubmed(path))) == 3
    # External general and parameter entities: refused, and never fetched.
    for subset in (f'<!ENTITY x SYSTEM "{url}/x">', f'<!ENTITY % p SYSTEM "{url}/p"> %p;'):
        doc = f'<?xml version="1.0"?><!DOCTYPE PubmedArticleSet [{subset}]>'.encode()
        path = _write(
            tmp_path / "pubmed26n0011.xml", doc + articles.replace(b"</Day>", b"&x;</Day>", 1)
        )
        with pytest.raises(InputError):
            list(read_pubmed(path))
    assert seen == []


def test_pubmed_broken_files(tmp_path: Path) -> None:
    data = (PUBMED / "pubmed26n0001.xml.gz").read_bytes()
    truncated = _write(tmp_path / "pubmed26n0005.xml.gz", data[: len(data) // 2])
    with pytest.raises(InputError, match=r"pubmed26n0005\.xml\.gz: truncated or corrupt"):
        list(read_pubmed(truncated))
    with pytest.raises(InputError, match="malformed XML"):
        list(read_pubmed(_write(tmp_path / "pubmed26n0006.xml.gz", gzip.compress(b"", mtime=0))))
    with pytest.raises(InputError, match="malformed XML"):
        list(read_pubmed(_write(tmp_path / "pubmed26n0006.xml", b"")))
    with pytest.raises(InputError, match="not a PubmedArticleSet"):
        list(read_pubmed(_write(tmp_path / "pubmed26n0007.xml", b"<eSearchResult/>")))
    # Cut mid-document: what came before is yielded, then the error.
    plain = gzip.decompress(data)
    cut = _write(tmp_path / "pubmed26n0008.xml", plain[: plain.index(b"<PMID", 20000)])
    reader = read_pubmed(cut)
    assert isinstance(next(reader), Upsert)
    with pytest.raises(InputError, match="malformed XML"):
        list(reader)


# --- Retraction Watch ----------------------------------------------------------------------


def test_retraction_watch_fixture() -> None:
    assert RW.read_bytes().startswith(b"\xef\xbb\xbfRecord ID,")  # the BOM is there
    tally = Tally()
    entries = {e.record_id: e for e in read_retraction_watch(RW, tally)}
    assert tally.counts == {
        "files": 1,
        "rows": 20,
        "entries": 17,
        "skipped_no_identifier": 2,  # 900013 ("unavailable", 0), 900014 (empty)
        "skipped_reinstatement": 1,  # 900012
    }
    am = entries["20946"]
    assert (am.original_doi, am.original_pmid) == ("10.1021/am300292v", None)
    assert am.notice.to_dict() == {
        "kind": "retraction",
        "label": "Retraction",
        "channel": "retraction-watch",
        "doi": "10.1021/acsami.9b11759",
        "date": "2019-07-26",
        "record_id": "20946",
    }
    # DOIs: upper case, doi.org links, surrounding spaces; "unavailable" in any case.
    assert entries["900004"].original_doi == "10.1371/journal.pone.0033693"
    assert entries["900005"].original_doi == "10.1073/pnas.1414271111"
    assert entries["900005"].notice.doi == "10.1073/pnas.1507001112"
    assert entries["900006"].original_doi == "10.1371/journal.pbio.0050002"
    assert entries["900016"].notice.doi is None  # "UNAVAILABLE"
    # PMIDs: 0, "000" and empty are none.
    pair = entries["900007"]
    assert (pair.original_doi, pair.original_pmid, pair.notice.pmid) == (
        None,
        "11543891",
        "11600210",
    )
    assert entries["900008"].notice.doi is None  # "Unavailable"
    assert entries["900006"].original_pmid is None and entries["900018"].notice.pmid is None
    # Natures, case-insensitively; dates month first.
    kinds = {e.record_id: e.notice.kind for e in entries.values()}
    assert kinds["900004"] == "correction" and kinds["900010"] == "expression_of_concern"
    assert entries["900018"].notice.kind == "expression_of_concern"
    assert entries["900018"].notice.label == "Expression of Concern"
    assert entries["900008"].notice.date == "2001-03-30"
    assert entries["900016"].notice.date is None
    # Two notices about one work stay two entries; a quoted line break stays in its field.
    assert entries["900010"].original_doi == entries["900011"].original_doi
    assert list(entries)[-1] == "900019"


def test_retraction_watch_rows_join_the_fixture_records() -> None:
    crossref_keys = {u.key for u in read_crossref(CR2025)} | {u.key for u in read_crossref(CR2026)}
    pubmed_keys = {c.key for c in read_pubmed(PUBMED)}
    for e in read_retraction_watch(RW):
        if e.original_doi and e.original_doi.startswith("10.5555/"):
            assert e.original_doi not in crossref_keys and e.original_pmid is None
            continue
        joined = (
            e.original_doi in crossref_keys
            or e.original_pmid in pubmed_keys
            or e.notice.doi in crossref_keys  # the PLOS ONE notices, whose originals are absent
        )
        assert joined, e.record_id


def test_retraction_watch_list_fields_and_values() -> None:
    text = RW.read_text(encoding="utf-8-sig")
    import csv

    rows = {r["Record ID"]: r for r in csv.DictReader(io.StringIO(text, newline=""))}
    assert list(rows["900001"]) == list(COLUMNS)
    assert split_list(rows["900010"]["Reason"]) == (
        "Concerns/Issues About Data",
        "Investigation by Journal/Publisher",
    )
    assert split_list(rows["900019"]["Author"]) == ("Única Fixture",)
    assert len(split_list(rows["900016"]["URLS"])) == 2
    assert "\n" in rows["900015"]["Title"] and "," in rows["900015"]["Notes"]
    assert iso_date("3/14/2023 0:00") == "2023-03-14"
    assert iso_date("2023-03-14") == "2023-03-14"
    assert iso_date("14/3/2023 0:00") is None
    assert normalize_doi("DOI: 10.5555/ABC") == "10.5555/abc"
    assert normalize_doi("unavailable") is None
    assert normalize_pmid("0012") == "12" and normalize_pmid("0") is None


def test_retraction_watch_broken_files(tmp_path: Path) -> None:
    header = ",".join(c for c in COLUMNS if c != "OriginalPaperPubMedID")
    with pytest.raises(InputError, match="no column OriginalPaperPubMedID"):
        list(read_retraction_watch(_write(tmp_path / "m.csv", header.encode() + b"\n1,2\n")))
    for body in (b"", b"\xef\xbb\xbf", b"\n\n"):
        with pytest.raises(InputError, match="empty file"):
            list(read_retraction_watch(_write(tmp_path / "e.csv", body)))
    # A download cut mid-row: the short last row is skipped and counted.
    data = RW.read_bytes()
    cut = _write(tmp_path / "cut.csv", data[: data.rindex(b"900019") + 40])
    tally = Tally()
    assert len(list(read_retraction_watch(cut, tally))) == 16
    assert tally["skipped_malformed"] == 1
    with pytest.raises(InputError, match="no such file"):
        list(read_retraction_watch(tmp_path / "missing.csv"))

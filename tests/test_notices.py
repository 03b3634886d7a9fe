"""Retractions and other notices, from each channel's real records, and the findings on them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from citecheck.checks.identifiers import malformed_doi, preprint_published
from citecheck.checks.notices import check_notices
from citecheck.dates import after, parse_date, submission_date
from citecheck.model import Author, Notice, ParsedReference, Record
from citecheck.resolve import crossref, pubmed

DATA = Path(__file__).parent / "data"

# The production record of 10.1021/am300292v as Crossref quoted it (forum post "Deprecating
# Retraction Watch annotations in the Labs API"); only this field of it is known to us.
RW_UPDATED_BY = [
    {
        "DOI": "10.1021/acsami.9b11759",
        "type": "retraction",
        "label": "Retraction",
        "source": "retraction-watch",
        "updated": {
            "date-parts": [[2019, 7, 26]],
            "date-time": "2019-07-26T00:00:00Z",
            "timestamp": 1564099200000,
        },
        "record-id": "20946",
    }
]


def pubmed_records(name: str) -> dict[str, Record]:
    root = pubmed._xml((DATA / name).read_bytes())
    articles = [root] if root.tag == "PubmedArticle" else list(root.iter("PubmedArticle"))
    return {r.pmid or "": r for r in map(pubmed.to_record, articles)}


def crossref_record(name: str) -> Record:
    return crossref.to_record(json.loads((DATA / name).read_text())["message"])


# -- the channels, parsed from real records ---------------------------------------------------
def test_pubmed_retracted_publication_with_retraction_in() -> None:
    rec = pubmed_records("pubmed_retraction_pair_11543891_11600210.xml")["11543891"]
    (notice,) = rec.notices
    assert (notice.kind, notice.label, notice.pmid, notice.channel) == (
        "retraction",
        "RetractionIn",
        "11600210",
        "pubmed",
    )
    assert notice.date == "2001-10"  # from the notice's RefSource "Hum Immunol. 2001 Oct;…"
    assert rec.notice_of == ()


def test_pubmed_notice_points_at_the_retracted_article() -> None:
    notice = pubmed_records("pubmed_retraction_pair_11543891_11600210.xml")["11600210"]
    assert [(n.kind, n.pmid) for n in notice.notice_of] == [("retraction", "11543891")]
    assert notice.notices == ()


def test_pubmed_erratum_without_pmid_and_retraction() -> None:
    rec = pubmed_records("pubmed_retracted_10066780.xml")["10066780"]
    assert [(n.kind, n.label, n.pmid) for n in rec.notices] == [
        ("correction", "ErratumIn", None),
        ("retraction", "RetractionIn", "11905463"),
    ]


def test_upper_case_publisher_notice_is_read_case_insensitively() -> None:
    rec = pubmed_records("pubmed_retraction_notice_27508352.xml")["27508352"]
    assert [(n.kind, n.label, n.pmid) for n in rec.notice_of] == [
        ("retraction", "RetractionOf", "26435620")
    ]


def test_crossref_update_to_on_a_notice() -> None:
    rec = crossref_record("crossref_work_retraction_notice_10.1371_journal.pone.0210346.json")
    (notice,) = rec.notice_of
    assert notice == Notice(
        kind="retraction",
        label="Retraction",
        channel="publisher",  # 2021 shape: no "source" key
        doi="10.1371/journal.pone.0031093",
        date="2018-12-31",
    )


def test_crossref_updated_by_correction_from_the_publisher() -> None:
    rec = crossref_record("crossref_work_10.1371_journal.pone.0033693.json")
    assert [(n.kind, n.channel, n.date) for n in rec.notices] == [
        ("correction", "publisher", "2012-05-08")
    ]


def test_crossref_retraction_watch_entry() -> None:
    rec = crossref.to_record({"DOI": "10.1021/am300292v", "updated-by": RW_UPDATED_BY})
    (notice,) = rec.notices
    assert (notice.channel, notice.record_id, notice.date, notice.doi) == (
        "retraction-watch",
        "20946",
        "2019-07-26",
        "10.1021/acsami.9b11759",
    )


def test_crossref_preprint_relation() -> None:
    rec = crossref_record("crossref_work_preprint_10.1101_2024.04.01.587366.json")
    assert rec.work_type == "posted-content"
    assert rec.published_as == ("10.1016/j.xgen.2025.100814",)


# -- findings ---------------------------------------------------------------------------------
REF = ParsedReference(
    raw="Saidi F. The origin of Palestinians… Hum Immunol. 2001;62:889-900.",
    authors=(Author("Arnaiz-Villena", "A"),),
    title="The origin of Palestinians and their genetic relatedness with other Mediterranean "
    "populations",
    year=2001,
    line=40,
)


def test_retracted_names_channel_notice_and_date() -> None:
    rec = pubmed_records("pubmed_retraction_pair_11543891_11600210.xml")["11543891"]
    (f,) = check_notices(REF, [rec])
    assert (f.code, f.severity, f.line, f.source) == ("retracted", "error", 40, "pubmed")
    assert "retracted (2001-10)" in f.message and "PMID 11600210" in f.message
    assert "PubMed" in f.message
    assert f.record == [
        {
            "kind": "retraction",
            "label": "RetractionIn",
            "channel": "pubmed",
            "pmid": "11600210",
            "date": "2001-10",
        }
    ]


def test_two_channels_for_one_retraction_are_one_finding() -> None:
    publisher = dict(RW_UPDATED_BY[0], source="publisher")
    del publisher["record-id"]
    rec = crossref.to_record(
        {"DOI": "10.1021/am300292v", "updated-by": [RW_UPDATED_BY[0], publisher]}
    )
    (f,) = check_notices(REF, [rec])
    assert "Retraction Watch (via Crossref) record 20946" in f.message
    assert "the publisher (Crossref)" in f.message
    assert f.source == "crossref,retraction-watch"


def test_a_retraction_after_submission_is_reported_and_marked() -> None:
    rec = crossref.to_record({"DOI": "10.1021/am300292v", "updated-by": RW_UPDATED_BY})
    (f,) = check_notices(REF, [rec], submitted="2019-03-01")
    assert f.code == "retracted" and "after this manuscript was received (2019-03-01)" in f.message
    assert f.record[0]["after_submission"] is True  # type: ignore[index]
    (before,) = check_notices(REF, [rec], submitted="2020-01-01")
    assert "after this manuscript" not in before.message


@pytest.mark.parametrize(
    ("kind", "code", "severity"),
    [
        ("retraction", "retracted", "error"),
        ("partial_retraction", "retracted", "warning"),
        ("withdrawal", "withdrawn", "warning"),
        ("expression_of_concern", "expression-of-concern", "warning"),
        ("correction", "corrected", "info"),
        ("correction_and_republication", "corrected", "warning"),
    ],
)
def test_codes_and_severities(kind: str, code: str, severity: str) -> None:
    rec = Record(source="pubmed", notices=(Notice(kind=kind, label=kind, channel="pubmed"),))  # type: ignore[arg-type]
    (f,) = check_notices(REF, [rec])
    assert (f.code, f.severity) == (code, severity)


def test_a_notice_cited_as_if_it_were_the_article() -> None:
    notice = crossref_record("crossref_work_retraction_notice_10.1371_journal.pone.0210346.json")
    cites_article = ParsedReference(
        raw="Grape Seed Proanthocyanidins Inhibit the Invasiveness of Human HNSCC Cells. "
        "doi:10.1371/journal.pone.0210346",
        title="Grape Seed Proanthocyanidins Inhibit the Invasiveness of Human HNSCC Cells",
        doi="10.1371/journal.pone.0210346",
    )
    (f,) = check_notices(cites_article, [notice])
    assert (f.code, f.severity) == ("retracted", "error")
    assert "notice (Retraction, 10.1371/journal.pone.0210346)" in f.message
    assert "doi:10.1371/journal.pone.0031093" in f.message
    assert f.suggestion and "10.1371/journal.pone.0031093" in f.suggestion
    # Citing the notice as a notice is fine.
    knowingly = ParsedReference(raw="x", title=notice.title)
    assert check_notices(knowingly, [notice]) == []


def test_retracted_marks_in_titles() -> None:
    marked = Record(source="crossref", title="RETRACTED: Ileal-lymphoid-nodular hyperplasia")
    (f,) = check_notices(REF, [marked])
    assert f.code == "retracted" and "the record's title" in f.message
    cited = ParsedReference(raw="x", title="RETRACTED: Ileal-lymphoid-nodular hyperplasia")
    (g,) = check_notices(cited, [])
    assert g.code == "retracted" and "the cited title" in g.message
    # An article about correcting something is not a notice.
    plain = Record(source="crossref", title="Correction of hypokalaemia in the elderly")
    assert check_notices(REF, [plain]) == []


def test_preprint_published_suggests_the_journal_version() -> None:
    rec = crossref_record("crossref_work_preprint_10.1101_2024.04.01.587366.json")
    ref = ParsedReference(raw="x", doi="10.1101/2024.04.01.587366", line=7)
    journal = Record(
        source="crossref", doi="10.1016/j.xgen.2025.100814", container="Cell Genomics", year=2025
    )
    f = preprint_published(ref, [rec], {"10.1016/j.xgen.2025.100814": journal})
    assert f is not None and (f.code, f.severity, f.line) == ("preprint-published", "warning", 7)
    assert "Cell Genomics, 2025, doi:10.1016/j.xgen.2025.100814" in f.message
    assert f.suggestion == "DOI 10.1016/j.xgen.2025.100814"


@pytest.mark.parametrize(
    ("raw", "bad"),
    [
        ("A B. Title. J. 2001;1:1. doi: 10.1016.j.cell.2019.01.001", "10.1016.j.cell.2019.01.001"),
        ("A B. Title. J. 2001;1:1. https://doi.org/1038/nature123", "1038/nature123"),
    ],
)
def test_malformed_doi(raw: str, bad: str) -> None:
    f = malformed_doi(ParsedReference(raw=raw))
    assert f is not None and f.code == "doi-invalid" and f.cited == bad


def test_well_formed_or_absent_doi_is_not_malformed() -> None:
    assert malformed_doi(ParsedReference(raw="A. T. J. doi:10.1/x", doi="10.1/x")) is None
    assert malformed_doi(ParsedReference(raw="Our doi policy. J. 2001;1:1.")) is None


def test_dates() -> None:
    assert parse_date("J Biol Chem. 2001 Mar 30;276(13):10576") == "2001-03-30"
    assert parse_date("Hum Immunol. 2001 Oct;62(10):1063") == "2001-10"
    text = "Received: 01-Nov-2024, Manuscript No. AAMOR-24-155333; Editor assigned: 02-Nov-2024"
    assert submission_date(text) == "2024-11-01"
    assert after("2019-07-26", "2019-06") and not after("2019", "2019-06-01")

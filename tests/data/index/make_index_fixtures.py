"""Build the dump fixtures of tests/data/index/ from recorded public responses (run by hand).

    python tests/data/index/make_index_fixtures.py FIXTURES_DIR

FIXTURES_DIR is a checkout of the recorded responses described in README.md (habanero,
paper-qa and rcrossref cassettes, fatcat's PubMed sample, metapub's efetch records,
retractobot's retracted article). Output bytes are deterministic (gzip mtime 0, sorted
choices), so running it again must leave ``git status`` clean. Every change made to a
recorded record is listed in README.md and marked below with "CONSTRUCTED".
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
import sys
from pathlib import Path
from typing import Any

import yaml

from citecheck.index.sources.retraction_watch import COLUMNS as RW_COLUMNS

OUT = Path(__file__).resolve().parent


def gz(data: bytes) -> bytes:
    return gzip.compress(data, compresslevel=9, mtime=0)


def compact(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


# --- Crossref ------------------------------------------------------------------------------


def body_items(path: Path) -> list[dict[str, Any]]:
    message = json.loads(path.read_text(encoding="utf-8"))["message"]
    return message.get("items", [message])


def cassette_items(path: Path, interaction: int) -> list[dict[str, Any]]:
    """Items of one interaction of an httpx-format habanero cassette (response.content)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    message = json.loads(data["interactions"][interaction]["response"]["content"])["message"]
    return message.get("items", [message])


def pick(items: list[dict[str, Any]], doi: str) -> dict[str, Any]:
    return next(i for i in items if i.get("DOI") == doi)


def crossref(src: Path) -> None:
    bodies = src / "crossref/extracted_bodies"
    h2025 = src / "crossref/habanero_history/2025-07-11-d385ae3"
    h2024 = src / "crossref/habanero_history/2024-11-08-2884a72"
    works = h2025 / "test-works"

    part0 = [
        cassette_items(works / "test_works_with_one_id.yaml", 0)[0],
        cassette_items(works / "test_works_mixed_ids_warn.yaml", 2)[0],
        cassette_items(works / "test_works_with_many_ids.yaml", 1)[0],
        cassette_items(works / "test_works_with_many_ids.yaml", 3)[0],
        cassette_items(works / "test_works_with_many_ids.yaml", 4)[0],
        cassette_items(h2025 / "test-workscontainer/test_workscontainer_with_two_ids.yaml", 0)[0],
        cassette_items(h2025 / "test-workscontainer/test_workscontainer_with_two_ids.yaml", 1)[0],
        pick(cassette_items(works / "test_works_field_queries.yaml", 0), "10.1101/014852"),
        body_items(bodies / "paper-qa_test_doi_search_paper_attributes4___3__200.json")[0],
    ]
    notices = [
        json.loads(p.read_text(encoding="utf-8"))["item"]
        for p in sorted((src / "crossref/retractions/extracted").glob("*.json"))
    ]
    mixed = pick(
        cassette_items(h2024 / "test-workscontainer/test_workscontainer_with_many.yaml", 0),
        "10.1002/(sici)1098-1004(1998)11:4<286::aid-humu6>3.3.co;2-2",
    )
    # CONSTRUCTED: the DOI re-cased as registered and cited (SICI form, upper case).
    mixed = {**mixed, "DOI": "10.1002/(SICI)1098-1004(1998)11:4<286::AID-HUMU6>3.3.CO;2-2"}
    no_doi = pick(cassette_items(works / "test_works_sample.yaml", 0), "10.5860/choice.29-5410")
    # CONSTRUCTED: the DOI key removed (a work the reader must skip and count).
    no_doi = {k: v for k, v in no_doi.items() if k != "DOI"}
    part1 = [*notices, mixed, no_doi]

    for name, items in (("0.json.gz", part0), ("1.json.gz", part1)):
        out = OUT / "crossref-2025" / name
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(gz(compact({"items": items}).encode("utf-8")))

    def body(name: str) -> list[dict[str, Any]]:
        return body_items(bodies / f"habanero_cassettes_{name}.json")

    # CONSTRUCTED: only the metadata Crossref's forum post prints for this record
    # (community.crossref.org/t/15884); no indexed date is given, so none is written.
    am300292v = {
        "DOI": "10.1021/am300292v",
        "updated-by": [
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
        ],
    }
    lines = [
        body("test-works_test_works_with_one_id__0__200")[0],
        body("test-works_test_works_mixed_ids_warn__2__200")[0],
        body("test-works_test_works_with_many_ids__1__200")[0],
        body("test-works_test_works_with_many_ids__3__200")[0],
        body("test-works_test_works_with_many_ids__4__200")[0],
        body("test-workscontainer_test_workscontainer_with_two_ids__0__200")[0],
        body("test-workscontainer_test_workscontainer_with_two_ids__1__200")[0],
        pick(
            body("test-prefixes_test_prefixes_field_queries__0__200"),
            "10.1371/journal.pbio.0050002",
        ),
        pick(body("test-cursor_test_cursor_max__1__200"), "10.1038/nature.2015.17807"),
        pick(body("test-cursor_test_cursor_max__1__200"), "10.36499/psnst.v14i1.11969"),
        am300292v,
    ]
    out = OUT / "crossref-2026" / "part-0.jsonl.gz"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(gz("".join(compact(i) + "\n" for i in lines).encode("utf-8")))


# --- PubMed --------------------------------------------------------------------------------

HEADER = (
    '<?xml version="1.0" encoding="utf-8"?>\n'
    '<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, 1st January 2025//EN" '
    '"https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd">\n'
    "<PubmedArticleSet>\n"
)
FATCAT = [
    "973217",
    "8655018",
    "9394824",
    "9634358",
    "9885794",
    "10078868",
    "10083987",
    "10612833",
    "11056631",
    "11525160",
    "11543891",
    "11567133",
    "11600210",
]
METAPUB = ["32160763", "32894878", "34709863", "35679569", "38546579", "38962805"]
_ARTICLE = re.compile(r"<PubmedArticle>.*?</PubmedArticle>", re.S)
_PMID = re.compile(r'<PMID Version="1">(\d+)</PMID>')


def articles(text: str) -> dict[str, str]:
    """Each <PubmedArticle>…</PubmedArticle> of a file, verbatim, by its PMID."""
    out = {}
    for m in _ARTICLE.finditer(text):
        pmid = _PMID.search(m.group())
        assert pmid is not None
        out.setdefault(pmid.group(1), m.group())
    return out


def pubmed(src: Path) -> None:
    sample = articles((src / "pubmed/fatcat/pubmedsample_2019.xml").read_text(encoding="utf-8"))
    chosen = {p: sample[p] for p in FATCAT}
    retracted = src / "pubmed/retractobot/pubmed_retracted_publication.xml"
    chosen.update(articles(retracted.read_text(encoding="utf-8")))
    for pmid in METAPUB:
        path = src / f"pubmed/metapub/pmid_xml/{pmid}.xml"
        chosen[pmid] = articles(path.read_text(encoding="utf-8"))[pmid]
    order = sorted(chosen, key=int)
    baseline = HEADER + "".join(chosen[p] + "\n" for p in order) + "</PubmedArticleSet>\n"
    out = OUT / "pubmed" / "pubmed26n0001.xml.gz"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(gz(baseline.encode("utf-8")))

    # CONSTRUCTED: 9394824 revised: only <DateRevised> changed (2006-11-15 -> 2026-01-05).
    revised = chosen["9394824"]
    old = re.search(r"<DateRevised>.*?</DateRevised>", revised, re.S)
    assert old is not None
    new = re.sub(r"<Year>\d+</Year>", "<Year>2026</Year>", old.group())
    new = re.sub(r"<Month>\d+</Month>", "<Month>01</Month>", new)
    new = re.sub(r"<Day>\d+</Day>", "<Day>05</Day>", new)
    revised = revised.replace(old.group(), new)
    # CONSTRUCTED: 32894878 delivered again as version 2 (only the Version attribute).
    version2 = chosen["32894878"].replace(
        '<PMID Version="1">32894878</PMID>', '<PMID Version="2">32894878</PMID>', 1
    )
    # CONSTRUCTED: a deletion of baseline record 10078868, in the shape of the real
    # <DeleteCitation> block that ends fatcat's 2019 sample.
    delete = '<DeleteCitation>\n<PMID Version="1">10078868</PMID>\n</DeleteCitation>\n'
    update = HEADER + revised + "\n" + version2 + "\n" + delete + "</PubmedArticleSet>\n"
    (OUT / "pubmed" / "pubmed26n0002.xml.gz").write_bytes(gz(update.encode("utf-8")))


# --- Retraction Watch ----------------------------------------------------------------------

COLUMNS = list(RW_COLUMNS)  # the reader's own header: one definition
REAL_NOTE = "citecheck fixture row built from the fixture records; not a Retraction Watch row"
FAKE_NOTE = "citecheck fixture row about no real work (10.5555 is Crossref's example prefix)"


def row(**fields: str) -> list[str]:
    return [fields.get(c.replace(" ", "_"), "") for c in COLUMNS]


def fake(record_id: str, **fields: str) -> list[str]:
    base = {
        "Record_ID": record_id,
        "Title": f"Fixture article {record_id} (not a real work)",
        "Subject": "(BLS) Biology - Cellular;(HSC) Medicine - Oncology;",
        "Institution": "Example Institute, Example City;",
        "Journal": "Example Journal of Fixtures",
        "Publisher": "Example Publisher",
        "Country": "Unknown;",
        "Author": "A Fixture;B Fixture;",
        "URLS": "",
        "ArticleType": "Research Article;",
        "RetractionDate": "3/14/2023 0:00",
        "RetractionDOI": "unavailable",
        "RetractionPubMedID": "0",
        "OriginalPaperDate": "1/5/2021 0:00",
        "OriginalPaperDOI": f"10.5555/rw-fixture-{record_id}",
        "OriginalPaperPubMedID": "0",
        "RetractionNature": "Retraction",
        "Reason": "+Duplication of Image;+Investigation by Journal/Publisher;",
        "Paywalled": "No",
        "Notes": FAKE_NOTE,
    }
    return row(**{**base, **fields})


def retraction_watch() -> None:
    plos = "Public Library of Science (PLoS)"
    rows = [
        row(
            Record_ID="900001",
            Title="Grape Seed Proanthocyanidins Inhibit the Invasiveness of Human HNSCC Cells by Targeting EGFR and Reversing the Epithelial-To-Mesenchymal Transition",
            Journal="PLOS ONE",
            Publisher=plos,
            ArticleType="Research Article;",
            RetractionDate="12/31/2018 0:00",
            RetractionDOI="10.1371/journal.pone.0210346",
            RetractionPubMedID="0",
            OriginalPaperDOI="10.1371/journal.pone.0031093",
            OriginalPaperPubMedID="0",
            RetractionNature="Retraction",
            Paywalled="No",
            Notes=REAL_NOTE,
        ),
        row(
            Record_ID="900002",
            Title="Human Phosphatidylethanolamine-Binding Protein 4 Promoted the Radioresistance of Human Rectal Cancer by Activating Akt in an ROS-Dependent Way",
            Journal="PLOS ONE",
            Publisher=plos,
            ArticleType="Research Article;",
            RetractionDate="1/10/2019 0:00",
            RetractionDOI="10.1371/journal.pone.0210896",
            RetractionPubMedID="0",
            OriginalPaperDOI="10.1371/journal.pone.0090062",
            OriginalPaperPubMedID="0",
            RetractionNature="Retraction",
            Paywalled="No",
            Notes=REAL_NOTE,
        ),
        row(
            Record_ID="900003",
            Title="PknE, a Serine/Threonine Protein Kinase of Mycobacterium tuberculosis Initiates Survival Crosstalk That Also Impacts HIV Coinfection",
            Journal="PLOS ONE",
            Publisher=plos,
            ArticleType="Research Article;",
            RetractionDate="1/17/2019 0:00",
            RetractionDOI="10.1371/journal.pone.0211247",
            RetractionPubMedID="0",
            OriginalPaperDOI="https://doi.org/10.1371/journal.pone.0083541",
            OriginalPaperPubMedID="0",
            RetractionNature="Retraction",
            Paywalled="No",
            Notes=REAL_NOTE,
        ),
        row(
            Record_ID="20946",
            RetractionDate="7/26/2019 0:00",
            RetractionDOI="10.1021/acsami.9b11759",
            RetractionPubMedID="0",
            OriginalPaperDOI="10.1021/am300292v",
            OriginalPaperPubMedID="0",
            RetractionNature="Retraction",
            Notes="citecheck fixture row: only the fields Crossref's forum post gives for this record (community.crossref.org/t/15884)",
        ),
        row(
            Record_ID="900004",
            Title="Methylphenidate Exposure Induces Dopamine Neuron Loss and Activation of Microglia in the Basal Ganglia of Mice",
            Journal="PLoS ONE",
            Publisher=plos,
            ArticleType="Research Article;",
            RetractionDate="5/8/2012 0:00",
            RetractionDOI="10.1371/annotation/c76da2c1-ccb8-4797-94c1-359d3ceceeda",
            RetractionPubMedID="0",
            OriginalPaperDOI="10.1371/JOURNAL.PONE.0033693",
            OriginalPaperPubMedID="0",
            RetractionNature="Correction",
            Paywalled="No",
            Notes=REAL_NOTE,
        ),
        row(
            Record_ID="900005",
            Title="Developing functional musculoskeletal tissues through hypoxia and lysyl oxidase-induced collagen cross-linking",
            Journal="Proceedings of the National Academy of Sciences",
            Publisher="Proceedings of the National Academy of Sciences",
            ArticleType="Research Article;",
            RetractionDate="5/4/2015 0:00",
            RetractionDOI="https://doi.org/10.1073/PNAS.1507001112",
            RetractionPubMedID="0",
            OriginalPaperDOI="http://dx.doi.org/10.1073/pnas.1414271111",
            OriginalPaperPubMedID="0",
            RetractionNature="Correction",
            Paywalled="No",
            Notes=REAL_NOTE,
        ),
        row(
            Record_ID="900006",
            Title="Impaired Genome Maintenance Suppresses the Growth Hormone–Insulin-Like Growth Factor 1 Axis in Mice with Cockayne Syndrome",
            Journal="PLoS Biology",
            Publisher=plos,
            ArticleType="Research Article;",
            RetractionDate="11/25/2008 0:00",
            RetractionDOI="10.1371/journal.pbio.0060304",
            RetractionPubMedID="0",
            OriginalPaperDOI=" 10.1371/journal.pbio.0050002 ",
            OriginalPaperPubMedID="",
            RetractionNature="Correction",
            Paywalled="No",
            Notes=REAL_NOTE,
        ),
        row(
            Record_ID="900007",
            Title="The origin of Palestinians and their genetic relatedness with other Mediterranean populations.",
            Journal="Human immunology",
            Author="Arnaiz-Villena A;Elaiwa N;Silvera C;Rostom A;Moscoso J;Gómez-Casado E;Allende L;Varela P;Martínez-Laso J;",
            ArticleType="Research Article;",
            RetractionDate="10/1/2001 0:00",
            RetractionDOI="unavailable",
            RetractionPubMedID="11600210",
            OriginalPaperDate="9/1/2001 0:00",
            OriginalPaperDOI="unavailable",
            OriginalPaperPubMedID="11543891",
            RetractionNature="Retraction",
            Paywalled="No",
            Notes=REAL_NOTE,
        ),
        row(
            Record_ID="900008",
            Title="CREB-binding [corrected] protein interacts with the homeodomain protein Cdx2 and enhances transcriptional activity.",
            Journal="The Journal of biological chemistry",
            ArticleType="Research Article;",
            RetractionDate="3/30/2001 0:00",
            RetractionDOI="Unavailable",
            RetractionPubMedID="11905463",
            OriginalPaperDate="3/12/1999 0:00",
            OriginalPaperDOI="Unavailable",
            OriginalPaperPubMedID="10066780",
            RetractionNature="Retraction",
            Paywalled="No",
            Notes=REAL_NOTE,
        ),
        row(
            Record_ID="900009",
            Title="[Effect of fetal and neonatal growth on the occurrence of some diseases in adults].",
            Journal="Ginekologia polska",
            Author="Jendryczko A;Poreba R;",
            ArticleType="Research Article;",
            RetractionDate="7/1/1998 0:00",
            RetractionDOI="",
            RetractionPubMedID="9867474",
            OriginalPaperDate="1/1/1996 0:00",
            OriginalPaperDOI="",
            OriginalPaperPubMedID="8655018",
            RetractionNature="Retraction",
            Paywalled="Unknown",
            Notes=REAL_NOTE,
        ),
        fake(
            "900010",
            RetractionNature="Expression of concern",
            Reason="+Concerns/Issues About Data;+Investigation by Journal/Publisher;",
        ),
        fake(
            "900011",
            RetractionNature="Retraction",
            OriginalPaperDOI="10.5555/rw-fixture-900010",
            RetractionDOI="10.5555/RW-FIXTURE-900011-NOTICE",
            Reason="+Duplication of Image;",
        ),
        fake(
            "900012", RetractionNature="Reinstatement", OriginalPaperDOI="10.5555/rw-fixture-900010"
        ),
        fake(
            "900013",
            OriginalPaperDOI="unavailable",
            OriginalPaperPubMedID="0",
            Title="Fixture article 900013, with neither DOI nor PMID",
        ),
        fake("900014", OriginalPaperDOI="", OriginalPaperPubMedID=""),
        fake(
            "900015",
            Title="Fixture article 900015: a title, with commas,\nand a line break (not a real work)",
            Notes='See also: "a quoted note", with commas;\nsecond line',
        ),
        fake(
            "900016",
            RetractionDate="",
            RetractionDOI="UNAVAILABLE",
            URLS="https://example.org/fixture-900016;https://example.org/fixture-900016-b;",
        ),
        fake(
            "900017",
            RetractionNature="Correction",
            OriginalPaperDOI="10.5555/RW-Fixture-900017",
            RetractionDOI="https://doi.org/10.5555/RW-FIXTURE-900017-NOTICE",
        ),
        fake("900018", RetractionNature="Expression of Concern", RetractionPubMedID="000"),
        fake(
            "900019",
            Author="Única Fixture;",
            Institution="Institut d’Exemple, Ville;Example Institute;",
            Country="France;United States;",
        ),
    ]
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerows(rows)
    (OUT / "retraction_watch.csv").write_bytes(b"\xef\xbb\xbf" + buf.getvalue().encode("utf-8"))


def main() -> None:
    src = Path(sys.argv[1])
    crossref(src)
    pubmed(src)
    retraction_watch()


if __name__ == "__main__":
    main()

"""Rebuild the reconstructed cassettes of the seed example (run by hand).

    python cassettes/build_seed.py

No machine of this project reaches Crossref or PubMed, so the seed example's evidence is
reconstructed: citecheck runs against an in-process stand-in that answers **only** what the
verified metadata below supports (see cassettes/README.md), in the schemas of the real
recordings, and its requests and answers are recorded as ordinary cassettes. A question the
verified data cannot answer is not answered at all, so replay reports it as "not in the
recorded evidence" (`unverified`), never as "not found". No identifier here is derived or
guessed: each is listed in the project's seed-reference verification notes with its source.
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl
from xml.sax.saxutils import escape

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from citecheck.audit import parse, services  # noqa: E402
from citecheck.ingest import read_manuscript  # noqa: E402
from citecheck.resolve.interface import NotRecorded  # noqa: E402
from citecheck.settings import Settings  # noqa: E402

SEED = ROOT / "examples" / "001_ea8cd2c476dabe3b.txt"
OUT = ROOT / "cassettes" / "001_ea8cd2c476dabe3b"
CROSSREF_HEADERS = {
    "content-type": "application/json",
    "x-api-pool": "public",
    "x-concurrency-limit": "1",
    "x-rate-limit-interval": "1s",
    "x-rate-limit-limit": "5",
}
NCBI_HEADERS = {"content-type": "text/xml; charset=UTF-8", "x-ratelimit-limit": "3"}
DOCTYPE = (
    '<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, 1st January 2025//EN" '
    '"https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd">'
)


@dataclass(frozen=True)
class Verified:
    """Only fields seen on a stored source page; None = not verified, so not served."""

    ref: str  # letter in the verification notes
    title: str
    journal: str
    journal_abbrev: str | None
    year: int
    month: int | None
    day: int | None
    volume: str | None
    issue: str | None
    pages_crossref: str | None
    pages_pubmed: str | None
    authors: tuple[tuple[str, str], ...] | None  # (family, given); None = not verified
    doi: str | None
    pmid: str | None
    pmcid: str | None = None
    publication_types: tuple[tuple[str, str], ...] = ()
    abstract: tuple[str, ...] = ()  # paragraphs, verbatim; section labels left out
    mesh: tuple[tuple[str, str, bool], ...] = ()  # (UI, heading, major): verified ones only


WORKS = [
    Verified(
        "c",
        "New NCCN Guidelines for Uveal Melanoma and Treatment of Recurrent or "
        "Progressive Distant Metastatic Melanoma",
        "Journal of the National Comprehensive Cancer Network",
        "J Natl Compr Canc Netw",
        2018,
        5,
        None,
        "16",
        "5S",
        "646-650",
        "646-650",
        None,
        "10.6004/jnccn.2018.0042",
        "29784747",
        abstract=(
            (
                "The NCCN Guidelines Panel for Melanoma debuted new guidelines for uveal melanoma "
                "at the NCCN 23rd Annual Conference. Although uveal melanoma and cutaneous "
                "melanoma share the same name, they do have different characteristics and "
                "treatments. The NCCN Guidelines describe how tumor size guides therapeutic "
                "options, which for most tumors is radiotherapy. Predictors of melanoma-related "
                "mortality include advanced age, larger tumor size, and histopathologic and "
                "molecular features. The NCCN Guidelines for Cutaneous Melanoma have not changed "
                "notably, but adjuvant therapy with immunotherapies is now recommended. The best "
                "second-line treatment in the metastatic setting remains unclear."
            ),
        ),
        mesh=(
            ("D008113", "Liver Neoplasms", True),
            ("D008207", "Lymphatic Metastasis", False),
            ("D008545", "Melanoma", True),
        ),
        publication_types=(("D017065", "Practice Guideline"),),
    ),
    Verified(
        "d",
        "Suboptimal Compliance With National Comprehensive Cancer Network Melanoma Guidelines",
        "American Journal of Clinical Oncology",
        None,
        2018,
        None,
        None,
        None,
        "8",
        "754-759",
        None,
        (
            ("Blakely", "Andrew M."),
            ("Comissiong", "Danielle S."),
            ("Vezeridis", "Michael P."),
            ("Miner", "Thomas J."),
        ),
        "10.1097/coc.0000000000000362",
        None,
    ),
    Verified(
        "e",
        "Local recurrence and metastasis in patients with malignant melanomas after "
        "surgery: A single-center analysis of 202 patients in South Korea",
        "PLOS ONE",
        None,
        2019,
        3,
        7,
        None,
        "3",
        "e0213475",
        None,
        (
            ("Cho", "Soo Ick"),
            ("Lee", "Jaewon"),
            ("Jo", "Gwanghyun"),
            ("Kim", "Sang Wha"),
            ("Minn", "Kyung Won"),
            ("Hong", "Ki Yong"),
            ("Jo", "Seong Jin"),
            ("Cho", "Kwang Hyun"),
            ("Kim", "Byung Jun"),
            ("Mun", "Je-Ho"),
        ),
        "10.1371/journal.pone.0213475",
        None,
    ),
    Verified(
        "f",
        "Incidence of cancer in children in the United States. Sex-, race-, and "
        "1-year age-specific rates by histologic type",
        "Cancer",
        "Cancer",
        1995,
        4,
        15,
        "75",
        "8",
        "2186-2195",
        "2186-95",
        (
            ("Gurney", "James G."),
            ("Severson", "Richard K."),
            ("Davis", "Scott"),
            ("Robison", "Leslie L."),
        ),
        "10.1002/1097-0142(19950415)75:8<2186::aid-cncr2820750825>3.0.co;2-f",
        "7697611",
        abstract=(
            (
                "Rates of cancer in children usually are presented in 5-year age groups, despite "
                "large variations of incidence within these groups. The purpose of this report is "
                "to provide histology-specific incidence rates within single-year age groups, "
                "stratified by sex and race, among children."
            ),
            (
                "Data from the National Cancer Institute's SEER Program were used to calculate "
                "incidence rates among children younger than 15 years of age at diagnosis. The "
                "SEER population denominator file was modified to allow calculation of rates "
                "within single years of age."
            ),
            (
                "Large differences in rates within 5-year age groups were found for many "
                "histologic types. Retinoblastoma and Wilms' tumor, for instance, had up to "
                "eight-fold differences. Substantial differences also were observed for "
                "non-Hodgkin's lymphoma, neuroblastoma, Hodgkin's disease, acute lymphoid "
                "leukemia, acute myeloid leukemia, and osteosarcoma. In general, rates were "
                "higher among males than females, although female rates were often higher among "
                "young children. Rates of white children were generally higher than those of "
                "black children, especially during the first 5 years of life. Embryonal tumors "
                "comprised the majority of neoplasms during the first 2 years of life."
            ),
        ),
    ),
    Verified(
        "h",
        "Classification of lymphoid neoplasms: the microscope as a tool for disease discovery",
        "Blood",
        "Blood",
        2008,
        12,
        1,
        "112",
        "12",
        "4384-4399",
        "4384-99",
        (
            ("Jaffe", "Elaine S"),
            ("Harris", "Nancy Lee"),
            ("Stein", "Harald"),
            ("Isaacson", "Peter G"),
        ),
        "10.1182/blood-2008-07-077982",
        "19029456",
        abstract=(
            (
                "In the past 50 years, we have witnessed explosive growth in the understanding of "
                "normal and neoplastic lymphoid cells. B-cell, T-cell, and natural killer "
                "(NK)–cell neoplasms in many respects recapitulate normal stages of lymphoid cell "
                "differentiation and function, so that they can be to some extent classified "
                "according to the corresponding normal stage. Likewise, the molecular mechanisms "
                "involved the pathogenesis of lymphomas and lymphoid leukemias are often based on "
                "the physiology of the lymphoid cells, capitalizing on deregulated normal "
                "physiology by harnessing the promoters of genes essential for lymphocyte "
                "function. The clinical manifestations of lymphomas likewise reflect the normal "
                "function of lymphoid cells in vivo. The multiparameter approach to "
                "classification adopted by the World Health Organization (WHO) classification has "
                "been validated in international studies as being highly reproducible, and "
                "enhancing the interpretation of clinical and translational studies. In addition, "
                "accurate and precise classification of disease entities facilitates the "
                "discovery of the molecular basis of lymphoid neoplasms in the basic science "
                "laboratory."
            ),
        ),
        pmcid="PMC2954680",
    ),
    Verified(
        "i",
        "Sporadic childhood Burkitt lymphoma incidence in the United States during 1992-2005",
        "Pediatric Blood & Cancer",
        "Pediatr Blood Cancer",
        2009,
        9,
        None,
        "53",
        "3",
        "366-370",
        "366-70",
        (
            ("Mbulaiteye", "Sam M."),
            ("Biggar", "Robert J."),
            ("Bhatia", "Kishor"),
            ("Linet", "Martha S."),
            ("Devesa", "Susan S."),
        ),
        "10.1002/pbc.22047",
        "19434731",
        abstract=(
            (
                "The risk factors and co-factors for sporadic childhood BL are unknown. We "
                "investigated demographic and age-specific characteristics of childhood BL (0-14 "
                "years) in the U.S."
            ),
            (
                "BL age-standardized incidence rates (2000 U.S. standard population), were "
                "calculated using data obtained from 12 registries in the NCI's Surveillance, "
                "Epidemiology, and End Results program for cases diagnosed from 1992 to 2005. "
                "Incidence rate ratios and 95% confidence intervals (95% CI) were calculated by "
                "gender, age-group, race, ethnicity, calendar-year period, and registry."
            ),
            (
                "Of 296 cases identified, 56% were diagnosed in lymph nodes, 21% in abdominal "
                "organs, not including retroperitoneal lymph nodes, 14% were Burkitt cell "
                "leukemia, and 9% on face/head structures. The male-to-female case ratio was "
                "highest for facial/head tumors (25:1) and lowest for Burkitt cell leukemia "
                "(1.6:1). BL incidence rate was 2.5 (95% CI 2.3-2.8) cases per million "
                "person-years and was higher among boys than girls (3.9 vs. 1.1, P < 0.001) and "
                "higher among Whites and Asians/Pacific Islanders than among Blacks (2.8 and 2.9 "
                "vs. 1.2, respectively, P < 0.001). By ethnicity, BL incidence was higher among "
                "non-Hispanic Whites than Hispanic Whites (3.2 vs. 2.0, P = 0.002). Age-specific "
                "incidence rate for BL peaked by age 3-5 years (3.4 cases per million), then "
                "stabilized or declined with increasing age, but it did not vary with "
                "calendar-year or registry area."
            ),
            (
                "Our results indicate that early childhood exposures, male-sex, and White race "
                "may be risk factors for sporadic childhood BL in the United States."
            ),
        ),
        pmcid="PMC2713377",
    ),
]


def crossref_item(w: Verified) -> dict[str, object]:
    date = [p for p in (w.year, w.month, w.day) if p is not None]
    item: dict[str, object] = {
        "DOI": w.doi,
        "type": "journal-article",
        "prefix": (w.doi or "").split("/")[0],
        "title": [w.title],
        "container-title": [w.journal],
    }
    if w.journal_abbrev:
        item["short-container-title"] = [w.journal_abbrev]
    if w.authors:
        item["author"] = [
            {
                "given": given,
                "family": family,
                "sequence": "first" if i == 0 else "additional",
                "affiliation": [],
            }
            for i, (family, given) in enumerate(w.authors)
        ]
    for key, value in (("volume", w.volume), ("issue", w.issue), ("page", w.pages_crossref)):
        if value:
            item[key] = value
    item["published"] = {"date-parts": [date]}
    item["issued"] = {"date-parts": [date]}
    item["URL"] = f"https://doi.org/{w.doi}"
    return item


def work_list(items: list[dict[str, object]], terms: str | None) -> bytes:
    return json.dumps(
        {
            "status": "ok",
            "message-type": "work-list",
            "message-version": "1.0.0",
            "message": {
                "facets": {},
                "total-results": len(items),
                "items": items,
                "items-per-page": len(items),
                "query": {"start-index": 0, "search-terms": terms},
            },
        }
    ).encode()


def pubmed_article(w: Verified) -> str:
    e = escape
    first, _, last = (w.pages_pubmed or "").partition("-")
    authors = ""
    if w.authors:
        rows = "".join(
            f'<Author ValidYN="Y"><LastName>{e(f)}</LastName><ForeName>{e(g)}</ForeName>'
            f"<Initials>{e(''.join(p[0] for p in re.split(r'[ .-]+', g) if p))}</Initials></Author>"
            for f, g in w.authors
        )
        authors = f'<AuthorList CompleteYN="Y">{rows}</AuthorList>'
    months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    pubdate = f"<Year>{w.year}</Year>" + (
        f"<Month>{months[w.month - 1]}</Month>" if w.month else ""
    )
    pubdate += f"<Day>{w.day:02d}</Day>" if w.day else ""
    types = "".join(
        f'<PublicationType UI="{ui}">{e(name)}</PublicationType>'
        for ui, name in w.publication_types
    )
    ids = f'<ArticleId IdType="pubmed">{w.pmid}</ArticleId>'
    ids += f'<ArticleId IdType="doi">{e(w.doi)}</ArticleId>' if w.doi else ""
    ids += f'<ArticleId IdType="pmc">{w.pmcid}</ArticleId>' if w.pmcid else ""
    return (
        '<PubmedArticle><MedlineCitation Status="MEDLINE" Owner="NLM">'
        f'<PMID Version="1">{w.pmid}</PMID>'
        f'<Article PubModel="Print"><Journal><JournalIssue CitedMedium="Internet">'
        + (f"<Volume>{w.volume}</Volume>" if w.volume else "")
        + (f"<Issue>{w.issue}</Issue>" if w.issue else "")
        + f"<PubDate>{pubdate}</PubDate></JournalIssue><Title>{e(w.journal)}</Title>"
        + (f"<ISOAbbreviation>{e(w.journal_abbrev)}</ISOAbbreviation>" if w.journal_abbrev else "")
        + f"</Journal><ArticleTitle>{e(w.title)}.</ArticleTitle>"
        + (
            f"<Pagination><StartPage>{first}</StartPage><EndPage>{last}</EndPage>"
            f"<MedlinePgn>{w.pages_pubmed}</MedlinePgn></Pagination>"
            if w.pages_pubmed
            else ""
        )
        + (
            "<Abstract>"
            + "".join(f"<AbstractText>{e(p)}</AbstractText>" for p in w.abstract)
            + "</Abstract>"
            if w.abstract
            else ""
        )
        + authors
        + (f"<PublicationTypeList>{types}</PublicationTypeList>" if types else "")
        + "</Article>"
        + (
            f"<MedlineJournalInfo><MedlineTA>{e(w.journal_abbrev)}</MedlineTA></MedlineJournalInfo>"
            if w.journal_abbrev
            else ""
        )
        + (
            "<MeshHeadingList>"
            + "".join(
                f'<MeshHeading><DescriptorName UI="{ui}" MajorTopicYN="{"Y" if major else "N"}">'
                f"{e(name)}</DescriptorName></MeshHeading>"
                for ui, name, major in w.mesh
            )
            + "</MeshHeadingList>"
            if w.mesh
            else ""
        )
        + f"</MedlineCitation><PubmedData><ArticleIdList>{ids}</ArticleIdList></PubmedData>"
        + "</PubmedArticle>"
    )


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


def answer(request: httpx.Request) -> httpx.Response:
    """The stand-in: answers from WORKS or declines (NotRecorded)."""
    path = request.url.path
    params = dict(request.url.params)
    if request.method == "POST":
        params.update(parse_qsl(request.read().decode()))
    if path.endswith("/works") and "query.bibliographic" in params:
        query = _norm(params["query.bibliographic"])
        hits = [w for w in WORKS if w.doi and _norm(w.title)[:40] in query]
        if len(hits) == 1:
            return httpx.Response(
                200,
                headers=CROSSREF_HEADERS,
                content=work_list([crossref_item(hits[0])], params["query.bibliographic"]),
            )
    elif path.endswith("/works") and params.get("filter", "").startswith("doi:"):
        dois = {d.removeprefix("doi:").lower() for d in params["filter"].split(",")}
        items = [crossref_item(w) for w in WORKS if w.doi and w.doi.lower() in dois]
        return httpx.Response(200, headers=CROSSREF_HEADERS, content=work_list(items, None))
    elif path.endswith("/esearch.fcgi"):
        term = params.get("term", "")
        dois = re.findall(r'"([^"]+)"\[doi\]', term)
        if dois and len(dois) == term.count("[doi]"):
            pmids = [w.pmid for w in WORKS if w.pmid and w.doi in dois]
            body = (
                '<?xml version="1.0" encoding="UTF-8" ?>\n<!DOCTYPE eSearchResult PUBLIC '
                '"-//NLM//DTD esearch 20060628//EN" "https://eutils.ncbi.nlm.nih.gov/eutils/dtd/20060628/esearch.dtd">\n'
                f"<eSearchResult><Count>{len(pmids)}</Count><RetMax>{len(pmids)}</RetMax><RetStart>0</RetStart>"
                "<IdList>"
                + "".join(f"\n<Id>{p}</Id>" for p in pmids)
                + "\n</IdList><TranslationSet/>"
                f"<QueryTranslation>{escape(term)}</QueryTranslation></eSearchResult>\n"
            )
            return httpx.Response(200, headers=NCBI_HEADERS, content=body.encode())
    elif path.endswith("/efetch.fcgi"):
        ids = params.get("id", "").split(",")
        known = {w.pmid: w for w in WORKS if w.pmid}
        if all(i in known for i in ids):
            body = (
                '<?xml version="1.0" ?>\n'
                + DOCTYPE
                + "\n<PubmedArticleSet>\n"
                + "\n".join(pubmed_article(known[i]) for i in ids)
                + "\n</PubmedArticleSet>\n"
            )
            return httpx.Response(200, headers=NCBI_HEADERS, content=body.encode())
    service = "crossref" if "/works" in path else "pubmed"
    raise NotRecorded(service, "the verified seed data cannot answer this question")


def main() -> None:
    from citecheck.resolve.cassettes import RecordingTransport

    for old in OUT.glob("*.yaml"):
        old.unlink()
    settings = Settings(use_cache=False, record_dir=OUT, retries=0)
    refs = parse(read_manuscript(SEED))
    recorder = RecordingTransport(httpx.MockTransport(answer), OUT, [])
    import citecheck.audit as audit

    # Swap the live transport for the stand-in, keep everything else as in a real --record run.
    original = audit.RecordingTransport
    audit.RecordingTransport = lambda inner, directory, secrets: recorder  # type: ignore[assignment,misc]
    try:
        with services(settings) as (resolver, _http):
            resolver.resolve_all(refs)
    finally:
        audit.RecordingTransport = original  # type: ignore[misc]
    print(f"recorded {len(recorder.interactions)} interactions into {OUT}")


if __name__ == "__main__":
    main()

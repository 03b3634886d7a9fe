"""Candidate validation and field comparison on canned records."""

from __future__ import annotations

from dataclasses import replace

from citecheck.checks.compare import compare
from citecheck.checks.match import best, evaluate, same_work
from citecheck.checks.text import journal_matches, page_parts, surnames_match, title_similarity
from citecheck.model import ParsedReference, Record
from citecheck.references import parse_reference
from tests.conftest import authors

JAFFE = (
    "Jaffe ES, Harris NL, Stein H, et al. Classification of lymphoid neoplasms: the "
    "microscope as a tool for disease discovery. Blood. 2008;112(12):4384-99."
)


# A real, well-known work that no reference in these tests cites.
UNRELATED = Record(
    source="crossref",
    title="Deep learning",
    container="Nature",
    year=2015,
    volume="521",
    pages="436-444",
    authors=authors("LeCun Y"),
)


def test_journal_abbreviations() -> None:
    assert journal_matches("Am J Clin Oncol", ["American Journal of Clinical Oncology"])
    assert journal_matches(
        "J Natl Compr Canc Netw", ["Journal of the National Comprehensive Cancer Network"]
    )
    assert journal_matches("N engl J Med", ["The New England Journal of Medicine"])
    assert journal_matches("Pediatr Blood Canc", ["Pediatric Blood & Cancer"])
    assert journal_matches(
        "Hematol Oncol Clin North Am", ["Hematology/Oncology Clinics of North America"]
    )
    assert journal_matches("Blood", ["Blood"])
    assert not journal_matches("Blood", ["Cancer"])
    assert not journal_matches("Am J Clin Oncol", ["American Journal of Otolaryngology"])


def test_names_titles_pages() -> None:
    assert surnames_match("Müller", "Muller") and surnames_match("van der Berg", "Berg")
    assert not surnames_match("Downing", "Sandlund")
    assert (
        title_similarity(
            "Local recurrence and metastasis in patients…",
            "Local recurrence and metastasis in patients with malignant melanomas",
        )
        > 0.9
    )
    assert page_parts("2186-95") == ("2186", "2195")
    assert page_parts("e0213475") == ("e0213475", None)


def test_accepts_the_cited_work_and_rejects_a_neighbour(jaffe_record: Record) -> None:
    ref = parse_reference(JAFFE)
    assert evaluate(ref, jaffe_record).accepted
    other = replace(
        jaffe_record,
        title="Molecular profiling of pediatric mature B-cell lymphoma",
        pages="1374-81",
        issue="4",
        authors=authors("Klapper W"),
    )
    assert not evaluate(ref, other).accepted  # same journal, year, volume: not enough
    chosen = best(ref, [other, jaffe_record])
    assert chosen is not None and chosen[0] is jaffe_record


def test_service_score_alone_is_not_evidence(jaffe_record: Record) -> None:
    assert best(parse_reference(JAFFE), [UNRELATED]) is None


def test_no_false_mismatch_for_et_al_truncation_and_abbreviations(jaffe_record: Record) -> None:
    assert compare(parse_reference(JAFFE), [jaffe_record]) == []
    cho = parse_reference(
        "Cho SI, Lee J, Jo G, et al. Local recurrence and metastasis in patients "
        "with malignant melanomas after surgery: A single-center…. PLoS One. "
        "2019;14(3):¢0213475."
    )
    record = Record(
        source="crossref",
        doi="10.1371/journal.pone.0213475",
        title=(
            "Local recurrence and metastasis in patients with malignant melanomas "
            "after surgery: A single-center analysis of 202 patients in South Korea"
        ),
        container="PLOS ONE",
        year=2019,
        issue="3",
        pages="e0213475",
        authors=authors("Cho SI", "Lee J", "Jo G", "Kim SW", "Minn KW"),
    )
    assert evaluate(cho, record).accepted
    assert compare(cho, [record]) == []


def test_downing_reference_is_an_author_mismatch() -> None:
    """Seed ref 7 if the record is known (canned record without identifiers)."""
    ref = parse_reference(
        "JtS. downing Jr, Crist WM. Non-Hodgkin’s lymphoma in childhood. "
        "N engl J Med. 1996;334:1238-48."
    )
    record = Record(
        source="pubmed",
        title="Non-Hodgkin's lymphoma in childhood",
        container="The New England journal of medicine",
        container_abbrev=("N Engl J Med",),
        year=1996,
        volume="334",
        pages="1238-48",
        authors=authors("Sandlund JT", "Downing JR", "Crist WM"),
    )
    assert evaluate(ref, record).accepted
    findings = compare(ref, [record])
    assert [(f.code, f.field) for f in findings] == [("field-mismatch", "authors")]
    assert "Sandlund JT" in findings[0].message and findings[0].record.startswith("Sandlund JT")


def test_each_field_mismatch_carries_cited_and_record(jaffe_record: Record) -> None:
    wrong = JAFFE.replace("2008;112(12):4384-99", "2007;113(11):4385-99")
    findings = {f.field: f for f in compare(parse_reference(wrong), [jaffe_record])}
    assert set(findings) == {"year", "volume", "issue", "pages"}
    assert (findings["volume"].cited, findings["volume"].record) == ("113", "112")
    assert findings["year"].source == "pubmed"


def test_field_agreeing_with_either_source_is_fine(jaffe_record: Record) -> None:
    online_first = replace(jaffe_record, source="crossref", years=(2009,), year=2009)
    assert compare(parse_reference(JAFFE), [online_first, jaffe_record]) == []


def test_identifier_target_check(jaffe_record: Record) -> None:
    ref = parse_reference(JAFFE + " doi:10.1182/blood-2008-07-077982")
    assert same_work(ref, jaffe_record)
    assert not same_work(ref, UNRELATED)
    bare = parse_reference("doi:10.1182/blood-2008-07-077982")
    assert same_work(bare, UNRELATED)  # nothing but the DOI to judge by


def test_a_correction_notice_is_not_the_article(jaffe_record: Record) -> None:
    notice = replace(
        jaffe_record, doi="10.1182/notice", title="Correction: " + jaffe_record.title, authors=()
    )
    ref = parse_reference(JAFFE)
    assert not evaluate(ref, notice).accepted
    chosen = best(ref, [notice, jaffe_record])
    assert chosen is not None and chosen[0] is jaffe_record


def test_title_late_in_the_raw_string_is_no_evidence() -> None:
    """A second reference glued on by PDF extraction must not lend its title."""
    raw = (
        "Gillott A, Furniss F, Walter A. Anxiety in high-functioning children with autism. "
        "Autism. 2001;5(3):277. Gosch A, Pankau R. Personality characteristics and behaviour "
        "problems in individuals of different ages with Williams syndrome. Dev Med Child "
        "Neurol. 1997;39:527-33."
    )
    ref = ParsedReference(
        raw=raw,
        title="Anxiety in high-functioning children with autism",
        authors=authors("Gillott A"),
        container="Autism",
        year=2001,
    )
    second = Record(
        source="crossref",
        title="Personality characteristics and behaviour problems "
        "in individuals of different ages with Williams syndrome",
        container="Developmental Medicine & Child Neurology",
        year=1997,
        authors=authors("Gosch A"),
    )
    assert "title" not in evaluate(ref, second).agree


def test_another_article_of_the_same_issue_and_page_is_refused() -> None:
    """Journals that number pages per article have many works at volume, year and page 1:
    with both the title and the first author contradicting, the record is another one.
    A mangled title alone, with the author agreeing, is still accepted."""
    ref = parse_reference(
        "Wilson HR, Cowan JD. Excitatory and inhibitory interactions in localized "
        "populations of model neurons. J Vis. 2007;7(9):1-10."
    )
    assert ref is not None
    other = Record(
        source="crossref",
        title="Contour integration across depth planes in the periphery",
        container="Journal of Vision",
        container_abbrev=("J Vis",),
        year=2007,
        volume="7",
        pages="1-12",
        authors=authors("Hess RF"),
    )
    ev = evaluate(ref, other)
    assert {"volume", "pages", "year", "journal"} <= set(ev.agree)
    assert {"title", "author"} <= set(ev.disagree) and not ev.accepted
    same_author = replace(other, authors=authors("Wilson HR"))
    assert evaluate(ref, same_author).accepted

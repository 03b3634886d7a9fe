"""Relevance scoring on canned manuscripts and records (no services)."""

from __future__ import annotations

from citecheck.checks.relevance import check_relevance
from citecheck.model import Author, MeshHeading, ParsedReference, Record, ReferenceResult
from citecheck.relevance import assess, profile_manuscript
from citecheck.relevance.concepts import find_concepts, mesh_concept, similarity
from citecheck.settings import Settings

ALL_PAPER = """Targeted therapy in acute lymphoblastic leukemia

Abstract
Acute lymphoblastic leukemia (ALL) is the most common cancer of children. Tyrosine kinase
inhibitors such as imatinib and dasatinib, and blinatumomab, have changed its treatment.

Introduction

ALL is treated with multi-agent chemotherapy. Philadelphia chromosome-positive ALL responds
to imatinib [1]. Blinatumomab improves survival in relapsed ALL [2]. Minimal residual
disease guides therapy in ALL [3]. Survival was estimated by Kaplan-Meier analysis [4].

References

1. A A. x. J. 2001;1:1.
"""


def ref(title: str, journal: str = "J Clin Oncol") -> ParsedReference:
    return ParsedReference(raw=title, title=title, container=journal, authors=(Author("Doe", "J"),))


def score(title: str, **kw: object) -> float:
    manuscript = profile_manuscript(ALL_PAPER)
    return assess(manuscript, ref(title), **kw).score  # type: ignore[arg-type]


def test_the_manuscript_topic_is_read_from_its_title_and_text() -> None:
    manuscript = profile_manuscript(ALL_PAPER)
    topics = [c.label for c, _ in manuscript.profile.topics(limit=3)]
    assert "leukemia" in topics[0].lower() and "lymphoblastic" in topics[0].lower()
    assert manuscript.title == "Targeted therapy in acute lymphoblastic leukemia"


def test_another_disease_scores_low_and_a_related_one_in_between() -> None:
    melanoma = score("Local recurrence and metastasis in patients with malignant melanomas")
    burkitt = score("Sporadic childhood Burkitt lymphoma incidence in the United States")
    same = score("Dasatinib for Philadelphia chromosome-positive acute lymphoblastic leukemia")
    assert melanoma < 0.35 < same
    assert melanoma < burkitt < same


def test_a_shared_drug_keeps_a_reference_on_topic() -> None:
    assert score("Imatinib in chronic myeloid leukemia: ten-year follow-up") >= 0.35


def test_general_references_are_not_pushed_down() -> None:
    for title in (
        "Regression models and life-tables",
        "Nonparametric estimation from incomplete observations",
    ):
        manuscript = profile_manuscript(ALL_PAPER)
        rel = assess(manuscript, ref(title, "J R Stat Soc B"))
        assert rel.score >= 0.5, title  # a method the manuscript uses, or general
    guideline = score("NCCN guidelines insights: acute lymphoblastic leukemia, version 1.2024")
    assert guideline >= 0.5


def test_the_explanation_names_both_subjects() -> None:
    manuscript = profile_manuscript(ALL_PAPER)
    rel = assess(manuscript, ref("New NCCN guidelines for uveal melanoma"))
    assert "melanoma" in rel.explanation.lower() and "lymphoblastic" in rel.explanation.lower()
    assert any("melanoma" in t.lower() for t in rel.reference_topics)
    assert set(rel.to_dict()) >= {"score", "manuscript_topics", "reference_topics", "explanation"}


def test_the_citing_sentence_counts() -> None:
    manuscript = profile_manuscript(ALL_PAPER)
    r = ref("Cutaneous melanoma of the head and neck")
    elsewhere = assess(manuscript, r, contexts=["Imatinib is used in Ph-positive ALL."])
    matching = assess(manuscript, r, contexts=["Melanoma of the skin also responds."])
    assert elsewhere.score < matching.score and "context" in elsewhere.evidence
    assert "citing sentence" in elsewhere.explanation


def test_a_stated_topic_decides_an_unclear_manuscript() -> None:
    vague = "Introduction\n\nWe review recent progress.\n\nReferences\n\n1. A. 2000.\n"
    r = ref("Melanoma incidence in Europe")
    plain = assess(profile_manuscript(vague), r)
    assert "manuscript topic unclear" in plain.explanation and "concepts" not in plain.evidence
    stated = assess(profile_manuscript(vague, topic="acute lymphoblastic leukemia"), r)
    assert stated.score < 0.35 and "concepts" in stated.evidence
    assert "Acute lymphoblastic leukemia" in stated.manuscript_topics


def test_weights_are_configurable() -> None:
    manuscript = profile_manuscript(ALL_PAPER)
    r = ref("Malignant melanoma after surgery")
    words_only = assess(manuscript, r, weights={"concepts": 0.0, "context": 0.0})
    assert set(words_only.evidence) >= {"words"}
    assert words_only.score == words_only.evidence["words"] or words_only.general


# MeSH 2025 tree numbers (C04 branch), as listed in the cassettes README.
ALL_MESH = mesh_concept(
    "D054198", "Precursor Cell Lymphoblastic Leukemia-Lymphoma", ("C04.557.337.428.600",)
)
MELANOMA = (
    "C04.557.465.625.650.510",
    "C04.557.580.625.650.510",
    "C04.557.665.510",
    "C04.588.805.377",
)
BURKITT = ("C04.557.386.480.150.165",)


def test_mesh_tree_distance() -> None:
    melanoma = mesh_concept("D008545", "Melanoma", MELANOMA)
    burkitt = mesh_concept("D002051", "Burkitt Lymphoma", BURKITT)
    leukemia = mesh_concept("D007938", "Leukemia", ("C04.557.337",))
    assert similarity(ALL_MESH, ALL_MESH) == 1.0
    # In the C04 tree alone both meet ALL only at "Neoplasms by Histologic Type" (C04.557).
    assert similarity(melanoma, ALL_MESH) < 0.15 and similarity(burkitt, ALL_MESH) < 0.15
    assert similarity(leukemia, ALL_MESH) > 0.4  # ALL is a kind of leukemia
    assert melanoma.category == "disease"
    assert mesh_concept("D015994", "Incidence", ("E05.318.308.985.525.375",)).category == "method"


def test_record_mesh_headings_with_tree_numbers_explain_in_mesh_terms() -> None:
    manuscript = profile_manuscript(ALL_PAPER)
    manuscript.add_mesh([ALL_MESH])
    record = Record(
        source="pubmed",
        title="A study of outcomes",
        mesh=(MeshHeading("D008545", "Melanoma", major=True),),
    )
    rel = assess(manuscript, ref("A study of outcomes"), record, trees={"D008545": MELANOMA})
    assert rel.score < 0.35
    assert "C04.557.465.625.650.510" in rel.explanation
    assert "Precursor Cell Lymphoblastic Leukemia-Lymphoma" in " ".join(rel.manuscript_topics)


def test_lexicon_matches_plurals_abbreviations_and_prefers_longest() -> None:
    found = {
        c.label for c in find_concepts("Two melanomas; relapsed B-ALL after non-Hodgkin lymphoma")
    }
    assert any("elanoma" in x for x in found)
    assert any("lymphoblastic" in x.lower() for x in found)
    assert not find_concepts("all of them were small")  # lower-case "all" is a word


def _results(titles: list[str]) -> list[ReferenceResult]:
    return [ReferenceResult(index=i, reference=ref(t)) for i, t in enumerate(titles, start=1)]


def test_list_level_finding_fires_only_when_most_of_the_list_is_off_topic() -> None:
    manuscript = profile_manuscript(ALL_PAPER)
    settings = Settings()
    off = ["Uveal melanoma guidelines", "Cutaneous melanoma of the scalp", "Melanoma after surgery"]
    results = _results([*off, "Imatinib for Ph-positive acute lymphoblastic leukemia"])
    (doc,) = check_relevance(manuscript, results, {}, settings)
    assert doc.code == "reference-list-off-topic" and doc.severity == "error"
    assert "3 of 4" in doc.message
    assert all(r.relevance is not None for r in results)
    assert [f.code for f in results[0].findings] == ["off-topic"]
    on = _results(["Blinatumomab in relapsed acute lymphoblastic leukemia"] * 3 + off[:1])
    assert check_relevance(manuscript, on, {}, settings) == []


def test_ignored_codes_are_not_reported() -> None:
    manuscript = profile_manuscript(ALL_PAPER)
    results = _results(["Uveal melanoma guidelines"] * 4)
    settings = Settings(ignore=("off-topic", "reference-list-off-topic"))
    assert check_relevance(manuscript, results, {}, settings) == []
    assert all(not r.findings and r.relevance for r in results)

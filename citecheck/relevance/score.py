"""Relevance of one reference to the manuscript: a score in [0, 1] and its explanation.

Three kinds of evidence, each in [0, 1], averaged with configurable weights over the kinds
that are available:

- concepts: how close the reference's diseases are to the manuscript's main ones
  (hierarchy distance, scaled by how central each manuscript topic is). Only a disease
  counts against a reference; a shared drug, organism or method counts for it.
- words: how much of the reference title's informative vocabulary the manuscript uses.
- context: the concept comparison against the sentences that cite the reference; their
  words can only add support.

Without concept evidence the score rests on words and is stretched (``WORDS_KNEE``): real
background citations often share no title word with the manuscript. A methods, statistics
or one-word (textbook) reference with no subject of its own never scores below
``GENERAL_FLOOR``, so general references are not flagged.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from itertools import chain

from citecheck.model import ParsedReference, Record
from citecheck.relevance.concepts import TOPICAL, Concept, ancestors_of, relation, similarity
from citecheck.relevance.profile import Manuscript, Profile, profile_reference
from citecheck.relevance.words import idf_table, word_tuple

DEFAULT_THRESHOLD = 0.35
DEFAULT_WEAK_THRESHOLD = 0.5
DEFAULT_WEIGHTS = {"concepts": 0.5, "words": 0.3, "context": 0.2}
GENERAL_FLOOR = 0.5  # score of a reference that shows no subject of its own
# Judged on words alone, a reference needs far less overlap to be on topic than when its
# subject is known: real citations of background work often share no title word with the
# manuscript. Words-only scores are stretched so that WORDS_KNEE lands on DEFAULT_THRESHOLD
# (the knee is where the benchmark's own references stay under 2 % false alarms).
WORDS_KNEE = 0.2


@dataclass(frozen=True)
class Relevance:
    score: float
    manuscript_topics: tuple[str, ...]
    reference_topics: tuple[str, ...]
    explanation: str
    evidence: dict[str, float] = field(default_factory=dict)
    general: bool = False

    @property
    def off_topic(self) -> bool:
        """Below the default threshold (the check itself uses the configured one)."""
        return self.score < DEFAULT_THRESHOLD

    def verdict(self, threshold: float, weak: float) -> str:
        if self.score < threshold:
            return "off-topic"
        if self.score < weak:
            return "weak"
        return "on-topic"

    def to_dict(self) -> dict[str, object]:
        return {
            "score": self.score,
            "manuscript_topics": list(self.manuscript_topics),
            "reference_topics": list(self.reference_topics),
            "explanation": self.explanation,
            "evidence": dict(self.evidence),
        }


@dataclass(frozen=True)
class _Link:
    ref: Concept
    target: Concept | None
    value: float


def _sentence_targets(sentence: str, targets: Mapping[Concept, float]) -> dict[Concept, float]:
    """The citing sentence's concepts. A broad one stands for the manuscript's own narrower
    topic: "cancer cells" in a leukemia paper are leukemia cells."""
    p = Profile()
    p.add(sentence, 1.0, vocabulary=False)  # only its concepts are read
    out: dict[Concept, float] = {}
    for concept, _ in p.topics(limit=0):
        narrower = [t for t in targets if ancestors_of(concept, [t]) and targets[t] >= 0.5]
        for target in narrower or [concept]:
            out[target] = 1.0
    return out


def _link(concept: Concept, targets: Mapping[Concept, float]) -> _Link:
    best = _Link(concept, None, 0.0)
    for target, salience in targets.items():
        value = similarity(concept, target) * salience
        if value > best.value:
            best = _Link(concept, target, value)
    return best


def _concept_score(
    ref_topics: list[tuple[Concept, float]], targets: Mapping[Concept, float]
) -> tuple[float | None, list[_Link]]:
    """Concept agreement, or None when the concepts say nothing either way.

    Only a disease is evidence *against*: a reference about another disease is about
    something else. Drugs, organisms and methods travel between fields (antimalarials in a
    parasite-enzyme paper, yeast in a cancer-genetics one), so they only count *for*.
    """
    if not targets:
        return None, []
    topics = [(c, s) for c, s in ref_topics if c.category in TOPICAL]
    links = [_link(c, targets) for c, _ in topics]
    weighted = list(zip(links, (s for _, s in topics), strict=True))
    diseases = [(lk, s) for lk, s in weighted if lk.ref.category == "disease"]
    support = max((lk.value for lk in links if lk.ref.category != "disease"), default=0.0)
    if diseases:
        disease = sum(lk.value * s for lk, s in diseases) / sum(s for _, s in diseases)
        return max(disease, 0.8 * support), links
    if support >= 0.5:
        return support, links
    return None, links


def _title_words(ref: ParsedReference, record: Record | None) -> set[str]:
    """The words of the titles joined by a space, which are each title's words in turn: those
    were read (and cached) for the profile. Built in the same order, so the set iterates in
    the same order and the IDF sums over it come out the same to the last bit."""
    titles = (t for t in (ref.title, record.title if record else None) if t)
    return set(chain.from_iterable(map(word_tuple, titles)))


def _sentence_words(contexts: Sequence[str]) -> dict[str, float]:
    return {w: 2.0 for sentence in contexts for w in word_tuple(sentence)}


def _coverage(unique: set[str], vocabulary: Mapping[str, float]) -> float | None:
    """IDF-weighted share of ``unique`` found in ``vocabulary`` (weighted counts); a word
    seen once earns half."""
    if not unique:
        return None
    table, unseen = idf_table()
    weights = [table.get(w, unseen) for w in unique]  # a set iterates the same every time
    total = sum(weights)
    seen = [min(1.0, vocabulary.get(w, 0.0) / 2.0) for w in unique]
    covered = sum([x * share for x, share in zip(weights, seen, strict=True)])
    return covered / total if total else None


def _stretch(score: float) -> float:
    """Piecewise-linear map of a words-only score: WORDS_KNEE -> DEFAULT_THRESHOLD."""
    if score <= WORDS_KNEE:
        return score * DEFAULT_THRESHOLD / WORDS_KNEE
    return DEFAULT_THRESHOLD + (score - WORDS_KNEE) * (1 - DEFAULT_THRESHOLD) / (1 - WORDS_KNEE)


# Whole words: "\b(?:statistic\w*|…)\b", but matched after a non-word character in the text
# with a space put in front. A leading \b is tried at every character; a leading \W lets
# the engine skip ahead to the next space or punctuation mark.
_METHOD_WORDS = re.compile(
    r"\W(?:statistic\w*|regression|inference|estimat\w*|bootstrap|jackknife|bayesian|"
    r"likelihood|algorithm\w*|software|package|toolkit|database|pipeline|alignment|"
    r"multiple (?:testing|comparisons)|false discovery|guidelines?|reporting|checklist|"
    r"protocol|nomenclature|classification)\b",
    re.IGNORECASE,
)
# The pattern is lower case: on ASCII text, lower-casing first gives the same matches as
# IGNORECASE (whose special folds, such as "ſ" for "s", are not ASCII) about three times faster.
_METHOD_WORDS_LOWER = re.compile(_METHOD_WORDS.pattern)


def _method_words(title: str) -> bool:
    if title.isascii():
        return _METHOD_WORDS_LOWER.search(" " + title.lower()) is not None
    return _METHOD_WORDS.search(" " + title) is not None


def _methodological(ref: Profile, title: str, title_words: set[str]) -> bool:
    """Cited for a method, a tool or a convention; a one- or two-word title (a textbook
    such as "Biometry") gives too little to judge a subject by."""
    if any(c.category == "method" for c in ref.concepts) or _method_words(title):
        return True
    return len(title_words) <= 2  # the words of ``title``


def assess(
    manuscript: Manuscript,
    ref: ParsedReference,
    record: Record | None = None,
    contexts: Sequence[str] = (),
    trees: Mapping[str, tuple[str, ...]] | None = None,
    weights: Mapping[str, float] | None = None,
) -> Relevance:
    weights = {**DEFAULT_WEIGHTS, **(weights or {})}
    ref_profile = profile_reference(ref, record, trees)
    # Read once, used for each kind of evidence and the explanation.
    ref_topics = ref_profile.topics(limit=0)
    title_words = _title_words(ref, record)
    targets = manuscript.targets()
    concept, links = _concept_score(ref_topics, targets)
    # How much of the reference title's informative vocabulary the manuscript uses.
    word = _coverage(title_words, manuscript.profile.words)
    context: float | None = None
    context_links: list[_Link] = []
    if contexts:
        sentence_targets: dict[Concept, float] = {}
        for sentence in contexts:
            sentence_targets.update(_sentence_targets(sentence, targets))
        by_concept = None
        if sentence_targets:
            by_concept, context_links = _concept_score(ref_topics, sentence_targets)
        # Citing sentences rarely repeat a title's words: their words can only add support.
        by_words = _coverage(title_words, _sentence_words(contexts)) or 0.0
        context = by_concept
        if by_concept is not None or by_words > (word or 0.0):
            context = max(by_concept or 0.0, by_words)
    parts = {"concepts": concept, "words": word, "context": context}
    available = {k: v for k, v in parts.items() if v is not None and weights[k] > 0}
    total = sum(weights[k] for k in available)
    score = sum(weights[k] * v for k, v in available.items()) / total if total else GENERAL_FLOOR
    if concept is None:
        score = _stretch(score)
    # A methods or statistics reference, with no subject of its own, is cited for its method.
    title = " ".join(t for t in (ref.title, record.title if record else None) if t)
    general = concept is None and _methodological(ref_profile, title, title_words)
    if general:
        score = max(score, GENERAL_FLOOR)
    score = round(min(1.0, max(0.0, score)), 3)
    m_topics = manuscript.main_topics()
    r_topics = tuple(c.describe() for c, _ in ref_topics[:4])
    explanation = _explain(general, concept, word, links, m_topics, r_topics, context_links)
    return Relevance(
        score=score,
        manuscript_topics=m_topics,
        reference_topics=r_topics,
        explanation=explanation,
        evidence={k: round(v, 3) for k, v in available.items()},
        general=general,
    )


def _explain(
    general: bool,
    concept: float | None,
    word: float | None,
    links: list[_Link],
    m_topics: tuple[str, ...],
    r_topics: tuple[str, ...],
    context_links: list[_Link],
) -> str:
    about = f"manuscript is about {_join(m_topics)}" if m_topics else "manuscript topic unclear"
    ref_about = f"reference is about {_join(r_topics)}" if r_topics else ""
    if general:
        what = f"a methods reference ({_join(r_topics)})" if r_topics else "a general reference"
        return f"{what}; {about}; not judged on subject"
    if concept is None:
        share = f"{round(100 * (word or 0))}%"
        lead = ref_about or "reference names no disease, organism or intervention"
        return (
            f"{lead}; {about}; judged on words: {share} of the title's informative words "
            "appear in the manuscript"
        )
    linked = sorted(
        (lk for lk in links if lk.target is not None and lk.value >= 0.15), key=lambda lk: -lk.value
    )
    phrases = []
    for lk in linked[:3]:
        assert lk.target is not None
        if lk.ref.ident == lk.target.ident and lk.value >= 0.5:
            phrases.append(f"both about {lk.ref.describe()}")
        else:
            phrases.append(relation(lk.ref, lk.target))
    if phrases:
        return f"{ref_about}; {about}; {'; '.join(dict.fromkeys(phrases))}"
    cited = ""
    if context_links and max(lk.value for lk in context_links) < 0.15:
        cited = "; the citing sentence is about something else too"
    return f"{ref_about}; {about}; no shared disease, drug or method concept{cited}"


def _join(items: Sequence[str]) -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]

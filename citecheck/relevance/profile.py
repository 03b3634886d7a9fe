"""Topic profiles: what the manuscript is about, and what one reference is about.

A profile is weighted concepts plus weighted words. The manuscript's weights come from
where a term appears (a stated topic and the title count most, the body least); a
reference's from its title, abstract, keywords and MeSH headings (major topics count more).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from citecheck.ingest.text import guess_title
from citecheck.model import MeshHeading, ParsedReference, Record
from citecheck.references.citations import body_text
from citecheck.references.parse import parse_reference
from citecheck.relevance.concepts import (
    Concept,
    ancestors_of,
    concept_counts,
    find_concepts,
    mesh_concept,
)
from citecheck.relevance.words import word_tuple

ZONE_WEIGHTS = {
    "topic": 6.0,
    "title": 4.0,
    "keywords": 3.0,
    "abstract": 2.0,
    "headings": 1.5,
    "body": 1.0,
}
MAIN_TOPIC_WEIGHT = 4.0  # a title mention, two in the abstract, or four in the body
MENTION_FLOOR = 0.5  # any concept the manuscript mentions counts at least this much
_GENERIC_HEADINGS = re.compile(
    r"^(abstract|introduction|background|methods?|materials and methods|results|discussion|"
    r"conclusions?|summary|acknowledge?ments?|keywords?|funding|references|limitations|"
    r"figures?|tables?|author contributions|conflicts? of interest)\b",
    re.IGNORECASE,
)
_KEYWORDS = re.compile(r"^\s*(?:key\s*words?|index terms)\s*[:.—-]\s*(.+)$", re.I | re.M)
_ABSTRACT = re.compile(r"^\s*#*\s*(?:abstract|summary)\s*[:.]?\s*$", re.I)
_CITATION_LINE = re.compile(r"^\s*citation\s*:\s*(.+)$", re.I | re.M)


@dataclass
class Profile:
    concepts: Counter[Concept] = field(default_factory=Counter)
    words: Counter[str] = field(default_factory=Counter)

    def add(
        self, text: str | None, weight: float, concepts: bool = True, vocabulary: bool = True
    ) -> None:
        if not text:
            return
        # dict.get rather than Counter's __missing__: the same sums, a Python call fewer
        if vocabulary:
            counts: Counter[str] = self.words
            for word in word_tuple(text):
                counts[word] = counts.get(word, 0) + weight  # type: ignore[assignment]
        if concepts:
            found: Counter[Concept] = self.concepts
            for concept, n in concept_counts(text):
                found[concept] = found.get(concept, 0) + weight * n  # type: ignore[assignment]

    def salience(self) -> dict[Concept, float]:
        """Weights scaled to the strongest concept of the same category, square-rooted so a
        concept mentioned a quarter as often still counts half."""
        top: dict[str, float] = {}
        for concept, weight in self.concepts.items():
            top[concept.category] = max(top.get(concept.category, 0.0), weight)
        return {
            c: min(1.0, (w / top[c.category]) ** 0.5)
            for c, w in self.concepts.items()
            if top[c.category] > 0
        }

    def topics(self, limit: int = 4, minimum: float = 0.0) -> list[tuple[Concept, float]]:
        """The specific topical concepts, strongest first: a broad concept is dropped when a
        narrower one of its own is present ("cancer" when the text is about one leukemia)."""
        if not self.concepts:
            return []  # most reference titles name no lexicon concept
        sal = {c: s for c, s in self.salience().items() if _topical(c) and s >= minimum}
        specific = list(sal)
        kept = [
            (c, s)
            for c, s in sal.items()
            if not ancestors_of(c, [o for o in specific if sal[o] >= 0.5 * s])
        ]
        weight = self.concepts
        order = {"disease": 0, "intervention": 1, "organism": 2, "method": 3}
        kept.sort(
            key=lambda cs: (order.get(cs[0].category, 4), -cs[1], -weight[cs[0]], cs[0].label)
        )
        return kept[:limit] if limit else kept

    def main_topics(self, limit: int = 4) -> list[Concept]:
        """For people: the specific concepts the text dwells on, diseases first."""
        return [c for c, _ in self.topics(limit=0) if self.concepts[c] >= MAIN_TOPIC_WEIGHT][:limit]


def _topical(concept: Concept) -> bool:
    return concept.category != "other" and bool(concept.trees) and len(concept.trees[0]) > 1


@dataclass
class Manuscript:
    """The manuscript's topic profile, and what it was read from.

    What every reference is measured against is derived once per manuscript (``targets``,
    ``main_topics``), not once per reference; ``add_mesh`` is the only change afterwards.
    """

    profile: Profile
    title: str | None
    stated_topic: str | None
    _targets: dict[Concept, float] | None = field(default=None, repr=False, compare=False)
    _main: tuple[str, ...] | None = field(default=None, repr=False, compare=False)

    def add_mesh(self, concepts: Iterable[Concept]) -> None:
        """MeSH concepts PubMed found for the title or stated topic are main topics: they
        weigh as much as the strongest concept read from the text."""
        top = max([*self.profile.concepts.values(), ZONE_WEIGHTS["title"]])
        for concept in concepts:
            self.profile.concepts[concept] = top  # type: ignore[assignment]
        self._targets = self._main = None

    def targets(self) -> dict[Concept, float]:
        """The concepts a reference is measured against, with their salience. Empty when
        the manuscript has no main topic of its own (a stray mention in a long basic-science
        paper is not one): then concepts give no evidence either way and words decide."""
        if self._targets is None:
            topics = dict(self.profile.topics(limit=0))
            main = any(self.profile.concepts[c] >= MAIN_TOPIC_WEIGHT for c in topics)
            self._targets = {c: max(s, MENTION_FLOOR) for c, s in topics.items()} if main else {}
        return self._targets

    def main_topics(self) -> tuple[str, ...]:
        """For people: what the manuscript dwells on, diseases first."""
        if self._main is None:
            self._main = tuple(c.describe() for c in self.profile.main_topics())
        return self._main


def manuscript_zones(text: str, title: str | None = None) -> dict[str, list[str]]:
    """Title, abstract, keywords, headings and body of a plain-text manuscript."""
    body, _ = body_text(text)
    lines = body.split("\n")
    zones: dict[str, list[str]] = {k: [] for k in ZONE_WEIGHTS}
    if title:
        zones["title"].append(title)
    # Journal PDFs repeat the article's own citation in a footer: the title is in it.
    for m in list(_CITATION_LINE.finditer(text))[:1]:
        zones["title"].append(parse_reference(m.group(1)).title or m.group(1))
    zones["keywords"] += [m.group(1) for m in _KEYWORDS.finditer(body)]
    for i, line in enumerate(lines):
        stripped = line.strip().lstrip("#").strip()
        if _ABSTRACT.match(line):
            zones["abstract"].append(_paragraph_after(lines, i + 1))
        elif (
            3 <= len(stripped) <= 100
            and not stripped.endswith((".", ",", ";"))
            and not _GENERIC_HEADINGS.match(stripped)
            and (i == 0 or not lines[i - 1].strip())
            and (i + 1 >= len(lines) or not lines[i + 1].strip())
        ):
            zones["headings"].append(stripped)
    zones["body"].append(body)
    return zones


def _paragraph_after(lines: list[str], start: int) -> str:
    out: list[str] = []
    for line in lines[start : start + 60]:
        if not line.strip():
            if out:
                break
            continue
        out.append(line.strip())
    return " ".join(out)


def profile_manuscript(text: str, title: str | None = None, topic: str | None = None) -> Manuscript:
    """Profile a manuscript from its text; ``topic`` is what the user says it is about."""
    profile = Profile()
    zones = manuscript_zones(text, title or guess_title(text))
    for zone, texts in zones.items():
        for chunk in texts:
            profile.add(chunk, ZONE_WEIGHTS[zone])
    if topic:
        # What the user says the manuscript is about outranks what the text suggests.
        profile.add(topic, ZONE_WEIGHTS["topic"], concepts=False)
        stated = find_concepts(topic)
        top = max([*profile.concepts.values(), ZONE_WEIGHTS["topic"]])
        for concept in list(profile.concepts):
            if concept not in stated:
                profile.concepts[concept] *= 0.25  # type: ignore[assignment]
        for concept in stated:
            profile.concepts[concept] = 2 * top  # type: ignore[assignment]
    return Manuscript(profile, next(iter(zones["title"]), None), topic)


def profile_reference(
    ref: ParsedReference,
    record: Record | None = None,
    trees: Mapping[str, tuple[str, ...]] | None = None,
) -> Profile:
    """The reference's concepts: title (cited and recorded) first, then abstract, keywords
    and MeSH. Only concepts: a reference's words are weighed from its titles alone
    (``score._title_words``), so its vocabulary is not gathered."""
    profile = Profile()
    titles = list(dict.fromkeys(t for t in (ref.title, record.title if record else None) if t))
    for t in titles:
        profile.add(t, 3.0 / len(titles), vocabulary=False)
    if record is not None:
        # A concept only in the abstract is context, not the subject: keep it, but weakly.
        profile.add(record.abstract, 0.5, vocabulary=False)
        for keyword in record.keywords:
            profile.add(keyword, 1.5, vocabulary=False)
        for heading in record.mesh:
            _add_mesh(profile, heading, trees or {})
    return profile


def _add_mesh(profile: Profile, heading: MeshHeading, trees: Mapping[str, tuple[str, ...]]) -> None:
    weight = 3.0 if heading.major else 1.0
    for concept, _ in concept_counts(heading.name):
        profile.concepts[concept] += weight  # type: ignore[assignment]
    numbers = trees.get(heading.ui)
    if numbers:
        profile.concepts[mesh_concept(heading.ui, heading.name, numbers)] += weight  # type: ignore[assignment]

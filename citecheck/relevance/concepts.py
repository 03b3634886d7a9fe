"""Concepts: what a text is about, placed in a hierarchy so that distance can be measured.

Two vocabularies feed it. The packaged lexicon (``lexicon.tsv``, citecheck's own curated
list, not MeSH) works offline. MeSH descriptors come from PubMed records and from ESearch's
query translation when the service is reachable, with tree numbers from the MeSH database.
Distances are only measured within one vocabulary: a lexicon path and a MeSH tree number
are never compared.
"""

from __future__ import annotations

import re
import string
from collections import Counter
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

from citecheck.accents import unaccent
from citecheck.relevance.words import folded, short_text_cache, stem

Category = str  # disease | organism | intervention | method | other
TOPICAL = ("disease", "organism", "intervention", "method")

# MeSH tree letters (and E-branches) to the categories relevance cares about. Persons,
# places, phenomena and health-care terms (Child, United States, Incidence) are "other":
# they describe a study population or setting, not a subject.
_MESH_CATEGORY = (
    ("C", "disease"),
    ("F03", "disease"),
    ("B", "organism"),
    ("D", "intervention"),
    ("E02", "intervention"),
    ("E04", "intervention"),
    ("E01", "method"),
    ("E05", "method"),
    ("N05.715", "method"),
)


@dataclass(frozen=True)
class Concept:
    ident: str  # lexicon path, or MeSH descriptor UI
    label: str
    category: Category
    trees: tuple[tuple[str, ...], ...]  # positions in the hierarchy, root first
    vocabulary: str  # "lexicon" | "MeSH"

    def __hash__(self) -> int:
        # The identifier alone (equality still compares every field): concepts are counted
        # in dictionaries at every mention, and hashing the trees each time is the cost.
        return hash(self.ident)

    @property
    def tree_numbers(self) -> tuple[str, ...]:
        return tuple(".".join(t) for t in self.trees) if self.vocabulary == "MeSH" else ()

    def describe(self) -> str:
        if self.tree_numbers:
            return f"{self.label} (MeSH {', '.join(self.tree_numbers[:2])})"
        return self.label


@lru_cache(maxsize=16384)
def mesh_concept(ui: str, name: str, tree_numbers: tuple[str, ...]) -> Concept:
    """Cached: the same headings (Humans, Child, Leukemia) recur across a reference list."""
    trees = tuple(tuple(t.split(".")) for t in tree_numbers)
    category = "other"
    for prefix, cat in _MESH_CATEGORY:
        if any(t.startswith(prefix) for t in tree_numbers):
            category = cat
            break
    return Concept(ui, name, category, trees, "MeSH")


def similarity(a: Concept, b: Concept) -> float:
    """How close two concepts are, 0..1, from their best pair of tree positions.

    Same concept 1. One inside the other: a reference on a narrower subject than the
    manuscript's (``a`` below ``b``) stays close; a broader one ("cancer" for a paper on
    one leukemia) is only partly related. Siblings and cousins score by the depth of the
    common ancestor, so Burkitt lymphoma is nearer ALL (shared lymphoid branch) than
    melanoma is (shared only "neoplasm").
    """
    if a.vocabulary != b.vocabulary or a.category != b.category:
        return 0.0
    if a.ident == b.ident:
        return 1.0
    best = 0.0
    for ta in a.trees:
        for tb in b.trees:
            best = max(best, _tree_similarity(ta, tb))
    return best


def _tree_similarity(a: tuple[str, ...], b: tuple[str, ...]) -> float:
    common = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        common += 1
    if common == 0:
        return 0.0
    if common == len(a) == len(b):
        return 1.0
    if common == len(b):  # a is narrower than b
        return 0.85
    if common == len(a):  # a is broader than b
        return 0.2 + 0.4 * common / len(b)
    return 0.45 * (common - 1) / (max(len(a), len(b)) - 1)


def relation(a: Concept, b: Concept) -> str:
    """How reference concept ``a`` relates to manuscript concept ``b``, in words."""
    if a.ident == b.ident:
        return f"{a.label} is only a minor topic of the manuscript"
    best: tuple[int, tuple[str, ...], tuple[str, ...]] = (0, (), ())
    for ta in a.trees:
        for tb in b.trees:
            common = 0
            for x, y in zip(ta, tb, strict=False):
                if x != y:
                    break
                common += 1
            if common > best[0]:
                best = (common, ta, tb)
    common, ta, tb = best
    if common == len(ta):
        return f"{a.label} is broader than {b.label}"
    if common == len(tb):
        return f"{a.label} is a kind of {b.label}"
    shared = ta[:common]
    if a.vocabulary == "MeSH":
        return f"{a.label} and {b.label} meet only at MeSH {'.'.join(shared)}"
    parent = lexicon().by_path.get("/".join(shared))
    return f"{a.label} and {b.label} are both {parent.label if parent else shared[-1]}"


def ancestors_of(concept: Concept, others: list[Concept]) -> bool:
    """Is ``concept`` a strict ancestor of any of ``others`` (same vocabulary)?"""
    for other in others:
        if other.vocabulary != concept.vocabulary or other.ident == concept.ident:
            continue
        for t in concept.trees:
            if any(len(o) > len(t) and o[: len(t)] == t for o in other.trees):
                return True
    return False


# -- the packaged lexicon ---------------------------------------------------------------


@dataclass(frozen=True)
class _Lexicon:
    # a name's words, stemmed and joined by one space -> its concept; strings rather than
    # tuples of words: thousands of keys, and a string is not tracked by the garbage collector
    phrases: dict[str, Concept]
    # first word -> the lengths of the phrases starting with it, longest first: most words
    # start none, and the longest-match scan tries only lengths that exist
    starts: dict[str, tuple[int, ...]]
    by_abbreviation: dict[str, Concept]
    # an abbreviation's leading run of word characters and hyphens -> the abbreviations
    # that start with it, longest first ("Ph" -> "Ph+ ALL"; "ALL" -> "ALL")
    by_first_run: dict[str, tuple[str, ...]]
    by_path: dict[str, Concept]


_POSSESSIVE = re.compile(r"['’]s\b")
_TOKEN = re.compile(r"[a-z0-9]+")
_RUN = re.compile(r"[\w-]+")  # an abbreviation stands between characters outside this set


def _tokens(folded_text: str) -> tuple[str, ...]:
    if "'" in folded_text or "’" in folded_text:  # most titles have no possessive
        folded_text = _POSSESSIVE.sub("", folded_text)
    # stem() changes only words that end in "s": the others are not looked up
    return tuple([stem(t) if t[-1] == "s" else t for t in _TOKEN.findall(folded_text)])


# Every ASCII byte but a lower-case letter, a digit and the line break, as a space: the
# bytes that separate _TOKEN's runs in a folded text ("?" stands for any other character).
_SEPARATORS = bytes(
    b if chr(b) in string.ascii_lowercase + string.digits + "\n" else 32 for b in range(256)
)


def _name_text(names: list[str]) -> str:
    """The names as ``_tokens(folded(name))`` reads them before stemming, one per line: its
    words, separated by spaces.

    Thousands of names are read at every start, so they are folded, stripped of
    possessives and cut into words all at once.
    """
    text = "\n".join(
        [name.lower() if name.isascii() else unaccent(name).casefold() for name in names]
    )
    if "'" in text or "’" in text:
        text = _POSSESSIVE.sub("", text)
    # What is left outside ASCII is no letter or digit _TOKEN reads: "?", a separator.
    return text.encode("ascii", "replace").translate(_SEPARATORS).decode("ascii")


@cache
def lexicon() -> _Lexicon:
    text = resources.files("citecheck.relevance").joinpath("lexicon.tsv").read_text("utf-8")
    lines = [ln.split("\t") for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]
    trees: dict[str, list[tuple[str, ...]]] = {}
    first: dict[str, str] = {}  # label -> the path that names the concept
    for path, label, _names in lines:
        trees.setdefault(label, []).append(tuple(path.split("/")))
        first.setdefault(label, path)
    concepts = {
        label: Concept(first[label], label, first[label].split("/")[0], tuple(t), "lexicon")
        for label, t in trees.items()
    }
    names: list[str] = []
    owners: list[Concept] = []  # each name's concept
    abbreviations: dict[str, Concept] = {}
    by_path: dict[str, Concept] = {}
    for path, label, cell in lines:
        concept = concepts[label]
        by_path[path] = concept
        for name in cell.split("|"):
            name = name.strip()
            if name.startswith("="):
                abbreviations.setdefault(name[1:], concept)
            elif name:
                names.append(name)
                owners.append(concept)
    name_text = _name_text(names)
    # stem() only ever shortens a word that ends in "s": the others are their own stem
    stems = {w: stem(w) for w in set(name_text.split()) if w[-1] == "s"}
    phrases: dict[str, Concept] = {}
    lengths: dict[str, set[int]] = {}
    for words, concept in zip(map(str.split, name_text.split("\n")), owners, strict=True):
        phrases.setdefault(" ".join(map(stems.get, words, words)), concept)
        if words:
            lengths.setdefault(stems.get(words[0], words[0]), set()).add(len(words))
    by_first_run: dict[str, list[str]] = {}
    for abbreviation in sorted(abbreviations, key=len, reverse=True):
        run = _RUN.match(abbreviation)
        if run is None:
            raise ValueError(f"lexicon abbreviation {abbreviation!r} must start with a letter")
        by_first_run.setdefault(run.group(), []).append(abbreviation)
    return _Lexicon(
        phrases,
        {word: tuple(sorted(ns, reverse=True)) for word, ns in lengths.items()},
        abbreviations,
        {run: tuple(names) for run, names in by_first_run.items()},
        by_path,
    )


def _abbreviations(text: str, by_first_run: dict[str, tuple[str, ...]]) -> list[str]:
    """Exact-case abbreviations standing alone in ``text``, left to right, longest first.

    The same matches as one alternation regex ``(?<![\\w-])(?:longest|…|shortest)(?![\\w-])``
    over all of them, without compiling it (hundreds of alternatives) or trying each at
    every character: a match starts a run of word characters and hyphens, and that run is
    the abbreviation's own first run, so a text none of whose runs is one has none.
    """
    if by_first_run.keys().isdisjoint(_RUN.findall(text)):
        return []
    out: list[str] = []
    resume = 0  # matches do not overlap
    for run in _RUN.finditer(text):
        start = run.start()
        if start < resume:
            continue
        for abbreviation in by_first_run.get(run.group(), ()):
            end = start + len(abbreviation)
            if text.startswith(abbreviation, start) and not _RUN.match(text, end):
                out.append(abbreviation)
                resume = end
                break
    return out


def find_concepts(text: str) -> Counter[Concept]:
    """Lexicon concepts mentioned in ``text``, with how often; longest phrase wins."""
    return Counter(dict(concept_counts(text)))


@short_text_cache(maxsize=4096)
def concept_counts(text: str) -> tuple[tuple[Concept, int], ...]:
    """``find_concepts(text).items()``, cached and immutable, in the order found (callers
    add them up in that order): MeSH headings, keywords and titles recur across a list."""
    lex = lexicon()
    found: dict[Concept, int] = {}
    tokens = _tokens(folded(text))
    phrases, starts = lex.phrases, lex.starts
    count = len(tokens)
    resume = 0  # the longest phrase at a word wins; the next match starts after it
    for i in [i for i, token in enumerate(tokens) if token in starts]:
        if i < resume:
            continue
        for n in starts[tokens[i]]:
            concept = phrases.get(" ".join(tokens[i : i + n])) if n <= count - i else None
            if concept is not None:
                found[concept] = found.get(concept, 0) + 1
                resume = i + n
                break
    for abbreviation in _abbreviations(text, lex.by_first_run):
        concept = lex.by_abbreviation[abbreviation]
        found[concept] = found.get(concept, 0) + 1
    return tuple(found.items())

"""Words for lexical relevance: folding, light stemming, and how informative a word is.

Informativeness is an inverse document frequency taken from real biomedical reference
titles (``idf.tsv``, built by ``benchmarks/build_idf.py``): "cancer" and "patients" say
little about a paper's subject, "intralesional" and "burkitt" say a lot.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable
from functools import cache, lru_cache, wraps
from importlib import resources
from typing import TypeVar

from citecheck.accents import unaccent

T = TypeVar("T")

_WORD = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")
STOPWORDS = frozenset(
    [
        "a",
        "about",
        "above",
        "after",
        "again",
        "against",
        "all",
        "also",
        "among",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "because",
        "been",
        "before",
        "being",
        "between",
        "both",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "during",
        "each",
        "either",
        "et",
        "al",
        "etc",
        "for",
        "from",
        "further",
        "had",
        "has",
        "have",
        "having",
        "here",
        "how",
        "however",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "itself",
        "may",
        "might",
        "more",
        "most",
        "much",
        "must",
        "no",
        "nor",
        "not",
        "of",
        "off",
        "on",
        "once",
        "only",
        "or",
        "other",
        "our",
        "out",
        "over",
        "own",
        "per",
        "same",
        "should",
        "since",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "thus",
        "to",
        "too",
        "under",
        "until",
        "upon",
        "very",
        "via",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "whether",
        "which",
        "while",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "within",
        "without",
        "would",
        "yet",
        "you",
        "your",
    ]
)


SHORT_TEXT = 2000  # characters: a title, heading, keyword or sentence; not a body


def short_text_cache(maxsize: int) -> Callable[[Callable[[str], T]], Callable[[str], T]]:
    """``lru_cache`` for texts of up to SHORT_TEXT characters: titles, headings and keywords
    are read several times and recur across a list; a manuscript's body is read once and
    is not kept alive."""

    def decorate(function: Callable[[str], T]) -> Callable[[str], T]:
        cached = lru_cache(maxsize=maxsize)(function)

        @wraps(function)
        def read(text: str) -> T:
            return cached(text) if len(text) <= SHORT_TEXT else function(text)

        return read

    return decorate


def fold(text: str) -> str:
    return unaccent(text).casefold()


@lru_cache(maxsize=64)
def folded(text: str) -> str:
    """``fold(text)``, cached: a text is read for its words and right after for its concepts."""
    return fold(text)


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Plural to singular, the only inflection that matters for titles."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("ses", "xes", "ches", "shes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


@short_text_cache(maxsize=4096)
def word_tuple(text: str) -> tuple[str, ...]:
    """``words(text)``, cached and immutable, for callers that only read it: a reference's
    title is read for its profile, its coverage and its subject."""
    # A token's hyphens separate its parts, so joining the tokens with "-" and splitting
    # gives every part in order, in two C calls instead of a loop over the tokens.
    parts = "-".join(_WORD.findall(folded(text))).split("-")
    return tuple(
        [
            stem(p) if p[-1] == "s" else p  # stem() changes only words that end in "s"
            for p in parts
            if len(p) >= 3 and p not in STOPWORDS and not p.isdigit()
        ]
    )


def words(text: str) -> list[str]:
    """Content words, stemmed; hyphenated compounds also count as their parts."""
    return list(word_tuple(text))


@cache
def idf_table() -> tuple[dict[str, float], float]:
    """Each word's log((N+1)/(df+1)) from the table, and the weight of an unseen word (df 0,
    rare). Computed once for every word: titles are weighed word by word."""
    text = resources.files("citecheck.relevance").joinpath("idf.tsv").read_text("utf-8")
    total = 0
    counts: dict[str, int] = {}
    for line in text.splitlines():
        if line.startswith("#"):
            if line.startswith("#documents"):
                total = int(line.split("\t")[1])
            continue
        word, _, n = line.partition("\t")
        counts[word] = int(n)
    weights = {word: math.log((total + 1) / (n + 1)) for word, n in counts.items()}
    return weights, math.log(total + 1)


def document_frequencies(titles: list[str]) -> Counter[str]:
    """For the build script: in how many titles each word occurs."""
    counts: Counter[str] = Counter()
    for title in titles:
        counts.update(set(words(title)))
    return counts

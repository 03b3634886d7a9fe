"""Words for lexical relevance: folding, light stemming, and how informative a word is.

Informativeness is an inverse document frequency taken from real biomedical reference
titles (``idf.tsv``, built by ``benchmarks/build_idf.py``): "cancer" and "patients" say
little about a paper's subject, "intralesional" and "burkitt" say a lot.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from functools import cache, lru_cache
from importlib import resources

from citecheck.accents import unaccent

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


def fold(text: str) -> str:
    return unaccent(text).casefold()


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


def words(text: str) -> list[str]:
    """Content words, stemmed; hyphenated compounds also count as their parts."""
    out: list[str] = []
    for match in _WORD.finditer(fold(text)):
        token = match.group()
        parts = token.split("-") if "-" in token else [token]
        for part in parts:
            if len(part) >= 3 and part not in STOPWORDS and not part.isdigit():
                out.append(stem(part))
    return out


@cache
def _table() -> tuple[int, dict[str, int]]:
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
    return total, counts


def idf(word: str) -> float:
    """log((N+1)/(df+1)), a word unseen in the table counts as rare."""
    total, counts = _table()
    return math.log((total + 1) / (counts.get(word, 0) + 1))


def document_frequencies(titles: list[str]) -> Counter[str]:
    """For the build script: in how many titles each word occurs."""
    counts: Counter[str] = Counter()
    for title in titles:
        counts.update(set(words(title)))
    return counts

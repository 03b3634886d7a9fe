"""Normalisation shared by the matcher and the comparison: names, titles, journals, pages."""

from __future__ import annotations

import re
from functools import lru_cache

from rapidfuzz import fuzz

from citecheck.accents import unaccent

_STOP = {"the", "of", "and", "&", "for", "in", "on", "a", "an", "und", "de", "la", "le", "des"}
_PARTICLES = {
    "van",
    "von",
    "der",
    "den",
    "de",
    "del",
    "della",
    "di",
    "da",
    "le",
    "la",
    "du",
    "dos",
    "das",
    "ten",
    "ter",
    "y",
}


_TAG = re.compile(r"<[^>]+>")  # JATS/MathML tags in Crossref titles
_PUNCT = re.compile(r"[^\w\s]")
# _PUNCT's replacement for ASCII text as one bytes.translate, several times faster.
_PUNCT_ASCII = bytes(32 if c < 128 and _PUNCT.match(chr(c)) else c for c in range(256))


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lower case, no diacritics, no punctuation, single spaces.

    Cached: the matcher folds the same names and titles for every candidate record.
    """
    text = unaccent(text)
    if "<" in text:
        text = _TAG.sub(" ", text)
    if text.isascii():
        text = text.lower().encode("ascii").translate(_PUNCT_ASCII).decode("ascii")
    else:
        text = _PUNCT.sub(" ", text.casefold())
    return " ".join(text.split())  # whitespace runs as single spaces, none at the ends


_NOTICE = re.compile(
    r"^\s*(?:correction|erratum|corrigendum|retraction(?: note| notice)?|retracted|"
    r"expression of concern|withdrawal|withdrawn|addendum|notice of retraction)\b",
    re.IGNORECASE,
)


def is_notice(title: str | None) -> bool:
    """Titles of editorial notices: 'Correction: …', 'Retraction note to: …'."""
    return bool(title) and _NOTICE.match(title or "") is not None


@lru_cache(maxsize=65536)
def surname_key(name: str) -> str:
    """'van der Berg' -> 'berg'; 'García-Márquez' -> 'garciamarquez'."""
    parts = fold(name).split()
    words = [w for w in parts if w not in _PARTICLES] or parts
    return words[-1] if len(words) > 1 and len(words[-1]) > 2 else "".join(words)


@lru_cache(maxsize=65536)
def surnames_match(a: str, b: str) -> bool:
    """Cached: the comparison asks each cited name against each record's authors."""
    ka, kb = surname_key(a), surname_key(b)
    if not ka or not kb:
        return False
    if ka == kb or fold(a).replace(" ", "") == fold(b).replace(" ", ""):
        return True
    # OCR and transliteration: one edit in a long name.
    return min(len(ka), len(kb)) >= 6 and fuzz.ratio(ka, kb) >= 90


def title_similarity(cited: str | None, record: str | None) -> float:
    """0..1; a cited title truncated with '…' or '...' is compared with the record's prefix."""
    if not cited or not record:
        return 0.0
    truncated = cited.rstrip().endswith(("…", "...", "..", "[…]"))
    a, b = fold(cited.rstrip(".… ")), fold(record)
    if not a or not b:
        return 0.0
    if truncated:
        b = b[: len(a) + 5]
    score = fuzz.ratio(a, b)
    if len(a) >= 20 and (b.startswith(a) or a.startswith(b)):
        # A subtitle dropped on one side.
        score = max(score, 92.0)
    return score / 100.0


def _abbrev_word(abbr: str, word: str) -> bool:
    """'natl' abbreviates 'national': same first letter, letters in order."""
    if not abbr or not word or abbr[0] != word[0]:
        return False
    it = iter(word)
    return all(ch in it for ch in abbr)


def journal_matches(cited: str | None, names: list[str]) -> bool:
    """Cited journal vs the record's full title and abbreviations."""
    if not cited:
        return True
    c = [w for w in fold(cited).split() if w not in _STOP]
    for name in names:
        if not name:
            continue
        n = [w for w in fold(name.replace("/", " ")).split() if w not in _STOP]
        if c == n:
            return True
        # Every cited word abbreviates the record's word in order; the record may carry a
        # trailing subtitle ("... - Head and Neck Medicine and Surgery"), but a one-word
        # citation ("Blood") must match a one-word title.
        abbreviates = c and len(c) <= len(n) and all(map(_abbrev_word, c, n))
        if abbreviates and (len(c) == len(n) or len(c) >= 2):
            return True
        if fuzz.ratio(" ".join(c), " ".join(n)) >= 90:
            return True
    return False


_PAGE_DASH = re.compile(r"\s*[-–—]\s*")
_NOT_ALNUM = re.compile(r"[^0-9a-z]")


@lru_cache(maxsize=65536)
def page_parts(pages: str | None) -> tuple[str | None, str | None]:
    """'2186-95' -> ('2186', '2195'); 'e0213475' -> ('e0213475', None).

    Cached: a cited range is read against each record, and again for duplicates.
    """
    if not pages:
        return None, None
    parts = _PAGE_DASH.split(pages.strip(), maxsplit=1)
    first = parts[0].strip().lower() or None
    last = parts[1].strip().lower() if len(parts) > 1 else None
    if first and last and first.isdigit() and last.isdigit() and len(last) < len(first):
        last = first[: len(first) - len(last)] + last
    return first, last


@lru_cache(maxsize=65536)
def norm_number(value: str | None) -> str:
    """'012' -> '12', 'Suppl. 5' -> 'suppl5'. Cached: volumes and pages recur per record."""
    return _NOT_ALNUM.sub("", (value or "").lower()).lstrip("0") or ""

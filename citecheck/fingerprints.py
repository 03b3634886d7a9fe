"""Stable identities for findings, so reruns, baselines and code-scanning alerts line up.

A fingerprint must survive what editing a manuscript does to it: lines move, entries are
renumbered, a typo elsewhere is fixed. So it is built from the finding's code and field and
from what the reference *is* (its DOI, else PMID, else first author + year + title), never
from line numbers or list positions.
"""

from __future__ import annotations

import hashlib
import re

from citecheck.accents import unaccent
from citecheck.model import Finding, ParsedReference

_LEADING_NUMBER = re.compile(r"^\s*[\[(]?\d+[\].):]?\s*")
_NON_WORD = re.compile(r"[^0-9a-z]+")
_PER_TARGET = {"missing-reference"}


def fold(text: str) -> str:
    """Lower case, no accents, punctuation and spacing collapsed to single spaces."""
    return _NON_WORD.sub(" ", unaccent(text).lower()).strip()


def reference_key(ref: ParsedReference) -> str:
    """What the entry cites, independent of where it sits in the list."""
    if ref.doi:
        return "doi:" + ref.doi.lower()
    if ref.pmid:
        return "pmid:" + ref.pmid
    first = fold(ref.authors[0].family) if ref.authors else ""
    title = fold(ref.title or "")[:80]
    if first or title:
        return f"cite:{first}|{ref.year or ''}|{title}"
    return "raw:" + fold(_LEADING_NUMBER.sub("", ref.raw))[:200]


def fingerprint(finding: Finding, ref: ParsedReference | None = None) -> str:
    """32 hex digits; ``ref`` is the entry the finding is about (None: the manuscript)."""
    if ref is not None:
        scope = reference_key(ref)
    else:
        # One per manuscript, except a missing reference, which is one per marker ("[12]").
        target = str(finding.cited or "") if finding.code in _PER_TARGET else ""
        scope = "manuscript:" + fold(target)
    key = f"{finding.code}|{finding.field or ''}|{scope}"
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]

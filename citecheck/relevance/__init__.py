"""Relevance: is each reference about what the manuscript is about?

profile the manuscript (``profile_manuscript``), then ``assess`` each reference against it.
"""

from citecheck.relevance.profile import Manuscript, profile_manuscript
from citecheck.relevance.score import (
    DEFAULT_THRESHOLD,
    DEFAULT_WEAK_THRESHOLD,
    DEFAULT_WEIGHTS,
    Relevance,
    assess,
)

__all__ = [
    "DEFAULT_THRESHOLD",
    "DEFAULT_WEAK_THRESHOLD",
    "DEFAULT_WEIGHTS",
    "Manuscript",
    "Relevance",
    "assess",
    "profile_manuscript",
]

"""Placeholders for citations in markup (LaTeX ``\\cite``, pandoc ``[@key]``).

A reader that finds citations in markup swaps each one for a placeholder while it turns the
markup into plain text, then reads every citation's sentence around its placeholder, split
into sentences as plain-text manuscripts are (``citecheck.references.citations``). The
placeholders are private-use characters; ``clean`` takes them out of the input first, so a
manuscript cannot forge one.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from citecheck.references.citations import cut_markers, sentence_starts

PLACEHOLDER = re.compile("\ue000(\\d+)\ue001")


def placeholder(n: int) -> str:
    """What stands for citation ``n`` in the text."""
    return f"\ue000{n}\ue001"


def clean(text: str) -> str:
    """Unix line ends, and no character a placeholder is made of."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.replace("\ue000", "").replace("\ue001", "")


def sentences(text: str) -> dict[int, str]:
    """Citation number -> the sentence its placeholder stands in, every placeholder cut out."""
    out: dict[int, str] = {}
    for paragraph in re.split(r"\n[ \t]*\n", text):
        if "\ue000" not in paragraph:
            continue
        joined = " ".join(paragraph.split())
        hits = list(PLACEHOLDER.finditer(joined))
        masked = PLACEHOLDER.sub(lambda m: " " * len(m.group(0)), joined)
        bounds = [*sentence_starts(masked), len(joined)]
        by_sentence: dict[int, list[re.Match[str]]] = {}
        for hit in hits:
            by_sentence.setdefault(bisect_right(bounds, hit.start()) - 1, []).append(hit)
        for k, group in by_sentence.items():
            sentence = cut_markers(joined, bounds[k], bounds[k + 1], [h.span() for h in group])
            out.update((int(h.group(1)), sentence) for h in group)
    return out

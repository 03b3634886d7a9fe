"""Accents undone, so that "Núñez" and "Nunez" compare equal wherever names and words meet."""

from __future__ import annotations

import unicodedata


def unaccent(text: str) -> str:
    """Compatibility-decompose (NFKD) and drop the combining marks; case is kept."""
    if text.isascii():  # most text; the per-character loop below is the slow part
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))

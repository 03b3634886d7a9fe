"""Ingest: turn a file on disk into a ``Manuscript`` (decoded text and its title)."""

from citecheck.ingest.text import Manuscript, read_manuscript

__all__ = ["Manuscript", "read_manuscript"]

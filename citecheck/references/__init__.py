"""References: find the reference list in a manuscript, split it, parse each entry."""

from citecheck.references.parse import parse_reference
from citecheck.references.segment import Entry, NoReferenceList, split_references

__all__ = ["Entry", "NoReferenceList", "parse_reference", "split_references"]

"""BibTeX (.bib): every entry's fields used as parsed, by bibtexparser 2.

A .bib file is a structured reference list: names, title, journal and numbers are fields, and
a DOI or PMID in one is trusted as cited. bibtexparser splits the file into blocks, resolves
``@string`` macros and strips the enclosing braces; names are split with its BibTeX name
rules, and LaTeX (``{\\"u}``, ``\\'e``, ``--``) is decoded with its decoding middleware. An
entry with unbalanced braces is skipped and named (key and line), never the whole file.
The LaTeX and pandoc Markdown readers use ``parse_bib`` for the .bib files they cite.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any

import bibtexparser
from bibtexparser.middlewares import NormalizeFieldKeys
from bibtexparser.middlewares.names import (
    parse_single_name_into_parts,
    split_multiple_persons_names,
)
from bibtexparser.model import Entry
from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db

from citecheck.errors import InputError
from citecheck.ingest.fields import author, make_reference, year_of
from citecheck.ingest.manuscript import Manuscript, reference_list
from citecheck.ingest.text import decode_file
from citecheck.model import Author, ParsedReference

# bibtexparser logs every block it gives up on; citecheck reports them as `skipped` instead.
logging.getLogger("bibtexparser").addHandler(logging.NullHandler())
logging.getLogger("bibtexparser").propagate = False

# Identifiers are copied verbatim: LaTeX decoding would eat a DOI's "%" or "~".
_VERBATIM = ("doi", "url", "eprint", "eprinttype", "archiveprefix", "pmid")
# The decoder bibtexparser's LatexDecodingMiddleware builds; used on every string, names too:
# the middleware decodes a list of split names not at all, and decoding before splitting
# would split a braced organisation ("{World Health Organization}") into a person.
_CONTEXT = get_default_latex_context_db()
_CONTEXT.add_context_category(
    "citecheck-bibtex", prepend=True, macros=[MacroTextSpec("url", simplify_repl="%s")]
)
_DECODER = LatexNodes2Text(latex_context=_CONTEXT, keep_braced_groups=False, math_mode="verbatim")
_KEY = re.compile(r"@\s*\w+\s*[{(]\s*([^,\s{}()]*)")


def parse_bib(text: str) -> tuple[dict[str, ParsedReference], list[str]]:
    """Citation key -> reference (``line`` = line of its ``@type{key,``), and what was skipped."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    try:
        library = bibtexparser.parse_string(text, append_middleware=[NormalizeFieldKeys()])
    except Exception as exc:  # a parser bug must not end the audit: say what happened
        return {}, [f"the BibTeX could not be parsed ({type(exc).__name__})"]
    skipped = [_failure(block) for block in library.failed_blocks]
    by_key = {entry.key.lower(): entry for entry in reversed(library.entries)}
    refs: dict[str, ParsedReference] = {}
    for entry in library.entries:
        line = (entry.start_line or 0) + 1
        try:
            refs[entry.key] = _reference(_fields(entry, by_key), line)
        except Exception as exc:  # one odd entry must not cost the others
            skipped.append(f"BibTeX entry {entry.key} (line {line}): unreadable ({exc}); skipped")
    return refs, skipped


def _failure(block: Any) -> str:
    raw = str(getattr(block, "raw", "") or "")
    key = getattr(block, "key", None) or (m.group(1) if (m := _KEY.match(raw)) else "")
    line = (getattr(block, "start_line", None) or 0) + 1
    name = f"BibTeX entry {key}" if key else "a BibTeX block"
    if type(block).__name__.startswith("Duplicate"):
        return f"{name} (line {line}): duplicate key, the first definition is used"
    return f"{name} (line {line}): unbalanced braces or a syntax error; skipped"


def _fields(entry: Entry, by_key: dict[str, Entry]) -> dict[str, str]:
    """The entry's fields; with ``crossref = {parent}``, those it lacks come from the parent,
    the parent's title as container (BibTeX's and biber's rule for chapters and papers)."""
    fields = {f.key.lower(): str(f.value) for f in entry.fields}
    parent = by_key.get(fields.get("crossref", "").strip().lower())
    if parent is not None and parent is not entry:
        for f in parent.fields:
            key = "booktitle" if f.key.lower() == "title" else f.key.lower()
            fields.setdefault(key, str(f.value))
    return fields


def _reference(fields: dict[str, str], line: int) -> ParsedReference:
    verbatim = {k: fields.pop(k) for k in _VERBATIM if k in fields}
    people = fields.pop("author", None) or fields.pop("editor", None) or ""
    authors, et_al = _authors(split_multiple_persons_names(people))
    pmid = verbatim.get("pmid")
    kind = (verbatim.get("eprinttype", "") + verbatim.get("archiveprefix", "")).lower()
    if not pmid and "pubmed" in kind:
        pmid = verbatim.get("eprint")
    return make_reference(
        authors=authors,
        et_al=et_al,
        title=_text(fields.get("title")),
        container=_text(
            fields.get("journal") or fields.get("journaltitle") or fields.get("booktitle")
        ),
        year=year_of(fields.get("year") or fields.get("date")),
        volume=_text(fields.get("volume")),
        issue=_text(fields.get("number")) or _text(fields.get("issue")),
        pages=_text(fields.get("pages")),
        doi=_identifier(verbatim.get("doi")),
        pmid=_identifier(pmid),
        url=_identifier(verbatim.get("url")),
        line=line,
    )


def _authors(names: list[str]) -> tuple[tuple[Author, ...], bool]:
    """BibTeX's name rules ("von Last, Jr, First"), then each part decoded; "and others"
    is et al."""
    out: list[Author] = []
    et_al = False
    for name in names:
        parts = parse_single_name_into_parts(name, strict=False)
        family = _text(" ".join([*parts.von, *parts.last])) or ""
        if family.lower() == "others" and not parts.first:
            et_al = True
            continue
        out.append(author(family, _text(" ".join(parts.first)) or ""))
    return tuple(a for a in out if a.family), et_al


def _text(value: str | None) -> str | None:
    """LaTeX to Unicode text, as bibtexparser's decoding middleware does it."""
    if not value:
        return None
    try:
        decoded = _DECODER.latex_to_text(value)
    except Exception:  # pylatexenc is tolerant; if it still fails, keep the text less braces
        decoded = value
    cleaned = " ".join(decoded.replace("{", "").replace("}", "").split())
    return cleaned or None


def _identifier(value: str | None) -> str | None:
    """As written, less BibTeX dress: braces, ``\\url{}``, ``\\_``."""
    if not value:
        return None
    value = re.sub(r"\\(?:url|href|doi)\s*\{([^{}]*)\}", r"\1", value)
    value = re.sub(r"\\([_%#&~$])", r"\1", value).replace("{", "").replace("}", "")
    return value.strip() or None


def read_bibtex(path: Path, data: bytes) -> Manuscript:
    """A .bib audited alone: every entry, in file order; no text, no markers."""
    text, encoding = decode_file(path, data)
    refs, skipped = parse_bib(text)
    if not refs:
        why = f": {skipped[0]}" if skipped else ""
        raise InputError(f"{path}: no BibTeX entry could be read{why}")
    return reference_list(path, tuple(refs.values()), "bibtex", encoding, skipped)

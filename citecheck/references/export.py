"""Write a manuscript's parsed reference list as JSON, CSV, BibTeX or RIS (``citecheck extract``).

Nothing is looked up: this is the parser's reading of each entry, so an author can check
it, or carry the list into a reference manager. Every value comes from the manuscript and
is untrusted: CSV cells that a spreadsheet would run as a formula are defused, BibTeX
values are LaTeX-escaped inside braces (no value can close its field), and RIS values are
kept to one line (no value can start a tag).
"""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from collections.abc import Callable, Iterable

import bibtexparser
from bibtexparser.library import Library
from bibtexparser.model import Entry, Field

from citecheck import __version__
from citecheck.ingest.manuscript import Manuscript
from citecheck.model import REFERENCE_FIELDS, Author, ParsedReference

SCHEMA_VERSION = "1.0"  # of the extract JSON; independent of the report's schema

COLUMNS = ("index", "number", "line", "page", "raw", *REFERENCE_FIELDS)


def rows(manuscript: Manuscript, refs: Iterable[ParsedReference]) -> list[dict[str, object]]:
    """One flat dict per entry: where it is (index, number, line, PDF page), then its fields."""
    return [
        {
            "index": i,
            "number": ref.number,
            "line": ref.line,
            "page": manuscript.page(ref.line),
            "raw": ref.raw,
            **ref.to_dict(),
        }
        for i, ref in enumerate(refs, start=1)
    ]


def to_json(manuscript: Manuscript, refs: list[ParsedReference]) -> str:
    doc = {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "citecheck", "version": __version__},
        "manuscript": {
            "path": manuscript.path,
            "format": manuscript.format,
            "title": manuscript.title,
        },
        "references": rows(manuscript, refs),
        "notes": [f"input: {what}" for what in manuscript.skipped],
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


# --- CSV --------------------------------------------------------------------------------------

_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> object:
    """A spreadsheet runs a cell starting with = + - @ as a formula: make it text."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        value = "; ".join(str(v) for v in value)
    if isinstance(value, str) and value.startswith(_FORMULA):
        return "'" + value
    return "" if value is None else value


def to_csv(manuscript: Manuscript, refs: list[ParsedReference]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, quoting=csv.QUOTE_MINIMAL)
    writer.writeheader()
    for row in rows(manuscript, refs):
        writer.writerow({k: csv_cell(row[k]) for k in COLUMNS})
    return buffer.getvalue()


# --- BibTeX -----------------------------------------------------------------------------------

# LaTeX's special characters, and the ligatures it would otherwise make of plain text.
_LATEX = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
# "--" (en dash), "``" and "''" (quotes), "!`" and "?`" (¡ ¿), ",," "<<" ">>" (T1 „ « »).
_LIGATURES = ("--", "``", "''", "!`", "?`", ",,", "<<", ">>")
_LIGATURE = re.compile("|".join(f"(?<={re.escape(p[0])})(?={re.escape(p[1])})" for p in _LIGATURES))


def latex(text: str) -> str:
    """Plain text as LaTeX text: specials escaped, "--" and "``" kept as typed. UTF-8 stays."""
    text = " ".join(text.split())
    escaped = "".join(_LATEX.get(ch, ch) for ch in text)
    return _LIGATURE.sub("{}", escaped)


def _verbatim(value: str) -> str:
    """DOIs and URLs are read verbatim; only braces could break out of the field."""
    value = "".join(value.split())
    if _balanced(value):
        return value
    return value.replace("{", "").replace("}", "")


def _balanced(text: str) -> bool:
    depth = 0
    for ch in text:
        depth += (ch == "{") - (ch == "}")
        if depth < 0:
            return False
    return depth == 0


_PAGE_RANGE = re.compile(r"\s*[-\u2013\u2014]+\s*")


def _bib_name(author: Author) -> str:
    """ "Last, F. M."; a family name with spaces or commas (an organisation) is braced whole."""
    family = latex(author.family)
    if re.search(r"[\s,]", author.family):
        family = "{" + family + "}"
    if not author.initials:
        return family
    if re.fullmatch(r"[A-Z]+", author.initials):
        given = " ".join(f"{c}." for c in author.initials)
    else:
        given = latex(author.initials)
    return f"{family}, {given}"


def _key_base(ref: ParsedReference) -> str:
    family = ref.authors[0].family if ref.authors else ""
    ascii_name = unicodedata.normalize("NFKD", family).encode("ascii", "ignore").decode()
    name = re.sub(r"[^a-z0-9]", "", ascii_name.lower()) or "ref"
    return f"{name}{ref.year or ''}"


def keys(refs: list[ParsedReference]) -> list[str]:
    """Citation keys like ``pui2009``; shared ones get a, b, c… as author–year labels do."""
    bases = [_key_base(ref) for ref in refs]
    used: set[str] = set()
    out: list[str] = []
    for base in bases:
        key, n = base, 0
        if bases.count(base) > 1 or key in used:
            key = base + _suffix(n)
        while key in used:
            n += 1
            key = base + _suffix(n)
        used.add(key)
        out.append(key)
    return out


def _suffix(n: int) -> str:
    """0 -> a, 25 -> z, 26 -> aa."""
    letters = ""
    n += 1
    while n:
        n, r = divmod(n - 1, 26)
        letters = chr(97 + r) + letters
    return letters


def _bib_entry(key: str, ref: ParsedReference) -> Entry:
    fields: list[tuple[str, str]] = []
    names = [_bib_name(a) for a in ref.authors]
    if ref.et_al and names:
        names.append("others")
    if names:
        fields.append(("author", " and ".join(names)))
    if ref.title:
        fields.append(("title", "{" + latex(ref.title) + "}"))  # case kept as cited
    if ref.container:
        fields.append(("journal", latex(ref.container)))
    if ref.year:
        fields.append(("year", str(ref.year)))
    for name, value in (("volume", ref.volume), ("number", ref.issue)):
        if value:
            fields.append((name, latex(value)))
    if ref.pages:
        fields.append(("pages", "--".join(latex(p) for p in _PAGE_RANGE.split(ref.pages, 1))))
    for name, value in (("doi", ref.doi), ("url", ref.url)):
        if value:
            fields.append((name, _verbatim(value)))
    if ref.pmid:
        fields.append(("pmid", latex(ref.pmid)))
    kind = "article" if ref.container else "misc"
    return Entry(kind, key, [Field(name, value) for name, value in fields])


def to_bibtex(manuscript: Manuscript, refs: list[ParsedReference]) -> str:
    """@article per entry (@misc without a journal), written by bibtexparser (which braces
    every value but bare numbers); text stays UTF-8, as biber and LaTeX since 2018 read it."""
    library = Library([_bib_entry(k, ref) for k, ref in zip(keys(refs), refs, strict=True)])
    return bibtexparser.write_string(library)


# --- RIS --------------------------------------------------------------------------------------


def _ris_value(value: str) -> str:
    return " ".join(value.split())


def _ris_name(author: Author) -> str:
    """ "Last, F. M."; "World Health Organization," so that no reader splits it as a person."""
    if re.fullmatch(r"[A-Z]+", author.initials):
        return f"{author.family}, {' '.join(f'{c}.' for c in author.initials)}"
    if author.initials:
        return f"{author.family}, {author.initials}"
    return f"{author.family}," if len(author.family.split()) > 1 else author.family


def _ris_record(ref: ParsedReference) -> list[str]:
    tags: list[tuple[str, str | None]] = [("TY", "JOUR" if ref.container else "GEN")]
    tags += [("AU", _ris_name(a)) for a in ref.authors]
    tags += [("TI", ref.title), ("T2", ref.container), ("JO", ref.container)]
    tags += [("PY", str(ref.year) if ref.year else None), ("VL", ref.volume), ("IS", ref.issue)]
    if ref.pages:
        start, *end = _PAGE_RANGE.split(ref.pages, 1)
        tags += [("SP", start), ("EP", end[0] if end else None)]
    tags += [("DO", ref.doi)]
    if ref.pmid:
        tags += [("AN", ref.pmid), ("DB", "PubMed")]
    tags += [("UR", ref.url)]
    lines = [f"{tag}  - {_ris_value(value)}" for tag, value in tags if value and value.strip()]
    return [*lines, "ER  - ", ""]


def to_ris(manuscript: Manuscript, refs: list[ParsedReference]) -> str:
    return "\n".join(line for ref in refs for line in _ris_record(ref))


EXPORTS: dict[str, Callable[[Manuscript, list[ParsedReference]], str]] = {
    "json": to_json,
    "csv": to_csv,
    "bibtex": to_bibtex,
    "ris": to_ris,
}

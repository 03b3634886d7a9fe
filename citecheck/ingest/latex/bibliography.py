"""Where a .tex keeps its entries: an inline ``thebibliography``, the .bib files
``\\bibliography{…}`` / ``\\addbibresource{…}`` name (read with ``parse_bib``, from inside the
.tex's folder only; a remote resource is never fetched), else the .bbl BibTeX left next to it.

A ``\\bibitem``'s entry is the text BibTeX printed, parsed like any written reference.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path, PurePosixPath

from citecheck.ingest.bibtex import parse_bib
from citecheck.ingest.files import local_file, read_local_text
from citecheck.ingest.latex.plain import to_plain
from citecheck.ingest.latex.source import strip_comments
from citecheck.model import ParsedReference
from citecheck.references import parse_reference

THEBIBLIOGRAPHY = re.compile(
    r"\\begin\s*\{thebibliography\}(?P<items>.*?)(?:\\end\s*\{thebibliography\}|\Z)", re.S
)
_BIBLIOGRAPHY = re.compile(r"\\bibliography(?![a-zA-Z@])\s*\{(?P<names>[^{}]{0,2000})\}")
_RESOURCE = re.compile(
    r"\\(?:addbibresource|addglobalbib|addsectionbib)\s*(?P<opts>\[[^\[\]]{0,500}\])?"
    r"\s*\{(?P<name>[^{}]{0,1000})\}"
)
_BIBITEM = re.compile(
    r"\\bibitem\s*(?:\[(?:[^\[\]{}]|\{[^{}]{0,200}\}){0,500}\])?\s*\{(?P<key>[^{}]{0,500})\}"
)

Keyed = dict[str, ParsedReference]  # .bib entries by citation key
Printed = list[tuple[str, ParsedReference]]  # (key, entry) as a list prints them


def bibitems(text: str, line_of: Callable[[int], int] | None = None, offset: int = 0) -> Printed:
    """``\\bibitem[label]{key} text``: (key, entry parsed from its rendered text), list order;
    ``line`` is the line of the ``\\bibitem`` (``line_of`` maps an offset to it, ``text``
    starting at ``offset``)."""
    found = list(_BIBITEM.finditer(text))
    out: Printed = []
    for n, m in enumerate(found):
        end = found[n + 1].start() if n + 1 < len(found) else len(text)
        body = re.split(r"\\end\s*\{thebibliography\}", text[m.end() : end])[0]
        rendered = " ".join(to_plain(body.replace("--", "-")).split())
        line = line_of(offset + m.start()) if line_of else text.count("\n", 0, m.start()) + 1
        ref = parse_reference(rendered or m.group("key"), line=line)
        out.append((m.group("key").strip(), replace(ref, number=n + 1)))
    return out


def bbl_entries(text: str) -> Printed:
    """A .bbl's list, comments stripped."""
    return bibitems(strip_comments(text))


def bibliography(
    path: Path, full: str, inline: list[tuple[int, int]], line_at: Callable[[int], int]
) -> tuple[Keyed | None, Printed | None, list[str]]:
    """(.bib entries by key, or the printed list of a thebibliography / .bbl, notes)."""
    notes: list[str] = []
    if inline:
        printed: Printed = []
        for lo, hi in inline:
            printed += bibitems(full[lo:hi], line_at, lo)
        if printed:
            printed = [(key, replace(ref, number=i)) for i, (key, ref) in enumerate(printed, 1)]
            return None, printed, notes
    names: list[str] = []
    for m in _BIBLIOGRAPHY.finditer(full):
        names += [n.strip() for n in m.group("names").split(",") if n.strip()]
    for m in _RESOURCE.finditer(full):
        name = m.group("name").strip()
        if "remote" in (m.group("opts") or "") or re.match(r"[a-z]+://", name):
            notes.append(f"bibliography {name}: a remote resource; not fetched")
        elif name:
            names.append(name)
    keyed: Keyed = {}
    for name in dict.fromkeys(names):
        bib, why = local_file(path.parent, name, ".bib")
        if bib is None:
            shown = name if PurePosixPath(name).suffix else f"{name}.bib"
            notes.append(f"bibliography file {shown}: {why}")
            continue
        entries, skipped = parse_bib(read_local_text(bib))
        notes += [f"{bib.name}: {s}" for s in skipped]
        for key, ref in entries.items():
            keyed.setdefault(key, ref)
    if keyed:
        return keyed, None, notes
    bbl, _ = local_file(path.parent, path.stem + ".bbl")
    if bbl is not None:
        printed = bbl_entries(read_local_text(bbl))
        if printed:
            if names:
                notes.append(f"the list is read from {bbl.name}, as BibTeX printed it")
            return None, printed, notes
    return None, None, notes

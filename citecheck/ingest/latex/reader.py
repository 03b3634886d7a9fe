"""The LaTeX reader: a .tex's markers resolved against its list, or a .bbl's list alone."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from citecheck.errors import InputError
from citecheck.ingest.latex.bibliography import THEBIBLIOGRAPHY, bbl_entries, bibliography
from citecheck.ingest.latex.cites import CITE, cite_end, cited_order, keys
from citecheck.ingest.latex.plain import title, to_plain
from citecheck.ingest.latex.source import spliced
from citecheck.ingest.manuscript import Manuscript, reference_list
from citecheck.ingest.placeholders import PLACEHOLDER, clean, placeholder, sentences
from citecheck.ingest.text import decode_file
from citecheck.references.citations import InText, Marker


def read_latex(path: Path, data: bytes) -> Manuscript:
    """A .tex manuscript (markers + list) or a .bbl on its own (the list)."""
    text, encoding = decode_file(path, data)
    text = clean(text)
    if path.suffix.lower() == ".bbl" or (
        "\\bibitem" in text and not re.search(r"\\begin\s*\{document\}|\\documentclass", text)
    ):
        return _read_bbl(path, text, encoding)
    return _read_tex(path, text, encoding)


def _read_bbl(path: Path, text: str, encoding: str) -> Manuscript:
    refs = bbl_entries(text)
    if not refs:
        raise InputError(f"{path}: no \\bibitem entries in the file")
    return reference_list(path, tuple(ref for _, ref in refs), "latex", encoding)


def _read_tex(path: Path, text: str, encoding: str) -> Manuscript:
    source = spliced(path, text)
    full = source.text()
    line_at = source.line_at()
    begin = re.search(r"\\begin\s*\{document\}", full)
    end = re.search(r"\\end\s*\{document\}", full)
    b0 = begin.end() if begin else 0
    b1 = end.start() if end and end.start() >= b0 else len(full)
    inline = [m.span() for m in THEBIBLIOGRAPHY.finditer(full, b0, b1)]
    cites = [
        m for m in CITE.finditer(full, b0, b1) if not any(lo <= m.start() < hi for lo, hi in inline)
    ]
    keyed, printed, notes = bibliography(path, full, inline, line_at)
    source.skipped += notes
    if keyed is None and printed is None:
        why = "; ".join(notes) or "no \\bibliography, \\addbibresource or thebibliography"
        raise InputError(f"{path}: no reference list ({why})")
    order: list[str]
    if printed is not None:  # thebibliography or .bbl: the list as printed
        refs = {key: ref for key, ref in printed}
        order = [key for key, _ in printed]
    else:
        assert keyed is not None
        refs = keyed
        order = cited_order(cites, refs, source.skipped)
    folded = {key.casefold(): key for key in refs}
    index = {key: i for i, key in enumerate(order, start=1)}
    plain, context = _plain_text(full[b0:b1], cites, b0)
    markers: list[Marker] = []
    for n, m in enumerate(cites):
        if m.group("cmd") == "nocite":
            continue
        targets: list[int] = []
        unresolved: list[str] = []
        for key in keys(m, full):
            found = key if key in index else folded.get(key.casefold())
            if found is not None and found in index:
                targets.append(index[found])
            elif key not in unresolved:
                unresolved.append(key)
        markers.append(
            Marker(
                text=" ".join(m.group(0).split()),
                line=line_at(m.start()),
                targets=tuple(sorted(set(targets))),
                unresolved=tuple(unresolved),
                sentence=context.get(n, ""),
            )
        )
    name = title(full[:b1])
    references = tuple(replace(refs[key], number=i) for i, key in enumerate(order, start=1))
    return Manuscript(
        path=str(path),
        text=(f"{name}\n\n" if name else "") + plain,
        encoding=encoding,
        title=name,
        format="latex",
        references=references,
        citations=InText("numeric", tuple(markers)),
        skipped=tuple(source.skipped),
    )


def _plain_text(body: str, cites: list[re.Match[str]], offset: int) -> tuple[str, dict[int, str]]:
    """The body as plain text, and the sentence (markers removed) around each citation."""
    pieces: list[str] = []
    pos = 0
    for n, m in enumerate(cites):
        pieces.append(body[pos : m.start() - offset])
        pieces.append(placeholder(n))
        pos = cite_end(m, body, offset)
    pieces.append(body[pos:])
    plain = to_plain("".join(pieces))
    # "ALL \cite{a}." -> "ALL."
    glued = re.sub(rf"[ \t]*\n?[ \t]*({PLACEHOLDER.pattern})", r"\1", plain)
    return PLACEHOLDER.sub("", glued), sentences(plain)

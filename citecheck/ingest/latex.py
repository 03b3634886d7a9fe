"""LaTeX (.tex, .bbl): the \\cite keys as markers, the .bib entries they name as the list.

A .tex file says exactly what it cites (``\\cite{key}``) and where the entries are
(``\\bibliography{refs}``, ``\\addbibresource{refs.bib}``, an inline ``thebibliography``, or
the .bbl BibTeX left next to it). The list is what BibTeX would print: the cited and
``\\nocite``'d entries in order of first citation (numbered styles), not every entry of the
.bib. Only files inside the .tex's folder tree are read: a hostile manuscript must not make
citecheck read ``/etc/passwd`` through ``\\input`` or ``\\bibliography``.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path, PurePosixPath

from citecheck.errors import InputError
from citecheck.ingest.bibtex import local_file, parse_bib, read_local_text
from citecheck.ingest.manuscript import Manuscript
from citecheck.ingest.text import decode
from citecheck.model import ParsedReference
from citecheck.references import parse_reference
from citecheck.references.citations import InText, Marker, _cut, _sentence_starts

MAX_DEPTH = 8  # \input nesting
MAX_FILES = 200
# natbib, biblatex and plain LaTeX citation commands (\\cites-style take several key groups)
CITE_COMMANDS = (
    r"[Cc]ite(?:p|t|alp|alt|author|year|yearpar|s)?|[Pp]arencites?|[Tt]extcites?|[Aa]utocites?"
    r"|[Ff]ootcites?|footcitetext|[Ss]martcites?|supercite|fullcite|nocite"
)
_OPT = r"(?:\s*\[[^\[\]]{0,500}\])"
_CITE = re.compile(
    rf"\\(?P<cmd>{CITE_COMMANDS})(?![a-zA-Z@])\*?"
    rf"(?P<opts>{_OPT}{{0,2}})\s*\{{(?P<keys>[^{{}}]{{0,4000}})\}}"
)
_MORE_KEYS = re.compile(rf"{_OPT}{{0,2}}\s*\{{(?P<keys>[^{{}}]{{0,4000}})\}}")
_INPUT = re.compile(
    r"\\(?:input|include|subfile)(?![a-zA-Z@])\s*"
    r"(?:\{(?P<braced>[^{}]{0,1000})\}|(?P<bare>[^\s{}\\%]+))"
)
_BIBLIOGRAPHY = re.compile(r"\\bibliography(?![a-zA-Z@])\s*\{(?P<names>[^{}]{0,2000})\}")
_RESOURCE = re.compile(
    r"\\(?:addbibresource|addglobalbib|addsectionbib)\s*(?P<opts>\[[^\[\]]{0,500}\])?"
    r"\s*\{(?P<name>[^{}]{0,1000})\}"
)
_BIBITEM = re.compile(
    r"\\bibitem\s*(?:\[(?:[^\[\]{}]|\{[^{}]{0,200}\}){0,500}\])?\s*\{(?P<key>[^{}]{0,500})\}"
)
_THEBIBLIOGRAPHY = re.compile(
    r"\\begin\s*\{thebibliography\}(?P<items>.*?)(?:\\end\s*\{thebibliography\}|\Z)", re.S
)
_COMMENT = re.compile(r"(?<!\\)((?:\\\\)*)%.*")
_SENTINEL = re.compile(r"\ue000(\d+)\ue001")


@dataclass
class _Source:
    """The .tex with its \\input files spliced in, comments removed, and for every line of
    the result the line of the top file it comes from."""

    lines: list[str] = field(default_factory=list)
    origin: list[int] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    read: set[Path] = field(default_factory=set)

    def text(self) -> str:
        return "\n".join(self.lines)


def read_latex(path: Path, data: bytes) -> Manuscript:
    """A .tex manuscript (markers + list) or a .bbl on its own (the list)."""
    try:
        text, encoding = decode(data)
    except InputError as exc:
        raise InputError(f"{path}: {exc}") from None
    text = (
        text.replace("\r\n", "\n").replace("\r", "\n").replace("\ue000", "").replace("\ue001", "")
    )
    if path.suffix.lower() == ".bbl" or (
        "\\bibitem" in text and not re.search(r"\\begin\s*\{document\}|\\documentclass", text)
    ):
        return _read_bbl(path, text, encoding)
    return _read_tex(path, text, encoding)


def _read_bbl(path: Path, text: str, encoding: str) -> Manuscript:
    refs = bibitems(_strip_comments(text))
    if not refs:
        raise InputError(f"{path}: no \\bibitem entries in the file")
    return Manuscript(
        path=str(path),
        text="",
        encoding=encoding,
        format="latex",
        references=tuple(ref for _, ref in refs),
        citations=InText("none", ()),
    )


def bibitems(
    text: str, line_of: Callable[[int], int] | None = None
) -> list[tuple[str, ParsedReference]]:
    """``\\bibitem[label]{key} text``: (key, entry parsed from its rendered text), list order;
    ``line`` is the line of the ``\\bibitem`` (``line_of`` maps an offset to it)."""
    found = list(_BIBITEM.finditer(text))
    out: list[tuple[str, ParsedReference]] = []
    for n, m in enumerate(found):
        end = found[n + 1].start() if n + 1 < len(found) else len(text)
        body = re.split(r"\\end\s*\{thebibliography\}", text[m.end() : end])[0]
        rendered = " ".join(to_plain(body.replace("--", "-")).split())
        line = line_of(m.start()) if line_of else text.count("\n", 0, m.start()) + 1
        ref = parse_reference(rendered or m.group("key"), line=line)
        out.append((m.group("key").strip(), replace(ref, number=n + 1)))
    return out


def _read_tex(path: Path, text: str, encoding: str) -> Manuscript:
    source = _Source()
    _splice(source, text, path.parent, path, 0, None)
    full = source.text()
    starts = [0]
    for line in source.lines[:-1]:
        starts.append(starts[-1] + len(line) + 1)

    def line_at(pos: int) -> int:
        return source.origin[bisect_right(starts, pos) - 1]

    begin = re.search(r"\\begin\s*\{document\}", full)
    end = re.search(r"\\end\s*\{document\}", full)
    b0 = begin.end() if begin else 0
    b1 = end.start() if end and end.start() >= b0 else len(full)
    inline = [m.span() for m in _THEBIBLIOGRAPHY.finditer(full, b0, b1)]
    cites = [
        m
        for m in _CITE.finditer(full, b0, b1)
        if not any(lo <= m.start() < hi for lo, hi in inline)
    ]
    keyed, printed, notes = _bibliography(path, full, inline, line_at)
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
        order = _cited_order(cites, refs, source.skipped)
    folded = {key.casefold(): key for key in refs}
    index = {key: i for i, key in enumerate(order, start=1)}
    plain, sentences = _plain_text(full[b0:b1], cites, b0)
    markers: list[Marker] = []
    for n, m in enumerate(cites):
        if m.group("cmd") == "nocite":
            continue
        targets: list[int] = []
        unresolved: list[str] = []
        for key in _keys(m, full):
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
                sentence=sentences.get(n, ""),
            )
        )
    title = _title(full[:b1])
    references = tuple(replace(refs[key], number=i) for i, key in enumerate(order, start=1))
    return Manuscript(
        path=str(path),
        text=(f"{title}\n\n" if title else "") + plain,
        encoding=encoding,
        title=title,
        format="latex",
        references=references,
        citations=InText("numeric", tuple(markers)),
        skipped=tuple(source.skipped),
    )


def _keys(m: re.Match[str], full: str) -> list[str]:
    """The keys of one command; ``\\cites{a}[p.~4]{b}`` takes several groups."""
    groups = [m.group("keys")]
    if m.group("cmd").endswith("cites"):
        pos = m.end()
        while (more := _MORE_KEYS.match(full, pos)) is not None and len(groups) < 100:
            groups.append(more.group("keys"))
            pos = more.end()
    return [k.strip() for g in groups for k in g.split(",") if k.strip()]


def _cited_order(
    cites: list[re.Match[str]], refs: dict[str, ParsedReference], skipped: list[str]
) -> list[str]:
    """BibTeX's list: every cited or \\nocite'd key found in the .bib, first citation first;
    ``\\nocite{*}`` adds the rest of the .bib there, in file order."""
    folded = {key.casefold(): key for key in refs}
    order: dict[str, None] = {}
    for m in cites:
        for key in _keys(m, m.string):
            if key == "*" and m.group("cmd") == "nocite":
                order.update(dict.fromkeys(refs))
                continue
            found = key if key in refs else folded.get(key.casefold())
            if found is not None:
                order.setdefault(found)
            elif m.group("cmd") == "nocite":
                note = f"\\nocite{{{key}}}: no such key in the bibliography"
                if note not in skipped:
                    skipped.append(note)
    return list(order)


def _bibliography(
    path: Path, full: str, inline: list[tuple[int, int]], line_at: Callable[[int], int]
) -> tuple[dict[str, ParsedReference] | None, list[tuple[str, ParsedReference]] | None, list[str]]:
    """(.bib entries by key, or the printed list of a thebibliography / .bbl, notes)."""
    notes: list[str] = []
    if inline:
        printed: list[tuple[str, ParsedReference]] = []
        for lo, hi in inline:
            printed += bibitems(full[lo:hi], partial(_shifted, line_at, lo))
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
    keyed: dict[str, ParsedReference] = {}
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
        printed = bibitems(_strip_comments(read_local_text(bbl)))
        if printed:
            if names:
                notes.append(f"the list is read from {bbl.name}, as BibTeX printed it")
            return None, printed, notes
    return None, None, notes


def _splice(
    source: _Source, text: str, folder: Path, path: Path, depth: int, at: int | None
) -> None:
    """Append ``text``'s lines, comments stripped, with \\input/\\include files spliced in
    where they are named (lines of included files count as the line that includes them)."""
    source.read.add(path.resolve() if depth == 0 else path)
    for number, raw in enumerate(text.split("\n"), start=1):
        where = at if at is not None else number
        line = _COMMENT.sub(r"\1", raw)
        pos = 0
        for m in _INPUT.finditer(line):
            name = (m.group("braced") if m.group("braced") is not None else m.group("bare")).strip()
            source.lines.append(line[pos : m.start()])
            source.origin.append(where)
            pos = m.end()
            _include(source, name, folder, depth, where)
        source.lines.append(line[pos:])
        source.origin.append(where)


def _include(source: _Source, name: str, folder: Path, depth: int, where: int) -> None:
    label = f"\\input{{{name}}} (line {where})"
    if depth >= MAX_DEPTH:
        source.skipped.append(f"{label}: nested too deep; not read")
        return
    found, why = local_file(folder, name, ".tex")
    if found is None:
        source.skipped.append(f"{label}: {why}")
        return
    if found in source.read:
        source.skipped.append(f"{label}: already read; not read again")
        return
    if len(source.read) >= MAX_FILES:
        source.skipped.append(f"{label}: too many included files; not read")
        return
    try:
        text = read_local_text(found).replace("\r\n", "\n").replace("\r", "\n")
    except InputError as exc:
        source.skipped.append(f"{label}: {exc}")
        return
    source.read.add(found)
    _splice(
        source, text.replace("\ue000", "").replace("\ue001", ""), folder, found, depth + 1, where
    )


def _shifted(line_at: Callable[[int], int], offset: int, pos: int) -> int:
    return line_at(offset + pos)


def _clean(text: str) -> str:
    """Unix line ends; no private-use characters that could pose as citecheck's sentinels."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.replace("\ue000", "").replace("\ue001", "")


def _strip_comments(text: str) -> str:
    return "\n".join(_COMMENT.sub(r"\1", line) for line in text.split("\n"))


def _title(text: str) -> str | None:
    m = re.search(r"\\title\s*(?:\[[^\[\]]*\])?\s*\{", text)
    if m is None:
        return None
    found = _Reader(text, 0).group(m.end() - 1)
    title = " ".join(to_plain(found[0]).split()) if found else ""
    return title or None


def _plain_text(body: str, cites: list[re.Match[str]], offset: int) -> tuple[str, dict[int, str]]:
    """The body as plain text, and the sentence (markers removed) around each citation."""
    pieces: list[str] = []
    pos = 0
    for n, m in enumerate(cites):
        start, end = m.start() - offset, m.end() - offset
        if m.group("cmd").endswith("cites"):
            while (more := _MORE_KEYS.match(body, end)) is not None:
                end = more.end()
        pieces.append(body[pos:start])
        pieces.append(f"\ue000{n}\ue001")
        pos = end
    pieces.append(body[pos:])
    plain = to_plain("".join(pieces))
    glued = re.sub(r"[ \t]*\n?[ \t]*(\ue000\d+\ue001)", r"\1", plain)  # "ALL \cite{a}." -> "ALL."
    return _SENTINEL.sub("", glued), sentences(plain)


def sentences(text: str) -> dict[int, str]:
    """Sentinel number -> the sentence it stands in, every sentinel cut out (the same
    sentence splitting as for plain-text manuscripts)."""
    out: dict[int, str] = {}
    for paragraph in re.split(r"\n[ \t]*\n", text):
        if "\ue000" not in paragraph:
            continue
        joined = " ".join(paragraph.split())
        hits = list(_SENTINEL.finditer(joined))
        masked = _SENTINEL.sub(lambda m: " " * len(m.group(0)), joined)
        bounds = [*_sentence_starts(masked), len(joined)]
        by_sentence: dict[int, list[re.Match[str]]] = {}
        for hit in hits:
            by_sentence.setdefault(bisect_right(bounds, hit.start()) - 1, []).append(hit)
        for k, group in by_sentence.items():
            sentence = _cut(joined, bounds[k], bounds[k + 1], [h.span() for h in group])
            out.update((int(h.group(1)), sentence) for h in group)
    return out


# --- LaTeX to plain text ---------------------------------------------------------------

_ACCENTS = {
    "'": "\u0301",
    "`": "\u0300",
    "^": "\u0302",
    '"': "\u0308",
    "~": "\u0303",
    "=": "\u0304",
    ".": "\u0307",
    "c": "\u0327",
    "v": "\u030c",
    "u": "\u0306",
    "H": "\u030b",
    "r": "\u030a",
    "k": "\u0328",
    "d": "\u0323",
    "b": "\u0331",
}
_SYMBOLS = {
    "ss": "ß",
    "o": "ø",
    "O": "Ø",
    "ae": "æ",
    "AE": "Æ",
    "oe": "œ",
    "OE": "Œ",
    "aa": "å",
    "AA": "Å",
    "l": "ł",
    "L": "Ł",
    "i": "i",
    "j": "j",
    "dots": "…",
    "ldots": "…",
    "textendash": "–",
    "textemdash": "—",
    "textasciitilde": "~",
    "textbackslash": "\\",
    "textdegree": "°",
    "textmu": "μ",
    "textpm": "±",
    "pm": "±",
    "times": "×",
    "le": "≤",
    "leq": "≤",
    "ge": "≥",
    "geq": "≥",
    "approx": "≈",
    "sim": "~",
    "alpha": "α",
    "beta": "β",
    "gamma": "γ",
    "delta": "δ",
    "kappa": "κ",
    "mu": "μ",
    "LaTeX": "LaTeX",
    "TeX": "TeX",
    "S": "§",
    "newline": "\n",
    "linebreak": "\n",
    "par": "\n\n",
    "newblock": " ",
    "quad": " ",
    "qquad": " ",
    "enspace": " ",
}
# Commands whose arguments are markup, not prose: how many brace groups to drop.
_DROP = dict.fromkeys(
    [
        "label",
        "ref",
        "eqref",
        "cref",
        "Cref",
        "autoref",
        "pageref",
        "usepackage",
        "RequirePackage",
        "documentclass",
        "bibliographystyle",
        "bibliography",
        "addbibresource",
        "addglobalbib",
        "addsectionbib",
        "includegraphics",
        "pagestyle",
        "thispagestyle",
        "hspace",
        "vspace",
        "title",
        "author",
        "address",
        "affiliation",
        "affil",
        "email",
        "orcid",
        "input",
        "include",
        "subfile",
        "nocite",
        "cite",
        "pagenumbering",
        "stepcounter",
        "href",
        "url",
    ],
    1,
)
_DROP.update(
    dict.fromkeys(["newcommand", "renewcommand", "providecommand", "setlength", "setcounter"], 2)
)
_DROP.update(dict.fromkeys(["newenvironment", "renewenvironment"], 3))
_SECTIONS = frozenset(
    ["part", "chapter", "section", "subsection", "subsubsection", "paragraph", "subparagraph"]
)
_SKIP_ENVS = {
    "equation",
    "equation*",
    "align",
    "align*",
    "eqnarray",
    "eqnarray*",
    "gather",
    "gather*",
    "multline",
    "multline*",
    "displaymath",
    "comment",
    "tikzpicture",
    "lstlisting",
    "minted",
    "verbatim",
}
_MAX_NEST = 50


def to_plain(latex: str, depth: int = 0) -> str:
    """A simple LaTeX-to-text converter for the relevance check and \\bibitem texts: keeps
    the words, drops markup, math displays, labels and preamble commands. Linear in the
    input: brace groups are matched once, and an unclosed brace is just a brace."""
    reader = _Reader(latex, depth)
    reader.run()
    return _tidy("".join(reader.out))


def _tidy(text: str) -> str:
    lines = [" ".join(line.split()) for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n")


def _brace_map(s: str) -> dict[int, int]:
    """Opening brace offset -> offset just past its closing brace; unclosed ones are absent."""
    pairs: dict[int, int] = {}
    stack: list[int] = []
    escaped = False
    for j, ch in enumerate(s):
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif ch == "{":
            stack.append(j)
        elif ch == "}" and stack:
            pairs[stack.pop()] = j + 1
    return pairs


class _Reader:
    def __init__(self, s: str, depth: int) -> None:
        self.s = s
        self.n = len(s)
        self.depth = depth
        self.out: list[str] = []
        self.braces = _brace_map(s)

    def run(self) -> None:
        s, n, i = self.s, self.n, 0
        while i < n:
            c = s[i]
            if c == "\\":
                i = self.command(i)
            elif c in "{}":
                i += 1
            elif c == "~":
                self.out.append(" ")
                i += 1
            elif c == "$":
                if s.startswith("$$", i):
                    close = s.find("$$", i + 2)
                    self.out.append(" ")
                    i = n if close < 0 else close + 2
                else:
                    i += 1
            elif c == "-" and s.startswith("--", i):
                dashes = 3 if s.startswith("---", i) else 2
                self.out.append("—" if dashes == 3 else "–")
                i += dashes
            elif c in "`'" and s.startswith(c * 2, i):
                self.out.append("“" if c == "`" else "”")
                i += 2
            else:
                j = i + 1
                while j < n and s[j] not in "\\{}~$-`'":
                    j += 1
                self.out.append(s[i:j])
                i = j

    def group(self, j: int) -> tuple[str, int] | None:
        """The brace group at (or after spaces from) j: (its content, where it ends)."""
        k = self.space(j)
        end = self.braces.get(k) if k < self.n and self.s[k] == "{" else None
        return None if end is None else (self.s[k + 1 : end - 1], end)

    def inner(self, text: str) -> str:
        if self.depth >= _MAX_NEST:
            return " ".join(re.sub(r"\\[a-zA-Z@]+|[{}\\]", " ", text).split())
        return " ".join(to_plain(text, self.depth + 1).split())

    def space(self, j: int) -> int:
        while j < self.n and self.s[j] in " \t\n":
            j += 1
        return j

    def opts(self, j: int) -> int:
        """Past ``[...]`` optional arguments (bounded: a lone "[" in prose is text)."""
        while True:
            k = self.space(j)
            if k >= self.n or self.s[k] != "[":
                return j
            close = self.s.find("]", k, k + 500)
            if close < 0:
                return j
            j = close + 1

    def skip(self, j: int, count: int) -> int:
        for _ in range(count):
            found = self.group(j)
            if found is None:
                return j
            j = found[1]
        return j

    def command(self, i: int) -> int:
        """Handle the command at s[i] == "\\"; return where reading goes on."""
        s, n, out = self.s, self.n, self.out
        if i + 1 >= n:
            return n
        c = s[i + 1]
        if not (c.isascii() and c.isalpha()):
            if c == "\\":
                out.append("\n")
                return self.opts(i + 2)
            if c in _ACCENTS:
                return self.accent(i + 2, _ACCENTS[c])
            if c == "[":  # display math
                close = s.find("\\]", i + 2)
                out.append(" ")
                return n if close < 0 else close + 2
            if c not in "()":
                out.append(" " if c in " ,;:!\n\t" else c)
            return i + 2
        j = i + 1
        while j < n and ((s[j].isascii() and s[j].isalpha()) or s[j] == "@"):
            j += 1
        name = s[i + 1 : j]
        if j < n and s[j] == "*":
            j += 1
        if name in _ACCENTS and name not in _SYMBOLS:
            return self.accent(self.space(j), _ACCENTS[name])
        if name in _SYMBOLS:
            out.append(_SYMBOLS[name])
            return j
        if name in ("begin", "end"):
            return self.environment(j, name)
        if name in _SECTIONS:
            found = self.group(self.opts(j))
            out.append(f"\n\n{self.inner(found[0])}\n\n" if found else "\n\n")
            return found[1] if found else j
        if name in ("item", "bibitem"):
            j = self.opts(j)
            out.append("\n\n" if name == "bibitem" else "\n")
            return self.skip(j, 1) if name == "bibitem" else j
        if name in ("def", "gdef", "edef", "xdef"):
            k = j
            while k < n and k - j < 200 and s[k] not in "{\n":
                k += 1
            return self.skip(k, 1)
        if name == "verb" and j < n:
            close = s.find(s[j], j + 1, j + 1000)
            if close < 0:
                return j + 1
            out.append(s[j + 1 : close])
            return close + 1
        if name in _DROP:
            return self.skip(self.opts(j), _DROP[name])
        if name in ("footnote", "thanks"):
            out.append(" ")
        return j

    def accent(self, j: int, mark: str) -> int:
        s, n = self.s, self.n
        if j >= n:
            return n
        found = self.group(j) if s[j] == "{" else None
        if found is not None:
            base, end = self.inner(found[0]), found[1]
        elif s[j] == "\\":
            k = j + 1
            while k < n and s[k].isascii() and s[k].isalpha():
                k += 1
            base, end = _SYMBOLS.get(s[j + 1 : k], ""), k
        elif s[j] in "{}":
            return j + 1
        else:
            base, end = s[j], j + 1
        if base:
            self.out.append(unicodedata.normalize("NFC", base[0] + mark) + base[1:])
        return end

    def environment(self, j: int, kind: str) -> int:
        found = self.group(j)
        if found is None:
            return j
        env, end = found[0].strip(), found[1]
        if kind == "end":
            self.out.append("\n\n")
            return end
        if env in _SKIP_ENVS:
            m = re.compile(rf"\\end\s*\{{{re.escape(env)}\}}").search(self.s, end)
            self.out.append("\n\n")
            return m.end() if m else self.n
        if env == "abstract":
            self.out.append("\n\nAbstract\n\n")
            return end
        if env == "thebibliography":
            self.out.append("\n\nReferences\n\n")
            return self.skip(end, 1)
        self.out.append("\n\n")
        end = self.opts(end)
        if env in ("tabular", "tabular*", "tabularx", "longtable", "array", "minipage"):
            end = self.skip(end, 2 if env in ("tabular*", "tabularx") else 1)
        return end

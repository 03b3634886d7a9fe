"""The .tex as one text: its ``\\input``/``\\include``/``\\subfile`` files spliced in where
they are named, comments removed, and for every line the line of the top file it comes
from (a marker in an included file is reported at the line that includes it).

Included files are read only from inside the .tex's folder tree (``citecheck.ingest.files``),
each once, at most ``MAX_FILES`` of them, nested at most ``MAX_DEPTH`` deep.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from citecheck.errors import InputError
from citecheck.ingest.files import local_file, read_local_text
from citecheck.ingest.placeholders import clean

MAX_DEPTH = 8  # \input nesting
MAX_FILES = 200
_INPUT = re.compile(
    r"\\(?:input|include|subfile)(?![a-zA-Z@])\s*"
    r"(?:\{(?P<braced>[^{}]{0,1000})\}|(?P<bare>[^\s{}\\%]+))"
)
_COMMENT = re.compile(r"(?<!\\)((?:\\\\)*)%.*")


@dataclass
class Source:
    """The spliced text's lines, each line's origin, and what was not read."""

    lines: list[str] = field(default_factory=list)
    origin: list[int] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    read: set[Path] = field(default_factory=set)

    def text(self) -> str:
        return "\n".join(self.lines)

    def line_at(self) -> Callable[[int], int]:
        """Offset in ``text()`` -> line of the top file."""
        starts = [0]
        for line in self.lines[:-1]:
            starts.append(starts[-1] + len(line) + 1)
        return lambda pos: self.origin[bisect_right(starts, pos) - 1]


def spliced(path: Path, text: str) -> Source:
    """The .tex at ``path`` (its ``text`` already cleaned) with its included files."""
    source = Source()
    _splice(source, text, path.parent, path, 0, None)
    return source


def strip_comments(text: str) -> str:
    return "\n".join(_COMMENT.sub(r"\1", line) for line in text.split("\n"))


def _splice(
    source: Source, text: str, folder: Path, path: Path, depth: int, at: int | None
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


def _include(source: Source, name: str, folder: Path, depth: int, where: int) -> None:
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
        text = clean(read_local_text(found))
    except InputError as exc:
        source.skipped.append(f"{label}: {exc}")
        return
    source.read.add(found)
    _splice(source, text, folder, found, depth + 1, where)

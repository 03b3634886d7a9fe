"""LaTeX to plain text, for the relevance check and for \\bibitem texts.

Deliberately simple and linear in the input: it keeps the words and drops markup, math
displays, labels and preamble commands; brace groups are matched once, an unclosed brace is
just a brace, and nesting is bounded.
"""

from __future__ import annotations

import re
import unicodedata

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
    """The words of ``latex``, markup dropped (``depth``: how deep in a brace group)."""
    reader = _Reader(latex, depth)
    reader.run()
    return _tidy("".join(reader.out))


def title(text: str) -> str | None:
    """The ``\\title{…}`` as plain text."""
    m = re.search(r"\\title\s*(?:\[[^\[\]]*\])?\s*\{", text)
    if m is None:
        return None
    found = _Reader(text, 0).group(m.end() - 1)
    plain = " ".join(to_plain(found[0]).split()) if found else ""
    return plain or None


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

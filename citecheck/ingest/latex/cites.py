"""Citation commands: natbib's, biblatex's and plain LaTeX's ``\\cite`` variants, the keys
each names (``\\cites{a}[p.~4]{b}`` names several groups), and the order BibTeX lists the
entries in: first citation first, ``\\nocite``'d ones too."""

from __future__ import annotations

import re

from citecheck.model import ParsedReference

CITE_COMMANDS = (
    r"[Cc]ite(?:p|t|alp|alt|author|year|yearpar|s)?|[Pp]arencites?|[Tt]extcites?|[Aa]utocites?"
    r"|[Ff]ootcites?|footcitetext|[Ss]martcites?|supercite|fullcite|nocite"
)
_OPT = r"(?:\s*\[[^\[\]]{0,500}\])"
CITE = re.compile(
    rf"\\(?P<cmd>{CITE_COMMANDS})(?![a-zA-Z@])\*?"
    rf"(?P<opts>{_OPT}{{0,2}})\s*\{{(?P<keys>[^{{}}]{{0,4000}})\}}"
)
_MORE_KEYS = re.compile(rf"{_OPT}{{0,2}}\s*\{{(?P<keys>[^{{}}]{{0,4000}})\}}")


def keys(m: re.Match[str], full: str) -> list[str]:
    """The keys of one command; ``\\cites{a}[p.~4]{b}`` takes several groups."""
    groups = [m.group("keys")]
    if m.group("cmd").endswith("cites"):
        pos = m.end()
        while (more := _MORE_KEYS.match(full, pos)) is not None and len(groups) < 100:
            groups.append(more.group("keys"))
            pos = more.end()
    return [k.strip() for g in groups for k in g.split(",") if k.strip()]


def cite_end(m: re.Match[str], text: str, offset: int) -> int:
    """Where the command ends in ``text`` (which starts at ``offset`` of what ``m`` matched
    in): past every key group of a ``\\cites``."""
    end = m.end() - offset
    if m.group("cmd").endswith("cites"):
        while (more := _MORE_KEYS.match(text, end)) is not None:
            end = more.end()
    return end


def cited_order(
    cites: list[re.Match[str]], refs: dict[str, ParsedReference], skipped: list[str]
) -> list[str]:
    """BibTeX's list: every cited or \\nocite'd key found in the .bib, first citation first;
    ``\\nocite{*}`` adds the rest of the .bib there, in file order."""
    folded = {key.casefold(): key for key in refs}
    order: dict[str, None] = {}
    for m in cites:
        for key in keys(m, m.string):
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

"""Pandoc Markdown: ``[@key]`` citations, and the bibliography the front matter names.

A pandoc manuscript cites by key (``[@smith2019; @lee2020, p. 4]``, ``[-@key]``, narrative
``@key``) and keeps its entries in a .bib or CSL-JSON file (``bibliography:`` in the YAML
front matter, else a .bib with the file's stem), or inline under ``references:``. The list
is what pandoc prints: the cited and ``nocite``'d entries. A Markdown file without pandoc
citations is plain text with a written reference list: the text reader handles it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any, Literal

import yaml

from citecheck.errors import InputError
from citecheck.ingest.bibtex import parse_bib
from citecheck.ingest.csl import item_reference
from citecheck.ingest.files import local_file, read_local_text
from citecheck.ingest.manuscript import Manuscript
from citecheck.ingest.placeholders import PLACEHOLDER, clean, placeholder, sentences
from citecheck.ingest.text import decode_file, guess_title, read_text
from citecheck.model import ParsedReference
from citecheck.references.citations import InText, Marker

MAX_FRONT_MATTER = 256 * 1024
_FRONT = re.compile(r"\A---[ \t]*\n(.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
# A pandoc citation key: letters, digits, "_" and internal punctuation, or {anything}.
_KEY = r"(?:\{[^{}\n]{1,200}\}|\w(?:[\w:.#$%&+?<>~/\-]{0,200}\w)?)"
_CITE = re.compile(rf"(?<![\w@.\\])(?P<minus>-?)@(?P<key>{_KEY})")
# A bracketed group holding a citation, not a link's text ("[see @x](url)").
_GROUP = re.compile(r"\[(?P<body>[^\[\]\n]{0,2000}?@[^\[\]]{0,2000}?)\](?![(\[{])")
_CODE = re.compile(r"^(```|~~~).*?^\1[^\n]*$|`[^`\n]+`|<!--.*?-->", re.S | re.M)
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_NUMERIC_CSL = re.compile(
    r"vancouver|ieee|nature|numeric|american-medical|\bama\b|nlm|national-library|plos|bmc|"
    r"lancet|bmj|jama|science|\bacs\b|\baip\b|mdpi|brackets",
    re.I,
)


def read_markdown(path: Path, data: bytes) -> Manuscript:
    """Pandoc citations with a bibliography: structured; anything else: plain text."""
    text, encoding = decode_file(path, data)
    text = clean(text)
    meta, front_end, skipped = _front_matter(text)
    masked = _mask(text, front_end)
    groups = [g for g in _GROUP.finditer(masked) if _CITE.search(g.group("body"))]
    narrative = [
        m
        for m in _CITE.finditer(masked)
        if not any(g.start() <= m.start() < g.end() for g in groups)
    ]
    if not groups and not (narrative and ("bibliography" in meta or "references" in meta)):
        return read_text(path, data)
    refs, notes = _bibliography(path, text, meta)
    skipped += notes
    if not refs:
        fallback = read_text(path, data)
        note = "pandoc citations found but no bibliography: the list is read from the text"
        return replace(fallback, skipped=(*skipped, note))
    folded = {key.casefold(): key for key in refs}

    def find(key: str) -> str | None:
        key = key.strip("{}")
        return key if key in refs else folded.get(key.casefold())

    narrative = [m for m in narrative if find(m.group("key"))]  # "@handle" is no citation
    bare = {m.start() for m in narrative}
    cites = sorted(
        [
            (g.start(), g.end(), [m.group("key") for m in _CITE.finditer(g.group("body"))])
            for g in groups
        ]
        + [(m.start(), m.end(), [m.group("key")]) for m in narrative]
    )
    order: dict[str, None] = {}
    for _, _, keys in cites:
        order.update((found, None) for key in keys if (found := find(key)) is not None)
    order.update(_nocite(meta, refs, find, skipped))
    index = {key: i for i, key in enumerate(order, start=1)}
    names = [
        _narrative_name(refs[f]) if (f := find(keys[0])) and start in bare else ""
        for start, _, keys in cites
    ]
    plain, context = _plain(_COMMENT.sub(_blank, text), front_end, cites, names)
    markers = []
    for n, (start, end, keys) in enumerate(cites):
        hits = [find(key) for key in keys]
        markers.append(
            Marker(
                text=text[start:end],
                line=text.count("\n", 0, start) + 1,
                targets=tuple(sorted({index[h] for h in hits if h is not None})),
                unresolved=tuple(
                    dict.fromkeys(k for k, h in zip(keys, hits, strict=True) if h is None)
                ),
                sentence=context.get(n, ""),
            )
        )
    title = meta.get("title") if isinstance(meta.get("title"), str) else None
    csl = str(meta.get("csl") or meta.get("citation-style") or "")
    style: Literal["numeric", "author-year"] = (
        "numeric" if _NUMERIC_CSL.search(csl) else "author-year"
    )
    return Manuscript(
        path=str(path),
        text=plain,
        encoding=encoding,
        title=" ".join(title.split()) if title else guess_title(plain),
        format="markdown",
        references=tuple(replace(refs[key], number=i) for i, key in enumerate(order, start=1)),
        citations=InText(style, tuple(markers)),
        skipped=tuple(skipped),
    )


def _blank(m: re.Match[str]) -> str:
    """Spaces for what is cut, newlines kept: offsets and line numbers stay true."""
    return re.sub(r"[^\n]", " ", m.group(0))


def _narrative_name(ref: ParsedReference) -> str:
    return ref.authors[0].family if ref.authors else ""


def _front_matter(text: str) -> tuple[dict[str, Any], int, list[str]]:
    """The YAML metadata block at the top: (its mapping, where the body starts, notes)."""
    m = _FRONT.match(text)
    if m is None:
        return {}, 0, []
    if len(m.group(0)) > MAX_FRONT_MATTER:
        return {}, m.end(), ["YAML front matter too large; not read"]
    try:
        meta = yaml.safe_load(m.group(1) or "")
    except yaml.YAMLError as exc:
        return {}, m.end(), [f"YAML front matter unreadable ({type(exc).__name__}); not read"]
    if not isinstance(meta, dict):
        return {}, m.end(), []
    return {str(k): v for k, v in meta.items()}, m.end(), []


def _mask(text: str, front_end: int) -> str:
    """The text with front matter and code blanked (same length): no citations in there."""
    masked = " " * front_end + text[front_end:]
    return _CODE.sub(_blank, masked)


def _names(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [v for v in value[:50] if isinstance(v, str)]
    return []


def _bibliography(
    path: Path, text: str, meta: dict[str, Any]
) -> tuple[dict[str, ParsedReference], list[str]]:
    """Key -> entry from the files ``bibliography:`` names (else <stem>.bib) and the inline
    ``references:``; the first definition of a key wins."""
    refs: dict[str, ParsedReference] = {}
    notes: list[str] = []
    names = _names(meta.get("bibliography"))
    if not names and not meta.get("references"):
        stem, _ = local_file(path.parent, path.stem + ".bib")
        names = [stem.name] if stem is not None else []
    for name in names:
        found, why = local_file(path.parent, name)
        if found is None:
            notes.append(f"bibliography file {name}: {why}")
            continue
        suffix = found.suffix.lower()
        try:
            if suffix in (".bib", ".bibtex"):
                entries, skipped = parse_bib(read_local_text(found))
                notes += [f"{found.name}: {s}" for s in skipped]
            elif suffix == ".json":
                entries = _csl_items(_json(found), read_local_text(found))
            elif suffix in (".yaml", ".yml"):
                data = yaml.safe_load(read_local_text(found))
                items = data.get("references") if isinstance(data, dict) else data
                entries = _csl_items(items, read_local_text(found))
            else:
                notes.append(f"bibliography file {name}: not .bib, .json or .yaml; not read")
                continue
        except (InputError, ValueError, yaml.YAMLError) as exc:
            notes.append(f"bibliography file {name}: unreadable ({exc})")
            continue
        for key, ref in entries.items():
            refs.setdefault(key, ref)
    for key, ref in _csl_items(meta.get("references"), text).items():
        refs.setdefault(key, ref)
    return refs, notes


def _json(path: Path) -> object:
    return json.loads(read_local_text(path))


def _csl_items(items: object, text: str) -> dict[str, ParsedReference]:
    """CSL items with an ``id``; ``line`` is where the id is written."""
    out: dict[str, ParsedReference] = {}
    if isinstance(items, dict):
        items = items.get("items") or items.get("references")
    if not isinstance(items, list):
        return out
    for item in items[:100000]:
        if not isinstance(item, dict) or not item.get("id"):
            continue
        key = str(item["id"])
        m = re.search(rf"""\bid["']?\s*:\s*["']?{re.escape(key)}\b""", text)
        out.setdefault(key, item_reference(item, text.count("\n", 0, m.start()) + 1 if m else None))
    return out


def _nocite(
    meta: dict[str, Any],
    refs: dict[str, ParsedReference],
    find: Callable[[str], str | None],
    skipped: list[str],
) -> dict[str, None]:
    """``nocite: '@*'`` or ``'@a, @b'``: listed without being cited."""
    wanted = " ".join(_names(meta.get("nocite")))
    out: dict[str, None] = {}
    for m in re.finditer(rf"@(\*|{_KEY})", wanted):
        if m.group(1) == "*":
            out.update(dict.fromkeys(refs))
        elif (found := find(m.group(1))) is not None:
            out[found] = None
        else:
            skipped.append(f"nocite @{m.group(1)}: no such key in the bibliography")
    return out


def _plain(
    text: str, front_end: int, cites: list[tuple[int, int, list[str]]], names: list[str]
) -> tuple[str, dict[int, str]]:
    """The text for the relevance check (front matter, comments and citations out, lines kept)
    and each citation's sentence. A narrative citation ("@kim2021 says") is the author's name
    in the sentence, as pandoc prints it."""
    pieces = ["\n" * text.count("\n", 0, front_end)]
    pos = front_end
    for n, (start, end, _) in enumerate(cites):
        if start < pos:
            continue
        pieces += [text[pos:start], names[n], placeholder(n)]
        pos = end
    pieces.append(text[pos:])
    marked = "".join(pieces)
    plain = re.sub(rf"[ \t]*{PLACEHOLDER.pattern}", "", marked)
    return plain, sentences(marked)

"""Per-field accuracy and throughput of ``citecheck.references.parse_reference``.

The checker can only verify what the parser pulls out of a reference string, so this
script measures, field by field, how often the parse agrees with labelled data:

* ``glutton``       17,015 PDF-extracted PMC reference strings aligned with the cited
                    article's NLM metadata (biblio-glutton DOI-matching set).
* ``anystyle``      AnyStyle's hand-tagged gold sequences; only journal articles (those with
                    a ``<journal>`` tag); the string is the tag texts joined by spaces.
* ``jats-printed``  JATS ``mixed-citation`` elements that carry their printed punctuation;
                    the string is the element's text, the gold its child tags.
* ``jats-rendered`` JATS ``element-citation`` / NLM 2.x ``citation`` elements, and
                    ``mixed-citation`` elements with no text between their tags: there is no
                    printed string, so one is RENDERED here in Vancouver style. Scores on these
                    say how well the parser reads clean Vancouver, not real-world strings.

Strict = equal after normalisation (casefold, strip diacritics and markup, keep only letters
and digits). Soft (title and journal only) = rapidfuzz ``fuzz.ratio`` >= 90 on the normalised
strings; for journal also an abbreviation match (e.g. "J Cell Biol" ~ "The Journal of Cell
Biology"), counted separately in the notes. Throughput is parse-only, timed with
``time.perf_counter`` around the whole loop.

Reads only ``benchmarks/data/`` (see its README for provenance and licences). Usage::

    python benchmarks/parse_accuracy.py [--limit N] [--dataset NAME] [--show-errors FIELD]
                                        [--max-errors N] [--seed S] [--no-citation-numbers]

Strings go to ``parse_reference`` as stored (glutton keeps its PDF line breaks and
end-of-line hyphens), not through ``split_references``.
"""

from __future__ import annotations

import argparse
import datetime
import gzip
import hashlib
import json
import random
import re
import sys
import time
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree.ElementTree import Element

from defusedxml import ElementTree
from rapidfuzz import fuzz

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT.parent))  # run from a checkout without installing

from citecheck.model import ParsedReference  # noqa: E402
from citecheck.references import parse_reference  # noqa: E402

DATA = ROOT / "data"
GLUTTON = DATA / "references-doi-matching.json.gz"
ANYSTYLE = DATA / "anystyle-gold.xml"
JATS_DIR = DATA / "jats"

FIELDS = ("title", "first_author", "journal", "year", "volume", "first_page", "doi")
SOFT_FIELDS = ("title", "journal")
SOFT_RATIO = 90
DATASETS = ("glutton", "anystyle", "jats-printed", "jats-rendered")

_DOI_ANY = re.compile(r"\b10\.\d{4,9}/")
_YEAR = re.compile(r"(?<!\d)(1[5-9]\d\d|20\d\d)(?!\d)")


@dataclass
class Case:
    """One reference string with whatever gold fields its source provides."""

    dataset: str
    raw: str
    gold: dict[str, str]
    source: str = ""


@dataclass
class Tally:
    """Counts for one (dataset, field) cell; errors are kept for --show-errors."""

    n: int = 0
    strict: int = 0
    n_present: int = 0
    strict_present: int = 0
    soft: int = 0
    soft_fuzzy_only: int = 0
    soft_abbrev_only: int = 0
    errors: list[tuple[Case, str | None]] = field(default_factory=list)


# --------------------------------------------------------------------------- normalisation


def _fold(text: str) -> str:
    """Casefold and strip diacritics/markup, so typography never counts as an error."""
    text = re.sub(r"<[^>]+>", " ", text)
    text = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()


def norm(text: str | None) -> str:
    """Letters and digits only: punctuation, spacing and PDF hyphen breaks do not matter."""
    return "".join(ch for ch in _fold(text or "") if ch.isalnum())


def _words(text: str) -> list[str]:
    return re.findall(r"[^\W_]+", _fold(text))


_STOP = {
    "a", "an", "and", "de", "der", "des", "di", "du", "et", "for", "fur", "in", "la", "le",
    "of", "on", "the", "und", "y",
}  # fmt: skip


def _word_abbreviates(short: str, full: str) -> bool:
    """'j'~'journal' (prefix) and 'natl'~'national' (contraction: same start, in order)."""
    if full.startswith(short):
        return True
    if short[0] != full[0]:
        return False
    rest = iter(full[1:])
    return all(ch in rest for ch in short[1:])


def is_abbreviation(a: str | None, b: str | None) -> bool:
    """Whether the shorter journal name abbreviates the longer one, word by word in order.

    Stopwords are ignored; an abbreviated word may also be the initials of several full
    words ('usa' ~ 'united states america'). Every content word of the long form must be
    accounted for, so a bare 'J' never matches 'Journal of X'.
    """
    if not a or not b:
        return False
    short, full = sorted((a, b), key=lambda s: len(norm(s)))
    if len(norm(short)) < 4:  # 'S' is not an abbreviation of 'Science', just a bad parse
        return False
    sw = [w for w in _words(short) if w not in _STOP]
    fw = [w for w in _words(full) if w not in _STOP]
    if not sw or not fw:
        return False
    j = 0
    for w in sw:
        if j < len(fw) and _word_abbreviates(w, fw[j]):
            j += 1
        elif len(w) >= 2 and "".join(x[0] for x in fw[j : j + len(w)]) == w:
            j += len(w)
        else:
            return False
    return j == len(fw)


# --------------------------------------------------------------------------- loaders


def load_glutton(limit: int | None) -> tuple[list[Case], dict[str, int]]:
    """biblio-glutton: gold DOI only where the string contains it (line breaks ignored)."""
    with gzip.open(GLUTTON, "rt", encoding="utf-8") as fh:
        rows = json.load(fh)
    if limit:
        rows = rows[:limit]
    stats = {"strings": len(rows), "with_any_doi": 0, "gold_doi_in_string": 0, "doi_split": 0}
    cases = []
    for row in rows:
        raw = row["reference"]
        gold = {
            "title": row.get("atitle"),
            "first_author": row.get("firstAuthor"),
            "journal": row.get("jtitle"),
            "volume": row.get("volume"),
            "first_page": row.get("firstPage"),
        }
        squeezed = re.sub(r"\s+", "", raw).casefold()
        if _DOI_ANY.search(squeezed):
            stats["with_any_doi"] += 1
        doi = (row.get("doi") or "").casefold()
        if doi and doi in squeezed:
            stats["gold_doi_in_string"] += 1
            stats["doi_split"] += doi not in raw.casefold()
            gold["doi"] = doi
        cases.append(Case("glutton", raw, {k: v for k, v in gold.items() if v}))
    return cases, stats


def _initials_only(chunk: str) -> bool:
    tokens = chunk.replace(".", ". ").split()
    return bool(tokens) and all(_is_initials(t) for t in tokens)


def _is_initials(word: str) -> bool:
    """'J.', 'JA', 'M.-É.' yes; 'Li', 'KAHAN' no (short all-caps names are rare)."""
    letters = re.sub(r"[.\-\u2010]", "", word)
    return (
        bool(letters)
        and letters.isalpha()
        and letters.isupper()
        and (len(letters) <= 3 or "." in word)
    )


def anystyle_first_surname(author: str) -> str | None:
    """First surname of a free-form AnyStyle author tag (the gold has no name structure).

    'Bergk, V., ...' / 'Govoni F.,' / 'Daugherty CK:' -> family first; 'O. Ambacher, ...' /
    'AM Trinkoff' / 'Michael T. Anderson.' -> family last; 'KAHAN Marcel' -> the capitals.
    """
    text = re.sub(r"\([^)]*\)", " ", author).lstrip(" -\u2013\u2022*")
    text = re.sub(r"(?<=\w)-\s+(?=\w)", "-", text)  # 'Baron- Cohen' split at a line end
    text = re.sub(r"\bet\s+al\b\.?", " ", text)
    chunks = [c.strip(" .") for c in re.split(r"[,;:&]|\band\b|\bet\b", text)]
    chunks = [c for c in chunks if c]
    if not chunks:
        return None
    words = chunks[0].split()
    nxt = chunks[1] if len(chunks) > 1 else ""
    if len(words) == 1:
        return words[0]
    if all(_is_initials(w) for w in words[:-1]):
        return words[-1]
    k = len(words)
    while k > 1 and _is_initials(words[k - 1]):
        k -= 1
    if k < len(words):
        return " ".join(words[:k])
    caps = [w for w in words if len(w) > 1 and w.isupper() and not _is_initials(w)]
    if caps:
        return " ".join(caps)
    if nxt and _initials_only(nxt):
        return chunks[0]
    for i, w in enumerate(words[:-1]):
        if w[0].islower():  # 'Jan van der Berg'
            return " ".join(words[i:])
    return words[-1]


def _first_number(text: str) -> str | None:
    text = re.sub(r"^\s*(?:\d{4}\s*;|\(\d+\))", "", text)  # '2009;108(2):', '(39)1:'
    m = re.search(r"[A-Za-z]?\d+[A-Za-z]?", re.sub(r"(?i)\b(?:vol|v|no|n°)\b\.?", " ", text))
    return m.group(0) if m else None


def _first_page(text: str) -> str | None:
    m = re.search(r"[A-Za-z]{0,3}\d+", re.sub(r"^\s*[Pp]{1,2}\.?\s*", "", text))
    return m.group(0) if m else None


def load_anystyle(limit: int | None, numbers: bool = True) -> list[Case]:
    """AnyStyle gold: journal articles only; gold values are cleaned of tag punctuation.

    ``numbers=False`` leaves the <citation-number> ("(55)", "[2]") out of the string, as
    split_references would strip it before the parser sees the entry.
    """
    root = ElementTree.parse(ANYSTYLE).getroot()
    cases = []
    for seq in root.iter("sequence"):
        tags = [(el.tag, (el.text or "").strip()) for el in seq]
        first: dict[str, str] = {}
        for tag, text in tags:
            first.setdefault(tag, text)
        if "journal" not in first:
            continue
        gold = {"journal": first["journal"], "title": first.get("title")}
        if "author" in first:
            gold["first_author"] = anystyle_first_surname(first["author"])
        if "date" in first and (m := _YEAR.search(first["date"])):
            gold["year"] = m.group(1)
        if "volume" in first:
            gold["volume"] = _first_number(first["volume"])
        if "pages" in first:
            gold["first_page"] = _first_page(first["pages"])
        raw = " ".join(t for tag, t in tags if t and (numbers or tag != "citation-number"))
        cases.append(Case("anystyle", raw, {k: v for k, v in gold.items() if v}))
        if limit and len(cases) >= limit:
            break
    return cases


_INLINE = {"italic", "bold", "sup", "sub", "sc", "underline", "roman", "monospace"}
_NO_SPACE_AFTER = "([/-\u2010\u2013\u2014"
_NO_SPACE_BEFORE = ",.;:)]-\u2010\u2013\u2014"


def _itertext(el: Element, skip: frozenset[str] = frozenset({"pub-id"})) -> str:
    """Element text as printed: PMC glues <surname>Rich</surname><given-names>KM</given-names>
    with no space in the XML, so a space is inserted at element boundaries unless the
    neighbouring characters are punctuation that never takes one."""
    out: list[str] = []

    def add(text: str | None, boundary: bool) -> None:
        if not text:
            return
        if (
            boundary
            and out
            and out[-1]
            and out[-1][-1] not in _NO_SPACE_AFTER
            and not out[-1][-1].isspace()
            and text[0] not in _NO_SPACE_BEFORE
            and not text[0].isspace()
        ):
            out.append(" ")
        out.append(text)

    def walk(node: Element, boundary: bool) -> None:
        add(node.text, boundary)
        for child in node:
            tag = _local(child.tag)
            edge = tag not in _INLINE
            if tag not in skip:
                walk(child, edge)
            add(child.tail, edge)

    walk(el, False)
    return re.sub(r"\s+", " ", "".join(out)).strip()


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _child(el: Element, name: str) -> Element | None:
    for child in el:
        if _local(child.tag) == name:
            return child
    return None


def _text(el: Element | None) -> str:
    return _itertext(el) if el is not None else ""


def _contributors(cit: Element) -> tuple[list[Element], bool]:
    """Author <name>/<collab> elements in order, and whether an <etal> follows."""
    groups = [g for g in cit if _local(g.tag) == "person-group"]
    authors = [g for g in groups if g.get("person-group-type", "author") == "author"]
    holder: Iterable[Element] = authors[0] if authors else ([] if groups else cit)
    names, etal = [], False
    for el in holder:
        tag = _local(el.tag)
        if tag in ("name", "collab", "string-name"):
            names.append(el)
        elif tag == "etal":
            etal = True
    return names, etal


def _initials(given: str) -> str:
    if re.fullmatch(r"[A-Z]{1,4}", given):
        return given
    return "".join(p[0] for p in re.split(r"[\s.\-\u2010]+", given) if p).upper()


def render_vancouver(cit: Element) -> str:
    """'Surname GI, Surname GI. Title. Source. Year;Vol(Iss):fpage-lpage.' from the tags."""
    names, etal = _contributors(cit)
    people = []
    for el in names:
        if _local(el.tag) == "collab":
            people.append(_text(el))
        else:
            surname = _text(_child(el, "surname"))
            given = _text(_child(el, "given-names"))
            people.append(f"{surname} {_initials(given)}".strip())
    if etal:
        people.append("et al")
    parts = []
    if people:
        parts.append(", ".join(people) + ".")
    for tag in ("article-title", "source"):
        value = _text(_child(cit, tag)).rstrip(" .")
        if value:
            parts.append(value if value[-1] in "?!" else value + ".")
    tail = _text(_child(cit, "year"))
    volume, issue = _text(_child(cit, "volume")), _text(_child(cit, "issue"))
    fpage = _text(_child(cit, "fpage")) or _text(_child(cit, "elocation-id"))
    lpage = _text(_child(cit, "lpage"))
    if volume:
        tail += f";{volume}"
    if issue:
        tail += f"({issue})"
    if fpage:
        tail += f":{fpage}" + (f"-{lpage}" if lpage and lpage != fpage else "")
    if tail:
        parts.append(tail + ".")
    return " ".join(parts)


def _has_printed_punctuation(cit: Element) -> bool:
    """A mixed-citation whose tags abut with no text between them was never 'printed'."""
    texts = [cit.text]
    for child in cit:
        texts.append(child.tail)
        if _local(child.tag) == "person-group":
            texts.extend([child.text] + [g.tail for g in child])
    return any(t and t.strip() for t in texts)


def _jats_gold(cit: Element) -> dict[str, str]:
    names, _ = _contributors(cit)
    gold = {
        "title": _text(_child(cit, "article-title")),
        "journal": _text(_child(cit, "source")),
        "volume": _text(_child(cit, "volume")),
        "first_page": _text(_child(cit, "fpage")) or _text(_child(cit, "elocation-id")),
    }
    if m := _YEAR.search(_text(_child(cit, "year"))):
        gold["year"] = m.group(1)
    if names and _local(names[0].tag) != "collab":
        gold["first_author"] = _text(_child(names[0], "surname"))
    return {k: v for k, v in gold.items() if v}


def load_jats(limit: int | None) -> tuple[list[Case], list[Case], dict[str, int]]:
    """Journal-type citations only (for books <source> is not a journal)."""
    printed, rendered = [], []
    skipped = 0
    for path in sorted(JATS_DIR.glob("*.gz")):
        with gzip.open(path) as fh:
            root = ElementTree.parse(fh).getroot()
        for cit in root.iter():
            tag = _local(cit.tag)
            if tag not in ("mixed-citation", "element-citation", "citation"):
                continue
            kind = cit.get("publication-type") or cit.get("citation-type")
            if kind != "journal":
                skipped += 1
                continue
            name = path.name.removesuffix(".gz")
            if tag == "mixed-citation" and _has_printed_punctuation(cit):
                printed.append(Case("jats-printed", _itertext(cit), _jats_gold(cit), name))
            else:
                rendered.append(Case("jats-rendered", render_vancouver(cit), _jats_gold(cit), name))
    if limit:
        printed, rendered = printed[:limit], rendered[:limit]
    return printed, rendered, {"non_journal_skipped": skipped}


# --------------------------------------------------------------------------- scoring


def gold_in_string(name: str, raw: str, gold: str) -> bool:
    """Whether the gold value is literally in the string (misaligned or truncated gold is not).

    Numbers must stand alone ('12' is not in '2012'); text is compared normalised.
    """
    if name in ("volume", "first_page", "year"):
        return re.search(rf"(?<![0-9A-Za-z]){re.escape(gold)}(?![0-9])", raw, re.I) is not None
    return norm(gold) in norm(raw)


def predicted(ref: ParsedReference) -> dict[str, str | None]:
    """The parser's value for each benchmark field, as strings."""
    authors, year = ref.authors, ref.year
    return {
        "title": ref.title,
        "first_author": authors[0].family if authors else None,
        "journal": ref.container,
        "year": str(year) if year else None,
        "volume": ref.volume,
        "first_page": ref.first_page,
        "doi": ref.doi,
    }


def parse_all(cases: list[Case]) -> tuple[list[dict[str, str | None] | None], float, int]:
    """Parse every string once; time only the parser calls."""
    results: list[ParsedReference | None] = []
    failures = 0
    start = time.perf_counter()
    for case in cases:
        try:
            results.append(parse_reference(case.raw))
        except Exception:  # a crash is a wrong answer for every field
            results.append(None)
            failures += 1
    elapsed = time.perf_counter() - start
    return [predicted(r) if r is not None else None for r in results], elapsed, failures


def score(cases: list[Case], preds: list[dict[str, str | None] | None]) -> dict[str, Tally]:
    """Tally each gold field; a field the source does not label is simply not counted."""
    tallies = {f: Tally() for f in FIELDS}
    for case, pred in zip(cases, preds, strict=True):
        for name, gold in case.gold.items():
            got = pred[name] if pred else None
            t = tallies[name]
            t.n += 1
            strict = bool(got) and norm(got) == norm(gold)
            t.strict += strict
            if gold_in_string(name, case.raw, gold):
                t.n_present += 1
                t.strict_present += strict
            if name in SOFT_FIELDS:
                fuzzy = bool(got) and fuzz.ratio(norm(got), norm(gold)) >= SOFT_RATIO
                abbrev = name == "journal" and is_abbreviation(got, gold)
                t.soft += strict or fuzzy or abbrev
                t.soft_fuzzy_only += fuzzy and not strict
                t.soft_abbrev_only += abbrev and not (strict or fuzzy)
            if not strict:
                t.errors.append((case, got))
    return tallies


def parser_fingerprint() -> str:
    """The parser is edited often; tie every printed number to the exact source it measured."""
    import citecheck.references as pkg

    digest = hashlib.sha256()
    for path in sorted(Path(pkg.__file__).parent.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


def _pct(k: int, n: int) -> str:
    return f"{100 * k / n:.1f}%" if n else "—"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--limit", type=int, help="use only the first N references of each dataset")
    ap.add_argument("--dataset", choices=DATASETS, action="append", help="repeatable")
    ap.add_argument("--show-errors", metavar="FIELD", choices=FIELDS, help="print strict misses")
    ap.add_argument("--max-errors", type=int, default=20, help="per dataset (default 20)")
    ap.add_argument(
        "--no-citation-numbers",
        action="store_true",
        help="anystyle: leave the <citation-number> out of the string",
    )
    ap.add_argument("--seed", type=int, default=0, help="for sampling the errors shown")
    args = ap.parse_args(argv)
    wanted = args.dataset or list(DATASETS)

    loaded: dict[str, list[Case]] = {}
    notes: list[str] = []
    if "glutton" in wanted:
        loaded["glutton"], gs = load_glutton(args.limit)
        notes.append(
            f"glutton: {gs['with_any_doi']} of {gs['strings']} strings contain a DOI at all; "
            f"{gs['gold_doi_in_string']} contain the gold DOI once whitespace is removed, and "
            f"{gs['doi_split']} of those are split by a PDF line break (scored anyway)."
        )
    if "anystyle" in wanted:
        loaded["anystyle"] = load_anystyle(args.limit, not args.no_citation_numbers)
        notes.append(
            "anystyle: string = tag texts joined by spaces, "
            + (
                "WITHOUT the <citation-number> tag."
                if args.no_citation_numbers
                else "including the <citation-number> tag ('(55)', '[2]', '146.')."
            )
        )
    if {"jats-printed", "jats-rendered"} & set(wanted):
        printed, rendered, js = load_jats(args.limit)
        loaded["jats-printed"], loaded["jats-rendered"] = printed, rendered
        notes.append(
            "jats-rendered strings are RENDERED here in Vancouver style from element-citation"
            " / citation / untagged mixed-citation tags; they are not real-world strings. "
            f"{js['non_journal_skipped']} non-journal JATS citations were skipped."
        )
    loaded = {k: v for k, v in loaded.items() if k in wanted}

    rows = [
        "| dataset | field | n | accuracy strict | accuracy soft | strict, gold in string (n) |",
        "|---|---|---:|---:|---:|---:|",
    ]
    speed = []
    all_tallies: dict[str, dict[str, Tally]] = {}
    total_n, total_t = 0, 0.0
    for name, cases in loaded.items():
        preds, elapsed, failures = parse_all(cases)
        total_n, total_t = total_n + len(cases), total_t + elapsed
        speed.append(
            f"| {name} | {len(cases)} | {elapsed:.3f} | {len(cases) / elapsed:,.0f} | {failures} |"
            if elapsed
            else f"| {name} | 0 | — | — | — |"
        )
        tallies = all_tallies[name] = score(cases, preds)
        for fname, t in tallies.items():
            if not t.n:
                continue
            soft = _pct(t.soft, t.n) if fname in SOFT_FIELDS else "—"
            present = f"{_pct(t.strict_present, t.n_present)} ({t.n_present})"
            rows.append(
                f"| {name} | {fname} | {t.n} | {_pct(t.strict, t.n)} | {soft} | {present} |"
            )
            if fname == "journal":
                notes.append(
                    f"{name} journal soft: {t.soft_fuzzy_only} extra by fuzzy ratio, "
                    f"{t.soft_abbrev_only} extra only by abbreviation match."
                )

    now = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    print("## Parse accuracy\n")
    print(f"citecheck/references/*.py sha256 {parser_fingerprint()}, run {now}")
    if args.limit:
        print(f"(--limit {args.limit}: first {args.limit} references of each dataset)")
    print()
    print("\n".join(rows))
    print("\n## Throughput (parse only)\n")
    print("| dataset | references | seconds | references/s | parser exceptions |")
    print("|---|---:|---:|---:|---:|")
    print("\n".join(speed))
    if total_t:
        print(f"| **all** | {total_n} | {total_t:.3f} | {total_n / total_t:,.0f} | |")
    print("\n## Notes\n")
    notes.append(
        "Last column: strict accuracy over the cases whose gold value occurs in the string"
        " (normalised; numbers as whole tokens) - drops misaligned or truncated gold rows, and"
        " for journal also rows where string and gold spell the name differently."
    )
    for note in notes:
        print(f"- {note}")

    if args.show_errors:
        rng = random.Random(args.seed)
        print(f"\n## Strict misses on {args.show_errors}")
        for name, tallies in all_tallies.items():
            errors = tallies[args.show_errors].errors
            if not errors:
                continue
            sample = rng.sample(errors, min(args.max_errors, len(errors)))
            print(f"\n### {name}: {len(sample)} of {len(errors)}\n")
            for case, got in sample:
                raw = re.sub(r"\s+", " ", case.raw)
                where = f" [{case.source}]" if case.source else ""
                print(f"- raw{where}: {raw}")
                print(f"  gold: {case.gold[args.show_errors]!r}")
                print(f"  got:  {got!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

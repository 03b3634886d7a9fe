"""Reference extraction per input format: does every format give the same references?

    python benchmarks/formats.py            # every test file in tests/data/ with a gold
    python benchmarks/formats.py --show 3   # also print the first 3 field disagreements per file

For each manuscript or reference-list file in ``tests/data/`` this reads the file with
``citecheck.ingest.read_manuscript`` (and the text parser where the format leaves the list to
it) and compares its references with a gold list:

- files whose name contains ``seed``, and the ``docx_*`` files: the seed article's **text version**
  (``examples/001_ea8cd2c476dabe3b.txt`` through the text parser), since the issue asks that
  every format give the same references as the text version;
- files whose name contains a JATS article id (``pone.0000217``, ``elife02935``…): that
  article's tagged ``<ref-list>`` as citecheck's JATS reader reads it (the XML is the gold).

Entries are paired greedily by title similarity (rapidfuzz ratio on folded titles ≥ 90, or
same first author + year when a title is missing). Entry recall = paired / gold entries;
precision = paired / entries read. Field agreement is counted over paired entries for
authors (family names), title, container, year, volume, pages, DOI and PMID, after folding
(case, accents, punctuation).
"""

from __future__ import annotations

import argparse
import gzip
import sys
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz import fuzz

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from citecheck.checks.text import fold  # noqa: E402
from citecheck.errors import InputError  # noqa: E402
from citecheck.ingest import read_manuscript  # noqa: E402
from citecheck.ingest.jats import read_jats  # noqa: E402
from citecheck.model import ParsedReference  # noqa: E402
from citecheck.references import read_references  # noqa: E402

DATA = ROOT / "tests" / "data"
SEED = ROOT / "examples" / "001_ea8cd2c476dabe3b.txt"
JATS_DIR = ROOT / "benchmarks" / "data" / "jats"
FIELDS = ("authors", "title", "container", "year", "volume", "pages", "doi", "pmid")
SKIP_SUFFIXES = {".py", ".bib", ".bbl"}  # a .bib/.bbl is read through its .tex


@dataclass
class Score:
    gold: int
    read: int
    paired: int
    agree: dict[str, tuple[int, int]]  # field -> (agreeing, compared)
    notes: list[str]


def references(path: Path) -> tuple[list[ParsedReference], str]:
    """The file's references (as structured, else parsed from its text) and its format."""
    manuscript = read_manuscript(path)
    if manuscript.references is not None:
        return list(manuscript.references), manuscript.format
    return read_references(manuscript.text), manuscript.format


def jats_gold(name: str) -> list[ParsedReference] | None:
    for candidate in [*DATA.glob("jats_*"), *JATS_DIR.glob("*.gz")]:
        stem = candidate.name.removeprefix("jats_").split(".xml")[0].split(".nxml")[0]
        if stem and stem in name:
            data = candidate.read_bytes()
            if candidate.suffix == ".gz":
                data = gzip.decompress(data)
            return list(read_jats(candidate, data).references or ())
    return None


def value(ref: ParsedReference, field: str) -> str:
    if field == "authors":
        return " ".join(fold(a.family) for a in ref.authors)
    if field == "pages":
        return fold((ref.pages or "").split("-")[0])
    return fold(str(getattr(ref, field) or ""))


def pair(gold: list[ParsedReference], read: list[ParsedReference]) -> list[tuple[int, int]]:
    pairs, used = [], set()
    for i, g in enumerate(gold):
        best, best_score = None, 0.0
        for j, r in enumerate(read):
            if j in used:
                continue
            if g.title and r.title:
                score = fuzz.ratio(fold(g.title), fold(r.title))
            else:
                same = value(g, "authors")[:12] == value(r, "authors")[:12] and g.year == r.year
                score = 95.0 if same and g.year else 0.0
            if score > best_score:
                best, best_score = j, score
        if best is not None and best_score >= 90:
            used.add(best)
            pairs.append((i, best))
    return pairs


def score(gold: list[ParsedReference], read: list[ParsedReference], show: int) -> Score:
    pairs = pair(gold, read)
    agree: dict[str, tuple[int, int]] = {}
    notes: list[str] = []
    for field in FIELDS:
        ok = total = 0
        for i, j in pairs:
            g, r = value(gold[i], field), value(read[j], field)
            if not g and not r:
                continue
            total += 1
            if g == r:
                ok += 1
            elif len(notes) < show:
                notes.append(f"{field} of entry {i + 1}: gold {g[:60]!r}, read {r[:60]!r}")
        agree[field] = (ok, total)
    return Score(len(gold), len(read), len(pairs), agree, notes)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", type=int, default=0, help="field disagreements to print per file")
    args = parser.parse_args()
    seed_gold = read_references(read_manuscript(SEED).text)
    rows = []
    for path in sorted(DATA.iterdir()):
        if (
            path.suffix in SKIP_SUFFIXES
            or path.name.startswith(("make_", "README"))
            or "gold" in path.name
        ):
            continue
        seedlike = "seed" in path.name or path.name.startswith("docx_")  # docx_*: the seed
        gold = seed_gold if seedlike else jats_gold(path.name)
        if gold is None:
            continue
        try:
            read, fmt = references(path)
        except InputError as exc:
            rows.append((path.name, None, str(exc)))
            continue
        rows.append((path.name, score(gold, read, args.show), fmt))
    head = "| file | format | gold | read | entry recall | entry precision | " + " | ".join(FIELDS)
    print(head + " |")
    print("|---|---|---:|---:|---:|---:|" + "---:|" * len(FIELDS))
    for name, s, fmt in rows:
        if s is None:
            print(f"| {name} | error: {fmt} |" + " |" * (4 + len(FIELDS)))
            continue
        cells = [
            f"{ok / total:.2f}" if total else "–" for ok, total in (s.agree[f] for f in FIELDS)
        ]
        print(
            f"| {name} | {fmt} | {s.gold} | {s.read} | {s.paired / s.gold:.2f} | "
            f"{s.paired / s.read if s.read else 0:.2f} | " + " | ".join(cells) + " |"
        )
    for name, s, _ in rows:
        for note in s.notes if s else []:
            print(f"- {name}: {note}")


if __name__ == "__main__":
    main()

"""Rebuild citecheck/relevance/idf.tsv: word document frequencies over real reference titles.

The titles are the gold article titles of biblio-glutton's 17,015 PMC references
(``benchmarks/data/references-doi-matching.json.gz``, Apache-2.0; see data/README.md).
Words seen in fewer than two titles are left out: unseen words count as rare anyway.
Only half the titles are used (``in_idf_half``, by a hash of the title); the relevance
benchmark draws its injected references from the other half, so the word statistics never
saw the references they are tested on.

    python benchmarks/build_idf.py
"""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path

from citecheck.relevance.words import document_frequencies

HERE = Path(__file__).parent
SOURCE = HERE / "data" / "references-doi-matching.json.gz"
TARGET = HERE.parent / "citecheck" / "relevance" / "idf.tsv"


def in_idf_half(title: str) -> bool:
    key = " ".join(title.casefold().split()).encode("utf-8")
    return hashlib.sha256(key).digest()[0] % 2 == 0


def main() -> None:
    rows = json.loads(gzip.decompress(SOURCE.read_bytes()))
    titles = sorted({r["atitle"].strip() for r in rows if (r.get("atitle") or "").strip()})
    titles = [t for t in titles if in_idf_half(t)]
    counts = document_frequencies(titles)
    lines = [
        "# word document frequencies over biblio-glutton's PMC reference titles",
        "# (benchmarks/data/references-doi-matching.json.gz, the half kept by in_idf_half);",
        "# rebuilt by benchmarks/build_idf.py",
        f"#documents\t{len(titles)}",
    ]
    lines += [f"{w}\t{n}" for w, n in sorted(counts.items()) if n >= 2]
    TARGET.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{TARGET}: {len(lines) - 3} words from {len(titles)} titles")


if __name__ == "__main__":
    main()

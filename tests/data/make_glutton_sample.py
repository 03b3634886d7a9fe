"""Write glutton_matching_sample.json, the rows tests/test_index_matching.py resolves (run by hand).

    python tests/data/make_glutton_sample.py

Rows of biblio-glutton's DOI-matching set (benchmarks/data/references-doi-matching.json.gz,
Apache-2.0), copied unchanged but for an added "row" (the row's position upstream):

* every row whose predicted DOI differed between the API path and --index in
  ``benchmarks/matching.py --compare`` (2,000 strings, seed 1, with and without
  ``--pubmed-only``, at git deec89e): the cases where the two paths are known to part;
* 78 more rows drawn at random (seed 9), so the common case is there too.
"""

from __future__ import annotations

import gzip
import json
import random
from pathlib import Path

HERE = Path(__file__).parent
GLUTTON = HERE.parent.parent / "benchmarks" / "data" / "references-doi-matching.json.gz"
OUT = HERE / "glutton_matching_sample.json"
DIFFERED = (1040, 2382, 3848, 4757, 6161, 6186, 6566, 7096, 7217, 7402, 7800, 8194, 8740)
DIFFERED += (9495, 11429, 11797, 13761, 14440, 16987)
RANDOM = 78


def main() -> None:
    with gzip.open(GLUTTON, "rt", encoding="utf-8") as fh:
        rows = json.load(fh)
    others = [i for i in range(len(rows)) if i not in DIFFERED]
    picked = sorted({*DIFFERED, *random.Random(9).sample(others, RANDOM)})
    sample = [{"row": i, **rows[i]} for i in picked]
    OUT.write_text(json.dumps(sample, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{OUT}: {len(sample)} rows")


if __name__ == "__main__":
    main()

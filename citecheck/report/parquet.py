"""The batch index as Parquet, for the tools that read thousands of rows (pandas, DuckDB, Spark).

Typed columns: counts are integers, and a count or text that does not apply (an unreadable
manuscript has no references) is null, where the CSV has an empty cell.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from citecheck.errors import CitecheckError

# The index columns that hold text; every other one is a count.
TEXT_COLUMNS = frozenset({"manuscript", "title", "status", "report", "error"})
EXTRA = "pip install 'citecheck-biomed[parquet]'"


def require_parquet() -> None:
    """Fail before a batch starts, not after it, when pyarrow is missing."""
    try:
        import pyarrow.parquet  # noqa: F401
    except ImportError:
        raise CitecheckError(f"--parquet needs pyarrow: {EXTRA}") from None


def write_parquet(rows: list[dict[str, Any]], columns: list[str], path: Path) -> None:
    """Write beside the target, then rename, as every other output of a batch."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pa.schema([(c, pa.string() if c in TEXT_COLUMNS else pa.int64()) for c in columns])
    table = pa.table(
        {c: [None if row[c] == "" else row[c] for row in rows] for c in columns}, schema=schema
    )
    tmp = path.with_name(path.name + ".tmp")
    pq.write_table(table, tmp)
    os.replace(tmp, path)

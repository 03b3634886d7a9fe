"""Report formats. Each takes a ``Report`` and returns text; JSON is the public contract."""

from citecheck.report.json import SCHEMA_VERSION, to_json
from citecheck.report.junit import to_junit
from citecheck.report.markdown import to_markdown
from citecheck.report.terminal import to_terminal

FORMATS = {
    "json": to_json,
    "junit": to_junit,
    "markdown": to_markdown,
    "terminal": to_terminal,
}

__all__ = ["FORMATS", "SCHEMA_VERSION", "to_json", "to_junit", "to_markdown", "to_terminal"]

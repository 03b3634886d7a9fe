"""Report formats. Each takes a ``Report`` and returns text; JSON is the public contract."""

from citecheck.report.html import to_html
from citecheck.report.json import SCHEMA_VERSION, to_json
from citecheck.report.junit import to_junit
from citecheck.report.markdown import to_markdown
from citecheck.report.sarif import to_sarif
from citecheck.report.terminal import to_terminal

FORMATS = {
    "html": to_html,
    "json": to_json,
    "junit": to_junit,
    "markdown": to_markdown,
    "sarif": to_sarif,
    "terminal": to_terminal,
}

__all__ = [
    "FORMATS",
    "SCHEMA_VERSION",
    "to_html",
    "to_json",
    "to_junit",
    "to_markdown",
    "to_sarif",
    "to_terminal",
]

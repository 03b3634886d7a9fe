"""The HTML index of a batch, from the rows of its CSV index."""

from __future__ import annotations

from urllib.parse import quote

from citecheck import __version__
from citecheck.report.html import environment

_BADGE = {
    "unreadable": "sev-error",
    "crashed": "sev-error",
    "failing": "sev-error",
    "incomplete": "s-unverified",
    "clean": "sev-ok",
}


def report_href(path: str) -> str:
    """A relative link that no file name can turn into a scheme ("javascript:…")."""
    return "./" + "/".join(quote(part) for part in path.split("/")) if path else ""


def to_index_html(rows: list[dict[str, object]]) -> str:
    statuses = [(s, s.capitalize(), sum(r["status"] == s for r in rows)) for s in _BADGE]
    views = [r | {"href": report_href(str(r["report"]))} for r in rows]
    return (
        environment()
        .get_template("index.html.j2")
        .render(version=__version__, total=len(rows), rows=views, statuses=statuses, badge=_BADGE)
    )

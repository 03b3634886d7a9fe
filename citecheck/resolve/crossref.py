"""Crossref REST API: works by DOI (batched with ``filter=doi:``) and bibliographic search.

Request parameters are built with habanero's helpers (its knowledge of filter and field-query
names); the requests themselves go through ``Http`` like every other request.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import quote

from habanero.filterhandler import filter_handler
from habanero.habanero_utils import rename_query_filters

from citecheck.dates import date_parts
from citecheck.model import Author, Notice, NoticeKind, ParsedReference, Record
from citecheck.resolve.http import Http
from citecheck.resolve.interface import BadResponse

SERVICE = "crossref"
DOI_BATCH = 40  # keeps the filter URL well under common 8 KB limits


class Crossref:
    def __init__(self, http: Http, base_url: str, rows: int = 5) -> None:
        self.http = http
        self.base = base_url.rstrip("/")
        self.rows = rows

    def _params(self, params: dict[str, str]) -> dict[str, str]:
        if self.http.settings.mailto:
            params["mailto"] = self.http.settings.mailto
        return params

    def works(self, dois: list[str]) -> dict[str, Record]:
        """Records for the DOIs Crossref knows, keyed by lower-case DOI; absent = unknown."""
        found: dict[str, Record] = {}
        unique = sorted({d.lower() for d in dois})
        for doi in [d for d in unique if "," in d]:
            # A comma would split the filter value: ask for these one by one.
            record = self.work(doi)
            if record is not None:
                found[doi] = record
        unique = [d for d in unique if "," not in d]
        for start in range(0, len(unique), DOI_BATCH):
            chunk = unique[start : start + DOI_BATCH]
            params = self._params(
                {"filter": filter_handler({"doi": list(chunk)}), "rows": str(len(chunk))}
            )
            r = self.http.request(SERVICE, "GET", f"{self.base}/works", params=params)
            for item in _items(r.body, "work-list"):
                record = to_record(item)
                if record.doi:
                    found[record.doi] = record
        return found

    def _by_doi(self, doi: str, route: str, message_type: str) -> Any | None:
        """GET /works/{doi}{route}; None when Crossref answers 404 (an answer, not a failure)."""
        url = f"{self.base}/works/{quote(doi, safe='/:;()<>')}{route}"
        r = self.http.request(
            SERVICE, "GET", url, params=self._params({}), ok=frozenset({200, 404})
        )
        return None if r.status == 404 else _envelope(r.body, message_type)

    def work(self, doi: str) -> Record | None:
        """One DOI; None when Crossref does not know it (maybe another agency does)."""
        message = self._by_doi(doi, "", "work")
        return None if message is None else to_record(message)

    def agency(self, doi: str) -> str | None:
        """The DOI's registration agency ("crossref", "datacite", …); None if no DOI exists."""
        message = self._by_doi(doi, "/agency", "work-agency")
        if message is None:
            return None
        return str((message.get("agency") or {}).get("id") or "unknown")

    def search(self, ref: ParsedReference) -> list[Record]:
        """Top candidates for a reference string; Crossref advises a few rows only."""
        query = bibliographic_query(ref)
        params = rename_query_filters({"query_bibliographic": query})
        params["rows"] = str(self.rows)
        r = self.http.request(SERVICE, "GET", f"{self.base}/works", params=self._params(params))
        return [to_record(item) for item in _items(r.body, "work-list")]


def bibliographic_query(ref: ParsedReference) -> str:
    """Authors, title, journal and numbers as parsed: the reference without OCR damage,
    markers or URLs. Falls back to the raw string when parsing found little."""
    parts = [" ".join(a.family for a in ref.authors[:3]), ref.title or "", ref.container or ""]
    parts += [str(ref.year or ""), ref.volume or "", ref.first_page or ""]
    query = " ".join(p for p in parts if p)
    return query if len(query) > 20 else " ".join(ref.raw.split())[:400]


def _envelope(body: bytes, message_type: str) -> Any:
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise BadResponse(SERVICE, "response is not JSON") from None
    if not isinstance(data, dict) or data.get("status") != "ok":
        raise BadResponse(SERVICE, "response envelope is not status ok")
    if data.get("message-type") != message_type or not isinstance(data.get("message"), dict):
        raise BadResponse(SERVICE, f"expected message-type {message_type}")
    return data["message"]


def _items(body: bytes, message_type: str) -> list[dict[str, Any]]:
    items = _envelope(body, message_type).get("items")
    if not isinstance(items, list):
        raise BadResponse(SERVICE, "work-list without items")
    return [i for i in items if isinstance(i, dict)]


def _first(value: Any) -> str | None:
    if isinstance(value, list):
        return str(value[0]).strip() if value else None
    return str(value).strip() if value else None


def _years(item: dict[str, Any]) -> tuple[int, ...]:
    """Every publication year the record gives, print first: a citation may use any of them.
    The deposit date ("created") stands in only when the record gives no other date."""
    out: list[int] = []
    for key in ("published-print", "published-online", "issued", "published", "created"):
        if key == "created" and out:
            break
        parts = (item.get(key) or {}).get("date-parts") or [[None]]
        value = parts[0][0] if parts and parts[0] else None
        if isinstance(value, int) or (isinstance(value, str) and value.isdigit()):
            out.append(int(value))
    return tuple(dict.fromkeys(out))


def to_record(item: dict[str, Any]) -> Record:
    authors = []
    for a in item.get("author") or []:
        family = (a.get("family") or a.get("name") or "").strip()
        if not family:
            continue
        given = a.get("given") or ""
        initials = "".join(w[0] for w in given.replace(".", " ").replace("-", " ").split() if w)
        authors.append(Author(family=family, initials=initials.upper()))
    doi = item.get("DOI")
    years = _years(item)
    return Record(
        source=SERVICE,
        doi=doi.lower() if isinstance(doi, str) else None,
        title=_first(item.get("title")),
        container=_first(item.get("container-title")),
        container_abbrev=tuple(str(s) for s in item.get("short-container-title") or []),
        year=years[0] if years else None,
        years=years,
        volume=_first(item.get("volume")),
        issue=_first(item.get("issue")),
        pages=_first(item.get("page")) or _first(item.get("article-number")),
        authors=tuple(authors),
        url=f"https://doi.org/{doi}" if doi else None,
        abstract=_plain_text(item.get("abstract")),
        subjects=tuple(str(s) for s in item.get("subject") or []),
        work_type=item.get("type") if isinstance(item.get("type"), str) else None,
        notices=_notices(item.get("updated-by")),
        notice_of=_notices(item.get("update-to")),
        published_as=_related(item.get("relation"), "is-preprint-of"),
    )


# Crossref update types -> our notice kinds; new_version, new_edition… are not notices.
_KINDS: dict[str, NoticeKind] = {
    "retraction": "retraction",
    "partial_retraction": "partial_retraction",
    "withdrawal": "withdrawal",
    "removal": "removal",
    "expression_of_concern": "expression_of_concern",
    "correction": "correction",
    "erratum": "correction",
    "corrigendum": "correction",
    "addendum": "correction",
    "clarification": "correction",
}


def _notices(updates: object) -> tuple[Notice, ...]:
    """``updated-by`` / ``update-to`` entries. Since 2025 each names its ``source``: the
    publisher's deposit or the Retraction Watch database (with its ``record-id``); older
    records have no source, which means the publisher."""
    out: list[Notice] = []
    for u in updates if isinstance(updates, list) else []:
        if not isinstance(u, dict):
            continue
        kind = _KINDS.get(str(u.get("type") or "").lower().replace("-", "_"))
        if kind is None:
            continue
        doi = u.get("DOI")
        record_id = u.get("record-id")
        out.append(
            Notice(
                kind=kind,
                label=str(u.get("label") or u.get("type")),
                channel="retraction-watch"
                if u.get("source") == "retraction-watch"
                else "publisher",
                doi=doi.lower() if isinstance(doi, str) else None,
                date=date_parts(u.get("updated")),
                record_id=str(record_id) if record_id is not None else None,
            )
        )
    return tuple(out)


def _related(relation: object, kind: str) -> tuple[str, ...]:
    """DOIs a work's ``relation`` names under ``kind`` (e.g. a preprint's journal version)."""
    entries = relation.get(kind) if isinstance(relation, dict) else None
    if not isinstance(entries, list):
        return ()
    return tuple(
        str(e["id"]).lower()
        for e in entries
        if isinstance(e, dict) and e.get("id-type") == "doi" and e.get("id")
    )


def _plain_text(value: object) -> str | None:
    """Crossref abstracts are JATS fragments ("<jats:p>…"); keep the words."""
    if not isinstance(value, str):
        return None
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", value)).strip() or None

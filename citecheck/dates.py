"""Dates as manuscripts and services write them, read into partial ISO strings.

A notice date from PubMed may be "2001 Mar 30" or only "2001 Mar"; a manuscript says
"Received: 01-Nov-2024". Keeping the precision the source gave ("2001-03") lets two dates be
compared only as far as both are known.
"""

from __future__ import annotations

import re

_MONTHS = {
    name: i
    for i, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<month>[A-Za-z]{3,9})\.?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_DAY = r"(?P<day>[0-3]?\d)"
_FORMS = [
    re.compile(rf"{_YEAR}-(?P<m>[01]\d)(?:-(?P<d>[0-3]\d))?"),  # 2024-11-01
    re.compile(rf"{_DAY}[-\s]{_MONTH}[-\s,]+{_YEAR}"),  # 01-Nov-2024, 1 November 2024
    re.compile(rf"{_MONTH}\s+{_DAY},?\s+{_YEAR}"),  # November 1, 2024
    re.compile(rf"{_YEAR}\s+{_MONTH}(?:\s+{_DAY}\b)?"),  # 2001 Mar 30, 2001 Mar
    re.compile(rf"{_MONTH}\s+{_YEAR}"),  # March 2001
    re.compile(rf"\b{_YEAR}\b"),
]
# "\b(?:received|submitted|date of submission|submission date)\b…", written to start with
# the first letter (r, s or d) and to look behind it for the word boundary: the engine then
# skips ahead to those letters instead of trying a leading \b at every character of the text.
_SUBMITTED = re.compile(
    r"[rsd](?<!\w.)(?:eceived|ubmitted|ate of submission|ubmission date)\b\s*(?:on|:)?\s*"
    r"(?P<date>[^;\n]{4,40})",
    re.IGNORECASE,
)


def iso(year: int, month: int | None = None, day: int | None = None) -> str:
    if month is None:
        return f"{year:04d}"
    if day is None:
        return f"{year:04d}-{month:02d}"
    return f"{year:04d}-{month:02d}-{day:02d}"


def parse_date(text: str) -> str | None:
    """The first date in ``text`` as partial ISO ("2001", "2001-03", "2001-03-30")."""
    for form in _FORMS:
        for m in form.finditer(text):
            groups = m.groupdict()
            year = int(groups["year"])
            if groups.get("m"):
                month: int | None = int(groups["m"])
                day = int(groups["d"]) if groups.get("d") else None
            elif groups.get("month"):
                month = _MONTHS.get(groups["month"].lower())
                if month is None:
                    continue
                day = int(groups["day"]) if groups.get("day") else None
            else:
                month = day = None
            if (month is not None and not 1 <= month <= 12) or (
                day is not None and not 1 <= day <= 31
            ):
                continue
            return iso(year, month, day)
    return None


def date_parts(value: object) -> str | None:
    """Crossref ``{"date-parts": [[2019, 7, 26]]}`` as partial ISO."""
    parts = (value or {}).get("date-parts") if isinstance(value, dict) else None
    first = parts[0] if isinstance(parts, list) and parts and isinstance(parts[0], list) else []
    numbers = [p for p in first if isinstance(p, int)]
    if not numbers or not 1000 <= numbers[0] <= 2999:
        return None
    return iso(*numbers[:3])


def after(date: str | None, reference: str | None) -> bool:
    """Is ``date`` later than ``reference``, as far as both are known?"""
    if not date or not reference:
        return False
    common = min(len(date), len(reference))
    return date[:common] > reference[:common]


def submission_date(text: str) -> str | None:
    """The date a manuscript says it was received or submitted, if it says so."""
    for m in _SUBMITTED.finditer(text):
        found = parse_date(m.group("date"))
        if found:
            return found
    return None

"""Build a ParsedReference from fields a structured format gives (JATS, BibTeX, RIS, CSL).

Structured entries are used as parsed, never re-parsed from a rendered string; their DOI and
PMID are trusted as cited. ``raw`` is rendered (Vancouver-like) when the format has no printed
string, so reports still show the entry.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from citecheck.model import Author, ParsedReference

_DOI = re.compile(r"10\.\d{4,9}/\S+")
_ET_AL = re.compile(r"et\.?\s*al\.?|others", re.IGNORECASE)


def clean_doi(value: object) -> str | None:
    """'https://doi.org/10.1/X.' -> '10.1/x'; anything else that is no DOI -> as written."""
    text = str(value or "").strip()
    if not text:
        return None
    m = _DOI.search(text)
    if m is None:
        return text.lower()  # kept, so the malformed-DOI check can see it
    return m.group(0).rstrip(".,;").lower()


def _doi_link(url: object) -> str | None:
    m = re.search(r"doi\.org/(10\.\d{4,9}/\S+)", str(url or ""), re.IGNORECASE)
    return clean_doi(m.group(1)) if m else None


def clean_pmid(value: object) -> str | None:
    text = str(value or "").strip()
    m = re.fullmatch(r"(?:pmid:?\s*)?(\d{1,9})", text, re.IGNORECASE)
    return m.group(1) if m else None


def year_of(value: object) -> int | None:
    m = re.search(r"(?<!\d)(1[5-9]\d\d|20\d\d)(?!\d)", str(value or ""))  # "2014a" too
    return int(m.group(1)) if m else None


def initials(given: str) -> str:
    """'Ching-Hon' -> 'CH'; 'J. R. R.' -> 'JRR'; 'JR' -> 'JR'."""
    given = given.strip()
    if re.fullmatch(r"[A-Z]{1,4}", given):
        return given
    return "".join(w[0] for w in re.split(r"[\s.\-]+", given) if w and w[0].isalpha()).upper()


def author(family: str, given: str = "") -> Author:
    return Author(family=" ".join(family.split()), initials=initials(given))


def split_name(name: str) -> Author:
    """'Pui, Ching-Hon', 'Pui CH', 'Ching-Hon Pui' -> Author('Pui', 'CH')."""
    name = " ".join(name.replace("{", "").replace("}", "").split())
    if _ET_AL.fullmatch(name):
        return Author(family=name)  # make_reference turns it into et_al
    if "," in name:
        family, _, given = name.partition(",")
        return author(family, given)
    words = name.split()
    if len(words) > 1 and re.fullmatch(r"[A-Z]{1,4}|(?:[A-Z]\.\s?){1,4}", words[-1]):
        return author(" ".join(words[:-1]), words[-1])
    if len(words) > 1:
        return author(words[-1], " ".join(words[:-1]))
    return author(name)


def render(
    authors: Iterable[Author],
    title: str | None,
    container: str | None,
    year: int | None,
    volume: str | None = None,
    issue: str | None = None,
    pages: str | None = None,
    doi: str | None = None,
    pmid: str | None = None,
    et_al: bool = False,
) -> str:
    names = ", ".join(str(a) for a in authors)
    if et_al:
        names += ", et al"
    out = [f"{names}." if names else "", f"{title.rstrip('.')}." if title else ""]
    if container:
        out.append(f"{container.rstrip('.')}.")
    numbers = f"{year or ''}"
    if volume:
        numbers += f";{volume}" + (f"({issue})" if issue else "")
    if pages:
        numbers += f":{pages}"
    if numbers:
        out.append(f"{numbers}.")
    if doi:
        out.append(f"doi:{doi}")
    if pmid:
        out.append(f"PMID: {pmid}")
    return " ".join(p for p in out if p)


def make_reference(
    *,
    authors: Iterable[Author] = (),
    et_al: bool = False,
    title: object = None,
    container: object = None,
    year: object = None,
    volume: object = None,
    issue: object = None,
    pages: object = None,
    doi: object = None,
    pmid: object = None,
    url: object = None,
    raw: str | None = None,
    line: int | None = None,
    number: int | None = None,
) -> ParsedReference:
    def text(value: object) -> str | None:
        cleaned = " ".join(str(value).split()) if value is not None else ""
        return cleaned or None

    people = tuple(a for a in authors if a.family)
    if any(_ET_AL.fullmatch(a.family) for a in people):  # "AU  - et al." in RIS and CSL
        people = tuple(a for a in people if not _ET_AL.fullmatch(a.family))
        et_al = True
    page_range = text(pages)
    fields = {
        "title": text(title),
        "container": text(container),
        "year": year if isinstance(year, int) else year_of(year),
        "volume": text(volume),
        "issue": text(issue),
        "pages": page_range.replace("--", "-").replace("–", "-") if page_range else None,
        # A doi.org link is a DOI as cited, whichever field it was put in.
        "doi": clean_doi(doi) or _doi_link(url),
        "pmid": clean_pmid(pmid),
    }
    rendered = raw or render(people, et_al=et_al, **fields)  # type: ignore[arg-type]
    return ParsedReference(
        raw=" ".join(rendered.split()),
        authors=people,
        et_al=et_al,
        url=text(url),
        line=line,
        number=number,
        **fields,  # type: ignore[arg-type]
    )

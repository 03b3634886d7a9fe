"""Parse one reference string into fields.

A rule-based parser tuned for biomedical styles (Vancouver/ICMJE, AMA, NLM, Nature, APA,
Harvard, Chicago). It finds the anchors first (identifiers, the year/volume/pages tail,
a parenthesised year) and reads authors, title and journal from what lies between them.
It never guesses an identifier: DOI and PMID come only from the text itself.
"""

from __future__ import annotations

import re

from citecheck.model import Author, ParsedReference

_DOI = re.compile(r"(?:doi\s*[:.]?\s*|https?://(?:dx\.)?doi\.org/)?(10\.\d{4,9}/[^\s\"]+)", re.I)
_PMID = re.compile(r"\bPMID\s*:?\s*(\d{1,9})\b", re.I)
_PMCID = re.compile(r"\bPMCID\s*:?\s*PMC\d+\b|\bPMC\d{5,}\b", re.I)
_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"]+", re.I)
_YEAR = r"(?:1[6-9]\d\d|20\d\d)"
_MONTH = (
    r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|Spring|Summer|Fall|Autumn|Winter)"
    r"[a-z]*\.?"
)
_PAGES = r"(?:[A-Za-z]{0,3}\d+[A-Za-z]?\d*(?:\s*[-–—]\s*[A-Za-z]{0,3}\d+[A-Za-z]?)?)"
# Vancouver/AMA tail: 2019;33(2):249-260 / 2018 Aug;41(8):754-9 / 1996;334:1238-48 /
# 2019;14(3):e0213475
_VANC_TAIL = re.compile(
    rf"(?P<year>{_YEAR})[a-z]?(?:\s+{_MONTH}(?:\s*\d{{1,2}})?(?:\s*[-–/]\s*{_MONTH}(?:\s*\d{{1,2}})?)?)?"
    rf"\s*[;:]\s*(?P<vol>[A-Za-z]?\d+[A-Za-z]?(?:\s*Suppl\.?\s*\d*)?)?\s*"
    rf"(?:\((?P<iss>[^()]{{1,20}})\))?\s*(?::\s*(?P<pages>{_PAGES}))?"
)
# Nature / ACS tail: Nature 521, 436–444 (2015) / Cell 12:34-56 (2001)
_NATURE_TAIL = re.compile(
    rf"(?P<vol>\d+)\s*(?:\((?P<iss>[^()]{{1,20}})\))?\s*[,:]\s*(?:pp?\.\s*)?(?P<pages>{_PAGES})"
    rf"\s*\((?:{_MONTH}\s*)?(?P<year>{_YEAR})\)"
)
# APA/Harvard/Chicago body: Journal, 12(3), 45–67 / Journal 12 (3): 45–67 / Journal, 12, pp. 45-67
_VOL_PAGES = re.compile(
    rf"(?P<vol>\d+[A-Za-z]?)\s*(?:\((?P<iss>[^()]{{1,20}})\))?\s*[,:]\s*(?:pp?\.\s*)?(?P<pages>{_PAGES})"
)
_PAREN_YEAR = re.compile(rf"\(\s*(?P<year>{_YEAR})[a-z]?(?:,\s*[^)]{{0,20}})?\s*\)")
_ANY_YEAR = re.compile(rf"\b(?P<year>{_YEAR})[a-z]?\b")
_NAME = (
    r"(?:(?:[a-z]{1,4}\s){0,3}[A-Z\u00c0-\u024f][\w'’\-]*(?:\s[A-Z\u00c0-\u024f][\w'’\-]+){0,2})"
)
_INITIALS = r"(?:[A-Z]{1,4}|(?:[A-Z]\.\s?-?){1,4}|[A-Z][a-z]?(?:-[A-Z])?)"
_AUTHOR_FAMILY_FIRST = re.compile(rf"^(?P<family>{_NAME})\s*,?\s+(?P<initials>{_INITIALS})\.?$")
_AUTHOR_INITIALS_FIRST = re.compile(
    rf"^(?P<initials>(?:[A-Z]\.\s?-?){{1,4}}|[A-Z]{{1,3}})\s+(?P<family>{_NAME})$"
)
_AUTHOR_FULL = re.compile(r"^(?P<given>[A-Z][a-z]+(?:\s[A-Z]\.?)*)\s+(?P<family>[A-Z][\w'’\-]+)$")
_ET_AL = re.compile(r"\bet\s*al\b\.?|\bet\s+coll?\b\.?|\bet\s+autres\b", re.I)
# A sentence break, but not before "& Hinton", "and", lower case or another initial.
_SENTENCE = re.compile(r"(?<=[.?!])\s+(?!&|and\b|[a-z]|[A-Z]\.[\s,-])(?=\S)")


def normalise(text: str) -> str:
    """Undo common extraction damage so the anchors can be found."""
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(r"[¢©](?=\d{5,})", "e", text)  # OCR: "¢0213475" for e0213475
    text = re.sub(r"(?<=\w)\?(?=[\w,])", "-", text)  # lost hyphens: "Sex?, race?"
    text = re.sub(r"\bet al(?=\s+[A-Z])", "et al.", text)  # "et al Suboptimal" missed its period
    text = text.replace("‐", "-").replace("‑", "-")
    return text


def parse_reference(raw: str, line: int | None = None) -> ParsedReference:
    text = normalise(raw)
    doi = pmid = url = None
    m = _DOI.search(text)
    if m:
        doi = _clean_doi(m.group(1))
        text = text[: m.start()] + text[m.end() :]
    m = _PMID.search(text)
    if m:
        pmid = m.group(1)
        text = text[: m.start()] + text[m.end() :]
    text = _PMCID.sub("", text)
    m = _URL.search(text)
    if m:
        url = m.group(0).rstrip(".,;)")
        text = text[: m.start()] + text[m.end() :]
    text = re.sub(
        r"\b(?:Available (?:from|at)|Accessed|Epub(?: ahead of print)?|doi)\s*:?\s*$",
        "",
        text.strip(),
        flags=re.I,
    )
    text = re.sub(r"\s*\[(?:Epub|published online)[^\]]*\]", "", text, flags=re.I)
    text = re.sub(r"\s+", " ", text).strip(" .;,")

    fields = _parse_apa(text) or _parse_vancouver(text) or _parse_fallback(text)
    authors_text = fields.get("authors") or ""
    authors, et_al = parse_authors(authors_text)
    return ParsedReference(
        raw=raw,
        authors=tuple(authors),
        et_al=et_al,
        title=_clean_title(fields.get("title")),
        container=_clean_container(fields.get("container")),
        year=int(fields["year"]) if fields.get("year") else None,
        volume=fields.get("vol") or None,
        issue=(fields.get("iss") or "").strip() or None,
        pages=_clean_pages(fields.get("pages")),
        doi=doi,
        pmid=pmid,
        url=url,
        line=line,
    )


def _clean_doi(doi: str) -> str:
    doi = doi.rstrip(".,;)]}>")
    if doi.count("(") < doi.count(")"):
        doi = doi.rstrip(")")
    return doi.lower()


def _clean_title(title: str | None) -> str | None:
    if not title:
        return None
    title = title.strip().strip("\"“”'‘’").strip()
    title = re.sub(r"\s*\[[^\]]*\]\s*$", "", title)  # [German], [Article in French]
    title = re.sub(r"(?<=[?!])\.$", "", title).rstrip(" .,")
    return title or None


def _clean_container(container: str | None) -> str | None:
    if not container:
        return None
    container = re.sub(r"^(?:In:?\s+)", "", container.strip(), flags=re.I)
    container = container.strip(" .,;:").strip('"“”*_')
    return container or None


def _clean_pages(pages: str | None) -> str | None:
    if not pages:
        return None
    pages = re.sub(r"\s*[-–—]\s*", "-", pages.strip())
    return pages or None


def _sentences(text: str) -> list[str]:
    parts = _SENTENCE.split(text)
    # Re-glue pieces split at initials or journal abbreviations ("Am. J. Clin. Oncol.").
    out: list[str] = []
    for part in parts:
        if out and (
            re.fullmatch(r"[A-Z][a-z]{0,5}\.", out[-1].split(" ")[-1])
            and len(part.split(" ")[0]) <= 6
            and _is_abbrev_run(out[-1])
        ):
            out[-1] += " " + part
        else:
            out.append(part)
    return out


def _is_abbrev_run(segment: str) -> bool:
    """'Am. J.' style pieces: every word short and capitalised."""
    words = segment.split()
    return (
        bool(words)
        and all(re.fullmatch(r"[A-Z][a-z]{0,7}\.?", w) for w in words[-3:])
        and len(words) <= 6
    )


def _is_author_segment(segment: str) -> bool:
    """Most comma-separated units read as names (the rest may be OCR damage)."""
    seg = _ET_AL.sub("", segment).strip(" ,.&")
    if not seg:
        return bool(_ET_AL.search(segment))
    units = _author_units(seg)
    strict = sum(1 for _, ok in units if ok)
    return bool(units) and strict >= max(1, len(units) / 2)


def _parse_vancouver(text: str) -> dict[str, str] | None:
    tail = None
    for m in _VANC_TAIL.finditer(text):
        if m.group("vol") or m.group("pages"):
            tail = m
    kind = "vanc"
    if tail is None:
        for m in _NATURE_TAIL.finditer(text):
            tail = m
        kind = "nature"
    if tail is None:
        return None
    head = text[: tail.start()].strip(" .,;")
    if kind == "vanc":
        # "Journal. 2019" — the year may also be preceded by a comma in some variants.
        head = re.sub(r"[,.]\s*$", "", head)
    segments = [s.strip(" .") for s in _sentences(head) if s.strip(" .")]
    fields = {k: (tail.group(k) or "") for k in ("year", "vol", "iss", "pages")}
    if not segments:
        return fields
    fields["container"] = segments[-1]
    if kind == "nature" and len(segments) >= 2:
        # "Title. Journal 521" : the container is the last segment minus nothing (vol in tail)
        pass
    rest = segments[:-1]
    if not rest:
        # "Authors. Journal 2019;..." or a one-piece head: try splitting author block off.
        return fields
    last_author = -1
    for i, seg in enumerate(rest[:-1] if len(rest) > 1 else rest):
        if _is_author_segment(seg):
            last_author = i
        elif i > 0:
            break
    if last_author == -1 and len(rest) >= 2:
        last_author = 0 if _looks_like_names(rest[0]) else -1
    fields["authors"] = ". ".join(rest[: last_author + 1])
    fields["title"] = ". ".join(rest[last_author + 1 :])
    if not fields["title"] and len(rest) == 1:
        fields["title"] = rest[0]
        fields["authors"] = ""
    return fields


def _looks_like_names(segment: str) -> bool:
    return (
        segment.count(",") >= 1
        and len(segment) < 400
        and bool(re.search(r"\b[A-Z]{1,3}\b", segment))
    )


def _parse_apa(text: str) -> dict[str, str] | None:
    """Author (Year). Title. Journal, vol(iss), pages.  Also Harvard / Chicago 'Author. Year.'"""
    m = _PAREN_YEAR.search(text)
    chicago = re.search(rf"\.\s+(?P<year>{_YEAR})[a-z]?\.\s+", text)
    if (
        m
        and m.start() < max(250, len(text) * 0.6)
        and _is_author_segment(text[: m.start()].strip(" .,"))
    ):
        authors, rest, year = (
            text[: m.start()].strip(" .,"),
            text[m.end() :].strip(" .,:"),
            m.group("year"),
        )
    elif (
        chicago
        and chicago.start() < len(text) * 0.6
        and _is_author_segment(text[: chicago.start()])
    ):
        authors, rest, year = text[: chicago.start()], text[chicago.end() :], chicago.group("year")
    else:
        return None
    fields: dict[str, str] = {"authors": authors, "year": year}
    quoted = re.match(r"^[\"“'‘](?P<t>.+?)[,.?!]?[\"”'’][.,]?\s*(?P<rest>.*)$", rest)
    if quoted:
        fields["title"], rest = quoted.group("t"), quoted.group("rest")
    else:
        parts = _sentences(rest)
        fields["title"] = parts[0] if parts else rest
        rest = " ".join(parts[1:])
    rest = rest.strip(" .,")
    matches = list(_VOL_PAGES.finditer(rest))
    vp = matches[-1] if matches else None
    if vp is not None:
        fields["container"] = rest[: vp.start()].strip(" ,.")
        fields.update({k: vp.group(k) or "" for k in ("vol", "iss", "pages")})
    else:
        fields["container"] = re.split(r"\.\s", rest)[0] if rest else ""
    return fields


def _parse_fallback(text: str) -> dict[str, str]:
    """No recognisable tail: books, web pages, reports. Take what the anchors give."""
    fields: dict[str, str] = {}
    years = list(_ANY_YEAR.finditer(text))
    if years:
        fields["year"] = years[-1].group("year")
    segments = [s.strip(" .") for s in _sentences(text) if s.strip(" .")]
    if segments and _is_author_segment(segments[0]) and len(segments) > 1:
        fields["authors"] = segments[0]
        fields["title"] = segments[1]
        if len(segments) > 2:
            fields["container"] = re.sub(rf"[,;]?\s*{_YEAR}.*$", "", segments[2])
    elif segments:
        fields["title"] = segments[0]
    return fields


def _author_from_chunk(chunk: str) -> Author | None:
    chunk = re.sub(r"^\s*(?:and|&)\s+", "", chunk.strip()).strip(" .")
    chunk = re.sub(r"(?<=[A-Z])\s+(?:Jr|Sr|II|III|IV)\.?$", "", chunk)
    if not chunk or len(chunk) > 60:
        return None
    for pattern in (_AUTHOR_FAMILY_FIRST, _AUTHOR_INITIALS_FIRST):
        m = pattern.match(chunk)
        if m:
            initials = re.sub(r"[^A-Z]", "", m.group("initials"))
            family = m.group("family").strip()
            if family.lower() in {"et", "al", "and"}:
                return None
            return Author(family=family, initials=initials)
    m = _AUTHOR_FULL.match(chunk)
    if m:
        initials = "".join(w[0] for w in re.split(r"[\s.\-]+", m.group("given")) if w)
        return Author(family=m.group("family"), initials=initials)
    return None


def parse_authors(text: str) -> tuple[list[Author], bool]:
    """Split an author block; garbage units (OCR) keep their most name-like word."""
    et_al = bool(_ET_AL.search(text))
    text = _ET_AL.sub("", text).strip(" ,.;")
    return [a for a, _ in _author_units(text) if a is not None], et_al


_GIVEN_ALONE = re.compile(r"(?:[A-Z]\.\s?-?){1,4}|[A-Z]{1,3}\.?|[A-Z][a-z]+(?:\s[A-Z]\.?)*")


def _author_units(text: str) -> list[tuple[Author | None, bool]]:
    """(author, strict) per unit; strict means it matched a name pattern, not a guess."""
    chunks = [c.strip() for c in re.split(r";|,|\band\b|&", text) if c.strip()]
    units: list[tuple[Author | None, bool]] = []
    i = 0
    while i < len(chunks):
        chunk = chunks[i]
        nxt = chunks[i + 1] if i + 1 < len(chunks) else None
        if (
            nxt
            and _GIVEN_ALONE.fullmatch(nxt)
            and re.fullmatch(_NAME, chunk)
            and _author_from_chunk(chunk) is None
        ):
            # APA "Smith, J. A." or Chicago "Smith, John": family first, given after a comma.
            initials = "".join(w[0] for w in re.split(r"[\s.\-]+", nxt) if w)
            units.append((Author(family=chunk, initials=initials), True))
            i += 2
            continue
        author = _author_from_chunk(chunk)
        if author is not None:
            units.append((author, True))
        else:
            units.append((_guess_author(chunk), False))
        i += 1
    return units


def _guess_author(chunk: str) -> Author | None:
    words = re.findall(r"[A-Za-z\u00c0-\u024f'’\-]{2,}", chunk)
    if not words or len(chunk) > 40:
        return None
    if len(words) == 1:
        return Author(family=words[0])
    # "downing Jr": the last word is initials-like, so the one before is the surname.
    if words[-1].isupper() or len(words[-1]) <= 2:
        return Author(family=words[-2], initials=words[-1].upper()[:3])
    return Author(family=words[-1])

"""Parse one reference string into fields.

A rule-based parser tuned for biomedical styles: Vancouver/ICMJE, AMA, NLM, BioMed Central,
Nature/Science, APA, Harvard, Chicago, IEEE. It finds the anchors first (identifiers, the
year/volume/pages tail or an author–year), then reads authors, title and journal from what
lies between them. It never guesses an identifier: DOI and PMID come only from the text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

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
_VOLUME = r"(?P<vol>[A-Za-z]?\d+[A-Za-z]?(?:\s*Suppl\.?\s*\d*)?)"
_ISSUE = r"(?:\s*\((?P<iss>[^()]{1,20})\))?"
_DATE = (
    rf"(?P<year>{_YEAR})[a-z]?"
    rf"(?:\s+{_MONTH}(?:\s*\d{{1,2}})?(?:\s*[-–/]\s*{_MONTH}(?:\s*\d{{1,2}})?)?)?"
)

# Each tail anchors the end of a journal reference; the title and journal precede it.
_TAILS = (
    # Vancouver/AMA: 2019;33(2):249-260 / 2018 Aug;41(8):754-9 / 1996;334:1238-48
    re.compile(rf"{_DATE}\s*[;:]\s*{_VOLUME}?{_ISSUE}\s*(?::\s*(?P<pages>{_PAGES}))?"),
    # BioMed Central: Am J Pathol 2006, 168:1486-1499 / PLoS Biol 2005, 3: e245
    re.compile(rf"{_DATE}\s*,\s*{_VOLUME}{_ISSUE}\s*:\s*(?P<pages>{_PAGES})"),
    # Nature/Science/ACS: Nature 521, 436–444 (2015) / Cell 12:34-56 (2001)
    re.compile(
        rf"{_VOLUME}{_ISSUE}\s*[,:]\s*(?:pp?\.\s*)?(?P<pages>{_PAGES})\s*"
        rf"\((?:{_MONTH}\s*)?(?P<year>{_YEAR})\)"
    ),
    # Year last: Nature 423: 409-414; 2003 / Nat Biotechnol 23(8):961-966, 2005
    re.compile(
        rf"{_VOLUME}{_ISSUE}\s*[:,]\s*(?:pp?\.\s*)?(?P<pages>{_PAGES})\s*[;,.]\s*"
        rf"(?:{_MONTH}\s*)?(?P<year>{_YEAR})[a-z]?\s*$"
    ),
)
# After an author–year opening: Journal, 12(3), 45–67 / Journal 12 (3): 45–67 / vol. 26, pp. 5-9
_VOL_PAGES = re.compile(
    rf"(?:vol\.\s*)?{_VOLUME}(?:{_ISSUE}|,\s*no\.\s*(?P<iss2>\w+))\s*[,:]\s*(?:pp?\.\s*)?"
    rf"(?P<pages>{_PAGES})"
)
_PAREN_YEAR = re.compile(rf"\(\s*(?P<year>{_YEAR})[a-z]?(?:,\s*[^)]{{0,20}})?\s*\)[.,:]?")
_BARE_YEAR = re.compile(rf"(?<=[.,])\s+(?P<year>{_YEAR})[a-z]?[.,]?\s+(?=[\"“'‘A-Z\d])")
_ANY_YEAR = re.compile(rf"\b(?P<year>{_YEAR})[a-z]?\b")

_UPPER = r"A-Z\u00c0-\u00de\u0100-\u024f"
_NAME = (
    rf"(?:(?:[a-z]{{1,4}}\s){{0,3}}[{_UPPER}][\w'’\-]*"
    rf"(?:\s(?:[a-z]{{1,4}}\s){{0,2}}[{_UPPER}][\w'’\-]+){{0,2}})"
)
_INITIALS = r"(?:[A-Z]{1,4}|(?:[A-Z]\.\s?-?){1,4}|[A-Z][a-z]?(?:-[A-Z])?)"
_AUTHOR_FAMILY_FIRST = re.compile(rf"^(?P<family>{_NAME})\s*,?\s+(?P<initials>{_INITIALS})\.?$")
_AUTHOR_INITIALS_FIRST = re.compile(
    rf"^(?P<initials>(?:[A-Z]\.\s?-?){{1,4}}|[A-Z]{{1,3}})\s+(?P<family>{_NAME})$"
)
_AUTHOR_FULL = re.compile(rf"^(?P<given>[A-Z][a-z]+(?:\s[A-Z]\.?)*)\s+(?P<family>{_NAME})$")
_INITIALS_ALONE = re.compile(r"(?:[A-Z]\.\s?-?){0,3}[A-Z]\.?|[A-Z]{1,3}\.?")
_GIVEN_ALONE = re.compile(r"[A-Z][a-z]+(?:\s[A-Z]\.?)*")
_ET_AL = re.compile(r"\bet\s*al\b\.?|\bet\s+coll?\b\.?|\bet\s+autres\b", re.I)
_BREAK = re.compile(r"(?<=[.?!])\s+(?=\S)")
_INITIAL_END = re.compile(r"\b[A-Z]\.$")
# After an initial, the name list goes on with another initial or "Surname," / "Surname and X."
_NAME_GOES_ON = re.compile(r"[A-Z]\.[\s,-]|[A-Z][\w'’\-]+(?:,|\s+and\s+[A-Z]\.|\s*&)")
SAME_AUTHORS = re.compile(r"^\s*[-—–_]{2,}\s*[.,:]?\s*")
_ABBR_WORD = re.compile(r"(?:[A-Z][a-z]{0,9}\.?|&|of|and|the|for|in)")
_STOP = {"of", "and", "the", "for", "in", "on", "&", "de", "la", "und", "der", "a"}
_QUOTED = re.compile(r"[\"“”]\s*(?P<t>[^\"“”]{8,}?)[,.]?\s*[\"”“]")


def normalise(text: str) -> str:
    """Whitespace and line-break damage, so identifiers and anchors can be found."""
    text = unicodedata.normalize("NFC", text)
    text = re.sub(r"\s+", " ", text).strip()
    # DOIs broken by a PDF line break: "10. 1016/j.x", "10.1017/ S09", "10.1016/j. gaitpost.2004"
    text = re.sub(r"\b10\.\s+(\d{4,9})\s*/\s*", r"10.\1/", text)
    text = re.sub(r"\b(10\.\d{4,9})\s*/\s+", r"\1/", text)
    return re.sub(r"(\b10\.\d{4,9}/\S*?[.\-_])\s+(?=[a-z0-9][\w.\-()/;:]*[.\d])", r"\1", text)


def repair(text: str) -> str:
    """OCR and typesetting damage; applied after identifiers are taken out verbatim."""
    text = re.sub(r"[¢©](?=\d{5,})", "e", text)  # OCR: "¢0213475" for e0213475
    text = re.sub(r"(?<=\w)\?(?=[\w,])", "-", text)  # lost hyphens: "Sex?, race?"
    text = re.sub(r"\bet al(?=\s+[A-Z])", "et al.", text)  # "et al Suboptimal" missed its period
    text = re.sub(r"(?<=[a-z])- (?=[a-z])", "", text)  # "imma- ture" hyphenation
    return text.replace("‐", "-").replace("‑", "-")


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
        r"\s*\[(?:Internet|cited[^\]]*|Epub[^\]]*|published online[^\]]*|PubMed[^\]]*)\]",
        "",
        text,
        flags=re.I,
    )
    text = re.sub(
        r"\b(?:Available (?:from|at)|Accessed|Epub(?: ahead of print)?|doi|PMCID)\s*:?\s*$",
        "",
        text.strip(),
        flags=re.I,
    )
    text = repair(re.sub(r"^\s*(?:\[\d+\]|\(\d+\)|\d+\.)\s+", "", text))  # number left on
    text = SAME_AUTHORS.sub("", text)  # "———. Title…": same authors as the entry before
    text = re.sub(r"\s*\(?\b(?:in press|Epub ahead of print)\b\)?\.?", "", text, flags=re.I)
    text = re.sub(r"\s+", " ", text).strip(" .;,")

    fields = _parse_author_year(text) or _parse_tail(text) or _parse_fallback(text)
    authors, et_al = parse_authors(fields.get("authors") or "")
    return ParsedReference(
        raw=raw,
        authors=tuple(authors),
        et_al=et_al,
        title=_clean_title(fields.get("title")),
        container=_clean_container(fields.get("container")),
        year=int(fields["year"]) if fields.get("year") else None,
        volume=(fields.get("vol") or "").strip() or None,
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
    # A translated title is printed in brackets; a trailing "[German]" is a language note.
    whole = re.fullmatch(r"\[(.+)\]\.?", title)
    title = whole.group(1) if whole else re.sub(r"\s*\[[^\]]*\]\s*$", "", title)
    if re.fullmatch(r"\(?\s*(?:in press|forthcoming|submitted|accepted)\s*\)?", title, re.I):
        return None
    title = re.sub(r"(?<=[?!])\.$", "", title).rstrip(" .,;:")
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
    return re.sub(r"\s*[-–—]\s*", "-", pages.strip()) or None


# -- sentences, journals, author blocks --------------------------------------------------


def _is_abbrev_run(segment: str) -> bool:
    """'J.' / 'Am. J. Clin.' / 'Trends Cogn.': a piece of an abbreviated journal name."""
    words = segment.split()
    return 0 < len(words) <= 5 and all(_ABBR_WORD.fullmatch(w) for w in words)


def _split_sentences(text: str, limit: int = 0) -> list[str]:
    """Break after . ? ! — but not before "& Hinton", "and" or lower case, and not inside
    a name ("Smith, J. A.", "K. Fiedler, S. Schiller"); "cholesterol. J. Membr." breaks."""
    parts: list[str] = []
    start = 0
    for m in _BREAK.finditer(text):
        nxt = text[m.end() : m.end() + 40]
        if _INITIAL_END.search(text, max(0, m.start() - 3), m.start()):
            # "Smith J. sog and dpp…": a lower-case title may follow the last author.
            if _NAME_GOES_ON.match(nxt) or nxt[:1] == "&" or nxt.startswith("and "):
                continue
        elif nxt[:1] == "&" or nxt[:1].islower() or nxt.startswith("and "):
            continue
        parts.append(text[start : m.start()])
        start = m.end()
        if limit and len(parts) == limit:
            break
    parts.append(text[start:])
    return parts


def _sentences(text: str) -> list[str]:
    """Split at sentence ends, re-gluing abbreviated journal names ("J. Neurosci.")."""
    out: list[str] = []
    for part in _split_sentences(text):
        if out and _is_abbrev_run(out[-1]) and _is_abbrev_run(part) and len(part.split()) <= 4:
            out[-1] += " " + part
        else:
            out.append(part)
    return [p.strip(" .") for p in out if p.strip(" .")]


def _is_author_segment(segment: str) -> bool:
    """Most comma-separated units read as names (the rest may be OCR damage)."""
    seg = _ET_AL.sub("", segment).strip(" ,.&;")
    if not seg:
        return bool(_ET_AL.search(segment))
    if any(len(chunk.split()) > 5 for chunk in re.split(r"[,;&]", seg)):
        return False  # a clause of six words is a title, not a name
    units = _author_units(seg)
    strict = sum(1 for _, ok in units if ok)
    return bool(units) and strict >= max(1, len(units) / 2)


def _split_colon_authors(text: str) -> tuple[str, str] | None:
    """'Smith J, Jones K: Title…' (BMC, Springer): the author block ends at a colon.

    Only a colon inside the first sentence counts: in "Jaffe ES, et al. Classification of
    lymphoid neoplasms: the microscope…" the colon belongs to the title.
    """
    first = _split_sentences(text, limit=1)[0]
    m = re.match(r"^(.{2,600}?)\s?:\s*(?=\S)", first)
    if m and _is_author_segment(m.group(1)):
        return m.group(1), text[m.end() :]
    return None


def _split_comma_authors(segment: str) -> tuple[str, str] | None:
    """'GL Moseley, PW Hodges, Title…' (Science): names, then the title after a comma."""
    units = [u for u in re.split(r",\s*", segment)]
    count = 0
    for unit in units:
        if _author_from_chunk(unit) is None and not _ET_AL.fullmatch(unit.strip()):
            break
        count += 1
    rest = ", ".join(units[count:])
    if count >= 1 and len(rest.split()) >= 3:
        return ", ".join(units[:count]), rest
    return None


def _journal_split(segments: list[str]) -> tuple[list[str], str]:
    """Separate the trailing journal from the title sentences before it."""
    if len(segments) <= 1:
        return [], segments[0] if segments else ""
    return segments[:-1], segments[-1]


def _authors_title(segments: list[str]) -> tuple[str, str]:
    """Leading author-like segments are authors; what follows, up to the journal, is title."""
    if not segments:
        return "", ""
    first_colon = _split_colon_authors(". ".join(segments))
    if first_colon:
        return first_colon[0], first_colon[1]
    last_author = -1
    for i, seg in enumerate(segments[:-1]):
        if _is_author_segment(seg):
            last_author = i
        elif i > 0 or not _looks_like_names(seg):
            break
    if last_author >= 0:
        return ". ".join(segments[: last_author + 1]), ". ".join(segments[last_author + 1 :])
    comma = _split_comma_authors(segments[0])
    if comma:
        return comma[0], ". ".join([comma[1], *segments[1:]])
    if len(segments) == 1 and _is_author_segment(segments[0]):
        return segments[0], ""
    return "", ". ".join(segments)


def _looks_like_names(segment: str) -> bool:
    return (
        segment.count(",") >= 1
        and len(segment) < 400
        and bool(re.search(r"\b[A-Z]{1,3}\b", segment))
    )


# -- the three readings ------------------------------------------------------------------


def _candidates(text: str) -> Iterator[re.Match[str]]:
    for pattern in _TAILS:
        for m in pattern.finditer(text):
            if m.group("vol") or m.group("pages"):
                yield m


def _parse_tail(text: str) -> dict[str, str] | None:
    """Journal references: find the tail, then authors, title and journal before it."""
    tails = list(_candidates(text))
    if not tails:
        return None
    # The tail closest to the end wins; among equals, the one that explains more.
    tail = max(tails, key=lambda m: (m.end(), m.end() - m.start()))
    fields = {k: (tail.group(k) or "") for k in ("year", "vol", "iss", "pages")}
    head = text[: tail.start()].strip(" .,;:")
    quoted = _QUOTED.search(head)
    if quoted and _is_author_segment(head[: quoted.start()].strip(" ,.:")):
        # IEEE / ACS: Authors, "Title," Journal vol, pages (year)
        fields.update(
            authors=head[: quoted.start()].strip(" ,.:"),
            title=quoted.group("t"),
            container=re.sub(r"^(?:in\s)?", "", head[quoted.end() :].strip(" ,.:"), flags=re.I),
        )
        return fields
    segments = _sentences(head)
    title_parts, container = _journal_split(segments)
    colon = _split_colon_authors(head)
    if colon:
        body = _sentences(colon[1])
        title_parts, container = _journal_split(body)
        fields.update(authors=colon[0], title=". ".join(title_parts), container=container)
        return fields
    authors, title = _authors_title(title_parts)
    if not title and not authors and len(segments) == 1:
        # One piece before the tail: "Title. Journal" lost its stop, or only a journal.
        title, container = "", segments[0]
    fields.update(authors=authors, title=title, container=container)
    return fields


def _parse_author_year(text: str) -> dict[str, str] | None:
    """Author (Year). Title. Journal, vol(iss), pages — APA, Harvard, Chicago, Royal Society."""
    opening = None
    m = _PAREN_YEAR.search(text)
    if m and m.start() < max(250, len(text) * 0.6):
        before = text[: m.start()].strip(" .,")
        if before and _is_author_segment(before):
            opening = (before, m.group("year"), text[m.end() :])
    if opening is None:
        for m in _BARE_YEAR.finditer(text):
            if m.start() > len(text) * 0.6:
                break
            before = text[: m.start()].strip(" .,")
            if before and _is_author_segment(before):
                opening = (before, m.group("year"), text[m.end() :])
                break
    if opening is None:
        return None
    authors, year, rest = opening
    rest = rest.strip(" .,:")
    fields: dict[str, str] = {"authors": authors, "year": year}
    quoted = re.match(
        r"^(?:[\"“](?P<t>.+?)[,.?!]?[\"”]|['‘](?P<t2>.+?)[,.?!]?['’](?=[\s.,:;]))[.,:]?\s*(?P<rest>.*)$",
        rest,
    )
    title_known = None
    if quoted:
        title_known, rest = quoted.group("t") or quoted.group("t2"), quoted.group("rest")
    matches = list(_VOL_PAGES.finditer(rest))
    vp = matches[-1] if matches else None
    if vp is not None:
        before = rest[: vp.start()].strip(" ,.")
        fields.update(vol=vp.group("vol") or "", pages=vp.group("pages") or "")
        fields["iss"] = vp.group("iss") or vp.group("iss2") or ""
    else:
        before = rest
    if title_known is not None:
        fields["title"], fields["container"] = title_known, before
        return fields
    segments = _sentences(before)
    if vp is None and len(segments) > 2:
        # No volume/pages: a book or report; keep the title only.
        fields["title"], fields["container"] = segments[0], segments[1]
        return fields
    title_parts, container = _journal_split(segments)
    fields["title"], fields["container"] = ". ".join(title_parts), container
    if not fields["title"]:
        fields["title"], fields["container"] = container, ""
    return fields


def _parse_fallback(text: str) -> dict[str, str]:
    """No recognisable tail: books, web pages, reports. Take what the anchors give."""
    fields: dict[str, str] = {}
    years = list(_ANY_YEAR.finditer(text))
    if years:
        fields["year"] = years[-1].group("year")
    quoted = _QUOTED.search(text)
    if quoted:
        before = text[: quoted.start()].strip(" ,.")
        if _is_author_segment(before):
            fields["authors"] = before
        fields["title"] = quoted.group("t")
        after = text[quoted.end() :].strip(" ,.")
        fields["container"] = re.split(r",|\s\d", after)[0] if after else ""
        return fields
    segments = _sentences(text)
    authors, rest = _authors_title(segments)
    parts = _sentences(rest) if rest else []
    fields["authors"] = authors
    if parts:
        fields["title"] = parts[0]
        if len(parts) > 1:
            fields["container"] = re.sub(rf"[,;]?\s*{_YEAR}.*$", "", parts[1])
    return fields


# -- authors -----------------------------------------------------------------------------


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


def _author_units(text: str) -> list[tuple[Author | None, bool]]:
    """(author, strict) per unit; strict means it matched a name pattern, not a guess."""
    chunks = [c.strip() for c in re.split(r";|,|\band\b|&", text) if c.strip()]
    units: list[tuple[Author | None, bool]] = []
    i = 0
    while i < len(chunks):
        chunk = chunks[i]
        nxt = chunks[i + 1] if i + 1 < len(chunks) else None
        name_like = re.fullmatch(_NAME, chunk) is not None
        # APA "Smith, J. A." (always a pair) or Chicago "Smith, John" (a pair only when
        # "Smith" alone is not already a complete "Smith J" style name).
        if (
            nxt
            and name_like
            and (
                _INITIALS_ALONE.fullmatch(nxt)
                or (_GIVEN_ALONE.fullmatch(nxt) and _author_from_chunk(chunk) is None)
            )
        ):
            initials = "".join(w[0] for w in re.split(r"[\s.\-]+", nxt) if w)
            units.append((Author(family=chunk, initials=initials.upper()), True))
            i += 2
            continue
        author = _author_from_chunk(chunk)
        units.append((author, True) if author is not None else (_guess_author(chunk), False))
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

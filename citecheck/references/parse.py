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
from functools import lru_cache

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
_VANCOUVER, _BMC, _NATURE, _YEAR_LAST = (
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
# What _NATURE and _YEAR_LAST need, found much faster than the tails themselves (which
# start with a volume, so every letter and digit is a place to try them).
_PAREN_YEAR_CLOSED = re.compile(rf"\((?:{_MONTH}\s*)?{_YEAR}\)")
_YEAR_LAST_END = re.compile(rf"{_YEAR}[a-z]?$")
# After an author–year opening: Journal, 12(3), 45–67 / Journal 12 (3): 45–67 / vol. 26, pp. 5-9
# The leading look-ahead states what every match starts with, so that most characters
# (letters not followed by a digit) are passed over at once.
_VOL_PAGES = re.compile(
    rf"(?=vol\.|[A-Za-z]?\d)(?:vol\.\s*)?{_VOLUME}(?:{_ISSUE}|,\s*no\.\s*(?P<iss2>\w+))"
    rf"\s*[,:]\s*(?:pp?\.\s*)?(?P<pages>{_PAGES})"
)
_PAREN_YEAR = re.compile(rf"\(\s*(?P<year>{_YEAR})[a-z]?(?:,\s*[^)]{{0,20}})?\s*\)[.,:]?")
# A year after ". " or ", ". The stop is matched, not looked behind for, which lets the engine
# skip ahead to the next stop; the opening starts at group "gap", the space after it.
_BARE_YEAR = re.compile(rf"[.,](?P<gap>\s+)(?P<year>{_YEAR})[a-z]?[.,]?\s+(?=[\"“'‘A-Z\d])")
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
# Group 1 is the break; the stop is matched rather than looked behind for, which lets the
# engine skip ahead to the next stop.
_BREAK = re.compile(r"[.?!](\s+)(?=\S)")
_INITIAL_END = re.compile(r"\b[A-Z]\.$")
# After an initial, the name list goes on with another initial or "Surname," / "Surname and X."
_NAME_GOES_ON = re.compile(r"[A-Z]\.[\s,-]|[A-Z][\w'’\-]+(?:,|\s+and\s+[A-Z]\.|\s*&)")
SAME_AUTHORS = re.compile(r"^\s*[-—–_]{2,}\s*[.,:]?\s*")
_ABBR_WORD = re.compile(r"(?:[A-Z][a-z]{0,9}\.?|&|of|and|the|for|in)")
_STOP = {"of", "and", "the", "for", "in", "on", "&", "de", "la", "und", "der", "a"}
_QUOTED = re.compile(r"[\"“”]\s*(?P<t>[^\"“”]{8,}?)[,.]?\s*[\"”“]")

# Rewrites and splits, compiled once: ``re.sub(pattern_string, …)`` pays a cache lookup per
# call, and the parser makes dozens of calls per reference. Rewrites of rare damage are also
# guarded by a substring test that every match needs (``"10." in text`` before DOI repairs),
# so the common clean string is not scanned by each of them. Such tests are written in
# lower case only for letters that no other character matches under re.IGNORECASE (not
# "i", "s" or "k": "İ", "ı", "ſ" and the Kelvin sign match those).
_DOI_SPLIT_PREFIX = re.compile(r"\b10\.\s+(\d{4,9})\s*/\s*")
_DOI_SPLIT_SLASH = re.compile(r"\b(10\.\d{4,9})\s*/\s+")
_DOI_SPLIT_SUFFIX = re.compile(r"(\b10\.\d{4,9}/\S*?[.\-_])\s+(?=[a-z0-9][\w.\-()/;:]*[.\d])")
_OCR_E = re.compile(r"[¢©](?=\d{5,})")
_LOST_HYPHEN = re.compile(r"(?<=\w)\?(?=[\w,])")
_ET_AL_NO_STOP = re.compile(r"\bet al(?=\s+[A-Z])")
_LINE_HYPHEN = re.compile(r"(?<=[a-z])- (?=[a-z])")
_BRACKET_NOTE = re.compile(
    r"\s*\[(?:Internet|cited[^\]]*|Epub[^\]]*|published online[^\]]*|PubMed[^\]]*)\]", re.I
)
_TRAILING_LABEL = re.compile(
    r"\b(?:Available (?:from|at)|Accessed|Epub(?: ahead of print)?|doi|PMCID)\s*:?\s*$", re.I
)
# What a stripped string must end with for _TRAILING_LABEL to match: ":" or a label's last
# letter, in any case ("İ" and "ı" match "i" under re.IGNORECASE).
_TRAILING_LABEL_ENDS = frozenset(":mMtTdDbBiIİı")
_LEADING_NUMBER = re.compile(r"^\s*(?:\[\d+\]|\(\d+\)|\d+\.)\s+")
_IN_PRESS = re.compile(r"\s*\(?\b(?:in press|Epub ahead of print)\b\)?\.?", re.I)
_BRACKETED = re.compile(r"\[(.+)\]\.?")
_TRAILING_BRACKETS = re.compile(r"\s*\[[^\]]*\]\s*$")
_NOT_YET_TITLE = re.compile(r"\(?\s*(?:in press|forthcoming|submitted|accepted)\s*\)?", re.I)
_STOP_AFTER_MARK = re.compile(r"(?<=[?!])\.$")
_IN_PREFIX = re.compile(r"^(?:In:?\s+)", re.I)
_IN_SPACE_PREFIX = re.compile(r"^(?:in\s)?", re.I)
_PAGE_DASH = re.compile(r"\s*[-–—]\s*")
_CLAUSE_SPLIT = re.compile(r"[,;&]")
_COLON_AUTHORS = re.compile(r"^(.{2,600}?)\s?:\s*(?=\S)")
_COMMA_SPLIT = re.compile(r",\s*")
_SHORT_CAPS = re.compile(r"\b[A-Z]{1,3}\b")
_QUOTED_TITLE = re.compile(
    r"^(?:[\"“](?P<t>.+?)[,.?!]?[\"”]|['‘](?P<t2>.+?)[,.?!]?['’](?=[\s.,:;]))[.,:]?\s*(?P<rest>.*)$"
)
_CONTAINER_END = re.compile(r",|\s\d")
_YEAR_ON = re.compile(rf"[,;]?\s*{_YEAR}.*$")
_LEADING_AND = re.compile(r"^\s*(?:and|&)\s+")
_SUFFIX = re.compile(r"(?<=[A-Z])\s+(?:Jr|Sr|II|III|IV)\.?$")
# What a chunk must end with for _SUFFIX to match ("$" also matches before a final "\n").
_SUFFIX_ENDS = ("r", "I", "V", ".", "\n")
_NOT_UPPER = re.compile(r"[^A-Z]")
_GIVEN_SPLIT = re.compile(r"[\s.\-]+")
_AUTHOR_SPLIT = re.compile(r";|,|\band\b|&")
_NAME_WHOLE = re.compile(_NAME)
_GUESS_WORD = re.compile(r"[A-Za-z\u00c0-\u024f'’\-]{2,}")


def _squeeze(text: str) -> str:
    r"""Runs of whitespace to one space, ends stripped: ``re.sub(r"\s+", " ", t).strip()``.

    ``str.split`` and ``\s`` agree on what whitespace is (``str.isspace``), and splitting is
    several times faster than the regular expression.
    """
    return " ".join(text.split())


def normalise(text: str) -> str:
    """Whitespace and line-break damage, so identifiers and anchors can be found."""
    text = _squeeze(unicodedata.normalize("NFC", text))
    if "10." in text:
        # DOIs broken by a PDF line break: "10. 1016/j.x", "10.1017/ S09", "10.1016/j. gaitpost"
        text = _DOI_SPLIT_PREFIX.sub(r"10.\1/", text)
        text = _DOI_SPLIT_SLASH.sub(r"\1/", text)
        text = _DOI_SPLIT_SUFFIX.sub(r"\1", text)
    return text


def repair(text: str) -> str:
    """OCR and typesetting damage; applied after identifiers are taken out verbatim."""
    if "¢" in text or "©" in text:
        text = _OCR_E.sub("e", text)  # OCR: "¢0213475" for e0213475
    if "?" in text:
        text = _LOST_HYPHEN.sub("-", text)  # lost hyphens: "Sex?, race?"
    if "et al" in text:
        text = _ET_AL_NO_STOP.sub("et al.", text)  # "et al Suboptimal" missed its period
    if "- " in text:
        text = _LINE_HYPHEN.sub("", text)  # "imma- ture" hyphenation
    return text.replace("‐", "-").replace("‑", "-")


def parse_reference(
    raw: str, line: int | None = None, number: int | None = None
) -> ParsedReference:
    text = normalise(raw)
    doi = pmid = url = None
    m = _DOI.search(text) if "10." in text else None
    if m:
        doi = _clean_doi(m.group(1))
        text = text[: m.start()] + text[m.end() :]
    m = _PMID.search(text) if "pm" in text.lower() else None
    if m:
        pmid = m.group(1)
        text = text[: m.start()] + text[m.end() :]
    if "pmc" in text.lower():
        text = _PMCID.sub("", text)
    m = _URL.search(text) if "://" in text or "www." in text.lower() else None
    if m:
        url = m.group(0).rstrip(".,;)")
        text = text[: m.start()] + text[m.end() :]
    if "[" in text:
        text = _BRACKET_NOTE.sub("", text)
    text = text.strip()
    if text[-1:] in _TRAILING_LABEL_ENDS:
        text = _TRAILING_LABEL.sub("", text)
    text = repair(_LEADING_NUMBER.sub("", text))  # number left on
    text = SAME_AUTHORS.sub("", text)  # "———. Title…": same authors as the entry before
    lowered = text.lower()
    if "n pre" in lowered or "epub" in lowered:  # "in press", "Epub ahead of print"
        text = _IN_PRESS.sub("", text)
    text = _squeeze(text).strip(" .;,")

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
        number=number,
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
    if "[" in title:
        whole = _BRACKETED.fullmatch(title)
        title = whole.group(1) if whole else _TRAILING_BRACKETS.sub("", title)
    if _NOT_YET_TITLE.fullmatch(title):
        return None
    if "." in title[-2:]:  # "$" matches at the end or before a final "\n"
        title = _STOP_AFTER_MARK.sub("", title)
    title = title.rstrip(" .,;:")
    return title or None


def _clean_container(container: str | None) -> str | None:
    if not container:
        return None
    container = _IN_PREFIX.sub("", container.strip())
    container = container.strip(" .,;:").strip('"“”*_')
    return container or None


def _clean_pages(pages: str | None) -> str | None:
    if not pages:
        return None
    return _PAGE_DASH.sub("-", pages.strip()) or None


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
        begin, end = m.span(1)
        nxt = text[end : end + 40]
        if _INITIAL_END.search(text, max(0, begin - 3), begin):
            # "Smith J. sog and dpp…": a lower-case title may follow the last author.
            if _NAME_GOES_ON.match(nxt) or nxt[:1] == "&" or nxt.startswith("and "):
                continue
        elif nxt[:1] == "&" or nxt[:1].islower() or nxt.startswith("and "):
            continue
        parts.append(text[start:begin])
        start = end
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
    seg, et_al = _drop_et_al(segment)
    seg = seg.strip(" ,.&;")
    if not seg:
        return et_al
    if max(map(len, map(str.split, _CLAUSE_SPLIT.split(seg)))) > 5:
        return False  # a clause of six words is a title, not a name
    units = _author_units(seg)
    strict = sum(1 for _, ok in units if ok)
    return bool(units) and strict >= max(1, len(units) / 2)


def _split_colon_authors(text: str) -> tuple[str, str] | None:
    """'Smith J, Jones K: Title…' (BMC, Springer): the author block ends at a colon.

    Only a colon inside the first sentence counts: in "Jaffe ES, et al. Classification of
    lymphoid neoplasms: the microscope…" the colon belongs to the title.
    """
    if ":" not in text:
        return None
    first = _split_sentences(text, limit=1)[0]
    m = _COLON_AUTHORS.match(first)
    if m and _is_author_segment(m.group(1)):
        return m.group(1), text[m.end() :]
    return None


def _split_comma_authors(segment: str) -> tuple[str, str] | None:
    """'GL Moseley, PW Hodges, Title…' (Science): names, then the title after a comma."""
    units = _COMMA_SPLIT.split(segment)
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
    return segment.count(",") >= 1 and len(segment) < 400 and bool(_SHORT_CAPS.search(segment))


# -- the three readings ------------------------------------------------------------------


def _candidates(text: str) -> Iterator[re.Match[str]]:
    for pattern in _possible_tails(text):
        for m in pattern.finditer(text):
            if m.group("vol") or m.group("pages"):
                yield m


def _possible_tails(text: str) -> list[re.Pattern[str]]:
    """The tails that can match: "(2015)" for Nature style, a last year for year-last."""
    tails = [_VANCOUVER, _BMC]
    if _PAREN_YEAR_CLOSED.search(text):
        tails.append(_NATURE)
    if _YEAR_LAST_END.search(text.rstrip()[-5:]):
        tails.append(_YEAR_LAST)
    return tails


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
            container=_IN_SPACE_PREFIX.sub("", head[quoted.end() :].strip(" ,.:")),
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
            if m.start("gap") > len(text) * 0.6:
                break
            before = text[: m.start("gap")].strip(" .,")
            if before and _is_author_segment(before):
                opening = (before, m.group("year"), text[m.end() :])
                break
    if opening is None:
        return None
    authors, year, rest = opening
    rest = rest.strip(" .,:")
    fields: dict[str, str] = {"authors": authors, "year": year}
    quoted = _QUOTED_TITLE.match(rest)
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
        fields["container"] = _CONTAINER_END.split(after)[0] if after else ""
        return fields
    segments = _sentences(text)
    authors, rest = _authors_title(segments)
    parts = _sentences(rest) if rest else []
    fields["authors"] = authors
    if parts:
        fields["title"] = parts[0]
        if len(parts) > 1:
            fields["container"] = _YEAR_ON.sub("", parts[1])
    return fields


# -- authors -----------------------------------------------------------------------------


@lru_cache(maxsize=8192)
def _author_from_chunk(chunk: str) -> Author | None:
    """One name ("Smith JA", "J. A. Smith", "John Smith"), or None.

    Cached: the same chunks are read again as an author–year opening grows, and when an
    author block is first judged and then taken apart.
    """
    chunk = chunk.strip()
    if chunk.startswith(("and", "&")):
        chunk = _LEADING_AND.sub("", chunk)
    chunk = chunk.strip(" .")
    if chunk.endswith(_SUFFIX_ENDS):
        chunk = _SUFFIX.sub("", chunk)
    if not chunk or len(chunk) > 60:
        return None
    for pattern in (_AUTHOR_FAMILY_FIRST, _AUTHOR_INITIALS_FIRST):
        m = pattern.match(chunk)
        if m:
            initials = _NOT_UPPER.sub("", m.group("initials"))
            family = m.group("family").strip()
            if family.lower() in {"et", "al", "and"}:
                return None
            return Author(family=family, initials=initials)
    m = _AUTHOR_FULL.match(chunk)
    if m:
        return Author(family=m.group("family"), initials=_first_letters(m.group("given")))
    return None


def _first_letters(given: str) -> str:
    """'John A.' -> 'JA', 'Jean-Paul' -> 'JP'."""
    return "".join(w[0] for w in _GIVEN_SPLIT.split(given) if w)


def parse_authors(text: str) -> tuple[list[Author], bool]:
    """Split an author block; garbage units (OCR) keep their most name-like word."""
    text, et_al = _drop_et_al(text)
    return [a for a, _ in _author_units(text.strip(" ,.;")) if a is not None], et_al


def _drop_et_al(text: str) -> tuple[str, bool]:
    """The text without "et al." (and its kin), and whether there was one."""
    if "et" not in text.lower():  # every form starts with "et"
        return text, False
    text, found = _ET_AL.subn("", text)
    return text, found > 0


@lru_cache(maxsize=2048)
def _author_units(text: str) -> tuple[tuple[Author | None, bool], ...]:
    """(author, strict) per unit; strict means it matched a name pattern, not a guess.

    Cached (hence a tuple): a block is usually judged by ``_is_author_segment`` and then
    read again by ``parse_authors``.
    """
    chunks = [c for c in map(str.strip, _AUTHOR_SPLIT.split(text)) if c]
    units: list[tuple[Author | None, bool]] = []
    i = 0
    while i < len(chunks):
        chunk = chunks[i]
        nxt = chunks[i + 1] if i + 1 < len(chunks) else None
        # APA "Smith, J. A." (always a pair) or Chicago "Smith, John" (a pair only when
        # "Smith" alone is not already a complete "Smith J" style name). The name pattern,
        # the costliest test, comes last: in "Smith J, Jones K" no pair gets that far.
        if (
            nxt
            and (
                _INITIALS_ALONE.fullmatch(nxt)
                or (_GIVEN_ALONE.fullmatch(nxt) and _author_from_chunk(chunk) is None)
            )
            and _NAME_WHOLE.fullmatch(chunk) is not None
        ):
            units.append((Author(family=chunk, initials=_first_letters(nxt).upper()), True))
            i += 2
            continue
        author = _author_from_chunk(chunk)
        units.append((author, True) if author is not None else (_guess_author(chunk), False))
        i += 1
    return tuple(units)


def _guess_author(chunk: str) -> Author | None:
    words = _GUESS_WORD.findall(chunk)
    if not words or len(chunk) > 40:
        return None
    if len(words) == 1:
        return Author(family=words[0])
    # "downing Jr": the last word is initials-like, so the one before is the surname.
    if words[-1].isupper() or len(words[-1]) <= 2:
        return Author(family=words[-2], initials=words[-1].upper()[:3])
    return Author(family=words[-1])

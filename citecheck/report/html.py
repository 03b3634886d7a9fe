"""HTML report for editors: one self-contained file to attach to an e-mail or print.

No external assets (inline CSS and SVG, no script, a CSP that forbids loading anything), so
the file reads the same offline, in a mail client's preview and on paper. Jinja2 autoescapes
every value: titles, messages and evidence come from the manuscript and the services and may
carry markup. The only links are ones built here from an identifier that passed validation
(doi.org, PubMed) or anchors within the page; nothing untrusted reaches an href. The output
depends on the report alone (no clock, no timings), so two runs on the same input diff clean.

The view is prepared here as plain dataclasses; the templates only lay it out. A batch index
page can extend ``base.html.j2`` (page shell, CSS) and import ``macros.html.j2`` (badges).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from urllib.parse import quote

import jinja2

from citecheck import __version__
from citecheck.audit import SEVERITY_RANK, Report
from citecheck.checks.codes import CODES
from citecheck.fingerprints import fingerprint
from citecheck.model import Author, Finding, ReferenceResult

_DOI = re.compile(r"^10\.\d{4,9}/\S{1,300}$")
_PMID = re.compile(r"^[1-9]\d{0,9}$")
# Findings that say the entry's metadata is wrong: the record is then offered as the fix.
METADATA_CODES = frozenset({"field-mismatch", "doi-mismatch", "pmid-mismatch", "doi-invalid"})
STATUS_LABEL = {
    "verified": "Verified",
    "problem": "Problem",
    "not_found": "Not found",
    "unverified": "Unverified",
    "unparsed": "Unparsed",
}
_FIELD_ROW = {"author": "authors"}  # finding.field -> table row, where the names differ
_VANCOUVER_AUTHORS = 6


def doi_url(doi: str | None) -> str | None:
    """https://doi.org/… for a well-formed DOI; the suffix is percent-encoded, so no quote,
    angle bracket, space or '#' of an untrusted DOI can leave the path."""
    if not doi or not _DOI.match(doi):
        return None
    return "https://doi.org/" + quote(doi, safe="/:;()")


def pubmed_url(pmid: str | None) -> str | None:
    if not pmid or not _PMID.match(pmid):
        return None
    return f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/"


def evidence_text(value: object) -> str:
    """A finding's cited/record evidence (a string, number, list or record dict) as text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dict):
        parts = [f"{k}: {evidence_text(v)}" for k, v in value.items() if v not in (None, "", [])]
        return "; ".join(parts)
    if isinstance(value, list | tuple):
        # Several records (notices) one per line; plain values on one line.
        joiner = "\n" if any(isinstance(v, dict) for v in value) else ", "
        return joiner.join(evidence_text(v) for v in value)
    return str(value)


def _authors(authors: tuple[Author, ...], et_al: bool = False, limit: int = 6) -> str:
    shown = ", ".join(str(a) for a in authors[:limit])
    if len(authors) > limit:
        return f"{shown}, … ({len(authors)} authors)"
    return shown + (", et al." if et_al and shown else "")


def vancouver(r: ReferenceResult) -> str | None:
    """The record as a Vancouver (NLM) entry, the style most biomedical journals ask for."""
    rec = r.record
    if rec is None or not rec.title:
        return None
    parts = []
    if rec.authors:
        names = ", ".join(str(a) for a in rec.authors[:_VANCOUVER_AUTHORS])
        parts.append(names + (", et al." if len(rec.authors) > _VANCOUVER_AUTHORS else "."))
    parts.append(rec.title.strip().rstrip(".") + ".")
    journal = rec.container_abbrev[0] if rec.container_abbrev else rec.container
    if journal:
        parts.append(journal.strip().rstrip(".") + ".")
    where = str(rec.year or "")
    if rec.volume:
        where += f";{rec.volume}" if where else rec.volume
    if rec.issue:
        where += f"({rec.issue})"
    if rec.pages:
        where += f":{rec.pages}"
    if where:
        parts.append(where + ".")
    if rec.doi:
        parts.append(f"doi:{rec.doi}.")
    if rec.pmid:
        parts.append(f"PMID: {rec.pmid}.")
    return " ".join(parts)


@dataclass(frozen=True)
class Link:
    href: str  # built here, never from input
    label: str


@dataclass(frozen=True)
class Row:
    label: str
    cited: str
    record: str
    mismatch: bool


@dataclass(frozen=True)
class FindingView:
    code: str
    code_id: str
    meaning: str
    severity: str
    message: str
    field: str
    cited: str
    record: str
    source: str
    where: str
    suggestion: str
    fingerprint: str


@dataclass(frozen=True)
class RelevanceView:
    score: float
    verdict: str  # on-topic | weak | off-topic, as the check judged it
    explanation: str
    general: bool


@dataclass
class ReferenceView:
    index: int
    number: int | None
    status: str
    status_label: str
    where: str
    raw: str
    short: str
    record_source: str
    rows: list[Row]
    findings: list[FindingView]
    links: list[Link]
    suggested: str | None
    relevance: RelevanceView | None
    lookups: list[str]
    worst: str  # error | warning | info | "" : the most severe finding


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    css: str
    label: str
    title: str
    href: str
    value: str = ""


@dataclass
class Chart:
    width: int
    height: int
    bars: list[Bar] = field(default_factory=list)
    threshold_y: float | None = None
    threshold_label: str = ""
    ticks: list[tuple[float, str]] = field(default_factory=list)
    label_every: int = 1


def _where(report: Report, line: int | None) -> str:
    if not line:
        return ""
    page = report.manuscript.page(line)
    return f"line {line}" + (f", page {page}" if page else "")


def _finding_view(report: Report, f: Finding, r: ReferenceResult | None) -> FindingView:
    code = CODES.get(f.code)
    return FindingView(
        code=f.code,
        code_id=code.id if code else "",
        meaning=code.meaning if code else "",
        severity=f.severity,
        message=f.message,
        field=f.field or "",
        cited=evidence_text(f.cited),
        record=evidence_text(f.record),
        source=f.source or "",
        where=_where(report, f.line),
        suggestion=f.suggestion or "",
        fingerprint=fingerprint(f, r.reference if r else None),
    )


def _rows(r: ReferenceResult) -> list[Row]:
    ref, rec = r.reference, r.record
    wrong = {
        _FIELD_ROW.get(f.field, f.field) for f in r.findings if f.code in METADATA_CODES and f.field
    }
    journal = ""
    if rec is not None:
        journal = rec.container or (rec.container_abbrev[0] if rec.container_abbrev else "")
        if rec.container_abbrev and rec.container_abbrev[0] != journal:
            journal += f" ({rec.container_abbrev[0]})"
    pairs = [
        (
            "authors",
            "Authors",
            _authors(ref.authors, ref.et_al),
            _authors(rec.authors) if rec else "",
        ),
        ("title", "Title", ref.title, rec.title if rec else None),
        ("journal", "Journal", ref.container, journal),
        ("year", "Year", ref.year, rec.year if rec else None),
        ("volume", "Volume", ref.volume, rec.volume if rec else None),
        ("issue", "Issue", ref.issue, rec.issue if rec else None),
        ("pages", "Pages", ref.pages, rec.pages if rec else None),
        ("doi", "DOI", ref.doi, rec.doi if rec else None),
        ("pmid", "PMID", ref.pmid, rec.pmid if rec else None),
    ]
    return [
        Row(label, evidence_text(cited), evidence_text(found), key in wrong)
        for key, label, cited, found in pairs
        if cited or found
    ]


def _links(r: ReferenceResult) -> list[Link]:
    """The record's identifiers; without a record, the cited ones (to let the editor try)."""
    rec = r.record
    doi = rec.doi if rec else r.reference.doi
    pmid = rec.pmid if rec else r.reference.pmid
    links = []
    if (url := doi_url(doi)) and doi:
        links.append(Link(url, f"doi:{doi}"))
    if (url := pubmed_url(pmid)) and pmid:
        links.append(Link(url, f"PubMed {pmid}"))
    return links


def _short(r: ReferenceResult) -> str:
    ref = r.reference
    if ref.title:
        who = ref.authors[0].family if ref.authors else ""
        head = " ".join(str(x) for x in (who, ref.year) if x)
        text = f"{head}: {ref.title}" if head else ref.title
    else:
        text = " ".join(ref.raw.split())
    return text if len(text) <= 110 else text[:109].rstrip() + "…"


def _relevance(r: ReferenceResult) -> RelevanceView | None:
    rel = r.relevance
    if rel is None:
        return None
    off = [f for f in r.findings if f.code == "off-topic"]
    verdict = "on-topic"
    if off:
        verdict = "off-topic" if any(f.severity != "info" for f in off) else "weak"
    return RelevanceView(rel.score, verdict, rel.explanation, rel.general)


def _reference_view(report: Report, r: ReferenceResult) -> ReferenceView:
    findings = [_finding_view(report, f, r) for f in r.findings]
    worst = max((f.severity for f in r.findings), key=SEVERITY_RANK.__getitem__, default="")
    metadata = any(f.code in METADATA_CODES for f in r.findings)
    return ReferenceView(
        index=r.index,
        number=r.reference.number,
        status=r.status,
        status_label=STATUS_LABEL.get(r.status, r.status),
        where=_where(report, r.reference.line),
        raw=r.reference.raw,
        short=_short(r),
        record_source=r.record.source if r.record else "",
        rows=_rows(r),
        findings=findings,
        links=_links(r),
        suggested=vancouver(r) if metadata else None,
        relevance=_relevance(r),
        lookups=[
            f"{lk.service}, {lk.query}: {lk.outcome.replace('_', ' ')}"
            + (f" ({lk.detail})" if lk.detail else "")
            for lk in r.lookups
        ],
        worst=worst,
    )


def relevance_chart(refs: list[ReferenceView], threshold: float) -> Chart | None:
    """One bar per reference (score 0-1), the off-topic threshold as a line."""
    if not any(v.relevance for v in refs):
        return None
    left, right, top, bottom, plot = 34.0, 8.0, 10.0, 22.0, 130.0
    width = 480
    slot = (width - left - right) / max(len(refs), 1)
    chart = Chart(width=width, height=int(top + plot + bottom))
    chart.ticks = [(top + plot * (1 - t), f"{t:.1f}") for t in (0.0, 0.5, 1.0)]
    chart.threshold_y = round(top + plot * (1 - threshold), 1)
    chart.threshold_label = f"threshold {threshold:.2f}"
    chart.label_every = max(1, -(-len(refs) // 40))  # at most ~40 labels
    for i, v in enumerate(refs):
        if v.relevance is None:
            continue
        score = v.relevance.score
        h = max(plot * score, 1.0)
        chart.bars.append(
            Bar(
                x=round(left + i * slot + slot * 0.15, 1),
                y=round(top + plot - h, 1),
                width=round(slot * 0.7, 1),
                height=round(h, 1),
                css=v.relevance.verdict,
                label=str(v.index),
                title=f"[{v.index}] relevance {score:.2f} ({v.relevance.verdict})",
                href=f"#ref-{v.index}",
            )
        )
    return chart


def problems_chart(findings: list[Finding]) -> Chart | None:
    """Findings per code, longest first; each bar coloured by its most severe finding."""
    by_code = Counter(f.code for f in findings)
    if not by_code:
        return None
    worst: dict[str, str] = {}
    for f in findings:
        if SEVERITY_RANK[f.severity] >= SEVERITY_RANK.get(worst.get(f.code, "info"), 0):
            worst[f.code] = f.severity
    order = sorted(by_code, key=lambda c: (-by_code[c], CODES[c].id if c in CODES else c))
    row, label, bar_max, width = 24.0, 210.0, 230.0, 480
    most = max(by_code.values())
    chart = Chart(width=width, height=int(row * len(order) + 6))
    for i, code in enumerate(order):
        n = by_code[code]
        cid = CODES[code].id if code in CODES else ""
        chart.bars.append(
            Bar(
                x=label,
                y=round(3 + i * row + 4, 1),
                width=round(max(bar_max * n / most, 2.0), 1),
                height=row - 8,
                css=worst[code],
                label=f"{cid} {code}".strip(),
                title=f"{code}: {n} finding{'s' if n != 1 else ''} (worst: {worst[code]})",
                href="",
                value=str(n),
            )
        )
    return chart


def _plural(n: int, one: str, many: str) -> str:
    return one if n == 1 else many


def verdict(report: Report) -> tuple[str, str, list[str]]:
    """(level, headline, sentences) in words an editor can act on; the most serious first."""
    c = report.counts()
    n = c["references"]
    everything = report.all_findings()
    severities = Counter(f.severity for f in everything)
    refs = f"{n} {_plural(n, 'reference', 'references')}"
    lines = []
    if any(f.code == "reference-list-off-topic" for f in report.findings):
        lines.append(
            f"{c['off_topic']} of {refs} do not appear to support this manuscript: "
            "they are about other subjects."
        )
    elif c["off_topic"]:
        lines.append(
            f"{c['off_topic']} of {refs} "
            f"{_plural(c['off_topic'], 'appears', 'appear')} to be about another subject."
        )
    if c["not_found"]:
        lines.append(
            f"{c['not_found']} of {refs} could not be found in Crossref or PubMed: "
            f"{_plural(c['not_found'], 'it', 'they')} may not exist."
        )
    if c["retracted"]:
        lines.append(
            f"{c['retracted']} cited {_plural(c['retracted'], 'work was', 'works were')} retracted."
        )
    if c["problems"]:
        lines.append(
            f"{c['problems']} of {refs} {_plural(c['problems'], 'was', 'were')} found but "
            "the entry has problems (wrong details, identifiers or editorial notices)."
        )
    missing = sum(1 for f in report.findings if f.code == "missing-reference")
    if missing:
        lines.append(
            f"{missing} in-text {_plural(missing, 'citation points', 'citations point')} to "
            "no entry of the reference list."
        )
    if c["unverified"]:
        lines.append(
            f"{c['unverified']} of {refs} could not be checked (a service did not answer, "
            "or the evidence was not recorded): citecheck makes no claim about "
            f"{_plural(c['unverified'], 'it', 'them')}."
        )
    if c["verified"]:
        lines.append(
            f"{c['verified']} of {refs} {_plural(c['verified'], 'matches', 'match')} "
            "a published record."
        )
    if severities["error"]:
        return "bad", "Needs an editor's attention", lines
    if severities["warning"] or c["unverified"]:
        return "warn", "Some points to check", lines
    return "ok", "No problems found", lines


@cache
def environment() -> jinja2.Environment:
    """Autoescape on for every template; a missing variable is an error, not blank text."""
    return jinja2.Environment(
        loader=jinja2.PackageLoader("citecheck.report", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def to_html(report: Report) -> str:
    refs = [_reference_view(report, r) for r in report.references]
    everything = report.all_findings()
    level, headline, sentences = verdict(report)
    severities = Counter(f.severity for f in everything)
    counts = report.counts()
    name = Path(report.manuscript.path).name
    template = environment().get_template("report.html.j2")
    return template.render(
        version=__version__,
        title=report.manuscript.title or name,
        file_name=name,
        input_format=report.manuscript.format,
        submitted=report.submitted or "",
        topics=list(report.topics),
        counts=counts,
        statuses=[
            ("verified", "Verified", counts["verified"]),
            ("problem", "Problem", counts["problems"]),
            ("not_found", "Not found", counts["not_found"]),
            ("unverified", "Unverified", counts["unverified"]),
        ],
        severities=[(s, severities[s]) for s in ("error", "warning", "info")],
        suppressed=len(report.suppressed),
        level=level,
        headline=headline,
        sentences=sentences,
        relevance_chart=relevance_chart(refs, report.relevance_thresholds[0]),
        problems_chart=problems_chart(everything),
        document_findings=[_finding_view(report, f, None) for f in report.findings],
        notes=list(report.notes),
        references=refs,
        threshold=report.relevance_thresholds[0],
        weak=report.relevance_thresholds[1],
    )

"""The pipeline, wired: ingest -> references -> resolve -> checks -> report data.

``check(path, settings)`` is the library API; the CLI is a thin shell over it.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path

import httpx

from citecheck.checks.codes import CODES, finding
from citecheck.checks.compare import compare
from citecheck.checks.duplicates import check_duplicates
from citecheck.checks.identifiers import check_identifiers
from citecheck.checks.intext import check_intext
from citecheck.checks.notices import check_notices
from citecheck.checks.relevance import check_relevance
from citecheck.dates import submission_date
from citecheck.errors import InputError
from citecheck.ingest import Manuscript, read_manuscript
from citecheck.model import Finding, ParsedReference, Record, ReferenceResult
from citecheck.references import parse_reference, read_references
from citecheck.references.citations import read_citations
from citecheck.relevance import profile_manuscript
from citecheck.relevance.score import DEFAULT_THRESHOLD, DEFAULT_WEAK_THRESHOLD
from citecheck.resolve.cache import Cache
from citecheck.resolve.cassettes import RecordingTransport, ReplayTransport
from citecheck.resolve.crossref import Crossref
from citecheck.resolve.http import Http
from citecheck.resolve.mesh import Mesh, MeshEvidence, gather
from citecheck.resolve.pubmed import PubMed
from citecheck.resolve.resolver import Resolution, Resolver
from citecheck.resolve.shared import Shared
from citecheck.settings import Settings
from citecheck.suppress import Baseline, Suppressed, apply

SEVERITY_RANK = {"info": 0, "warning": 1, "error": 2}


def fails(code: str, severity: str, fail_on: str) -> bool:
    """Does a finding fail the run at ``fail_on``? A failed lookup never does: it is exit 3."""
    if fail_on == "never" or code == "unverified":
        return False
    return SEVERITY_RANK[severity] >= SEVERITY_RANK[fail_on]


@dataclass
class Report:
    manuscript: Manuscript
    references: list[ReferenceResult]
    findings: list[Finding] = field(default_factory=list)
    requests: int = 0
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)
    topics: tuple[str, ...] = ()  # the manuscript's main topics, as relevance read them
    submitted: str | None = None  # when the manuscript was received, as given or read
    fail_on: str = "error"  # the lowest severity that fails the run (JUnit failures too)
    suppressed: list[Suppressed] = field(default_factory=list)  # accepted, not in the verdict
    # (off-topic, loosely related) thresholds the relevance check used, for the reports
    relevance_thresholds: tuple[float, float] = (DEFAULT_THRESHOLD, DEFAULT_WEAK_THRESHOLD)

    def counts(self) -> dict[str, int]:
        statuses = [r.status for r in self.references]
        return {
            "references": len(self.references),
            "verified": statuses.count("verified"),
            "problems": statuses.count("problem"),
            "not_found": statuses.count("not_found"),
            "unverified": statuses.count("unverified"),
            "off_topic": sum(
                1
                for r in self.references
                for f in r.findings
                if f.code == "off-topic" and f.severity != "info"
            ),
            "retracted": sum(
                1 for r in self.references if any(f.code == "retracted" for f in r.findings)
            ),
        }

    def all_findings(self) -> list[Finding]:
        return self.findings + [f for r in self.references for f in r.findings]

    def exit_code(self, fail_on: str) -> int:
        """0 clean, 1 findings at/above fail_on, 3 incomplete (some references unverified)."""
        if any(fails(f.code, f.severity, fail_on) for f in self.all_findings()):
            return 1
        if any(r.status == "unverified" for r in self.references):
            return 3
        return 0


def parse(manuscript: Manuscript) -> list[ParsedReference]:
    """The reference list: as the format structured it, else read from the text."""
    if manuscript.references is not None:
        return list(manuscript.references)
    return read_references(manuscript.text)


@contextmanager
def services(settings: Settings, shared: Shared | None = None) -> Iterator[tuple[Resolver, Http]]:
    """Build the HTTP stack (replay / record / live, cache) and the resolver over it.

    ``shared``: the client and index a batch worker opened once for these settings.
    """
    transport: httpx.BaseTransport | None = None
    recorder: RecordingTransport | None = None
    client = shared.client if shared is not None else None  # with its replay transport
    if client is None and settings.replay_dir is not None:
        transport = ReplayTransport(settings.replay_dir)
    elif client is None and settings.record_dir is not None:
        secrets = [s for s in (settings.ncbi_api_key, settings.mailto) if s]
        recorder = RecordingTransport(httpx.HTTPTransport(), settings.record_dir, secrets)
        transport = recorder
    # Replayed evidence must be answered from the cassettes alone, never from the cache.
    use_cache = settings.use_cache and settings.replay_dir is None and settings.record_dir is None
    cache = Cache(settings.cache_dir, settings.cache_ttl_days) if use_cache else None
    http = Http(
        settings,
        transport=transport,
        cache=cache,
        rate_limit=settings.replay_dir is None,
        client=client,
    )
    index = None  # opened here, so closed here
    try:
        resolver: Resolver = Resolver(
            Crossref(http, settings.crossref_url, settings.crossref_rows),
            PubMed(http, settings.eutils_url),
            budget=partial(http.budget, settings.reference_budget),
        )
        if settings.index is not None:
            from citecheck.resolve.index import IndexResolver, LocalIndex, TieredResolver

            opened = shared.index if shared is not None else None
            if opened is None:
                opened = index = LocalIndex(settings.index)
            if settings.online:
                local = IndexResolver(opened, settings.crossref_rows, resolver.crossref)
                resolver = TieredResolver(local, resolver)  # type: ignore[assignment]
            else:
                resolver = IndexResolver(opened, settings.crossref_rows)
        yield resolver, http
    finally:
        if index is not None:
            index.close()
        http.close()
        if recorder is not None:
            recorder.save()
        if cache is not None:
            cache.close()


def judge(
    index: int, res: Resolution, ignore: tuple[str, ...] = (), submitted: str | None = None
) -> ReferenceResult:
    """Turn a resolution into a status and findings."""
    ref = res.ref
    result = ReferenceResult(index=index, reference=ref, lookups=res.lookups)
    findings = list(res.findings)
    if res.matched:
        result.record = merge(res.records)
    findings += check_identifiers(ref, res.records, res.related, result.record)
    findings += check_notices(ref, res.records, submitted, res.related, res.notice)
    if not ref.title and not ref.container:
        findings.append(
            finding(
                "unparsed",
                "The entry could not be read into title and journal.",
                line=ref.line,
                cited=ref.raw,
            )
        )
    if res.matched:
        result.match_score = res.evidence.score if res.evidence else None
        findings += compare(ref, res.records)
    elif not res.lookups:
        findings.append(
            finding(
                "unverified",
                "Could not be checked: the entry gives too little to search with.",
                line=ref.line,
                cited=ref.raw,
            )
        )
    elif res.failed:
        reasons = "; ".join(sorted({f"{lk.service}: {lk.detail}" for lk in res.failed}))
        findings.append(
            finding(
                "unverified",
                f"Could not be checked: {reasons}.",
                line=ref.line,
                source=",".join(sorted({lk.service for lk in res.failed})),
            )
        )
    else:
        asked = ", ".join(sorted({f"{lk.service} ({lk.query})" for lk in res.lookups}))
        findings.append(
            finding(
                "not-found",
                f"No record supports this entry; asked {asked}.",
                line=ref.line,
                cited=ref.raw,
                source="crossref,pubmed",
            )
        )
    unchecked = _cited_identifier_failed(res)
    if res.matched and unchecked:
        findings.append(
            finding(
                "unverified",
                f"The entry matches a {res.records[0].source} record, but its cited "
                f"{unchecked[0]} could not be checked ({unchecked[1]}): whether it is right, "
                "and what its registrar says about corrections or retractions, is unknown.",
                field=unchecked[0].split()[0].lower(),
                line=ref.line,
                source=unchecked[1].split(":")[0],
            )
        )
    result.findings = [f for f in findings if f.code not in ignore]
    if res.matched and unchecked:
        result.status = "unverified"  # found, but what it cites could not all be checked
    elif res.matched:
        problems = [f for f in result.findings if f.severity in ("error", "warning")]
        result.status = "problem" if problems else "verified"
    elif res.failed or not res.lookups:
        result.status = "unverified"
    else:
        result.status = "not_found"
    return result


def _cited_identifier_failed(res: Resolution) -> tuple[str, str] | None:
    """("DOI 10.x/y", "crossref: reason") when the lookup of a cited identifier failed."""
    cited = [("DOI", res.ref.doi), ("PMID", res.ref.pmid)]
    for label, value in cited:
        if not value:
            continue
        for lk in res.failed:
            if value.lower() in lk.query.lower():
                return f"{label} {value}", f"{lk.service}: {lk.detail}"
    return None


def merge(records: list[Record]) -> Record:
    """One record for the report: Crossref's fields, PubMed's where Crossref has none."""
    if len(records) == 1:
        return records[0]
    cr = next((r for r in records if r.source == "crossref"), records[0])
    pm = next((r for r in records if r.source == "pubmed"), records[-1])
    return Record(
        source="crossref+pubmed",
        doi=cr.doi or pm.doi,
        pmid=pm.pmid or cr.pmid,
        title=cr.title or pm.title,
        container=cr.container or pm.container,
        container_abbrev=tuple(dict.fromkeys(cr.container_abbrev + pm.container_abbrev)),
        year=cr.year or pm.year,
        years=tuple(dict.fromkeys(cr.years + pm.years)),
        volume=cr.volume or pm.volume,
        issue=cr.issue or pm.issue,
        pages=cr.pages or pm.pages,
        authors=cr.authors or pm.authors,
        url=cr.url or pm.url,
        abstract=pm.abstract or cr.abstract,
        mesh=pm.mesh or cr.mesh,
        keywords=pm.keywords or cr.keywords,
        subjects=cr.subjects or pm.subjects,
        publication_types=pm.publication_types or cr.publication_types,
    )


def topic_evidence(
    resolver: Resolver, about: str | None, resolutions: list[Resolution]
) -> MeshEvidence:
    """MeSH for the relevance check, unless PubMed already proved unreachable."""
    if resolver.breaker.is_open("pubmed"):
        return MeshEvidence(problems=["MeSH not asked, PubMed unreachable"])
    records = [rec for res in resolutions for rec in res.records]
    return gather(Mesh(resolver.pubmed), about, records)


def index_notes(resolver: Resolver, settings: Settings) -> list[str]:
    """Where the answers came from when a local index was used, and whether it is stale."""
    index = getattr(resolver, "index", None)
    if index is None:
        return []
    how = "and the services for what it could not match" if settings.online else "only"
    notes = [f"resolved from the {index.describe()}, {how}"]
    age = index.manifest.age_days()
    if age > settings.index_max_age_days:
        notes.append(
            f"the local index was last updated {age:.0f} days ago (more than "
            f"index_max_age_days = {settings.index_max_age_days:g}): newer works, "
            "retractions and corrections are missing from it"
        )
    return notes


def baseline_of(settings: Settings) -> Baseline | None:
    """The baseline to apply or to write into, read before any lookup so a bad file fails fast."""
    if settings.write_baseline is not None:
        target = settings.write_baseline
        return Baseline.load(target) if target.is_file() else Baseline()
    if settings.baseline is not None:
        return Baseline.load(settings.baseline)
    return None


def accept(
    path: str,
    results: list[ReferenceResult],
    findings: list[Finding],
    settings: Settings,
    baseline: Baseline | None,
) -> tuple[list[Finding], list[Suppressed], list[str]]:
    """Config suppressions and the baseline; --write-baseline first accepts what is found now."""
    if baseline is not None and settings.write_baseline is not None:
        baseline.record(
            path,
            [(f, None) for f in findings] + [(f, r.reference) for r in results for f in r.findings],
        )
        baseline.save(settings.write_baseline)
    accepted = baseline.accepted(path) if baseline is not None else {}
    return apply(results, findings, settings.suppress, accepted)


def check(
    path: str | Path, settings: Settings | None = None, shared: Shared | None = None
) -> Report:
    """Audit one manuscript's reference list. Raises InputError for unreadable input.

    ``shared``: what a process auditing many manuscripts opened once for ``settings``.
    """
    settings = settings or Settings()
    started = time.monotonic()
    baseline = baseline_of(settings)
    manuscript = read_manuscript(path, max_bytes=int(settings.max_input_mb * 1024 * 1024))
    refs = parse(manuscript)
    intext = manuscript.citations or read_citations(manuscript.text, refs)
    citations = intext.citing()
    submitted = settings.submitted or submission_date(manuscript.text)
    profile = profile_manuscript(manuscript.text, manuscript.title, settings.topic)
    mesh = MeshEvidence()
    with services(settings, shared) as (resolver, http):
        resolutions = resolver.resolve_all(refs)
        if settings.relevance:
            mesh = topic_evidence(resolver, settings.topic or profile.title, resolutions)
        requests = http.requests_sent
        notes = [http.cache.warning] if http.cache is not None and http.cache.warning else []
        notes += index_notes(resolver, settings)
    notes[:0] = [f"input: {what}" for what in manuscript.skipped]
    unknown = [c for c in settings.ignore if c not in CODES]
    if unknown:
        notes.append(f"unknown finding code(s) in ignore: {', '.join(unknown)}")
    results = [
        judge(i, res, settings.ignore, submitted) for i, res in enumerate(resolutions, start=1)
    ]
    check_duplicates(results)
    findings, intext_notes = check_intext(intext, results)
    notes += intext_notes
    topics: tuple[str, ...] = ()
    if settings.relevance:
        profile.add_mesh(mesh.manuscript)
        findings += check_relevance(profile, results, citations, settings, mesh.trees)
        topics = profile.main_topics()
        if mesh.problems:
            notes.append(f"relevance: {'; '.join(mesh.problems)}; judged on the offline lexicon")
        if manuscript.title is None:
            manuscript = replace(manuscript, title=profile.title)
    for result in results:
        result.findings = [f for f in result.findings if f.code not in settings.ignore]
    findings = [f for f in findings if f.code not in settings.ignore]
    findings, suppressed, suppress_notes = accept(
        manuscript.path, results, findings, settings, baseline
    )
    notes += suppress_notes
    return Report(
        manuscript=manuscript,
        references=results,
        findings=findings,
        suppressed=suppressed,
        relevance_thresholds=(settings.relevance_threshold, settings.relevance_weak_threshold),
        topics=topics,
        submitted=submitted,
        fail_on=settings.fail_on,
        requests=requests,
        seconds=round(time.monotonic() - started, 3),
        notes=notes,
    )


MAX_REFERENCE_CHARS = 5000  # one entry; a longer string is a pasted list or a document


def lookup(text: str, settings: Settings | None = None) -> ReferenceResult:
    """One reference string looked up and judged as ``check`` judges an entry of a list.

    No manuscript, so no in-text, duplicate or relevance checks. InputError when empty.
    """
    settings = settings or Settings()
    text = " ".join(text.split())
    if not text:
        raise InputError("the reference is empty")
    if len(text) > MAX_REFERENCE_CHARS:
        raise InputError(
            f"the reference is {len(text)} characters long, more than one entry can be "
            f"({MAX_REFERENCE_CHARS}); check a whole list with `citecheck check`"
        )
    with services(settings) as (resolver, _http):
        (resolution,) = resolver.resolve_all([parse_reference(text)])
    return judge(1, resolution, settings.ignore, settings.submitted)

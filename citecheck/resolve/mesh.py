"""MeSH through E-utilities: what PubMed's own vocabulary says a text and a record are about.

Three questions, each one request per manuscript however long its list:
ESearch's query translation maps the manuscript's title (or stated topic) to MeSH terms;
ESearch in the MeSH database finds those terms' ids; one ESummary (version 2.0, the
``DocumentSummary`` layout) gives tree numbers for them and for every heading of the
resolved records. A record heading's MeSH id is "68" followed by the digits of its
descriptor UI (D008545 -> 68008545); the summary's own first term must then equal the
heading's name, or the tree numbers are not used.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from citecheck.model import Record
from citecheck.relevance.concepts import Concept, mesh_concept
from citecheck.resolve.interface import BadResponse, ServiceError
from citecheck.resolve.pubmed import LONG_TERM, POST_OVER, SERVICE, PubMed, ids

_MESH_TERM = re.compile(r'"([^"]+)"\[MeSH Terms\]', re.IGNORECASE)
_DESCRIPTOR = re.compile(r"^D(\d{6})$")


@dataclass
class MeshEvidence:
    """MeSH concepts of the manuscript, tree numbers of record headings, and what failed."""

    manuscript: list[Concept] = field(default_factory=list)
    trees: dict[str, tuple[str, ...]] = field(default_factory=dict)  # descriptor UI -> trees
    problems: list[str] = field(default_factory=list)


class Mesh:
    def __init__(self, pubmed: PubMed) -> None:
        self.pubmed = pubmed

    def translate(self, text: str) -> list[str]:
        """The MeSH terms PubMed maps free text to, in order of appearance."""
        # Brackets would be read as field tags, quotes as phrases: plain words only.
        text = re.sub(r"\s+", " ", re.sub(r"[\[\]\"()]", " ", text)).strip()[:LONG_TERM]
        if not text:
            return []
        translation = self.pubmed.esearch("pubmed", text, 0).findtext("QueryTranslation") or ""
        return list(dict.fromkeys(_key(m.group(1)) for m in _MESH_TERM.finditer(translation)))

    def search(self, terms: list[str]) -> list[str]:
        """MeSH database ids for MeSH terms."""
        if not terms:
            return []
        query = " OR ".join(f'"{t}"[MeSH Terms]' for t in terms)
        return ids(self.pubmed.esearch("mesh", query, 100))

    def summaries(self, uids: list[str]) -> dict[str, tuple[str, tuple[str, ...]]]:
        """id -> (preferred term, tree numbers) from ESummary version 2.0."""
        unique = list(dict.fromkeys(uids))
        if not unique:
            return {}
        params = {"db": "mesh", "version": "2.0", "id": ",".join(unique)}
        root = self.pubmed.ask_xml("esummary.fcgi", params, post=len(unique) > POST_OVER)
        if root.tag != "eSummaryResult" or root.find("DocumentSummarySet") is None:
            raise BadResponse(SERVICE, "esummary (mesh) returned no DocumentSummarySet")
        out: dict[str, tuple[str, tuple[str, ...]]] = {}
        for doc in root.iterfind("DocumentSummarySet/DocumentSummary"):
            uid = doc.get("uid")
            name = doc.findtext("DS_MeshTerms/string")
            trees = tuple(
                t.text.strip()
                for t in doc.iterfind("DS_IdxLinks/LinksType/TreeNum")
                if t.text and re.match(r"^[A-Z]\d", t.text.strip())  # "@3065": no tree
            )
            if uid and name:
                out[uid] = (name.strip(), trees)
        return out


def _key(name: str) -> str:
    """QueryTranslation writes "leukemia-lymphoma" as "leukemia lymphoma": compare on words."""
    return " ".join(re.findall(r"[a-z0-9]+", name.casefold()))


def mesh_uid(descriptor_ui: str) -> str | None:
    """Only six-digit descriptor UIs: how newer ten-character UIs (D000086382) map to MeSH
    database ids is not documented, so those headings go without tree numbers."""
    m = _DESCRIPTOR.match(descriptor_ui)
    return f"68{m.group(1)}" if m else None


def gather(mesh: Mesh, about: str | None, records: Iterable[Record]) -> MeshEvidence:
    """Ask MeSH about the manuscript's title/topic and the records' headings. Never raises
    for a service failure: relevance then rests on the offline lexicon, and says so."""
    evidence = MeshEvidence()
    headings = {h.ui: h.name for r in records for h in r.mesh if h.ui}
    terms: list[str] = []
    if about:
        try:
            terms = mesh.translate(about)
        except ServiceError as exc:
            evidence.problems.append(f"MeSH query translation failed ({exc})")
    uids: dict[str, str] = {}  # mesh uid -> descriptor UI ("" for manuscript terms)
    for ui in headings:
        uid = mesh_uid(ui)
        if uid:
            uids[uid] = ui
    try:
        for uid in mesh.search(terms):
            uids.setdefault(uid, "")
        found = mesh.summaries(list(uids)) if uids else {}
    except ServiceError as exc:
        evidence.problems.append(f"MeSH tree numbers unavailable ({exc})")
        return evidence
    wanted = set(terms)
    for uid, (name, trees) in found.items():
        ui = uids.get(uid) or (f"D{uid[2:]}" if re.fullmatch(r"68\d{6}", uid) else "")
        if ui and _key(headings.get(ui, "")) == _key(name) and trees:
            evidence.trees[ui] = trees
        if _key(name) in wanted and trees:
            evidence.manuscript.append(mesh_concept(ui or f"mesh:{uid}", name, trees))
    return evidence

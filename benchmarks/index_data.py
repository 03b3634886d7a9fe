"""Large synthetic metadata dumps in the real formats, to benchmark ``citecheck index build``.

    python benchmarks/index_data.py OUT_DIR --records 2000000 [--pubmed-share 0.5] [--seed 1]
        [--format json.gz|jsonl.gz] [--queries 2000] [--references 0] [--jobs 2]

``--records`` is the number of distinct works. A share of them (``--pubmed-share``) has a
PubMed record; 70 % of those PubMed records are works that Crossref has too, with the same
DOI (as in reality); the other 30 % are PubMed-only, mostly older and without DOI. Every
other work is Crossref-only. For 2,000,000 works and share 0.5: 1,700,000 Crossref items,
1,000,000 PubMed records, 700,000 works in both. Under OUT_DIR it writes:

- ``crossref/0.json.gz`` ...: the Crossref public data file as published up to 2025, each
  file one ``{"items": [...]}`` of 5,000 REST API work items; with ``--format jsonl.gz`` the
  2026 form, ``crossref/part-0.jsonl.gz`` ..., one item per line (and author ``role``s, which
  the 2026 API added). No ``score``: the dump is not a search result.
- ``pubmed/pubmed26n0001.xml.gz`` ...: a PubMed baseline, 30,000 ``<PubmedArticle>`` per
  file in PMID order under the real XML declaration and DOCTYPE, then update files numbered
  on: ``--update-share`` (1 %) of the records is revised (in the baseline as an
  ahead-of-print citation without volume, issue and pages; in the update complete, indexed
  for MEDLINE) and 0.05 % is deleted by a closing ``<DeleteCitation>``.
- ``retraction_watch.csv``: the Retraction Watch export (UTF-8 with BOM, CRLF, the 20-column
  header, ``M/D/YYYY 0:00`` dates, ``;``-lists with a trailing ``;``, PubMedID 0 for none,
  "unavailable" DOIs). 0.2 % of works are retracted: each has a notice work (in the dumps
  where its work is), ``updated-by`` in Crossref (Retraction Watch and/or publisher as
  source, with ``record-id``), ``Retracted Publication`` + ``RetractionIn`` in PubMed, and a
  row here; some also carry an earlier expression of concern (its own row).
- ``queries.tsv``: ``--queries`` reference strings formatted from generated works in
  Vancouver, AMA, APA and Nature style, with the noise real lists have (ISO-abbreviated
  journal, no DOI, a typo in a title word, an author's initials changed, "123-9" page
  ranges, a year off by one), the expected DOI and PMID, and 10 % strings of works that are
  in neither dump (both expected ids empty).
- ``manifest.json``: the parameters and what was written.

Every work identifier is synthetic, and visibly so: DOIs are under ``10.5555/`` (Crossref's
reserved example prefix), shaped as each publisher shapes them (``S0140-6736(20)…``,
``NEJMoa…``, ``journal.pone.…``); PMIDs start at 90,000,001 (real PMIDs are far below that)
and PMCIDs at PMC90000001; Retraction Watch Record IDs start at 1,000,001; ORCID iDs lie in
the 0000-0000 block, which ORCID does not issue; resource and link URLs are on example.org,
and Retraction Watch URLs and PubPeer notes have "synthetic" in their paths. What is real
is the context a work sits in: journal titles, abbreviations, ISSNs, NLM IDs and countries
and the MeSH descriptors and qualifiers are copied from real PubMed records (the metapub,
fatcat and retractobot test fixtures in the project's shared fixture store); licence URLs,
funder DOIs (10.13039) and publication type UIs are the real ones. Title and abstract words
are the content words of 17,015 real PMC article titles (``data/references-doi-matching.json.gz``,
the titles ``citecheck/relevance/idf.tsv`` was counted on) drawn with their real, Zipfian
frequencies, plus function words at running-text rates and a long tail of made-up rare
terms (4 % of content words, log-uniform over ~300,000), so a full-text index sees
realistic term statistics; the text itself is word salad. Field shapes follow real API items
and PubMed XML (see tests/data/index/).

A work's content is a function of (seed, work number) only, so each output file is made
independently (one process per core) and the output is byte-identical for a seed whatever
``--jobs``. Memory stays small: every file is streamed through gzip.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import gzip
import json
import math
import os
import random
import re
import resource
import sys
import time
import zlib
from array import array
from bisect import bisect
from collections import Counter
from collections.abc import Callable, Iterator
from functools import lru_cache
from itertools import accumulate
from multiprocessing import get_context
from operator import itemgetter
from pathlib import Path
from typing import Any, NamedTuple

from citecheck.index.sources.retraction_watch import COLUMNS as RW_COLUMNS
from citecheck.relevance.words import STOPWORDS

HERE = Path(__file__).resolve().parent

DOI_PREFIX = "10.5555/"
PMID_BASE = 90_000_001
PMC_BASE = 90_000_001
RW_RECORD_BASE = 1_000_001
YEAR_MAX = 2025
RETRACTED = 0.002  # of works
EOC = 0.0001  # of works: an expression of concern only
EOC_BEFORE_RETRACTION = 0.05  # of retracted works
CORRECTED = 0.005  # of works: a publisher correction in Crossref (ErratumIn in PubMed)
DELETED = 0.0005  # of PubMed records, when updates are written
ABSENT_QUERIES = 0.1
TAIL = 0.04  # of content words: a made-up rare term (the Zipf tail beyond ~10,500 real words)
CROSSREF_VERSION = "3.41.2"
PUBMED_HEADER = (
    '<?xml version="1.0" encoding="utf-8"?>\n'
    '<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, 1st January 2025//EN" '
    '"https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd">\n'
    "<PubmedArticleSet>\n"
)
RW_HEADER = list(RW_COLUMNS)  # the reader's own header: one definition
QUERY_HEADER = ["query_id", "style", "noise", "expected_doi", "expected_pmid", "reference"]

# ----------------------------------------------------------------------------- hashing

_M64 = (1 << 64) - 1
_INV64 = 1.0 / (1 << 64)
# Salts: one stream of randomness per purpose, so adding a field never shifts another.
S_WORK, S_JOURNAL, S_KIND, S_RETRACT, S_EOC, S_CORRECT, S_CR, S_PM = 1, 2, 3, 4, 5, 6, 7, 8
S_ABSTRACT, S_REVISE, S_DELETE, S_QUERY, S_AFFINE, S_PMDOI, S_RW = 9, 10, 11, 12, 13, 14, 15
S_REFS = 16


def _mix(*parts: int) -> int:
    """A 64-bit hash of integers (splitmix64 steps): cheap, stable across runs and machines."""
    x = 0x9E3779B97F4A7C15
    for p in parts:
        x = ((x ^ (p & _M64)) * 0xBF58476D1CE4E5B9) & _M64
        x ^= x >> 31
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & _M64
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & _M64
    return x ^ (x >> 31)


def _unit(*parts: int) -> float:
    return _mix(*parts) * _INV64


# ----------------------------------------------------------------------------- the plan


class Plan:
    """Which works exist where: closed forms, so any process can answer for any work.

    Works 0..C-1 are Crossref's (item c is work c); works C..N-1 are PubMed-only. PubMed
    record p (PMID 90,000,001 + p) is shared when p % 10 < 7 (70 %); the k-th shared record is
    Crossref work (A*k + B) mod C, which scatters them over the Crossref files. Works N and
    above exist nowhere: queries use them for references that must not resolve.
    """

    def __init__(
        self,
        records: int,
        pubmed_share: float = 0.5,
        seed: int = 1,
        fmt: str = "json.gz",
        queries: int = 2000,
        references: float = 0.0,
        update_share: float = 0.01,
        crossref_per_file: int = 5000,
        pubmed_per_file: int = 30000,
        compresslevel: int = 3,
        retracted: float = RETRACTED,
        deleted: float = DELETED,
    ) -> None:
        if records < 1:
            raise ValueError("--records must be at least 1")
        if not 0.0 <= pubmed_share <= 1.0 or not 0.0 <= update_share <= 1.0:
            raise ValueError("shares are between 0 and 1")
        if fmt not in ("json.gz", "jsonl.gz"):
            raise ValueError("--format is json.gz or jsonl.gz")
        self.records, self.pubmed_share, self.seed, self.fmt = records, pubmed_share, seed, fmt
        self.queries, self.references, self.update_share = queries, references, update_share
        self.crossref_per_file, self.pubmed_per_file = crossref_per_file, pubmed_per_file
        self.compresslevel = compresslevel
        self.retracted_share, self.deleted_share = retracted, deleted
        self._roles: dict[int, int] = {}
        n = records
        p = round(n * pubmed_share)
        self.P = p
        self.S = 7 * (p // 10) + min(p % 10, 7)
        self.pubmed_only = p - self.S
        self.C = n - self.pubmed_only
        c = self.C
        a = max(1, int(c * 0.6180339887)) | 1
        while math.gcd(a, c) != 1:
            a += 2
        self.A = a % c if c > 1 else 0
        self.B = _mix(seed, S_AFFINE) % c
        self.A_inv = pow(self.A, -1, c) if c > 1 else 0
        self.crossref_files = -(-c // crossref_per_file)
        self.pubmed_files = -(-p // pubmed_per_file)
        # Update file u holds the revisions and deletions among records [u*span, (u+1)*span).
        self.update_span = math.ceil(pubmed_per_file / update_share) if update_share > 0 else 1
        self.update_files = -(-p // self.update_span) if update_share > 0 and p else 0

    # -- where works are
    def pubmed_of_crossref(self, c: int) -> int | None:
        if self.C == 1:
            return 0 if self.S else None
        k = (self.A_inv * (c - self.B)) % self.C
        return 10 * (k // 7) + k % 7 if k < self.S else None

    def work_of_pubmed(self, p: int) -> int:
        r = p % 10
        if r < 7:
            k = 7 * (p // 10) + r
            return (self.A * k + self.B) % self.C if self.C > 1 else 0
        return self.C + 3 * (p // 10) + r - 7

    def pubmed_of_work(self, w: int) -> int | None:
        if w < self.C:
            return self.pubmed_of_crossref(w)
        if w < self.records:
            j = w - self.C
            return 10 * (j // 3) + 7 + j % 3
        return None

    def in_crossref(self, w: int) -> bool:
        return w < self.C

    # -- retractions and other notices
    def _local(self, w: int) -> tuple[int, int]:
        return (w, self.C) if w < self.C else (w - self.C, self.pubmed_only)

    def _retracted(self, w: int) -> bool:
        if w >= self.records:
            return False
        i, n = self._local(w)
        return (
            i % 2 == 0 and i + 1 < n and _unit(self.seed, w, S_RETRACT) < 2 * self.retracted_share
        )

    def role(self, w: int) -> int:
        """0, or 1 for a retracted work (even local number), 2 for its notice (the next)."""
        cache = self._roles
        r = cache.get(w)
        if r is None:
            r = (
                1
                if self._retracted(w)
                else (2 if w >= 1 and self._local(w)[0] % 2 == 1 and self._retracted(w - 1) else 0)
            )
            if len(cache) > 100_000:
                cache.clear()
            cache[w] = r
        return r

    def retracted(self, w: int) -> bool:
        return self.role(w) == 1

    def notice(self, w: int) -> bool:
        return self.role(w) == 2

    def eoc(self, w: int) -> bool:
        if self.retracted(w):
            return _unit(self.seed, w, S_EOC) < EOC_BEFORE_RETRACTION
        return (
            w < self.records
            and not self.notice(w)
            and _unit(self.seed, w, S_EOC) < EOC * self.retracted_share / RETRACTED
        )

    def corrected(self, w: int) -> bool:
        return (
            w < self.records
            and _unit(self.seed, w, S_CORRECT) < CORRECTED
            and not self.notice(w)
            and not self.retracted(w)
        )

    def kind(self, w: int) -> str:
        """journal-article for everything PubMed has and every retraction; some Crossref-only
        works are preprints, proceedings papers or components (figures, with no date)."""
        if w >= self.C or self.retracted(w) or self.notice(w):
            return "journal-article"
        if w < self.records and self.pubmed_of_crossref(w) is not None:
            return "journal-article"
        u = _unit(self.seed, w, S_KIND)
        if u < 0.03:
            return "posted-content"
        if u < 0.05:
            return "proceedings-article"
        if u < 0.08:
            return "component"
        return "journal-article"

    # -- PubMed updates
    def _touchable(self, p: int) -> bool:
        w = self.work_of_pubmed(p)
        return not (self.retracted(w) or self.notice(w))

    def deleted(self, p: int) -> bool:
        return (
            self.update_share > 0
            and _unit(self.seed, p, S_DELETE) < self.deleted_share
            and self._touchable(p)
        )

    def revised(self, p: int) -> bool:
        return (
            self.update_share > 0
            and _unit(self.seed, p, S_REVISE) < self.update_share
            and not self.deleted(p)
            and self._touchable(p)
        )

    # -- files
    def crossref_name(self, k: int) -> str:
        return f"{k}.json.gz" if self.fmt == "json.gz" else f"part-{k}.jsonl.gz"

    def pubmed_name(self, f: int) -> str:
        return f"pubmed26n{f + 1:04d}.xml.gz"


# ----------------------------------------------------------------------------- static data


class Journal:
    __slots__ = (
        "code",
        "container",
        "country",
        "eissn",
        "ipy",
        "iso",
        "issn_json",
        "jid",
        "license",
        "member",
        "nlm_id",
        "nlm_title",
        "paging",
        "pissn",
        "ppv",
        "pubkey",
        "publisher",
        "short",
        "start",
        "subjects",
        "ta",
    )


# publisher key: (name, Crossref member id, open-access licence or None)
_PUBLISHERS = {
    "plos": ("Public Library of Science (PLoS)", "340", "cc"),
    "elsevier": ("Elsevier BV", "78", "https://www.elsevier.com/tdm/userlicense/1.0/"),
    "springer": (
        "Springer Science and Business Media LLC",
        "297",
        "https://www.springernature.com/gp/researchers/text-and-data-mining",
    ),
    "wiley": ("Wiley", "311", "http://onlinelibrary.wiley.com/termsAndConditions#vor"),
    "oup": (
        "Oxford University Press (OUP)",
        "286",
        "https://academic.oup.com/pages/standard-publication-reuse-rights",
    ),
    "frontiers": ("Frontiers Media SA", "1965", "cc"),
    "mdpi": ("MDPI AG", "1968", "cc"),
    "tandf": ("Informa UK Limited", "301", "http://www.tandfonline.com/action/showCopyRight"),
    "sage": (
        "SAGE Publications",
        "179",
        "http://journals.sagepub.com/page/policies/text-and-data-mining-license",
    ),
    "acs": ("American Chemical Society (ACS)", "316", "https://doi.org/10.15223/policy-029"),
    "bmj": (
        "BMJ",
        "239",
        "http://www.bmj.com/company/legal-information/terms-conditions/legal-information/tdm-licencepolicy",
    ),
    "lww": ("Ovid Technologies (Wolters Kluwer Health)", "276", None),
    "elife": ("eLife Sciences Publications, Ltd", "4374", "cc"),
    "peerj": ("PeerJ", "4443", "cc"),
    "asm": ("American Society for Microbiology", "235", None),
    "ama": ("American Medical Association (AMA)", "10", None),
    "mms": ("Massachusetts Medical Society", "150", None),
    "pnas": ("Proceedings of the National Academy of Sciences", "341", None),
    "aaas": ("American Association for the Advancement of Science (AAAS)", "221", None),
    "karger": ("S. Karger AG", "127", None),
    "thieme": ("Georg Thieme Verlag KG", "194", None),
}
_PUBLISHER_RULES = [
    ("PLoS ", "plos"),
    ("PloS ", "plos"),
    ("Frontiers ", "frontiers"),
    ("BMC ", "springer"),
    ("Scientific reports", "springer"),
    ("Nature", "springer"),
    ("International journal of molecular sciences", "mdpi"),
    ("eLife", "elife"),
    ("PeerJ", "peerj"),
    ("BMJ", "bmj"),
    ("Gut", "bmj"),
    ("Occupational and environmental", "bmj"),
    ("JAMA", "ama"),
    ("Archives of ophthalmology", "ama"),
    ("The New England journal", "mms"),
    ("Proceedings of the National Academy", "pnas"),
    ("Science (", "aaas"),
    ("Science signaling", "aaas"),
    ("Antimicrobial agents", "asm"),
    ("Journal of bacteriology", "asm"),
    ("mSystems", "asm"),
    ("ACS ", "acs"),
    ("Journal of medicinal chemistry", "acs"),
    ("Journal of agricultural and food chemistry", "acs"),
    ("Nucleic acids research", "oup"),
    ("Clinical infectious diseases", "oup"),
    ("The Journal of infectious diseases", "oup"),
    ("European heart journal", "oup"),
    ("Europace", "oup"),
    ("Nephrology, dialysis", "oup"),
    ("American journal of hypertension", "oup"),
    ("Lancet", "elsevier"),
    ("Biochimica", "elsevier"),
    ("Journal of the American College of Cardiology", "elsevier"),
    ("European journal of pharmacology", "elsevier"),
    ("The Journal of biological chemistry", "elsevier"),
]
_OTHER_PUBLISHERS = ["elsevier"] * 35 + ["springer"] * 20 + ["wiley"] * 20 + ["tandf"] * 8
_OTHER_PUBLISHERS += ["sage"] * 5 + ["lww"] * 6 + ["karger"] * 3 + ["thieme"] * 3
_E_ONLY = {"plos", "frontiers", "mdpi", "elife", "peerj"}
_SMALL = {"a", "an", "and", "as", "at", "by", "de", "der", "et", "for", "from", "in", "of"}
_SMALL |= {"on", "or", "the", "to", "und", "with", "&", "du", "la", "le", "des", "di"}
_CONTAINER = {
    "PloS one": "PLoS ONE",
    "BMJ (Clinical research ed.)": "BMJ",
    "Lancet (London, England)": "The Lancet",
    "Science (New York, N.Y.)": "Science",
}
_SUBJECTS = [
    "General Medicine",
    "Biochemistry",
    "Molecular Biology",
    "Cell Biology",
    "Oncology",
    "Cancer Research",
    "Immunology",
    "Immunology and Allergy",
    "Microbiology",
    "Infectious Diseases",
    "Neurology (clinical)",
    "General Neuroscience",
    "Cardiology and Cardiovascular Medicine",
    "Pharmacology",
    "Pharmacology (medical)",
    "Genetics",
    "Genetics (clinical)",
    "Public Health, Environmental and Occupational Health",
    "Psychiatry and Mental health",
    "Endocrinology, Diabetes and Metabolism",
    "Surgery",
    "Pediatrics, Perinatology and Child Health",
    "Radiology, Nuclear Medicine and imaging",
    "Multidisciplinary",
    "Physiology",
    "Plant Science",
    "Food Science",
    "General Chemistry",
]


def _cap(word: str) -> str:
    return word[:1].upper() + word[1:]


def _container_title(nlm: str) -> str:
    """The title Crossref shows: NLM's place qualifier and subtitle dropped, title case."""
    if nlm in _CONTAINER:
        return _CONTAINER[nlm]
    t = re.sub(r"\s*\([^)]*\)\s*$", "", nlm).split(" : ")[0].split(" = ")[0].strip()
    out = []
    for i, word in enumerate(t.split()):
        if i and word.lower() in _SMALL:
            out.append(word.lower())
        elif word[:1].islower() and not any(ch.isupper() for ch in word[1:]):
            out.append(_cap(word))
        else:
            out.append(word)
    return " ".join(out)


def _journal_code(title: str) -> str:
    t = re.sub(r"\([^)]*\)", "", title).split(" : ")[0].split(" = ")[0]
    words = [w for w in re.findall(r"[A-Za-z]+", t) if w.lower() not in _SMALL]
    if len(words) == 1:
        return words[0][:5].lower()
    return "".join(w[0] for w in words[:6]).lower() or "jrnl"


def _journals() -> list[Journal]:
    out = []
    for line in _JOURNALS.strip().splitlines():
        title, iso, ta, pissn, eissn, nlm_id, country = line.split("|")
        h = zlib.crc32(title.encode())
        j = Journal()
        j.nlm_title, j.ta, j.pissn, j.eissn, j.nlm_id = title, ta, pissn, eissn, nlm_id
        j.country = country or "United States"
        # Current NLM abbreviations have no full stops; the dotted form is the older one,
        # which Crossref's short-container-title often still shows.
        j.iso = re.sub(r"\.(?=\s|$)", "", iso).replace(".", " ")
        j.container = _container_title(title)
        j.short = iso if "." in iso or h % 5 else ta
        if title == "PloS one":
            j.code = "pone"
        else:
            j.code = _journal_code(title)
        key = next((k for prefix, k in _PUBLISHER_RULES if title.startswith(prefix)), None)
        j.pubkey = key or _OTHER_PUBLISHERS[(h >> 8) % len(_OTHER_PUBLISHERS)]
        j.publisher, j.member, j.license = _PUBLISHERS[j.pubkey]
        e_only = j.pubkey in _E_ONLY or title.startswith(("BMC ", "Scientific reports"))
        j.start = 2000 + (h >> 3) % 15 if e_only else 1930 + (h >> 3) % 80
        j.ipy = (0, 12)[(h >> 12) % 2] if e_only else (4, 6, 12, 12, 12, 24, 52)[(h >> 12) % 7]
        if j.pubkey == "plos":
            j.paging = "elocator"
        elif e_only:
            j.paging = "number"
        else:
            j.paging = "pages"
        j.ppv = 400 + (h >> 16) % 4000
        j.jid = 10000 + (h >> 20) % 89999
        j.subjects = (
            [_SUBJECTS[(h >> 5) % len(_SUBJECTS)], _SUBJECTS[(h >> 9) % len(_SUBJECTS)]][
                : 1 + (h >> 13) % 2
            ]
            if (h >> 24) % 10 < 4
            else []
        )
        issns = [(v, t) for v, t in ((pissn, "print"), (eissn, "electronic")) if v]
        j.issn_json = (
            f',"ISSN":[{",".join(chr(34) + v + chr(34) for v, _ in issns)}],'
            f'"issn-type":[{",".join(_dump({"type": t, "value": v}) for v, t in issns)}],'
            f'"subject":{_dump(j.subjects)}'
        )
        out.append(j)
    return out


def _pairs(text: str, prefix: str) -> list[tuple[str, str]]:
    out = []
    for part in " ".join(text.split()).split("; "):
        num, _, name = part.partition("=")
        out.append((prefix + num, name))
    return out


# Names: (weight, given names, surnames, places). Surnames are drawn Zipf-like within a group,
# and a quarter of the time from a long tail of made-up names.
_CULTURES = [
    (
        30,
        "Wei Jing Li Yan Xiaoming Hui Ying Jun Lei Hong Ming Hua Xin Yu Jian Qiang Yong Fang Lin "
        "Ping Xiaoli Zhiqiang Hai-Yan Xiao-Hong Jia Yi Bin Tao Kai Lu Yang Ning Min Lili Chao",
        "Wang Li Zhang Liu Chen Yang Huang Zhao Wu Zhou Xu Sun Ma Zhu Hu Guo He Lin Gao Luo "
        "Zheng Liang Xie Song Tang Han Feng Deng Cao Peng Zeng Xiao Tian Dong Pan Yuan Cai Jiang "
        "Yu Du Ye Cheng Wei Su Lu Ding Ren Shen Yao Fang Jin Qin Wen",
        "Beijing/China;Shanghai/China;Guangzhou/China;Wuhan/China;Chengdu/China;Hangzhou/China;"
        "Nanjing/China;Xi'an/China;Changsha/China;Taipei/Taiwan;",
    ),
    (
        22,
        "John David Michael James Robert Mary Sarah Jennifer Elizabeth Daniel Andrew Mark Paul "
        "Richard Stephen Susan Karen Emily Jessica Matthew Christopher Laura Thomas Peter Anne "
        "Rachel Kevin Brian William Catherine Jonathan Rebecca Timothy Amy Nicholas Helen",
        "Smith Johnson Williams Brown Jones Miller Davis Wilson Anderson Taylor Thomas Moore "
        "Jackson Martin Thompson White Harris Clark Lewis Robinson Walker Young Allen King Wright "
        "Scott Hill Green Adams Baker Nelson Carter Mitchell Roberts Turner Phillips Campbell "
        "Parker Evans Edwards Collins Stewart Morris Murphy Cook Rogers Morgan Cooper Peterson "
        "Reed Bailey Bell Kelly Howard Ward Cox Richardson Wood Watson Brooks Bennett Gray Hughes "
        "O'Brien McDonald Sullivan Ross Foster",
        "Boston/USA;Baltimore/USA;New York/USA;Houston/USA;Seattle/USA;Philadelphia/USA;"
        "Chicago/USA;London/UK;Oxford/UK;Manchester/UK;Toronto/Canada;Melbourne/Australia;"
        "Sydney/Australia;",
    ),
    (
        12,
        "Hans Klaus Stefan Andreas Thomas Michael Jan Pieter Lars Erik Anders Ingrid Anna Maria "
        "Katrin Julia Sabine Martin Jean Pierre Marie Sophie Nicolas Philippe Isabelle Claire "
        "Giuseppe Marco Luca Francesca Giulia Alessandro Matteo",
        "Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann Koch Richter "
        "Klein Wolf Schröder Neumann de Vries van den Berg van Dijk Bakker Janssen Visser "
        "Johansson Andersson Karlsson Nilsson Hansen Jensen Nielsen Larsen Martin Bernard Dubois "
        "Durand Leroy Moreau Lefèvre Girard Rossi Russo Ferrari Esposito Bianchi Romano Colombo "
        "Ricci Marino Greco Bruno",
        "Berlin/Germany;Munich/Germany;Heidelberg/Germany;Amsterdam/Netherlands;"
        "Utrecht/Netherlands;Stockholm/Sweden;Copenhagen/Denmark;Paris/France;Lyon/France;"
        "Milan/Italy;Rome/Italy;Zurich/Switzerland;Vienna/Austria;",
    ),
    (
        7,
        "Hiroshi Takashi Yuki Kenji Naoko Akira Satoshi Keiko Kazuhiro Tomoko Masahiro Yoshiko "
        "Daisuke Haruka Shinji",
        "Tanaka Suzuki Takahashi Watanabe Ito Yamamoto Nakamura Kobayashi Sato Kato Yoshida "
        "Yamada Sasaki Matsumoto Inoue Kimura Hayashi Shimizu",
        "Tokyo/Japan;Osaka/Japan;Kyoto/Japan;Nagoya/Japan;Fukuoka/Japan;",
    ),
    (
        7,
        "Ji-Hoon Min-Jung Sung-Ho Hye-Jin Jae-Won Young-Soo Eun-Ji Dong-Hyun Seung-Woo Ji-Young",
        "Kim Lee Park Choi Jung Kang Cho Yoon Jang Lim Han Shin Seo Kwon",
        "Seoul/Korea;Busan/Korea;Daejeon/Korea;Incheon/Korea;",
    ),
    (
        8,
        "Rajesh Anil Priya Sunil Amit Deepak Suresh Anita Ravi Sanjay Pooja Vikram Kavita Arjun",
        "Kumar Singh Sharma Gupta Patel Reddy Rao Shah Das Mehta Verma Iyer Nair Joshi",
        "New Delhi/India;Mumbai/India;Bangalore/India;Chennai/India;Hyderabad/India;",
    ),
    (
        9,
        "José Juan Carlos Ana João Luis Miguel Fernanda Paula Rafael Gabriela Pedro Lucia Diego",
        "Silva Santos Oliveira Souza Pereira Costa Ferreira Rodrigues Almeida Sánchez Pérez "
        "Gómez Fernández Díaz García Martínez López González Hernández",
        "São Paulo/Brazil;Rio de Janeiro/Brazil;Madrid/Spain;Barcelona/Spain;"
        "Mexico City/Mexico;Buenos Aires/Argentina;Lisbon/Portugal;",
    ),
    (
        5,
        "Mohammad Ali Ahmed Fatima Mehmet Ayşe Omar Hassan Leila Reza Sara Yusuf",
        "Ali Khan Ahmed Hassan Hosseini Mohammadi Yilmaz Kaya Demir Rahman Ibrahim Abdullah",
        "Tehran/Iran;Istanbul/Turkey;Ankara/Turkey;Cairo/Egypt;Riyadh/Saudi Arabia;Lahore/Pakistan;",
    ),
]
_RW_COUNTRY = {"USA": "United States", "UK": "United Kingdom", "Korea": "South Korea"}
_DEPARTMENTS = [
    "Medicine",
    "Surgery",
    "Pathology",
    "Pharmacology",
    "Biochemistry and Molecular Biology",
    "Neurology",
    "Oncology",
    "Cardiology",
    "Microbiology and Immunology",
    "Epidemiology and Biostatistics",
    "Pediatrics",
    "Radiology",
    "Psychiatry",
    "Physiology",
    "Genetics",
    "Public Health",
    "Nursing",
    "Obstetrics and Gynecology",
    "Cell Biology",
    "Bioinformatics",
    "Infectious Diseases",
    "Endocrinology",
    "Nephrology",
    "Gastroenterology",
    "Orthopaedics",
    "Ophthalmology",
    "Dermatology",
    "Anesthesiology",
    "Emergency Medicine",
    "Clinical Laboratory",
]
_INSTITUTIONS = [
    "{c} University",
    "University of {c}",
    "{c} Medical University",
    "{c} University Hospital",
    "{c} Institute of Medical Research",
    "{c} General Hospital",
    "Faculty of Medicine, {c} University",
]
_FUNCTION = (
    "the:60 of:45 and:32 in:28 to:18 a:16 with:10 was:9 were:9 for:9 that:7 is:6 by:6 on:5 "
    "as:5 from:4.5 at:4 are:4.5 this:3.5 be:3 we:3.5 or:3 which:2.5 these:2.5 after:2 "
    "between:2.5 than:1.5 not:1.5 has:1.2 have:2 been:1.5 both:1 an:3 may:1 our:1.2 its:0.8 "
    "during:1 compared:1 significantly:1.5 also:1.2 however:0.8 whereas:0.5 all:1 two:1 "
    "three:0.5 more:0.8 most:0.6 higher:0.8 lower:0.7 increased:1 decreased:0.6 associated:1.2 "
    "observed:0.8 showed:0.8 found:0.7 results:0.8 suggest:0.5 total:0.5 each:0.5 only:0.6"
)
_CONNECTORS = (
    "of:30 in:20 and:18 with:8 for:6 on:5 by:4 to:4 from:3 after:2 during:2 among:2 "
    "versus:1 via:1 using:2 through:1 in:3"
)
_SUBTITLES = [
    "a randomized controlled trial",
    "a systematic review and meta-analysis",
    "a case report",
    "a cross-sectional study",
    "a prospective cohort study",
    "an in vitro study",
    "a multicenter study",
    "a retrospective analysis",
    "a pilot study",
    "a review",
    "results from a population-based study",
    "a Mendelian randomization study",
]
_SPECIES = [
    "Escherichia coli",
    "Mus musculus",
    "Drosophila melanogaster",
    "Caenorhabditis elegans",
    "Saccharomyces cerevisiae",
    "Staphylococcus aureus",
    "Mycobacterium tuberculosis",
    "Arabidopsis thaliana",
    "Pseudomonas aeruginosa",
    "Plasmodium falciparum",
    "Danio rerio",
    "Candida albicans",
]
_SECTIONS = [
    ("BACKGROUND", "BACKGROUND", "Background"),
    ("METHODS", "METHODS", "Methods"),
    ("RESULTS", "RESULTS", "Results"),
    ("CONCLUSIONS", "CONCLUSIONS", "Conclusions"),
]
_PUBTYPES = [
    ("D016454", "Review", 0.12),
    ("D013485", "Research Support, Non-U.S. Gov't", 0.25),
    ("D052061", "Research Support, N.I.H., Extramural", 0.08),
    ("D003160", "Comparative Study", 0.04),
    ("D016449", "Randomized Controlled Trial", 0.03),
    ("D002363", "Case Reports", 0.05),
    ("D016448", "Multicenter Study", 0.02),
    ("D017418", "Meta-Analysis", 0.01),
    ("D000078182", "Systematic Review", 0.01),
    ("D064888", "Observational Study", 0.02),
    ("D016422", "Letter", 0.02),
    ("D016421", "Editorial", 0.02),
]
_GRANTS = [
    ("R01 {a}{n:06d}", "{a}", "{a} NIH HHS", "United States", ("GM", "CA", "HL", "AI", "NS", "DK")),
    ("{n:06d}", None, "Wellcome Trust", "United Kingdom", ("",)),
    ("MR/{a}{n:05d}/1", None, "Medical Research Council", "United Kingdom", ("K", "N", "S")),
]
_FUNDERS = [
    ("10.13039/100000002", "National Institutes of Health"),
    ("10.13039/501100001809", "National Natural Science Foundation of China"),
    ("10.13039/100000001", "National Science Foundation"),
    ("10.13039/501100001659", "Deutsche Forschungsgemeinschaft"),
    ("10.13039/501100000265", "Medical Research Council"),
    ("10.13039/501100001691", "Japan Society for the Promotion of Science"),
]
_RW_SUBJECTS = [
    "(BLS) Biology - Cellular",
    "(BLS) Biology - Molecular",
    "(BLS) Biochemistry",
    "(BLS) Genetics",
    "(HSC) Medicine - Oncology",
    "(HSC) Medicine - Cardiology",
    "(HSC) Medicine - Neurology",
    "(HSC) Medicine - Infectious Disease",
    "(HSC) Medicine - Pharmacology",
    "(HSC) Public Health and Safety",
    "(BLS) Biology - Microbiology",
    "(HSC) Medicine - Surgery",
]
_RW_REASONS = [
    "+Concerns/Issues About Data",
    "+Concerns/Issues About Image",
    "+Concerns/Issues about Results and/or Conclusions",
    "+Duplication of Image",
    "+Falsification/Fabrication of Data",
    "+Investigation by Journal/Publisher",
    "+Investigation by Company/Institution",
    "+Paper Mill",
    "+Plagiarism of Article",
    "+Unreliable Results and/or Conclusions",
    "+Error in Analyses",
    "+Concerns/Issues with Peer Review",
    "+Date of Article and/or Notice Unknown",
    "+Lack of Approval from Third Party",
    "+Notice - Limited or No Information",
]
_RW_TYPES = ["Research Article;", "Research Article;", "Research Article;", "Clinical Study;"]
_RW_TYPES += ["Review Article;", "Case Report;", "Article in Press;"]
_NOTICE_TITLES = [
    "Retraction: {t}",
    "Retraction Note: {t}",
    "Retraction notice to “{t}”",
    "Retraction of: {t}",
    "Notice of Retraction: {t}",
]
_CHECK_TAGS = {"D006801", "D000818", "D005260", "D008297", "D000328", "D008875", "D000368"}
_CHECK_TAGS |= {"D051379", "D051381"}
_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
_SYLLABLES = [
    c + v
    for c in ("b", "d", "f", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z", "br", "st")
    for v in ("a", "e", "i", "o", "u", "ai")
]
_CODAS = ("", "n", "r", "s", "l", "k", "t", "m", "x", "nd")
_TERM_ENDS = ("ase", "in", "osis", "itis", "ine", "ide", "mab", "nib", "gen", "ome", "yl", "ol")


def _pseudo(r: int) -> str:
    """A pronounceable made-up word for rank r: the long tail of rare terms and surnames."""
    n = len(_SYLLABLES)
    s = _SYLLABLES[r % n] + _SYLLABLES[(r // n) % n]
    if r >= n * n:
        s += _SYLLABLES[(r // (n * n)) % n]
    return s + _CODAS[(r * 7) % len(_CODAS)]


@lru_cache(maxsize=1 << 16)
def _tail_term(r: int) -> str:
    if r % 5 == 0:
        letters = "".join(chr(65 + (r >> k) % 26) for k in (3, 8, 13)[: 2 + r % 2])
        return f"{letters}{1 + r % 97}"
    return _pseudo(r) + _TERM_ENDS[(r >> 4) % len(_TERM_ENDS)]


def _weighted_table(items: list[tuple[str, float]], size: int) -> list[str]:
    """A list in which each item appears in proportion to its weight: sampling is one index."""
    total = sum(w for _, w in items)
    table: list[str] = []
    for word, weight in items:
        table.extend([word] * max(1, round(weight * size / total)))
    return table


_TOKEN = re.compile(r"[A-Za-z][A-Za-z0-9'-]*[A-Za-z0-9]|[A-Za-z]")


def _title_words() -> list[tuple[str, float]]:
    """Content words of real article titles with their frequencies: the 17,015 gold titles
    of biblio-glutton's PMC sample (``data/references-doi-matching.json.gz``, the titles
    ``citecheck/relevance/idf.tsv`` was counted on; that file holds stems such as "specy",
    so the surface forms come from here). A capitalised form is kept only where it is the
    usual one (DNA, Drosophila), not where a title merely starts with the word. Words seen
    once are left to the made-up tail (TAIL)."""
    rows = json.loads(
        gzip.decompress((HERE / "data" / "references-doi-matching.json.gz").read_bytes())
    )
    counts: Counter[str] = Counter()
    for row in rows:
        counts.update(_TOKEN.findall(row.get("atitle") or ""))
    total: Counter[str] = Counter()
    best: dict[str, str] = {}
    for word, n in counts.items():
        low = word.lower()
        total[low] += n
        if low not in best or n > counts[best[low]]:
            best[low] = word
    out = []
    for low, n in total.items():
        form = best[low]
        if form[:1].isupper() and form[1:].islower() and low in counts:
            form = low
        if n > 1 and low not in STOPWORDS and not low.isdigit():
            out.append((form, float(n)))
    return sorted(out)


def _given_table(names: list[str], middle_initials: bool) -> list[tuple[str, str, str]]:
    """Given names with their PubMed forms; where middle initials are common (about 45 %),
    each name also comes with each letter as a middle initial."""
    out = []
    for given in names:
        initials = "".join(part[0] for part in given.split("-"))
        out.extend([(given, given, initials)] * (32 if middle_initials else 1))
        if middle_initials and "-" not in given:
            for k in range(26):
                mid = chr(65 + k)
                out.append((f"{given} {mid}.", f"{given} {mid}", initials + mid))
    return out


def _exact_table(items: list[tuple[str, float]], size: int) -> list[str]:
    """A weighted table of exactly ``size`` entries (a power of two, sampled by bit mask):
    the largest remainders fill what rounding down left over."""
    total = sum(w for _, w in items)
    quotas = [(w * size / total, x) for x, w in items]
    counts = [max(1, int(q)) for q, _ in quotas]
    short = size - sum(counts)
    order = sorted(range(len(quotas)), key=lambda i: quotas[i][0] - int(quotas[i][0]), reverse=True)
    for i in order[: max(0, short)]:
        counts[i] += 1
    table: list[str] = []
    for (_, x), c in zip(quotas, counts, strict=True):
        table.extend([x] * c)
    del table[size:]
    table.extend(table[: size - len(table)])
    return table


def _weights(spec: str) -> list[tuple[str, float]]:
    out = []
    for part in spec.split():
        word, _, weight = part.rpartition(":")
        out.append((word, float(weight)))
    return out


class Culture(NamedTuple):
    given: list[tuple[str, str, str]]  # (Crossref given, PubMed ForeName, Initials), weighted
    surnames: list[str]  # a weighted table: common names repeated
    places: list[tuple[str, str]]


class Tables:
    """Everything a worker needs besides the plan, built once per process (~0.3 s)."""

    def __init__(self) -> None:
        content = _title_words()
        self.content = _exact_table(content, 1 << 16)
        function = _weights(_FUNCTION)
        # Running text: 42 % function words, the rest content words as in titles.
        total_c = sum(w for _, w in content)
        total_f = sum(w for _, w in function)
        prose = [(x, 0.58 * w / total_c) for x, w in content]
        prose += [(x, 0.42 * w / total_f) for x, w in function]
        self.prose = _exact_table(prose, 1 << 16)
        self.connectors = _weighted_table(_weights(_CONNECTORS), 256)
        self.journals = _journals()
        zipf = [1.0 / (i + 1) ** 0.95 for i in range(len(self.journals))]
        self.journal_cum = list(accumulate(zipf))
        self.first_start = min(j.start for j in self.journals)
        self.mesh = _pairs(_MESH, "D")
        self.mesh_cum = list(accumulate(1.0 / (i + 3) for i in range(len(self.mesh))))
        self.qualifiers = _pairs(_QUALIFIERS, "Q")
        self.cultures = []
        for _, given, surnames, places in _CULTURES:
            names = surnames.replace("de Vries", "de_Vries").replace("van den Berg", "van_den_Berg")
            names = names.replace("van Dijk", "van_Dijk")
            fam = [n.replace("_", " ") for n in names.split()]
            table = _weighted_table([(x, 1.0 / (i + 1) ** 0.8) for i, x in enumerate(fam)], 2000)
            pl = [
                (c.strip(), k.strip())
                for c, _, k in (x.partition("/") for x in places.split(";") if x)
            ]
            self.cultures.append(
                Culture(_given_table(given.split(), len(self.cultures) in (1, 2)), table, pl)
            )
        self.culture_cum = list(accumulate(c[0] for c in _CULTURES))
        self.culture_table = [i for i, c in enumerate(_CULTURES) for _ in range(c[0])]
        # Years: Crossref grows about 7 % a year; PubMed-only (DOI-less) works are older.
        years = list(range(1950, YEAR_MAX + 1))
        self.years = years
        self.year_cum = list(accumulate(math.exp(0.07 * (y - YEAR_MAX)) for y in years))
        self.old_year_cum = list(accumulate(math.exp(-(((y - 1992) / 14) ** 2)) for y in years))


_TABLES: Tables | None = None


def tables() -> Tables:
    global _TABLES
    if _TABLES is None:
        _TABLES = Tables()
    return _TABLES


# ----------------------------------------------------------------------------- works


class Author(NamedTuple):
    given: str  # as Crossref has it: "Brooks B."
    family: str
    fore: str  # PubMed ForeName: "Brooks B"
    initials: str  # "BB"
    affiliations: tuple[str, ...]
    orcid: str | None
    country: str


class Retraction(NamedTuple):
    notice_w: int
    notice_doi: str | None
    notice_pmid: int | None
    date: tuple[int, int, int]
    sources: tuple[str, ...]  # "retraction-watch", "publisher"
    record_id: int


class Work:
    """One work as it is, before any format: each writer takes what its format shows."""

    __slots__ = (
        "abstract_cr",
        "abstract_pm",
        "authors",
        "cited",
        "collective",
        "correction",
        "day",
        "doi",
        "elocator",
        "eoc",
        "fpage",
        "issue",
        "journal",
        "kind",
        "lang",
        "lpage",
        "month",
        "n_refs",
        "notice_of",
        "online",
        "p",
        "pmid",
        "print_",
        "retraction",
        "title",
        "title_markup",
        "volume",
        "w",
        "year",
    )


def _date_add(y: int, m: int, d: int, days: int) -> tuple[int, int, int]:
    t = datetime.date.fromordinal(datetime.date(y, m, d).toordinal() + days)
    return t.year, t.month, t.day


def _orcid(n: int) -> str:
    """An ORCID-shaped id in the 0000-0000 block (not issued by ORCID), with its check digit."""
    base = f"00000000{n % 10**7:07d}"
    total = 0
    for ch in base.encode():
        total = (total + ch - 48) * 2
    check = (12 - total % 11) % 11
    digits = base + ("X" if check == 10 else str(check))
    return f"{digits[0:4]}-{digits[4:8]}-{digits[8:12]}-{digits[12:16]}"


class Factory:
    """Makes works, Crossref items and PubMed records for one plan."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.t = tables()
        self.seed = plan.seed
        self._memo: dict[int, tuple[Journal, tuple[int, int, int]]] = {}

    # -- cheap per-work facts (no random generator), so DOIs of any work cost little
    def _facts(self, w: int) -> tuple[Journal, tuple[int, int, int]]:
        got = self._memo.get(w)
        if got is not None:
            return got
        t = self.t
        h = _mix(self.seed, w, S_JOURNAL)
        m, d = 1 + (h >> 40) % 12, 1 + (h >> 48) % 28
        if self.plan.notice(w):
            journal, (y0, m0, d0) = self._facts(w - 1)
            y = min(YEAR_MAX, y0 + 1 + (h >> 56) % 3)
            if y == y0 and (m, d) < (m0, d0):
                m, d = m0, d0
        else:
            u = (h & 0xFFFFF) / 0x100000 * t.journal_cum[-1]
            journal = t.journals[min(bisect(t.journal_cum, u), len(t.journals) - 1)]
            cum = t.old_year_cum if self.plan.C <= w < self.plan.records else t.year_cum
            u = ((h >> 20) & 0xFFFFF) / 0x100000 * cum[-1]
            y = t.years[min(bisect(cum, u), len(cum) - 1)]
            y = max(y, t.first_start)
            if journal.start > y:  # not founded yet: the next journal in rank order that was
                k = t.journals.index(journal)
                while t.journals[k].start > y:
                    k = (k + 1) % len(t.journals)
                journal = t.journals[k]
        if len(self._memo) > 50_000:
            self._memo.clear()
        got = self._memo[w] = (journal, (y, m, d))
        return got

    def journal_of(self, w: int) -> Journal:
        return self._facts(w)[0]

    def date_of(self, w: int) -> tuple[int, int, int]:
        return self._facts(w)[1]

    def doi_of(self, w: int) -> str | None:
        plan = self.plan
        if plan.C <= w < plan.records and (plan.notice(w) or _unit(self.seed, w, S_PMDOI) >= 0.15):
            return None  # most PubMed-only works have no DOI
        kind = plan.kind(w)
        y, m, d = self.date_of(w)
        if kind == "posted-content":
            return f"{DOI_PREFIX}{y}.{m:02d}.{d:02d}.{w:06d}"
        j = self.journal_of(w)
        if plan.C <= w < plan.records:  # a PubMed-only work with a DOI outside Crossref
            return f"{DOI_PREFIX}{j.code}.{y}.{w}"
        if kind == "proceedings-article":
            return f"{DOI_PREFIX}conf.{y}.{w:07d}"
        suffix = self._suffix(j, w, y, m)
        if kind == "component":
            return f"{DOI_PREFIX}{suffix}.g{1 + w % 7:03d}"
        return DOI_PREFIX + suffix

    def _suffix(self, j: Journal, w: int, y: int, m: int) -> str:
        """DOI suffixes shaped as each publisher shapes them (case, brackets and all)."""
        k, yy = j.pubkey, y % 100
        h = _mix(self.seed, w, S_CR)
        if k == "plos":
            return f"journal.{j.code}.{w:07d}"
        if k == "elsevier":
            if j.ppv % 5 == 0 and j.pissn:
                chk = "0123456789X"[h % 11]
                return f"S{j.pissn}({yy:02d}){w:05d}-{chk}"
            return f"j.{j.code}.{y}.{m:02d}.{w:03d}"
        if k == "springer":
            return f"s{j.jid}-{yy:03d}-{w:05d}-{h % 10}"
        if k == "wiley":
            if y < 2010 and j.pissn:
                return f"j.{j.pissn}.{y}.{w:05d}.x"
            return f"{j.code}.{w}"
        if k == "oup":
            return f"{j.code}/gk{_base36(w)}"
        if k == "frontiers":
            return f"f{j.code}.{y}.{w:05d}"
        if k == "mdpi":
            return f"{j.code}{w:08d}"
        if k == "tandf":
            return f"{(j.pissn or j.eissn).replace('-', '')}.{y}.{w}"
        if k == "sage":
            return f"{(j.pissn or j.eissn).replace('-', '')}{yy:02d}{w:07d}"
        if k == "acs":
            return f"acs.{j.code}.{yy}b{w:05d}"
        if k == "bmj":
            return f"{j.code}-{y}-{w:06d}"
        if k == "lww":
            return f"01.{j.code.upper()}.{w:010d}.{h % 100000:05d}.{h % 256:02X}"
        if k in ("elife", "peerj"):
            return f"{k}.{w:05d}"
        if k == "asm":
            return f"{j.code}.{w:05d}-{yy:02d}"
        if k == "ama":
            return f"jama.{y}.{w}"
        if k == "mms":
            return f"NEJMoa{w:07d}"
        if k == "pnas":
            return f"pnas.{w:07d}{(yy + 91) % 100:02d}"
        if k == "aaas":
            return f"science.a{_base36(w)}"
        if k == "karger":
            return f"{w:09d}"
        if k == "thieme":
            return f"s-{y:04d}-{w:07d}"
        return f"{j.code}.{y}.{w}"

    # -- a whole work
    def work(self, w: int) -> Work:
        plan = self.plan
        rng = random.Random(_mix(self.seed, w, S_WORK))
        rnd = rng.random
        wk = Work()
        wk.w = w
        wk.kind = plan.kind(w)
        wk.p = plan.pubmed_of_work(w)
        wk.pmid = PMID_BASE + wk.p if wk.p is not None else None
        wk.doi = self.doi_of(w)
        j = wk.journal = self.journal_of(w)
        wk.year, wk.month, wk.day = self.date_of(w)
        wk.notice_of = w - 1 if plan.notice(w) else None
        wk.retraction = self._retraction(w) if plan.retracted(w) else None
        wk.eoc = plan.eoc(w)
        wk.correction = plan.corrected(w)
        wk.lang = (
            "eng" if rnd() < 0.96 else ("ger", "fre", "spa", "chi", "jpn", "rus")[int(rnd() * 6)]
        )
        # Dates: e-only journals publish online; print journals online first, then in print.
        e_only = j.ipy == 0 or j.paging != "pages"
        lag = 0 if e_only else int(rnd() * 90)
        wk.print_ = None if e_only else (wk.year, wk.month, wk.day)
        wk.online = (
            _date_add(wk.year, wk.month, wk.day, -lag)
            if e_only or (wk.year >= 1998 and rnd() < 0.85)
            else None
        )
        wk.volume = str(max(1, wk.year - j.start + 1))
        wk.issue = str(1 + (wk.month - 1) * j.ipy // 12) if j.ipy else None
        wk.elocator = wk.fpage = wk.lpage = None
        if wk.kind == "posted-content" or wk.kind == "component":
            wk.volume = wk.issue = None
        elif j.paging == "elocator":
            wk.elocator = f"e{w % 100000 + 100000 * (w // 100000 % 9)}"
        elif j.paging == "number":
            wk.elocator = str(1000 + w % 999000)
        else:
            span = max(1, j.ppv // 12)
            first = 1 + (wk.month - 1) * span + int(rnd() * span)
            length = 1 + int(rng.lognormvariate(1.9, 0.55))
            wk.fpage, wk.lpage = str(first), str(first + length - 1)
        if wk.notice_of is not None:
            orig = self.work(w - 1)
            pattern = _NOTICE_TITLES[int(rnd() * len(_NOTICE_TITLES))]
            wk.title = pattern.format(t=orig.title)
            wk.title_markup = pattern.format(t=orig.title_markup)
            wk.authors, wk.collective = [], None
            wk.abstract_cr = wk.abstract_pm = False
            wk.n_refs, wk.cited = int(rnd() * 3), int(rnd() * 5)
            if wk.fpage:
                wk.lpage = wk.fpage
            return wk
        wk.title, wk.title_markup = self._title(rng)
        wk.authors, wk.collective = self._authors(rng, wk)
        recent = wk.year >= 2000
        wk.abstract_cr = wk.kind != "component" and rnd() < (0.45 if recent else 0.1)
        wk.abstract_pm = rnd() < (0.85 if wk.year >= 1975 else 0.3)
        wk.n_refs = 0 if rnd() < 0.25 else 5 + int(rng.lognormvariate(3.2, 0.6))
        wk.cited = int(rng.paretovariate(1.2)) - 1 if rnd() < 0.85 else 0
        if wk.kind == "component":
            wk.title = wk.title_markup = f"Figure {1 + w % 7}"
            wk.authors, wk.n_refs = [], 0
        return wk

    def _retraction(self, w: int) -> Retraction:
        plan = self.plan
        notice = w + 1
        u = _unit(self.seed, w, S_RW)
        sources = (
            ("retraction-watch", "publisher")
            if u < 0.55
            else ("retraction-watch",)
            if u < 0.85
            else ("publisher",)
        )
        p = plan.pubmed_of_work(notice)
        return Retraction(
            notice_w=notice,
            notice_doi=self.doi_of(notice),
            notice_pmid=PMID_BASE + p if p is not None else None,
            date=self.date_of(notice),
            sources=sources,
            record_id=RW_RECORD_BASE + 2 * w + 1,  # the expression of concern before it: 2 * w
        )

    def _word(self, rnd: Callable[[], float]) -> str:
        if rnd() < TAIL:
            return _tail_term(int(math.exp(rnd() * 12.6)))  # log-uniform rank up to ~300,000
        c = self.t.content
        return c[int(rnd() * len(c))]

    def surname(self, rnd: Callable[[], float]) -> str:
        cu = self.t.cultures[self.t.culture_table[int(rnd() * len(self.t.culture_table))]]
        return cu.surnames[int(rnd() * len(cu.surnames))]

    def _tokens(self, rng: random.Random, n: int, table: list[str]) -> list[str]:
        """n words from a weighted table of 2**16 in one go (C speed: the random bytes are the
        indices), a share of them swapped for rare terms."""
        n = max(2, n)
        out = list(itemgetter(*array("H", rng.randbytes(2 * n)))(table))
        rnd = rng.random
        for _ in range(int(n * TAIL * 0.6 + rnd())):
            out[int(rnd() * n)] = _tail_term(int(math.exp(rnd() * 12.6)))
        return out

    def _title(self, rng: random.Random) -> tuple[str, str]:
        rnd = rng.random
        n = 3 + int(rnd() * 5) + int(rnd() * 4)
        content = self._tokens(rng, n, self.t.content)
        words: list[str] = []
        done = 0
        conn = self.t.connectors
        while done < n:
            k = min(n - done, 1 + int(rnd() * 2.4))
            if words:
                words.append(conn[int(rnd() * len(conn))])
            words.extend(content[done : done + k])
            done += k
        if rnd() < 0.3:
            words = [w if w in _SMALL else _cap(w) for w in words]
        words[0] = _cap(words[0])
        plain = markup = " ".join(words)
        if rnd() < 0.04:
            sp = _SPECIES[int(rnd() * len(_SPECIES))]
            plain += f" in {sp}"
            markup += f" in <i>{sp}</i>"
        if rnd() < 0.15:
            sub = _SUBTITLES[int(rnd() * len(_SUBTITLES))]
            plain += f": {sub}"
            markup += f": {sub}"
        return plain, markup

    def _authors(self, rng: random.Random, wk: Work) -> tuple[list[Author], str | None]:
        t, rnd = self.t, rng.random
        if wk.kind == "component":
            return [], None
        u = rnd()
        if u < 0.04:
            n = 1
        elif u < 0.042:
            n = 30 + int(rnd() * 90)
        else:
            n = min(40, max(1, round(rng.lognormvariate(1.65, 0.6))))
        if wk.year < 1990:
            n = max(1, n // 2)
        collective = f"{_cap(self._word(rnd))} Study Group" if n > 25 and rnd() < 0.5 else None
        home = bisect(t.culture_cum, rnd() * t.culture_cum[-1])
        # Institutions of this paper: one to four, mostly in the home country.
        insts = []
        for _ in range(1 + int(rnd() * rnd() * 4)):
            cu = t.cultures[home if rnd() < 0.75 else int(rnd() * len(t.cultures))]
            city, country = cu.places[int(rnd() * len(cu.places))]
            dept = _DEPARTMENTS[int(rnd() * len(_DEPARTMENTS))]
            inst = _INSTITUTIONS[int(rnd() * len(_INSTITUTIONS))].format(c=city)
            insts.append((f"Department of {dept}, {inst}, {city}, {country}.", country))
        authors = []
        cultures, mixed, ni = t.cultures, t.culture_table, len(insts)
        orcids = wk.year >= 2015
        for i in range(n):
            cu = cultures[home if rnd() < 0.7 else mixed[int(rnd() * len(mixed))]]
            r = rnd()
            if r < 0.25:  # the long tail: log-uniform rank up to ~100,000
                family = _cap(_pseudo(int(math.exp(r * 46.0))))
            else:
                family = cu.surnames[int(rnd() * len(cu.surnames))]
            given, fore, initials = cu.given[int(rnd() * len(cu.given))]
            r = rnd()
            aff_i = int(r * ni) if i else 0
            inst = insts[aff_i]
            affs = (
                (inst[0], insts[(aff_i + 1) % ni][0])
                if ni > 1 and r * ni % 1 < 0.15
                else (inst[0],)
            )
            orcid = _orcid(wk.w * 64 + i) if orcids and rnd() < 0.2 else None
            authors.append(Author(given, family, fore, initials, affs, orcid, inst[1]))
        return authors, collective

    def abstract(self, w: int, structured: bool) -> list[tuple[int, str]]:
        """Sections (index into _SECTIONS, or -1) and their plain text; same for both dumps."""
        rng = random.Random(_mix(self.seed, w, S_ABSTRACT))
        rnd = rng.random
        words = int(rng.lognormvariate(5.3, 0.35))
        toks_all = self._tokens(rng, words + 30, self.t.prose)
        sentences: list[str] = []
        count = 0
        while count < words:
            n = 10 + int(rnd() * 18)
            toks = toks_all[count : count + n]
            r = rnd()
            if r < 0.06:
                toks.append(f"(n = {10 + int(rnd() * 2000)})")
            elif r < 0.12:
                toks.append(f"(p < 0.{('05', '01', '001')[int(rnd() * 3)]})")
            elif r < 0.16:
                lo = 0.5 + rnd()
                toks.append(f"(OR {lo + 0.4:.2f}, 95% CI {lo:.2f}-{lo + 0.9:.2f})")
            elif r < 0.22:
                toks.append(f"{rnd() * 100:.1f}%")
            s = " ".join(toks)
            sentences.append(s[0].upper() + s[1:] + ".")
            count += n
        if not structured or len(sentences) < 4:
            return [(-1, " ".join(sentences))]
        cut = [0, len(sentences) // 5 or 1, len(sentences) // 2, len(sentences) * 4 // 5]
        cut.append(len(sentences))
        return [(i, " ".join(sentences[cut[i] : cut[i + 1]])) for i in range(4)]


def _base36(n: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        n, r = divmod(n, 36)
        out = digits[r] + out
        if not n:
            return out


def _esc(text: str) -> str:
    if "&" not in text and "<" not in text and ">" not in text:
        return text
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


_EPOCH = datetime.date(1970, 1, 1).toordinal()


def _stamp(y: int, m: int, d: int, secs: int, ms: int = 0) -> dict[str, Any]:
    days = datetime.date(y, m, d).toordinal() - _EPOCH
    return {
        "date-parts": [[y, m, d]],
        "date-time": f"{y:04d}-{m:02d}-{d:02d}T{secs // 3600:02d}:{secs // 60 % 60:02d}:{secs % 60:02d}Z",
        "timestamp": (days * 86400 + secs) * 1000 + ms,
    }


_NEEDS_ESCAPE = re.compile(r'["\\\x00-\x1f]').search


def _js(text: str) -> str:
    """A JSON string literal; most strings need no escaping, which this checks first."""
    if _NEEDS_ESCAPE(text) is None:
        return f'"{text}"'
    return json.dumps(text, ensure_ascii=False)


def _stamp_json(ordinal: int, secs: int, ms: int = 0, version: str = "") -> str:
    d = datetime.date.fromordinal(ordinal)
    y, m, day = d.year, d.month, d.day
    v = f',"version":"{version}"' if version else ""
    return (
        f'{{"date-parts":[[{y},{m},{day}]],"date-time":"{y:04d}-{m:02d}-{day:02d}T'
        f'{secs // 3600:02d}:{secs // 60 % 60:02d}:{secs % 60:02d}Z",'
        f'"timestamp":{((ordinal - _EPOCH) * 86400 + secs) * 1000 + ms}{v}}}'
    )


def _parts_json(date: tuple[int, int, int], precision: int = 3) -> str:
    if precision == 3:
        return f'{{"date-parts":[[{date[0]},{date[1]},{date[2]}]]}}'
    return f'{{"date-parts":[[{",".join(map(str, date[:precision]))}]]}}'


# ----------------------------------------------------------------------------- Crossref


class CrossrefWriter:
    def __init__(self, factory: Factory) -> None:
        self.f = factory
        self.roles = factory.plan.fmt == "jsonl.gz"
        self.indexed_from = datetime.date(2025, 6, 1).toordinal()

    def item(self, wk: Work) -> dict[str, Any]:
        """The item as a dict (for tests; the files are written from ``text``)."""
        result: dict[str, Any] = json.loads(self.text(wk))
        return result

    def text(self, wk: Work) -> str:
        """The work as a Crossref API item, keys in the API's order, as compact JSON text
        (built directly: a dict and json.dumps took twice as long)."""
        f, j = self.f, wk.journal
        rng = random.Random(_mix(f.seed, wk.w, S_CR))
        rnd = rng.random
        doi = wk.doi or ""
        kind = wk.kind
        article = kind == "journal-article"
        first = wk.online or wk.print_ or (wk.year, wk.month, wk.day)
        # created just after publication, deposited (last) later, indexed last of all
        created = datetime.date(*first).toordinal() + int(rnd() * 4)
        indexed = max(self.indexed_from + int(rnd() * 220), created + 1 + int(rnd() * 30))
        deposited = min(created + int(rnd() * 3000), indexed)
        precision = 3 if rnd() < 0.8 else (2 if rnd() < 0.8 else 1)
        url = f"https://journals.example.org/{j.code}/{doi}"
        publisher = j.publisher if kind != "posted-content" else "openRxiv"
        refs = self._references(wk) if f.plan.references and wk.n_refs else None
        n_refs = len(refs) if refs is not None else wk.n_refs
        o = [
            '{"indexed":',
            _stamp_json(indexed, int(rnd() * 86400), int(rnd() * 1000), CROSSREF_VERSION),
            f',"reference-count":{n_refs},"publisher":{_js(publisher)}',
        ]
        if wk.issue:
            o.append(f',"issue":"{wk.issue}"')
        if j.license and article and rnd() < 0.8:
            cc = j.license == "cc"
            lic = "http://creativecommons.org/licenses/by/4.0/" if cc else j.license
            o.append(
                f',"license":[{{"start":{_stamp_json(datetime.date(*first).toordinal(), 0)},'
                f'"content-version":"{"unspecified" if cc else "tdm"}","delay-in-days":0,'
                f'"URL":"{lic}"}}]'
            )
        domain = '"journals.example.org"' if rnd() < 0.6 else ""
        crossmark = "true" if rnd() < 0.4 else "false"
        o.append(f',"content-domain":{{"domain":[{domain}],"crossmark-restriction":{crossmark}}}')
        if article:
            o.append(
                f',"short-container-title":[{_js(j.short)}]'
                if rnd() < 0.88
                else ',"short-container-title":[]'
            )
            if wk.print_:
                o.append(f',"published-print":{_parts_json(wk.print_, precision)}')
        if wk.abstract_cr:
            o.append(f',"abstract":{_js(self._abstract(wk, rnd))}')
        o.append(
            f',"DOI":{_js(doi)},"type":"{kind}","created":{_stamp_json(created, int(rnd() * 86400))}'
        )
        if kind != "component":
            if wk.elocator and j.paging == "elocator":
                o.append(f',"page":"{wk.elocator}"')
            elif wk.fpage:
                page = wk.fpage if wk.lpage == wk.fpage else f"{wk.fpage}-{wk.lpage}"
                o.append(f',"page":"{page}"')
        if rnd() < 0.45:
            o.append(f',"update-policy":"https://doi.org/{DOI_PREFIX}crossmark.{j.code}"')
        title = wk.title_markup
        if wk.retraction and rnd() < 0.15:
            title = "RETRACTED: " + title
        o.append(
            f',"source":"Crossref","is-referenced-by-count":{wk.cited},"title":[{_js(title)}],'
            f'"prefix":"{DOI_PREFIX[:-1]}"'
        )
        if wk.volume and kind in ("journal-article", "proceedings-article"):
            o.append(f',"volume":"{wk.volume}"')
        if wk.authors or wk.collective:
            o.append(f',"author":{self._authors(wk, rnd)}')
        o.append(f',"member":"{j.member}"')
        if wk.online and kind != "component":
            o.append(f',"published-online":{_parts_json(wk.online, precision)}')
        if refs is not None:
            o.append(f',"reference":{_dump(refs)}')
        if article:
            o.append(f',"container-title":[{_js(j.container)}]')
        elif kind == "proceedings-article":
            name = _js(f"{wk.year} International Conference on {_cap(f._word(rnd))} Medicine")
            o.append(f',"container-title":[{name}],"event":{{"name":{name},"location":"Online"}}')
        else:
            o.append(',"container-title":[]')
        o.append(',"original-title":[]')
        if kind != "component":
            o.append(f',"language":"{"en" if wk.lang == "eng" else wk.lang[:2]}"')
        if article and rnd() < 0.85:
            o.append(
                f',"link":[{{"URL":"{url}/pdf","content-type":"application/pdf",'
                '"content-version":"vor","intended-application":"text-mining"},'
                f'{{"URL":"{url}/full","content-type":"unspecified","content-version":"vor",'
                '"intended-application":"similarity-checking"}]'
            )
        o.append(
            f',"deposited":{_stamp_json(deposited, int(rnd() * 86400))},'
            f'"resource":{{"primary":{{"URL":"{url}"}}}},"subtitle":[],"short-title":[]'
        )
        if kind == "component":
            o.append(',"issued":{"date-parts":[[null]]}')  # as real components often are
        else:
            o.append(f',"issued":{_parts_json(first, precision)}')
        o.append(f',"references-count":{n_refs}')
        if wk.issue and article:
            if wk.print_:
                o.append(
                    f',"journal-issue":{{"issue":"{wk.issue}",'
                    f'"published-print":{_parts_json(wk.print_, precision)}}}'
                )
            elif wk.online:
                o.append(
                    f',"journal-issue":{{"issue":"{wk.issue}",'
                    f'"published-online":{_parts_json(wk.online, precision)}}}'
                )
            else:
                o.append(f',"journal-issue":{{"issue":"{wk.issue}"}}')
        if j.pubkey == "elsevier" and article:
            pii = f"S{(j.pissn or j.eissn).replace('-', '')}{wk.year % 100:02d}{wk.w:06d}"
            o.append(f',"alternative-id":["{pii}"]')
        o.append(f',"URL":"https://doi.org/{doi}","relation":{{}}')
        if article:
            o.append(j.issn_json)
        elif kind == "posted-content":
            group = ("Neuroscience", "Microbiology", "Bioinformatics", "Cell Biology")[wk.w % 4]
            posted = _parts_json(first, 3)
            o.append(
                f',"institution":[{{"name":"bioRxiv"}}],"subtype":"preprint",'
                f'"group-title":"{group}","posted":{posted},"accepted":{posted}'
            )
        if article and rnd() < 0.3:
            fid, fname = _FUNDERS[int(rnd() * len(_FUNDERS))]
            o.append(
                f',"funder":[{{"DOI":"{fid}","name":"{fname}","doi-asserted-by":"publisher",'
                f'"award":["{int(rnd() * 9e7) + 10**7}"],'
                f'"id":[{{"id":"{fid}","id-type":"DOI","asserted-by":"publisher"}}]}}]'
            )
        if kind != "component":
            o.append(f',"published":{_parts_json(first, precision)}')
        if j.paging == "number" and wk.elocator and article:
            o.append(f',"article-number":"{wk.elocator}"')
        updates = self._updated_by(wk)
        if updates:
            o.append(f',"updated-by":{_dump(updates)}')
        if wk.notice_of is not None:
            update = {
                "updated": _stamp(wk.year, wk.month, wk.day, 0),
                "DOI": f.doi_of(wk.notice_of),
                "type": "retraction",
                "source": "publisher",
                "label": "Retraction",
            }
            o.append(f',"update-to":[{_dump(update)}]')
        o.append("}")
        return "".join(o)

    def _authors(self, wk: Work, rnd: Callable[[], float]) -> str:
        with_aff = rnd() < 0.35
        role = ',"role":[{"vocabulary":"crossref","role":"author"}]' if self.roles else ""
        out = []
        for i, a in enumerate(wk.authors):
            orcid = ""
            if a.orcid:
                auth = "true" if rnd() < 0.5 else "false"
                orcid = f'"ORCID":"https://orcid.org/{a.orcid}","authenticated-orcid":{auth},'
            affs = ",".join(f'{{"name":{_js(x)}}}' for x in a.affiliations) if with_aff else ""
            seq = "first" if i == 0 else "additional"
            out.append(
                f'{{{orcid}"given":{_js(a.given)},"family":{_js(a.family)},'
                f'"sequence":"{seq}","affiliation":[{affs}]{role}}}'
            )
        if wk.collective:
            out.append(f'{{"name":{_js(wk.collective)},"sequence":"additional","affiliation":[]}}')
        return "[" + ",".join(out) + "]"

    def _abstract(self, wk: Work, rnd: Callable[[], float]) -> str:
        parts = []
        if rnd() < 0.3:
            parts.append("<jats:title>Abstract</jats:title>")
        for sec, text in self.f.abstract(wk.w, _structured(self.f.seed, wk.w)):
            body = f"<jats:p>{_esc(text)}</jats:p>"
            if sec >= 0:
                parts.append(
                    f"<jats:sec><jats:title>{_SECTIONS[sec][2]}</jats:title>{body}</jats:sec>"
                )
            else:
                parts.append(body)
        return "".join(parts)

    def _updated_by(self, wk: Work) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        w, seed = wk.w, self.f.seed
        if wk.correction:
            d = _date_add(wk.year, wk.month, wk.day, 30 + _mix(seed, w, S_CORRECT) % 400)
            out.append(
                _update(f"{DOI_PREFIX}correction.{w}", "correction", "Correction", "publisher", d)
            )
        if wk.eoc:
            d = _eoc_date(seed, wk)
            out.append(
                _update(
                    f"{DOI_PREFIX}eoc.{w}",
                    "expression_of_concern",
                    "Expression of Concern",
                    "publisher",
                    d,
                )
            )
        r = wk.retraction
        if r:
            for source in r.sources:
                entry = _update(r.notice_doi or "", "retraction", "Retraction", source, r.date)
                if source == "retraction-watch":
                    entry["record-id"] = str(r.record_id)
                out.append(entry)
        return out

    def _references(self, wk: Work) -> list[dict[str, Any]]:
        """A deposited reference list citing other works of the dump (or of none)."""
        f = self.f
        rnd = random.Random(_mix(f.seed, wk.w, S_REFS)).random
        n = max(1, round(wk.n_refs * self.f.plan.references / 35))
        out = []
        for i in range(n):
            ref: dict[str, Any] = {"key": f"{wk.doi}_ref{i + 1}"}
            target = int(rnd() * f.plan.records)
            target_doi = f.doi_of(target) if rnd() < 0.6 else None
            if target_doi:
                ref["doi-asserted-by"] = "publisher" if rnd() < 0.5 else "crossref"
                ref["DOI"] = target_doi
            tj = f.journal_of(target)
            ty = f.date_of(target)[0]
            if rnd() < 0.5:
                words = " ".join(f._word(rnd) for _ in range(6 + int(rnd() * 8)))
                ref["unstructured"] = (
                    f"{f.surname(rnd)} {chr(65 + int(rnd() * 26))}, et al. {_cap(words)}. "
                    f"{tj.ta}. {ty};{1 + int(rnd() * 60)}:{1 + int(rnd() * 900)}."
                )
            else:
                ref["volume"] = str(1 + int(rnd() * 60))
                ref["author"] = f.surname(rnd)
                ref["year"] = str(ty)
                ref["journal-title"] = tj.ta
                ref["first-page"] = str(1 + int(rnd() * 900))
            out.append(ref)
        return out


def _structured(seed: int, w: int) -> bool:
    return _unit(seed, w, S_ABSTRACT) < 0.35


def _update(
    doi: str, kind: str, label: str, source: str, d: tuple[int, int, int]
) -> dict[str, Any]:
    return {"DOI": doi, "type": kind, "label": label, "source": source, "updated": _stamp(*d, 0)}


def _eoc_date(seed: int, wk: Work) -> tuple[int, int, int]:
    y, m, d = _date_add(wk.year, wk.month, wk.day, 60 + _mix(seed, wk.w, S_EOC) % 300)
    if wk.retraction and (y, m, d) >= wk.retraction.date:
        y, m, d = _date_add(*wk.retraction.date, -30)
    return y, m, d


# ----------------------------------------------------------------------------- PubMed


class PubmedWriter:
    def __init__(self, factory: Factory) -> None:
        self.f = factory

    def article(self, wk: Work, ahead: bool = False, revised: bool = False) -> str:
        """One <PubmedArticle>, indented as the baseline files are. ``ahead``: the
        ahead-of-print citation an update will later complete; ``revised``: that update."""
        f, j = self.f, wk.journal
        rng = random.Random(_mix(f.seed, wk.w, S_PM))
        rnd = rng.random
        pmid = wk.pmid
        u = rnd()
        status = "MEDLINE" if u < 0.72 else ("PubMed-not-MEDLINE" if u < 0.95 else "In-Data-Review")
        if ahead:
            status = "Publisher"
        elif revised:
            status = "MEDLINE"
        y, m, d = wk.year, wk.month, wk.day
        done = _date_add(y, m, d, 30 + int(rnd() * 300))
        rev = _date_add(*done, int(rnd() * 2500))
        if rev[0] > YEAR_MAX:
            rev = (YEAR_MAX, 1 + int(rnd() * 12), 1 + int(rnd() * 28))
        if revised:
            rev = (2026, 1, 1 + int(rnd() * 28))
        if done > rev:
            done = rev
        o: list[str] = ["<PubmedArticle>\n"]
        method = ' IndexingMethod="Automated"' if status == "MEDLINE" and wk.year >= 2020 else ""
        o.append(
            f'  <MedlineCitation Status="{status}" Owner="{"Publisher" if ahead else "NLM"}"{method}>\n'
        )
        o.append(f'    <PMID Version="1">{pmid}</PMID>\n')
        if status == "MEDLINE":
            o.append(_xdate("DateCompleted", done, "    "))
        if not ahead:
            o.append(_xdate("DateRevised", rev, "    "))
        e_pub = wk.online is not None and wk.year >= 2000
        model = "Electronic" if wk.print_ is None else ("Print-Electronic" if e_pub else "Print")
        o.append(f'    <Article PubModel="{model}">\n      <Journal>\n')
        if j.eissn and (wk.print_ is None or not j.pissn):
            o.append(f'        <ISSN IssnType="Electronic">{j.eissn}</ISSN>\n')
        elif j.pissn:
            o.append(f'        <ISSN IssnType="Print">{j.pissn}</ISSN>\n')
        medium = "Internet" if wk.print_ is None else "Print"
        o.append(f'        <JournalIssue CitedMedium="{medium}">\n')
        if not ahead:
            if wk.volume:
                o.append(f"          <Volume>{wk.volume}</Volume>\n")
            if wk.issue:
                o.append(f"          <Issue>{wk.issue}</Issue>\n")
        o.append("          <PubDate>\n")
        if rnd() < 0.03 and not ahead and j.ipy and j.ipy <= 6:
            o.append(
                f"            <MedlineDate>{y} {_MONTHS[m - 1]}-{_MONTHS[min(11, m)]}</MedlineDate>\n"
            )
        else:
            o.append(f"            <Year>{y}</Year>\n            <Month>{_MONTHS[m - 1]}</Month>\n")
            if rnd() < 0.4 or ahead:
                o.append(f"            <Day>{d:02d}</Day>\n")
        o.append("          </PubDate>\n        </JournalIssue>\n")
        o.append(f"        <Title>{_esc(j.nlm_title)}</Title>\n")
        o.append(f"        <ISOAbbreviation>{_esc(j.iso)}</ISOAbbreviation>\n      </Journal>\n")
        title = wk.title_markup
        if wk.lang != "eng":
            title = f"[{title}]"
        if not title.endswith(("?", ".")):
            title += "."
        o.append(f"      <ArticleTitle>{title}</ArticleTitle>\n")
        if not ahead:
            if wk.elocator:
                o.append(
                    f"      <Pagination>\n        <StartPage>{wk.elocator}</StartPage>\n"
                    f"        <MedlinePgn>{wk.elocator}</MedlinePgn>\n      </Pagination>\n"
                )
            elif wk.fpage:
                pgn = _short_range(wk.fpage, wk.lpage or wk.fpage)
                if wk.year >= 2020 and rnd() < 0.7:
                    end = f"        <EndPage>{wk.lpage}</EndPage>\n" if wk.lpage != wk.fpage else ""
                    o.append(
                        f"      <Pagination>\n        <StartPage>{wk.fpage}</StartPage>\n{end}"
                        f"        <MedlinePgn>{pgn}</MedlinePgn>\n      </Pagination>\n"
                    )
                else:
                    o.append(
                        f"      <Pagination>\n        <MedlinePgn>{pgn}</MedlinePgn>\n      </Pagination>\n"
                    )
        if wk.doi and wk.year >= 2000:
            o.append(f'      <ELocationID EIdType="doi" ValidYN="Y">{wk.doi}</ELocationID>\n')
        if wk.elocator and j.paging == "elocator":
            o.append(f'      <ELocationID EIdType="pii" ValidYN="Y">{wk.elocator}</ELocationID>\n')
        if wk.abstract_pm:
            o.append("      <Abstract>\n")
            for sec, text in f.abstract(wk.w, _structured(f.seed, wk.w)):
                if sec >= 0:
                    label, cat, _ = _SECTIONS[sec]
                    o.append(
                        f'        <AbstractText Label="{label}" NlmCategory="{cat}">{_esc(text)}</AbstractText>\n'
                    )
                else:
                    o.append(f"        <AbstractText>{_esc(text)}</AbstractText>\n")
            if wk.year >= 2005 and rnd() < 0.3:
                o.append(
                    f"        <CopyrightInformation>© {wk.year} The Authors.</CopyrightInformation>\n"
                )
            o.append("      </Abstract>\n")
        if wk.authors or wk.collective:
            o.append('      <AuthorList CompleteYN="Y">\n')
            all_affs = wk.year >= 2014
            for i, a in enumerate(wk.authors):
                o.append('        <Author ValidYN="Y">\n')
                o.append(f"          <LastName>{_esc(a.family)}</LastName>\n")
                o.append(f"          <ForeName>{_esc(a.fore)}</ForeName>\n")
                o.append(f"          <Initials>{a.initials}</Initials>\n")
                if a.orcid:
                    o.append(f'          <Identifier Source="ORCID">{a.orcid}</Identifier>\n')
                if i == 0 or all_affs:
                    for aff in a.affiliations:
                        o.append(
                            "          <AffiliationInfo>\n"
                            f"            <Affiliation>{_esc(aff)}</Affiliation>\n"
                            "          </AffiliationInfo>\n"
                        )
                o.append("        </Author>\n")
            if wk.collective:
                o.append(
                    '        <Author ValidYN="Y">\n'
                    f"          <CollectiveName>{_esc(wk.collective)}</CollectiveName>\n"
                    "        </Author>\n"
                )
            o.append("      </AuthorList>\n")
        o.append(f"      <Language>{wk.lang}</Language>\n")
        if wk.year >= 1980 and rnd() < 0.2:
            fmt, acr, agency, country, codes = _GRANTS[int(rnd() * len(_GRANTS))]
            a = codes[int(rnd() * len(codes))]
            o.append('      <GrantList CompleteYN="Y">\n        <Grant>\n')
            o.append(f"          <GrantID>{fmt.format(a=a, n=int(rnd() * 99999))}</GrantID>\n")
            if acr:
                o.append(f"          <Acronym>{acr.format(a=a)}</Acronym>\n")
            o.append(
                f"          <Agency>{agency.format(a=a)}</Agency>\n"
                f"          <Country>{country}</Country>\n        </Grant>\n      </GrantList>\n"
            )
        o.append("      <PublicationTypeList>\n")
        for ui, name in self._pubtypes(wk, rnd):
            o.append(f'        <PublicationType UI="{ui}">{name}</PublicationType>\n')
        o.append("      </PublicationTypeList>\n")
        if e_pub:
            o.append(
                _xdate("ArticleDate", wk.online or (y, m, d), "      ", ' DateType="Electronic"')
            )
        o.append("    </Article>\n    <MedlineJournalInfo>\n")
        o.append(f"      <Country>{j.country}</Country>\n")
        o.append(f"      <MedlineTA>{_esc(j.ta)}</MedlineTA>\n")
        o.append(f"      <NlmUniqueID>{j.nlm_id}</NlmUniqueID>\n")
        if j.pissn or j.eissn:
            o.append(f"      <ISSNLinking>{j.pissn or j.eissn}</ISSNLinking>\n")
        o.append("    </MedlineJournalInfo>\n")
        if status == "MEDLINE":
            o.append("    <CitationSubset>IM</CitationSubset>\n")
        comments = self._comments(wk)
        if comments:
            o.append("    <CommentsCorrectionsList>\n")
            for ref_type, source, ref_pmid in comments:
                o.append(f'      <CommentsCorrections RefType="{ref_type}">\n')
                o.append(f"        <RefSource>{_esc(source)}</RefSource>\n")
                if ref_pmid:
                    o.append(f'        <PMID Version="1">{ref_pmid}</PMID>\n')
                o.append("      </CommentsCorrections>\n")
            o.append("    </CommentsCorrectionsList>\n")
        if status == "MEDLINE" and wk.notice_of is None:
            o.append(self._mesh(rng))
        if rnd() < 0.4 and wk.year >= 2005 and wk.notice_of is None:
            o.append('    <KeywordList Owner="NOTNLM">\n')
            for _ in range(3 + int(rnd() * 4)):
                o.append(f'      <Keyword MajorTopicYN="N">{f._word(rnd)}</Keyword>\n')
            o.append("    </KeywordList>\n")
        o.append("  </MedlineCitation>\n  <PubmedData>\n    <History>\n")
        received = _date_add(*(wk.online or (y, m, d)), -90 - int(rnd() * 200))
        accepted = _date_add(*(wk.online or (y, m, d)), -5 - int(rnd() * 40))
        if wk.year >= 1995:
            o.append(
                _xdate("PubMedPubDate", received, "      ", ' PubStatus="received"', pad=False)
            )
            o.append(
                _xdate("PubMedPubDate", accepted, "      ", ' PubStatus="accepted"', pad=False)
            )
        entrez = _date_add(*(wk.online or (y, m, d)), 1 + int(rnd() * 10))
        for st in ("entrez", "pubmed", "medline"):
            when = done if st == "medline" and status == "MEDLINE" else entrez
            hm = (6, 0) if st != "medline" else (6, 1)
            o.append(
                _xdate("PubMedPubDate", when, "      ", f' PubStatus="{st}"', pad=False, hm=hm)
            )
        o.append("    </History>\n")
        pstatus = "aheadofprint" if ahead else ("epublish" if wk.print_ is None else "ppublish")
        o.append(f"    <PublicationStatus>{pstatus}</PublicationStatus>\n    <ArticleIdList>\n")
        o.append(f'      <ArticleId IdType="pubmed">{pmid}</ArticleId>\n')
        if wk.year >= 2008 and rnd() < 0.3:
            o.append(f'      <ArticleId IdType="pmc">PMC{PMC_BASE + (wk.p or 0)}</ArticleId>\n')
        if wk.doi:
            o.append(f'      <ArticleId IdType="doi">{wk.doi}</ArticleId>\n')
        if j.pubkey == "elsevier" and wk.year >= 2000:
            o.append(
                f'      <ArticleId IdType="pii">S{(j.pissn or j.eissn).replace("-", "")}{wk.year % 100:02d}{wk.w:06d}</ArticleId>\n'
            )
        o.append("    </ArticleIdList>\n  </PubmedData>\n</PubmedArticle>\n")
        return "".join(o)

    def _pubtypes(self, wk: Work, rnd: Callable[[], float]) -> list[tuple[str, str]]:
        if wk.notice_of is not None:
            return [("D016440", "Retraction of Publication")]
        out = [("D016428", "Journal Article")]
        if wk.lang != "eng" and wk.abstract_pm:
            out.append(("D004740", "English Abstract"))
        for ui, name, share in _PUBTYPES:
            if rnd() < share:
                out.append((ui, name))
        if wk.retraction:
            out.append(("D016441", "Retracted Publication"))
        return sorted(out, key=lambda t: t[1])

    def _comments(self, wk: Work) -> list[tuple[str, str, int | None]]:
        f = self.f
        out: list[tuple[str, str, int | None]] = []
        if wk.correction:
            d = _date_add(wk.year, wk.month, wk.day, 30 + _mix(f.seed, wk.w, S_CORRECT) % 400)
            out.append(
                (
                    "ErratumIn",
                    f"{wk.journal.ta}. {d[0]} {_MONTHS[d[1] - 1]} {d[2]};{wk.volume}:{wk.fpage or wk.elocator or 1}",
                    None,
                )
            )
        if wk.eoc:
            d = _eoc_date(f.seed, wk)
            out.append(
                (
                    "ExpressionOfConcernIn",
                    f"{wk.journal.ta}. {d[0]} {_MONTHS[d[1] - 1]} {d[2]}. doi: {DOI_PREFIX}eoc.{wk.w}",
                    None,
                )
            )
        if wk.retraction:
            r = wk.retraction
            notice = f.work(r.notice_w)
            out.append(("RetractionIn", _ref_source(notice), r.notice_pmid))
        if wk.notice_of is not None:
            orig = f.work(wk.notice_of)
            out.append(("RetractionOf", _ref_source(orig), orig.pmid))
        return out

    def _mesh(self, rng: random.Random) -> str:
        t, rnd = self.f.t, rng.random
        chosen: list[tuple[str, str]] = []
        if rnd() < 0.7:
            chosen.append(("D006801", "Humans"))
            for ui, name, share in (
                ("D005260", "Female", 0.5),
                ("D008297", "Male", 0.5),
                ("D000328", "Adult", 0.35),
                ("D008875", "Middle Aged", 0.3),
                ("D000368", "Aged", 0.2),
            ):
                if rnd() < share:
                    chosen.append((ui, name))
        else:
            chosen.append(("D000818", "Animals"))
            chosen.append((("D051379", "Mice"), ("D051381", "Rats"))[int(rnd() * 2)])
        seen = {ui for ui, _ in chosen}
        for _ in range(3 + int(rnd() * 10)):
            ui, name = t.mesh[bisect(t.mesh_cum, rnd() * t.mesh_cum[-1]) % len(t.mesh)]
            if ui not in seen:
                seen.add(ui)
                chosen.append((ui, name))
        chosen.sort(key=lambda c: c[1].casefold())
        o = ["    <MeshHeadingList>\n"]
        for ui, name in chosen:
            major = "Y" if ui not in _CHECK_TAGS and rnd() < 0.25 else "N"
            o.append("      <MeshHeading>\n")
            o.append(
                f'        <DescriptorName UI="{ui}" MajorTopicYN="{major}">{_esc(name)}</DescriptorName>\n'
            )
            if rnd() < 0.35 and ui not in _CHECK_TAGS:
                q_ui, q_name = t.qualifiers[int(rnd() * rnd() * len(t.qualifiers))]
                o.append(
                    f'        <QualifierName UI="{q_ui}" MajorTopicYN="N">{_esc(q_name)}</QualifierName>\n'
                )
            o.append("      </MeshHeading>\n")
        o.append("    </MeshHeadingList>\n")
        return "".join(o)


def _xdate(
    tag: str,
    date: tuple[int, int, int],
    indent: str,
    attrs: str = "",
    pad: bool = True,
    hm: tuple[int, int] | None = None,
) -> str:
    y, m, d = date
    mm, dd = (f"{m:02d}", f"{d:02d}") if pad else (str(m), str(d))
    inner = indent + "  "
    extra = f"{inner}<Hour>{hm[0]}</Hour>\n{inner}<Minute>{hm[1]}</Minute>\n" if hm else ""
    return (
        f"{indent}<{tag}{attrs}>\n{inner}<Year>{y}</Year>\n{inner}<Month>{mm}</Month>\n"
        f"{inner}<Day>{dd}</Day>\n{extra}{indent}</{tag}>\n"
    )


def _short_range(first: str, last: str) -> str:
    """MEDLINE's page ranges: 1175-1182 -> 1175-82."""
    if last == first:
        return first
    if len(first) == len(last) and first.isdigit() and last.isdigit():
        i = 0
        while i < len(first) - 1 and first[i] == last[i]:
            i += 1
        return f"{first}-{last[i:]}"
    return f"{first}-{last}"


def _ref_source(wk: Work) -> str:
    """A CommentsCorrections RefSource: "J Abbrev. 2015 Mar 5;12(3):45-52. doi: ..."."""
    j = wk.journal
    issue = f"({wk.issue})" if wk.issue else ""
    pages = wk.elocator or (_short_range(wk.fpage, wk.lpage or wk.fpage) if wk.fpage else "")
    doi = f" doi: {wk.doi}." if wk.doi else ""
    return f"{j.ta}. {wk.year} {_MONTHS[wk.month - 1]} {wk.day};{wk.volume}{issue}:{pages}.{doi}"


# ----------------------------------------------------------------------------- files


class _GzipText:
    """Text into a gzip file, batched; mtime 0 and no file name, so output is reproducible."""

    def __init__(self, path: Path, level: int) -> None:
        self.raw = open(path, "wb")  # noqa: SIM115 - closed in close()
        self.gz = gzip.GzipFile(
            filename="", mode="wb", fileobj=self.raw, compresslevel=level, mtime=0
        )
        self.buf: list[str] = []
        self.pending = 0

    def write(self, text: str) -> None:
        self.buf.append(text)
        self.pending += len(text)
        if self.pending > 1 << 20:
            self.flush()

    def flush(self) -> None:
        self.gz.write("".join(self.buf).encode("utf-8"))
        self.buf, self.pending = [], 0

    def close(self) -> None:
        self.flush()
        self.gz.close()
        self.raw.close()


_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def _dump(item: dict[str, Any]) -> str:
    return _ENCODER.encode(item)


def write_crossref(plan: Plan, out: Path, k: int) -> tuple[int, int]:
    f = Factory(plan)
    cw = CrossrefWriter(f)
    start, stop = k * plan.crossref_per_file, min(plan.C, (k + 1) * plan.crossref_per_file)
    path = out / "crossref" / plan.crossref_name(k)
    gz = _GzipText(path, plan.compresslevel)
    jsonl = plan.fmt == "jsonl.gz"
    if not jsonl:
        gz.write('{"items":[')
    for c in range(start, stop):
        text = cw.text(f.work(c))
        if jsonl:
            gz.write(text + "\n")
        else:
            gz.write(text if c == start else "," + text)
    if not jsonl:
        gz.write("]}")
    gz.close()
    return stop - start, path.stat().st_size


def write_pubmed(plan: Plan, out: Path, fi: int) -> tuple[int, int]:
    f = Factory(plan)
    pw = PubmedWriter(f)
    start, stop = fi * plan.pubmed_per_file, min(plan.P, (fi + 1) * plan.pubmed_per_file)
    path = out / "pubmed" / plan.pubmed_name(fi)
    gz = _GzipText(path, plan.compresslevel)
    gz.write(PUBMED_HEADER)
    for p in range(start, stop):
        ahead = plan.update_files > 0 and plan.revised(p)
        gz.write(pw.article(f.work(plan.work_of_pubmed(p)), ahead=ahead))
    gz.write("</PubmedArticleSet>\n")
    gz.close()
    return stop - start, path.stat().st_size


def write_update(plan: Plan, out: Path, u: int) -> tuple[int, int]:
    f = Factory(plan)
    pw = PubmedWriter(f)
    start, stop = u * plan.update_span, min(plan.P, (u + 1) * plan.update_span)
    path = out / "pubmed" / plan.pubmed_name(plan.pubmed_files + u)
    gz = _GzipText(path, plan.compresslevel)
    gz.write(PUBMED_HEADER)
    n = 0
    deleted = []
    for p in range(start, stop):
        if plan.revised(p):
            gz.write(pw.article(f.work(plan.work_of_pubmed(p)), revised=True))
            n += 1
        elif plan.deleted(p):
            deleted.append(PMID_BASE + p)
    if deleted:
        gz.write("<DeleteCitation>\n")
        for pmid in deleted:
            gz.write(f'<PMID Version="1">{pmid}</PMID>\n')
        gz.write("</DeleteCitation>\n")
    gz.write("</PubmedArticleSet>\n")
    gz.close()
    return n + len(deleted), path.stat().st_size


# ----------------------------------------------------------------------------- Retraction Watch


def _us_date(d: tuple[int, int, int]) -> str:
    return f"{d[1]}/{d[2]}/{d[0]} 0:00"


def retraction_rows(plan: Plan) -> Iterator[list[str]]:
    """Rows for every retracted work (and expressions of concern), in Record ID order."""
    f = Factory(plan)
    for w in range(plan.records):
        if not (plan.retracted(w) or plan.eoc(w)):
            continue
        wk = f.work(w)
        rng = random.Random(_mix(plan.seed, w, S_RW))
        rnd = rng.random
        j = wk.journal
        insts = list(dict.fromkeys(a for au in wk.authors for a in au.affiliations))
        countries = list(dict.fromkeys(_RW_COUNTRY.get(a.country, a.country) for a in wk.authors))
        base = [
            wk.title,
            "".join(s + ";" for s in rng.sample(_RW_SUBJECTS, 1 + int(rnd() * 3))),
            "".join(i.rstrip(".") + ";" for i in insts),
            j.container if wk.doi and plan.in_crossref(w) else j.nlm_title,
            j.publisher,
            ";".join(countries),
            ";".join(f"{a.fore} {a.family}" for a in wk.authors),
        ]
        url = f"https://retractionwatch.com/{wk.year}/{wk.month:02d}/{wk.day:02d}/synthetic-{w}/"
        original_doi = wk.doi or "unavailable"
        if wk.doi and rnd() < 0.05:
            original_doi = wk.doi.upper()
        original_pmid = str(wk.pmid or 0)
        orig_date = _us_date(wk.online or (wk.year, wk.month, wk.day))
        reasons = "".join(r + ";" for r in sorted(rng.sample(_RW_REASONS, 1 + int(rnd() * 4))))
        notes = ""
        if rnd() < 0.1:
            notes = f"See also: https://pubpeer.com/publications/SYNTHETIC{_mix(plan.seed, w) & 0xFFFFFF:06X}"
        if wk.eoc:
            d = _eoc_date(plan.seed, wk)
            yield [
                str(RW_RECORD_BASE + 2 * w),
                *base,
                url if rnd() < 0.5 else "",
                _RW_TYPES[int(rnd() * len(_RW_TYPES))],
                _us_date(d),
                f"{DOI_PREFIX}eoc.{w}",
                "0",
                orig_date,
                original_doi,
                original_pmid,
                "Expression of concern" if rnd() < 0.8 else "Expression of Concern",
                "+Concerns/Issues About Data;+Investigation by Journal/Publisher;",
                "No",
                "",
            ]
        r = wk.retraction
        if r:
            notice_doi = r.notice_doi if r.notice_doi and rnd() >= 0.08 else "unavailable"
            yield [
                str(r.record_id),
                *base,
                url if rnd() < 0.6 else "",
                _RW_TYPES[int(rnd() * len(_RW_TYPES))],
                _us_date(r.date),
                notice_doi,
                str(r.notice_pmid or 0),
                orig_date,
                original_doi,
                original_pmid,
                "Retraction",
                reasons,
                ("No", "No", "No", "Yes", "Unknown")[int(rnd() * 5)],
                notes,
            ]


def write_retraction_watch(plan: Plan, out: Path) -> tuple[int, int]:
    path = out / "retraction_watch.csv"
    n = 0
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\r\n")
        writer.writerow(RW_HEADER)
        for row in retraction_rows(plan):
            writer.writerow(row)
            n += 1
    return n, path.stat().st_size


# ----------------------------------------------------------------------------- queries


def _initials_dotted(initials: str) -> str:
    return " ".join(f"{ch}." for ch in initials)


def _typo(word: str, r: float) -> str:
    i = 1 + int(r * 997) % (len(word) - 2)
    kind = int(r * 10007) % 3
    if kind == 0:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if kind == 1:
        return word[:i] + word[i + 1 :]
    return word[:i] + word[i] + word[i:]


def reference_string(wk: Work, style: str, rng: random.Random) -> tuple[str, list[str]]:
    """A reference to ``wk`` as an author would have typed it, with the noise applied."""
    rnd = rng.random
    j = wk.journal
    noise: list[str] = []
    authors = list(wk.authors)
    if authors and rnd() < 0.1:
        i = int(rnd() * min(len(authors), 3))
        a = authors[i]
        ini = a.initials[:1] if len(a.initials) > 1 else a.initials + chr(65 + int(rnd() * 26))
        authors[i] = a._replace(initials=ini)
        noise.append("initials")
    title = wk.title
    if rnd() < 0.15:
        words = title.split(" ")
        idx = [i for i, w in enumerate(words) if len(w) >= 5 and w.isalpha()]
        if idx:
            i = idx[int(rnd() * len(idx))]
            words[i] = _typo(words[i], rnd())
            title = " ".join(words)
            noise.append("title_typo")
    year = wk.year
    if rnd() < 0.02:
        year += 1 if rnd() < 0.5 else -1
        noise.append("year")
    doi = wk.doi
    if doi and rnd() < 0.35:
        doi = None
        noise.append("no_doi")
    pages = wk.elocator or ""
    if wk.fpage:
        pages = f"{wk.fpage}-{wk.lpage}" if wk.lpage and wk.lpage != wk.fpage else wk.fpage
        if (style in ("vancouver", "ama") and rnd() < 0.6) or rnd() < 0.1:
            short = _short_range(wk.fpage, wk.lpage or wk.fpage)
            if short != pages:
                pages = short
                noise.append("pages_abbrev")
    vol = wk.volume or ""
    iss = f"({wk.issue})" if wk.issue else ""
    end = "" if title.endswith(("?", "!")) else "."
    if style in ("vancouver", "ama"):
        limit, keep = (6, 6) if style == "vancouver" else (6, 3)
        names = [f"{a.family} {a.initials}" for a in authors]
        if wk.collective:
            names.append(wk.collective)
        if len(names) > limit:
            names = [*names[:keep], "et al"]
        who = ", ".join(names)
        s = f"{who}. {title}{end} {j.iso}. {year};{vol}{iss}:{pages}."
        if doi:
            s += f" doi:{doi}" if style == "ama" else f" doi: {doi}"
        return s, noise
    journal = j.container
    if rnd() < 0.4:
        journal = j.iso
        noise.append("journal_abbrev")
    if style == "apa":
        names = [f"{a.family}, {_initials_dotted(a.initials)}" for a in authors]
        if len(names) > 20:
            names = [*names[:19], "...", names[-1]]
            who = ", ".join(names)
        elif len(names) > 1:
            who = ", ".join(names[:-1]) + ", & " + names[-1]
        else:
            who = names[0] if names else (wk.collective or "")
        s = f"{who} ({year}). {title}{end} {journal}, {vol}{iss}, {pages}."
        if doi:
            s += f" https://doi.org/{doi}"
        return s, noise
    # nature
    names = [f"{a.family}, {_initials_dotted(a.initials)}" for a in authors]
    if len(names) > 5:
        who = f"{names[0]} et al."
    elif len(names) > 1:
        who = ", ".join(names[:-1]) + " & " + names[-1]
    else:
        who = names[0] if names else ""
    s = f"{who} {title}{end} {journal} {vol}, {pages} ({year})."
    if doi and rnd() < 0.5:
        s += f" https://doi.org/{doi}"
    return s, noise


def query_rows(plan: Plan) -> Iterator[list[str]]:
    f = Factory(plan)
    rng = random.Random(_mix(plan.seed, S_QUERY))
    absent = round(plan.queries * ABSENT_QUERIES)
    present = plan.queries - absent
    chosen: list[int] = []
    pool = rng.sample(range(plan.records), min(plan.records, present * 2 + 50))
    for w in pool:
        if len(chosen) >= present:
            break
        p = plan.pubmed_of_work(w)
        if plan.kind(w) != "journal-article" or plan.notice(w):
            continue
        if p is not None and plan.deleted(p) and not plan.in_crossref(w):
            continue
        chosen.append(w)
    chosen += [plan.records + i for i in range(absent)]
    rng.shuffle(chosen)
    styles = ["vancouver"] * 35 + ["ama"] * 20 + ["apa"] * 30 + ["nature"] * 15
    for qi, w in enumerate(chosen):
        wk = f.work(w)
        if not wk.authors and not wk.collective:
            continue
        style = styles[int(rng.random() * len(styles))]
        text, noise = reference_string(wk, style, rng)
        expected_doi = wk.doi if w < plan.C else ""
        if plan.C <= w < plan.records:
            expected_doi = wk.doi or ""  # a DOI only PubMed knows
        p = plan.pubmed_of_work(w)
        expected_pmid = str(PMID_BASE + p) if p is not None and not plan.deleted(p) else ""
        if w >= plan.records:
            expected_doi = expected_pmid = ""
            noise.append("not_in_dump")
        yield [f"q{qi + 1}", style, ",".join(noise), expected_doi or "", expected_pmid, text]


def write_queries(plan: Plan, out: Path) -> tuple[int, int]:
    path = out / "queries.tsv"
    n = 0
    with open(path, "w", encoding="utf-8", newline="") as fh:
        fh.write("\t".join(QUERY_HEADER) + "\n")
        for row in query_rows(plan):
            fh.write("\t".join(x.replace("\t", " ") for x in row) + "\n")
            n += 1
    return n, path.stat().st_size


# ----------------------------------------------------------------------------- running


def _tasks(plan: Plan) -> list[tuple[str, int]]:
    """Largest first, so two processes finish together."""
    tasks = [("pubmed", i) for i in range(plan.pubmed_files)]
    tasks += [("update", i) for i in range(plan.update_files)]
    tasks += [("rw", 0), ("queries", 0)]
    tasks += [("crossref", i) for i in range(plan.crossref_files)]
    return tasks


_RUNNERS: dict[str, Callable[[Plan, Path, int], tuple[int, int]]] = {
    "crossref": write_crossref,
    "pubmed": write_pubmed,
    "update": write_update,
    "rw": lambda plan, out, _: write_retraction_watch(plan, out),
    "queries": lambda plan, out, _: write_queries(plan, out),
}


def _run(args: tuple[Plan, Path, str, int]) -> tuple[str, int, int]:
    plan, out, kind, i = args
    n, size = _RUNNERS[kind](plan, out, i)
    return kind, n, size


def generate(out: Path, plan: Plan, jobs: int = 1, progress: bool = False) -> dict[str, Any]:
    """Write every file of the plan under ``out``; return the manifest (also written)."""
    out.mkdir(parents=True, exist_ok=True)
    (out / "crossref").mkdir(exist_ok=True)
    (out / "pubmed").mkdir(exist_ok=True)
    started = time.perf_counter()
    counts: dict[str, int] = {}
    sizes: dict[str, int] = {}
    files: dict[str, int] = {}
    work = [(plan, out, kind, i) for kind, i in _tasks(plan)]
    if jobs <= 1:
        results: Iterator[tuple[str, int, int]] = map(_run, work)
        pool = None
    else:
        pool = get_context("fork" if sys.platform != "win32" else "spawn").Pool(jobs)
        results = pool.imap_unordered(_run, work, chunksize=1)
    try:
        for done, (kind, n, size) in enumerate(results, 1):
            counts[kind] = counts.get(kind, 0) + n
            sizes[kind] = sizes.get(kind, 0) + size
            files[kind] = files.get(kind, 0) + 1
            if progress and (done % 20 == 0 or done == len(work)):
                print(
                    f"  {done}/{len(work)} files, {time.perf_counter() - started:.0f} s",
                    file=sys.stderr,
                )
    finally:
        if pool is not None:
            pool.close()
            pool.join()
    seconds = time.perf_counter() - started
    records = counts.get("crossref", 0) + counts.get("pubmed", 0)
    manifest = {
        "generator": "benchmarks/index_data.py",
        "parameters": {
            "records": plan.records,
            "pubmed_share": plan.pubmed_share,
            "seed": plan.seed,
            "format": plan.fmt,
            "queries": plan.queries,
            "references": plan.references,
            "update_share": plan.update_share,
            "crossref_per_file": plan.crossref_per_file,
            "pubmed_per_file": plan.pubmed_per_file,
            "compresslevel": plan.compresslevel,
            "retracted": plan.retracted_share,
            "deleted": plan.deleted_share,
        },
        "works": {
            "crossref": plan.C,
            "pubmed": plan.P,
            "both": plan.S,
            "pubmed_only": plan.pubmed_only,
        },
        "written": {
            k: {"files": files[k], "entries": counts[k], "bytes": sizes[k]} for k in sorted(counts)
        },
        "seconds": round(seconds, 2),
        "records_per_second": round(records / seconds) if seconds else None,
        "jobs": jobs,
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out", type=Path, help="output directory")
    ap.add_argument(
        "--records", type=int, default=2_000_000, help="distinct works (default 2,000,000)"
    )
    ap.add_argument(
        "--pubmed-share", type=float, default=0.5, help="share of works with a PubMed record"
    )
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument(
        "--format", choices=("json.gz", "jsonl.gz"), default="json.gz", help="Crossref dump form"
    )
    ap.add_argument("--queries", type=int, default=2000, help="reference strings in queries.tsv")
    ap.add_argument(
        "--references",
        type=float,
        default=0.0,
        help="mean length of Crossref reference lists to include (real dumps: ~35; default 0, none)",
    )
    ap.add_argument(
        "--update-share",
        type=float,
        default=0.01,
        help="PubMed records revised by update files (0: none)",
    )
    ap.add_argument("--crossref-per-file", type=int, default=5000)
    ap.add_argument("--pubmed-per-file", type=int, default=30000)
    ap.add_argument(
        "--compresslevel",
        type=int,
        default=3,
        help="gzip level (default 3; the real dumps use 6: 10-15 %% smaller, generation ~30 %% slower)",
    )
    ap.add_argument("--retracted", type=float, default=RETRACTED, help="share of works retracted")
    ap.add_argument(
        "--deleted", type=float, default=DELETED, help="share of PubMed records deleted by updates"
    )
    ap.add_argument(
        "--jobs", type=int, default=os.cpu_count() or 1, help="processes (default: all cores)"
    )
    a = ap.parse_args(argv)
    plan = Plan(
        a.records,
        a.pubmed_share,
        a.seed,
        a.format,
        a.queries,
        a.references,
        a.update_share,
        a.crossref_per_file,
        a.pubmed_per_file,
        a.compresslevel,
        a.retracted,
        a.deleted,
    )
    print(
        f"{plan.records:,} works: {plan.C:,} Crossref items in {plan.crossref_files:,} files, "
        f"{plan.P:,} PubMed records ({plan.S:,} shared) in {plan.pubmed_files:,} baseline "
        f"+ {plan.update_files} update files; {a.jobs} processes",
        file=sys.stderr,
    )
    m = generate(a.out, plan, jobs=a.jobs, progress=True)
    total = sum(v["bytes"] for v in m["written"].values())
    rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss if a.jobs > 1 else 0
    rss = max(rss, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
    for kind, v in m["written"].items():
        print(
            f"{kind:9} {v['files']:6,} files {v['entries']:12,} entries {v['bytes'] / 1e6:10.1f} MB"
        )
    print(
        f"{m['seconds']:.1f} s, {m['records_per_second']:,} records/s "
        f"(Crossref items + PubMed baseline records), {total / 1e6:,.1f} MB, "
        f"peak RSS of one process {rss / 1024:.0f} MiB"
    )
    return 0


# ----------------------------------------------------------------------------- data

_MESH = """\
006801=Humans; 005260=Female; 008297=Male; 000818=Animals; 008875=Middle Aged; 000328=Adult;
000368=Aged; 014481=United States; 051381=Rats; 051379=Mice; 000293=Adolescent; 002648=Child;
008969=Molecular Sequence Data; 012307=Risk Factors; 015398=Signal Transduction;
000900=Anti-Bacterial Agents; 016896=Treatment Outcome; 000369=Aged, 80 and over; 000595=Amino
Acid Sequence; 001483=Base Sequence; 009369=Neoplasms; 005500=Follow-Up Studies;
011446=Prospective Studies; 000465=Algorithms; 013329=Structure-Activity Relationship;
009154=Mutation; 006113=United Kingdom; 002675=Child, Preschool; 055815=Young Adult;
000086382=COVID-19; 007700=Kinetics; 011859=Radiography; 002318=Cardiovascular Diseases;
004247=DNA; 012333=RNA, Messenger; 011795=Surveys and Questionnaires; 001426=Bacterial
Proteins; 014158=Transcription, Genetic; 002118=Calcium; 013026=Space Flight; 016032=Randomized
Controlled Trials as Topic; 004311=Double-Blind Method; 001419=Bacteria; 013997=Time Factors;
007223=Infant; 004562=Electrocardiography; 011379=Prognosis; 000970=Antineoplastic Agents;
003863=Depression; 003198=Computer Simulation; 015658=HIV Infections; 013223=Statistics as
Topic; 011485=Protein Binding; 016022=Case-Control Studies; 001007=Anxiety;
019295=Computational Biology; 030541=Databases, Genetic; 004285=Dogs; 008826=Microbial
Sensitivity Tests; 007231=Infant, Newborn; 017207=Rats, Sprague-Dawley; 014157=Transcription
Factors; 004452=Echocardiography; 006321=Heart; 015203=Reproducibility of Results;
003937=Diagnosis, Differential; 015995=Prevalence; 050723=Fractures, Bone; 005060=Europe;
011237=Predictive Value of Tests; 008565=Membrane Proteins; 017386=Sequence Homology, Amino
Acid; 015397=Program Evaluation; 003430=Cross-Sectional Studies; 011247=Pregnancy;
004305=Dose-Response Relationship, Drug; 005269=Femur; 007674=Kidney Diseases; 049711=History,
Modern 1601-; 049673=History, 20th Century; 018557=United States National Aeronautics and Space
Administration; 000367=Age Factors; 012959=Socioeconomic Factors; 011634=Public Health;
014057=Tomography, X-Ray Computed; 002681=China; 000086402=SARS-CoV-2; 004784=Environmental
Monitoring; 007603=Jurisprudence; 008403=Mass Screening; 011287=Prejudice; 011640=Public
Policy; 001665=Binding Sites; 010084=Oxidation-Reduction; 010641=Phenotype; 013045=Species
Specificity; 000998=Antiviral Agents; 010936=Plant Extracts; 015394=Molecular Structure;
010146=Pain; 010353=Patient Education as Topic; 017202=Myocardial Ischemia;
009202=Cardiomyopathies; 006331=Heart Diseases; 014150=Antipsychotic Agents; 009043=Motor
Activity; 017208=Rats, Wistar; 004268=DNA-Binding Proteins; 002460=Cell Line; 006367=HeLa
Cells; 020125=Mutation, Missense; 011401=Promoter Regions, Genetic; 000894=Anti-Inflammatory
Agents, Non-Steroidal; 013237=Stereoisomerism; 001943=Breast Neoplasms; 014644=Genetic
Variation; 016487=Parenting; 004345=Drug Industry; 019143=Evolution, Molecular; 012313=RNA;
011788=Quality of Life; 010944=Plants; 010802=Phylogeny; 011110=Polymorphism, Genetic;
008962=Models, Theoretical; 003710=Demography; 014943=Global Health; 003657=Decision Making;
000028=Abortion, Induced; 004252=DNA Mutational Analysis; 002352=Carrier Proteins;
012106=Research; 018531=Spacecraft; 014893=Weightlessness; 000975=Antioxidants; 004359=Drug
Therapy, Combination; 009638=Norepinephrine; 035843=Biomedical Research; 010820=Physicians;
007668=Kidney; 049692=History, Early Modern 1451-1600; 003920=Diabetes Mellitus;
012984=Software; 045744=Cell Line, Tumor; 039781=PubMed; 012008=Recurrence; 005838=Genotype;
001315=Australia; 007249=Inflammation; 001688=Biological Products; 014495=Universities;
008113=Liver Neoplasms; 017753=Ecosystem; 008175=Lung Neoplasms; 003287=Contrast Media;
008264=Macrophages; 004032=Diet; 002961=Civil Rights; 012926=Social Control, Formal;
007501=Iron; 011487=Protein Conformation; 013696=Temperature; 002462=Cell Membrane;
013094=Spermatozoa; 000230=Adenocarcinoma; 000483=Alleles; 016017=Odds Ratio; 010190=Pancreatic
Neoplasms; 020641=Polymorphism, Single Nucleotide; 008593=Menopause; 005227=Fatty Acids;
007194=India; 012639=Seeds; 005966=Glucuronidase; 015151=Immunoblotting; 010975=Platelet
Aggregation Inhibitors; 012306=Risk; 054556=Venous Thromboembolism; 001696=Biomechanical
Phenomena; 008968=Molecular Conformation; 010406=Penicillins; 047090=beta-Lactams;
004926=Escherichia coli; 005798=Genes, Bacterial; 008970=Molecular Weight; 012995=Solubility;
014867=Water; 014025=Titanium; 014682=Vena Cava, Inferior; 005314=Embryonic and Fetal
Development; 015996=Survival Rate; 000255=Adenosine Triphosphate;
017871=Calcium-Calmodulin-Dependent Protein Kinases; 002455=Cell Division; 002478=Cells,
Cultured; 011518=Proto-Oncogene Proteins; 002908=Chronic Disease; 003327=Coronary Disease;
026741=Physical Therapy Modalities; 000375=Aging; 007413=Intestinal Mucosa; 010950=Plasma
Cells; 007442=Intubation, Intratracheal; 009206=Myocardium; 002423=Cause of Death;
003866=Depressive Disorder; 001522=Behavior, Animal; 007722=Health Knowledge, Attitudes,
Practice; 019943=Amino Acid Substitution; 017149=Private Sector; 016387=Women's Health;
010946=Plants, Medicinal; 019359=Knowledge; 012922=Social Change; 005541=Forced Expiratory
Volume; 002412=Cations; 017433=Protein Structure, Secondary; 005786=Gene Expression Regulation;
015810=Linkage Disequilibrium; 004353=Drug Evaluation, Preclinical; 011355=Prodrugs;
019313=BRCA1 Protein; 024682=BRCA2 Protein; 004847=Epithelial Cells; 015972=Gene Expression
Regulation, Neoplastic; 009363=Neoplasm Proteins; 010051=Ovarian Neoplasms; 017384=Sequence
Deletion; 007093=Imidazoles; 008425=Maternal Behavior; 009034=Mother-Child Relations;
012649=Self Concept; 005089=Exocytosis; 015850=Interleukin-6; 008168=Lung; 016000=Cluster
Analysis; 011203=Poverty; 002585=Cesarean Section; 002874=Chromosome Mapping; 011506=Proteins;
017150=Public Sector; 017422=Sequence Analysis, DNA; 002311=Cardiomyopathy, Dilated;
002312=Cardiomyopathy, Hypertrophic; 016757=Death, Sudden, Cardiac; 017147=Defibrillators,
Implantable; 014693=Ventricular Fibrillation; 017060=Patient Satisfaction; 004318=Doxycycline;
010518=Periodontitis; 008024=Ligands; 000704=Analysis of Variance; 013499=Surface Properties;
000071838=Fibrillin-1; 000071837=Fibrillins; 016368=Frameshift Mutation; 008382=Marfan
Syndrome; 008840=Microfilament Proteins; 018522=Gravitropism; 018517=Plant Roots; 005787=Gene
Frequency; 007585=Jews; 004992=Ethics, Medical; 005333=Fetus; 007391=International Cooperation;
012141=Respiratory Tract Infections; 011996=Records as Topic; 048868=Adaptor Proteins, Signal
Transducing; 005192=Family Health; 009687=Nuclear Proteins; 012109=Research Support as Topic;
015444=Exercise; 001690=Biological Science Disciplines; 004867=Equipment Design;
005118=Extraterrestrial Environment; 005069=Evaluation Studies as Topic; 005247=Feeding
Behavior; 005518=Food Preferences; 006657=Histones; 012107=Research Design; 003695=Delivery of
Health Care; 006301=Health Services Needs and Demand; 006358=Hot Temperature; 011786=Quality
Control; 009169=Mycobacterium tuberculosis; 009419=Nerve Tissue Proteins; 016415=Sequence
Alignment; 026688=Bioethical Issues; 006805=Human Experimentation; 001291=Attitude of Health
Personnel; 001185=Artificial Intelligence; 004467=Economics; 001877=Books; 049672=History, 19th
Century; 001782=Blood Donors; 016030=Kidney Transplantation; 015663=Osteoporosis,
Postmenopausal; 007398=Interpersonal Relations; 018482=Muscle, Skeletal; 008020=Life Support
Care; 016312=Treatment Refusal; 000971=Antineoplastic Combined Chemotherapy Protocols;
011879=Radiotherapy Dosage; 012189=Retrospective Studies; 016019=Survival Analysis;
004195=Disease Models, Animal; 001201=Ascites; 001706=Biopsy; 008103=Liver Cirrhosis;
001792=Blood Platelets; 012367=RNA, Viral; 004249=DNA Damage; 001794=Blood Pressure;
008393=Marriage; 049109=Cell Proliferation; 019175=DNA Methylation; 044127=Epigenesis, Genetic;
018507=Gene Expression Regulation, Developmental; 002454=Cell Differentiation; 009432=Neural
Crest; 020411=Oligonucleotide Array Sequence Analysis; 017698=Postmenopause; 020407=Internet;
009317=National Library of Medicine (U.S.); 016247=Information Storage and Retrieval;
046650=Medical Subject Headings; 000889=Anti-Arrhythmia Agents; 017115=Catheter Ablation;
005764=Gastroesophageal Reflux; 019380=Anti-HIV Agents; 018791=CD4 Lymphocyte Count;
015331=Cohort Studies; 015497=HIV-1; 018570=Risk Assessment; 000935=Antifungal Agents;
014857=Warfare; 001921=Brain; 004797=Enzyme-Linked Immunosorbent Assay; 000914=Antibodies,
Viral; 004165=Diphtheria; 003353=Corynebacterium diphtheriae; 008954=Models, Biological;
007719=Knee Joint; 008279=Magnetic Resonance Imaging; 019587=Dietary Supplements;
049690=History, Ancient; 012098=Reproduction; 009474=Neurons; 012720=Severity of Illness Index;
000208=Acute Disease; 000925=Anticoagulants; 011655=Pulmonary Embolism; 005658=Fungi;
018384=Oxidative Stress; 018796=Immunoconjugates; 058873=Pandemics; 005762=Gastroenterology;
002289=Carcinoma, Non-Small-Cell Lung; 001281=Atrial Fibrillation; 020521=Stroke;
009132=Muscles; 002264=Carboxylic Acids; 014874=Water Pollutants, Chemical;
050197=Atherosclerosis; 016503=Drug Delivery Systems; 053758=Nanoparticles; 054328=Proton Pump
Inhibitors; 004755=Enterobacteriaceae; 065093=beta-Lactamase Inhibitors;
001618=beta-Lactamases; 019047=Phantoms, Imaging; 014965=X-Rays; 000073496=Frailty;
009010=Monte Carlo Method; 000069196=Gastrointestinal Microbiome; 013334=Students;
055118=Medication Adherence; 005355=Fibrosis; 008810=Mice, Inbred C57BL; 015415=Biomarkers;
006528=Carcinoma, Hepatocellular; 004338=Drug Combinations; 015492=AIDS Serodiagnosis;
000163=Acquired Immunodeficiency Syndrome; 006679=HIV Seropositivity; 035846=Law Enforcement;
008913=Minority Groups; 016134=Organizational Policy; 005791=Patient Care; 011329=Prisoners;
011790=Quarantine; 013240=Stereotyping; 002844=Chromatium; 003574=Cytochrome c Group;
004578=Electron Spin Resonance Spectroscopy; 005415=Flavins; 006418=Heme; 006863=Hydrogen-Ion
Concentration; 008280=Magnetics; 015925=Cryopreservation; 008854=Microscopy, Electron;
008855=Microscopy, Electron, Scanning; 009685=Nuclear Envelope; 021541=Sea Bream; 012662=Semen
Preservation; 013081=Sperm Motility; 007962=Leukocytes; 019098=Telomerase; 059506=Telomere
Shortening; 002369=Castration; 004644=Emotions; 004958=Estradiol; 007044=Hysterectomy;
008568=Memory; 011581=Psychological Tests; 015870=Gene Expression; 018875=Vocabulary,
Controlled; 000045=Acacia; 004041=Dietary Fats; 005410=Flame Ionization; 019787=Linoleic Acid;
019301=Oleic Acid; 010938=Plant Oils; 000504=Aloe; 004686=Encephalomyocarditis virus;
018745=Genome, Plant; 016898=Interferon-alpha; 018515=Plant Leaves; 030821=Plants, Genetically
Modified; 019076=Transgenes; 001241=Aspirin; 006470=Hemorrhage; 015994=Incidence;
055502=Secondary Prevention; 002321=Career Choice; 000066=Accounting; 004469=Economics,
Hospital; 006739=Hospital Administration; 000047=Academies and Institutes; 001530=Belgium;
000085=Acetates; 000924=Anticholesteremic Agents; 055598=Chemical Phenomena; 002621=Chemistry;
002784=Cholesterol; 019161=Hydroxymethylglutaryl-CoA Reductase Inhibitors; 008148=Lovastatin;
010100=Oxygen; 019821=Simvastatin; 065098=Catechol O-Methyltransferase Inhibitors;
004927=Escherichia coli Infections; 007202=Indicators and Reagents; 008815=Mice, Inbred
Strains; 011552=Pseudomonas Infections; 004558=Electric Stimulation; 006624=Hippocampus;
012018=Reflex; 001412=Bacillus subtilis; 002384=Catalysis; 003001=Cloning, Molecular;
005294=Ferrochelatase; 017353=Gene Deletion; 002405=Catheterization, Central Venous;
016306=Vena Cava Filters; 002657=Child Development; 005317=Fetal Growth Retardation;
009747=Nutritional Physiological Phenomena; 001011=Aorta; 002452=Cell Count; 004789=Enzyme
Activation; 005110=Extracellular Space; 019204=GTP-Binding Proteins; 066298=In Vitro
Techniques; 007930=Leucine; 009131=Muscle, Smooth, Vascular; 011493=Protein Kinase C;
017346=Protein-Serine-Threonine Kinases; 019908=Proto-Oncogene Proteins c-raf;
018048=Receptors, Purinergic P2; 013268=Stimulation, Chemical; 013936=Thymidine;
014316=Tritium; 002470=Cell Survival; 002940=Circadian Rhythm; 004280=Dobutamine;
009200=Myocardial Contraction; 009204=Myocardial Revascularization; 011877=Radionuclide
Imaging; 012146=Rest; 013599=Systole; 013794=Thallium Radioisotopes; 018487=Ventricular
Dysfunction, Left; 015670=Acupuncture Therapy; 002684=Chiropractic; 016206=Databases,
Bibliographic; 008349=Manipulation, Orthopedic; 019838=Neck Injuries; 059408=Pain Management;
014947=Wounds and Injuries; 003106=Colon; 004386=Duodenum; 015321=Gene Rearrangement;
005803=Genes, Immunoglobulin; 007143=Immunoglobulin Heavy Chains; 007135=Immunoglobulin
Variable Region; 009928=Organ Specificity; 009324=Naturopathy; 011208=Powders; 012822=Silicon
Dioxide; 012829=Silicosis; 001026=Coronary Artery Bypass; 011182=Postoperative Care;
011184=Postoperative Period; 017116=Low Back Pain; 008161=Lumbosacral Region; 013130=Spinal
Stenosis; 013664=Teaching Materials; 016174=Hepacivirus; 006526=Hepatitis C; 018937=Hepatitis C
Antibodies; 007564=Japan; 016470=Bacteremia; 003422=Critical Care; 012772=Shock, Septic;
013530=Surgical Wound Infection; 018746=Systemic Inflammatory Response Syndrome;
005473=Fluoxetine; 016666=Fluvoxamine; 017367=Serotonin Uptake Inhibitors; 002108=Ceruletide;
002766=Cholecystokinin; 005765=Gastrointestinal Agents; 006220=Haloperidol; 007279=Injections,
Subcutaneous; 011618=Psychotic Disorders; 011949=Receptors, Cholecystokinin; 013216=Reflex,
Startle; 013758=Tetragastrin; 014118=Toxins, Biological; 000074606=Smoking Prevention;
000402=Airway Obstruction; 000776=Anesthesiology; 000779=Anesthetics, Local; 002574=Cervical
Vertebrae; 016292=Conscious Sedation; 020704=Laryngoscopes; 007828=Laryngoscopy;
014139=Tracheostomy; 016512=Ankle Injuries; 003661=Decision Support Techniques;
004630=Emergencies; 005121=Extremities
"""

_QUALIFIERS = """\
000378=metabolism; 000235=genetics; 000494=pharmacology; 000502=physiology; 000737=chemistry;
000627=therapeutic use; 000628=therapy; 000473=pathology; 000379=methods; 000188=drug therapy;
000175=diagnosis; 000187=drug effects; 000008=administration & dosage; 000000981=diagnostic
imaging; 000209=etiology; 000009=adverse effects; 000097=blood; 000150=complications;
000453=epidemiology; 000276=immunology; 000032=analysis; 000523=psychology; 000138=chemical
synthesis; 000503=physiopathology; 000601=surgery; 000382=microbiology; 000517=prevention &
control; 000266=history; 000648=ultrastructure; 000201=enzymology; 000493=pharmacokinetics;
000401=mortality; 000166=cytology; 000302=isolation & purification; 000592=standards;
000139=chemically induced; 000096=biosynthesis; 000037=antagonists & inhibitors;
000145=classification; 000031=analogs & derivatives; 000331=legislation & jurisprudence;
000639=trends; 000254=growth & development; 000706=statistics & numerical data;
000191=economics; 000821=virology; 000295=instrumentation; 000458=organization &
administration; 000002=abnormalities; 000557=secretion; 000652=urine; 000033=anatomy &
histology; 000193=education; 000293=injuries; 000472=pathogenicity; 000532=radiotherapy;
000600=supply & distribution; 000534=rehabilitation; 000506=poisoning; 000208=ethnology;
000819=agonists; 000178=diet therapy; 000196=embryology; 000635=transmission; 000633=toxicity;
000941=ethics; 000172=deficiency
"""

_JOURNALS = """\
PloS one|PLoS ONE|PLoS One||1932-6203|101285081|United States
Scientific reports|Sci Rep|Sci Rep||2045-2322|101563288|England
International journal of molecular sciences|Int J Mol Sci|Int J Mol Sci||1422-0067|101092791|Switzerland
Proceedings of the National Academy of Sciences of the United States of America|Proc. Natl. Acad. Sci. U.S.A.|Proc Natl Acad Sci U S A|0027-8424||7505876|United States
The Journal of biological chemistry|J. Biol. Chem.|J Biol Chem|0021-9258||2985121R|United States
Frontiers in microbiology|Front Microbiol|Front Microbiol|1664-302X||101548977|Switzerland
Nucleic acids research|Nucleic Acids Res.|Nucleic Acids Res|0305-1048|1362-4962|0411011|England
eLife|Elife|Elife||2050-084X|101579614|England
The Cochrane database of systematic reviews|Cochrane Database Syst Rev|Cochrane Database Syst Rev|1361-6137|1469-493X|100909747|England
BMJ (Clinical research ed.)|BMJ|BMJ|0959-8138|1756-1833|8900488|England
Frontiers in pharmacology|Front Pharmacol|Front Pharmacol|1663-9812||101548923|Switzerland
Journal of immunology (Baltimore, Md. : 1950)|J. Immunol.|J Immunol|0022-1767||2985117R|United States
Nature|Nature|Nature|0028-0836||0410462|England
Science (New York, N.Y.)|Science|Science|0036-8075||0404511|United States
The New England journal of medicine|N Engl J Med|N Engl J Med|0028-4793|1533-4406|0255562|United States
Lancet (London, England)|Lancet|Lancet|0140-6736||2985213R|England
Circulation|Circulation|Circulation|0009-7322||0147763|United States
Journal of agricultural and food chemistry|J Agric Food Chem|J Agric Food Chem|0021-8561|1520-5118|0374755|United States
Frontiers in plant science|Front Plant Sci|Front Plant Sci|1664-462X||101568200|Switzerland
PeerJ|PeerJ|PeerJ|2167-8359||101603425|United States
Frontiers in neuroscience|Front Neurosci|Front Neurosci|1662-4548||101478481|Switzerland
Journal of medicinal chemistry|J. Med. Chem.|J Med Chem|0022-2623||9716531|United States
JAMA|JAMA|JAMA|0098-7484||7501160|United States
Cancer management and research|Cancer Manag Res|Cancer Manag Res|1179-1322||101512700|New Zealand
Antimicrobial agents and chemotherapy|Antimicrob Agents Chemother|Antimicrob Agents Chemother|0066-4804|1098-6596|0315061|United States
The Journal of neuroscience : the official journal of the Society for Neuroscience|J. Neurosci.|J Neurosci|0270-6474|1529-2401|8102140|United States
International journal of nanomedicine|Int J Nanomedicine|Int J Nanomedicine|1176-9114|1178-2013|101263847|New Zealand
Frontiers in physiology|Front Physiol|Front Physiol|1664-042X||101549006|Switzerland
European journal of pharmacology|Eur. J. Pharmacol.|Eur J Pharmacol|0014-2999|1879-0712|1254354|Netherlands
Clinical infectious diseases : an official publication of the Infectious Diseases Society of America|Clin Infect Dis|Clin Infect Dis|1058-4838|1537-6591|9203213|United States
Biochimica et biophysica acta|Biochim Biophys Acta|Biochim Biophys Acta|0006-3002||0217513|Netherlands
Cryobiology|Cryobiology|Cryobiology|0011-2240||0006252|Netherlands
Journal of magnetic resonance (San Diego, Calif. : 1997)|J Magn Reson|J Magn Reson|1090-7807||9707935|United States
Gut|Gut|Gut|0017-5749|1468-3288|2985108R|England
Occupational and environmental medicine|Occup Environ Med|Occup Environ Med|1351-0711|1470-7926|9422759|England
Journal of medical imaging (Bellingham, Wash.)|J Med Imaging (Bellingham)|J Med Imaging (Bellingham)|2329-4302||101643461|United States
Frontiers of hormone research|Front Horm Res|Front Horm Res|0301-3073||0320246|Switzerland
Clinical genetics|Clin Genet|Clin Genet|0009-9163|1399-0004|0253664|Denmark
Journal of the science of food and agriculture|J Sci Food Agric|J Sci Food Agric|0022-5142|1097-0010|0376334|England
Transgenic research|Transgenic Res|Transgenic Res|0962-8819|1573-9368|9209120|Netherlands
Frontiers in neuroinformatics|Front Neuroinform|Front Neuroinform||1662-5196|101477957|Switzerland
Journal of clinical orthodontics : JCO|J Clin Orthod|J Clin Orthod|0022-3875||0243471|United States
Bulletin et memoires de l'Academie royale de medecine de Belgique|Bull. Mem. Acad. R. Med. Belg.|Bull Mem Acad R Med Belg|0377-8231||7608462|Belgium
The Journal of antibiotics|J. Antibiot.|J Antibiot (Tokyo)|0021-8820||0151115|Japan
European journal of biochemistry|Eur. J. Biochem.|Eur J Biochem|0014-2956||0107600|England
Journal of vascular and interventional radiology : JVIR|J Vasc Interv Radiol|J Vasc Interv Radiol|1051-0443||9203369|United States
Ginekologia polska|Ginekol. Pol.|Ginekol Pol|0017-0011||0374641|Poland
Molecular pharmacology|Mol. Pharmacol.|Mol Pharmacol|0026-895X||0035623|United States
European journal of immunology|Eur. J. Immunol.|Eur J Immunol|0014-2980||1273201|Germany
British journal of anaesthesia|Br J Anaesth|Br J Anaesth|0007-0912||0372541|England
American family physician|Am Fam Physician|Am Fam Physician|0002-838X||1272646|United States
Japanese circulation journal|Jpn. Circ. J.|Jpn Circ J|0047-1828||7806868|Japan
Langenbeck's archives of surgery|Langenbecks Arch Surg|Langenbecks Arch Surg|1435-2443||9808285|Germany
The Journal of infectious diseases|J. Infect. Dis.|J Infect Dis|0022-1899||0413675|United States
International clinical psychopharmacology|Int Clin Psychopharmacol|Int Clin Psychopharmacol|0268-1315||8609061|England
Neuropsychopharmacology : official publication of the American College of Neuropsychopharmacology|Neuropsychopharmacology|Neuropsychopharmacology|0893-133X||8904907|England
Toxicon : official journal of the International Society on Toxinology|Toxicon|Toxicon|0041-0101||1307333|England
Archivos de bronconeumologia|Arch. Bronconeumol.|Arch Bronconeumol|0300-2896||0354720|Spain
Canadian journal of anaesthesia = Journal canadien d'anesthesie|Can J Anaesth|Can J Anaesth|0832-610X||8701709|United States
Emergency medicine clinics of North America|Emerg. Med. Clin. North Am.|Emerg Med Clin North Am|0733-8627||8219565|United States
Health policy (Amsterdam, Netherlands)|Health Policy|Health Policy|0168-8510||8409431|Ireland
Die Pharmazie|Pharmazie|Pharmazie|0031-7144||9800766|Germany
Physical therapy|Phys Ther|Phys Ther|0031-9023||0022623|United States
Molecular microbiology|Mol. Microbiol.|Mol Microbiol|0950-382X||8712028|England
Human mutation|Hum. Mutat.|Hum Mutat|1059-7794|1098-1004|9215429|United States
Surgical endoscopy|Surg Endosc|Surg Endosc|0930-2794|1432-2218|8806653|Germany
Molecular carcinogenesis|Mol. Carcinog.|Mol Carcinog|0899-1987||8811105|United States
Acta crystallographica. Section C, Crystal structure communications|Acta Crystallogr C|Acta Crystallogr C|0108-2701||8305826|United States
Indian journal of public health|Indian J Public Health|Indian J Public Health|0019-557X||0400673|India
European heart journal|Eur. Heart J.|Eur Heart J|0195-668X||8006263|England
Acta oncologica (Stockholm, Sweden)|Acta Oncol|Acta Oncol|0284-186X||8709065|England
Journal of clinical periodontology|J. Clin. Periodontol.|J Clin Periodontol|0303-6979||0425123|United States
Clinical oral implants research|Clin Oral Implants Res|Clin Oral Implants Res|0905-7161||9105713|Denmark
Protoplasma|Protoplasma|Protoplasma|0033-183X||9806853|Austria
Human immunology|Hum. Immunol.|Hum Immunol|0198-8859||8010936|United States
Journal of pediatric health care : official publication of National Association of Pediatric Nurse Associates & Practitioners|J Pediatr Health Care|J Pediatr Health Care|0891-5245||8709735|United States
Pharmacology|Pharmacology|Pharmacology|0031-7012||0152016|Switzerland
Archives of ophthalmology (Chicago, Ill. : 1960)|Arch. Ophthalmol.|Arch Ophthalmol|0003-9950||7706534|United States
Lakartidningen|Lakartidningen|Lakartidningen|0023-7205||0027707|Sweden
Nederlands tijdschrift voor tandheelkunde|Ned Tijdschr Tandheelkd|Ned Tijdschr Tandheelkd|0028-2200||0400771|Netherlands
Developmental biology|Dev. Biol.|Dev Biol|0012-1606||0372762|United States
The New York times on the Web|N Y Times Web|N Y Times Web|0362-4331||9877126|United States
Annals of internal medicine|Ann. Intern. Med.|Ann Intern Med|0003-4819|1539-3704|0372351|United States
Journal of applied physiology (Bethesda, Md. : 1985)|J. Appl. Physiol.|J Appl Physiol (1985)|8750-7587||8502536|United States
Cancer journal (Sudbury, Mass.)|Cancer J|Cancer J|1528-9117||100931981|United States
Revista clinica espanola|Rev Clin Esp|Rev Clin Esp|0014-2565||8608576|Spain
American journal of obstetrics and gynecology|Am. J. Obstet. Gynecol.|Am J Obstet Gynecol|0002-9378||0370476|United States
Dermatology online journal|Dermatol. Online J.|Dermatol Online J||1087-2108|9610776|United States
Hematology (Amsterdam, Netherlands)|Hematology|Hematology|1024-5332|1607-8454|9708388|England
Taehan Kan Hakhoe chi = The Korean journal of hepatology|Taehan Kan Hakhoe Chi|Taehan Kan Hakhoe Chi|1226-0479||9607534|Korea (South)
Skeletal radiology|Skeletal Radiol.|Skeletal Radiol|0364-2348||7701953|Germany
Bioorganic & medicinal chemistry|Bioorg. Med. Chem.|Bioorg Med Chem|0968-0896||9413298|England
Journal of motor behavior|J Mot Behav|J Mot Behav|0022-2895||0236512|United States
Behavioral medicine (Washington, D.C.)|Behav Med|Behav Med|0896-4289||8804264|United States
Wilderness & environmental medicine|Wilderness Environ Med|Wilderness Environ Med|1080-6032||9505185|United States
Journal of anesthesia|J Anesth|J Anesth|0913-8668||8905667|Japan
Cell cycle (Georgetown, Tex.)|Cell Cycle|Cell Cycle||1551-4005|101137841|United States
Se pu = Chinese journal of chromatography|Se Pu|Se Pu|1000-8713||9424804|China
Biology of the cell|Biol. Cell|Biol Cell|0248-4900||8108529|England
AMIA ... Annual Symposium proceedings. AMIA Symposium|AMIA Annu Symp Proc|AMIA Annu Symp Proc|1559-4076|1942-597X|101209213|United States
Methods in molecular biology (Clifton, N.J.)|Methods Mol. Biol.|Methods Mol Biol|1064-3745||9214969|United States
Nordic journal of psychiatry|Nord J Psychiatry|Nord J Psychiatry|0803-9488||100927567|England
Journal of the American College of Cardiology|J. Am. Coll. Cardiol.|J Am Coll Cardiol|0735-1097|1558-3597|8301365|United States
Alimentary pharmacology & therapeutics|Aliment. Pharmacol. Ther.|Aliment Pharmacol Ther|0269-2813||8707234|England
Antiviral therapy|Antivir. Ther. (Lond.)|Antivir Ther|1359-6535||9815705|England
Leukemia & lymphoma|Leuk. Lymphoma|Leuk Lymphoma|1042-8194||9007422|England
IEEE transactions on medical imaging|IEEE Trans Med Imaging|IEEE Trans Med Imaging|0278-0062||8310780|United States
Talanta|Talanta|Talanta|0039-9140||2984816R|Netherlands
Veterinaria italiana|Vet. Ital.|Vet Ital|0505-401X|1828-1427|0201543|Italy
Development (Cambridge, England)|Development|Development|0950-1991|1477-9129|8701744|England
German medical science : GMS e-journal|Ger Med Sci|Ger Med Sci||1612-3174|101227686|Germany
The EMBO journal|EMBO J.|EMBO J|0261-4189|1460-2075|8208664|England
PLoS currents|PLoS Curr|PLoS Curr||2157-3999|101515638|United States
Fitoterapia|Fitoterapia|Fitoterapia|0367-326X|1873-6971|16930290R|Netherlands
Nephrology, dialysis, transplantation : official publication of the European Dialysis and Transplant Association - European Renal Association|Nephrol. Dial. Transplant.|Nephrol Dial Transplant|0931-0509|1460-2385|8706402|England
ACS synthetic biology|ACS Synth Biol|ACS Synth Biol||2161-5063|101575075|United States
Human vaccines & immunotherapeutics|Hum Vaccin Immunother|Hum Vaccin Immunother|2164-5515|2164-554X|101572652|United States
Infection|Infection|Infection|0300-8126|1439-0973|0365307|Germany
Clinical imaging|Clin Imaging|Clin Imaging|0899-7071|1873-4499|8911831|United States
Frontiers in chemistry|Front Chem|Front Chem|2296-2646||101627988|Switzerland
Emerging infectious diseases|Emerging Infect. Dis.|Emerg Infect Dis|1080-6040|1080-6059|9508155|United States
Multiple sclerosis (Houndmills, Basingstoke, England)|Mult Scler|Mult Scler|1352-4585|1477-0970|9509185|England
Neuropadiatrie|Neuropadiatrie|Neuropadiatrie|0028-3797||0260671|Germany
Arquivos de gastroenterologia|Arq Gastroenterol|Arq Gastroenterol|0004-2803|1678-4219|15310600R|Brazil
International journal of bioinformatics research and applications|Int J Bioinform Res Appl|Int J Bioinform Res Appl|1744-5485||101253758|Switzerland
International journal of artificial intelligence tools : architectures, languages, algorithms|Int J Artif Intell Tools|Int J Artif Intell Tools|0218-2130||101511265|Singapore
Evidence-based spine-care journal|Evid Based Spine Care J|Evid Based Spine Care J|1663-7976||101546672|Germany
Journal of environmental & analytical toxicology|J Environ Anal Toxicol|J Environ Anal Toxicol|2161-0525||101671195|United States
Dentistry (Sunnyvale, Calif.)|Dentistry (Sunnyvale)|Dentistry (Sunnyvale)|2161-1122||101652606|United States
Plant disease|Plant Dis|Plant Dis|0191-2917||9882809|United States
Annals of thoracic and cardiovascular surgery : official journal of the Association of Thoracic and Cardiovascular Surgeons of Asia|Ann Thorac Cardiovasc Surg|Ann Thorac Cardiovasc Surg|1341-1098|2186-1005|9703158|Japan
Environmental science. Processes & impacts|Environ Sci Process Impacts|Environ Sci Process Impacts|2050-7887|2050-7895|101601576|England
Academic medicine : journal of the Association of American Medical Colleges|Acad Med|Acad Med||1040-2446|8904605|United States
Nutrition research reviews|Nutr Res Rev|Nutr Res Rev|0954-4224|1475-2700|9113797|England
AIDS research and human retroviruses|AIDS Res Hum Retroviruses|AIDS Res Hum Retroviruses|0889-2229|1931-8405|8709376|United States
Technology|Technology (Singap World Sci)|Technology (Singap World Sci)|2339-5478||101622420|Singapore
Xenobiotica; the fate of foreign compounds in biological systems|Xenobiotica|Xenobiotica|0049-8254|1366-5928|1306665|England
The American psychologist|Am Psychol|Am Psychol|0003-066X|1935-990X|0370521|United States
Journal of comparative psychology (Washington, D.C. : 1983)|J Comp Psychol|J Comp Psychol|0021-9940|1939-2087|8309850|United States
Current molecular pharmacology|Curr Mol Pharmacol|Curr Mol Pharmacol|1874-4672|1874-4702|101467997|United Arab Emirates
Acta neuropathologica|Acta Neuropathol|Acta Neuropathol|0001-6322|1432-0533|0412041|Germany
Methods of information in medicine|Methods Inf Med|Methods Inf Med|0026-1270|2511-705X|0210453|Germany
Journal of systems and integrative neuroscience|J Syst Integr Neurosci|J Syst Integr Neurosci|2059-9781||101671495|England
Natural product reports|Nat Prod Rep|Nat Prod Rep|0265-0568|1460-4752|8502408|England
Rehabilitation psychology|Rehabil Psychol|Rehabil Psychol|0090-5550|1939-1544|0365337|United States
Thoracic cancer|Thorac Cancer|Thorac Cancer|1759-7706|1759-7714|101531441|Singapore
The international journal of cardiovascular imaging|Int J Cardiovasc Imaging|Int J Cardiovasc Imaging|1569-5794|1875-8312|100969716|United States
Psychiatric rehabilitation journal|Psychiatr Rehabil J|Psychiatr Rehabil J|1095-158X|1559-3126|9601800|United States
The journal of venomous animals and toxins including tropical diseases|J Venom Anim Toxins Incl Trop Dis|J Venom Anim Toxins Incl Trop Dis|1678-9199||101201501|Brazil
Current opinion in critical care|Curr Opin Crit Care|Curr Opin Crit Care|1070-5295|1531-7072|9504454|United States
American journal of public health|Am J Public Health|Am J Public Health|0090-0036|1541-0048|1254074|United States
The Biochemical journal|Biochem J|Biochem J|0264-6021|1470-8728|2984726R|England
American journal of physiology. Heart and circulatory physiology|Am J Physiol Heart Circ Physiol|Am J Physiol Heart Circ Physiol|0363-6135|1522-1539|100901228|United States
AIDS care|AIDS Care|AIDS Care|0954-0121|1360-0451|8915313|England
Drugs (Abingdon, England)|Drugs (Abingdon Engl)|Drugs (Abingdon Engl)|0968-7637||9515845|England
Science advances|Sci Adv|Sci Adv||2375-2548|101653440|United States
BMC musculoskeletal disorders|BMC Musculoskelet Disord|BMC Musculoskelet Disord||1471-2474|100968565|England
Annual review of chemical and biomolecular engineering|Annu Rev Chem Biomol Eng|Annu Rev Chem Biomol Eng|1947-5438|1947-5446|101574034|United States
The American journal of gastroenterology|Am J Gastroenterol|Am J Gastroenterol|0002-9270|1572-0241|0421030|United States
The Journal of clinical investigation|J Clin Invest|J Clin Invest|0021-9738|1558-8238|7802877|United States
Adolescent health, medicine and therapeutics|Adolesc Health Med Ther|Adolesc Health Med Ther|1179-318X||101576821|New Zealand
Cell reports|Cell Rep|Cell Rep||2211-1247|101573691|United States
ACR open rheumatology|ACR Open Rheumatol|ACR Open Rheumatol||2578-5745|101740025|United States
American journal of hypertension|Am J Hypertens|Am J Hypertens|0895-7061|1941-7225|8803676|United States
Physics in medicine and biology|Phys Med Biol|Phys Med Biol|0031-9155|1361-6560|0401220|England
Behaviour|Behaviour|Behaviour|0005-7959||15440560R|Netherlands
World journal of nephrology|World J Nephrol|World J Nephrol|2220-6124||101610229|United States
Journal of pediatric endocrinology & metabolism : JPEM|J Pediatr Endocrinol Metab|J Pediatr Endocrinol Metab|0334-018X|2191-0251|9508900|Germany
Hypertension research : official journal of the Japanese Society of Hypertension|Hypertens Res|Hypertens Res|0916-9636|1348-4214|9307690|England
Journal of bacteriology|J Bacteriol|J Bacteriol|0021-9193|1098-5530|2985120R|United States
Recent patents on biotechnology|Recent Pat Biotechnol|Recent Pat Biotechnol|1872-2083|2212-4012|101309942|United Arab Emirates
ACI open|ACI open|ACI open||2566-9346|101765514|Germany
American journal of physiology. Cell physiology|Am J Physiol Cell Physiol|Am J Physiol Cell Physiol|0363-6143|1522-1563|100901225|United States
Tidsskrift for den Norske laegeforening : tidsskrift for praktisk medicin, ny raekke|Tidsskr Nor Laegeforen|Tidsskr Nor Laegeforen|0029-2001|0807-7096|0413423|Norway
Science signaling|Sci Signal|Sci Signal|1945-0877|1937-9145|101465400|United States
American journal of human genetics|Am J Hum Genet|Am J Hum Genet|0002-9297|1537-6605|0370475|United States
Human biology|Hum Biol|Hum Biol|0018-7143|1534-6617|0116717|United States
Clinical ophthalmology (Auckland, N.Z.)|Clin Ophthalmol|Clin Ophthalmol|1177-5467||101321512|New Zealand
Journal of porphyrins and phthalocyanines|J Porphyr Phthalocyanines|J Porphyr Phthalocyanines|1088-4246||9890997|Singapore
Yonago acta medica|Yonago Acta Med|Yonago Acta Med|0513-5710||0414002|Japan
Psychotherapie, Psychosomatik, medizinische Psychologie|Psychother Psychosom Med Psychol|Psychother Psychosom Med Psychol|0937-2032|1439-1058|8002823|Germany
mSystems|mSystems|mSystems||2379-5077|101680636|United States
Clinical chemistry and laboratory medicine|Clin Chem Lab Med|Clin Chem Lab Med|1434-6621|1437-4331|9806306|Germany
Nucleic acid therapeutics|Nucleic Acid Ther|Nucleic Acid Ther|2159-3337|2159-3345|101562758|United States
Narrative inquiry in bioethics|Narrat Inq Bioeth|Narrat Inq Bioeth||2157-1740|101603418|United States
Europace : European pacing, arrhythmias, and cardiac electrophysiology : journal of the working groups on cardiac pacing, arrhythmias, and cardiac cellular electrophysiology of the European Society of Cardiology|Europace|Europace|1099-5129|1532-2092|100883649|England
Journal of geriatric oncology|J Geriatr Oncol|J Geriatr Oncol|1879-4068|1879-4076|101534770|Netherlands
Biomedicine & pharmacotherapy = Biomedecine & pharmacotherapie|Biomed Pharmacother|Biomed Pharmacother|0753-3322|1950-6007|8213295|France
Hormone molecular biology and clinical investigation|Horm Mol Biol Clin Investig|Horm Mol Biol Clin Investig|1868-1883|1868-1891|101538885|Germany
Nutrition & dietetics : the journal of the Dietitians Association of Australia|Nutr Diet|Nutr Diet|1446-6368|1747-0080|101143078|Australia
Asian journal of surgery|Asian J Surg|Asian J Surg|1015-9584|0219-3108|8900600|Netherlands
CEN case reports|CEN Case Rep|CEN Case Rep||2192-4449|101636244|Japan
The Astrophysical journal|Astrophys J|Astrophys J|0004-637X||9890633|United States
The western journal of emergency medicine|West J Emerg Med|West J Emerg Med|1936-900X|1936-9018|101476450|United States
Biochimica et biophysica acta. Molecular cell research|Biochim Biophys Acta Mol Cell Res|Biochim Biophys Acta Mol Cell Res|0167-4889|1879-2596|101731731|Netherlands
Radiotherapy and oncology : journal of the European Society for Therapeutic Radiology and Oncology|Radiother Oncol|Radiother Oncol|0167-8140|1879-0887|8407192|Ireland
Global spine journal|Global Spine J|Global Spine J|2192-5682||101596156|England
FEMS microbiology letters|FEMS Microbiol Lett|FEMS Microbiol Lett|0378-1097|1574-6968|7705721|England
Advances in Alzheimer's disease|Adv Alzheimer Dis|Adv Alzheimer Dis|2169-2459||101641046|United States
Pediatric research|Pediatr Res|Pediatr Res|0031-3998|1530-0447|0100714|United States
Journal of biomechanical engineering|J Biomech Eng|J Biomech Eng|0148-0731|1528-8951|7909584|United States
Nanotechnology|Nanotechnology|Nanotechnology|0957-4484|1361-6528|101241272|England
JAMIA open|JAMIA Open|JAMIA Open||2574-2531|101730643|United States
Theranostics|Theranostics|Theranostics||1838-7640|101552395|Australia
Journal of international oral health : JIOH|J Int Oral Health|J Int Oral Health|0976-7428||101562691|
"""

if __name__ == "__main__":
    sys.exit(main())

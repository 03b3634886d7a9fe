"""The off-topic check end to end against the local fake services, with MeSH.

Identifiers are test-only (10.5555/…, PMIDs 9xxxxxxx). The MeSH descriptors carry their
real UIs and MeSH 2025 tree numbers (C04 branch; sources in cassettes/README.md).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from citecheck.cli import main
from tests.conftest import use_services
from tests.fakeservice import FakeServices, MeshDescriptor, Work, status

ALL = MeshDescriptor(
    "D054198",
    "Precursor Cell Lymphoblastic Leukemia-Lymphoma",
    ("C04.557.337.428.600",),
    ("acute lymphoblastic leukemia",),
)
MELANOMA = MeshDescriptor(
    "D008545",
    "Melanoma",
    ("C04.557.465.625.650.510", "C04.557.580.625.650.510", "C04.557.665.510", "C04.588.805.377"),
)
BURKITT = MeshDescriptor("D002051", "Burkitt Lymphoma", ("C04.557.386.480.150.165",))


def work(n: int, title: str, mesh: list[tuple[str, str, bool]], **kw: object) -> Work:
    return Work(
        doi=f"10.5555/rel.{n}",
        pmid=f"9100000{n}",
        title=title,
        authors=[("Author", "Anne"), ("Other", "Otto")],
        journal="Journal of Test Medicine",
        journal_abbrev="J Test Med",
        year=2018,
        volume="10",
        issue="2",
        pages=f"{n}01-{n}09",
        mesh=mesh,
        **kw,
    )


WORKS = [
    work(
        1,
        "Dasatinib in Philadelphia chromosome-positive acute lymphoblastic leukemia",
        [("D054198", ALL.name, True)],
    ),
    work(
        2,
        "Outcomes after wide local excision",
        [("D008545", "Melanoma", True)],
        abstract="Patients with cutaneous melanoma of the trunk were followed for ten years.",
    ),
    work(
        3,
        "Sporadic Burkitt lymphoma incidence in the United States",
        [("D002051", "Burkitt Lymphoma", True)],
    ),
    work(
        4, "Blinatumomab for relapsed acute lymphoblastic leukemia", [("D054198", ALL.name, True)]
    ),
]

MANUSCRIPT = """# Targeted therapy in acute lymphoblastic leukemia

Acute lymphoblastic leukemia (ALL) is treated with chemotherapy; tyrosine kinase inhibitors
help in Ph-positive ALL [1]. Relapsed ALL responds to blinatumomab [4]. Other work [2, 3].

## References

1. Author A, Other O. Dasatinib in Philadelphia chromosome-positive acute lymphoblastic leukemia. J Test Med. 2018;10(2):101-9.
2. Author A, Other O. Outcomes after wide local excision. J Test Med. 2018;10(2):201-9.
3. Author A, Other O. Sporadic Burkitt lymphoma incidence in the United States. J Test Med. 2018;10(2):301-9.
4. Author A, Other O. Blinatumomab for relapsed acute lymphoblastic leukemia. J Test Med. 2018;10(2):401-9.
"""


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeServices]:
    with FakeServices(WORKS, mesh=[ALL, MELANOMA, BURKITT]) as services:
        use_services(monkeypatch, services, timeout=0.3, retries=0)
        yield services


def audit(tmp_path: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, dict]:
    path = tmp_path / "paper.md"
    path.write_text(MANUSCRIPT, encoding="utf-8")
    code = main(["check", str(path), "--format", "json", "--no-cache", *extra])
    out, err = capsys.readouterr()
    assert out, err
    return code, json.loads(out)


def test_mesh_headings_and_trees_explain_the_verdict(
    fake: FakeServices, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, report = audit(tmp_path, capsys)
    refs = report["references"]
    assert [r["status"] for r in refs] == ["verified"] * 4
    scores = [r["relevance"]["score"] for r in refs]
    assert scores[1] < 0.35 and scores[2] < 0.35  # melanoma, Burkitt lymphoma
    assert scores[0] >= 0.5 and scores[3] >= 0.5
    melanoma = refs[1]["relevance"]
    # The title says nothing; the record's MeSH heading and abstract do.
    assert "C04.557.465.625.650.510" in melanoma["explanation"]
    assert any("Precursor Cell Lymphoblastic" in t for t in report["manuscript"]["topics"])
    assert [f["code"] for f in refs[1]["findings"]] == ["off-topic"]
    # 2 of 4 is not "most of the list"; the manuscript cites [1] [4] [2, 3], out of order.
    assert [f["code"] for f in report["findings"]] == ["citation-order"] and code == 0
    mesh = [(r.path.rsplit("/", 1)[-1], r.query.get("db")) for r in fake.requests]
    assert mesh.count(("esummary.fcgi", "mesh")) == 1
    assert mesh.count(("esearch.fcgi", "mesh")) == 1


def test_without_pubmed_relevance_still_runs_and_says_so(
    fake: FakeServices, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fake.fail(r"\.fcgi|\.cgi", *[status(503)] * 40)
    _code, report = audit(tmp_path, capsys)
    assert all(r["relevance"] is not None for r in report["references"])
    assert any("judged on the offline lexicon" in n for n in report["notes"])
    assert report["references"][2]["relevance"]["score"] < 0.35  # Burkitt, from its title


def test_topic_flag_and_no_relevance(
    fake: FakeServices, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _code, report = audit(tmp_path, capsys, "--no-relevance")
    assert all(r["relevance"] is None for r in report["references"])
    assert report["manuscript"]["topics"] == []
    _code, report = audit(tmp_path, capsys, "--topic", "cutaneous melanoma")
    assert (
        report["references"][1]["relevance"]["score"]
        > report["references"][0]["relevance"]["score"]
    )

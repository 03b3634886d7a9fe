"""Golden files: every report and export format of the seed, byte for byte.

A change to any output shows up here as a diff to review. To accept an intended change,
regenerate with ``CITECHECK_UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py`` and
read the diff before committing it. Run time and the tool version are masked.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from citecheck import __version__
from citecheck.cli import main
from tests.conftest import ROOT, SEED

CASSETTES = ROOT / "cassettes" / "001_ea8cd2c476dabe3b"
GOLDEN = ROOT / "tests" / "golden"
UPDATE = os.environ.get("CITECHECK_UPDATE_GOLDEN") == "1"  # read at import: env is cleaned

REPORTS = {"json": "json", "markdown": "md", "junit": "xml", "sarif": "sarif", "html": "html"}
EXPORTS = {"json": "json", "csv": "csv", "bibtex": "bib", "ris": "ris"}


def _masked(text: str) -> str:
    text = text.replace(__version__, "<version>")
    text = re.sub(r'("seconds": )[0-9.]+', r"\g<1>0", text)
    return re.sub(r'(time=")[0-9.]+(")', r"\g<1>0\g<2>", text)


def _compare(name: str, produced: Path) -> None:
    text = _masked(produced.read_text(encoding="utf-8"))
    golden = GOLDEN / name
    if UPDATE:
        golden.write_text(text, encoding="utf-8")
    assert golden.exists(), f"no golden file {name}; run with CITECHECK_UPDATE_GOLDEN=1"
    assert text == golden.read_text(encoding="utf-8"), f"{name} differs from its golden file"


@pytest.mark.parametrize("fmt", sorted(REPORTS))
def test_report_format(fmt: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)  # paths in the reports are relative to the checkout
    out = tmp_path / f"report.{REPORTS[fmt]}"
    seed = SEED.relative_to(ROOT)
    code = main(["check", str(seed), "--replay", str(CASSETTES), "--format", fmt, "-o", str(out)])
    assert code == 1
    _compare(f"seed.{REPORTS[fmt]}", out)


@pytest.mark.parametrize("fmt", sorted(EXPORTS))
def test_extract_format(fmt: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    out = tmp_path / f"refs.{EXPORTS[fmt]}"
    assert main(["extract", str(SEED.relative_to(ROOT)), "--format", fmt, "-o", str(out)]) == 0
    _compare(f"seed-extract.{EXPORTS[fmt]}", out)

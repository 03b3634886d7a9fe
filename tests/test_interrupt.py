"""SIGTERM mid-run: a clear message, exit 143, answers kept; the rerun continues from there."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.fakeservice import FakeServices
from tests.test_integration import BLINA, CART, PUI, SANDLUND

ENTRIES = [
    "Pui CH, Evans WE. Treatment of acute lymphoblastic leukemia. N Engl J Med. 2006;354(2):166-78.",
    "Sandlund JT, Downing JR, Crist WM. Non-Hodgkin's lymphoma in childhood. N Engl J Med. 1996;334:1238-48.",
    "Kantarjian H, Stein A. Blinatumomab versus chemotherapy for advanced acute lymphoblastic leukemia. N Engl J Med. 2017;376(9):836-47.",
    "Maude SL, Laetsch TW. Tisagenlecleucel in children and young adults with B-cell lymphoblastic leukemia. N Engl J Med. 2018;378(5):439-48.",
]


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_sigterm_keeps_answers_and_the_rerun_continues(tmp_path: Path) -> None:
    paper = tmp_path / "paper.md"
    refs = "\n".join(f"{i}. {e}" for i, e in enumerate(ENTRIES * 3, start=1))
    paper.write_text(f"# Leukemia\n\nSee [1-12].\n\n## References\n\n{refs}\n", encoding="utf-8")
    # 0.4 s per answer: the run takes several seconds, time enough to stop it midway.
    with FakeServices([PUI, SANDLUND, BLINA, CART], latency=0.4) as svc:
        env = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "CITECHECK_CROSSREF_URL": svc.crossref_url,
            "CITECHECK_EUTILS_URL": svc.eutils_url,
            "CITECHECK_CACHE_DIR": str(tmp_path / "cache"),
            "CITECHECK_MAILTO": "",
        }
        command = [sys.executable, "-m", "citecheck", "check", str(paper), "--format", "json"]
        command += ["--no-relevance", "-o", str(tmp_path / "report.json")]
        proc = subprocess.Popen(command, env=env, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 20
        while len(svc.requests) < 4 and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.5)  # the first answers arrive and are cached
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=30)
        assert proc.returncode == 143, err
        assert "terminated; completed lookups are kept in the cache" in err
        assert "Traceback" not in err
        assert not (tmp_path / "report.json").exists()  # no half report
        first = len(svc.requests)

        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        second = len(svc.requests) - first
        with FakeServices([PUI, SANDLUND, BLINA, CART]) as cold:
            env |= {
                "CITECHECK_CROSSREF_URL": cold.crossref_url,
                "CITECHECK_EUTILS_URL": cold.eutils_url,
                "CITECHECK_CACHE_DIR": str(tmp_path / "cold-cache"),
            }
            subprocess.run(command, env=env, capture_output=True, timeout=60, check=True)
            full = len(cold.requests)
        # The rerun asked only what the stopped run had not already been answered.
        assert second < full

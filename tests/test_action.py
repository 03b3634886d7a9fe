"""The GitHub Action and the pre-commit hook: their scripts run, their options exist."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from citecheck.cli import build_parser
from tests.conftest import ROOT, SEED

CASSETTES = ROOT / "cassettes" / "001_ea8cd2c476dabe3b"
ACTION = yaml.safe_load((ROOT / "action.yml").read_text())
STEPS = ACTION["runs"]["steps"]


def test_no_expression_is_interpolated_into_a_shell_script() -> None:
    scripts = [s["run"] for s in STEPS if "run" in s]
    assert len(scripts) == 3
    assert not any("${{" in script for script in scripts)  # inputs go through env only


def test_every_input_used_is_declared() -> None:
    used = set(re.findall(r"inputs\.([\w-]+)", (ROOT / "action.yml").read_text()))
    assert used == set(ACTION["inputs"])


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
@pytest.mark.parametrize("batch", [False, True])
def test_check_step_script_runs(tmp_path: Path, batch: bool) -> None:
    """The step's own bash, with `citecheck` on PATH answering from the recorded cassettes."""
    shim = tmp_path / "bin" / "citecheck"
    shim.parent.mkdir()
    shim.write_text(
        f'#!/bin/sh\nexec "{sys.executable}" -m citecheck "$@" --replay "{CASSETTES}"\n'
    )
    shim.chmod(0o755)
    step = next(s for s in STEPS if s.get("id") == "check")
    output = tmp_path / "github_output"
    manuscripts = f"{SEED}\n  {SEED}" if batch else str(SEED)
    report = tmp_path / ("reports" if batch else "citecheck.sarif")
    env = {
        "PATH": f"{shim.parent}{os.pathsep}{os.environ['PATH']}",
        "HOME": str(tmp_path),
        "PYTHONPATH": str(ROOT),
        "GITHUB_OUTPUT": str(output),
        "INPUT_MANUSCRIPTS": manuscripts,
        "INPUT_FORMAT": "json",
        "INPUT_OUTPUT": str(report),
        "INPUT_FAIL_ON": "error",
        "INPUT_BASELINE": "",
        "CITECHECK_CACHE_DIR": str(tmp_path / "cache"),
    }
    done = subprocess.run(
        ["bash", "-e", "-c", step["run"]], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr  # the step records the code; "Verdict" fails
    assert output.read_text() == "exit-code=1\n"
    if batch:
        assert (report / "index.csv").is_file() and (report / f"{SEED.name}.json").is_file()
    else:
        assert json.loads(report.read_text())["summary"]["references"] == 10


def test_pre_commit_hook_arguments_parse() -> None:
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert hook["language"] == "python" and hook["entry"].split()[0] == "citecheck"
    pyproject = (ROOT / "pyproject.toml").read_text()
    assert 'citecheck = "citecheck.cli:main"' in pyproject
    args = build_parser().parse_args([*hook["entry"].split()[1:], *hook["args"], "paper.tex"])
    assert args.command == "check" and args.manuscripts == [Path("paper.tex")]
    assert re.search(hook["files"], "paper.tex") and not re.search(hook["files"], "data.csv")

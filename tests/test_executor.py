"""Batches on a process pool and on Ray: the same reports and index as one after the other.

Same output either way: every file a batch writes is compared byte for byte with the
sequential run's, the report's timing (``summary.seconds``) masked. A worker that dies is
one ``crashed`` manuscript; Ctrl-C still leaves an index and no worker behind.
"""

from __future__ import annotations

import csv
import gc
import importlib.util
import json
import os
import signal
import subprocess
import sys
import threading
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from citecheck.batch import DIED, Auditor, Outcome, run_batch
from citecheck.cli import main
from citecheck.index.build import build
from citecheck.parallel import plan
from citecheck.resolve.http import Http
from citecheck.settings import Settings
from tests.conftest import ROOT
from tests.fakeservice import FakeServices
from tests.test_batch import SMALL
from tests.test_index import ALL, CASES
from tests.test_integration import PUI, SANDLUND

# Read at import: the autouse clean_env fixture removes CITECHECK_* before each test runs.
REQUIRED = os.environ.get("CITECHECK_REQUIRE_EXTRAS") == "1"
DEAD = "http://127.0.0.1:9"  # an index-only run must not need the services
CRASH = "leukemia-1.md"  # the manuscript whose worker dies (see Dying)


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("index")
    # Declared whole, so what it lacks is not_found and some manuscripts fail (exit 1).
    build(directory, ALL, complete=True)
    return directory


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """Five manuscripts, one in a subfolder, and one that cannot be read."""
    d = tmp_path / "in"
    (d / "sub").mkdir(parents=True)
    for i in range(2):
        for case, (_, text) in CASES.items():
            (d / f"{case}-{i}.md").write_text(text, encoding="utf-8")
    (d / "sub" / "integrity.md").write_text(CASES["integrity"][1], encoding="utf-8")
    (d / "empty.txt").write_text("")
    return d


def local(index: Path, **changes: object) -> Settings:
    base = Settings(index=index, crossref_url=DEAD, eutils_url=DEAD, use_cache=False)
    return base.replace(**changes)


def outputs(out: Path) -> dict[str, bytes]:
    """Every file of a batch's output folder, the reports' timing masked."""
    files = {}
    for path in sorted(out.rglob("*")):
        if not path.is_file():
            continue
        data = path.read_bytes()
        if path.suffix == ".json":
            report = json.loads(data)
            report["summary"]["seconds"] = "masked"
            data = json.dumps(report, indent=2).encode()
        files[path.relative_to(out).as_posix()] = data
    return files


def index_rows(out: Path) -> list[dict[str, str]]:
    with open(out / "index.csv", newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


class Dying(Auditor):
    """Its process dies on CRASH, as one killed by a signal or the OOM killer would."""

    def __call__(self, path: Path, name: str) -> Outcome:
        if name == CRASH:
            os._exit(9)
        return super().__call__(path, name)


def test_a_pool_writes_what_one_process_writes(index: Path, folder: Path, tmp_path: Path) -> None:
    extra("pyarrow", "parquet")
    one = run_batch([folder], local(index, jobs=1), tmp_path / "one", "html", parquet=True)
    two = run_batch([folder], local(index, jobs=2), tmp_path / "two", "html", parquet=True)
    assert [(o.name, o.status) for o in one] == [(o.name, o.status) for o in two]
    assert len(one) == 6 and {o.status for o in one} == {"failing", "unreadable"}
    first, second = outputs(tmp_path / "one"), outputs(tmp_path / "two")
    assert sorted(first) == sorted(second)
    assert "sub/integrity.md.html" in first and "index.parquet" in first
    for name in first:
        assert first[name] == second[name], name


def test_a_dead_worker_is_one_crashed_manuscript(index: Path, folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    outcomes = run_batch([folder], local(index, jobs=2), out, "json", auditor=Dying)
    by_name = {o.name: o for o in outcomes}
    assert by_name[CRASH].status == "crashed" and by_name[CRASH].error == DIED
    # The manuscripts in flight beside it, in the pool it broke, were audited again.
    assert sum(o.status == "failing" for o in outcomes) == 4
    assert [r["manuscript"] for r in index_rows(out)][:2] == ["empty.txt", CRASH]
    assert not (out / f"{CRASH}.json").exists()


def test_the_api_path_shares_the_limits(tmp_path: Path) -> None:
    """Two jobs asking the services: each keeps to half of every limit; same reports."""
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("a.md", "b.md", "c.md"):
        (folder / name).write_text(SMALL, encoding="utf-8")
    with FakeServices([PUI, SANDLUND]) as svc:
        settings = Settings(
            crossref_url=svc.crossref_url,
            eutils_url=svc.eutils_url,
            mailto="batch@example.org",  # Crossref's polite pool: up to 3 requests in flight
            ncbi_api_key="batch-key",  # NCBI's 10/s rather than 3/s, a shorter test
            use_cache=False,
            timeout=5,
            retries=1,
        )
        run_batch([folder], settings.replace(jobs=1), tmp_path / "one", "json")
        run_batch([folder], settings.replace(jobs=2), tmp_path / "two", "json")
    assert outputs(tmp_path / "one") == outputs(tmp_path / "two")
    assert all(r["status"] == "clean" for r in index_rows(tmp_path / "two"))
    shared = plan(settings.replace(jobs=2), 3).settings
    assert shared.limits_shared_by == 2
    alone, half = Http(settings), Http(shared)
    try:
        for service in ("crossref", "pubmed"):
            spacing = alone.limiters[service].spacing
            assert half.limiters[service].spacing == pytest.approx(2 * spacing)
        assert (alone.slots["crossref"].mine, half.slots["crossref"].mine) == (3, 1)
    finally:
        alone.close()
        half.close()


def test_the_rule_for_jobs() -> None:
    index, api = Settings(index=Path("ix")), Settings()
    assert plan(index, 10, available=8).jobs == 8  # no network: a process per CPU
    assert plan(index, 3, available=8).jobs == 3  # never more than manuscripts
    assert plan(index.replace(jobs=2), 10, available=8).jobs == 2
    assert plan(index, 10, available=8).settings.limits_shared_by == 1
    assert plan(api, 10, available=8).jobs == 1  # the services are asked: one by default
    online = index.replace(online=True, jobs=8, mailto="a@b.org")
    capped = plan(online, 10, available=8)
    assert (capped.jobs, capped.settings.limits_shared_by) == (3, 3)  # Crossref's polite pool
    assert "Crossref's polite pool (with a mailto) allows 3" in capped.notes[0]
    assert plan(api.replace(jobs=4), 10).jobs == 1  # its public pool: one request in flight
    assert plan(Settings(replay_dir=Path("c")), 10, available=4).jobs == 4  # no network
    baseline = plan(index.replace(write_baseline=Path("b.json"), jobs=4), 10)
    assert baseline.jobs == 1 and "--write-baseline" in baseline.notes[0]


def test_jobs_and_executor_from_config_and_environment(tmp_path: Path) -> None:
    from citecheck.errors import ConfigError
    from citecheck.settings import load_settings

    (tmp_path / "citecheck.toml").write_text('executor = "ray"\njobs = 4\n')
    settings = load_settings(start=tmp_path, env={})
    assert (settings.executor, settings.jobs) == ("ray", 4)
    env = {"CITECHECK_JOBS": "2", "CITECHECK_EXECUTOR": "local"}
    settings = load_settings(start=tmp_path, env=env)
    assert (settings.executor, settings.jobs) == ("local", 2)
    with pytest.raises(ConfigError, match="executor must be one of local, ray"):
        load_settings(start=tmp_path, env={"CITECHECK_EXECUTOR": "dask"})
    (tmp_path / "citecheck.toml").write_text("limits_shared_by = 9\n")
    with pytest.raises(ConfigError, match="unknown setting"):
        load_settings(start=tmp_path, env={})


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals and process groups")
def test_ctrl_c_keeps_the_index_and_leaves_no_worker(index: Path, tmp_path: Path) -> None:
    """SIGINT to the whole process group, as a terminal sends it."""
    d = tmp_path / "many"
    d.mkdir()
    for i in range(60):
        (d / f"paper-{i:02}.md").write_text(CASES["leukemia"][1], encoding="utf-8")
    out = tmp_path / "out"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "citecheck", "check", str(d), "--index", str(index)]
    command += ["--jobs", "2", "--output-dir", str(out), "--format", "json"]
    proc = subprocess.Popen(
        command, env=env, stderr=subprocess.PIPE, text=True, start_new_session=True
    )
    # The parent prints a line per manuscript once it holds the outcome (a report on disk
    # may still be on its way back from a worker): interrupt after three such lines.
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(iter(proc.stderr.readline, "")))
    reader.start()
    deadline = time.monotonic() + 60
    while sum(".md" in line for line in list(lines)) < 3 and time.monotonic() < deadline:
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGINT)
    proc.wait(timeout=60)
    reader.join(timeout=10)
    proc.stderr.close()
    err = "".join(lines)
    assert proc.returncode == 130, err
    assert "interrupted" in err and "Traceback" not in err
    finished = index_rows(out)
    assert 3 <= len(finished) < 60
    assert {r["manuscript"] + ".json" for r in finished} <= {p.name for p in out.glob("*.json")}
    for _ in range(100):  # the workers and the fork server follow the parent out
        try:
            os.killpg(proc.pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.05)
    else:
        pytest.fail("processes of the batch are still running after it ended")


def test_the_default_path_imports_neither_ray_nor_pyarrow(index: Path, tmp_path: Path) -> None:
    for name in ("a.md", "b.md"):
        (tmp_path / name).write_text(CASES["leukemia"][1], encoding="utf-8")
    script = (
        "import sys; from citecheck.cli import main; "
        f"code = main(['check', 'a.md', 'b.md', '--index', {str(index)!r}, '--jobs', '2']); "
        "print(code, sorted(m for m in ('ray', 'pyarrow') if m in sys.modules))"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert done.stdout == "1 []\n", done.stderr
    assert len(index_rows(tmp_path / "citecheck-reports")) == 2


def test_usage_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    a, b = tmp_path / "a.md", tmp_path / "b.md"
    a.write_text(CASES["leukemia"][1])
    b.write_text(CASES["leukemia"][1])
    assert main(["check", str(a), str(b), "--index", str(tmp_path / "nowhere")]) == 2
    assert "nowhere" in capsys.readouterr().err
    assert not (Path.cwd() / "citecheck-reports").exists()  # failed before any output
    with pytest.raises(SystemExit) as usage:
        main(["check", str(a), str(b), "--jobs", "two"])
    assert usage.value.code == 2
    assert "argument --jobs/-j: not a whole number: 'two'" in capsys.readouterr().err


def test_ray_missing_is_one_line_naming_the_extra(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "ray", None)  # import ray raises ImportError
    a = tmp_path / "a.md"
    a.write_text(CASES["leukemia"][1])
    assert main(["check", str(a), str(a), "--executor", "ray"]) == 2
    err = capsys.readouterr().err
    assert err == (
        "citecheck: error: --executor ray needs Ray: pip install 'citecheck-biomed[ray]'\n"
    )
    assert not (Path.cwd() / "citecheck-reports").exists()


# ---------------------------------------------------------------------------------------
# Ray: one local Ray (2 CPUs) for the module, as in CI.
# ---------------------------------------------------------------------------------------


def extra(module: str, name: str) -> None:
    """Skip without an optional extra, unless CITECHECK_REQUIRE_EXTRAS=1 (CI installs them)."""
    if importlib.util.find_spec(module) is None:
        missing = f"{module} is not installed (pip install -e '.[{name}]')"
        if REQUIRED:
            pytest.fail(f"CITECHECK_REQUIRE_EXTRAS=1 but {missing}")
        pytest.skip(missing)


@pytest.fixture(scope="module")
def ray_session() -> Iterator[None]:
    extra("ray", "ray")
    import ray

    # Workers import this module (Dying) by name, as the driver does.
    env = {"env_vars": {"PYTHONPATH": str(ROOT)}}
    with quiet_leaks():
        ray.init(num_cpus=2, include_dashboard=False, runtime_env=env, logging_level="warning")
    yield
    with quiet_leaks():
        ray.shutdown()


@contextmanager
def quiet_leaks() -> Iterator[None]:
    """Older Ray (2.44) leaves log files and subprocess handles to the garbage collector."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        yield
        gc.collect()


def test_ray_writes_what_one_process_writes(
    ray_session: None,
    index: Path,
    folder: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    extra("pyarrow", "parquet")
    run_batch([folder], local(index, jobs=1), tmp_path / "one", "html", parquet=True)
    monkeypatch.setenv("CITECHECK_CROSSREF_URL", DEAD)
    monkeypatch.setenv("CITECHECK_EUTILS_URL", DEAD)
    args = ["check", str(folder), "--index", str(index), "--no-cache", "--executor", "ray"]
    assert main([*args, "--jobs", "2", "--parquet", "--output-dir", str(tmp_path / "ray")]) == 1
    assert "6 manuscripts" in capsys.readouterr().err
    first, second = outputs(tmp_path / "one"), outputs(tmp_path / "ray")
    assert sorted(first) == sorted(second)  # and no marks left behind
    assert len(first) == 5 * 2 + 3  # a JSON and an HTML report each, and the index files
    for name in first:
        assert first[name] == second[name], name


def test_ray_reports_a_dead_actor_as_crashed(
    ray_session: None, index: Path, folder: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    settings = local(index, executor="ray", jobs=2)
    outcomes = run_batch([folder], settings, out, "json", auditor=Dying)
    by_name = {o.name: o for o in outcomes}
    assert by_name[CRASH].status == "crashed" and by_name[CRASH].error == DIED
    assert sum(o.status == "failing" for o in outcomes) == 4
    assert [r["manuscript"] for r in index_rows(out)][:2] == ["empty.txt", CRASH]

"""The seed's HTML report in real headless Chromium: what an editor sees, and nothing fetched.

Uses Debian's Chromium (/usr/bin/chromium) through the playwright package, never a browser
that playwright downloads. Skipped when either is missing, unless CITECHECK_REQUIRE_BROWSER=1
(CI), where a missing browser is a failure. Any console message of type error, uncaught page
error or request other than the report file itself fails the test.
"""

from __future__ import annotations

import importlib.util
import os
import struct
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from citecheck.cli import main
from tests.conftest import ROOT, SEED

CASSETTES = ROOT / "cassettes" / "001_ea8cd2c476dabe3b"
CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Read at import: the autouse clean_env fixture removes CITECHECK_* before each test runs.
REQUIRED = os.environ.get("CITECHECK_REQUIRE_BROWSER") == "1"
TITLE = "Advancing oncology. Targeted therapy in the treatment of acute lymphoblastic leukemia"


def _missing() -> str | None:
    if not CHROMIUM.is_file():
        return f"{CHROMIUM} is not installed (apt-get install chromium)"
    if importlib.util.find_spec("playwright") is None:
        return "the playwright package is not installed (pip install -e '.[test]')"
    return None


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    missing = _missing()
    if missing:
        if REQUIRED:
            pytest.fail(f"CITECHECK_REQUIRE_BROWSER=1 but {missing}")
        pytest.skip(missing)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def seed_file(tmp_path: Path) -> Path:
    out = tmp_path / "seed report.html"  # a space: the file URL must be built properly
    code = main(
        [
            *("check", str(SEED), "--replay", str(CASSETTES), "--no-cache"),
            *("--format", "html", "-o", str(out)),
        ]
    )
    assert code == 1
    return out


class Watched:
    """A page whose console errors, page errors and network requests are all recorded."""

    def __init__(self, browser: Any, width: int, height: int = 900) -> None:
        self.context = browser.new_context(viewport={"width": width, "height": height})
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.page.on(
            "console",
            lambda m: (
                self.errors.append(f"console {m.type}: {m.text}") if m.type == "error" else None
            ),
        )
        self.page.on("pageerror", lambda e: self.errors.append(f"page error: {e}"))
        self.page.on("requestfailed", lambda r: self.errors.append(f"failed: {r.url}"))
        self.page.on("request", lambda r: self.requests.append(r.url))

    def open(self, path: Path) -> Any:
        self.page.goto(path.as_uri())
        return self.page

    def assert_clean(self, path: Path) -> None:
        assert self.errors == []
        assert set(self.requests) == {path.as_uri()}  # nothing fetched but the file itself
        self.context.close()


def test_the_watcher_catches_a_remote_resource_and_a_console_error(
    browser: Any, tmp_path: Path
) -> None:
    """The checks above would fail: a refused loopback image and a console error are seen."""
    page_file = tmp_path / "bad.html"
    page_file.write_text(
        '<!DOCTYPE html><title>bad</title><img src="http://127.0.0.1:9/x.png">'
        '<script>console.error("boom")</script>',
        encoding="utf-8",
    )
    watched = Watched(browser, 400, 300)
    watched.open(page_file)
    watched.page.wait_for_load_state("load")
    assert "console error: boom" in watched.errors
    assert any(e.startswith("failed: http://127.0.0.1:9/") for e in watched.errors)
    with pytest.raises(AssertionError):
        watched.assert_clean(page_file)


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_seed_report_in_chromium(browser: Any, seed_file: Path, tmp_path: Path) -> None:
    watched = Watched(browser, 1280)
    page = watched.open(seed_file)
    assert page.title() == f"citecheck: {TITLE}"
    assert page.locator("h1").inner_text() == TITLE
    refs = page.locator("section.ref")
    assert refs.count() == 10
    assert all(refs.nth(i).is_visible() for i in range(10))
    assert refs.nth(7).locator("h3").inner_text() == "Reference 8"
    tiles = page.locator("#status-counts .tile").all_inner_texts()
    counts = {t.split("\n")[-1].strip(): int(t.split("\n")[0]) for t in tiles}
    assert counts == {"Verified": 6, "Problem": 0, "Not found": 0, "Unverified": 4, "Retracted": 0}
    severity = page.locator("#severity-counts").inner_text()
    assert "13" in severity and "Warnings" in severity
    verdict = page.locator(".verdict").inner_text()
    assert "9 of 10 references do not appear to support this manuscript" in verdict
    assert page.locator("svg.chart rect.bar").count() == 10 + 3  # relevance + finding codes
    assert page.locator("svg.chart").first.bounding_box()["height"] > 100
    # the raw citation and the record table sit side by side on a wide screen
    cols = page.locator("#ref-8 .cols > div")
    left, right = cols.nth(0).bounding_box(), cols.nth(1).bounding_box()
    assert right["x"] > left["x"] + left["width"] - 1 and abs(right["y"] - left["y"]) < 2
    # nothing is wider than the window
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    # a bar of the relevance chart jumps to its reference
    page.locator("svg.chart a[href='#ref-3']").click()
    assert page.evaluate("location.hash") == "#ref-3"
    page.evaluate("window.scrollTo(0, 0)")
    top = tmp_path / "seed-report.png"  # summary and charts (a full page costs seconds)
    page.screenshot(path=str(top))
    data = top.read_bytes()
    assert png_size(data) == (1280, 900) and len(data) > 50_000
    jaffe = tmp_path / "seed-reference-8.png"
    page.locator("#ref-8").screenshot(path=str(jaffe))
    width, height = png_size(jaffe.read_bytes())
    assert width > 1000 and height > 300
    watched.assert_clean(seed_file)


def test_seed_report_on_a_phone_and_in_print(browser: Any, seed_file: Path, tmp_path: Path) -> None:
    watched = Watched(browser, 390, 844)
    page = watched.open(seed_file)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    cols = page.locator("#ref-8 .cols > div")
    top, below = cols.nth(0).bounding_box(), cols.nth(1).bounding_box()
    assert below["y"] >= top["y"] + top["height"]  # stacked, not squeezed side by side
    page.screenshot(path=str(tmp_path / "seed-phone.png"))
    page.emulate_media(media="print")
    assert not page.locator(".page-nav").is_visible()
    assert page.locator("section.ref").count() == 10
    assert not page.locator("#ref-1 details").is_visible()  # lookups are for the screen
    watched.assert_clean(seed_file)


def test_batch_index_in_chromium(browser: Any, tmp_path: Path) -> None:
    """The batch index: its table, a link that opens the manuscript's report, no errors."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "seed.txt").write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "broken.pdf").write_bytes(b"not a pdf")
    out = tmp_path / "reports"
    code = main(["check", str(folder), "--replay", str(CASSETTES), "--output-dir", str(out)])
    assert code == 1
    index = out / "index.html"
    watched = Watched(browser, 1100)
    page = watched.open(index)
    assert page.locator("tbody tr").count() == 2
    assert page.locator("tbody tr").nth(0).inner_text().startswith("1\tbroken.pdf")
    page.click("text=seed.txt")
    page.wait_for_load_state("load")
    assert page.url == (out / "seed.txt.html").as_uri()
    assert page.locator("h1").inner_text() == TITLE
    assert watched.errors == []
    assert set(watched.requests) == {index.as_uri(), (out / "seed.txt.html").as_uri()}
    watched.context.close()

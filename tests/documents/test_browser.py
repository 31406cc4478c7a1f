"""The examples' HTML sites in a real browser: headless Chromium driven by Playwright.

The example (review edition) and the water utility (client edition). Every page loads
from disk without a console error, a page error or a failed request, requests nothing but
local files, and shows each chart as an SVG of non-zero size; no page overflows sideways
at 1280 or 800 px. Skips when Playwright or Chromium is missing (``.ci/run`` installs
Chromium with apt).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from blueprintc.documents import build_documents
from blueprintc.documents.catalog import Edition
from blueprintc.driver import Compilation, compile

ROOT = Path(__file__).resolve().parents[2]

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _chromium() -> str | None:
    configured = os.environ.get("BLUEPRINTC_CHROMIUM")
    if configured:
        return configured
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").is_file() else None


def _site(compilation: Compilation, folder: Path, edition: Edition) -> Path:
    files = build_documents(compilation, formats=("html",), edition=edition).files
    for name, data in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return folder / "html"


@pytest.fixture(scope="module")
def northwind_site(example: Compilation, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example's site, review edition (its source pages too)."""
    return _site(example, tmp_path_factory.mktemp("site"), Edition.REVIEW)


@pytest.fixture(scope="module")
def thornvale_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The water utility's site, client edition: the larger example, its longer names."""
    compilation = compile(ROOT / "examples" / "thornvale_water.cxb")
    assert compilation.ok
    return _site(compilation, tmp_path_factory.mktemp("thornvale"), Edition.CLIENT)


@pytest.fixture(params=["northwind_site", "thornvale_site"])
def site_dir(request: pytest.FixtureRequest) -> Path:
    value: Path = request.getfixturevalue(request.param)
    return value


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed")
    executable = _chromium()
    if executable is None:
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    with sync_api.sync_playwright() as playwright:
        try:
            launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        except Exception as error:  # a broken or incompatible browser build
            pytest.skip(f"Chromium at {executable} does not start under Playwright: {error}")
        try:
            yield launched
        finally:
            launched.close()


def _pages(site_dir: Path) -> list[Path]:
    return sorted(site_dir.rglob("*.html"))


def test_every_page_loads_cleanly_and_shows_its_charts(browser: Any, site_dir: Path) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    problems: list[str] = []
    remote: list[str] = []
    page.on(
        "console",
        lambda message: (
            problems.append(f"console {message.type}: {message.text}")
            if message.type in ("error", "warning")
            else None
        ),
    )
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.on("requestfailed", lambda request: problems.append(f"failed: {request.url}"))
    page.on(
        "request",
        lambda request: None if request.url.startswith("file://") else remote.append(request.url),
    )
    charts = 0
    for path in _pages(site_dir):
        page.goto(path.as_uri(), wait_until="load")
        assert page.title(), path
        sizes = page.eval_on_selector_all(
            "figure svg",
            "nodes => nodes.map(n => { const r = n.getBoundingClientRect();"
            " return [r.width, r.height]; })",
        )
        for width, height in sizes:
            assert width > 100 and height > 50, (path.name, width, height)
        charts += len(sizes)
        assert page.evaluate("getComputedStyle(document.body).fontFamily").startswith("system-ui")
    page.close()
    assert not problems, problems[:5]
    assert not remote, remote[:5]
    assert charts >= 5


def test_a_source_reference_opens_the_highlighted_line(browser: Any, northwind_site: Path) -> None:
    page = browser.new_page()
    page.goto((northwind_site / "05-phasing-plan.html").as_uri())
    link = page.locator('a[href^="source/"]').first
    href = link.get_attribute("href")
    link.click()
    page.wait_for_load_state("load")
    anchor = href.split("#", 1)[1]
    assert page.url.endswith(f"#{anchor}")
    background = page.eval_on_selector(f"#{anchor}", "n => getComputedStyle(n).backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", "transparent")  # :target is highlighted
    box = page.locator(f"#{anchor}").bounding_box()
    # In view: at the top up to the sub-pixel rounding of the scroll (20.875 px lines).
    assert box is not None and -1 < box["y"] < page.viewport_size["height"]
    page.close()


# What overflows the page sideways: the page itself, or a table wider than its box that is
# not inside a wrapper scrolling sideways on purpose (the site's ``div.table``).
_OVERFLOW = """() => {
  const root = document.documentElement;
  const found = [];
  if (root.scrollWidth > root.clientWidth) found.push(`page ${root.scrollWidth}px`);
  for (const table of document.querySelectorAll("table")) {
    const box = table.parentElement;
    const scrolls = ["auto", "scroll"].includes(getComputedStyle(box).overflowX);
    if (!scrolls && table.getBoundingClientRect().width > box.clientWidth + 1) {
      found.push(`table in ${box.tagName} ${Math.round(table.getBoundingClientRect().width)}px`);
    }
  }
  for (const node of document.querySelectorAll("main *")) {
    const right = node.getBoundingClientRect().right;
    if (right > root.clientWidth + 1 && !node.closest("div.table, pre")) {
      found.push(`${node.tagName}.${node.className} ends at ${Math.round(right)}px`);
    }
  }
  return found.slice(0, 5);
}"""


@pytest.mark.parametrize("width", [1280, 800])
def test_no_page_overflows_sideways(browser: Any, site_dir: Path, width: int) -> None:
    """Every page at a desktop and at a narrow window: nothing wider than the window, and
    every wide table scrolls inside its own box instead of being cut off."""
    page = browser.new_page(viewport={"width": width, "height": 900})
    problems = {}
    for path in _pages(site_dir):
        page.goto(path.as_uri(), wait_until="load")
        found = page.evaluate(_OVERFLOW)
        if found:
            problems[path.name] = found
    page.close()
    assert not problems, problems

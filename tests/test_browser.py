"""The interactive page in headless Chromium: drawn, searchable, clickable, offline, without console errors.

Set ``KGTOOLS_UPDATE_SCREENSHOT=1`` to refresh ``docs/img/viz.png`` from this run.
"""

import os
import shutil
from pathlib import Path

import pytest

from kgtools.paths import project
from kgtools.viz import render

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SCREENSHOT = Path(__file__).parent.parent / "docs" / "img" / "viz.png"

pytestmark = [
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"no Chromium at {CHROMIUM} to run the page in"),
    pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz dot is not installed"),
]


@pytest.fixture(scope="module")
def page_file(onto, tmp_path_factory):
    G = project(onto)
    path = tmp_path_factory.mktemp("viz") / "ccut.html"
    path.write_bytes(render(G, "html"))
    return G, path


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


def test_page_draws_searches_and_explains(page_file, browser, onto, tmp_path):
    G, path = page_file
    page = browser.new_page(viewport={"width": 1600, "height": 1000})
    problems, requests = [], []
    page.on("console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda err: problems.append(str(err)))
    page.on("request", lambda r: requests.append(r.url))
    page.goto(path.as_uri())
    page.wait_for_selector("#graph.ready", timeout=10_000)

    # Every node of the graph is drawn, and the hedged edges are dashed.
    assert page.locator("#graph svg g.node").count() == G.number_of_nodes()
    assert page.locator("#graph svg g.edge").count() == G.number_of_edges()
    dashed = page.locator("#graph svg g.edge path[stroke-dasharray]").count()
    assert dashed == sum(1 for *_, d in G.edges(keys=True, data=True) if d["hedged"])
    assert page.locator("#legend li").count() == 7

    # The search finds calciphylaxis, also by its synonym, and Enter selects it.
    page.fill("#search-box", "calciophylaxis")
    assert page.locator("#search-results li").all_inner_texts() == ["calciphylaxis CCUT:0001004 \u00b7 form"]
    page.fill("#search-box", "calciphylaxis")
    assert page.locator("#graph svg g.node.match").count() == 1
    page.press("#search-box", "Enter")
    definition = onto.lookup("calciphylaxis").definition
    assert definition in page.locator("#details").inner_text()

    # A click on the background clears the selection; a click on the node shows its details.
    page.mouse.click(5, 990)
    assert page.locator("#graph svg g.node.selected").count() == 0
    node = page.locator("#graph svg g.node", has=page.locator("title", has_text="CCUT:0001004"))
    node.click()
    details = page.locator("#details").inner_text()
    assert details.startswith("calciphylaxis")
    assert definition in details and "CCUT:0001004" in details and "MONDO:0017215" in details
    assert '\u201ca life-threatening condition in which there is progressive calcification of small-\u201d' in details
    assert page.locator("#graph svg g.node.selected").count() == 1

    shot = tmp_path / "viz.png"
    page.screenshot(path=str(shot))
    assert shot.stat().st_size > 10_000
    if os.environ.get("KGTOOLS_UPDATE_SCREENSHOT"):
        SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(shot, SCREENSHOT)

    # Zoom and pan move the view.
    before = page.get_attribute("#graph svg", "viewBox")
    page.click("#zoom-in")
    zoomed = page.get_attribute("#graph svg", "viewBox")
    assert float(zoomed.split()[2]) < float(before.split()[2])
    page.mouse.move(700, 500)
    page.mouse.down()
    page.mouse.move(600, 420, steps=5)
    page.mouse.up()
    panned = page.get_attribute("#graph svg", "viewBox")
    assert panned.split()[2:] == zoomed.split()[2:] and panned.split()[:2] != zoomed.split()[:2]

    assert problems == []
    assert all(url.startswith(("file:", "data:")) for url in requests), requests
    page.close()

"""The interactive page in headless Chromium, measured as a person sees it: readable, searchable, clickable, offline.

Set ``KGTOOLS_UPDATE_SCREENSHOT=1`` to refresh the screenshots in ``docs/img/`` from this run.
"""

import os
import shutil
from pathlib import Path

import pytest

from kgtools.graph.analysis import project
from kgtools.sparql.query import get_query
from kgtools.graph.viz import render

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
IMAGES = Path(__file__).parent.parent / "docs" / "img"
#: The text boxes of the terms drawn on screen: [left, top, right, bottom] in CSS pixels.
VISIBLE_LABELS = """() => {
  const seen = [];
  for (const group of document.querySelectorAll("#graph svg g.node.term")) {
    if (getComputedStyle(group).opacity < 0.5) continue;
    for (const text of group.querySelectorAll("text")) {
      const r = text.getBoundingClientRect(), g = document.getElementById("graph").getBoundingClientRect();
      if (r.width && r.left >= g.left && r.right <= g.right && r.top >= g.top && r.bottom <= g.bottom)
        seen.push({id: group.id, box: [r.left, r.top, r.right, r.bottom],
                   px: parseFloat(text.getAttribute("font-size")) * group.getScreenCTM().a});
    }
  }
  return seen;
}"""


def save(shot, name):
    if os.environ.get("KGTOOLS_UPDATE_SCREENSHOT"):
        IMAGES.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(shot, IMAGES / name)


def overlapping(labels):
    """Pairs of labels of two different terms whose text boxes overlap (the lines of one label may touch)."""
    return [(a["id"], b["id"]) for i, a in enumerate(labels) for b in labels[i + 1:]
            if a["id"] != b["id"] and a["box"][0] < b["box"][2] and b["box"][0] < a["box"][2]
            and a["box"][1] < b["box"][3] and b["box"][1] < a["box"][3]]

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
    assert page.locator("#graph svg g.node.term").count() == G.number_of_nodes()
    assert page.locator("#graph svg g.edge[id^=e]").count() == G.number_of_edges()
    dashed = page.locator("#graph svg g.edge path[stroke-dasharray]").count()
    assert dashed == sum(1 for *_, d in G.edges(keys=True, data=True) if d["hedged"])
    assert page.locator("#legend ul.kinds li").count() == 7

    # The first view reads: every term's label on screen, at 10 px or more, none over another,
    # and the legend beside the drawing, not over it.
    labels = page.evaluate(VISIBLE_LABELS)
    assert len({label["id"] for label in labels}) == G.number_of_nodes() >= 30
    assert min(label["px"] for label in labels) >= 10
    assert overlapping(labels) == []
    graph_box, legend_box = page.locator("#graph").bounding_box(), page.locator("#legend").bounding_box()
    assert legend_box["x"] >= graph_box["x"] + graph_box["width"]
    # Names of relations show only once they can be read.
    assert page.locator("#graph svg g.edge text").first.is_hidden()
    shot = tmp_path / "overview.png"
    page.screenshot(path=str(shot))
    save(shot, "viz-overview.png")

    # A union is drawn as alternatives: calciphylaxis -has phenotype (one of)-> "or" -> bulla, ulceration...
    junctions = page.locator("#graph svg g.node.junction text")
    assert junctions.count() == 4 and set(junctions.all_text_contents()) == {"or"}
    assert all(box["width"] > 8 for box in (j.bounding_box() for j in junctions.all()))

    # The search finds calciphylaxis, also by its synonym, and Enter selects it.
    page.fill("#search-box", "calciophylaxis")
    assert page.locator("#search-results li").all_inner_texts() == ["calciphylaxis CCUT:0001004 \u00b7 form"]
    page.fill("#search-box", "calciphylaxis")
    assert page.locator("#graph svg g.node.match").count() == 1
    page.press("#search-box", "Enter")
    definition = onto.lookup("calciphylaxis").definition
    assert definition in page.locator("#details").inner_text()
    # It frames calciphylaxis and its neighbours at a readable size, with the names of its relations.
    near = [label for label in page.evaluate(VISIBLE_LABELS)
            if "near" in page.get_attribute(f"#{label['id']}", "class")]
    assert len({label["id"] for label in near}) >= 8 and min(label["px"] for label in near) >= 13
    assert overlapping(near) == []
    assert "has phenotype (one of)" in page.locator("#graph svg g.edge.near text").all_text_contents()
    names = page.locator("#graph svg g.edge.near text")
    assert names.first.is_visible()
    # ... each name clear of the terms' labels.
    named = [{"id": f"name {i}", "box": [b["x"], b["y"], b["x"] + b["width"], b["y"] + b["height"]]}
             for i, b in enumerate(names.nth(i).bounding_box() for i in range(names.count()))]
    assert [pair for pair in overlapping(near + named) if pair[0].startswith("n") and pair[1].startswith("name")] == []
    # The panel gives the union as alternatives.
    union = page.locator("#details li.union", has_text="bulla")
    assert union.inner_text().startswith(
        "calciphylaxis \u2014has phenotype\u2192 one of bulla, ulceration or livedo reticularis-like pattern")
    shot = tmp_path / "search.png"
    page.screenshot(path=str(shot))
    save(shot, "viz.png")

    # A click on the background clears the selection; a click on the node shows its details.
    page.click("#zoom-fit")
    page.mouse.click(1050, 990)
    assert page.locator("#graph svg g.node.selected").count() == 0
    node = page.locator("#graph svg g.node", has=page.locator("title", has_text="CCUT:0001004"))
    node.click()
    details = page.locator("#details").inner_text()
    assert details.startswith("calciphylaxis")
    assert definition in details and "CCUT:0001004" in details and "MONDO:0017215" in details
    assert '\u201ca life-threatening condition in which there is progressive calcification of small-\u201d' in details
    assert page.locator("#graph svg g.node.selected").count() == 1


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


@pytest.fixture(scope="module")
def endpoint():
    import threading

    from kgtools.sparql.serve import QueryService, make_server

    service = QueryService(workers=1)
    server = make_server(service, "127.0.0.1", 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield "http://127.0.0.1:%d" % server.server_address[1]
    server.shutdown()
    server.server_close()
    service.close()


def results(page):
    """The status line and the table of results, once a run has drawn them."""
    page.wait_for_function("document.querySelector('#status').textContent.match(/^\\d+ (row|triple)/)")
    page.wait_for_selector("#out table")
    return page.inner_text("#status"), page.locator("#out table")


def test_endpoint_page_runs_stored_queries_with_parameters(endpoint, browser, tmp_path):
    page = browser.new_page(viewport={"width": 1600, "height": 1000})
    problems, requests = [], []
    page.on("console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda err: problems.append(str(err)))
    page.on("request", lambda r: requests.append(r.url))
    page.goto(endpoint + "/")

    # The query in the box: the twelve forms, each IRI shown as its label and CURIE, never as an IRI.
    page.click("#run")
    status, table = results(page)
    assert status == "12 rows" and table.locator("tbody tr").count() == 12
    cell = table.locator("td", has_text="CCUT:0001004")
    assert cell.first.inner_text() == "calciphylaxis CCUT:0001004"
    assert "http://purl" not in table.inner_text()

    # A stored query replaces the box with its own text and offers a form for its typed parameters.
    page.wait_for_function("document.querySelectorAll('#stored option').length > 15")
    page.select_option("#stored", "forms-for-condition")
    assert page.input_value("#query") == get_query("forms-for-condition").text
    assert page.input_value("#param-condition") == "dermatomyositis"
    assert "(entity)" in page.inner_text("#params")
    page.click("#run-stored")
    status, table = results(page)
    assert status == "1 row" and "calcinosis universalis" in table.inner_text() and "CCUT:0001006" in table.inner_text()
    page.fill("#param-condition", "systemic scleroderma")
    page.click("#run-stored")
    page.wait_for_function("document.querySelector('#out table') && "
                           "document.querySelector('#out table').innerText.includes('calcinosis circumscripta')")
    status, table = results(page)
    assert status.endswith("rows") and "CCUT:0001007" in table.inner_text()

    # Several terms for one parameter, separated by ";".
    page.select_option("#stored", "differential")
    page.fill("#param-finding", "calcium deposit; bulla")
    page.click("#run-stored")
    page.wait_for_function("document.querySelector('#out table') && "
                           "document.querySelector('#out table').innerText.includes('calciphylaxis')")
    first_row = page.locator("#out tbody tr").first.inner_text()
    assert "calciphylaxis" in first_row and "CCUT:0001004" in first_row
    shot = tmp_path / "endpoint.png"
    page.screenshot(path=str(shot))
    save(shot, "endpoint.png")

    # A CONSTRUCT is a table of triples too, with labels.
    page.select_option("#stored", "form-graph")
    page.click("#run-stored")
    page.wait_for_function("document.querySelector('#status').textContent.endsWith('triples')")
    table = page.locator("#out table")
    assert table.locator("th").all_inner_texts() == ["subject", "predicate", "object"]
    assert "has phenotype" in table.inner_text() and "RO:0002200" in table.inner_text()

    # A wide result scrolls inside its box; the page itself never grows wider than the window.
    page.select_option("#stored", "provenance")
    page.click("#run-stored")
    results(page)
    wide = page.locator("#out .wide")
    assert wide.evaluate("e => getComputedStyle(e).overflowX") == "auto"
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    assert problems == []
    assert all(url.startswith(endpoint) for url in requests)
    page.close()

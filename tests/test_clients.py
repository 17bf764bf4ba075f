"""SPARQL clients as informatics teams use them, against the endpoint over real HTTP: YASGUI in headless Chromium,
its page served from another loopback port than the endpoint (a cross-origin client), and Comunica (run with
node) using the endpoint as its source. Both come from the npm registry, pinned in ``tests/browser/`` and
installed there by ``make`` (``npm ci``), never fetched while the tests run."""

import json
import os
import re
import shutil
import subprocess
import threading
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from kgtools.sparql.serve import QueryService, make_server

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync"]
MODULES = Path(__file__).parent / "browser" / "node_modules"
YASGUI = MODULES / "@triply" / "yasgui" / "build"
COMUNICA = MODULES / "@comunica" / "query-sparql" / "bin" / "query.js"
PREFIXES = "PREFIX obo: <http://purl.obolibrary.org/obo/>\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
QUERIES = {
    "SELECT": PREFIXES + "SELECT ?form ?label WHERE { ?form rdfs:subClassOf* obo:CCUT_0001000 ; rdfs:label ?label }",
    "ASK": PREFIXES + "ASK { obo:CCUT_0001004 rdfs:subClassOf obo:CCUT_0001001 }",
    "CONSTRUCT": PREFIXES + "CONSTRUCT { ?f rdfs:label ?l } WHERE { ?f rdfs:subClassOf obo:CCUT_0001002 ; rdfs:label ?l }",
    "DESCRIBE": PREFIXES + "DESCRIBE obo:CCUT_0001004",
}
#: The YASGUI page: the endpoint on another origin, nothing stored in the browser, no prefix list fetched
#: from the web (the autocompleters would ask prefix.cc).
PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>YASGUI</title>
<link href="/yasgui.min.css" rel="stylesheet"></head><body><div id="yasgui"></div>
<script src="/yasgui.min.js"></script><script>
Yasgui.Yasqe.defaults.autocompleters = [];
window.yasgui = new Yasgui(document.getElementById("yasgui"), {
  requestConfig: {endpoint: ENDPOINT}, persistenceId: null, copyEndpointOnNewTab: false});
</script></body></html>"""


def need(path: Path, what: str):
    """Skip without the npm packages (fail in CI, where `make` installs them)."""
    if not path.exists():
        message = f"{what} is not installed in tests/browser/ (run make, which runs npm ci there)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture(scope="module")
def endpoint():
    service = QueryService(workers=1, timeout=10)
    server = make_server(service, "127.0.0.1", 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/sparql"
    server.shutdown()
    server.server_close()
    service.close()


def direct(endpoint, query, accept):
    request = urllib.request.Request(endpoint + "?" + urllib.parse.urlencode({"query": query}),
                                     headers={"Accept": accept})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.read()


@pytest.fixture(scope="module")
def yasgui_page(endpoint):
    """YASGUI's page, served from another loopback port than the endpoint's."""
    need(YASGUI, "YASGUI (@triply/yasgui)")
    page = PAGE.replace("ENDPOINT", json.dumps(endpoint)).encode()
    files = {"/yasgui.min.js": ("application/javascript", YASGUI / "yasgui.min.js"),
             "/yasgui.min.css": ("text/css", YASGUI / "yasgui.min.css")}

    class Pages(BaseHTTPRequestHandler):
        def do_GET(self):
            if self.path == "/":
                kind, body = "text/html; charset=utf-8", page
            elif self.path in files:
                kind, body = files[self.path][0], files[self.path][1].read_bytes()
            else:  # the browser's favicon
                self.send_response(204)
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Pages)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM}")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


def expected_rows(endpoint, form, query):
    """How many rows YASGUI should show: the solutions, or the triples, of the endpoint's own answer."""
    import pyoxigraph as ox

    if form == "SELECT":
        return len(json.loads(direct(endpoint, query, "application/sparql-results+json"))["results"]["bindings"])
    return len(list(ox.parse(direct(endpoint, query, "application/n-triples"), format=ox.RdfFormat.N_TRIPLES)))


def test_yasgui_on_another_origin_renders_every_query_form_by_get_and_post(endpoint, yasgui_page, browser):
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    problems, requests = [], []
    page.on("console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda err: problems.append(str(err)))
    page.on("request", lambda r: requests.append((r.method, r.url)))
    page.goto(yasgui_page)
    page.wait_for_function("window.yasgui && window.yasgui.getTab()")
    for method in ("GET", "POST"):
        for form, query in QUERIES.items():
            page.evaluate("""([query, method]) => new Promise(done => {
                const tab = yasgui.getTab();
                tab.setRequestConfig({method});
                tab.setQuery(query);
                yasgui.once("queryResponse", () => setTimeout(done, 100));
                tab.query();
            })""", [query, method])
            results = page.inner_text(".yasr")
            if form == "ASK":
                assert re.search(r"\bTrue\b", results), (method, results[:300])
                continue
            shown = re.search(r"(\d+) results? in", results)
            assert shown and int(shown.group(1)) == expected_rows(endpoint, form, query) > 0, (method, form)
            assert "CCUT_000100" in page.inner_text(".yasr table tbody"), (method, form)
    # A query posted as application/sparql-query from the page: the browser's preflight, then the answer.
    answer = page.evaluate("""([endpoint, query]) => fetch(endpoint, {method: "POST", body: query,
        headers: {"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"}})
        .then(r => r.json())""", [endpoint, QUERIES["ASK"]])
    assert answer["boolean"] is True
    assert problems == []
    port = urllib.parse.urlsplit(endpoint).port
    asked = [(m, url) for m, url in requests if urllib.parse.urlsplit(url).port == port]
    assert {m for m, _ in asked} == {"GET", "POST"} and len(asked) == 2 * len(QUERIES) + 1
    assert all(urllib.parse.urlsplit(url).hostname == "127.0.0.1" for _, url in requests)  # nothing from the web


def normalized(answer: bytes) -> list:
    """SPARQL JSON rows as sorted tuples of (variable, type, value, language, datatype)."""
    def cell(term):
        kind = "literal" if term["type"] == "typed-literal" else term["type"]
        datatype = term.get("datatype", "http://www.w3.org/2001/XMLSchema#string" if kind == "literal"
                            and "xml:lang" not in term else None)
        return kind, term["value"], term.get("xml:lang"), datatype

    rows = json.loads(answer)["results"]["bindings"]
    return sorted(tuple(sorted((var, *cell(term)) for var, term in row.items())) for row in rows)


def test_comunica_with_the_endpoint_as_its_source_gives_the_rows_of_a_direct_query(endpoint):
    need(COMUNICA, "Comunica (@comunica/query-sparql)")
    if shutil.which("node") is None:
        pytest.skip("node is not installed")
    query = QUERIES["SELECT"] + " ORDER BY ?label"
    run = subprocess.run(["node", str(COMUNICA), f"sparql@{endpoint}", "-q", query,
                          "-t", "application/sparql-results+json"], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr[-2000:]
    rows = normalized(run.stdout.encode())
    assert rows == normalized(direct(endpoint, query, "application/sparql-results+json"))
    assert len(rows) == 12

"""The SPARQL endpoint, tested over real HTTP with SPARQLWrapper: queries, formats, stored queries,
and the refusals (updates, LOAD, SERVICE, runaway queries, oversized results)."""

import json
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from SPARQLWrapper import CSV, JSON, JSONLD, TSV, TURTLE, XML, SPARQLWrapper
from serving import serve_process

from kgtools.sparql.serve import QueryService, make_server

PREFIXES = """PREFIX obo: <http://purl.obolibrary.org/obo/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""
FORMS = PREFIXES + "SELECT ?form ?label WHERE { ?form rdfs:subClassOf* obo:CCUT_0001000 ; rdfs:label ?label }"
#: Three unconstrained patterns over some 3,000 triples: about 10^10 solutions to count.
EXPLOSIVE = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
TIMEOUT = 2.0


@pytest.fixture(scope="module")
def endpoint():
    service = QueryService(workers=2, timeout=TIMEOUT, max_rows=100)
    server = make_server(service, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    host, port = server.server_address[:2]
    yield f"http://{host}:{port}"
    server.shutdown()
    server.server_close()
    service.close()


def sparql(endpoint, query, fmt=JSON, method="GET"):
    client = SPARQLWrapper(endpoint + "/sparql")
    client.setQuery(query)
    client.setReturnFormat(fmt)
    client.setMethod(method)
    return client.query()


def fetch(url, data=None, headers=None, method=None):
    """Status, content type and body of an HTTP request, errors included."""
    request = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers["Content-Type"], response.read().decode("utf-8")
    except urllib.error.HTTPError as err:
        return err.code, err.headers["Content-Type"], err.read().decode("utf-8")


def test_bound_to_loopback_by_default():
    import inspect

    assert inspect.signature(make_server).parameters["host"].default == "127.0.0.1"


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_select_as_sparql_json(endpoint, method):
    data = sparql(endpoint, FORMS, JSON, method).convert()
    labels = {b["label"]["value"] for b in data["results"]["bindings"]}
    assert len(labels) == 12 and "calciphylaxis" in labels


def test_select_as_xml_csv_tsv(endpoint):
    xml = sparql(endpoint, FORMS, XML).convert()
    assert len(xml.getElementsByTagName("result")) == 12
    csv = sparql(endpoint, FORMS, CSV).convert().decode()
    assert csv.splitlines()[0] == "form,label" and "calcinosis universalis" in csv
    tsv = sparql(endpoint, FORMS, TSV).convert().decode()
    assert tsv.splitlines()[0] == "?form\t?label"


def test_ask_and_construct(endpoint):
    ask = sparql(endpoint, PREFIXES + "ASK { obo:CCUT_0001004 rdfs:subClassOf obo:CCUT_0001001 }").convert()
    assert ask["boolean"] is True
    construct = PREFIXES + "CONSTRUCT { ?f rdfs:label ?l } WHERE { ?f rdfs:subClassOf obo:CCUT_0001002 ; rdfs:label ?l }"
    graph = sparql(endpoint, construct, TURTLE).convert()
    assert b"calcinosis universalis" in graph and b"calcinosis circumscripta" in graph
    jsonld = sparql(endpoint, construct, JSONLD).convert()
    assert len(jsonld) == 2  # an rdflib graph of the two labels


def test_form_encoded_post(endpoint):
    body = urllib.parse.urlencode({"query": FORMS}).encode()
    status, ctype, text = fetch(endpoint + "/sparql", body, {"Content-Type": "application/x-www-form-urlencoded",
                                                               "Accept": "text/csv"})
    assert status == 200 and ctype.startswith("text/csv") and len(text.splitlines()) == 13


def test_stored_query_with_parameters(endpoint):
    url = endpoint + "/queries/forms-for-condition?" + urllib.parse.urlencode({"condition": "dermatomyositis"})
    status, ctype, text = fetch(url, headers={"Accept": "application/sparql-results+json"})
    assert status == 200
    [row] = json.loads(text)["results"]["bindings"]
    assert row["form_label"]["value"] == "calcinosis universalis" and row["hedge_label"]["value"] == "as a rule"
    differential = endpoint + "/queries/differential?" + urllib.parse.urlencode(
        [("finding", "calcium deposit"), ("finding", "bulla"), ("format", "csv")])
    status, _, text = fetch(differential)
    assert status == 200 and text.splitlines()[1].startswith("http://purl.obolibrary.org/obo/CCUT_0001004,calciphylaxis,2")
    status, _, text = fetch(endpoint + "/queries")
    assert status == 200 and len(json.loads(text)) >= 15


def test_stored_query_errors(endpoint):
    status, _, text = fetch(endpoint + "/queries/no-such-query")
    assert status == 404
    injection = urllib.parse.urlencode({"condition": 'dermatomyositis" } ; DROP ALL ; #'})
    status, _, text = fetch(endpoint + "/queries/forms-for-condition?" + injection)
    assert status == 400 and "unknown term" in text
    status, _, text = fetch(endpoint + "/queries/provenance?line=51%20%7D%20DROP%20ALL")
    assert status == 400 and "not a valid integer" in text


@pytest.mark.parametrize("update", [
    "INSERT DATA { <http://example.org/a> <http://example.org/b> <http://example.org/c> }",
    "DROP ALL",
    "LOAD <http://example.org/data.ttl>",
    "DELETE WHERE { ?s ?p ?o }",
])
def test_updates_are_refused(endpoint, update):
    client = SPARQLWrapper(endpoint + "/sparql")
    client.setQuery(update)
    client.setMethod("POST")  # SPARQLWrapper sends updates as update=…
    with pytest.raises(urllib.error.HTTPError) as refused:
        client.query()
    assert refused.value.code == 403
    for body, ctype in [(update.encode(), "application/sparql-update"), (update.encode(), "application/sparql-query"),
                        (urllib.parse.urlencode({"query": update}).encode(), "application/x-www-form-urlencoded")]:
        status, _, text = fetch(endpoint + "/sparql", body, {"Content-Type": ctype})
        assert status == 403 and "read-only" in text
    count = sparql(endpoint, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").convert()
    assert int(count["results"]["bindings"][0]["n"]["value"]) > 2000  # nothing was dropped


def test_service_is_refused(endpoint):
    status, _, text = fetch(endpoint + "/sparql?" + urllib.parse.urlencode(
        {"query": "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }"}))
    assert status == 403 and "SERVICE is refused" in text


def test_other_methods_are_refused(endpoint):
    status, _, _ = fetch(endpoint + "/sparql", b"<a> <b> <c> .", {"Content-Type": "text/turtle"}, method="PUT")
    assert status == 405


def test_syntax_errors_and_unacceptable_formats(endpoint):
    status, _, text = fetch(endpoint + "/sparql?" + urllib.parse.urlencode({"query": "SELECT ?x WHERE {"}))
    assert status == 400 and "syntax" in text.lower()
    status, _, _ = fetch(endpoint + "/sparql?" + urllib.parse.urlencode({"query": FORMS}), headers={"Accept": "image/png"})
    assert status == 406
    status, _, _ = fetch(endpoint + "/sparql?" + urllib.parse.urlencode({"query": FORMS}), headers={"Accept": "text/turtle"})
    assert status == 406  # solutions are not a graph


def test_result_size_limit(endpoint):
    status, _, text = fetch(endpoint + "/sparql?" + urllib.parse.urlencode({"query": "SELECT * WHERE { ?s ?p ?o }"}))
    assert status == 413 and "more than 100 rows" in text


def test_runaway_query_is_stopped_and_others_are_served(endpoint):
    answers = {}

    def runaway():
        start = time.monotonic()
        answers["runaway"] = fetch(endpoint + "/sparql?" + urllib.parse.urlencode({"query": EXPLOSIVE}))
        answers["seconds"] = time.monotonic() - start

    thread = threading.Thread(target=runaway)
    thread.start()
    time.sleep(0.3)
    # While the runaway query holds one worker, the other answers.
    quick = sparql(endpoint, FORMS).convert()
    assert len(quick["results"]["bindings"]) == 12
    thread.join(30)
    status, _, text = answers["runaway"]
    assert status == 503 and "stopped" in text
    assert answers["seconds"] < TIMEOUT + 5
    # The killed worker is replaced: the endpoint keeps serving, on both workers.
    for _ in range(4):
        assert len(sparql(endpoint, FORMS).convert()["results"]["bindings"]) == 12


def test_browser_page(endpoint):
    status, ctype, html = fetch(endpoint + "/")
    assert status == 200 and ctype.startswith("text/html")
    assert "<form" in html and "/sparql" in html and "<textarea" in html
    assert "src=\"http" not in html and "href=\"http" not in html  # nothing from a CDN


def files_open_in(pid, folder):
    """The files under ``folder`` that a process or one of its descendants holds open."""
    import os

    found, pending = set(), [pid]
    while pending:
        current = pending.pop()
        try:
            for fd in os.listdir(f"/proc/{current}/fd"):
                try:
                    target = os.readlink(f"/proc/{current}/fd/{fd}")
                except OSError:  # closed meanwhile (the listing's own descriptor, when the process is this one)
                    continue
                if target.startswith(str(folder) + os.sep):
                    found.add(target)
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as children:
                    pending += [int(child) for child in children.read().split()]
        except OSError:  # the process ended meanwhile
            continue
    return found


def test_a_second_serve_reads_the_store_the_first_one_built(tmp_path):
    """Beyond the memory limit (0 here), the first serve parses into memory and has the persistent store built
    meanwhile, then its workers move onto it; a second serve of the same input reads that store from the start.
    Every answer is the same."""
    cache = tmp_path / "stores"
    asked = ["/queries/forms-by-site?site=hypodermis&format=tsv",
             "/sparql?format=csv&query=" + urllib.parse.quote("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")]
    first, base = serve_process("--store", str(cache), "--memory-limit", "0")
    try:
        from_memory = [fetch(base + path) for path in asked]
        assert from_memory[0][0] == 200 and "calciphylaxis" in from_memory[0][2]
        deadline = time.monotonic() + 120
        store = None
        while store is None:  # the workers read files of one store in the cache once they moved onto it
            held = {Path(f).relative_to(cache).parts[0] for f in files_open_in(first.pid, cache)}
            store = next((cache / name for name in held if not name.startswith(".")), None)
            assert first.poll() is None and time.monotonic() < deadline, "the workers never moved onto the store"
            time.sleep(0.2)
        assert (store / "kgtools-inputs.json").is_file()
        # Asked afresh (by the CURIE, and with a comment): the workers on the store answer the same.
        assert fetch(base + asked[0].replace("hypodermis", "UBERON:0002072")) == from_memory[0]
        assert fetch(base + asked[1] + "%23again") == from_memory[1]
    finally:
        first.terminate()
        first.wait(10)
    second, base = serve_process("--store", str(cache), "--memory-limit", "0")
    try:
        assert {Path(f).relative_to(cache).parts[0] for f in files_open_in(second.pid, cache)} >= {store.name}
        assert [fetch(base + path) for path in asked] == from_memory
    finally:
        second.terminate()
        second.wait(10)


def test_a_dataset_within_the_memory_limit_is_read_from_memory(tmp_path):
    """Within the limit, the workers read the keeper's graph in memory, even once the persistent store is built
    (for the commands to come). A second service answers from that store at once, then moves its workers to the
    dataset in memory; one byte less than the keeper's copy and the workers' (MEMORY_PER_QUAD a quad) and its
    workers stay on the store."""
    import os

    from kgtools import store as stores
    from kgtools.resources import ontology_path
    from kgtools.sparql.workers import MEMORY_PER_QUAD

    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    service = QueryService(store=tmp_path, workers=1, timeout=5)
    try:
        stores.wait_for_builds()
        location = stores.persistent_store([ontology_path()], tmp_path, service.graphs)
        quads = stores.stored_quads(location)
        assert quads > 5000 and service.location is None
        answer = service.run(count, formats=["csv"])
        assert not files_open_in(os.getpid(), location)
    finally:
        service.close()
    needed = quads * MEMORY_PER_QUAD * (1 + 2)  # the keeper, the worker for long queries and the one for quick ones
    for limit, moves in [(needed, True), (needed - 1, False)]:
        again = QueryService(store=tmp_path, workers=1, timeout=5, memory_limit=limit)
        try:
            assert again.location == location and files_open_in(os.getpid(), location)
            assert again.run(count + " # from the store", formats=["csv"]) == answer
            deadline = time.monotonic() + 60
            while moves and (again.location is not None or again.busy or files_open_in(os.getpid(), location)):
                assert time.monotonic() < deadline, "the workers did not move to the dataset in memory"
                time.sleep(0.05)
            assert again.run(count + " # again", formats=["csv"]) == answer
            assert bool(files_open_in(os.getpid(), location)) == (not moves)
            assert again.location == (None if moves else location)
        finally:
            again.close()


def test_a_bad_input_is_one_clear_error(tmp_path):
    from kgtools.errors import InputError

    broken = tmp_path / "broken.ttl"
    broken.write_text('@prefix : <http://e/> .\n:a :b :c .\n:a :b "x\n')
    with pytest.raises(InputError, match=r"broken.ttl:3:7: syntax error at line 3, column 7"):
        QueryService([broken], workers=1)
    empty = tmp_path / "empty.nt"
    empty.write_text("# nothing yet\n")
    with pytest.raises(InputError, match=r"empty.nt: no triples"):
        QueryService([empty], workers=1)


def test_browser_page_runs_queries(endpoint):
    """In headless Chromium: the page runs the query it shows, and a stored query picked from the list."""
    from pathlib import Path

    chromium = "/usr/bin/chromium"
    if not Path(chromium).exists():
        pytest.skip(f"no Chromium at {chromium}")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=["--headless", "--no-sandbox",
                                                                           "--disable-gpu", "--no-first-run"])
        try:
            page = browser.new_page()
            problems, requests = [], []
            page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda err: problems.append(str(err)))
            page.on("request", lambda r: requests.append(r.url))
            page.goto(endpoint + "/")
            page.click("#run")
            page.wait_for_selector("#out table")
            assert page.locator("#out table tr").count() == 13  # a header and the twelve forms
            page.wait_for_function("document.querySelectorAll('#stored option').length > 15")
            page.select_option("#stored", "forms-for-condition")
            page.click("#run-stored")
            page.wait_for_function("document.querySelector('#out table') !== null"
                                   " && document.querySelector('#out table').innerText.includes('as a rule')")
            assert "calcinosis universalis" in page.inner_text("#out table")
            assert problems == []
            assert all(url.startswith(endpoint) for url in requests)
        finally:
            browser.close()


# --------------------------------------------------------------------------- SPARQL 1.1 Protocol, as clients use it
DESCRIBE = PREFIXES + "DESCRIBE obo:CCUT_0001004"
CONSTRUCT = PREFIXES + "CONSTRUCT { ?f rdfs:label ?l } WHERE { ?f rdfs:subClassOf obo:CCUT_0001002 ; rdfs:label ?l }"
ASK = PREFIXES + "ASK { obo:CCUT_0001004 rdfs:subClassOf obo:CCUT_0001001 }"


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_sparqlwrapper_defaults_for_every_query_form(endpoint, method):
    """SPARQLWrapper with no return format set (it sends format=xml: SPARQL XML or RDF/XML by query form)."""
    import rdflib

    def query(text):
        client = SPARQLWrapper(endpoint + "/sparql")
        client.setQuery(text)
        client.setMethod(method)
        return client.query().convert()

    assert len(query(FORMS).getElementsByTagName("result")) == 12
    assert query(ASK).getElementsByTagName("boolean")[0].firstChild.data == "true"
    labels = {str(o) for o in query(CONSTRUCT).objects(None, rdflib.RDFS.label)}
    assert labels == {"calcinosis universalis", "calcinosis circumscripta"}
    described = query(DESCRIBE)
    assert (rdflib.URIRef("http://purl.obolibrary.org/obo/CCUT_0001004"), rdflib.RDFS.label,
            rdflib.Literal("calciphylaxis", lang="en")) in described


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_sparqlwrapper_graph_results_in_each_format(endpoint, method):
    import rdflib
    from SPARQLWrapper import N3, RDFXML

    for fmt in (XML, RDFXML, JSON, JSONLD, TURTLE, N3):
        for text in (CONSTRUCT, DESCRIBE):
            client = SPARQLWrapper(endpoint + "/sparql")
            client.setQuery(text)
            client.setMethod(method)
            client.setReturnFormat(fmt)
            result = client.query().convert()
            if isinstance(result, bytes):  # Turtle and N3 come as text
                result = rdflib.Graph().parse(data=result, format="turtle")
            if isinstance(result, (list, dict)):  # JSON-LD asked for as JSON
                result = rdflib.Graph().parse(data=json.dumps(result), format="json-ld")
            assert len(result) >= 2, (fmt, text)


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_sparqlwrapper_solutions_in_each_format(endpoint, method):
    for fmt in (XML, JSON, CSV, TSV):
        rows = sparql(endpoint, FORMS, fmt, method).convert()
        count = {XML: lambda r: len(r.getElementsByTagName("result")),
                 JSON: lambda r: len(r["results"]["bindings"]),
                 CSV: lambda r: len(r.decode().splitlines()) - 1, TSV: lambda r: len(r.decode().splitlines()) - 1}
        assert count[fmt](rows) == 12, fmt
    assert sparql(endpoint, ASK, JSON, method).convert()["boolean"] is True
    assert sparql(endpoint, ASK, XML, method).convert().getElementsByTagName("boolean")[0].firstChild.data == "true"


@pytest.mark.parametrize("method", ["GET", "POST", "POST_FORM"])
def test_rdflib_sparqlstore(endpoint, method):
    import rdflib
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    graph = rdflib.Graph(SPARQLStore(endpoint + "/sparql", method=method))
    labels = {str(row.label) for row in graph.query(FORMS)}
    assert len(labels) == 12 and "calciphylaxis" in labels
    assert graph.query(ASK).askAnswer is True
    form = rdflib.URIRef("http://purl.obolibrary.org/obo/CCUT_0001004")
    assert str(graph.value(form, rdflib.RDFS.label)) == "calciphylaxis"  # triples() over the endpoint


def test_service_description(endpoint):
    import rdflib

    for path, accept, fmt in [("/sparql", None, "turtle"), ("/query", "application/rdf+xml", "xml"),
                              ("/sparql", "application/ld+json", "json-ld")]:
        status, ctype, text = fetch(endpoint + path, headers={"Accept": accept} if accept else {})
        assert status == 200 and ctype.split(";")[0] in ("text/turtle", "application/rdf+xml", "application/ld+json")
        description = rdflib.Graph().parse(data=text, format=fmt)
        sd = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
        [service] = description.subjects(rdflib.RDF.type, sd.Service)
        assert str(service) == endpoint + path
        assert (service, sd.supportedLanguage, sd.SPARQL11Query) in description
        assert (service, sd.resultFormat, rdflib.URIRef("http://www.w3.org/ns/formats/SPARQL_Results_JSON")) in description
        [dataset] = description.objects(service, sd.defaultDataset)
        assert [str(description.value(g, sd.name)) for g in description.objects(dataset, sd.namedGraph)] == [
            "http://purl.obolibrary.org/obo/ccut.owl"]


def test_dataset_parameters_choose_among_the_served_graphs(endpoint):
    """Each input is a named graph (the packaged ontology's is its ontology IRI), their union the default graph;
    default-graph-uri and named-graph-uri make the query's dataset, every way a query arrives."""
    ccut = "http://purl.obolibrary.org/obo/ccut.owl"
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    in_graphs = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"

    def ask(query, **params):
        fields = [("query", query)] + [(k.replace("_", "-"), v) for k, values in params.items() for v in values]
        answers = [fetch(endpoint + "/sparql?" + urllib.parse.urlencode(fields), headers={"Accept": "text/csv"}),
                   fetch(endpoint + "/sparql", urllib.parse.urlencode(fields).encode(),
                         {"Content-Type": "application/x-www-form-urlencoded", "Accept": "text/csv"}),
                   fetch(endpoint + "/sparql?" + urllib.parse.urlencode(fields[1:]), query.encode(),
                         {"Content-Type": "application/sparql-query", "Accept": "text/csv"})]
        assert len({a[2] for a in answers}) == 1 and answers[0][0] == 200, answers
        return answers[0][2].splitlines()[1:]

    [everything] = ask(count)
    assert ask(count, default_graph_uri=[ccut]) == [everything]
    assert ask(in_graphs) == [f"{ccut},{everything}"]
    assert ask(count, default_graph_uri=["http://example.org/not-served"]) == ["0"]  # empty, never fetched
    assert ask(in_graphs, default_graph_uri=[ccut]) == []  # the dataset named no named graph
    assert ask(in_graphs, named_graph_uri=[ccut]) == [f"{ccut},{everything}"]
    assert ask(count, named_graph_uri=[ccut]) == ["0"]  # ... and no default graph
    # Over the query's own FROM, as the protocol says.
    assert ask("SELECT (COUNT(*) AS ?n) FROM <http://example.org/g> WHERE { ?s ?p ?o }",
               default_graph_uri=[ccut]) == [everything]
    status, _, text = fetch(endpoint + "/queries/subforms?" + urllib.parse.urlencode(
        {"form": "idiopathic calcinosis cutis", "default-graph-uri": "http://example.org/g", "format": "csv"}))
    assert status == 200 and text.splitlines()[1:] == []
    status, _, text = fetch(endpoint + "/sparql?" + urllib.parse.urlencode({"query": count,
                                                                           "default-graph-uri": "not an IRI"}))
    assert status == 400 and "IRI" in text


def test_relative_iris_resolve_against_the_request_url(endpoint):
    status, _, text = fetch(endpoint + "/sparql/?" + urllib.parse.urlencode(
        {"query": "CONSTRUCT { <s> <p> 1 } WHERE {}"}), headers={"Accept": "application/n-triples"})
    assert status == 200 and text.startswith(f"<{endpoint}/sparql/s> <{endpoint}/sparql/p> ")
    status, _, text = fetch(endpoint + "/query?format=csv&query=" + urllib.parse.quote("SELECT (<x> AS ?x) {}"))
    assert status == 200 and text.splitlines()[1] == endpoint + "/x"


def test_a_post_says_its_content_type_and_charset(endpoint):
    status, _, text = fetch(endpoint + "/sparql", b"query=ASK%20%7B%7D", {"Content-Type": ""})
    assert status == 400 and "Content-Type" in text
    status, _, text = fetch(endpoint + "/sparql", "ASK {}".encode("utf-16"),
                            {"Content-Type": "application/sparql-query; charset=UTF-16"})
    assert status == 415 and "UTF-8" in text
    status, _, text = fetch(endpoint + "/sparql", "ASK { FILTER(\"é\" = \"é\") }".encode(),
                            {"Content-Type": 'application/sparql-query; charset="utf-8"'})
    assert status == 200 and "true" in text


def test_cors_for_pages_of_other_origins(endpoint):
    page = {"Origin": "http://127.0.0.1:9"}
    request = urllib.request.Request(endpoint + "/sparql", method="OPTIONS", headers={
        **page, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type"})
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status == 204
        assert response.headers["Access-Control-Allow-Origin"] == "*"
        assert set(response.headers["Access-Control-Allow-Methods"].split(", ")) == {"GET", "POST", "OPTIONS"}
        assert "content-type" in response.headers["Access-Control-Allow-Headers"].lower()
        assert int(response.headers["Access-Control-Max-Age"]) > 0
    for url, data, headers in [(endpoint + "/sparql?query=" + urllib.parse.quote(ASK), None, page),
                               (endpoint + "/sparql", ASK.encode(), {**page, "Content-Type": "application/sparql-query"}),
                               (endpoint + "/sparql?query=DROP%20ALL", None, page),
                               (endpoint + "/queries", None, page)]:
        request = urllib.request.Request(url, data=data, headers=headers)
        try:
            response = urllib.request.urlopen(request, timeout=30)
        except urllib.error.HTTPError as err:
            response = err
        assert response.headers["Access-Control-Allow-Origin"] == "*", url


def test_cors_restricted_to_some_origins_or_none():
    service = QueryService(workers=1, timeout=5)
    servers = [make_server(service, "127.0.0.1", 0, cors=origins) for origins in (["http://a.example:8"], [])]
    try:
        for server in servers:
            threading.Thread(target=server.serve_forever, daemon=True).start()
        restricted, closed = (f"http://127.0.0.1:{server.server_address[1]}" for server in servers)

        def allowed(base, origin, method="GET"):
            request = urllib.request.Request(base + "/sparql?query=ASK%7B%7D", method=method, headers={
                "Origin": origin, "Access-Control-Request-Method": "POST"})
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, response.headers["Access-Control-Allow-Origin"]

        assert allowed(restricted, "http://a.example:8") == (200, "http://a.example:8")
        assert allowed(restricted, "http://a.example:8", "OPTIONS") == (204, "http://a.example:8")
        assert allowed(restricted, "http://b.example") == (200, None)
        assert allowed(closed, "http://a.example:8") == (200, None)
        assert allowed(closed, "http://a.example:8", "OPTIONS") == (204, None)
    finally:
        for server in servers:
            server.shutdown()
            server.server_close()
        service.close()


def test_a_repeated_request_is_answered_from_the_kept_answers_within_their_bound(monkeypatch):
    """The store does not change while served: a repeated query needs no worker; the kept answers stay bounded."""
    from kgtools.sparql import workers

    service = QueryService(workers=1, timeout=5)
    try:
        first = service.run_stored("subforms", {"form": "idiopathic calcinosis cutis"}, ["csv"])
        monkeypatch.setattr(service, "_take", lambda: pytest.fail("a repeated request reached a worker"))
        assert service.run_stored("subforms", {"form": "idiopathic calcinosis cutis"}, ["csv"]) == first
        with pytest.raises(BaseException, match="reached a worker"):
            service.run_stored("subforms", {"form": "calcinosis cutis"}, ["csv"])
        monkeypatch.undo()
        monkeypatch.setattr(workers, "ANSWER_CACHE_BYTES", 4096)
        for n in range(40):
            service.run(f"SELECT ?l WHERE {{ ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l }} LIMIT {n + 1}",
                        formats=["csv"])
        assert 0 < service.cached_bytes <= 4096
    finally:
        service.close()


def test_graph_of_the_embedded_store_as_the_endpoint_names_it(tmp_path):
    """`kgtools query --graph` without an endpoint: the inputs as named graphs, as `kgtools serve` holds them."""
    from kgtools.errors import InputError
    from kgtools.ontology import Ontology
    from kgtools.sparql.query import run_stored
    from kgtools.sparql.remote import open_engine
    from kgtools.resources import ontology_path

    extension = tmp_path / "extension.ttl"
    extension.write_text("<http://example.org/ext> a <http://www.w3.org/2002/07/owl#Ontology> .\n"
                         "<http://example.org/a> <http://www.w3.org/2000/01/rdf-schema#label> \"a\" .\n")
    unnamed = tmp_path / "unnamed.nt"
    unnamed.write_text("<http://example.org/b> <http://www.w3.org/2000/01/rdf-schema#label> \"b\" .\n")
    onto = Ontology.load(ontology_path(), extension, unnamed)
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"

    def triples(graph=None):
        return open_engine(onto, graph=graph, store=str(tmp_path / "stores")).run(count).records()[0]["n"]

    ccut = triples("http://purl.obolibrary.org/obo/ccut.owl")
    assert (triples("http://example.org/ext"), triples(unnamed.resolve().as_uri())) == (2, 1)
    assert triples() == ccut + 3 and triples("http://example.org/not-served") == 0
    # A stored query on one graph: the forms are in the ontology's graph, none in the extension's.
    assert len(run_stored(onto, "forms", engine=open_engine(onto, graph="http://purl.obolibrary.org/obo/ccut.owl")
                          ).rows) == len(run_stored(onto, "forms").rows) == 12
    assert run_stored(onto, "forms", engine=open_engine(onto, graph="http://example.org/ext")).rows == []
    with pytest.raises(InputError, match="Oxigraph"):
        open_engine(onto, "rdflib", graph="http://example.org/ext")


def test_serve_refuses_bad_options_in_one_line(kgtools_process, tmp_path):
    for args, message in [(["--named", "no-equals-sign"], "expected IRI=FILE"),
                          (["--named", f"http://e/g={tmp_path / 'missing.ttl'}"], "missing.ttl"),
                          (["--cors", "http://a.example", "--no-cors"], "--no-cors")]:
        run = kgtools_process("serve", "--port", "0", *args)
        assert run.returncode == 2 and message in run.stderr and len(run.stderr.strip().splitlines()) == 1, run.stderr

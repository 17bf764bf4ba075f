"""The W3C SPARQL 1.1 Protocol tests, run as their manifest writes them against a real ``kgtools serve`` process.

The manifest and its data files are a vendored copy (``tests/data/w3c-protocol/README.md`` says from where):
each test's requests are sent over HTTP with their method, path, headers and body, and each response is checked
for the status class, the result format and the boolean the manifest expects. The update tests are refused
(403), and every graph stays as it was.
"""

import http.client
import json
import urllib.parse
from pathlib import Path
from xml.etree import ElementTree

import pytest
import rdflib
from serving import serve_process

HERE = Path(__file__).parent / "data" / "w3c-protocol"
MF = rdflib.Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = rdflib.Namespace("http://www.w3.org/2011/http#")
CNT = rdflib.Namespace("http://www.w3.org/2011/content#")
UT = rdflib.Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
STATUS = "http://www.w3.org/2011/http-statusCodes#StatusCode"
#: The media types of each result format the manifest names.
FORMATS = {
    "boolean": {"application/sparql-results+json", "application/sparql-results+xml"},
    "tabular": {"application/sparql-results+json", "application/sparql-results+xml", "text/csv",
                "text/tab-separated-values"},
    "RDF": {"application/rdf+xml", "text/turtle", "application/n-triples"},
}
MANIFEST = rdflib.Graph().parse(HERE / "manifest.ttl", format="turtle", publicID="http://www.example/manifest.ttl")


def entries():
    """The manifest's tests in its order: (name, [request description, ...])."""
    [manifest] = MANIFEST.subjects(rdflib.RDF.type, MF.Manifest)
    tests = []
    for test in rdflib.collection.Collection(MANIFEST, MANIFEST.value(manifest, MF.entries)):
        action = MANIFEST.value(test, MF.action)
        requests = []
        for node in rdflib.collection.Collection(MANIFEST, MANIFEST.value(action, HT.requests)):
            body = MANIFEST.value(node, HT.body)
            headers = MANIFEST.value(node, HT.headers)
            response = MANIFEST.value(node, HT.resp)
            requests.append({
                "method": str(MANIFEST.value(node, HT.methodName)),
                "path": str(MANIFEST.value(node, HT.absolutePath)),
                "headers": {str(MANIFEST.value(h, HT.fieldName)): str(MANIFEST.value(h, HT.fieldValue))
                            for h in (rdflib.collection.Collection(MANIFEST, headers) if headers else [])},
                "body": None if body is None else str(MANIFEST.value(body, CNT.chars)).encode(
                    str(MANIFEST.value(body, CNT.characterEncoding) or "UTF-8")),
                "status": {int(str(s)[len(STATUS)]) for s in MANIFEST.objects(response, MF.expectedStatus)},
                "format": MANIFEST.value(response, MF.expectedFormat),
                "boolean": MANIFEST.value(response, MF.expectedBoolean),
            })
        tests.append((str(test).rsplit("#", 1)[1], requests))
    return tests


TESTS = entries()
QUERY_TESTS = [(name, requests) for name, requests in TESTS if not name.startswith("update_")]
UPDATE_TESTS = [(name, requests) for name, requests in TESTS if name.startswith("update_")]


def graph_data():
    """Each data file of the manifest and the graph IRI it is to be served as."""
    named = {}
    for data in MANIFEST.objects(None, UT.graphData):
        named[str(MANIFEST.value(data, rdflib.RDFS.label))] = HERE / Path(str(MANIFEST.value(data, UT.graph))).name
    return named


@pytest.fixture(scope="module")
def endpoint():
    args = [f"--named={iri}={path}" for iri, path in sorted(graph_data().items())]
    process, base = serve_process(*args)
    yield urllib.parse.urlsplit(base).netloc
    process.terminate()
    process.wait(10)


def send(authority, request):
    """Status, media type and body of one request of the manifest, sent as written."""
    conn = http.client.HTTPConnection(authority, timeout=60)
    try:
        conn.request(request["method"], request["path"], body=request["body"], headers=request["headers"])
        response = conn.getresponse()
        media = (response.getheader("Content-Type") or "").split(";")[0].strip()
        return response.status, media, response.read()
    finally:
        conn.close()


def boolean(media, body):
    if media == "application/sparql-results+json":
        return json.loads(body)["boolean"]
    [answer] = ElementTree.fromstring(body).iter("{http://www.w3.org/2005/sparql-results#}boolean")
    return answer.text == "true"


def dataset(authority):
    """Every quad the endpoint serves, as sorted CSV lines (the default graph's with no graph name)."""
    query = "SELECT ?g ?s ?p ?o WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"
    status, _, body = send(authority, {"method": "GET", "path": "/sparql?" + urllib.parse.urlencode(
        {"query": query}), "headers": {"Accept": "text/csv"}, "body": None})
    assert status == 200
    return sorted(body.decode().splitlines()[1:])


def test_the_manifest_has_27_query_tests_and_7_update_tests():
    assert (len(QUERY_TESTS), len(UPDATE_TESTS)) == (27, 7)
    assert len(graph_data()) == 3


@pytest.mark.parametrize("name, requests", QUERY_TESTS, ids=[name for name, _ in QUERY_TESTS])
def test_query(endpoint, name, requests):
    for request in requests:
        status, media, body = send(endpoint, request)
        assert status // 100 in request["status"], (status, body)
        if request["format"] is not None:
            assert media in FORMATS[str(request["format"])], media
        if request["boolean"] is not None:
            assert boolean(media, body) == request["boolean"].toPython()


def test_updates_are_refused_and_change_nothing(endpoint):
    before = dataset(endpoint)
    assert len(before) == 6  # three triples, each in the default graph and in its named graph
    for name, requests in UPDATE_TESTS:
        update = requests[0]
        assert "update" in update["headers"].get("content-type", "") or update["body"].startswith(b"update=")
        status, _, body = send(endpoint, update)
        assert status == 403 and b"read-only" in body, name
        assert dataset(endpoint) == before, name

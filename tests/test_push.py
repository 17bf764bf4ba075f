"""Remote triple stores: push the ontology into a real Oxigraph server over the Graph Store Protocol,
then run every stored query there and get the answers the embedded store gives."""

import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

from kgtools.cli import main
from kgtools.errors import KgtoolsError
from kgtools.query import OxigraphEngine, bind_parameters, catalog, get_query
from kgtools.remote import RemoteEngine, push

GRAPH = "http://purl.obolibrary.org/obo/ccut.owl"


def _oxigraph_binary():
    local = Path(sys.executable).parent / "oxigraph"
    return str(local) if local.exists() else shutil.which("oxigraph")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """An Oxigraph server on a free loopback port, with an on-disk store; stopped afterwards."""
    binary = _oxigraph_binary()
    if not binary:
        pytest.skip("the oxigraph server binary is not installed (pip install oxigraph)")
    port = _free_port()
    location = tmp_path_factory.mktemp("oxigraph")
    process = subprocess.Popen([binary, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(base + "/query?query=ASK%7B%7D", timeout=2).close()
            break
        except (urllib.error.URLError, ConnectionError):
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail(f"oxigraph did not start: {process.stderr.read().decode()[:500]}")
            time.sleep(0.1)
    yield base
    process.terminate()
    process.wait(10)


@pytest.fixture(scope="module")
def pushed(server, onto):
    assert push(onto, server + "/store") == len(onto.graph)
    return server


def test_push_loads_every_triple(pushed, onto):
    count = RemoteEngine(pushed + "/query").run("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").records()
    assert count == [{"n": len(onto.graph)}]


def test_every_stored_query_answers_remotely_as_locally(pushed, onto):
    local, remote = OxigraphEngine.from_ontology(onto), RemoteEngine(pushed + "/query")
    calls = [(name, {}) for name in catalog()] + [
        ("forms-for-condition", {"condition": "connective tissue disease"}),
        ("differential", {"finding": ["calcium deposit", "infarctive necrosis", "bulla"]}),
        ("provenance", {"line": "51"}),
    ]
    for name, params in calls:
        query = get_query(name)
        bindings = bind_parameters(onto, query, params)
        assert remote.run(query.text, bindings).normalized() == local.run(query.text, bindings).normalized(), name


def test_push_again_replaces_and_append_adds(pushed, onto):
    remote = RemoteEngine(pushed + "/query")
    push(onto, pushed + "/store")  # PUT: the same graph again, not twice
    assert remote.run("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").records() == [{"n": len(onto.graph)}]


def test_push_into_a_named_graph(server, onto):
    push(onto, server + "/store", graph=GRAPH)
    remote = RemoteEngine(server + "/query")
    answer = remote.run(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{GRAPH}> {{ ?s ?p ?o }} }}")
    assert answer.records() == [{"n": len(onto.graph)}]


def test_injection_through_a_remote_parameter_stays_a_literal(pushed, onto):
    query = get_query("xrefs")
    bindings = bind_parameters(onto, query, {"prefix": 'MONDO" ) } ; DROP ALL ; #'})
    remote = RemoteEngine(pushed + "/query")
    assert remote.run(query.text, bindings).rows == []
    assert remote.run("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").records() == [{"n": len(onto.graph)}]


def test_cli_push_and_query(server):
    runner = CliRunner()
    pushed = runner.invoke(main, ["push", "--endpoint", server + "/store"])
    assert pushed.exit_code == 0, pushed.output
    assert "into the default graph" in pushed.output
    result = runner.invoke(main, ["query", "forms-for-condition", "--endpoint", server + "/query",
                                  "--param", "condition=dermatomyositis", "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert "calcinosis universalis" in result.output and "as a rule" in result.output


def test_unreachable_store_is_one_clear_error(onto):
    port = _free_port()  # nothing listens there
    with pytest.raises(KgtoolsError, match="cannot connect"):
        push(onto, f"http://127.0.0.1:{port}/store")
    result = CliRunner().invoke(main, ["push", "--endpoint", "ftp://example.org/store"])
    assert result.exit_code == 2 and "not an http(s) URL" in result.output

"""Remote triple stores: push the ontology into a real Oxigraph server over the Graph Store Protocol,
then run every stored query there and get the answers the embedded store gives."""

import json

import pytest
from click.testing import CliRunner

from kgtools.cli import main
from kgtools.errors import KgtoolsError
from kgtools.sparql.query import OxigraphEngine, bind_parameters, catalog, get_query
from kgtools.sparql.remote import GET_URL_LIMIT, RemoteEngine, push
from triple_stores import free_ports

GRAPH = "http://purl.obolibrary.org/obo/ccut.owl"


@pytest.fixture(scope="module")
def server(oxigraph_store):
    """The base URL of the session's Oxigraph server (/query, /store)."""
    return oxigraph_store.query_url.rsplit("/", 1)[0]


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


def test_push_reads_files_with_oxigraph_and_keeps_each_files_blank_nodes_apart(server, tmp_path):
    from kgtools.sparql.remote import read_triples

    one, two = tmp_path / "one.nt", tmp_path / "two.nt"
    one.write_text('_:b <http://e/p> "one" .\n<http://e/a> <http://e/q> _:b .\n')
    two.write_text('_:b <http://e/p> "two" .\n<http://e/a> <http://e/q> _:b .\n')
    triples = read_triples([one, two])
    assert len(triples) == 4 and len({t.subject for t in triples if t.predicate.value == "http://e/p"}) == 2
    push(triples, server + "/store", graph="http://example.org/two-files")
    remote = RemoteEngine(server + "/query", graph="http://example.org/two-files")
    answer = remote.run('SELECT ?v WHERE { <http://e/a> <http://e/q> ?b . ?b <http://e/p> ?v } ORDER BY ?v')
    assert [r["v"] for r in answer.records()] == ["one", "two"]


def test_cli_push_and_query(server):
    runner = CliRunner()
    pushed = runner.invoke(main, ["push", "--endpoint", server + "/store"])
    assert pushed.exit_code == 0, pushed.output
    assert "into the default graph" in pushed.output
    result = runner.invoke(main, ["query", "forms-for-condition", "--endpoint", server + "/query",
                                  "--param", "condition=dermatomyositis", "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert "calcinosis universalis" in result.output and "as a rule" in result.output


def test_cli_push_as_json_says_how_many_triples_went_where(server, onto):
    graph = "http://example.org/pushed-as-json"
    result = CliRunner().invoke(main, ["push", "--endpoint", server + "/store", "--graph", graph, "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == [{"endpoint": server + "/store", "graph": graph, "triples": len(onto.graph),
                                          "replaced": True}]
    count = RemoteEngine(server + "/query", graph=graph).run("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").records()
    assert count == [{"n": len(onto.graph)}]


def test_unreachable_store_is_one_clear_error(onto):
    port = free_ports(1)[0]  # nothing listens there
    with pytest.raises(KgtoolsError, match="cannot connect"):
        push(onto, f"http://127.0.0.1:{port}/store")
    result = CliRunner().invoke(main, ["push", "--endpoint", "ftp://example.org/store"])
    assert result.exit_code == 2 and "not an http(s) URL" in result.output


def test_push_in_small_chunks_keeps_blank_node_structures_whole(server, onto):
    """Chunks of 4 KiB: 2,865 triples in many requests, and the graph read back is the same graph,
    restrictions and union lists included (a blank node label means one node only within a request)."""
    from kgtools.ontology import rdflib_graph
    from kgtools.exchange.release import isomorphic

    graph = "http://example.org/chunked"
    seen = []
    assert push(onto, server + "/store", graph=graph, chunk_bytes=4096,
                on_progress=lambda done, total: seen.append((done, total))) == len(onto.graph)
    assert len(seen) > 50 and seen[-1] == (len(onto.graph), len(onto.graph))
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)
    back = RemoteEngine(server + "/query", graph=graph).run("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
    assert isomorphic(rdflib_graph(back.triples), onto.graph)


def test_a_long_query_goes_by_post_form_and_a_short_one_by_get(pushed, onto):
    remote = RemoteEngine(pushed + "/query")
    short = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    long = short.replace("WHERE", "#" + "x" * GET_URL_LIMIT + "\nWHERE")
    assert remote.request(short)[0] == "GET" and remote.request(long)[0] == "POST"
    assert remote.run(long).records() == remote.run(short).records() == [{"n": len(onto.graph)}]


def test_query_on_a_named_graph_sees_only_that_graph(server, onto):
    push(onto, server + "/store", graph=GRAPH)
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    assert RemoteEngine(server + "/query", graph=GRAPH).run(count).records() == [{"n": len(onto.graph)}]
    nothing = RemoteEngine(server + "/query", graph="http://example.org/empty").run(count)
    assert nothing.records() == [{"n": 0}]


def test_server_errors_are_one_line(pushed, kgtools_process):
    with pytest.raises(KgtoolsError, match=r"/nothing: HTTP 404"):
        RemoteEngine(pushed + "/nothing").run("ASK { ?s ?p ?o }")
    done = kgtools_process("query", "statistics", "--graph", GRAPH, "--engine", "rdflib")
    assert done.returncode == 2 and done.stderr.count("\n") == 1 and "Oxigraph engine" in done.stderr
    port = free_ports(1)[0]
    done = kgtools_process("query", "forms", "--endpoint", f"http://127.0.0.1:{port}/sparql")
    assert done.returncode == 2 and done.stderr.count("\n") == 1 and "cannot connect" in done.stderr

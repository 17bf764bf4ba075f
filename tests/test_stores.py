"""The stored queries on real triple stores: OpenLink Virtuoso 7 and the Oxigraph server, loaded with
one ``kgtools push`` into a named graph and queried on that graph (``--graph``), answer every stored
query -- with its default parameters and with its documented example's -- with the rows the embedded
engines (Oxigraph and rdflib) give.

Rows are compared as multisets of N-Triples terms: the same terms, datatypes and language tags,
the same number of times. Only blank node labels are made anonymous (they are local to each
answer). Row order is not compared: rows that tie on a query's ORDER BY keys may come in any order.
"""

import shlex

import pytest

from kgtools.sparql.query import OxigraphEngine, RdflibEngine, bind_parameters, catalog, parse_params
from kgtools.sparql.remote import RemoteEngine

GRAPH = "http://purl.obolibrary.org/obo/ccut.owl"
HPO_GRAPH = "http://purl.obolibrary.org/obo/ccut-merged-hp.owl"


def example_params(query) -> dict:
    """The ``--param`` values of a stored query's ``# example:`` command line."""
    words = shlex.split(query.example)
    return parse_params([value for flag, value in zip(words, words[1:]) if flag == "--param"])


CALLS = [pytest.param(name, which, id=f"{name}-{which}") for name in catalog() for which in ("default", "example")]


def rows(result) -> list:
    """A result as a sorted list of rows of N-Triples terms, blank nodes anonymous; a boolean as itself."""
    def nt(term):
        return None if term is None else "_:b" if type(term).__name__ == "BlankNode" else str(term)

    if result.kind == "boolean":
        return [result.boolean]
    if result.kind == "graph":
        return sorted((nt(t.subject), nt(t.predicate), nt(t.object)) for t in result.triples)
    return sorted((tuple(nt(t) for t in row) for row in result.rows), key=repr)


@pytest.fixture(scope="module")
def engines(onto, virtuoso_store, oxigraph_store, kgtools_process):
    """The four engines, the two servers filled by one ``kgtools push`` into the named graph."""
    done = kgtools_process("push", "--graph", GRAPH, "--endpoint", virtuoso_store.store_url,
                           "--endpoint", oxigraph_store.store_url)
    assert done.returncode == 0, done.stderr
    assert done.stdout.count(f"loaded {len(onto.graph)} triples into {GRAPH}") == 2
    return {
        "oxigraph": OxigraphEngine.from_ontology(onto),
        "rdflib": RdflibEngine(onto.graph),
        "oxigraph server": RemoteEngine(oxigraph_store.query_url, graph=GRAPH),
        "virtuoso": RemoteEngine(virtuoso_store.query_url, graph=GRAPH, timeout=20),
    }


def test_the_push_loads_every_triple_into_the_named_graph_only(engines, onto):
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    for name in ("virtuoso", "oxigraph server"):
        assert engines[name].run(count).records() == [{"n": len(onto.graph)}], name


@pytest.mark.parametrize("name, which", CALLS)
def test_every_stored_query_answers_the_same_everywhere(engines, onto, name, which):
    query = catalog()[name]
    bindings = bind_parameters(onto, query, example_params(query) if which == "example" else {})
    expected = rows(engines["oxigraph"].run(query.text, bindings))
    for engine in ("rdflib", "oxigraph server", "virtuoso"):
        assert rows(engines[engine].run(query.text, bindings)) == expected, engine


def test_the_examples_bind_other_values_than_the_defaults(onto):
    """So that the example calls test something the default calls do not."""
    differ = [name for name, query in catalog().items() if example_params(query)]
    assert len(differ) >= 8


def test_the_ontology_merged_into_the_full_hpo_pushed_and_queried(onto, full_hpo, hpo_merged_file, virtuoso_store,
                                                                  oxigraph_store, kgtools_process):
    """About 334,000 triples into both servers in one command, in chunks; then every stored query
    (default parameters) answers the same on both servers (the statistics as the embedded Oxigraph
    store of the same file makes them)."""
    import pyoxigraph as ox

    merged = hpo_merged_file("nt")
    store = ox.Store()
    store.bulk_load(path=str(merged), format=ox.RdfFormat.N_TRIPLES)
    done = kgtools_process("push", "-i", str(merged), "--graph", HPO_GRAPH, "--endpoint", virtuoso_store.store_url,
                           "--endpoint", oxigraph_store.store_url)
    assert done.returncode == 0, done.stderr
    assert done.stdout.count(f"loaded {len(store)} triples into {HPO_GRAPH}") == 2
    # The progress off a terminal: a plain line at each tenth, up to all triples, for each store.
    assert done.stderr.count(f" {len(store)}/{len(store)}\n") == 2 and 4 <= done.stderr.count("\n") <= 22
    local = OxigraphEngine(store)  # parameters are looked up in the packaged ontology, part of the merge
    remotes = {"virtuoso": RemoteEngine(virtuoso_store.query_url, graph=HPO_GRAPH, timeout=120),
               "oxigraph server": RemoteEngine(oxigraph_store.query_url, graph=HPO_GRAPH, timeout=120)}
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    for name, remote in remotes.items():
        assert remote.run(count).records() == [{"n": len(store)}], name
    for name, query in catalog().items():
        bindings = bind_parameters(onto, query, {})
        expected = rows(remotes["oxigraph server"].run(query.text, bindings))
        assert rows(remotes["virtuoso"].run(query.text, bindings)) == expected, name
        if name == "statistics":  # the counts of the whole merged graph, as the embedded store makes them
            assert rows(local.run(query.text, bindings)) == expected, name

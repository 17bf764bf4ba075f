"""The projection around a few terms is exactly the part of the whole projection near them, on the packaged
ontology and on the ontology merged into the HPO excerpt; paths and explanations on it are those of the whole."""

import networkx as nx
import pytest

from kgtools.ontology import Ontology
from kgtools.graph.analysis import explain, find_paths, path_radius, project, project_around, project_near

RENAL_FAILURE, CALCIPHYLAXIS = "CCUT:0003006", "CCUT:0001004"
#: Ends whose neighbourhoods hold restrictions, unions (calciphylaxis has phenotype one of three signs), members of a
#: union and restriction fillers reached from their side only (ulceration, calcium deposit), qualified statements
#: (calcinosis cutis of the scrotum, cutaneous metastatic calcinosis), the HPO's terms unified with the project's.
ENDS = [RENAL_FAILURE, CALCIPHYLAXIS, "CCUT:0005005", "CCUT:0006001", "CCUT:0002011", "CCUT:0003011",
        "CCUT:0001002", "HP:0025520", "HP:0000083"]
OPTIONS = [{}, {"relations": ["is a"]}, {"relations": ["has phenotype", "RO:0004019"]}, {"hedged": False}]


@pytest.fixture(scope="module")
def merged(onto, tmp_path_factory):
    """The packaged ontology merged into the HPO excerpt shipped with the package."""
    from kgtools.exchange import merge
    from kgtools.resources import example_path

    path = tmp_path_factory.mktemp("merged") / "merged.owl"
    # The annotation model kept: the hedged claims are answered on the merged file as on the ontology.
    path.write_bytes(merge.merge(onto, [example_path("hp_calcinosis.obo")], keep_annotation_model=True).serialize("owl"))
    return Ontology.load(path)


def as_data(G):
    """Every node and edge of ``G`` with all its data."""
    return ({n: d for n, d in G.nodes(data=True)}, {(u, v, k): d for u, v, k, d in G.edges(keys=True, data=True)})


def ball(G, nodes, radius):
    near = set()
    for node in nodes:
        if node in G:
            near |= set(nx.single_source_shortest_path_length(G.to_undirected(as_view=True), node, cutoff=radius))
    return near


@pytest.mark.parametrize("which", ["packaged", "merged"])
@pytest.mark.parametrize("options", OPTIONS, ids=str)
def test_the_projection_near_terms_is_the_part_of_the_whole_near_them(which, options, onto, merged):
    graph = onto if which == "packaged" else merged
    whole = project(graph, **options)
    kinds_seen, edges_seen = set(), set()
    for ends in [[e] for e in ENDS] + [[RENAL_FAILURE, CALCIPHYLAXIS], ["CCUT:0005005", "HP:0000083"]]:
        iris = [graph.expand(e) for e in ends]
        for radius in (0, 1, 2, 3, 6):
            near = project_near(graph, iris, radius, **options)
            assert as_data(near) == as_data(whole.subgraph(ball(whole, ends, radius))), (ends, radius)
            kinds_seen |= {kind for _, kind in near.nodes(data="kind")}
            edges_seen |= {(k, d["union"], d["hedged"]) for *_, k, d in near.edges(keys=True, data=True)}
    if options:
        return
    # The comparisons above met every kind of node and of edge in the whole projection.
    assert kinds_seen == {kind for _, kind in whole.nodes(data="kind")}
    assert edges_seen == {(k, d["union"], d["hedged"]) for *_, k, d in whole.edges(keys=True, data=True)}


def test_a_member_of_a_union_reaches_the_class_whose_restriction_holds_it(onto):
    # calciphylaxis has phenotype (panniculitis-like or vasculitis-like lesion or ulceration): found from the side
    # of ulceration, one member of that union.
    near = project_near(onto, [onto.expand("CCUT:0005005")], 1)
    data = near.edges[CALCIPHYLAXIS, "CCUT:0005005", "has phenotype"]
    assert data["union"] and data["union_of"] == ["CCUT:0005004", "CCUT:0005005", "CCUT:0005006"] and data["lines"]
    assert near.nodes[CALCIPHYLAXIS]["kind"] == "form"


@pytest.mark.parametrize("which", ["packaged", "merged"])
def test_paths_and_explanations_near_their_ends_are_those_of_the_whole(which, onto, merged):
    graph = onto if which == "packaged" else merged
    whole = project(graph)
    pairs = [(RENAL_FAILURE, CALCIPHYLAXIS), ("CCUT:0002011", "CCUT:0005005"), ("CCUT:0003011", "CCUT:0006001")]
    pairs += [(CALCIPHYLAXIS, "HP:0000083")] if which == "merged" else []
    for source, target in pairs:
        for max_len in (1, 2, 3, 4, 5, 6):
            for directed in (False, True):
                G, ends = project_around(graph, [source, target], path_radius(max_len))
                assert ends == [source, target]
                found = find_paths(G, source, target, max_len=max_len, all_paths=True, directed=directed)
                expected = find_paths(whole, source, target, max_len=max_len, all_paths=True, directed=directed)
                assert [p.as_dict(G) for p in found] == [p.as_dict(whole) for p in expected], (source, target, max_len)
    for term in (CALCIPHYLAXIS, RENAL_FAILURE, "CCUT:0002011") + (("HP:0025520",) if which == "merged" else ()):
        for max_len in (2, 6):
            G, (node,) = project_around(graph, [term], max_len)
            assert explain(G, node, max_len).as_dict(G) == explain(whole, node, max_len).as_dict(whole)


def test_a_class_expression_that_holds_itself_gives_no_edge_and_no_endless_walk(tmp_path):
    ttl = tmp_path / "loop.ttl"
    ttl.write_text("""
@prefix : <http://example.org/loop#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
:p a owl:ObjectProperty ; rdfs:label "p" .
:A a owl:Class ; rdfs:label "a" ; rdfs:subClassOf _:r , [ owl:unionOf _:list ] , :B .
_:r owl:onProperty :p ; owl:someValuesFrom _:r .
_:list rdf:first :C ; rdf:rest _:list .
:B a owl:Class ; rdfs:label "b" .
:C a owl:Class ; rdfs:label "c" .
""")
    onto = Ontology.load(ttl)
    whole = project(onto)
    assert sorted((u, k, v) for u, v, k in whole.edges(keys=True)) == [
        ("http://example.org/loop#A", "is a", "http://example.org/loop#B"),
        ("http://example.org/loop#A", "is a", "http://example.org/loop#C")]
    near = project_near(onto, ["http://example.org/loop#C"], 2)
    assert as_data(near) == as_data(whole)

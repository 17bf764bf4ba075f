"""Path analysis: the projection, the mechanistic chain from renal failure to calciphylaxis, explanations, rankings."""

import json

import pytest
from click.testing import CliRunner

from kgtools.cli import main
from kgtools.errors import InputError
from kgtools.ontology import Ontology
from kgtools.graph.analysis import central, differential, explain, find_paths, neighbors, project

RENAL_FAILURE, CALCIPHYLAXIS = "CCUT:0003006", "CCUT:0001004"


def run(*args):
    return CliRunner().invoke(main, list(args))


@pytest.fixture(scope="module")
def G(onto):
    return project(onto)


def labels(G, nodes):
    return [G.nodes[n]["label"] for n in nodes]


# ------------------------------------------------------------------ projection
def test_projection_holds_the_named_domain_entities(G):
    kinds = {kind for _, kind in G.nodes(data="kind")}
    assert kinds == {"form", "mechanism", "condition", "clinical sign", "finding", "site", "cell", "quality", "phenotype"}
    assert sum(kind == "form" for _, kind in G.nodes(data="kind")) == 12
    assert G.nodes[CALCIPHYLAXIS]["definition"].startswith("A life-threatening")
    assert "MONDO:0017215" in G.nodes[CALCIPHYLAXIS]["xrefs"]


def test_restrictions_become_edges_with_provenance(G):
    data = G.edges[CALCIPHYLAXIS, "CCUT:0002014", "disease has basis in"]
    assert data["relation_curie"] == "RO:0004019"
    assert data["lines"] == [23]
    assert data["quotes"] == ["a life-threatening condition in which there is progressive calcification of small-"]
    assert data["evidence"] == "ECO:0000305" and data["completion"] == "small-[vessels]"
    assert data["asserted"] and not data["hedged"]


def test_a_union_gives_one_edge_per_member(G):
    signs = {v for _, v, k, d in G.out_edges(CALCIPHYLAXIS, keys=True, data=True) if k == "has phenotype" and d["union"]}
    assert labels(G, sorted(signs)) == ["panniculitis-like lesion", "vasculitis-like lesion", "bulla", "ulceration",
                                        "livedo reticularis-like pattern"]


def test_generalizing_hedges_stay_on_asserted_edges(G):
    data = G.edges["CCUT:0001006", "CCUT:0003008", "occurs in patients with"]  # calcinosis universalis, dermatomyositis
    assert (data["hedge"], data["asserted"], data["hedged"]) == ("as a rule", True, False)


def test_qualified_statements_are_hedged_edges(G):
    hedged = sorted((G.nodes[u]["label"], k, G.nodes[v]["label"], d["hedge"])
                    for u, v, k, d in G.edges(keys=True, data=True) if d["hedged"])
    assert len(hedged) == 10
    assert ("idiopathic calcinosis of the scrotum", "disease has basis in", "dystrophic calcification",
            "at one time the accepted view") in hedged
    assert not any(d["asserted"] for *_, d in G.edges(keys=True, data=True) if d["hedged"])
    assert not any(d["hedged"] for *_, d in project(Ontology.load(), hedged=False).edges(keys=True, data=True))


def test_relations_are_chosen_by_label_or_curie(onto):
    G = project(onto, relations=["RO:0003302", "is a"])
    assert {k for *_, k in G.edges(keys=True)} == {"causes or contributes to condition", "is a"}
    with pytest.raises(InputError, match="unknown relation 'causes'"):
        project(onto, relations=["causes"])


def test_any_rdf_file_projects(tmp_path):
    ttl = tmp_path / "zoo.ttl"
    ttl.write_text("""
@prefix : <http://example.org/zoo#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
:eats a owl:ObjectProperty ; rdfs:label "eats" .
:Animal a owl:Class ; rdfs:label "animal" .
:Grass a owl:Class ; rdfs:label "grass" .
:Cow a owl:Class ; rdfs:label "cow" ;
    owl:equivalentClass [ owl:intersectionOf ( :Animal [ a owl:Restriction ; owl:onProperty :eats ; owl:someValuesFrom :Grass ] ) ] .
:daisy a owl:NamedIndividual , :Cow ; rdfs:label "Daisy" ; :eats :patch .
:patch a owl:NamedIndividual ; rdfs:label "the patch" .
""")
    onto = Ontology.load(ttl)
    G = project(onto)
    edges = sorted((G.nodes[u]["label"], k, G.nodes[v]["label"]) for u, v, k in G.edges(keys=True))
    assert edges == [("Daisy", "eats", "the patch"), ("cow", "eats", "grass"), ("cow", "is a", "animal")]
    path = find_paths(G, "http://example.org/zoo#Grass", "http://example.org/zoo#Animal")[0]
    assert path.text(G) == "grass <--eats-- cow --is a--> animal"


def test_an_axiom_and_a_qualified_statement_of_the_same_relation_are_one_asserted_edge(tmp_path):
    ttl = tmp_path / "twice.ttl"
    ttl.write_text("""
@prefix obo: <http://purl.obolibrary.org/obo/> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
obo:RO_0002200 a owl:ObjectProperty ; rdfs:label "has phenotype" .
obo:CCUT_0000130 a owl:NamedIndividual ; rdfs:label "rarely" .
obo:CCUT_0009001 a owl:Class ; rdfs:label "a disease" ;
    rdfs:subClassOf [ a owl:Restriction ; owl:onProperty obo:RO_0002200 ; owl:someValuesFrom obo:CCUT_0009002 ] .
obo:CCUT_0009002 a owl:Class ; rdfs:label "a sign" .
[] a owl:Axiom ; owl:annotatedSource obo:CCUT_0009001 ; owl:annotatedProperty rdfs:subClassOf ;
   owl:annotatedTarget [ a owl:Restriction ; owl:onProperty obo:RO_0002200 ; owl:someValuesFrom obo:CCUT_0009002 ] .
[] a obo:CCUT_0000090 ; obo:CCUT_0000007 obo:CCUT_0009001 ; obo:CCUT_0000008 obo:RO_0002200 ;
   obo:CCUT_0000009 obo:CCUT_0009002 ; obo:CCUT_0000001 5 ; obo:CCUT_0000002 "rarely a sign" ; obo:CCUT_0000004 obo:CCUT_0000130 .
""")
    G = project(Ontology.load(ttl))
    [(key, data)] = [(k, d) for *_, k, d in G.edges(keys=True, data=True)]
    assert key == "has phenotype"
    assert (data["asserted"], data["hedged"], data["hedge"], data["lines"]) == (True, False, None, [5])


# ------------------------------------------------------------------ paths
def test_renal_failure_to_calciphylaxis_is_the_mechanistic_chain(G):
    [path] = find_paths(G, RENAL_FAILURE, CALCIPHYLAXIS)
    assert [(G.nodes[s.source]["label"], s.relation, "->" if s.forward else "<-", G.nodes[s.target]["label"], s.data["lines"])
            for s in path.steps] == [
        ("renal failure", "causes or contributes to condition", "->", "renal hyperparathyroidism", [31]),
        ("renal hyperparathyroidism", "causes or contributes to condition", "->", "metastatic calcification", [19]),
        ("metastatic calcification", "is a", "<-", "progressive calcification of small vessels", [11, 23]),
        ("progressive calcification of small vessels", "disease has basis in", "<-", "calciphylaxis", [23]),
    ]
    assert not path.hedged


def test_all_paths_are_ranked_and_bounded(G):
    found = find_paths(G, RENAL_FAILURE, CALCIPHYLAXIS, max_len=5, all_paths=True)
    assert [len(p.steps) for p in found] == [4, 4, 5, 5, 5]
    assert labels(G, found[1].nodes) == ["renal failure", "renal hyperparathyroidism", "metastatic calcification",
                                         "metastatic calcinosis cutis", "calciphylaxis"]
    assert [p.hedged for p in found] == [False, False, False, False, True]
    assert all(len(set(p.nodes)) == len(p.nodes) for p in found)


def test_siblings_are_not_related_through_their_parent(G):
    # renal failure and uremia are both conditions; that alone is no path.
    for path in find_paths(G, RENAL_FAILURE, "CCUT:0003005", all_paths=True):
        turns = zip(path.steps, path.steps[1:])
        assert not any(a.relation == b.relation == "is a" and a.forward and not b.forward for a, b in turns)


def test_directed_paths_follow_the_axioms(G):
    assert find_paths(G, CALCIPHYLAXIS, RENAL_FAILURE, directed=True) == []
    [path] = find_paths(G, RENAL_FAILURE, "CCUT:0002011", directed=True)
    assert all(s.forward for s in path.steps)


def test_cli_paths_cites_every_step():
    result = run("paths", "renal failure", "calciphylaxis")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "shortest path: 4 steps"
    assert lines[1] == "renal failure (CCUT:0003006, condition)"
    steps = [i for i, line in enumerate(lines) if line.lstrip().startswith(("--", "<--"))]
    assert len(steps) == 4
    for i in steps:
        assert lines[i + 1].lstrip().startswith(("line ", "lines ")) and '"' in lines[i + 1]
    assert lines[steps[0]].strip() == "--causes or contributes to condition--> renal hyperparathyroidism (CCUT:0003003, condition)"
    assert lines[steps[0] + 1].strip() == ('line 31: "secondary hyperparathyroidism subsequent to renal" '
                                           '[completed: renal [failure]] ECO:0000305')
    assert lines[steps[3]].strip() == "<--disease has basis in-- calciphylaxis (CCUT:0001004, form)"


def test_cli_paths_flags_a_hedged_path():
    result = run("paths", "lupus erythematosus", "dystrophic calcinosis cutis")
    assert result.exit_code == 0
    assert "(passes through a qualified statement: not asserted)" in result.output.splitlines()[0]
    assert "[only rarely: qualified statement, not asserted]" in result.output
    result = run("paths", "lupus erythematosus", "dystrophic calcinosis cutis", "--asserted-only")
    assert result.exit_code == 1
    assert "no path from lupus erythematosus to dystrophic calcinosis cutis" in result.output


def test_cli_paths_json_and_errors():
    result = run("paths", "CCUT:0003006", "calciophylaxis", "--all", "--max-len", "4", "--format", "json")
    data = json.loads(result.output)
    assert [p["length"] for p in data] == [4, 4]
    assert data[0]["steps"][0]["lines"] == [31] and data[0]["steps"][2]["direction"] == "backward"
    assert run("paths", "calciphylaxis", "renal failure", "--directed").exit_code == 1
    bad = run("paths", "renal failure", "calciphylaxsis")
    assert bad.exit_code == 2 and "unknown term 'calciphylaxsis'" in bad.output
    bad = run("paths", "renal failure", "calciphylaxis", "-r", "is a,causes")
    assert bad.exit_code == 2 and "unknown relation 'causes'" in bad.output


# ------------------------------------------------------------------ explain, neighbours, centrality, differential
def test_explain_calciphylaxis(G):
    found = explain(G, CALCIPHYLAXIS)
    starts = sorted({G.nodes[p.nodes[0]]["label"] for p in found.upstream})
    assert starts == ["bone demineralization", "release of calcium and phosphorus from bone", "renal failure", "uremia"]
    assert all(p.nodes[-1] == CALCIPHYLAXIS for p in found.upstream)
    assert len(found.upstream) == 10 and found.downstream == ()


def test_explain_downstream_and_hedges(G):
    found = explain(G, "CCUT:0002013")  # tissue damage
    ends = [(G.nodes[p.nodes[-1]]["label"], p.hedged) for p in found.downstream]
    assert ends == [("Thibierge-Weissenbach syndrome", False), ("calcinosis universalis", False),
                    ("idiopathic calcinosis of the scrotum", True)]


def test_cli_explain():
    result = run("explain", "calciphylaxis")
    assert result.exit_code == 0
    assert ("renal failure --causes or contributes to condition (line 31)--> renal hyperparathyroidism "
            "--causes or contributes to condition (line 19)--> metastatic calcification <--is a (lines 11, 23)-- "
            "progressive calcification of small vessels <--disease has basis in (line 23)-- calciphylaxis") in result.output
    data = json.loads(run("explain", "calciphylaxis", "--format", "json").output)
    assert len(data["upstream"]) == 10 and data["downstream"] == []


def test_neighbors(G):
    near = neighbors(G, CALCIPHYLAXIS)
    assert len(near) == 9 and {d for d, _ in near} == {1}
    two = neighbors(G, CALCIPHYLAXIS, depth=2)
    assert ("disease has basis in", "metastatic calcinosis cutis", "metastatic calcification") in {
        (s.relation, G.nodes[s.source]["label"], G.nodes[s.target]["label"]) for d, s in two if d == 2}
    result = run("neighbors", "calciphylaxis", "--depth", "2", "--format", "json")
    assert len(json.loads(result.output)) == len(two)


@pytest.mark.parametrize("measure, first", [("degree", "metastatic calcification"),
                                            ("betweenness", "metastatic calcinosis cutis"),
                                            ("pagerank", "metastatic calcification")])
def test_central(G, measure, first):
    ranked = central(G, measure, top=3)
    assert G.nodes[ranked[0][0]]["label"] == first
    assert ranked[0][1] >= ranked[1][1] >= ranked[2][1]
    data = json.loads(run("central", "--measure", measure, "--top", "3", "--format", "json").output)
    assert data[0]["label"] == first


def test_differential_ranks_forms_with_cited_matches(G):
    ranked = differential(G, ["CCUT:0005002", "CCUT:0006001", "HP:0003581"])  # panniculitis-like, calcium deposit, adult onset
    assert [(G.nodes[f]["label"], len(a), len(h)) for f, a, h in ranked] == [
        ("calciphylaxis", 2, 0),
        ("calcinosis circumscripta", 1, 0), ("calcinosis universalis", 1, 0),
        ("cutaneous metastatic calcinosis", 1, 0), ("dystrophic calcinosis cutis", 1, 0),
        ("metastatic calcinosis cutis", 1, 0), ("Thibierge-Weissenbach syndrome", 1, 0),
        ("tumoral calcinosis", 1, 0),  # large masses of calcium in the subcutaneous tissue, a kind of calcium deposit
        ("subepidermal calcified nodule", 0, 1),
    ]
    calcium = {m.finding: m for m in ranked[0][1]}["CCUT:0006001"]
    assert G.nodes[calcium.step.target]["label"] == "calcium deposits within the walls of small subcutaneous vessels"
    assert calcium.step.data["lines"] == [39]
    inherited = ranked[1][1][0]
    assert G.nodes[inherited.via]["label"] == "dystrophic calcinosis cutis"


def test_cli_differential():
    result = run("differential", "panniculitis-like lesion", "calcium deposit")
    assert result.exit_code == 0
    assert result.output.splitlines()[0] == "1. calciphylaxis (CCUT:0001004): 2 of 2"
    assert "line 39:" in result.output
    data = json.loads(run("differential", "ulceration", "--format", "json").output)
    assert [d["form"]["label"] for d in data] == ["calciphylaxis"]
    assert data[0]["matches"][0]["union"] is True

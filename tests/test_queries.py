"""The stored queries: each gives the answer the source text gives, on Oxigraph and on rdflib alike,
and parameters are bound as RDF terms, never as query text."""

import re

import pytest
from click.testing import CliRunner

from kgtools.cli import main
from kgtools.errors import UnknownTermError
from kgtools.provenance import citations, read_source
from kgtools.sparql.query import (OxigraphEngine, QueryError, RdflibEngine, RefusedError, bind_parameters, catalog,
                                  check_read_only, get_query, insert_values, run_stored)

CCUT = "http://purl.obolibrary.org/obo/CCUT_"
SOURCE = read_source()


@pytest.fixture(scope="module")
def oxigraph(onto):
    return OxigraphEngine.from_ontology(onto)


@pytest.fixture(scope="module")
def ask(onto, oxigraph):
    """Run a stored query on Oxigraph; rows as dicts of plain values."""

    def run(name, **params):
        return run_stored(onto, name, params, oxigraph).records()

    return run


def _in_source(line: int, quote: str) -> bool:
    return quote in SOURCE[line - 1]


# --------------------------------------------------------------------------- the catalogue
def test_catalogue_has_fifteen_documented_queries():
    queries = catalog()
    assert len(queries) >= 15
    for query in queries.values():
        assert query.title and query.description and query.example.startswith(f"kgtools query {query.name}")
        for param in query.parameters:
            assert param.description, (query.name, param.name)


def test_every_query_gives_the_same_answer_on_both_engines(onto, oxigraph):
    rdflib_engine = RdflibEngine(onto.graph)
    calls = [(name, {}) for name in catalog()] + [
        ("forms-for-condition", {"condition": "connective tissue disease"}),
        ("forms-by-mechanism", {"mechanism": "dystrophic calcification"}),
        ("differential", {"finding": ["calcium deposit", "infarctive necrosis", "bulla"]}),
        ("provenance", {"line": "51"}),
        ("hedged-statements", {"category": "restricting hedge"}),
        ("xrefs", {"prefix": "MONDO"}),
    ]
    for name, params in calls:
        query = get_query(name)
        bindings = bind_parameters(onto, query, params)
        fast = oxigraph.run(query.text, bindings)
        slow = rdflib_engine.run(query.text, bindings)
        assert fast.kind == slow.kind and fast.variables == slow.variables, name
        assert fast.normalized() == slow.normalized(), name
        assert fast.normalized(), f"{name} {params} answers nothing"


def test_every_engine_is_an_engine_and_open_engine_opens_each_by_name(onto):
    from kgtools.sparql.query import ENGINES, Engine
    from kgtools.sparql.remote import OPENERS, RemoteEngine, open_engine

    assert set(OPENERS) == {*ENGINES, "remote"}
    engines = [open_engine(onto, name) for name in ENGINES] + [open_engine(onto, endpoint="http://127.0.0.1:9/sparql")]
    assert [type(e).__name__ for e in engines] == ["OxigraphEngine", "RdflibEngine", "RemoteEngine"]
    assert all(isinstance(e, Engine) for e in engines) and isinstance(RemoteEngine("http://h/sparql"), Engine)
    assert [e.name for e in engines] == [*ENGINES, "remote"]
    assert not isinstance(object(), Engine)


# --------------------------------------------------------------------------- the answers
def test_forms_and_their_hierarchy(ask):
    rows = ask("forms")
    parent = {r["form_label"]: r["parent_label"] for r in rows}
    # Line 7: four forms; lines 23, 27, 51, 55, 59, 71, 83: the subforms.
    assert parent == {
        "calcinosis cutis": None,
        "metastatic calcinosis cutis": "calcinosis cutis",
        "dystrophic calcinosis cutis": "calcinosis cutis",
        "idiopathic calcinosis cutis": "calcinosis cutis",
        "subepidermal calcified nodule": "calcinosis cutis",
        "calciphylaxis": "metastatic calcinosis cutis",
        "cutaneous metastatic calcinosis": "metastatic calcinosis cutis",
        "calcinosis universalis": "dystrophic calcinosis cutis",
        "calcinosis circumscripta": "dystrophic calcinosis cutis",
        "Thibierge-Weissenbach syndrome": "calcinosis circumscripta",
        "tumoral calcinosis": "idiopathic calcinosis cutis",
        "idiopathic calcinosis of the scrotum": "idiopathic calcinosis cutis",
    }
    tumoral = next(r for r in rows if r["form_label"] == "tumoral calcinosis")
    assert tumoral["lines"] == "71" and "special manifestation of idiopathic calcinosis cutis" in tumoral["quotes"]


def test_subforms(ask):
    assert {r["subform_label"] for r in ask("subforms")} == {
        "calcinosis universalis", "calcinosis circumscripta", "Thibierge-Weissenbach syndrome"}
    assert {r["subform_label"] for r in ask("subforms", form="idiopathic calcinosis cutis")} == {
        "tumoral calcinosis", "idiopathic calcinosis of the scrotum"}


def test_everything_known_about_calciphylaxis(ask):
    rows = ask("form-profile", form="calciphylaxis")
    facts = {(r["relation_label"], r["object_label"], r["via_label"], r["hedge_label"], r["lines"]) for r in rows}
    # Line 25: "the lesions present as a panniculitis or vasculitis. Bullae, ulcerations, or a livedo reticularis-like"
    for sign in ("panniculitis-like lesion", "vasculitis-like lesion", "bulla", "ulceration", "livedo reticularis-like pattern"):
        assert ("has phenotype", sign, "calciphylaxis", None, "25") in facts
    # Line 39: "calcium deposits in the subcutis, chiefly within the walls of" small vessels
    assert ("disease has location", "hypodermis", "calciphylaxis", None, "39") in facts
    assert ("disease has feature", "calcium deposits within the walls of small subcutaneous vessels", "calciphylaxis",
            "chiefly", "39") in facts
    # Line 23: progressive calcification of small vessels; inherited from metastatic calcinosis cutis (lines 11, 13).
    assert ("disease has basis in", "progressive calcification of small vessels", "calciphylaxis", None, "23") in facts
    assert ("disease has basis in", "metastatic calcification", "metastatic calcinosis cutis", None, "11, 13") in facts
    assert ("disease has location", "skin of body", "calcinosis cutis", None, "5, 7") in facts
    assert all(r["status"] == "asserted" for r in rows)


def test_profile_reports_qualified_statements_with_their_hedge(ask):
    rows = ask("form-profile", form="dystrophic calcinosis cutis")
    lupus = next(r for r in rows if r["object_label"] == "lupus erythematosus")
    # Line 61: "Lupus erythematosus is only rarely associated with dystrophic calcinosis cutis"
    assert (lupus["hedge_label"], lupus["hedge_category"], lupus["status"], lupus["lines"]) == (
        "only rarely", "restricting hedge", "qualified statement, not asserted", "61")
    assert _in_source(61, lupus["quotes"])


def test_forms_associated_with_dermatomyositis(ask):
    [row] = ask("forms-for-condition", condition="dermatomyositis")
    # Line 51: "*Calcinosis universalis* occurs as a rule in patients with dermatomyositis"
    assert (row["form_label"], row["hedge_label"], row["status"], row["lines"]) == (
        "calcinosis universalis", "as a rule", "asserted", "51")
    assert _in_source(51, row["quotes"]) and "as a rule" in row["quotes"]


def test_forms_associated_with_renal_failure(ask):
    rows = ask("forms-for-condition", condition="renal failure")
    # Line 27: "Instances of *cutaneous metastatic calcinosis*. Most reports have concerned patients with renal"
    [stated] = [r for r in rows if r["status"] == "asserted"]
    assert (stated["form_label"], stated["hedge_label"], stated["lines"]) == (
        "cutaneous metastatic calcinosis", "most reports have concerned", "27")
    # Line 31: secondary hyperparathyroidism "subsequent to renal" [failure]; line 19: metastatic calcification
    # is the secondary process in association with renal hyperparathyroidism: every metastatic form.
    through = {(r["form_label"], r["status"], r["lines"]) for r in rows if r["status"] != "asserted"}
    assert {form for form, _, _ in through} == {
        "metastatic calcinosis cutis", "calciphylaxis", "cutaneous metastatic calcinosis"}
    assert ("metastatic calcinosis cutis", "through metastatic calcification", "31") in through


def test_forms_associated_with_uremia_through_their_mechanism(ask):
    rows = ask("forms-for-condition", condition="uremia")
    # Line 19: "*Metastatic calcification is the secondary process* in association with renal hyperparathyroidism , in uremia"
    assert {r["form_label"] for r in rows} == {"metastatic calcinosis cutis", "calciphylaxis",
                                               "cutaneous metastatic calcinosis"}
    assert {r["lines"] for r in rows} == {"19"} and all(r["status"].startswith("through ") for r in rows)


def test_forms_associated_with_connective_tissue_disease_union_asserted_and_hedged(ask):
    rows = ask("forms-for-condition", condition="connective tissue disease")
    got = {(r["form_label"], r["associated_label"], r["hedge_label"], r["status"]) for r in rows}
    asserted, qualified = "asserted", "qualified statement, not asserted"
    assert got == {
        ("calcinosis universalis", "dermatomyositis", "as a rule", asserted),               # line 51
        ("calcinosis circumscripta", "systemic scleroderma", "as a rule", asserted),        # lines 55, 57
        ("calcinosis circumscripta", "CREST syndrome", "often", asserted),                  # line 59
        ("Thibierge-Weissenbach syndrome", "systemic scleroderma", None, asserted),         # line 59
        ("dystrophic calcinosis cutis", "lupus erythematosus", "only rarely", qualified),   # line 61
        ("dystrophic calcinosis cutis", "connective tissue disease", "in some instances", qualified),  # line 69
    }


def test_forms_sharing_hypercalcemia(ask):
    rows = ask("forms-by-mechanism", mechanism="hypercalcemia")
    # Line 13: metastatic calcification develops as the result of hypercalcemia; calciphylaxis (line 23) and
    # cutaneous metastatic calcinosis (line 27) are metastatic calcinosis cutis.
    assert {r["form_label"] for r in rows} == {
        "metastatic calcinosis cutis", "calciphylaxis", "cutaneous metastatic calcinosis"}


def test_forms_sharing_dystrophic_calcification_include_the_rejected_view(ask):
    rows = ask("forms-by-mechanism", mechanism="dystrophic calcification")
    status = {r["form_label"]: (r["hedge_label"], r["status"]) for r in rows}
    assert status.pop("idiopathic calcinosis of the scrotum") == (
        "at one time the accepted view", "qualified statement, not asserted")  # lines 91, 93
    assert set(status) == {"dystrophic calcinosis cutis", "calcinosis universalis", "calcinosis circumscripta",
                           "Thibierge-Weissenbach syndrome"}  # line 49 and the dystrophic subforms
    assert {s for _, s in status.values()} == {"asserted"}


def test_forms_at_a_site(ask):
    rows = ask("forms-by-site", site="hypodermis")
    # Line 39 "calcium deposits in the subcutis" (calciphylaxis); line 75 tumoral calcinosis "in the subcutaneous tissue".
    assert {(r["form_label"], r["lines"]) for r in rows} == {("calciphylaxis", "39"), ("tumoral calcinosis", "75")}
    assert {r["form_label"] for r in ask("forms-by-site", site="scrotum skin")} == {"idiopathic calcinosis of the scrotum"}
    assert len({r["form"] for r in ask("forms-by-site", site="skin of body")}) == 12


def test_forms_sharing_a_site(ask):
    assert [(r["site_label"], r["form1_label"], r["form2_label"]) for r in ask("shared-sites")] == [
        ("hypodermis", "calciphylaxis", "tumoral calcinosis")]


def test_forms_sharing_a_mechanism(ask):
    pairs = {(r["mechanism_label"], frozenset((r["form1_label"], r["form2_label"]))) for r in ask("shared-mechanisms")}
    assert pairs == {
        ("pathological calcification", frozenset(("metastatic calcinosis cutis", "dystrophic calcinosis cutis"))),
        ("pathological calcification", frozenset(("calciphylaxis", "dystrophic calcinosis cutis"))),
    }


def test_differential_ranks_forms_by_matching_findings(ask):
    rows = ask("differential", finding=["calcium deposit", "infarctive necrosis", "bulla"])
    ranked = [(r["form_label"], r["matches"]) for r in rows]
    # Calciphylaxis: bullae (line 25) and, as metastatic calcinosis cutis, calcium deposits (35) and infarctive
    # necrosis (37); the dystrophic forms: calcium deposits (line 65); tumoral calcinosis: "large masses of
    # calcium" in the subcutaneous tissue (line 75), a kind of calcium deposit.
    assert ranked[0] == ("calciphylaxis", 3)
    assert set(ranked[1:3]) == {("metastatic calcinosis cutis", 2), ("cutaneous metastatic calcinosis", 2)}
    assert set(ranked[3:]) == {("dystrophic calcinosis cutis", 1), ("calcinosis universalis", 1),
                               ("calcinosis circumscripta", 1), ("Thibierge-Weissenbach syndrome", 1),
                               ("tumoral calcinosis", 1)}
    assert rows[0]["matched"] == "bulla, calcium deposit, infarctive necrosis"
    only_scrotum = ask("differential", finding="multiple asymptomatic nodules")  # line 85
    assert [(r["form_label"], r["matches"]) for r in only_scrotum] == [("idiopathic calcinosis of the scrotum", 1)]


@pytest.mark.parametrize("findings", [
    ["calcium deposit", "infarctive necrosis", "bulla"],
    ["panniculitis-like lesion", "calcium deposit"],
    ["calcified nodule of the skin", "hypodermis"],
])
def test_differential_agrees_with_the_graph_command(onto, ask, findings):
    from kgtools.graph.analysis import differential, node_of, project

    G = project(onto)
    graph_ranking = {form: len(asserted) for form, asserted, _ in differential(G, [node_of(onto, G, f) for f in findings])}
    sparql_ranking = {onto.curie(r["form"]): r["matches"] for r in ask("differential", finding=findings)}
    assert sparql_ranking == graph_ranking


def test_provenance_quotes_every_statement_from_its_lines(onto, ask):
    rows = ask("provenance")
    assert {(r["subject"], r["lines"]) for r in rows} == {
        (c.subject, ", ".join(map(str, c.lines))) for c in citations(onto)}
    for row in rows:
        lines = [int(n) for n in row["lines"].split(", ")]
        for quote in row["quotes"].split(" | "):
            assert any(_in_source(n, quote) for n in lines), (row["subject_label"], quote)
    on_51 = ask("provenance", line=51)
    assert {(r["subject_label"], r["object_label"], r["hedge_label"]) for r in on_51} >= {
        ("calcinosis universalis", "dermatomyositis", "as a rule"),
        ("calcinosis universalis", "dystrophic calcinosis cutis", None)}
    assert all("51" in r["lines"].split(", ") for r in on_51)


def test_evidence_stated_by_text_or_completed_by_curator(onto, ask):
    expected = {}
    for c in citations(onto):
        key = (c.evidence, "asserted" if c.kind == "axiom" else "qualified statement, not asserted")
        expected[key] = expected.get(key, 0) + 1
    got = {(onto.curie(r["evidence"]), r["status"]): r["count"] for r in ask("evidence")}
    assert got == expected
    # Every hedged claim the text makes is stated by it: qualified statements are all ECO:0000304.
    assert ("ECO:0000305", "qualified statement, not asserted") not in got


def test_curator_completions(onto, ask):
    rows = ask("curator-completions")
    assert {r["subject"] for r in rows} == {c.subject for c in citations(onto) if c.evidence == "ECO:0000305"}
    skin = next(r for r in rows if r["subject_label"] == "calcinosis cutis" and r["object_label"] == "skin of body")
    assert "'Cutis' is the skin" in skin["note"]
    # Line 31 is cut off after "subsequent to renal": the curator supplied "[failure]".
    assert SOURCE[30].rstrip().endswith("subsequent to renal")
    renal = next(r for r in rows if r["subject_label"] == "renal failure" and r["object_label"] == "renal hyperparathyroidism")
    assert (renal["completion"], renal["lines"]) == ("renal [failure]", "31")


def test_hedged_statements_by_category(ask):
    restricting = ask("hedged-statements", category="restricting hedge")
    got = {(r["subject_label"], r["hedge_label"], r["lines"]) for r in restricting}
    mural = "mural calcification of arteries and arterioles in the deep dermis or subcutaneous tissue"
    assert {(mural, "rarely", "29, 31"), (mural, "somewhat more frequently", "31"),     # lines 29-31
            ("dystrophic calcinosis cutis", "only rarely", "61"),
            ("dystrophic calcinosis cutis", "in some instances", "69"),
            ("calcinosis universalis", "exceptionally", "51"),                        # "but exceptionally"
            ("calcinosis circumscripta", "rarely", "57")} == got
    everything = ask("hedged-statements")
    categories = {r["hedge_category"] for r in everything}
    assert categories == {"generalizing hedge", "restricting hedge", "uncertainty hedge", "rejection hedge"}
    generalizing = {r["status"] for r in everything if r["hedge_category"] == "generalizing hedge"}
    assert generalizing == {"asserted"}


def test_rejected_and_uncertain_statements(ask):
    got = {(r["subject_label"], r["relation_label"], r["object_label"], r["hedge_label"]) for r in ask("rejected-and-uncertain")}
    assert got == {
        # Line 103: "It is not likely that they originate from ... sweat ducts or nevus cells"
        ("homogeneous mass", "derives from", "nevus cell", "not likely"),
        ("homogeneous mass", "derives from", "duct of eccrine sweat gland", "not likely"),
        # Line 103: "The primary event seems to be the formation of large, homogeneous masses that undergo calcification"
        ("subepidermal calcified nodule", "disease has basis in", "formation of homogeneous masses", "seems"),
        ("homogeneous mass", "derives into", "calcified globule", "seems"),
        # Lines 91-93: "At one time, the accepted view was ..." dystrophic calcification
        ("idiopathic calcinosis of the scrotum", "disease has basis in", "dystrophic calcification",
         "at one time the accepted view"),
        # Lines 99-101: "O[nset ...] does not appear until adulthood": the qualifier is cut off
        ("subepidermal calcified nodule", "has phenotype", "Adult onset", "qualifier lost where the line is cut off"),
    }


def test_cross_reference_table(onto, ask):
    from rdflib import URIRef

    rows = ask("xrefs")
    has_xref = URIRef("http://www.geneontology.org/formats/oboInOwl#hasDbXref")
    assert len(rows) == len(list(onto.graph.triples((None, has_xref, None))))
    table = {(r["entity_label"], r["xref"]): r["predicate"] for r in rows}
    skos = "http://www.w3.org/2004/02/skos/core#"
    assert table[("calcinosis cutis", "HP:0025520")] == skos + "exactMatch"
    assert table[("calcinosis cutis", "MONDO:0002123")] == skos + "broadMatch"
    for xref in ("MONDO:0017215", "DOID:4734", "UMLS:C0006666", "SCTID:237900002"):
        assert ("calciphylaxis", xref) in table
    assert {r["vocabulary"] for r in rows} >= {"MONDO", "DOID", "HP", "UMLS", "SCTID", "ICD10CM"}
    icd = ask("xrefs", prefix="ICD10CM")
    assert icd and all(r["xref"].startswith("ICD10CM:") for r in icd)


def test_statistics(onto, ask):
    stats = {r["measure"]: r["value"] for r in ask("statistics")}
    cited = citations(onto)
    assert stats["triples"] == len(onto.graph)
    assert stats["forms"] == 12
    assert stats["qualified statements"] == sum(c.kind == "statement" for c in cited) == 10
    assert stats["cited axioms"] == sum(c.kind == "axiom" for c in cited)
    assert stats["source lines cited"] == len({n for c in cited for n in c.lines})


def test_form_graph_holds_asserted_edges_only(onto, oxigraph):
    triples = run_stored(onto, "form-graph", engine=oxigraph).normalized()
    occurs_with = f"<{CCUT}0000020>"
    assert (f"<{CCUT}0001006>", occurs_with, f"<{CCUT}0003008>") in triples        # universalis, dermatomyositis
    assert (f"<{CCUT}0001004>", "<http://purl.obolibrary.org/obo/RO_0004026>",
            "<http://purl.obolibrary.org/obo/UBERON_0002072>") in triples          # calciphylaxis in the subcutis
    assert (f"<{CCUT}0001002>", occurs_with, f"<{CCUT}0003011>") not in triples    # lupus: "only rarely"


def test_is_associated_answers(onto, oxigraph):
    def yes(form, condition):
        return run_stored(onto, "is-associated", {"form": form, "condition": condition}, oxigraph).boolean

    assert yes("calcinosis universalis", "dermatomyositis")
    assert yes("Thibierge-Weissenbach syndrome", "CREST syndrome")   # through calcinosis circumscripta, line 59
    assert not yes("dystrophic calcinosis cutis", "lupus erythematosus")  # "only rarely": not asserted
    assert not yes("calciphylaxis", "dermatomyositis")


# --------------------------------------------------------------------------- parameters and safety
INJECTIONS = [
    'dermatomyositis" } ; DROP ALL ; #',
    "<http://purl.obolibrary.org/obo/CCUT_0003008> } UNION { ?s ?p ?o",
    "x' . } INSERT DATA { <http://a> <http://b> <http://c> } #",
]


@pytest.mark.parametrize("value", INJECTIONS)
def test_entity_parameters_are_looked_up_not_pasted(onto, value):
    with pytest.raises(UnknownTermError):
        bind_parameters(onto, get_query("forms-for-condition"), {"condition": value})


@pytest.mark.parametrize("value", INJECTIONS)
def test_string_parameters_stay_literals_on_every_engine(onto, oxigraph, value):
    query = get_query("xrefs")
    bindings = bind_parameters(onto, query, {"prefix": value})
    assert bindings["prefix"].value == value
    before = len(onto.graph)
    for engine in (oxigraph, RdflibEngine(onto.graph)):
        assert engine.run(query.text, bindings).rows == []
    # The VALUES form, used for remote endpoints, holds the value as one escaped literal.
    text = insert_values(query.text, {"prefix": [bindings["prefix"]]})
    assert oxigraph.run(text).rows == []
    assert len(onto.graph) == before and len(oxigraph.store) == before


def test_typed_parameters_refuse_bad_values(onto):
    with pytest.raises(QueryError, match="not a valid integer"):
        bind_parameters(onto, get_query("provenance"), {"line": "51 } ; DROP ALL"})
    with pytest.raises(QueryError, match="has no parameter 'conditon'"):
        bind_parameters(onto, get_query("forms-for-condition"), {"conditon": "dermatomyositis"})
    with pytest.raises(QueryError, match="takes one value"):
        bind_parameters(onto, get_query("forms-for-condition"), {"condition": ["dermatomyositis", "uremia"]})


def test_iri_and_boolean_parameters_are_checked(onto):
    from kgtools.sparql.query import parse_header

    query = parse_header("# title: t\n# param: x (iri): an IRI\n# param: b (boolean, optional): a flag\n"
                         "SELECT ?s WHERE { ?s ?p ?x }", "t")
    assert bind_parameters(onto, query, {"x": "CCUT:0001004"})["x"].value == CCUT + "0001004"
    with pytest.raises(QueryError, match="not a valid iri"):
        bind_parameters(onto, query, {"x": "http://example.org/x> } ; DROP ALL ; #"})
    with pytest.raises(QueryError, match="not a valid boolean"):
        bind_parameters(onto, query, {"x": "CCUT:0001004", "b": "yes"})


def test_updates_and_service_are_refused_but_words_in_strings_are_not():
    for text in ("INSERT DATA { <http://a> <http://b> <http://c> }", "LOAD <http://example.org/x.ttl>",
                 "DROP ALL", "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
                 "DELETE WHERE { ?s ?p ?o }"):
        with pytest.raises(RefusedError):
            check_read_only(text)
    check_read_only('SELECT * WHERE { ?s ?p "INSERT DATA; SERVICE" } # DROP ALL')


def test_engines_refuse_updates(onto, oxigraph):
    for engine in (oxigraph, RdflibEngine(onto.graph)):
        with pytest.raises(RefusedError):
            engine.run("DELETE WHERE { ?s ?p ?o }")
    assert len(oxigraph.store) == len(onto.graph)


def test_values_go_into_the_outer_where_not_into_comments_or_strings():
    import pyoxigraph as ox

    text = 'SELECT ?x # WHERE {\nWHERE { ?x ?p "WHERE {" }'
    bound = insert_values(text, {"x": [ox.NamedNode("http://e/a")]})
    assert bound == 'SELECT ?x # WHERE {\nWHERE { VALUES ?x { <http://e/a> } ?x ?p "WHERE {" }'


def test_persistent_store_is_filled_once(onto, tmp_path):
    engine = OxigraphEngine.from_ontology(onto, tmp_path / "store")
    assert len(engine.store) == len(onto.graph)
    del engine
    reopened = OxigraphEngine.from_ontology(onto, tmp_path / "store")
    assert reopened.run("ASK { ?s ?p ?o }").boolean


# --------------------------------------------------------------------------- command line
def test_cli_lists_queries():
    result = CliRunner().invoke(main, ["queries", "--format", "json"])
    assert result.exit_code == 0
    import json

    names = {q["name"] for q in json.loads(result.output)}
    assert {"forms", "forms-for-condition", "differential", "provenance", "xrefs", "statistics"} <= names


def test_cli_query_formats():
    runner = CliRunner()
    csv = runner.invoke(main, ["query", "forms-for-condition", "--param", "condition=dermatomyositis", "--format", "csv"])
    assert csv.exit_code == 0 and "calcinosis universalis" in csv.output and "as a rule" in csv.output
    table = runner.invoke(main, ["query", "subforms", "--engine", "rdflib"])
    assert table.exit_code == 0 and "calcinosis circumscripta" in table.output
    turtle = runner.invoke(main, ["query", "form-graph", "--format", "turtle"])
    assert turtle.exit_code == 0 and re.search(r"CCUT_0001006|CCUT:0001006", turtle.output)


def test_cli_query_errors_are_one_line(tmp_path):
    runner = CliRunner()
    for args, message in [
        (["query", "forms-for-condition", "--param", "condition=calciphylaxsis"], "unknown term"),
        (["query", "no-such-query"], "unknown query"),
        (["query", "forms", "--param", "form"], "expected NAME=VALUE"),
        (["query", "forms", "--format", "turtle"], "not turtle"),
    ]:
        result = runner.invoke(main, args)
        assert result.exit_code == 2, args
        assert message in result.output and "Traceback" not in result.output
    update = tmp_path / "update.rq"
    update.write_text("DELETE WHERE { ?s ?p ?o }")
    result = runner.invoke(main, ["query", str(update)])
    assert result.exit_code == 2 and "read-only" in result.output

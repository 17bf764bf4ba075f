"""The ontology says what the source text says: content, hedges, provenance, conventions."""

import re

import pytest
from rdflib import OWL, RDF, RDFS, URIRef

from kgtools import provenance
from kgtools.ontology import CCUT, IAO_DEFINITION

OCCURS_IN_PATIENTS_WITH = URIRef(CCUT + "0000020")
HAS_BASIS_IN = URIRef("http://purl.obolibrary.org/obo/RO_0004019")
CAUSES = URIRef("http://purl.obolibrary.org/obo/RO_0003302")
HAS_LOCATION = URIRef("http://purl.obolibrary.org/obo/RO_0004026")


def iri(onto, term):
    return URIRef(onto.lookup(term).iri)


def restrictions(onto, subject):
    """(property, filler) of the existential restrictions asserted on a class, with the axiom's citation."""
    cited = {(c.subject, c.target): c for c in provenance.citations(onto) if c.kind == "axiom"}
    found = {}
    for node in onto.graph.objects(subject, RDFS.subClassOf):
        prop = onto.graph.value(node, OWL.onProperty)
        if prop is not None:
            found[(prop, onto.graph.value(node, OWL.someValuesFrom))] = cited.get((str(subject), str(node)))
    return found


def statements(onto, subject=None):
    return [c for c in provenance.citations(onto) if c.kind == "statement" and (subject is None or c.subject == str(subject))]


def hedge_label(onto, hedge):
    return onto.label(hedge) if hedge else None


def test_the_four_forms_and_the_hierarchy(onto):
    def parents(term):
        return {onto.label(p) for p in onto.graph.objects(iri(onto, term), RDFS.subClassOf) if isinstance(p, URIRef)}

    assert parents("metastatic calcinosis cutis") == {"calcinosis cutis"}
    assert parents("dystrophic calcinosis cutis") == {"calcinosis cutis"}
    assert parents("idiopathic calcinosis cutis") == {"calcinosis cutis"}
    assert parents("subepidermal calcified nodule") == {"calcinosis cutis"}
    assert parents("calciphylaxis") == {"metastatic calcinosis cutis"}
    assert parents("calcinosis universalis") == {"dystrophic calcinosis cutis"}
    assert parents("calcinosis circumscripta") == {"dystrophic calcinosis cutis"}
    assert parents("Thibierge-Weissenbach syndrome") == {"calcinosis circumscripta"}
    assert parents("tumoral calcinosis") == {"idiopathic calcinosis cutis"}
    assert parents("idiopathic calcinosis of the scrotum") == {"idiopathic calcinosis cutis"}


def test_fourth_form_is_marked_as_a_curators_completion(onto):
    """Line 7 is cut off after the third form: the fourth is the curator's, not the text's."""
    citation = next(c for c in provenance.citations(onto)
                    if c.subject == onto.lookup("subepidermal calcified nodule").iri and c.target == onto.lookup("calcinosis cutis").iri)
    assert citation.evidence == "ECO:0000305"
    assert 7 in citation.lines and citation.completion


def test_calcinosis_universalis_occurs_in_dermatomyositis_as_a_rule(onto):
    found = restrictions(onto, iri(onto, "calcinosis universalis"))
    citation = found[(OCCURS_IN_PATIENTS_WITH, iri(onto, "dermatomyositis"))]
    assert citation.lines == (51,)
    assert hedge_label(onto, citation.hedge) == "as a rule"
    assert citation.evidence == "ECO:0000304"


def test_lupus_only_rarely_with_dystrophic_calcinosis_is_never_an_axiom(onto):
    dcc, le = iri(onto, "dystrophic calcinosis cutis"), iri(onto, "lupus erythematosus")
    assert all(filler != le for (_, filler) in restrictions(onto, dcc))
    [statement] = [s for s in statements(onto, dcc) if s.target == str(le)]
    assert hedge_label(onto, statement.hedge) == "only rarely"
    assert statement.relation == str(OCCURS_IN_PATIENTS_WITH)
    assert statement.lines == (61,)


def test_rejected_origin_of_the_homogeneous_masses(onto):
    mass = onto.lookup("homogeneous mass").iri
    rejected = {onto.label(s.target): s for s in statements(onto, mass) if s.relation.endswith("RO_0001000")}
    assert sorted(rejected) == ["duct of eccrine sweat gland", "nevus cell"]
    for statement in rejected.values():
        assert hedge_label(onto, statement.hedge) == "not likely" and statement.lines == (103,)
        assert (URIRef(statement.hedge), RDF.type, iri(onto, "rejection hedge")) in onto.graph


def test_scrotal_calcinosis_as_dystrophic_end_stage_is_a_superseded_view(onto):
    ics = iri(onto, "idiopathic calcinosis of the scrotum")
    [statement] = [s for s in statements(onto, ics) if s.target == onto.lookup("dystrophic calcification").iri]
    assert hedge_label(onto, statement.hedge) == "at one time the accepted view"
    assert statement.relation == str(HAS_BASIS_IN)
    assert all(filler != URIRef(statement.target) for (_, filler) in restrictions(onto, ics))


def test_metastatic_calcification_results_from_hypercalcemia_or_hyperphosphatemia(onto):
    mc = iri(onto, "metastatic calcification")
    for cause in ("hypercalcemia", "hyperphosphatemia"):
        citation = restrictions(onto, iri(onto, cause))[(CAUSES, mc)]
        assert citation.lines == (13,) and citation.evidence == "ECO:0000304"


def test_metastatic_calcification_most_commonly_in_arterial_media_and_kidneys(onto):
    found = restrictions(onto, iri(onto, "metastatic calcification"))
    for site in ("tunica media", "kidney"):
        citation = found[(HAS_LOCATION, iri(onto, site))]
        assert hedge_label(onto, citation.hedge) == "most commonly" and citation.lines == (17,)


def test_calcification_of_small_vessels_lies_in_vessel_walls(onto):
    """Line 23 names the calcification of small vessels; line 39 puts its deposits within their walls."""
    found = restrictions(onto, iri(onto, "progressive calcification of small vessels"))
    citation = found[(HAS_LOCATION, iri(onto, "wall of blood vessel"))]
    assert citation.lines == (23, 39) and citation.evidence == "ECO:0000305"
    assert citation.completion == "walls of [small vessels]"
    assert hedge_label(onto, citation.hedge) == "chiefly"


def test_mural_calcification_rarely_in_primary_more_often_in_secondary_hyperparathyroidism(onto):
    mural = onto.lookup("mural calcification of arteries and arterioles in the deep dermis or subcutaneous tissue").iri
    hedges = {onto.label(s.target): hedge_label(onto, s.hedge) for s in statements(onto, mural)}
    assert hedges == {"primary hyperparathyroidism": "rarely", "secondary hyperparathyroidism": "somewhat more frequently"}


def test_calciphylaxis_presents_as_panniculitis_or_vasculitis(onto):
    found = restrictions(onto, iri(onto, "calciphylaxis"))
    unions = [onto.graph.value(filler, OWL.unionOf) for (prop, filler) in found if filler is not None]
    members = [{onto.label(m) for m in onto.graph.items(u)} for u in unions if u is not None]
    assert {"panniculitis-like lesion", "vasculitis-like lesion"} in members
    assert {"bulla", "ulceration", "livedo reticularis-like pattern"} in members


def test_every_logical_axiom_about_the_domain_carries_provenance(onto):
    """Only the ontology's own annotation model (the hedge categories) is exempt: it does not come from the text."""
    cited = {(c.subject, c.target) for c in provenance.citations(onto) if c.kind == "axiom"}
    uncited = [(onto.curie(s), onto.curie(t) if isinstance(t, URIRef) else "restriction")
               for s, t in onto.graph.subject_objects(RDFS.subClassOf)
               if str(s).startswith(CCUT) and (str(s), str(t)) not in cited]
    assert sorted(uncited) == [("CCUT:0000101", "CCUT:0000100"), ("CCUT:0000102", "CCUT:0000100"),
                               ("CCUT:0000103", "CCUT:0000100"), ("CCUT:0000104", "CCUT:0000100")]


def test_citations_quote_their_lines(onto):
    text = provenance.read_source()
    for citation in provenance.citations(onto):
        assert all(1 <= n <= len(text) for n in citation.lines)
        for quote in citation.quotes:
            assert any(quote in text[n - 1] for n in citation.lines), (citation.subject, quote)


def test_curator_completions_are_marked_and_only_those(onto):
    for citation in provenance.citations(onto):
        assert citation.evidence in ("ECO:0000304", "ECO:0000305")
        if citation.completion:
            assert citation.evidence == "ECO:0000305"
        if citation.evidence == "ECO:0000305":
            assert citation.completion or citation.note


def test_restricting_uncertain_and_rejection_hedges_only_on_qualified_statements(onto):
    kinds = {}
    for hedge_class in ("generalizing hedge", "restricting hedge", "uncertainty hedge", "rejection hedge"):
        for individual in onto.graph.subjects(RDF.type, iri(onto, hedge_class)):
            kinds[str(individual)] = hedge_class
    for citation in provenance.citations(onto):
        if citation.hedge and citation.kind == "axiom" and citation.relation == str(RDFS.subClassOf):
            assert kinds[citation.hedge] == "generalizing hedge", citation


def test_every_project_class_has_one_label_and_one_definition(onto):
    graph = onto.graph
    project = [c for c in graph.subjects(RDF.type, OWL.Class) if str(c).startswith(CCUT)]
    assert len(project) > 60
    for cls in project:
        labels = list(graph.objects(cls, RDFS.label))
        assert len(labels) == 1 and labels[0].language == "en", cls
        assert len(list(graph.objects(cls, URIRef(IAO_DEFINITION)))) == 1, cls
        assert re.fullmatch(r"http://purl\.obolibrary\.org/obo/CCUT_\d{7}", str(cls))


def test_labels_are_unique(onto):
    labels = [str(label).lower() for s, label in onto.graph.subject_objects(RDFS.label) if str(s).startswith(CCUT)]
    assert len(labels) == len(set(labels))


def test_ontology_metadata(onto):
    meta = onto.metadata()
    assert meta["title"] == "Calcinosis Cutis Ontology"
    assert meta["version_iri"].endswith("/ccut.owl") and meta["version"] in meta["version_iri"]
    assert meta["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert meta["description"] and meta["source"]


def test_coverage_is_complete(onto):
    report = provenance.coverage(onto)
    assert report.percent == 100.0
    assert len(report.content_lines) == 43
    # every content line has at least one OWL axiom, not only qualified statements
    assert [line.number for line in report.content_lines if line.axioms == 0] == []


@pytest.mark.parametrize("term, expected", [
    ("calciophylaxis", "CCUT:0001004"),
    ("CCUT:0001006", "CCUT:0001006"),
    ("http://purl.obolibrary.org/obo/CCUT_0003008", "CCUT:0003008"),
    ("Systemic Sclerosis", "CCUT:0003009"),
    ("kidney", "UBERON:0002113"),
])
def test_lookup_by_label_synonym_curie_iri(onto, term, expected):
    assert onto.lookup(term).curie == expected


def test_lookup_unknown_term_suggests_close_matches(onto):
    from kgtools.errors import UnknownTermError

    with pytest.raises(UnknownTermError) as err:
        onto.lookup("calcinosis universalys")
    assert "calcinosis universalis" in err.value.suggestions


def test_entities_by_kind(onto):
    forms = {e.label for e in onto.entities("form")}
    assert forms == {"calcinosis cutis", "metastatic calcinosis cutis", "dystrophic calcinosis cutis", "idiopathic calcinosis cutis",
                     "calciphylaxis", "cutaneous metastatic calcinosis", "calcinosis universalis", "calcinosis circumscripta",
                     "Thibierge-Weissenbach syndrome", "tumoral calcinosis", "idiopathic calcinosis of the scrotum",
                     "subepidermal calcified nodule"}
    sites = {e.label for e in onto.entities("site")}
    assert {"tunica media", "kidney", "deep dermis", "hypodermis", "scrotum skin", "vicinity of the large joints",
            "wall of small blood vessel of the subcutis"} <= sites
    conditions = {e.label for e in onto.entities("condition")}
    assert {"renal hyperparathyroidism", "primary hyperparathyroidism", "uremia", "renal failure", "dermatomyositis",
            "systemic scleroderma", "CREST syndrome", "lupus erythematosus", "connective tissue disease"} <= conditions


def test_hermit_finds_the_ontology_consistent_with_no_unsatisfiable_class(onto, tmp_path):
    """The ontology loads in owlready2 and HermiT (Java) classifies it."""
    import owlready2

    path = tmp_path / "calcinosis.nt"
    path.write_text(onto.serialize("nt"))
    world = owlready2.World()
    loaded = world.get_ontology(path.as_uri()).load()
    assert len(list(loaded.classes())) > 80
    with loaded:
        owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
    assert list(world.inconsistent_classes()) == []
    # HermiT's classification keeps the asserted hierarchy, e.g. calciphylaxis under calcinosis cutis
    calciphylaxis = world.search_one(iri=onto.lookup("calciphylaxis").iri)
    assert world.search_one(iri=onto.lookup("calcinosis cutis").iri) in calciphylaxis.ancestors()

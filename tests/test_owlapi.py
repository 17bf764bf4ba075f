"""OWLAPI (the library under ROBOT and Protégé) reads every OWL and Turtle release file, and finds it OWL 2 DL."""

import re

import pytest
from rdflib import OWL, RDF, URIRef

from kgtools.exchange import release

RDF_FILES = [f"calcinosis{variant}.{fmt}" for variant in release.VARIANTS for fmt in ("owl", "ttl")]


@pytest.fixture(scope="module")
def declared_classes(onto):
    classes = {}
    for variant in release.VARIANTS:
        graph = release.variant_graph(onto.graph, variant)
        classes[variant] = {str(s) for s in graph.subjects(RDF.type, OWL.Class) if isinstance(s, URIRef)}
    return classes


@pytest.mark.parametrize("name", RDF_FILES)
def test_owlapi_reads_the_file_in_its_syntax_with_every_class_and_finds_it_owl2_dl(owlapi, released,
                                                                                  declared_classes, name):
    variant = name.removeprefix("calcinosis").rsplit(".", 1)[0]
    fmt = name.rsplit(".", 1)[1]
    expected_format = {"owl": "RDF/XML Syntax", "ttl": "Turtle Syntax"}[fmt]
    forced, forced_format = owlapi.load(released / name, fmt)
    # Left to pick the parser itself, as ROBOT and Protégé do, OWLAPI must not fall back to the OBO parser.
    picked, picked_format = owlapi.load(released / name)
    assert (forced_format, picked_format) == (expected_format, expected_format)
    assert owlapi.classes(forced) == owlapi.classes(picked) == declared_classes[variant]
    assert len(declared_classes[variant]) > 80
    assert owlapi.dl_violations(forced) == []
    assert forced.getAxiomCount() == picked.getAxiomCount() > 600


def axioms(ontology) -> list[str]:
    """The axioms as OWLAPI prints them, anonymous individuals (qualified statements) without their parse-time ids."""
    return sorted(re.sub(r"_:genid\d+", "_:x", str(axiom)) for axiom in ontology.getAxioms())


@pytest.mark.parametrize("variant", list(release.VARIANTS))
def test_owlapi_reads_the_same_axioms_from_rdf_xml_and_turtle(owlapi, released, variant):
    from_xml, _ = owlapi.load(released / f"calcinosis{variant}.owl", "owl")
    from_turtle, _ = owlapi.load(released / f"calcinosis{variant}.ttl", "ttl")
    assert axioms(from_xml) == axioms(from_turtle)
    # Axiom annotations (the provenance of each axiom) are part of the axioms compared.
    assert any(axiom.isAnnotated() for axiom in from_xml.getAxioms())


def test_an_undeclared_annotation_property_is_a_dl_violation(owlapi, tmp_path):
    # The check the release passes is not vacuous: the header's dcterms:title, undeclared, is a violation.
    path = tmp_path / "undeclared.ttl"
    path.write_text("<http://e/o> a <http://www.w3.org/2002/07/owl#Ontology> ; <http://purl.org/dc/terms/title> 't' .\n")
    ontology, _ = owlapi.load(path, "ttl")
    assert any("UseOfUndeclaredAnnotationProperty" in v or "undeclared annotation property" in v
               for v in owlapi.dl_violations(ontology))

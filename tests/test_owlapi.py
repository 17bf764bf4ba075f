"""OWLAPI (the library under ROBOT and Protégé) reads every OWL and Turtle release file, and finds it OWL 2 DL; it reads
every OBO release file into the same classes and logical axioms, with no property the ontology does not declare."""

import re

import pytest
from rdflib import OWL, RDF, URIRef

from kgtools.exchange import release

RDF_FILES = [(variant, fmt) for variant in release.VARIANTS for fmt in ("owl", "ttl")]


@pytest.fixture(scope="module")
def declared_classes(onto):
    classes = {}
    for variant in release.VARIANTS:
        graph = release.variant_graph(onto.graph, variant)
        classes[variant] = {str(s) for s in graph.subjects(RDF.type, OWL.Class) if isinstance(s, URIRef)}
    return classes


@pytest.mark.parametrize("variant, fmt", RDF_FILES)
def test_owlapi_reads_the_file_in_its_syntax_with_every_class_and_finds_it_owl2_dl(owlapi, released,
                                                                                  declared_classes, variant, fmt):
    name = release.file_name(variant, fmt)
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
    from_xml, _ = owlapi.load(released / release.file_name(variant, "owl"), "owl")
    from_turtle, _ = owlapi.load(released / release.file_name(variant, "ttl"), "ttl")
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


def logical_axioms(ontology) -> list[str]:
    """The logical axioms without their annotations, anonymous individuals without their parse-time ids."""
    return sorted(re.sub(r"_:genid\d+", "_:x", str(axiom.getAxiomWithoutAnnotations()))
                  for axiom in ontology.getLogicalAxioms())


def obo_vocabulary() -> set[str]:
    """The oboInOwl properties of OWLAPI's OBO-to-OWL mapping: one per OBO tag, and its own vocabulary."""
    from org.obolibrary.obo2owl import Obo2OWLConstants
    from org.obolibrary.oboformat.parser import OBOFormatConstants

    tags = {"http://www.geneontology.org/formats/oboInOwl#" + str(t.getTag())
            for t in OBOFormatConstants.OboFormatTag.values()}
    return tags | {str(v.getIRI()) for v in Obo2OWLConstants.Obo2OWLVocabulary.values()}


def undeclared_properties(ontology, declared) -> set[str]:
    """Annotation properties OWLAPI made that are neither declared by ``declared`` nor OBO's own vocabulary."""
    used = {str(p.getIRI()) for p in ontology.getAnnotationPropertiesInSignature()}
    return used - {str(p.getIRI()) for p in declared.getAnnotationPropertiesInSignature()} - obo_vocabulary()


@pytest.mark.parametrize("variant", list(release.VARIANTS))
def test_owlapi_reads_the_obo_file_with_no_property_the_ontology_does_not_declare(owlapi, released, variant):
    from_obo, fmt = owlapi.load(released / release.file_name(variant, "obo"))
    from_owl, _ = owlapi.load(released / release.file_name(variant, "owl"), "owl")
    assert fmt == "OBO Format"
    assert undeclared_properties(from_obo, from_owl) == set()
    # Every property the project declares for provenance is read as itself, not as an OBO tag.
    assert "http://purl.obolibrary.org/obo/CCUT_0000001" in {
        str(p.getIRI()) for p in from_obo.getAnnotationPropertiesInSignature()}


def test_the_property_check_sees_a_qualifier_owlapi_turns_into_an_obo_tag(owlapi, onto, released, tmp_path):
    # The OBO releases keyed their provenance qualifiers by CURIE: OWLAPI 5.1 reads CCUT:0000001 as a tag.
    import fastobo

    from kgtools.exchange.release import obo_document, variant_graph

    doc = obo_document(variant_graph(onto.graph, ""))
    frame = next(f for f in doc if str(f.id) == "CCUT:0001004")
    qualifier = fastobo.qual.Qualifier(fastobo.id.PrefixedIdent("CCUT", "0000001"), "39")
    clause = fastobo.term.IsAClause(fastobo.id.PrefixedIdent("CCUT", "0001001"))
    clause.qualifiers = fastobo.qual.QualifierList([qualifier])
    frame.append(clause)
    path = tmp_path / "qualified.obo"
    path.write_text(str(doc))
    from_obo, _ = owlapi.load(path)
    from_owl, _ = owlapi.load(released / "ccut.owl", "owl")
    assert undeclared_properties(from_obo, from_owl) == {"http://www.geneontology.org/formats/oboInOwl#CCUT:0000001"}


@pytest.mark.parametrize("variant", list(release.VARIANTS))
def test_owlapi_converts_the_obo_file_to_rdf_xml_with_the_classes_and_logical_axioms_of_the_owl(owlapi, released,
                                                                                               tmp_path, variant):
    from kgtools.checks import owlapi as java

    from_owl, _ = owlapi.load(released / release.file_name(variant, "owl"), "owl")
    from_obo, _ = owlapi.load(released / release.file_name(variant, "obo"))
    # What `robot convert -i ccut.obo -o ccut.owl` does, then the RDF/XML read back.
    converted, fmt = owlapi.load(java.save_rdf_xml(from_obo, tmp_path / "converted.owl"))
    assert fmt == "RDF/XML Syntax"
    assert owlapi.classes(converted) == owlapi.classes(from_owl)
    assert logical_axioms(converted) == logical_axioms(from_owl)
    assert len(logical_axioms(from_owl)) > 100
    assert converted.getOntologyID().getOntologyIRI() == from_owl.getOntologyID().getOntologyIRI()


def test_owlapi_reads_the_version_iri_of_the_main_obo_file_and_writes_the_variants_data_version(owlapi, released):
    from org.obolibrary.obo2owl import OWLAPIOwl2Obo

    main_obo, _ = owlapi.load(released / "ccut.obo")
    main_owl, _ = owlapi.load(released / "ccut.owl", "owl")
    assert str(main_obo.getOntologyID().getVersionIRI().get()) == str(main_owl.getOntologyID().getVersionIRI().get())
    for variant in release.VARIANTS:
        from_owl, _ = owlapi.load(released / release.file_name(variant, "owl"), "owl")
        header = (released / release.file_name(variant, "obo")).read_text().split("\n[", 1)[0].splitlines()
        # The data-version OWLAPI's own OBO writer (ROBOT convert) gives the .owl.
        assert f"data-version: {OWLAPIOwl2Obo.getDataVersion(from_owl)}" in header


def test_java_hears_of_pythons_full_collections_only(owlapi):
    """JPype's hook, which may run Java's collector, stays linked to Python's full collections (the link's example
    shows it forwards those only) and no longer runs at every young one, where it made each allocation-heavy step
    10 to 50 times slower once Java had started."""
    import gc

    import _jpype

    assert _jpype._collect not in gc.callbacks
    assert any(getattr(c, "hook", None) is _jpype._collect for c in gc.callbacks)

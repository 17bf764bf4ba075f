"""Release files: every variant in every format parses back to what was written."""

import json
from collections import Counter
from pathlib import Path

import fastobo
import pytest
from obographs.model import GraphDocument

from kgtools.exchange import release
from kgtools.ontology import parse_file
from kgtools.provenance import EVIDENCE, HEDGE, SOURCE_LINE


@pytest.fixture(scope="module")
def variants(onto):
    return {variant: release.variant_graph(onto.graph, variant) for variant in release.VARIANTS}


def test_every_variant_is_written_in_every_format(released):
    names = sorted(p.name for p in released.iterdir())
    # Named after the ID space, as OBO products are (ccut.owl, ccut-base.obo...).
    assert names == sorted(f"ccut{v}.{f}" for v in release.VARIANTS for f in release.FORMATS)


def test_rdf_formats_of_the_main_release_are_isomorphic_to_the_ontology(onto, variants, released):
    # Blank nodes and all, by the W3C RDF canonicalisation (Oxigraph's, through release.isomorphic): what rdflib's
    # own test tells, in milliseconds instead of seconds a graph.
    # The main variant is the ontology with the declarations OWL 2 DL asks for, and nothing else.
    from rdflib import OWL, RDF

    added = variants[""] - onto.graph
    assert len(added) > 0 and all(p == RDF.type and o == OWL.AnnotationProperty for _, p, o in added)
    assert len(onto.graph - variants[""]) == 0
    for fmt in ("ttl", "owl", "jsonld"):
        assert release.isomorphic(parse_file(released / f"ccut.{fmt}"), variants[""]), fmt


@pytest.mark.parametrize("variant", ["-base", "-full"])
@pytest.mark.parametrize("fmt", ["ttl", "owl", "jsonld"])
def test_rdf_formats_of_every_variant_round_trip(variants, released, variant, fmt):
    assert release.isomorphic(parse_file(released / f"ccut{variant}.{fmt}"), variants[variant])


def test_isomorphism_check_sees_a_lost_blank_node_triple(variants):
    damaged = variants["-full"].__class__()
    damaged += variants["-full"]
    from rdflib import OWL

    damaged.remove((next(damaged.subjects(OWL.onProperty, None)), OWL.onProperty, None))
    assert not release.isomorphic(damaged, variants["-full"])


def test_every_file_carries_the_version_iri(onto, released):
    from rdflib import OWL

    version_iri = onto.metadata()["version_iri"]
    for variant, name in release.VARIANTS.items():
        expected = version_iri.rsplit("/", 1)[0] + "/" + name
        for fmt in ("ttl", "owl", "jsonld"):
            assert {str(o) for o in parse_file(released / f"ccut{variant}.{fmt}").objects(None, OWL.versionIRI)} == {expected}
        header = fastobo.load(str(released / f"ccut{variant}.obo")).header
        # OWLAPI's form of the version (test_owlapi reads it back): ontology ID and file name left out.
        data_version = {"": f"releases/{onto.metadata()['version']}",
                        "-full": f"ccut/releases/{onto.metadata()['version']}/ccut-full.owl",
                        "-base": f"ccut/releases/{onto.metadata()['version']}/ccut-base.owl"}[variant]
        assert f"data-version: {data_version}" in [str(c) for c in header]
        document = GraphDocument.model_validate_json((released / f"ccut{variant}.json").read_text())
        assert document.graphs[0].meta.version == expected


@pytest.mark.parametrize("variant", list(release.VARIANTS))
def test_obo_parses_strictly_and_keeps_terms_labels_synonyms_xrefs_and_relationships(variants, released, variant):
    doc = fastobo.load(str(released / f"ccut{variant}.obo"))
    assert str(doc.header[0]) == "format-version: 1.4"
    assert release.obo_terms(doc) == release.graph_terms(variants[variant])


@pytest.mark.parametrize("variant", list(release.VARIANTS))
def test_obographs_json_keeps_terms_labels_synonyms_xrefs_and_relationships(variants, released, variant):
    document = GraphDocument.model_validate_json((released / f"ccut{variant}.json").read_text())
    assert release.obograph_terms(document) == release.graph_terms(variants[variant])


def test_obo_carries_the_texts_facts_and_header(released, onto):
    terms = release.obo_terms(fastobo.load(str(released / "ccut.obo")))
    calciphylaxis = terms["CCUT:0001004"]
    assert calciphylaxis["name"] == "calciphylaxis"
    assert ("calciophylaxis", "exact") in calciphylaxis["synonyms"]
    assert {"MONDO:0017215", "DOID:4734", "Orphanet:280062"} <= calciphylaxis["xrefs"]
    assert calciphylaxis["is_a"] == {"CCUT:0001001"}
    assert ("RO:0004026", "UBERON:0002072") in calciphylaxis["relationships"]  # located in the subcutis, line 39
    header = [str(c) for c in fastobo.load(str(released / "ccut.obo")).header]
    metadata = onto.metadata()
    # Title, description and licence as property_value lines, where OWLAPI (and so ROBOT's report) reads them.
    assert f'property_value: http://purl.org/dc/terms/title "{metadata["title"]}" xsd:string' in header
    assert any(c.startswith('property_value: http://purl.org/dc/terms/description "The forms of calcinosis cutis')
               for c in header)
    assert "property_value: http://purl.org/dc/terms/license https://creativecommons.org/licenses/by/4.0/" in header
    # No trailing qualifier keyed by a project property: OWLAPI 5.1 would read it as an oboInOwl tag.
    assert all(not (clause.qualifiers or []) for frame in fastobo.load(str(released / "ccut.obo")) for clause in frame
               if hasattr(clause, "qualifiers"))


def test_base_leaves_out_external_terms_but_keeps_project_axioms(variants):
    base = release.graph_terms(variants["-base"])
    full = release.graph_terms(variants["-full"])
    assert "UBERON:0002097" in full and "UBERON:0002097" not in base
    assert base["CCUT:0001000"] == full["CCUT:0001000"]
    assert all(k.startswith("CCUT:") for k in base)


def test_owl_axioms_hold_what_obo_frames_cannot(released):
    header = fastobo.load(str(released / "ccut.obo")).header
    axioms = [c.axioms for c in header if type(c).__name__ == "OwlAxiomsClause"]
    assert len(axioms) == 1
    text = axioms[0]
    assert text.count("ClassAssertion(<http://purl.obolibrary.org/obo/CCUT_0000090> _:") == 10  # qualified statements
    assert text.count("Declaration(NamedIndividual(") == text.count("ClassAssertion(<http://purl.obolibrary.org/obo/CCUT_00001") > 10
    assert text.count("ObjectUnionOf(") == 4
    # The provenance of a union restriction stays with it.
    assert 'SubClassOf(Annotation(<http://purl.obolibrary.org/obo/CCUT_0000001> "29"^^' in text


def test_release_command_writes_into_the_folder_given(tmp_path):
    from click.testing import CliRunner

    from kgtools.cli import main

    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["release", "--out", str(out), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert (out / "ccut-base.obo").is_file() and len(list(out.iterdir())) == 15
    assert sorted((Path(f["file"]).name, f["bytes"]) for f in json.loads(result.stdout)) == sorted(
        (p.name, p.stat().st_size) for p in out.iterdir())
    # -o is the same option, as in every command that writes.
    assert {"-o", "--out"} <= set(next(p for p in main.get_command(None, "release").params if "--out" in p.opts).opts)


def test_two_releases_are_byte_identical_in_every_file(kgtools_process, released, tmp_path):
    # The session's release and one by a new process, so that nothing (blank node ids, hash seeds, set order) is
    # shared between the runs.
    first, second = released, tmp_path / "second"
    done = kgtools_process("release", "-o", str(second))
    assert done.returncode == 0, done.stderr
    names = sorted(p.name for p in first.iterdir())
    assert names == sorted(p.name for p in second.iterdir()) and len(names) == 15
    assert [n for n in names if (first / n).read_bytes() != (second / n).read_bytes()] == []


def test_turtle_writes_a_full_iri_where_a_prefixed_name_would_need_an_escape(released):
    import pyoxigraph as ox

    from kgtools.serialize import turtle

    text = (released / "ccut.ttl").read_text()
    assert "<http://purl.obolibrary.org/obo/ccut/releases/" in text
    triple = ox.Triple(ox.NamedNode("http://purl.obolibrary.org/obo/a/b.owl"), ox.NamedNode("http://e/p"),
                       ox.NamedNode("http://purl.obolibrary.org/obo/HP_0025520"))
    written = turtle([triple], {"obo": "http://purl.obolibrary.org/obo/", "e": "http://e/"})
    assert written.endswith("<http://purl.obolibrary.org/obo/a/b.owl> e:p obo:HP_0025520 .\n")
    assert [t.subject for t in ox.parse(written, format=ox.RdfFormat.TURTLE)] == [triple.subject]


def test_rdf_xml_has_one_element_per_subject(released):
    from xml.etree import ElementTree

    root = ElementTree.parse(released / "ccut.owl").getroot()
    about = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}about"
    subjects = [child.get(about) for child in root if child.get(about)]
    assert len(subjects) == len(set(subjects)) > 100
    graph = parse_file(released / "ccut.owl")
    from rdflib import URIRef

    assert set(subjects) == {str(s) for s in graph.subjects() if isinstance(s, URIRef)}


def test_every_annotation_property_the_release_uses_is_declared(variants):
    from rdflib import OWL, RDF, URIRef

    for graph in variants.values():
        for prop in ("title", "description", "license", "source"):
            assert (URIRef("http://purl.org/dc/terms/" + prop), RDF.type, OWL.AnnotationProperty) in graph


def json_source_lines(document) -> Counter:
    """(subject IRI, source lines) of every piece of the OBO Graphs JSON whose meta holds a source line."""
    found = Counter()

    def add(subject, meta):
        lines = tuple(sorted(int(p.val) for p in (meta.basicPropertyValues or []) if p.pred == SOURCE_LINE)) if meta else ()
        if lines:
            found[(subject, lines)] += 1

    for graph in document.graphs:
        for node in graph.nodes or []:
            for value in (node.meta.basicPropertyValues or []) if node.meta else []:
                add(node.id, value.meta)
            for synonym in (node.meta.synonyms or []) if node.meta else []:
                add(node.id, synonym.meta)
        for edge in graph.edges or []:
            add(edge.sub, edge.meta)
    return found


def test_obographs_json_carries_the_source_line_of_every_cited_axiom(onto, released):
    from kgtools.provenance import citations

    cited = Counter((c.subject, c.lines) for c in citations(onto) if c.kind == "axiom")
    document = GraphDocument.model_validate_json((released / "ccut.json").read_text())
    assert json_source_lines(document) == cited and sum(cited.values()) > 150
    # Evidence and hedge are CURIEs there too.
    values = {p.pred: p.val for g in document.graphs for e in g.edges or [] if e.meta
              for p in e.meta.basicPropertyValues or []}
    assert values[EVIDENCE].startswith("ECO:") and values[HEDGE].startswith("CCUT:")


def test_obo_writes_the_evidence_and_hedges_of_definitions_as_their_xrefs(onto, released):
    from kgtools.provenance import citations

    doc = fastobo.load(str(released / "ccut.obo"))
    definitions = [clause for frame in doc for clause in frame if type(clause).__name__ == "DefClause"]
    supported = [d for d in definitions if any(str(x.id).startswith("ECO:") for x in d.xrefs)]
    cited_definitions = [c for c in citations(onto) if c.relation == "http://purl.obolibrary.org/obo/IAO_0000115"]
    assert len(supported) == len(cited_definitions) > 50

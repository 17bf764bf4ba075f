"""Release files: every variant in every format parses back to what was written."""

import fastobo
import pytest
from obographs.model import GraphDocument
from rdflib.compare import to_isomorphic

from kgtools import release
from kgtools.ontology import parse_file


@pytest.fixture(scope="module")
def released(onto, tmp_path_factory):
    out = tmp_path_factory.mktemp("release")
    release.release(onto, out)
    return out


@pytest.fixture(scope="module")
def variants(onto):
    return {variant: release.variant_graph(onto.graph, variant) for variant in release.VARIANTS}


def test_every_variant_is_written_in_every_format(released):
    names = sorted(p.name for p in released.iterdir())
    assert names == sorted(f"calcinosis{v}.{f}" for v in release.VARIANTS for f in release.FORMATS)


def test_rdf_formats_of_the_main_release_are_isomorphic_to_the_ontology(onto, released):
    # rdflib's own isomorphism test, blank nodes and all (seconds per graph: run on the main variant).
    expected = to_isomorphic(onto.graph).internal_hash()
    for fmt in ("ttl", "owl", "jsonld"):
        assert to_isomorphic(parse_file(released / f"calcinosis.{fmt}")).internal_hash() == expected, fmt


@pytest.mark.parametrize("variant", ["-base", "-full"])
@pytest.mark.parametrize("fmt", ["ttl", "owl", "jsonld"])
def test_rdf_formats_of_every_variant_round_trip(variants, released, variant, fmt):
    assert release.isomorphic(parse_file(released / f"calcinosis{variant}.{fmt}"), variants[variant])


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
            assert {str(o) for o in parse_file(released / f"calcinosis{variant}.{fmt}").objects(None, OWL.versionIRI)} == {expected}
        header = fastobo.load(str(released / f"calcinosis{variant}.obo")).header
        assert f"data-version: {expected.removeprefix('http://purl.obolibrary.org/obo/')}" in [str(c) for c in header]
        document = GraphDocument.model_validate_json((released / f"calcinosis{variant}.json").read_text())
        assert document.graphs[0].meta.version == expected


@pytest.mark.parametrize("variant", list(release.VARIANTS))
def test_obo_parses_strictly_and_keeps_terms_labels_synonyms_xrefs_and_relationships(variants, released, variant):
    doc = fastobo.load(str(released / f"calcinosis{variant}.obo"))
    assert str(doc.header[0]) == "format-version: 1.4"
    assert release.obo_terms(doc) == release.graph_terms(variants[variant])


@pytest.mark.parametrize("variant", list(release.VARIANTS))
def test_obographs_json_keeps_terms_labels_synonyms_xrefs_and_relationships(variants, released, variant):
    document = GraphDocument.model_validate_json((released / f"calcinosis{variant}.json").read_text())
    assert release.obograph_terms(document) == release.graph_terms(variants[variant])


def test_obo_carries_the_texts_facts_and_provenance(released):
    terms = release.obo_terms(fastobo.load(str(released / "calcinosis.obo")))
    calciphylaxis = terms["CCUT:0001004"]
    assert calciphylaxis["name"] == "calciphylaxis"
    assert ("calciophylaxis", "exact") in calciphylaxis["synonyms"]
    assert {"MONDO:0017215", "DOID:4734", "Orphanet:280062"} <= calciphylaxis["xrefs"]
    assert calciphylaxis["is_a"] == {"CCUT:0001001"}
    assert ("RO:0004026", "UBERON:0002072") in calciphylaxis["relationships"]  # located in the subcutis, line 39
    text = (released / "calcinosis.obo").read_text()
    assert 'relationship: RO:0004026 UBERON:0002072 {CCUT:0000001="39", CCUT:0000002="calcium deposits in the subcutis"' in text


def test_base_leaves_out_external_terms_but_keeps_project_axioms(variants):
    base = release.graph_terms(variants["-base"])
    full = release.graph_terms(variants["-full"])
    assert "UBERON:0002097" in full and "UBERON:0002097" not in base
    assert base["CCUT:0001000"] == full["CCUT:0001000"]
    assert all(k.startswith("CCUT:") for k in base)


def test_what_obo_leaves_out_is_counted(onto):
    omitted = release.obo_omissions(onto.graph)
    assert omitted["qualified statements"] == 10
    assert omitted["hedge individuals"] > 0


def test_release_command_writes_into_the_folder_given(tmp_path):
    from click.testing import CliRunner

    from kgtools.cli import main

    for option in ("-o", "--out"):
        out = tmp_path / option.strip("-")
        result = CliRunner().invoke(main, ["release", option, str(out)])
        assert result.exit_code == 0, result.output
        assert (out / "calcinosis-base.obo").is_file() and len(list(out.iterdir())) == 15

"""The SSSOM mapping set is generated from the ontology's cross-references and passes sssom-py."""

import shutil

from kgtools.exchange import mappings
from kgtools.ontology import load_prefixes


def test_committed_mapping_set_is_what_the_ontology_generates(onto):
    assert mappings.mappings_path().read_text() == mappings.generate(onto)


def test_mapping_set_passes_sssom_validation():
    assert mappings.validate_sssom(mappings.mappings_path()) == []


def test_sssom_validation_reports_bad_rows(tmp_path):
    bad = tmp_path / "bad.sssom.tsv"
    text = mappings.mappings_path().read_text()
    bad.write_text(text.replace("HP:0025520\tsemapv:ManualMappingCuration", "FOO:0025520\tManualCuration"))
    problems = mappings.validate_sssom(bad)
    assert any("FOO" in p for p in problems)
    assert any("ManualCuration" in p for p in problems)


def test_every_xref_is_a_mapping_with_its_predicate_and_reference_version(onto):
    rows = {(m.subject_id, m.object_id): m for m in mappings.xref_mappings(onto)}
    xrefs = sum(len(e.xrefs) for e in onto.entities() if e.curie.startswith("CCUT:"))
    assert len(rows) == xrefs
    # The predicates recorded on the ontology's reified xrefs (CCUT:0000011).
    assert rows[("CCUT:0001000", "HP:0025520")].predicate_id == "skos:exactMatch"
    assert rows[("CCUT:0001000", "MONDO:0002123")].predicate_id == "skos:broadMatch"
    assert rows[("CCUT:0001004", "MONDO:0017215")].predicate_id == "skos:exactMatch"
    assert rows[("CCUT:0001000", "HP:0025520")].object_source_version == "hp/releases/2025-01-16"
    assert rows[("CCUT:0001004", "MONDO:0017215")].object_source_version == "mondo/releases/2026-08-04"
    prefixes = {m.object_id.split(":")[0] for m in rows.values()}
    assert {"MONDO", "DOID", "HP", "UMLS", "SCTID", "ICD10CM", "Orphanet"} <= prefixes
    assert all(m.mapping_justification == "semapv:ManualMappingCuration" and m.confidence for m in rows.values())
    assert all(m.object_source and m.object_source_version for m in rows.values())


def test_every_mapping_prefix_is_in_the_shipped_prefix_map():
    prefix_map = load_prefixes()
    for row in mappings.read_sssom(mappings.mappings_path()):
        for curie in (row["subject_id"], row["object_id"]):
            assert curie.split(":")[0] in prefix_map, curie


def test_orphanet_xrefs_expand_to_ordo_iris_and_orpha_still_works(onto):
    assert onto.expand("Orphanet:280062") == "http://www.orpha.net/ORDO/Orphanet_280062"
    assert onto.curie("http://www.orpha.net/ORDO/Orphanet_280062") == "Orphanet:280062"
    assert onto.expand("ORPHA:280062").endswith("Expert=280062")


def test_sssom_header_carries_the_ontology_version(onto, tmp_path):
    text = mappings.generate(onto)
    assert f"#mapping_set_version: '{onto.metadata()['version']}'" in text
    assert "#license: https://creativecommons.org/licenses/by/4.0/" in text
    shutil.copy(mappings.mappings_path(), tmp_path / "m.sssom.tsv")
    assert mappings.validate_sssom(tmp_path / "m.sssom.tsv") == []


def test_mappings_command_generates_and_checks(tmp_path):
    from click.testing import CliRunner

    from kgtools.cli import main

    out = tmp_path / "m.sssom.tsv"
    assert CliRunner().invoke(main, ["mappings", "-o", str(out)]).exit_code == 0
    assert out.read_text() == mappings.mappings_path().read_text()
    result = CliRunner().invoke(main, ["mappings", "--check"])
    assert result.exit_code == 0 and "up to date" in result.output


def test_the_sssom_curie_map_is_the_bioregistrys_with_the_prefixes_hpo_and_mondo_write():
    import bioregistry

    registry = bioregistry.get_converter()
    text = mappings.mappings_path().read_text()
    curie_map = {line.split(": ", 1)[0].strip("# "): line.split(": ", 1)[1]
                 for line in text.splitlines() if line.startswith("#  ")}
    assert len(curie_map) > 15 and curie_map["CCUT"] == "http://purl.obolibrary.org/obo/CCUT_"
    for prefix, uri_prefix in curie_map.items():
        if prefix == "CCUT":
            continue  # not in the Bioregistry yet
        # The Bioregistry reads each of our IRIs back as the same resource our prefix names.
        assert registry.compress(uri_prefix + "0000001") == f"{registry.standardize_prefix(prefix)}:0000001", prefix
    # Where the Bioregistry prefers another prefix or URI prefix, HPO's and MONDO's are kept.
    assert registry.standardize_prefix("ICD10CM") == "icd10cm" and "ICD10CM" in curie_map
    assert registry.get_record("umls").uri_prefix != curie_map["UMLS"] == "http://linkedlifedata.com/resource/umls/id/"


def test_a_prefix_the_bioregistry_does_not_know_is_refused_and_an_unknown_uri_prefix_replaced():
    import pytest

    from kgtools.errors import KgtoolsError

    with pytest.raises(KgtoolsError, match="prefix NOTAREALPREFIX: not in the Bioregistry"):
        mappings.bioregistry_prefix_map(["NOTAREALPREFIX"])
    assert mappings.bioregistry_prefix_map(["MESH"], {"MESH": "http://example.org/mesh/"}) == {
        "MESH": "https://meshb.nlm.nih.gov/record/ui?ui="}


def test_every_curie_of_the_obographs_json_expands_with_the_bioregistry_prefix_map(released):
    import re

    import curies
    from obographs.model import GraphDocument
    from obographs.standardized import StandardizedGraphDocument

    from kgtools.ontology import converter as project_converter

    text = (released / "ccut.json").read_text()
    document = GraphDocument.model_validate_json(text)
    strings = set(re.findall(r'"(?:val|pred|id|sub|obj)": "([^"\s]+)"', text))
    # The prefixes of the CURIEs the document writes, and of the IRIs it writes in full.
    prefixes = {v.split(":", 1)[0] for v in strings if re.fullmatch(r"[A-Za-z][\w.]*:[^:]+", v) and not v.startswith("http")}
    prefixes |= {project_converter().compress(v).split(":")[0] for v in strings
                 if v.startswith("http") and project_converter().compress(v)}
    assert {"HP", "MONDO", "ICD10CM", "UMLS", "ECO", "CCUT", "dcterms"} <= prefixes
    converter = curies.Converter.from_prefix_map(mappings.bioregistry_prefix_map(sorted(prefixes)))
    # The 4 union restrictions are Manchester text, which obographs' reader takes for a CURIE (it starts with one)
    # and fails on: their CURIEs are checked apart, the rest by the reader.
    manchester = []
    for node in document.graphs[0].nodes:
        if node.meta and node.meta.basicPropertyValues:
            manchester += [v for v in node.meta.basicPropertyValues if " some (" in v.val]
            node.meta.basicPropertyValues = [v for v in node.meta.basicPropertyValues if " some (" not in v.val] or None
    assert len(manchester) == 4
    assert all(converter.expand(c) for v in manchester for c in re.findall(r"[A-Z]+:\d+", v.val))
    # obographs' own reader, strict: every CURIE and IRI of the document must expand or compress with the map.
    standard = StandardizedGraphDocument.from_obograph_raw(document, converter, strict=True)
    assert len(standard.graphs[0].nodes) == len(document.graphs[0].nodes)

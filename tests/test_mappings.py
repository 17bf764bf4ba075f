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

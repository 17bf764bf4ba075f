"""kgtools merge and kgtools align: unification, the report, nothing lost, and the checks."""

import functools
import json
from pathlib import Path

import pyoxigraph as ox
import pytest

from kgtools.exchange import merge as merging
from kgtools.exchange.align import align, loose_key, normalise
from kgtools.errors import InputError
from kgtools.exchange.external import read_triples
from kgtools.exchange.mappings import validate_sssom

SLICES = Path(__file__).parent / "data" / "merge"


@pytest.fixture(scope="module")
def merged(onto):
    return merging.merge(onto, [SLICES / "hp_slice.obo", SLICES / "uberon_slice.obo"])


@functools.lru_cache(maxsize=8)
def read_once(path, tag):
    """An input's triples as the merge reads them, read once for all the checks (the full HPO takes seconds)."""
    return tuple(read_triples(path, tag))


def rewritten(triple, rewrites):
    """An input triple as the merge report says it was rewritten."""
    def term(node):
        new = rewrites.get(node.value) if not isinstance(node, ox.BlankNode) else None
        if new is None:
            return node
        return ox.NamedNode(new) if isinstance(node, ox.NamedNode) else ox.Literal(new, datatype=node.datatype)
    return ox.Triple(term(triple.subject), triple.predicate, term(triple.object))


def assert_nothing_lost(onto, others, result):
    from kgtools.ontology import oxigraph_triples

    output = set(result.triples)
    rewrites = result.report["prefix rewrites"]
    # The annotation model is left out on purpose (its own test below): the rest of the project is all there.
    left_out = set(result.left_out)
    project = [t for t in oxigraph_triples(onto.graph) if rewritten(t, rewrites) not in left_out]
    inputs = [project] + [read_once(p, f"in{n}") for n, p in enumerate(others, 1)]
    # Blank nodes are renamed per file; compare ground triples exactly and count the others.
    for triples in inputs:
        ground = [t for t in triples if not isinstance(t.subject, ox.BlankNode) and not isinstance(t.object, ox.BlankNode)]
        missing = [t for t in ground if rewritten(t, rewrites) not in output]
        assert missing == [], missing[:3]
    unique = len({rewritten(t, rewrites) for t in inputs[0]} | {rewritten(t, rewrites) for ts in inputs[1:] for t in ts})
    assert len(output) == unique + result.report["accounting"]["added"]
    assert result.report["accounting"]["lost"] == 0
    per_input = result.report["accounting"]["per input"]
    assert [p["triples"] for p in per_input] == [len(onto.graph)] + [len(t) for t in inputs[1:]]
    assert per_input[0]["left out"] == len(left_out) and all(p["left out"] == 0 for p in per_input[1:])
    assert all(p["kept as is"] + p["rewritten"] + p["left out"] == p["triples"] for p in per_input)


def assert_kept_as_written(result, others):
    """Every triple of every other input is in the merged output unchanged: ground triples as they are, and
    the triples with blank nodes (labelled apart per input) the same graph up to the labels."""
    from kgtools.serialize import canonical_triples

    output = set(result.triples)
    for number, path in enumerate(others, 1):
        triples = read_once(path, f"in{number}")
        is_ground = [not isinstance(t.subject, ox.BlankNode) and not isinstance(t.object, ox.BlankNode) for t in triples]
        assert [t for t, ground in zip(triples, is_ground) if ground and t not in output] == []
        with_blank = [t for t, ground in zip(triples, is_ground) if not ground]
        tag = f"in{number}_"
        merged_blank = [t for t in output if any(isinstance(n, ox.BlankNode) and n.value.startswith(tag)
                                                 for n in (t.subject, t.object))]
        assert set(canonical_triples(with_blank)) == set(canonical_triples(merged_blank))


def test_exact_mappings_unify_with_equivalence(merged):
    unified = {(u["project"], u["target"]) for u in merged.report["terms unified"]}
    assert ("CCUT:0001000", "HP:0025520") in unified  # calcinosis cutis
    assert ("CCUT:0002001", "HP:0003072") in unified  # hypercalcemia
    # broadMatch and closeMatch xrefs do not unify: calcinosis cutis is narrower than MONDO:0002123.
    assert not any(t.startswith("MONDO:") for _, t in unified)
    equivalence = ox.Triple(ox.NamedNode("http://purl.obolibrary.org/obo/CCUT_0001000"),
                            ox.NamedNode("http://www.w3.org/2002/07/owl#equivalentClass"),
                            ox.NamedNode("http://purl.obolibrary.org/obo/HP_0025520"))
    assert equivalence in set(merged.triples)


def test_nothing_is_lost(onto, merged):
    assert_nothing_lost(onto, [SLICES / "hp_slice.obo", SLICES / "uberon_slice.obo"], merged)


def test_the_annotation_model_is_left_out_of_the_merged_hierarchy(onto, merged):
    from rdflib import RDF, RDFS, URIRef

    from kgtools.provenance import HEDGE, HEDGE_CLASS, QUALIFIED_STATEMENT

    qualified, hedge = URIRef(QUALIFIED_STATEMENT), URIRef(HEDGE_CLASS)
    model_classes = {qualified, hedge} | set(onto.graph.transitive_subjects(RDFS.subClassOf, hedge))
    hedges = {s for c in model_classes for s in onto.graph.subjects(RDF.type, c)}
    assert len(model_classes) == 6 and len(hedges) == 19 + 10  # the hedges and the qualified statements
    left = {(u["term"], u["label"]) for u in merged.report["terms left out"]}
    assert {("CCUT:0000090", "qualified statement"), ("CCUT:0000100", "hedge")} <= left
    assert ("qualified statements (blank nodes)", "10 statements") in left
    # No triple of the merged ontology is about them, or puts anything under them.
    model = {str(n) for n in model_classes | hedges if isinstance(n, URIRef)}
    assert not [t for t in merged.triples if t.subject.value in model]
    assert not [t for t in merged.triples if t.predicate.value == str(RDFS.subClassOf) and t.object.value in model]
    assert not [t for t in merged.triples if t.object.value == QUALIFIED_STATEMENT]
    # The axioms keep their provenance, the hedge named by its IRI; the rest of the project is all there.
    assert any(t.predicate.value == HEDGE and t.object.value in model for t in merged.triples)
    assert_nothing_lost(onto, [SLICES / "hp_slice.obo", SLICES / "uberon_slice.obo"], merged)
    assert merged.report["accounting"]["per input"][0]["left out"] == len(merged.left_out) > 150
    assert "left out (the annotation model)" in merged.text()


def test_the_annotation_model_is_kept_on_request(onto, tmp_path):
    from click.testing import CliRunner

    from kgtools.cli import main

    kept = merging.merge(onto, [SLICES / "hp_slice.obo"], keep_annotation_model=True)
    assert kept.left_out == [] and kept.report["terms left out"] == []
    assert_nothing_lost(onto, [SLICES / "hp_slice.obo"], kept)
    qualified = "http://purl.obolibrary.org/obo/CCUT_0000090"
    assert sum(1 for t in kept.triples if t.object.value == qualified) == 10
    out = tmp_path / "kept.nt"
    result = CliRunner().invoke(main, ["merge", str(SLICES / "hp_slice.obo"), "--reason", "none",
                                       "--keep-annotation-model", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert f"<{qualified}>" in out.read_text() and "left out (the annotation model)" not in result.output


def test_the_shapes_check_the_hedged_axioms_against_the_annotation_model_left_out(onto):
    result = merging.merge(onto, [SLICES / "hp_slice.obo"])
    assert merging.check(result)["shapes"]["conforms"]


def test_report_lists_additions_clashes_dangling_references_and_rewrites(merged):
    report = merged.report
    added = {t["term"] for t in report["terms added"]}
    assert {"CCUT:0001004", "CCUT:0001006"} <= added and "HP:0025520" not in added
    clashes = {(c["term"], c["other term"]) for c in report["label clashes"]}
    assert ("CCUT:0003006", "HP:0000083") in clashes  # renal failure / Renal insufficiency
    assert ("CCUT:0001000", "HP:0025520") not in clashes  # differ only in case
    dangling = {d["term"] for d in report["dangling references"]}
    assert any(t.startswith("UBERON:") for t in dangling)  # relationship targets outside the UBERON slice
    assert report["prefix rewrites"] == {}
    assert report["obsolete targets"] == []
    assert report["conflicting parents"] == []
    text = merged.text()
    assert "terms unified: 8" in text and "0 lost" in text


def test_iri_replacement_on_request(onto):
    result = merging.merge(onto, [SLICES / "hp_slice.obo"], replace_iris=True)
    subjects = {t.subject.value for t in result.triples if isinstance(t.subject, ox.NamedNode)}
    assert "http://purl.obolibrary.org/obo/CCUT_0001000" not in subjects
    assert result.report["prefix rewrites"]["http://purl.obolibrary.org/obo/CCUT_0001000"] == \
        "http://purl.obolibrary.org/obo/HP_0025520"
    assert_nothing_lost(onto, [SLICES / "hp_slice.obo"], result)


def test_unify_none_adds_only_the_declarations_owl2_dl_needs(onto):
    result = merging.merge(onto, [SLICES / "hp_slice.obo"], unify="none")
    assert result.report["terms unified"] == []
    assert result.report["accounting"]["added"] == len(result.report["declarations added"]) > 0


def test_other_inputs_are_kept_exactly_as_written(onto, merged):
    assert_kept_as_written(merged, [SLICES / "hp_slice.obo", SLICES / "uberon_slice.obo"])
    snomed = ox.Literal("SNOMEDCT_US:17141001")
    assert any(t.object == snomed for t in merged.triples)
    assert merged.report["prefix rewrites"] == {}
    assert all(item["rewritten"] == 0 for item in merged.report["accounting"]["per input"])


def test_prefix_normalisation_on_request(onto):
    result = merging.merge(onto, [SLICES / "hp_slice.obo"], normalize_prefixes=True)
    assert result.report["prefix rewrites"]["SNOMEDCT_US:17141001"] == "SCTID:17141001"
    assert ox.Literal("SCTID:17141001") in {t.object for t in result.triples}
    assert ox.Literal("SNOMEDCT_US:17141001") not in {t.object for t in result.triples}
    assert_nothing_lost(onto, [SLICES / "hp_slice.obo"], result)


def test_merged_file_declares_what_it_uses_and_is_no_less_owl2_dl_than_its_input(onto, owlapi, tmp_path):
    inputs = [SLICES / "hp_slice.obo"]
    out = tmp_path / "merged.owl"
    out.write_bytes(merging.merge(onto, inputs).serialize("owl"))
    merged, fmt = owlapi.load(out)
    assert fmt == "RDF/XML Syntax"
    hp_alone, _ = owlapi.load(inputs[0])
    assert len(owlapi.dl_violations(hp_alone)) > 0  # OWLAPI's own OBO reading of HPO leaves some undeclared
    assert len(owlapi.dl_violations(merged)) <= len(owlapi.dl_violations(hp_alone))
    assert "http://purl.obolibrary.org/obo/HP_0025520" in owlapi.classes(merged)


def test_merged_output_is_the_same_bytes_every_time(onto):
    first = merging.merge(onto, [SLICES / "hp_slice.obo"])
    second = merging.merge(onto, [SLICES / "hp_slice.obo"])
    for fmt in merging.OUTPUT_FORMATS:
        assert first.serialize(fmt) == second.serialize(fmt), fmt


def test_merge_with_doid_hpo_and_uberon_slices(onto):
    others = [SLICES / "doid_slice.ttl", SLICES / "hp_slice.obo", SLICES / "uberon_slice.obo"]
    result = merging.merge(onto, others)
    assert_nothing_lost(onto, others, result)
    unified = {(u["project"], u["target"]) for u in result.report["terms unified"]}
    assert {("CCUT:0001004", "DOID:4734"), ("CCUT:0003008", "DOID:10223"), ("CCUT:0003001", "DOID:13543"),
            ("CCUT:0003001", "HP:0000843")} <= unified
    assert ("CCUT:0001000", "DOID:182") not in unified  # DOID:182 calcinosis is a broad match
    conflicts = {(c["term"], c["target"], c["project parent"]) for c in result.report["conflicting parents"]}
    # The text groups dermatomyositis with the connective tissue diseases; DOID puts it under myositis.
    assert ("CCUT:0003008", "DOID:10223", "CCUT:0003007") in conflicts
    # Renal hyperparathyroidism is a secondary hyperparathyroidism in both.
    assert not any(term == "CCUT:0003003" for term, _, _ in conflicts)
    clashes = {(c["term"], c["other term"]) for c in result.report["label clashes"]}
    assert ("CCUT:0003006", "DOID:1074") in clashes and ("CCUT:0003006", "HP:0000083") in clashes
    assert not any(term == "BFO:0000050" for term, _ in clashes)  # "part_of" is "part of"


def test_obsolete_targets_and_conflicting_parents_are_reported(onto, tmp_path):
    # A made-up ontology (not reference data): HP:0003072 is obsolete, and secondary hyperparathyroidism
    # (HP:0000867) is not under hyperparathyroidism (HP:0000843), as the project has it (CCUT:0003002 < CCUT:0003001).
    other = tmp_path / "other.ttl"
    other.write_text("""
@prefix owl: <http://www.w3.org/2002/07/owl#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix obo: <http://purl.obolibrary.org/obo/> .
obo:HP_0003072 a owl:Class ; rdfs:label "obsolete Hypercalcemia" ; owl:deprecated true .
obo:HP_0000843 a owl:Class ; rdfs:label "Hyperparathyroidism" .
obo:HP_0000867 a owl:Class ; rdfs:label "Secondary hyperparathyroidism" ; rdfs:subClassOf obo:HP_0000118 .
obo:HP_0000118 a owl:Class ; rdfs:label "Phenotypic abnormality" .
""")
    report = merging.merge(onto, [other]).report
    assert ("CCUT:0002001", "HP:0003072", "xref") in {(o["term"], o["target"], o["how"]) for o in report["obsolete targets"]}
    conflicts = {(c["term"], c["target"], c["project parent"]) for c in report["conflicting parents"]}
    assert conflicts == {("CCUT:0003002", "HP:0000867", "CCUT:0003001")}


def test_owl_input_in_rdf_xml(onto, tmp_path):
    import fastobo

    owl = tmp_path / "hp_slice.owl"
    fastobo.dump_owl(fastobo.load(str(SLICES / "hp_slice.obo")), str(owl), format="rdf")
    result = merging.merge(onto, [owl])
    assert ("CCUT:0001000", "HP:0025520") in {(u["project"], u["target"]) for u in result.report["terms unified"]}


def test_bad_inputs_give_one_clear_error(onto, tmp_path):
    with pytest.raises(InputError, match="no such file"):
        merging.merge(onto, [tmp_path / "missing.obo"])
    bad = tmp_path / "bad.obo"
    bad.write_text("format-version: 1.4\nontology: x\n\n[Term]\nid: X:1\nis_a X:2\n")
    with pytest.raises(InputError, match=r"bad.obo:\d+:\d+: OBO syntax error"):
        merging.merge(onto, [bad])
    with pytest.raises(InputError, match="unknown format"):
        merging.merge(onto, [SLICES / "README.md"])


def test_checks_reason_and_validate_the_project_terms(merged):
    outcome = merging.check(merged)
    assert outcome["consistency"]["consistent"] and outcome["consistency"]["unsatisfiable"] == []
    assert outcome["shapes"]["conforms"]
    assert "consistent" in merged.report["checks"]["consistency"]


def test_merge_command_writes_output_and_report(tmp_path):
    from click.testing import CliRunner

    from kgtools.cli import main

    out, report = tmp_path / "merged.ttl", tmp_path / "report.json"
    result = CliRunner().invoke(main, ["merge", str(SLICES / "hp_slice.obo"), "-o", str(out), "--report", str(report),
                                       "--reason", "none"])
    assert result.exit_code == 0, result.output
    assert "terms unified: 8" in result.output
    assert json.loads(report.read_text())["accounting"]["lost"] == 0
    assert len(list(ox.parse(path=str(out)))) == json.loads(report.read_text())["accounting"]["output triples"]


def test_merge_command_prints_as_json_the_report_it_writes(tmp_path):
    from click.testing import CliRunner

    from kgtools.cli import main

    report = tmp_path / "report.json"
    result = CliRunner().invoke(main, ["merge", str(SLICES / "hp_slice.obo"), "--report", str(report), "--reason", "none",
                                       "--format", "json"])
    assert result.exit_code == 0, result.output
    printed = json.loads(result.stdout)
    assert printed == json.loads(report.read_text())
    assert printed["accounting"]["lost"] == 0 and len(printed["terms unified"]) == 8


def test_merge_command_refuses_an_unknown_output_format_before_merging(tmp_path):
    from click.testing import CliRunner

    from kgtools.cli import main

    result = CliRunner().invoke(main, ["merge", str(SLICES / "hp_slice.obo"), "-o", str(tmp_path / "m.docx")])
    assert result.exit_code == 2 and "unknown output format 'docx'" in result.output
    assert not (tmp_path / "m.docx").exists()


def test_a_report_that_cannot_be_renamed_into_place_leaves_no_merged_output(merged, tmp_path):
    """The merged ontology and its report are written both or neither: a folder in the report's place (which no
    file can replace) stops the pair, and the merged ontology renamed into place before it is taken back."""
    (tmp_path / "report.json").mkdir()
    (tmp_path / "report.json" / "kept").write_text("a folder in the way\n")
    with pytest.raises(InputError, match="cannot write .*report.json: Is a directory"):
        merged.write(tmp_path / "merged.ttl", tmp_path / "report.json")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.json"]  # no merged.ttl, no temporary file
    assert [p.name for p in (tmp_path / "report.json").iterdir()] == ["kept"]


def test_a_failed_pair_puts_back_the_earlier_merged_output(merged, tmp_path):
    (tmp_path / "merged.owl").write_text("an earlier merge\n")
    (tmp_path / "report.json").mkdir()
    (tmp_path / "report.json" / "kept").write_text("a folder in the way\n")
    with pytest.raises(InputError, match="report.json"):
        merged.write(tmp_path / "merged.owl", tmp_path / "report.json")
    assert (tmp_path / "merged.owl").read_text() == "an earlier merge\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["merged.owl", "report.json"]
    merged.write(tmp_path / "merged.owl", tmp_path / "report.ttl.json")  # and a pair that can be written replaces it
    assert (tmp_path / "merged.owl").read_bytes() == merged.serialize("owl")
    assert json.loads((tmp_path / "report.ttl.json").read_text()) == merged.report


def test_align_command_writes_sssom_and_counts_what_it_found_again(tmp_path):
    from click.testing import CliRunner

    from kgtools.cli import main

    out = tmp_path / "proposed.sssom.tsv"
    result = CliRunner().invoke(main, ["align", str(SLICES / "hp_slice.obo"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "1 new mappings proposed; 8 existing mappings found again" in result.output
    assert "HP:0007618" in out.read_text() and "HP:0025520" not in out.read_text()


# ---------------------------------------------------------------- align
def test_normalisation_levels_case_punctuation_plurals_and_spelling():
    assert normalise("Hypercalcaemia") == normalise("hypercalcemia")
    assert normalise("Calcium deposits") == normalise("calcium-deposit")
    assert normalise("Tumours") == normalise("tumor")
    assert loose_key("calcinosis cutis") == loose_key("Cutaneous calcification") == loose_key("skin calcification")


def test_align_finds_the_hpo_terms_and_keeps_existing_mappings_apart(onto, tmp_path):
    result = align(onto, SLICES / "hp_slice.obo")
    existing = {(m.subject_id, m.object_id) for m in result.existing}
    proposed = {(m.subject_id, m.object_id): m for m in result.proposed}
    assert ("CCUT:0001000", "HP:0025520") in existing  # already an exact xref: found again, not proposed
    assert not existing & set(proposed)
    subcutaneous = proposed[("CCUT:0001000", "HP:0007618")]
    assert subcutaneous.predicate_id == "skos:closeMatch" and subcutaneous.confidence < 0.9
    assert subcutaneous.mapping_justification == "semapv:LexicalMatching"
    assert subcutaneous.object_source_version == "http://purl.obolibrary.org/obo/hp.obo/hp/releases/2025-01-16/hp.obo.owl"
    out = tmp_path / "proposed.sssom.tsv"
    out.write_text(result.sssom(include_existing=True))
    assert validate_sssom(out) == []


# ---------------------------------------------------------------- the full HPO
def test_merge_with_the_full_hpo(onto, owlapi, full_hpo, hpo_merge, hpo_merged_file):
    result = hpo_merge()
    assert_nothing_lost(onto, [full_hpo], result)
    assert result.report["prefix rewrites"] == {}
    assert_kept_as_written(result, [full_hpo])  # every HPO triple is in the output as HPO wrote it
    merged, _ = owlapi.load(hpo_merged_file("owl"))
    hp_alone, _ = owlapi.load(full_hpo)
    assert len(owlapi.dl_violations(merged)) <= len(owlapi.dl_violations(hp_alone))
    outcome = merging.check(result)
    assert outcome["consistency"]["consistent"] and outcome["shapes"]["conforms"]
    assert ("CCUT:0001000", "HP:0025520") in {(u["project"], u["target"]) for u in result.report["terms unified"]}
    aligned = align(onto, full_hpo)
    assert ("CCUT:0001000", "HP:0007618") in {(m.subject_id, m.object_id) for m in aligned.proposed}
    assert ("CCUT:0001000", "HP:0025520") in {(m.subject_id, m.object_id) for m in aligned.existing}

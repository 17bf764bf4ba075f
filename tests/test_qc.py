"""ROBOT's report queries over each release file as OWLAPI reads it: no ERROR on the release, ERRORs where ROBOT
finds them, and the exit codes of ``kgtools qc`` by fail-on level."""

import json
from pathlib import Path

import pytest

from kgtools.exchange import qc, release

DATA = Path(__file__).parent / "data" / "qc"
OWLAPI_FILES = [release.file_name(variant, fmt) for variant in release.VARIANTS for fmt in ("owl", "ttl", "obo")]


@pytest.fixture(scope="module")
def reports(owlapi, released):
    """The report on every release file, as ``kgtools qc`` makes it."""
    return {report.path.name: report for report in qc.check([released])}


def test_every_release_file_is_reported_on_and_those_owlapi_reads_have_no_error(reports):
    expected = {"owl": "RDF/XML Syntax", "ttl": "Turtle Syntax", "obo": "OBO Format"}
    assert {name: r.format for name, r in reports.items() if r.format} == {
        name: expected[name.rsplit(".", 1)[1]] for name in OWLAPI_FILES}
    assert sorted(name for name, r in reports.items() if not r.format) == sorted(
        release.file_name(v, f) for v in release.VARIANTS for f in ("json", "jsonld"))
    assert {name: reports[name].counts()["ERROR"] for name in OWLAPI_FILES} == dict.fromkeys(OWLAPI_FILES, 0)
    assert not any(r.fails("error") for r in reports.values())
    # The report is not empty: the imported terms have no definition (WARN) and no superclass (INFO).
    assert reports["ccut.owl"].counts()["WARN"] > 0 and reports["ccut.owl"].counts()["INFO"] > 0


def test_the_counts_in_the_docs_are_the_counts_of_the_release(reports):
    # The table of the report on the interoperability page (file, ERROR, WARN, INFO): one row per file OWLAPI reads.
    readme = (Path(__file__).parents[1] / "docs" / "interoperability.md").read_text()
    rows = {}
    for line in readme.splitlines():
        cells = [c.strip(" `") for c in line.strip().strip("|").split("|")]
        if len(cells) == 4 and cells[0] in OWLAPI_FILES:
            rows[cells[0]] = tuple(int(c) for c in cells[1:])
    assert rows == {name: tuple(reports[name].counts().values()) for name in OWLAPI_FILES}


def test_the_obo_files_are_reported_on_as_owlapi_reads_them(reports):
    # OWLAPI adds oboInOwl:hasOBOFormatVersion, with a label, when it reads OBO, and labels the oboInOwl
    # properties it knows: the report asks for their definitions, as it would not on what fastobo reads.
    obo_only = {(v.rule, v.subject) for v in reports["ccut.obo"].violations} - {
        (v.rule, v.subject) for v in reports["ccut.owl"].violations}
    assert obo_only == {("missing_definition", f"oboInOwl:{name}")
                        for name in ("hasOBOFormatVersion", "hasDbXref", "hasExactSynonym", "hasRelatedSynonym")}


def test_the_annotation_model_classes_are_the_project_roots_without_a_superclass(reports):
    roots = {v.subject for v in reports["ccut.owl"].violations if v.rule == "missing_superclass"
             and v.subject.startswith("CCUT:")}
    assert {"CCUT:0000090", "CCUT:0000100"} <= roots


def test_robot_errors_are_found_with_robots_rules_and_levels(owlapi):
    report = qc.report_file(DATA / "broken.ttl")
    found = {(v.level, v.rule, v.subject) for v in report.violations}
    ontology = "http://purl.obolibrary.org/obo/xx.owl"
    assert {("ERROR", "missing_ontology_description", ontology), ("ERROR", "missing_ontology_license", ontology),
            ("ERROR", "multiple_labels", "http://purl.obolibrary.org/obo/XX_0000001"),
            ("ERROR", "label_whitespace", "http://purl.obolibrary.org/obo/XX_0000002"),
            ("WARN", "missing_definition", "http://purl.obolibrary.org/obo/XX_0000001")} <= found
    assert ("ERROR", "missing_ontology_title", ontology) not in found
    assert report.fails("error")


def test_an_obo_qualifier_keyed_by_a_curie_is_read_by_owlapi_as_an_obo_tag(owlapi):
    # What the OBO releases used to do: OWLAPI turns the key into an oboInOwl property nobody declared.
    from kgtools.checks import owlapi as java

    ontology = java.load(DATA / "qualifier.obo").ontology
    properties = {str(p.getIRI()) for p in ontology.getAnnotationPropertiesInSignature()}
    assert "http://www.geneontology.org/formats/oboInOwl#XX:0000010" in properties


@pytest.mark.parametrize("fail_on, code", [("error", 0), ("warn", 1), ("info", 1), ("none", 0)])
def test_qc_exits_by_the_fail_on_level(fail_on, code):
    from click.testing import CliRunner

    from kgtools.cli import main

    result = CliRunner().invoke(main, ["qc", str(DATA / "warnings.obo"), "--fail-on", fail_on])
    assert result.exit_code == code, result.output
    lines = result.output.splitlines()
    assert "warnings.obo\tWARN\tmissing_definition\thttp://purl.obolibrary.org/obo/XX_0000001\tIAO:0000115\t" in lines
    assert lines[-1] == "warnings.obo (OBO Format): 0 ERROR, 2 WARN, 1 INFO"


def test_qc_exits_1_on_an_error_and_writes_robots_table(tmp_path):
    from click.testing import CliRunner

    from kgtools.cli import main

    out = tmp_path / "report.tsv"
    result = CliRunner().invoke(main, ["qc", str(DATA / "broken.ttl"), "--format", "tsv", "-o", str(out)])
    assert result.exit_code == 1, result.output
    lines = out.read_text().splitlines()
    assert lines[0] == "File\tLevel\tRule Name\tSubject\tProperty\tValue"
    assert "broken.ttl\tERROR\tmultiple_labels\thttp://purl.obolibrary.org/obo/XX_0000001\trdfs:label\tfirst label" in lines
    json_result = CliRunner().invoke(main, ["qc", str(DATA / "broken.ttl"), "--format", "json"])
    data = json.loads(json_result.output[:json_result.output.rindex("]") + 1])
    # Two labels on one class are two rows, as in ROBOT's table.
    assert data[0]["counts"] == {"ERROR": 5, "WARN": 2, "INFO": 1} and data[0]["format"] == "Turtle Syntax"


def test_qc_of_a_file_owlapi_cannot_read_exits_2(tmp_path):
    from click.testing import CliRunner

    from kgtools.cli import main

    bad = tmp_path / "bad.owl"
    bad.write_text("Ontology(")  # no parser of OWLAPI's reads it
    result = CliRunner().invoke(main, ["qc", str(bad)])
    assert result.exit_code == 2
    assert "bad.owl: OWLAPI cannot read it" in result.output


def test_the_vendored_queries_are_robots_default_profile():
    rules = qc.profile()
    assert len(rules) == 32 and set(rules.values()) == {"ERROR", "WARN", "INFO"}
    assert all((qc._QUERIES / f"{rule}.rq").is_file() for rule in rules)
    assert "a67eed4823af7f5b7bb33ddd12f662adc4303cad" in (qc._QUERIES / "README.md").read_text()
    assert (qc._QUERIES / "LICENSE.txt").read_text().startswith("Copyright (c) 2015, The authors")

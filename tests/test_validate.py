"""SHACL validation: the shipped ontology conforms, and each rule has a fixture that trips it and only it."""

import json
from pathlib import Path

import pytest

from kgtools.ontology import Ontology
from kgtools.checks.validate import validate

INVALID = Path(__file__).parent / "data" / "invalid"
BASE = INVALID / "base.ttl"
AXIOM = "axiom CCUT:0009001 rdfs:subClassOf CCUT:0006000"

# fixture -> the results it adds to those of base.ttl: (focus, rule, constraint component, severity, value)
EXPECTED = {
    "identifier": [("CCUT:calcified_nodule", "ccsh:ProjectIdentifier", "PatternConstraintComponent", "Violation",
                    "CCUT:calcified_nodule")],
    "missing-label": [("CCUT:0009001", "ccsh:OneLabel", "MinCountConstraintComponent", "Violation", None)],
    "two-labels": [("CCUT:0009001", "ccsh:OneLabel", "MaxCountConstraintComponent", "Violation", None)],
    "label-language": [("CCUT:0009001", "ccsh:EnglishLabel", "LanguageInConstraintComponent", "Violation",
                        "nodule calcifié")],
    "missing-definition": [("CCUT:0009001", "ccsh:OneDefinition", "MinCountConstraintComponent", "Violation", None)],
    "duplicate-label": [
        ("CCUT:0001001", "ccsh:UniqueLabel", "SPARQLConstraintComponent", "Violation", "metastatic calcinosis cutis"),
        ("CCUT:0009001", "ccsh:UniqueLabel", "SPARQLConstraintComponent", "Violation", "metastatic calcinosis cutis"),
    ],
    "xref-syntax": [("CCUT:0001001", "ccsh:CrossReferenceSyntax", "PatternConstraintComponent", "Violation",
                     "MONDO:17215")],
    "uncited-axiom": [("CCUT:0009001", "ccsh:AxiomCited", "SPARQLConstraintComponent", "Violation", "CCUT:0006000")],
    "missing-line": [(AXIOM, "ccsh:SourceLine", "MinCountConstraintComponent", "Violation", None)],
    "missing-quote": [(AXIOM, "ccsh:SourceQuote", "MinCountConstraintComponent", "Violation", None)],
    "evidence-code": [(AXIOM, "ccsh:Evidence", "InConstraintComponent", "Violation", "ECO:0000269")],
    "completion-unmarked": [(AXIOM, "ccsh:CompletionMarked", "PatternConstraintComponent", "Violation",
                             "Histopathology of the calcified globules")],
    "line-out-of-range": [(AXIOM, "ccsh:LineInDocument", "SPARQLConstraintComponent", "Violation", "999")],
    "quote-not-on-line": [(AXIOM, "ccsh:QuoteOnCitedLine", "SPARQLConstraintComponent", "Violation", "Histopathology")],
    "branch-mechanism": [("CCUT:0001002", "ccsh:MechanismOfBranch", "SPARQLConstraintComponent", "Violation",
                          "CCUT:0001002")],
    "no-mechanism": [("CCUT:0009001", "ccsh:MechanismOrCause", "SPARQLConstraintComponent", "Warning", "CCUT:0009001")],
    "no-site": [("CCUT:0009001", "ccsh:Site", "SPARQLConstraintComponent", "Warning", "CCUT:0009001")],
    "no-finding": [("CCUT:0009001", "ccsh:Finding", "SPARQLConstraintComponent", "Warning", "CCUT:0009001")],
    "site-not-anatomical": [("CCUT:0009001", "ccsh:SiteIsAnatomical", "SPARQLConstraintComponent", "Violation",
                             "CCUT:0006001")],
    "feature-not-finding": [("CCUT:0009001", "ccsh:FindingIsFinding", "SPARQLConstraintComponent", "Violation",
                             "UBERON:0002097")],
    "hedged-axiom": [("axiom CCUT:0009001 rdfs:subClassOf RO:0004026 some UBERON:0002097", "ccsh:HedgedAxiom",
                      "SPARQLConstraintComponent", "Violation", "CCUT:0000130")],
    "qualified-asserted": [("statement CCUT:0001001 RO:0004019 CCUT:0002011", "ccsh:QualifiedNotAsserted",
                            "SPARQLConstraintComponent", "Violation", "CCUT:0001001")],
}


def _keys(report):
    return [(r.focus, r.rule, r.constraint, r.severity, r.value) for r in report.results]


@pytest.fixture(scope="module")
def base_results():
    return _keys(validate(Ontology.load(BASE)))


@pytest.fixture(scope="module")
def shipped():
    return validate(Ontology.load())


def test_shipped_ontology_conforms_with_no_violation(shipped):
    assert shipped.conforms
    assert shipped.counts()["Violation"] == 0


def test_shipped_ontology_warns_where_the_text_is_silent(shipped):
    # The idiopathic forms have no known cause in the text, and the text gives no histopathology for
    # calcinosis of the scrotum (line 93 is cut off) or subepidermal calcified nodule (only "seems", line 103).
    assert sorted((r.focus, r.rule) for r in shipped.results) == [
        ("CCUT:0001000", "ccsh:Finding"), ("CCUT:0001000", "ccsh:MechanismOrCause"),
        ("CCUT:0001003", "ccsh:Finding"), ("CCUT:0001003", "ccsh:MechanismOrCause"),
        ("CCUT:0001009", "ccsh:MechanismOrCause"),
        ("CCUT:0001010", "ccsh:Finding"), ("CCUT:0001010", "ccsh:MechanismOrCause"),
        ("CCUT:0001011", "ccsh:Finding"), ("CCUT:0001011", "ccsh:MechanismOrCause"),
    ]
    assert all(r.severity == "Warning" for r in shipped.results)


def test_base_fixture_has_only_the_warnings_on_its_root(base_results):
    assert sorted(base_results) == [
        ("CCUT:0001000", rule, "SPARQLConstraintComponent", "Warning", "CCUT:0001000")
        for rule in ("ccsh:Finding", "ccsh:MechanismOrCause", "ccsh:Site")
    ]


def test_every_rule_has_a_fixture():
    from rdflib import RDF, Namespace

    from kgtools.checks.validate import load_shapes

    sh = Namespace("http://www.w3.org/ns/shacl#")
    shapes = load_shapes()
    rules = {"ccsh:" + str(s).rsplit("#", 1)[-1] for s in shapes.subjects(RDF.type, sh.NodeShape)}
    covered = {result[1] for results in EXPECTED.values() for result in results}
    assert rules == covered
    assert {p.stem for p in INVALID.glob("*.ttl")} == set(EXPECTED) | {"base"}


@pytest.mark.parametrize("fixture", sorted(EXPECTED))
def test_fixture_trips_its_rule_and_only_it(fixture, base_results):
    report = validate(Ontology.load(BASE, INVALID / f"{fixture}.ttl"))
    added = [key for key in _keys(report) if key not in base_results]
    assert sorted(added) == sorted(EXPECTED[fixture])
    assert all(key in _keys(report) for key in base_results)


def test_a_shape_known_only_by_its_target_checks_the_data(tmp_path):
    """A shapes file whose one shape is neither sh:NodeShape nor sh:PropertyShape, only the subject of a target, as
    SHACL allows: it is a shape, and every class with fewer than two labels breaks it."""
    from rdflib import OWL, RDF, RDFS

    shapes = tmp_path / "two-labels.ttl"
    shapes.write_text("@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
                      "<http://example.org/TwoLabels> sh:targetClass <http://www.w3.org/2002/07/owl#Class> ;\n"
                      "  sh:property [ sh:path <http://www.w3.org/2000/01/rdf-schema#label> ; sh:minCount 2 ] .\n")
    onto = Ontology.load()
    report = validate(onto, shapes=[shapes])
    classes = set(onto.graph.subjects(RDF.type, OWL.Class))
    expected = {c for c in classes if len(list(onto.graph.objects(c, RDFS.label))) < 2}
    assert len(expected) > 50 and not report.conforms
    assert len(report.results) == len(expected)
    assert {r.constraint for r in report.results} == {"MinCountConstraintComponent"}


def test_shapes_ignore_foreign_terms(base_results):
    # HPO terms as they come, without our definitions' provenance or our identifiers.
    report = validate(Ontology.load(BASE, Path(__file__).parent / "data" / "foreign-terms.ttl"))
    assert _keys(report) == base_results


def test_report_graph_is_a_shacl_validation_report(shipped):
    from rdflib import RDF, Literal, Namespace

    sh = Namespace("http://www.w3.org/ns/shacl#")
    report = next(shipped.graph.subjects(RDF.type, sh.ValidationReport))
    assert shipped.graph.value(report, sh.conforms) == Literal(True)  # warnings alone do not break conformance
    assert len(list(shipped.graph.objects(report, sh.result))) == len(shipped.results)


@pytest.mark.parametrize("inference", ["rdfs", "owlrl"])
def test_inference_before_validation_adds_no_result_to_valid_data(inference, base_results):
    assert _keys(validate(Ontology.load(BASE), inference=inference)) == base_results


def test_unknown_inference_is_an_input_error():
    from kgtools.errors import InputError

    with pytest.raises(InputError, match="unknown inference 'magic'"):
        validate(Ontology.load(BASE), inference="magic")


def test_json_of_a_report_lists_every_result(shipped):
    data = json.loads(json.dumps(shipped.as_dict()))
    assert data["conforms"] is True
    assert data["counts"] == {"Violation": 0, "Warning": 9, "Info": 0}
    assert {r["rule"] for r in data["results"]} == {"ccsh:Finding", "ccsh:MechanismOrCause"}


def test_cli_validate_groups_results_by_term_and_exits_1_on_a_violation(kgtools_process):
    result = kgtools_process("validate", str(BASE), str(INVALID / "xref-syntax.ttl"))
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    at = lines.index("CCUT:0001001  metastatic calcinosis cutis")
    assert lines[at + 1].split() [:2] == ["Violation", "ccsh:CrossReferenceSyntax"]
    assert "(value: MONDO:17215)" in lines[at + 1]
    assert lines[-1] == "does not conform: 1 violation, 3 warnings, 0 infos"


def test_cli_validate_shipped_ontology_exits_0_but_1_when_failing_on_warnings(kgtools_process):
    assert kgtools_process("validate").returncode == 0
    assert kgtools_process("validate", "--fail-on", "warning", "--format", "json").returncode == 1


def test_cli_validate_writes_the_shacl_report_as_turtle(tmp_path, kgtools_process):
    from rdflib import Graph, Namespace

    out = tmp_path / "report.ttl"
    result = kgtools_process("validate", str(BASE), str(INVALID / "missing-label.ttl"), "--format", "turtle", "-o", str(out))
    assert result.returncode == 1
    assert "does not conform: 1 violation, 3 warnings" in result.stderr
    sh = Namespace("http://www.w3.org/ns/shacl#")
    report = Graph().parse(out)
    assert len(list(report.subjects(sh.resultSeverity, sh.Violation))) == 1


def test_cli_validate_reports_a_syntax_error_with_its_place_and_exits_2(kgtools_process):
    bad = Path(__file__).parent / "data" / "invalid-syntax" / "missing-dot.ttl"
    result = kgtools_process("validate", str(bad))
    assert result.returncode == 2
    assert result.stderr.startswith(f"kgtools: error: {bad}:6:1: ")
    assert "Traceback" not in result.stderr

"""Reasoning: HermiT and OWL 2 RL on the shipped ontology and on fixtures with a clash or a defined class."""

import os
import sys
from pathlib import Path

import pytest
from rdflib import OWL, RDF, Literal, URIRef

from kgtools.ontology import Ontology
from kgtools.checks.reason import IS_INFERRED, reason
from kgtools.resources import ontology_path

REASONING = Path(__file__).parent / "data" / "reasoning"

CONTRADICTION_AXIOMS = (
    "CCUT:0009901 a lesion said to be both Type CCUT:0002014 progressive calcification of small vessels",
    "CCUT:0002014 progressive calcification of small vessels SubClassOf CCUT:0002011 metastatic calcification"
    " (line 11, 23)",
    "CCUT:0009901 a lesion said to be both Type CCUT:0002012 dystrophic calcification",
    "CCUT:0002011 metastatic calcification DisjointWith CCUT:0002012 dystrophic calcification",
)


def _with(fixture: str) -> Ontology:
    return Ontology.load(ontology_path(), REASONING / fixture)


@pytest.fixture(scope="module")
def shipped_report(onto):
    """The report of each reasoner on the shipped ontology, made once (the OWL 2 RL closure takes seconds)."""
    reports = {}

    def report(reasoner: str):
        if reasoner not in reports:
            reports[reasoner] = reason(onto, reasoner)
        return reports[reasoner]

    return report


@pytest.mark.parametrize("reasoner", ["hermit", "owlrl"])
def test_shipped_ontology_is_consistent_with_nothing_unsatisfiable_or_unasserted(shipped_report, reasoner):
    report = shipped_report(reasoner)
    assert report.consistent and report.unsatisfiable == [] and report.ok
    assert report.inferred == []  # the asserted hierarchy is already complete


@pytest.mark.parametrize("reasoner", ["hermit", "owlrl"])
def test_contradiction_is_reported_inconsistent_with_the_clashing_axioms(reasoner):
    report = reason(_with("contradiction.ttl"), reasoner)
    assert not report.consistent and not report.ok
    [clash] = report.clashes
    assert (clash.entity, clash.kind) == ("CCUT:0009901", "inconsistent individual")
    assert clash.axioms == CONTRADICTION_AXIOMS


def test_unsatisfiable_class_is_named_with_its_explanation():
    report = reason(_with("unsatisfiable.ttl"), "hermit")
    assert report.consistent
    assert report.unsatisfiable == ["CCUT:0009902"]
    [clash] = report.clashes
    assert clash.kind == "unsatisfiable class"
    assert clash.axioms == (
        "CCUT:0009902 calcification of both kinds SubClassOf CCUT:0002014 progressive calcification of small vessels",
        "CCUT:0002014 progressive calcification of small vessels SubClassOf CCUT:0002011 metastatic calcification"
        " (line 11, 23)",
        "CCUT:0009902 calcification of both kinds SubClassOf CCUT:0002012 dystrophic calcification",
        "CCUT:0002011 metastatic calcification DisjointWith CCUT:0002012 dystrophic calcification",
    )


def test_hermit_infers_what_a_defined_class_implies_and_marks_it_inferred():
    report = reason(_with("defined-class.ttl"), "hermit")
    assert [(i.subject, i.relation, i.object) for i in report.inferred] == [
        ("CCUT:0001001", "SubClassOf", "CCUT:0009903"),  # metastatic calcinosis cutis has its basis in MC
        ("CCUT:0009903", "SubClassOf", "CCUT:0001000"),
    ]
    axioms = list(report.graph.subjects(RDF.type, OWL.Axiom))
    assert len(axioms) == 2
    assert all(report.graph.value(a, URIRef(IS_INFERRED)) == Literal(True) for a in axioms)


def test_owlrl_materialises_entailed_triples_marked_inferred(onto, shipped_report):
    report = shipped_report("owlrl")
    metastatic = URIRef(onto.lookup("metastatic calcinosis cutis").iri)
    calciphylaxis = URIRef(onto.lookup("calciphylaxis").iri)
    # calciphylaxis is under metastatic calcinosis cutis, hence (transitively) under calcinosis cutis
    root = URIRef(onto.lookup("calcinosis cutis").iri)
    from rdflib import RDFS

    assert (calciphylaxis, RDFS.subClassOf, root) in report.graph
    assert (calciphylaxis, RDFS.subClassOf, metastatic) not in report.graph  # asserted, so not written again


def test_unknown_reasoner_is_refused(onto):
    from kgtools.errors import KgtoolsError

    with pytest.raises(KgtoolsError, match="unknown reasoner 'fact'"):
        reason(onto, "fact")


def test_cli_reason_names_the_clash_and_exits_1(kgtools_process):
    result = kgtools_process("reason", str(ontology_path()), str(REASONING / "contradiction.ttl"))
    assert result.returncode == 1
    assert "inconsistent individual: CCUT:0009901 a lesion said to be both" in result.stdout
    assert CONTRADICTION_AXIOMS[3] in result.stdout


def test_cli_reason_writes_inferred_axioms(tmp_path, kgtools_process):
    out = tmp_path / "inferred.ttl"
    result = kgtools_process("reason", str(ontology_path()), str(REASONING / "defined-class.ttl"), "-o", str(out))
    assert result.returncode == 0
    assert "CCUT:0001001 metastatic calcinosis cutis SubClassOf CCUT:0009903" in result.stdout
    assert "is_inferred" in out.read_text()


def test_cli_reason_without_java_says_how_to_install_it_and_exits_2(kgtools_process):
    env = dict(os.environ, PATH=str(Path(sys.executable).parent))
    result = kgtools_process("reason", env=env)
    assert result.returncode == 2
    assert "needs Java" in result.stderr and "apt-get install default-jre-headless" in result.stderr
    assert "Traceback" not in result.stderr

"""Validate an ontology against the SHACL shapes, with pySHACL.

The packaged shapes (``shapes/*.ttl``) check the ontology's own rules and the
domain's; see the comments in ``shapes/calcinosis-shapes.ttl``. The source
text is added to the data graph as one resource per line, so that the shapes
can check that every cited line exists and every quote is on its line.

Examples
--------
>>> from kgtools.ontology import Ontology
>>> report = validate(Ontology.load())
>>> report.conforms, report.counts()["Violation"]
(True, 0)
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from kgtools import resources
from kgtools.errors import InputError
from kgtools.ontology import Ontology, parse_file

SOURCE_NS = "http://purl.obolibrary.org/obo/ccut/source#"
SHAPES_NS = "http://purl.obolibrary.org/obo/ccut/shapes#"
SEVERITIES = ("Violation", "Warning", "Info")
INFERENCE = ("none", "rdfs", "owlrl")


def shapes_paths() -> list[Path]:
    """The packaged shapes files.

    Examples
    --------
    >>> [p.name for p in shapes_paths()]
    ['calcinosis-shapes.ttl']
    """
    return sorted(resources.data_dir("shapes").glob("*.ttl"))


def source_graph(lines: list[str]):
    """The source text as RDF: one resource per line with its number and text.

    Examples
    --------
    >>> g = source_graph(["first line", "second"])
    >>> len(g)
    4
    """
    from rdflib import Graph, Literal, Namespace, URIRef

    src = Namespace(SOURCE_NS)
    graph = Graph()
    for number, text in enumerate(lines, start=1):
        line = URIRef(f"{SOURCE_NS}L{number}")
        graph.add((line, src.number, Literal(number)))
        graph.add((line, src.text, Literal(text)))
    return graph


@dataclass(frozen=True)
class ValidationResult:
    """One SHACL validation result, in names a curator can read.

    ``focus`` is the CURIE of the focus node or, for an axiom or a qualified
    statement (blank nodes), what it says; ``rule`` is the named shape that
    fired (for a property shape, the node shape that holds it); ``constraint``
    is the SHACL constraint component.
    """

    focus: str
    label: str | None
    path: str | None
    severity: str
    message: str
    value: str | None
    rule: str
    constraint: str

    def as_dict(self) -> dict:
        return dict(self.__dict__)


@dataclass
class ValidationReport:
    """The results of one validation, and the standard SHACL report graph."""

    results: list[ValidationResult]
    graph: object  # the sh:ValidationReport as an rdflib.Graph

    @property
    def conforms(self) -> bool:
        """True when there is no violation (warnings and infos do not count)."""
        return self.counts()["Violation"] == 0

    def counts(self) -> dict[str, int]:
        """How many results of each severity."""
        found = Counter(r.severity for r in self.results)
        return {severity: found.get(severity, 0) for severity in SEVERITIES}

    def fails(self, fail_on: str = "violation") -> bool:
        """Whether the report should fail a check that fails on ``violation`` or on ``warning``."""
        counts = self.counts()
        return counts["Violation"] > 0 or (fail_on == "warning" and counts["Warning"] > 0)

    def by_focus(self) -> dict[str, list[ValidationResult]]:
        """The results grouped by focus node, in a stable order."""
        grouped: dict[str, list[ValidationResult]] = {}
        for result in self.results:
            grouped.setdefault(result.focus, []).append(result)
        return grouped

    def summary(self) -> str:
        """One line: conforms or not, and the counts by severity."""
        counts = self.counts()
        verdict = "conforms" if self.conforms else "does not conform"
        return f"{verdict}: " + ", ".join(f"{n} {s.lower()}{'s' if n != 1 else ''}" for s, n in counts.items())

    def as_dict(self) -> dict:
        return {"conforms": self.conforms, "counts": self.counts(), "results": [r.as_dict() for r in self.results]}


def load_shapes(paths: list[str | Path] | None = None):
    """Parse the given shapes files (the packaged ones by default) into one graph."""
    from rdflib import Graph

    graph = Graph()
    for path in paths or shapes_paths():
        graph += parse_file(path)
    return graph


def validate(onto: Ontology, shapes: list[str | Path] | None = None, inference: str = "none",
             source: str | Path | None = None) -> ValidationReport:
    """Validate ``onto`` against the shapes (the packaged ones by default).

    ``inference`` is pySHACL's: ``none``, ``rdfs`` or ``owlrl`` entailment on
    the data before validation. ``source`` is the text the provenance is
    checked against (the packaged one by default). The ontology's graph is not
    changed.

    Examples
    --------
    >>> from kgtools.ontology import Ontology
    >>> report = validate(Ontology.load())
    >>> sorted({r.rule for r in report.results})
    ['ccsh:Finding', 'ccsh:MechanismOrCause']
    """
    import pyshacl
    from rdflib import Graph

    from kgtools.provenance import read_source

    if inference not in INFERENCE:
        raise InputError(f"unknown inference {inference!r}; choose one of {', '.join(INFERENCE)}")
    # An Oxigraph-backed copy: pySHACL runs one SPARQL query per focus node and rule, which Oxigraph
    # answers some twenty times faster than rdflib's own engine. Entailment can put literals in subject
    # position, which Oxigraph refuses, so inference runs on rdflib's store. The copy may be changed (inplace).
    data = Graph(store="Oxigraph" if inference == "none" else "default")
    data += onto.graph
    data += source_graph(read_source(source))
    shapes_graph = load_shapes(shapes)
    _, report_graph, _ = pyshacl.validate(data, shacl_graph=shapes_graph, advanced=True,
                                          inference=None if inference == "none" else inference,
                                          allow_warnings=True, abort_on_first=False, inplace=True)
    return ValidationReport(_results(onto, report_graph, shapes_graph), report_graph)


def _results(onto: Ontology, report, shapes) -> list[ValidationResult]:
    from rdflib import RDF, BNode, Namespace

    sh = Namespace("http://www.w3.org/ns/shacl#")
    results = []
    for node in report.subjects(RDF.type, sh.ValidationResult):
        focus = report.value(node, sh.focusNode)
        shape = report.value(node, sh.sourceShape)
        if isinstance(shape, BNode):
            shape = shapes.value(predicate=sh.property, object=shape) or shape
        path = report.value(node, sh.resultPath)
        value = report.value(node, sh.value)
        results.append(ValidationResult(
            focus=_describe(onto, focus),
            label=_label(onto, focus),
            path=onto.curie(path) if path is not None else None,
            severity=str(report.value(node, sh.resultSeverity)).rsplit("#", 1)[-1],
            message=str(report.value(node, sh.resultMessage) or ""),
            value=_describe(onto, value) if value is not None else None,
            rule=_shape_name(shape),
            constraint=str(report.value(node, sh.sourceConstraintComponent)).rsplit("#", 1)[-1],
        ))
    order = {s: i for i, s in enumerate(SEVERITIES)}
    return sorted(results, key=lambda r: (order.get(r.severity, 9), r.focus, r.rule, r.path or "", r.value or ""))


def _shape_name(shape) -> str:
    text = str(shape)
    return "ccsh:" + text[len(SHAPES_NS):] if text.startswith(SHAPES_NS) else text


def _subject_of(graph, node):
    """The entity a blank node is about: an axiom's source or a statement's subject."""
    from rdflib import OWL, URIRef

    from kgtools.provenance import STATEMENT_SUBJECT

    return graph.value(node, OWL.annotatedSource) or graph.value(node, URIRef(STATEMENT_SUBJECT))


def _label(onto: Ontology, node) -> str | None:
    from rdflib import BNode

    if isinstance(node, BNode):
        node = _subject_of(onto.graph, node)
    return onto.label(node) if node is not None else None


def _describe(onto: Ontology, node) -> str:
    """A CURIE, a literal's text, or what an axiom, statement or restriction says."""
    from rdflib import OWL, BNode, Literal, URIRef

    from kgtools.provenance import STATEMENT_OBJECT, STATEMENT_RELATION

    graph = onto.graph
    if isinstance(node, Literal):
        return str(node)
    if not isinstance(node, BNode):
        return onto.curie(node)
    if graph.value(node, OWL.annotatedSource) is not None:
        parts = ("axiom", graph.value(node, OWL.annotatedSource), graph.value(node, OWL.annotatedProperty),
                 graph.value(node, OWL.annotatedTarget))
    elif graph.value(node, URIRef(STATEMENT_RELATION)) is not None:
        parts = ("statement", _subject_of(graph, node), graph.value(node, URIRef(STATEMENT_RELATION)),
                 graph.value(node, URIRef(STATEMENT_OBJECT)))
    elif graph.value(node, OWL.onProperty) is not None:
        return f"{onto.curie(graph.value(node, OWL.onProperty))} some {_describe(onto, graph.value(node, OWL.someValuesFrom))}"
    else:
        return "(anonymous)"
    return f"{parts[0]} " + " ".join(_describe(onto, part) for part in parts[1:] if part is not None)

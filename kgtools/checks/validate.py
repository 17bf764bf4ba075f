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
from typing import TYPE_CHECKING

from kgtools import resources
from kgtools.errors import InputError
from kgtools.ontology import Ontology, graph_view, parse_file, values_block
from kgtools.provenance import STATEMENT_OBJECT, STATEMENT_RELATION, STATEMENT_SUBJECT, read_source
from kgtools.vocabulary import CCUT, RDFS_SUBCLASS_OF

if TYPE_CHECKING:  # typed without importing pyoxigraph or rdflib when the module loads
    import pyoxigraph as ox
    import rdflib

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


def source_graph(lines: list[str]) -> rdflib.Graph:
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
    graph: rdflib.Graph  # the sh:ValidationReport

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


def load_shapes(paths: list[str | Path] | None = None) -> rdflib.Graph:
    """Parse the given shapes files (the packaged ones by default) into one graph.

    A file that holds no shape is refused (:class:`InputError`): a
    validation against it would pass whatever the data.
    """
    from rdflib import Graph

    graph = Graph()
    for path in paths or shapes_paths():
        shapes = parse_file(path)
        if not len(shapes):
            raise InputError(f"{path}: no triples")
        if not _has_shape(shapes):
            raise InputError(f"{path}: no SHACL shapes (nothing is a sh:NodeShape or sh:PropertyShape, or has a target)")
        graph += shapes
    return graph


#: The predicates whose subject is a shape by SHACL's definition of one (section 2.1): the targets, the path, and the
#: parameters of the constraint components of SHACL Core and of SHACL-SPARQL.
_SHAPE_PREDICATES = (
    "targetClass", "targetNode", "targetSubjectsOf", "targetObjectsOf", "target", "path", "class", "datatype",
    "nodeKind", "minCount", "maxCount", "minExclusive", "minInclusive", "maxExclusive", "maxInclusive", "minLength",
    "maxLength", "pattern", "languageIn", "uniqueLang", "equals", "disjoint", "lessThan", "lessThanOrEquals", "not",
    "and", "or", "xone", "node", "property", "qualifiedValueShape", "closed", "hasValue", "in", "sparql",
)


def _has_shape(graph) -> bool:
    """Whether an RDF graph holds a SHACL shape: a ``sh:NodeShape`` or ``sh:PropertyShape``, or the subject of a
    target or of a constraint parameter."""
    from rdflib import RDF, Namespace

    sh = Namespace("http://www.w3.org/ns/shacl#")
    patterns: list[tuple] = [(None, RDF.type, kind) for kind in (sh.NodeShape, sh.PropertyShape)]
    patterns += [(None, sh[name], None) for name in _SHAPE_PREDICATES]
    return any(next(graph.triples(pattern), None) is not None for pattern in patterns)


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

    if inference not in INFERENCE:
        raise InputError(f"unknown inference {inference!r}; choose one of {', '.join(INFERENCE)}")
    # pySHACL runs on an Oxigraph store (one SPARQL query per focus node and rule, which Oxigraph answers
    # some twenty times faster than rdflib): the part of the ontology the packaged shapes can see, or a copy
    # of all of it for other shapes, with the source text added. The ontology's own store is not changed.
    data_store = shapes_module(onto) if shapes is None else _copy(onto.store)
    data = graph_view(data_store)
    if inference != "none":
        # Entailment can put literals in subject position, which Oxigraph refuses: it runs on rdflib's store.
        data, entailed = Graph(), data
        data += entailed
    data += source_graph(read_source(source))
    shapes_graph = load_shapes(shapes)
    _, report_graph, _ = pyshacl.validate(data, shacl_graph=shapes_graph, advanced=True,
                                          inference=None if inference == "none" else inference,
                                          allow_warnings=True, abort_on_first=False, inplace=True)
    return ValidationReport(_results(onto, report_graph, shapes_graph), report_graph)


def _copy(store):
    import pyoxigraph as ox

    copy = ox.Store()
    copy.bulk_extend(store.quads_for_pattern(None, None, None, ox.DefaultGraph()))
    return copy


def shapes_module(onto: Ontology) -> ox.Store:
    """The part of the ontology the packaged shapes can see, in a new in-memory :class:`pyoxigraph.Store`.

    The shapes target project terms (IRIs under ``CCUT_``) and the axioms and
    qualified statements about them, and look from there at labels,
    restrictions, annotations and superclasses. The module holds the triples
    of every project term and of every class under one; the blank nodes
    those triples reach, or that point at a project term (axiom annotations,
    qualified statements, restrictions), with everything they reach and
    whatever points at them; then, until nothing is added, the triples of
    every named term the module mentions and of all its superclasses, with
    the blank nodes they reach. Inside an ontology the CCUT was merged into,
    the shapes then give the same results as on the whole graph, without
    pySHACL walking the foreign terms.

    Examples
    --------
    >>> from kgtools.ontology import Ontology
    >>> onto = Ontology.load()
    >>> sorted({q.subject.value for q in onto.store} - {q.subject.value for q in shapes_module(onto)})  # the header
    ['http://purl.obolibrary.org/obo/ccut.owl']
    """
    import pyoxigraph as ox

    store, default = onto.store, ox.DefaultGraph()
    module = ox.Store()
    projects = [s.value for s, in onto.select(
        f"SELECT DISTINCT ?s WHERE {{ ?s ?p ?o FILTER (isIRI(?s) && STRSTARTS(STR(?s), {str(ox.Literal(CCUT))})) }}")]
    below = [x.value for x, in onto.select(
        f"SELECT DISTINCT ?x WHERE {{ {values_block('m', projects)} ?x <{RDFS_SUBCLASS_OF}>+ ?m FILTER isIRI(?x) }}")] if projects else []
    seen: set = set()
    blanks: list = []

    def take(node: ox.NamedNode | ox.BlankNode, incoming: bool = False) -> None:
        if node in seen:
            return
        seen.add(node)
        quads = list(store.quads_for_pattern(node, None, None, default))
        if incoming:
            quads += [q for q in store.quads_for_pattern(None, None, node, default) if isinstance(q.subject, ox.BlankNode)]
        module.extend(quads)
        blanks.extend(n for q in quads for n in (q.subject, q.object) if isinstance(n, ox.BlankNode) and n not in seen)

    def close_blanks() -> None:
        while blanks:
            take(blanks.pop(), incoming=True)

    for iri in dict.fromkeys(projects + below):
        take(ox.NamedNode(iri), incoming=True)
    close_blanks()
    while True:
        mentioned = {n.value for q in module for n in (q.predicate, q.object) if isinstance(n, ox.NamedNode)}
        unseen = [iri for iri in mentioned if ox.NamedNode(iri) not in seen]
        if not unseen:
            return module
        above = {a.value for a, in onto.select(
            f"SELECT DISTINCT ?a WHERE {{ {values_block('m', unseen)} ?m <{RDFS_SUBCLASS_OF}>* ?a FILTER isIRI(?a) }}")}
        for iri in sorted(above | set(unseen)):
            take(ox.NamedNode(iri))
        close_blanks()


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

    return graph.value(node, OWL.annotatedSource) or graph.value(node, URIRef(STATEMENT_SUBJECT))


def _label(onto: Ontology, node) -> str | None:
    from rdflib import BNode

    if isinstance(node, BNode):
        node = _subject_of(onto.graph, node)
    return onto.label(node) if node is not None else None


def _describe(onto: Ontology, node) -> str:
    """A CURIE, a literal's text, or what an axiom, statement or restriction says."""
    from rdflib import OWL, BNode, Literal, URIRef

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
        return f"{onto.curie(graph.value(node, OWL.onProperty))} some {_describe(onto, graph.value(node, OWL.someValuesFrom))}"  # type: ignore[arg-type]
    else:
        return "(anonymous)"
    return f"{parts[0]} " + " ".join(_describe(onto, part) for part in parts[1:] if part is not None)

"""Reason over an ontology: consistency, unsatisfiable classes, and what follows from what was asserted.

Three reasoners:

* ``hermit`` (default) and ``pellet``: OWL 2 DL reasoners, run by owlready2
  in Java. They decide consistency, find unsatisfiable classes and classify.
* ``owlrl``: OWL 2 RL forward chaining in Python (owlrl), for SPARQL users
  who want the entailed triples materialised without a DL reasoner.

A clash (an inconsistency, or a class that cannot have members) is explained
by the asserted axioms behind it: the chain of subclass and type axioms that
puts one thing under two disjoint classes, with the source lines they cite.

Examples
--------
>>> from kgtools.ontology import Ontology
>>> report = reason(Ontology.load(), reasoner="owlrl")
>>> report.consistent, report.unsatisfiable
(True, [])
"""

from __future__ import annotations

import shutil
import tempfile
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from kgtools.errors import KgtoolsError
from kgtools.ontology import Ontology

if TYPE_CHECKING:  # typed without importing rdflib when the module loads
    import rdflib

REASONERS = ("hermit", "pellet", "owlrl")
IS_INFERRED = "http://www.geneontology.org/formats/oboInOwl#is_inferred"
_ERROR_MESSAGE = "http://www.daml.org/2002/03/agents/agent-ont#ErrorMessage"
_ERROR_TEXT = "http://www.daml.org/2002/03/agents/agent-ont#error"


class JavaMissingError(KgtoolsError):
    """HermiT and Pellet need Java, and none was found."""

    def __init__(self, reasoner: str):
        super().__init__(
            f"the {reasoner} reasoner needs Java, which is not installed or not on PATH: install a Java runtime "
            "(e.g. `sudo apt-get install default-jre-headless`), or use `--reasoner owlrl`, which needs none")


@dataclass(frozen=True)
class Clash:
    """Why something cannot hold: the entity, and the asserted axioms that clash, in words."""

    entity: str
    label: str | None
    kind: str  # "inconsistent individual" or "unsatisfiable class"
    axioms: tuple[str, ...]

    def as_dict(self) -> dict:
        return {"entity": self.entity, "label": self.label, "kind": self.kind, "axioms": list(self.axioms)}


@dataclass(frozen=True)
class Inferred:
    """One axiom the reasoner inferred that was not asserted."""

    subject: str
    relation: str
    object: str
    subject_label: str | None
    object_label: str | None

    def __str__(self) -> str:
        return f"{self.subject} {self.subject_label or ''} {self.relation} {self.object} {self.object_label or ''}".replace("  ", " ")

    def as_dict(self) -> dict:
        return dict(self.__dict__)


@dataclass
class ReasonerReport:
    """What a reasoner found: consistency, unsatisfiable classes with explanations, inferences."""

    reasoner: str
    consistent: bool
    unsatisfiable: list[str]
    clashes: list[Clash]
    inferred: list[Inferred]
    seconds: float
    graph: rdflib.Graph = field(repr=False)  # the inferred axioms, each marked as inferred
    messages: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Consistent, and no class is unsatisfiable."""
        return self.consistent and not self.unsatisfiable

    def summary(self) -> str:
        verdict = "consistent" if self.consistent else "INCONSISTENT"
        return (f"{self.reasoner}: {verdict}, {len(self.unsatisfiable)} unsatisfiable "
                f"class{'es' if len(self.unsatisfiable) != 1 else ''}, {len(self.inferred)} inferred "
                f"axiom{'s' if len(self.inferred) != 1 else ''} not asserted ({self.seconds:.1f} s)")

    def as_dict(self) -> dict:
        return {"reasoner": self.reasoner, "consistent": self.consistent, "unsatisfiable": self.unsatisfiable,
                "clashes": [c.as_dict() for c in self.clashes], "inferred": [i.as_dict() for i in self.inferred],
                "messages": self.messages, "seconds": round(self.seconds, 3)}


def reason(onto: Ontology, reasoner: str = "hermit") -> ReasonerReport:
    """Run ``reasoner`` (``hermit``, ``pellet`` or ``owlrl``) over ``onto``.

    The ontology's graph is not changed.

    Examples
    --------
    >>> from kgtools.ontology import Ontology
    >>> reason(Ontology.load(), reasoner="owlrl").reasoner
    'owlrl'
    """
    if reasoner not in REASONERS:
        raise KgtoolsError(f"unknown reasoner {reasoner!r}; choose one of {', '.join(REASONERS)}")
    started = time.perf_counter()
    if reasoner == "owlrl":
        report = _owlrl(onto)
    else:
        report = _dl(onto, reasoner)
    report.seconds = time.perf_counter() - started
    return report


def java_available() -> bool:
    """Whether a Java runtime is on PATH (HermiT and Pellet need one)."""
    return shutil.which("java") is not None


# ---------------------------------------------------------------- DL reasoners (owlready2)
def _dl(onto: Ontology, reasoner: str) -> ReasonerReport:
    import owlready2

    if not java_available():
        raise JavaMissingError(reasoner)
    run = owlready2.sync_reasoner_hermit if reasoner == "hermit" else owlready2.sync_reasoner_pellet
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "ontology.nt"
        path.write_text(onto.serialize("nt"), encoding="utf-8")
        world = owlready2.World()
        loaded = world.get_ontology(path.as_uri()).load()
        try:
            with loaded:
                run(world, infer_property_values=False, debug=0)
        except owlready2.OwlReadyInconsistentOntologyError:
            clashes = explain(onto)
            return ReasonerReport(reasoner, False, [], clashes, [], 0.0, _inferred_graph([]),
                                  [] if clashes else ["no clash of disjoint classes explains the inconsistency"])
        except owlready2.OwlReadyJavaError as err:
            raise KgtoolsError(f"the {reasoner} reasoner failed in Java: {_java_cause(str(err))}") from None
        unsatisfiable = sorted(onto.curie(c.iri) for c in world.inconsistent_classes() if c is not owlready2.Nothing)
        after = {(c.iri, a.iri) for c in world.classes() for a in c.ancestors()
                 if isinstance(a, owlready2.ThingClass)}
    new = _new_subsumptions(onto, after)
    clashes = [c for c in explain(onto) if c.entity in unsatisfiable]
    return ReasonerReport(reasoner, True, unsatisfiable, clashes, _inferred(onto, new), 0.0, _inferred_graph(new))


def _java_cause(message: str) -> str:
    """The line of a Java error that says what went wrong, with advice for a too old Java.

    Examples
    --------
    >>> _java_cause("Java error message is:\\nException in thread main java.lang.UnsupportedClassVersionError: x")
    'the reasoner was built for a newer Java than the one installed (java.lang.UnsupportedClassVersionError); use a newer Java or another reasoner'
    """
    lines = [line.strip() for line in message.splitlines() if line.strip() and not line.strip().startswith("at ")]
    cause = next((line for line in lines if "Exception" in line or "Error" in line), lines[-1] if lines else message)
    if "UnsupportedClassVersionError" in cause:
        return ("the reasoner was built for a newer Java than the one installed "
                "(java.lang.UnsupportedClassVersionError); use a newer Java or another reasoner")
    return cause


def _new_subsumptions(onto: Ontology, after: set[tuple[str, str]]) -> list[tuple[str, str]]:
    """The direct named subsumptions (IRI pairs) in ``after`` that the asserted hierarchy does not already give."""
    asserted = _asserted_closure(onto)
    trivial = {"http://www.w3.org/2002/07/owl#Thing", "http://www.w3.org/2002/07/owl#Nothing"}
    new = {(c, d) for c, d in after if c != d and c not in trivial and d not in trivial and (c, d) not in asserted}

    above: dict[str, set[str]] = {}
    for c, d in after:
        above.setdefault(c, set()).add(d)

    def between(c: str, d: str) -> bool:  # a class strictly between c and d makes c SubClassOf d indirect
        return any(d in above.get(e, ()) and c not in above.get(e, ()) and e not in above.get(d, ())
                   for e in above[c] - {c, d})

    return sorted((c, d) for c, d in new if not between(c, d))


def _inferred(onto: Ontology, pairs: list[tuple[str, str]]) -> list[Inferred]:
    return [Inferred(onto.curie(c), "SubClassOf", onto.curie(d), onto.label(c), onto.label(d)) for c, d in pairs]


def _asserted_closure(onto: Ontology) -> set[tuple[str, str]]:
    """Every (class, ancestor) pair the asserted named subclass axioms give."""
    import networkx as nx
    from rdflib import RDFS, URIRef

    hierarchy = nx.DiGraph((str(child), str(parent)) for child, parent in onto.graph.subject_objects(RDFS.subClassOf)
                           if isinstance(child, URIRef) and isinstance(parent, URIRef))
    return {(child, ancestor) for child in hierarchy for ancestor in nx.descendants(hierarchy, child)}


# ---------------------------------------------------------------- OWL 2 RL (owlrl)
def _owlrl(onto: Ontology) -> ReasonerReport:
    import owlrl
    from rdflib import OWL, RDF, RDFS, Graph, URIRef

    expanded = Graph()
    expanded += onto.graph
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(expanded)
    errors = sorted(str(expanded.value(node, URIRef(_ERROR_TEXT)))
                    for node in expanded.subjects(RDF.type, URIRef(_ERROR_MESSAGE)))
    new = Graph()
    for triple in expanded:
        if triple not in onto.graph and not any(str(term).startswith("http://www.daml.org/") for term in triple):
            new.add(triple)
    unsatisfiable = sorted(onto.curie(c) for c in new.subjects(OWL.equivalentClass, OWL.Nothing)
                           if isinstance(c, URIRef) and c != OWL.Nothing)
    after = {(str(c), str(d)) for c, d in expanded.subject_objects(RDFS.subClassOf)
             if isinstance(c, URIRef) and isinstance(d, URIRef)}
    consistent = not errors
    clashes = explain(onto) if not consistent or unsatisfiable else []
    _mark_inferred(new)
    return ReasonerReport("owlrl", consistent, unsatisfiable, clashes, _inferred(onto, _new_subsumptions(onto, after)),
                          0.0, new, errors)


# ---------------------------------------------------------------- explanations
def explain(onto: Ontology) -> list[Clash]:
    """The clashes of disjoint classes in the asserted axioms, each with the axioms behind it.

    An individual, or a class, that falls (through type and subclass
    axioms) under two classes declared disjoint cannot exist; the clash
    lists the chain of axioms on each side and the disjointness axiom,
    with the source lines they cite.

    Examples
    --------
    >>> from kgtools.ontology import Ontology
    >>> explain(Ontology.load())
    []
    """
    from rdflib import OWL, RDF, RDFS, URIRef

    graph = onto.graph
    disjoint = _disjoint_pairs(graph)
    if not disjoint:
        return []
    up: dict = {}
    for child, parent in graph.subject_objects(RDFS.subClassOf):
        if isinstance(parent, URIRef):
            up.setdefault(child, []).append((parent, RDFS.subClassOf))
    for child, parent in graph.subject_objects(OWL.equivalentClass):
        if isinstance(parent, URIRef) and isinstance(child, URIRef):
            up.setdefault(child, []).append((parent, OWL.equivalentClass))
            up.setdefault(parent, []).append((child, OWL.equivalentClass))
    clashes = []
    individuals = {s for s in graph.subjects(RDF.type, OWL.NamedIndividual)}
    for entity in sorted(individuals | set(up), key=str):
        if not isinstance(entity, URIRef):
            continue
        start = [(t, RDF.type) for t in graph.objects(entity, RDF.type) if isinstance(t, URIRef)] \
            if entity in individuals else up.get(entity, [])
        chains = _chains(entity, start, up)
        for a, b in disjoint:
            if a in chains and b in chains:
                axioms = [*_describe_chain(onto, chains[a]), *_describe_chain(onto, chains[b]),
                          _describe_axiom(onto, a, disjoint[(a, b)], b)]
                clashes.append(Clash(onto.curie(entity), onto.label(entity),
                                     "inconsistent individual" if entity in individuals else "unsatisfiable class",
                                     tuple(dict.fromkeys(axioms))))
                break
    return clashes


def _disjoint_pairs(graph) -> dict:
    """Pairs of disjoint named classes (both orders), with the property that declares them."""
    from rdflib import OWL, RDF, URIRef
    from rdflib.collection import Collection

    pairs = {}
    for a, b in graph.subject_objects(OWL.disjointWith):
        if isinstance(a, URIRef) and isinstance(b, URIRef):
            pairs[(a, b)] = pairs[(b, a)] = OWL.disjointWith
    for node in graph.subjects(RDF.type, OWL.AllDisjointClasses):
        members = [m for m in Collection(graph, graph.value(node, OWL.members)) if isinstance(m, URIRef)]
        for i, a in enumerate(members):
            for b in members[i + 1:]:
                pairs[(a, b)] = pairs[(b, a)] = OWL.AllDisjointClasses
    return pairs


def _chains(entity, start, up) -> dict:
    """For every class above ``entity``, the first chain of (child, property, parent) steps that reaches it."""
    chains = {}
    queue = deque((parent, [(entity, prop, parent)]) for parent, prop in start)
    while queue:
        node, chain = queue.popleft()
        if node in chains or node == entity:
            continue
        chains[node] = chain
        for parent, prop in up.get(node, []):
            queue.append((parent, chain + [(node, prop, parent)]))
    return chains


def _describe_chain(onto: Ontology, chain) -> list[str]:
    return [_describe_axiom(onto, s, p, o) for s, p, o in chain]


def _describe_axiom(onto: Ontology, subject, prop, obj) -> str:
    """An axiom in words, with the source lines its annotation cites."""
    from rdflib import OWL, URIRef

    from kgtools.provenance import SOURCE_LINE

    names = {"rdf:type": "Type", "rdfs:subClassOf": "SubClassOf", "owl:equivalentClass": "EquivalentTo",
             "owl:disjointWith": "DisjointWith", "owl:AllDisjointClasses": "DisjointClasses"}
    lines = sorted({int(line) for axiom in onto.graph.subjects(OWL.annotatedSource, subject)  # type: ignore[call-overload]
                    if onto.graph.value(axiom, OWL.annotatedTarget) == obj
                    for line in onto.graph.objects(axiom, URIRef(SOURCE_LINE))})

    def name(term: rdflib.URIRef) -> str:
        label = onto.label(term)
        return f"{onto.curie(term)} {label}" if label else onto.curie(term)

    cited = f" (line {', '.join(map(str, lines))})" if lines else ""
    return f"{name(subject)} {names.get(onto.curie(prop), onto.curie(prop))} {name(obj)}{cited}"


def _inferred_graph(pairs: list[tuple[str, str]]):
    """The inferred subsumptions (IRI pairs) as OWL axioms, each annotated oboInOwl:is_inferred true."""
    from rdflib import RDFS, Graph, URIRef

    graph = Graph()
    for child, parent in pairs:
        graph.add((URIRef(child), RDFS.subClassOf, URIRef(parent)))
    _mark_inferred(graph)
    return graph


def _mark_inferred(graph) -> None:
    """Annotate every triple of ``graph`` as inferred, with an owl:Axiom that says so."""
    from rdflib import OWL, RDF, BNode, Literal, URIRef

    for s, p, o in list(graph):
        axiom = BNode()
        graph.add((axiom, RDF.type, OWL.Axiom))
        graph.add((axiom, OWL.annotatedSource, s))
        graph.add((axiom, OWL.annotatedProperty, p))
        graph.add((axiom, OWL.annotatedTarget, o))
        graph.add((axiom, URIRef(IS_INFERRED), Literal(True)))
    graph.bind("oboInOwl", "http://www.geneontology.org/formats/oboInOwl#")

"""The projection: the ontology as a labelled directed graph of NetworkX, whole or around a few terms.

:func:`project` turns any OWL/RDF graph into a :class:`networkx.MultiDiGraph`
whose nodes are the named entities (keyed by CURIE, with ``label``,
``curie``, ``iri`` and ``kind``) and whose edges are

* ``is a`` for ``rdfs:subClassOf`` between named classes;
* the label of the property for each existential restriction
  (``owl:someValuesFrom``) a class is a subclass of or equivalent to; a
  union (``A or B``) gives one edge to each member, flagged ``union``, with
  all the members (CURIEs) in ``union_of``, which tells two unions apart;
* the label of the property for each object-property assertion between
  named individuals;
* the relation of each qualified statement (``CCUT:0000090``): hedged as
  rare, uncertain or rejected, it is *not* asserted, and its edge is flagged
  ``hedged`` so that a path through it is flagged too.

Every edge carries its provenance from the ``owl:Axiom`` annotations:
``lines``, ``quotes``, ``evidence`` and ``hedge`` (the label of the hedge,
which asserted axioms under "as a rule", "usually"... carry as well).
Edges point from the subject of the axiom to its object (``renal failure
--causes or contributes to condition--> renal hyperparathyroidism``).

:func:`project_near` gives the part of that graph within a number of steps
of a few terms, read from the store around them: its cost grows with that
neighbourhood, not with the graph, which is what paths, explanations and a
focused picture of an ontology merged into the HPO need.

Examples
--------
>>> from kgtools.ontology import Ontology
>>> G = project(Ontology.load())
>>> G.nodes["CCUT:0001004"]["label"], G.nodes["CCUT:0001004"]["kind"]
('calciphylaxis', 'form')
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import TYPE_CHECKING

from kgtools import provenance
from kgtools.errors import InputError
from kgtools.ontology import Ontology
from kgtools.vocabulary import OWL, RDF, RDF_TYPE, RDFS_SUBCLASS_OF

if TYPE_CHECKING:  # typed without importing networkx or pyoxigraph when the module loads
    import networkx as nx
    import pyoxigraph as ox

IS_A = "is a"
#: Entity kinds that are part of the vocabulary of annotations, not of the domain.
_NOT_NODES = {"relation", "hedge", "evidence"}
#: Kinds that are nodes even when no edge touches them.
_DOMAIN_KINDS = {"form", "mechanism", "condition", "clinical sign", "finding", "site", "cell", "quality", "phenotype"}
#: The types that make an IRI a named entity (see :attr:`Ontology._named_entities`).
_ENTITY_TYPES = (OWL + "Class", OWL + "NamedIndividual", OWL + "ObjectProperty")
_EQUIVALENT_CLASS = OWL + "equivalentClass"
_AXIOM_PROPERTIES = (RDFS_SUBCLASS_OF, _EQUIVALENT_CLASS)
#: The fields of the blank nodes of a class expression that the projection reads.
_EXPRESSION_FIELDS = (OWL + "onProperty", OWL + "someValuesFrom", OWL + "unionOf", OWL + "intersectionOf",
                      RDF + "first", RDF + "rest")
#: The fields that lead from a blank node of a class expression to the next.
_EXPRESSION_LINKS = _EXPRESSION_FIELDS[1:]


def project(onto: Ontology, relations: Iterable[str] | None = None, hedged: bool = True,
            details: bool = True) -> nx.MultiDiGraph:
    """The ontology as a labelled :class:`networkx.MultiDiGraph` (see the module docstring).

    ``relations`` keeps only edges whose relation is named in it, by label
    (``"is a"``, ``"disease has basis in"``) or CURIE (``"RO:0004019"``,
    ``"rdfs:subClassOf"``); None keeps every relation. ``hedged=False`` leaves
    out the qualified statements. Edge keys are relation labels.
    ``details=False`` leaves the nodes' ``definition``, ``xrefs`` and
    ``synonyms`` empty, which saves reading them for every term of a large
    graph; :func:`add_details` fills them in for the nodes of a subgraph.

    Some attributes are lists (``lines``, ``quotes``, ``union_of``; ``xrefs``
    and ``synonyms`` of nodes), which GraphML and GEXF cannot hold: write
    :func:`kgtools.graph.viz.plain_copy` of the graph to those formats.

    Examples
    --------
    >>> from kgtools.ontology import Ontology
    >>> G = project(Ontology.load())
    >>> d = G.edges["CCUT:0003006", "CCUT:0003003", "causes or contributes to condition"]
    >>> d["lines"], d["evidence"], d["asserted"]
    ([31], 'ECO:0000305', True)
    >>> d = G.edges["CCUT:0001002", "CCUT:0003011", "occurs in patients with"]
    >>> d["hedged"], d["hedge"]
    (True, 'only rarely')
    >>> sorted({k for *_, k in project(Ontology.load(), relations=["is a"]).edges(keys=True)})
    ['is a']
    >>> G.edges["CCUT:0001004", "CCUT:0005004", "has phenotype"]["union_of"]
    ['CCUT:0005004', 'CCUT:0005005', 'CCUT:0005006']
    >>> import io, networkx as nx
    >>> from kgtools.graph.viz import plain_copy
    >>> nx.write_graphml(plain_copy(G), io.BytesIO())
    """
    import pyoxigraph as ox

    store, default = onto.store, ox.DefaultGraph()
    sources = _Sources(
        axioms={(q.subject, q.predicate, q.object) for prop in _AXIOM_PROPERTIES
                for q in store.quads_for_pattern(None, ox.NamedNode(prop), None, default)
                if isinstance(q.subject, ox.NamedNode)},
        assertions={q.triple for prop in onto._relations
                    for q in store.quads_for_pattern(None, ox.NamedNode(prop), None, default)},
        statements={q.subject for q in store.quads_for_pattern(
            None, ox.NamedNode(RDF_TYPE), ox.NamedNode(provenance.QUALIFIED_STATEMENT), default)} if hedged else set())
    builder = _Builder(onto, relations)
    return builder.graph(builder.keep(sources.edges(onto)), onto._named_entities, details)


def project_near(onto: Ontology, iris: Collection[str], radius: int, relations: Iterable[str] | None = None,
                 hedged: bool = True, details: bool = True) -> nx.MultiDiGraph:
    """The part of :func:`project` within ``radius`` steps of the entities ``iris`` (directions ignored).

    The same graph as ``project(onto, relations, hedged,
    details).subgraph(near)``, ``near`` being the nodes at most ``radius``
    steps from one of ``iris`` -- the same nodes and edges with the same
    data -- read from the store by a breadth-first walk out from ``iris``:
    at each step, pattern lookups give the axioms, assertions and qualified
    statements of the nodes reached, and their class expressions (the
    classes of which a node is a restriction's filler or a union's member
    are found by climbing the expressions' blank nodes). Its cost grows with
    that neighbourhood, not with the graph.

    Examples
    --------
    >>> from kgtools.ontology import Ontology
    >>> onto = Ontology.load()
    >>> G = project_near(onto, [onto.lookup("calciphylaxis").iri], radius=1)
    >>> sorted(G.nodes[n]["label"] for n in G.successors("CCUT:0001004"))[:3]
    ['bulla', 'calcium deposits within the walls of small subcutaneous vessels', 'hypodermis']
    >>> sorted(G.edges) == sorted(project(onto).subgraph(G).edges)
    True
    """
    import pyoxigraph as ox

    if radius < 0:
        raise InputError(f"radius must be at least 0, not {radius}")
    builder, sources = _Builder(onto, relations), _Sources()
    distance = {str(iri): 0 for iri in iris}
    frontier = list(distance)
    for depth in range(radius + 1):
        # The nodes at the radius are not walked from: only their own axioms are read, for the edges between them.
        found = sources.around(onto, frontier, hedged, inwards=depth < radius)
        walked, frontier = set(frontier), []
        for edge in builder.keep(found.edges(onto)) if depth < radius else ():
            # An axiom found from one member of a union or intersection also has edges to the others: not a step.
            for here, there in ((edge[0], edge[3]), (edge[3], edge[0])):
                if here in walked and there not in distance:
                    distance[there] = depth + 1
                    frontier.append(there)
    kept = [edge for edge in builder.keep(sources.edges(onto)) if edge[0] in distance and edge[3] in distance]
    default = ox.DefaultGraph()
    typed = [iri for iri in dict.fromkeys(map(str, iris)) if any(
        next(onto.store.quads_for_pattern(ox.NamedNode(iri), ox.NamedNode(RDF_TYPE), ox.NamedNode(t), default), None)
        for t in _ENTITY_TYPES)]
    return builder.graph(kept, typed, details)


def add_details(onto: Ontology, G: nx.MultiDiGraph) -> None:
    """Fill in the ``definition``, ``xrefs`` and ``synonyms`` of the nodes of ``G`` (a projection, or part of one).

    Examples
    --------
    >>> from kgtools.ontology import Ontology
    >>> onto = Ontology.load()
    >>> G = project(onto, details=False)
    >>> G.nodes["CCUT:0001004"]["definition"]
    ''
    >>> add_details(onto, G)
    >>> G.nodes["CCUT:0001004"]["definition"].startswith("A life-threatening condition")
    True
    """
    entities = onto.describe([data["iri"] for _, data in G.nodes(data=True)])
    for _, data in G.nodes(data=True):
        entity = entities[data["iri"]]
        data.update(definition=entity.definition or "", xrefs=list(entity.xrefs),
                    synonyms=[text for text, _ in entity.synonyms])


# An edge before it is kept: (subject IRI, property IRI, object IRI, the key of its citation, asserted,
# the IRIs of the union it is a member of or ()).
class _Sources:
    """What edges are made of, as :mod:`pyoxigraph` terms: the class axioms of named classes ``(subject,
    rdfs:subClassOf or owl:equivalentClass, class expression)``, the object-property assertions ``(subject,
    property, object)`` and the nodes of the qualified statements."""

    def __init__(self, axioms=(), assertions=(), statements=()):
        self.axioms, self.assertions, self.statements = set(axioms), set(assertions), set(statements)

    def around(self, onto: Ontology, iris: Iterable[str], hedged: bool, inwards: bool = True) -> "_Sources":
        """The sources of the edges out of ``iris`` (and into them, with ``inwards``), added to these."""
        import pyoxigraph as ox

        store, default = onto.store, ox.DefaultGraph()
        relations = onto._relations
        axioms, assertions, statements = set(), set(), set()
        statement_fields = (provenance.STATEMENT_SUBJECT, provenance.STATEMENT_OBJECT) if inwards else (
            provenance.STATEMENT_SUBJECT,)
        for iri in iris:
            node = ox.NamedNode(iri)
            for quad in store.quads_for_pattern(node, None, None, default):
                if quad.predicate.value in _AXIOM_PROPERTIES:
                    axioms.add(quad.triple)
                elif quad.predicate.value in relations and isinstance(quad.object, ox.NamedNode):
                    assertions.add(quad.triple)
            if inwards:
                found_axioms, found_assertions = _sources_into(store, node, relations)
                axioms |= found_axioms
                assertions |= found_assertions
            if hedged:
                statements |= {q.subject for field in statement_fields
                               for q in store.quads_for_pattern(None, ox.NamedNode(field), node, default)
                               if next(store.quads_for_pattern(q.subject, ox.NamedNode(RDF_TYPE), ox.NamedNode(
                                   provenance.QUALIFIED_STATEMENT), default), None)}
        self.axioms |= axioms
        self.assertions |= assertions
        self.statements |= statements
        return _Sources(axioms, assertions, statements)

    def edges(self, onto: Ontology) -> list[tuple]:
        """The edges these sources make, in the order :func:`project` adds them."""
        return _axiom_edges(onto, self.axioms) + _assertion_edges(self.assertions) + _statement_edges(onto, self.statements)


def _sources_into(store, node, relations) -> tuple[set, set]:
    """The class axioms of named classes whose class expression holds ``node``, and the assertions whose object it is.

    The blank nodes of the expressions are climbed from ``node`` up to the
    axioms; an axiom found may have other targets too (the other members of
    a union).
    """
    import pyoxigraph as ox

    default, axioms, assertions, seen, todo = ox.DefaultGraph(), set(), set(), set(), [node]
    while todo:
        held = todo.pop()
        if held in seen:
            continue
        seen.add(held)
        for quad in store.quads_for_pattern(None, None, held, default):
            prop = quad.predicate.value
            if prop in _AXIOM_PROPERTIES and isinstance(quad.subject, ox.NamedNode):
                axioms.add(quad.triple)
            elif held == node and prop in relations and isinstance(quad.subject, ox.NamedNode):
                assertions.add(quad.triple)
            elif prop in _EXPRESSION_LINKS and isinstance(quad.subject, ox.BlankNode):
                todo.append(quad.subject)
    return axioms, assertions


def _expression_parts(store, expressions) -> dict:
    """The fields (:data:`_EXPRESSION_FIELDS`) of every blank node of the class expressions ``expressions``.

    Each blank node maps to its fields, the first value of each in the store's order.
    """
    import pyoxigraph as ox

    default = ox.DefaultGraph()
    parts: dict = {}
    todo = [e for e in expressions if isinstance(e, ox.BlankNode)]
    while todo:
        node = todo.pop()
        if node in parts:
            continue
        fields = parts[node] = {}
        for quad in store.quads_for_pattern(node, None, None, default):
            prop = quad.predicate.value
            if prop in _EXPRESSION_FIELDS and prop not in fields:
                fields[prop] = quad.object
                if prop in _EXPRESSION_LINKS and isinstance(quad.object, ox.BlankNode):
                    todo.append(quad.object)
    return parts


def _axiom_edges(onto: Ontology, axioms) -> list[tuple]:
    """The edges of class axioms: ``is a`` to named classes, and one per named target of a class expression."""
    import pyoxigraph as ox

    parts = _expression_parts(onto.store, [expression for *_, expression in axioms])

    def items(node: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None) -> list:
        found, seen = [], set()
        while isinstance(node, ox.BlankNode) and node in parts and node not in seen:
            seen.add(node)
            if RDF + "first" in parts[node]:
                found.append(parts[node][RDF + "first"])
            node = parts[node].get(RDF + "rest")
        return found

    def targets(expression: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple,
                seen: frozenset[ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple] = frozenset()) -> list[tuple]:
        """(property or None, named class, the IRIs of its union or ()) for each named target of a class expression."""
        if isinstance(expression, ox.NamedNode):
            return [(None, expression.value, ())]
        if expression in seen:  # a class expression that holds itself (not OWL): it has no target
            return []
        seen = seen | {expression}
        fields = parts.get(expression, {})
        prop, filler = fields.get(OWL + "onProperty"), fields.get(OWL + "someValuesFrom")
        if prop is not None and filler is not None:
            # A nested restriction (some P some Q some C) has no single relation: it is left out.
            return [(prop.value, t, union) for inner, t, union in targets(filler, seen) if inner is None]
        if OWL + "unionOf" in fields:
            members = tuple(m.value for m in items(fields[OWL + "unionOf"]) if isinstance(m, ox.NamedNode))
            return [(None, m, members) for m in members]
        if OWL + "intersectionOf" in fields:
            return [t for m in items(fields[OWL + "intersectionOf"]) for t in targets(m, seen)]
        return []

    edges = []
    for subject, prop, expression in sorted(axioms, key=lambda row: (row[1].value != RDFS_SUBCLASS_OF, row[0].value,
                                                                     isinstance(row[2], ox.BlankNode), row[2].value)):
        for restriction_prop, target, union in targets(expression):
            if target == subject.value:
                continue
            edges.append((subject.value, restriction_prop or prop.value, target,
                          (subject.value, prop.value, expression.value), True, union))
    return edges


def _assertion_edges(assertions) -> list[tuple]:
    """The edges of object-property assertions between named individuals (or any named entities)."""
    import pyoxigraph as ox

    rows = [(s.value, p.value, o.value) for s, p, o in assertions
            if isinstance(s, ox.NamedNode) and isinstance(o, ox.NamedNode)]
    return [(s, p, o, (s, p, o), True, ()) for s, p, o in sorted(rows, key=lambda row: (row[1], row[0], row[2]))]


def _statement_edges(onto: Ontology, nodes) -> list[tuple]:
    """The edges of the qualified statements ``nodes`` (hedged as rare, uncertain or rejected: not asserted)."""
    import pyoxigraph as ox

    default = ox.DefaultGraph()

    def values(node: ox.NamedNode | ox.BlankNode | ox.Triple, prop: str) -> list[str]:
        return [q.object.value for q in onto.store.quads_for_pattern(node, ox.NamedNode(prop), None, default)
                if isinstance(q.object, ox.NamedNode)]

    return [(s, p, o, (s, p, o), False, ())
            for node in sorted(nodes, key=lambda n: n.value)
            for s in values(node, provenance.STATEMENT_SUBJECT) for p in values(node, provenance.STATEMENT_RELATION)
            for o in values(node, provenance.STATEMENT_OBJECT)]


def _relation_filter(onto: Ontology, relations) -> set[str] | None:
    """The relation labels and CURIEs to keep, checking each name given."""
    if relations is None:
        return None
    known = {IS_A: IS_A, "rdfs:subClassOf": IS_A}
    for prop in sorted(onto._relations):
        label = onto.label(prop) or onto.curie(prop)
        known[label] = label
        known[onto.curie(prop)] = label
    wanted = set()
    for name in relations:
        if name not in known:
            raise InputError(f"unknown relation {name!r}; known: {', '.join(sorted(k for k in known if ':' not in k))}")
        wanted.add(known[name])
    return wanted


class _Builder:
    """Turns edges into the projection: the kinds of their ends and the names of their relations, asked once each."""

    def __init__(self, onto: Ontology, relations=None):
        self.onto = onto
        self.wanted = _relation_filter(onto, relations)
        self.kinds: dict[str, str] = {}
        self.names: dict[str, tuple[str, str]] = {}

    def named(self, iri: str | None) -> bool:
        return iri is not None and self.kinds.get(iri, "other") not in _NOT_NODES

    def relation_name(self, prop: str) -> tuple[str, str]:
        """The label and CURIE of a property; the axioms of classes are ``is a``."""
        if prop in _AXIOM_PROPERTIES:
            return IS_A, "rdfs:subClassOf"
        if prop not in self.names:
            self.names[prop] = (self.onto.label(prop) or self.onto.curie(prop), self.onto.curie(prop))
        return self.names[prop]

    def learn_kinds(self, iris: Iterable[str]) -> None:
        new = [iri for iri in dict.fromkeys(iris) if iri not in self.kinds]
        if new:
            self.kinds.update(self.onto.kinds(new))

    def keep(self, edges: Collection[tuple]) -> list[tuple]:
        """The edges between nodes (named entities of the domain) whose relation is wanted, with its label and CURIE:
        ``(subject, relation label, relation CURIE, object, citation key, asserted, union)``."""
        self.learn_kinds(iri for edge in edges for iri in (edge[0], edge[2]))
        kept = []
        for subject, prop, obj, citation_key, asserted, union in edges:
            if self.named(subject) and self.named(obj):
                name, curie = self.relation_name(prop)
                if self.wanted is None or name in self.wanted:
                    kept.append((subject, name, curie, obj, citation_key, asserted, union))
        return kept

    def graph(self, kept: Collection[tuple], entities: Collection[str], details: bool) -> nx.MultiDiGraph:
        """The :class:`networkx.MultiDiGraph` of the ``kept`` edges, and of those named ``entities`` of a domain
        kind that no edge touches."""
        import networkx as nx

        onto = self.onto
        self.learn_kinds(entities)
        lonely = [iri for iri in entities if self.named(iri) and self.kinds[iri] in _DOMAIN_KINDS]
        described = onto.describe([iri for edge in kept for iri in (edge[0], edge[3])] + lonely, details=details)
        G = nx.MultiDiGraph()

        def add_node(iri: str) -> str:
            entity = described[iri]
            if entity.curie not in G:
                G.add_node(entity.curie, label=entity.label or entity.curie, curie=entity.curie, iri=iri,
                           kind=entity.kind, definition=entity.definition or "", xrefs=list(entity.xrefs),
                           synonyms=[text for text, _ in entity.synonyms])
            return entity.curie

        cited: dict[tuple, list] = {}
        for citation in provenance.citations(onto):
            cited.setdefault((citation.subject, citation.relation, citation.target), []).append(citation)
        for subject, name, curie, obj, citation_key, asserted, union in kept:
            found = cited.get(citation_key, [])
            s, o = add_node(subject), add_node(obj)
            data = {"relation": name, "relation_curie": curie, "lines": sorted({n for c in found for n in c.lines}),
                    "quotes": [q for c in found for q in c.quotes],
                    "evidence": next((c.evidence for c in found if c.evidence), None),
                    "hedge": next((onto.label(c.hedge) for c in found if c.hedge), None),
                    "completion": next((c.completion for c in found if c.completion), None),
                    "asserted": asserted, "hedged": not asserted, "union": bool(union),
                    "union_of": [onto.curie(m) for m in union]}
            if G.has_edge(s, o, name):
                # The same relation stated twice (an axiom and a qualified statement, or two axioms) is
                # one edge: asserted if either is, with the hedge of the asserted one and both citations.
                old = G.edges[s, o, name]
                first, second = (old, data) if old["asserted"] or not asserted else (data, old)
                data = dict(first, lines=sorted(set(first["lines"]) | set(second["lines"])),
                            quotes=first["quotes"] + second["quotes"], union=first["union"] and second["union"],
                            union_of=first["union_of"] if first["union"] and second["union"] else [],
                            evidence=first["evidence"] or second["evidence"],
                            completion=first["completion"] or second["completion"])
            G.add_edge(s, o, key=name, **data)
        for iri in lonely:
            add_node(iri)
        return G

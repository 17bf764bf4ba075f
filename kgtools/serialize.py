"""Deterministic RDF writers that OWLAPI, ROBOT and Protégé read: Turtle, RDF/XML, N-Triples, JSON-LD.

The same triples always give the same bytes, so that released files can be
diffed between versions:

* subjects are written in order: the ontology header first, then named
  subjects by IRI, then the anonymous nodes that nothing refers to (axiom
  annotations) in the order of their text;
* a blank node that one triple refers to is written inline, where it is
  used (``[ ... ]`` and ``( ... )`` in Turtle, a nested element or a
  ``rdf:parseType="Collection"`` in RDF/XML), the way OWLAPI writes it: it
  needs no label. Blank nodes that need one (N-Triples, or a node referred
  to twice) get the label of the W3C RDF Dataset Canonicalization (RDFC-1.0,
  by Oxigraph), which depends on the graph's content only;
* predicates and objects are sorted.

Turtle uses a prefixed name only where the local name needs no escape
(letters, digits, ``_`` and ``-``): OWLAPI's Turtle parser stops at an
escaped local name such as ``obo:ccut\\/releases``, and, when it picks the
format itself, falls back to the OBO parser and reads nothing. RDF/XML is
grouped by subject, one element per subject, typed by its first ``rdf:type``.

rdflib's and Oxigraph's own writers do neither: rdflib's Turtle writer can
also write an RDF list twice, and Oxigraph writes one ``rdf:Description``
per triple. JSON-LD is compacted by rdflib (Oxigraph writes expanded
JSON-LD only) from canonically labelled triples, then written with sorted
keys and sorted values.

Examples
--------
>>> import pyoxigraph as ox
>>> t = [ox.Triple(ox.NamedNode("http://purl.obolibrary.org/obo/ccut/releases/1/ccut.owl"),
...                ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"), ox.Literal("x"))]
>>> print(turtle(t, {"obo": "http://purl.obolibrary.org/obo/"}), end="")
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<BLANKLINE>
<http://purl.obolibrary.org/obo/ccut/releases/1/ccut.owl> rdfs:label "x" .
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Collection, Iterable
from typing import TYPE_CHECKING

from kgtools.vocabulary import OWL, RDF, RDFS, XSD

if TYPE_CHECKING:  # typed without importing pyoxigraph when the module loads
    import pyoxigraph as ox
#: Namespaces every file may use, beside the prefixes it is given.
STANDARD_PREFIXES = {"rdf": RDF, "rdfs": RDFS, "owl": OWL, "xsd": XSD}
#: Formats, by the names the command line uses.
FORMATS = ("ttl", "owl", "nt", "jsonld")

_TYPE, _FIRST, _REST, _NIL = RDF + "type", RDF + "first", RDF + "rest", RDF + "nil"
_STRING = XSD + "string"
# A local name OWLAPI's Turtle parser reads: no escapes, no dots, no colons.
_SAFE_LOCAL = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_-]*")
_PREFIX_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")
# XML names (ASCII letters are enough for the vocabularies in use; others get a generated namespace).
_NC_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*\Z")


# ---------------------------------------------------------------- the triples, indexed
class _Graph:
    """Triples by subject, with the blank nodes written inline (referred to once, on no cycle)."""

    def __init__(self, triples):
        import pyoxigraph as ox

        self.blank = ox.BlankNode
        # Each term read once: reading a term of an Oxigraph triple makes a new Python object.
        rows = [(t.subject, t.predicate, t.object) for t in dict.fromkeys(triples)]
        self._find_inline(rows)
        if self.labelled:
            # Some blank nodes need a label: take them all from the canonical form, so labels follow content.
            rows = _canonical_rows(rows)
            self._find_inline(rows)
        self.by_subject: dict = {}
        for s, p, o in rows:
            pairs = self.by_subject.get(s)
            if pairs is None:
                pairs = self.by_subject[s] = []
            pairs.append((p, o))

    def _find_inline(self, rows) -> None:
        blank = self.blank
        references: dict = {}
        referrer: dict = {}
        for s, _, o in rows:
            if type(o) is blank:
                references[o] = references.get(o, 0) + 1
                referrer[o] = s
        self.inline = {node for node, count in references.items() if count == 1}
        for start in list(self.inline):
            node, seen = referrer[start], {start}
            while node in self.inline and node not in seen:
                seen.add(node)
                node = referrer[node]
            if node == start:  # a cycle of blank nodes: none of them can be written inside another
                self.inline.discard(start)
        self.labelled = set(references) - self.inline

    def roots(self) -> list:
        """The subjects written at the top level: named subjects, labelled and unreferred blank nodes."""
        return [s for s in self.by_subject if s not in self.inline]

    def headers(self) -> set:
        return {s for s, pairs in self.by_subject.items()
                if any(p.value == _TYPE and getattr(o, "value", None) == OWL + "Ontology" for p, o in pairs)}

    def list_items(self, node: ox.NamedNode | ox.BlankNode | ox.Literal) -> list | None:
        """The members of a well-formed RDF list written inline from ``node``, or None."""
        items: list = []
        while True:
            if type(node) is not self.blank:
                return items if node.value == _NIL and items else None
            if node not in self.inline or node not in self.by_subject:
                return None
            pairs = self.by_subject[node]
            first = [o for p, o in pairs if p.value == _FIRST]
            rest = [o for p, o in pairs if p.value == _REST]
            if len(pairs) != 2 or len(first) != 1 or len(rest) != 1:
                return None
            items.append(first[0])
            node = rest[0]


def canonical_triples(triples: Iterable[ox.Triple]) -> list:
    """The triples with the blank node labels of the W3C RDF Dataset Canonicalization (RDFC-1.0, by Oxigraph):
    ``c14n0``, ``c14n1``... which depend on the graph's content only.

    Examples
    --------
    >>> import pyoxigraph as ox
    >>> p = ox.NamedNode("http://e/p")
    >>> a = canonical_triples([ox.Triple(ox.BlankNode("x"), p, ox.Literal("v"))])
    >>> b = canonical_triples([ox.Triple(ox.BlankNode("y"), p, ox.Literal("v"))])
    >>> a == b, a[0].subject.value
    (True, 'c14n0')
    """
    import pyoxigraph as ox

    return [ox.Triple(*row) for row in _canonical_rows([(t.subject, t.predicate, t.object) for t in dict.fromkeys(triples)])]


def _canonical_rows(rows) -> list:
    """The rows ``(subject, predicate, object)`` with no blank node as they are, then those with one relabelled
    by :func:`_canonical_blank_quads`."""
    import pyoxigraph as ox

    blank = ox.BlankNode
    plain: list = []
    with_blank: list = []
    for row in rows:
        (with_blank if type(row[0]) is blank or type(row[2]) is blank else plain).append(row)
    return plain + [(q.subject, q.predicate, q.object) for q in _canonical_blank_quads(with_blank)]


def _canonical_blank_quads(rows):
    """The triples ``(subject, predicate, object)`` that have a blank node, as quads with their RDFC-1.0 labels.

    RDFC-1.0 hashes a blank node from the triples it is in and follows only
    blank nodes: the triples without one cannot change a label, and are left
    out (most of the full HPO).
    """
    import pyoxigraph as ox

    dataset = ox.Dataset(ox.Quad(s, p, o) for s, p, o in rows)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return dataset


# ---------------------------------------------------------------- declarations
_BUILT_IN = (RDF, RDFS, OWL, XSD)
_DECLARATION_TYPES = {OWL + t for t in ("Class", "ObjectProperty", "DatatypeProperty", "AnnotationProperty",
                                         "NamedIndividual", "Datatype")}
_PROPERTY_TYPES = {OWL + t for t in ("ObjectProperty", "DatatypeProperty", "AnnotationProperty")}
_CLASS_AXIOMS = {RDFS + "subClassOf", OWL + "equivalentClass", OWL + "disjointWith"}
_CLASS_FILLERS = {OWL + "someValuesFrom", OWL + "allValuesFrom"}
_CLASS_LISTS = {OWL + "unionOf", OWL + "intersectionOf"}


def missing_declarations(triples: Collection[ox.Triple]) -> list:
    """The declarations OWL 2 DL asks for and the triples lack: every class and property used is declared.

    A predicate used undeclared is an annotation property (as OWLAPI reads
    it), the property of a restriction an object property, a property of
    ``rdfs:subPropertyOf`` of the kind of the other side, and a named node
    in a class position (either side of ``rdfs:subClassOf`` or
    ``owl:equivalentClass``, a restriction's filler, a member of a union or
    intersection, the type of an individual) a class.

    Examples
    --------
    >>> import pyoxigraph as ox
    >>> t = [ox.Triple(ox.NamedNode("http://e/o"), ox.NamedNode(RDF + "type"), ox.NamedNode(OWL + "Ontology")),
    ...      ox.Triple(ox.NamedNode("http://e/o"), ox.NamedNode("http://purl.org/dc/terms/title"), ox.Literal("t"))]
    >>> [str(d) for d in missing_declarations(t)]
    ['<http://purl.org/dc/terms/title> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://www.w3.org/2002/07/owl#AnnotationProperty>']
    """
    import pyoxigraph as ox

    named = ox.NamedNode
    declared: dict[str, set] = {}
    # The objects are read as terms with a .value: never an RDF 1.2 triple term (an ox.Triple), which every reader
    # refuses (kgtools.store.refuse_triple_terms), though the type allows one (the ignores below).
    for t in triples:
        if t.predicate.value == _TYPE and type(t.subject) is named and t.object.value in _DECLARATION_TYPES:  # type: ignore[union-attr]
            declared.setdefault(t.subject.value, set()).add(t.object.value)  # type: ignore[union-attr]
    wanted: dict[str, str] = {}

    def want(node: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple, kind: str) -> None:
        if type(node) is named and not node.value.startswith(_BUILT_IN) and node.value not in declared:
            wanted.setdefault(node.value, kind)

    list_heads, rest_of, sub_properties = [], {}, []
    for t in triples:
        predicate = t.predicate.value
        if predicate == _REST:
            rest_of[t.subject] = t.object
        if predicate.startswith(_BUILT_IN):
            if predicate in _CLASS_AXIOMS:
                want(t.subject, OWL + "Class")
                want(t.object, OWL + "Class")
            elif predicate in _CLASS_FILLERS:
                want(t.object, OWL + "Class")
            elif predicate == OWL + "onProperty":
                want(t.object, OWL + "ObjectProperty")
            elif predicate in _CLASS_LISTS:
                list_heads.append(t.object)
            elif predicate == RDFS + "subPropertyOf":
                sub_properties.append((t.subject, t.object))
            elif predicate == _TYPE and t.object.value not in _DECLARATION_TYPES:  # type: ignore[union-attr]
                want(t.object, OWL + "Class")
        elif not (declared.get(predicate, set()) & _PROPERTY_TYPES):
            want(t.predicate, OWL + "AnnotationProperty")
    firsts = {t.subject: t.object for t in triples if t.predicate.value == _FIRST}
    for node in list_heads:
        seen = set()
        while node in firsts and node not in seen:
            seen.add(node)
            want(firsts[node], OWL + "Class")  # type: ignore[index]  # a list node: a blank node, not a literal
            node = rest_of.get(node)  # type: ignore[arg-type, assignment]  # the same; None ends the loop
    for pair in sub_properties:
        # A property is of the kind of the one it is a sub- or super-property of (annotation when neither says).
        kinds = [kind for node in pair for kind in sorted(declared.get(node.value, set()) & _PROPERTY_TYPES)]  # type: ignore[union-attr]
        for node in pair:
            want(node, kinds[0] if kinds else OWL + "AnnotationProperty")
    return [ox.Triple(named(iri), named(_TYPE), named(kind)) for iri, kind in sorted(wanted.items())]


# ---------------------------------------------------------------- names
class _Names:
    """Prefixed names where they need no escape, full IRIs elsewhere; records the prefixes used."""

    def __init__(self, prefixes: dict[str, str] | None):
        merged = dict(prefixes or {})
        merged.update(STANDARD_PREFIXES)
        self.by_namespace: dict[str, str] = {}
        for prefix, namespace in sorted(merged.items()):
            if _PREFIX_NAME.fullmatch(prefix) and not prefix.lower().startswith("xml"):
                self.by_namespace.setdefault(namespace, prefix)
        self.ends = {ns[-1] for ns in self.by_namespace if ns}
        self.used: dict[str, str] = {}
        self._cache: dict[str, str] = {}

    def split(self, iri: str, valid: Callable[[str], object]) -> tuple[str, str] | None:
        """The longest known namespace of ``iri`` whose remainder is a valid local name."""
        for i in range(len(iri) - 1, 0, -1):
            if iri[i - 1] in self.ends:
                prefix = self.by_namespace.get(iri[:i])
                if prefix is not None and valid(iri[i:]):
                    return prefix, iri[i:]
        return None

    def turtle(self, iri: str) -> str:
        found = self._cache.get(iri)
        if found is None:
            split = self.split(iri, _SAFE_LOCAL.fullmatch)
            if split:
                self.used[split[0]] = iri[: len(iri) - len(split[1])]
                found = f"{split[0]}:{split[1]}"
            else:
                found = "<" + _escape_iri(iri) + ">"
            self._cache[iri] = found
        return found


# Escapes as translation tables (str.translate runs in C: the full HPO has 300,000 literals).
_IRI_ESCAPES = str.maketrans({c: f"\\u{ord(c):04X}" for c in '<>"{}|^`\\' + "".join(map(chr, range(0x21)))})
_STRING_ESCAPES = str.maketrans({**{chr(i): f"\\u{i:04X}" for i in [*range(0x20), 0x7F]},
                                 "\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t",
                                 "\b": "\\b", "\f": "\\f"})


def _escape_iri(iri: str) -> str:
    return iri.translate(_IRI_ESCAPES)


def _escape_string(text: str) -> str:
    return text.translate(_STRING_ESCAPES)


# ---------------------------------------------------------------- Turtle
def turtle(triples: Iterable[ox.Triple], prefixes: dict[str, str] | None = None) -> str:
    """Turtle: one block per subject, inline blank nodes and lists, prefixed names only where no escape is needed.

    Examples
    --------
    >>> import pyoxigraph as ox
    >>> a, p = ox.NamedNode("http://e/a"), ox.NamedNode("http://e/p")
    >>> b = ox.BlankNode()
    >>> text = turtle([ox.Triple(a, p, b), ox.Triple(b, p, ox.Literal("1"))], {"e": "http://e/"})
    >>> print(text, end="")
    @prefix e: <http://e/> .
    <BLANKLINE>
    e:a e:p [
            e:p "1"
        ] .
    """
    graph = _Graph(triples)
    names = _Names(prefixes)

    def term(node, depth: int) -> str:
        kind = type(node).__name__
        if kind == "NamedNode":
            return names.turtle(node.value)
        if kind == "BlankNode":
            if node not in graph.inline:
                return "_:" + node.value
            items = graph.list_items(node)
            if items is not None:
                return "( " + " ".join(term(item, depth + 1) for item in items) + " )"
            if node not in graph.by_subject:
                return "[]"
            return "[\n" + body(node, depth + 1) + "\n" + "    " * depth + "]"
        text = '"' + _escape_string(node.value) + '"'
        if node.language:
            return text + "@" + node.language
        if node.datatype.value != _STRING:
            return text + "^^" + names.turtle(node.datatype.value)
        return text

    def body(subject: ox.NamedNode | ox.BlankNode, depth: int) -> str:
        indent = "    " * depth
        grouped: dict = {}
        for p, o in graph.by_subject[subject]:
            grouped.setdefault(p.value, []).append(term(o, depth))
        lines = []
        for predicate in sorted(grouped, key=lambda p: (p != _TYPE, p)):
            name = "a" if predicate == _TYPE else names.turtle(predicate)
            lines.append(indent + name + " " + " , ".join(sorted(grouped[predicate])))
        return " ;\n".join(lines)

    blocks = _blocks(graph, lambda s: (names.turtle(s.value) if type(s).__name__ == "NamedNode"
                                       else "_:" + s.value if s in graph.labelled else "[]"),
                     lambda head, s: head + " " + body(s, 1).lstrip() + " .\n")
    header = "".join(f"@prefix {prefix}: <{_escape_iri(ns)}> .\n" for prefix, ns in sorted(names.used.items()))
    return header + ("\n" if header else "") + "\n".join(blocks)


def _blocks(graph: _Graph, head, write) -> list[str]:
    """The top-level blocks in their order: header, named subjects, labelled nodes, then anonymous ones by text."""
    headers = graph.headers()
    named, labelled, anonymous = [], [], []
    for subject in graph.roots():
        if type(subject).__name__ == "NamedNode":
            named.append(subject)
        elif subject in graph.labelled:
            labelled.append(subject)
        else:
            anonymous.append(write(head(subject), subject))
    named.sort(key=lambda s: (s not in headers, s.value))
    labelled.sort(key=lambda s: (len(s.value), s.value))  # c14n2 before c14n10
    return ([write(head(s), s) for s in named] + [write(head(s), s) for s in labelled] + sorted(anonymous))


# ---------------------------------------------------------------- RDF/XML
_XML_TEXT = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})
_XML_ATTRIBUTE = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;", '"': "&quot;", "\n": "&#10;",
                                "\t": "&#9;"})


def _xml(text: str, table: dict) -> str:
    return text.translate(table)


def rdf_xml(triples: Iterable[ox.Triple], prefixes: dict[str, str] | None = None) -> str:
    """RDF/XML as OWLAPI writes it: one element per subject, typed by its first ``rdf:type``, nested blank nodes.

    Examples
    --------
    >>> import pyoxigraph as ox
    >>> a = ox.NamedNode("http://e/a")
    >>> t = [ox.Triple(a, ox.NamedNode(RDF + "type"), ox.NamedNode(OWL + "Class")),
    ...      ox.Triple(a, ox.NamedNode(RDFS + "label"), ox.Literal("A & B", language="en"))]
    >>> print(rdf_xml(t).split("\\n", 5)[-1], end="")
        <owl:Class rdf:about="http://e/a">
            <rdfs:label xml:lang="en">A &amp; B</rdfs:label>
        </owl:Class>
    </rdf:RDF>
    """
    graph = _Graph(triples)
    names = _Names(prefixes)
    # Element names need a namespace: one is made up (ns1, ns2... in the order of their IRIs) where no prefix fits.
    element_iris = {p.value for pairs in graph.by_subject.values() for p, _ in pairs}
    element_iris |= {o.value for pairs in graph.by_subject.values() for p, o in pairs
                     if p.value == _TYPE and type(o).__name__ == "NamedNode"}
    generated = set()
    for iri in element_iris:
        match = _NC_NAME.search(iri)
        if names.split(iri, _NC_NAME.match) is None and match is not None and match.start() > 0:
            generated.add(iri[: match.start()])
    for number, namespace in enumerate(sorted(generated), 1):
        names.by_namespace[namespace] = f"ns{number}"
        names.ends.add(namespace[-1])
    element_names: dict[str, str] = {}

    def qname(iri: str) -> str:
        found = element_names.get(iri)
        if found is None:
            split = names.split(iri, _NC_NAME.match)
            if split is None:
                raise ValueError(f"{iri} cannot be written as an XML element name (RDF/XML needs one)")
            names.used[split[0]] = iri[: len(iri) - len(split[1])]
            found = element_names[iri] = f"{split[0]}:{split[1]}"
        return found

    def node_element(subject: ox.NamedNode | ox.BlankNode, depth: int, attributes: str) -> str:
        indent = "    " * depth
        pairs = graph.by_subject.get(subject, [])
        types = sorted(o.value for p, o in pairs if p.value == _TYPE and type(o).__name__ == "NamedNode")
        element = "rdf:Description"
        rest = list(pairs)
        for candidate in types:
            try:
                element = qname(candidate)
            except ValueError:
                continue
            rest = [(p, o) for p, o in pairs if not (p.value == _TYPE and getattr(o, "value", None) == candidate
                                                     and type(o).__name__ == "NamedNode")]
            break
        children = sorted(property_element(p, o, depth + 1) for p, o in rest)
        if not children:
            return f"{indent}<{element}{attributes}/>"
        return f"{indent}<{element}{attributes}>\n" + "\n".join(children) + f"\n{indent}</{element}>"

    def property_element(predicate: ox.NamedNode, node, depth: int) -> str:
        indent = "    " * depth
        name = qname(predicate.value)
        kind = type(node).__name__
        if kind == "NamedNode":
            return f'{indent}<{name} rdf:resource="{_xml(node.value, _XML_ATTRIBUTE)}"/>'
        if kind == "BlankNode":
            if node not in graph.inline:
                return f'{indent}<{name} rdf:nodeID="{node.value}"/>'
            items = graph.list_items(node)
            if items is not None and all(type(i).__name__ != "Literal" for i in items):
                members = [f'{indent}    <rdf:Description rdf:about="{_xml(i.value, _XML_ATTRIBUTE)}"/>'
                           if type(i).__name__ == "NamedNode" else node_element(i, depth + 1, "")
                           if i in graph.inline else
                           f'{indent}    <rdf:Description rdf:nodeID="{i.value}"/>' for i in items]
                return (f'{indent}<{name} rdf:parseType="Collection">\n' + "\n".join(members)
                        + f"\n{indent}</{name}>")
            return f"{indent}<{name}>\n" + node_element(node, depth + 1, "") + f"\n{indent}</{name}>"
        if node.language:
            attribute = f' xml:lang="{node.language}"'
        elif node.datatype.value != _STRING:
            attribute = f' rdf:datatype="{_xml(node.datatype.value, _XML_ATTRIBUTE)}"'
        else:
            attribute = ""
        return f"{indent}<{name}{attribute}>{_xml(node.value, _XML_TEXT)}</{name}>"

    def head(subject: ox.NamedNode | ox.BlankNode) -> str:
        if type(subject).__name__ == "NamedNode":
            return f' rdf:about="{_xml(subject.value, _XML_ATTRIBUTE)}"'
        return f' rdf:nodeID="{subject.value}"' if subject in graph.labelled else ""

    blocks = _blocks(graph, head, lambda attributes, s: node_element(s, 1, attributes) + "\n")
    names.used["rdf"] = RDF
    declarations = "".join(f'\n    xmlns:{prefix}="{_xml(ns, _XML_ATTRIBUTE)}"' for prefix, ns in sorted(names.used.items()))
    return ('<?xml version="1.0" encoding="utf-8"?>\n<rdf:RDF' + declarations + ">\n" + "\n".join(blocks)
            + "</rdf:RDF>\n")


# ---------------------------------------------------------------- N-Triples, JSON-LD
def ntriples(triples: Iterable[ox.Triple]) -> str:
    """N-Triples, sorted, blank nodes with their canonical labels (:func:`canonical_triples`).

    Examples
    --------
    >>> import pyoxigraph as ox
    >>> t = [ox.Triple(ox.BlankNode("z"), ox.NamedNode("http://e/p"), ox.Literal("v"))]
    >>> ntriples(t)
    '_:c14n0 <http://e/p> "v" .\\n'
    """
    return "".join(sorted(f"{t} .\n" for t in _with_canonical_blank_nodes(triples)))


def _with_canonical_blank_nodes(triples) -> list:
    import pyoxigraph as ox

    triples = list(dict.fromkeys(triples))
    if any(type(n) is ox.BlankNode for t in triples for n in (t.subject, t.object)):
        return canonical_triples(triples)
    return triples


def json_ld(triples: Iterable[ox.Triple], prefixes: dict[str, str] | None = None) -> str:
    """JSON-LD compacted against a ``@context`` of the prefixes, with sorted keys, nodes and values.

    Examples
    --------
    >>> import pyoxigraph as ox
    >>> t = [ox.Triple(ox.NamedNode("http://e/a"), ox.NamedNode("http://e/p"), ox.Literal("v"))]
    >>> print(json_ld(t, {"e": "http://e/"}), end="")
    {
      "@context": {
        "e": "http://e/"
      },
      "@graph": [
        {
          "@id": "e:a",
          "e:p": "v"
        }
      ]
    }
    """
    import rdflib

    def term(node) -> rdflib.URIRef | rdflib.BNode | rdflib.Literal:
        kind = type(node).__name__
        if kind == "NamedNode":
            return rdflib.URIRef(node.value)
        if kind == "BlankNode":
            return rdflib.BNode(node.value)  # the canonical label: JSON-LD writes it as the node's @id
        if node.language:
            return rdflib.Literal(node.value, lang=node.language)
        if node.datatype.value == _STRING:
            return rdflib.Literal(node.value)
        return rdflib.Literal(node.value, datatype=rdflib.URIRef(node.datatype.value))

    graph = rdflib.Graph()
    for t in sorted(_with_canonical_blank_nodes(triples), key=str):
        graph.add((term(t.subject), term(t.predicate), term(t.object)))
    context = dict(sorted((prefixes or {}).items()))
    data = json.loads(graph.serialize(format="json-ld", context=context, auto_compact=True))
    if "@graph" not in data:
        data = {"@context": data.pop("@context", context), "@graph": [data] if data else []}
    return json.dumps(_sorted_json(data), indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def _sorted_json(value, in_list: bool = False):
    """Arrays sorted by their members' JSON text (except ``@list`` arrays, whose order is meaning)."""
    if isinstance(value, dict):
        return {key: _sorted_json(item, key == "@list") for key, item in value.items()}
    if isinstance(value, list):
        items = [_sorted_json(item) for item in value]
        return items if in_list else sorted(items, key=lambda item: json.dumps(item, sort_keys=True))
    return value


def serialize(triples: Iterable[ox.Triple], fmt: str, prefixes: dict[str, str] | None = None) -> str:
    """The triples as text in one of :data:`FORMATS`; the same triples always give the same text.

    Examples
    --------
    >>> import pyoxigraph as ox
    >>> t = [ox.Triple(ox.NamedNode("http://e/a"), ox.NamedNode("http://e/p"), ox.BlankNode())]
    >>> serialize(t, "ttl") == serialize(list(reversed(t + t)), "ttl")
    True
    """
    if fmt == "ttl":
        return turtle(triples, prefixes)
    if fmt == "owl":
        return rdf_xml(triples, prefixes)
    if fmt == "nt":
        return ntriples(triples)
    if fmt == "jsonld":
        return json_ld(triples, prefixes)
    raise ValueError(f"unknown format {fmt!r} (expected one of {', '.join(FORMATS)})")

"""Load the ontology, look entities up, list them by kind, serialise.

The graph lives in an Oxigraph store, the store of record (see
:mod:`kgtools.store`): every question below is a pattern lookup or a SPARQL
query on it. Libraries that need an :class:`rdflib.Graph` get
:attr:`Ontology.graph`, a view over the same store (oxrdflib), made only when
asked for: nothing is copied.

Examples
--------
>>> from kgtools.ontology import Ontology
>>> onto = Ontology.load()
>>> onto.lookup("calciphylaxis").curie
'CCUT:0001004'
"""

from __future__ import annotations

import difflib
import json
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from kgtools import provenance, resources
from kgtools.errors import InputError, UnknownTermError
from kgtools.store import (EXTENSIONS, FORMATS, BufferLimitError, base_iri, open_store, oxigraph_term,  # noqa: F401 (API)
                           oxigraph_triples, parse_triples, parse_with_rdflib, rdf_format)
from kgtools.vocabulary import (CCUT, HAS_DBXREF, IAO_DEFINITION, OBO, OBOINOWL, OWL, RDF_TYPE, RDFS_LABEL,  # noqa: F401
                                RDFS_SUBCLASS_OF, SYNONYM_PROPERTIES, XSD_STRING)

if TYPE_CHECKING:  # typed without importing curies, pyoxigraph or rdflib when the module loads
    import curies
    import pyoxigraph as ox
    import rdflib
    from rdflib.term import Node

#: Kinds of entity, each given by the project class that heads it.
KIND_ROOTS = {
    "form": CCUT + "0001000",
    "mechanism": CCUT + "0002000",
    "condition": CCUT + "0003000",
    "clinical sign": CCUT + "0005000",
    "finding": CCUT + "0006000",
    "hedge": CCUT + "0000100",
}
#: Kinds of imported terms (and of project terms placed under them), by prefix.
KIND_PREFIXES = {"UBERON": "site", "CL": "cell", "PATO": "quality", "HP": "phenotype", "ECO": "evidence"}
KINDS = tuple(KIND_ROOTS) + ("site", "cell", "quality", "phenotype", "evidence", "relation", "other")
#: The properties :class:`Entity` is read from.
_ENTITY_FIELDS = (RDFS_LABEL, IAO_DEFINITION, HAS_DBXREF, *SYNONYM_PROPERTIES)
#: Above this many entities, :meth:`Ontology.describe` reads the fields of every subject at once (a lookup per
#: entity costs about as much as reading ten of those triples: this many is a large part of an HPO-sized graph).
_DESCRIBE_ALL = 5000


def load_prefixes() -> dict[str, str]:
    """The project's prefix map (CURIE prefix -> IRI stem), shipped with the package.

    Examples
    --------
    >>> load_prefixes()["MONDO"]
    'http://purl.obolibrary.org/obo/MONDO_'
    """
    return json.loads((Path(__file__).parent / "prefixes.json").read_text())


def converter() -> curies.Converter:
    """A :class:`curies.Converter` over the project's prefix map."""
    import curies

    return curies.Converter.from_prefix_map(load_prefixes())


def parse_file(path: str | Path) -> rdflib.Graph:
    """Parse an RDF file into an :class:`rdflib.Graph`.

    The format follows the extension (.ttl, .owl/.rdf/.xml, .nt, .jsonld).
    A missing file or a syntax error raises :class:`InputError` naming the
    file, line and column.

    Examples
    --------
    >>> from kgtools.resources import ontology_path
    >>> len(parse_file(ontology_path())) > 1000
    True
    """
    try:
        return rdflib_graph(parse_triples(path))
    except BufferLimitError:
        graph = parse_with_rdflib(Path(path))
        _bind_prefixes(graph)
        return graph


def refuse_empty(paths: Sequence[Path], store: ox.Store) -> None:
    """Raise :class:`InputError` naming the first of ``paths`` that holds no triple (the store of record holds them
    all): an empty file, or one of only prefixes and comments, is valid RDF but never an ontology meant as input.

    Examples
    --------
    >>> import pyoxigraph as ox, tempfile, pathlib
    >>> empty = pathlib.Path(tempfile.mkdtemp()) / "extension.ttl"
    >>> _ = empty.write_text("@prefix ex: <http://example.org/> .  # to be written\\n")
    >>> refuse_empty([empty], ox.Store())
    Traceback (most recent call last):
    ...
    kgtools.errors.InputError: .../extension.ttl: no triples
    """
    import pyoxigraph as ox

    if len(paths) == 1 and next(store.quads_for_pattern(None, None, None, ox.DefaultGraph()), None) is not None:
        return
    for path in paths:
        if not _has_triple(path):
            raise InputError(f"{path}: no triples")


def _has_triple(path: Path) -> bool:
    """Whether the RDF file ``path`` (already read once, so well-formed) holds a triple: parsed up to its first."""
    import pyoxigraph as ox

    try:
        with open(path, "rb") as handle:
            return next(iter(ox.parse(handle, format=rdf_format(path), base_iri=base_iri(path))), None) is not None
    except MemoryError:  # a term longer than Oxigraph's parser takes: a triple, which rdflib read
        return True


def rdflib_graph(triples: Iterable[ox.Triple]) -> rdflib.Graph:
    """An :class:`rdflib.Graph` of :mod:`pyoxigraph` triples, with the project's prefixes bound.

    Blank node labels are local to where the triples come from, so they get
    fresh rdflib blank nodes: graphs built apart never share one.

    Examples
    --------
    >>> import pyoxigraph as ox
    >>> t = ox.Triple(ox.BlankNode("x"), ox.NamedNode("http://e/p"), ox.Literal("v"))
    >>> a, b = rdflib_graph([t]), rdflib_graph([t])
    >>> len(a), set(a.subjects()) == set(b.subjects())
    (1, False)
    """
    import rdflib

    graph = rdflib.Graph()
    _bind_prefixes(graph)
    blank_nodes: dict[str, rdflib.BNode] = {}
    graph_add = graph.add
    for triple in triples:
        graph_add((_rdflib_term(triple.subject, blank_nodes), _rdflib_term(triple.predicate, blank_nodes),
                   _rdflib_term(triple.object, blank_nodes)))
    return graph


def _rdflib_term(term, blank_nodes: dict):
    import pyoxigraph as ox
    import rdflib

    if isinstance(term, ox.NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        node = blank_nodes.get(term.value)
        if node is None:
            node = blank_nodes[term.value] = rdflib.BNode()
        return node
    if term.language:
        return rdflib.Literal(term.value, lang=term.language)
    if term.datatype.value == XSD_STRING:
        # RDF 1.1 plain literals are xsd:string; rdflib compares them equal only without the datatype.
        return rdflib.Literal(term.value)
    return rdflib.Literal(term.value, datatype=rdflib.URIRef(term.datatype.value))


def _bind_prefixes(graph) -> None:
    for prefix, stem in load_prefixes().items():
        graph.bind(prefix, stem, override=True)
    graph.bind("obo", OBO, override=True)


def graph_view(store: ox.Store) -> rdflib.Graph:
    """An :class:`rdflib.Graph` over the default graph of a :class:`pyoxigraph.Store`: nothing is copied.

    Reads and writes go to the store (through oxrdflib). Literals of type
    ``xsd:string`` come out as plain rdflib literals, as :func:`rdflib_graph`
    makes them, so that the view compares equal to a parsed graph.

    Examples
    --------
    >>> import pyoxigraph as ox
    >>> store = ox.Store()
    >>> store.add(ox.Quad(ox.NamedNode("http://e/a"), ox.NamedNode("http://e/b"), ox.Literal("c")))
    >>> graph = graph_view(store)
    >>> import rdflib
    >>> (rdflib.URIRef("http://e/a"), rdflib.URIRef("http://e/b"), rdflib.Literal("c")) in graph
    True
    """
    import rdflib
    from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

    graph = rdflib.Graph(store=_view_store_class()(store=store), identifier=DATASET_DEFAULT_GRAPH_ID)
    _bind_prefixes(graph)
    return graph


@lru_cache(maxsize=1)
def _view_store_class():
    """The oxrdflib store, reading ``xsd:string`` literals as rdflib's plain literals (defined on first use)."""
    import rdflib
    from oxrdflib import OxigraphStore

    xsd_string = rdflib.URIRef(XSD_STRING)

    class PlainStringStore(OxigraphStore):
        def triples(
            self, triple_pattern: tuple[Node | None, Node | None, Node | None], context: rdflib.Graph | None = None
        ) -> Iterator[tuple[tuple[Node, Node, Node], Iterator[rdflib.Graph | None]]]:
            for (s, p, o), contexts in super().triples(triple_pattern, context):
                if isinstance(o, rdflib.Literal) and o.datatype == xsd_string:
                    o = rdflib.Literal(str(o))
                yield (s, p, o), contexts

    return PlainStringStore


def _store_of(graph):
    """The Oxigraph store behind an rdflib graph (oxrdflib's, over its default graph), or a new one filled from it."""
    import pyoxigraph as ox
    from oxrdflib import OxigraphStore
    from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

    if isinstance(graph.store, OxigraphStore) and graph.identifier == DATASET_DEFAULT_GRAPH_ID:
        return graph.store._inner
    store = ox.Store()
    store.extend(ox.Quad(t.subject, t.predicate, t.object) for t in oxigraph_triples(graph))
    return store


def _pick_label(literals) -> str | None:
    """The English (or untagged) label among ``literals``, or the first."""
    literals = list(literals)
    for literal in literals:
        if literal.language in (None, "en"):
            return literal.value
    return literals[0].value if literals else None


def values_block(variable: str, iris: Iterable[str]) -> str:
    """A SPARQL ``VALUES`` block of IRIs, each written by Oxigraph (escaped, so it cannot end the block).

    Examples
    --------
    >>> values_block("p", ["http://e/a", "http://e/b"])
    'VALUES ?p { <http://e/a> <http://e/b> }'
    """
    import pyoxigraph as ox

    return f"VALUES ?{variable} {{ {' '.join(str(ox.NamedNode(iri)) for iri in iris)} }}"


@dataclass(frozen=True)
class Entity:
    """A named entity of the graph, with what a curator reads first about it."""

    iri: str
    curie: str
    label: str | None
    kind: str
    definition: str | None = None
    synonyms: tuple[tuple[str, str], ...] = field(default=())
    xrefs: tuple[str, ...] = field(default=())

    def as_dict(self) -> dict:
        """The entity as plain data, for JSON output."""
        return {
            "iri": self.iri,
            "curie": self.curie,
            "label": self.label,
            "kind": self.kind,
            "definition": self.definition,
            "synonyms": [{"text": text, "scope": scope} for text, scope in self.synonyms],
            "xrefs": list(self.xrefs),
        }


class Ontology:
    """The ontology in its Oxigraph store, with lookup by label, synonym, CURIE or IRI.

    ``data`` is a :class:`pyoxigraph.Store` (the store of record) or an
    :class:`rdflib.Graph` (copied into a new in-memory store, unless it is
    already a view over one). ``location`` is the directory of an on-disk
    store, None for one in memory.

    Examples
    --------
    >>> onto = Ontology.load()
    >>> onto.lookup("CCUT:0001006").label
    'calcinosis universalis'
    >>> "calciphylaxis" in [e.label for e in onto.entities("form")]
    True
    """

    def __init__(self, data, paths: tuple[Path, ...] = (), location: Path | None = None):
        import pyoxigraph as ox

        self.store = data if isinstance(data, ox.Store) else _store_of(data)
        self.paths = tuple(paths)
        self.location = location

    @classmethod
    def load(cls, *paths: str | Path, store: str | Path | None = None) -> "Ontology":
        """Load the given RDF files into one store, or the packaged ontology when none is given.

        Large inputs are kept in a persistent store and opened from it next
        time; ``store`` names the directory of persistent stores (see
        :func:`kgtools.store.open_store`).
        """
        files = tuple(Path(p) for p in paths) or (resources.ontology_path(),)
        data, location = open_store(files, store)
        refuse_empty(files, data)
        return cls(data, files, location)

    @cached_property
    def graph(self) -> rdflib.Graph:
        """The graph as an :class:`rdflib.Graph`: a view over the store (see :func:`graph_view`)."""
        return graph_view(self.store)

    # ---------------------------------------------------------------- store access
    def _objects(self, iri, predicate: str) -> list:
        import pyoxigraph as ox

        subject = iri if isinstance(iri, (ox.NamedNode, ox.BlankNode)) else ox.NamedNode(str(iri))
        return [q.object for q in self.store.quads_for_pattern(subject, ox.NamedNode(predicate), None, ox.DefaultGraph())]

    def select(self, text: str) -> list[tuple]:
        """The rows of a SPARQL SELECT query on the store, as tuples of :mod:`pyoxigraph` terms (None: unbound).

        Examples
        --------
        >>> Ontology.load().select("SELECT (COUNT(*) AS ?n) WHERE { ?s a <http://www.w3.org/2002/07/owl#Ontology> }")[0][0].value
        '1'
        """
        return [tuple(solution) for solution in self.store.query(text)]  # type: ignore[union-attr]  # a SELECT

    # ---------------------------------------------------------------- names
    @cached_property
    def _converter(self):
        return converter()

    @cached_property
    def _stems(self) -> tuple[dict[str, str], list[int]]:
        """The prefix of each IRI stem of the prefix map, and the stems' lengths, longest first."""
        stems = dict(self._converter.reverse_prefix_map)
        return stems, sorted({len(stem) for stem in stems}, reverse=True)

    def curie(self, iri: str) -> str:
        """The CURIE of an IRI under the project prefix map (the longest stem that starts it), or the IRI itself.

        The same answer as :meth:`curies.Converter.compress`, found with one
        dictionary lookup per stem length: a large graph has hundreds of
        thousands of IRIs to show.

        Examples
        --------
        >>> Ontology.load().curie("http://purl.obolibrary.org/obo/HP_0003072")
        'HP:0003072'
        >>> Ontology.load().curie("http://example.org/x")
        'http://example.org/x'
        """
        iri = str(iri)
        stems, lengths = self._stems
        for length in lengths:
            prefix = stems.get(iri[:length])
            if prefix is not None and len(iri) > length:
                return f"{prefix}:{iri[length:]}"
        return iri

    def expand(self, curie: str) -> str | None:
        """The IRI of a CURIE, or None when its prefix is unknown."""
        return self._converter.expand(curie)

    def label(self, iri: str | ox.NamedNode | ox.BlankNode) -> str | None:
        """The English (or first) rdfs:label of an entity."""
        return _pick_label(self._objects(iri, RDFS_LABEL))

    # ---------------------------------------------------------------- kinds
    @cached_property
    def _named_entities(self) -> list[str]:
        rows = self.select(f"""SELECT DISTINCT ?s WHERE {{
            VALUES ?type {{ <{OWL}Class> <{OWL}NamedIndividual> <{OWL}ObjectProperty> }}
            ?s a ?type FILTER isIRI(?s) }}""")
        return [s.value for s, in rows]

    @cached_property
    def _relations(self) -> set[str]:
        return {p.value for p, in self.select(f"SELECT ?p WHERE {{ ?p a <{OWL}ObjectProperty> FILTER isIRI(?p) }}")}

    @cached_property
    def _individual_types(self) -> dict[str, list[str]]:
        types: dict[str, list[str]] = {}
        for x, t in self.select(f"SELECT ?x ?t WHERE {{ ?x a <{OWL}NamedIndividual> ; a ?t FILTER isIRI(?t) }}"):
            types.setdefault(x.value, []).append(t.value)
        return types

    @cached_property
    def _rooted(self) -> dict[str, int]:
        """Each class under a kind root (itself included) -> the position of the first such root in KIND_ROOTS."""
        order = {root: i for i, root in enumerate(KIND_ROOTS.values())}
        rooted: dict[str, int] = {}
        for x, root in self.select(f"SELECT ?x ?root WHERE {{ {values_block('root', order)} "
                                   f"?x <{RDFS_SUBCLASS_OF}>* ?root FILTER isIRI(?x) }}"):
            rooted[x.value] = min(rooted.get(x.value, len(order)), order[root.value])
        return rooted

    @cached_property
    def _kind_stems(self) -> list[tuple[str, str]]:
        """The IRI stem of each prefix of KIND_PREFIXES, with its kind, longest first."""
        stems = [(self.expand(prefix + ":") or "", kind) for prefix, kind in KIND_PREFIXES.items()]
        return sorted(((stem, kind) for stem, kind in stems if stem), key=lambda item: -len(item[0]))

    def _prefix_kind(self, iri: str) -> str | None:
        # The stems, not curie(): the same answer, without compressing every IRI of a large graph.
        return next((kind for stem, kind in self._kind_stems if iri.startswith(stem)), None)

    def kinds(self, iris: Iterable[str]) -> dict[str, str]:
        """The kind of each IRI (see :meth:`kind`), asked of the store in a few queries whatever their number.

        Examples
        --------
        >>> onto = Ontology.load()
        >>> onto.kinds([onto.lookup("calciphylaxis").iri, onto.lookup("kidney").iri])
        {'http://purl.obolibrary.org/obo/CCUT_0001004': 'form', 'http://purl.obolibrary.org/obo/UBERON_0002113': 'site'}
        """
        roots = list(KIND_ROOTS)
        found: dict[str, str] = {}
        climb: dict[str, list[str]] = {}  # entities whose kind their ancestors' prefixes give -> where to start
        for iri in dict.fromkeys(map(str, iris)):
            if iri in self._relations:
                found[iri] = "relation"
                continue
            classes = self._individual_types.get(iri, [iri])
            positions = [self._rooted[c] for c in classes if c in self._rooted]
            if positions:
                found[iri] = roots[min(positions)]
            elif (kind := self._prefix_kind(iri)) is not None:
                found[iri] = kind
            else:
                climb[iri] = classes
        if climb:
            starts = {c for classes in climb.values() for c in classes}
            ancestors: dict[str, set[str]] = {c: {c} for c in starts}
            for x, a in self.select(f"SELECT ?x ?a WHERE {{ {values_block('x', starts)} "
                                    f"?x <{RDFS_SUBCLASS_OF}>+ ?a FILTER isIRI(?a) }}"):
                ancestors[x.value].add(a.value)
            for iri, classes in climb.items():
                above = sorted(set().union(*(ancestors[c] for c in classes)))
                found[iri] = next((k for k in map(self._prefix_kind, above) if k), "other")
        return found

    def kind(self, iri: str) -> str:
        """The kind of an entity: form, mechanism, condition, site, clinical sign, finding, ...

        A relation is an object property; a class (or an individual, by its
        types) under one of :data:`KIND_ROOTS` is of that kind; otherwise
        the prefix of the entity, or of the first of its ancestors (by IRI)
        with a prefix of :data:`KIND_PREFIXES`, gives it; else ``other``.

        Examples
        --------
        >>> onto = Ontology.load()
        >>> onto.kind(onto.lookup("hypercalcemia").iri)
        'mechanism'
        >>> onto.kind(onto.lookup("kidney").iri)
        'site'
        """
        return self.kinds([iri])[str(iri)]

    def describe(self, iris: Iterable[str], details: bool = True) -> dict[str, Entity]:
        """The :class:`Entity` of each IRI, read from the store by pattern lookups and a few queries for the kinds.

        ``details=False`` reads labels only (no definition, synonyms or
        cross-references): faster for the thousands of terms of a large graph.

        Examples
        --------
        >>> onto = Ontology.load()
        >>> found = onto.describe(["http://purl.obolibrary.org/obo/CCUT_0001004"])
        >>> found["http://purl.obolibrary.org/obo/CCUT_0001004"].kind
        'form'
        """
        import pyoxigraph as ox

        iris = list(dict.fromkeys(map(str, iris)))
        fields: dict[str, dict[str, list]] = {iri: {} for iri in iris}
        wanted = _ENTITY_FIELDS if details else (RDFS_LABEL,)
        if len(iris) > _DESCRIBE_ALL:
            # Many entities: read each property's triples whole from the store's index.
            for prop in wanted:
                for quad in self.store.quads_for_pattern(None, ox.NamedNode(prop), None, ox.DefaultGraph()):
                    values = fields.get(quad.subject.value) if isinstance(quad.subject, ox.NamedNode) else None
                    if values is not None:
                        values.setdefault(prop, []).append(quad.object)
        else:
            # Fewer: a pattern lookup per entity, whose cost does not grow with the graph.
            for iri in iris:
                for quad in self.store.quads_for_pattern(ox.NamedNode(iri), None, None, ox.DefaultGraph()):
                    if quad.predicate.value in wanted:
                        fields[iri].setdefault(quad.predicate.value, []).append(quad.object)
        kinds = self.kinds(iris)
        found = {}
        for iri, values in fields.items():
            definition = values.get(IAO_DEFINITION)
            synonyms = tuple(sorted((o.value, scope) for p, scope in SYNONYM_PROPERTIES.items() for o in values.get(p, ())))
            xrefs = tuple(sorted(o.value for o in values.get(HAS_DBXREF, ())))
            found[iri] = Entity(iri, self.curie(iri), _pick_label(values.get(RDFS_LABEL, ())), kinds[iri],
                                definition[0].value if definition else None, synonyms, xrefs)
        return found

    def entity(self, iri: str) -> Entity:
        """The :class:`Entity` for an IRI."""
        return self.describe([iri])[str(iri)]

    def entities(self, kind: str | None = None) -> list[Entity]:
        """Every named class, individual and relation, or those of one kind, sorted by label.

        Examples
        --------
        >>> [e.label for e in Ontology.load().entities("condition")][:3]
        ['condition associated with calcinosis cutis', 'connective tissue disease', 'CREST syndrome']
        """
        if kind is not None and kind not in KINDS:
            raise UnknownTermError(kind, difflib.get_close_matches(kind, KINDS, n=3))
        found = list(self.describe(self._named_entities).values())
        if kind is not None:
            found = [e for e in found if e.kind == kind]
        return sorted(found, key=lambda e: ((e.label or e.curie).lower(), e.curie))

    # ---------------------------------------------------------------- lookup
    def _names_query(self, condition: str = "") -> str:
        return (f"SELECT DISTINCT ?s ?name WHERE {{ {values_block('p', [RDFS_LABEL, *SYNONYM_PROPERTIES])} "
                f"?s ?p ?name FILTER (isIRI(?s){condition}) }}")

    def lookup(self, term: str) -> Entity:
        """Find one entity by label, synonym, CURIE or IRI (case-insensitive for names).

        Raises :class:`UnknownTermError`, with close matches, when nothing matches.

        Examples
        --------
        >>> onto = Ontology.load()
        >>> onto.lookup("calciophylaxis").label
        'calciphylaxis'
        >>> onto.lookup("http://purl.obolibrary.org/obo/CCUT_0001004").label
        'calciphylaxis'
        """
        return self.lookup_all([term])[0]

    def lookup_all(self, terms: Iterable[str]) -> list[Entity]:
        """The entity of each term, found as :meth:`lookup` finds it, the names of the graph read once for all.

        Raises :class:`UnknownTermError` for the first term (in order) that nothing matches.

        Examples
        --------
        >>> [e.curie for e in Ontology.load().lookup_all(["renal failure", "CCUT:0001004"])]
        ['CCUT:0003006', 'CCUT:0001004']
        """
        import pyoxigraph as ox

        terms = [term.strip() for term in terms]
        found = {i: iri for i, term in enumerate(terms) if (iri := self._subject_named(term)) is not None}
        by_name = [i for i in range(len(terms)) if i not in found]
        matches: dict[str, set[str]] = {}
        if by_name:
            # The terms go in as literals written by Oxigraph (escaped), never as query text.
            wanted = ", ".join(str(ox.Literal(terms[i].lower())) for i in by_name)
            for s, key in self.select(f"SELECT DISTINCT ?s (LCASE(STR(?name)) AS ?key) WHERE {{ "
                                      f"{values_block('p', [RDFS_LABEL, *SYNONYM_PROPERTIES])} ?s ?p ?name "
                                      f"FILTER (isIRI(?s) && LCASE(STR(?name)) IN ({wanted})) }}"):
                matches.setdefault(key.value, set()).add(s.value)
        for i in by_name:
            term = terms[i]
            if not matches.get(term.lower()):
                names = {name.value.lower() for _, name in self.select(self._names_query())}
                raise UnknownTermError(term, difflib.get_close_matches(term.lower(), sorted(names), n=3, cutoff=0.6))
            # Prefer the entity whose label (not synonym) matches, then project terms.
            found[i] = min(matches[term.lower()], key=lambda iri: (
                (self.label(iri) or "").lower() != term.lower(), not iri.startswith(CCUT), iri))
        return [self.entity(found[i]) for i in range(len(terms))]

    def _subject_named(self, term: str) -> str | None:
        """The IRI that ``term`` is or abbreviates (a CURIE), when it is the subject of a triple; else None."""
        import pyoxigraph as ox

        iri: str | None
        if term.startswith(("http://", "https://")):
            iri = term
        elif ":" in term and " " not in term:
            iri = self.expand(term)
        else:
            return None
        try:
            subject = ox.NamedNode(iri) if iri else None
        except ValueError:
            return None
        if subject is not None and next(self.store.quads_for_pattern(subject, None, None, ox.DefaultGraph()), None):
            return iri
        return None

    # ---------------------------------------------------------------- summary
    def metadata(self) -> dict:
        """Title, description, version, licence and source of the ontology header."""
        headers = self.select(f"SELECT ?h WHERE {{ ?h a <{OWL}Ontology> }} LIMIT 1")
        if not headers:
            return {}
        header = headers[0][0]
        dc = "http://purl.org/dc/terms/"

        def value(prop: str) -> str | None:
            found = self._objects(header, prop)
            return found[0].value if found else None

        return {
            "iri": header.value,
            "title": value(dc + "title"),
            "description": value(dc + "description"),
            "version_iri": value(OWL + "versionIRI"),
            "version": value(OWL + "versionInfo"),
            "license": value(dc + "license"),
            "source": value(dc + "source"),
        }

    def counts(self) -> dict[str, int]:
        """Number of triples, of entities of each kind, of cited axioms and of qualified statements."""
        counts = {"triples": len(self.store)}
        counts.update(Counter(entity.kind for entity in self.entities()))
        citations = provenance.citations(self)
        counts["cited axioms"] = sum(1 for c in citations if c.kind == "axiom")
        counts["qualified statements"] = sum(1 for c in citations if c.kind == "statement")
        return counts

    # ---------------------------------------------------------------- output
    def serialize(self, fmt: str = "ttl") -> str:
        """The graph as text in one of :data:`FORMATS` (ttl, owl, nt, jsonld).

        Examples
        --------
        >>> Ontology.load().serialize("nt").count(" .\\n") == len(Ontology.load().graph)
        True
        """
        import pyoxigraph as ox

        from kgtools.serialize import serialize

        if fmt not in FORMATS:
            raise InputError(f"unknown format {fmt!r} (expected one of {', '.join(FORMATS)})")
        # Written by kgtools.serialize: the same graph always gives the same text, in a form OWLAPI reads.
        triples = [quad.triple for quad in self.store.quads_for_pattern(None, None, None, ox.DefaultGraph())]
        return serialize(triples, fmt, dict(load_prefixes(), obo=OBO))

"""Load the ontology, look entities up, list them by kind, serialise.

The graph is an :class:`rdflib.Graph`; files are parsed with Oxigraph, which
is fast and reports syntax errors with a line and a column.

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
import logging
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from kgtools import resources
from kgtools.errors import InputError, UnknownTermError

OBO = "http://purl.obolibrary.org/obo/"
CCUT = OBO + "CCUT_"
IAO_DEFINITION = OBO + "IAO_0000115"
OBOINOWL = "http://www.geneontology.org/formats/oboInOwl#"
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
SYNONYM_PROPERTIES = {
    OBOINOWL + "hasExactSynonym": "exact",
    OBOINOWL + "hasRelatedSynonym": "related",
    OBOINOWL + "hasBroadSynonym": "broad",
    OBOINOWL + "hasNarrowSynonym": "narrow",
}

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

#: RDF formats, by the names the command line uses, with Oxigraph's name for them.
FORMATS = {"ttl": "TURTLE", "owl": "RDF_XML", "nt": "N_TRIPLES", "jsonld": "JSON_LD"}
#: RDF file extensions, with the format each stands for.
EXTENSIONS = {".ttl": "ttl", ".owl": "owl", ".rdf": "owl", ".xml": "owl", ".nt": "nt", ".jsonld": "jsonld", ".json": "jsonld"}


def load_prefixes() -> dict[str, str]:
    """The project's prefix map (CURIE prefix -> IRI stem), shipped with the package.

    Examples
    --------
    >>> load_prefixes()["MONDO"]
    'http://purl.obolibrary.org/obo/MONDO_'
    """
    return json.loads((Path(__file__).parent / "prefixes.json").read_text())


def converter():
    """A :class:`curies.Converter` over the project's prefix map."""
    import curies

    return curies.Converter.from_prefix_map(load_prefixes())


def parse_file(path: str | Path):
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
    except _BufferLimitError:
        return _parse_with_rdflib(Path(path))


def parse_triples(path: str | Path, data: bytes | None = None, fmt: str | None = None):
    """Parse an RDF file with Oxigraph, yielding :class:`pyoxigraph.Triple` objects.

    ``fmt`` (a key of :data:`FORMATS`) follows the extension unless given;
    ``data`` is the file's content unless given (RDF made from another
    syntax, named by ``path`` in messages). A missing file or a syntax error
    raises :class:`InputError` naming the file, line and column.

    Examples
    --------
    >>> from kgtools.resources import ontology_path
    >>> next(parse_triples(ontology_path())).subject.value
    'http://purl.obolibrary.org/obo/ccut.owl'
    """
    import pyoxigraph as ox

    path = Path(path)
    fmt = fmt or EXTENSIONS.get(path.suffix.lower())
    if fmt is None:
        raise InputError(f"{path}: unknown RDF format (expected one of {', '.join(sorted(EXTENSIONS))})")
    from_file = data is None  # otherwise a line and column would be those of the RDF made from the file
    if from_file:
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise InputError(f"{path}: no such file") from None
        except OSError as err:
            raise InputError(f"{path}: cannot read ({err.strerror})") from None
    try:
        for quad in ox.parse(data, format=getattr(ox.RdfFormat, FORMATS[fmt]), base_iri=path.resolve().as_uri()):
            yield quad.triple
    except SyntaxError as err:
        message = err.msg.split(": ", 1)[-1] if err.msg.startswith("Parser error at") else err.msg
        line, column = err.lineno, err.offset
        if not from_file:
            raise InputError(f"{path}: the RDF made from it does not parse: {_shorten(message)}") from None
        if not line and fmt == "owl":
            # Oxigraph's RDF/XML errors carry no position: the XML reader rdflib uses gives it.
            line, column, message = _rdfxml_error_position(data, message)
        message = _shorten(message)
        if not line:
            raise InputError(f"{path}: RDF/XML error: {message}") from None
        raise InputError(f"{path}:{line}:{column}: syntax error at line {line}, column {column}: {message}") from None
    except MemoryError as err:
        raise _BufferLimitError(f"{path}: a term longer than Oxigraph's parser takes ({err})") from None


class _BufferLimitError(InputError):
    """Oxigraph's parsers hold one term in a buffer of at most 16 MiB: a longer literal does not fit."""


def _parse_with_rdflib(path: Path):
    """Parse with rdflib, which has no limit on the length of a term (but is slower than Oxigraph)."""
    import rdflib

    graph = rdflib.Graph()
    _bind_prefixes(graph)
    fmt = {"ttl": "turtle", "owl": "xml", "nt": "nt", "jsonld": "json-ld"}[EXTENSIONS[path.suffix.lower()]]
    try:
        graph.parse(path, format=fmt)
    except Exception as err:  # noqa: BLE001 -- rdflib's parsers raise many types; each becomes one line
        raise InputError(f"{path}: syntax error: {_shorten(str(err))}") from None
    return graph


def _rdfxml_error_position(data: bytes, message: str) -> tuple[int | None, int | None, str]:
    """Line and column (1-based) of the first RDF/XML error in ``data``, and what it is.

    An XML error (not well-formed, an unbound prefix) is told in the XML
    reader's words; an RDF/XML error keeps ``message``, Oxigraph's words.
    """
    import io
    from xml.sax import SAXParseException
    from xml.sax.xmlreader import InputSource

    import rdflib
    from rdflib.plugins.parsers.rdfxml import create_parser

    source = InputSource("data")
    source.setByteStream(io.BytesIO(data))
    reader = create_parser(source, rdflib.Graph())
    rdflib_log = logging.getLogger("rdflib")
    level = rdflib_log.level
    rdflib_log.setLevel(logging.ERROR)  # rdflib warns of each odd IRI; the one error is what is said
    try:
        reader.parse(source)
    except SAXParseException as err:
        return err.getLineNumber(), err.getColumnNumber() + 1, err.getMessage()
    except Exception:  # noqa: BLE001 -- an RDF/XML error: where the reader stopped is where it is
        return reader.getLineNumber(), reader.getColumnNumber() + 1, message
    finally:
        rdflib_log.setLevel(level)
    return None, None, message


def _shorten(message: str, limit: int = 120) -> str:
    """A parser's message on one line, without a long echo of the input."""
    message = " ".join(message.split())
    return message if len(message) <= limit else message[:limit] + "…"


def rdflib_graph(triples):
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
    if term.datatype.value == _XSD_STRING:
        # RDF 1.1 plain literals are xsd:string; rdflib compares them equal only without the datatype.
        return rdflib.Literal(term.value)
    return rdflib.Literal(term.value, datatype=rdflib.URIRef(term.datatype.value))


def oxigraph_triples(graph) -> list:
    """The triples of an :class:`rdflib.Graph` as :class:`pyoxigraph.Triple` objects.

    Examples
    --------
    >>> import rdflib
    >>> g = rdflib.Graph().parse(data="<http://e/a> <http://e/b> 'c' .", format="turtle")
    >>> oxigraph_triples(g)[0].object.value
    'c'
    """
    import pyoxigraph as ox

    cache: dict = {}

    def term(node):
        found = cache.get(node)
        if found is None:
            found = cache[node] = oxigraph_term(node)
        return found

    return [ox.Triple(term(s), term(p), term(o)) for s, p, o in graph]


def oxigraph_term(node):
    """An rdflib term as the equal :mod:`pyoxigraph` term.

    Examples
    --------
    >>> import rdflib
    >>> oxigraph_term(rdflib.Literal("calcinosis", lang="en"))
    <Literal value=calcinosis language=en>
    """
    import pyoxigraph as ox
    import rdflib

    if isinstance(node, rdflib.URIRef):
        return ox.NamedNode(str(node))
    if isinstance(node, rdflib.BNode):
        return ox.BlankNode(str(node))
    if node.language:
        return ox.Literal(str(node), language=node.language)
    if node.datatype:
        return ox.Literal(str(node), datatype=ox.NamedNode(str(node.datatype)))
    return ox.Literal(str(node))


def _bind_prefixes(graph) -> None:
    for prefix, stem in load_prefixes().items():
        graph.bind(prefix, stem, override=True)
    graph.bind("obo", OBO, override=True)


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
    """The ontology graph with lookup by label, synonym, CURIE or IRI.

    Examples
    --------
    >>> onto = Ontology.load()
    >>> onto.lookup("CCUT:0001006").label
    'calcinosis universalis'
    >>> "calciphylaxis" in [e.label for e in onto.entities("form")]
    True
    """

    def __init__(self, graph, paths: tuple[Path, ...] = ()):
        self.graph = graph
        self.paths = paths

    @classmethod
    def load(cls, *paths: str | Path) -> "Ontology":
        """Load the given RDF files into one graph, or the packaged ontology when none is given."""
        import rdflib

        paths = tuple(Path(p) for p in paths) or (resources.ontology_path(),)
        graph = rdflib.Graph()
        _bind_prefixes(graph)
        for path in paths:
            graph += parse_file(path)
        return cls(graph, paths)

    # ---------------------------------------------------------------- names
    @cached_property
    def _converter(self):
        return converter()

    def curie(self, iri: str) -> str:
        """The CURIE of an IRI under the project prefix map, or the IRI itself.

        Examples
        --------
        >>> Ontology.load().curie("http://purl.obolibrary.org/obo/HP_0003072")
        'HP:0003072'
        """
        return self._converter.compress(str(iri)) or str(iri)

    def expand(self, curie: str) -> str | None:
        """The IRI of a CURIE, or None when its prefix is unknown."""
        return self._converter.expand(curie)

    def label(self, iri) -> str | None:
        """The English (or first) rdfs:label of an entity."""
        from rdflib import RDFS, URIRef

        labels = list(self.graph.objects(URIRef(str(iri)), RDFS.label))
        for lab in labels:
            if lab.language in (None, "en"):
                return str(lab)
        return str(labels[0]) if labels else None

    # ---------------------------------------------------------------- kinds
    @cached_property
    def _named_entities(self) -> list[str]:
        from rdflib import OWL, RDF, URIRef

        seen = {}
        for type_ in (OWL.Class, OWL.NamedIndividual, OWL.ObjectProperty):
            for subject in self.graph.subjects(RDF.type, type_):
                if isinstance(subject, URIRef):
                    seen.setdefault(str(subject), None)
        return list(seen)

    def kind(self, iri) -> str:
        """The kind of an entity: form, mechanism, condition, site, clinical sign, finding, ...

        Examples
        --------
        >>> onto = Ontology.load()
        >>> onto.kind(onto.lookup("hypercalcemia").iri)
        'mechanism'
        >>> onto.kind(onto.lookup("kidney").iri)
        'site'
        """
        from rdflib import OWL, RDF, RDFS, URIRef

        node = URIRef(str(iri))
        if (node, RDF.type, OWL.ObjectProperty) in self.graph:
            return "relation"
        if (node, RDF.type, OWL.NamedIndividual) in self.graph:
            classes = list(self.graph.objects(node, RDF.type))
        else:
            classes = [node]
        ancestors = set()
        for cls in classes:
            ancestors.update(str(a) for a in self.graph.transitive_objects(cls, RDFS.subClassOf) if isinstance(a, URIRef))
        for kind, root in KIND_ROOTS.items():
            if root in ancestors:
                return kind
        for ancestor in [str(node)] + sorted(ancestors):
            prefix = self.curie(ancestor).split(":")[0]
            if prefix in KIND_PREFIXES:
                return KIND_PREFIXES[prefix]
        return "other"

    def entity(self, iri) -> Entity:
        """The :class:`Entity` for an IRI."""
        from rdflib import URIRef

        node = URIRef(str(iri))
        definition = self.graph.value(node, URIRef(IAO_DEFINITION))
        synonyms = tuple(
            sorted((str(o), scope) for p, scope in SYNONYM_PROPERTIES.items() for o in self.graph.objects(node, URIRef(p)))
        )
        xrefs = tuple(sorted(str(o) for o in self.graph.objects(node, URIRef(OBOINOWL + "hasDbXref"))))
        return Entity(str(iri), self.curie(iri), self.label(iri), self.kind(iri),
                      str(definition) if definition is not None else None, synonyms, xrefs)

    def entities(self, kind: str | None = None) -> list[Entity]:
        """Every named class, individual and relation, or those of one kind, sorted by label.

        Examples
        --------
        >>> [e.label for e in Ontology.load().entities("condition")][:3]
        ['condition associated with calcinosis cutis', 'connective tissue disease', 'CREST syndrome']
        """
        if kind is not None and kind not in KINDS:
            raise UnknownTermError(kind, difflib.get_close_matches(kind, KINDS, n=3))
        found = [self.entity(iri) for iri in self._named_entities]
        if kind is not None:
            found = [e for e in found if e.kind == kind]
        return sorted(found, key=lambda e: ((e.label or e.curie).lower(), e.curie))

    # ---------------------------------------------------------------- lookup
    @cached_property
    def _names(self) -> dict[str, set[str]]:
        """Lower-cased labels and synonyms -> IRIs."""
        from rdflib import RDFS, URIRef

        names: dict[str, set[str]] = {}
        for prop in [RDFS.label, *map(URIRef, SYNONYM_PROPERTIES)]:
            for subject, name in self.graph.subject_objects(prop):
                if isinstance(subject, URIRef):
                    names.setdefault(str(name).lower(), set()).add(str(subject))
        return names

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
        from rdflib import URIRef

        term = term.strip()
        candidates: list[str] = []
        if term.startswith(("http://", "https://")):
            candidates = [term]
        elif ":" in term and " " not in term:
            iri = self.expand(term)
            candidates = [iri] if iri else []
        if candidates and (URIRef(candidates[0]), None, None) in self.graph:
            return self.entity(candidates[0])
        matches = self._names.get(term.lower(), set())
        if matches:
            # Prefer the entity whose label (not synonym) matches, then project terms.
            best = sorted(matches, key=lambda iri: ((self.label(iri) or "").lower() != term.lower(), not iri.startswith(CCUT), iri))
            return self.entity(best[0])
        suggestions = difflib.get_close_matches(term.lower(), list(self._names), n=3, cutoff=0.6)
        raise UnknownTermError(term, suggestions)

    # ---------------------------------------------------------------- summary
    def metadata(self) -> dict:
        """Title, description, version, licence and source of the ontology header."""
        from rdflib import OWL, RDF, URIRef

        header = next(iter(self.graph.subjects(RDF.type, OWL.Ontology)), None)
        if header is None:
            return {}
        dc = "http://purl.org/dc/terms/"

        def value(prop):
            v = self.graph.value(header, URIRef(prop))
            return str(v) if v is not None else None

        return {
            "iri": str(header),
            "title": value(dc + "title"),
            "description": value(dc + "description"),
            "version_iri": value(str(OWL.versionIRI)),
            "version": value(str(OWL.versionInfo)),
            "license": value(dc + "license"),
            "source": value(dc + "source"),
        }

    def counts(self) -> dict[str, int]:
        """Number of triples, of entities of each kind, of cited axioms and of qualified statements."""
        from kgtools import provenance

        counts = {"triples": len(self.graph)}
        for entity in self.entities():
            counts[entity.kind] = counts.get(entity.kind, 0) + 1
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

        if fmt not in FORMATS:
            raise InputError(f"unknown format {fmt!r} (expected one of {', '.join(FORMATS)})")
        # Oxigraph's serialisers, not rdflib's: rdflib's Turtle writer can write an
        # RDF list twice (inline and by label), which changes the graph read back.
        prefixes = dict(load_prefixes(), obo=OBO)
        data = ox.serialize(oxigraph_triples(self.graph), format=getattr(ox.RdfFormat, FORMATS[fmt]),
                            prefixes=None if fmt == "nt" else prefixes)
        return data.decode("utf-8")

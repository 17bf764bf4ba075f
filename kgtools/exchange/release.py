"""Release files: the ontology in OWL (RDF/XML), Turtle, OBO, OBO Graphs JSON and JSON-LD.

Three variants, the way OBO ontologies publish, each file named after the
ID space (``ccut``) as the OBO PURLs and the OBO Dashboard expect:

* ``ccut.*`` -- the ontology as edited, with the imported external terms
  (declaration and label of each UBERON, CL, PATO, HP, RO term);
* ``ccut-full.*`` -- the same content under the ``ccut-full.owl`` IRI;
* ``ccut-base.*`` -- the project's own axioms only: statements about
  external terms are left out (their declarations stay, so the file is
  still OWL DL).

Each file carries the version: ``owl:versionIRI`` in the RDF formats,
``data-version`` in OBO (in the form OWLAPI writes and reads back into the
same version IRI), ``meta.version`` in OBO Graphs JSON. The RDF files are
written by :mod:`kgtools.serialize` (byte for byte the same for the same
ontology, in a form OWLAPI reads), with every class and property they use
declared.

The OBO file is built as a :mod:`fastobo` syntax tree (so it is valid OBO
1.4 by construction) from the graph. Its frames carry terms, relations,
labels, definitions, synonyms, xrefs, comments, ``is_a`` and
``relationship`` (``R some C`` with a named ``C``); the evidence and hedge of
definitions and synonyms are their xrefs. The logical axioms OBO has no
clause for (the hedge individuals, the qualified statements, the
restrictions whose filler is a union) are in the ``owl-axioms`` header
clause, in OWL functional syntax, where OWLAPI's OBO parser reads them
(:func:`obo_owl_axioms`): OWLAPI reads a ``.obo`` release into the same
classes and logical axioms as the ``.owl``. The line-level provenance of
the other axioms (source line, quote, curator completion and note) is not
in the OBO frames: OBO's trailing qualifiers would carry it, but OWLAPI's
OBO parser up to 5.1 (under ROBOT and Protégé) reads a qualifier keyed by a
project property as an ``oboInOwl#CCUT:...`` tag, a property nobody
declared. It is in the OWL, Turtle, JSON-LD and OBO Graphs JSON files.
The OBO Graphs JSON is built with the ``obographs`` model and carries the
same as the OBO frames, plus the individuals, with the provenance in the
``meta`` of edges and synonyms, and, for definitions, comments, xrefs and
union restrictions (which the model gives no ``meta``), in property values
beside them.

Examples
--------
>>> from kgtools.ontology import Ontology
>>> onto = Ontology.load()
>>> terms = graph_terms(onto.graph)
>>> terms["CCUT:0001004"]["name"]
'calciphylaxis'
>>> sorted(terms["CCUT:0001004"]["is_a"])
['CCUT:0001001']
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from kgtools.io import atomic_folder, write_atomic
from kgtools.ontology import CCUT, IAO_DEFINITION, OBO, OBOINOWL, SYNONYM_PROPERTIES, Ontology, load_prefixes
from kgtools.provenance import EVIDENCE, HEDGE, QUALIFIED_STATEMENT
from kgtools.vocabulary import OWL as _OWL, RDF as _RDF, RDFS as _RDFS

if TYPE_CHECKING:  # typed without importing rdflib, fastobo or obographs when the module loads
    import rdflib
    from fastobo.doc import OboDoc
    from obographs.model import GraphDocument
    from rdflib.term import Node

#: Release variants: file-name suffix -> ontology IRI file name.
VARIANTS = {"": "ccut.owl", "-full": "ccut-full.owl", "-base": "ccut-base.owl"}
#: Release formats: file extension -> what it is.
FORMATS = {
    "owl": "OWL 2, RDF/XML",
    "ttl": "OWL 2, Turtle",
    "obo": "OBO 1.4",
    "json": "OBO Graphs JSON",
    "jsonld": "JSON-LD with a @context of the project prefixes",
}
_DCTERMS = "http://purl.org/dc/terms/"
_SCOPES = {"exact": "EXACT", "related": "RELATED", "broad": "BROAD", "narrow": "NARROW"}
_OBOGRAPH_SYNONYM = {"exact": "hasExactSynonym", "related": "hasRelatedSynonym", "broad": "hasBroadSynonym",
                     "narrow": "hasNarrowSynonym"}


# ---------------------------------------------------------------- variants
def _is_project(node) -> bool:
    return str(node).startswith(CCUT)


def variant_graph(graph: rdflib.Graph, variant: str = "") -> rdflib.Graph:
    """The graph of one release variant (``""``, ``"-full"`` or ``"-base"``), with its ontology and version IRIs.

    The base variant drops every statement about an external named entity
    except its declaration, and the axiom annotations of those statements.
    Every class and property the variant uses is declared (OWL 2 DL asks for
    it): the header's ``dcterms`` properties, for one.

    Examples
    --------
    >>> from kgtools.ontology import Ontology
    >>> g = Ontology.load().graph
    >>> base = variant_graph(g, "-base")
    >>> from rdflib import URIRef, RDFS
    >>> skin = URIRef("http://purl.obolibrary.org/obo/UBERON_0002097")
    >>> g.value(skin, RDFS.label) is not None, base.value(skin, RDFS.label) is None
    (True, True)
    """
    import rdflib
    from rdflib import OWL, RDF, URIRef

    from kgtools.ontology import oxigraph_triples
    from kgtools.serialize import missing_declarations

    if variant not in VARIANTS:
        raise ValueError(f"unknown variant {variant!r}")
    result = rdflib.Graph()
    for prefix, namespace in graph.namespaces():
        result.bind(prefix, namespace, override=True)
    header = next(iter(graph.subjects(RDF.type, OWL.Ontology)), None)
    dropped_axioms = set()
    if variant == "-base":
        for axiom in graph.subjects(RDF.type, OWL.Axiom):
            source = graph.value(axiom, OWL.annotatedSource)
            if isinstance(source, URIRef) and not _is_project(source) and source != header:
                dropped_axioms.add(axiom)
    new_header = URIRef(OBO + "ccut/" + VARIANTS[variant]) if variant else header
    for s, p, o in graph:
        if variant == "-base":
            if s in dropped_axioms:
                continue
            if isinstance(s, URIRef) and s != header and not _is_project(s) and p != RDF.type:
                continue
        if s == header:
            s = new_header  # type: ignore[assignment]  # the header exists when a subject equals it
            if p == OWL.versionIRI and variant:
                o = URIRef(str(o).rsplit("/", 1)[0] + "/" + VARIANTS[variant])
        result.add((s, p, o))
    for declaration in missing_declarations(oxigraph_triples(result)):
        subject, predicate, obj = (URIRef(term.value) for term in declaration)
        result.add((subject, predicate, obj))
    return result


# ---------------------------------------------------------------- reading the graph
def _axiom_annotations(graph) -> dict:
    """(source, property, target) -> [(annotation property IRI, value)] from the owl:Axiom reifications."""
    from rdflib import OWL, RDF

    skip = {RDF.type, OWL.annotatedSource, OWL.annotatedProperty, OWL.annotatedTarget}
    found: dict = {}
    for axiom in graph.subjects(RDF.type, OWL.Axiom):
        key = (graph.value(axiom, OWL.annotatedSource), graph.value(axiom, OWL.annotatedProperty),
               graph.value(axiom, OWL.annotatedTarget))
        pairs = found.setdefault(key, [])
        pairs.extend((str(p), o) for p, o in graph.predicate_objects(axiom) if p not in skip)
    for pairs in found.values():
        # Source lines in numeric order, the rest as text.
        pairs.sort(key=lambda pair: (pair[0], getattr(pair[1], "value", None) if isinstance(
            getattr(pair[1], "value", None), int) else -1, str(pair[1])))
    return found


def _frames(graph, kinds=("class", "property", "individual")):
    """Per named entity, what OBO and OBO Graphs carry of it (with the provenance of each piece).

    Yields dicts: iri, kind, name, definition (text, annotations), comments [(text, annotations)],
    synonyms [(text, scope, annotations)], xrefs [(xref, annotations)], is_a [(iri, annotations)],
    relationships [(property, filler, annotations)], unions [(property, [member], annotations)] (``R some
    (A or B)``), types [iri], metadata_tag (annotation property).
    """
    from rdflib import OWL, RDF, RDFS, BNode, URIRef

    annotations = _axiom_annotations(graph)
    label = lambda node: next((str(o) for o in graph.objects(node, RDFS.label)), None)  # noqa: E731
    definition_prop, xref_prop = URIRef(IAO_DEFINITION), URIRef(OBOINOWL + "hasDbXref")
    declared = [(OWL.Class, "class"), (OWL.ObjectProperty, "property"), (OWL.AnnotationProperty, "property"),
                (OWL.NamedIndividual, "individual")]
    seen = set()
    for type_, kind in declared:
        if kind not in kinds:
            continue
        for node in sorted(s for s in graph.subjects(RDF.type, type_) if isinstance(s, URIRef)):
            name = label(node)
            if node in seen or (name is None and not _is_project(node)):
                continue  # an external entity only declared (base variant): obo_owl_axioms declares the classes
            seen.add(node)
            ann = lambda p, o, node=node: annotations.get((node, p, o), [])  # noqa: E731
            frame = {
                "iri": str(node), "kind": kind, "name": name,
                "metadata_tag": type_ == OWL.AnnotationProperty,
                "definition": None,
                "comments": sorted((str(c), ann(RDFS.comment, c)) for c in graph.objects(node, RDFS.comment)),
                "synonyms": [], "xrefs": [], "is_a": [], "relationships": [], "unions": [],
                "types": sorted(str(t) for t in graph.objects(node, RDF.type)
                                if isinstance(t, URIRef) and not str(t).startswith(_OWL)),
            }
            value = graph.value(node, definition_prop)
            if value is not None:
                frame["definition"] = (str(value), ann(definition_prop, value))
            frame["name_annotations"] = ann(RDFS.label, graph.value(node, RDFS.label))
            for prop, scope in SYNONYM_PROPERTIES.items():
                for text in graph.objects(node, URIRef(prop)):
                    frame["synonyms"].append((str(text), scope, ann(URIRef(prop), text)))
            for xref in graph.objects(node, xref_prop):
                frame["xrefs"].append((str(xref), ann(xref_prop, xref)))
            parent_prop = RDFS.subPropertyOf if kind == "property" else RDFS.subClassOf
            for parent in graph.objects(node, parent_prop):
                if isinstance(parent, URIRef):
                    frame["is_a"].append((str(parent), ann(parent_prop, parent)))
                elif isinstance(parent, BNode) and (parent, RDF.type, OWL.Restriction) in graph:
                    prop, filler = graph.value(parent, OWL.onProperty), graph.value(parent, OWL.someValuesFrom)
                    if isinstance(prop, URIRef) and isinstance(filler, URIRef):
                        frame["relationships"].append((str(prop), str(filler), ann(parent_prop, parent)))
                    elif isinstance(prop, URIRef) and graph.value(filler, OWL.unionOf) is not None:
                        members = sorted(str(m) for m in graph.items(graph.value(filler, OWL.unionOf)))
                        frame["unions"].append((str(prop), members, ann(parent_prop, parent)))
            for key in ("synonyms", "xrefs", "is_a", "relationships", "unions"):
                frame[key].sort(key=lambda item: item[:-1])
            yield frame


def graph_terms(graph: rdflib.Graph) -> dict:
    """What the OBO form must carry of a graph: per class and relation CURIE, its name, definition,
    synonyms, xrefs, is_a parents and relationships (``R some C``, named ``C``).

    The same summary is read back from OBO (:func:`obo_terms`) and OBO Graphs
    JSON (:func:`obograph_terms`), so a round trip is checked by equality.

    Examples
    --------
    >>> from kgtools.ontology import Ontology
    >>> t = graph_terms(Ontology.load().graph)["CCUT:0001000"]
    >>> ("RO:0004026", "UBERON:0002097") in t["relationships"], "HP:0025520" in t["xrefs"]
    (True, True)
    """
    curie = _curie_function()
    return {curie(f["iri"]): {
        "name": f["name"],
        "definition": f["definition"][0] if f["definition"] else None,
        "synonyms": {(text, scope) for text, scope, _ in f["synonyms"]},
        "xrefs": {x for x, _ in f["xrefs"]},
        "is_a": {curie(p) for p, _ in f["is_a"]},
        "relationships": {(curie(p), curie(o)) for p, o, _ in f["relationships"]},
    } for f in _frames(graph, kinds=("class", "property"))}


def obo_owl_axioms(graph: rdflib.Graph) -> str:
    """The axioms of a graph that OBO frames have no clause for, in OWL functional syntax: the OBO ``owl-axioms``.

    They are the declarations of the external classes that have no frame
    (only declared, in the base variant), the named individuals (the hedges:
    declaration, types, labels, definitions), the qualified statements
    (anonymous individuals with their annotations) and the ``R some (A or
    B)`` restrictions, with the provenance annotations of each axiom.
    OWLAPI's OBO parser adds them to the ontology it reads, as it does for
    the ``owl-axioms`` its OBO writer leaves. Functional syntax is written
    here for these four shapes only (py-horned-owl, which writes it, drops
    anonymous individuals, the qualified statements).

    Examples
    --------
    >>> from kgtools.ontology import Ontology
    >>> text = obo_owl_axioms(Ontology.load().graph)
    >>> text.startswith("Ontology(") and "ObjectUnionOf(" in text
    True
    >>> text.count("ClassAssertion(<http://purl.obolibrary.org/obo/CCUT_0000090> _:")
    10
    """
    from rdflib import OWL, RDF, RDFS, BNode, URIRef

    def term(node) -> str:
        if isinstance(node, URIRef):
            return f"<{node}>"
        if isinstance(node, BNode):
            return f"_:{blank.setdefault(node, f'b{len(blank)}')}"
        text = '"' + str(node).replace("\\", "\\\\").replace('"', '\\"') + '"'
        if node.language:
            return f"{text}@{node.language}"
        return text if node.datatype is None else f"{text}^^<{node.datatype}>"

    def annotated(kind: str, node: Node, prop: Node, target: Node, *parts: str) -> str:
        pairs = annotations.get((node, prop, target), [])
        return f"{kind}({''.join(f'Annotation(<{p}> {term(v)}) ' for p, v in pairs)}{' '.join(parts)})"

    def value_sort(item: tuple[Node, Node]) -> tuple[str, str, str]:
        return (str(item[0]), type(item[1]).__name__, str(item[1]))

    annotations = _axiom_annotations(graph)
    blank: dict = {}
    # External classes only declared (base variant) have no frame: a bare [Term] would get OWLAPI's oboInOwl:id
    # and so need a label. Declared here, OWLAPI reads the same classes as from the .owl.
    lines = [f"Declaration(Class({term(c)}))" for c in sorted(graph.subjects(RDF.type, OWL.Class))  # type: ignore[type-var]
             if isinstance(c, URIRef) and not _is_project(c) and graph.value(c, RDFS.label) is None]
    individuals = sorted(s for s in graph.subjects(RDF.type, OWL.NamedIndividual) if isinstance(s, URIRef))
    for individual in individuals:
        lines.append(f"Declaration(NamedIndividual({term(individual)}))")
        for prop, value in sorted(graph.predicate_objects(individual), key=value_sort):
            if prop == RDF.type and value != OWL.NamedIndividual:
                lines.append(annotated("ClassAssertion", individual, prop, value, term(value), term(individual)))
            elif prop != RDF.type:
                lines.append(annotated("AnnotationAssertion", individual, prop, value, term(prop), term(individual),
                                       term(value)))
    statements = sorted(graph.subjects(RDF.type, URIRef(QUALIFIED_STATEMENT)),
                        key=lambda node: sorted(str(o) for o in graph.objects(node)))
    for statement in statements:
        lines.append(f"ClassAssertion({term(URIRef(QUALIFIED_STATEMENT))} {term(statement)})")
        for prop, value in sorted(graph.predicate_objects(statement), key=value_sort):
            if prop != RDF.type:
                lines.append(f"AnnotationAssertion({term(prop)} {term(statement)} {term(value)})")
    unions = []
    for cls, restriction in graph.subject_objects(RDFS.subClassOf):
        filler = graph.value(restriction, OWL.someValuesFrom) if isinstance(restriction, BNode) else None
        members = graph.value(filler, OWL.unionOf) if isinstance(filler, BNode) else None
        if members is not None and isinstance(cls, URIRef):
            union = f"ObjectUnionOf({' '.join(sorted(term(m) for m in graph.items(members)))})"
            some = f"ObjectSomeValuesFrom({term(graph.value(restriction, OWL.onProperty))} {union})"
            unions.append((str(cls), some, annotated("SubClassOf", cls, RDFS.subClassOf, restriction, term(cls), some)))
    lines += [line for _, _, line in sorted(unions)]
    return "Ontology(\n" + "".join(f"{line}\n" for line in lines) + ")"


def _curie_function():
    from kgtools.ontology import converter

    conv = converter()
    return lambda iri: conv.compress(str(iri)) or str(iri)


# ---------------------------------------------------------------- OBO
def obo_data_version(ontology_iri: str, version_iri: str) -> str:
    """The OBO ``data-version`` of a version IRI, as OWLAPI's OBO writer derives it (and its parser reads it back).

    OWLAPI reads ``ontology: ID`` with ``data-version: V`` as the version IRI
    ``obo/ID/V/ID.owl``: for the main file the PURL-style version IRI comes
    back whole. For a variant (``ccut/ccut-full``) no data-version gives
    back the PURL-style IRI (the ID would be in it twice); there the
    data-version is what OWLAPI's writer (and ROBOT, and the ODK) writes.

    Examples
    --------
    >>> obo_data_version(OBO + "ccut.owl", OBO + "ccut/releases/2026-11-25/ccut.owl")
    'releases/2026-11-25'
    >>> obo_data_version(OBO + "ccut/ccut-full.owl", OBO + "ccut/releases/2026-11-25/ccut-full.owl")
    'ccut/releases/2026-11-25/ccut-full.owl'
    """
    ident = obo_ontology_id(ontology_iri)
    version = version_iri.removeprefix(OBO).replace(ident + "/", "", 1)
    return version.replace("/" + ident + ".owl", "")


def obo_ontology_id(ontology_iri: str) -> str:
    """The OBO ``ontology`` header value of an ontology IRI (OWLAPI's mapping: the PURL path without ``.owl``).

    Examples
    --------
    >>> obo_ontology_id(OBO + "ccut.owl"), obo_ontology_id(OBO + "ccut/ccut-base.owl")
    ('ccut', 'ccut/ccut-base')
    """
    ident = ontology_iri.removeprefix(OBO) if ontology_iri.startswith(OBO) else ontology_iri
    return ident.removesuffix(".owl")


def obo_document(graph: rdflib.Graph) -> OboDoc:
    """The OBO 1.4 document (a :class:`fastobo.doc.OboDoc`) of a graph: one frame per class and relation.

    The header has the ontology's title, description, licence and version
    as ``property_value`` clauses, and the axioms no frame can hold as
    ``owl-axioms`` (:func:`obo_owl_axioms`).

    Examples
    --------
    >>> from kgtools.ontology import Ontology
    >>> text = str(obo_document(Ontology.load().graph))
    >>> "[Term]\\nid: CCUT:0001004\\nname: calciphylaxis" in text
    True
    >>> "property_value: http://purl.org/dc/terms/description " in text
    True
    >>> import fastobo
    >>> len(fastobo.loads(text)) > 100
    True
    """
    import fastobo
    from fastobo.doc import OboDoc
    from fastobo.header import (DataVersionClause, FormatVersionClause, HeaderFrame, OntologyClause, OwlAxiomsClause,
                                RemarkClause)
    from fastobo.header import PropertyValueClause as HeaderPropertyValue
    from fastobo.id import PrefixedIdent, Url
    from fastobo.pv import LiteralPropertyValue, ResourcePropertyValue
    from fastobo.syn import Synonym
    from fastobo.xref import Xref, XrefList
    from rdflib import OWL, RDF, URIRef

    curie = _curie_function()

    def ident(iri: str) -> PrefixedIdent | Url:
        compact = curie(iri)
        if compact != iri:
            prefix, local = compact.split(":", 1)
            return PrefixedIdent(prefix, local)
        return Url(iri)

    def supporting(annotations: Iterable[tuple[str, Node]]) -> XrefList:
        """The evidence and hedge CURIEs of an axiom, as the xref list of a definition or synonym."""
        found = sorted({curie(v) for p, v in annotations if p in (EVIDENCE, HEDGE)})
        return XrefList([Xref(ident(compact) if ":" in compact else Url(compact)) for compact in found])

    header_node = next(iter(graph.subjects(RDF.type, OWL.Ontology)), None)
    ontology_iri = str(header_node) if header_node is not None else OBO + "ccut.owl"
    clauses = [FormatVersionClause("1.4")]
    version_iri = graph.value(header_node, OWL.versionIRI) if header_node is not None else None
    if version_iri is not None:
        clauses.append(DataVersionClause(obo_data_version(ontology_iri, str(version_iri))))
    clauses.append(OntologyClause(obo_ontology_id(ontology_iri)))
    if header_node is not None:
        for prop in (URIRef(_DCTERMS + "title"), URIRef(_DCTERMS + "description"), URIRef(_DCTERMS + "license"),
                     OWL.versionInfo):
            for value in sorted(graph.objects(header_node, prop)):  # type: ignore[type-var]  # rdflib terms sort
                if isinstance(value, URIRef):
                    pv = ResourcePropertyValue(Url(str(prop)), Url(str(value)))
                else:
                    pv = LiteralPropertyValue(Url(str(prop)), str(value), PrefixedIdent("xsd", "string"))
                clauses.append(HeaderPropertyValue(pv))
    clauses.append(RemarkClause("The evidence and hedge of definitions and synonyms are their xrefs. The hedge "
                                "individuals, the qualified statements and the restrictions with a union filler are in "
                                "owl-axioms. The source line and quote of every axiom are in the OWL release."))
    clauses.append(OwlAxiomsClause(obo_owl_axioms(graph)))
    entities = []
    for frame in _frames(graph, kinds=("class", "property")):
        module = fastobo.typedef if frame["kind"] == "property" else fastobo.term
        body = []
        if frame["name"] is not None:
            body.append(module.NameClause(frame["name"]))
        if frame["metadata_tag"]:
            body.append(module.IsMetadataTagClause(True))
        if frame["definition"]:
            text, annotations = frame["definition"]
            body.append(module.DefClause(text, supporting(annotations)))
        body += [module.CommentClause(comment) for comment, _ in frame["comments"]]
        body += [module.SynonymClause(Synonym(text, _SCOPES[scope], xrefs=supporting(annotations)))
                 for text, scope, annotations in frame["synonyms"]]
        for xref, _ in frame["xrefs"]:
            prefix, _, local = xref.partition(":")
            body.append(module.XrefClause(Xref(PrefixedIdent(prefix, local) if local else Url(xref))))
        body += [module.IsAClause(ident(parent)) for parent, _ in frame["is_a"]]
        body += [module.RelationshipClause(ident(prop), ident(filler)) for prop, filler, _ in frame["relationships"]]
        frame_type = fastobo.typedef.TypedefFrame if frame["kind"] == "property" else fastobo.term.TermFrame
        entities.append(frame_type(ident(frame["iri"]), body))
    return OboDoc(HeaderFrame(clauses), entities)


def obo_terms(doc: OboDoc) -> dict:
    """The :func:`graph_terms` summary of a parsed OBO document (:func:`fastobo.load`).

    Examples
    --------
    >>> import fastobo
    >>> doc = fastobo.loads('format-version: 1.4\\nontology: x\\n\\n[Term]\\nid: X:1\\nname: a\\nis_a: X:2\\n')
    >>> obo_terms(doc)["X:1"]["is_a"]
    {'X:2'}
    """
    import fastobo

    terms = {}
    for frame in doc:
        entry: dict = {"name": None, "definition": None, "synonyms": set(), "xrefs": set(), "is_a": set(),
                 "relationships": set()}
        for clause in frame:
            kind = type(clause).__name__
            if kind == "NameClause":
                entry["name"] = clause.name
            elif kind == "DefClause":
                entry["definition"] = clause.definition
            elif kind == "SynonymClause":
                scope = clause.synonym.scope.lower()
                entry["synonyms"].add((clause.synonym.desc, scope))
            elif kind == "XrefClause":
                entry["xrefs"].add(str(clause.xref.id))
            elif kind == "IsAClause":
                entry["is_a"].add(str(clause.typedef if isinstance(frame, fastobo.typedef.TypedefFrame) else clause.term))
            elif kind == "RelationshipClause":
                entry["relationships"].add((str(clause.typedef), str(clause.term)))
        terms[str(frame.id)] = entry
    return terms


# ---------------------------------------------------------------- OBO Graphs
def obograph_document(graph: rdflib.Graph) -> GraphDocument:
    """The OBO Graphs document (:class:`obographs.GraphDocument`) of a graph.

    Classes, relations and individuals become nodes (IRIs as ids, as OBO
    Graphs do); ``is_a``, ``R some C`` and individuals' types become edges,
    with the axiom provenance in each edge's ``meta``.

    Examples
    --------
    >>> from kgtools.ontology import Ontology
    >>> doc = obograph_document(Ontology.load().graph)
    >>> doc.graphs[0].meta.version.endswith("/ccut.owl")
    True
    """
    from obographs.model import Definition, Edge, Graph, GraphDocument, Meta, Node, Property, Synonym, Xref
    from rdflib import OWL, RDF, URIRef

    curie = _curie_function()

    def meta_of(annotations: list[tuple[str, Node]]) -> Meta | None:
        if not annotations:
            return None
        return Meta(basicPropertyValues=[Property(pred=p, val=curie(v) if isinstance(v, URIRef) else str(v))
                                         for p, v in annotations])

    def provenance_values(frame: dict) -> list[Property] | None:
        """The annotated axioms of a node's own fields (definition, comments, xrefs, union restrictions), as
        property values whose meta holds the provenance: the obographs model has no meta on those fields."""
        values = []
        if frame["definition"] and frame["definition"][1]:
            values.append(Property(pred=IAO_DEFINITION, val=frame["definition"][0],
                                   meta=meta_of(frame["definition"][1])))
        values += [Property(pred=_RDFS + "comment", val=text, meta=meta_of(a)) for text, a in frame["comments"] if a]
        values += [Property(pred=OBOINOWL + "hasDbXref", val=x, meta=meta_of(a)) for x, a in frame["xrefs"] if a]
        # OBO Graphs has no edge for R some (A or B): the axiom is written in Manchester syntax, with CURIEs.
        values += [Property(pred=_RDFS + "subClassOf", val=f"{curie(p)} some ({' or '.join(map(curie, members))})",
                            meta=meta_of(a)) for p, members, a in frame["unions"]]
        return values or None

    nodes, edges = [], []
    for frame in _frames(graph):
        meta = Meta(
            definition=Definition(val=frame["definition"][0], xrefs=[]) if frame["definition"] else None,
            comments=[text for text, _ in frame["comments"]] or None,
            synonyms=[Synonym(pred=_OBOGRAPH_SYNONYM[scope], val=text, meta=meta_of(a))  # type: ignore[call-arg, arg-type]
                      for text, scope, a in frame["synonyms"]] or None,
            xrefs=[Xref(val=x) for x, _ in frame["xrefs"]] or None,
            basicPropertyValues=provenance_values(frame),
        )
        node_type = {"class": "CLASS", "property": "PROPERTY", "individual": "INDIVIDUAL"}[frame["kind"]]
        extra = {"propertyType": "ANNOTATION" if frame["metadata_tag"] else "OBJECT"} if frame["kind"] == "property" else {}
        nodes.append(Node(id=frame["iri"], lbl=frame["name"], type=node_type, meta=meta, **extra))  # type: ignore[arg-type]
        pred = "subPropertyOf" if frame["kind"] == "property" else "is_a"
        for parent, axiom_annotations in frame["is_a"]:
            edges.append(Edge(sub=frame["iri"], pred=pred, obj=parent, meta=meta_of(axiom_annotations)))
        for prop, filler, axiom_annotations in frame["relationships"]:
            edges.append(Edge(sub=frame["iri"], pred=prop, obj=filler, meta=meta_of(axiom_annotations)))
        if frame["kind"] == "individual":
            for type_ in frame["types"]:
                edges.append(Edge(sub=frame["iri"], pred=_RDF + "type", obj=type_))
    header = next(iter(graph.subjects(RDF.type, OWL.Ontology)), None)
    graph_meta = None
    if header is not None:
        version_iri = graph.value(header, OWL.versionIRI)
        values = [Property(pred=str(p), val=str(o)) for p, o in sorted(graph.predicate_objects(header))
                  if p not in (RDF.type, OWL.versionIRI)]
        graph_meta = Meta(version=str(version_iri) if version_iri else None, basicPropertyValues=values)
    return GraphDocument(graphs=[Graph(id=str(header) if header is not None else OBO + "ccut.owl", meta=graph_meta,
                                       nodes=nodes, edges=edges)])


def obograph_terms(document: GraphDocument) -> dict:
    """The :func:`graph_terms` summary of an OBO Graphs document (classes and relations).

    Examples
    --------
    >>> from obographs.model import GraphDocument
    >>> doc = GraphDocument.model_validate({"graphs": [{"id": "x", "nodes": [
    ...     {"id": "http://purl.obolibrary.org/obo/HP_0025520", "lbl": "Calcinosis cutis", "type": "CLASS"}]}]})
    >>> obograph_terms(doc)["HP:0025520"]["name"]
    'Calcinosis cutis'
    """
    curie = _curie_function()
    scopes = {pred: scope for scope, pred in _OBOGRAPH_SYNONYM.items()}
    terms = {}
    for graph in document.graphs:
        for node in graph.nodes or []:
            if node.type not in ("CLASS", "PROPERTY"):
                continue
            meta = node.meta
            terms[curie(node.id)] = {
                "name": node.lbl,
                "definition": meta.definition.val if meta and meta.definition else None,
                "synonyms": {(s.val, scopes[s.pred]) for s in (meta.synonyms or [])} if meta else set(),
                "xrefs": {x.val for x in (meta.xrefs or [])} if meta else set(),
                "is_a": set(), "relationships": set(),
            }
        for edge in graph.edges or []:
            entry = terms.get(curie(edge.sub))
            if entry is None or edge.pred == _RDF + "type":
                continue
            if edge.pred in ("is_a", "subPropertyOf"):
                entry["is_a"].add(curie(edge.obj))  # type: ignore[union-attr]  # a set
            else:
                entry["relationships"].add((curie(edge.pred), curie(edge.obj)))  # type: ignore[union-attr, arg-type]
    return terms


# ---------------------------------------------------------------- writing
def serialize(graph: rdflib.Graph, fmt: str) -> str:
    """One release file's text: ``fmt`` is a key of :data:`FORMATS`.

    Examples
    --------
    >>> from kgtools.ontology import Ontology
    >>> text = serialize(Ontology.load().graph, "jsonld")
    >>> '"@context"' in text and '"CCUT": "http://purl.obolibrary.org/obo/CCUT_"' in text
    True
    """
    if fmt in ("owl", "ttl", "jsonld"):
        from kgtools.ontology import oxigraph_triples
        from kgtools.serialize import serialize as write

        return write(oxigraph_triples(graph), fmt, dict(load_prefixes(), obo=OBO))
    if fmt == "obo":
        return str(obo_document(graph))
    if fmt == "json":
        return obograph_document(graph).model_dump_json(indent=2, exclude_none=True)
    raise ValueError(f"unknown release format {fmt!r}")


def file_name(variant: str, fmt: str) -> str:
    """The name of one release file: the ID space, the variant and the format's extension.

    Examples
    --------
    >>> file_name("", "owl"), file_name("-base", "obo")
    ('ccut.owl', 'ccut-base.obo')
    """
    return f"{VARIANTS[variant].removesuffix('.owl')}.{fmt}"


def release(onto: Ontology, out: str | Path, on_file: Callable[[str], object] | None = None) -> list[Path]:
    """Write every variant in every format into the folder ``out``; returns the files written.

    The folder appears whole or not at all: it is filled beside ``out`` and
    renamed into place, replacing an earlier release there.

    Examples
    --------
    >>> import tempfile
    >>> from kgtools.ontology import Ontology
    >>> files = release(Ontology.load(), tempfile.mkdtemp())
    >>> sorted(f.name for f in files)[:5]
    ['ccut-base.json', 'ccut-base.jsonld', 'ccut-base.obo', 'ccut-base.owl', 'ccut-base.ttl']
    >>> len(files)
    15
    """
    out = Path(out)
    names = []
    with atomic_folder(out) as folder:
        for variant in VARIANTS:
            graph = variant_graph(onto.graph, variant)
            for fmt in FORMATS:
                name = file_name(variant, fmt)
                if on_file:
                    on_file(name)
                write_atomic(folder / name, serialize(graph, fmt))
                names.append(name)
    return [out / name for name in names]


def isomorphic(graph1: rdflib.Graph, graph2: rdflib.Graph) -> bool:
    """Whether two graphs are the same up to blank node labels.

    Both graphs are canonicalised (W3C RDF Dataset Canonicalization, by
    Oxigraph) and compared as sets: milliseconds where
    :func:`rdflib.compare.isomorphic` takes seconds on this ontology.

    Examples
    --------
    >>> import rdflib
    >>> a = rdflib.Graph().parse(data="_:x <http://e/p> _:y . _:y <http://e/p> 'v' .", format="turtle")
    >>> b = rdflib.Graph().parse(data="_:m <http://e/p> _:n . _:n <http://e/p> 'v' .", format="turtle")
    >>> c = rdflib.Graph().parse(data="_:m <http://e/p> _:n . _:m <http://e/p> 'v' .", format="turtle")
    >>> isomorphic(a, b), isomorphic(a, c)
    (True, False)
    """
    import pyoxigraph as ox

    from kgtools.ontology import oxigraph_triples

    def canonical(graph: rdflib.Graph) -> set[str]:
        dataset = ox.Dataset(ox.Quad(t.subject, t.predicate, t.object) for t in oxigraph_triples(graph))
        dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
        return {str(quad) for quad in dataset}

    return len(graph1) == len(graph2) and canonical(graph1) == canonical(graph2)

"""Provenance: which source line, quote, evidence and hedge stand behind each axiom.

Every asserted axiom of the ontology is an ``owl:Axiom`` annotated with
``CCUT:0000001`` (source line), ``CCUT:0000002`` (source quote),
``CCUT:0000003`` (evidence, an ECO class) and, where the text has one,
``CCUT:0000004`` (hedge). Statements the text hedges as rare, uncertain or
rejected are *qualified statements* (``CCUT:0000090``) carrying the same
annotations. This module reads both, and measures how much of the source
text they cite.

Examples
--------
>>> from kgtools.ontology import Ontology
>>> report = coverage(Ontology.load())
>>> report.percent
100.0
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kgtools import resources
from kgtools.errors import InputError
from kgtools.vocabulary import CCUT, IAO_DEFINITION, OWL, RDF_TYPE, SYNONYM_PROPERTIES

if TYPE_CHECKING:  # typed without importing rdflib (or the ontology module) when the module loads
    from rdflib.term import Node

    from kgtools.ontology import Ontology

SOURCE_LINE = CCUT + "0000001"
SOURCE_QUOTE = CCUT + "0000002"
EVIDENCE = CCUT + "0000003"
HEDGE = CCUT + "0000004"
CURATOR_COMPLETION = CCUT + "0000005"
CURATION_NOTE = CCUT + "0000006"
STATEMENT_SUBJECT = CCUT + "0000007"
STATEMENT_RELATION = CCUT + "0000008"
STATEMENT_OBJECT = CCUT + "0000009"
QUALIFIED_STATEMENT = CCUT + "0000090"
HEDGE_CLASS = CCUT + "0000100"

_OWN_FIELDS = {IAO_DEFINITION, *SYNONYM_PROPERTIES}

STATED = "ECO:0000304"
CURATED = "ECO:0000305"
#: The figure marker of the source: a line holding only it carries no content.
FIGURE_MARKER = "\u25a1"


@dataclass(frozen=True)
class Citation:
    """One cited axiom or qualified statement.

    ``kind`` is ``"axiom"`` for an annotated OWL axiom and ``"statement"`` for
    a qualified statement; ``target`` is the axiom's target (a class IRI, a
    literal, or a blank node for a restriction) or the statement's object.
    """

    kind: str
    subject: str
    relation: str
    target: str
    lines: tuple[int, ...]
    quotes: tuple[str, ...]
    evidence: str | None
    hedge: str | None
    completion: str | None
    note: str | None


def citations(onto: Ontology) -> list[Citation]:
    """Every cited axiom and qualified statement of an :class:`~kgtools.ontology.Ontology`.

    The store's indexes give the nodes that cite a source line, then the
    annotations of each; a node that is both an ``owl:Axiom`` and a qualified
    statement gives one citation of each kind.

    Examples
    --------
    >>> from kgtools.ontology import Ontology
    >>> cited = citations(Ontology.load())
    >>> any(c.kind == "statement" and 61 in c.lines for c in cited)
    True
    """
    import pyoxigraph as ox

    fields = {
        "axiom": (OWL + "annotatedSource", OWL + "annotatedProperty", OWL + "annotatedTarget"),
        "statement": (STATEMENT_SUBJECT, STATEMENT_RELATION, STATEMENT_OBJECT),
    }
    types = {OWL + "Axiom": "axiom", QUALIFIED_STATEMENT: "statement"}
    wanted = {RDF_TYPE, SOURCE_LINE, SOURCE_QUOTE, EVIDENCE, HEDGE, CURATOR_COMPLETION, CURATION_NOTE,
              *fields["axiom"], *fields["statement"]}
    # Straight from the store's indexes: the few nodes that cite a line, then what each says.
    store = onto.store
    default = ox.DefaultGraph()
    nodes = dict.fromkeys(q.subject for q in store.quads_for_pattern(None, ox.NamedNode(SOURCE_LINE), None, default))
    annotations: dict = {}
    for node in nodes:
        values = annotations[node] = {}
        for quad in store.quads_for_pattern(node, None, None, default):
            if quad.predicate.value in wanted:
                values.setdefault(quad.predicate.value, []).append(quad.object)

    def one(values: dict, prop: str) -> str | None:
        found = sorted(v.value for v in values.get(prop, ()))
        return found[0] if found else None

    found = []
    for values in annotations.values():
        for kind in sorted({types[t.value] for t in values.get(RDF_TYPE, ()) if t.value in types}):
            subject, relation, target = (one(values, prop) for prop in fields[kind])
            evidence = one(values, EVIDENCE)
            found.append(Citation(kind, str(subject), str(relation), str(target),
                                  tuple(sorted(int(v.value) for v in values[SOURCE_LINE])),
                                  tuple(sorted(v.value for v in values.get(SOURCE_QUOTE, ()))),
                                  onto.curie(evidence) if evidence else None, one(values, HEDGE),
                                  one(values, CURATOR_COMPLETION), one(values, CURATION_NOTE)))
    return sorted(found, key=lambda c: (c.lines, c.kind, c.subject, c.relation, c.target))


def read_source(path: str | Path | None = None) -> list[str]:
    """The lines of the source text (the packaged one by default), without line ends."""
    path = Path(path) if path else resources.source_path()
    try:
        return path.read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError as err:
        raise InputError(f"{path}: not UTF-8 text (byte {err.start})") from None
    except OSError as err:
        raise InputError(f"{path}: cannot read ({err.strerror})") from None


def is_content(line: str) -> bool:
    """Whether a source line carries content: not blank, and not only a figure marker.

    Examples
    --------
    >>> is_content("## Calcinosis Cutis"), is_content("  "), is_content("\u25a1")
    (True, False, False)
    """
    return bool(line.strip()) and line.strip() != FIGURE_MARKER


@dataclass(frozen=True)
class LineCoverage:
    """How one source line is cited."""

    number: int
    text: str
    content: bool
    axioms: int
    statements: int

    @property
    def cited(self) -> bool:
        return self.axioms + self.statements > 0


@dataclass(frozen=True)
class CoverageReport:
    """Per-line citation counts over the source text."""

    lines: tuple[LineCoverage, ...]

    @property
    def content_lines(self) -> list[LineCoverage]:
        return [line for line in self.lines if line.content]

    @property
    def uncited(self) -> list[LineCoverage]:
        return [line for line in self.content_lines if not line.cited]

    @property
    def percent(self) -> float:
        content = self.content_lines
        return round(100.0 * (len(content) - len(self.uncited)) / len(content), 1) if content else 100.0

    def as_dict(self) -> dict:
        return {
            "percent": self.percent,
            "content_lines": len(self.content_lines),
            "uncited": [line.number for line in self.uncited],
            "lines": [
                {"line": line.number, "content": line.content, "axioms": line.axioms, "statements": line.statements,
                 "text": line.text}
                for line in self.lines
            ],
        }


def coverage(onto: Ontology, source: str | Path | None = None) -> CoverageReport:
    """Which content lines of the source text the ontology cites, and how often.

    Examples
    --------
    >>> from kgtools.ontology import Ontology
    >>> report = coverage(Ontology.load())
    >>> [l.number for l in report.uncited]
    []
    """
    text = read_source(source)
    axioms = [0] * (len(text) + 1)
    statements = [0] * (len(text) + 1)
    for citation in citations(onto):
        counter = axioms if citation.kind == "axiom" else statements
        for number in citation.lines:
            if 1 <= number <= len(text):
                counter[number] += 1
    return CoverageReport(tuple(
        LineCoverage(n, line, is_content(line), axioms[n], statements[n]) for n, line in enumerate(text, start=1)
    ))


@dataclass(frozen=True)
class Claim:
    """A cited axiom or qualified statement about one entity, in words."""

    relation: str
    target: str
    hedge: str | None
    asserted: bool
    lines: tuple[int, ...]
    evidence: str | None

    def as_dict(self) -> dict:
        return {"relation": self.relation, "target": self.target, "hedge": self.hedge, "asserted": self.asserted,
                "lines": list(self.lines), "evidence": self.evidence}


def claims_about(onto: Ontology, iri: str) -> list[Claim]:
    """What the ontology says of an entity, each claim with its hedge and source lines.

    Class axioms and cited comments are included (the definition and synonyms
    are the entity's own fields); qualified statements come with ``asserted=False``.

    Examples
    --------
    >>> from kgtools.ontology import Ontology
    >>> onto = Ontology.load()
    >>> [(c.relation, c.target, c.hedge) for c in claims_about(onto, onto.lookup("calcinosis universalis").iri)
    ...  if c.relation == "occurs in patients with"]
    [('occurs in patients with', 'dermatomyositis', 'as a rule')]
    """
    from rdflib import OWL, RDFS, BNode, URIRef

    graph = onto.graph

    def name(node: Node | None) -> str:
        if isinstance(node, URIRef):
            return onto.label(node) or onto.curie(node)
        if isinstance(node, BNode):
            members = graph.value(node, OWL.unionOf)
            if members is not None:
                return " or ".join(name(m) for m in graph.items(members))
        return str(node)

    found = []
    for citation in citations(onto):
        if citation.subject != str(iri) or citation.relation in _OWN_FIELDS:
            continue
        relation, target = onto.label(citation.relation) or onto.curie(citation.relation), citation.target
        node: Node | None = BNode(target) if not target.startswith(("http://", "https://")) else URIRef(target)
        restriction_property = graph.value(node, OWL.onProperty) if isinstance(node, BNode) else None
        if restriction_property is not None:
            relation, node = name(restriction_property), graph.value(node, OWL.someValuesFrom)
        elif citation.relation == str(RDFS.subClassOf):
            relation = "is a"
        target_text = name(node) if isinstance(node, URIRef) or restriction_property is not None else target
        found.append(Claim(relation, target_text, onto.label(citation.hedge) if citation.hedge else None,
                           citation.kind == "axiom", citation.lines, citation.evidence))
    return found

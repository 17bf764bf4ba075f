"""Merge the ontology into larger ontologies (HPO, MONDO, DOID, UBERON), with a report.

Inputs are OWL (RDF/XML, Turtle, N-Triples) or OBO, read by
:func:`kgtools.exchange.external.read_triples`. The merge works on Oxigraph triples,
not an rdflib graph, so that the full HPO (330,000 triples) merges in seconds:

1. every input is read, each file's blank nodes kept apart;
2. the other inputs' triples are kept exactly as they are written. Only on
   request (``normalize_prefixes``) are cross-reference CURIEs written with a
   synonym of a prefix of the project's map (``SNOMEDCT_US:``, ``ORPHA:``...)
   rewritten to its preferred prefix, and ``https`` OBO PURLs to ``http``;
3. the project's exact mappings (``skos:exactMatch`` on a cross-reference)
   whose target is a class of another input unify the two terms: an
   ``owl:equivalentClass`` axiom is added, or, on request, the project IRI is
   replaced by the target's;
4. every class and property the merged ontology uses and no input declares
   is declared (OWL 2 DL asks for it; OBO files converted to OWL use the
   oboInOwl and dc properties undeclared);
5. the project's annotation model, "qualified statement" and "hedge" with
   the hedge kinds, the hedge individuals and the qualified statements, is
   left out unless asked for (:func:`annotation_model`): it records how the source text
   hedges a claim, it is no disease, phenotype or process, and it would be
   two new top-level classes in the merged hierarchy. The provenance of the
   project's axioms still names each hedge by its IRI, which the CCUT
   release defines; the shapes check the project terms with it;
6. the report lists the terms added, unified and left out, label clashes,
   conflicting parents, dangling references, obsolete targets, and accounts
   for every input triple: it is in the output as it was, or rewritten by
   step 2 or 3, or left out by step 5.

Examples
--------
>>> from kgtools.ontology import Ontology
>>> from kgtools.resources import example_path
>>> result = merge(Ontology.load(), [example_path("hp_calcinosis.obo")])
>>> ("CCUT:0001000", "HP:0025520") in [(u["project"], u["target"]) for u in result.report["terms unified"]]
True
>>> result.report["accounting"]["lost"], result.report["accounting"]["per input"][1]["rewritten"]
(0, 0)
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from kgtools.errors import InputError
from kgtools.exchange.align import normalise
from kgtools.exchange.external import normalise_curie, read_triples
from kgtools.ontology import CCUT, OBO, OBOINOWL, Ontology, load_prefixes
from kgtools.provenance import HEDGE_CLASS, QUALIFIED_STATEMENT
from kgtools.vocabulary import OWL as _OWL, RDF_TYPE as _RDF_TYPE, RDFS as _RDFS

if TYPE_CHECKING:  # typed without importing pyoxigraph when the module loads
    import pyoxigraph as ox

UNIFY = ("exact", "none")
#: Formats the merged ontology can be written in, by file extension.
OUTPUT_FORMATS = ("owl", "ttl", "nt")
_LABEL, _SUBCLASS = _RDFS + "label", _RDFS + "subClassOf"
_DEPRECATED, _EQUIVALENT, _CLASS = _OWL + "deprecated", _OWL + "equivalentClass", _OWL + "Class"
_XREF = OBOINOWL + "hasDbXref"
_SOME, _ON_PROPERTY = _OWL + "someValuesFrom", _OWL + "onProperty"
_REFERENCING = (_SUBCLASS, _EQUIVALENT, _SOME, _OWL + "allValuesFrom")


@dataclass
class MergeResult:
    """The merged triples (Oxigraph), the report (plain data for JSON) and the text of the report."""

    triples: list
    report: dict
    project_triples: list = field(default_factory=list, repr=False)
    unified_targets: list = field(default_factory=list, repr=False)
    left_out: list = field(default_factory=list, repr=False)

    def serialize(self, fmt: str = "owl") -> bytes:
        """The merged ontology as RDF/XML (``owl``), Turtle (``ttl``) or N-Triples (``nt``), by
        :mod:`kgtools.serialize`: the same merge always gives the same bytes.

        Examples
        --------
        >>> from kgtools.ontology import Ontology
        >>> from kgtools.resources import example_path
        >>> r = merge(Ontology.load(), [example_path("hp_calcinosis.obo")])
        >>> r.serialize("nt").count(b" .\\n") == len(r.triples)
        True
        """
        from kgtools.serialize import serialize

        if fmt not in OUTPUT_FORMATS:
            raise InputError(f"unknown output format {fmt!r} (expected one of {', '.join(OUTPUT_FORMATS)})")
        return serialize(self.triples, fmt, dict(load_prefixes(), obo=OBO)).encode("utf-8")

    def write(self, output: str | Path | None = None, report: str | Path | None = None) -> None:
        """Write the merged ontology to ``output`` (in the format of its extension, :func:`output_format`) and the
        report as JSON to ``report``: both whole, and both or neither (:func:`kgtools.io.write_atomic_together`).

        Examples
        --------
        >>> import json, tempfile, pathlib
        >>> from kgtools.ontology import Ontology
        >>> from kgtools.resources import example_path
        >>> folder = pathlib.Path(tempfile.mkdtemp())
        >>> merge(Ontology.load(), [example_path("hp_calcinosis.obo")]).write(folder / "m.ttl", folder / "r.json")
        >>> json.loads((folder / "r.json").read_text())["accounting"]["lost"]
        0
        """
        import json

        from kgtools.io import write_atomic_together

        files: dict = {}
        if output:
            files[output] = self.serialize(output_format(output))
        if report:
            files[report] = json.dumps(self.report, indent=2, ensure_ascii=False) + "\n"
        write_atomic_together(files)

    def text(self) -> str:
        """The report as readable text (:func:`report_text`)."""
        return report_text(self.report)

    @property
    def passed(self) -> bool:
        """No input triple lost and, when :func:`check` ran, consistent with the project terms conforming.

        Examples
        --------
        >>> MergeResult([], {"accounting": {"lost": 0}, "check details": {"shapes": {"conforms": False}}}).passed
        False
        """
        details = self.report.get("check details", {})
        return (self.report["accounting"]["lost"] == 0 and details.get("consistency", {}).get("consistent", True)
                and details.get("shapes", {}).get("conforms", True))


def output_format(path: str | Path) -> str:
    """The format the merged ontology is written in to ``path``, by its extension (one of :data:`OUTPUT_FORMATS`).

    Examples
    --------
    >>> output_format("merged.OWL")
    'owl'
    >>> output_format("merged.csv")
    Traceback (most recent call last):
    ...
    kgtools.errors.InputError: unknown output format 'csv' for merged.csv (expected .owl, .ttl, .nt)
    """
    fmt = Path(path).suffix.lstrip(".").lower()
    if fmt not in OUTPUT_FORMATS:
        raise InputError(f"unknown output format {fmt!r} for {path} (expected .{', .'.join(OUTPUT_FORMATS)})")
    return fmt


# ---------------------------------------------------------------- normalising
def _normaliser(rewrites: dict):
    """A function that normalises one triple, recording every rewritten term in ``rewrites``.

    Only cross-reference literals and ``https`` OBO PURLs can change, so the
    test for them comes first: the full HPO has 330,000 triples.
    """
    import pyoxigraph as ox

    xref, https = ox.NamedNode(_XREF), "https://purl.obolibrary.org/obo/"
    named, literal = ox.NamedNode, ox.Literal

    def iri(node: ox.NamedNode) -> ox.NamedNode:
        new = named("http" + node.value[5:])
        rewrites[node.value] = new.value
        return new

    def normalise_triple(triple: ox.Triple) -> ox.Triple:
        s, o = triple.subject, triple.object
        new_s = iri(s) if type(s) is named and s.value.startswith(https) else s
        new_o = o
        if type(o) is literal:
            if triple.predicate == xref:
                text = normalise_curie(o.value)
                if text != o.value:
                    rewrites[o.value] = text
                    new_o = literal(text, language=o.language) if o.language else literal(text, datatype=o.datatype)
        elif type(o) is named and o.value.startswith(https):
            new_o = iri(o)
        if new_s is s and new_o is o:
            return triple
        return ox.Triple(new_s, triple.predicate, new_o)

    return normalise_triple


# ---------------------------------------------------------------- the merge
class _Index:
    """Per subject, the objects of the few predicates the report needs."""

    def __init__(self, triples):
        import pyoxigraph as ox

        self.by = {p: {} for p in (_RDF_TYPE, _LABEL, _SUBCLASS, _DEPRECATED, _XREF, _EQUIVALENT)}
        self.subjects = set()
        self.referenced = set()
        for t in triples:
            if t.predicate.value in _REFERENCING and isinstance(t.object, ox.NamedNode):
                self.referenced.add(t.object.value)
            if not isinstance(t.subject, ox.NamedNode):
                continue  # restrictions, lists and axiom annotations: not terms
            self.subjects.add(t.subject.value)
            table = self.by.get(t.predicate.value)
            if table is not None:
                table.setdefault(t.subject.value, []).append(t.object)

    def values(self, predicate: str, subject: str) -> list:
        return self.by[predicate].get(subject, [])

    def is_class(self, iri: str) -> bool:
        return any(o.value == _CLASS for o in self.values(_RDF_TYPE, iri))

    def labels(self, iri: str) -> list[str]:
        return sorted({o.value for o in self.values(_LABEL, iri)})

    def parents(self, iri: str) -> list[str]:
        import pyoxigraph as ox

        return sorted(o.value for o in self.values(_SUBCLASS, iri) if isinstance(o, ox.NamedNode))

    def ancestors(self, iri: str) -> set[str]:
        seen, todo = set(), [iri]
        while todo:
            for parent in self.parents(todo.pop()):
                if parent not in seen:
                    seen.add(parent)
                    todo.append(parent)
        return seen

    def deprecated(self, iri: str) -> bool:
        return any(o.value.lower() == "true" for o in self.values(_DEPRECATED, iri))


def merge(onto: Ontology, others: list[str | Path], unify: str = "exact", replace_iris: bool = False,
          normalize_prefixes: bool = False, on_step: Callable[[str], None] | None = None,
          keep_annotation_model: bool = False) -> MergeResult:
    """Merge ``onto`` into the ontologies in ``others`` (OWL or OBO files).

    ``unify="exact"`` unifies each project term with the target of its exact
    mappings where that target is a class of another input: by an
    ``owl:equivalentClass`` axiom, or by replacing the project IRI with the
    target's when ``replace_iris`` is true. ``unify="none"`` only puts the
    ontologies together. The inputs' triples are kept as written unless
    ``normalize_prefixes`` asks to rewrite cross-reference prefixes to the
    project's preferred ones (``SNOMEDCT_US:`` to ``SCTID:``...) and ``https``
    OBO PURLs to ``http``. ``on_step`` is called with the name of each step
    (for a progress display). The project's annotation model is left out
    (:func:`annotation_model`) unless ``keep_annotation_model``: kept, the
    merged file answers the project's queries about hedges and qualified
    statements as the ontology does, with "qualified statement" and "hedge"
    as two more top-level classes.

    Examples
    --------
    >>> from kgtools.ontology import Ontology
    >>> from kgtools.resources import example_path
    >>> r = merge(Ontology.load(), [example_path("hp_calcinosis.obo")])
    >>> r.report["inputs"][1]["path"].endswith("hp_calcinosis.obo"), len(r.report["terms unified"])
    (True, 8)
    >>> r.report["declarations added"]["http://www.geneontology.org/formats/oboInOwl#id"]
    'http://www.w3.org/2002/07/owl#AnnotationProperty'
    >>> "http://www.geneontology.org/formats/oboInOwl#hasDbXref" in r.report["declarations added"]  # the project's
    False
    """
    import pyoxigraph as ox

    from kgtools.exchange.mappings import xref_mappings
    from kgtools.ontology import converter
    from kgtools.serialize import missing_declarations

    if unify not in UNIFY:
        raise InputError(f"unknown unify mode {unify!r} (expected one of {', '.join(UNIFY)})")
    step = on_step or (lambda name: None)
    conv = converter()
    curie = lambda iri: conv.compress(iri) or iri  # noqa: E731

    step("reading the ontology")
    # The store of record, read directly: the rdflib view over it would convert every term there and back.
    project = [quad.triple for quad in onto.store.quads_for_pattern(None, None, None, ox.DefaultGraph())]
    inputs = [("(project) " + ", ".join(str(p) for p in onto.paths), project)]
    for number, path in enumerate(others, 1):
        step(f"reading {Path(path).name}")
        inputs.append((str(path), read_triples(path, f"in{number}")))

    rewrites: dict[str, str] = {}
    if normalize_prefixes:
        step("normalising prefixes")
        normalise_triple = _normaliser(rewrites)
        normalised = [[normalise_triple(t) for t in triples] for _, triples in inputs]
    else:
        normalised = [list(triples) for _, triples in inputs]
    left_out = set() if keep_annotation_model else annotation_model(normalised[0])
    project_index = _Index([t for t in normalised[0] if t not in left_out])
    other_triples = [t for triples in normalised[1:] for t in triples]
    other_index = _Index(other_triples)

    step("unifying exact mappings")
    unified, iri_map, added = [], {}, []
    if unify == "exact":
        for mapping in xref_mappings(onto):
            if mapping.predicate_id != "skos:exactMatch":
                continue
            target = conv.expand(normalise_curie(mapping.object_id))
            source = conv.expand(mapping.subject_id)
            if target is None or not other_index.is_class(target):
                continue
            unified.append({"project": mapping.subject_id, "project label": mapping.subject_label,
                            "target": curie(target), "target label": next(iter(other_index.labels(target)), None),
                            "how": "IRI replaced" if replace_iris else "owl:equivalentClass"})
            if replace_iris:
                iri_map[source] = target
            else:
                added.append(ox.Triple(ox.NamedNode(source), ox.NamedNode(_EQUIVALENT), ox.NamedNode(target)))
    if iri_map:
        for old, replacement in iri_map.items():
            rewrites[old] = replacement
        replace = {ox.NamedNode(k): ox.NamedNode(v) for k, v in iri_map.items()}
        normalised[0] = [ox.Triple(replace.get(t.subject, t.subject), t.predicate, replace.get(t.object, t.object))
                         for t in normalised[0]]

    step("putting the ontologies together")
    output: dict = {}
    accounting = []
    for number, ((path, original), triples) in enumerate(zip(inputs, normalised)):
        dropped = left_out if number == 0 else set()
        changed = sum(1 for a, b in zip(original, triples) if a is not b and b not in dropped)
        left = sum(1 for t in triples if t in dropped)
        duplicates = sum(1 for t in triples if t in output and t not in dropped)
        output.update(dict.fromkeys(t for t in triples if t not in dropped))
        accounting.append({"path": path, "triples": len(original),
                           "kept as is": len(triples) - changed - left,
                           "rewritten": changed,
                           "already in an earlier input": duplicates,
                           "left out": left})
    new = [t for t in added if t not in output]
    output.update(dict.fromkeys(new))
    together = list(output)
    declarations = missing_declarations(together)
    output.update(dict.fromkeys(declarations))
    new += declarations
    merged = list(output)

    step("checking the merge")
    unified_pairs = [(conv.expand(u["project"]), conv.expand(u["target"])) for u in unified]  # type: ignore[arg-type]  # CURIEs
    report = {
        "inputs": [{"path": a["path"], "triples": a["triples"]} for a in accounting],
        "unify": unify if not replace_iris else "exact (IRI replacement)",
        "terms added": _terms_added(project_index, other_index, iri_map, curie),
        "terms unified": unified,
        "terms left out": _terms_left_out(left_out, curie),
        "label clashes": _label_clashes(project_index, other_index, unified_pairs, curie),
        "conflicting parents": _conflicting_parents(project_index, other_index, unified_pairs, curie),
        "dangling references": _dangling(together, curie),  # before the declarations that OWL 2 DL needs
        "obsolete targets": _obsolete_targets(project_index, other_index, curie),
        "prefix rewrites": dict(sorted(rewrites.items())),
        "declarations added": {d.subject.value: d.object.value for d in declarations},
        "accounting": {
            "per input": accounting,
            "added": len(new),
            "output triples": len(merged),
            # Every input triple is in the output, as it was or as rewritten above, or was left out on purpose.
            "lost": sum(1 for triples in normalised for t in triples if t not in output and t not in left_out),
        },
    }
    project_part = [t for t in normalised[0] if t not in left_out] + new
    return MergeResult(merged, report, project_part, [conv.expand(u["target"]) for u in unified],  # type: ignore[arg-type]
                       [t for t in normalised[0] if t in left_out])


def annotation_model(triples: Collection[ox.Triple]) -> set:
    """The triples of the project's annotation model, which a merge leaves out.

    They are the triples about "qualified statement" (``CCUT:0000090``),
    "hedge" (``CCUT:0000100``) and every class below them, about every
    individual of those classes (the hedges, named; the qualified
    statements, blank nodes), and the axiom annotations of those triples.

    Examples
    --------
    >>> from kgtools.ontology import Ontology, oxigraph_triples
    >>> left = annotation_model(oxigraph_triples(Ontology.load().graph))
    >>> sorted({t.subject.value for t in left if t.predicate.value.endswith("#subClassOf")})[:2]
    ['http://purl.obolibrary.org/obo/CCUT_0000101', 'http://purl.obolibrary.org/obo/CCUT_0000102']
    """
    import pyoxigraph as ox

    subclass, rdf_type = ox.NamedNode(_SUBCLASS), ox.NamedNode(_RDF_TYPE)
    source = ox.NamedNode(_OWL + "annotatedSource")
    classes = {ox.NamedNode(QUALIFIED_STATEMENT), ox.NamedNode(HEDGE_CLASS)}
    below = [t for t in triples if t.predicate == subclass and isinstance(t.subject, ox.NamedNode)]
    grown = True
    while grown:
        more = {t.subject for t in below if t.object in classes} - classes
        classes |= more  # type: ignore[arg-type]  # the subjects of below are named
        grown = bool(more)
    nodes = classes | {t.subject for t in triples if t.predicate == rdf_type and t.object in classes}
    nodes |= {t.subject for t in triples if t.predicate == source and t.object in nodes}
    return {t for t in triples if t.subject in nodes}


def _terms_left_out(left_out, curie) -> list[dict]:
    """The named classes and individuals of the annotation model, with their labels."""
    import pyoxigraph as ox

    named = sorted({t.subject.value for t in left_out if isinstance(t.subject, ox.NamedNode)
                    and t.predicate.value == _RDF_TYPE and t.object.value in (_CLASS, _OWL + "NamedIndividual")})
    labels = {t.subject.value: t.object.value for t in left_out if t.predicate.value == _LABEL}
    statements = {t.subject for t in left_out if t.object.value == QUALIFIED_STATEMENT and isinstance(t.subject, ox.BlankNode)}
    return ([{"term": curie(iri), "label": labels.get(iri)} for iri in named]
            + ([{"term": "qualified statements (blank nodes)", "label": f"{len(statements)} statements"}]
               if statements else []))


def _terms_added(project: _Index, other: _Index, iri_map: dict, curie) -> list[dict]:
    """Named classes and properties of the project that the other inputs did not have."""
    added = []
    for iri in sorted(project.by[_RDF_TYPE]):
        if iri in other.subjects or iri in iri_map:
            continue
        types = {o.value for o in project.values(_RDF_TYPE, iri)}
        if types & {_CLASS, _OWL + "ObjectProperty", _OWL + "AnnotationProperty", _OWL + "NamedIndividual"}:
            added.append({"term": curie(iri), "label": next(iter(project.labels(iri)), None)})
    return added


def _label_clashes(project: _Index, other: _Index, unified: list, curie) -> list[dict]:
    """Terms, or unified pairs, whose labels differ between the project and another input
    (beyond case, spacing and punctuation: ``part_of`` is ``part of``)."""
    clashes = []
    pairs = [(iri, iri) for iri in sorted(project.by[_LABEL]) if iri in other.by[_LABEL]] + sorted(unified)
    for mine, theirs in pairs:
        ours, their = project.labels(mine), other.labels(theirs)
        if their and {normalise(label) for label in ours} != {normalise(label) for label in their}:
            clashes.append({"term": curie(mine), "label": ours, "other term": curie(theirs), "other label": their})
    return clashes


def _conflicting_parents(project: _Index, other: _Index, unified: list, curie) -> list[dict]:
    """Unified terms with a project parent that, mapped across, is not an ancestor of the target in the
    other inputs, or is below it (a cycle)."""
    targets: dict[str, set] = {}
    for mine, theirs in unified:
        targets.setdefault(mine, set()).add(theirs)
    conflicts = []
    for mine, theirs in sorted(unified):
        ancestors = other.ancestors(theirs)
        for parent in project.parents(mine):
            mapped = {t for t in targets.get(parent, {parent}) if t in other.subjects}
            if not mapped:
                continue  # a parent the other ontologies do not have: an addition, not a conflict
            if not mapped & ancestors or any(theirs in other.ancestors(m) for m in mapped):
                conflicts.append({"term": curie(mine), "target": curie(theirs), "project parent": curie(parent),
                                  "target parents": [curie(p) for p in other.parents(theirs)]})
    return conflicts


def _dangling(triples, curie) -> list[dict]:
    """Named classes used in class axioms (subClassOf, equivalentClass, someValuesFrom) but declared nowhere."""
    import pyoxigraph as ox

    declared: set = set()
    used: dict = {}
    for t in triples:
        if t.predicate.value == _RDF_TYPE and isinstance(t.subject, ox.NamedNode):
            declared.add(t.subject.value)
        elif t.predicate.value in _REFERENCING and isinstance(t.object, ox.NamedNode):
            used.setdefault(t.object.value, curie(t.subject.value) if isinstance(t.subject, ox.NamedNode) else "a restriction")
    return [{"term": curie(iri), "used by": user}
            for iri, user in sorted(used.items()) if iri not in declared and not iri.startswith(_OWL)]


def _obsolete_targets(project: _Index, other: _Index, curie) -> list[dict]:
    """Project terms that refer to (by xref or class axiom) a term another input marks obsolete."""
    from kgtools.ontology import converter

    conv = converter()
    found = []
    for iri in sorted(project.by[_XREF]):
        if not iri.startswith(CCUT):
            continue
        for xref in project.values(_XREF, iri):
            target = conv.expand(normalise_curie(xref.value))
            if target and other.deprecated(target):
                found.append({"term": curie(iri), "target": xref.value, "how": "xref",
                              "target label": next(iter(other.labels(target)), None)})
    for iri in sorted(project.referenced):
        if other.deprecated(iri):
            found.append({"term": curie(iri), "target": curie(iri), "how": "class axiom",
                          "target label": next(iter(other.labels(iri)), None)})
    return found


# ---------------------------------------------------------------- checks
def project_module(result: MergeResult) -> list:
    """The project's triples in the merged result with the terms of the other inputs they touch.

    The module holds every project triple (and the added equivalences), then,
    from the other inputs, every triple about a term the project mentions or
    unifies with, and about all their ancestors (named superclasses), with
    the restrictions those triples point to, and the declarations of every
    term mentioned. It is what the reasoner and the shapes check when the
    whole merged ontology is too big to reason over in seconds.

    Examples
    --------
    >>> from kgtools.ontology import Ontology
    >>> from kgtools.resources import example_path
    >>> r = merge(Ontology.load(), [example_path("hp_calcinosis.obo")])
    >>> len(r.project_triples) < len(project_module(r)) < len(r.triples)
    True
    """
    import pyoxigraph as ox

    project = set(result.project_triples)
    others = [t for t in result.triples if t not in project]
    by_subject: dict = {}
    for t in others:
        by_subject.setdefault(t.subject, []).append(t)
    subclass = ox.NamedNode(_SUBCLASS)
    todo: list = [n for t in result.project_triples for n in (t.subject, t.object) if isinstance(n, ox.NamedNode)]
    todo += [ox.NamedNode(iri) for iri in result.unified_targets]
    terms, module = set(), list(result.project_triples)
    while todo:
        node = todo.pop()
        if node in terms:
            continue
        terms.add(node)
        for t in by_subject.get(node, ()):
            module.append(t)
            if t.predicate == subclass and isinstance(t.object, ox.NamedNode):
                todo.append(t.object)
            elif isinstance(t.object, ox.BlankNode):
                todo.append(t.object)  # a restriction or a list: follow it
    rdf_type = ox.NamedNode(_RDF_TYPE)
    mentioned = {n for t in module for n in (t.predicate, t.object) if isinstance(n, ox.NamedNode)} - terms
    module += [t for node in mentioned for t in by_subject.get(node, ()) if t.predicate == rdf_type]
    return list(dict.fromkeys(module))


def check(result: MergeResult, scope: str = "module", shapes: bool = True) -> dict:
    """Check the merged ontology: consistency by HermiT, and the SHACL shapes on the project terms.

    ``scope="module"`` reasons over :func:`project_module` (seconds);
    ``scope="full"`` over the whole merged ontology (with the full HPO, about
    half a minute). The outcome is also written into ``result.report["checks"]``.

    Examples
    --------
    >>> from kgtools.ontology import Ontology
    >>> from kgtools.resources import example_path
    >>> r = merge(Ontology.load(), [example_path("hp_calcinosis.obo")])
    >>> outcome = check(r, shapes=False)
    >>> outcome["consistency"]["consistent"], outcome["consistency"]["unsatisfiable"]
    (True, [])
    """
    from kgtools.checks.reason import reason

    if scope not in ("module", "full"):
        raise InputError(f"unknown reasoning scope {scope!r} (expected module or full)")
    module = project_module(result)
    report = reason(_ontology_of(result.triples if scope == "full" else module), reasoner="hermit")
    outcome: dict = {"consistency": {"scope": scope, "triples": len(result.triples if scope == "full" else module),
                               "consistent": report.consistent, "unsatisfiable": report.unsatisfiable,
                               "seconds": round(report.seconds, 1)}}
    if shapes:
        from kgtools.checks.validate import validate

        # The annotation model, left out of the merge, is what the shapes check hedged axioms against.
        onto = _ontology_of(module + result.left_out)
        # A violation is the project's when its focus is a project term or an axiom about one.
        project_results = [r for r in validate(onto).results if r.severity == "Violation" and "CCUT:" in r.focus]
        outcome["shapes"] = {"conforms": not project_results, "violations": [r.as_dict() for r in project_results]}
    result.report["checks"] = {
        "consistency": ("consistent" if report.consistent else "INCONSISTENT")
        + f", {len(report.unsatisfiable)} unsatisfiable ({scope}, {outcome['consistency']['triples']} triples, "
          f"{outcome['consistency']['seconds']} s)",
        **({"shapes": "project terms conform" if outcome["shapes"]["conforms"] else
            f"{len(outcome['shapes']['violations'])} violations on project terms"} if shapes else {}),
    }
    result.report["check details"] = outcome
    return outcome


def _ontology_of(triples) -> Ontology:
    from kgtools.ontology import rdflib_graph

    return Ontology(rdflib_graph(triples))


# ---------------------------------------------------------------- report
def report_text(report: dict) -> str:
    """The merge report as readable text: counts, then each list.

    Examples
    --------
    >>> print(report_text({"inputs": [], "terms added": [], "accounting": {"output triples": 3, "added": 0, "lost": 0, "per input": []}}).splitlines()[0])
    merged 0 inputs into 3 triples (0 added, 0 lost)
    """
    acc = report["accounting"]
    lines = [f"merged {len(report['inputs'])} inputs into {acc['output triples']} triples "
             f"({acc['added']} added, {acc['lost']} lost)"]
    for item in acc["per input"]:
        lines.append(f"  {item['path']}: {item['triples']} triples, {item['kept as is']} kept as is, "
                     f"{item['rewritten']} rewritten, {item['already in an earlier input']} already in an earlier input"
                     + (f", {item['left out']} left out (the annotation model)" if item.get("left out") else ""))
    for check, outcome in report.get("checks", {}).items():
        lines.append(f"{check}: {outcome}")
    for key in ("terms unified", "terms added", "terms left out", "label clashes", "conflicting parents",
                "dangling references", "obsolete targets"):
        items = report.get(key, [])
        lines.append(f"{key}: {len(items)}")
        for item in items:
            lines.append("  " + "; ".join(f"{k}: {v}" for k, v in item.items()))
    lines.append(f"declarations added: {len(report.get('declarations added', {}))}")
    rewrites = report.get("prefix rewrites", {})
    lines.append(f"terms rewritten: {len(rewrites)}")
    for old, new in list(rewrites.items())[:20]:
        lines.append(f"  {old} -> {new}")
    if len(rewrites) > 20:
        lines.append(f"  ... and {len(rewrites) - 20} more (see the JSON report)")
    return "\n".join(lines) + "\n"

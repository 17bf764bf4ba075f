"""Other ontologies (HPO, MONDO, DOID, UBERON...): read OWL or OBO files as triples, and their CURIE prefixes.

OBO is converted to OWL by the OBO-to-OWL mapping of :mod:`fastobo`
(``fastobo.dump_owl``), a Rust implementation of the OBO 1.4 mapping that
reads the full HPO and writes it as RDF/XML in about two seconds. The
triples are Oxigraph's (:mod:`pyoxigraph`), so that the full HPO (330,000
triples) is read in seconds.

Examples
--------
>>> from kgtools.resources import example_path
>>> triples = read_triples(example_path("hp_calcinosis.obo"), "hp")
>>> len(triples) > 100
True
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import TYPE_CHECKING

from kgtools.errors import InputError

if TYPE_CHECKING:  # typed without importing pyoxigraph when the module loads
    import pyoxigraph as ox

#: Prefixes other ontologies use in cross-references, and the project's preferred prefix for each.
PREFIX_SYNONYMS = {
    "SNOMEDCT_US": "SCTID", "SNOMEDCT": "SCTID", "SNOMED": "SCTID", "MSH": "MESH", "MeSH": "MESH",
    "ORDO": "Orphanet", "ORPHA": "Orphanet", "ORPHANET": "Orphanet", "UMLS_CUI": "UMLS", "NCI": "NCIT",
    "NCIt": "NCIT", "MIM": "OMIM", "ICD10CM": "ICD10CM", "ICD-10-CM": "ICD10CM",
}
def read_triples(path: str | Path, tag: str) -> list:
    """The triples of an OWL or OBO file as Oxigraph triples, blank nodes prefixed with ``tag``.

    OBO is parsed by fastobo and mapped to OWL by fastobo's OBO-to-OWL
    mapping; a syntax error names the file, line and column, and a file with
    no triple (empty, or only prefixes and comments) is refused.

    Examples
    --------
    >>> from kgtools.resources import example_path
    >>> triples = read_triples(example_path("hp_calcinosis.obo"), "hp")
    >>> any(t.subject.value == "http://purl.obolibrary.org/obo/HP_0025520" for t in triples)
    True
    """
    import pyoxigraph as ox

    from kgtools.store import EXTENSIONS, parse_triples

    path = Path(path)
    suffix = path.suffix.lower()
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    if suffix == ".obo":
        parsed = parse_triples(path, data=_obo_to_owl(path), fmt="owl")
    elif suffix in EXTENSIONS:
        parsed = parse_triples(path)
    else:
        raise InputError(f"{path}: unknown format (expected .obo, {', '.join(sorted(EXTENSIONS))})")
    blank = ox.BlankNode
    triples = [_tag_blank_nodes(t, tag) if type(t.subject) is blank or type(t.object) is blank else t for t in parsed]
    if not triples:
        raise InputError(f"{path}: no triples")
    return triples


def _obo_to_owl(path: Path) -> bytes:
    import fastobo

    try:
        doc = fastobo.load(str(path))
    except SyntaxError as err:
        raise InputError(f"{path}:{err.lineno or 0}:{err.offset or 0}: OBO syntax error: {err.msg}") from None
    except (ValueError, OSError) as err:
        raise InputError(f"{path}: cannot read OBO: {err}") from None
    header = doc.header
    if not any(type(clause).__name__ == "DefaultNamespaceClause" for clause in header):
        # fastobo's mapping needs a namespace for every frame; import modules (UBERON's) often lack one.
        # It only becomes the oboInOwl:hasOBONamespace annotation of frames that have none.
        name = next((str(c.ontology) for c in header if type(c).__name__ == "OntologyClause"), path.stem)
        header.append(fastobo.header.DefaultNamespaceClause(fastobo.id.UnprefixedIdent(re.sub(r"\W", "_", name))))
    out = io.BytesIO()
    try:
        fastobo.dump_owl(doc, out, format="rdf")
    except (ValueError, SyntaxError) as err:  # fastobo parses the IRIs it makes from the OBO while mapping
        raise InputError(f"{path}: OBO cannot be mapped to OWL: {getattr(err, 'msg', err)}") from None
    return out.getvalue()


def _tag_blank_nodes(triple, tag: str):
    """The parsed triple, its blank nodes renamed apart from other files'."""
    import pyoxigraph as ox

    def term(node: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
             ) -> ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple:
        return ox.BlankNode(f"{tag}_{node.value}") if isinstance(node, ox.BlankNode) else node

    return ox.Triple(term(triple.subject), triple.predicate, term(triple.object))  # type: ignore[arg-type]



def normalise_curie(curie: str) -> str:
    """A cross-reference CURIE with its prefix as the project's map writes it.

    Examples
    --------
    >>> normalise_curie("SNOMEDCT_US:237900002"), normalise_curie("ORDO:280062"), normalise_curie("HP:0025520")
    ('SCTID:237900002', 'Orphanet:280062', 'HP:0025520')
    """
    prefix, sep, local = curie.partition(":")
    if not sep or " " in curie:
        return curie
    return f"{PREFIX_SYNONYMS.get(prefix, prefix)}:{local}"

"""SSSOM mappings from the ontology's cross-references, and their validation.

The ontology is the one source of truth: each ``oboInOwl:hasDbXref`` of a
project term is a mapping, with the SKOS predicate recorded on the reified
cross-reference axiom (``CCUT:0000011`` mapping predicate). The mapping set's
metadata (identifier, licence, the reference release each target was checked
in) is in ``mappings/calcinosis.sssom.yml``; :func:`generate` writes
``mappings/calcinosis.sssom.tsv`` from both.

Examples
--------
>>> from kgtools.ontology import Ontology
>>> rows = xref_mappings(Ontology.load())
>>> [(m.predicate_id, m.object_id) for m in rows if m.subject_label == "calcinosis cutis"]
[('skos:broadMatch', 'DOID:182'), ('skos:exactMatch', 'HP:0025520'), ('skos:broadMatch', 'MONDO:0002123')]
"""

from __future__ import annotations

import csv
import functools
import io
from collections.abc import Iterable
from dataclasses import dataclass, fields
from pathlib import Path

from kgtools import resources
from kgtools.errors import InputError, KgtoolsError
from kgtools.ontology import CCUT, OBO, OBOINOWL, Ontology, load_prefixes

MAPPING_PREDICATE = CCUT + "0000011"
#: The SKOS predicates a mapping may have.
SKOS_PREDICATES = ("skos:exactMatch", "skos:closeMatch", "skos:broadMatch", "skos:narrowMatch", "skos:relatedMatch")
#: Prefixes the mapping files use beyond those of the shipped prefix map.
_EXTRA_PREFIXES = {"obo": OBO}


@dataclass(frozen=True)
class Mapping:
    """One SSSOM mapping row (the columns in SSSOM order; empty ones are left out of the file)."""

    subject_id: str
    subject_label: str | None
    predicate_id: str
    object_id: str
    object_label: str | None = None
    mapping_justification: str = "semapv:ManualMappingCuration"
    confidence: float | None = None
    object_source: str | None = None
    object_source_version: str | None = None
    subject_match_field: str | None = None
    object_match_field: str | None = None
    match_string: str | None = None
    comment: str | None = None


def metadata_path() -> Path:
    """The mapping set's metadata file, ``mappings/calcinosis.sssom.yml``.

    Examples
    --------
    >>> metadata_path().name
    'calcinosis.sssom.yml'
    """
    return resources.data_dir("mappings") / "calcinosis.sssom.yml"


def mappings_path() -> Path:
    """The generated mapping set, ``mappings/calcinosis.sssom.tsv``.

    Examples
    --------
    >>> mappings_path().read_text().startswith("#curie_map:")
    True
    """
    return resources.data_dir("mappings") / "calcinosis.sssom.tsv"


def load_metadata(path: str | Path | None = None) -> dict:
    """The mapping set metadata (YAML), with the per-prefix reference releases.

    Examples
    --------
    >>> load_metadata()["object_sources"]["HP"]["version"]
    'hp/releases/2025-01-16'
    """
    import yaml

    path = Path(path) if path else metadata_path()
    try:
        return yaml.safe_load(path.read_text())
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except yaml.YAMLError as err:
        raise InputError(f"{path}: not valid YAML: {err}") from None


def xref_mappings(onto: Ontology, metadata: dict | None = None) -> list[Mapping]:
    """One :class:`Mapping` per cross-reference of a project term, sorted by subject then object.

    A cross-reference without a recorded mapping predicate, or with a
    predicate that is not a SKOS mapping relation, raises :class:`KgtoolsError`:
    a mapping set must not guess.

    Examples
    --------
    >>> from kgtools.ontology import Ontology
    >>> m = [m for m in xref_mappings(Ontology.load()) if m.object_id == "Orphanet:280062"][0]
    >>> m.subject_id, m.predicate_id, m.object_source, m.confidence
    ('CCUT:0001004', 'skos:exactMatch', 'infores:orphanet', 0.95)
    """
    from rdflib import OWL, RDF, URIRef

    metadata = metadata or load_metadata()
    graph = onto.graph
    has_xref = URIRef(OBOINOWL + "hasDbXref")
    predicates: dict[tuple[str, str], str] = {}
    for axiom in graph.subjects(OWL.annotatedProperty, has_xref):
        if (axiom, RDF.type, OWL.Axiom) not in graph:
            continue
        source, target = graph.value(axiom, OWL.annotatedSource), graph.value(axiom, OWL.annotatedTarget)
        mapping_predicate = graph.value(axiom, URIRef(MAPPING_PREDICATE))
        if mapping_predicate is not None:
            predicates[(str(source), str(target))] = onto.curie(mapping_predicate)  # type: ignore[arg-type]  # an IRI
    sources = metadata.get("object_sources", {})
    rows = []
    for subject, xref in graph.subject_objects(has_xref):
        if not isinstance(subject, URIRef) or not str(subject).startswith(CCUT):
            continue
        curie = onto.curie(subject)
        predicate = predicates.get((str(subject), str(xref)))
        if predicate not in SKOS_PREDICATES:
            raise KgtoolsError(f"{curie} xref {xref}: mapping predicate {predicate or 'missing'} "
                               f"(expected one of {', '.join(SKOS_PREDICATES)} on CCUT:0000011)")
        source = sources.get(str(xref).split(":", 1)[0], {})
        rows.append(Mapping(curie, onto.label(subject), predicate, str(xref),
                            mapping_justification=metadata.get("mapping_justification", "semapv:ManualMappingCuration"),
                            confidence=metadata.get("confidence"), object_source=source.get("source"),
                            object_source_version=source.get("version")))
    return sorted(rows, key=lambda m: (m.subject_id, m.object_id))


def bioregistry_prefix_map(prefixes: Iterable[str], project_map: dict[str, str] | None = None) -> dict[str, str]:
    """The prefix map of ``prefixes`` (as the data writes them), conformant with the Bioregistry.

    Each prefix is looked up in the Bioregistry (the ``bioregistry``
    package, offline), by its synonyms. It stays as HPO and MONDO write it
    (``ICD10CM``, ``SCTID``, ``UMLS``, ``Orphanet``), where the Bioregistry
    prefers another spelling (``icd10cm``, ``snomedct``, ``umls``,
    ``orpha``): the ontology's xrefs are theirs. Its URI prefix is the
    project's (``project_map``, default the shipped map, which follows
    MONDO's SSSOM files) when the Bioregistry lists it for that resource,
    the Bioregistry's own otherwise. CCUT, not registered yet, keeps its OBO
    PURL; any other prefix the Bioregistry does not know is refused.

    Examples
    --------
    >>> bioregistry_prefix_map(["HP", "UMLS"])
    {'HP': 'http://purl.obolibrary.org/obo/HP_', 'UMLS': 'http://linkedlifedata.com/resource/umls/id/'}
    >>> bioregistry_prefix_map(["UMLS"], {"UMLS": "http://example.org/umls/"})
    {'UMLS': 'https://uts.nlm.nih.gov/uts/umls/concept/'}
    """
    project_map = dict(load_prefixes(), **_EXTRA_PREFIXES) if project_map is None else project_map
    registry = _bioregistry()
    result: dict[str, str] = {}
    for prefix in prefixes:
        if prefix == "CCUT":
            result[prefix] = CCUT
            continue
        record = registry.get_record(registry.standardize_prefix(prefix) or "")
        if record is None:
            raise KgtoolsError(f"prefix {prefix}: not in the Bioregistry (nor a synonym of a prefix there)")
        uri_prefix = record.uri_prefix
        if uri_prefix is None:
            raise KgtoolsError(f"prefix {prefix}: the Bioregistry gives it no URI prefix")
        mine = project_map.get(prefix)
        result[prefix] = mine if mine is not None and mine in (uri_prefix, *record.uri_prefix_synonyms) else uri_prefix
    return result


@functools.lru_cache(maxsize=1)
def _bioregistry():
    """The Bioregistry as a :class:`curies.Converter`, built once per process."""
    import bioregistry

    return bioregistry.get_converter()


def to_sssom(rows: list[Mapping], metadata: dict) -> str:
    """An SSSOM/TSV document: the YAML metadata block (with the CURIE map) then the mapping rows.

    Only columns that some row fills are written, and only the prefixes the
    rows use go into the CURIE map.

    Examples
    --------
    >>> text = to_sssom([Mapping("CCUT:0001000", "calcinosis cutis", "skos:exactMatch", "HP:0025520")],
    ...                 {"mapping_set_id": "http://example.org/m.sssom.tsv", "license": "https://creativecommons.org/licenses/by/4.0/"})
    >>> text.splitlines()[-1]
    'CCUT:0001000\\tcalcinosis cutis\\tskos:exactMatch\\tHP:0025520\\tsemapv:ManualMappingCuration'
    """
    import yaml

    columns = [f.name for f in fields(Mapping) if any(getattr(row, f.name) is not None for row in rows)]
    header = {key: value for key, value in metadata.items()
              if key not in ("object_sources", "mapping_justification", "confidence") and value is not None}
    used = {"semapv", "skos", "owl", "rdf", "rdfs", "sssom"}
    for value in [*header.values(), *(getattr(row, c) for row in rows for c in columns)]:
        if isinstance(value, str) and ":" in value and not value.startswith("http") and " " not in value:
            used.add(value.split(":", 1)[0])
    header = {"curie_map": bioregistry_prefix_map(sorted(used)), **header}
    out = io.StringIO()
    for line in yaml.safe_dump(header, sort_keys=False, allow_unicode=True, width=1000).splitlines():
        out.write(f"#{line}\n")
    writer = csv.writer(out, delimiter="\t", lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if getattr(row, c) is None else getattr(row, c) for c in columns])
    return out.getvalue()


def generate(onto: Ontology, metadata: dict | None = None) -> str:
    """The SSSOM/TSV text of the ontology's mapping set (what ``mappings/calcinosis.sssom.tsv`` holds).

    The set's version is the ontology's version, so the output depends only on
    the ontology and the metadata file.

    Examples
    --------
    >>> from kgtools.ontology import Ontology
    >>> text = generate(Ontology.load())
    >>> "CCUT:0001004\\tcalciphylaxis\\tskos:exactMatch\\tMONDO:0017215" in text
    True
    """
    metadata = dict(metadata or load_metadata())
    meta = onto.metadata()
    metadata.setdefault("mapping_set_version", meta.get("version"))
    metadata.setdefault("subject_source_version", meta.get("version_iri"))
    return to_sssom(xref_mappings(onto, metadata), metadata)


def is_current(text: str) -> bool:
    """Whether the packaged ``mappings/calcinosis.sssom.tsv`` holds exactly ``text``.

    Examples
    --------
    >>> from kgtools.ontology import Ontology
    >>> is_current(generate(Ontology.load()))
    True
    """
    return mappings_path().read_text() == text


def read_sssom(path: str | Path) -> list[dict[str, str]]:
    """The mapping rows of an SSSOM/TSV file as dictionaries (the ``#`` metadata block skipped).

    Examples
    --------
    >>> rows = read_sssom(mappings_path())
    >>> {r["object_id"] for r in rows if r["subject_id"] == "CCUT:0001000"} >= {"HP:0025520"}
    True
    """
    path = Path(path)
    try:
        lines = [line for line in path.read_text().splitlines() if not line.startswith("#")]
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    return list(csv.DictReader(lines, delimiter="\t"))


def validate_sssom(path: str | Path) -> list[str]:
    """Problems sssom-py finds in an SSSOM/TSV file (schema, prefix map completeness); empty when valid.

    Examples
    --------
    >>> validate_sssom(mappings_path())
    []
    """
    import logging

    from sssom.parsers import parse_sssom_table
    from sssom.validators import validate

    # sssom-py also logs every problem on the root logger; they are returned instead.
    logging.disable(logging.ERROR)
    try:
        try:
            msdf = parse_sssom_table(str(path))
        except Exception as err:  # noqa: BLE001 -- sssom-py raises many kinds of errors for a malformed file
            return [f"{path}: cannot be parsed as SSSOM: {err}"]
        problems = []
        for kind, report in validate(msdf, fail_on_error=False).items():
            for result in getattr(report, "results", []) or []:
                problem = f"{getattr(kind, 'name', kind)}: {getattr(result, 'message', result)}"
                if problem not in problems:
                    problems.append(problem)
        return problems
    finally:
        logging.disable(logging.NOTSET)

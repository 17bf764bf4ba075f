"""Every external identifier the ontology asserts is found, with its meaning, in the reference data.

The reference data are slices of HPO, MONDO, DOID, UBERON, CL, PATO and RO
releases in tests/data/reference/ (sources and versions in its README);
ECO terms are in tests/data/eco_terms.tsv.
"""

import csv
import re
from pathlib import Path

import pytest
from rdflib import OWL, RDF, URIRef

from kgtools.ontology import CCUT, OBOINOWL

REFERENCE = Path(__file__).parent / "data" / "reference"
# The DOID cross-reference file writes some prefixes its own way.
DOID_XREF_PREFIXES = {"UMLS_CUI": "UMLS", "NCI": "NCIT", "ORDO": "Orphanet", "MIM": "OMIM"}


def obo_terms(*names):
    """id -> (name, exact synonyms) from OBO slices."""
    terms = {}
    for name in names:
        for stanza in (REFERENCE / name).read_text().split("\n\n"):
            ident = re.search(r"^id: (\S+)$", stanza, re.M)
            label = re.search(r"^name: (.+)$", stanza, re.M)
            if ident and label:
                synonyms = re.findall(r'^synonym: "([^"]+)" EXACT', stanza, re.M)
                terms[ident.group(1)] = (label.group(1), synonyms)
    return terms


def tsv_rows(name):
    with open(REFERENCE / name) as handle:
        lines = [line for line in handle if not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t"))


@pytest.fixture(scope="module")
def reference():
    obo = obo_terms("hp_slice.obo", "uberon_slice.obo", "cl_slice.obo", "pato_slice.obo")
    mondo = {}
    mapped = set()  # (MONDO or DOID id, mapped id)
    for path in sorted(REFERENCE.glob("mondo_*_slice.sssom.tsv")):
        for row in tsv_rows(path.name):
            mondo[row["subject_id"]] = row["subject_label"]
            mapped.add((row["subject_id"], row["object_id"]))
            if row["object_id"].startswith("DOID:"):
                mapped.add((row["object_id"], row["subject_id"]))
    doid = {row["id"].strip('"'): row["label"].strip('"') for row in tsv_rows("doid_slice.tsv")}
    for row in tsv_rows("doid_xref_slice.tsv"):
        prefix, local = row["xref"].strip('"').split(":", 1)
        prefix = "SCTID" if prefix.startswith("SNOMEDCT") else DOID_XREF_PREFIXES.get(prefix, prefix)
        mapped.add((row["id"].strip('"'), f"{prefix}:{local}"))
    ro = {row["iri"]: row["label"] for row in tsv_rows("ro_slice.tsv")}
    eco = {row["id"]: row["label"] for row in tsv_rows("../eco_terms.tsv")}
    return {"obo": obo, "mondo": mondo, "doid": doid, "mapped": mapped, "ro": ro, "eco": eco}


def normalise(text):
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


def test_imported_terms_exist_with_their_labels(onto, reference):
    imported = [c for c in onto.graph.subjects(RDF.type, OWL.Class)
                if isinstance(c, URIRef) and not str(c).startswith(CCUT)]
    assert len(imported) >= 15
    for cls in imported:
        curie = onto.curie(cls)
        label = onto.label(cls)
        if curie.startswith("ECO:"):
            assert reference["eco"][curie] == label
        else:
            assert curie in reference["obo"], f"{curie} is not in the reference data"
            assert reference["obo"][curie][0] == label, curie


def test_relations_are_ro_properties_with_their_labels(onto, reference):
    for prop in onto.graph.subjects(RDF.type, OWL.ObjectProperty):
        if str(prop).startswith(CCUT):
            continue
        assert reference["ro"].get(str(prop)) == onto.label(prop), prop


def test_every_xref_is_found_with_the_right_meaning(onto, reference):
    checked = 0
    for subject, xref in onto.graph.subject_objects(URIRef(OBOINOWL + "hasDbXref")):
        xref = str(xref)
        names = {normalise(onto.label(subject))} | {normalise(str(s)) for s in onto.graph.objects(
            subject, URIRef(OBOINOWL + "hasExactSynonym"))}
        own = {str(x) for x in onto.graph.objects(subject, URIRef(OBOINOWL + "hasDbXref"))}
        predicate = _mapping_predicate(onto, subject, xref)
        prefix = xref.split(":")[0]
        if prefix in ("MONDO", "DOID", "HP"):
            label = reference["mondo"].get(xref) or reference["doid"].get(xref) or reference["obo"].get(xref, (None,))[0]
            assert label, f"{xref} is not in the reference data"
            synonyms = reference["obo"].get(xref, (None, []))[1]
            if predicate.endswith("exactMatch"):
                assert names & ({normalise(label)} | {normalise(s) for s in synonyms}), (onto.label(subject), xref, label)
        else:
            # Other vocabularies: mapped from one of the term's own MONDO or DOID identifiers.
            assert any((own_id, xref) in reference["mapped"] for own_id in own), (onto.label(subject), xref)
        checked += 1
    assert checked >= 80


def _mapping_predicate(onto, subject, xref):
    from rdflib import Literal

    for axiom in onto.graph.subjects(OWL.annotatedSource, subject):
        if onto.graph.value(axiom, OWL.annotatedTarget) == Literal(xref):
            return str(onto.graph.value(axiom, URIRef(CCUT + "0000011")))
    raise AssertionError(f"{xref} on {subject} has no mapping predicate")

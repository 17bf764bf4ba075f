"""Propose mappings between project terms and another ontology by lexical matching.

Labels and synonyms on both sides are compared after normalisation: case,
punctuation and hyphens, plurals, British and American spelling
(``calcaemia``/``calcemia``, ``tumour``/``tumor``, ``oedema``/``edema``).
A second, looser pass also maps words of the same meaning to one word
(:data:`WORD_RULES`: *cutis*, *cutaneous* and *skin*; *calcinosis* and
*calcification*; *renal* and *kidney*...), drops words like *of* and *the*
and ignores word order; its matches get a lower confidence and
``skos:closeMatch``.

The proposals are SSSOM rows with ``semapv:LexicalMatching``, a confidence
and the matched fields and string, for curators to review. Pairs the
ontology already maps (its cross-references) are not proposed again: they
are returned apart, as ``existing``, so that a run shows what it found again.

Examples
--------
>>> from kgtools.ontology import Ontology
>>> from kgtools.resources import example_path
>>> result = align(Ontology.load(), example_path("hp_calcinosis.obo"))
>>> [m.object_id for m in result.existing if m.subject_id == "CCUT:0001000"]
['HP:0025520']
>>> [(m.predicate_id, m.object_label) for m in result.proposed if m.object_id == "HP:0007618"]
[('skos:closeMatch', 'Subcutaneous calcification')]
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from kgtools.exchange.mappings import Mapping, to_sssom
from kgtools.ontology import CCUT, OBOINOWL, Ontology

_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
_DEPRECATED = "http://www.w3.org/2002/07/owl#deprecated"
_VERSION_IRI = "http://www.w3.org/2002/07/owl#versionIRI"
_ONTOLOGY = "http://www.w3.org/2002/07/owl#Ontology"
#: Match fields, by property IRI, with the CURIE SSSOM records and the confidence of a match on it.
FIELDS = {
    _LABEL: ("rdfs:label", 0.95),
    OBOINOWL + "hasExactSynonym": ("oboInOwl:hasExactSynonym", 0.9),
    OBOINOWL + "hasRelatedSynonym": ("oboInOwl:hasRelatedSynonym", 0.7),
    OBOINOWL + "hasBroadSynonym": ("oboInOwl:hasBroadSynonym", 0.6),
    OBOINOWL + "hasNarrowSynonym": ("oboInOwl:hasNarrowSynonym", 0.6),
}
#: British spellings (as word parts) and their American form.
SPELLING = [("aemia", "emia"), ("haem", "hem"), ("oedem", "edem"), ("oesoph", "esoph"), ("paed", "ped"),
            ("aetiol", "etiol"), ("tumour", "tumor"), ("colour", "color"), ("isation", "ization"),
            ("ise", "ize"), ("yse", "yze"), ("centre", "center"), ("fibre", "fiber"), ("oestr", "estr")]
#: Words of one meaning in this domain, mapped to one word (the looser pass only).
WORD_RULES = {"cutis": "skin", "cutaneous": "skin", "dermal": "skin", "calcinosis": "calcification",
              "calcified": "calcification", "renal": "kidney", "subcutis": "subcutaneous", "disorder": "disease",
              "insufficiency": "failure"}
#: Words the looser pass ignores.
STOPWORDS = {"of", "the", "in", "a", "an", "and", "or", "with"}


def normalise(text: str) -> str:
    """A label or synonym with case, accents, punctuation, hyphens, plurals and British spelling levelled.

    Examples
    --------
    >>> normalise("Calcinosis Cutis"), normalise("calcium deposits"), normalise("Hypercalcaemia")
    ('calcinosis cutis', 'calcium deposit', 'hypercalcemia')
    >>> normalise("Thibierge–Weissenbach syndrome") == normalise("thibierge weissenbach syndromes")
    True
    """
    text = re.sub(r"[\W_]+", " ", text)  # any punctuation or dash, before accents go
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    words = []
    for word in re.split(r"[^a-z0-9]+", text):
        if not word:
            continue
        for british, american in SPELLING:
            word = word.replace(british, american)
        words.append(_singular(word))
    return " ".join(words)


def _singular(word: str) -> str:
    if len(word) <= 3 or word.endswith(("ss", "us", "is", "ous")):
        return word
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "xes", "ses")):
        return word[:-2]
    if word.endswith("s"):
        return word[:-1]
    return word


def loose_key(text: str) -> str:
    """The looser key: normalised words, domain word rules, stop words dropped, in sorted order.

    Examples
    --------
    >>> loose_key("calcinosis cutis") == loose_key("Skin calcification")
    True
    """
    words = [WORD_RULES.get(word, word) for word in normalise(text).split()]
    return " ".join(sorted(word for word in words if word not in STOPWORDS))


@dataclass
class AlignResult:
    """Proposed new mappings, and the ontology's existing mappings that the matching found again."""

    proposed: list[Mapping]
    existing: list[Mapping]
    metadata: dict

    def sssom(self, include_existing: bool = False) -> str:
        """The proposals (and, if asked, the rediscovered existing mappings) as SSSOM/TSV.

        Examples
        --------
        >>> from kgtools.ontology import Ontology
        >>> from kgtools.resources import example_path
        >>> text = align(Ontology.load(), example_path("hp_calcinosis.obo")).sssom()
        >>> "semapv:LexicalMatching" in text and "HP:0025520" not in text
        True
        """
        return to_sssom(self.proposed + (self.existing if include_existing else []), self.metadata)


def _names(triples) -> tuple[dict, set, dict]:
    """(iri -> [(text, field property)]), deprecated IRIs, and the ontology header (iri, version IRI)."""
    import pyoxigraph as ox

    names: dict = {}
    deprecated: set = set()
    header: dict = {}
    for t in triples:
        if not isinstance(t.subject, ox.NamedNode):
            continue
        predicate = t.predicate.value
        if predicate in FIELDS and isinstance(t.object, ox.Literal):
            names.setdefault(t.subject.value, []).append((t.object.value, predicate))
        elif predicate == _DEPRECATED and t.object.value.lower() == "true":
            deprecated.add(t.subject.value)
        elif t.object.value == _ONTOLOGY:
            header.setdefault("iri", t.subject.value)
        elif predicate == _VERSION_IRI:
            header["version"] = t.object.value
    return names, deprecated, header


def align(onto: Ontology, other: str | Path) -> AlignResult:
    """Match the labels and synonyms of the project's terms against those of ``other`` (OWL or OBO).

    Each pair of terms is proposed once, with its best match: the highest
    confidence over the fields that matched (label over synonym, exact pass
    over the looser one).

    Examples
    --------
    >>> from kgtools.ontology import Ontology
    >>> from kgtools.resources import example_path
    >>> result = align(Ontology.load(), example_path("hp_calcinosis.obo"))
    >>> m = [m for m in result.existing if m.object_id == "HP:0025520"][0]
    >>> m.predicate_id, m.confidence, m.match_string
    ('skos:exactMatch', 0.95, 'calcinosis cutis')
    """
    from rdflib import URIRef

    from kgtools.exchange.external import normalise_curie, read_triples
    from kgtools.ontology import converter

    conv = converter()
    curie = lambda iri: conv.compress(iri) or iri  # noqa: E731
    project_names: dict = {}
    for prop in FIELDS:
        for subject, text in onto.graph.subject_objects(URIRef(prop)):
            if str(subject).startswith(CCUT):
                project_names.setdefault(str(subject), []).append((str(text), prop))
    names, deprecated, header = _names(read_triples(other, "align"))
    exact_index: dict = {}
    loose_index: dict = {}
    for iri, entries in names.items():
        if iri in deprecated or iri.startswith(CCUT):
            continue
        for text, prop in entries:
            exact_index.setdefault(normalise(text), []).append((iri, text, prop))
            loose_index.setdefault(loose_key(text), []).append((iri, text, prop))

    existing_pairs = {(curie(str(s)), normalise_curie(str(o))) for s, o in
                      onto.graph.subject_objects(URIRef(OBOINOWL + "hasDbXref")) if str(s).startswith(CCUT)}
    best: dict = {}
    for iri, entries in project_names.items():
        for text, prop in entries:
            for loose, index, key in ((False, exact_index, normalise(text)), (True, loose_index, loose_key(text))):
                for target, target_text, target_prop in index.get(key, []):
                    confidence = min(FIELDS[prop][1], FIELDS[target_prop][1])
                    if loose:
                        confidence -= 0.3  # words of one meaning, word order: a weaker sign
                    elif text.lower() != target_text.lower():
                        confidence -= 0.05  # equal only after spelling, plural or punctuation levelling
                    exact_fields = {prop, target_prop} <= {_LABEL, OBOINOWL + "hasExactSynonym"}
                    predicate = "skos:exactMatch" if exact_fields and not loose else "skos:closeMatch"
                    mapping = Mapping(
                        curie(iri), onto.label(iri), predicate, curie(target),
                        object_label=next((t for t, p in names[target] if p == _LABEL), None),
                        mapping_justification="semapv:LexicalMatching", confidence=round(confidence, 2),
                        object_source=header.get("iri"), object_source_version=header.get("version"),
                        subject_match_field=FIELDS[prop][0], object_match_field=FIELDS[target_prop][0],
                        match_string=key,
                        comment=f"{text} ~ {target_text}" + (" (word rules, any order)" if loose else ""))
                    pair = (mapping.subject_id, mapping.object_id)
                    if pair not in best or mapping.confidence > best[pair].confidence:
                        best[pair] = mapping
    found = sorted(best.values(), key=lambda m: (m.subject_id, -m.confidence, m.object_id))
    metadata = {
        "mapping_set_id": "http://purl.obolibrary.org/obo/ccut/mappings/proposed.sssom.tsv",
        "mapping_set_title": f"Lexical mapping proposals from CCUT to {Path(other).name}, for review",
        "license": "https://creativecommons.org/licenses/by/4.0/",
        "mapping_tool": "kgtools align",
        "subject_source": "obo:ccut",
        "subject_source_version": onto.metadata().get("version_iri"),
    }
    return AlignResult([m for m in found if (m.subject_id, m.object_id) not in existing_pairs],
                       [m for m in found if (m.subject_id, m.object_id) in existing_pairs], metadata)

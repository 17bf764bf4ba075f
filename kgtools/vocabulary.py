"""The IRIs the modules share: namespaces, and the annotation properties every project term carries.

The lowest module of the package: it imports nothing, so that any module
can name these IRIs without importing the ones that load a graph.

Examples
--------
>>> CCUT + "0001004"
'http://purl.obolibrary.org/obo/CCUT_0001004'
"""

OBO = "http://purl.obolibrary.org/obo/"
CCUT = OBO + "CCUT_"
IAO_DEFINITION = OBO + "IAO_0000115"
OBOINOWL = "http://www.geneontology.org/formats/oboInOwl#"
HAS_DBXREF = OBOINOWL + "hasDbXref"
SYNONYM_PROPERTIES = {
    OBOINOWL + "hasExactSynonym": "exact",
    OBOINOWL + "hasRelatedSynonym": "related",
    OBOINOWL + "hasBroadSynonym": "broad",
    OBOINOWL + "hasNarrowSynonym": "narrow",
}

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDF_TYPE = RDF + "type"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
RDFS_LABEL = RDFS + "label"
RDFS_SUBCLASS_OF = RDFS + "subClassOf"
OWL = "http://www.w3.org/2002/07/owl#"
XSD = "http://www.w3.org/2001/XMLSchema#"
XSD_STRING = XSD + "string"

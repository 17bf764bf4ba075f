"""The checks on an ontology: SHACL validation (``validate``) and OWL reasoning (``reason``).

Above the ontology and its provenance model, which they read; below the SPARQL, graph and exchange layers.
"""

"""SPARQL: the stored queries and the engines that answer them (``query``), remote triple stores and the push
into them (``remote``), and the read-only endpoint (``serve``, with ``workers``, the processes that answer it).

Above the ontology and the checks; below the graph and exchange layers, which never import it back.
"""

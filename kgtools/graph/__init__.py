"""The graph: the ontology projected onto a NetworkX graph (``projection``); paths, explanations, neighbours,
centrality and differential diagnosis on it (``paths``); and its pictures (``viz``, with ``overview``, the
layout of the whole graph in columns by kind).
"""

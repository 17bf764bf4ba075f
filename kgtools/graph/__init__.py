"""The graph: the ontology projected onto a NetworkX graph (``projection``); paths, explanations, neighbours,
centrality and differential diagnosis on it (``analysis``); and its pictures (``viz``, with ``overview``, the
layout of the whole graph in columns by kind).
"""

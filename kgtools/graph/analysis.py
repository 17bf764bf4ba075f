"""Path analysis: what connects the terms of the ontology, as a labelled directed graph.

The graph is the projection of :mod:`kgtools.graph.projection` (:func:`project`,
or :func:`project_near` for the part of it around a few terms, which is all
that a path or an explanation of at most a few steps can use): nodes are
the named entities, keyed by CURIE; edges are the class axioms, restrictions,
unions, assertions and qualified statements, keyed by relation label, each
with its provenance.

Edges point from the subject of the axiom to its object (``renal failure
--causes or contributes to condition--> renal hyperparathyroidism``,
``calciphylaxis --disease has basis in--> progressive calcification of small
vessels``). :func:`find_paths` walks them in either direction by default and
shows each step with its own arrow; :func:`explain` orients them by
:data:`LEADS_TO` into "what leads to what".

Examples
--------
>>> from kgtools.ontology import Ontology
>>> G = project(Ontology.load())
>>> [p.text(G) for p in find_paths(G, "CCUT:0003006", "CCUT:0001004")]  # doctest: +NORMALIZE_WHITESPACE
['renal failure --causes or contributes to condition--> renal hyperparathyroidism
  --causes or contributes to condition--> metastatic calcification
  <--is a-- progressive calcification of small vessels <--disease has basis in-- calciphylaxis']
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kgtools.errors import InputError
# The projection is this module's graph: its functions are part of the path analysis's API.
from kgtools.graph.projection import IS_A, add_details, project, project_near  # noqa: F401
from kgtools.ontology import Ontology

if TYPE_CHECKING:  # typed without importing networkx when the module loads
    import networkx as nx

#: How each relation orients "what leads to what" for :func:`explain`: +1 the
#: subject leads to the object (a cause to its effect), -1 the object leads to
#: the subject (a basis to the disease built on it). ``is a`` is -1: what leads
#: to a general process leads to its specific kinds, and a specific kind leads
#: on to what the general one does.
LEADS_TO = {
    "causes or contributes to condition": 1,
    "disease has basis in": -1,
    IS_A: -1,
    "formed as result of": -1,
    "has output": 1,
    "derives from": -1,
    "derives into": 1,
}


@dataclass(frozen=True)
class Step:
    """One edge of a path, walked forward (``subject -> object``) or backward."""

    source: str
    target: str
    relation: str
    forward: bool
    data: dict = field(hash=False, compare=False)

    @property
    def hedged(self) -> bool:
        """Whether the step is a qualified statement (rare, uncertain or rejected), not an axiom."""
        return bool(self.data.get("hedged"))

    def as_dict(self, G: nx.MultiDiGraph) -> dict:
        """The step as plain data, for JSON output."""
        subject, obj = (self.source, self.target) if self.forward else (self.target, self.source)
        return {
            "from": _node_dict(G, self.source),
            "to": _node_dict(G, self.target),
            "relation": self.relation,
            "relation_curie": self.data.get("relation_curie"),
            "subject": subject,
            "object": obj,
            "direction": "forward" if self.forward else "backward",
            **{k: self.data.get(k) for k in ("asserted", "hedged", "hedge", "union", "lines", "quotes", "evidence",
                                            "completion")},
        }


@dataclass(frozen=True)
class Path:
    """A chain of :class:`Step` objects from one node to another."""

    steps: tuple[Step, ...]

    @property
    def nodes(self) -> list[str]:
        """The nodes of the path, in order."""
        return [self.steps[0].source] + [s.target for s in self.steps] if self.steps else []

    @property
    def hedged(self) -> bool:
        """Whether any step is a qualified (hedged or rejected) statement."""
        return any(s.hedged for s in self.steps)

    def text(self, G: nx.MultiDiGraph, cite: bool = False) -> str:
        """The path as one readable chain of the labels of ``G``'s nodes, with arrows.

        With ``cite``, each arrow carries the source lines of its edge.

        Examples
        --------
        >>> from kgtools.ontology import Ontology
        >>> G = project(Ontology.load())
        >>> find_paths(G, "CCUT:0003006", "CCUT:0003003")[0].text(G, cite=True)
        'renal failure --causes or contributes to condition (line 31)--> renal hyperparathyroidism'
        """
        def name(node: str) -> str:
            return G.nodes[node].get("label") or node

        parts = [name(self.nodes[0])]
        for step in self.steps:
            mark = f" [{step.data['hedge']}, not asserted]" if step.hedged else ""
            if cite and step.data.get("lines"):
                mark += f" (line{'s' if len(step.data['lines']) > 1 else ''} {', '.join(map(str, step.data['lines']))})"
            arrow = f"--{step.relation}{mark}-->" if step.forward else f"<--{step.relation}{mark}--"
            parts.append(f"{arrow} {name(step.target)}")
        return " ".join(parts)

    def describe(self, G: nx.MultiDiGraph) -> str:
        """The path over several lines: each step, and under it the source lines and quotes it cites.

        Examples
        --------
        >>> from kgtools.ontology import Ontology
        >>> G = project(Ontology.load())
        >>> print(find_paths(G, "CCUT:0003006", "CCUT:0003003")[0].describe(G))
        renal failure (CCUT:0003006, condition)
          --causes or contributes to condition--> renal hyperparathyroidism (CCUT:0003003, condition)
              line 31: "secondary hyperparathyroidism subsequent to renal" [completed: renal [failure]] ECO:0000305
        """
        def name(node: str) -> str:
            data = G.nodes[node]
            return f"{data.get('label') or node} ({node}, {data.get('kind')})"

        out = [name(self.nodes[0])]
        for step in self.steps:
            mark = f" [{step.data['hedge']}: qualified statement, not asserted]" if step.hedged else ""
            arrow = f"--{step.relation}-->" if step.forward else f"<--{step.relation}--"
            out.append(f"  {arrow} {name(step.target)}{mark}")
            out.append(f"      {citation_text(step.data)}")
        return "\n".join(out)

    def as_dict(self, G: nx.MultiDiGraph) -> dict:
        """The path as plain data, for JSON output."""
        return {"length": len(self.steps), "hedged": self.hedged, "text": self.text(G),
                "nodes": [_node_dict(G, n) for n in self.nodes], "steps": [s.as_dict(G) for s in self.steps]}


def citation_text(data: dict) -> str:
    """The citation of an edge in one line: source lines, quotes, curator completion, hedge, evidence.

    The quotes follow all the line numbers together: the annotations of an
    axiom that cites several lines do not say which quote is from which line.

    Examples
    --------
    >>> citation_text({"lines": [7], "quotes": ["four forms"], "evidence": "ECO:0000304", "hedge": "as a rule"})
    'line 7: "four forms" (as a rule) ECO:0000304'
    >>> citation_text({"lines": [], "quotes": []})
    '(no citation)'
    """
    lines, quotes = data.get("lines") or [], data.get("quotes") or []
    if not lines:
        return "(no citation)"
    extra = "".join([f" [completed: {data['completion']}]" if data.get("completion") else "",
                     f" ({data['hedge']})" if data.get("hedge") else "",
                     f" {data['evidence']}" if data.get("evidence") else ""])
    quoted = " / ".join(f'"{q}"' for q in quotes)
    return f"line{'s' if len(lines) > 1 else ''} {', '.join(map(str, lines))}: {quoted}{extra}"


def _node_dict(G, node) -> dict:
    data = G.nodes[node]
    return {"curie": node, "label": data.get("label"), "kind": data.get("kind")}


# ------------------------------------------------------------------ paths
#: Node kinds that make a chain mechanistic: a path through them is preferred
#: to an equally short one through forms, sites or signs.
_MECHANISTIC_KINDS = {"mechanism", "condition"}


def _steps(G, node, directed: bool):
    """Every step out of ``node``: forward along its edges, and backward along those into it unless ``directed``."""
    for _, target, key, data in G.out_edges(node, keys=True, data=True):
        yield Step(node, target, key, True, data)
    if not directed:
        for source, _, key, data in G.in_edges(node, keys=True, data=True):
            yield Step(node, source, key, False, data)


def _climbs(step: Step) -> bool:
    return step.relation == IS_A and step.forward


def _descends(step: Step) -> bool:
    return step.relation == IS_A and not step.forward


def _state_graph(G, directed: bool):
    """Walkable states ``(node, came up an is-a)`` and the steps between them.

    Climbing ``A is a B`` and then going straight down ``C is a B`` would
    relate any two siblings through their parent (renal failure and uremia
    are both conditions): that turn is not a step of the state graph.
    """
    import networkx as nx

    H = nx.DiGraph()
    choices: dict[tuple, list[Step]] = {}
    for node in G:
        for up in (False, True):
            for step in _steps(G, node, directed):
                if up and _descends(step):
                    continue
                edge = ((node, up), (step.target, _climbs(step)))
                H.add_edge(*edge)
                choices.setdefault(edge, []).append(step)
    return H, choices


def _best_step(steps: list[Step]) -> Step:
    # An asserted axiom before a qualified statement, then forward before backward, then by relation.
    return min(steps, key=lambda s: (s.hedged, not s.forward, s.relation))


def _rank(G, path: Path) -> tuple:
    inner = path.nodes[1:-1]
    return (len(path.steps), sum(s.hedged for s in path.steps),
            -sum(G.nodes[n].get("kind") in _MECHANISTIC_KINDS for n in inner),
            sum(s.data.get("evidence") != "ECO:0000304" for s in path.steps),
            [(G.nodes[n].get("label") or n).lower() for n in path.nodes], [s.relation for s in path.steps])


def find_paths(G: nx.MultiDiGraph, source: str, target: str, max_len: int = 6, all_paths: bool = False,
               directed: bool = False) -> list[Path]:
    """The shortest path, or every simple path of at most ``max_len`` steps, from ``source`` to ``target``.

    ``G`` is a graph from :func:`project`; ``source`` and ``target`` are its
    node keys (CURIEs). Steps follow edges forward, and backward too unless
    ``directed``; a path never climbs an ``is a`` edge and goes straight down
    another (see :func:`_state_graph`). Between two nodes joined by several
    edges a step takes an asserted one before a qualified statement.

    Paths are ranked by length, then fewest hedged steps, then most
    mechanisms and conditions along the way (the mechanistic chain before a
    detour through forms or sites), then fewest curator-inferred steps, then
    by labels. Without ``all_paths`` only the first shortest path is given.
    The list is empty when no path of at most ``max_len`` steps exists.

    Examples
    --------
    >>> from kgtools.ontology import Ontology
    >>> G = project(Ontology.load())
    >>> path = find_paths(G, "CCUT:0003006", "CCUT:0002011")[0]
    >>> [G.nodes[n]["label"] for n in path.nodes]
    ['renal failure', 'renal hyperparathyroidism', 'metastatic calcification']
    >>> find_paths(G, "CCUT:0001004", "CCUT:0003006", directed=True)
    []
    >>> len(find_paths(G, "CCUT:0003006", "CCUT:0001004", max_len=4, all_paths=True))
    2
    """
    import networkx as nx

    for node in (source, target):
        if node not in G:
            raise InputError(f"{node} is not a node of the graph (is it related to anything by the chosen relations?)")
    if source == target:
        raise InputError("the two ends of a path must differ")
    # Only a node within max_len steps of both ends (either way), in all at most max_len, can be on such
    # a path: the state graph is built on those alone, which in a large ontology are a few.
    undirected = G.to_undirected(as_view=True)
    from_source = nx.single_source_shortest_path_length(undirected, source, cutoff=max_len)
    from_target = nx.single_source_shortest_path_length(undirected, target, cutoff=max_len)
    H, choices = _state_graph(G.subgraph(n for n, d in from_source.items() if d + from_target.get(n, max_len + 1) <= max_len),
                              directed)
    start, end = (source, False), ("_end", None)
    for up in (False, True):
        if (target, up) in H:
            H.add_edge((target, up), end)
    if start not in H or end not in H:
        return []
    if all_paths:
        state_paths = nx.all_simple_paths(H, start, end, cutoff=max_len + 1)
    else:
        try:
            state_paths = list(nx.all_shortest_paths(H, start, end))
        except nx.NetworkXNoPath:
            return []
    found: dict = {}
    for states in state_paths:
        states = states[:-1]
        nodes = [n for n, _ in states]
        if len(nodes) - 1 > max_len or len(set(nodes)) < len(nodes):
            continue
        path = Path(tuple(_best_step(choices[pair]) for pair in zip(states, states[1:])))
        found.setdefault(tuple((s.target, s.relation, s.forward) for s in path.steps), path)
    ranked = sorted(found.values(), key=lambda p: _rank(G, p))
    return ranked if all_paths else ranked[:1]


def node_of(onto: Ontology, G: nx.MultiDiGraph, term: str) -> str:
    """The node of ``G`` for a term given by label, synonym, CURIE or IRI.

    Examples
    --------
    >>> from kgtools.ontology import Ontology
    >>> onto = Ontology.load()
    >>> node_of(onto, project(onto), "calciophylaxis")
    'CCUT:0001004'
    """
    entity = onto.lookup(term)
    if entity.curie not in G:
        raise InputError(f"{entity.label or entity.curie} ({entity.curie}) is related to nothing by the chosen relations")
    return entity.curie


def project_around(onto: Ontology, terms: Iterable[str], radius: int, relations: Iterable[str] | None = None,
                   hedged: bool = True, details: bool = True) -> tuple[nx.MultiDiGraph, list[str]]:
    """The part of the projection within ``radius`` steps of ``terms``, and the node of each term.

    ``terms`` are labels, synonyms, CURIEs or IRIs. The graph is
    :func:`project_near` around them: what :func:`find_paths` needs for
    paths of at most ``max_len`` steps lies within :func:`path_radius` steps
    of their ends, and what :func:`explain` needs within ``max_len`` steps of
    its term.

    Examples
    --------
    >>> from kgtools.ontology import Ontology
    >>> G, (start, end) = project_around(Ontology.load(), ["renal failure", "calciphylaxis"], path_radius(4))
    >>> start, end, len(find_paths(G, start, end, max_len=4)[0].steps)
    ('CCUT:0003006', 'CCUT:0001004', 4)
    """
    iris = [entity.iri for entity in onto.lookup_all(terms)]
    G = project_near(onto, iris, radius, relations=relations, hedged=hedged, details=details)
    return G, [node_of(onto, G, iri) for iri in iris]


def path_radius(max_len: int) -> int:
    """How far from its two ends a path of at most ``max_len`` steps can go, for :func:`find_paths`.

    A node on such a path is at most ``max_len`` steps from the two ends in
    all, so at most half of that (rounded up) from one of them; so is every
    node on a shortest way to it from either end. The part of the graph
    within that many steps of the two ends therefore holds the nodes
    :func:`find_paths` keeps, at the same distances from the ends, and the
    edges between them: it gives the paths the whole graph gives.

    Examples
    --------
    >>> path_radius(6), path_radius(5)
    (3, 3)
    """
    return (max_len + 1) // 2


# ------------------------------------------------------------------ explain
def leads_to_graph(G: nx.MultiDiGraph, leads_to: dict[str, int] = LEADS_TO) -> nx.MultiDiGraph:
    """The mechanistic edges of ``G`` oriented by ``leads_to`` (:data:`LEADS_TO`), as a :class:`networkx.MultiDiGraph`.

    Each edge keeps its data and a ``forward`` flag: whether it points the way
    the axiom does.

    Examples
    --------
    >>> from kgtools.ontology import Ontology
    >>> L = leads_to_graph(project(Ontology.load()))
    >>> L.has_edge("CCUT:0002014", "CCUT:0001004")  # progressive calcification of small vessels -> calciphylaxis
    True
    """
    import networkx as nx

    L = nx.MultiDiGraph()
    L.add_nodes_from(G.nodes(data=True))
    for u, v, key, data in G.edges(keys=True, data=True):
        sense = leads_to.get(key)
        if sense == 1:
            L.add_edge(u, v, key=key, forward=True, data=data)
        elif sense == -1:
            L.add_edge(v, u, key=key, forward=False, data=data)
    return L


@dataclass(frozen=True)
class Explanation:
    """What leads to a term (``upstream`` chains ending at it) and what it leads to (``downstream``)."""

    node: str
    upstream: tuple[Path, ...]
    downstream: tuple[Path, ...]

    def as_dict(self, G: nx.MultiDiGraph) -> dict:
        """The explanation as plain data, for JSON output."""
        return {"term": _node_dict(G, self.node), "upstream": [p.as_dict(G) for p in self.upstream],
                "downstream": [p.as_dict(G) for p in self.downstream]}


def explain(G: nx.MultiDiGraph, node: str, max_len: int = 6, leads_to: dict[str, int] = LEADS_TO) -> Explanation:
    """The mechanistic and causal chains that lead to ``node``, and those that lead on from it.

    Chains follow the relations of ``leads_to`` (by default
    :data:`LEADS_TO`: relation label -> +1 or -1) in the way they lead
    (``renal failure`` causes ``renal hyperparathyroidism``; a mechanism is
    the basis of a disease; a general process leads to its specific kinds).
    Only the longest chains are kept (none is the end or the start of
    another). An upstream chain never begins with an ``is a`` step (that a
    general process is behind a specific one explains nothing); a downstream
    chain may end with one: what leads to a form leads to its kinds.
    Qualified statements are followed and flagged.

    Examples
    --------
    >>> from kgtools.ontology import Ontology
    >>> G = project(Ontology.load())
    >>> e = explain(G, "CCUT:0001004")
    >>> for p in e.upstream:
    ...     print(" > ".join(G.nodes[n]["label"] for n in p.nodes))  # doctest: +ELLIPSIS
    bone demineralization > metastatic calcification > metastatic calcinosis cutis > calciphylaxis
    bone demineralization > metastatic calcification > progressive calcification of small vessels > calciphylaxis
    ...
    renal failure > renal hyperparathyroidism > metastatic calcification > progressive calcification of small vessels > calciphylaxis
    ...
    >>> e.downstream
    ()
    """
    import networkx as nx

    # A chain of at most max_len steps stays within max_len steps of the node: the rest of a large graph is left out.
    near = nx.single_source_shortest_path_length(G.to_undirected(as_view=True), node, cutoff=max_len)
    L = leads_to_graph(G.subgraph(near), leads_to)

    def chains(reverse: bool) -> list[Path]:
        graph = L.reverse(copy=False) if reverse else L
        found = []
        for end in nx.descendants(graph, node):
            for edge_path in nx.all_simple_edge_paths(graph, node, end, cutoff=max_len):
                steps = []
                for u, v, key in edge_path:
                    data = graph.edges[u, v, key]
                    steps.append(Step(u, v, key, data["forward"], data["data"]))
                if reverse:
                    steps = [Step(s.target, s.source, s.relation, s.forward, s.data) for s in reversed(steps)]
                    while steps and steps[0].relation == IS_A:
                        steps.pop(0)
                if steps:
                    found.append(Path(tuple(steps)))
        keys = {_chain_key(p) for p in found}
        maximal: dict = {}
        for path in found:
            key = _chain_key(path)
            longer = any(k != key and len(k) > len(key) and (k[-len(key):] == key if reverse else k[:len(key)] == key)
                         for k in keys)
            if not longer:
                maximal.setdefault(key, path)
        return sorted(maximal.values(), key=lambda p: [(G.nodes[n].get("label") or n).lower() for n in p.nodes])

    return Explanation(node, tuple(chains(reverse=True)), tuple(chains(reverse=False)))


def _chain_key(path: Path) -> tuple:
    return tuple(path.nodes)


# ------------------------------------------------------------------ neighbourhood and centrality
def neighbors(G: nx.MultiDiGraph, node: str, depth: int = 1) -> list[tuple[int, Step]]:
    """The edges around ``node`` out to ``depth`` steps, each with the depth of its far end.

    Every edge between a node at distance ``d - 1`` and one at distance
    ``d`` (directions ignored) is given as ``(d, step)``, the step walked
    outwards from ``node``; sorted by depth, then labels.

    Examples
    --------
    >>> from kgtools.ontology import Ontology
    >>> G = project(Ontology.load())
    >>> [(d, s.relation, G.nodes[s.target]["label"]) for d, s in neighbors(G, "CCUT:0003006")]
    [(1, 'is a', 'condition associated with calcinosis cutis'), (1, 'occurs in patients with', 'cutaneous metastatic calcinosis'), (1, 'causes or contributes to condition', 'renal hyperparathyroidism')]
    """
    import networkx as nx

    if depth < 1:
        raise InputError(f"depth must be at least 1, not {depth}")
    distance = nx.single_source_shortest_path_length(G.to_undirected(as_view=True), node, cutoff=depth)
    found = [(distance[step.target], step) for near in distance for step in _steps(G, near, directed=False)
             if distance.get(step.target) == distance[near] + 1]
    return sorted(found, key=lambda item: (item[0], (G.nodes[item[1].target].get("label") or "").lower(),
                                            item[1].relation, (G.nodes[item[1].source].get("label") or "").lower()))


MEASURES = ("degree", "betweenness", "pagerank")


def central(G: nx.MultiDiGraph, measure: str = "degree", top: int | None = 10) -> list[tuple[str, float]]:
    """The most central nodes of ``G`` by ``measure``: degree, betweenness or pagerank.

    Directions are ignored (an axiom's direction is a modelling choice:
    "has basis in" points from a disease to its mechanism), and several
    relations between two nodes count once. Ties are broken by label.

    Examples
    --------
    >>> from kgtools.ontology import Ontology
    >>> G = project(Ontology.load())
    >>> [G.nodes[n]["label"] for n, _ in central(G, "betweenness", top=2)]
    ['metastatic calcinosis cutis', 'dystrophic calcinosis cutis']
    """
    import networkx as nx

    simple = nx.Graph(G.to_undirected(as_view=True))
    if measure == "degree":
        scores = nx.degree_centrality(simple)
    elif measure == "betweenness":
        scores = nx.betweenness_centrality(simple)
    elif measure == "pagerank":
        scores = nx.pagerank(simple)  # networkx computes it with scipy
    else:
        raise InputError(f"unknown measure {measure!r} (expected one of {', '.join(MEASURES)})")
    ranked = sorted(scores.items(), key=lambda item: (-item[1], (G.nodes[item[0]].get("label") or item[0]).lower()))
    return ranked[:top] if top else ranked


# ------------------------------------------------------------------ differential
@dataclass(frozen=True)
class Match:
    """A form's relation to one of the findings asked about, and where it comes from."""

    finding: str
    step: Step
    via: str | None

    def as_dict(self, G: nx.MultiDiGraph) -> dict:
        """The match as plain data, for JSON output."""
        return {"finding": _node_dict(G, self.finding), "via": _node_dict(G, self.via) if self.via else None,
                **self.step.as_dict(G)}


def differential(G: nx.MultiDiGraph, findings: list[str]) -> list[tuple[str, list[Match], list[Match]]]:
    """The forms ranked by how many of ``findings`` they match: ``(form, asserted matches, hedged matches)``.

    A form matches a finding (or clinical sign, condition, site... any node)
    when the form itself, or a form it is a kind of (inherited, as OWL
    subclasses inherit restrictions), has a relation other than ``is a`` to
    the finding or to a kind of it (``has feature some calcium deposits
    within the walls...`` entails ``has feature some calcium deposit``). A
    relation to a union (``bulla or ulceration...``) counts and is flagged
    ``union``. A qualified statement (rare, uncertain, rejected) is a
    *hedged* match, listed but not counted. Forms rank by the number of
    findings they match, then hedged matches, then label; forms that match
    nothing are left out.

    Examples
    --------
    >>> from kgtools.ontology import Ontology
    >>> onto = Ontology.load()
    >>> G = project(onto)
    >>> ranked = differential(G, ["CCUT:0005002", "CCUT:0006001"])  # panniculitis-like lesion, calcium deposit
    >>> [(G.nodes[f]["label"], len(m)) for f, m, _ in ranked][:3]
    [('calciphylaxis', 2), ('calcinosis circumscripta', 1), ('calcinosis universalis', 1)]
    >>> print(ranked[1][1][0].via and G.nodes[ranked[1][1][0].via]["label"])
    dystrophic calcinosis cutis
    """
    import networkx as nx

    is_a = nx.DiGraph((u, v) for u, v, key in G.edges(keys=True) if key == IS_A)
    forms = sorted(n for n, kind in G.nodes(data="kind") if kind == "form")

    def kinds_of(node: str) -> set[str]:
        return {node} | (nx.ancestors(is_a, node) if node in is_a else set())

    def supers(node: str) -> list[str]:
        return [node] + sorted(nx.descendants(is_a, node) if node in is_a else ())

    wanted = {finding: kinds_of(finding) for finding in findings}
    ranked = []
    for form in forms:
        asserted: dict = {}
        hedged: dict = {}
        for holder in supers(form):
            for _, target, key, data in G.out_edges(holder, keys=True, data=True):
                if key == IS_A:
                    continue
                for finding, accepted in wanted.items():
                    if target in accepted:
                        bucket = hedged if data.get("hedged") else asserted
                        bucket.setdefault(finding, Match(finding, Step(holder, target, key, True, data),
                                                         None if holder == form else holder))
        hedged = {f: m for f, m in hedged.items() if f not in asserted}
        if asserted or hedged:
            ranked.append((form, list(asserted.values()), list(hedged.values())))
    return sorted(ranked, key=lambda r: (-len(r[1]), -len(r[2]), (G.nodes[r[0]].get("label") or r[0]).lower()))

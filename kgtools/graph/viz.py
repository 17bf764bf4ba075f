"""Pictures of the ontology graph: an offline interactive HTML page, SVG, PNG, DOT, Mermaid, GraphML, GEXF.

Every picture draws the graph of :func:`kgtools.graph.analysis.project`: nodes
coloured and shaped by kind (:data:`STYLES`), edges coloured by family of
relation (:data:`RELATION_FAMILIES`) and named, qualified statements
(hedged or rejected, not asserted) dashed, and each union (``A or B``) as
one edge to a small "or" junction, then one edge to each alternative
(:func:`unions`).

Graphviz draws the pictures. A small graph (a ``--focus``) is laid out by
``dot``; the whole graph by :mod:`kgtools.graph.overview` (columns by kind), with
Graphviz routing the edges around the pinned boxes. The HTML page embeds
the same SVG; it is one file with its data, script and style inside (from
``kgtools/graph/viz_assets``): it needs no network, and its script pans, zooms,
searches, shows the names of relations once they can be read, and shows
what a click selects.

Examples
--------
>>> from kgtools.ontology import Ontology
>>> from kgtools.graph.analysis import project
>>> G = project(Ontology.load())
>>> dot = to_dot(neighbourhood(G, "CCUT:0001004", depth=1))
>>> dot.splitlines()[0]
'digraph ccut {'
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING

from kgtools.errors import KgtoolsError

if TYPE_CHECKING:  # typed without importing networkx when the module loads
    import networkx as nx

#: Fill colour, Graphviz shape and legend name of each kind of node.
#: Colours are the Okabe-Ito palette (distinguishable with colour blindness);
#: the shape tells the kinds apart in grey print too. All shapes are boxes
#: with a mark (rounded corners, a point, a tab, a fold...): polygons such as
#: hexagons or diamonds grow two or three times wider around a long label.
STYLES: dict[str, dict] = {
    "form": {"color": "#E69F00", "shape": "box", "legend": "form of calcinosis cutis"},
    "mechanism": {"color": "#56B4E9", "shape": "box", "dot": {"style": "rounded,filled"}, "swatch": "rounded",
                  "legend": "mechanism"},
    "condition": {"color": "#CC79A7", "shape": "cds", "dot": {"margin": "0.2,0.04"}, "legend": "associated condition"},
    "site": {"color": "#009E73", "shape": "tab", "legend": "site"},
    "finding": {"color": "#F0E442", "shape": "folder", "legend": "histopathological finding"},
    "clinical sign": {"color": "#D55E00", "shape": "box3d", "legend": "clinical sign"},
    "other": {"color": "#BBBBBB", "shape": "note", "legend": "other (cell, quality, phenotype...)"},
}
#: Output formats of :func:`render`.
FORMATS = ("html", "svg", "png", "dot", "mermaid", "graphml", "gexf")
_ASSETS = Path(__file__).parent / "viz_assets"


def style(kind: str) -> dict:
    """The :data:`STYLES` entry of a kind (``other`` for kinds without their own).

    Examples
    --------
    >>> style("form")["shape"], style("cell")["shape"]
    ('box', 'note')
    """
    return STYLES.get(kind, STYLES["other"])


def neighbourhood(G: nx.MultiDiGraph, node: str | None = None, depth: int = 1) -> nx.MultiDiGraph:
    """The part of ``G`` within ``depth`` steps of ``node`` (directions ignored), or all of ``G``.

    Examples
    --------
    >>> from kgtools.ontology import Ontology
    >>> from kgtools.graph.analysis import project
    >>> G = project(Ontology.load())
    >>> neighbourhood(G, "CCUT:0001004", depth=1).number_of_nodes()
    10
    """
    import networkx as nx

    if node is None:
        return G
    if depth < 0:
        raise KgtoolsError(f"depth must be at least 0, not {depth}")
    near = nx.single_source_shortest_path_length(G.to_undirected(as_view=True), node, cutoff=depth)
    return G.subgraph(near).copy()


# ------------------------------------------------------------------ text formats
def _nodes(G) -> list:
    """The nodes in the order every format lists them (by key), so that ``n{i}`` names the same node everywhere."""
    return sorted(G.nodes(data=True), key=lambda item: item[0])


def _edges(G) -> list:
    """The edges in the order every format lists them, so that ``e{i}`` names the same edge everywhere."""
    return sorted(G.edges(keys=True, data=True), key=lambda e: e[:3])


def _quote(text) -> str:
    return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _wrap(label: str, width: int = 24) -> str:
    """A long label over several lines, so that nodes stay narrow and the layout compact.

    Examples
    --------
    >>> _wrap("calcium deposits within the walls of small subcutaneous vessels")
    'calcium deposits within\\nthe walls of small\\nsubcutaneous vessels'
    """
    import textwrap

    return "\n".join(textwrap.wrap(label, width)) or label


#: Edge colours by family of relations, so that a line says what it is without its label: (name, colour, relations).
RELATION_FAMILIES = (
    ("is a", "#8C8C8C", ("is a",)),
    ("causes, has basis in, results from", "#0072B2",
     ("causes or contributes to condition", "disease has basis in", "formed as result of", "has output", "derives from",
      "derives into")),
    ("occurs in patients with", "#882255", ("occurs in patients with",)),
    ("has phenotype, feature or quality", "#C0392B", ("has phenotype", "disease has feature", "has quality")),
    ("located in, part of", "#117733", ("disease has location", "located in", "part of", "adjacent to")),
)
_OTHER_RELATIONS = ("other relation", "#555555")
#: Graphs with more nodes than this are drawn as the overview (:mod:`kgtools.graph.overview`), smaller ones by ``dot``.
OVERVIEW_MIN_NODES = 40


def relation_colour(relation: str) -> str:
    """The colour of edges of a relation (:data:`RELATION_FAMILIES`).

    Examples
    --------
    >>> relation_colour("has phenotype"), relation_colour("is a")
    ('#C0392B', '#8C8C8C')
    """
    return next((colour for _, colour, members in RELATION_FAMILIES if relation in members), _OTHER_RELATIONS[1])


def unions(G: nx.MultiDiGraph) -> list[dict]:
    """The unions of ``G``: each a subject, a relation and the edges to its alternatives (``e{i}`` ids).

    ``calciphylaxis has phenotype some (bulla or ulceration or livedo
    reticularis-like pattern)`` is one union with three edges; every picture
    draws it as one edge to a small "or" junction, then one to each member.

    Examples
    --------
    >>> from kgtools.ontology import Ontology
    >>> from kgtools.graph.analysis import project
    >>> found = unions(project(Ontology.load()))
    >>> [(u["subject"], u["relation"], len(u["edges"])) for u in found][:2]
    [('CCUT:0001004', 'has phenotype', 3), ('CCUT:0001004', 'has phenotype', 2)]
    """
    groups: dict = {}
    for number, (u, v, key, data) in enumerate(_edges(G)):
        if data.get("union"):
            group = groups.setdefault((u, key, tuple(data.get("union_of") or ())),
                                      {"subject": u, "relation": key, "edges": [], "members": []})
            group["edges"].append(f"e{number}")
            group["members"].append(v)
    found = sorted(groups.values(), key=lambda g: (g["subject"], g["relation"], -len(g["members"]), g["members"]))
    for number, group in enumerate(found):
        group["id"] = f"j{number}"
    return found


class _Dot:
    """The statements of a DOT graph, kept apart until the layout adds positions."""

    def __init__(self):
        self.nodes: dict = {}  # name -> attributes
        self.edges: list = []  # (tail, head, attributes)
        self.legend: list = []  # names of the legend's nodes

    def text(self, graph: dict, cluster: list | None = None) -> str:
        def attrs(values: dict) -> str:
            return ", ".join(f"{k}=<{v}>" if isinstance(v, _Html) else f"{k}={_quote(v)}" for k, v in values.items())

        lines = ["digraph ccut {", f"  graph [{attrs(graph)}];",
                 '  node [style="filled", fontname="Arial", fontsize="12", margin="0.1,0.04", height="0.3"];',
                 '  edge [fontname="Arial", fontsize="9", arrowsize="0.7"];']
        for name, values in self.nodes.items():
            if cluster is None or name not in cluster:
                lines.append(f"  {_quote(name)} [{attrs(values)}];")
        if cluster:
            lines.append('  subgraph cluster_legend { label="Legend"; fontsize="13"; style="rounded"; color="#999999";')
            lines.extend(f"    {_quote(name)} [{attrs(self.nodes[name])}];" for name in cluster)
            lines.append("  }")
        for tail, head, values in self.edges:
            lines.append(f"  {_quote(tail)} -> {_quote(head)} [{attrs(values)}];")
        lines.append("}")
        return "\n".join(lines) + "\n"


def _term_attributes(node, data) -> dict:
    kind = data.get("kind", "other")
    look = style(kind)
    values = {"id": None, "class": "term", "label": _wrap(data.get("label") or node), "shape": look["shape"],
              "fillcolor": look["color"], "tooltip": f"{node} ({kind})"}
    values.update(look.get("dot", {}))
    return values


def _junction_attributes(group_id: str) -> dict:
    return {"id": group_id, "class": "junction", "label": "or", "shape": "circle", "fixedsize": "true", "width": "0.3",
            "fontsize": "10", "fillcolor": "#FFFFFF", "tooltip": "one of these alternatives"}


def _graph_statements(G, edge_labels: bool) -> _Dot:
    """The terms, "or" junctions and edges of ``G`` as DOT statements, with the ids the page's script uses."""
    dot = _Dot()
    for number, (node, data) in enumerate(_nodes(G)):
        dot.nodes[node] = dict(_term_attributes(node, data), id=f"n{number}")
    in_union = {}
    for group in unions(G):
        dot.nodes[group["id"]] = _junction_attributes(group["id"])
        first = G.edges[group["subject"], group["members"][0], group["relation"]]
        values = {"id": f"{group['id']}in", "class": "union", "arrowhead": "none", "color": relation_colour(group["relation"]),
                  "fontcolor": "#333333", "tooltip": f"{group['relation']}: one of {len(group['members'])} alternatives"}
        if edge_labels:
            values["label"] = f"{group['relation']} (one of)"
        if first.get("hedged"):
            values["style"] = "dashed"
        dot.edges.append((group["subject"], group["id"], values))
        in_union.update({edge: group["id"] for edge in group["edges"]})
    for number, (u, v, key, data) in enumerate(_edges(G)):
        edge_id = f"e{number}"
        values = {"id": edge_id, "color": relation_colour(key), "fontcolor": "#333333",
                  "tooltip": f"{key} [{data['hedge']}]" if data.get("hedge") else key}
        if edge_id in in_union:
            values["class"] = "alternative"
            dot.edges.append((in_union[edge_id], v, values))
            continue
        if edge_labels:
            values["label"] = key
        if data.get("hedged"):
            values["style"] = "dashed"
        dot.edges.append((u, v, values))
    return dot


class _Html(str):
    """An HTML-like label of Graphviz, written between angle brackets instead of quotes."""


def _legend_statements(G, dot: _Dot) -> None:
    """The legend as DOT nodes: each kind in its shape, then a table of the kinds of line."""
    import html

    kinds = {data.get("kind", "other") for _, data in G.nodes(data=True)}
    shown = [k for k in STYLES if k in kinds] + (["other"] if kinds - set(STYLES) and "other" not in kinds else [])
    for kind in shown:
        look = STYLES[kind]
        dot.nodes[f"legend {kind}"] = dict(look.get("dot", {}), label=look["legend"], shape=look["shape"],
                                           fillcolor=look["color"], fontsize="11", id=f"legend-{kind.replace(' ', '-')}")
        dot.legend.append(f"legend {kind}")
    relations = {key for *_, key in G.edges(keys=True)}
    rows = [(colour, "\u2501" * 5, name) for name, colour, members in RELATION_FAMILIES if relations & set(members)]
    if relations - {r for *_, members in RELATION_FAMILIES for r in members}:
        rows.append((_OTHER_RELATIONS[1], "\u2501" * 5, _OTHER_RELATIONS[0]))
    if any(d.get("hedged") for *_, d in G.edges(data=True)):
        rows.append(("#555555", "\u254c" * 5, "qualified statement: rare, uncertain or rejected, not asserted"))
    if unions(G):
        rows.append(("#000000", "\u2501 (or) \u2501", "one of the terms it points to (a union: A or B)"))
    cells = "".join(f'<TR><TD ALIGN="LEFT"><FONT COLOR="{colour}" POINT-SIZE="13">{line}\u25b6</FONT></TD>'
                    f'<TD ALIGN="LEFT">{html.escape(text)}</TD></TR>' for colour, line, text in rows)
    dot.nodes["legend lines"] = {"shape": "plain", "style": "", "fontsize": "11", "id": "legend-lines",
                                 "label": _Html(f'<TABLE BORDER="0" CELLSPACING="1" CELLPADDING="1">{cells}</TABLE>')}
    dot.legend.append("legend lines")


def _measure(dot: _Dot) -> dict:
    """The (width, height) in points that Graphviz gives each node of ``dot``."""
    import shlex

    sizes = {}
    for line in run_dot(dot.text({}), "plain").decode("utf-8").splitlines():
        if line.startswith("node "):
            fields = shlex.split(line)
            sizes[fields[1]] = (float(fields[4]) * 72, float(fields[5]) * 72)
    return sizes


def _place_overview(G, dot: _Dot) -> None:
    """Pin the nodes of ``dot`` where :func:`kgtools.graph.overview.positions` puts them; route the edges around them."""
    import html

    from kgtools.graph import overview

    text_only = _Dot()
    text_only.nodes = dot.nodes
    sizes = _measure(text_only)
    layout = overview.positions(G, sizes)
    points = dict(layout.points)
    groups = unions(G)
    for group in groups:
        # An "or" junction stands in the gap after its subject's column, level with its alternatives.
        left = points[group["subject"]][0] + sizes[group["subject"]][0] / 2
        column = layout.column_of[group["subject"]]
        right = min((points[m][0] - sizes[m][0] / 2 for m in group["members"] if layout.column_of[m] > column),
                    default=left + overview.COLUMN_GAP)
        ys = [points[m][1] for m in group["members"]]
        y = sum(ys) / len(ys)
        while any(abs(points[g["id"]][1] - y) < 24 and abs(points[g["id"]][0] - (left + right) / 2) < 24
                  for g in groups if g["id"] in points):
            y += 24
        points[group["id"]] = ((left + right) / 2, y)
    for number, (text, x, y) in enumerate(layout.headings):
        name = f"heading {number}"
        dot.nodes[name] = {"shape": "plaintext", "style": "", "label": _Html(f"<B>{html.escape(text)}</B>"),
                           "fontsize": "15", "class": "heading"}
        width = len(text) * 8.5
        points[name] = (x + width / 2, y - 6)
    if dot.legend:
        left, y = layout.free
        heading = "heading legend"
        dot.nodes[heading] = {"shape": "plaintext", "style": "", "label": _Html("<B>Legend</B>"), "fontsize": "15"}
        points[heading] = (left + 30, y)
        y += 24
        for name in dot.legend:
            w, h = sizes[name]
            points[name] = (left + w / 2, y + h / 2)
            y += h + 5
    column = {n: layout.column_of.get(n) for n in points}
    for tail, head, values in dot.edges:
        a, b = column.get(tail), column.get(head)
        if a is None or b is None:
            continue
        if values.get("color") == relation_colour("is a") and a == b:
            # The outline's tree lines, on the left of the column: the indentation says "is a".
            values.update(tailport="w", headport="w")
            values.pop("label", None)
        elif a == b:
            values.update(tailport="e", headport="e")
        else:
            values.update(tailport="e" if b > a else "w", headport="w" if b > a else "e")
    for name, (x, y) in points.items():
        dot.nodes[name]["pos"] = f"{x:.1f},{-y:.1f}!"


def to_dot(G: nx.MultiDiGraph, title: str | None = None, edge_labels: bool = True) -> str:
    """The graph in Graphviz DOT: nodes styled by kind, edges coloured and labelled by relation, qualified statements dashed.

    A union (``has phenotype some (bulla or ulceration)``) is one edge to a
    small "or" junction, then one edge to each alternative. Graphs of more
    than :data:`OVERVIEW_MIN_NODES` nodes are laid out as the overview
    (columns by kind, :mod:`kgtools.graph.overview`), smaller ones by ``dot``.
    With a ``title``, the drawing has the title on top and a legend.
    ``edge_labels=False`` leaves the labels out (the colours still tell the
    relations apart).

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("A:1", label="calciphylaxis", kind="form")
    >>> G.add_node("A:2", label='the "vessels"', kind="mechanism")
    >>> G.add_edge("A:1", "A:2", key="has basis in", hedged=True, hedge="seems")
    'has basis in'
    >>> print(to_dot(G))  # doctest: +NORMALIZE_WHITESPACE
    digraph ccut {
      graph [rankdir="LR", fontname="Arial", nodesep="0.15", ranksep="0.5"];
      node [style="filled", fontname="Arial", fontsize="12", margin="0.1,0.04", height="0.3"];
      edge [fontname="Arial", fontsize="9", arrowsize="0.7"];
      "A:1" [id="n0", class="term", label="calciphylaxis", shape="box", fillcolor="#E69F00", tooltip="A:1 (form)"];
      "A:2" [id="n1", class="term", label="the \\"vessels\\"", shape="box", fillcolor="#56B4E9", tooltip="A:2 (mechanism)", style="rounded,filled"];
      "A:1" -> "A:2" [id="e0", color="#555555", fontcolor="#333333", tooltip="has basis in [seems]", label="has basis in", style="dashed"];
    }
    """
    dot = _graph_statements(G, edge_labels)
    if title is not None:
        _legend_statements(G, dot)
    overview = G.number_of_nodes() > OVERVIEW_MIN_NODES
    graph = {"fontname": "Arial"}
    if overview:
        _place_overview(G, dot)
        graph.update(layout="neato", inputscale="72", splines="true", outputorder="edgesfirst")
    else:
        graph.update(rankdir="LR", nodesep="0.15", ranksep="0.5")
    if title is not None:
        graph.update(label=title, labelloc="t", fontsize="22")
    if overview:
        return dot.text(graph)
    return dot.text({k: graph[k] for k in ("rankdir", "fontname", "nodesep", "ranksep", "label", "labelloc", "fontsize")
                     if k in graph}, cluster=dot.legend)


#: Mermaid node shapes, by kind, as (opening, closing) brackets.
_MERMAID_SHAPES = {"form": ("[", "]"), "mechanism": ("([", "])"), "condition": ("{{", "}}"), "site": ("[/", "\\]"),
                   "finding": ("[/", "/]"), "clinical sign": ("((", "))"), "other": (">", "]")}


def _mermaid_text(text) -> str:
    return '"' + str(text).replace('"', "#quot;") + '"'


def to_mermaid(G: nx.MultiDiGraph) -> str:
    """The graph as a Mermaid flowchart: one line per node, one line per edge, one class per kind.

    Qualified statements are dotted arrows (``-.->``) with their hedge; a
    union is one line to an "or" junction (``j0((or))``), then one arrow to
    each alternative.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("A:1", label="calciphylaxis", kind="form")
    >>> G.add_node("A:2", label="vessels", kind="mechanism")
    >>> G.add_edge("A:1", "A:2", key="has basis in", hedged=True, hedge="seems")
    'has basis in'
    >>> G.add_edge("A:1", "B:1", key="has phenotype", union=True, union_of=["B:1", "B:2"])
    'has phenotype'
    >>> G.add_edge("A:1", "B:2", key="has phenotype", union=True, union_of=["B:1", "B:2"])
    'has phenotype'
    >>> print(to_mermaid(G))  # doctest: +ELLIPSIS
    flowchart LR
      n0["calciphylaxis"]:::form
      n1(["vessels"]):::mechanism
      n2>"B:1"]:::other
      n3>"B:2"]:::other
      j0(("or")):::junction
      n0 -- "has phenotype (one of)" --- j0
      n0 -. "has basis in [seems]" .-> n1
      j0 --> n2
      j0 --> n3
      classDef form fill:#E69F00,stroke:#333,color:#000
    ...
    """
    names = {node: f"n{number}" for number, (node, _) in enumerate(_nodes(G))}
    lines = ["flowchart LR"]
    for node, data in _nodes(G):
        kind = data.get("kind") if data.get("kind") in STYLES else "other"
        opening, closing = _MERMAID_SHAPES[kind]
        lines.append(f"  {names[node]}{opening}{_mermaid_text(data.get('label') or node)}{closing}:::{kind.replace(' ', '_')}")
    groups = unions(G)
    junction = {}
    for group in groups:
        lines.append(f'  {group["id"]}(("or")):::junction')
        junction.update({edge: group["id"] for edge in group["edges"]})
    for group in groups:
        label = _mermaid_text(f"{group['relation']} (one of)")
        lines.append(f"  {names[group['subject']]} -- {label} --- {group['id']}")
    for number, (u, v, key, data) in enumerate(_edges(G)):
        if f"e{number}" in junction:
            lines.append(f"  {junction[f'e{number}']} --> {names[v]}")
        elif data.get("hedged"):
            label = f"{key} [{data.get('hedge')}]"
            lines.append(f"  {names[u]} -. {_mermaid_text(label)} .-> {names[v]}")
        else:
            lines.append(f"  {names[u]} -- {_mermaid_text(key)} --> {names[v]}")
    for kind, look in STYLES.items():
        lines.append(f"  classDef {kind.replace(' ', '_')} fill:{look['color']},stroke:#333,color:#000")
    lines.append("  classDef junction fill:#fff,stroke:#000,color:#000")
    return "\n".join(lines) + "\n"


def plain_copy(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy of ``G`` whose attributes are strings, numbers or booleans, as GraphML and GEXF need.

    :func:`kgtools.graph.analysis.project` keeps lists (source lines, quotes,
    cross-references, the members of a union) as lists, for Python; networkx's
    ``write_graphml`` and ``write_gexf`` refuse them. Lists become
    ``"; "``-separated text and None the empty string.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_edge("a", "b", key="is a", lines=[11, 23], hedge=None)
    'is a'
    >>> plain_copy(G).edges["a", "b", "is a"]
    {'lines': '11; 23', 'hedge': ''}

    Writing the ontology's graph to GraphML:

    >>> import io
    >>> from kgtools.ontology import Ontology
    >>> from kgtools.graph.analysis import project
    >>> buffer = io.BytesIO()
    >>> nx.write_graphml(plain_copy(project(Ontology.load())), buffer)
    >>> nx.read_graphml(io.BytesIO(buffer.getvalue())).nodes["CCUT:0001004"]["xrefs"].split("; ")[0]
    'DOID:4734'
    """
    def plain(value: object) -> object:
        if value is None:
            return ""
        if isinstance(value, (list, tuple, set)):
            return "; ".join(map(str, value))
        return value

    H = G.__class__()
    H.add_nodes_from((n, {k: plain(v) for k, v in d.items()}) for n, d in G.nodes(data=True))
    H.add_edges_from((u, v, key, {k: plain(x) for k, x in d.items()}) for u, v, key, d in G.edges(keys=True, data=True))
    return H


def run_dot(dot: str, fmt: str) -> bytes:
    """Lay out and draw a DOT text with Graphviz ``dot`` into ``fmt`` (svg, png, plain...).

    Raises :class:`~kgtools.errors.KgtoolsError` when Graphviz is missing or fails.

    Examples
    --------
    >>> run_dot("digraph { a -> b }", "plain").decode().splitlines()[0].startswith("graph 1")
    True
    """
    program = shutil.which("dot")
    if program is None:
        raise KgtoolsError("Graphviz 'dot' is not installed (install the graphviz package: scripts/system-deps.sh)")
    done = subprocess.run([program, f"-T{fmt}"], input=dot.encode("utf-8"), capture_output=True, timeout=120)
    if done.returncode != 0:
        raise KgtoolsError(f"Graphviz dot failed: {done.stderr.decode('utf-8', 'replace').strip()}")
    return done.stdout


# ------------------------------------------------------------------ pictures
def _inline_svg(svg: bytes) -> str:
    """Graphviz SVG without its XML prolog, sized by its container."""
    import re

    text = svg.decode("utf-8")
    text = text[text.index("<svg"):]
    return re.sub(r'<svg width="[^"]*" height="[^"]*"', "<svg", text, count=1)


#: SVG drawings of the Graphviz shapes, in a 36 x 20 box, for the legend.
_SWATCHES = {
    "box": '<rect x="2" y="3" width="32" height="14"/>',
    "rounded": '<rect x="2" y="3" width="32" height="14" rx="6"/>',
    "cds": '<polygon points="2,3 28,3 34,10 28,17 2,17"/>',
    "tab": '<polygon points="2,3 12,3 12,6 34,6 34,17 2,17"/>',
    "folder": '<polygon points="2,6 20,6 23,3 32,3 34,6 34,17 2,17"/>',
    "box3d": '<polygon points="2,7 6,3 34,3 34,13 30,17 2,17"/><path d="M2,7 H30 V17 M30,7 L34,3" fill="none"/>',
    "note": '<polygon points="2,3 29,3 34,8 34,17 2,17"/>',
}


def legend_html() -> str:
    """The legend of the page: each kind in its shape and colour, then each kind of line and the "or" junction.

    Examples
    --------
    >>> legend_html().count("</li>") == len(STYLES) + len(RELATION_FAMILIES) + 2
    True
    """
    import html

    kinds = [f'<li><svg width="36" height="20" viewBox="0 0 36 20" aria-hidden="true">'
             f'<g fill="{look["color"]}" stroke="#000">{_SWATCHES[look.get("swatch", look["shape"])]}</g></svg>'
             f' {html.escape(look["legend"])}</li>' for look in STYLES.values()]

    def line(text: str, colour: str, dash: str = "") -> str:
        return (f'<li><svg width="36" height="12" viewBox="0 0 36 12" aria-hidden="true"><line x1="1" y1="6" x2="34" '
                f'y2="6" stroke="{colour}" stroke-width="2"{dash}/></svg> {html.escape(text)}</li>')

    lines = [line(name, colour) for name, colour, _ in RELATION_FAMILIES]
    lines.append(line("qualified statement: rare, uncertain or rejected, not asserted", "#555555",
                      ' stroke-dasharray="5,3"'))
    lines.append('<li class="or-key"><svg width="36" height="20" viewBox="0 0 36 20" aria-hidden="true">'
                 '<circle cx="18" cy="10" r="8.5" fill="#fff" stroke="#000"/><text x="18" y="13.5" font-size="9" '
                 'text-anchor="middle">or</text></svg> one of the terms it points to (a union)</li>')
    return ('<ul class="kinds">' + "".join(kinds) + '</ul><ul class="lines">' + "".join(lines) + "</ul>")


def page_data(G: nx.MultiDiGraph) -> dict:
    """What the HTML page shows of each node and edge, with the ids Graphviz gives their drawings.

    Examples
    --------
    >>> from kgtools.ontology import Ontology
    >>> from kgtools.graph.analysis import project
    >>> data = page_data(project(Ontology.load()))
    >>> node = [n for n in data["nodes"] if n["label"] == "calciphylaxis"][0]
    >>> node["curie"], node["kind"], node["id"].startswith("n")
    ('CCUT:0001004', 'form', True)
    >>> sorted(len(u["edges"]) for u in data["unions"])
    [2, 2, 2, 3]
    """
    ids = {node: f"n{number}" for number, (node, _) in enumerate(_nodes(G))}
    nodes = [{"id": ids[node], "curie": node, "label": d.get("label") or node, "kind": d.get("kind", "other"),
              "color": style(d.get("kind", "other"))["color"], "iri": d.get("iri"), "definition": d.get("definition") or "",
              "synonyms": list(d.get("synonyms") or []), "xrefs": list(d.get("xrefs") or [])} for node, d in _nodes(G)]
    edges = [{"id": f"e{number}", "source": ids[u], "target": ids[v], "relation": key,
              "hedged": bool(d.get("hedged")), "hedge": d.get("hedge"), "lines": list(d.get("lines") or []),
              "quotes": list(d.get("quotes") or []), "evidence": d.get("evidence"), "completion": d.get("completion"),
              "union": None}
             for number, (u, v, key, d) in enumerate(_edges(G))]
    groups = unions(G)
    for group in groups:
        for edge in group["edges"]:
            edges[int(edge[1:])]["union"] = group["id"]
    return {"nodes": nodes, "edges": edges,
            "unions": [{"id": g["id"], "subject": ids[g["subject"]], "relation": g["relation"], "edges": g["edges"]}
                       for g in groups]}


def to_html(G: nx.MultiDiGraph, title: str = "Calcinosis cutis ontology") -> str:
    """A self-contained interactive page of the graph: works offline, from one file.

    Graphviz draws the graph as inline SVG (the overview of
    :mod:`kgtools.graph.overview` for a large graph), beside an HTML legend; the page's script
    (``kgtools/graph/viz_assets/viz.js``) pans, zooms, searches, and shows the
    definition, CURIE, cross-references and cited source quotes of a
    clicked term.

    Examples
    --------
    >>> from kgtools.ontology import Ontology
    >>> from kgtools.graph.analysis import project
    >>> page = to_html(project(Ontology.load()))
    >>> page.count('class="node term"') > 70, "http" in page.split("<script")[-1].split("</script>")[0]
    (True, False)
    """
    import html

    payload = json.dumps(page_data(G), ensure_ascii=False).replace("</", "<\\/")
    template = (_ASSETS / "page.html").read_text(encoding="utf-8")
    parts = {
        "{{TITLE}}": html.escape(title),
        "{{CSS}}": (_ASSETS / "viz.css").read_text(encoding="utf-8"),
        "{{GRAPH}}": _inline_svg(run_dot(to_dot(G), "svg")),
        "{{LEGEND}}": legend_html(),
        "{{DATA}}": payload,
        "{{JS}}": (_ASSETS / "viz.js").read_text(encoding="utf-8"),
    }
    for placeholder, text in parts.items():
        template = template.replace(placeholder, text)
    return template


def render(G: nx.MultiDiGraph, fmt: str = "html", title: str = "Calcinosis cutis ontology") -> bytes:
    """The graph in one of :data:`FORMATS`, as bytes ready to write.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_edge("a", "b", key="is a", lines=[1])
    'is a'
    >>> render(G, "mermaid").decode().splitlines()[3]
    '  n0 -- "is a" --> n1'
    >>> b"<graphml" in render(G, "graphml"), b"<gexf" in render(G, "gexf")
    (True, True)
    """
    import io

    import networkx as nx

    if fmt == "html":
        return to_html(G, title).encode("utf-8")
    if fmt in ("svg", "png", "dot"):
        # A drawing of the whole graph leaves the edge labels to the colours and the legend: 124 labels
        # would cover each other and the terms.
        dot = to_dot(G, title=title, edge_labels=G.number_of_nodes() <= OVERVIEW_MIN_NODES)
        return dot.encode("utf-8") if fmt == "dot" else run_dot(dot, fmt)
    if fmt == "mermaid":
        return to_mermaid(G).encode("utf-8")
    if fmt in ("graphml", "gexf"):
        buffer = io.BytesIO()
        (nx.write_graphml if fmt == "graphml" else nx.write_gexf)(plain_copy(G), buffer)
        return buffer.getvalue()
    raise KgtoolsError(f"unknown picture format {fmt!r} (expected one of {', '.join(FORMATS)})")

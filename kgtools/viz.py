"""Pictures of the ontology graph: an offline interactive HTML page, SVG, PNG, DOT, Mermaid, GraphML, GEXF.

Every picture draws the graph of :func:`kgtools.paths.project`: nodes
coloured and shaped by kind (:data:`STYLES`), edges labelled by relation,
qualified statements (hedged or rejected, not asserted) dashed.

Graphviz lays the graph out and draws it: ``dot`` writes the SVG and PNG,
and the HTML page embeds the same SVG. The page is one file with its data,
script and style inside (from ``kgtools/viz_assets``): it needs no network,
and its script draws nothing itself; it pans, zooms, searches and shows
what a click selects.

Examples
--------
>>> from kgtools.ontology import Ontology
>>> from kgtools.paths import project
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

from kgtools.errors import KgtoolsError

#: Fill colour, Graphviz shape and legend name of each kind of node.
#: Colours are the Okabe-Ito palette (distinguishable with colour blindness);
#: the shape tells the kinds apart in grey print too.
STYLES = {
    "form": {"color": "#E69F00", "shape": "box", "legend": "form of calcinosis cutis"},
    "mechanism": {"color": "#56B4E9", "shape": "ellipse", "legend": "mechanism"},
    "condition": {"color": "#CC79A7", "shape": "hexagon", "legend": "associated condition"},
    "site": {"color": "#009E73", "shape": "house", "legend": "site"},
    "finding": {"color": "#F0E442", "shape": "diamond", "legend": "histopathological finding"},
    "clinical sign": {"color": "#D55E00", "shape": "octagon", "legend": "clinical sign"},
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


def neighbourhood(G, node: str | None = None, depth: int = 1):
    """The part of ``G`` within ``depth`` steps of ``node`` (directions ignored), or all of ``G``.

    Examples
    --------
    >>> from kgtools.ontology import Ontology
    >>> from kgtools.paths import project
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


def to_dot(G) -> str:
    """The graph in Graphviz DOT: nodes styled by kind, edges labelled, qualified statements dashed.

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
      graph [rankdir="LR", fontname="Helvetica", nodesep="0.12", ranksep="0.6"];
      node [style="filled", fontname="Helvetica", fontsize="10", margin="0.06,0.03"];
      edge [fontname="Helvetica", fontsize="8", color="#555555", fontcolor="#333333"];
      "A:1" [id="n0", label="calciphylaxis", shape="box", fillcolor="#E69F00", tooltip="A:1 (form)"];
      "A:2" [id="n1", label="the \\"vessels\\"", shape="ellipse", fillcolor="#56B4E9", tooltip="A:2 (mechanism)"];
      "A:1" -> "A:2" [id="e0", label="has basis in", style="dashed", tooltip="has basis in [seems]"];
    }
    """
    lines = ["digraph ccut {",
             '  graph [rankdir="LR", fontname="Helvetica", nodesep="0.12", ranksep="0.6"];',
             '  node [style="filled", fontname="Helvetica", fontsize="10", margin="0.06,0.03"];',
             '  edge [fontname="Helvetica", fontsize="8", color="#555555", fontcolor="#333333"];']
    for number, (node, data) in enumerate(_nodes(G)):
        kind = data.get("kind", "other")
        look = style(kind)
        lines.append(f"  {_quote(node)} [id=\"n{number}\", label={_quote(_wrap(data.get('label') or node))}, "
                     f"shape={_quote(look['shape'])}, fillcolor={_quote(look['color'])}, tooltip={_quote(f'{node} ({kind})')}];")
    for number, (u, v, key, data) in enumerate(_edges(G)):
        dashed = ', style="dashed"' if data.get("hedged") else ""
        tip = f"{key} [{data['hedge']}]" if data.get("hedge") else key
        lines.append(f"  {_quote(u)} -> {_quote(v)} [id=\"e{number}\", label={_quote(key)}{dashed}, tooltip={_quote(tip)}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


#: Mermaid node shapes, by kind, as (opening, closing) brackets.
_MERMAID_SHAPES = {"form": ("[", "]"), "mechanism": ("([", "])"), "condition": ("{{", "}}"), "site": ("[/", "\\]"),
                   "finding": ("{", "}"), "clinical sign": ("((", "))"), "other": (">", "]")}


def _mermaid_text(text) -> str:
    return '"' + str(text).replace('"', "#quot;") + '"'


def to_mermaid(G) -> str:
    """The graph as a Mermaid flowchart: one line per node, one line per edge, one class per kind.

    Qualified statements are dotted arrows (``-.->``) with their hedge.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("A:1", label="calciphylaxis", kind="form")
    >>> G.add_node("A:2", label="vessels", kind="mechanism")
    >>> G.add_edge("A:1", "A:2", key="has basis in", hedged=True, hedge="seems")
    'has basis in'
    >>> print(to_mermaid(G))  # doctest: +ELLIPSIS
    flowchart LR
      n0["calciphylaxis"]:::form
      n1(["vessels"]):::mechanism
      n0 -. "has basis in [seems]" .-> n1
      classDef form fill:#E69F00,stroke:#333,color:#000
    ...
    """
    names = {node: f"n{number}" for number, (node, _) in enumerate(_nodes(G))}
    lines = ["flowchart LR"]
    for node, data in _nodes(G):
        kind = data.get("kind") if data.get("kind") in STYLES else "other"
        opening, closing = _MERMAID_SHAPES[kind]
        lines.append(f"  {names[node]}{opening}{_mermaid_text(data.get('label') or node)}{closing}:::{kind.replace(' ', '_')}")
    for u, v, key, data in _edges(G):
        if data.get("hedged"):
            label = f"{key} [{data.get('hedge')}]"
            lines.append(f"  {names[u]} -. {_mermaid_text(label)} .-> {names[v]}")
        else:
            lines.append(f"  {names[u]} -- {_mermaid_text(key)} --> {names[v]}")
    for kind, look in STYLES.items():
        lines.append(f"  classDef {kind.replace(' ', '_')} fill:{look['color']},stroke:#333,color:#000")
    return "\n".join(lines) + "\n"


def plain_copy(G):
    """A copy of ``G`` whose attributes are strings, numbers or booleans, as GraphML and GEXF need.

    :func:`kgtools.paths.project` keeps lists (source lines, quotes,
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
    >>> from kgtools.paths import project
    >>> buffer = io.BytesIO()
    >>> nx.write_graphml(plain_copy(project(Ontology.load())), buffer)
    >>> nx.read_graphml(io.BytesIO(buffer.getvalue())).nodes["CCUT:0001004"]["xrefs"].split("; ")[0]
    'DOID:4734'
    """
    def plain(value):
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
    "ellipse": '<ellipse cx="18" cy="10" rx="16" ry="7"/>',
    "hexagon": '<polygon points="2,10 9,3 27,3 34,10 27,17 9,17"/>',
    "house": '<polygon points="2,8 18,2 34,8 34,17 2,17"/>',
    "diamond": '<polygon points="2,10 18,2 34,10 18,18"/>',
    "octagon": '<polygon points="2,7 8,3 28,3 34,7 34,13 28,17 8,17 2,13"/>',
    "note": '<polygon points="2,3 29,3 34,8 34,17 2,17"/>',
}


def legend_html() -> str:
    """The legend of the page: one row per kind, its shape in its colour, then the kind's name.

    Examples
    --------
    >>> legend_html().count("<li>") == len(STYLES)
    True
    """
    import html

    rows = [f'<li><svg width="36" height="20" viewBox="0 0 36 20" aria-hidden="true">'
            f'<g fill="{look["color"]}" stroke="#000">{_SWATCHES[look["shape"]]}</g></svg> {html.escape(look["legend"])}</li>'
            for look in STYLES.values()]
    return '<ul class="kinds">' + "".join(rows) + "</ul>"


def page_data(G) -> dict:
    """What the HTML page shows of each node and edge, with the ids Graphviz gives their drawings.

    Examples
    --------
    >>> from kgtools.ontology import Ontology
    >>> from kgtools.paths import project
    >>> data = page_data(project(Ontology.load()))
    >>> node = [n for n in data["nodes"] if n["label"] == "calciphylaxis"][0]
    >>> node["curie"], node["kind"], node["id"].startswith("n")
    ('CCUT:0001004', 'form', True)
    """
    ids = {node: f"n{number}" for number, (node, _) in enumerate(_nodes(G))}
    nodes = [{"id": ids[node], "curie": node, "label": d.get("label") or node, "kind": d.get("kind", "other"),
              "color": style(d.get("kind", "other"))["color"], "iri": d.get("iri"), "definition": d.get("definition") or "",
              "synonyms": list(d.get("synonyms") or []), "xrefs": list(d.get("xrefs") or [])} for node, d in _nodes(G)]
    edges = [{"id": f"e{number}", "source": ids[u], "target": ids[v], "relation": key,
              "hedged": bool(d.get("hedged")), "hedge": d.get("hedge"), "lines": list(d.get("lines") or []),
              "quotes": list(d.get("quotes") or []), "evidence": d.get("evidence"), "completion": d.get("completion")}
             for number, (u, v, key, d) in enumerate(_edges(G))]
    return {"nodes": nodes, "edges": edges}


def to_html(G, title: str = "Calcinosis cutis ontology") -> str:
    """A self-contained interactive page of the graph: works offline, from one file.

    Graphviz draws the graph and a legend as inline SVG; the page's script
    (``kgtools/viz_assets/viz.js``) pans, zooms, searches, and shows the
    definition, CURIE, cross-references and cited source quotes of a
    clicked term.

    Examples
    --------
    >>> from kgtools.ontology import Ontology
    >>> from kgtools.paths import project
    >>> page = to_html(project(Ontology.load()))
    >>> page.count('class="node"') > 70, "http" in page.split("<script")[-1].split("</script>")[0]
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


def render(G, fmt: str = "html", title: str = "Calcinosis cutis ontology") -> bytes:
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
    if fmt in ("svg", "png"):
        return run_dot(to_dot(G), fmt)
    if fmt == "dot":
        return to_dot(G).encode("utf-8")
    if fmt == "mermaid":
        return to_mermaid(G).encode("utf-8")
    if fmt in ("graphml", "gexf"):
        buffer = io.BytesIO()
        (nx.write_graphml if fmt == "graphml" else nx.write_gexf)(plain_copy(G), buffer)
        return buffer.getvalue()
    raise KgtoolsError(f"unknown picture format {fmt!r} (expected one of {', '.join(FORMATS)})")

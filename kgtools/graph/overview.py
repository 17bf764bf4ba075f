"""The overview layout: the whole graph in columns by kind, each column an is-a outline.

A layered drawing of all 78 terms made by Graphviz's ``dot`` is too wide
to read on a screen: its long edges run to the hub classes and its labels
shrink to a few pixels. The overview instead puts the terms in columns that
read as the source tells the story, left to right: associated conditions
and mechanisms, then the forms, then clinical signs and histopathology,
then sites. Inside a column the terms stand in is-a order, each child
indented under its parent, so a column reads like a table of contents;
the other relations run between the columns.

:func:`positions` places the terms (and any other boxes given, such as the
"or" junctions of unions) from their sizes, which Graphviz measures; Graphviz
then draws the edges around the fixed boxes (``layout=neato`` with pinned
positions).

Examples
--------
>>> import networkx as nx
>>> G = nx.MultiDiGraph()
>>> G.add_node("F:1", label="calcinosis cutis", kind="form")
>>> G.add_node("F:2", label="calciphylaxis", kind="form")
>>> G.add_node("S:1", label="hypodermis", kind="site")
>>> G.add_edge("F:2", "F:1", key="is a")
'is a'
>>> layout = positions(G, {n: (100.0, 20.0) for n in G})
>>> layout.points["F:2"][0] > layout.points["F:1"][0]  # indented under its parent
True
>>> layout.points["S:1"][0] > layout.points["F:2"][0]  # sites to the right of forms
True
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # typed without importing networkx when the module loads
    import networkx as nx

#: The columns of the overview, left to right; each is a stack of sections (heading, kinds).
COLUMNS = (
    (("Associated conditions", ("condition",)), ("Mechanisms", ("mechanism",))),
    (("Forms", ("form",)),),
    (("Clinical signs", ("clinical sign", "quality", "phenotype")), ("Histopathology", ("finding", "cell"))),
    (("Sites", ("site",)),),
)
#: The section of kinds no column names (an ontology merged with others brings new kinds).
OTHER_SECTION = (2, 0)
#: Points between two columns (room for the edges and the "or" junctions), between two boxes, per indent level.
COLUMN_GAP = 80.0
ROW_GAP = 7.0
INDENT = 14.0
HEADING_HEIGHT = 26.0
SECTION_GAP = 22.0


@dataclass
class Layout:
    """Where the overview puts each box (centre, in points, y growing downwards), and its headings."""

    points: dict = field(default_factory=dict)
    column_of: dict = field(default_factory=dict)
    #: (text, x of its left edge, y of its baseline) for each section heading.
    headings: list = field(default_factory=list)
    #: (x, y) of the top-left corner of the free space below the last column (where a legend can go).
    free: tuple = (0.0, 0.0)


def section_of(kind: str) -> tuple[int, int]:
    """(column, section) of a kind in :data:`COLUMNS`.

    Examples
    --------
    >>> section_of("form"), section_of("site"), section_of("gene")
    ((1, 0), (3, 0), (2, 0))
    """
    for column, sections in enumerate(COLUMNS):
        for number, (_, kinds) in enumerate(sections):
            if kind in kinds:
                return column, number
    return OTHER_SECTION


def outline(G: nx.MultiDiGraph, members: list[str]) -> list[tuple[str, int]]:
    """The members in is-a order, each with its depth: a parent first, then its children by label.

    A term's parent is its first is-a parent among the members (by label);
    parents with more children come first, so the big trees lead.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> for n, label in [("a", "pathological calcification"), ("b", "metastatic calcification"), ("c", "uremia")]:
    ...     G.add_node(n, label=label)
    >>> G.add_edge("b", "a", key="is a")
    'is a'
    >>> outline(G, ["c", "b", "a"])
    [('a', 0), ('b', 1), ('c', 0)]
    """
    inside = set(members)

    def label(node: str) -> str:
        return str(G.nodes[node].get("label") or node).lower()

    parent = {}
    for node in members:
        parents = sorted((v for _, v, key in G.out_edges(node, keys=True) if key == "is a" and v in inside and v != node),
                         key=label)
        parent[node] = parents[0] if parents else None
    children: dict = {}
    for node, up in parent.items():
        children.setdefault(up, []).append(node)

    def size(node: str, seen: tuple[str, ...] = ()) -> int:
        return 1 + sum(size(c, seen + (node,)) for c in children.get(node, []) if c not in seen)

    order, placed = [], set()

    def walk(node: str, depth: int) -> None:
        if node in placed:
            return
        placed.add(node)
        order.append((node, depth))
        for child in sorted(children.get(node, []), key=label):
            walk(child, depth + 1)

    for root in sorted(children.get(None, []), key=lambda n: (-size(n), label(n))):
        walk(root, 0)
    for node in sorted(members, key=label):  # terms on an is-a cycle have no root
        walk(node, 0)
    return order


def positions(G: nx.MultiDiGraph, sizes: dict) -> Layout:
    """The overview :class:`Layout` of the nodes of ``G``, whose boxes have the ``sizes`` (width, height) in points.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("C:1", label="renal failure", kind="condition")
    >>> G.add_node("M:1", label="hypercalcemia", kind="mechanism")
    >>> layout = positions(G, {"C:1": (80.0, 20.0), "M:1": (90.0, 20.0)})
    >>> [h[0] for h in layout.headings]
    ['Associated conditions', 'Mechanisms']
    >>> layout.points["C:1"][1] < layout.points["M:1"][1]  # conditions above mechanisms
    True
    """
    by_section: dict = {}
    for node, kind in G.nodes(data="kind"):
        by_section.setdefault(section_of(kind or "other"), []).append(node)
    layout = Layout()
    x = 0.0
    for column, sections in enumerate(COLUMNS):
        y, width = 0.0, 0.0
        for number, (heading, _) in enumerate(sections):
            items = outline(G, by_section.get((column, number), []))
            if not items:
                continue
            if y:
                y += SECTION_GAP
            layout.headings.append((heading, x, y + HEADING_HEIGHT * 0.6))
            y += HEADING_HEIGHT
            for node, depth in items:
                w, h = sizes[node]
                layout.points[node] = (x + INDENT * depth + w / 2, y + h / 2)
                layout.column_of[node] = column
                width = max(width, INDENT * depth + w)
                y += h + ROW_GAP
        if width:
            layout.free = (x, y + SECTION_GAP)
            x += width + COLUMN_GAP
    return layout

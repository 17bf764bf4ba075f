"""Pictures: every format is read back (GraphML, GEXF by networkx; DOT by Graphviz; SVG as XML; Mermaid line by line)."""

import json
import re
import shutil
from pathlib import Path
import xml.etree.ElementTree as ET

import networkx as nx
import pytest
from click.testing import CliRunner

from kgtools.cli import main
from kgtools.graph.analysis import project
from kgtools.graph.viz import STYLES, neighbourhood, page_data, render, run_dot, to_dot, to_mermaid, unions

pytestmark = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz dot is not installed")
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def G(onto):
    return project(onto)


def hedged_count(G):
    return sum(1 for *_, d in G.edges(keys=True, data=True) if d["hedged"])


def test_graphml_reads_back(G, tmp_path):
    path = tmp_path / "g.graphml"
    path.write_bytes(render(G, "graphml"))
    back = nx.read_graphml(path, force_multigraph=True)
    assert (back.number_of_nodes(), back.number_of_edges()) == (G.number_of_nodes(), G.number_of_edges())
    assert back.nodes["CCUT:0001004"]["label"] == "calciphylaxis"
    assert back.nodes["CCUT:0001004"]["kind"] == "form"
    edge = back.edges["CCUT:0003006", "CCUT:0003003", "causes or contributes to condition"]
    assert edge["lines"] == "31" and edge["evidence"] == "ECO:0000305" and edge["hedged"] is False
    assert sum(1 for *_, d in back.edges(data=True) if d["hedged"]) == hedged_count(G) == 10


def test_gexf_reads_back(G, tmp_path):
    path = tmp_path / "g.gexf"
    path.write_bytes(render(G, "gexf"))
    back = nx.read_gexf(path)
    assert (back.number_of_nodes(), back.number_of_edges()) == (G.number_of_nodes(), G.number_of_edges())
    assert back.nodes["CCUT:0001004"]["label"] == "calciphylaxis"


def test_dot_renders_with_graphviz(G):
    dot = render(G, "dot", title="CCUT").decode()
    assert dot == to_dot(G, title="CCUT", edge_labels=False)
    plain = run_dot(dot, "plain").decode().splitlines()
    names = {line.split()[1].strip('"') for line in plain if line.startswith("node ")}
    assert set(G.nodes) <= names and {"j0", "j1", "j2", "j3"} <= names
    # Every edge is drawn: straight, or through the "or" junction of its union (one more edge per union).
    edges = [line for line in plain if line.startswith("edge ")]
    assert len(edges) == G.number_of_edges() + len(unions(G))
    assert sum("dashed" in line for line in edges) == hedged_count(G)


def svg_texts(element):
    return [t.text for t in element.iter(SVG + "text")]


def test_svg_parses_with_one_group_per_node_and_edge(G):
    root = ET.fromstring(render(G, "svg", title="Calcinosis cutis ontology"))
    groups = [g for g in root.iter(SVG + "g")]
    nodes = [g for g in groups if g.get("class") == "node term"]
    edges = [g for g in groups if g.get("class", "").startswith("edge") and g.get("id", "").startswith("e")]
    assert len(nodes) == G.number_of_nodes() and len(edges) == G.number_of_edges()
    titles = {g.find(SVG + "title").text for g in nodes}
    assert titles == set(G.nodes)
    dashed = [g for g in edges if any(p.get("stroke-dasharray") for p in g.iter(SVG + "path"))]
    assert len(dashed) == hedged_count(G)
    # A title on top and a legend: every kind and every kind of line.
    graph = next(g for g in groups if g.get("class") == "graph")
    assert graph.find(SVG + "text").text == "Calcinosis cutis ontology"
    legend = " ".join(t for g in groups if g.get("id", "").startswith("legend") for t in svg_texts(g) if t)
    for look in STYLES.values():
        assert look["legend"] in legend
    assert "qualified statement" in legend and "one of the terms it points to" in legend
    # The whole graph reads on a screen or an A4 page: at most 1,300 points wide and 1,100 high (A4 landscape
    # is 842 points wide: 12-point labels print at 7 points or more).
    width, height = (float(root.get(k).rstrip("pt")) for k in ("width", "height"))
    assert 700 < width <= 1300 and 500 < height <= 1100
    fills = {p.get("fill").upper() for g in nodes for p in g.iter() if p.get("fill") not in (None, "none", "black")}
    assert {STYLES[k]["color"] for k in ("form", "mechanism", "condition", "site", "finding", "clinical sign")} <= fills


def test_png_is_an_image(G):
    png = render(G, "png")
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert 1000 < width <= 1800 and 800 < height <= 1500


def test_mermaid_has_one_line_per_node_and_per_edge(G):
    lines = to_mermaid(G).splitlines()
    assert lines[0] == "flowchart LR"
    edges = [line for line in lines if re.match(r"^  [nj]\d+ (--|-\.)", line)]
    assert len(edges) == G.number_of_edges() + len(unions(G))
    assert sum(" -. " in line for line in edges) == hedged_count(G)
    nodes = [line for line in lines if re.match(r"^  n\d+[\[\(\{>]", line)]
    assert len(nodes) == G.number_of_nodes()
    assert '"calciphylaxis"' in "\n".join(nodes)


def test_html_is_self_contained(G):
    page = render(G, "html").decode()
    assert page.count('class="node term"') == G.number_of_nodes()
    assert not re.search(r"<(script|link|img)[^>]+(src|href)=\"(https?:)?//", page)
    assert "@import" not in page and "url(http" not in page
    data = json.loads(re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', page, re.S).group(1))
    assert data == json.loads(json.dumps(page_data(G)))
    assert len(data["nodes"]) == G.number_of_nodes() and len(data["edges"]) == G.number_of_edges()


def test_unions_are_alternatives_in_every_format(G):
    """calciphylaxis has phenotype some (bulla or ulceration or livedo reticularis-like pattern): one "or", three ways."""
    members = {"CCUT:0005004", "CCUT:0005005", "CCUT:0005006"}
    union = next(u for u in unions(G) if set(u["members"]) == members)
    assert (union["subject"], union["relation"]) == ("CCUT:0001004", "has phenotype")
    junction = union["id"]
    # DOT: one labelled edge into the junction, one plain edge from it to each alternative.
    dot = to_dot(G)
    assert re.search(rf'"CCUT:0001004" -> "{junction}" \[id="{junction}in", [^\n]*label="has phenotype \(one of\)"', dot)
    assert {m for m in members if re.search(rf'"{junction}" -> "{m}"', dot)} == members
    assert not re.search(r'"CCUT:0001004" -> "CCUT:000500[456]"', dot)
    # SVG and PNG are drawn from it: the junction is a circle reading "or".
    root = ET.fromstring(render(G, "svg"))
    group = next(g for g in root.iter(SVG + "g") if g.get("id") == junction)
    assert group.get("class") == "node junction" and svg_texts(group) == ["or"]
    assert next(group.iter(SVG + "ellipse"), None) is not None
    # Mermaid: the same junction.
    mermaid = to_mermaid(G)
    assert f'  {junction}(("or")):::junction' in mermaid
    names = {node: f"n{i}" for i, node in enumerate(sorted(G.nodes))}
    assert f'  {names["CCUT:0001004"]} -- "has phenotype (one of)" --- {junction}' in mermaid
    assert all(f"  {junction} --> {names[m]}" in mermaid for m in members)
    # The page's data groups the three edges into the union.
    data = page_data(G)
    grouped = next(u for u in data["unions"] if u["id"] == junction)
    assert {e["target"] for e in data["edges"] if e["id"] in grouped["edges"]} == {names[m] for m in members}


def test_focus_on_a_merged_ontology(tmp_path):
    from kgtools.exchange import merge
    from kgtools.ontology import Ontology

    merged = tmp_path / "merged.ttl"
    slice_ = Path(__file__).parent / "data" / "merge" / "hp_slice.obo"
    merged.write_bytes(merge.merge(Ontology.load(), [slice_]).serialize("ttl"))
    for fmt in ("svg", "html"):
        out = tmp_path / f"focus.{fmt}"
        result = CliRunner().invoke(main, ["viz", "-i", str(merged), "--focus", "calciphylaxis", "--depth", "2",
                                           "--format", fmt, "-o", str(out)])
        assert result.exit_code == 0, result.output
    root = ET.fromstring((tmp_path / "focus.svg").read_bytes())
    terms = {g.find(SVG + "title").text for g in root.iter(SVG + "g") if g.get("class") == "node term"}
    assert {"CCUT:0001004", "CCUT:0005004"} <= terms and any(t.startswith("HP:") for t in terms)
    assert any(g.get("class") == "node junction" for g in root.iter(SVG + "g"))
    assert "calciphylaxis and its neighbours" in "".join(t or "" for t in svg_texts(root))


def test_focus_draws_a_neighbourhood(G):
    near = neighbourhood(G, "CCUT:0001004", depth=1)
    assert sorted(near.nodes[n]["label"] for n in near if n != "CCUT:0001004")[:3] == [
        "bulla", "calcium deposits within the walls of small subcutaneous vessels", "hypodermis"]
    assert neighbourhood(G, "CCUT:0001004", depth=0).number_of_nodes() == 1


def test_cli_viz_writes_each_format(tmp_path):
    runner = CliRunner()
    for fmt in ("html", "svg", "png", "dot", "mermaid", "graphml", "gexf"):
        out = tmp_path / f"g.{fmt}"
        result = runner.invoke(main, ["viz", "--focus", "calciphylaxis", "--depth", "1", "--format", fmt, "-o", str(out)])
        assert result.exit_code == 0, result.output
        assert out.stat().st_size > 100
    assert nx.read_graphml(tmp_path / "g.graphml").number_of_nodes() == 10
    result = runner.invoke(main, ["viz", "--format", "mermaid"])
    assert result.exit_code == 0 and result.output.startswith("flowchart LR")


def test_cli_viz_bad_input(tmp_path):
    runner = CliRunner()
    result = runner.invoke(main, ["viz", "--focus", "calciphylaxsis"])
    assert result.exit_code == 2 and "unknown term 'calciphylaxsis'" in result.output
    result = runner.invoke(main, ["viz", "-o", str(tmp_path / "missing" / "g.html")])
    assert result.exit_code == 2 and "does not exist" in result.output

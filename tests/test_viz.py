"""Pictures: every format is read back (GraphML, GEXF by networkx; DOT by Graphviz; SVG as XML; Mermaid line by line)."""

import json
import re
import shutil
import xml.etree.ElementTree as ET

import networkx as nx
import pytest
from click.testing import CliRunner

from kgtools.cli import main
from kgtools.paths import project
from kgtools.viz import STYLES, neighbourhood, page_data, render, run_dot, to_dot, to_mermaid

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
    dot = render(G, "dot").decode()
    assert dot == to_dot(G)
    plain = run_dot(dot, "plain").decode().splitlines()
    assert sum(line.startswith("node ") for line in plain) == G.number_of_nodes()
    assert sum(line.startswith("edge ") for line in plain) == G.number_of_edges()
    assert sum("dashed" in line for line in plain if line.startswith("edge ")) == hedged_count(G)


def test_svg_parses_with_one_group_per_node_and_edge(G):
    root = ET.fromstring(render(G, "svg"))
    groups = [g for g in root.iter(SVG + "g")]
    nodes = [g for g in groups if g.get("class") == "node"]
    edges = [g for g in groups if g.get("class") == "edge"]
    assert len(nodes) == G.number_of_nodes() and len(edges) == G.number_of_edges()
    titles = {g.find(SVG + "title").text for g in nodes}
    assert titles == set(G.nodes)
    dashed = [g for g in edges if any(p.get("stroke-dasharray") for p in g.iter(SVG + "path"))]
    assert len(dashed) == hedged_count(G)
    fills = {p.get("fill").upper() for g in nodes for p in g.iter() if p.get("fill") not in (None, "none", "black")}
    assert {STYLES[k]["color"] for k in ("form", "mechanism", "condition", "site", "finding", "clinical sign")} <= fills


def test_png_is_an_image(G):
    png = render(G, "png")
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert width > 1000 and height > 1000


def test_mermaid_has_one_line_per_node_and_per_edge(G):
    lines = to_mermaid(G).splitlines()
    assert lines[0] == "flowchart LR"
    edges = [line for line in lines if re.match(r"^  n\d+ (--|-\.) ", line)]
    assert len(edges) == G.number_of_edges()
    assert sum(" -. " in line for line in edges) == hedged_count(G)
    nodes = [line for line in lines if re.match(r"^  n\d+[\[\(\{>]", line)]
    assert len(nodes) == G.number_of_nodes()
    assert '"calciphylaxis"' in "\n".join(nodes)


def test_html_is_self_contained(G):
    page = render(G, "html").decode()
    assert page.count('class="node"') == G.number_of_nodes()
    assert not re.search(r"<(script|link|img)[^>]+(src|href)=\"(https?:)?//", page)
    assert "@import" not in page and "url(http" not in page
    data = json.loads(re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', page, re.S).group(1))
    assert data == json.loads(json.dumps(page_data(G)))
    assert len(data["nodes"]) == G.number_of_nodes() and len(data["edges"]) == G.number_of_edges()


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

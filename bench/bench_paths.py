"""Measure the path analysis and the pictures on the packaged ontology.

Run: .venv/bin/python bench/bench_paths.py [--repeat N]
Prints the median wall time of each step over N runs (default 5).
"""

import argparse

from timing import print_steps


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    repeat = parser.parse_args().repeat

    from kgtools.graph import analysis, viz
    from kgtools.ontology import Ontology

    onto = Ontology.load()
    G = analysis.project(onto)
    renal_failure, calciphylaxis = "CCUT:0003006", "CCUT:0001004"
    steps = {
        "project the ontology into NetworkX": lambda: analysis.project(Ontology(onto.graph)),
        "shortest path renal failure -> calciphylaxis": lambda: analysis.find_paths(G, renal_failure, calciphylaxis),
        "all paths of at most 6 steps": lambda: analysis.find_paths(G, renal_failure, calciphylaxis, max_len=6, all_paths=True),
        "all paths of at most 8 steps": lambda: analysis.find_paths(G, renal_failure, calciphylaxis, max_len=8, all_paths=True),
        "explain calciphylaxis": lambda: analysis.explain(G, calciphylaxis),
        "betweenness centrality": lambda: analysis.central(G, "betweenness"),
        "HTML page (Graphviz layout included)": lambda: viz.render(G, "html"),
        "SVG": lambda: viz.render(G, "svg"),
    }
    print(f"{G.number_of_nodes()} nodes, {G.number_of_edges()} edges; median of {repeat} runs")
    print_steps(steps, repeat)
    print("paths of at most 6 / 8 steps:", len(analysis.find_paths(G, renal_failure, calciphylaxis, max_len=6, all_paths=True)),
          "/", len(analysis.find_paths(G, renal_failure, calciphylaxis, max_len=8, all_paths=True)))


if __name__ == "__main__":
    main()

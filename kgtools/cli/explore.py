"""Exploring the graph: paths, explain, neighbors, central, differential, viz."""

from __future__ import annotations

import sys

import click

from kgtools.cli.options import command, format_option, input_option, load_ontology, output_option
from kgtools.cli.output import print_json, print_table, write_or_print
from kgtools.errors import EXIT_FAILED

#: The commands of this family, as ``kgtools`` names them in its help.
__all__ = ["paths", "explain", "neighbors", "central", "differential", "viz"]


relations_option = click.option(
    "-r", "--relations", "relations", multiple=True, metavar="R",
    help="Only these relations, by label or CURIE ('is a', 'RO:0004019'); repeat or separate by commas. Default: all.")


def _graph(inputs, relations=(), hedged: bool = True, details: bool = False):
    """The loaded ontology and its projection into a labelled NetworkX graph (definitions, synonyms and xrefs
    of the nodes only with ``details``)."""
    from kgtools.graph.analysis import project

    onto = load_ontology(inputs)
    names = [name.strip() for value in relations for name in value.split(",") if name.strip()]
    return onto, project(onto, relations=names or None, hedged=hedged, details=details)


def _graph_around(inputs, terms, radius: int, relations=(), hedged: bool = True):
    """The loaded ontology, the part of its projection within ``radius`` steps of ``terms``, and their nodes."""
    from kgtools.graph.analysis import project_around

    onto = load_ontology(inputs)
    names = [name.strip() for value in relations for name in value.split(",") if name.strip()]
    return (onto, *project_around(onto, terms, radius, relations=names or None, hedged=hedged))


@command()
@click.argument("source", metavar="FROM")
@click.argument("target", metavar="TO")
@click.option("--max-len", type=click.IntRange(min=1), default=6, show_default=True, help="Longest path, in steps.")
@click.option("--all", "all_paths", is_flag=True, help="Every simple path up to --max-len, not only the shortest.")
@relations_option
@click.option("--directed/--undirected", default=False, show_default=True,
              help="Follow edges only from subject to object, or both ways.")
@click.option("--asserted-only", is_flag=True, help="Leave out qualified (hedged or rejected) statements.")
@input_option
@format_option("text", "json")
def paths(source, target, max_len, all_paths, relations, directed, asserted_only, inputs, fmt):
    """Show how two terms are connected: the shortest path, or all paths, with a citation under every step.

    FROM and TO are labels, synonyms, CURIEs or IRIs. Each step shows its
    relation with an arrow in the axiom's own direction, and under it the
    source lines and quotes the axiom cites. A step through a qualified
    statement (hedged as rare, uncertain or rejected; not asserted) is flagged.
    Exits 1 when no path of at most --max-len steps exists.

    \b
    Examples:
      kgtools paths "renal failure" calciphylaxis
      kgtools paths "renal failure" calciphylaxis --all --max-len 5
      kgtools paths hypercalcemia calciphylaxis -r "causes or contributes to condition,is a,disease has basis in"
    """
    from kgtools.graph.analysis import find_paths, path_radius

    onto, G, (start, end) = _graph_around(inputs, [source, target], path_radius(max_len), relations,
                                          hedged=not asserted_only)
    found = find_paths(G, start, end, max_len=max_len, all_paths=all_paths, directed=directed)
    if fmt == "json":
        print_json([p.as_dict(G) for p in found])
    else:
        for number, path in enumerate(found, start=1):
            flag = "  (passes through a qualified statement: not asserted)" if path.hedged else ""
            click.echo(f"{'path ' + str(number) if all_paths else 'shortest path'}: {len(path.steps)} step{'s' if len(path.steps) > 1 else ''}{flag}")
            click.echo(path.describe(G) + "\n")
    if not found:
        click.echo(f"kgtools: no path from {G.nodes[start]['label']} to {G.nodes[end]['label']} "
                   f"in at most {max_len} steps", err=True)
        sys.exit(EXIT_FAILED)


@command()
@click.argument("term")
@click.option("--max-len", type=click.IntRange(min=1), default=6, show_default=True, help="Longest chain, in steps.")
@click.option("--cite", is_flag=True, help="Show the source lines and quotes under every step.")
@input_option
@format_option("text", "json")
def explain(term, max_len, cite, inputs, fmt):
    """Show the mechanistic and causal chains that lead to a term, and what it leads to.

    Chains follow causes, bases of diseases, outputs and derivations, and
    pass from a general process to its specific kinds; each arrow shows the
    axiom's own direction and the source lines it cites.

    \b
    Examples:
      kgtools explain calciphylaxis
      kgtools explain "metastatic calcification" --cite
    """
    from kgtools.graph.analysis import explain as run_explain

    onto, G, (node,) = _graph_around(inputs, [term], max_len)
    found = run_explain(G, node, max_len=max_len)
    if fmt == "json":
        return print_json(found.as_dict(G))
    data = G.nodes[found.node]
    click.echo(f"{data['label']} ({found.node}, {data['kind']})")
    for title, chains in (("What leads to it", found.upstream), ("What it leads to", found.downstream)):
        click.echo(f"\n{title}: {len(chains) or 'nothing known'}")
        for number, chain in enumerate(chains, start=1):
            flag = "  (through a qualified statement: not asserted)" if chain.hedged else ""
            if cite:
                click.echo(f"{number:>3}.{flag}\n" + "\n".join("     " + line for line in chain.describe(G).splitlines()))
            else:
                click.echo(f"{number:>3}. {chain.text(G, cite=True)}{flag}")


@command()
@click.argument("term")
@click.option("--depth", type=click.IntRange(min=1), default=1, show_default=True, help="How many steps out.")
@relations_option
@input_option
@format_option("text", "json")
def neighbors(term, depth, relations, inputs, fmt):
    """List the terms around a term, out to --depth steps, with the relation and cited lines of each edge.

    \b
    Examples:
      kgtools neighbors calciphylaxis
      kgtools neighbors "metastatic calcification" --depth 2
    """
    from kgtools.graph.analysis import neighbors as run_neighbors, node_of

    onto, G = _graph(inputs, relations)
    found = run_neighbors(G, node_of(onto, G, term), depth)
    if fmt == "json":
        return print_json([dict(step.as_dict(G), depth=d) for d, step in found])
    print_table(f"Neighbours of {term}", ["depth", "from", "relation", "to", "kind", "lines"],
            [[d, G.nodes[s.source]["label"], (f"--{s.relation}-->" if s.forward else f"<--{s.relation}--")
              + (f" [{s.data['hedge']}, not asserted]" if s.hedged else ""),
              G.nodes[s.target]["label"], G.nodes[s.target]["kind"], ", ".join(map(str, s.data["lines"]))]
             for d, s in found])


@command()
@click.option("--measure", type=click.Choice(["degree", "betweenness", "pagerank"]), default="degree",
              show_default=True, help="Centrality measure.")
@click.option("--top", type=click.IntRange(min=0), default=10, show_default=True, help="How many terms (0: all).")
@relations_option
@input_option
@format_option("text", "json")
def central(measure, top, relations, inputs, fmt):
    """Rank the terms by centrality: degree, betweenness or PageRank, directions ignored.

    \b
    Examples:
      kgtools central --measure betweenness
    """
    from kgtools.graph.analysis import central as run_central

    _, G = _graph(inputs, relations)
    ranked = run_central(G, measure, top or None)
    if fmt == "json":
        return print_json([dict(curie=n, label=G.nodes[n]["label"], kind=G.nodes[n]["kind"], score=score)
                       for n, score in ranked])
    print_table(f"Most central terms by {measure}", ["rank", "curie", "label", "kind", measure],
            [[i, n, G.nodes[n]["label"], G.nodes[n]["kind"], f"{score:.4f}"] for i, (n, score) in enumerate(ranked, 1)])


@command()
@click.argument("findings", nargs=-1, required=True, metavar="FINDING...")
@input_option
@format_option("text", "json")
def differential(findings, inputs, fmt):
    """Rank the forms by how many of the given findings, signs, conditions or sites they have, each match cited.

    A form matches a finding when it, or a form it is a kind of, is related
    to the finding or to a kind of it. Matches through qualified statements
    (rare, uncertain, rejected) are listed but not counted.

    \b
    Examples:
      kgtools differential "panniculitis-like lesion" "calcium deposit"
      kgtools differential hypodermis ulceration --format json
    """
    from kgtools.graph.analysis import differential as run_differential, node_of

    onto, G = _graph(inputs)
    ranked = run_differential(G, [node_of(onto, G, f) for f in findings])
    if fmt == "json":
        return print_json([{"form": {"curie": f, "label": G.nodes[f]["label"]}, "matched": len(asserted),
                        "of": len(findings), "matches": [m.as_dict(G) for m in asserted],
                        "hedged_matches": [m.as_dict(G) for m in hedged]} for f, asserted, hedged in ranked])
    from kgtools.graph.analysis import citation_text

    for rank, (form, asserted, hedged) in enumerate(ranked, start=1):
        click.echo(f"{rank}. {G.nodes[form]['label']} ({form}): {len(asserted)} of {len(findings)}")
        for match in asserted + hedged:
            step, via = match.step, f" (inherited from {G.nodes[match.via]['label']})" if match.via else ""
            flag = f" [{step.data['hedge']}, not asserted]" if step.hedged else (" [one of a union]" if step.data.get("union") else "")
            click.echo(f"     {G.nodes[match.finding]['label']}: {step.relation} {G.nodes[step.target]['label']}{via}{flag}")
            click.echo(f"         {citation_text(step.data)}")
    if not ranked:
        click.echo("no form matches any of these", err=True)


@command()
@click.option("--focus", metavar="TERM", help="Draw only the terms around this one (label, synonym, CURIE or IRI).")
@click.option("--depth", type=click.IntRange(min=0), default=1, show_default=True, help="How many steps around --focus.")
@relations_option
@click.option("--asserted-only", is_flag=True, help="Leave out qualified (hedged or rejected) statements.")
@input_option
@format_option("html", "svg", "png", "dot", "mermaid", "graphml", "gexf")
@output_option(help="File to write (default: standard output).")
def viz(focus, depth, relations, asserted_only, inputs, fmt, output):
    """Draw the graph: an interactive page that works offline, SVG, PNG, DOT, Mermaid, GraphML or GEXF.

    Nodes are coloured and shaped by kind, edges coloured and named by
    relation, qualified statements (hedged or rejected, not asserted) dashed,
    and a union drawn through an "or" junction. The whole graph is an
    overview in columns by kind; a --focus is laid out by Graphviz's dot.
    SVG and PNG carry a title and a legend. The HTML page has a legend, a
    search box, zoom and pan, and shows a term's definition, CURIE,
    cross-references and source quotes on a click.

    \b
    Examples:
      kgtools viz -o ccut.html
      kgtools viz --focus calciphylaxis --depth 2 --format svg -o calciphylaxis.svg
      kgtools viz --format graphml -o ccut.graphml
    """
    from kgtools.graph.viz import render

    if focus:
        onto, G, (node,) = _graph_around(inputs, [focus], depth, relations, hedged=not asserted_only)
    else:
        onto, G = _graph(inputs, relations, hedged=not asserted_only, details=True)
    title = (onto.metadata().get("title") or "Ontology graph")
    if focus:
        title += f": {G.nodes[node]['label']} and its neighbours"
    write_or_print(render(G, fmt, title=title), output,
                    f" ({G.number_of_nodes()} terms, {G.number_of_edges()} relations)")

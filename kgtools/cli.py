"""The ``kgtools`` command line: parses arguments, calls the library, prints.

Every command takes the same options where they apply: ``-i/--input`` for
the RDF files to read (the packaged ontology by default), ``-o/--output``
for where to write, ``--format`` for how. Exit codes are those of
:mod:`kgtools.errors`: 0 passed, 1 check failed, 2 could not run.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from kgtools.errors import (EXIT_BROKEN_PIPE, EXIT_FAILED, EXIT_INTERRUPTED, EXIT_TERMINATED, EXIT_USAGE,
                            KgtoolsError)
from kgtools.ontology import KINDS  # light: the module imports rdflib only when a graph is loaded
from kgtools.query import ENGINES, FORMATS as QUERY_FORMATS  # light, like kgtools.ontology


class _Terminated(KeyboardInterrupt):
    """SIGTERM, raised like Ctrl-C so that every ``finally`` runs and no partial output is left."""


def _on_sigterm(signum, frame):
    raise _Terminated()


def _one_line(text: str) -> str:
    """``text`` on one line, control characters (an echo of a binary input) escaped."""
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii")
                   for c in " ".join(str(text).split()))


def _error_message(err: BaseException) -> str:
    """One line saying what went wrong and where, for an error the library did not turn into a KgtoolsError."""
    if isinstance(err, OSError):
        where = f"{err.filename}: " if err.filename else ""
        return f"{where}{err.strerror or err}"
    if isinstance(err, UnicodeDecodeError):
        return f"cannot decode the input as {err.encoding} text (byte {err.start}: {err.reason})"
    if isinstance(err, MemoryError):
        return f"out of memory{': ' + str(err) if str(err) else ''}"
    return f"unexpected {type(err).__name__}: {err}"


class _Command(click.Command):
    """A command that refuses, before doing any work, an output it cannot write or that is one of its inputs."""

    def invoke(self, ctx):
        from kgtools import resources
        from kgtools.io import check_outputs

        outputs = [(value, not p.type.file_okay) for p in self.params
                   if isinstance(p.type, _OutputPath) and (value := ctx.params.get(p.name))]
        if outputs:
            # Any argument naming an existing file or folder may be read; so are the packaged ontology and text.
            named = [v for p in self.params if not isinstance(p.type, _OutputPath)
                     for v in _values(ctx.params.get(p.name)) if isinstance(v, str)]
            check_outputs(outputs, named + [resources.ontology_path(), resources.source_path()])
        return super().invoke(ctx)


def _values(value) -> tuple:
    return value if isinstance(value, tuple) else (value,)


class _Group(click.Group):
    """Turns library errors into one message on stderr and a documented exit code."""

    command_class = _Command

    def main(self, *args, **kwargs):
        import signal
        import threading

        if threading.current_thread() is not threading.main_thread():
            return super().main(*args, **kwargs)
        previous = signal.signal(signal.SIGTERM, _on_sigterm)
        try:
            return super().main(*args, **kwargs)
        finally:
            signal.signal(signal.SIGTERM, previous)

    def make_context(self, info_name, args, parent=None, **extra):
        try:
            return super().make_context(info_name, args, parent=parent, **extra)
        except click.UsageError as err:
            _usage_error(err)

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except KgtoolsError as err:
            click.echo(f"kgtools: error: {_one_line(err.message)}", err=True)
            ctx.exit(err.exit_code)
        except click.UsageError as err:
            _usage_error(err)
        except (click.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except _Terminated:
            click.echo("kgtools: terminated", err=True)
            ctx.exit(EXIT_TERMINATED)
        except KeyboardInterrupt:
            click.echo("kgtools: interrupted", err=True)
            ctx.exit(EXIT_INTERRUPTED)
        except BrokenPipeError:
            _drop_stdout()
            ctx.exit(EXIT_BROKEN_PIPE)
        except Exception as err:  # noqa: BLE001 -- the documented promise: one line and exit 2, never a traceback
            click.echo(f"kgtools: error: {_one_line(_error_message(err))}", err=True)
            ctx.exit(EXIT_USAGE)


def _drop_stdout() -> None:
    """Point standard output at /dev/null: its reader has gone, and flushing at exit would fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # not a real file (a test runner's buffer)
        pass


def _usage_error(err: click.UsageError):
    """Click's usage error as one line.

    ``kgtools: error: no such option '--frmat'. Did you mean '--format'? (try 'kgtools validate --help')``
    """
    message = _one_line(err.format_message()).rstrip(".")
    message = message[:1].lower() + message[1:] if message[1:2].islower() else message
    names, ctx = [], err.ctx
    while ctx is not None and ctx.parent is not None:  # the root's name is how kgtools was started: say kgtools
        names.insert(0, ctx.info_name)
        ctx = ctx.parent
    command = " ".join(["kgtools", *names])
    click.echo(f"kgtools: error: {message} (try '{command} --help')", err=True)
    sys.exit(err.exit_code)


class _OutputPath(click.Path):
    """The path of an output file or folder: checked by :class:`_Command` before the command runs."""


def output_option(*names: str, folder: bool = False, **kwargs):
    """An output option (``-o/--output`` unless ``names`` are given): a file, or a folder with ``folder=True``."""
    return click.option(*(names or ("-o", "--output")), type=_OutputPath(file_okay=not folder, dir_okay=folder),
                         **kwargs)


class _Seconds(click.FloatRange):
    """A positive, finite number of seconds (a range alone lets nan and inf through)."""

    name = "seconds"

    def __init__(self):
        super().__init__(min=0, min_open=True)

    def convert(self, value, param, ctx):
        import math

        seconds = super().convert(value, param, ctx)
        if not math.isfinite(seconds):
            self.fail(f"{value!r} is not a finite number of seconds", param, ctx)
        return seconds


class _URL(click.ParamType):
    """An http(s) URL with a host, checked when the command line is read."""

    name = "URL"

    def convert(self, value, param, ctx):
        from urllib.parse import urlsplit

        try:
            parts = urlsplit(value)
            parts.port  # noqa: B018 -- reading it checks it
        except ValueError as err:
            self.fail(f"{value!r} is not a valid URL ({err})", param, ctx)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            self.fail(f"{value!r} is not an http(s) URL with a host", param, ctx)
        return value


def _console(stderr: bool = False):
    from rich.console import Console

    console = Console(stderr=stderr, highlight=False, soft_wrap=True)
    console.on_broken_pipe = _raise_broken_pipe  # rich would exit 1; every command exits alike
    return console


def _raise_broken_pipe():
    raise BrokenPipeError()


def _table(title: str | None, headers: list[str], rows: list[list]) -> None:
    """A rich table on a terminal; tab-separated lines in a pipe."""
    console = _console()
    if not console.is_terminal:
        click.echo("\t".join(headers))
        for row in rows:
            click.echo("\t".join("" if v is None else str(v) for v in row))
        return
    from rich.table import Table

    table = Table(title=title, title_justify="left")
    for header in headers:
        table.add_column(header)
    for row in rows:
        table.add_row(*("" if v is None else str(v) for v in row))
    console.print(table)


def _write_or_print(data: str | bytes, output: str | None, detail: str = "") -> None:
    """Write ``data`` whole to ``output`` (saying so on stderr, with ``detail``), or print it."""
    from kgtools.io import write_atomic

    if output:
        write_atomic(output, data)
        click.echo(f"wrote {output}{detail}", err=True)
    elif isinstance(data, bytes):
        sys.stdout.buffer.write(data)
    else:
        click.echo(data, nl=not data.endswith("\n"))


def _json(data) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False))


def _load(inputs: tuple[str, ...], store: str | None = None):
    from kgtools.ontology import Ontology

    return Ontology.load(*inputs, store=store)


input_option = click.option(
    "-i", "--input", "inputs", multiple=True, type=click.Path(dir_okay=False),
    help="RDF file to read (.ttl, .owl, .nt, .jsonld); repeat for several. Default: the packaged ontology.")


def format_option(*choices: str, default: str | None = None):
    return click.option("--format", "fmt", type=click.Choice(choices), default=default or choices[0], show_default=True,
                        help="Output format.")


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="kgtools")
def main():
    """Tools for the calcinosis cutis ontology (CCUT).

    The packaged ontology encodes a dermatopathology text on calcinosis cutis;
    every axiom cites the source line it comes from. Options are the same
    everywhere: -i/--input for RDF files to read instead of the packaged
    ontology, -o/--output for where to write, --format (json for pipelines).

    \b
    Look:      info, lookup, entities, coverage
    Check:     validate (SHACL), reason (HermiT, OWL 2 RL)
    Query:     queries, query, serve (SPARQL endpoint), push (to a triple store)
    Explore:   paths, explain, neighbors, central, differential, viz
    Exchange:  export, release, mappings (SSSOM), merge, align
    All:       publish (every check and output into one folder)

    \b
    Examples:
      kgtools lookup calciphylaxis
      kgtools paths "renal failure" calciphylaxis
      kgtools query forms-for-condition --param condition=dermatomyositis
      kgtools validate my-extension.ttl ontology/calcinosis.ttl

    Exit codes: 0 passed, 1 a check failed, 2 the command could not run
    (one line on stderr says what and where), 130 interrupted, 143 terminated.
    """


@main.command()
@input_option
@format_option("text", "json")
def info(inputs, fmt):
    """Show the ontology's metadata and how many entities of each kind it has."""
    onto = _load(inputs)
    data = {"metadata": onto.metadata(), "counts": onto.counts()}
    if fmt == "json":
        return _json(data)
    meta = data["metadata"]
    console = _console()
    console.print(f"[bold]{meta.get('title') or 'untitled ontology'}[/bold]  {meta.get('version') or ''}")
    for key in ("iri", "version_iri", "license", "source"):
        if meta.get(key):
            console.print(f"  {key.replace('_', ' ')}: {meta[key]}")
    _table("Counts", ["what", "count"], [[k, v] for k, v in data["counts"].items()])


@main.command()
@click.argument("term")
@input_option
@format_option("text", "json")
def lookup(term, inputs, fmt):
    """Find an entity by label, synonym, CURIE or IRI and show what the ontology says of it.

    \b
    Examples:
      kgtools lookup calciphylaxis
      kgtools lookup CCUT:0001006
      kgtools lookup "renal failure" --format json
    """
    from kgtools.provenance import claims_about

    onto = _load(inputs)
    entity = onto.lookup(term)
    claims = claims_about(onto, entity.iri)
    if fmt == "json":
        return _json(dict(entity.as_dict(), claims=[c.as_dict() for c in claims]))
    console = _console()
    console.print(f"[bold]{entity.label}[/bold]  {entity.curie}  ({entity.kind})")
    console.print(f"  iri: {entity.iri}")
    if entity.definition:
        console.print(f"  definition: {entity.definition}")
    for text, scope in entity.synonyms:
        console.print(f"  synonym ({scope}): {text}")
    for xref in entity.xrefs:
        console.print(f"  xref: {xref}")
    for claim in claims:
        hedge = f" [{claim.hedge}]" if claim.hedge else ""
        status = "" if claim.asserted else " (qualified statement, not asserted)"
        lines = ", ".join(map(str, claim.lines))
        console.print(f"  {claim.relation}: {claim.target}{hedge}{status}  — line {lines}, {claim.evidence}", markup=False)


@main.command()
@click.option("--kind", type=click.Choice(KINDS), help="Only entities of this kind.")
@input_option
@format_option("text", "json")
def entities(kind, inputs, fmt):
    """List the named entities, or those of one kind, with their CURIEs."""
    found = _load(inputs).entities(kind)
    if fmt == "json":
        return _json([e.as_dict() for e in found])
    _table(None, ["curie", "label", "kind"], [[e.curie, e.label, e.kind] for e in found])


@main.command()
@input_option
@click.option("--source", type=click.Path(dir_okay=False, exists=True), help="Source text (default: the packaged one).")
@click.option("--all", "show_all", is_flag=True, help="List every line, not only content lines.")
@format_option("text", "json")
def coverage(inputs, source, show_all, fmt):
    """Show, line by line, how many axioms cite each line of the source text.

    Exits 1 when a content line (not blank, not only a figure marker) is cited
    by no axiom or qualified statement.
    """
    from kgtools import provenance

    report = provenance.coverage(_load(inputs), source)
    if fmt == "json":
        _json(report.as_dict())
    else:
        shown = report.lines if show_all else report.content_lines
        _table("Coverage of the source text", ["line", "axioms", "statements", "text"],
               [[l.number, l.axioms, l.statements, l.text[:70]] for l in shown])
        click.echo(f"{report.percent}% of {len(report.content_lines)} content lines cited"
                   + (f"; uncited: {', '.join(str(l.number) for l in report.uncited)}" if report.uncited else ""))
    if report.uncited:
        sys.exit(EXIT_FAILED)


@main.command()
@input_option
@format_option("ttl", "owl", "nt", "jsonld")
@output_option(help="File to write (default: standard output).")
def export(inputs, fmt, output):
    """Write the ontology as Turtle, RDF/XML (owl), N-Triples or JSON-LD."""
    _write_or_print(_load(inputs).serialize(fmt), output)


@main.command()
@input_option
@output_option(folder=True, default="out", show_default=True,
               help="Folder to publish into; it appears whole when every step is done, replacing an earlier one.")
def publish(inputs, output):
    """Check the ontology and publish it: every step of the toolkit, into one folder.

    Prints one line per step; exits 1 if any step's check failed.
    """
    from kgtools.publish import publish as run_publish

    console = _console()
    onto = _load(inputs)
    with console.status("publishing…") as status:
        results = run_publish(onto, output, on_step=lambda name: status.update(f"{name}…"))
    for result in results:
        mark = "[green]ok[/green]  " if result.ok else "[red]FAIL[/red]"
        console.print(f"{mark} {result.name:<10} {result.summary}")
    console.print(f"published into {Path(output).resolve()}")
    if not all(r.ok for r in results):
        sys.exit(EXIT_FAILED)


relations_option = click.option(
    "-r", "--relations", "relations", multiple=True, metavar="R",
    help="Only these relations, by label or CURIE ('is a', 'RO:0004019'); repeat or separate by commas. Default: all.")


def _graph(inputs, relations=(), hedged: bool = True, details: bool = False):
    """The loaded ontology and its projection into a labelled NetworkX graph (definitions, synonyms and xrefs
    of the nodes only with ``details``)."""
    from kgtools.paths import project

    onto = _load(inputs)
    names = [name.strip() for value in relations for name in value.split(",") if name.strip()]
    return onto, project(onto, relations=names or None, hedged=hedged, details=details)


@main.command()
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
    from kgtools.paths import find_paths, node_of

    onto, G = _graph(inputs, relations, hedged=not asserted_only)
    start, end = node_of(onto, G, source), node_of(onto, G, target)
    found = find_paths(G, start, end, max_len=max_len, all_paths=all_paths, directed=directed)
    if fmt == "json":
        _json([p.as_dict(G) for p in found])
    else:
        for number, path in enumerate(found, start=1):
            flag = "  (passes through a qualified statement: not asserted)" if path.hedged else ""
            click.echo(f"{'path ' + str(number) if all_paths else 'shortest path'}: {len(path.steps)} step{'s' if len(path.steps) > 1 else ''}{flag}")
            click.echo(path.describe(G) + "\n")
    if not found:
        click.echo(f"kgtools: no path from {G.nodes[start]['label']} to {G.nodes[end]['label']} "
                   f"in at most {max_len} steps", err=True)
        sys.exit(EXIT_FAILED)


@main.command()
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
    from kgtools.paths import explain as run_explain, node_of

    onto, G = _graph(inputs)
    found = run_explain(G, node_of(onto, G, term), max_len=max_len)
    if fmt == "json":
        return _json(found.as_dict(G))
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


@main.command()
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
    from kgtools.paths import neighbors as run_neighbors, node_of

    onto, G = _graph(inputs, relations)
    found = run_neighbors(G, node_of(onto, G, term), depth)
    if fmt == "json":
        return _json([dict(step.as_dict(G), depth=d) for d, step in found])
    _table(f"Neighbours of {term}", ["depth", "from", "relation", "to", "kind", "lines"],
           [[d, G.nodes[s.source]["label"], (f"--{s.relation}-->" if s.forward else f"<--{s.relation}--")
             + (f" [{s.data['hedge']}, not asserted]" if s.hedged else ""),
             G.nodes[s.target]["label"], G.nodes[s.target]["kind"], ", ".join(map(str, s.data["lines"]))]
            for d, s in found])


@main.command()
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
    from kgtools.paths import central as run_central

    _, G = _graph(inputs, relations)
    ranked = run_central(G, measure, top or None)
    if fmt == "json":
        return _json([dict(curie=n, label=G.nodes[n]["label"], kind=G.nodes[n]["kind"], score=score)
                      for n, score in ranked])
    _table(f"Most central terms by {measure}", ["rank", "curie", "label", "kind", measure],
           [[i, n, G.nodes[n]["label"], G.nodes[n]["kind"], f"{score:.4f}"] for i, (n, score) in enumerate(ranked, 1)])


@main.command()
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
    from kgtools.paths import differential as run_differential, node_of

    onto, G = _graph(inputs)
    ranked = run_differential(G, [node_of(onto, G, f) for f in findings])
    if fmt == "json":
        return _json([{"form": {"curie": f, "label": G.nodes[f]["label"]}, "matched": len(asserted),
                       "of": len(findings), "matches": [m.as_dict(G) for m in asserted],
                       "hedged_matches": [m.as_dict(G) for m in hedged]} for f, asserted, hedged in ranked])
    from kgtools.paths import citation_text

    for rank, (form, asserted, hedged) in enumerate(ranked, start=1):
        click.echo(f"{rank}. {G.nodes[form]['label']} ({form}): {len(asserted)} of {len(findings)}")
        for match in asserted + hedged:
            step, via = match.step, f" (inherited from {G.nodes[match.via]['label']})" if match.via else ""
            flag = f" [{step.data['hedge']}, not asserted]" if step.hedged else (" [one of a union]" if step.data.get("union") else "")
            click.echo(f"     {G.nodes[match.finding]['label']}: {step.relation} {G.nodes[step.target]['label']}{via}{flag}")
            click.echo(f"         {citation_text(step.data)}")
    if not ranked:
        click.echo("no form matches any of these", err=True)


@main.command()
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
    from kgtools.paths import add_details, node_of
    from kgtools.viz import neighbourhood, render

    onto, G = _graph(inputs, relations, hedged=not asserted_only, details=not focus)
    title = (onto.metadata().get("title") or "Ontology graph")
    if focus:
        node = node_of(onto, G, focus)
        G = neighbourhood(G, node, depth)
        add_details(onto, G)
        title += f": {G.nodes[node]['label']} and its neighbours"
    _write_or_print(render(G, fmt, title=title), output,
                    f" ({G.number_of_nodes()} terms, {G.number_of_edges()} relations)")


@main.command()
@click.argument("data", nargs=-1, type=click.Path(dir_okay=False))
@input_option
@click.option("--shapes", "shapes", multiple=True, type=click.Path(dir_okay=False),
              help="SHACL shapes file (Turtle); repeat for several. Default: the packaged shapes.")
@click.option("--inference", type=click.Choice(["none", "rdfs", "owlrl"]), default="none", show_default=True,
              help="Entailment pySHACL applies to the data before validating.")
@click.option("--source", type=click.Path(dir_okay=False, exists=True),
              help="Source text the citations are checked against (default: the packaged one).")
@click.option("--fail-on", type=click.Choice(["violation", "warning"]), default="violation", show_default=True,
              help="Exit 1 on violations only, or on warnings too.")
@format_option("text", "turtle", "json")
@output_option(help="Write the report to this file.")
def validate(data, inputs, shapes, inference, source, fail_on, fmt, output):
    """Check the ontology against the SHACL shapes and say what to fix.

    DATA are RDF files to validate together (the same as -i; default: the
    packaged ontology). The text report groups results by term, with the
    rule, the severity, the message and the offending value, and ends with
    the counts by severity; --format turtle gives the standard SHACL
    validation report, --format json the same results for pipelines.

    \b
    Examples:
      kgtools validate
      kgtools validate my-extension.ttl ontology/calcinosis.ttl
      kgtools validate --format turtle -o report.ttl

    Exits 0 when the data conforms, 1 on violations (or warnings with
    --fail-on warning), 2 when a file cannot be read or parsed.
    """
    from kgtools.validate import validate as run_validate

    report = run_validate(_load(data + inputs), shapes=list(shapes) or None, inference=inference, source=source)
    if fmt == "turtle":
        _write_or_print(report.graph.serialize(format="turtle"), output)
    elif fmt == "json":
        _write_or_print(json.dumps(report.as_dict(), indent=2, ensure_ascii=False) + "\n", output)
    elif output:
        import io

        from rich.console import Console

        buffer = io.StringIO()
        _print_validation(report, Console(file=buffer, highlight=False, soft_wrap=True))
        _write_or_print(buffer.getvalue(), output)
    else:
        _print_validation(report, _console())
    if output:
        click.echo(report.summary(), err=True)
    sys.exit(EXIT_FAILED if report.fails(fail_on) else 0)


_SEVERITY_STYLE = {"Violation": "bold red", "Warning": "yellow", "Info": "cyan"}


def _print_validation(report, console) -> None:
    """The text report: results grouped by term, then the counts by severity."""
    from rich.markup import escape

    for focus, results in report.by_focus().items():
        console.print(f"[bold]{escape(focus)}[/bold]  {escape(results[0].label or '')}".rstrip())
        for r in results:
            where = f" {r.path}" if r.path else ""
            value = f" (value: {r.value})" if r.value is not None and r.value != focus else ""
            style = _SEVERITY_STYLE.get(r.severity, "")
            console.print(f"  [{style}]{r.severity:<9}[/{style}] {escape(r.rule + where)}: {escape(r.message + value)}")
    console.print(report.summary())


@main.command()
@click.argument("data", nargs=-1, type=click.Path(dir_okay=False))
@input_option
@click.option("--reasoner", type=click.Choice(["hermit", "pellet", "owlrl"]), default="hermit", show_default=True,
              help="HermiT or Pellet (OWL 2 DL, need Java), or OWL 2 RL materialisation (owlrl, pure Python).")
@format_option("text", "json")
@output_option(
              help="Write the inferred axioms (Turtle), each annotated oboInOwl:is_inferred true, to this file.")
def reason(data, inputs, reasoner, fmt, output):
    """Run a reasoner: consistency, unsatisfiable classes, and what was inferred but not asserted.

    DATA are RDF files to reason over together (the same as -i; default: the
    packaged ontology). A clash is explained by the asserted axioms behind
    it, with the source lines they cite.

    \b
    Examples:
      kgtools reason
      kgtools reason --reasoner owlrl -o entailed.ttl
      kgtools reason ontology/calcinosis.ttl my-extension.ttl --format json

    Exits 0 when consistent with no unsatisfiable class, 1 otherwise, 2 when
    it cannot run (a bad file, or Java missing for HermiT and Pellet).
    """
    from kgtools.reason import reason as run_reason

    report = run_reason(_load(data + inputs), reasoner=reasoner)
    if output:
        _write_or_print(report.graph.serialize(format="turtle"), output)
    if fmt == "json":
        _json(report.as_dict())
    else:
        _print_reasoning(report)
    sys.exit(0 if report.ok else EXIT_FAILED)


def _print_reasoning(report) -> None:
    from rich.markup import escape

    console = _console()
    console.print(report.summary())
    for message in report.messages:
        console.print(f"  {escape(message)}")
    for clash in report.clashes:
        console.print(f"[bold red]{clash.kind}[/bold red]: {escape(clash.entity)} {escape(clash.label or '')}")
        console.print("  because of these asserted axioms:")
        for axiom in clash.axioms:
            console.print(f"    {escape(axiom)}")
    if report.inferred:
        console.print("inferred, not asserted:")
        for axiom in report.inferred:
            console.print(f"  {escape(str(axiom))}")


@main.command("queries")
@format_option("text", "json")
def list_queries(fmt):
    """List the stored SPARQL queries with their descriptions and parameters."""
    from kgtools.query import catalog

    stored = catalog()
    if fmt == "json":
        return _json([q.as_dict() for q in stored.values()])
    console = _console()
    for query in stored.values():
        console.print(f"[bold]{query.name}[/bold]  {query.title}", markup=True, highlight=False)
        console.print(f"  {query.description}", markup=False)
        for param in query.parameters:
            default = "required" if param.required else ("optional" if param.default is None else f"default: {param.default}")
            console.print(f"  --param {param.name}=… ({param.type}, {default}) {param.description}", markup=False)
        console.print(f"  e.g. {query.example}", markup=False)


@main.command()
@click.argument("name")
@click.option("--param", "params", multiple=True, metavar="NAME=VALUE",
              help="A parameter of the query (labels, CURIEs and IRIs are looked up); repeat for several.")
@format_option(*QUERY_FORMATS)
@click.option("--engine", type=click.Choice(ENGINES), default="oxigraph", show_default=True,
              help="The embedded SPARQL engine.")
@click.option("--store", type=click.Path(file_okay=False),
              help="Directory of persistent Oxigraph stores: the inputs' store is built there once and reused while "
                   "the files are unchanged. Default: the user cache directory, for large inputs.")
@click.option("--endpoint", type=_URL(), help="Run on this SPARQL endpoint instead (e.g. http://host:7878/query).")
@click.option("--graph", metavar="IRI",
              help="With --endpoint: the graph to query (default-graph-uri), e.g. the one `kgtools push --graph` filled.")
@input_option
@output_option(help="File to write (default: standard output).")
def query(name, params, fmt, engine, store, endpoint, graph, inputs, output):
    """Run a stored query (see `kgtools queries`) or a .rq file, with typed parameters.

    \b
    Examples:
      kgtools query forms-for-condition --param condition=dermatomyositis
      kgtools query differential --param finding="calcium deposit" --param finding=bulla
      kgtools query provenance --param line=51 --format csv
      kgtools query my-query.rq --engine rdflib
      kgtools query forms --endpoint http://host:8890/sparql --graph http://purl.obolibrary.org/obo/ccut.owl
    """
    from kgtools import query as q
    from kgtools.remote import open_engine

    onto = _load(inputs, store)
    result = q.run_stored(onto, name, q.parse_params(params), open_engine(onto, engine, endpoint=endpoint, graph=graph))
    if fmt == "table":
        headers, rows = q.table(result, onto.curie)
        if output:
            return _write_or_print("\n".join("\t".join(r) for r in [headers, *rows]) + "\n", output)
        return _table(q.get_query(name).title, headers, rows)
    _write_or_print(q.serialize_result(result, fmt).decode("utf-8"), output)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (loopback by default).")
@click.option("--port", type=click.IntRange(0, 65535), default=7879, show_default=True, help="Port (0: any free port).")
@click.option("--store", type=click.Path(file_okay=False), help="Oxigraph store directory (filled on first use).")
@click.option("--timeout", type=_Seconds(), default=10.0, show_default=True, help="Seconds a query may run.")
@click.option("--max-rows", type=click.IntRange(min=1), default=10000, show_default=True,
              help="Most rows (or triples) in a result.")
@click.option("--workers", type=click.IntRange(min=1), default=2, show_default=True,
              help="Queries that may run long side by side (one more worker keeps quick queries answered).")
@input_option
def serve(host, port, store, timeout, max_rows, workers, inputs):
    """Serve the ontology as a read-only SPARQL 1.1 endpoint, with the stored queries and a browser page.

    \b
    GET /                      a page to write and run queries
    GET|POST /sparql?query=…   SPARQL 1.1 Protocol (JSON, XML, CSV, TSV; Turtle, JSON-LD)
    GET /queries/NAME?k=v      a stored query with its parameters
    Updates, LOAD and SERVICE are refused (403); a query over --timeout is stopped (503).
    """
    from kgtools.serve import QueryService, make_server

    service = QueryService(inputs, store, workers=workers, timeout=timeout, max_rows=max_rows)
    try:
        server = make_server(service, host, port)
        bound_host, bound_port = server.server_address[:2]
        if host not in ("127.0.0.1", "localhost", "::1"):
            click.echo(f"kgtools: warning: listening on {host}, reachable from other machines", err=True)
        shown = f"[{bound_host}]" if ":" in bound_host else bound_host
        click.echo(f"serving on http://{shown}:{bound_port}/ (SPARQL at /sparql); Ctrl-C stops", err=True)
        server.serve_forever()
    finally:
        service.close()


@main.command()
@click.option("--endpoint", "endpoints", required=True, multiple=True, type=_URL(),
              help="Graph Store Protocol URL of the store (Oxigraph: http://host:7878/store; Virtuoso: "
                   "http://host:8890/sparql-graph-crud); repeat to load several stores.")
@click.option("--graph", metavar="IRI", help="Named graph to load into (default: the default graph).")
@click.option("--append", is_flag=True, help="Add to the graph (HTTP POST) instead of replacing it (PUT).")
@input_option
def push(endpoints, graph, append, inputs):
    """Load the ontology into triple stores over the SPARQL 1.1 Graph Store Protocol, in N-Triples chunks.

    \b
    Example:
      kgtools push -i merged.owl --graph http://purl.obolibrary.org/obo/ccut.owl \\
        --endpoint http://127.0.0.1:8890/sparql-graph-crud --endpoint http://127.0.0.1:7878/store
    """
    from kgtools.remote import push as push_graph
    from kgtools.remote import read_triples

    triples = read_triples(inputs)
    for endpoint in endpoints:
        with _progress_bar(f"pushing to {endpoint}") as on_progress:
            count = push_graph(triples, endpoint, graph, replace=not append, on_progress=on_progress)
        click.echo(f"{'added' if append else 'loaded'} {count} triples into {graph or 'the default graph'} at {endpoint}")


def _progress_bar(description: str):
    """A progress bar on stderr (rich) when it is a terminal, else a plain line at every tenth;
    gives ``on_progress(done, total)``."""
    from contextlib import nullcontext

    console = _console(stderr=True)
    if not console.is_terminal:
        shown = [-1]

        def plain(done, total):
            tenth = done * 10 // max(total, 1)
            if tenth > shown[0]:
                shown[0] = tenth
                click.echo(f"{description}: {done}/{total}", err=True)

        return nullcontext(plain)
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    class _Bar(Progress):
        def __enter__(self):
            super().__enter__()
            task = self.add_task(description, total=None)
            return lambda done, total: self.update(task, completed=done, total=total)

    return _Bar(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                console=console, transient=True)


@main.command()
@input_option
@output_option("-o", "--output", "--out", "output", folder=True, default="release", show_default=True,
               help="Folder to write the release files into; it appears whole, replacing an earlier release.")
def release(inputs, output):
    """Write the release files: OWL, Turtle, OBO, OBO Graphs JSON and JSON-LD; main, full and base variants.

    \b
    Example:
      kgtools release -o release
    """
    from kgtools.release import release as write_release

    files = write_release(_load(inputs), output)
    _table(None, ["file", "bytes"], [[str(f), f.stat().st_size] for f in files])


@main.command()
@input_option
@output_option(help="File to write (default: standard output).")
@click.option("--check", is_flag=True,
              help="Compare with the packaged mappings/calcinosis.sssom.tsv instead; exit 1 if they differ.")
def mappings(inputs, output, check):
    """Generate the SSSOM mapping set from the ontology's cross-references.

    \b
    Examples:
      kgtools mappings -o mappings/calcinosis.sssom.tsv
      kgtools mappings --check
    """
    from kgtools import mappings as sssom

    text = sssom.generate(_load(inputs))
    if check:
        same = sssom.is_current(text)
        click.echo(f"{sssom.mappings_path()}: {'up to date' if same else 'differs from the ontology; regenerate it'}")
        if not same:
            sys.exit(EXIT_FAILED)
        return
    _write_or_print(text, output)


def _progress_steps():
    """A progress display for long steps: a rich spinner on stderr when it is a terminal, else nothing."""
    from contextlib import nullcontext

    console = _console(stderr=True)
    if not console.is_terminal:
        return nullcontext(lambda name: None)
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    class _Steps(Progress):
        def __enter__(self):
            super().__enter__()
            self._task = self.add_task("", total=None)
            return lambda name: self.update(self._task, description=name)

    return _Steps(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(), console=console,
                  transient=True)


@main.command()
@click.argument("others", nargs=-1, required=True, type=click.Path(dir_okay=False), metavar="OTHER...")
@input_option
@output_option(
              help="Merged ontology to write: .owl (RDF/XML), .ttl or .nt.")
@click.option("--unify", type=click.Choice(["exact", "none"]), default="exact", show_default=True,
              help="Unify project terms with the targets of their exact mappings, or not.")
@click.option("--replace-iris", is_flag=True, help="Unify by replacing project IRIs (default: owl:equivalentClass).")
@click.option("--normalize-prefixes", is_flag=True,
              help="Rewrite the inputs' cross-reference prefixes to the project's (SNOMEDCT_US: to SCTID:...) and "
                   "https OBO PURLs to http (default: every input triple is kept as written).")
@output_option("--report", help="Write the report as JSON to this file.")
@click.option("--reason", "scope", type=click.Choice(["module", "full", "none"]), default="module", show_default=True,
              help="HermiT over the project and the terms it touches, over everything, or not at all.")
def merge(others, inputs, output, unify, replace_iris, normalize_prefixes, report, scope):
    """Merge the ontology into other ontologies (OWL or OBO): the full HPO, MONDO, DOID, UBERON...

    Prints the report; exits 1 if the merge lost a triple, is inconsistent, or
    a project term breaks a SHACL shape.

    \b
    Example:
      kgtools merge hp.obo -o merged.owl --report merge-report.json
    """
    from kgtools.errors import InputError
    from kgtools.io import write_atomic
    from kgtools.merge import OUTPUT_FORMATS, check
    from kgtools.merge import merge as run_merge

    fmt = Path(output).suffix.lstrip(".").lower() if output else None
    if output and fmt not in OUTPUT_FORMATS:
        raise InputError(f"unknown output format {fmt!r} for {output} (expected .{', .'.join(OUTPUT_FORMATS)})")
    onto = _load(inputs)
    with _progress_steps() as step:
        result = run_merge(onto, list(others), unify=unify, replace_iris=replace_iris,
                           normalize_prefixes=normalize_prefixes, on_step=step)
        if scope != "none":
            step("checking: HermiT and the SHACL shapes")
            outcome = check(result, scope=scope)
        if output:
            step(f"writing {output}")
            write_atomic(output, result.serialize(fmt))
    if report:
        write_atomic(report, json.dumps(result.report, indent=2, ensure_ascii=False) + "\n")
    click.echo(result.text(), nl=False)
    failed = result.report["accounting"]["lost"] > 0
    if scope != "none":
        failed = failed or not outcome["consistency"]["consistent"] or not outcome["shapes"]["conforms"]
    if failed:
        sys.exit(EXIT_FAILED)


@main.command()
@click.argument("other", type=click.Path(dir_okay=False))
@input_option
@output_option(help="SSSOM file to write (default: standard output).")
@click.option("--include-existing", is_flag=True,
              help="Also write the mappings the ontology already has that the matching found again.")
def align(other, inputs, output, include_existing):
    """Propose mappings to another ontology (OWL or OBO) by matching labels and synonyms, as SSSOM for review.

    \b
    Example:
      kgtools align hp.obo -o proposed.sssom.tsv
    """
    from kgtools.align import align as run_align

    result = run_align(_load(inputs), other)
    _write_or_print(result.sssom(include_existing), output)
    click.echo(f"{len(result.proposed)} new mappings proposed; {len(result.existing)} existing mappings found again"
               + ("" if include_existing else " (not written; --include-existing writes them)"), err=True)


if __name__ == "__main__":  # pragma: no cover
    main()

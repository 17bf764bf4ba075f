"""Querying with SPARQL: queries, query, serve (a read-only endpoint), push (to triple stores)."""

from __future__ import annotations

import click

from kgtools.cli.options import (URL, Seconds, command, format_option, input_option, load_ontology, output_option,
                                 read_standard_input)
from kgtools.cli.output import make_console, print_json, print_table, progress_bar, write_or_print
from kgtools.sparql.query import ENGINES, FORMATS as QUERY_FORMATS  # light: rdflib is imported only when a query runs

#: The commands of this family, as ``kgtools`` names them in its help.
__all__ = ["list_queries", "query", "serve", "push"]


@command("queries")
@format_option("text", "json")
def list_queries(fmt):
    """List the stored SPARQL queries with their descriptions and parameters."""
    from kgtools.sparql.query import catalog

    stored = catalog()
    if fmt == "json":
        return print_json([q.as_dict() for q in stored.values()])
    console = make_console()
    for query in stored.values():
        console.print(f"[bold]{query.name}[/bold]  {query.title}", markup=True, highlight=False)
        console.print(f"  {query.description}", markup=False)
        for param in query.parameters:
            default = "required" if param.required else ("optional" if param.default is None else f"default: {param.default}")
            console.print(f"  --param {param.name}=… ({param.type}, {default}) {param.description}", markup=False)
        console.print(f"  e.g. {query.example}", markup=False)


@command()
@click.argument("name", metavar="NAME|FILE.rq|-")
@click.option("--param", "params", multiple=True, metavar="NAME=VALUE",
              help="A parameter of the query (labels, CURIEs and IRIs are looked up); repeat for several.")
@format_option(*QUERY_FORMATS)
@click.option("--engine", type=click.Choice(ENGINES), default="oxigraph", show_default=True,
              help="The embedded SPARQL engine.")
@click.option("--store", type=click.Path(file_okay=False),
              help="Directory of persistent Oxigraph stores: the inputs' store is built there once and reused while "
                   "the files are unchanged. Default: the user cache directory, for large inputs.")
@click.option("--endpoint", type=URL(), help="Run on this SPARQL endpoint instead (e.g. http://host:7878/query).")
@click.option("--graph", metavar="IRI",
              help="The graph to query: with --endpoint, the default-graph-uri (e.g. the one `kgtools push --graph` "
                   "filled); else the input whose ontology IRI (or file URL) it is, as `kgtools serve` names them.")
@input_option
@output_option(help="File to write (default: standard output).")
def query(name, params, fmt, engine, store, endpoint, graph, inputs, output):
    """Run a stored query (see `kgtools queries`), a .rq file, or a query on standard input (-), with typed
    parameters.

    \b
    Examples:
      kgtools query forms-for-condition --param condition=dermatomyositis
      kgtools query differential --param finding="calcium deposit" --param finding=bulla
      kgtools query provenance --param line=51 --format csv
      kgtools query my-query.rq --engine rdflib
      echo 'SELECT ?label WHERE { ?form rdfs:label ?label }' | kgtools query - --format csv
      kgtools query forms --endpoint http://host:8890/sparql --graph http://purl.obolibrary.org/obo/ccut.owl
      kgtools query forms -i hp.owl -i ccut.owl --graph http://purl.obolibrary.org/obo/ccut.owl
    """
    from pathlib import Path

    from kgtools.sparql import query as q
    from kgtools.sparql.remote import open_engine

    stored = q.query_from_text(read_standard_input(), Path("standard input")) if name == "-" else q.get_query(name)
    onto = load_ontology(inputs, store)
    result = q.run_stored(onto, stored, q.parse_params(params),
                          open_engine(onto, engine, endpoint=endpoint, graph=graph, store=store))
    if fmt == "table":
        headers, rows = q.table(result, onto.curie)
        if output:
            return write_or_print("\n".join("\t".join(r) for r in [headers, *rows]) + "\n", output)
        return print_table(stored.title, headers, rows)
    write_or_print(q.serialize_result(result, fmt).decode("utf-8"), output)


@command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (loopback by default).")
@click.option("--port", type=click.IntRange(0, 65535), default=7879, show_default=True, help="Port (0: any free port).")
@click.option("--store", type=click.Path(file_okay=False),
              help="Directory of persistent Oxigraph stores, as for `query`: a dataset beyond --memory-limit is read "
                   "from its store there (built once, meanwhile from memory). Default: the user cache directory, "
                   "for large inputs.")
@click.option("--memory-limit", type=click.IntRange(min=0), metavar="MIB",
              help="Keep the dataset in memory, where the stored queries run about twice as fast, when its copies "
                   "(the keeper's, and one in each of the --workers + 1 worker processes) fit in this many MiB; the "
                   "HPO-merged graph takes about 250 MiB a copy. 0: always read the persistent store. Default: a "
                   "quarter of the memory available at start.")
@click.option("--timeout", type=Seconds(), default=10.0, show_default=True, help="Seconds a query may run.")
@click.option("--max-rows", type=click.IntRange(min=1), default=10000, show_default=True,
              help="Most rows (or triples) in a result.")
@click.option("--workers", type=click.IntRange(min=1), default=2, show_default=True,
              help="Queries that may run long side by side (one more worker keeps quick queries answered).")
@click.option("--named", "named", multiple=True, metavar="IRI=FILE",
              help="An RDF file served as the named graph IRI (an input otherwise gets its ontology IRI, or else its "
                   "file URL); repeat for several.")
@click.option("--cors", "origins", multiple=True, metavar="ORIGIN",
              help="An origin (https://host:port) whose pages may read the answers; repeat for several. "
                   "Default: any origin.")
@click.option("--no-cors", is_flag=True, help="No page of another origin may read the answers.")
@input_option
def serve(host, port, store, memory_limit, timeout, max_rows, workers, named, origins, no_cors, inputs):
    """Serve the ontology as a read-only SPARQL 1.1 endpoint, with the stored queries and a browser page.

    \b
    GET /                      a page to write and run queries
    GET|POST /sparql?query=…   SPARQL 1.1 Protocol (JSON, XML, CSV, TSV; Turtle, JSON-LD)
    GET /queries/NAME?k=v      a stored query with its parameters
    Each input is a named graph, and their union the default graph (default-graph-uri and
    named-graph-uri choose among them). Updates, LOAD and SERVICE are refused (403); a query
    over --timeout is stopped (503).

    \b
    Example:
      kgtools serve -i hp.owl --named http://purl.obolibrary.org/obo/ccut.owl=my-ccut.ttl
    """
    from kgtools.errors import InputError
    from kgtools.sparql.serve import QueryService, make_server

    if no_cors and origins:
        raise InputError("--cors and --no-cors: give one of them")
    graphs = {}
    for pair in named:
        iri, sep, path = pair.rpartition("=")  # an IRI may hold "=" (in its query part)
        if not sep or not iri or not path or iri in graphs:
            raise InputError(f"--named {pair!r}: expected IRI=FILE, one file for each IRI")
        graphs[iri] = path
    service = QueryService(inputs, store, workers=workers, timeout=timeout, max_rows=max_rows, named=graphs,
                           memory_limit=None if memory_limit is None else memory_limit * 2**20)
    try:
        server = make_server(service, host, port, cors=() if no_cors else origins or ("*",))
        bound_host, bound_port = server.server_address[:2]
        if host not in ("127.0.0.1", "localhost", "::1"):
            click.echo(f"kgtools: warning: listening on {host}, reachable from other machines", err=True)
        shown = f"[{bound_host}]" if ":" in bound_host else bound_host
        click.echo(f"serving on http://{shown}:{bound_port}/ (SPARQL at /sparql); Ctrl-C stops", err=True)
        server.serve_forever()
    finally:
        service.close()


@command()
@click.option("--endpoint", "endpoints", required=True, multiple=True, type=URL(),
              help="Graph Store Protocol URL of the store (Oxigraph: http://host:7878/store; Virtuoso: "
                   "http://host:8890/sparql-graph-crud); repeat to load several stores.")
@click.option("--graph", metavar="IRI", help="Named graph to load into (default: the default graph).")
@click.option("--append", is_flag=True, help="Add to the graph (HTTP POST) instead of replacing it (PUT).")
@input_option
@format_option("text", "json")
def push(endpoints, graph, append, inputs, fmt):
    """Load the ontology into triple stores over the SPARQL 1.1 Graph Store Protocol, in N-Triples chunks.

    \b
    Example:
      kgtools push -i merged.owl --graph http://purl.obolibrary.org/obo/ccut.owl \\
        --endpoint http://127.0.0.1:8890/sparql-graph-crud --endpoint http://127.0.0.1:7878/store
    """
    from kgtools.sparql.remote import push as push_graph
    from kgtools.sparql.remote import read_triples

    triples = read_triples(inputs)
    pushed = []
    for endpoint in endpoints:
        with progress_bar(f"pushing to {endpoint}") as on_progress:
            count = push_graph(triples, endpoint, graph, replace=not append, on_progress=on_progress)
        pushed.append({"endpoint": endpoint, "graph": graph, "triples": count, "replaced": not append})
        if fmt == "text":
            click.echo(f"{'added' if append else 'loaded'} {count} triples into {graph or 'the default graph'} "
                       f"at {endpoint}")
    if fmt == "json":
        print_json(pushed)

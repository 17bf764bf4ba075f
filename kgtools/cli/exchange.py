"""Exchanging the ontology: export, release, mappings (SSSOM), merge, align, and publish (every step)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from kgtools.cli.options import command, format_option, input_option, load_ontology, output_option
from kgtools.cli.output import make_console, print_json, print_table, progress_steps, write_or_print
from kgtools.errors import EXIT_FAILED

#: The commands of this family, as ``kgtools`` names them in its help.
__all__ = ["export", "release", "mappings", "merge", "align", "publish"]


@command()
@input_option
@format_option("ttl", "owl", "nt", "jsonld")
@output_option(help="File to write (default: standard output).")
def export(inputs, fmt, output):
    """Write the ontology as Turtle, RDF/XML (owl), N-Triples or JSON-LD."""
    write_or_print(load_ontology(inputs).serialize(fmt), output)


@command()
@input_option
@output_option(folder=True, default="out", show_default=True,
               help="Folder to publish into; it appears whole when every step is done, replacing an earlier one.")
@format_option("text", "json")
def publish(inputs, output, fmt):
    """Check the ontology and publish it: every step of the toolkit, into one folder.

    Prints one line per step (with --format json: each step's name, whether it passed, its summary and the files it
    wrote); exits 1 if any step's check failed.
    """
    from kgtools.exchange.publish import publish as run_publish

    console = make_console(stderr=fmt == "json")
    onto = load_ontology(inputs)
    with console.status("publishing…") as status:
        results = run_publish(onto, output, on_step=lambda name: status.update(f"{name}…"))
    folder = Path(output).resolve()
    if fmt == "json":
        print_json({"output": str(folder), "steps": [
            {"name": r.name, "ok": r.ok, "summary": r.summary, "files": [str(f.relative_to(output)) for f in r.files]}
            for r in results]})
        if not all(r.ok for r in results):
            sys.exit(EXIT_FAILED)
        return
    for result in results:
        mark = "[green]ok[/green]  " if result.ok else "[red]FAIL[/red]"
        console.print(f"{mark} {result.name:<10} {result.summary}")
    console.print(f"published into {folder}")
    if not all(r.ok for r in results):
        sys.exit(EXIT_FAILED)


@command()
@input_option
@output_option("-o", "--output", "--out", "output", folder=True, default="release", show_default=True,
               help="Folder to write the release files into; it appears whole, replacing an earlier release.")
@format_option("text", "json")
def release(inputs, output, fmt):
    """Write the release files: OWL, Turtle, OBO, OBO Graphs JSON and JSON-LD; main, full and base variants.

    \b
    Example:
      kgtools release -o release
    """
    from kgtools.exchange.release import release as write_release

    files = write_release(load_ontology(inputs), output)
    if fmt == "json":
        return print_json([{"file": str(f), "bytes": f.stat().st_size} for f in files])
    print_table(None, ["file", "bytes"], [[str(f), f.stat().st_size] for f in files])


@command()
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
    from kgtools.exchange import mappings as sssom

    text = sssom.generate(load_ontology(inputs))
    if check:
        same = sssom.is_current(text)
        click.echo(f"{sssom.mappings_path()}: {'up to date' if same else 'differs from the ontology; regenerate it'}")
        if not same:
            sys.exit(EXIT_FAILED)
        return
    write_or_print(text, output)


@command()
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
@click.option("--keep-annotation-model", is_flag=True,
              help="Keep the hedges and qualified statements, and their classes, in the merged file (default: left "
                   "out, so that no annotation-model class is a top-level class of the merged ontology).")
@format_option("text", "json")
def merge(others, inputs, output, unify, replace_iris, normalize_prefixes, report, scope, keep_annotation_model, fmt):
    """Merge the ontology into other ontologies (OWL or OBO): the full HPO, MONDO, DOID, UBERON...

    Prints the report (with --format json, the report --report writes); exits
    1 if the merge lost a triple, is inconsistent, or a project term breaks a
    SHACL shape.

    \b
    Example:
      kgtools merge hp.obo -o merged.owl --report merge-report.json
    """
    from kgtools.exchange.merge import check, output_format
    from kgtools.exchange.merge import merge as run_merge

    if output:
        output_format(output)  # a bad extension is refused before any work
    onto = load_ontology(inputs)
    with progress_steps() as step:
        result = run_merge(onto, list(others), unify=unify, replace_iris=replace_iris,
                           normalize_prefixes=normalize_prefixes, on_step=step,
                           keep_annotation_model=keep_annotation_model)
        if scope != "none":
            step("checking: HermiT and the SHACL shapes")
            check(result, scope=scope)
        if output or report:
            step(f"writing {' and '.join(str(path) for path in (output, report) if path)}")
            result.write(output, report)
    if fmt == "json":
        print_json(result.report)
    else:
        click.echo(result.text(), nl=False)
    if not result.passed:
        sys.exit(EXIT_FAILED)


@command()
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
    from kgtools.exchange.align import align as run_align

    result = run_align(load_ontology(inputs), other)
    write_or_print(result.sssom(include_existing), output)
    click.echo(f"{len(result.proposed)} new mappings proposed; {len(result.existing)} existing mappings found again"
               + ("" if include_existing else " (not written; --include-existing writes them)"), err=True)

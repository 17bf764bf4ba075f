"""The main job: check the ontology and publish it into an output folder.

Each step takes the loaded ontology and the output folder, writes its files
there, and returns a :class:`StepResult`. New tools add their step to
:data:`STEPS`, so ``kgtools publish`` always runs the whole toolkit.

:func:`publish` runs them all (``kgtools publish``, tested end to end by the
command line's tests); a step runs alone too.

Examples
--------
>>> [name for name, _ in STEPS]
['info', 'coverage', 'export', 'validate', 'reason', 'queries', 'pictures', 'release', 'qc', 'mappings']
>>> import tempfile
>>> from kgtools.ontology import Ontology
>>> coverage_step(Ontology.load(), Path(tempfile.mkdtemp())).summary
'100.0% of 43 content lines cited'
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable

from kgtools import provenance
from kgtools.io import atomic_folder, write_atomic
from kgtools.ontology import FORMATS, Ontology


@dataclass(frozen=True)
class StepResult:
    """What one step did: its name, whether its check passed, a summary line, the files written."""

    name: str
    ok: bool
    summary: str
    files: tuple[Path, ...] = ()


def info_step(onto: Ontology, out: Path) -> StepResult:
    """Write the ontology's metadata and counts to info.json."""
    data = {"metadata": onto.metadata(), "counts": onto.counts()}
    path = write_atomic(out / "info.json", json.dumps(data, indent=2) + "\n")
    counts = data["counts"]
    summary = (f"{data['metadata'].get('title')} {data['metadata'].get('version')}: {counts['triples']} triples, "
               f"{counts.get('form', 0)} forms, {counts['cited axioms']} cited axioms, "
               f"{counts['qualified statements']} qualified statements")
    return StepResult("info", True, summary, (path,))


def coverage_step(onto: Ontology, out: Path) -> StepResult:
    """Write the per-line coverage of the source text to coverage.json; fails below 100 %."""
    report = provenance.coverage(onto)
    path = write_atomic(out / "coverage.json", json.dumps(report.as_dict(), indent=2) + "\n")
    uncited = ", ".join(str(line.number) for line in report.uncited)
    summary = f"{report.percent}% of {len(report.content_lines)} content lines cited" + (f"; uncited: {uncited}" if uncited else "")
    return StepResult("coverage", not report.uncited, summary, (path,))


def export_step(onto: Ontology, out: Path) -> StepResult:
    """Write the ontology in every RDF format, named after its ID space (ccut.ttl, .owl, .nt, .jsonld)."""
    files = tuple(write_atomic(out / f"ccut.{fmt}", onto.serialize(fmt)) for fmt in FORMATS)
    return StepResult("export", True, ", ".join(f.name for f in files), files)


def validate_step(onto: Ontology, out: Path) -> StepResult:
    """Validate against the packaged SHACL shapes; write the report to validation.ttl. Fails on a violation."""
    from kgtools.checks.validate import validate

    report = validate(onto)
    path = write_atomic(out / "validation.ttl", report.graph.serialize(format="turtle"))
    return StepResult("validate", report.conforms, report.summary(), (path,))


def reason_step(onto: Ontology, out: Path) -> StepResult:
    """Classify with HermiT; write what it inferred to inferred.ttl. Fails when inconsistent or unsatisfiable."""
    from kgtools.checks.reason import reason

    report = reason(onto, "hermit")
    path = write_atomic(out / "inferred.ttl", report.graph.serialize(format="turtle"))
    return StepResult("reason", report.ok, report.summary(), (path,))


def queries_step(onto: Ontology, out: Path) -> StepResult:
    """Run every stored query with its default parameters; write each answer into queries/.

    SELECT answers as CSV, ASK answers as SPARQL JSON, CONSTRUCT answers as
    Turtle. Fails when a query fails or a SELECT finds nothing.
    """
    from kgtools.sparql.query import OxigraphEngine, QueryError, catalog, run_stored, serialize_result

    folder = out / "queries"
    folder.mkdir(exist_ok=True)
    engine = OxigraphEngine.from_ontology(onto)
    files, failed, empty = [], [], []
    for name in catalog():
        try:
            result = run_stored(onto, name, engine=engine)
        except QueryError as err:
            failed.append(f"{name} ({err})")
            continue
        fmt, suffix = {"bindings": ("csv", "csv"), "graph": ("turtle", "ttl")}.get(result.kind, ("json", "json"))
        files.append(write_atomic(folder / f"{name}.{suffix}", serialize_result(result, fmt)))
        if result.kind == "bindings" and not result.rows:
            empty.append(name)
    problems = [f"failed: {', '.join(failed)}"] if failed else []
    problems += [f"no answer: {', '.join(empty)}"] if empty else []
    summary = f"{len(files)} stored queries answered into queries/" + ("; " + "; ".join(problems) if problems else "")
    return StepResult("queries", not problems, summary, tuple(files))


def pictures_step(onto: Ontology, out: Path) -> StepResult:
    """Draw the whole graph: the interactive page, SVG, Mermaid and GraphML (graph.html, .svg, .mmd, .graphml)."""
    from kgtools.graph.analysis import project
    from kgtools.graph.viz import render

    graph = project(onto)
    title = onto.metadata().get("title") or "Ontology graph"
    files = tuple(write_atomic(out / f"graph.{suffix}", render(graph, fmt, title=title))
                  for fmt, suffix in (("html", "html"), ("svg", "svg"), ("mermaid", "mmd"), ("graphml", "graphml")))
    summary = (f"{graph.number_of_nodes()} terms, {graph.number_of_edges()} relations: "
               + ", ".join(f.name for f in files))
    return StepResult("pictures", True, summary, files)


def release_step(onto: Ontology, out: Path) -> StepResult:
    """Write the release files into release/ (OWL, Turtle, OBO, OBO Graphs JSON, JSON-LD; main, full, base).

    Fails when an OBO file does not parse back in fastobo.
    """
    import fastobo

    from kgtools.exchange.release import release

    files = tuple(release(onto, out / "release"))
    broken = []
    for path in files:
        if path.suffix == ".obo":
            try:
                fastobo.load(str(path))
            except (SyntaxError, ValueError):
                broken.append(path.name)
    summary = f"{len(files)} files in release/" + (f"; OBO not valid: {', '.join(broken)}" if broken else "")
    return StepResult("release", not broken, summary, files)


def qc_step(onto: Ontology, out: Path) -> StepResult:
    """Run ROBOT's report queries on every file of release/ as OWLAPI reads it; write the table to qc.tsv.

    Fails on an ERROR (ROBOT's default fail-on level), or when OWLAPI is not installed.
    """
    from kgtools.exchange import qc
    from kgtools.errors import KgtoolsError

    try:
        reports = qc.check([out / "release"])
    except KgtoolsError as err:
        return StepResult("qc", False, err.message)
    path = write_atomic(out / "qc.tsv", qc.to_tsv(reports))
    checked = [r for r in reports if r.format]
    totals = {level: sum(r.counts()[level] for r in checked) for level in qc.LEVELS}
    failed = [r.path.name for r in checked if r.fails("error")]
    summary = (f"ROBOT report on {len(checked)} release files as OWLAPI reads them: "
               + ", ".join(f"{n} {level}" for level, n in totals.items()) + " (qc.tsv)"
               + (f"; ERROR in {', '.join(failed)}" if failed else ""))
    return StepResult("qc", not failed, summary, (path,))


def mappings_step(onto: Ontology, out: Path) -> StepResult:
    """Write the SSSOM mapping set; fails when the packaged ontology's set differs from mappings/calcinosis.sssom.tsv."""
    from kgtools.exchange import mappings
    from kgtools import resources

    text = mappings.generate(onto)
    path = write_atomic(out / "calcinosis.sssom.tsv", text)
    rows = len(text.splitlines()) - sum(1 for line in text.splitlines() if line.startswith("#")) - 1
    stale = onto.paths == (resources.ontology_path(),) and not mappings.is_current(text)
    summary = f"{rows} mappings" + ("; mappings/calcinosis.sssom.tsv is stale: run kgtools mappings -o it" if stale else "")
    return StepResult("mappings", not stale, summary, (path,))


#: The steps of ``kgtools publish``, in order.
STEPS: list[tuple[str, Callable[[Ontology, Path], StepResult]]] = [
    ("info", info_step),
    ("coverage", coverage_step),
    ("export", export_step),
    ("validate", validate_step),
    ("reason", reason_step),
    ("queries", queries_step),
    ("pictures", pictures_step),
    ("release", release_step),
    ("qc", qc_step),
    ("mappings", mappings_step),
]


def publish(onto: Ontology, out: str | Path, on_step: Callable[[str], None] | None = None) -> list[StepResult]:
    """Run every step of :data:`STEPS` into the folder ``out`` and return their results.

    The folder appears whole or not at all: the steps fill a folder beside
    ``out``, renamed into place when the last step is done (replacing an
    earlier publication there). A step that raises leaves ``out`` as it was.
    """
    out = Path(out)
    results = []
    with atomic_folder(out) as folder:
        for name, step in STEPS:
            if on_step:
                on_step(name)
            result = step(onto, folder)
            results.append(replace(result, files=tuple(out / f.relative_to(folder) for f in result.files)))
    return results

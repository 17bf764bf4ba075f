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

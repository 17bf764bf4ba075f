"""Shared fixtures: the packaged ontology, loaded once per test session."""

import pytest


@pytest.fixture(scope="session")
def onto():
    from kgtools.ontology import Ontology

    return Ontology.load()

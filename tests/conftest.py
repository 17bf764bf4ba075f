"""Shared fixtures: the packaged ontology, loaded once per test session."""

from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"
SHARED_REFERENCE = Path(__file__).resolve().parents[2] / "shared" / "reference"


@pytest.fixture(scope="session")
def onto():
    from kgtools.ontology import Ontology

    return Ontology.load()


@pytest.fixture(scope="session")
def shared_reference():
    """The full reference data, for the few tests that need it; skipped where it is absent."""
    if not SHARED_REFERENCE.is_dir():
        pytest.skip(f"full reference data not found at {SHARED_REFERENCE} (only on the curators' machines)")
    return SHARED_REFERENCE

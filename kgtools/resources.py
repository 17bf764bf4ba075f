"""Where the packaged ontology, source text, shapes and queries live.

In a wheel they are copied into ``kgtools/_data``; in a source checkout
(editable install) they are read from the repository itself, so a curator's
edit to ``ontology/calcinosis.ttl`` is what the tools see.
"""

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    """The directory ``name`` (``ontology``, ``shapes``, ``queries``, ``mappings``).

    Examples
    --------
    >>> data_dir("ontology").joinpath("calcinosis.ttl").is_file()
    True
    """
    installed = _PACKAGE / "_data" / name
    return installed if installed.is_dir() else _PACKAGE.parent / name


def ontology_path() -> Path:
    """The packaged ontology, ``ontology/calcinosis.ttl``."""
    return data_dir("ontology") / "calcinosis.ttl"


def source_path() -> Path:
    """The source text the ontology encodes, ``ontology/calcinosis-cutis.txt``."""
    return data_dir("ontology") / "calcinosis-cutis.txt"


def example_path(name: str) -> Path:
    """A data file the docstring examples use, shipped inside the package (``kgtools/examples``).

    Examples
    --------
    >>> example_path("hp_calcinosis.obo").is_file()
    True
    """
    return _PACKAGE / "examples" / name

"""kgtools: the calcinosis cutis ontology (CCUT) and the tools around it.

The package is in layers, each importing only from those below it: at the root the store, serialisation,
the ontology and its provenance model; above them ``checks`` (SHACL, reasoning), ``sparql`` (stored
queries, engines, endpoint), ``graph`` (the NetworkX projection, path analysis, pictures) and ``exchange``
(releases, mappings, merge, publish); the command line, ``kgtools.cli``, on top. The main functions of each
layer are named here too.

>>> import kgtools
>>> onto = kgtools.load()
>>> onto.lookup("calcinosis universalis").curie
'CCUT:0001006'
>>> kgtools.validate(onto).conforms
True
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # typed without importing the ontology module when the package loads
    from pathlib import Path

    from kgtools.ontology import Ontology

__version__ = "0.1.0"

#: The public names, each with the module that defines it; imported when first used, so that
#: `import kgtools` and `kgtools --help` stay fast.
_API = {
    "Ontology": "kgtools.ontology", "Entity": "kgtools.ontology", "KgtoolsError": "kgtools.errors",
    "citations": "kgtools.provenance", "coverage": "kgtools.provenance",
    "validate": "kgtools.checks.validate", "reason": "kgtools.checks.reason",
    "run_stored": "kgtools.sparql.query", "catalog": "kgtools.sparql.query",
    "project": "kgtools.graph.projection", "find_paths": "kgtools.graph.analysis", "explain": "kgtools.graph.analysis",
    "render": "kgtools.graph.viz",
    "release": "kgtools.exchange.release", "merge": "kgtools.exchange.merge", "align": "kgtools.exchange.align",
    "publish": "kgtools.exchange.publish",
}
__all__ = ["load", *_API]


def load(*paths: str | Path) -> Ontology:
    """Load the packaged ontology, or the given RDF files, as an :class:`~kgtools.ontology.Ontology`."""
    from kgtools.ontology import Ontology

    return Ontology.load(*paths)


def __getattr__(name: str) -> object:
    if name not in _API:
        raise AttributeError(f"module 'kgtools' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(_API[name]), name)


def __dir__() -> list[str]:
    # The public names and the module's own dunders: what a notebook's completion should offer.
    return sorted({*__all__, *(name for name in globals() if name.startswith("__"))})

"""kgtools: the calcinosis cutis ontology (CCUT) and the tools around it.

>>> import kgtools
>>> onto = kgtools.load()
>>> onto.lookup("calcinosis universalis").curie
'CCUT:0001006'
"""

__version__ = "0.1.0"
__all__ = ["load", "Ontology", "Entity", "KgtoolsError"]


def load(*paths):
    """Load the packaged ontology, or the given RDF files, as an :class:`~kgtools.ontology.Ontology`."""
    from kgtools.ontology import Ontology

    return Ontology.load(*paths)


def __getattr__(name):
    # Heavy libraries load only when the API is used, so `kgtools --help` stays fast.
    if name in ("Ontology", "Entity"):
        from kgtools import ontology

        return getattr(ontology, name)
    if name == "KgtoolsError":
        from kgtools.errors import KgtoolsError

        return KgtoolsError
    raise AttributeError(name)

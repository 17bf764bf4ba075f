"""Exchange with other ontologies and tools: release files (``release``), SSSOM mappings (``mappings``),
reading OBO and RDF inputs (``external``), merging into larger ontologies (``merge``), lexical alignment
(``align``), and ``publish``, which runs the whole toolkit into one folder.

The top layer: it may use every other one.
"""

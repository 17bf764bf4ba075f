"""The package's layers: a module imports only from its own layer or the layers below it, never from above.

Read from the parsed source (every ``import`` and ``from … import``, at the top or inside a function), so a
lazy import cannot hide an upward one.
"""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "kgtools"

#: Bottom to top. A module's layer is its subpackage, or the root module's own entry.
LAYERS = [
    {"errors", "resources", "vocabulary", "io"},
    {"store", "serialize"},
    {"provenance", "ontology"},
    {"checks"},
    {"sparql"},
    {"graph"},
    {"exchange"},
    {"cli"},
]


def layer_of(module: str) -> int:
    """The layer of a dotted module name under ``kgtools`` (``kgtools.sparql.query`` → the SPARQL layer)."""
    parts = module.split(".")
    assert parts[0] == "kgtools", module
    if len(parts) == 1:  # the package itself: its lazy API names reach every layer
        return len(LAYERS)
    return next(number for number, names in enumerate(LAYERS) if parts[1] in names)


def imports_of(path: Path) -> list[tuple[int, str]]:
    """(line, module) of every kgtools module that ``path`` imports."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names if alias.name.startswith("kgtools")]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").startswith("kgtools"):
            if node.module == "kgtools":  # from kgtools import resources, ...: each name is a module
                found += [(node.lineno, f"kgtools.{alias.name}") for alias in node.names
                          if (PACKAGE / f"{alias.name}.py").exists() or (PACKAGE / alias.name).is_dir()]
            else:
                found.append((node.lineno, node.module))
    return found


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def test_every_module_is_in_a_layer():
    for path in PACKAGE.rglob("*.py"):
        if path.parent != PACKAGE or path.name != "__init__.py":
            layer_of(module_name(path))


def test_no_module_imports_from_a_layer_above_its_own():
    upward = []
    for path in sorted(PACKAGE.rglob("*.py")):
        name = module_name(path)
        if name == "kgtools":
            continue
        for line, imported in imports_of(path):
            if layer_of(imported) > layer_of(name):
                upward.append(f"{path.relative_to(PACKAGE.parent)}:{line}: {name} imports {imported}")
    assert upward == []


def test_the_layer_test_sees_an_upward_import(tmp_path):
    lower = tmp_path / "store.py"
    lower.write_text("def f():\n    from kgtools.sparql.query import catalog\n")
    assert [(line, module, layer_of(module) > layer_of("kgtools.store")) for line, module in imports_of(lower)] == [
        (2, "kgtools.sparql.query", True)]


def test_the_root_holds_at_most_eight_modules():
    assert len([p for p in PACKAGE.glob("*.py") if p.name != "__init__.py"]) <= 8


def test_the_package_offers_its_api_and_nothing_else():
    """Every public name resolves to the function or class of its layer, and completion offers no more."""
    import subprocess
    import sys

    import kgtools

    assert {name for name in dir(kgtools) if not name.startswith("_")} == set(kgtools.__all__)
    assert kgtools.validate is __import__("kgtools.checks.validate", fromlist=["validate"]).validate
    assert all(callable(getattr(kgtools, name)) for name in kgtools.__all__)
    # Importing the package loads none of its layers: they load when a name is first used.
    script = "import sys, kgtools; print(sorted(m for m in sys.modules if m.startswith('kgtools')))"
    assert subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          check=True).stdout.strip() == "['kgtools']"

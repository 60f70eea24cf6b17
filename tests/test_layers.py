"""The layers import one way (docs/architecture.md): each module imports numerix modules of its own layer or of the
layers below it, always at module level (an import inside a function hides a cycle instead of removing it)."""
import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Lowest first; a folder of the repository holds each layer, mapped into the package by pyproject.toml.
LAYERS = ["dialect", "passes", "runtime", "frontend", "tools"]
PACKAGES = {"dialect": "numerix.dialect", "passes": "numerix.passes", "runtime": "numerix.runtime",
            "tools": "numerix.tools", "frontend": "numerix"}


def _layer_of(module):
    """The layer of a numerix module name (the frontend is the package itself and its plain submodules)."""
    for layer in LAYERS:
        package = PACKAGES[layer]
        if layer != "frontend" and (module == package or module.startswith(package + ".")):
            return layer
    return "frontend"


def _imports(path, package):
    """(numerix module imported, line, inside a function) for each import in the file."""
    tree = ast.parse(path.read_text())
    in_function = {id(n) for f in ast.walk(tree) if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef))
                   for n in ast.walk(f) if n is not f}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[:len(package.split(".")) - node.level + 1]
                targets = [".".join(base + ([node.module] if node.module else []))]
            else:
                targets = [node.module]
        else:
            continue
        for target in targets:
            if target == "numerix" or target.startswith("numerix."):
                yield target, node.lineno, id(node) in in_function


def _violations():
    found = []
    for layer in LAYERS:
        for path in sorted((ROOT / layer).glob("*.py")):
            package = PACKAGES[layer]
            for target, line, in_function in _imports(path, package):
                where = f"{layer}/{path.name}:{line} imports {target}"
                if in_function:
                    found.append(f"{where} inside a function")
                elif LAYERS.index(_layer_of(target)) > LAYERS.index(layer):
                    found.append(f"{where}, a higher layer ({_layer_of(target)})")
    return found


def test_layers_import_one_way():
    assert _violations() == []


def test_the_check_sees_a_violation(tmp_path):
    path = tmp_path / "bad.py"
    path.write_text("from numerix.runtime import evaluator\n\ndef f():\n    import numerix.dialect.ops\n")
    found = list(_imports(path, "numerix.passes"))
    assert ("numerix.runtime", 1, False) in found and ("numerix.dialect.ops", 4, True) in found
    assert LAYERS.index(_layer_of("numerix.runtime")) > LAYERS.index("passes")
    assert _layer_of("numerix.tensor") == "frontend" and _layer_of("numerix.dialect.dtypes") == "dialect"

"""The package layout: imports between briefer's modules go one way, with no circle.

Every import is counted, including those inside functions (a lazy import is still a
dependency), and so is the package ``__init__`` an import goes through.
"""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "briefer"

# Lower layers never import higher ones; a folder (or top-level module) is one unit.
LAYERS = [
    {"errors", "files", "schema", "version", "text"},  # basics
    {"llm"},  # talking to a model
    {"offline"},  # the engine that answers without one
    {"backends"},  # which backend a run uses
    {"compare"},  # (a brief's --check runs it)
    {"briefs"},
    {"formats"},
    {"digests"},
    {"schedule"},
    {"cli"},
]


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in PACKAGE.rglob("*.py")}


def imports_of(name: str, path: Path, known: dict[str, Path]) -> set[str]:
    """The briefer modules that ``name`` imports (absolute names)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            candidates = [target] + [f"{target}.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Import):
            candidates = [alias.name for alias in node.names]
        else:
            continue
        found.update(c for c in candidates if c in known and c.startswith("briefer"))
    found.discard(name)
    return found


def graph() -> dict[str, set[str]]:
    known = modules()
    return {name: imports_of(name, path, known) for name, path in known.items()}


def find_cycle(edges: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}  # 1 on the current path, 2 done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 1:
                return path[path.index(nxt):] + [nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        path.pop()
        state[node] = 2
        return None

    for node in sorted(edges):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def unit(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else None  # None: the package's own __init__


def test_no_import_circle_among_modules():
    assert find_cycle(graph()) is None


def test_the_cycle_finder_finds_one():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_every_unit_has_a_layer():
    units = {unit(m) for m in modules()} - {None}
    assert units == set().union(*LAYERS)


def test_imports_go_down_the_layers_only():
    level = {u: i for i, layer in enumerate(LAYERS) for u in layer}
    upward = sorted(
        f"{source} -> {target}"
        for source, targets in graph().items() if unit(source)
        for target in targets if unit(target) and level[unit(target)] > level[unit(source)]
    )
    assert upward == []


def test_every_folder_says_what_it_owns():
    for init in PACKAGE.glob("*/__init__.py"):
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
        assert doc and "Open ``" in doc, f"{init.parent.name}/__init__.py: say what it owns and what to open first"

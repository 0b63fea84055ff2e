"""Import rules: the adapters (``api``, ``export``, ``cli``), ``watch`` and ``auth`` reach the database
only through the store's public API (``from eventlens.store import ...``), and no two top-level
eventlens packages or modules import each other, directly or through others."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "eventlens"
ADAPTERS = ("api", "export", "cli", "watch", "auth.py")


def _files(*names: str) -> Iterator[Path]:
    for name in names:
        path = SRC / name
        yield from sorted(path.rglob("*.py")) if path.is_dir() else [path]


def _module_of(path: Path) -> str:
    parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> Iterator[tuple[int, str]]:
    """(line, absolute module) of every import in ``path``, at any depth (lazy imports too)."""
    package = _module_of(path) if path.name == "__init__.py" else _module_of(path).rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            yield from ((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                up = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*up, base] if base else up)
            yield node.lineno, base
            # ``from eventlens.store import schema`` names a submodule too
            yield from ((node.lineno, f"{base}.{a.name}") for a in node.names
                        if (SRC.parent / base.replace(".", "/") / a.name).exists()
                        or (SRC.parent / base.replace(".", "/") / f"{a.name}.py").exists())


def test_adapters_use_only_the_public_store_api() -> None:
    bad = [f"{path.relative_to(SRC.parent)}:{line}: {name}"
           for path in _files(*ADAPTERS) for line, name in _imports(path)
           if name.startswith("eventlens.store.")]
    assert bad == [], "import from eventlens.store (its __all__), not its modules:\n" + "\n".join(bad)


def test_the_store_exports_what_the_adapters_import() -> None:
    import eventlens.store as store

    assert sorted(store.__all__) == sorted(set(store.__all__))
    for name in store.__all__:
        assert hasattr(store, name), name


def _top(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if parts[0] == "eventlens" and len(parts) > 1 else None


def _graph() -> dict[str, set[str]]:
    """Top-level eventlens package/module -> the top-level ones it imports."""
    graph: dict[str, set[str]] = {}
    for path in _files(*(p.name for p in SRC.iterdir() if p.suffix == ".py" or (p / "__init__.py").exists())):
        here = _top(_module_of(path))
        if here is None:  # eventlens/__init__.py
            continue
        for _, name in _imports(path):
            there = _top(name)
            if there is not None and there != here:
                graph.setdefault(here, set()).add(there)
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one member (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                found.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_no_import_cycle_among_top_level_packages() -> None:
    assert _cycles(_graph()) == []


def test_the_cycle_check_finds_cycles() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []

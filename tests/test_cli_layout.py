"""The command line's shape: modules that import no cycle, each command in one place, under 400 lines."""
from __future__ import annotations

import ast
from pathlib import Path

from tui.cli.parser import build_parser

PACKAGE = Path(__file__).resolve().parents[1] / "tui" / "cli"


def _imports(path: Path) -> set[str]:
    """Every tui.cli module `path` imports, at the top or inside a function."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("tui.cli"):
            if node.module == "tui.cli":
                found |= {f"tui.cli.{a.name}" if (PACKAGE / f"{a.name}.py").exists() else "tui.cli"
                          for a in node.names}
            else:
                found.add(node.module)
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("tui.cli")}
    return found


def _graph() -> dict[str, set[str]]:
    return {("tui.cli" if p.stem == "__init__" else f"tui.cli.{p.stem}"): _imports(p) for p in PACKAGE.glob("*.py")}


def test_no_module_of_the_command_line_imports_a_cycle() -> None:
    graph = _graph()
    state: dict[str, str] = {}

    def visit(module: str, path: list[str]) -> None:
        state[module] = "open"
        for target in sorted(graph.get(module, ())):
            assert state.get(target) != "open", f"import cycle: {' -> '.join([*path, target])}"
            if target not in state:
                visit(target, [*path, target])
        state[module] = "done"

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    # Only the entry point (pyproject's tui.cli:main) and the application's launcher use the package itself.
    assert not [m for m, targets in graph.items() if "tui.cli" in targets]


def test_modules_stay_small() -> None:
    sizes = {p.name: len(p.read_text(encoding="utf-8").splitlines()) for p in PACKAGE.glob("*.py")}
    assert max(sizes.values()) <= 400, sizes


def test_every_command_has_a_handler_and_takes_json() -> None:
    from tests.cli_walk import leaf_commands

    commands = leaf_commands(build_parser())
    assert len(commands) > 40
    for path, parser in commands:
        assert parser.get_default("handler") is not None, path
        assert any("--json" in a.option_strings for a in parser._actions), path

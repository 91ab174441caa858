"""The domain, the store, publishing and the CLI's non-app paths never import Textual."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import tvm_vote_tui

PACKAGE = Path(tvm_vote_tui.__file__).parent
CORE = ["domain", "store", "publish", "votethread", "venues", "audit", "app/controller.py"]


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


def test_core_modules_do_not_import_textual_or_the_app() -> None:
    files = [
        p
        for part in CORE
        for p in ([PACKAGE / part] if part.endswith(".py") else (PACKAGE / part).glob("**/*.py"))
    ]
    assert files
    for path in files:
        bad = {name for name in _imports(path) if name.split(".")[0] == "textual" or ".app" in name}
        assert not bad, f"{path.relative_to(PACKAGE)} imports {bad}"


def test_tally_command_runs_without_textual(tmp_path: Path) -> None:
    from tests.factories import session
    from tvm_vote_tui.store.format import session_to_toml

    path = tmp_path / "s.toml"
    path.write_text(session_to_toml(session([("m0", "+1")])))
    code = (
        "import sys; from tvm_vote_tui.cli import main; "
        f"rc = main(['tally', {str(path)!r}, '--json']); main(['rules']); main(['list']); "
        "assert rc == 0; "
        "bad = sorted(m for m in sys.modules if m.split('.')[0] == 'textual'); "
        "assert not bad, bad"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr


def test_no_module_imports_itself_in_a_circle() -> None:
    """Not even through an import only the type checker sees."""
    import grimp

    graph = grimp.build_graph("tvm_vote_tui", exclude_type_checking_imports=False)
    circles = [
        (module, imported)
        for module in sorted(graph.modules)
        for imported in graph.find_modules_directly_imported_by(module)
        if graph.find_shortest_chain(importer=imported, imported=module)
    ]
    assert not circles


def test_the_layer_contracts_hold() -> None:
    """cli -> app -> venues -> publish/votethread/store -> domain; no Textual below the app (pyproject)."""
    lint = Path(sys.executable).parent / "lint-imports"  # installed with the dev dependencies
    run = subprocess.run([str(lint)], capture_output=True, text=True, cwd=PACKAGE.parent)
    assert run.returncode == 0, run.stdout + run.stderr

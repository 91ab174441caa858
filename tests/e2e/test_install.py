"""Installed the usual way: the wheel `python -m build` makes, installed into a fresh venv, starts
and records a ballot; `python -m tvm_vote_tui` works; output in a Windows code page never fails.

The wheel is built from a copy of the source tree (so no `build/` folder lands in the work tree)
with `python -m build --wheel --no-isolation`: the build backend (setuptools, a dev dependency)
is the one of the environment running the tests, so the build needs no network. The fresh venv
is made without pip and without the system's site-packages; the wheel goes in with this
environment's pip (`pip --python VENV/bin/python install --no-deps --no-index WHEEL`). Its
dependencies (Textual and the rest) are not downloaded again: a `.pth` file puts this
environment's site-packages after the venv's own, as a plain path, so its `.pth` files (among them
the editable install of the source tree) are not run and the package imported is the wheel's.
The tests check that: `tvm_vote_tui` and its `.tcss` files come from the fresh venv.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

import tvm_vote_tui
from tests.e2e.harness import Tui, child_env, run_cli, script_path
from tests.factories import roster, session
from tvm_vote_tui.store.sessions import Store

SOURCE = Path(tvm_vote_tui.__file__).resolve().parent.parent
PACKAGE_STYLES = sorted(p.relative_to(SOURCE).as_posix() for p in (SOURCE / "tvm_vote_tui").rglob("*.tcss"))
BUILD_TIMEOUT = 180


def _run(*command: str | Path, cwd: Path, timeout: float = BUILD_TIMEOUT) -> str:
    """Run `command` (in `cwd`: never the source tree, which `python -m` and `-c` would import
    from) and return what it printed."""
    done = subprocess.run([str(c) for c in command], capture_output=True, text=True, timeout=timeout, cwd=cwd)
    assert done.returncode == 0, f"{' '.join(map(str, command))}\n{done.stdout}\n{done.stderr}"
    return done.stdout


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("wheel")
    tree = root / "source"
    tree.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(SOURCE / name, tree / name)
    shutil.copytree(
        SOURCE / "tvm_vote_tui", tree / "tvm_vote_tui", ignore=shutil.ignore_patterns("__pycache__", "*.pyc")
    )
    _run(
        sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", root / "dist", tree, cwd=root
    )
    (built,) = (root / "dist").glob("tvm_vote_tui-*.whl")
    return built


@pytest.fixture(scope="module")
def venv(wheel: Path) -> Path:
    """A fresh venv holding the wheel; the dependencies are read from this environment's."""
    where = wheel.parent.parent / "venv"
    _run(sys.executable, "-m", "venv", "--without-pip", where, cwd=where.parent)
    python = where / "bin" / "python"
    site = Path(
        _run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])", cwd=where).strip()
    )
    ours = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    (site / "_tvm_vote_tui_test_dependencies.pth").write_text("".join(f"{p}\n" for p in sorted(ours)))
    _run(
        sys.executable, "-m", "pip", "--python", python, "install", "--quiet", "--no-deps", "--no-index",
        "--no-cache-dir", "--disable-pip-version-check", wheel, cwd=where,
    )  # fmt: skip
    return where


def test_the_wheel_holds_the_package_and_every_style_sheet(wheel: Path) -> None:
    assert PACKAGE_STYLES, "no .tcss files found in the source tree"
    names = set(zipfile.ZipFile(wheel).namelist())
    assert set(PACKAGE_STYLES) <= names, sorted(set(PACKAGE_STYLES) - names)
    assert "tvm_vote_tui/cli.py" in names and "tvm_vote_tui/store/platform.py" in names
    entry_points = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
    assert "tvm-vote-tui = tvm_vote_tui.cli:main" in zipfile.ZipFile(wheel).read(entry_points).decode()


def test_the_installed_wheel_starts_and_records_a_ballot(venv: Path, isolated_data_dir: Path) -> None:
    script, python = venv / "bin" / "tvm-vote-tui", venv / "bin" / "python"
    version = f"tvm-vote-tui {tvm_vote_tui.__version__}"
    assert _run(script, "--version", cwd=venv).strip() == version
    assert _run(python, "-m", "tvm_vote_tui", "--version", cwd=venv).strip() == version
    installed = Path(
        _run(python, "-c", "import tvm_vote_tui; print(tvm_vote_tui.__file__)", cwd=venv).strip()
    ).parent
    assert installed.is_relative_to(venv), f"imported {installed}, not the wheel's copy"
    found = sorted(p.relative_to(installed.parent).as_posix() for p in installed.rglob("*.tcss"))
    assert found == PACKAGE_STYLES

    path = Store(isolated_data_dir).create(session(members=roster(3), title="Adopt the wheel"))
    with Tui.start(isolated_data_dir, "open", path.stem, script=script) as tui:
        tui.wait_for("Voter", "Member 0", "Member 2")
        tui.press("+")
        tui.wait_for_regex(r"Member 0\s+\+1\s+binding")
        tui.press("ctrl+q")
        assert tui.wait_exit() == 0

    tallied = run_cli(isolated_data_dir, "tally", path.stem, "--json", script=script)
    assert tallied.status == 0, tallied.stderr
    assert json.loads(tallied.stdout)["binding"]["plus"] == 1


def test_output_in_a_windows_code_page_escapes_what_it_cannot_hold(isolated_data_dir: Path) -> None:
    """Redirected to a file or a pipe on Windows, output is in the ANSI code page (cp1252 here):
    a name it cannot hold is written escaped, never as a traceback."""
    Store(isolated_data_dir).create(session(title="变更 the codebase"))
    listed = subprocess.run(
        [script_path(), "--data-dir", isolated_data_dir, "list"],
        capture_output=True,
        env=child_env(isolated_data_dir, extra={"PYTHONIOENCODING": "cp1252"}),
        timeout=30,
    )
    assert listed.returncode == 0 and not listed.stderr, listed.stderr
    assert "\\u53d8\\u66f4 the codebase" in listed.stdout.decode("cp1252")

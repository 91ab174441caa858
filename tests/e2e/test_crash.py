"""A crash never looks like success: non-zero exit status, one clear line, the traceback in a file.

The exception is caused from outside the app: a `sitecustomize.py` on PYTHONPATH (imported by
Python at start-up, before the app) replaces one store method with one that raises, and the
test drives the app into it. The app has no switch for this.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.e2e.conftest import Cli, StartTui
from tests.e2e.harness import Tui

BOOM = "boom from the e2e test"

# Replaces Store.create: pressing n, a title and enter reaches it on the main thread.
ON_CREATE = f"""
import tvm_vote_tui.store.sessions as sessions

def create(self, session):
    raise RuntimeError({BOOM!r})

sessions.Store.create = create
"""

# The sessions list reads new or changed files in a worker thread. The first scan (at start-up)
# works; the next one (`r`, reload) says a file changed, and reading it raises in that worker.
ON_RELOAD = f"""
import tvm_vote_tui.store.summaries as summaries

_scan = summaries.scan
_calls = []

def scan(store):
    found = _scan(store)
    _calls.append(1)
    if len(_calls) > 1:
        found.changed.append(store.sessions_dir / "changed.toml")
    return found

def read_summary(path, key=None):
    raise RuntimeError({BOOM!r})

summaries.scan = scan
summaries.read_summary = read_summary
"""


def create_session(tui: Tui) -> None:
    tui.wait_for("No votes here yet")
    tui.press("n")
    tui.wait_for("Title of the proposal")
    tui.type_text("Crash here")
    tui.press("enter")


def reload_sessions(tui: Tui) -> None:
    tui.wait_for("No votes here yet")
    tui.press("r")


CRASH_LINE = re.compile(
    rf"^tvm-vote-tui: crashed: RuntimeError: {BOOM} — details in (?P<file>\S+); recorded ballots are on disk$"
)


@pytest.mark.parametrize(
    ("patch", "drive"),
    [(ON_CREATE, create_session), (ON_RELOAD, reload_sessions)],
    ids=["main-thread", "worker-thread"],
)
def test_a_crash_exits_non_zero_with_one_line(
    patch: str,
    drive: Callable[[Tui], None],
    start_tui: StartTui,
    cli: Cli,
    tmp_path: Path,
    isolated_data_dir: Path,
) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(patch, encoding="utf-8")
    tui = start_tui(env={"PYTHONPATH": str(site)})
    drive(tui)

    status = tui.wait_exit()
    assert status != 0, tui.describe()
    assert status == 1

    printed = [line for line in tui.output_after_exit().splitlines() if line.strip()]
    assert len(printed) == 1, printed
    found = CRASH_LINE.match(printed[0].strip())
    assert found, printed[0]
    assert b"Traceback" not in tui.raw_output()
    # What stays in the terminal: the line, and nothing of the app's screens.
    shown = tui.screen()
    assert "tvm-vote-tui: crashed: RuntimeError" in shown.replace("\n", "")
    assert "F1 Sessions" not in shown

    report = Path(found["file"])
    assert report.parent == isolated_data_dir / "crashes"
    text = report.read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in text
    assert f"RuntimeError: {BOOM}" in text
    assert "sitecustomize.py" in text
    assert oct(report.stat().st_mode & 0o777) == oct(0o600)

    # The process that crashed holds nothing: the command line works on the same data dir.
    listed = cli("list")
    assert listed.status == 0, listed.stderr


@pytest.mark.parametrize(
    ("name", "text", "said"),
    [
        ("broken.toml", "schema_version = 1\n[proposal\n", "broken.toml, line 2"),
        ("deep.toml", "x = " + "[" * 5000 + "]" * 5000 + "\n", "deep.toml"),
    ],
    ids=["broken", "nested"],
)
def test_open_on_a_bad_file_exits_2_with_one_line(
    start_tui: StartTui, isolated_data_dir: Path, name: str, text: str, said: str
) -> None:
    """`open` on a file that cannot be read is bad input like any command's: one line, status 2,
    the file untouched and no lock left behind."""
    sessions = isolated_data_dir / "sessions"
    sessions.mkdir(parents=True)
    path = sessions / name
    path.write_text(text, encoding="utf-8")
    tui = start_tui("open", str(path))
    assert tui.wait_exit() == 2, tui.describe()
    printed = [line for line in tui.output_after_exit().splitlines() if line.strip()]
    assert len(printed) == 1 and printed[0].strip().startswith("tvm-vote-tui: "), printed
    assert said in printed[0]
    assert b"Traceback" not in tui.raw_output()
    assert path.read_text(encoding="utf-8") == text
    left = sorted(p.name for p in sessions.iterdir() if p.name != ".summaries.json")  # the list's
    assert left == [name]


def test_the_crash_line_shows_a_hostile_data_dir_made_visible(start_tui: StartTui, tmp_path: Path) -> None:
    """The crash file's path is printed through `visible`: a data dir named with an escape
    sequence cannot clear the terminal, and the file is where the line says, once made visible."""
    data = tmp_path / "votes\x1b[2J\u202e"
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(ON_CREATE, encoding="utf-8")
    tui = start_tui(env={"PYTHONPATH": str(site)}, data_dir=data)
    create_session(tui)
    assert tui.wait_exit() == 1, tui.describe()
    printed = [line for line in tui.output_after_exit().splitlines() if line.strip()]
    assert len(printed) == 1, printed
    found = CRASH_LINE.match(printed[0].strip())
    assert found, printed[0]
    assert "votes␛[2J<U+202E>/crashes/" in found["file"]
    reports = list((data / "crashes").iterdir())
    assert len(reports) == 1 and reports[0].name == Path(found["file"]).name
    assert b"\x1b[2J" not in tui.raw_output().split(b"crashed:")[-1]

"""Smaller refusals, through the installed command in a real process: an empty session name is
refused by every command that takes one, and a session file that closed before it opened is
refused on loading, each with one line and exit status 2."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.factories import T0, session
from tvm_vote_tui.domain.errors import ChangeRefused
from tvm_vote_tui.store.format import SessionFileError, session_from_toml, session_to_toml
from tvm_vote_tui.store.sessions import Store

THREAD = Path(__file__).parent / "threads" / "github_ffi.md"


def run(data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    script = Path(sys.executable).parent / "tvm-vote-tui"
    return subprocess.run(
        [str(script), "--data-dir", str(data), *args],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=data.parent,  # where `-o out.txt` would go
    )


def one_line(result: subprocess.CompletedProcess[str], *words: str) -> None:
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr, result.stderr
    for word in words:
        assert word in result.stderr, result.stderr


@pytest.mark.parametrize(
    "command",
    [
        ["tally", "NAME"],
        ["tally", "NAME", "--json"],
        ["export", "NAME"],
        ["export", "NAME", "-o", "out.txt"],
        ["import-thread", "NAME", str(THREAD), "--dry-run"],
        ["open", "NAME"],
    ],
    ids=lambda c: " ".join(c),
)
@pytest.mark.parametrize("name", ["", " ", "\t"], ids=["empty", "space", "tab"])
def test_an_empty_session_name_is_refused_even_with_one_session(
    tmp_path: Path, command: list[str], name: str
) -> None:
    store = Store(tmp_path / "data")
    store.create(session([("m0", "+1")]))  # the only one: an empty name must not pick it
    result = run(store.root, *[name if arg == "NAME" else arg for arg in command])
    one_line(result, "no session named")
    assert result.stdout == ""


def closed_before_it_opened(tmp_path: Path) -> Path:
    s = session([("m0", "+1")])
    s.close(T0.add(days=8), "")
    text = session_to_toml(s).replace(
        "closed_at = 2026-12-02 17:00:00+00:00", "closed_at = 2026-11-20 17:00:00+00:00"
    )
    assert "closed_at = 2026-11-20 17:00:00+00:00" in text
    path = tmp_path / "closed-early.toml"
    path.write_text(text)
    return path


@pytest.mark.parametrize("command", [["tally"], ["tally", "--json"], ["export"], ["export", "-f", "json"]])
def test_a_session_that_closed_before_it_opened_is_refused(tmp_path: Path, command: list[str]) -> None:
    path = closed_before_it_opened(tmp_path)
    before = path.read_bytes()
    result = run(tmp_path / "data", command[0], str(path), *command[1:])
    one_line(result, "closed-early.toml", "field proposal.closed_at", "closed before it opened")
    assert path.read_bytes() == before


def test_closing_at_the_moment_it_opens_is_fine_and_before_is_not(tmp_path: Path) -> None:
    text = closed_before_it_opened(tmp_path).read_text()
    at_open = text.replace("closed_at = 2026-11-20 17:00:00+00:00", "closed_at = 2026-11-24 17:00:00+00:00")
    assert session_from_toml(at_open).proposal.closed_at == T0
    with pytest.raises(SessionFileError, match=r"line \d+, field proposal.closed_at"):
        session_from_toml(text, "closed-early.toml")


def test_the_app_never_writes_a_vote_that_closed_before_it_opened() -> None:
    """Closing a vote whose window starts later is refused, so no file the app writes is refused
    when read back."""
    s = session()
    s.set_window(T0.add(days=2), T0.add(days=9), T0)
    with pytest.raises(ChangeRefused, match="cannot close before it opens"):
        s.close(T0.add(days=1), "changed our minds")
    assert not s.is_closed
    s.close(T0.add(days=2), "closing the moment it opens")
    assert session_from_toml(session_to_toml(s)).is_closed

"""Every command, on files that hold hostile text: no control or bidi character ever reaches the
terminal raw, and markup is printed as the text it is. The command refuses the file with one line
(exit 2) or prints it made visible; either way the bytes are safe."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.hostile import ESCAPES, MARKUP, hostile_session, hostile_title_session, unsafe_in
from tvm_vote_tui.store.format import session_to_toml
from tvm_vote_tui.store.sessions import Store

COMMANDS = [
    ["tally", "NAME"],
    ["tally", "NAME", "--json"],
    ["list"],
    ["export", "NAME", "-f", "result"],
    ["export", "NAME", "-f", "markdown"],
    ["export", "NAME", "-f", "announce"],
    ["export", "NAME", "-f", "json"],
    ["open", "NAME", "--help"],
]


def run(data: Path, args: list[str]) -> subprocess.CompletedProcess[str]:
    script = Path(sys.executable).parent / "tvm-vote-tui"
    return subprocess.run(
        [str(script), "--data-dir", str(data), *args], capture_output=True, text=True, timeout=60
    )


@pytest.fixture
def hostile_store(tmp_path: Path) -> tuple[Path, str]:
    store = Store(tmp_path / "data")
    store.ensure()
    path = store.sessions_dir / "hostile-vote.toml"
    path.write_text(session_to_toml(hostile_session(ESCAPES)))
    (store.sessions_dir / "x\x1b[2J\u202e.toml").write_text("not = [toml")  # even a file's name
    return store.root, path.stem


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c))
def test_no_escape_sequence_reaches_the_terminal(hostile_store: tuple[Path, str], command: list[str]) -> None:
    data, name = hostile_store
    result = run(data, [name if arg == "NAME" else arg for arg in command])
    assert not unsafe_in(result.stdout), result.stdout
    assert not unsafe_in(result.stderr, keep="\n"), result.stderr
    if result.returncode:  # refused: one clear line, no traceback
        assert result.returncode == 2 and result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


def test_markup_is_printed_as_the_text_it_is(tmp_path: Path) -> None:
    store = Store(tmp_path / "data")
    path = store.create(hostile_session(MARKUP))
    for args in (["tally", path.stem], ["list"]):
        result = run(store.root, args)
        assert result.returncode == 0, result.stderr
        assert f"Adopt {MARKUP[0]} now" in result.stdout  # the title, as typed
    exported = run(store.root, ["export", path.stem, "-f", "result"]).stdout
    # As typed too, but for the @mention, which a post to GitHub must not make: it is quoted.
    assert "Adopt [`@click`=app.quit]x[/] now" in exported
    assert "[`@click`=app.quit]x[/]" in exported and "[link=file:///etc/passwd]x[/]" in exported


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c))
def test_a_hostile_title_is_shown_made_visible(tmp_path: Path, command: list[str]) -> None:
    """A title is the sender's words: the file loads, and every command shows it made visible."""
    store = Store(tmp_path / "data")
    path = store.create(hostile_title_session(ESCAPES))
    result = run(store.root, [path.stem if arg == "NAME" else arg for arg in command])
    assert result.returncode == 0, result.stderr
    assert not unsafe_in(result.stdout), result.stdout
    if command[-1] == "json" or "--json" in command:
        assert "\\u001b]0;pwned\\u0007" in result.stdout and "\\u202e" in result.stdout
    elif "markdown" in command:  # Markdown escapes the bracket and the angle brackets too
        assert "␛\\]0;pwned␇" in result.stdout and "&lt;U+202E&gt;" in result.stdout
    elif command[0] != "open":
        assert "␛]0;pwned␇" in result.stdout and "<U+202E>" in result.stdout

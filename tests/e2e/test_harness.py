"""The harness itself: keys as Textual reads them, the screen, the output, the clean-up."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pyte
import pytest

from tests.e2e.harness import KEYS, TerminalScreen, Tui, field_edge, key_bytes, strip_ansi
from tvm_vote_tui import __version__

# A terminal cannot tell these from backspace, tab and enter, and neither can Textual.
SAME_BYTES = {"ctrl+h": "backspace", "ctrl+i": "tab", "ctrl+m": "enter"}


@pytest.mark.parametrize("name", sorted(KEYS))
def test_textual_reads_each_key_as_its_name(name: str) -> None:
    from textual._xterm_parser import XTermParser  # the parser the app's Linux driver uses
    from textual.events import Key

    parser = XTermParser()
    events = list(parser.feed(key_bytes(name).decode()))
    if not events:  # a bare ESC is only a key once the parser's escape delay has passed
        time.sleep(0.15)
        events = list(parser.tick())
    keys = [event.key for event in events if isinstance(event, Key)]
    assert keys == [SAME_BYTES.get(name, name)]


def test_a_single_character_is_sent_as_typed() -> None:
    assert key_bytes("+") == b"+"
    assert key_bytes("ë") == "ë".encode()
    with pytest.raises(ValueError, match="unknown key"):
        key_bytes("ctrl+shift+nothing")


def test_the_screen_leaves_the_alternate_screen_as_a_terminal_does() -> None:
    screen = TerminalScreen(20, 4)
    stream = pyte.ByteStream(screen)
    stream.feed(b"$ tvm-vote-tui\r\n\x1b[?1049h\x1b[2J\x1b[HTHE APP\x1b[?1049l")
    stream.feed(b"after exit\r\n")
    shown = [line.rstrip() for line in screen.display]
    assert shown[:2] == ["$ tvm-vote-tui", "after exit"]
    assert "THE APP" not in "".join(shown)


def test_a_field_is_found_by_its_label_or_its_placeholder() -> None:
    screen = TerminalScreen(40, 6)
    blurred, focused = "\x1b[38;5;233;48;5;233m▊\x1b[0m", "\x1b[38;5;32;48;5;233m▊\x1b[0m"
    stream = pyte.ByteStream(screen)
    stream.feed(f" Title (required)\r\n {blurred}  Adopt Relax\r\n\r\n {focused}  Note (optional)".encode())
    title, note = field_edge(screen, "Title (required)"), field_edge(screen, "Note (optional)")
    assert title is not None and title.fg == title.bg  # blurred: drawn in its background's colour
    assert note is not None and note.fg != note.bg
    assert field_edge(screen, "Adopt Relax") == title
    assert field_edge(screen, "not on screen") is None


def test_strip_ansi() -> None:
    assert strip_ansi("\x1b[?1049l\x1b[1;31mred\x1b[0m\r\n\x1b]0;title\x07ok") == "red\nok"


def test_the_installed_script_runs_in_a_pty(isolated_data_dir: Path) -> None:
    with Tui.start(isolated_data_dir, "--version", size=(60, 10)) as tui:
        assert tui.wait_exit() == 0
        assert f"tvm-vote-tui {__version__}" in tui.screen()
        assert f"tvm-vote-tui {__version__}".encode() in tui.raw_output()


def test_a_failed_wait_shows_the_screen_and_the_app_is_killed_at_the_end(isolated_data_dir: Path) -> None:
    with Tui.start(isolated_data_dir, size=(80, 24)) as tui:
        tui.wait_for("No votes here yet")
        with pytest.raises(AssertionError) as failed:
            tui.wait_for("text that never appears", timeout=0.3)
        message = str(failed.value)
        assert "not within 0.3s" in message
        assert "screen (80x24, app running)" in message and "No votes here yet" in message
        pid = tui.process.pid
    assert not tui.process.isalive()
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)


def test_tests_here_are_marked_e2e_and_time_out(request: pytest.FixtureRequest) -> None:
    assert request.node.get_closest_marker("e2e") is not None
    timeout = request.node.get_closest_marker("timeout")
    assert timeout is not None and timeout.args[0] > 0


def test_the_focus_is_seen_on_the_screen(isolated_data_dir: Path) -> None:
    with Tui.start(isolated_data_dir, size=(80, 24)) as tui:
        tui.wait_for("No votes here yet")
        tui.press("n")
        tui.wait_for("Title of the proposal")
        tui.type_text("Focus test")
        tui.press("enter")  # the proposal: no field has the focus until Tab
        tui.wait_for("Title (required)")
        tui.press("tab")
        tui.wait_focus("Title (required)")
        tui.press("tab")
        tui.wait_until(lambda _: not tui.field_has_focus("Title (required)"), "the focus leaving the title")
        tui.press("shift+tab")
        tui.wait_focus("Title (required)")
        tui.press("ctrl+q")
        assert tui.wait_exit() == 0

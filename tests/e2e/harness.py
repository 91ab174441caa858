"""Drive the installed `tvm-vote-tui` in a pseudo-terminal and read what a user would see.

The app is started as the console script next to `sys.executable` (the venv's
`bin/tvm-vote-tui`; never `python -m`, never in-process), in a pty of a given size, with
`TERM=xterm-256color`, COLUMNS/LINES to match, TZ=UTC and the data dir in
TVM_VOTE_TUI_DATA_DIR. Everything it writes (Textual draws on stderr; the pty carries stdout and
stderr alike) is kept as raw bytes and fed into a `pyte` screen that also knows xterm's
alternate screen. Keys are sent as the byte sequences an xterm sends.

    with Tui.start(data_dir, size=(80, 24)) as tui:    # killed when the block ends
        tui.wait_for("No votes here yet")               # every wait fails with the screen shown
        tui.press("n")                                  # key names: KEYS, or one character
        tui.type_text("Adopt Relax")                    # literal text
        tui.press("enter")
        tui.wait_for("Title (required)")
        tui.press("ctrl+q")
        assert tui.wait_exit() == 0

    run_cli(data_dir, "tally", "adopt-relax", "--json")  # -> CliResult(status, stdout, stderr)

Reading: `screen()` (one string) and `screen_text()` (the lines), `raw_output()` (every byte,
for escape-sequence checks), `output_after_exit()` (what stays in the terminal once the app is
gone). Waiting: `wait_for(*texts)`, `wait_for_regex(pattern)`, `wait_gone(*texts)`,
`wait_until(predicate)`, `wait_exit()`, and `wait_for_file(path)`. `press` waits, after each key,
until the app has answered and gone quiet (see SETTLE_QUIET), as a person would before the next
key; nothing else sleeps a fixed time. Before typing into a field reached with tab, wait until
it has the focus: `wait_focus(label_or_placeholder)`. In tests, use the `start_tui` and `cli`
fixtures (conftest.py), which add the screens of a failed test to its report.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyte
from ptyprocess import PtyProcess

SCRIPT_NAME = "tvm-vote-tui"
DEFAULT_TIMEOUT = 10.0
"""Seconds a wait may take before the test fails: generous for a loaded 2-core CI machine."""
KEY_GAP = 0.01
"""Seconds between two typed characters (all go to the same field)."""
SETTLE_QUIET = 0.08
"""After a key that may move the focus or switch screens, the harness waits until the app has
drawn its answer and then been quiet this long. Textual hands a key to the focused widget and
lets it bubble up to the bindings on another queue, so a key sent while a Tab is still on its
way would land in the field being left (a real terminal shows the same with typing that fast)."""
SETTLE_REACT = 0.5
"""Seconds to wait for the first output after such a key; some keys change nothing on screen."""
SETTLE_LIMIT = 3.0
"""An app that never goes quiet (an animation) is not waited for longer than this."""
ESCAPE_GAP = 0.2
"""After a bare ESC, Textual waits ESCDELAY (100 ms) for more bytes before it calls it escape;
a key sent sooner would be read as alt+key. So a bare escape is followed by this pause."""

# What xterm (no kitty keyboard protocol, normal cursor keys) sends for each key; these are the
# sequences textual/_ansi_sequences.py maps to Textual's key names.
KEYS: dict[str, str] = {
    "enter": "\r",
    "tab": "\t",
    "shift+tab": "\x1b[Z",
    "escape": "\x1b",
    "backspace": "\x7f",
    "delete": "\x1b[3~",
    "insert": "\x1b[2~",
    "space": " ",
    "up": "\x1b[A",
    "down": "\x1b[B",
    "right": "\x1b[C",
    "left": "\x1b[D",
    "home": "\x1b[H",
    "end": "\x1b[F",
    "pageup": "\x1b[5~",
    "pagedown": "\x1b[6~",
    "f1": "\x1bOP",
    "f2": "\x1bOQ",
    "f3": "\x1bOR",
    "f4": "\x1bOS",
    "f5": "\x1b[15~",
    "f6": "\x1b[17~",
    "f7": "\x1b[18~",
    "f8": "\x1b[19~",
    "f9": "\x1b[20~",
    "f10": "\x1b[21~",
    "f11": "\x1b[23~",
    "f12": "\x1b[24~",
    "plus": "+",
    "minus": "-",
    "question_mark": "?",
    "slash": "/",
}
KEYS.update({f"ctrl+{letter}": chr(ord(letter) - ord("a") + 1) for letter in "abcdefghijklmnopqrstuvwxyz"})
# ctrl+h, ctrl+i and ctrl+m are the bytes of backspace, tab and enter: a terminal cannot tell
# them apart, and neither can Textual. They stay in the table as what an xterm really sends.


def key_bytes(key: str) -> bytes:
    """The bytes an xterm sends for `key`: a name from KEYS, or one literal character."""
    if key in KEYS:
        return KEYS[key].encode()
    if len(key) == 1:
        return key.encode()
    raise ValueError(f"unknown key {key!r}: use one character or one of {', '.join(sorted(KEYS))}")


def script_path() -> Path:
    """The installed console script of the environment running the tests."""
    path = Path(sys.executable).parent / SCRIPT_NAME
    if not path.exists():
        raise RuntimeError(f"{path} not found: install the project (pip install -e '.[dev]') first")
    return path


def child_env(
    data_dir: Path, size: tuple[int, int] = (80, 24), extra: Mapping[str, str] | None = None
) -> dict[str, str]:
    """The environment of an app under test: the caller's (HOME and XDG already isolated by
    tests/conftest.py), this data dir, an xterm of this size, UTC, and `extra` on top."""
    columns, lines = size
    env = {key: value for key, value in os.environ.items() if not key.startswith("TEXTUAL")}
    env.update(
        {
            "TVM_VOTE_TUI_DATA_DIR": str(data_dir),
            "TERM": "xterm-256color",
            "COLUMNS": str(columns),
            "LINES": str(lines),
            "TZ": "UTC",
            "LANG": "C.UTF-8",
            "LC_ALL": "C.UTF-8",
            "PYTHONUNBUFFERED": "1",
        }
    )
    for key in ("NO_COLOR", "FORCE_COLOR", "COLORTERM", "PYTEST_CURRENT_TEST", "PYTEST_ADDOPTS"):
        env.pop(key, None)
    env.update(extra or {})
    return env


class TerminalScreen(pyte.Screen):
    """A pyte screen that also knows xterm's alternate screen (mode 1049), which Textual uses:
    after the app exits, the screen shows what was there before, plus what was printed after."""

    ALT_SCREEN = 1049

    def __init__(self, columns: int, lines: int) -> None:
        super().__init__(columns, lines)
        self._saved: tuple[dict[int, dict[int, Any]], Any] | None = None

    def set_mode(self, *modes: int, **kwargs: Any) -> None:
        if kwargs.get("private") and self.ALT_SCREEN in modes and self._saved is None:
            saved = {y: dict(line) for y, line in self.buffer.items()}
            self._saved = (saved, self.cursor.__class__(self.cursor.x, self.cursor.y, self.cursor.attrs))
            self.erase_in_display(2)
        super().set_mode(*modes, **kwargs)

    def reset_mode(self, *modes: int, **kwargs: Any) -> None:
        if kwargs.get("private") and self.ALT_SCREEN in modes and self._saved is not None:
            saved, cursor = self._saved
            self._saved = None
            self.erase_in_display(2)
            for y, line in saved.items():
                self.buffer[y].update(line)
            self.cursor.x, self.cursor.y = cursor.x, cursor.y
            self.dirty.update(range(self.lines))
        super().reset_mode(*modes, **kwargs)


@dataclass(frozen=True)
class CliResult:
    """What a command-line run returned."""

    status: int
    stdout: str
    stderr: str


def run_cli(
    data_dir: Path,
    *args: str,
    env: Mapping[str, str] | None = None,
    timeout: float = 30,
    script: Path | None = None,
) -> CliResult:
    """Run `tvm-vote-tui --data-dir DATA_DIR ARGS...` (the installed script, or `script`), without
    a terminal."""
    run = subprocess.run(
        [str(script or script_path()), "--data-dir", str(data_dir), *args],
        capture_output=True,
        text=True,
        env=child_env(data_dir, extra=env),
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )
    return CliResult(run.returncode, run.stdout, run.stderr)


class Tui:
    """One running `tvm-vote-tui` in a pty, with a pyte screen of what it drew."""

    def __init__(self, process: PtyProcess, size: tuple[int, int]) -> None:
        self.process = process
        self.size = size
        columns, lines = size
        self._screen = TerminalScreen(columns, lines)
        self._stream = pyte.ByteStream(self._screen)
        self._raw = bytearray()
        self._changed = threading.Condition()
        self._eof = False
        self._reads = 0
        """How many chunks of output were read: `settle` waits for the next one."""
        self._last_output = time.monotonic()
        self._status: int | None = None
        self._reader = threading.Thread(target=self._read, name="tui-reader", daemon=True)
        self._reader.start()

    # -- starting and stopping ---------------------------------------------------------------

    @classmethod
    @contextmanager
    def start(
        cls,
        data_dir: Path,
        *args: str,
        size: tuple[int, int] = (80, 24),
        env: Mapping[str, str] | None = None,
        cwd: Path | None = None,
        script: Path | None = None,
    ) -> Iterator[Tui]:
        """Start `tvm-vote-tui ARGS...` on DATA_DIR (through TVM_VOTE_TUI_DATA_DIR) in a pty of
        `size` = (columns, lines); the process is killed when the block ends, whatever happens.
        `script` is another installed `tvm-vote-tui` than the one beside `sys.executable`."""
        columns, lines = size
        process = PtyProcess.spawn(
            [str(script or script_path()), *args],
            env=child_env(data_dir, size, env),
            cwd=str(cwd or data_dir.parent),
            dimensions=(lines, columns),
        )
        tui = cls(process, size)
        try:
            yield tui
        finally:
            tui.kill()

    def kill(self) -> None:
        """Stop the process (SIGKILL if it is still running) and the reader."""
        if self.process.isalive():
            try:
                self.process.kill(signal.SIGKILL)
            except ProcessLookupError:
                pass
        try:
            self.process.wait()
        except Exception:  # already reaped
            pass
        self._reader.join(timeout=5)
        try:
            self.process.close(force=True)
        except Exception:
            pass

    def _read(self) -> None:
        while True:
            try:
                data = self.process.read(65536)
            except (EOFError, OSError):
                break
            with self._changed:
                self._raw += data
                self._stream.feed(data)
                self._reads += 1
                self._last_output = time.monotonic()
                self._changed.notify_all()
        with self._changed:
            self._eof = True
            self._changed.notify_all()

    # -- input -------------------------------------------------------------------------------

    def press(self, *keys: str, settle: bool = True) -> None:
        """Press keys by name (`"f2"`, `"ctrl+q"`, `"shift+tab"`, `"escape"`, `"+"`, ...), one after
        another, as an xterm sends them; after each, wait for the app to settle (see SETTLE_QUIET)."""
        for key in keys:
            before = self._reads
            self._write(key_bytes(key))
            if key == "escape":
                time.sleep(ESCAPE_GAP)
            if settle:
                self.settle(before)
            else:
                time.sleep(KEY_GAP)

    def settle(self, since: int | None = None) -> None:
        """Wait until the app has written something (after read number `since`, if given) and
        then been quiet for SETTLE_QUIET seconds; give up waiting after SETTLE_LIMIT."""
        start = time.monotonic()
        with self._changed:
            if since is not None:
                self._changed.wait_for(lambda: self._reads > since or self._eof, SETTLE_REACT)
            while not self._eof and time.monotonic() - start < SETTLE_LIMIT:
                quiet_for = time.monotonic() - self._last_output
                if quiet_for >= SETTLE_QUIET:
                    return
                self._changed.wait(SETTLE_QUIET - quiet_for)

    def type_text(self, text: str, gap: float = KEY_GAP) -> None:
        """Type literal text, one character at a time (any Unicode; an xterm sends UTF-8)."""
        for char in text:
            self._write(char.encode())
            time.sleep(gap)

    def _write(self, data: bytes) -> None:
        if not self.process.isalive():
            self.fail(f"cannot send {data!r}: the app has exited (status {self.exit_status()})")
        self.process.write(data)

    # -- output ------------------------------------------------------------------------------

    def screen_text(self) -> list[str]:
        """The lines of the screen as a user sees them now (right-padded with spaces)."""
        with self._changed:
            return list(self._screen.display)

    def screen(self) -> str:
        """The screen as one string, trailing spaces removed: for `in` checks and messages."""
        return "\n".join(line.rstrip() for line in self.screen_text())

    def raw_output(self) -> bytes:
        """Every byte the process wrote so far, escape sequences included."""
        with self._changed:
            return bytes(self._raw)

    def fail(self, message: str) -> None:
        """Fail the test with `message` and the current screen."""
        raise AssertionError(f"{message}\n{self.describe()}")

    def describe(self) -> str:
        columns, lines = self.size
        rule = "-" * columns
        alive = "running" if self.process.isalive() else f"exited with {self.exit_status()}"
        return f"screen ({columns}x{lines}, app {alive}):\n{rule}\n{self.screen()}\n{rule}"

    # -- waiting -----------------------------------------------------------------------------

    def wait_until(
        self,
        predicate: Callable[[str], bool],
        what: str = "the screen to change",
        timeout: float = DEFAULT_TIMEOUT,
    ) -> str:
        """Wait until `predicate(screen)` holds (checked on every output); return that screen."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                text = "\n".join(line.rstrip() for line in self._screen.display)
                if predicate(text):
                    return text
                left = deadline - time.monotonic()
                if left <= 0 or self._eof:
                    break
                self._changed.wait(min(left, 0.5))
        state = "the app exited" if self._eof else f"not within {timeout:g}s"
        self.fail(f"waited for {what}: {state}")
        raise AssertionError  # unreachable: fail raised

    def wait_for(self, *texts: str, timeout: float = DEFAULT_TIMEOUT) -> str:
        """Wait until every one of `texts` is on the screen; return the screen."""
        return self.wait_until(
            lambda screen: all(t in screen for t in texts), " and ".join(map(repr, texts)), timeout
        )

    def wait_for_regex(self, pattern: str, timeout: float = DEFAULT_TIMEOUT) -> re.Match[str]:
        """Wait until `pattern` matches somewhere on the screen; return the match."""
        compiled = re.compile(pattern)
        screen = self.wait_until(lambda s: compiled.search(s) is not None, f"/{pattern}/", timeout)
        found = compiled.search(screen)
        assert found is not None
        return found

    def wait_gone(self, *texts: str, timeout: float = DEFAULT_TIMEOUT) -> str:
        """Wait until none of `texts` is on the screen (e.g. a dialog closed)."""
        return self.wait_until(
            lambda screen: not any(t in screen for t in texts),
            "no " + " and no ".join(map(repr, texts)),
            timeout,
        )

    def field_has_focus(self, anchor: str) -> bool:
        """Whether the field at `anchor` (its label just above it, or a value or placeholder
        inside it) has the focus. Textual draws a focused field's tall left edge (▊) in the
        accent colour and a blurred one in the colour of its background (the default theme)."""
        with self._changed:
            edge = field_edge(self._screen, anchor)
            return edge is not None and edge.fg != edge.bg

    def wait_focus(self, anchor: str, timeout: float = DEFAULT_TIMEOUT) -> None:
        """Wait until the field at `anchor` has the focus: do this before typing into a field
        reached with tab (see field_has_focus)."""
        self.wait_until(
            lambda _: self.field_has_focus(anchor), f"the focus in the field at {anchor!r}", timeout
        )

    def wait_exit(self, timeout: float = DEFAULT_TIMEOUT) -> int:
        """Wait for the process to end and its output to be read; return its exit status
        (128 + N when killed by signal N)."""
        deadline = time.monotonic() + timeout
        while self.process.isalive():
            if time.monotonic() > deadline:
                self.fail(f"the app did not exit within {timeout:g}s")
            time.sleep(0.02)
        self._reader.join(timeout=max(0.5, deadline - time.monotonic()))
        status = self.exit_status()
        assert status is not None
        return status

    def exit_status(self) -> int | None:
        if self.process.isalive():
            return None
        if self._status is None:
            if self.process.exitstatus is None and self.process.signalstatus is None:
                self.process.wait()
            if self.process.signalstatus is not None:
                self._status = 128 + self.process.signalstatus
            else:
                self._status = self.process.exitstatus
        return self._status

    def output_after_exit(self) -> str:
        """The text printed after the app left the alternate screen (what stays in the
        terminal once it is gone), without escape sequences."""
        raw = self.raw_output()
        marker = b"\x1b[?1049l"
        tail = raw[raw.rindex(marker) + len(marker) :] if marker in raw else raw
        return strip_ansi(tail.decode("utf-8", "replace"))


ANSI = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]|\x1bP[^\x1b]*\x1b\\"
)


def strip_ansi(text: str) -> str:
    """`text` without escape sequences and carriage returns."""
    return ANSI.sub("", text).replace("\r", "")


def field_edge(screen: pyte.Screen, anchor: str) -> Any:
    """The ▊ cell at the left edge of the field at `anchor` (a value or placeholder inside the
    field, or its label one to three lines above it), or None."""
    lines = screen.display
    for row, line in enumerate(lines):
        column = line.find(anchor)
        if column < 0:
            continue
        inside = line.rfind("▊", max(0, column - 4), column)
        if inside >= 0:
            return screen.buffer[row][inside]
        for below in range(row + 1, min(row + 4, len(lines))):
            edge = lines[below].find("▊", max(0, column - 2), column + 3)
            if edge >= 0:
                return screen.buffer[below][edge]
    return None


def wait_for_file(path: Path, tui: Tui | None = None, timeout: float = DEFAULT_TIMEOUT) -> None:
    """Wait until `path` exists and is not empty (written by the app); on failure show the screen."""
    deadline = time.monotonic() + timeout
    while not (path.is_file() and path.stat().st_size > 0):
        if time.monotonic() > deadline:
            message = f"{path} was not written within {timeout:g}s"
            if tui is not None:
                tui.fail(message)
            raise AssertionError(message)
        time.sleep(0.05)

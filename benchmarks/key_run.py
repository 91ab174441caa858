"""Time a key as a user meets it: a program runs in a pseudo-terminal, one key's bytes are written
to it, and the clock stops when the screen (a `pyte` terminal fed with everything the program
wrote) shows what the key should change. Whatever the program does in between counts: reading
the key, recording it (for tvm-vote-tui an fsync'd journal line on the disk of its data dir),
redrawing, writing the frame.

The time of a frame is that of the read that brought its last bytes, taken before the frame is
fed to pyte, so the emulator's own work is not counted; bytes that are already waiting are read
together before anything is fed. Between two keys the program is left to go quiet (QUIET), as a
person would wait to see the count before the next key.
"""

from __future__ import annotations

import os
import select
import time
from collections.abc import Callable, Sequence

import pyte
from pty_run import CTRL_Q, spawn

QUIET = 0.1
"""Seconds without output after which the program counts as done drawing the last key."""

Shown = Callable[[str], bool]
"""Whether a screen (its lines joined with newlines) shows what is waited for."""


class Terminal:
    """One program in a pty, and the screen it has drawn so far."""

    def __init__(self, argv: Sequence[str], env: dict[str, str], size: tuple[int, int]) -> None:
        self.pid, self.master = spawn(argv, env=env, size=size)
        self.screen = pyte.Screen(*size)
        self.stream = pyte.ByteStream(self.screen)
        self.last_output = time.monotonic()

    def text(self) -> str:
        return "\n".join(self.screen.display)

    def _read_waiting(self, timeout: float) -> float | None:
        """Read every byte waiting (waiting up to `timeout` for the first), feed them to the
        screen; return when the last of them was read, or None if nothing came."""
        ready, _, _ = select.select([self.master], [], [], max(timeout, 0))
        if not ready:
            return None
        data = bytearray()
        while ready:
            try:
                chunk = os.read(self.master, 65536)
            except OSError:  # EIO: the program has gone
                chunk = b""
            if not chunk:
                raise EOFError(f"the program exited; its screen:\n{self.text()}")
            data += chunk
            ready, _, _ = select.select([self.master], [], [], 0)
        arrived = time.monotonic()
        self.stream.feed(bytes(data))
        self.last_output = arrived
        return arrived

    def wait_for(self, shown: Shown, what: str, timeout: float = 30) -> float:
        """Wait until the screen shows it; return when the bytes that showed it were read."""
        deadline = time.monotonic() + timeout
        while not shown(self.text()):
            if self._read_waiting(deadline - time.monotonic()) is None:
                raise TimeoutError(f"no {what} after {timeout} s; the screen:\n{self.text()}")
        return self.last_output

    def settle(self, quiet: float = QUIET, limit: float = 5) -> None:
        """Wait until nothing has been written for `quiet` seconds (at most `limit` in all)."""
        end = time.monotonic() + limit
        while time.monotonic() < end:
            left = self.last_output + quiet - time.monotonic()
            if left <= 0:
                return
            self._read_waiting(left)

    def press(self, key: bytes, shown: Shown, what: str) -> float:
        """Write `key`; return the seconds until the screen shows it."""
        sent = time.monotonic()
        os.write(self.master, key)
        return self.wait_for(shown, what) - sent

    def quit(self, timeout: float = 30) -> None:
        """ctrl+q, then wait for the exit (status 0)."""
        os.write(self.master, CTRL_Q)
        deadline = time.monotonic() + timeout
        try:
            while time.monotonic() < deadline:
                if self._read_waiting(deadline - time.monotonic()) is None:
                    break
        except EOFError:
            pass
        _, status = os.waitpid(self.pid, 0)
        os.close(self.master)
        if os.waitstatus_to_exitcode(status) != 0:
            raise RuntimeError(f"exited with status {status}; its screen:\n{self.text()}")

    def kill(self) -> None:
        try:
            os.kill(self.pid, 9)
            os.waitpid(self.pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass
        try:
            os.close(self.master)
        except OSError:
            pass

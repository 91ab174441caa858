"""Run a program in a pseudo-terminal as a user would: wait until a text is on screen, press
ctrl+q, wait until it exits; time both, in wall-clock and CPU time.

CPU time at the first frame is the sum of /proc/PID/task/*/schedstat (nanoseconds, the threads
alive then: the app's workers for the cases measured have not ended by the first frame), else
utime + stime from /proc/PID/stat (clock ticks); CPU time of the whole process is from os.wait4.
"""

from __future__ import annotations

import fcntl
import os
import select
import struct
import termios
import time
from collections.abc import Sequence
from dataclasses import dataclass

TICK = 1 / os.sysconf("SC_CLK_TCK")
CTRL_Q = b"\x11"


@dataclass(frozen=True)
class Run:
    first_wall: float
    """Seconds from spawn until `marker` was drawn."""
    first_cpu: float
    """CPU seconds the process had used by then."""
    total_wall: float
    """Seconds from spawn until the process had exited after ctrl+q."""
    total_cpu: float


def _cpu_so_far(pid: int) -> float:
    try:
        total = 0
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/schedstat") as schedstat:
                total += int(schedstat.read().split()[0])
        return total / 1e9
    except (OSError, ValueError, IndexError):
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) * TICK  # utime, stime


def spawn(argv: Sequence[str], *, env: dict[str, str], size: tuple[int, int]) -> tuple[int, int]:
    """Start `argv` with a new pty of `size` (columns, rows) as its terminal: (pid, master fd)."""
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", size[1], size[0], 0, 0))
    pid = os.fork()
    if pid == 0:  # the child: a session of its own with the pty as its terminal
        os.close(master)
        os.setsid()
        fcntl.ioctl(slave, termios.TIOCSCTTY, 0)
        for fd in (0, 1, 2):
            os.dup2(slave, fd)
        os.close(slave)
        os.execvpe(argv[0], list(argv), env)
    os.close(slave)
    return pid, master


def run_in_pty(
    argv: Sequence[str],
    marker: bytes,
    *,
    env: dict[str, str],
    size: tuple[int, int] = (80, 24),
    timeout: float = 60,
) -> Run:
    """Start `argv` in a pty of `size` columns x rows; `marker` is text the useful screen shows."""
    start = time.monotonic()
    pid, master = spawn(argv, env=env, size=size)
    seen, first_wall, first_cpu, quit_sent = b"", 0.0, 0.0, False
    deadline = start + timeout
    try:
        while True:
            ready, _, _ = select.select([master], [], [], max(deadline - time.monotonic(), 0))
            if not ready:
                raise TimeoutError(f"{argv}: no {marker!r} after {timeout} s; last output {seen[-500:]!r}")
            try:
                chunk = os.read(master, 65536)
            except OSError:  # EIO: the child has gone and the pty is closed
                break
            if not chunk:
                break
            if quit_sent:
                continue
            seen = seen[-4096:] + chunk
            if marker in seen:
                first_wall = time.monotonic() - start
                first_cpu = _cpu_so_far(pid)
                os.write(master, CTRL_Q)
                quit_sent = True
        _, status, usage = os.wait4(pid, 0)
        total_wall = time.monotonic() - start
    finally:
        os.close(master)
    if not quit_sent or os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"{argv} exited with status {status} before/after showing {marker!r}")
    return Run(first_wall, first_cpu, total_wall, usage.ru_utime + usage.ru_stime)

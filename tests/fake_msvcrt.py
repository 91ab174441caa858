"""A stand-in for Windows' `msvcrt.locking`, for running the Windows branch of store/platform.py on
Linux with the same meaning.

`locking(fd, mode, nbytes)` locks or unlocks `nbytes` bytes from the file's current position, as
the C runtime's `_locking` does. The lock belongs to the open file (not to the process: a second
open file in the same process is refused too), a refused lock raises PermissionError (EACCES, as
`LK_NBLCK` does), and the system drops it when the file is closed or its process dies. Linux's
open-file-description byte-range locks (F_OFD_SETLK) have exactly these properties, so they do
the locking here. What they lack is Windows' refusal to *read* locked bytes: `LOCKED` keeps every
region locked, so a test can check that the lock never covers bytes a reader wants.

Install it with `install(monkeypatch)`; `tests/lock_child.py` uses it in a child process.
"""

from __future__ import annotations

import errno
import fcntl
import os
import struct
import sys
import types

import pytest

LK_UNLCK, LK_LOCK, LK_NBLCK, LK_RLCK, LK_NBRLCK = 0, 1, 2, 3, 4

LOCKED: list[tuple[int, int]] = []
"""(start, nbytes) of every lock taken."""

_F_OFD_SETLK: int | None = getattr(fcntl, "F_OFD_SETLK", None)
AVAILABLE = _F_OFD_SETLK is not None


def _flock(kind: int, start: int, length: int) -> bytes:
    # struct flock on Linux: short l_type, short l_whence, off_t l_start, off_t l_len, pid_t l_pid
    return struct.pack("hhqqi4x", kind, os.SEEK_SET, start, length, 0)


def locking(fd: int, mode: int, nbytes: int, /) -> None:
    assert _F_OFD_SETLK is not None, "F_OFD_SETLK is Linux's"
    start = os.lseek(fd, 0, os.SEEK_CUR)
    if mode == LK_UNLCK:
        kind = fcntl.F_UNLCK
    elif mode in (LK_NBLCK, LK_NBRLCK, LK_LOCK, LK_RLCK):  # the app only ever uses LK_NBLCK
        kind = fcntl.F_WRLCK
    else:
        raise OSError(errno.EINVAL, "Invalid argument")
    try:
        fcntl.fcntl(fd, _F_OFD_SETLK, _flock(kind, start, nbytes))
    except OSError as err:
        if err.errno in (errno.EAGAIN, errno.EACCES):
            raise PermissionError(errno.EACCES, "Permission denied") from None
        raise
    if kind == fcntl.F_WRLCK:
        LOCKED.append((start, nbytes))


def module() -> types.ModuleType:
    """A module named msvcrt with what the app uses of it."""
    fake = types.ModuleType("msvcrt")
    for name in ("LK_UNLCK", "LK_LOCK", "LK_NBLCK", "LK_RLCK", "LK_NBRLCK", "locking"):
        setattr(fake, name, globals()[name])
    return fake


def install(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run store/platform.py's Windows branch, with this msvcrt, until the test ends."""
    from tvm_vote_tui.store import platform

    if not AVAILABLE:
        pytest.skip("the msvcrt stand-in needs Linux's F_OFD_SETLK")
    LOCKED.clear()
    monkeypatch.setitem(sys.modules, "msvcrt", module())
    monkeypatch.setattr(platform, "WINDOWS", True)
    monkeypatch.setattr(platform, "MACOS", False)

"""Atomic file writes: a crash leaves the old file or the new one, never a torn one."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from tvm_vote_tui.store import platform

PRIVATE = 0o600
"""Session files, journals and some exports hold e-mail addresses: readable by their owner only
where the system has such modes (POSIX; see store/platform.py for Windows)."""


def write_atomic(path: Path, text: str, mode: int = PRIVATE, *, durable: bool = True) -> None:
    """Write via a temporary file in the same folder, sync, rename: old or new, never torn.

    `durable=False` skips the syncs, for a file that only saves work (a cache whose loss or
    damage after a power cut is noticed and ignored): readers still see the old or the new one."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        platform.set_mode(fd, mode)
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            if durable:
                handle.flush()
                platform.sync(handle.fileno())
        platform.replace(tmp, path)  # the file is closed first: Windows renames no open file
    except BaseException:
        try:
            Path(tmp).unlink(missing_ok=True)
        except OSError:
            pass  # (Windows: still held by a scanner) a hidden .tmp left over is never read
        raise
    if durable:
        platform.sync_folder(path.parent)

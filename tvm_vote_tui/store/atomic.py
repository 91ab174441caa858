"""Atomic file writes: a crash leaves the old file or the new one, never a torn one."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

PRIVATE = 0o600  # session files, journals and some exports hold e-mail addresses


def write_atomic(path: Path, text: str, mode: int = PRIVATE, *, durable: bool = True) -> None:
    """Write via a temporary file in the same folder, fsync, rename: old or new, never torn.

    `durable=False` skips the fsyncs, for a file that only saves work (a cache whose loss or
    damage after a power cut is noticed and ignored): readers still see the old or the new one."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    if durable:
        _fsync_dir(path.parent)


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)

"""Atomic file writes: a crash leaves the old file or the new one, never a torn one."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from tvm_vote_tui.store.reader import NO_FOLLOW

PRIVATE = 0o600  # session files, journals and some exports hold e-mail addresses


def write_atomic(path: Path, text: str, mode: int = PRIVATE, *, durable: bool = True) -> None:
    """Write via a new temporary file in the same folder, fsync, rename: old or new, never torn.
    The rename replaces whatever is at `path` (a link itself, never the file it points to).

    The file gets `mode` less the umask, as any new file does (a result written under umask 077
    is not 0644); a PRIVATE one gets exactly 0600, whatever the umask. `durable=False`
    skips the fsyncs, for a file that only saves work (a cache whose loss or damage after a
    power cut is noticed and ignored): readers still see the old or the new one."""
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | NO_FOLLOW, mode)
    try:
        try:
            if mode == PRIVATE:
                os.fchmod(fd, PRIVATE)  # exactly owner read and write, whatever the umask
            handle = os.fdopen(fd, "w", encoding="utf-8", newline="\n")
        except BaseException:
            os.close(fd)
            raise
        with handle:
            handle.write(text)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    if durable:
        _fsync_dir(path.parent)


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)

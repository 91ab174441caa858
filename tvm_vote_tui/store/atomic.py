"""Atomic file writes: a crash leaves the old file or the new one, never a torn one."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from tvm_vote_tui.store import platform

PRIVATE = 0o600
"""Session files, journals and some exports hold e-mail addresses: readable by their owner only
where the system has such modes (POSIX; see store/platform.py for Windows)."""


def write_atomic(path: Path, text: str, mode: int = PRIVATE, *, durable: bool = True) -> None:
    """Write via a new temporary file in the same folder, sync, rename: old or new, never torn.
    The rename replaces whatever is at `path` (a link itself, never the file it points to).

    The file gets `mode` less the umask, as any new file does (a result written under umask 077
    is not 0644); a PRIVATE one gets exactly 0600, whatever the umask (modes: POSIX only, see
    store/platform.py). `durable=False` skips the syncs, for a file that only saves work (a
    cache whose loss or damage after a power cut is noticed and ignored): readers still see the
    old or the new one."""
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    fd = platform.open_fd(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode, follow=False)
    try:
        try:
            if mode == PRIVATE:
                platform.set_mode(fd, PRIVATE)  # exactly owner read and write, whatever the umask
            handle = os.fdopen(fd, "w", encoding="utf-8", newline="\n")
        except BaseException:
            os.close(fd)
            raise
        with handle:
            handle.write(text)
            if durable:
                handle.flush()
                platform.sync(handle.fileno())
        platform.replace(tmp, path)  # the file is closed first: Windows renames no open file
    except BaseException:
        try:
            tmp.unlink(missing_ok=True)
        except OSError:
            pass  # (Windows: still held by a scanner) a hidden .tmp left over is never read
        raise
    if durable:
        platform.sync_folder(path.parent)

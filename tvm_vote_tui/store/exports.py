"""Writing an export to a file: atomic, never over an existing file unless asked, and only ever
over a regular file (never a folder, a FIFO, a device or a symbolic link)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from tvm_vote_tui.store.atomic import PRIVATE, write_atomic
from tvm_vote_tui.store.sessions import StoreError

PUBLIC = 0o644

_KINDS = (
    (stat.S_ISDIR, "a folder; give a file name"),
    (stat.S_ISLNK, "a symbolic link; give the file it points to"),
    (stat.S_ISFIFO, "a FIFO (named pipe), not a regular file"),
    (stat.S_ISCHR, "a device, not a regular file"),
    (stat.S_ISBLK, "a device, not a regular file"),
    (stat.S_ISSOCK, "a socket, not a regular file"),
)


def write_export(path: Path, text: str, *, private: bool, overwrite: bool = False) -> None:
    """Write `text` to `path`; refuse an existing file unless `overwrite`, and anything but a
    regular file always; 0600 when private."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        mode = None
    except OSError as err:
        raise StoreError(f"{path}: cannot write ({err.strerror or err})") from None
    if mode is not None:
        for kind, what in _KINDS:
            if kind(mode):
                raise StoreError(f"{path}: is {what}")
        if not stat.S_ISREG(mode):
            raise StoreError(f"{path}: is not a regular file")
        if not overwrite:
            raise StoreError(f"{path}: already exists; choose another name (or --force to replace it)")
    if not path.parent.is_dir():
        raise StoreError(f"{path.parent}: no such folder")
    try:
        write_atomic(path, text, mode=PRIVATE if private else PUBLIC)
    except OSError as err:
        raise StoreError(f"{path}: cannot write ({err.strerror or err})") from None

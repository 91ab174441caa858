"""Writing an export to a file: atomic, never over an existing file unless asked."""

from __future__ import annotations

from pathlib import Path

from tvm_vote_tui.store.atomic import PRIVATE, write_atomic
from tvm_vote_tui.store.sessions import StoreError

PUBLIC = 0o644


def write_export(path: Path, text: str, *, private: bool, overwrite: bool = False) -> None:
    """Write `text` to `path`; refuse an existing file unless `overwrite`; 0600 when private."""
    if path.is_dir():
        raise StoreError(f"{path}: is a folder; give a file name")
    if path.exists() and not overwrite:
        raise StoreError(f"{path}: already exists; choose another name (or --force to replace it)")
    if not path.parent.is_dir():
        raise StoreError(f"{path.parent}: no such folder")
    try:
        write_atomic(path, text, mode=PRIVATE if private else PUBLIC)
    except OSError as err:
        raise StoreError(f"{path}: cannot write ({err.strerror or err})") from None

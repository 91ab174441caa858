"""Writing an export to a file: atomic, never over an existing file unless asked, only ever over
a regular file (never a folder, a FIFO, a device or a symbolic link), and never over a file of
the sessions (a session file, its journal, lock or mirror, the shared roster, a cache)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from tvm_vote_tui.store.atomic import PRIVATE, write_atomic
from tvm_vote_tui.store.journal import journal_path
from tvm_vote_tui.store.mirror import mirror_path
from tvm_vote_tui.store.sessions import Store, StoreError, lock_path

PUBLIC = 0o644

_KINDS = (
    (stat.S_ISDIR, "a folder; give a file name"),
    (stat.S_ISLNK, "a symbolic link; give the file it points to"),
    (stat.S_ISFIFO, "a FIFO (named pipe), not a regular file"),
    (stat.S_ISCHR, "a device, not a regular file"),
    (stat.S_ISBLK, "a device, not a regular file"),
    (stat.S_ISSOCK, "a socket, not a regular file"),
)


def write_export(
    path: Path,
    text: str,
    *,
    private: bool,
    overwrite: bool = False,
    store: Store | None = None,
    session: Path | None = None,
) -> None:
    """Write `text` to `path`; refuse an existing file unless `overwrite`, anything but a regular
    file always, and any file of `store`'s sessions or of the `session` exported, however the
    path is spelled; 0600 when private, else 0644 less the umask."""
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
    if not path.parent.is_dir():
        raise StoreError(f"{path.parent}: no such folder")
    owner = sessions_file(path, store, session)
    if owner:
        raise StoreError(f"{path}: is {owner}; an export never replaces it (choose another name)")
    if mode is not None and not overwrite:
        raise StoreError(f"{path}: already exists; choose another name (or --force to replace it)")
    try:
        write_atomic(path, text, mode=PRIVATE if private else PUBLIC)
    except OSError as err:
        raise StoreError(f"{path}: cannot write ({err.strerror or err})") from None


def sessions_file(path: Path, store: Store | None, session: Path | None) -> str:
    """What of the sessions `path` is, by its real folder and name (links in the folders on the
    way followed) and by identity (another name of the same file): '' when nothing."""
    real = _real(path)
    if store is not None and _same_folder(real.parent, store.sessions_dir):
        return "in the sessions folder, where every file belongs to a session"
    if store is not None and _names_a_file_in(path, store.sessions_dir):
        return "another name (a hard link) of a file in the sessions folder"
    named: dict[Path, str] = {}
    if store is not None:
        named[store.roster_path] = "the shared roster"
        named[store.key.path] = "the cache key"
    if session is not None:
        named[session] = "the session file exported"
        for file in (journal_path(session), lock_path(session), mirror_path(session)):
            named[file] = "a file of the session exported (its journal, lock or mirror)"
        if _same_folder(real.parent, session.parent) and real.name.startswith(f".{session.name}."):
            return "a file of the session exported (a journal set aside)"
    for file, what in named.items():
        if _real(file) == real or _same_file(path, file):
            return what
    return ""


def _real(path: Path) -> Path:
    try:
        return Path(os.path.realpath(path.parent)) / path.name
    except (OSError, ValueError):
        return path.absolute()


def _same_folder(a: Path, b: Path) -> bool:
    try:
        return a == Path(os.path.realpath(b)) or os.path.samefile(a, b)
    except (OSError, ValueError):
        return False


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except (OSError, ValueError):
        return False


def _names_a_file_in(path: Path, folder: Path) -> bool:
    """Whether `path` is the same file as one in `folder` (under another name)."""
    try:
        info = os.lstat(path)
    except OSError:
        return False
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                other = entry.stat(follow_symlinks=False)
                if (other.st_dev, other.st_ino) == (info.st_dev, info.st_ino):
                    return True
    except OSError:
        return False
    return False

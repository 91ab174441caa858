"""The one module that knows which operating system it runs on: everything about files that
differs between Linux, macOS and Windows is a plain function here, and nothing else in the
package imports `fcntl` or `msvcrt` or asks `sys.platform` about files.

- The session lock: `flock` on POSIX, `msvcrt.locking` of one byte far past the holder's text on
  Windows (a Windows lock also stops reads of the bytes it covers). Both are taken without
  waiting, held by one open file, and dropped by the system when that file is closed or its
  process dies, so a lock left by a dead process is simply taken over.
- Modes: 0600 and the like mean something on POSIX only. Windows has no owner-only mode: a file
  takes the permissions (ACL) of its folder, so nothing is set there.
- Syncing: macOS's fsync leaves the bytes in the drive's cache; F_FULLFSYNC asks the drive to
  write them. A folder is synced after a rename where a folder can be opened (POSIX); Windows
  has no such call.
- Replacing: Windows refuses to replace a file that another process (an antivirus scanner, the
  search indexer, a second instance reading) has open, so a replace is tried a few times there.
- Opening: binary mode on Windows (its C runtime would otherwise turn "\\n" into "\\r\\n"),
  without following a link where asked (O_NOFOLLOW, or an lstat check where there is none), and
  never waiting on a FIFO when reading (O_NONBLOCK, POSIX).

`WINDOWS` and `MACOS` are the switch every function reads when it is called. Code that needs a
module only one system has loads it by name (`msvcrt`, `fcntl`) when it runs, typed by the small
protocols below, so each branch type-checks on every platform.
"""

from __future__ import annotations

import errno
import os
import stat
import sys
import time
from collections.abc import Callable
from importlib import import_module
from typing import Protocol, cast

WINDOWS = sys.platform == "win32"
MACOS = sys.platform == "darwin"

StrPath = str | os.PathLike[str]


class _Flock(Protocol):
    """The part of `fcntl` used here (POSIX)."""

    @property
    def LOCK_EX(self) -> int: ...
    @property
    def LOCK_NB(self) -> int: ...
    @property
    def LOCK_UN(self) -> int: ...
    def flock(self, fd: int, operation: int, /) -> None: ...
    def fcntl(self, fd: int, cmd: int, arg: int = 0, /) -> int: ...


class _Locking(Protocol):
    """The part of `msvcrt` used here (Windows)."""

    @property
    def LK_NBLCK(self) -> int: ...
    @property
    def LK_UNLCK(self) -> int: ...
    def locking(self, fd: int, mode: int, nbytes: int, /) -> None: ...


if sys.platform == "win32":  # mypy --platform win32 checks that the real module fits
    import msvcrt

    _MSVCRT_FITS: _Locking = msvcrt
else:
    import fcntl

    _FCNTL_FITS: _Flock = fcntl


def _fcntl() -> _Flock:
    return cast(_Flock, import_module("fcntl"))


def _msvcrt() -> _Locking:
    return cast(_Locking, import_module("msvcrt"))


O_BINARY: int = getattr(os, "O_BINARY", 0)
_O_NOFOLLOW: int = getattr(os, "O_NOFOLLOW", 0)
_O_NONBLOCK: int = getattr(os, "O_NONBLOCK", 0)
_fchmod: Callable[[int, int], None] | None = getattr(os, "fchmod", None)
_OPENS_RELATIVE = os.open in os.supports_dir_fd


# -- opening ---------------------------------------------------------------------------------


class LinkRefused(OSError):
    """A symbolic link where the app keeps a file of its own: never written through."""

    def __init__(self, path: StrPath):
        super().__init__(errno.ELOOP, f"{os.fspath(path)} is a symbolic link; refused", os.fspath(path))

    def __str__(self) -> str:
        return str(self.strerror)


def file_identity(info: os.stat_result) -> tuple[int, int]:
    """What tells one file from another on every system (device and file number; Windows fills
    both in from the volume serial and the file index)."""
    return (info.st_dev, info.st_ino)


def same_file(fd: int, path: StrPath, *, dir_fd: int | None = None) -> bool:
    """Whether the open file `fd` is the file at `path` now (not a link to it, not a file that
    replaced it, not gone)."""
    try:
        there = os.lstat(path, dir_fd=dir_fd)
    except FileNotFoundError:
        return False
    return not stat.S_ISLNK(there.st_mode) and file_identity(os.fstat(fd)) == file_identity(there)


def open_fd(
    path: StrPath, flags: int, mode: int = 0o600, *, follow: bool = True, dir_fd: int | None = None
) -> int:
    """os.open in binary mode; with `follow=False` a symbolic link at `path` raises LinkRefused
    instead of being followed. `dir_fd`: `path` is relative to that open folder (POSIX).

    Where the system has O_NOFOLLOW the kernel refuses the link. Elsewhere (Windows) the path is
    looked at first and the file opened is checked to be the one looked at; a link planted in
    between is refused too, though a create or truncate may already have reached its target
    (making a link there needs a privilege ordinary Windows accounts lack)."""
    flags |= O_BINARY
    if follow:
        return os.open(path, flags, mode, dir_fd=dir_fd)
    if _O_NOFOLLOW and not WINDOWS:
        try:
            return os.open(path, flags | _O_NOFOLLOW, mode, dir_fd=dir_fd)
        except OSError as err:
            if err.errno in (errno.ELOOP, errno.EMLINK) and _is_link(path, dir_fd):
                raise LinkRefused(path) from None
            raise
    if _is_link(path, dir_fd):
        raise LinkRefused(path)
    fd = os.open(path, flags, mode, dir_fd=dir_fd)
    try:
        if not same_file(fd, path, dir_fd=dir_fd):
            raise LinkRefused(path)
    except BaseException:
        os.close(fd)
        raise
    return fd


def _is_link(path: StrPath, dir_fd: int | None) -> bool:
    try:
        return stat.S_ISLNK(os.lstat(path, dir_fd=dir_fd).st_mode)
    except OSError:
        return False


def open_folder(folder: StrPath) -> int | None:
    """The folder opened (read-only, never through a link) for opening files relative to it, or
    None where a folder cannot be opened as a file or files not opened relative to one (Windows):
    then look at it with lstat and open files by their whole path."""
    if WINDOWS or not _OPENS_RELATIVE:
        return None
    return os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | _O_NOFOLLOW)


def no_wait() -> int:
    """O_NONBLOCK where there are FIFOs in folders (POSIX): opening one never waits for a writer."""
    return 0 if WINDOWS else _O_NONBLOCK


def open_read(path: StrPath, *, follow: bool = True) -> int:
    """Open for reading without ever waiting: a FIFO opens at once (and is then refused by its
    kind), where the system has FIFOs in folders (POSIX)."""
    try:
        return open_fd(path, os.O_RDONLY | no_wait(), follow=follow)
    except PermissionError:
        if WINDOWS and os.path.isdir(path):  # Windows cannot open a folder: say what it is
            raise IsADirectoryError(errno.EISDIR, "Is a directory", os.fspath(path)) from None
        raise


# -- modes and syncing -----------------------------------------------------------------------


def set_mode(fd: int, mode: int) -> None:
    """Give the open file `mode` where modes mean something (POSIX). On Windows nothing is set:
    there is no owner-only mode (os.fchmod there, from 3.13, only sets the read-only flag), and
    a file has the permissions of its folder."""
    if WINDOWS or _fchmod is None:
        return
    _fchmod(fd, mode)


def set_folder_mode(folder: StrPath, mode: int) -> None:
    """Give a folder `mode` where modes mean something (POSIX); on Windows a folder's
    permissions are its ACL, which the app leaves as the system made it."""
    if WINDOWS:
        return
    os.chmod(folder, mode)


def owned_by_me(info: os.stat_result) -> bool:
    """Whether a file with this (l)stat belongs to the user running the app, where files have
    owners by number (POSIX); on Windows, which says nothing of it there, True."""
    geteuid: Callable[[], int] | None = getattr(os, "geteuid", None)
    return WINDOWS or geteuid is None or info.st_uid == geteuid()


def modes_are_private() -> bool:
    """Whether a file made with mode 0600 is readable by its owner only on this system."""
    return not WINDOWS


def sync(fd: int) -> None:
    """Make what was written to `fd` durable before returning. On macOS fsync only hands the
    bytes to the drive, whose cache may lose them in a power cut; F_FULLFSYNC asks the drive to
    write them (plain fsync where the filesystem does not take it, e.g. some network shares)."""
    if MACOS:
        module = _fcntl()
        full = getattr(module, "F_FULLFSYNC", None)
        if full is not None:
            try:
                module.fcntl(fd, full)
                return
            except OSError:
                pass
    os.fsync(fd)


def sync_folder(folder: StrPath) -> None:
    """Make a rename or a new file in `folder` durable, where the system can sync a folder
    (POSIX). Windows cannot open a folder as a file: nothing is done there; NTFS keeps renames
    in its own journal."""
    if WINDOWS:
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        sync(fd)
    finally:
        os.close(fd)


# -- replacing -------------------------------------------------------------------------------

REPLACE_WAITS: tuple[float, ...] = (0.05, 0.1, 0.2, 0.4, 0.8)
"""Seconds waited before each new try of a replace Windows refused (1.55 s in all): a scanner or
indexer holds a file it has just seen written for a moment."""


class ReplaceRefused(PermissionError):
    """Windows kept refusing to replace a file; the file is left as it was."""

    def __init__(self, path: StrPath):
        reason = (
            "Windows would not let it be replaced (another program, such as an antivirus scanner or "
            "the search indexer, may have it open; or the folder is read-only); it is left as it was"
        )
        super().__init__(errno.EACCES, reason, os.fspath(path))

    def __str__(self) -> str:
        return f"{self.filename}: {self.strerror}"


def replace(src: StrPath, dst: StrPath) -> None:
    """os.replace: `dst` is the old file or the new one, never neither. On Windows a refusal
    (PermissionError: the file is open elsewhere) is tried again a few times, then raised as
    ReplaceRefused with both files untouched."""
    if not WINDOWS:
        os.replace(src, dst)
        return
    for wait in REPLACE_WAITS:
        try:
            os.replace(src, dst)
            return
        except PermissionError:
            time.sleep(wait)
    try:
        os.replace(src, dst)
    except PermissionError:
        raise ReplaceRefused(dst) from None


# -- the session lock ------------------------------------------------------------------------

LOCK_AT = 1 << 20
"""Where the Windows lock's one byte lies: far past the holder's text at the start of the lock
file, which a Windows lock would otherwise hide from the second instance that reads it."""

_HELD = {errno.EACCES, errno.EAGAIN, getattr(errno, "EDEADLOCK", errno.EDEADLK)}


def try_lock(fd: int) -> bool:
    """Take the lock on the open lock file `fd` without waiting: True when taken, False when
    another open file holds it (another running instance). The system drops the lock when its
    file is closed or its process dies. The file's position is moved."""
    if WINDOWS:
        module = _msvcrt()
        os.lseek(fd, LOCK_AT, os.SEEK_SET)
        try:
            module.locking(fd, module.LK_NBLCK, 1)
        except OSError as err:
            if err.errno in _HELD:
                return False
            raise
        return True
    flock = _fcntl()
    try:
        flock.flock(fd, flock.LOCK_EX | flock.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def unlock(fd: int) -> None:
    """Let go of a lock taken with try_lock (closing the file does it too; Windows asks for the
    unlock first, as its system may take a while to drop the lock of a closed file)."""
    try:
        if WINDOWS:
            module = _msvcrt()
            os.lseek(fd, LOCK_AT, os.SEEK_SET)
            module.locking(fd, module.LK_UNLCK, 1)
        else:
            flock = _fcntl()
            flock.flock(fd, flock.LOCK_UN)
    except OSError:
        pass  # closing the file, which follows, drops it all the same

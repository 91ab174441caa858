"""Disks that say no, for tests: every write under one folder fails as a read-only or full disk
would, whoever runs the tests (chmod means nothing to root, so the calls themselves fail).

Every way the store writes goes through one of the calls patched here: `os.open` (lock files,
journals, `tempfile.mkstemp` for atomic writes), `os.write` (journal lines, lock holders), the
built-in `open` (also `io.open`, `Path.open` and `os.fdopen`, which atomic writes use) and the
buffered writes of the files it returns, `os.fsync`, `os.replace` / `os.rename` / `os.link`
(the cache key is hard-linked into place), `os.mkdir` (also `Path.mkdir`) and `os.unlink`."""

from __future__ import annotations

import builtins
import errno
import io
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

_WRITING = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND


def _under(root: Path, path: object) -> bool:
    try:
        return Path(os.fsdecode(path)).resolve().is_relative_to(root.resolve())  # type: ignore[arg-type]
    except (TypeError, ValueError, OSError):
        return False


def _fd_under(root: Path, fd: int) -> bool:
    try:
        return _under(root, os.readlink(f"/proc/self/fd/{fd}"))
    except OSError:
        return False


def _file_under(root: Path, file: object) -> bool:
    """Whether `file` (a path, or a file descriptor as `open` takes one) is under `root`."""
    return _fd_under(root, file) if isinstance(file, int) else _under(root, file)


def _error(code: int, filename: object = None) -> OSError:
    if filename is None:
        return OSError(code, os.strerror(code))
    return OSError(code, os.strerror(code), os.fsdecode(filename))  # type: ignore[arg-type]


def _writes(mode: str) -> bool:
    return any(c in mode for c in "wax+")


Opener = Callable[..., Any]


def _patch_open(monkeypatch: pytest.MonkeyPatch, wrap: Callable[[Opener], Opener]) -> None:
    guarded = wrap(builtins.open)
    monkeypatch.setattr(builtins, "open", guarded)
    monkeypatch.setattr(io, "open", guarded)


def read_only(monkeypatch: pytest.MonkeyPatch, root: Path, code: int = errno.EROFS) -> None:
    """Opening for writing, creating, renaming and removing anything under `root` fails."""
    real_open, real_replace, real_rename, real_link = os.open, os.replace, os.rename, os.link
    real_mkdir, real_unlink = os.mkdir, os.unlink

    def guarded_open(path: object, flags: int, *args: object, **kwargs: object) -> int:
        if flags & _WRITING and _under(root, path):
            raise _error(code, path)
        return real_open(path, flags, *args, **kwargs)  # type: ignore[arg-type]

    def wrap(real: Opener) -> Opener:
        def guarded(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
            if _writes(mode) and _file_under(root, file):
                raise _error(code, None if isinstance(file, int) else file)
            return real(file, mode, *args, **kwargs)

        return guarded

    def two_paths(real: Callable[..., None]) -> Callable[..., None]:
        def guarded(src: object, dst: object, *args: object, **kwargs: object) -> None:
            if _under(root, src) or _under(root, dst):
                raise _error(code)
            real(src, dst, *args, **kwargs)

        return guarded

    def one_path(real: Callable[..., None]) -> Callable[..., None]:
        def guarded(path: object, *args: object, **kwargs: object) -> None:
            if _under(root, path):
                raise _error(code)
            real(path, *args, **kwargs)

        return guarded

    monkeypatch.setattr(os, "open", guarded_open)
    _patch_open(monkeypatch, wrap)
    monkeypatch.setattr(os, "replace", two_paths(real_replace))
    monkeypatch.setattr(os, "rename", two_paths(real_rename))
    monkeypatch.setattr(os, "link", two_paths(real_link))
    monkeypatch.setattr(os, "mkdir", one_path(real_mkdir))
    monkeypatch.setattr(os, "unlink", one_path(real_unlink))


class _FullFile(io.FileIO):
    """A file on a full disk: opening works, writing a byte does not. Buffered and text files
    built on it fail when their buffer is written out (flush, close, or a full buffer)."""

    def write(self, data: Any) -> int:
        if len(memoryview(data)):
            raise _error(errno.ENOSPC, self.name if isinstance(self.name, str) else None)
        return 0


def _open_full(
    file: Any,
    mode: str = "r",
    buffering: int = -1,
    encoding: str | None = None,
    errors: str | None = None,
    newline: str | None = None,
    closefd: bool = True,
    opener: Opener | None = None,
) -> Any:
    """What `open` returns for writing on the full disk: the same layers, on a _FullFile."""
    raw = _FullFile(file, mode.replace("b", "").replace("t", ""), closefd=closefd, opener=opener)
    if "b" in mode and buffering == 0:
        return raw
    buffered = io.BufferedRandom(raw) if "+" in mode else io.BufferedWriter(raw)
    if "b" in mode:
        return buffered
    return io.TextIOWrapper(
        buffered, io.text_encoding(encoding), errors, newline, line_buffering=buffering == 1
    )


def full(monkeypatch: pytest.MonkeyPatch, root: Path, *, empty_files_fit: bool = False) -> None:
    """A full disk under `root`: whatever would take space fails with ENOSPC. Writing bytes
    (os.write, buffered and text files), fsync, renaming or linking into it and making folders
    fail; so does making a file unless `empty_files_fit` (a disk out of blocks but not of inodes:
    the file is made, its bytes are not). The disk fills during the first os.write to a file:
    half its bytes are written, the rest fails, as a last free block taken midway would.
    Reading, truncating and removing (which free space) work."""
    real_open, real_write, real_fsync = os.open, os.write, os.fsync
    real_replace, real_rename, real_link, real_mkdir = os.replace, os.rename, os.link, os.mkdir
    filled: set[tuple[int, int]] = set()
    """(device, inode) of the files whose write filled the disk."""

    def guarded_open(path: object, flags: int, *args: object, **kwargs: object) -> int:
        creates = flags & os.O_CREAT and not os.path.lexists(os.fsdecode(path))  # type: ignore[arg-type]
        if creates and not empty_files_fit and _under(root, path):
            raise _error(errno.ENOSPC, path)
        return real_open(path, flags, *args, **kwargs)  # type: ignore[arg-type]

    def write(fd: int, data: bytes) -> int:
        if not _fd_under(root, fd) or not len(data):
            return real_write(fd, data)
        info = os.fstat(fd)
        key = (info.st_dev, info.st_ino)
        if key in filled or len(data) < 2:
            raise _error(errno.ENOSPC)
        filled.add(key)
        return real_write(fd, memoryview(data)[: len(data) // 2])

    def fsync(fd: int) -> None:
        if _fd_under(root, fd):
            raise _error(errno.ENOSPC)
        real_fsync(fd)

    def wrap(real: Opener) -> Opener:
        def guarded(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
            if not (_writes(mode) and _file_under(root, file)):
                return real(file, mode, *args, **kwargs)
            if not isinstance(file, int) and not os.path.lexists(file) and not empty_files_fit:
                raise _error(errno.ENOSPC, file)
            return _open_full(file, mode, *args, **kwargs)

        return guarded

    def into(real: Callable[..., None]) -> Callable[..., None]:
        def guarded(src: object, dst: object, *args: object, **kwargs: object) -> None:
            if _under(root, dst):
                raise _error(errno.ENOSPC, dst)
            real(src, dst, *args, **kwargs)

        return guarded

    def mkdir(path: object, *args: object, **kwargs: object) -> None:
        if _under(root, path) and not os.path.lexists(os.fsdecode(path)):  # type: ignore[arg-type]
            raise _error(errno.ENOSPC, path)
        real_mkdir(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", guarded_open)
    monkeypatch.setattr(os, "write", write)
    monkeypatch.setattr(os, "fsync", fsync)
    _patch_open(monkeypatch, wrap)
    monkeypatch.setattr(os, "replace", into(real_replace))
    monkeypatch.setattr(os, "rename", into(real_rename))
    monkeypatch.setattr(os, "link", into(real_link))
    monkeypatch.setattr(os, "mkdir", mkdir)

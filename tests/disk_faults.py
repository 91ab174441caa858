"""Disks that say no, for tests: every write under one folder fails as a read-only or full disk
would, whoever runs the tests (chmod means nothing to root, so the calls themselves fail)."""

from __future__ import annotations

import errno
import os
from pathlib import Path

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


def read_only(monkeypatch: pytest.MonkeyPatch, root: Path, code: int = errno.EROFS) -> None:
    """Opening for writing, creating, renaming and removing anything under `root` fails."""
    fail = OSError(code, os.strerror(code))
    real_open, real_replace, real_rename = os.open, os.replace, os.rename
    real_mkdir, real_unlink = os.mkdir, os.unlink

    def guarded_open(path: object, flags: int, *args: object, **kwargs: object) -> int:
        if flags & _WRITING and _under(root, path):
            raise OSError(code, os.strerror(code), os.fsdecode(path))  # type: ignore[arg-type]
        return real_open(path, flags, *args, **kwargs)  # type: ignore[arg-type]

    def two_paths(real):
        def guarded(src: object, dst: object, *args: object, **kwargs: object) -> None:
            if _under(root, src) or _under(root, dst):
                raise fail
            real(src, dst, *args, **kwargs)

        return guarded

    def one_path(real):
        def guarded(path: object, *args: object, **kwargs: object) -> None:
            if _under(root, path):
                raise fail
            real(path, *args, **kwargs)

        return guarded

    monkeypatch.setattr(os, "open", guarded_open)
    monkeypatch.setattr(os, "replace", two_paths(real_replace))
    monkeypatch.setattr(os, "rename", two_paths(real_rename))
    monkeypatch.setattr(os, "mkdir", one_path(real_mkdir))
    monkeypatch.setattr(os, "unlink", one_path(real_unlink))


def full(monkeypatch: pytest.MonkeyPatch, root: Path) -> None:
    """Writing and fsyncing files under `root` fails with ENOSPC (creating empty ones still works)."""
    real_write, real_fsync = os.write, os.fsync

    def write(fd: int, data: bytes) -> int:
        if _fd_under(root, fd):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_write(fd, data)

    def fsync(fd: int) -> None:
        if _fd_under(root, fd):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real_fsync(fd)

    monkeypatch.setattr(os, "write", write)
    monkeypatch.setattr(os, "fsync", fsync)

"""The secret that marks a cache as written by this user's tvm-vote-tui.

The caches (each session's JSON mirror, the sessions list's summaries) lie beside the session
files, where someone else may be able to write (a shared or synced folder, a data dir given on
the command line). What they say must never outrank the session file, so each carries an
HMAC-SHA256 made with a secret only this user can read, over the digest of the TOML bytes it
stands for and everything it says. A cache whose MAC does not check is never used.

Where the secret lives: `cache-key` in the user's config dir (platformdirs) when the data dir is
the platform's; `.cache-key` at the root of the data dir when it is given explicitly (--data-dir,
$TVM_VOTE_TUI_DATA_DIR), so that such a run touches nothing else of the user's (tests, demos, a
second set of votes). It is used only when it is a regular file (no link), with one name (no hard
link), owned by this user and readable by nobody else, holding 64 hex digits. A key file that is
anything else is replaced by a new secret when a cache is written next (caches made with the
old one are then simply not used); if it cannot be, no cache is used or written: slower, never
wrong.

Each cache also names its key by a short id (a MAC of a fixed text), so a cache made with
another key (another user's, or ours before it was replaced) is told apart from one that claims
our key but does not check (forged or damaged), which alone is worth a notice.
"""

from __future__ import annotations

import errno
import hashlib
import hmac
import os
import secrets
import stat
import threading
import time
from pathlib import Path

from tvm_vote_tui.store import platform
from tvm_vote_tui.store.reader import NotAFile, kind_problem, read_regular_stat

SECRET_BYTES = 32
HARD_LINKED = "has another name (a hard link)"
HARD_LINK_WAITS = 50
"""Reads of a just-made key, 10 ms apart, while its maker still holds its temporary name."""


class CacheKey:
    """This user's cache secret, read (or made) when first needed, then kept for the process."""

    def __init__(self, path: Path):
        self.path = path
        self._secret: bytes | None = None
        self._lock = threading.Lock()
        self.problem = ""
        """Why no secret could be made or used (for a notice); '' when all is well."""

    @property
    def key_id(self) -> str | None:
        """A short name of the secret, written in each cache; None when there is no secret."""
        secret = self._get(create=False)
        return None if secret is None else _mac(secret, (b"key id",))[:16]

    def sign(self, *parts: bytes) -> tuple[str, str] | None:
        """(key id, MAC over `parts`), making the secret if there is none; None if it cannot be."""
        secret = self._get(create=True)
        if secret is None:
            return None
        return _mac(secret, (b"key id",))[:16], _mac(secret, parts)

    def check(self, key_id: object, mac: object, *parts: bytes) -> bool | None:
        """True when `mac` is ours over `parts`; None when the cache was made with another key
        (or we have none): not ours, but nothing to worry about; False when it names our key
        but does not check: forged or damaged."""
        secret = self._get(create=False)
        if secret is None or key_id != _mac(secret, (b"key id",))[:16]:
            return None
        return isinstance(mac, str) and hmac.compare_digest(_mac(secret, parts), mac)

    def _get(self, *, create: bool) -> bytes | None:
        if self._secret is not None:
            return self._secret
        with self._lock:
            if self._secret is None:
                self._secret = self._read()
                if self._secret is None and create:
                    self._secret = self._make()
            return self._secret

    def _read(self) -> bytes | None:
        """The secret in the key file, or None (missing, or not a key file to trust). What is
        checked is the fstat of the file read (opened without following a link)."""
        try:
            data, info = read_regular_stat(self.path, limit=4 * SECRET_BYTES)
        except FileNotFoundError:
            return None
        except OSError as err:
            self.problem = f"{self.path}: {err.reason if isinstance(err, NotAFile) else err.strerror or err}"
            return None
        problem = _untrusted(info)
        text = data.strip()
        if not problem and (len(text) != 2 * SECRET_BYTES or not _is_hex(text)):
            problem = "does not hold a key"
        if problem:
            self.problem = f"{self.path}: {problem}"
            return None
        return bytes.fromhex(text.decode())

    def _make(self) -> bytes | None:
        """A new secret, written to a private temporary file and moved into place: hard-linked
        when there is no key file (two instances starting at once agree on the first), replacing
        one that could not be trusted."""
        secret = secrets.token_bytes(SECRET_BYTES)
        folder = self.path.parent
        tmp = folder / f".{self.path.name}.{secrets.token_hex(6)}.tmp"
        try:
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            fd = platform.open_fd(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600, follow=False)
            try:
                os.write(fd, secret.hex().encode() + b"\n")
                platform.sync(fd)  # a key torn by a power cut would be replaced, costing only the caches
            finally:
                os.close(fd)
            try:
                os.link(tmp, self.path)
            except FileExistsError:
                theirs = self._theirs()  # made meanwhile by another instance, or one not to trust
                if theirs is not None:
                    return theirs
                platform.replace(tmp, self.path)
            except OSError as err:
                if err.errno not in (errno.EPERM, errno.EOPNOTSUPP, errno.ENOSYS):
                    raise
                platform.replace(tmp, self.path)  # a file system without hard links
        except OSError as err:
            self.problem = f"{self.path}: cannot write the cache key ({err.strerror or err})"
            return None
        finally:
            try:
                tmp.unlink(missing_ok=True)
            except OSError:
                pass
        self.problem = ""
        return secret

    def _theirs(self) -> bytes | None:
        """The key another instance just linked into place. Until it removes its temporary name
        the key has two names, which alone would make it untrusted: wait a moment for that."""
        for _ in range(HARD_LINK_WAITS):
            theirs = self._read()
            if theirs is not None or not self.problem.endswith(HARD_LINKED):
                return theirs
            time.sleep(0.01)
        return None


def _untrusted(info: os.stat_result) -> str:
    """Why a key file with this lstat cannot be trusted ('' when it can)."""
    problem = kind_problem(info)
    if problem:
        return problem
    if info.st_nlink != 1:
        return HARD_LINKED
    if not platform.owned_by_me(info):
        return "belongs to another user"
    if platform.modes_are_private() and stat.S_IMODE(info.st_mode) & 0o077:
        return "may be read or written by others"
    return ""


def _is_hex(text: bytes) -> bool:
    return all(c in b"0123456789abcdef" for c in text)


def _mac(secret: bytes, parts: tuple[bytes, ...]) -> str:
    """HMAC-SHA256 over `parts`, each prefixed by its length so no two lists of parts collide."""
    mac = hmac.new(secret, digestmod=hashlib.sha256)
    for part in parts:
        mac.update(len(part).to_bytes(8, "big"))
        mac.update(part)
    return mac.hexdigest()

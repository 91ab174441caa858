"""List, create, open, save and delete sessions; every write is atomic."""

from __future__ import annotations

import fcntl
import os
import re
import secrets
import socket
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from tvm_vote_tui.domain.model import Member, Session
from tvm_vote_tui.store import paths
from tvm_vote_tui.store.format import (
    SessionFileError,
    roster_from_toml,
    roster_to_toml,
    session_from_toml,
    session_to_toml,
)

SUFFIX = ".toml"
PRIVATE = 0o600  # session files hold e-mail addresses


class StoreError(OSError):
    """A data dir or file that cannot be used, with a message fit for the user."""


def slugify(title: str, limit: int = 40) -> str:
    """A file-name-safe slug: ASCII letters, digits and dashes only, never empty."""
    ascii_text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:limit].rstrip("-") or "vote"


def write_atomic(path: Path, text: str, mode: int = PRIVATE) -> None:
    """Write via a temporary file in the same folder, fsync, rename: old or new, never torn."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _fsync_dir(path.parent)


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise StoreError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise StoreError(f"{path}: is a folder, not a session file") from None
    except UnicodeDecodeError as err:
        raise SessionFileError(path, f"not UTF-8 text (byte {err.start})") from None
    except OSError as err:
        raise StoreError(f"{path}: cannot read ({err.strerror})") from None


def load_session(path: Path) -> Session:
    return session_from_toml(read_text(path), path)


@dataclass
class Listing:
    """One file in the sessions folder: its session, or why it could not be read."""

    path: Path
    session: Session | None = None
    error: str = ""

    @property
    def name(self) -> str:
        return self.path.stem


class Store:
    """Sessions as one TOML file each under `<data dir>/sessions`, plus a shared roster."""

    def __init__(self, root: Path):
        self.root = root
        self.sessions_dir = paths.sessions_dir(root)
        self.roster_path = paths.roster_path(root)

    def ensure(self) -> None:
        """Create the data folders, or explain why they cannot be."""
        try:
            self.sessions_dir.mkdir(parents=True, exist_ok=True)
        except FileExistsError:
            raise StoreError(f"{self.sessions_dir}: exists but is not a folder") from None
        except OSError as err:
            raise StoreError(f"cannot create data folder {self.sessions_dir}: {err.strerror}") from None

    def session_paths(self) -> list[Path]:
        if not self.sessions_dir.is_dir():
            return []
        return sorted(p for p in self.sessions_dir.glob(f"*{SUFFIX}") if not p.name.startswith("."))

    def list_sessions(self) -> list[Listing]:
        """Every session file, newest first; unreadable files are listed with their error."""
        listings: list[Listing] = []
        for path in self.session_paths():
            try:
                listings.append(Listing(path, load_session(path)))
            except (SessionFileError, StoreError) as err:
                listings.append(Listing(path, error=str(err)))
        listings.sort(key=_listing_order)
        return listings

    def new_path(self, title: str) -> Path:
        self.ensure()
        slug = slugify(title)
        while True:
            path = self.sessions_dir / f"{slug}-{secrets.token_hex(3)}{SUFFIX}"
            if not path.exists():
                return path

    def create(self, session: Session) -> Path:
        path = self.new_path(session.proposal.title)
        self.save(session, path)
        return path

    def save(self, session: Session, path: Path) -> None:
        self.ensure()
        write_atomic(path, session_to_toml(session))

    def load(self, path: Path) -> Session:
        return load_session(path)

    def delete(self, path: Path) -> None:
        path.unlink(missing_ok=True)
        lock_path(path).unlink(missing_ok=True)

    def resolve(self, name: str) -> Path:
        """A session given as a path, a file name in the sessions folder, or its stem."""
        given = Path(name).expanduser()
        if given.is_file():
            return given
        for candidate in (self.sessions_dir / name, self.sessions_dir / f"{name}{SUFFIX}"):
            if candidate.is_file():
                return candidate
        matches = [p for p in self.session_paths() if p.stem.startswith(name)]
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            names = ", ".join(p.stem for p in matches)
            raise StoreError(f"{name!r} matches several sessions: {names}")
        raise StoreError(f"no session file or saved session named {name!r} (see `tvm-vote-tui list`)")

    def load_roster(self) -> list[Member]:
        if not self.roster_path.exists():
            return []
        return roster_from_toml(read_text(self.roster_path), self.roster_path)

    def save_roster(self, members: list[Member]) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        write_atomic(self.roster_path, roster_to_toml(members))


def _listing_order(listing: Listing) -> tuple[int, float]:
    """Open sessions first, then by most recent activity."""
    if listing.session is None:
        return (2, 0.0)
    session = listing.session
    latest = session.log[-1].at if session.log else session.proposal.opens_at
    return (0 if not session.is_closed else 1, -latest.timestamp())


class ReadOnlyError(StoreError):
    """A write to a session that another running instance holds."""


def lock_path(path: Path) -> Path:
    return path.with_name(f".{path.name}.lock")


class SessionLock:
    """An advisory lock on a session file, held by one running instance.

    It is an flock on a hidden `.NAME.lock` file beside the session: the operating system drops
    it when the holder exits or is killed, so a lock left by a dead process is simply taken over.
    """

    def __init__(self, path: Path):
        self.path = lock_path(path)
        self._fd: int | None = None
        self.holder = ""

    def acquire(self) -> bool:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, PRIVATE)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self.holder = os.read(fd, 200).decode(errors="replace").strip()
            os.close(fd)
            return False
        os.ftruncate(fd, 0)
        os.write(fd, f"pid {os.getpid()} on {socket.gethostname()}\n".encode())
        self._fd = fd
        return True

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing drops the flock
            self._fd = None


class OpenSession:
    """A session being worked on: where it lives, whether we may write it, and how to save."""

    def __init__(self, store: Store, path: Path, session: Session, lock: SessionLock | None = None):
        self.store = store
        self.path = path
        self.session = session
        self.lock = lock
        self.read_only = lock is None
        """True when another instance holds the session: nothing is ever written then."""
        self.holder = ""
        """Who holds the lock when this one is read-only (e.g. 'pid 123 on host')."""

    @classmethod
    def open(cls, store: Store, path: Path) -> OpenSession:
        session = store.load(path)
        lock = SessionLock(path)
        if not lock.acquire():
            opened = cls(store, path, session, None)
            opened.holder = lock.holder
            return opened
        return cls(store, path, session, lock)

    @property
    def name(self) -> str:
        return self.path.stem

    def save(self) -> None:
        """Write the whole session atomically; raises OSError if the disk refuses."""
        if self.read_only:
            raise ReadOnlyError(f"{self.path}: open read-only (held by {self.holder or 'another instance'})")
        self.store.save(self.session, self.path)

    def close(self) -> None:
        if self.lock is not None:
            self.lock.release()

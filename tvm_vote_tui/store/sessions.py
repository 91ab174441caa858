"""List, create, open, save and delete sessions; every write is atomic."""

from __future__ import annotations

import fcntl
import os
import re
import secrets
import socket
import threading
import unicodedata
from copy import deepcopy
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pendulum import DateTime

from tvm_vote_tui.domain.model import Ballot, Member, Session
from tvm_vote_tui.domain.votes import Vote
from tvm_vote_tui.store import paths
from tvm_vote_tui.store.atomic import PRIVATE, write_atomic
from tvm_vote_tui.store.format import (
    SessionFileError,
    roster_from_toml,
    roster_to_toml,
    session_from_toml,
    session_to_toml,
)
from tvm_vote_tui.store.journal import (
    Journal,
    apply_entries,
    ballot_entry,
    import_entry,
    journal_path,
    read_entries,
    state_entry,
    undo_entry,
)

SUFFIX = ".toml"


class StoreError(OSError):
    """A data dir or file that cannot be used, with a message fit for the user."""


def slugify(title: str, limit: int = 40) -> str:
    """A file-name-safe slug: ASCII letters, digits and dashes only, never empty."""
    ascii_text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:limit].rstrip("-") or "vote"


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
    """The session in `path`, with any changes still only in its journal applied."""
    return load_with_journal(path)[0]


def load_with_journal(path: Path) -> tuple[Session, int]:
    """The session, and the byte length of the journal's complete lines (for the writer)."""
    session = session_from_toml(read_text(path), path)
    jpath = journal_path(path)
    entries, valid = read_entries(jpath)
    apply_entries(session, entries, jpath)
    return session, valid


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
        journal_path(path).unlink(missing_ok=True)

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


COMPACT_EVERY = 200
"""Journal entries after which the journal is folded into the TOML file (in the background)."""


class OpenSession:
    """A session being worked on: where it lives, whether we may write it, and how to save.

    Ballots and other changes are appended to the journal (O(1), fsync'd) and acknowledged then;
    `compact` folds them into the TOML file, which the app does in a worker thread.
    """

    def __init__(self, store: Store, path: Path, session: Session, lock: SessionLock | None = None):
        self.store = store
        self.path = path
        self.session = session
        self.lock = lock
        self.read_only = lock is None
        """True when another instance holds the session: nothing is ever written then."""
        self.holder = ""
        """Who holds the lock when this one is read-only (e.g. 'pid 123 on host')."""
        self.journal = Journal(path)
        self._durable_logs = len(session.log)
        self._compacted = session.revision
        self._unsaved = False
        self._compacting = threading.Lock()

    @classmethod
    def open(cls, store: Store, path: Path) -> OpenSession:
        lock = SessionLock(path)
        locked = lock.acquire()
        try:
            session, valid = load_with_journal(path)
        except BaseException:
            lock.release()
            raise
        if not locked:
            opened = cls(store, path, session, None)
            opened.holder = lock.holder
            return opened
        opened = cls(store, path, session, lock)
        opened.journal.open(valid)
        return opened

    @property
    def name(self) -> str:
        return self.path.stem

    @property
    def pending(self) -> int:
        """Changes in the journal that the TOML file does not hold yet."""
        return self.session.revision - self._compacted

    def _check_writable(self) -> None:
        if self.read_only:
            raise ReadOnlyError(f"{self.path}: open read-only (held by {self.holder or 'another instance'})")

    def _append(self, entry: dict[str, Any]) -> None:
        self._check_writable()
        if self._unsaved:  # an earlier append failed: write everything instead
            self.compact()
            return
        seq = self.session.revision + 1
        try:
            self.journal.append({"seq": seq, **entry})
        except OSError:
            self._unsaved = True
            raise
        self.session.revision = seq
        self._durable_logs = len(self.session.log)

    def _new_logs(self) -> int:
        return len(self.session.log) - self._durable_logs

    def record(self, voter: str, vote: Vote | None, **details: Any) -> Ballot:
        """Record a ballot and make it durable before returning (raises OSError if it is not)."""
        self._check_writable()
        ballot = self.session.record(voter, vote, **details)
        self._append(ballot_entry(self.session, self._new_logs()))
        return ballot

    def undo(self, ballots: list[Ballot]) -> None:
        """Take back ballots recorded together (one ballot, or one import) as one durable change."""
        self._check_writable()
        positions = self.session.undo_ballots(ballots)
        removed = [(index, ballot.voter) for index, ballot in zip(positions, ballots, strict=True)]
        self._append(undo_entry(self.session, removed, self._new_logs()))

    def import_ballots(self, ballots: list[Ballot], description: str, at: DateTime | None = None) -> None:
        """Record ballots taken from a vote thread: one journal entry, one log entry."""
        self._check_writable()
        self.session.import_ballots(ballots, description, at)
        self._append(import_entry(self.session, len(ballots), self._new_logs()))

    def save(self) -> None:
        """Make any other change durable: the proposal and roster as they are, and new log lines."""
        self._append(state_entry(self.session, self._new_logs()))

    def snapshot(self) -> Session:
        """A copy to compact from another thread while this one keeps recording."""
        s = self.session
        copy = Session(deepcopy(s.proposal), deepcopy(s.roster), list(s.ballots), list(s.log))
        copy.revision = s.revision
        return copy

    def compact(self, snapshot: Session | None = None) -> None:
        """Write the whole session to the TOML file, then drop the journal entries it holds."""
        self._check_writable()
        snap = snapshot or self.session
        with self._compacting:  # one at a time, and never an older snapshot over a newer one
            if snapshot is not None and snap.revision <= self._compacted:
                return
            self.store.save(snap, self.path)
            if snapshot is None:
                self._unsaved = False
                self._durable_logs = len(self.session.log)
            self.journal.drop_through(snap.revision)
            self._compacted = max(self._compacted, snap.revision)

    def close(self) -> None:
        self.journal.close()
        if self.lock is not None:
            self.lock.release()

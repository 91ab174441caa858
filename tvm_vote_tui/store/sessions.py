"""List, create, open, save and delete sessions; every write is atomic."""

from __future__ import annotations

import fcntl
import os
import re
import secrets
import socket
import threading
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from tvm_vote_tui.domain.model import Change, Member, Session, new_session_id
from tvm_vote_tui.domain.proposal import bare_title
from tvm_vote_tui.domain.text import fold, id_key
from tvm_vote_tui.store import paths
from tvm_vote_tui.store.atomic import PRIVATE, write_atomic
from tvm_vote_tui.store.format import (
    SessionFileError,
    roster_file_extra,
    roster_from_toml,
    roster_to_toml,
    session_from_toml,
    session_to_toml,
)
from tvm_vote_tui.store.journal import (
    Journal,
    JournalFile,
    JournalMismatch,
    entry_for,
    journal_path,
    read_journal,
    replay,
)
from tvm_vote_tui.store.mirror import mirror_path, read_mirror, write_mirror
from tvm_vote_tui.store.reader import NotAFile, read_regular_stat

SUFFIX = ".toml"


class StoreError(OSError):
    """A data dir or file that cannot be used, with a message fit for the user."""


def slugify(title: str, limit: int = 40) -> str:
    """A file-name-safe slug: ASCII letters, digits and dashes only, never empty."""
    ascii_text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:limit].rstrip("-") or "vote"


def read_text(path: Path) -> str:
    """A text file, with a UTF-8 BOM (as some editors and spreadsheets write) dropped."""
    return _decoded(_read_bytes(path)[0], path)


def _read_bytes(path: Path) -> tuple[bytes, os.stat_result]:
    try:
        return read_regular_stat(path)
    except NotAFile as err:
        raise StoreError(str(err)) from None
    except FileNotFoundError:
        raise StoreError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise StoreError(f"{path}: is a folder, not a session file") from None
    except OSError as err:
        raise StoreError(f"{path}: cannot read ({err.strerror})") from None


def _decoded(data: bytes, path: Path) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise SessionFileError(path, f"not UTF-8 text (byte {err.start})") from None


def read_session(path: Path) -> Session:
    """The session in a session file (its journal not applied): from its mirror when the mirror
    is of exactly these bytes (a JSON parse), from the TOML otherwise."""
    data, info = _read_bytes(path)
    return read_mirror(path, data, info) or session_from_toml(_decoded(data, path), path)


@dataclass
class Loaded:
    """A session as read from its file and journal, and what a writer needs to go on."""

    session: Session
    journal: JournalFile
    unapplied: str = ""
    """Why the journal beside the file was not applied ('' when it was, or there is none)."""


def load(path: Path, *, without_journal: bool = False) -> Loaded:
    """Read the journal, then the session file, and apply the journal; a journal of another
    session is not applied (and said so).

    The order is what makes a reader consistent without a lock: a writer folds by replacing the
    TOML file first and trimming the journal after, so a TOML file read after the journal holds
    every entry the journal read had already dropped (its journal_seq is at least the journal's
    base), and the journal holds every later acknowledged entry."""
    jpath = journal_path(path)
    journal = read_journal(jpath)
    session = read_session(path)
    if without_journal:
        return Loaded(session, journal)
    try:
        replay(session, journal, jpath)
    except JournalMismatch as err:  # raised before anything is applied
        return Loaded(session, journal, unapplied=str(err))
    return Loaded(session, journal)


def load_session(path: Path) -> Session:
    """The session in `path`, with any changes still only in its journal applied."""
    return load(path).session


@dataclass
class Listing:
    """One file in the sessions folder: its session, or why it could not be read."""

    path: Path
    session: Session | None = None
    error: str = ""
    warning: str = ""
    """Something to know that does not stop the session from being read (an unapplied journal)."""

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
                loaded = load(path)
                listings.append(Listing(path, loaded.session, warning=loaded.unapplied))
            except (SessionFileError, StoreError) as err:
                listings.append(Listing(path, error=str(err)))
        listings.sort(key=_listing_order)
        return listings

    def new_path(self, title: str) -> Path:
        """A new file for a vote titled `title` (without a typed '[VOTE]'), never an existing one."""
        self.ensure()
        slug = slugify(bare_title(title))
        while True:
            path = self.sessions_dir / f"{slug}-{secrets.token_hex(3)}{SUFFIX}"
            if not path.exists():
                return path

    def create(self, session: Session) -> Path:
        path = self.new_path(session.proposal.title)
        self.save(session, path)
        return path

    def save(self, session: Session, path: Path) -> None:
        """Write the session file, then its mirror (see store/mirror.py): the TOML file is the
        truth, the mirror only a faster way to read it that is used while they agree."""
        self.ensure()
        text = session_to_toml(session)
        write_atomic(path, text)
        write_mirror(path, session, text)

    def load(self, path: Path) -> Session:
        return load_session(path)

    def delete(self, path: Path) -> None:
        path.unlink(missing_ok=True)
        lock_path(path).unlink(missing_ok=True)
        journal_path(path).unlink(missing_ok=True)
        mirror_path(path).unlink(missing_ok=True)

    def resolve(self, name: str) -> Path:
        """A session given as a path, a file name in the sessions folder or its stem, or a part of
        one saved session's file name or title (case and accents ignored): see `find`."""
        return self.find(name)[0]

    def find(self, name: str) -> tuple[Path, str]:
        """The session `name` stands for, and how it was found when only part of a name or title
        was given ('' when it was named in full): a path, a file name in the sessions folder or its
        stem, the start of one file name, or a part of exactly one file name or title."""
        given = Path(name).expanduser()
        if given.is_file():
            return given, ""
        for candidate in (self.sessions_dir / name, self.sessions_dir / f"{name}{SUFFIX}"):
            if candidate.is_file():
                return candidate, ""
        paths = self.session_paths()
        wanted = fold(name)
        by_start = [p for p in paths if p.stem.startswith(name)]
        by_part = [p for p in paths if wanted and wanted in fold(p.stem)]
        for found, how in ((by_start, "the start of its file name"), (by_part, "part of its file name")):
            if len(found) == 1:
                return found[0], how
            if len(found) > 1:
                raise StoreError(f"{name!r} matches several sessions: {', '.join(p.stem for p in found)}")
        titled = [(p, title) for p in paths if wanted and wanted in fold(title := _title_of(p))]
        if len(titled) == 1:
            return titled[0][0], f"its title, {titled[0][1]!r}"
        if len(titled) > 1:
            names = ", ".join(f"{p.stem} ({title!r})" for p, title in titled)
            raise StoreError(f"{name!r} matches several sessions' titles: {names}")
        raise StoreError(f"no session file or saved session named {name!r} (see `tvm-vote-tui list`)")

    def load_roster(self) -> list[Member]:
        if not self.roster_path.exists():
            return []
        return roster_from_toml(read_text(self.roster_path), self.roster_path)

    def save_roster(self, members: Sequence[Member]) -> None:
        """Replace the shared roster. Fields a newer version wrote are kept: the file's own, and
        each member's (matched by id) when the member comes from a form that does not know them."""
        extra: dict[str, object] = {}
        known: dict[str, Mapping[str, object]] = {}
        if self.roster_path.exists():
            try:
                text = read_text(self.roster_path)
                extra = roster_file_extra(text, self.roster_path)
                known = {id_key(m.id): m.extra for m in roster_from_toml(text, self.roster_path) if m.extra}
            except SessionFileError as err:
                raise StoreError(f"{err}; it is left as it is, not replaced") from None
        kept = [
            replace(m, extra=known[id_key(m.id)]) if not m.extra and id_key(m.id) in known else m
            for m in members
        ]
        self.root.mkdir(parents=True, exist_ok=True)
        write_atomic(self.roster_path, roster_to_toml(kept, extra))


def _title_of(path: Path) -> str:
    """The title of the session in `path`, or '' when it cannot be read (it matches nothing)."""
    try:
        return read_session(path).proposal.title
    except (SessionFileError, StoreError):
        return ""


def _listing_order(listing: Listing) -> tuple[int, float]:
    """Open sessions (and drafts) first, then by most recent activity."""
    if listing.session is None:
        return (2, 0.0)
    session = listing.session
    latest = session.log[-1].at.timestamp() if session.log else 0.0
    return (0 if not session.is_closed else 1, -latest)


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

    def acquire(self) -> tuple[bool, bool]:
        """(locked, created): whether we hold the lock, and whether its file was made just now.

        Raises OSError when the lock file cannot be made or opened (a read-only folder)."""
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_EXCL, PRIVATE)
            created = True
        except FileExistsError:
            fd = os.open(self.path, os.O_RDWR)
            created = False
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self.holder = os.read(fd, 200).decode(errors="replace").strip()
            os.close(fd)
            return False, created
        try:
            os.ftruncate(fd, 0)
            os.write(fd, f"pid {os.getpid()} on {socket.gethostname()}\n".encode())
        except OSError:
            pass  # who holds it is only shown to a second instance; the flock is what counts
        self._fd = fd
        return True, created

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing drops the flock
            self._fd = None


def lock_holder(path: Path) -> str | None:
    """Who holds the session's lock ('pid 123 on host'), or None when no one does (its writer
    quit, or was killed). A probe: it takes the lock for an instant and lets it go at once, so an
    instance starting in that instant opens the session read-only (and says so)."""
    try:
        fd = os.open(lock_path(path), os.O_RDWR)
    except FileNotFoundError:
        return None
    except OSError:
        return ""  # cannot tell: taken to be held
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return os.read(fd, 200).decode(errors="replace").strip()
        fcntl.flock(fd, fcntl.LOCK_UN)
        return None
    finally:
        os.close(fd)


COMPACT_EVERY = 200
"""Journal entries after which the journal is folded into the TOML file (in the background)."""


class OpenSession:
    """A session being worked on: where it lives, whether we may write it, and how to save.

    Every change passes through `_write` (the session's journal hook) and is applied only once
    its journal line is on disk; `compact` folds the journal into the TOML file, which the app
    does in a worker thread.
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
        self.writer_gone = False
        """Read-only, and the instance that held the lock has let go of it (it quit): the session
        can be opened again for writing."""
        self.journal = Journal(path)
        self._compacted = session.revision
        self._compacting = threading.Lock()

    @classmethod
    def open(cls, store: Store, path: Path, *, set_aside: bool = False) -> OpenSession:
        """Open for writing (or read-only when another instance holds it).

        A journal that belongs to another session file raises JournalMismatch and is left as it
        is; with `set_aside` it is renamed beside the file (its contents untouched) and the
        session opens without it. Whatever fails, a lock file made here is removed again, so a
        file that is not a session is left as it was found."""
        lock = SessionLock(path)
        try:
            locked, created = lock.acquire()
        except OSError as err:
            load(path)  # a file that is not a session says so first
            raise StoreError(f"{path}: cannot be opened for writing ({_reason(err)})") from None
        try:
            return cls._open_locked(store, path, lock, locked, set_aside=set_aside)
        except BaseException:
            lock.release()
            if created and locked:
                lock.path.unlink(missing_ok=True)
            raise

    @classmethod
    def _open_locked(
        cls, store: Store, path: Path, lock: SessionLock, locked: bool, *, set_aside: bool
    ) -> OpenSession:
        loaded = load(path, without_journal=True)
        try:
            replay(loaded.session, loaded.journal, journal_path(path))
        except JournalMismatch:
            if not (set_aside and locked):
                raise
            loaded = Loaded(load(path, without_journal=True).session, JournalFile(None, 0, [], 0))
            try:
                set_aside_journal(path)
            except OSError as err:
                raise StoreError(f"{path}: cannot set its journal aside ({_reason(err)})") from None
        session = loaded.session
        if not locked:
            opened = cls(store, path, session, None)
            opened.holder = lock.holder
            return opened
        opened = cls(store, path, session, lock)
        try:
            if not session.session_id:  # a file from before session ids gets one: the file first
                session.session_id = new_session_id()
                store.save(session, path)
            opened.journal.open(loaded.journal, session.session_id, session.revision)
        except OSError as err:
            raise StoreError(f"{path}: cannot be opened for writing ({_reason(err)})") from None
        session.journal = opened._write
        return opened

    @property
    def name(self) -> str:
        return self.path.stem

    @property
    def pending(self) -> int:
        """Changes in the journal that the TOML file does not hold yet."""
        return self.session.revision - self._compacted

    def _write(self, session: Session, change: Change) -> None:
        """The session's journal hook: the change's line is on disk when this returns."""
        if self.read_only:
            raise ReadOnlyError(f"{self.path}: open read-only (held by {self.holder or 'another instance'})")
        self.journal.append(entry_for(session, change, session.revision + 1))

    def snapshot(self) -> Session:
        """A copy to compact from another thread while this one keeps recording."""
        s = self.session
        return Session(
            s.proposal,
            s.roster,
            list(s.ballots),
            list(s.log),
            session_id=s.session_id,
            revision=s.revision,
            extra=s.extra,
        )

    def compact(self, snapshot: Session | None = None) -> None:
        """Write the whole session to the TOML file, then drop the journal entries it holds."""
        if self.read_only:
            raise ReadOnlyError(f"{self.path}: open read-only (held by {self.holder or 'another instance'})")
        snap = snapshot or self.snapshot()
        with self._compacting:  # one at a time, and never an older snapshot over a newer one
            if snap.revision <= self._compacted and snapshot is not None:
                return
            self.store.save(snap, self.path)
            self.journal.drop_through(snap.revision, snap.session_id)
            self._compacted = max(self._compacted, snap.revision)

    def close(self) -> None:
        self.journal.close()
        if self.lock is not None:
            self.lock.release()


def _reason(err: OSError) -> str:
    return err.strerror or str(err)


def set_aside_journal(path: Path) -> Path:
    """Move a journal that does not belong to `path` out of the way, contents untouched."""
    jpath = journal_path(path)
    target = jpath.with_name(f"{jpath.name}.unmatched-{secrets.token_hex(3)}")
    os.replace(jpath, target)
    return target


def disk_stamp(path: Path) -> tuple[tuple[int, int] | None, ...]:
    """What a session's files look like on disk (modified time and size of the file and its
    journal), so a read-only reader can tell cheaply when the writer changed them."""
    stamps: list[tuple[int, int] | None] = []
    for file in (path, journal_path(path)):
        try:
            info = file.stat()
        except OSError:
            stamps.append(None)
        else:
            stamps.append((info.st_mtime_ns, info.st_size))
    return tuple(stamps)

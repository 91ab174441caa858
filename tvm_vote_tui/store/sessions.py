"""List, create, open, save and delete sessions; every write is atomic."""

from __future__ import annotations

import os
import re
import secrets
import socket
import stat
import threading
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from tvm_vote_tui.domain.model import Change, Member, Session, new_session_id
from tvm_vote_tui.domain.proposal import bare_title
from tvm_vote_tui.domain.text import fold, id_key
from tvm_vote_tui.store import paths, platform
from tvm_vote_tui.store.atomic import PRIVATE, write_atomic
from tvm_vote_tui.store.cachekey import CacheKey
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
    JournalGone,
    JournalMismatch,
    entry_for,
    journal_path,
    read_journal,
    replay,
)
from tvm_vote_tui.store.mirror import mirror_path, read_mirror, write_mirror
from tvm_vote_tui.store.reader import LINK, NotAFile, kind_problem, open_no_link, read_regular_stat

SUFFIX = ".toml"


class StoreError(OSError):
    """A data dir or file that cannot be used, with a message fit for the user."""


RESERVED_NAMES = frozenset(
    ["con", "prn", "aux", "nul"] + [f"{port}{n}" for port in ("com", "lpt") for n in range(10)]
)
"""Names Windows keeps for devices, whatever follows a dot (`nul.toml` is the device too)."""


def slugify(title: str, limit: int = 40) -> str:
    """A slug that is a valid file name on Linux, macOS and Windows alike: ASCII lower-case
    letters, digits and dashes only (so no dot or space at its end), never empty, never a name
    Windows reserves, and short (a session's longest file, its mirror's temporary copy, stays
    under 100 characters, far from the 255 a name may have and from the 260 of a whole path on
    Windows, with room for the data dir)."""
    ascii_text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    slug = slug[:limit].rstrip("-") or "vote"
    return f"{slug}-vote" if slug in RESERVED_NAMES else slug


def read_text(path: Path, *, follow: bool = True) -> str:
    """A text file, with a UTF-8 BOM (as some editors and spreadsheets write) dropped. A file the
    user names (a thread, a roster to import) may be a symbolic link; a store file may not."""
    return _decoded(_read_bytes(path, follow=follow)[0], path)


def _read_bytes(path: Path, *, follow: bool = False) -> tuple[bytes, os.stat_result]:
    try:
        return read_regular_stat(path, follow=follow)
    except NotAFile as err:
        hint = "; give the file it points to" if err.reason == LINK else ""
        raise StoreError(f"{err}{hint}") from None
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


def read_session(path: Path, key: CacheKey | None = None, notices: list[str] | None = None) -> Session:
    """The session in a session file (its journal not applied): from its mirror when the mirror
    is of exactly these bytes and signed with `key` (a JSON parse), from the TOML otherwise.
    Why a mirror beside it was not used, when worth saying, is added to `notices`."""
    return _read_session(path, key, notices)[0]


def _read_session(
    path: Path, key: CacheKey | None, notices: list[str] | None
) -> tuple[Session, bytes | None]:
    """The session, and the file's bytes when they were parsed as TOML (no usable mirror)."""
    data, info = _read_bytes(path)
    mirrored = read_mirror(path, data, info, key, notices)
    if mirrored is not None:
        return mirrored, None
    return session_from_toml(_decoded(data, path), path), data


@dataclass
class Loaded:
    """A session as read from its file and journal, and what a writer needs to go on."""

    session: Session
    journal: JournalFile
    unapplied: str = ""
    """Why the journal beside the file was not applied ('' when it was, or there is none)."""
    notices: list[str] = field(default_factory=list)
    """What was ignored on the way (a cache beside the file that could not be used)."""
    unmirrored: bytes | None = None
    """The file's bytes when there was no mirror to use (the writer then writes one)."""

    @property
    def warning(self) -> str:
        """Everything worth saying about this read, on one line ('' when nothing is)."""
        return "; ".join(filter(None, [self.unapplied, *self.notices]))


def load(path: Path, *, key: CacheKey | None = None, without_journal: bool = False) -> Loaded:
    """Read the journal, then the session file, and apply the journal; a journal of another
    session is not applied (and said so).

    The order is what makes a reader consistent without a lock: a writer folds by replacing the
    TOML file first and trimming the journal after, so a TOML file read after the journal holds
    every entry the journal read had already dropped (its journal_seq is at least the journal's
    base), and the journal holds every later acknowledged entry."""
    jpath = journal_path(path)
    journal = read_journal(jpath)
    notices: list[str] = []
    session, unmirrored = _read_session(path, key, notices)
    if without_journal:
        return Loaded(session, journal, notices=notices, unmirrored=unmirrored)
    try:
        replay(session, journal, jpath)
    except JournalMismatch as err:  # raised before anything is applied
        return Loaded(session, journal, unapplied=str(err), notices=notices)
    return Loaded(session, journal, notices=notices)


def load_session(path: Path, key: CacheKey | None = None) -> Session:
    """The session in `path`, with any changes still only in its journal applied."""
    return load(path, key=key).session


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

    def __init__(self, root: Path, key_path: Path | None = None):
        self.root = root
        self.sessions_dir = paths.sessions_dir(root)
        self.roster_path = paths.roster_path(root)
        self.key = CacheKey(key_path or paths.own_cache_key_path(root))
        """What signs the caches this user's app writes (store/cachekey.py)."""

    def ensure(self) -> None:
        """Create the data folders (readable by their owner only: file names carry titles), or
        explain why they cannot be. A sessions folder an older version made 0755 is tightened."""
        try:
            if not self.root.is_dir():
                self.root.mkdir(mode=PRIVATE_DIR, parents=True, exist_ok=True)
            self.sessions_dir.mkdir(mode=PRIVATE_DIR, exist_ok=True)
            _tighten(self.sessions_dir)
        except FileExistsError:
            where = self.sessions_dir if self.root.is_dir() else self.root
            raise StoreError(f"{where}: exists but is not a folder") from None
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
                loaded = load(path, key=self.key)
                listings.append(Listing(path, loaded.session, warning=loaded.warning))
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
        refuse_link(path, "it is not replaced")  # a link swapped in since it was opened
        write_atomic(path, text)
        write_mirror(path, session, text, self.key)

    def load(self, path: Path) -> Session:
        return load_session(path, self.key)

    def delete(self, path: Path) -> None:
        """Delete a session's file and the files beside it, unless another instance has it open
        (then StoreError, and nothing is deleted): its lock is taken first, and dropped last."""
        lock = SessionLock(path)
        try:
            locked, _ = lock.acquire()
        except OSError as err:
            raise StoreError(f"{path}: not deleted: its lock cannot be taken ({_reason(err)})") from None
        try:
            if not locked:
                raise held_elsewhere(path, lock.holder)
            path.unlink(missing_ok=True)
            journal_path(path).unlink(missing_ok=True)
            mirror_path(path).unlink(missing_ok=True)
        finally:
            lock.release()
        lock.path.unlink(missing_ok=True)  # once let go of: Windows removes no file that is open

    def resolve(self, name: str) -> Path:
        """A session given as a path, a file name in the sessions folder or its stem, or a part of
        one saved session's file name or title (case and accents ignored): see `find`."""
        return self.find(name)[0]

    def find(self, name: str) -> tuple[Path, str]:
        """The session `name` stands for, and how it was found when only part of a name or title
        was given ('' when it was named in full): a path, a file name in the sessions folder or its
        stem, the start of one file name, or a part of exactly one file name or title."""
        if not name.strip():
            raise StoreError(
                "no session named: give a session file or a saved session's name (see `tvm-vote-tui list`)"
            )
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
        titled = [(p, title) for p in paths if wanted and wanted in fold(title := _title_of(p, self.key))]
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


def _title_of(path: Path, key: CacheKey) -> str:
    """The title of the session in `path` as `list` shows it (changes still only in its journal
    included: the app may have it open), or '' when it cannot be read (it matches nothing)."""
    try:
        return load(path, key=key).session.proposal.title
    except (SessionFileError, StoreError):
        return ""


def _listing_order(listing: Listing) -> tuple[int, float]:
    """Open sessions (and drafts) first, then by most recent activity."""
    if listing.session is None:
        return (2, 0.0)
    session = listing.session
    latest = session.log[-1].at.timestamp() if session.log else 0.0
    return (0 if not session.is_closed else 1, -latest)


PRIVATE_DIR = 0o700


def held_elsewhere(path: Path, holder: str) -> StoreError:
    """Why a session another instance holds is not deleted."""
    return StoreError(
        f"{path}: not deleted: another tvm-vote-tui ({holder or 'another process'}) has this session "
        "open; close it there first"
    )


def _tighten(folder: Path) -> None:
    """Make a folder of ours that others may enter (0755, as older versions made it) 0700."""
    info = os.stat(folder)
    if not stat.S_ISDIR(info.st_mode):
        raise FileExistsError(folder)
    if platform.owned_by_me(info) and stat.S_IMODE(info.st_mode) & 0o077:
        platform.set_folder_mode(folder, stat.S_IMODE(info.st_mode) & ~0o077)


def refuse_link(path: Path, then: str) -> None:
    """StoreError when `path` is a symbolic link: a write would replace the link, not its file."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return
    if stat.S_ISLNK(info.st_mode):
        raise StoreError(f"{path}: {LINK}; {then}")


class ReadOnlyError(StoreError):
    """A write to a session that another running instance holds."""


def lock_path(path: Path) -> Path:
    return path.with_name(f".{path.name}.lock")


class LockLost(StoreError):
    """The lock this instance held was removed or replaced: another instance may write now."""


class SessionLock:
    """An advisory lock on a session file, held by one running instance.

    It is a lock on a hidden `.NAME.lock` file beside the session (flock, or msvcrt.locking on
    Windows: see store/platform.py), which holds who has it (`pid N on HOST`) for a second
    instance to show. The operating system drops the lock when the holder exits or is killed, so
    a lock left by a dead process is simply taken over. Readers never take it.
    The file is opened without following a link and must be a regular file with one name: a link
    planted there would have us write into its target. A lock holds only while the file is the
    one at the path: whoever deletes or replaces it lets a second instance take a new one, so
    the holder checks, before each write, that it still is (`check`).
    """

    def __init__(self, path: Path):
        self.session_path = path
        self.path = lock_path(path)
        self._fd: int | None = None
        self._identity: tuple[int, int] | None = None
        self.holder = ""

    def acquire(self) -> tuple[bool, bool]:
        """(locked, created): whether we hold the lock, and whether its file was made just now.

        Raises OSError when the lock file cannot be made or opened (a read-only folder), or is
        not a plain file (NotAFile: a link, a folder, a FIFO, a hard link)."""
        try:
            try:
                fd = open_no_link(self.path, os.O_RDWR | os.O_CREAT | os.O_EXCL, PRIVATE)
                created = True
            except FileExistsError:
                fd = open_no_link(self.path, os.O_RDWR)
                created = False
        except NotAFile as err:
            raise NotAFile(self.path, f"{err.reason}; a lock file never is (remove it)") from None
        try:
            info = os.fstat(fd)
            problem = kind_problem(info) or ("has another name (a hard link)" if info.st_nlink > 1 else "")
            if problem:
                raise NotAFile(self.path, f"{problem}; a lock file never is (remove it)")
            locked = platform.try_lock(fd)
            os.lseek(fd, 0, os.SEEK_SET)  # (the Windows lock moved it far past the text)
            if not locked:
                self.holder = os.read(fd, 200).decode(errors="replace").strip()
        except BaseException:
            os.close(fd)
            raise
        if not locked:
            os.close(fd)
            return False, created
        try:
            os.ftruncate(fd, 0)
            os.write(fd, f"pid {os.getpid()} on {socket.gethostname()}\n".encode())
        except OSError:
            pass  # who holds it is only shown to a second instance; the lock is what counts
        self._fd = fd
        self._identity = platform.file_identity(info)
        return True, created

    def check(self) -> None:
        """Raise LockLost unless the file at the lock's path is still the one locked here."""
        if self._identity is None:
            raise LockLost(f"{self.session_path}: not locked here; nothing is saved")
        try:
            info = os.lstat(self.path)
            what = "replaced" if platform.file_identity(info) != self._identity else ""
        except FileNotFoundError:
            what = "deleted"
        except OSError as err:
            what = f"made unreadable ({_reason(err)})"
        if what:
            raise LockLost(
                f"{self.session_path}: its lock file was {what} while this tvm-vote-tui held it, so "
                "another one may be writing the session now; nothing more is saved here. Close the "
                "session and open it again"
            )

    def release(self) -> None:
        if self._fd is not None:
            platform.unlock(self._fd)
            os.close(self._fd)
            self._fd = None
            self._identity = None


def lock_holder(path: Path) -> str | None:
    """Who holds the session's lock ('pid 123 on host'), or None when no one does (its writer
    quit, or was killed). A probe: it takes the lock for an instant and lets it go at once, so an
    instance starting in that instant opens the session read-only (and says so)."""
    try:
        fd = platform.open_fd(lock_path(path), os.O_RDWR | platform.no_wait(), follow=False)
    except FileNotFoundError:
        return None
    except OSError:
        return ""  # cannot tell (a link, a folder, no permission): taken to be held
    try:
        if platform.try_lock(fd):
            platform.unlock(fd)
            return None
        os.lseek(fd, 0, os.SEEK_SET)  # (the Windows lock moved it far past the text)
        return os.read(fd, 200).decode(errors="replace").strip()
    except OSError:
        return ""
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
        self.lost = ""
        """Why nothing more is written (the lock was taken away); '' while all is well."""
        self.notices: list[str] = []
        """What was ignored when the session was read (a cache beside it that could not be used)."""

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
        loaded = load(path, key=store.key, without_journal=True)
        # No usable mirror (missing, stale, forged, of an older version): the writer makes one of
        # the file as read, before its journal is applied, once the session has opened.
        as_read = copy_of(loaded.session) if locked and loaded.unmirrored is not None else None
        try:
            replay(loaded.session, loaded.journal, journal_path(path))
        except JournalMismatch:
            if not (set_aside and locked):
                raise
            again = load(path, key=store.key, without_journal=True)
            loaded = Loaded(again.session, JournalFile(None, 0, [], 0), notices=again.notices)
            try:
                set_aside_journal(path)
            except OSError as err:
                raise StoreError(f"{path}: cannot set its journal aside ({_reason(err)})") from None
        session = loaded.session
        if not locked:
            opened = cls(store, path, session, None)
            opened.holder = lock.holder
            opened.notices = loaded.notices
            return opened
        opened = cls(store, path, session, lock)
        opened.notices = loaded.notices
        try:
            if not session.session_id:  # a file from before session ids gets one: the file first
                session.session_id = new_session_id()
                store.save(session, path)
            opened.journal.open(loaded.journal, session.session_id, session.revision)
        except OSError as err:
            raise StoreError(f"{path}: cannot be opened for writing ({_reason(err)})") from None
        if as_read is not None and as_read.session_id == session.session_id and loaded.unmirrored:
            write_mirror(path, as_read, loaded.unmirrored, store.key)
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
        self._check_writable()
        try:
            self.journal.append(entry_for(session, change, session.revision + 1))
        except JournalGone as err:
            self.lost = (
                f"{err.strerror}, so another tvm-vote-tui may be writing the session now; nothing more "
                "is saved here. Close the session and open it again"
            )
            raise LockLost(self.lost) from None

    def _check_writable(self) -> None:
        """Before every write: we hold the lock still (its file is the one we locked), and the
        session file is still a file; else LockLost, now and for every later write."""
        if self.read_only or self.lock is None:
            raise ReadOnlyError(f"{self.path}: open read-only (held by {self.holder or 'another instance'})")
        if self.lost:
            raise LockLost(self.lost)
        try:
            self.lock.check()
            info = os.lstat(self.path)
            if not stat.S_ISREG(info.st_mode):
                raise LockLost(
                    f"{self.path}: the session file was replaced by something that is not a file "
                    f"({kind_problem(info)}); nothing more is saved here"
                )
        except FileNotFoundError:
            self.lost = f"{self.path}: the session file was deleted; nothing more is saved here"
            raise LockLost(self.lost) from None
        except LockLost as err:
            self.lost = str(err)
            raise

    def snapshot(self) -> Session:
        """A copy to compact from another thread while this one keeps recording."""
        return copy_of(self.session)

    def compact(self, snapshot: Session | None = None) -> None:
        """Write the whole session to the TOML file, then drop the journal entries it holds."""
        self._check_writable()
        snap = snapshot or self.snapshot()
        with self._compacting:  # one at a time, and never an older snapshot over a newer one
            if snap.revision <= self._compacted and snapshot is not None:
                return
            self._check_writable()
            self.store.save(snap, self.path)
            self.journal.drop_through(snap.revision, snap.session_id)
            self._compacted = max(self._compacted, snap.revision)

    def close(self) -> None:
        self.journal.close()
        if self.lock is not None:
            self.lock.release()


def copy_of(s: Session) -> Session:
    """A copy of `s` that changes to `s` leave as it is."""
    return Session(
        s.proposal,
        s.roster,
        list(s.ballots),
        list(s.log),
        session_id=s.session_id,
        revision=s.revision,
        extra=s.extra,
    )


def _reason(err: OSError) -> str:
    return err.strerror or str(err)


def set_aside_journal(path: Path) -> Path:
    """Move a journal that does not belong to `path` out of the way, contents untouched."""
    jpath = journal_path(path)
    target = jpath.with_name(f"{jpath.name}.unmatched-{secrets.token_hex(3)}")
    platform.replace(jpath, target)
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

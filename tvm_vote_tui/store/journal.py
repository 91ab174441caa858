"""The append-only journal beside a session file: O(1) durable changes, folded into the TOML later.

The file starts with a header line, `{"journal": 1, "session": ID, "base": N}`: the journal
belongs to the session file with that `session_id`, and the file already holds every entry up
to `base`. Each change is then one JSON line, `{"seq": N, "op": ..., "log": [...]}`, appended
and fsync'd before the change is applied, so nothing that is not on disk ever looks recorded.

The TOML file records `journal_seq`, the last entry it holds; loading applies only later
entries, in unbroken order. A journal whose session id differs from the file's is never
applied (the file was replaced by another vote's); a journal whose base is past the file's
`journal_seq` means the file was read before the writer folded the journal (read again) or was
replaced by an older copy (reported). A gap in sequence numbers is reported, never skipped. A
last line cut short by a crash was never acknowledged: it is ignored and trimmed by the writer.
Journals written before the header existed have none; they are read as before.
"""

from __future__ import annotations

import datetime as dt
import errno
import json
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tvm_vote_tui.domain.model import Change, Session
from tvm_vote_tui.store import platform
from tvm_vote_tui.store.atomic import PRIVATE, write_atomic
from tvm_vote_tui.store.format import (
    EXTRA,
    SessionFileError,
    ballot_from_dict,
    ballot_to_dict,
    log_from_dict,
    log_to_dict,
    member_to_dict,
    members_from_list,
    packed,
    plain_time,
    proposal_from_dict,
    proposal_to_dict,
    reader_for,
)
from tvm_vote_tui.store.reader import (
    FILE_LIMIT,
    NotAFile,
    TooLarge,
    kind_problem,
    open_no_link,
    read_regular,
    size_text,
)

JOURNAL_VERSION = 1
_TIME_FIELDS = {"cast_at", "at", "opens_at", "closes_at", "closed_at"}


def journal_path(path: Path) -> Path:
    return path.with_name(f".{path.name}.journal")


class JournalMismatch(SessionFileError):
    """A journal that belongs to another session file: never applied, never touched."""


class JournalGone(OSError):
    """The journal being appended to is no longer the file at its path (deleted or replaced by
    someone else): a line appended now would be on no disk anyone reads."""


JOURNAL_LIMIT = FILE_LIMIT
"""The most a journal may hold. It is folded into the session file every COMPACT_EVERY entries
and when the app lets the session go, so a few MiB is already a lot; gigabytes (a sparse file)
are refused with one line before anything is read."""


@dataclass
class JournalFile:
    """What a journal file holds: its header (None in old journals) and its whole entries."""

    session: str | None
    """The session id of the header; None when the journal has no header."""
    base: int
    entries: list[tuple[int, dict[str, Any]]]
    """(line number, entry) of every complete entry line."""
    length: int
    """Bytes of complete lines: a writer trims a torn last line to this."""

    @property
    def empty(self) -> bool:
        return not self.entries


def _revive(table: object) -> dict[str, Any]:
    """JSON has no date-times: turn the ISO strings of time fields back into datetimes, and unpack
    the fields this version does not know."""
    if not isinstance(table, dict):
        raise TypeError(f"expected an object, found {type(table).__name__}")
    out = dict(table)
    for key in _TIME_FIELDS & out.keys():
        if isinstance(out[key], str):
            try:
                out[key] = dt.datetime.fromisoformat(out[key])
            except ValueError:
                pass  # left as text: the reader reports the field
    packed = out.pop(EXTRA, None)
    if packed is not None:
        if not isinstance(packed, str):
            raise TypeError(f"{EXTRA!r} is not text")
        import tomllib

        extra = tomllib.loads(packed)
        if extra.keys() & out.keys():
            raise ValueError(f"{EXTRA!r} repeats a field")
        out.update(extra)
    published = out.get("published")  # a proposal's published steps carry times of their own
    if isinstance(published, list):
        out["published"] = [_revive(entry) for entry in published]
    return out


def header_line(session_id: str, base: int) -> str:
    return json.dumps({"journal": JOURNAL_VERSION, "session": session_id, "base": base}) + "\n"


def entry_for(session: Session, change: Change, seq: int) -> dict[str, Any]:
    """The journal line of `change`, applied to `session` as the entry numbered `seq`."""
    entry: dict[str, Any] = {"seq": seq, "op": change.op}
    if change.op == "ballot":
        entry["ballot"] = packed(ballot_to_dict(change.add[0], extra=False), change.add[0].extra)
    elif change.op == "import":
        entry["ballots"] = [packed(ballot_to_dict(b, extra=False), b.extra) for b in change.add]
    elif change.op == "undo":
        entry["items"] = [list(item) for item in change.remove]
    else:  # state: the proposal and roster as they will be (both small)
        proposal = change.proposal or session.proposal
        roster = change.roster if change.roster is not None else session.roster
        entry["proposal"] = packed(proposal_to_dict(proposal, extra=False), proposal.extra)
        entry["roster"] = [packed(member_to_dict(m, extra=False), m.extra) for m in roster]
    entry["log"] = [packed(log_to_dict(e, extra=False), e.extra) for e in change.log]
    return entry


def encode(entry: dict[str, Any]) -> bytes:
    return (json.dumps(entry, ensure_ascii=False, default=plain_time) + "\n").encode()


def read_journal(jpath: Path) -> JournalFile:
    """The journal's header and entries; a missing journal is an empty one."""
    try:
        data = read_regular(jpath, limit=JOURNAL_LIMIT)
    except FileNotFoundError:
        return JournalFile(None, 0, [], 0)
    except TooLarge as err:
        raise SessionFileError(
            jpath,
            f"the journal is {size_text(err.size)}, far more than its entries could take (at most "
            f"{size_text(err.limit)}); it was not read",
        ) from None
    except NotAFile as err:
        raise SessionFileError(jpath, f"cannot read the journal: it {err.reason}") from None
    except OSError as err:
        raise SessionFileError(jpath, f"cannot read the journal ({err.strerror or err})") from None
    complete = data.rfind(b"\n") + 1  # a torn last line was never acknowledged
    session: str | None = None
    base = 0
    entries: list[tuple[int, dict[str, Any]]] = []
    for number, line in enumerate(data[:complete].splitlines(), start=1):
        try:
            entry = json.loads(line)
        except (ValueError, RecursionError) as err:
            problem = "nested too deeply" if isinstance(err, RecursionError) else str(err)
            raise SessionFileError(jpath, f"damaged journal entry: {problem}", line=number) from None
        if number == 1 and isinstance(entry, dict) and "journal" in entry:
            session, base = _header(entry, jpath)
            continue
        if not isinstance(entry, dict) or type(entry.get("seq")) is not int:
            raise SessionFileError(jpath, "damaged journal entry: not a journal entry", line=number)
        previous = entries[-1][1]["seq"] if entries else base if session is not None else None
        _check_follows(entry["seq"], previous, jpath, number)
        entries.append((number, entry))
    return JournalFile(session, base, entries, complete)


def _check_follows(seq: int, previous: int | None, jpath: Path, line: int) -> None:
    """Entries are numbered one after another from the header's base: a gap, a repeat or a step
    back is damage, reported and never skipped."""
    if previous is None or seq == previous + 1:
        return
    if seq > previous + 1:
        why = f"entries {previous + 1}..{seq - 1} are missing"
    else:
        why = "a repeated or out-of-order entry"
    raise SessionFileError(jpath, f"entry seq {seq} follows seq {previous}: {why}", line=line)


def _header(entry: dict[str, Any], jpath: Path) -> tuple[str, int]:
    session, base, version = entry.get("session"), entry.get("base"), entry.get("journal")
    if not isinstance(session, str) or type(base) is not int or base < 0 or type(version) is not int:
        raise SessionFileError(jpath, "damaged journal header", line=1)
    if version > JOURNAL_VERSION:
        raise SessionFileError(jpath, f"journal written by a newer tvm-vote-tui (version {version})", line=1)
    return session, base


def check_belongs(session: Session, journal: JournalFile, jpath: Path) -> None:
    """Raise JournalMismatch when `journal` is not this session file's."""
    pending = [entry for _, entry in journal.entries if entry["seq"] > session.revision]
    if not journal.session:  # none, or written for a file from before session ids
        if session.session_id and pending:  # an old journal beside a file that has an id now
            raise JournalMismatch(
                jpath, f"this journal has no session id but the file has {session.session_id}; not applied"
            )
        return
    if journal.session != session.session_id:
        raise JournalMismatch(
            jpath,
            f"this journal belongs to session {journal.session or '(none)'}, but the file is session "
            f"{session.session_id or '(none)'} (was the file replaced?); the journal was not applied",
        )


def replay(session: Session, journal: JournalFile, jpath: Path) -> None:
    """Apply the entries newer than the session's revision, in unbroken order."""
    check_belongs(session, journal, jpath)
    if journal.base > session.revision:
        raise SessionFileError(
            jpath,
            f"the journal starts after entry {journal.base} but the file holds entries only up to "
            f"{session.revision}: entries {session.revision + 1}..{journal.base} are missing "
            "(was the file replaced by an older copy?)",
        )
    reader = reader_for(jpath)
    for number, entry in journal.entries:
        seq = entry["seq"]
        if seq <= session.revision:
            continue
        if seq != session.revision + 1:
            raise SessionFileError(
                jpath,
                f"entry seq {seq} follows seq {session.revision}: entries {session.revision + 1}.."
                f"{seq - 1} are missing",
                line=number,
            )
        try:
            change = change_from_entry(reader, entry, f"seq {seq}")
            session.apply(change)
        except SessionFileError as err:
            raise SessionFileError(jpath, err.message, field=err.field, line=number) from None
        except (KeyError, TypeError, ValueError, AttributeError, RecursionError, OverflowError) as err:
            raise SessionFileError(jpath, f"entry seq {seq} cannot be applied: {err}", line=number) from None


_ENTRY_KEYS = {
    "ballot": {"ballot"},
    "import": {"ballots"},
    "undo": {"items"},
    "state": {"proposal", "roster"},
}


def _list(entry: dict[str, Any], key: str) -> list[Any]:
    value = entry.get(key, [] if key == "log" else None)
    if not isinstance(value, list):
        raise TypeError(f"{key!r} is {'missing' if value is None else 'not a list'}")
    return value


def change_from_entry(reader: Any, entry: dict[str, Any], where: str) -> Change:
    """The Change a journal entry records (its shape checked: a wrong one raises)."""
    op = entry.get("op")
    if not isinstance(op, str) or op not in _ENTRY_KEYS:
        raise ValueError(f"unknown op {op!r}")
    unknown = entry.keys() - _ENTRY_KEYS[op] - {"seq", "op", "log"}
    if unknown:
        raise ValueError(f"unknown fields {sorted(unknown)} for op {op!r}")
    logs = tuple(log_from_dict(reader, _revive(t), where) for t in _list(entry, "log"))
    if op == "ballot":
        return Change("ballot", logs, add=(ballot_from_dict(reader, _revive(entry.get("ballot")), where),))
    if op == "import":
        ballots = _list(entry, "ballots")
        return Change("import", logs, add=tuple(ballot_from_dict(reader, _revive(t), where) for t in ballots))
    if op == "undo":
        items = _list(entry, "items")
        if not all(
            isinstance(i, list) and len(i) == 2 and type(i[0]) is int and isinstance(i[1], str) for i in items
        ):
            raise TypeError("'items' is not a list of [position, voter]")
        return Change("undo", logs, remove=tuple((i, v) for i, v in items))
    roster = [_revive(m) for m in _list(entry, "roster")]
    proposal = proposal_from_dict(reader, _revive(entry.get("proposal")))
    return Change("state", logs, proposal=proposal, roster=tuple(members_from_list(reader, roster)))


class Journal:
    """The writer's handle on a session's journal; appends are serialised with compaction."""

    def __init__(self, path: Path):
        self.path = journal_path(path)
        self.lock = threading.Lock()
        self._fd: int | None = None
        self._size = 0
        self._unsure = ""
        """Why the journal's end is not known (a failed write that could not be cut off): nothing
        more is appended after it, since the next entry would repeat that entry's number."""

    def open(self, existing: JournalFile, session_id: str, base: int) -> None:
        """Open for appending: trim a torn last line left by a crash; start a new journal with
        its header when there is none, or none with this id (one written before the file had an
        id, every entry of which the file at `base` holds)."""
        with self.lock:
            if existing.length == 0 or existing.session != session_id:
                write_atomic(self.path, header_line(session_id, base), PRIVATE)
                existing = read_journal(self.path)
            fd = _open_for_append(self.path)
            if os.fstat(fd).st_size > existing.length:
                os.ftruncate(fd, existing.length)
                platform.sync(fd)
            self._fd, self._size = fd, existing.length

    def append(self, entry: dict[str, Any]) -> None:
        """Write one entry and fsync it: when this returns, the change survives a crash.

        When it raises, the journal is as it was: a part written before the failure is cut off."""
        data = encode(entry)
        with self.lock:
            if self._unsure:
                raise OSError(errno.EIO, self._unsure)
            fd = self._fd
            if fd is None:  # never opened, or lost when a fold could not open the new file
                raise OSError(errno.EBADF, f"{self.path}: journal not open; close and reopen the session")
            self._check_current(fd)
            try:
                view = memoryview(data)
                while view:
                    written = os.write(fd, view)
                    view = view[written:]
                platform.sync(fd)
            except OSError:
                try:
                    os.ftruncate(fd, self._size)
                except OSError:  # a torn last line is ignored on reading, a whole one is not
                    self._unsure = (
                        f"{self.path}: a failed write could not be undone, so the last change may "
                        "be on disk after all; close and reopen the session before going on"
                    )
                raise
            self._size += len(data)

    def drop_through(self, seq: int, session_id: str) -> None:
        """Forget entries up to `seq`, now that the TOML file holds them (atomically)."""
        with self.lock:
            current = read_journal(self.path)
            keep = "".join(
                json.dumps(e, ensure_ascii=False) + "\n" for _, e in current.entries if e["seq"] > seq
            )
            text = header_line(session_id, seq) + keep
            self._let_go()  # Windows replaces no file that is open, even by us
            try:
                write_atomic(self.path, text, PRIVATE)
            finally:  # replaced or not (even when only the folder's sync failed): the file there now
                self._reopen()

    def _check_current(self, fd: int) -> None:
        """JournalGone unless the file at the journal's path is the one `fd` appends to."""
        try:
            current = os.lstat(self.path)
        except FileNotFoundError:
            raise JournalGone(errno.ENOENT, f"{self.path}: the journal was deleted") from None
        if platform.file_identity(os.fstat(fd)) != platform.file_identity(current):
            raise JournalGone(errno.ESTALE, f"{self.path}: the journal was replaced by someone else")

    def _let_go(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def _reopen(self) -> None:
        """Append to the file at the journal's path, never to one it replaced (nobody reads that)."""
        self._fd = _open_for_append(self.path)
        self._size = os.fstat(self._fd).st_size

    def close(self) -> None:
        with self.lock:
            if self._fd is not None:
                os.close(self._fd)
                self._fd = None


def _open_for_append(path: Path) -> int:
    """The journal, opened to append, never through a link (NotAFile) nor into a file that has
    another name too (a hard link), whose other self would take our lines."""
    fd = open_no_link(path, os.O_RDWR | os.O_APPEND)
    info = os.fstat(fd)
    problem = kind_problem(info) or ("has another name (a hard link)" if info.st_nlink > 1 else "")
    if problem:
        os.close(fd)
        raise NotAFile(path, f"{problem}; a journal never is")
    return fd

"""The append-only journal beside a session file: O(1) durable changes, folded into the TOML later.

Each change is one JSON line, `{"seq": N, "op": ..., "log": [...]}`, appended and fsync'd before
the change is acknowledged. The TOML file records `journal_seq`, the last entry it already
contains; loading applies only later entries, so a crash between rewriting the TOML and
trimming the journal can never apply a change twice. A line cut short by a crash was never
acknowledged and is ignored (and trimmed by the next writer).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import threading
from pathlib import Path
from typing import Any

from tvm_vote_tui.domain.model import Session
from tvm_vote_tui.store.atomic import PRIVATE, write_atomic
from tvm_vote_tui.store.format import (
    SessionFileError,
    ballot_from_dict,
    ballot_to_dict,
    log_from_dict,
    log_to_dict,
    member_to_dict,
    members_from_list,
    proposal_from_dict,
    proposal_to_dict,
    reader_for,
)

_TIME_FIELDS = {"cast_at", "at", "opens_at", "closes_at", "closed_at"}


def journal_path(path: Path) -> Path:
    return path.with_name(f".{path.name}.journal")


def _plain(value: object) -> object:
    if isinstance(value, dt.datetime):
        return value.isoformat()
    raise TypeError(f"cannot journal {type(value).__name__}")


def _revive(table: dict[str, Any]) -> dict[str, Any]:
    """JSON has no date-times: turn the ISO strings of time fields back into datetimes."""
    out = dict(table)
    for key in _TIME_FIELDS & out.keys():
        if isinstance(out[key], str):
            try:
                out[key] = dt.datetime.fromisoformat(out[key])
            except ValueError:
                pass  # left as text: the reader reports the field
    return out


def ballot_entry(session: Session, new_logs: int) -> dict[str, Any]:
    return {"op": "ballot", "ballot": ballot_to_dict(session.ballots[-1]), "log": _logs(session, new_logs)}


def import_entry(session: Session, count: int, new_logs: int) -> dict[str, Any]:
    ballots = [ballot_to_dict(b) for b in session.ballots[len(session.ballots) - count :]]
    return {"op": "import", "ballots": ballots, "log": _logs(session, new_logs)}


def undo_entry(session: Session, removed: list[tuple[int, str]], new_logs: int) -> dict[str, Any]:
    """Ballots taken back, as (position, voter) pairs, so a replay can check what it removes."""
    return {"op": "undo", "items": [list(item) for item in removed], "log": _logs(session, new_logs)}


def state_entry(session: Session, new_logs: int) -> dict[str, Any]:
    """Proposal and roster as they now are (both small), for any change that is not a ballot."""
    return {
        "op": "state",
        "proposal": proposal_to_dict(session),
        "roster": [member_to_dict(m) for m in session.roster],
        "log": _logs(session, new_logs),
    }


def _logs(session: Session, new_logs: int) -> list[dict[str, Any]]:
    return [log_to_dict(e) for e in session.log[len(session.log) - new_logs :]] if new_logs else []


def read_entries(jpath: Path) -> tuple[list[dict[str, Any]], int]:
    """Entries of a journal file, and the byte length of its whole lines."""
    try:
        data = jpath.read_bytes()
    except FileNotFoundError:
        return [], 0
    except OSError as err:
        raise SessionFileError(jpath, f"cannot read the journal ({err.strerror})") from None
    complete = data.rfind(b"\n") + 1  # a torn last line was never acknowledged
    entries = []
    for number, line in enumerate(data[:complete].splitlines(), start=1):
        try:
            entry = json.loads(line)
            if not isinstance(entry, dict) or not isinstance(entry.get("seq"), int):
                raise ValueError("not a journal entry")
        except ValueError as err:
            raise SessionFileError(jpath, f"damaged journal entry: {err}", line=number) from None
        entries.append(entry)
    return entries, complete


def apply_entries(session: Session, entries: list[dict[str, Any]], jpath: Path) -> None:
    """Replay entries newer than the session's revision, in order."""
    reader = reader_for(jpath)
    for entry in entries:
        seq = entry["seq"]
        if seq <= session.revision:
            continue
        where = f"seq {seq}"
        try:
            op = entry.get("op")
            if op == "ballot":
                session.add_ballot(ballot_from_dict(reader, _revive(entry["ballot"]), where))
            elif op == "import":
                for table in entry["ballots"]:
                    session.add_ballot(ballot_from_dict(reader, _revive(table), where))
            elif op == "undo":
                items = [(int(i), str(v)) for i, v in entry["items"]]
                for index, voter in items:
                    if not (0 <= index < len(session.ballots)) or session.ballots[index].voter != voter:
                        raise SessionFileError(jpath, f"entry {where} undoes a ballot that is not there")
                session.drop_ballots_at([index for index, _ in items])
            elif op == "state":
                session.proposal = proposal_from_dict(reader, _revive(entry["proposal"]))
                session.roster = members_from_list(reader, entry["roster"])
            else:
                raise SessionFileError(jpath, f"entry {where} has unknown op {op!r}")
            session.log.extend(log_from_dict(reader, _revive(t), where) for t in entry.get("log", []))
        except (KeyError, TypeError) as err:
            raise SessionFileError(jpath, f"entry {where} is incomplete ({err})") from None
        session.revision = seq


class Journal:
    """The writer's handle on a session's journal; appends are serialised with compaction."""

    def __init__(self, path: Path):
        self.path = journal_path(path)
        self.lock = threading.Lock()
        self._fd: int | None = None

    def open(self, valid_length: int) -> None:
        """Open for appending, first trimming a torn last line left by a crash."""
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o600)
        if os.fstat(fd).st_size > valid_length:
            os.ftruncate(fd, valid_length)
            os.fsync(fd)
        self._fd = fd

    def append(self, entry: dict[str, Any]) -> None:
        """Write one entry and fsync it: when this returns, the change survives a crash."""
        assert self._fd is not None, "journal not open"
        data = (json.dumps(entry, ensure_ascii=False, default=_plain) + "\n").encode()
        with self.lock:
            view = memoryview(data)
            while view:
                written = os.write(self._fd, view)
                view = view[written:]
            os.fsync(self._fd)

    def drop_through(self, seq: int) -> None:
        """Forget entries up to `seq`, now that the TOML file holds them (atomically)."""
        with self.lock:
            entries, _ = read_entries(self.path)
            keep = "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in entries if e["seq"] > seq)
            write_atomic(self.path, keep, PRIVATE)
            if self._fd is not None:
                os.close(self._fd)  # it points at the replaced file
            self._fd = os.open(self.path, os.O_RDWR | os.O_APPEND)

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

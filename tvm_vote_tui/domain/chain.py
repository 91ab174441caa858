"""The audit log's hash chain: each entry records the SHA-256 of the previous entry's canonical
form (the first one, of an anchor made from the session id), so changing, dropping or moving an
entry breaks a link; entries that add ballots record each ballot's digest, so the chain also
fixes which ballots were cast and taken back.

Keeping the chain costs one hash per change (the session remembers the last link). Entries from
before the chain existed record no link: theirs is computed (the same way), so a session an
older version started is covered from its first entry on.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tvm_vote_tui.domain.ballots import Ballot, LogEntry

if TYPE_CHECKING:
    from pendulum import DateTime

ANCHOR_TEXT = "tvm-vote-tui audit log of session "
BALLOT_DIGEST_HEX = 32
"""A ballot's digest is the first 128 bits of its SHA-256: it is itself covered by the chain."""


def utc_text(moment: DateTime | dt.datetime) -> str:
    """A moment in the canonical forms: UTC to the microsecond, whatever offset it was stored with."""
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical_json(data: object) -> bytes:
    """The one byte form hashed: sorted keys, no spaces, UTF-8."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def anchor(session_id: str) -> str:
    """What the first entry links to: ties the chain to its session."""
    return sha256(f"{ANCHOR_TEXT}{session_id}".encode())


def entry_form(entry: LogEntry, prev: str) -> bytes:
    """An entry's canonical form, with `prev` as its link (its own, or the computed one when it
    records none)."""
    data: dict[str, object] = {
        "at": utc_text(entry.at),
        "action": entry.action,
        "detail": entry.detail,
        "prev": prev,
    }
    if entry.ballots:
        data["ballots"] = list(entry.ballots)
    if entry.undone:
        data["undone"] = list(entry.undone)
    return canonical_json(data)


def link(entry: LogEntry, prev: str) -> str:
    """The SHA-256 of `entry`'s canonical form: what the next entry records as its `prev`."""
    return sha256(entry_form(entry, prev))


def ballot_form(ballot: Ballot) -> dict[str, object]:
    return {
        "voter": ballot.voter,
        "vote": None if ballot.vote is None else ballot.vote.text,
        "cast_at": utc_text(ballot.cast_at),
        "note": ballot.note,
        "justification": ballot.justification,
        "source": ballot.source,
    }


def ballot_digest(ballot: Ballot) -> str:
    return sha256(canonical_json(ballot_form(ballot)))[:BALLOT_DIGEST_HEX]


def head(entries: Sequence[LogEntry], session_id: str) -> str:
    """The link after the last entry, trusting the links entries record (checking them is
    `verify`'s work): one hash when the last entry records its link."""
    start = next((i for i in range(len(entries) - 1, -1, -1) if entries[i].prev), None)
    prev = anchor(session_id) if start is None else entries[start].prev
    for entry in entries[start or 0 :]:
        prev = link(entry, entry.prev or prev)
    return prev


@dataclass(frozen=True)
class Break:
    """A link that does not hold: entry `index` (0-based) does not follow the entry before it."""

    index: int
    recorded: str
    expected: str
    follows: int | None
    """The entry whose link it records, when that is another entry of the log (moved entries)."""
    first: bool = False
    """It records the anchor: it claims to be the first entry."""


@dataclass(frozen=True)
class ChainCheck:
    """The chain walked from the anchor, every recorded link compared with the computed one."""

    head: str
    """The link after the last entry, computed from the entries' contents."""
    breaks: tuple[Break, ...]
    unlinked: tuple[int, ...]
    """Entries that record no link, in order (those before the first linked one predate the chain)."""
    first_linked: int | None

    @property
    def legacy(self) -> int:
        """How many entries at the start predate the chain (record no link)."""
        return len(self.entries_before_chain)

    @property
    def entries_before_chain(self) -> tuple[int, ...]:
        if self.first_linked is None:
            return self.unlinked
        return tuple(i for i in self.unlinked if i < self.first_linked)

    @property
    def unlinked_after_start(self) -> tuple[int, ...]:
        """Entries without a link after linked ones: written by an older version, or stripped."""
        if self.first_linked is None:
            return ()
        return tuple(i for i in self.unlinked if i > self.first_linked)


def check(entries: Sequence[LogEntry], session_id: str) -> ChainCheck:
    """Walk the whole chain: the head computed from the contents, and every link that breaks."""
    start = anchor(session_id)
    own = [""] * len(entries)
    """Each entry's link as its recorded contents give it (for finding where a moved one was)."""
    expected = start
    breaks: list[Break] = []
    unlinked: list[int] = []
    for i, entry in enumerate(entries):
        if not entry.prev:
            unlinked.append(i)
        elif entry.prev != expected:
            breaks.append(Break(i, entry.prev, expected, None, entry.prev == start))
        own[i] = expected = link(entry, entry.prev or expected)
    # Recompute the head from the contents alone: every link as it should be, not as recorded.
    computed = start
    for entry in entries:
        computed = link(entry, computed)
    where = {value: i for i, value in enumerate(own)}
    found = tuple(
        Break(b.index, b.recorded, b.expected, where.get(b.recorded), b.first)
        if where.get(b.recorded) not in (None, b.index - 1)
        else b
        for b in breaks
    )
    first_linked = next((i for i, e in enumerate(entries) if e.prev), None)
    return ChainCheck(computed, found, tuple(unlinked), first_linked)

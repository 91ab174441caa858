"""A ballot as cast and an audit-log entry: the records a session keeps, in order."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from tvm_vote_tui.domain.votes import Vote

if TYPE_CHECKING:
    from pendulum import DateTime


@dataclass(frozen=True)
class Ballot:
    """One vote as cast. `vote` is None for a withdrawal of the voter's earlier vote."""

    voter: str
    vote: Vote | None
    cast_at: DateTime
    note: str = ""
    justification: str = ""
    source: str = "live"
    extra: Mapping[str, object] = field(default_factory=dict, compare=False, repr=False)
    """Fields this version does not know (written by a newer one): kept as they are."""

    @property
    def withdrawn(self) -> bool:
        return self.vote is None


@dataclass(frozen=True)
class LogEntry:
    """One line of the audit log: when, what kind of change, and what it did."""

    at: DateTime
    action: str
    detail: str = ""
    extra: Mapping[str, object] = field(default_factory=dict, compare=False, repr=False)
    """Fields this version does not know (written by a newer one): kept as they are."""
    prev: str = field(default="", compare=False, repr=False)
    """The SHA-256 of the previous entry's canonical form (see domain/chain.py); '' in entries
    written before the log was chained."""
    ballots: tuple[str, ...] = field(default=(), compare=False, repr=False)
    """The digests of the ballots this change added, in order (ballot, withdraw, import)."""
    undone: tuple[int, ...] = field(default=(), compare=False, repr=False)
    """The positions of the ballots this change took back (undo)."""

"""The manager's review of a thread: one row per proposed ballot (or skipped post) and what they
decided about it, kept across reads of the same thread so follow mode only adds what is new."""

from __future__ import annotations

from dataclasses import dataclass, field

from tvm_vote_tui.domain.ballots import Ballot
from tvm_vote_tui.domain.model import Session
from tvm_vote_tui.votethread.proposals import Proposed, ThreadReport


@dataclass
class Row:
    """A proposed ballot and what the manager decided about it."""

    proposed: Proposed
    accepted: bool
    new: bool = False
    """It came with the latest read of a followed thread."""

    @property
    def acceptable(self) -> bool:
        """Can be recorded at all: it has a vote, is not a skipped post, and is not the vote
        already recorded (recording it again would change nothing)."""
        p = self.proposed
        return p.vote is not None and not p.skipped and not p.already_recorded


@dataclass
class Review:
    rows: list[Row] = field(default_factory=list)
    source: str = ""
    """What was read ('apache/tvm#16368', a file name, 'pasted text')."""
    _seen: set[tuple[str, str]] = field(default_factory=set)

    def load(self, report: ThreadReport, source: str) -> None:
        """Start over with a thread: every proposal a row, the clear ones accepted."""
        self.source = source
        self.rows = [Row(p, p.clear) for p in (*report.proposed, *report.skipped)]
        self._seen = {p.signature for p in (*report.proposed, *report.skipped)}

    def merge(self, report: ThreadReport) -> list[Row]:
        """Add what is new since the last read of the same thread (new posts, edited posts) and
        keep every decision already made; returns the new rows."""
        added: list[Row] = []
        for row in self.rows:
            row.new = False
        for p in (*report.proposed, *report.skipped):
            if p.signature in self._seen:
                continue
            self._seen.add(p.signature)
            row = Row(p, p.clear, new=True)
            same = next(
                (i for i, r in enumerate(self.rows) if not p.skipped and r.proposed.voter == p.voter), None
            )
            if same is None:
                self.rows.append(row)
            else:
                self.rows[same] = row  # the voter wrote again: their latest post is what counts
            added.append(row)
        return added

    def accepted(self) -> list[Row]:
        return [row for row in self.rows if row.accepted and row.acceptable]

    def remove(self, rows: list[Row]) -> None:
        self.rows = [row for row in self.rows if all(row is not gone for gone in rows)]

    def restore(self, rows: list[Row]) -> None:
        """Put rows back (their import was undone), accepted as they were."""
        self.rows = [*rows, *(row for row in self.rows if all(row is not back for back in rows))]

    def refresh(self, session: Session) -> None:
        """Show beside each row the ballot the session now holds for that voter."""
        latest = session.latest()
        for row in self.rows:
            if not row.proposed.skipped:
                row.proposed.recorded = latest.get(session.voter_key(row.proposed.voter))


def _key(session: Session, ballot: Ballot) -> tuple[object, ...]:
    return (session.voter_key(ballot.voter), ballot.vote, ballot.cast_at, ballot.note)


def recorded_last(session: Session, ballots: tuple[Ballot, ...]) -> bool:
    """Whether `ballots` are the last ballots the session recorded (an import appends them in order)."""
    if not ballots or len(session.ballots) < len(ballots):
        return False
    tail = session.ballots[-len(ballots) :]
    return all(_key(session, a) == _key(session, b) for a, b in zip(tail, ballots, strict=True))


def still_recorded(session: Session, ballots: tuple[Ballot, ...], window: int) -> bool:
    """Whether `ballots` are still among the session's last `window` ballots (not undone)."""
    recent = {_key(session, b) for b in session.ballots[-window:]}
    return all(_key(session, b) in recent for b in ballots)

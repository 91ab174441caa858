"""The manager's review of a thread: one row per proposed ballot (or skipped post) and what they
decided about it, kept across reads of the same thread so follow mode only adds what is new."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from tvm_vote_tui.domain.ballots import Ballot
from tvm_vote_tui.domain.model import Session
from tvm_vote_tui.votethread.proposals import Proposed, ThreadReport, recorded_from_post


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
    recorded: list[Row] = field(default_factory=list)
    """Rows whose ballots were recorded: their posts are still watched in follow mode."""
    changed: list[Row] = field(default_factory=list)
    """The rows the last merge flagged: a ballot's post deleted or edited to another vote."""
    _seen: set[tuple[str, str]] = field(default_factory=set)
    _flagged: set[tuple[str, str]] = field(default_factory=set)

    def load(self, report: ThreadReport, source: str) -> None:
        """Start over with a thread: every proposal a row, the clear ones accepted."""
        self.source = source
        self.rows = [Row(p, p.clear) for p in (*report.proposed, *report.skipped)]
        self.recorded = []
        self._seen = {p.signature for p in (*report.proposed, *report.skipped)}
        self._flagged = set()

    def merge(self, report: ThreadReport, present: set[str] | None = None) -> list[Row]:
        """Add what is new since the last read of the same thread (new posts, edited posts) and
        keep every decision already made; returns the new rows.

        `present` is the key of every post of this read (follow mode): a ballot whose post was
        deleted, or edited to another vote or to none, between two reads is flagged and no longer
        accepted, never recorded silently; one already recorded gets a row saying so."""
        added: list[Row] = []
        self.changed = []
        for row in self.rows:
            row.new = False
        for p in (*report.proposed, *report.skipped):
            if p.signature in self._seen:
                continue
            self._seen.add(p.signature)
            row = Row(p, p.clear, new=True)
            earlier = self._same_post(p)
            if earlier is not None and not p.skipped and _vote_text(earlier.proposed) != _vote_text(p):
                was = _vote_text(earlier.proposed)
                kept = " (that vote is recorded)" if _among(earlier, self.recorded) else ""
                p.reasons.append(
                    f"its post was edited between reads: it said {was}{kept}, now {_vote_text(p)}"
                )
                row.accepted = False
                self.changed.append(row)
            same = next(
                (i for i, r in enumerate(self.rows) if not p.skipped and r.proposed.voter == p.voter), None
            )
            if same is None:
                self.rows.append(row)
            else:
                self.rows[same] = row  # the voter wrote again: their latest post is what counts
            added.append(row)
        if present is not None:
            gone = self._flag_gone(report, present)
            self.changed += gone
            added += gone
        return added

    def _same_post(self, p: Proposed) -> Row | None:
        if not p.post_key:
            return None
        return next((r for r in (*self.rows, *self.recorded) if r.proposed.post_key == p.post_key), None)

    def _flag_gone(self, report: ThreadReport, present: set[str]) -> list[Row]:
        voting = {p.post_key for p in report.proposed} | {
            h.post_key for p in report.proposed for h in p.history
        }
        flagged: list[Row] = []
        for row in [*self.rows, *self.recorded]:
            p = row.proposed
            if p.skipped or not p.post_key or p.signature in self._flagged or p.post_key in voting:
                continue
            self._flagged.add(p.signature)
            gone = "was deleted" if p.post_key not in present else "no longer holds a vote (edited)"
            if _among(row, self.recorded):
                vote = _vote_text(p)
                notice = Row(
                    replace(
                        p,
                        skipped=f"its post {gone} after its ballot ({vote}) was recorded: the ballot "
                        "stays recorded; check it (F3), ctrl+z undoes the import",
                        reasons=[],
                    ),
                    False,
                    new=True,
                )
                self.rows.append(notice)
                flagged.append(notice)
                continue
            p.reasons.append(f"its post {gone} since an earlier read: not a ballot any more")
            row.accepted, row.new = False, True
            flagged.append(row)
        return flagged

    def accepted(self) -> list[Row]:
        return [row for row in self.rows if row.accepted and row.acceptable]

    def remove(self, rows: list[Row]) -> None:
        self.rows = [row for row in self.rows if all(row is not gone for gone in rows)]

    def mark_recorded(self, rows: list[Row]) -> None:
        """Their ballots are recorded: off the table, but their posts are still watched."""
        self.remove(rows)
        self.recorded += rows

    def restore(self, rows: list[Row]) -> None:
        """Put rows back (their import was undone), accepted as they were."""
        self.recorded = [row for row in self.recorded if all(row is not back for back in rows)]
        self.rows = [*rows, *(row for row in self.rows if all(row is not back for back in rows))]

    def refresh(self, session: Session) -> None:
        """Show beside each row the ballot the session now holds for that voter."""
        latest = session.latest()
        for row in self.rows:
            if not row.proposed.skipped:
                row.proposed.recorded = latest.get(session.voter_key(row.proposed.voter))
                row.proposed.recorded_as = recorded_from_post(row.proposed, session, latest)


def _among(row: Row, rows: list[Row]) -> bool:
    return any(row is other for other in rows)


def _vote_text(p: Proposed) -> str:
    return p.vote.text if p.vote is not None else "no vote"


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

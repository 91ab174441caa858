"""The session model: a proposal, a roster snapshot, the ballots in order and the audit log."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import pendulum
from pendulum import DateTime

from tvm_vote_tui.domain.rules import DEFAULT_RULE, Rule, Tally, TallyState, get_rule, latest_ballots
from tvm_vote_tui.domain.votes import Counted, Vote

SCHEMA_VERSION = 1
MIN_WINDOW_HOURS = 72
USUAL_WINDOW_DAYS = 7


class Kind(StrEnum):
    """What is being decided; each kind has a default rule."""

    STRATEGY = "strategy"
    NEW_MODULE = "new-module"
    NEW_CODEBASE = "new-codebase"
    RELEASE = "release"
    PROCEDURAL = "procedural"
    OTHER = "other"

    @property
    def label(self) -> str:
        return KIND_LABELS[self]

    @property
    def default_rule(self) -> str:
        return KIND_DEFAULT_RULES[self]


KIND_LABELS = {
    Kind.STRATEGY: "Community strategy",
    Kind.NEW_MODULE: "New module",
    Kind.NEW_CODEBASE: "New codebase / sub-project",
    Kind.RELEASE: "Release",
    Kind.PROCEDURAL: "Procedural",
    Kind.OTHER: "Other",
}
KIND_DEFAULT_RULES = {
    Kind.STRATEGY: DEFAULT_RULE,
    Kind.NEW_MODULE: DEFAULT_RULE,
    Kind.NEW_CODEBASE: DEFAULT_RULE,
    Kind.RELEASE: "lazy-majority",
    Kind.PROCEDURAL: "lazy-majority",
    Kind.OTHER: DEFAULT_RULE,
}


class Status(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


def now() -> DateTime:
    return pendulum.now("UTC").replace(microsecond=0)


@dataclass
class Proposal:
    title: str
    kind: Kind = Kind.STRATEGY
    rule: str = DEFAULT_RULE
    summary: str = ""
    links: list[str] = field(default_factory=list)
    opens_at: DateTime = field(default_factory=now)
    closes_at: DateTime = field(default_factory=lambda: now().add(days=USUAL_WINDOW_DAYS))
    status: Status = Status.OPEN
    closed_at: DateTime | None = None
    thread: str = ""
    """Where the vote thread lives, e.g. 'apache/tvm#16368' (the next fetch needs no typing)."""

    @property
    def rule_obj(self) -> Rule:
        return get_rule(self.rule)

    @property
    def veto_applies(self) -> bool:
        """A -1 is a veto under consensus rules, but never on a release vote."""
        return self.rule_obj.veto and self.kind is not Kind.RELEASE

    @property
    def window_hours(self) -> float:
        return (self.closes_at - self.opens_at).total_seconds() / 3600


@dataclass
class Member:
    """A person on a roster. Binding members are PMC members who may cast binding votes."""

    id: str
    name: str
    email: str = ""
    binding: bool = True
    github: str = ""
    recused: bool = False
    emails: tuple[str, ...] = ()
    """Other addresses known to be this member's (a thread's mail from one of them matches)."""

    @property
    def handle(self) -> str:
        return self.github or self.id

    @property
    def addresses(self) -> tuple[str, ...]:
        """Every address known for this member, the main one first."""
        return tuple(a for a in (self.email, *self.emails) if a)

    def __setattr__(self, name: str, value: object) -> None:
        object.__setattr__(self, name, value)
        _EPOCH[0] += 1  # any change to any member: cached tallies rebuild


_EPOCH = [0]
"""Bumped by every change to a Member or a RosterList, so a cached tally knows it is stale."""


class RosterList(list[Member]):
    """The roster of a session: a list that notes every change to itself (see _EPOCH)."""

    def _changed(self) -> None:
        _EPOCH[0] += 1

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self._changed()

    def __setitem__(self, index: Any, value: Any) -> None:
        super().__setitem__(index, value)
        self._changed()

    def __delitem__(self, index: Any) -> None:
        super().__delitem__(index)
        self._changed()

    def __iadd__(self, other: Any) -> RosterList:  # type: ignore[override,misc]
        result = super().__iadd__(other)
        self._changed()
        return result

    def append(self, value: Member) -> None:
        super().append(value)
        self._changed()

    def extend(self, values: Any) -> None:
        super().extend(values)
        self._changed()

    def insert(self, index: Any, value: Member) -> None:
        super().insert(index, value)
        self._changed()

    def remove(self, value: Member) -> None:
        super().remove(value)
        self._changed()

    def pop(self, index: Any = -1) -> Member:
        value = super().pop(index)
        self._changed()
        return value

    def clear(self) -> None:
        super().clear()
        self._changed()

    def sort(self, *args: Any, **kwargs: Any) -> None:
        super().sort(*args, **kwargs)
        self._changed()

    def reverse(self) -> None:
        super().reverse()
        self._changed()


@dataclass
class Ballot:
    """One vote as cast. `vote` is None for a withdrawal of the voter's earlier vote."""

    voter: str
    vote: Vote | None
    cast_at: DateTime
    note: str = ""
    justification: str = ""
    source: str = "live"

    @property
    def withdrawn(self) -> bool:
        return self.vote is None


@dataclass
class LogEntry:
    at: DateTime
    action: str
    detail: str = ""


@dataclass
class Session:
    """A vote in progress or done. Mutations go through methods so each one is logged."""

    proposal: Proposal
    roster: list[Member] = field(default_factory=list)
    ballots: list[Ballot] = field(default_factory=list)
    log: list[LogEntry] = field(default_factory=list)
    revision: int = field(default=0, compare=False)
    """Sequence number of the last change the store has made durable (its journal position)."""
    _latest: dict[str, Ballot] | None = field(default=None, init=False, repr=False, compare=False)
    _state: TallyState | None = field(default=None, init=False, repr=False, compare=False)
    """Running counts for the live tally, valid for `_state_key` (the roster object and _EPOCH)."""
    _state_key: tuple[object, int] | None = field(default=None, init=False, repr=False, compare=False)
    """Each voter's latest ballot, kept up to date on record so a tally need not rescan history."""

    @classmethod
    def new(cls, proposal: Proposal, shared_roster: list[Member], at: DateTime | None = None) -> Session:
        """Start a session with a snapshot (deep copy) of the shared roster."""
        session = cls(proposal, copy.deepcopy(shared_roster))
        session.append_log(
            "create", f"created {proposal.title!r} with {len(shared_roster)} roster members", at
        )
        return session

    @property
    def rule(self) -> Rule:
        return self.proposal.rule_obj

    @property
    def is_closed(self) -> bool:
        return self.proposal.status is Status.CLOSED

    def latest(self) -> dict[str, Ballot]:
        """Each voter's latest ballot (withdrawals included), in the order voters first voted."""
        if self._latest is None:
            self._latest = latest_ballots(self.ballots)
        return self._latest

    def tally(self, rule: Rule | None = None) -> Tally:
        """The tally as it stands: O(1) per ballot recorded since the roster last changed."""
        roster = self.roster
        if type(roster) is not RosterList:
            self.roster = roster = RosterList(roster)
        key = (roster, _EPOCH[0])
        state = self._state
        if (
            state is None
            or self._state_key is None
            or self._state_key[0] is not roster
            or self._state_key[1] != key[1]
        ):
            state = self._state = TallyState(self.latest(), roster)
            self._state_key = key
        return state.tally(rule or self.rule, self.latest(), roster)

    def member(self, voter: str) -> Member | None:
        for member in self.roster:
            if member.id == voter:
                return member
        return None

    def display_name(self, voter: str) -> str:
        member = self.member(voter)
        return member.name if member else voter

    def current_votes(self) -> dict[str, Ballot]:
        """Latest non-withdrawn ballot of each voter."""
        return {v: b for v, b in self.latest().items() if b.vote is not None}

    def history(self, voter: str) -> list[Ballot]:
        return [b for b in self.ballots if b.voter == voter]

    def add_ballot(self, ballot: Ballot) -> None:
        """Append a ballot as cast (no checks, no log): for loading and replaying a journal."""
        self.ballots.append(ballot)
        if self._latest is None:
            self._state = None
            return
        old = self._latest.get(ballot.voter)
        self._latest[ballot.voter] = ballot
        if self._state is not None:
            self._state.replace(old, ballot)

    def drop_ballots_at(self, positions: list[int]) -> None:
        """Remove ballots by position (no checks, no log): for undo and replaying a journal."""
        for index in sorted(positions, reverse=True):
            del self.ballots[index]
        self._latest = None
        self._state = None

    def append_log(self, action: str, detail: str = "", at: DateTime | None = None) -> LogEntry:
        entry = LogEntry(at or now(), action, detail)
        self.log.append(entry)
        return entry

    def record(
        self,
        voter: str,
        vote: Vote | None,
        *,
        note: str = "",
        justification: str = "",
        source: str = "live",
        at: DateTime | None = None,
    ) -> Ballot:
        """Record a ballot (or a withdrawal when `vote` is None); earlier ones stay in history."""
        voter = voter.strip()
        if not voter:
            raise ValueError("a ballot needs a voter name")
        if self.is_closed:
            raise ValueError("the vote is closed; reopen it to record ballots")
        ballot = Ballot(voter, vote, at or now(), note, justification, source)
        self.add_ballot(ballot)
        self.append_log(
            "withdraw" if vote is None else "ballot", describe_ballot(self, ballot), ballot.cast_at
        )
        return ballot

    def import_ballots(self, ballots: list[Ballot], description: str, at: DateTime | None = None) -> None:
        """Add ballots taken from a vote thread, as one change with one entry in the log."""
        if self.is_closed:
            raise ValueError("the vote is closed; reopen it to record ballots")
        for ballot in ballots:
            self.add_ballot(ballot)
        voters = ", ".join(
            f"{self.display_name(b.voter)} {b.vote.text if b.vote else 'withdrawn'}" for b in ballots
        )
        self.append_log("import", f"imported {len(ballots)} ballots from {description}: {voters}", at)

    def early_close_reasons(self, at: DateTime) -> list[str]:
        """Why closing at `at` needs a confirmation and a reason (empty when it does not)."""
        p = self.proposal
        reasons = []
        if at < p.closes_at:
            reasons.append(f"the vote window runs until {p.closes_at.in_timezone('UTC'):%Y-%m-%d %H:%M} UTC")
        if (at - p.opens_at).total_seconds() < MIN_WINDOW_HOURS * 3600:
            reasons.append(f"the vote has been open less than {MIN_WINDOW_HOURS} hours")
        return reasons

    def close(self, at: DateTime, reason: str = "") -> None:
        """Close the vote; closing early needs a reason, which goes into the log."""
        if self.is_closed:
            raise ValueError("the vote is already closed")
        early = self.early_close_reasons(at)
        if early and not reason.strip():
            raise ValueError(f"closing now needs a reason: {'; and '.join(early)}")
        self.proposal.status = Status.CLOSED
        self.proposal.closed_at = at
        result = "passed" if self.tally().passes else "failed"
        detail = f"closed; the vote {result} ({self.tally().binding.short()} binding)"
        if early:
            detail += f"; closed early ({'; '.join(early)}); reason: {reason.strip()}"
        self.append_log("close", detail, at)

    def reopen(self, at: DateTime, reason: str) -> None:
        if not self.is_closed:
            raise ValueError("the vote is not closed")
        if not reason.strip():
            raise ValueError("reopening a closed vote needs a reason")
        self.proposal.status = Status.OPEN
        self.proposal.closed_at = None
        self.append_log("reopen", f"reopened; reason: {reason.strip()}", at)

    def undo_ballots(self, ballots: list[Ballot]) -> list[int]:
        """Take back ballots recorded by mistake (one undo step); the log keeps a record of both.

        Returns the positions they had, for the store's journal."""
        if self.is_closed:
            raise ValueError("the vote is closed; reopen it to change ballots")
        positions = [next(i for i, b in enumerate(self.ballots) if b is ballot) for ballot in ballots]
        self.drop_ballots_at(positions)
        what = "; ".join(describe_ballot(self, b) for b in ballots)
        self.append_log("undo", f"took back: {what}")
        return positions

    def undo_ballot(self, ballot: Ballot) -> None:
        self.undo_ballots([ballot])


def describe_ballot(session: Session, ballot: Ballot) -> str:
    member = session.member(ballot.voter)
    who = f"{member.name} ({member.id})" if member else f"{ballot.voter} (not on roster)"
    if ballot.vote is None:
        return f"{who} withdrew their vote"
    text = f"{who} voted {ballot.vote.text}"
    if ballot.note:
        text += f"; note: {ballot.note}"
    if ballot.justification:
        text += f"; justification: {ballot.justification}"
    return text


__all__ = [
    "SCHEMA_VERSION",
    "Ballot",
    "Counted",
    "Kind",
    "LogEntry",
    "Member",
    "Proposal",
    "Session",
    "Status",
]

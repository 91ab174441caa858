"""From a thread's text to proposed ballots for review; nothing is recorded here."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pendulum import DateTime

from tvm_vote_tui.domain.model import Ballot, Session
from tvm_vote_tui.domain.rules import binding_ids
from tvm_vote_tui.domain.votes import Vote
from tvm_vote_tui.votethread.authors import match_author
from tvm_vote_tui.votethread.ballot_lines import find_vote
from tvm_vote_tui.votethread.posts import Post, split


@dataclass
class Proposed:
    """One author's vote as found in the thread (their latest message with a vote)."""

    author: str
    voter: str
    """Roster id when matched, else the author as written (a free, non-binding name)."""
    matched_by: str
    vote: Vote | None
    binding: bool
    claim: bool | None
    line: str
    date: DateTime | None
    message: int
    reasons: list[str] = field(default_factory=list)
    candidates: tuple[str, ...] = ()
    recorded: Ballot | None = None
    """The voter's ballot already in the session, shown beside this one."""
    history: list[Proposed] = field(default_factory=list)
    """Earlier votes of the same author in the thread (the latest wins)."""

    @property
    def needs_review(self) -> bool:
        return bool(self.reasons)

    @property
    def newer_than_recorded(self) -> bool:
        if self.recorded is None or self.recorded.vote is None:
            return True
        return self.date is not None and self.date > self.recorded.cast_at

    @property
    def changes_anything(self) -> bool:
        recorded = self.recorded
        return (
            recorded is None
            or recorded.vote is None
            or self.vote is None
            or recorded.vote.text != self.vote.text
        )

    @property
    def clear(self) -> bool:
        """Safe to record without a person: no doubts, newer than what is recorded, and a change."""
        return (
            not self.needs_review
            and self.vote is not None
            and self.newer_than_recorded
            and self.changes_anything
        )

    @property
    def why(self) -> list[str]:
        """Everything that keeps this from being recorded without a person's say."""
        why = list(self.reasons)
        if self.vote is None:
            why.append("no vote found")
        if self.recorded is not None and self.recorded.vote is not None:
            if not self.changes_anything:
                why.append(f"same as the recorded vote ({self.recorded.vote.text})")
            elif not self.newer_than_recorded:
                when = "undated" if self.date is None else "older than"
                why.append(f"{when} the recorded vote ({self.recorded.vote.text}); the later one wins")
        return why

    def as_json(self) -> dict[str, Any]:
        return {
            "author": self.author,
            "voter": self.voter,
            "matched_by": self.matched_by,
            "vote": self.vote.text if self.vote else None,
            "binding": self.binding,
            "claim": self.claim,
            "line": self.line,
            "date": self.date.isoformat() if self.date else None,
            "reasons": self.why,
            "candidates": list(self.candidates),
            "recorded": self.recorded.vote.text if self.recorded and self.recorded.vote else None,
            "clear": self.clear,
            "history": [h.vote.text for h in self.history if h.vote],
        }


@dataclass
class ThreadReport:
    messages: int
    proposed: list[Proposed]

    @property
    def clear(self) -> list[Proposed]:
        return [p for p in self.proposed if p.clear]

    @property
    def review(self) -> list[Proposed]:
        return [p for p in self.proposed if not p.clear]


def propose(text: str, session: Session, fmt: str = "auto") -> ThreadReport:
    """Read a thread and propose one ballot per author, flagged where a person must decide."""
    messages = split(text, fmt)
    binding = binding_ids(session.roster)
    latest = session.latest()
    by_voter: dict[str, Proposed] = {}
    for message in messages:
        proposed = _from_message(message, session, binding)
        if proposed is None:
            continue
        earlier = by_voter.get(proposed.voter)
        if earlier is not None:
            proposed.history = [*earlier.history, earlier]
            earlier.history = []
        proposed.recorded = latest.get(proposed.voter)
        by_voter[proposed.voter] = proposed
    return ThreadReport(len(messages), list(by_voter.values()))


def _from_message(message: Post, session: Session, binding: set[str]) -> Proposed | None:
    found = find_vote(message.lines)
    if found.vote is None and not found.reasons:
        return None
    match = match_author(message, session.roster)
    reasons = list(found.reasons)
    voter = match.member.id if match.member else message.voter_name
    is_binding = voter in binding
    if match.member is None:
        hint = f"; closest: {', '.join(match.candidates)}" if match.candidates else ""
        reasons.append(f"author {message.author} is not on the roster{hint}")
    if found.claim is True and not is_binding:
        reasons.append("says (binding) but the roster does not list them as binding")
    if found.claim is False and is_binding:
        reasons.append("says (non-binding) but the roster lists them as binding")
    return Proposed(
        author=message.author,
        voter=voter,
        matched_by=match.how,
        vote=found.vote,
        binding=is_binding,
        claim=found.claim,
        line=found.line,
        date=message.date,
        message=message.index,
        reasons=reasons,
        candidates=match.candidates,
    )

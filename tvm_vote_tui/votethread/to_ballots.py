"""Turning accepted proposals into ballots: source 'thread', the quoted line in the note."""

from __future__ import annotations

from pendulum import DateTime

from tvm_vote_tui.domain.model import Ballot
from tvm_vote_tui.votethread.proposals import Proposed


def to_ballot(proposed: Proposed, now: DateTime) -> Ballot:
    """A ballot cast when the message was written (or now, if its date could not be read)."""
    assert proposed.vote is not None, "only proposals with a vote become ballots"
    line = " ".join(proposed.line.split())
    return Ballot(
        voter=proposed.voter,
        vote=proposed.vote,
        cast_at=(proposed.date or now).replace(microsecond=0),
        note=f'from thread ({proposed.author}): "{line}"',
        source="thread",
    )


def describe(proposed: Proposed, name: str) -> str:
    vote = proposed.vote.text if proposed.vote else "no vote"
    who = f"{proposed.voter} ({name})" if name and name != proposed.voter else proposed.voter
    binding = "binding" if proposed.binding else "non-binding"
    how = f"matched by {proposed.matched_by}" if proposed.matched_by else "not matched"
    return f"{who} {vote} {binding}, {how}: {proposed.line!r}"

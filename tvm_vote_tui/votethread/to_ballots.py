"""Turning accepted proposals into ballots: source 'thread', the quoted line in the note."""

from __future__ import annotations

from pendulum import DateTime

from tvm_vote_tui.domain.model import Ballot
from tvm_vote_tui.domain.text import one_line
from tvm_vote_tui.domain.votes import Counted
from tvm_vote_tui.votethread.proposals import Proposed, thread_note


def to_ballot(proposed: Proposed, now: DateTime) -> Ballot:
    """A ballot cast when the post was written; when the thread gives no time (only the day, or
    nothing), the time it is recorded, with the day in the note, never an invented midnight; a
    time reckoned from a pasted page's "5 minutes ago" is kept, marked approximate in the note.

    The note quotes the author and the line on one line, control characters made visible, so a
    hostile name or line is kept as evidence but can never reach a terminal raw. A -1 keeps the
    author's own words as its reasons (the justification, which a veto needs); any other vote
    keeps them in the note, after the quoted line."""
    assert proposed.vote is not None, "only proposals with a vote become ballots"
    note = thread_note(proposed.author, proposed.line)
    cast_at = proposed.date
    if proposed.approx and proposed.date is not None:
        note += f" (time approximate: the page said {proposed.approx!r} when it was pasted)"
    elif proposed.day_only and proposed.date is not None:
        note += f" (posted {proposed.date.format('MMM D, YYYY')}, no time given)"
        cast_at = None
    against = proposed.vote.counted is Counted.MINUS
    if proposed.reasoning and not against:
        note += f": {proposed.reasoning}"
    return Ballot(
        voter=proposed.voter,
        vote=proposed.vote,
        cast_at=(cast_at or now).replace(microsecond=0),
        note=one_line(note),
        justification=proposed.reasoning if against else "",
        source="thread",
    )


def describe(proposed: Proposed, name: str) -> str:
    if proposed.skipped:
        return f"{proposed.author}: {proposed.line!r}"
    vote = proposed.vote.text if proposed.vote else "no vote"
    who = f"{proposed.voter} ({name})" if name and name != proposed.voter else proposed.voter
    binding = "binding" if proposed.binding else "non-binding"
    how = f"matched by {proposed.matched_by}" if proposed.matched_by else "not matched"
    if proposed.suggested and not proposed.matched_by:
        how += f", a guest unless you pick {proposed.suggested}"
    return f"{who} {vote} {binding}, {how}: {proposed.line!r}"

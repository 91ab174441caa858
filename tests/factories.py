"""Small builders for sessions used across tests."""

from __future__ import annotations

from datetime import timedelta

import pendulum

from tvm_vote_tui.domain.model import Kind, Member, Proposal, Session
from tvm_vote_tui.domain.votes import parse_vote

T0 = pendulum.datetime(2026, 11, 24, 17, 0, tz="UTC")


def roster(binding: int = 5, *, non_binding: int = 0, recused: tuple[str, ...] = ()) -> list[Member]:
    members = [
        Member(f"m{i}", f"Member {i}", f"m{i}@apache.org", recused=f"m{i}" in recused) for i in range(binding)
    ]
    members += [
        Member(f"c{i}", f"Committer {i}", binding=False, recused=f"c{i}" in recused)
        for i in range(non_binding)
    ]
    return members


def session(
    votes: list[tuple[str, str]] | None = None,
    *,
    members: list[Member] | None = None,
    rule: str = "lazy-two-thirds",
    kind: Kind = Kind.STRATEGY,
    title: str = "Adopt the new codebase",
    opens_at: pendulum.DateTime = T0,
) -> Session:
    """A vote open for a week from `opens_at`, each of `votes` a minute after the one before."""
    proposal = Proposal(
        title,
        kind,
        rule,
        "We discussed it.",
        ("https://github.com/apache/tvm/issues/1",),
        opens_at,
        opens_at + timedelta(days=7),
    )
    s = Session.new(proposal, members if members is not None else roster(), at=opens_at)
    s.open_vote(opens_at, at=opens_at)
    s.revision = 0  # as a file written once it opened holds it: no journal entry behind it yet
    for minute, (voter, vote) in enumerate(votes or []):
        s.record(voter, parse_vote(vote), at=opens_at + timedelta(minutes=minute + 1))
    return s


def with_handles(session: Session) -> Session:
    """`session` with a GitHub handle for every member who has none: their id, as a roster holds
    once the manager confirmed each handle (a login equal to an id is no proof by itself)."""
    from dataclasses import replace

    members = [replace(m, github=m.github or m.id) for m in session.roster]
    opens_at = session.opened_window[0]
    fresh = Session.new(session.proposal, members, at=opens_at)
    fresh.open_vote(opens_at, thread=session.proposal.thread, at=opens_at)  # open as `session` is
    fresh.revision = 0
    for ballot in session.ballots:
        fresh.record(ballot.voter, ballot.vote, note=ballot.note, source=ballot.source, at=ballot.cast_at)
    return fresh


def sample_with_handles(ballots: int | None = 0) -> Session:
    """The demo vote, its roster knowing every member's GitHub handle (see with_handles)."""
    from tvm_vote_tui.demo import sample_session

    return with_handles(sample_session(ballots=ballots))

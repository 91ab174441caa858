"""A realistic sample vote (fictional people) for screenshots, tests and benchmarks, and the sample a
first start offers to explore."""

from __future__ import annotations

from dataclasses import replace

import pendulum
from pendulum import DateTime

from tvm_vote_tui.domain.model import Kind, Member, Proposal, Session
from tvm_vote_tui.domain.votes import parse_vote

OPENS_AT = pendulum.datetime(2026, 11, 24, 17, 0, tz="UTC")

PMC = [
    ("ada", "Ada Lindqvist", "ada-l"),
    ("baonguyen", "Bao Nguyen", ""),
    ("chenwei", "Chen Wei", "cwei"),
    ("dorlov", "Dmitri Orlov", ""),
    ("elif", "Elif Kaya", ""),
    ("farah", "Farah Haddad", "fhaddad"),
    ("gruiz", "Gustavo Ruiz", ""),
    ("hsato", "Hana Sato", ""),
    ("ipetrov", "Ivan Petrov", ""),
    ("jiali", "Jia Li", "lijia"),
    ("kofi", "Kofi Mensah", ""),
    ("lena", "Lena Müller", ""),
    ("mrossi", "Mateo Rossi", ""),
    ("noor", "Noor Rahman", ""),
    ("olu", "Olu Adeyemi", ""),
]
COMMITTERS = [("priya", "Priya Nair", ""), ("qmoreau", "Quentin Moreau", "")]

BALLOTS = [
    ("ada", "+1", ""),
    ("chenwei", "+1", ""),
    ("priya", "+1", "excited to see this land"),
    ("dorlov", "-1", "prefer to keep it in the main repo for now"),
    ("farah", "+1", ""),
    ("hsato", "+1", ""),
    ("Ren Takahashi", "+1", "user, non-binding"),
    ("ipetrov", "0", ""),
    ("jiali", "+1", ""),
    ("kofi", "+1", ""),
    ("dorlov", "+0.5", "changed after the meeting discussion"),
    ("mrossi", "+1", ""),
    ("qmoreau", "-1", ""),
    ("noor", "+1", ""),
    ("elif", "-1", "maintenance cost"),
]


def roster() -> list[Member]:
    members = [Member(i, n, f"{i}@apache.org", True, g) for i, n, g in PMC]
    members += [Member(i, n, f"{i}@apache.org", False, g) for i, n, g in COMMITTERS]
    return members


def proposal(opens_at: DateTime = OPENS_AT) -> Proposal:
    return Proposal(
        title="Establish the TVM FFI module",
        kind=Kind.NEW_MODULE,
        rule="lazy-two-thirds",
        summary=(
            "The community discussed splitting the FFI layer into its own module at the "
            "November community meeting and in the forum thread below. Concerns about "
            "maintenance cost were addressed by a shared ownership plan."
        ),
        links=(
            "https://discuss.tvm.apache.org/t/rfc-tvm-ffi-module/18001",
            "https://github.com/apache/tvm/issues/18012",
        ),
        opens_at=opens_at,
        closes_at=opens_at.add(days=7),
    )


def sample_session(ballots: int | None = None, *, opens_at: DateTime = OPENS_AT) -> Session:
    """The sample vote; `ballots` limits how many of the sample ballots are cast. It opens on
    Nov 24, 2026 unless told otherwise, and runs 7 days."""
    session = Session.new(proposal(opens_at), roster(), at=opens_at)
    session.open_vote(opens_at, venue="now, called in a meeting", at=opens_at)
    for minute, (voter, vote, note) in enumerate(BALLOTS[:ballots]):
        session.record(voter, parse_vote(vote), note=note, at=opens_at.add(hours=1, minutes=minute))
    return session


SAMPLE_TITLE = "Sample vote (fictional people): Establish the TVM FFI module"


def sample_to_explore(now: DateTime) -> Session:
    """The vote a first start offers: open for an hour, ten of the sample ballots cast, the rest to
    record. Clearly a sample (its title and its first log line say so) and its own file."""
    opens_at = now.subtract(hours=1).replace(microsecond=0)
    session = Session.new(replace(proposal(opens_at), title=SAMPLE_TITLE), roster(), at=opens_at)
    session.open_vote(opens_at, venue="now: a sample to explore", at=opens_at)
    for minute, (voter, vote, note) in enumerate(BALLOTS[:10]):
        session.record(voter, parse_vote(vote), note=note, at=opens_at.add(minutes=5 + minute))
    return session

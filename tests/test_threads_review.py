"""The review kept across reads of a followed thread (no Textual): only what is new since the last
read is added, the manager's decisions stay, and an import can be told apart from its undo."""

from __future__ import annotations

from pendulum import DateTime

from tests.factories import sample_with_handles
from tvm_vote_tui.demo import OPENS_AT
from tvm_vote_tui.domain.model import Session
from tvm_vote_tui.votethread.posts import Post
from tvm_vote_tui.votethread.proposals import ThreadReport, propose_posts
from tvm_vote_tui.votethread.review import Review, recorded_last, still_recorded
from tvm_vote_tui.votethread.to_ballots import to_ballot

AT = OPENS_AT.add(days=3)


def comment(key: str, handle: str, body: str, hours: int, edited: DateTime | None = None) -> Post:
    return Post(
        int(key),
        handle=handle,
        date=OPENS_AT.add(hours=hours),
        lines=body.splitlines(),
        key=key,
        edited_at=edited,
    )


OPENING = Post(
    0, handle="mrossi", date=OPENS_AT, lines=["+1 = approve", "-1 = disapprove"], opening=True, key="issue"
)


def report(session: Session, *posts: Post) -> ThreadReport:
    return propose_posts([OPENING, *posts], session, AT)


def test_a_read_adds_only_what_is_new_and_keeps_decisions() -> None:
    session = sample_with_handles()
    review = Review()
    review.load(
        report(session, comment("1", "ada-l", "+1", 1), comment("2", "cwei", "+1", 2)), "apache/tvm#1"
    )
    assert [(r.proposed.voter, r.accepted) for r in review.rows] == [("ada", True), ("chenwei", True)]
    review.rows[1].accepted = False  # the manager skips Chen Wei for now
    review.remove([review.rows[0]])  # and drops Ada's row
    again = report(
        session, comment("1", "ada-l", "+1", 1), comment("2", "cwei", "+1", 2), comment("3", "noor", "+1", 3)
    )
    added = review.merge(again)
    assert [r.proposed.voter for r in added] == ["noor"] and added[0].new
    assert [(r.proposed.voter, r.accepted) for r in review.rows] == [("chenwei", False), ("noor", True)]
    assert review.merge(again) == [] and not any(r.new for r in review.rows)


def test_an_edited_comment_or_a_second_vote_replaces_the_voters_row() -> None:
    session = sample_with_handles()
    review = Review()
    review.load(report(session, comment("2", "cwei", "+1", 2)), "apache/tvm#1")
    edited = comment("2", "cwei", "-1", 2, edited=OPENS_AT.add(hours=30))
    [row] = review.merge(report(session, edited))
    assert (row.proposed.voter, row.proposed.vote.text if row.proposed.vote else None) == ("chenwei", "-1")
    assert len(review.rows) == 1
    [row] = review.merge(report(session, edited, comment("4", "cwei", "+0.5", 40)))
    assert row.proposed.vote is not None and row.proposed.vote.text == "+0.5" and len(review.rows) == 1


def test_an_import_is_seen_recorded_and_then_undone() -> None:
    session = sample_with_handles()
    review = Review()
    review.load(
        report(session, comment("1", "ada-l", "+1", 1), comment("2", "cwei", "+1", 2)), "apache/tvm#1"
    )
    ballots = tuple(to_ballot(row.proposed, AT) for row in review.accepted())
    assert not recorded_last(session, ballots)
    recorded = session.import_ballots(ballots, "thread", AT)
    assert recorded_last(session, ballots) and still_recorded(session, ballots, 100)
    review.refresh(session)
    assert all(row.proposed.recorded is not None for row in review.rows)
    session.undo(recorded, AT)
    assert not still_recorded(session, ballots, 100)

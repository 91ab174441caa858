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


def keys(*posts: Post) -> set[str]:
    return {"issue", *(p.key for p in posts)}


def test_a_ballot_whose_post_is_deleted_between_reads_is_flagged_not_recorded() -> None:
    session = sample_with_handles()
    review = Review()
    ada, cwei = comment("1", "ada-l", "+1", 1), comment("2", "cwei", "+1", 2)
    review.load(report(session, ada, cwei), "apache/tvm#1")
    assert [r.accepted for r in review.rows] == [True, True]
    flagged = review.merge(report(session, cwei), keys(cwei))  # ada's comment was deleted
    [row] = flagged
    assert row.proposed.voter == "ada" and not row.accepted and row.new
    assert "its post was deleted since an earlier read: not a ballot any more" in row.proposed.why
    assert [r.proposed.voter for r in review.accepted()] == ["chenwei"]
    assert review.merge(report(session, cwei), keys(cwei)) == []  # said once


def test_a_ballot_edited_to_another_vote_or_to_none_between_reads_is_flagged() -> None:
    session = sample_with_handles()
    review = Review()
    ada, cwei = comment("1", "ada-l", "+1", 1), comment("2", "cwei", "+1", 2)
    review.load(report(session, ada, cwei), "apache/tvm#1")
    changed = comment("1", "ada-l", "-1", 1, edited=OPENS_AT.add(hours=5))
    unvoted = comment("2", "cwei", "Thanks all, I will test tomorrow.", 2, edited=OPENS_AT.add(hours=6))
    added = review.merge(report(session, changed, unvoted), keys(changed, unvoted))
    by_voter = {row.proposed.voter: row for row in added}
    assert not by_voter["ada"].accepted and by_voter["ada"].proposed.vote is not None
    assert "its post was edited between reads: it said +1, now -1" in by_voter["ada"].proposed.why
    assert not by_voter["chenwei"].accepted
    assert "its post no longer holds a vote (edited) since an earlier read" in "; ".join(
        by_voter["chenwei"].proposed.why
    )
    assert review.accepted() == []


def test_a_recorded_ballot_whose_post_vanishes_is_reported() -> None:
    session = sample_with_handles()
    review = Review()
    ada, cwei = comment("1", "ada-l", "+1", 1), comment("2", "cwei", "+1", 2)
    review.load(report(session, ada, cwei), "apache/tvm#1")
    review.mark_recorded([review.rows[0]])  # ada's +1 was recorded (ctrl+s)
    assert [r.proposed.voter for r in review.rows] == ["chenwei"]
    [notice] = review.merge(report(session, cwei), keys(cwei))
    assert notice.proposed.voter == "ada" and not notice.acceptable and notice.new
    assert notice.proposed.skipped.startswith("its post was deleted after its ballot (+1) was recorded")
    # Edited to another vote after it was recorded: the new vote is flagged, never taken as read.
    review = Review()
    review.load(report(session, ada), "apache/tvm#1")
    [original] = review.rows
    review.mark_recorded([original])
    changed = comment("1", "ada-l", "-1", 1, edited=OPENS_AT.add(hours=5))
    [row] = review.merge(report(session, changed), keys(changed))
    assert not row.accepted
    assert "it said +1 (that vote is recorded), now -1" in "; ".join(row.proposed.why)
    review.restore([original])  # the import was undone: its row is back, no longer watched as recorded
    assert review.recorded == [] and any(r is original for r in review.rows)

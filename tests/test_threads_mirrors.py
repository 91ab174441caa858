"""One thread from both venues (votethread/mirrors.py, no network): a mail-bridge post on GitHub is
matched to its mail by time and words and counted once, by the mail's sender; a GitHub
notification on dev@ is matched to its comment; a ballot cast in both places is not doubled; what
cannot be matched stays in review, saying why."""

from __future__ import annotations

from pendulum import DateTime

from tvm_vote_tui.demo import OPENS_AT, sample_session
from tvm_vote_tui.votethread.mirrors import one_timeline, said
from tvm_vote_tui.votethread.posts import Post
from tvm_vote_tui.votethread.proposals import propose_posts

AT = OPENS_AT.add(days=3)
BRIDGES = ("tvm-archiver",)
QUOTE = ["", "On Tue, Nov 24, 2026 at 5:00 PM Mateo Rossi <mrossi@apache.org> wrote:", "> [VOTE] ..."]


def at(minutes: float) -> DateTime:
    return OPENS_AT.add(seconds=int(minutes * 60))


def comment(handle: str, body: str, minutes: float, key: str) -> Post:
    return Post(0, handle=handle, date=at(minutes), lines=body.splitlines() + QUOTE, key=key)


def mail(sender: str, address: str, body: str, minutes: float, key: str) -> Post:
    return Post(0, name=sender, email=address, date=at(minutes), lines=body.splitlines() + QUOTE, key=key)


OPENING = Post(
    0, handle="mrossi", date=OPENS_AT, lines=["[VOTE] Release", "+1 = approve"], opening=True, key="issue"
)


def tally(posts: list[Post]) -> dict[str, str]:
    report = propose_posts(posts, sample_session(ballots=0), AT)
    return {p.voter: p.vote.text for p in report.clear if p.vote}


def test_a_bridge_post_counts_once_by_the_mails_sender() -> None:
    bao = mail("Bao Nguyen", "baonguyen@apache.org", "+1 (binding)", 60, "<bao@x>")
    bridge = comment("tvm-archiver", "+1 (binding)", 61.5, "101")
    timeline = one_timeline([OPENING, bridge], [bao], BRIDGES)
    assert [m.mirror for m in timeline.mirrored] == [bridge] and timeline.unmatched == []
    assert bridge not in timeline.posts and bao in timeline.posts
    assert [p.index for p in timeline.posts] == list(range(len(timeline.posts)))
    assert tally(timeline.posts) == {"baonguyen": "+1"}
    assert "@tvm-archiver's comment of" in timeline.mirrored[0].describe()


def test_a_ballot_cast_in_both_places_is_not_doubled() -> None:
    on_github = comment("ada-l", "+1", 30, "1")
    by_mail = mail("Ada Lindqvist", "ada@apache.org", "+1, and again here for the list", 90, "<ada@x>")
    bridge = comment("tvm-archiver", "+1, and again here for the list", 90.5, "102")
    notified = mail(
        "Ada Lindqvist", "notifications@github.com", "+1\n\n—\nReply to this email directly", 30.4, "<n1>"
    )
    timeline = one_timeline([OPENING, on_github, bridge], [notified, by_mail], BRIDGES)
    assert {id(m.mirror) for m in timeline.mirrored} == {id(bridge), id(notified)}
    report = propose_posts(timeline.posts, sample_session(ballots=0), AT)
    [ada] = report.proposed
    assert ada.voter == "ada" and ada.clear and [h.vote.text for h in ada.history if h.vote] == ["+1"]


def test_a_notification_of_a_bridge_post_is_the_same_mail_a_third_time() -> None:
    lena = mail("Lena Müller", "lena@apache.org", "-1: license headers", 200, "<lena@x>")
    bridge = comment("tvm-archiver", "-1: license headers", 201, "103")
    echo = mail("tvm-archiver", "notifications@github.com", "-1: license headers\n\n—\nReply", 201.3, "<n2>")
    timeline = one_timeline([OPENING, bridge], [lena, echo], BRIDGES)
    assert len(timeline.mirrored) == 2 and [p for p in timeline.posts if not p.opening] == [lena]
    assert all(m.original is lena for m in timeline.mirrored)
    assert tally(timeline.posts) == {"lena": "-1"}


def test_what_cannot_be_matched_stays_in_review_saying_why() -> None:
    early = mail("Bao Nguyen", "baonguyen@apache.org", "+1", 0, "<bao@x>")
    late_bridge = comment("tvm-archiver", "+1", 60 * 5, "104")  # five hours after: another mail
    other_words = comment("tvm-archiver", "+1, tested on Windows", 1, "105")
    undated = Post(0, handle="tvm-archiver", date=None, lines=["+1"], key="106")
    timeline = one_timeline([OPENING, late_bridge, other_words, undated], [early], BRIDGES)
    assert timeline.mirrored == [] and len(timeline.unmatched) == 3
    assert "no mail in the dev@ thread has the same words in the two hours before it" in late_bridge.suspect
    assert "it has no date to match its mail by" in undated.suspect
    report = propose_posts(timeline.posts, sample_session(ballots=0), AT)
    bridge = next(p for p in report.proposed if p.voter == "tvm-archiver")
    assert not bridge.clear and any("posted by the mail bridge (@tvm-archiver)" in r for r in bridge.why)
    # Read without the dev@ thread, a bridge post says how to count it.
    alone = comment("tvm-archiver", "+1", 60, "107")
    one_timeline([OPENING, alone], None, BRIDGES)
    assert alone.suspect.endswith("read the dev@ thread too (--list) to count it by its mail")


def test_two_identical_mails_match_two_bridge_posts_one_to_one() -> None:
    first = mail("Bao Nguyen", "baonguyen@apache.org", "+1", 10, "<a>")
    second = mail("Elif Kaya", "elif@apache.org", "+1", 12, "<b>")
    posts = [comment("tvm-archiver", "+1", 11, "201"), comment("tvm-archiver", "+1", 13, "202")]
    third = comment("tvm-archiver", "+1", 14, "203")  # a third copy of two mails: one too many
    timeline = one_timeline([OPENING, *posts, third], [first, second], BRIDGES)
    assert {id(m.mirror) for m in timeline.mirrored} == {id(p) for p in posts}
    assert {id(m.original) for m in timeline.mirrored} == {id(first), id(second)}
    assert timeline.unmatched == [third]
    assert tally(timeline.posts) == {"baonguyen": "+1", "elif": "+1"}


def test_a_configured_bridge_account_and_words_compared_loosely() -> None:
    by_mail = mail("Jia Li", "jiali@apache.org", "+1   (binding)\n\nJia\n-- \nsent from a phone", 40, "<j>")
    bridge = comment("Dev-Bridge", "+1 (BINDING)\nJia", 41, "301")
    assert said(by_mail) == said(bridge) == "+1 (binding) jia"
    assert one_timeline([OPENING, bridge], [by_mail], ["dev-bridge"]).mirrored
    untouched = comment("Dev-Bridge", "+1 (BINDING)\nJia", 41, "302")
    assert not one_timeline([OPENING, untouched], [by_mail], BRIDGES).mirrored  # not a bridge by default

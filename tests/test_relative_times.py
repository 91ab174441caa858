"""A pasted GitHub page of a live vote says "5 minutes ago", "yesterday": such posts are dated from
when the page was pasted, marked approximate, and compared as the span of time they may mean."""

from __future__ import annotations

import pendulum
import pytest

from tests.factories import sample_with_handles
from tvm_vote_tui.demo import OPENS_AT
from tvm_vote_tui.domain.votes import parse_vote
from tvm_vote_tui.votethread.github_page import relative_date, split_github_page
from tvm_vote_tui.votethread.proposals import propose
from tvm_vote_tui.votethread.to_ballots import to_ballot

PASTED = OPENS_AT.add(days=2, hours=3)  # Nov 26 20:00 UTC, inside the sample vote's window
MINUTE, HOUR, DAY = 1 / 60, 1.0, 24.0


@pytest.mark.parametrize(
    ("text", "back", "slack"),
    [
        ("just now", {}, (MINUTE, 0.0)),
        ("now", {}, (MINUTE, 0.0)),
        ("30 seconds ago", {"seconds": 30}, (1 / 3600, 0.5 / 3600)),
        ("a minute ago", {"minutes": 1}, (MINUTE, MINUTE / 2)),
        ("5 minutes ago", {"minutes": 5}, (MINUTE, MINUTE / 2)),
        ("an hour ago", {"hours": 1}, (HOUR, HOUR / 2)),
        ("2 hours ago", {"hours": 2}, (HOUR, HOUR / 2)),
        ("today", {}, (DAY, 0.0)),
        ("yesterday", {"days": 1}, (DAY, DAY / 2)),
        ("3 days ago", {"days": 3}, (DAY, DAY / 2)),
        ("last week", {"days": 7}, (7 * DAY, 3.5 * DAY)),
        ("2 weeks ago", {"days": 14}, (7 * DAY, 3.5 * DAY)),
        ("last month", {"days": 31}, (31 * DAY, 15.5 * DAY)),
        ("a year ago", {"days": 366}, (366 * DAY, 183 * DAY)),
        ("Yesterday", {"days": 1}, (DAY, DAY / 2)),
    ],
)
def test_relative_times_are_reckoned_from_the_paste(text: str, back: dict[str, int], slack: tuple) -> None:
    found = relative_date(text, PASTED)
    assert found is not None
    date, (before, after) = found
    assert date == PASTED.subtract(**back)
    assert (before, after) == pytest.approx(slack)


@pytest.mark.parametrize("text", ["99999 years ago", "in 5 minutes", "5 minutes", "ago", "Nov 24, 2026"])
def test_other_text_is_no_relative_time(text: str) -> None:
    assert relative_date(text, PASTED) is None


PAGE = """\
kofi opened this issue 3 days ago

Please vote.

ada-l commented 2 hours ago

+1 (binding)

cwei commented 5 minutes ago

-1 (binding)

dorlov commented just now

+1
"""


def test_a_page_of_a_live_vote_is_dated_and_marked_approximate() -> None:
    posts = split_github_page(PAGE, PASTED)
    assert [p.approx for p in posts] == ["3 days ago", "2 hours ago", "5 minutes ago", "just now"]
    assert [p.date for p in posts] == [
        PASTED.subtract(days=3),
        PASTED.subtract(hours=2),
        PASTED.subtract(minutes=5),
        PASTED,
    ]
    assert not any(p.suspect for p in posts)  # dates that go forward, as GitHub's do
    got = {p.voter: p for p in propose(PAGE, sample_with_handles(), at=PASTED, pasted_at=PASTED).proposed}
    assert all(p.clear for p in got.values())
    cwei = got["chenwei"]
    assert cwei.approx == "5 minutes ago" and cwei.date == PASTED.subtract(minutes=5)
    ballot = to_ballot(cwei, PASTED.add(minutes=1))
    assert ballot.cast_at == PASTED.subtract(minutes=5)  # when the page says, not when recorded
    assert "time approximate" in ballot.note and "'5 minutes ago'" in ballot.note


def test_without_the_paste_time_such_posts_stay_undated() -> None:
    assert [p.date for p in split_github_page(PAGE)] == [None] * 4


def test_an_approximate_time_near_a_recorded_vote_is_never_called_later() -> None:
    session = sample_with_handles()
    session.record("chenwei", parse_vote("+1"), at=PASTED.subtract(minutes=5, seconds=20))
    got = {p.voter: p for p in propose(PAGE, session, at=PASTED, pasted_at=PASTED).proposed}
    cwei = got["chenwei"]
    assert not cwei.clear
    assert any("the page gives only '5 minutes ago'" in reason for reason in cwei.why), cwei.why
    session.record("dorlov", parse_vote("-1"), at=PASTED.subtract(hours=1))
    dorlov = {p.voter: p for p in propose(PAGE, session, at=PASTED, pasted_at=PASTED).proposed}["dorlov"]
    assert dorlov.clear  # 'just now' is after a vote recorded an hour before the paste


def test_relative_dates_going_backwards_are_still_caught() -> None:
    page = (
        "kofi opened this issue 3 days ago\n\nvote\n\n"
        "ada-l commented 2 hours ago\n\n+1\n\ncwei commented yesterday\n\n+1\n"
    )
    posts = split_github_page(page, PASTED)
    assert "dated 'yesterday', before the comment above ('2 hours ago')" in posts[2].suspect
    assert "after the comment below" in posts[1].suspect  # either one may be the forgery
    # Rounding differs between units: '23 hours ago' under 'yesterday' is not going backwards.
    page = "ada-l commented yesterday\n\n+1\n\ncwei commented 23 hours ago\n\n+1\n"
    assert not any(p.suspect for p in split_github_page(page, PASTED))


def test_a_relative_date_is_judged_against_the_window() -> None:
    early = PAGE.replace("ada-l commented 2 hours ago", "ada-l commented last week")
    got = {p.voter: p for p in propose(early, sample_with_handles(), at=PASTED, pasted_at=PASTED).proposed}
    assert any("before the vote opened" in reason for reason in got["ada"].why), got["ada"].why
    assert "last week on the page" in " ".join(got["ada"].why)


def test_the_api_route_keeps_exact_times() -> None:
    from tvm_vote_tui.votethread.posts import Post

    exact = pendulum.datetime(2026, 11, 26, 19, 54, 41)
    api = [Post(0, handle="cwei", date=exact, lines=["-1 (binding)"], verified=True, key="c1")]
    from tvm_vote_tui.votethread.api_check import check_against_api

    pasted = [p for p in split_github_page(PAGE, PASTED) if p.handle == "cwei"]
    checked = check_against_api(pasted, api, "apache/tvm#1").posts[0]
    assert (checked.date, checked.approx, checked.verified) == (exact, "", True)

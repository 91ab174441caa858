"""One post at a time: votes opened by punctuation, the announcement's legend, result posts."""

from __future__ import annotations

import pytest

from tvm_vote_tui.votethread.ballot_lines import find_vote
from tvm_vote_tui.votethread.posts import Post
from tvm_vote_tui.votethread.result_posts import result_reason


@pytest.mark.parametrize(
    ("body", "vote"),
    [
        ("+1. i checked", "+1"),
        ("+1. Great work @AndrewZhaoLuo !", "+1"),
        ("+1, LGTM", "+1"),
        ("+1!", "+1"),
        ("+1 - verified the checksums", "+1"),
        ("+1: built from source", "+1"),
        ("-1. The tarball lacks a license entry.", "-1"),
        ("+0.5. Mostly fine.", "+0.5"),
    ],
)
def test_a_vote_followed_by_punctuation_is_clear(body: str, vote: str) -> None:
    found = find_vote(body.splitlines())
    assert (found.vote.text if found.vote else None, found.reasons) == (vote, [])


@pytest.mark.parametrize("body", ["+1.5 for the idea", "1. First, the docs", "+10 for this"])
def test_numbers_that_only_look_like_votes(body: str) -> None:
    found = find_vote(body.splitlines())
    assert (found.vote, found.reasons) == (None, [])  # not a vote at all, so nothing to review


LEGENDS = [
    "+1 = approve\n0 = no opinion\n-1 = disapprove (provide reason)",
    "[ ] +1 approve\n[ ] 0 no opinion\n[ ] -1 disapprove",
    "+1 adopt the RFC\n0 no opinion\n- -1  because ...",
    "+1 Release this package as Apache TVM 0.19.0\n+0 No opinion\n-1 Do not release this package because ...",
    "Please vote by replying with your explicit +1, 0 or -1.",
    "-1 = disapprove (provide reason)",
    "- -1 because ...",
]


@pytest.mark.parametrize("legend", LEGENDS)
def test_the_announcements_legend_is_never_a_ballot(legend: str) -> None:
    body = f"Dear community,\n\nPlease vote:\n\n{legend}\n\nThanks,\nMateo"
    found = find_vote(body.splitlines(), opening=True)
    assert (found.vote, found.reasons) == (None, [])


def test_the_callers_own_vote_in_the_announcement_is_kept() -> None:
    body = "Please vote:\n\n+1 = approve\n0 = no opinion\n-1 = disapprove (provide reason)\n\n+1 (binding)"
    found = find_vote(body.splitlines(), opening=True)
    assert found.vote is not None and found.vote.text == "+1" and found.claim is True and not found.reasons


def test_a_legend_line_in_a_reply_is_shown_never_taken() -> None:
    found = find_vote(["+1 = approve"])
    assert found.vote is not None and found.vote.text == "+1"
    assert found.reasons and "ballot legend" in found.reasons[0]
    # Beside the voter's own line, the quoted legend is ignored.
    found = find_vote(["+1 = approve", "-1 = disapprove", "", "+1 (binding)"])
    assert (found.vote.text if found.vote else None, found.reasons) == ("+1", [])


def post(body: str, subject: str = "") -> Post:
    return Post(1, handle="mrossi", lines=body.splitlines(), subject=subject)


@pytest.mark.parametrize(
    ("body", "subject"),
    [
        ("Dear all,\n\n+1 tqchen (binding)\n-1 someone", "[RESULT][VOTE] Release Apache TVM v0.19.0.rc0"),
        ("Thanks everyone. The vote has passed with 5 binding +1 votes.", ""),
        ("The vote is now closed. Results:\n\n+1 elif (binding)\n+1 gruiz (binding)", ""),
        ("Thanks for voting!\n\n+1\n- tqchen\n- Hzfengsy\n\n0:\n-1:", ""),
        ("Here is the tally.\n\n+1: ada, cwei, hsato\n0: none\n-1: none", ""),
        ("Summary:\n\n+1 tqchen (binding)\n+1 junrushao (binding)\n+1 Hzfengsy", ""),
        ("[RESULT] The vote passes.", ""),
    ],
)
def test_result_posts_are_recognised(body: str, subject: str) -> None:
    assert result_reason(post(body, subject)).startswith("result post")


@pytest.mark.parametrize(
    "body",
    [
        "+1 (binding)",
        "+1: looks good to me",
        "+1 LGTM\n\nthanks for driving the release",
        "+1, I checked the signatures.\n\nThe vote thread says 72 hours; fine.",
        "-1 (binding)\n\nThe result of the build on ARM is a crash.",
    ],
)
def test_ballots_are_not_result_posts(body: str) -> None:
    assert result_reason(post(body, "Re: [VOTE] Release Apache TVM v0.19.0.rc0")) == ""

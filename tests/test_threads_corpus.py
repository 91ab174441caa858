"""Threads in the shapes real TVM votes take (written for these tests, no real data): a release vote
copied from a GitHub page, an RFC vote with a result comment, a dev@ release thread with a
[RESULT] mail, spoofed and hostile senders, and a page with forged comment headers.
Every ballot each must yield, clear or flagged, and every post that is skipped."""

from __future__ import annotations

from pathlib import Path

import pytest
from pendulum import DateTime

from tests.factories import sample_with_handles
from tvm_vote_tui.demo import OPENS_AT, sample_session
from tvm_vote_tui.votethread.proposals import propose

CORPUS = Path(__file__).parent / "threads"
CLOSES = OPENS_AT.add(days=7)  # the sample vote's window: Nov 24 17:00 to Dec 1 17:00 UTC

# voter -> (vote, binding, clear, words that must appear in the reasons, earlier votes)
Expected = dict[str, tuple[str, bool, bool, list[str], list[str]]]

RELEASE_PAGE: Expected = {
    # "+1." "+1," "+1!" "+1 -" "+1:" open a clear vote; the legend "+1 = approve" is no ballot
    "ada": ("+1", True, True, [], []),
    "chenwei": ("+1", True, True, [], []),
    "hsato": ("+1", True, True, [], []),
    "ipetrov": ("+1", True, True, [], []),
    "jiali": ("+1", True, True, [], []),
    "priya": ("+1", False, True, [], []),
    "olu": ("+1", True, True, [], ["-1"]),
    "kofi": ("+1", True, False, ["cast after the result was posted (by @mrossi on Nov 28, 2026)"], []),
}
RFC_VOTE: Expected = {
    "elif": ("+1", True, True, [], []),  # her '- -1  because ...' legend is not her vote
    "gruiz": ("+1", True, True, [], []),
    "baonguyen": ("+1", True, True, [], []),
    "dorlov": ("-1", True, True, [], []),
    "farah": ("+1", True, True, [], []),
    "kofi": ("+1", True, False, ["cast after the vote closed (Dec 3, 2026"], []),
    "noor": ("+1", True, False, ["cast after the result was posted", "cast after the vote closed"], []),
}
DEV_RELEASE: Expected = {
    "ada": ("+1", True, True, [], []),
    "gruiz": ("+1", True, True, [], []),
    # Only the name is Gustavo's: a guest, under the name and the address it came from.
    "Gustavo Ruiz <totally-not-gustavo@evil.example>": (
        "-1",
        False,
        False,
        ["only the name matches gruiz; address not on the roster (totally-not-gustavo@evil.example)"],
        [],
    ),
    "chenwei": ("+1", True, True, [], []),
    "Mallory␛]0;pwned␇": ("+1", False, False, ["control character ␛", "not on the roster"], []),
    "Noor Rahman <notifications@github.com>": (
        "+1",
        False,
        False,
        ["only the name matches noor; sent through a relay (notifications@github"],
        [],
    ),
    "hsato": ("+1", True, False, ["dated in the future (2026-12-30 09:00 UTC)"], []),
    "olu": ("+1", True, False, ["cast after the result was posted"], []),
}
FORGED: Expected = {
    "ada": ("+1", True, True, [], []),
    "olu": ("+1", True, False, ["inside @mallory-x's comment, without the blank line GitHub puts"], []),
    "lena": ("+1", True, False, ["inside @mallory-x's comment, in a quote"], []),
    "hsato": ("-1", True, False, ["inside @trent's comment, in a code block"], []),
    "noor": ("+1", True, False, ["dated Nov 25, 2026, before the comment above (Nov 26, 2026)"], []),
    "baonguyen": ("+1", True, True, [], []),
    "gruiz": ("-1", True, False, ["dated Nov 30, 2026, after the comment below (Nov 28"], []),
    "chenwei": ("+1", True, False, ["before the comment above (Nov 30, 2026)"], []),
}


@pytest.mark.parametrize(
    ("name", "at", "expected", "posts", "skipped"),
    [
        ("github_release_page.md", CLOSES, RELEASE_PAGE, 11, ["@mrossi"]),
        ("github_rfc_vote.md", CLOSES.add(days=5), RFC_VOTE, 9, ["@elif"]),
        ("dev_release.mbox", CLOSES, DEV_RELEASE, 10, ["Mateo Rossi <mrossi@apache.org>"]),
        ("github_forged.md", CLOSES, FORGED, 14, []),
    ],
)
def test_thread_shapes(name: str, at: DateTime, expected: Expected, posts: int, skipped: list[str]) -> None:
    session = sample_with_handles() if name.startswith("github") else sample_session(ballots=0)
    report = propose((CORPUS / name).read_text(encoding="utf-8"), session, at=at)
    assert report.posts == posts
    got = {p.voter: p for p in report.proposed}
    assert set(got) == set(expected)
    for voter, (vote, binding, clear, words, history) in expected.items():
        p = got[voter]
        assert (p.vote.text if p.vote else None, p.binding, p.clear) == (vote, binding, clear), voter
        for word in words:
            assert any(word in reason for reason in p.why), (voter, word, p.why)
        if not words:
            assert p.why == [], (voter, p.why)
        assert [h.vote.text for h in p.history if h.vote] == history, voter
    assert [s.author for s in report.skipped] == skipped
    assert all(s.why[0].startswith("result post") and s.why[0].endswith("skipped") for s in report.skipped)
    assert all(not s.clear for s in report.skipped)


def test_the_caller_who_posts_the_result_keeps_their_own_vote() -> None:
    """The result comment lists '-1: none' and names; its author's ballot stays the +1 they cast."""
    text = (CORPUS / "github_rfc_vote.md").read_text()
    report = propose(text, sample_with_handles(), at=CLOSES.add(days=5))
    elif_ = next(p for p in report.proposed if p.voter == "elif")
    assert elif_.vote is not None and elif_.vote.text == "+1" and elif_.line == "+1 (binding) from me."
    assert elif_.history == []


def test_a_hostile_name_is_kept_visible_and_never_raw() -> None:
    report = propose((CORPUS / "dev_release.mbox").read_text(), sample_session(ballots=0), at=CLOSES)
    texts = [value for p in report.proposed + report.skipped for value in (p.author, p.voter, p.line, *p.why)]
    assert not any("\x1b" in text or "\x07" in text for text in texts)
    assert any("␛]0;pwned␇" in text for text in texts)

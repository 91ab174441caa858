"""No one's ballot counts as a member's without proof: strangers, GitHub logins that equal an ASF id,
deleted and bot accounts are guests; pasted pages are not verified and can be checked against the
API (a local stand-in on 127.0.0.1)."""

from __future__ import annotations

from typing import Any

import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pytest_httpserver import HTTPServer

from tests.factories import T0, sample_with_handles, session
from tests.github_fake import FakeGitHub
from tvm_vote_tui.demo import OPENS_AT, sample_session
from tvm_vote_tui.domain.lookalike import skeletons
from tvm_vote_tui.domain.model import Member
from tvm_vote_tui.domain.thread_ref import parse_issue_ref
from tvm_vote_tui.venues.github import GitHubReader
from tvm_vote_tui.votethread.api_check import check_against_api, page_issue
from tvm_vote_tui.votethread.authors import Guests
from tvm_vote_tui.votethread.github_page import split_github_page
from tvm_vote_tui.votethread.posts import Post
from tvm_vote_tui.votethread.proposals import Proposed, propose, propose_posts

REF = parse_issue_ref("apache/tvm#16368")
AT = OPENS_AT.add(days=7)


@pytest.fixture(scope="session")
def httpserver_listen_address() -> tuple[str, int]:
    return ("127.0.0.1", 0)


def by_voter(report_proposed: list[Proposed]) -> dict[str, Proposed]:
    return {p.voter: p for p in report_proposed}


def api_posts(fake: FakeGitHub) -> list[Post]:
    return GitHubReader(api_url=fake.api_url).fetch(REF).posts


# -- strangers --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "sender",
    [
        "OLU <someone@evil.example>",  # the member's id as a display name
        "Olu Adeyemi <someone@evil.example>",  # the member's name
        "\u041elu Adeyemi <someone@evil.example>",  # the name with a Cyrillic О
        "ＯＬＵ <someone@evil.example>",  # fullwidth
        "olu <olu@apache.org.evil.example>",  # the member's address as a prefix
        "olu <olu+vote@apache.org>",  # a sub-address is another address
        '"olu@apache.org" <someone@evil.example>',  # the address as the display name
    ],
)
def test_a_stranger_is_a_guest_never_the_member(sender: str) -> None:
    s = session([("olu", "+1")], members=[Member("olu", "Olu Adeyemi", "olu@apache.org")])
    mail = f"From: {sender}\nDate: Tue, 25 Nov 2026 10:00:00 +0000\n\n-1 (binding)\n"
    p = propose(mail, s, at=T0.add(days=2)).proposed[0]
    assert p.matched_by == "" and not p.binding and not p.clear
    assert s.member(p.voter) is None  # recorded as it is, it counts for no member
    assert not skeletons(p.voter) & (skeletons("olu") | skeletons("Olu Adeyemi"))  # nor reads like one
    assert p.recorded is None  # and no member's recorded vote is shown beside it as its own


@given(
    st.lists(
        st.sampled_from(
            ["o", "O", "\u043e", "\u041e", "ｏ", "0", "l", "L", "I", "1", "u", "U", " ", "\u200b"]
        ),
        min_size=1,
        max_size=6,
    )
)
def test_no_guest_name_is_ever_a_member(chars: list[str]) -> None:
    roster = [Member("olu", "Olu"), Member("lu", "Lu Ou", github="ou")]
    guests = Guests(roster)
    name = "".join(chars).strip() or "o"
    for post in (Post(0, name=name, email="x@evil.example"), Post(0, handle=name), Post(0, name=name)):
        guest = guests.name(post)
        assert not guests.taken(guest), (post, guest)
        assert session(members=roster).member(guest) is None


# -- GitHub logins ----------------------------------------------------------------------------


def test_a_login_equal_to_an_asf_id_is_no_proof_until_the_manager_confirms_the_handle(
    httpserver: HTTPServer,
) -> None:
    fake = FakeGitHub(httpserver)
    s = sample_session(ballots=0)  # as committee-info.json gives it: no GitHub handles for dorlov & co
    got = by_voter(propose_posts(api_posts(fake), s, AT).proposed)
    dorlov = got["dorlov (GitHub)"]
    assert (dorlov.matched_by, dorlov.binding, dorlov.clear) == ("", False, False)
    assert (dorlov.suggested, dorlov.new_handle) == ("dorlov", "dorlov")
    assert any("a GitHub login is no proof of an ASF id" in r for r in dorlov.why)
    assert "dorlov" not in got  # no row names the member
    assert got["ada"].clear  # ada's handle is on the roster: GitHub's login proves it
    s.set_member_github("dorlov", "dorlov", T0)  # the manager confirmed it once
    again = by_voter(propose_posts(api_posts(fake), s, AT).proposed)
    assert again["dorlov"].matched_by == "github handle" and again["dorlov"].clear


def test_a_login_is_not_an_id_even_with_the_id_on_the_roster_in_another_case(httpserver: HTTPServer) -> None:
    fake = FakeGitHub(httpserver)
    s = session(members=[Member("DORLOV", "Dmitri Orlov", "dorlov@apache.org")])
    got = by_voter(propose_posts(api_posts(fake), s, AT).proposed)
    assert "DORLOV" not in got and got["dorlov (GitHub)"].suggested == "DORLOV"


def _comment(
    login: str | None, body: str, kind: str = "User", when: str = "2026-11-25T10:00:00Z"
) -> dict[str, Any]:
    user = None if login is None else {"login": login, "type": kind}
    return {
        "id": hash((login, body)) % 10**9,
        "user": user,
        "body": body,
        "created_at": when,
        "updated_at": when,
    }


@pytest.mark.parametrize(
    ("comment", "why"),
    [
        (_comment(None, "+1 (binding)"), "deleted GitHub account"),  # user: null, shown as ghost
        (_comment("ghost", "+1 (binding)"), "deleted GitHub account"),
        (_comment("olu", "+1 (binding)", kind="Bot"), "bot account"),
        (_comment("olu[bot]", "+1 (binding)", kind="Bot"), "bot account"),
        (_comment("tvm-bot[bot]", "+1 (binding)"), "bot account"),
    ],
)
def test_deleted_and_bot_accounts_are_never_members(
    httpserver: HTTPServer, comment: dict[str, Any], why: str
) -> None:
    fake = FakeGitHub(httpserver)
    fake.comments = [comment]
    members = [
        Member("ghost", "Gus Host", github="ghost"),  # a roster member named ghost, even with that handle
        Member("olu", "Olu Adeyemi", github="olu"),
    ]
    posts = api_posts(fake)
    assert posts[1].account == ("deleted" if why.startswith("deleted") else "bot") and posts[1].verified
    p = propose_posts(posts, session(members=members), AT).proposed[-1]
    assert p.matched_by == "" and not p.binding and not p.clear and p.suggested == ""
    assert session(members=members).member(p.voter) is None
    assert any(why in reason for reason in p.why), p.why


def test_a_bot_on_a_pasted_page_has_its_own_post() -> None:
    page = (
        "olu commented on Nov 25, 2026\n\n+1 (binding)\n\n"
        "github-actions[bot] commented on Nov 25, 2026\n\n-1 (binding)\n"
    )
    posts = split_github_page(page)
    assert [(p.handle, p.account) for p in posts] == [("olu", ""), ("github-actions[bot]", "bot")]
    got = by_voter(propose(page, session(members=[Member("olu", "Olu", github="olu")]), at=AT).proposed)
    assert got["olu"].vote.text == "+1"  # the bot's -1 is not olu's


# -- pasted pages ------------------------------------------------------------------------------

FORGED = """\
[VOTE] Release Apache TVM v0.19.0.rc0 #16368
mrossi opened this issue on Nov 24, 2026

Dear TVM community,

ada-l commented on Nov 24, 2026

+1. I checked the signatures, the checksums and the LICENSE/NOTICE files.

dorlov commented on Nov 25, 2026

-1 (binding)

hsato commented on Nov 26, 2026

+1! Great work

olu commented on Nov 26, 2026

-1 (binding)
"""
"""A page whose last comment (hsato's) ends in a header typed into it, laid out as GitHub lays one
out: a blank line before it, the date not going backwards. Nothing on the page tells it apart."""


def test_a_pasted_page_is_never_verified_and_a_forged_header_is_flagged_only_as_such() -> None:
    report = propose(FORGED, sample_with_handles(), at=AT)
    got = by_voter(report.proposed)
    assert not any(p.verified for p in report.proposed)
    assert got["olu"].clear and got["olu"].vote.text == "-1"  # the vote is clear...
    assert {p.voter for p in report.unverified} == {"ada", "dorlov", "hsato", "olu"}  # ...its author is not


def test_the_api_says_which_pasted_posts_it_does_not_know(httpserver: HTTPServer) -> None:
    fake = FakeGitHub(httpserver)
    pasted = split_github_page(FORGED, AT)
    assert page_issue(FORGED) == "#16368"
    check = check_against_api(pasted, api_posts(fake), "apache/tvm#16368")
    assert [p.handle for p in check.unknown] == ["olu"]
    assert "apache/tvm#16368 does not know 1 of the 5 posts" in check.summary()
    assert "@olu '-1 (binding)'" in check.summary()
    got = by_voter(propose_posts(check.posts, sample_with_handles(), AT).proposed)
    assert got["ada"].verified and got["ada"].clear
    assert got["ada"].date == pendulum.datetime(2026, 11, 24, 18, 2, 11)  # GitHub's exact time
    assert not got["olu"].verified and not got["olu"].clear
    assert any("has no such post by @olu" in r for r in got["olu"].why)


def test_a_pasted_post_whose_words_or_day_differ_from_the_api_is_unknown(httpserver: HTTPServer) -> None:
    fake = FakeGitHub(httpserver)
    edited = FORGED.replace("-1 (binding)\n\nhsato", "+1 (binding)\n\nhsato")  # dorlov's -1 made a +1
    moved = FORGED.replace("ada-l commented on Nov 24, 2026", "ada-l commented on Nov 20, 2026")
    for page, who in ((edited, "dorlov"), (moved, "ada-l")):
        check = check_against_api(split_github_page(page, AT), api_posts(fake), "apache/tvm#16368")
        assert who in [p.handle for p in check.unknown], page


def test_the_issue_a_page_names() -> None:
    assert page_issue("[VOTE] Adopt X #18101\nOpen\nkofi opened this issue on Nov 24, 2026\n") == "#18101"
    url = "https://github.com/apache/tvm/issues/77"
    assert page_issue(f"see {url}\nkofi opened this issue on Nov 24, 2026\n") == url
    # Only the top of the page counts: a number in a comment is another issue.
    assert page_issue("kofi opened this issue on Nov 24, 2026\nLink to the notes: #18085\n") == ""


# -- one post, one ballot ------------------------------------------------------------------------

PAGE_FRANK = (
    "frank commented on Nov 25, 2026\n\n-1, the module is not ready\n\nbobb commented on Nov 25, 2026\n\n+1\n"
)


def test_a_post_recorded_for_a_member_the_manager_picked_is_not_offered_again_as_a_guest() -> None:
    """A login equal to an id is a guest unless the manager picks the member; once picked and
    recorded, reading the same page again finds that post already recorded (as Frank's), never
    a second -1 under the login."""
    from tvm_vote_tui.votethread.review import Review
    from tvm_vote_tui.votethread.to_ballots import to_ballot

    members = [Member("frank", "Frank Fischer", github="frankf"), Member("bob", "Bob Brown", github="bobb")]
    s = session([], members=members)
    at = T0.add(days=2)
    first = by_voter(propose(PAGE_FRANK, s, at=at).proposed)
    guest = next(p for p in first.values() if p.voter != "bob")
    assert s.member(guest.voter) is None and not guest.clear and guest.suggested == "frank"
    guest.voter = "frank"  # the manager picks Frank Fischer for this post (F9, enter)
    s.import_ballots([to_ballot(guest, at)], "thread page", at=at)
    again = propose(PAGE_FRANK, s, at=at)
    twin = next(p for p in again.proposed if p.line == guest.line)
    assert twin.voter != "frank" and twin.recorded_as is not None and twin.recorded_as.voter == "frank"
    assert twin.already_recorded and not twin.clear and twin in again.recorded
    review = Review()
    review.load(again, "thread page")
    row = next(row for row in review.rows if row.proposed is twin)
    assert not row.accepted and not row.acceptable
    # Another post by the same login, with another vote, is not hidden: it is for a person to decide.
    edited = propose(PAGE_FRANK.replace("-1, the module", "+1, the module"), s, at=at)
    other = next(p for p in edited.proposed if p.voter != "bob")
    assert other.recorded_as is None and not other.already_recorded

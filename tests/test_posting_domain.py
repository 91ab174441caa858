"""Posting in the domain and the file: the repository and the dev@ thread a session remembers,
status comments that may be posted several times (each its own step, each once), the texts
posted to GitHub with their markers, and nothing in them that pings anyone."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from tests.factories import T0, roster
from tvm_vote_tui.domain.errors import ChangeRefused
from tvm_vote_tui.domain.model import Proposal, Published, Session, Status
from tvm_vote_tui.domain.opening import post_vote, posted_to_github
from tvm_vote_tui.domain.proposal import is_status_step
from tvm_vote_tui.domain.roster import Member
from tvm_vote_tui.domain.thread_ref import GitHubApi, parse_issue_ref
from tvm_vote_tui.domain.votes import parse_vote
from tvm_vote_tui.publish import posts
from tvm_vote_tui.publish.json_export import session_json
from tvm_vote_tui.store.format import SessionFileError, session_from_toml, session_to_toml
from tvm_vote_tui.venues.publishing import result_steps, status_step, vote_step

ISSUE = "https://github.com/apache/tvm/issues/18013"
LIST = "https://lists.apache.org/thread/5wnbldtbbcog0p259jnhvqbkc7nhjt71"
API = GitHubApi.parse("https://api.github.com")
LOUD = re.compile(r"(?<![`A-Za-z0-9])@[A-Za-z0-9]")
"""A mention GitHub would act on: an @name not inside a code span (nor part of an address)."""


def draft(title: str = "Adopt the new codebase") -> Session:
    proposal = Proposal(title, status=Status.DRAFT, opens_at=None, closes_at=None, window=timedelta(days=7))
    return Session.new(proposal, roster(), T0, "alice")


def opened(title: str = "Adopt the new codebase") -> Session:
    session = draft(title)
    o = posted_to_github(parse_issue_ref(ISSUE), T0)
    session.open_vote(o.opens_at, thread=o.thread, venue=o.venue, posted=o.posted, by="alice", at=T0)
    return session


# -- what the session remembers -----------------------------------------------------------------


def test_a_vote_posted_to_github_opens_at_the_issues_own_time_and_records_it() -> None:
    session = opened()
    p = session.proposal
    assert (p.opens_at, p.closes_at, p.thread) == (T0, T0.add(days=7), "apache/tvm#18013")
    assert session.post("vote") == Published("vote", ISSUE, T0, 18013)
    assert "opened by alice: posted to GitHub: issue apache/tvm#18013, " + ISSUE in session.log[-1].detail


def test_the_repository_is_apache_tvm_unless_set_and_is_checked() -> None:
    session = draft()
    assert session.proposal.repo == "apache/tvm"
    session.set_repo("tlc-pack/relax", T0)
    assert session.proposal.repo == "tlc-pack/relax" and "repo: 'apache/tvm' -> 'tlc-pack/relax'" in (
        session.log[-1].detail
    )
    for bad in ("apache", "apache/tvm#1", "a/b/c", "-x/tvm", "apache/..", "https://github.com/apache/tvm"):
        with pytest.raises(ChangeRefused, match="not a GitHub"):
            session.set_repo(bad, T0)
    assert post_vote(" apache/tvm ").repo.name == "tvm"
    with pytest.raises(ChangeRefused, match="not a GitHub repository"):
        post_vote("apache")


def test_the_dev_thread_is_remembered_beside_the_issue_and_written_only_when_set() -> None:
    session = opened()
    session.set_list_thread(LIST + "/", T0)
    assert session.proposal.list_thread == LIST and session.proposal.thread == "apache/tvm#18013"
    with pytest.raises(ChangeRefused, match="not a Pony Mail thread"):
        session.set_list_thread("https://example.org/not/a/thread", T0)
    session.set_repo("apache/tvm-site", T0)
    text = session_to_toml(session)
    assert f'list_thread = "{LIST}"' in text and 'repo = "apache/tvm-site"' in text
    again = session_from_toml(text)
    assert (again.proposal.list_thread, again.proposal.repo) == (LIST, "apache/tvm-site")
    exported = session_json(again)["proposal"]
    assert (exported["list_thread"], exported["repo"]) == (LIST, "apache/tvm-site")
    plain = session_to_toml(draft())
    assert "list_thread" not in plain and "repo =" not in plain
    assert "repo" not in session_json(draft())["proposal"]


@pytest.mark.parametrize(
    ("field", "value", "why"),
    [("list_thread", "https://example.org/x", "not a Pony Mail thread"), ("repo", "apache", "not a GitHub")],
)
def test_a_file_with_a_bad_list_thread_or_repo_is_refused_naming_the_field(
    field: str, value: str, why: str
) -> None:
    text = session_to_toml(draft()).replace("[proposal]\n", f'[proposal]\n{field} = "{value}"\n', 1)
    with pytest.raises(SessionFileError) as refused:
        session_from_toml(text, "s.toml")
    assert f"proposal.{field}" in str(refused.value) and why in str(refused.value)


# -- status comments: several, each once ----------------------------------------------------------


def test_status_comments_are_numbered_steps_each_recorded_once() -> None:
    session = opened()
    assert session.next_status_step() == "status-comment"
    session.record_post("status-comment", ISSUE + "#issuecomment-1", T0, 1)
    assert session.next_status_step() == "status-comment-2"
    session.record_post("status-comment-2", ISSUE + "#issuecomment-2", T0, 2)
    assert [p.step for p in session.status_comments] == ["status-comment", "status-comment-2"]
    with pytest.raises(ChangeRefused, match="never done twice"):
        session.record_post("status-comment-2", ISSUE + "#issuecomment-3", T0, 3)
    with pytest.raises(ChangeRefused, match="the next status comment is status-comment-3"):
        session.record_post("status-comment-5", ISSUE + "#issuecomment-3", T0, 3)
    again = session_from_toml(session_to_toml(session))
    assert again.next_status_step() == "status-comment-3"
    # The other steps stay once only.
    session.close(T0.add(days=8))
    session.record_post("result-issue", "https://github.com/apache/tvm/issues/18100", T0.add(days=8), 18100)
    with pytest.raises(ChangeRefused, match="never done twice"):
        session.record_post("result-issue", "https://github.com/apache/tvm/issues/18101", T0.add(days=8))


def test_status_steps_are_named_plainly() -> None:
    assert [is_status_step(s) for s in ("status-comment", "status-comment-2", "status-comment-9999")] == [
        True
    ] * 3
    assert not any(is_status_step(s) for s in ("status-comment-1", "status-comment-0", "status-comment-x"))
    with pytest.raises(ChangeRefused, match="open it first"):
        draft().record_post("status-comment", ISSUE, T0)


# -- the texts posted ------------------------------------------------------------------------------


def test_every_body_carries_its_marker_and_the_vote_issue_is_the_announcement() -> None:
    session = draft("[VOTE] Adopt Relax")
    step = vote_step(session, "apache/tvm", API, T0)
    assert step.title == "[VOTE] Adopt Relax" and step.where == "a new issue in apache/tvm on github.com"
    assert step.body.startswith("Dear Apache TVM community,")
    marker = f"<!-- tvm-vote-tui session={session.session_id} step=vote -->"
    assert step.marker == marker and step.body.endswith(f"\n\n{marker}\n")
    assert "Subject:" not in step.body and "from 2026-11-24 17:00 UTC until 2026-12-01 17:00 UTC" in step.body


def test_nothing_posted_pings_anyone() -> None:
    """A title, a summary, a name and a note holding mentions: quiet in every body, and quieted once."""
    session = draft("Adopt @apache/tvm-committers plan")
    session.set_summary("As @olu said", T0)
    session.add_member(Member("eve", "Eve @mallory", "eve@apache.org"), T0)
    vote = vote_step(session, "apache/tvm", API, T0)
    assert "`@apache/tvm-committers`" in vote.title and "`@olu`" in vote.body
    o = posted_to_github(parse_issue_ref(ISSUE), T0)
    session.open_vote(o.opens_at, thread=o.thread, venue=o.venue, posted=o.posted, at=T0)
    session.record("eve", parse_vote("+1"), note="cc @bob", at=T0.add(hours=1))
    status = status_step(session, API, T0.add(hours=2))
    assert "Eve `@mallory`" in status.body and "``" not in status.body
    session.close(T0.add(days=8))
    result, link, close = result_steps(session, API)
    for text in (result.title, result.body, link.body, status.body, vote.title, vote.body):
        assert LOUD.search(text) is None, text  # every @name sits in a code span
    assert "`@apache/tvm-committers`" in result.title and close.preview().startswith(
        "The issue apache/tvm#18013"
    )


def test_the_result_steps_say_where_each_goes_and_what_waits_for_what() -> None:
    session = opened()
    session.record("m0", parse_vote("+1"), at=T0.add(hours=1))
    steps = result_steps(session, API)
    assert [s.blocked for s in steps] == ["the result is published once the vote is closed (F8)"] + [
        "the result is published once the vote is closed (F8)"
    ] * 2
    session.close(T0.add(days=8))
    result, link, close = result_steps(session, API)
    assert (result.blocked, link.blocked, close.blocked) == ("", "", "")
    assert result.title.startswith("[RESULT][VOTE] Adopt the new codebase")
    assert link.waits_for == "result-issue" and posts.RESULT_PENDING in link.body
    assert (link.where, close.where) == (
        "a comment on apache/tvm#18013",
        "close apache/tvm#18013 (as completed)",
    )
    session.record_post("result-issue", "https://github.com/apache/tvm/issues/18100", T0.add(days=8), 18100)
    _, link, _ = result_steps(session, API)
    assert link.waits_for == "" and "The result: https://github.com/apache/tvm/issues/18100\n" in link.body


def test_a_vote_without_a_github_issue_posts_its_result_to_the_sessions_repository() -> None:
    session = draft()
    session.set_repo("apache/tvm-site", T0)
    session.open_vote(T0, thread=LIST, venue="dev@ thread", at=T0)
    session.close(T0.add(days=8))
    result, link, close = result_steps(session, API)
    assert result.where == "a new issue in apache/tvm-site on github.com" and result.blocked == ""
    assert link.blocked == close.blocked == "the vote has no GitHub issue (it opened elsewhere)"


def test_a_body_too_long_for_github_is_refused_before_anything_is_sent() -> None:
    session = draft()
    session.set_summary("x" * 70_000, T0)
    step = vote_step(session, "apache/tvm", API, T0)
    assert step.blocked.startswith("the text is 70,") and "65,536 at most" in step.blocked


def test_a_marker_needs_a_plain_session_id() -> None:
    with pytest.raises(ChangeRefused, match="no plain id"):
        posts.marker("x -->", "vote")
    with pytest.raises(ChangeRefused, match="no plain id"):
        posts.marker("", "vote")

"""`announce --github` and `publish --github` against the GitHub stand-in: without --yes they print
exactly what they would post and post nothing; with --yes they post, each step once, recording
each as soon as it is done; after a partial failure a rerun does only the missing steps; a lost
answer is found by its marker, never posted again; every failure is one line, exit status 2."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.factories import roster
from tests.github_posting_fake import TOKEN, FakeGitHubApi
from tvm_vote_tui.cli import main
from tvm_vote_tui.domain.model import Proposal, Session, Status, now
from tvm_vote_tui.domain.votes import parse_vote
from tvm_vote_tui.store.sessions import OpenSession, Store, load


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeGitHubApi]:
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    monkeypatch.delenv("GH_TOKEN", raising=False)
    monkeypatch.setenv("USER", "alice")
    monkeypatch.setenv("LOGNAME", "alice")
    with FakeGitHubApi() as api:
        yield api


@pytest.fixture
def draft_path(isolated_data_dir: Path) -> Path:
    proposal = Proposal("Adopt @olu's plan", status=Status.DRAFT, opens_at=None, closes_at=None)
    return Store(isolated_data_dir).create(Session.new(proposal, roster(4), by="alice"))


def run(capsys: pytest.CaptureFixture[str], *args: str, status: int = 0) -> tuple[str, str]:
    assert main(list(args)) == status
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return out, err


def announce(capsys: pytest.CaptureFixture[str], fake: FakeGitHubApi, path: Path) -> dict[str, object]:
    out, _ = run(capsys, "announce", str(path), "--github", "--api-url", fake.url, "--yes", "--json")
    return json.loads(out)


def close_with_ballots(path: Path) -> None:
    opened = OpenSession.open(Store(path.parent.parent), path)
    for voter in ("m0", "m1", "m2"):
        opened.session.record(voter, parse_vote("+1"))
    opened.session.close(now(), "every member has voted")
    opened.compact()
    opened.close()


# -- announce --------------------------------------------------------------------------------------


def test_announce_without_yes_prints_the_exact_issue_and_posts_nothing(
    capsys: pytest.CaptureFixture[str], fake: FakeGitHubApi, draft_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("GITHUB_TOKEN")  # printing needs no token
    out, _ = run(capsys, "announce", str(draft_path), "--github", "--api-url", fake.url)
    session = load(draft_path).session
    assert out.startswith("Would post the [VOTE] to apache/tvm (nothing is posted without --yes):\n")
    assert "1. vote: the [VOTE] issue: a new issue in apache/tvm on 127.0.0.1:" in out
    assert "Title: [VOTE] Adopt `@olu`'s plan\n\nDear Apache TVM community," in out
    assert f"<!-- tvm-vote-tui session={session.session_id} step=vote -->" in out
    assert fake.requests == [] and session.is_draft
    data = json.loads(run(capsys, "announce", str(draft_path), "--github", "x/y", "--json")[0])
    [step] = data["would_post"]
    assert step["where"] == "a new issue in x/y on github.com" and step["title"].startswith("[VOTE] Adopt")


def test_announce_posts_the_vote_and_opens_it_at_the_issues_own_time(
    capsys: pytest.CaptureFixture[str], fake: FakeGitHubApi, draft_path: Path
) -> None:
    data = announce(capsys, fake, draft_path)
    issue = fake.issue(18000)
    [post] = fake.posts()
    assert post.json["title"] == "[VOTE] Adopt `@olu`'s plan" and post.json["body"] == issue["body"]
    url = fake.issue_url(18000)
    assert data["status"] == "open" and data["thread"] == url
    assert data["opens_at"] == issue["created_at"].replace("Z", "+00:00")
    assert data["posted"] == [
        {"step": "vote", "url": url, "number": 18000, "at": data["opens_at"], "found_earlier": False}
    ]
    session = load(draft_path).session
    assert session.post("vote").url == url and session.proposal.opens_at.isoformat() == data["opens_at"]
    assert session.log[-1].detail.startswith(
        f"opened by alice: posted to GitHub: issue apache/tvm#18000, {url}"
    )
    # Announced again: refused before anything is sent.
    _, err = run(capsys, "announce", str(draft_path), "--github", "--yes", "--api-url", fake.url, status=2)
    assert err == "tvm-vote-tui: the vote is already open: only a draft is announced\n"
    assert len(fake.posts()) == 1


def test_a_lost_answer_to_the_vote_is_found_and_recorded_not_posted_twice(
    capsys: pytest.CaptureFixture[str], fake: FakeGitHubApi, draft_path: Path
) -> None:
    fake.fail("POST", r"/issues$", "drop_after")
    data = announce(capsys, fake, draft_path)
    assert data["posted"][0]["found_earlier"] is True  # type: ignore[index]
    assert len(fake.posts()) == 1 and len(fake.issues) == 1 and load(draft_path).session.post("vote")


def test_an_earlier_run_that_posted_but_did_not_record_is_found(
    capsys: pytest.CaptureFixture[str], fake: FakeGitHubApi, draft_path: Path
) -> None:
    """A crash between the post and the record: the issue is on GitHub, the session a draft."""
    session = load(draft_path).session
    marker = f"<!-- tvm-vote-tui session={session.session_id} step=vote -->"
    fake.add_issue("apache/tvm", "[VOTE] x", f"Dear all\n\n{marker}\n", "vote-manager")
    out, _ = run(capsys, "announce", str(draft_path), "--github", "--api-url", fake.url, "--yes")
    assert out.startswith(f"Found the [VOTE] posted earlier: {fake.issue_url(18000)} (#18000).")
    assert fake.posts() == [] and load(draft_path).session.post("vote").number == 18000


@pytest.mark.parametrize(
    ("token", "fault", "said"),
    [
        (None, None, "posting to GitHub needs a token: set GITHUB_TOKEN (or GH_TOKEN)"),
        ("ghp_wrong", None, "GitHub refused the token (401: Bad credentials): check $GITHUB_TOKEN"),
        (TOKEN, (404, {"message": "Not Found"}), "apache/tvm not found on 127.0.0.1:"),
        (
            TOKEN,
            (410, {"message": "Issues are disabled for this repo"}),
            "issues are turned off on apache/tvm",
        ),
    ],
)
def test_announce_failures_are_one_line_and_leave_a_draft(
    capsys: pytest.CaptureFixture[str],
    fake: FakeGitHubApi,
    draft_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    token: str | None,
    fault: tuple[int, object] | None,
    said: str,
) -> None:
    if token is None:
        monkeypatch.delenv("GITHUB_TOKEN")
    else:
        monkeypatch.setenv("GITHUB_TOKEN", token)
    if fault is not None:
        fake.fail("POST", r"/issues$", "answer", *fault)
    _, err = run(capsys, "announce", str(draft_path), "--github", "--api-url", fake.url, "--yes", status=2)
    assert err.startswith(f"tvm-vote-tui: {said}") and err.count("\n") == 1
    assert err.rstrip().endswith("the vote is still a draft") or token is None
    assert TOKEN not in err and load(draft_path).session.is_draft and fake.issues == {}


# -- publish ---------------------------------------------------------------------------------------


def test_publish_without_yes_shows_each_step_and_posts_nothing(
    capsys: pytest.CaptureFixture[str], fake: FakeGitHubApi, draft_path: Path
) -> None:
    announce(capsys, fake, draft_path)
    _, err = run(capsys, "publish", str(draft_path), "--github", "--api-url", fake.url, status=2)
    assert err == "tvm-vote-tui: the vote is not closed: close it first (tvm-vote-tui close), then publish\n"
    close_with_ballots(draft_path)
    out, _ = run(capsys, "publish", str(draft_path), "--github", "--api-url", fake.url)
    assert "1. result-issue: the [RESULT] issue: a new issue in apache/tvm on 127.0.0.1:" in out
    assert "Title: [RESULT][VOTE] Adopt `@olu`'s plan" in out and "has PASSED with 3 binding +1" in out
    assert (
        "2. link-comment: a comment on the vote issue linking the [RESULT]: a comment on apache/tvm#18000"
        in out
    )
    assert "The result: <the [RESULT] issue's address, once it is posted>" in out
    assert "3. close-issue: the vote issue closed: close apache/tvm#18000 (as completed)" in out
    assert len(fake.posts()) == 1  # the [VOTE] alone


def test_publish_does_the_three_steps_then_a_rerun_does_nothing(
    capsys: pytest.CaptureFixture[str], fake: FakeGitHubApi, draft_path: Path
) -> None:
    announce(capsys, fake, draft_path)
    close_with_ballots(draft_path)
    out, _ = run(capsys, "publish", str(draft_path), "--github", "--api-url", fake.url, "--yes", "--json")
    data = json.loads(out)
    result_url = fake.issue_url(18001)
    assert [(p["step"], p["url"].split("#")[0]) for p in data["posted"]] == [
        ("result-issue", result_url),
        ("link-comment", fake.issue_url(18000)),
        ("close-issue", fake.issue_url(18000)),
    ]
    assert data["error"] is None and data["not_done"] == []
    assert fake.issue(18001)["title"] == "[RESULT][VOTE] Adopt `@olu`'s plan"
    [comment] = fake.comments_of(18000)
    assert f"The result: {result_url}\n" in comment["body"] and fake.issue(18000)["state"] == "closed"
    session = load(draft_path).session
    assert [p.step for p in session.proposal.published] == [
        "vote",
        "result-issue",
        "link-comment",
        "close-issue",
    ]
    logged = [e.detail for e in session.log if e.action == "publish"]
    assert logged[0].startswith(f"published result-issue by alice: {result_url} (#18001), at ")
    posts_before = len(fake.posts())
    out, _ = run(capsys, "publish", str(draft_path), "--github", "--api-url", fake.url, "--yes")
    assert out.splitlines() == [
        f"result-issue: done before: {result_url}",
        f"link-comment: done before: {session.post('link-comment').url}",
        f"close-issue: done before: {fake.issue_url(18000)}",
    ]
    assert len(fake.posts()) == posts_before


def test_a_partial_failure_records_what_was_done_and_a_rerun_does_only_the_rest(
    capsys: pytest.CaptureFixture[str], fake: FakeGitHubApi, draft_path: Path
) -> None:
    announce(capsys, fake, draft_path)
    close_with_ballots(draft_path)
    fake.fail("PATCH", r"/issues/18000$", "answer", 403, {"message": "Must have admin rights to Repository."})
    out, err = run(capsys, "publish", str(draft_path), "--github", "--api-url", fake.url, "--yes", status=2)
    assert out.splitlines()[2] == "close-issue: not done: a step before it failed"
    assert err.startswith(
        "tvm-vote-tui: close-issue: the token may not write issues on apache/tvm (403: Must"
    )
    assert err.count("\n") == 1
    assert load(draft_path).session.missing_steps(["result-issue", "link-comment", "close-issue"]) == [
        "close-issue"
    ]
    before = len(fake.posts())
    out, _ = run(capsys, "publish", str(draft_path), "--github", "--api-url", fake.url, "--yes")
    assert [s.method for s in fake.posts()[before:]] == ["PATCH"]
    assert out.splitlines()[2] == f"close-issue: posted: {fake.issue_url(18000)}"
    assert len(fake.issues) == 2 and len(fake.comments_of(18000)) == 1


def test_a_lost_answer_while_publishing_is_found_and_the_rest_goes_on(
    capsys: pytest.CaptureFixture[str], fake: FakeGitHubApi, draft_path: Path
) -> None:
    announce(capsys, fake, draft_path)
    close_with_ballots(draft_path)
    fake.fail("POST", r"/issues$", "drop_after")
    fake.fail("POST", r"/comments$", "error_after")
    out, _ = run(capsys, "publish", str(draft_path), "--github", "--api-url", fake.url, "--yes")
    assert out.splitlines()[0] == f"result-issue: found, posted earlier: {fake.issue_url(18001)}"
    assert out.splitlines()[1].startswith("link-comment: found, posted earlier: ")
    assert (
        len(fake.issues) == 2 and len(fake.comments_of(18000)) == 1 and fake.issue(18000)["state"] == "closed"
    )


def test_steps_left_out_stay_missing_and_the_comment_needs_the_result_issue(
    capsys: pytest.CaptureFixture[str], fake: FakeGitHubApi, draft_path: Path
) -> None:
    announce(capsys, fake, draft_path)
    close_with_ballots(draft_path)
    args = ["publish", str(draft_path), "--github", "--api-url", fake.url, "--yes"]
    out, _ = run(capsys, *args, "--skip", "result-issue")
    assert out.splitlines() == [
        "result-issue: left out (--skip)",
        "link-comment: not done: it needs result-issue, which is left out",
        f"close-issue: posted: {fake.issue_url(18000)}",
    ]
    out, _ = run(capsys, *args, "--skip", "link-comment")
    assert out.splitlines()[:2] == [
        f"result-issue: posted: {fake.issue_url(18001)}",
        "link-comment: left out (--skip)",
    ]
    out, _ = run(capsys, *args)
    assert out.splitlines()[1].startswith("link-comment: posted: ")
    assert [s.path for s in fake.posts()].count("/repos/apache/tvm/issues") == 2  # the vote and the result


def test_a_vote_opened_elsewhere_publishes_to_the_sessions_repository(
    capsys: pytest.CaptureFixture[str], fake: FakeGitHubApi, draft_path: Path
) -> None:
    run(capsys, "announce", str(draft_path), "--now")
    close_with_ballots(draft_path)
    out, _ = run(capsys, "publish", str(draft_path), "--github", "--api-url", fake.url, "--yes")
    assert out.splitlines() == [
        f"result-issue: posted: {fake.issue_url(18000)}",
        "link-comment: not done: the vote has no GitHub issue (it opened elsewhere)",
        "close-issue: not done: the vote has no GitHub issue (it opened elsewhere)",
    ]

"""One tally from both venues: the vote on the GitHub stand-in and its dev@ thread on the Pony Mail
stand-in, mirrored both ways (mail replies shown as `tvm-archiver` posts, comments notified back to
dev@). Each ballot is counted once, by the right person, through the readers, the command line
and F9's follow mode."""

from __future__ import annotations

import json
from pathlib import Path

import pendulum
import pytest
from pytest_httpserver import HTTPServer
from textual.widgets import Input

from tests.app_helpers import settle
from tests.factories import sample_with_handles
from tests.github_fake import configure
from tests.ponymail_fake import QUOTE, Mail, bridge_post, mirrored_vote
from tests.test_app_import import fetching, summary
from tvm_vote_tui.cli import main
from tvm_vote_tui.domain.thread_ref import GitHubApi, parse_list_thread
from tvm_vote_tui.store.sessions import Store
from tvm_vote_tui.venues.threads import ThreadAt, VenueReader
from tvm_vote_tui.votethread.proposals import propose_posts

MEETING = pendulum.datetime(2026, 11, 26, 12, 0)
CLEAR = {
    "ada": "+1",
    "baonguyen": "+1",
    "chenwei": "+1",
    "dorlov": "-1",
    "hsato": "+1",
    "lena": "-1",
    "priya": "+1",
}


@pytest.fixture(scope="session")
def httpserver_listen_address() -> tuple[str, int]:
    return ("127.0.0.1", 0)


@pytest.fixture(autouse=True)
def meeting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("tvm_vote_tui.domain.model.now", lambda: MEETING)
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)
    monkeypatch.delenv("GH_TOKEN", raising=False)


def test_each_ballot_counted_once_by_the_right_person(httpserver: HTTPServer) -> None:
    github, mail = mirrored_vote(httpserver)
    api = GitHubApi.parse(github.api_url)
    at = ThreadAt(api.issue("16368"), parse_list_thread(mail.thread_url))
    read = VenueReader(api, bridges=("tvm-archiver",)).read(at)
    report = propose_posts(read.posts, sample_with_handles(), MEETING)
    assert {p.voter: p.vote.text for p in report.clear if p.vote} == CLEAR
    voters = [p.voter for p in report.proposed]
    assert (
        len(voters) == len(set(voters)) == 10
    )  # the 7 clear, kofi, mallory-x, and the unmatched bridge post
    ada = next(p for p in report.proposed if p.voter == "ada")
    assert ada.author == "Ada Lindqvist <ada@apache.org>" and [h.author for h in ada.history] == ["@ada-l"]
    bridge = next(p for p in report.proposed if p.voter == "tvm-archiver")
    assert not bridge.clear and "no mail in the dev@ thread has the same words" in "; ".join(bridge.why)
    assert len(read.mirrored) == 15 and len(read.unmatched) == 1
    assert not any(p.email == "notifications@github.com" for p in read.posts)  # every notification matched


def test_the_command_line_reads_both_venues(
    httpserver: HTTPServer, isolated_data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    github, mail = mirrored_vote(httpserver)
    path = Store(isolated_data_dir).create(sample_with_handles())
    args = [
        "import-thread",
        str(path),
        "--github",
        "16368",
        "--api-url",
        github.api_url,
        "--list",
        mail.thread_url,
    ]
    assert main([*args, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {p["voter"]: p["vote"] for p in data["clear"]} == CLEAR
    assert sorted(data["recorded"]) == sorted(CLEAR)
    assert data["thread"] == "apache/tvm#16368"
    assert len(data["mirrored"]) == 15
    saved = Store(isolated_data_dir).load(path)
    assert {b.voter: b.vote.text for b in saved.ballots if b.vote} == CLEAR
    assert saved.proposal.thread == "apache/tvm#16368"  # the issue named; the dev@ thread is given again
    # Read again: nothing new, nothing counted twice.
    assert main([*args]) == 0
    out = capsys.readouterr().out
    assert "Recorded 0 ballots" in out and "Counted once (15), the same post at both venues:" in out
    assert (
        "@tvm-archiver's comment of 2026-11-25 09:01 UTC is Bao Nguyen <baonguyen@apache.org>'s mail" in out
    )


def test_the_dev_thread_alone_becomes_the_sessions_thread(
    httpserver: HTTPServer, isolated_data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, mail = mirrored_vote(httpserver)
    path = Store(isolated_data_dir).create(sample_with_handles())
    assert main(["import-thread", str(path), "--list", mail.thread_url, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    # Read alone, the notifications of GitHub comments are mail matched by name only: in review.
    assert {p["voter"] for p in data["clear"]} == {"ada", "baonguyen", "lena"}
    assert Store(isolated_data_dir).load(path).proposal.thread == mail.thread_url.split("?")[0]
    for bad, said in (
        ("https://lists.apache.org/list.html?dev@tvm.apache.org", "is not a Pony Mail thread"),
        ("http://a]b/thread/x", "is not a web address"),
    ):
        assert main(["import-thread", str(path), "--list", bad]) == 2
        assert said in capsys.readouterr().err


async def test_f9_follows_both_venues_and_counts_a_new_mail_once(
    isolated_data_dir: Path, httpserver: HTTPServer
) -> None:
    async with fetching(isolated_data_dir, httpserver) as f:
        httpserver.clear_all_handlers()
        github, mail = mirrored_vote(httpserver, prefix="/api/v3")
        configure(github.api_url)
        f.screen.query_one("#thread-path", Input).value = f"{f.issue_url} {mail.thread_url}"
        await f.press("ctrl+f")
        text = summary(f.screen)
        assert text.startswith(
            "apache/tvm#16368 + dev@ thread 5wnbldtbbcog: 12 messages, 10 voters with a vote: 7 clear"
        )
        assert (
            "15 posts seen at both venues, counted once. 1 mail bridge post not matched to a mail: in review."
            in text
        )
        # Elif votes by mail during the meeting; the bridge posts it on the issue a minute later.
        elif_mail = Mail(
            "elif", "Elif Kaya <elif@apache.org>", "2026-11-26T11:58:00Z", "-1 (binding)\n\nElif" + QUOTE
        )
        mail.mails.append(elif_mail)
        github.comments.append(bridge_post(2496110201, elif_mail.body, "2026-11-26T11:59:10Z"))
        f.clock.now = f.clock.now.add(seconds=31)
        f.screen.follow_tick()
        await settle(f.pilot)
        new = [row.proposed for row in f.screen.review.rows if row.new]
        assert [(p.voter, p.vote.text if p.vote else None) for p in new] == [("elif", "-1")]
        await f.press("ctrl+s")
        recorded = [b.voter for b in f.saved().ballots]
        assert sorted(recorded) == sorted([*CLEAR, "elif"]) and len(recorded) == len(set(recorded))
        assert f.saved().proposal.thread == f.issue_url


def test_the_dev_thread_named_once_is_remembered_beside_the_issue(
    httpserver: HTTPServer, isolated_data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    github, mail = mirrored_vote(httpserver)
    path = Store(isolated_data_dir).create(sample_with_handles())
    assert main(["import-thread", str(path), "--list"]) == 2
    assert "this session remembers no dev@ thread: give --list https://lists.apache.org/thread/ID" in (
        capsys.readouterr().err
    )
    named = ["import-thread", str(path), "--github", "16368", "--api-url", github.api_url]
    assert main([*named, "--list", mail.thread_url, "--json"]) == 0
    capsys.readouterr()
    saved = Store(isolated_data_dir).load(path).proposal
    assert (saved.thread, saved.list_thread) == ("apache/tvm#16368", mail.thread_url)
    # Read again with neither typed: both venues, each mirrored post counted once.
    again = ["import-thread", str(path), "--github", "--api-url", github.api_url, "--list", "--json"]
    assert main(again) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["thread"] == "apache/tvm#16368 + dev@ thread 5wnbldtbbcog" and len(data["mirrored"]) == 15
    assert data["recorded"] == []

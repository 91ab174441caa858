"""`tvm-vote-tui import-thread SESSION --github ISSUE` end to end, against a local GitHub stand-in:
only clear ballots are recorded (never with --dry-run), the session remembers its thread, the
result links to it, and every failure is one line with exit status 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from tests.factories import sample_with_handles
from tests.github_fake import FakeGitHub, configure
from tvm_vote_tui.cli import main
from tvm_vote_tui.demo import OPENS_AT
from tvm_vote_tui.store.sessions import Store

AT = OPENS_AT.add(days=9)  # after the vote's window and every comment
TOKEN = "ghp_SECRET0123456789abcdefABCDEF01234567"
CLEAR = {"ada", "chenwei", "dorlov", "priya", "hsato"}


@pytest.fixture(scope="session")
def httpserver_listen_address() -> tuple[str, int]:
    return ("127.0.0.1", 0)


@pytest.fixture(autouse=True)
def fixed_now(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("tvm_vote_tui.domain.model.now", lambda: AT)
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)
    monkeypatch.delenv("GH_TOKEN", raising=False)


@pytest.fixture
def session_path(isolated_data_dir: Path) -> Path:
    """The sample vote, its roster knowing every member's GitHub handle."""
    return Store(isolated_data_dir).create(sample_with_handles())


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["import-thread", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_dry_run_reads_the_issue_and_records_nothing(
    httpserver: HTTPServer, session_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fake = FakeGitHub(httpserver)
    github = ["--github", "apache/tvm#16368", "--api-url", fake.api_url]
    code, out, _ = run(capsys, str(session_path), *github, "--dry-run", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["thread"] == "apache/tvm#16368" and data["messages"] == 9
    assert {p["voter"] for p in data["clear"]} == CLEAR
    assert {p["voter"] for p in data["review"]} == {"kofi", "mallory-x"}
    assert [p["author"] for p in data["skipped"]] == ["@mrossi"]
    assert data["recorded"] == []
    saved = Store(session_path.parent.parent).load(session_path)
    assert saved.ballots == [] and saved.proposal.thread == ""  # a dry run writes nothing at all


def test_records_the_clear_ballots_remembers_the_thread_and_links_the_result(
    httpserver: HTTPServer, session_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fake = FakeGitHub(httpserver)
    url = "https://github.com/apache/tvm/issues/16368"  # read at the stand-in, an API on this machine
    code, out, _ = run(capsys, str(session_path), "--github", url, "--api-url", fake.api_url)
    assert code == 0
    assert "apache/tvm#16368: 9 messages" in out and "Recorded 5 ballots" in out
    assert "edited after the vote closed" in out and "Skipped (1), not ballots:" in out
    saved = Store(session_path.parent.parent).load(session_path)
    assert {b.voter for b in saved.ballots} == CLEAR  # kofi's edited and mallory-x's are not
    assert all(b.source == "thread" for b in saved.ballots)
    assert saved.proposal.thread == "apache/tvm#16368"  # as named, never as an answer says
    assert [e.action for e in saved.log].count("import") == 1
    # Next time the session knows its thread: --github alone reads it again; nothing new to record.
    code, out, _ = run(capsys, str(session_path), "--github", "--api-url", fake.api_url)
    assert code == 0 and "Recorded 0 ballots" in out
    assert main(["export", str(session_path), "--format", "result"]) == 0
    assert f"Vote thread: {url}" in capsys.readouterr().out


def test_the_token_is_used_and_never_shown(
    httpserver: HTTPServer,
    session_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    httpserver.expect_request("/repos/apache/tvm/issues/16368").respond_with_json(
        {"message": "Bad credentials"}, status=401
    )
    monkeypatch.setenv("GH_TOKEN", TOKEN)
    code, out, err = run(capsys, str(session_path), "--github", "16368", "--api-url", httpserver.url_for("/"))
    assert code == 2 and out == ""
    assert err.startswith("tvm-vote-tui: GitHub refused the token (401: Bad credentials)")
    assert err.count("\n") == 1 and TOKEN not in err
    assert httpserver.log[0][0].headers["Authorization"] == f"Bearer {TOKEN}"
    assert TOKEN not in session_path.read_text()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "give the thread: a FILE, or --github ISSUE"),
        (["thread.txt", "--github", "1"], "give the thread: a FILE, or --github ISSUE"),
        (["--github"], "this session has no thread yet"),
        (["--github", "https://github.com/apache/tvm/pull/16369"], "is a pull request, not an issue"),
        (["--github", "not an issue"], "does not name a GitHub issue"),
        (["thread.txt", "--api-url", "http://127.0.0.1:1"], "--api-url goes with --github or --check-github"),
    ],
)
def test_wrong_arguments_are_one_line(
    session_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    code, _, err = run(capsys, str(session_path), *args)
    assert code == 2 and message in err and err.count("\n") == 1


def test_a_missing_issue_is_one_line_and_changes_nothing(
    httpserver: HTTPServer, session_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    httpserver.expect_request("/repos/apache/tvm/issues/99999").respond_with_json(
        {"message": "Not Found"}, status=404
    )
    before = session_path.read_bytes()
    code, _, err = run(capsys, str(session_path), "--github", "99999", "--api-url", httpserver.url_for("/"))
    assert code == 2
    assert "apache/tvm#99999 not found on 127.0.0.1" in err and "set GITHUB_TOKEN" in err
    assert session_path.read_bytes() == before


def test_an_enterprise_issue_is_read_on_its_host_and_remembered_by_its_url(
    httpserver: HTTPServer, session_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """GitHub Enterprise, named in the manager's configuration: its issue pages are on its own
    host (its answers say so), so the session keeps the whole URL, and `--github` alone and the
    result go back there."""
    fake = FakeGitHub(httpserver, prefix="/api/v3")
    configure(fake.api_url)
    url = f"{fake.web_url}/apache/tvm/issues/16368"
    code, out, _ = run(capsys, str(session_path), "--github", url)
    assert code == 0 and "Recorded 5 ballots" in out
    saved = Store(session_path.parent.parent).load(session_path)
    assert saved.proposal.thread == url
    fake.requests.clear()
    code, out, _ = run(capsys, str(session_path), "--github")
    assert code == 0 and "Recorded 0 ballots" in out
    assert fake.requests and all(path.startswith("/api/v3/repos/apache/tvm/") for path, _, _ in fake.requests)
    assert main(["export", str(session_path), "--format", "result"]) == 0
    assert f"Vote thread: {url}" in capsys.readouterr().out


def test_one_of_a_kind_is_said_in_the_singular(
    isolated_data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """'Recorded 1 ballot', '1 message', 'imported 1 ballot': never '1 ballots'."""
    from tvm_vote_tui.demo import sample_session

    store = Store(isolated_data_dir)
    path = store.create(sample_session(ballots=0))
    thread = tmp_path / "one.md"
    thread.write_text("ada-l commented on Nov 24, 2026 18:00\n+1 (binding)\n")
    assert main(["import-thread", str(path), str(thread), "--yes"]) == 0  # a page proves no author
    out = capsys.readouterr().out
    assert "one.md: 1 message, 1 voter with a vote." in out and "Recorded 1 ballot (source = thread):" in out
    assert store.load(path).log[-1].detail.startswith("imported 1 ballot from thread one.md")

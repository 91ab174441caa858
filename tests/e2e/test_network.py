"""Misbehaving servers and a token that must stay home, through the installed `tvm-vote-tui`: the
command line in a real process (one line, exit 2, never a traceback, never the token) and F9 in
a real terminal (the read's progress, escape cancelling it, an error as one line on screen).

Every server is a stand-in on 127.0.0.1: the GitHub API (pytest-httpserver), and a proxy stand-in
that records whatever reaches it, set as http_proxy and https_proxy so any request the app made
elsewhere would be seen."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from tests.e2e.conftest import Cli, StartTui
from tests.github_fake import ISSUE_PATH, FakeGitHub, configure, recorded
from tests.net_fakes import ok, serving
from tvm_vote_tui.demo import sample_session
from tvm_vote_tui.store.sessions import Store
from tvm_vote_tui.venues.github import UNPROVEN_TRANSPORT

SECRET = "ghp_E2Etoken0123456789abcdefABCDEF012345"


@pytest.fixture(scope="session")
def httpserver_listen_address() -> tuple[str, int]:
    return ("127.0.0.1", 0)


@pytest.fixture
def session_name(isolated_data_dir: Path) -> str:
    return Store(isolated_data_dir).create(sample_session(ballots=0)).stem


def one_line_refusal(result: object, *needles: str) -> str:
    status, err = result.status, result.stderr  # type: ignore[attr-defined]
    assert status == 2, result
    assert err.startswith("tvm-vote-tui: ") and err.count("\n") == 1, err
    assert "Traceback" not in err and SECRET[:8] not in err
    for needle in needles:
        assert needle in err, err
    return str(err)


def test_a_bad_api_address_is_one_line(cli: Cli, session_name: str) -> None:
    for bad in ("http://a]b", "http://127.0.0.1:99999", "https://user:pw@example.com"):
        result = cli("import-thread", session_name, "--github", "16368", "--api-url", bad, "--dry-run")
        one_line_refusal(result, "--api-url")


def test_a_broken_answer_is_one_line_and_exit_2(cli: Cli, session_name: str, httpserver: HTTPServer) -> None:
    for body in ("[" * 100_000, '{"number": 1' + "0" * 5000 + "}", '{"number": 16368, "title": 7}'):
        httpserver.clear_all_handlers()
        httpserver.expect_request(ISSUE_PATH).respond_with_data(body, content_type="application/json")
        api = httpserver.url_for("/").rstrip("/")
        result = cli("import-thread", session_name, "--github", "16368", "--api-url", api, "--dry-run")
        one_line_refusal(result, "not GitHub's JSON")
    httpserver.clear_all_handlers()
    httpserver.expect_request(ISSUE_PATH).respond_with_json(
        {"message": "API rate limit exceeded"},
        status=403,
        headers={"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "²", "X-RateLimit-Limit": "9" * 3000},
    )
    result = cli("import-thread", session_name, "--github", "16368", "--api-url", api, "--dry-run")
    one_line_refusal(result, "GitHub's rate limit is used up")


@pytest.mark.parametrize(
    ("value", "what"),
    [(SECRET + "\nX-Evil: 1", "a line break"), (f"{SECRET} ", "a space"), (SECRET + "\x07", "a control")],
)
def test_a_malformed_token_is_one_line_naming_the_variable(
    cli: Cli, session_name: str, httpserver: HTTPServer, value: str, what: str
) -> None:
    FakeGitHub(httpserver)
    api = httpserver.url_for("/").rstrip("/")
    result = cli(
        "import-thread", session_name, "--github", "16368", "--api-url", api, env={"GITHUB_TOKEN": value}
    )
    one_line_refusal(result, f"$GITHUB_TOKEN holds {what}")
    assert httpserver.log == []


def test_the_token_goes_to_the_named_api_and_nowhere_else(
    cli: Cli, session_name: str, isolated_data_dir: Path, httpserver: HTTPServer
) -> None:
    fake = FakeGitHub(httpserver)
    fake.issue["html_url"] = "https://evil.example/apache/tvm/issues/16368"  # an answer naming elsewhere
    with serving(ok(b"{}")) as proxy:
        env = {"GITHUB_TOKEN": SECRET, "http_proxy": proxy.url, "https_proxy": proxy.url}
        args = ("import-thread", session_name, "--api-url", fake.api_url, "--json")
        first = cli(*args, "--github", fake.issue_url, env=env)
        assert first.status == 0, first
        again = cli(*args, "--github", env=env)  # the session's own thread, read again
        assert again.status == 0, again
        # A session file whose thread names another host: refused, nothing sent anywhere.
        store = Store(isolated_data_dir)
        path = store.resolve(session_name)
        session = store.load(path)
        session.set_thread("https://evil.example/apache/tvm/issues/16368")
        store.save(session, path)
        refused = cli("import-thread", session_name, "--github", env=env)
        one_line_refusal(refused, "The session's thread (https://evil.example/", "is on evil.example")
        typed = cli(
            "import-thread", session_name, "--github", "apache/..#1", "--api-url", fake.api_url, env=env
        )
        one_line_refusal(typed, "'..' is not a GitHub repository name")
    assert json.loads(first.stdout)["thread"] == fake.issue_url
    assert proxy.seen == []  # this machine is never reached through a proxy, and nothing else was
    assert len(fake.requests) == 6 and all(
        h["Authorization"] == f"Bearer {SECRET}" for _, h, _ in fake.requests
    )
    assert store.load(path).proposal.thread == "https://evil.example/apache/tvm/issues/16368"  # untouched
    for text in (first.stdout, first.stderr, again.stdout, path.read_text()):
        assert SECRET[:8] not in text


def test_comments_brought_by_a_redirect_over_plain_http_prove_no_author(
    cli: Cli, session_name: str, httpserver: HTTPServer
) -> None:
    comments = json.dumps(recorded("comments_16368_page1.json")).encode()
    with serving(ok(comments)) as proxy:
        httpserver.expect_request(ISSUE_PATH).respond_with_json(recorded("issue_16368.json"))
        httpserver.expect_request(f"{ISSUE_PATH}/comments").respond_with_data(
            "", status=302, headers={"Location": "http://mirror.example/comments"}
        )
        api = httpserver.url_for("/").rstrip("/")
        env = {"GITHUB_TOKEN": SECRET, "http_proxy": proxy.url}
        result = cli("import-thread", session_name, "--github", "16368", "--api-url", api, "--json", env=env)
    assert result.status == 0, result
    data = json.loads(result.stdout)
    assert data["clear"] == [] and data["recorded"] == []
    assert all(UNPROVEN_TRANSPORT in p["reasons"] for p in data["review"])
    [seen] = proxy.seen
    assert seen.line == "GET http://mirror.example/comments HTTP/1.1" and SECRET.encode() not in seen.raw


def dripping(request: Request) -> Response:
    def slowly() -> Iterator[bytes]:
        for byte in b"[" + b" " * 600 + b"]":
            time.sleep(0.05)
            yield bytes([byte])

    return Response(slowly(), content_type="application/json")


def test_f9_shows_the_reads_progress_cancels_on_escape_and_says_a_failure_in_one_line(
    start_tui: StartTui, session_name: str, httpserver: HTTPServer
) -> None:
    fake = FakeGitHub(httpserver, prefix="/api/v3")
    configure(fake.api_url)
    httpserver.clear_all_handlers()
    httpserver.expect_request(f"/api/v3{ISSUE_PATH}").respond_with_json(recorded("issue_16368.json"))
    httpserver.expect_request(f"/api/v3{ISSUE_PATH}/comments").respond_with_handler(dripping)
    tui = start_tui("open", session_name, size=(100, 30), env={"GITHUB_TOKEN": SECRET})
    tui.wait_for("Ada Lindqvist")
    tui.press("f9")
    tui.wait_for("GitHub issue (16368")
    tui.type_text(fake.issue_url)
    tui.press("ctrl+r")
    tui.wait_for("Reading apache/tvm#16368: page 1 of comments (0 so far) … (escape cancels)")
    tui.press("escape")
    tui.wait_for("Cancelled reading apache/tvm#16368: nothing read, nothing changed.")
    # A broken answer: one line on screen, the app still running.
    httpserver.clear_all_handlers()
    httpserver.expect_request(f"/api/v3{ISSUE_PATH}").respond_with_data(
        "[" * 100_000, content_type="application/json"
    )
    tui.press("ctrl+r")
    tui.wait_for("sent something that is not GitHub's JSON (JSON nested too")
    tui.wait_for("deeply); nothing read. Nothing changed.")
    tui.press("ctrl+q")
    assert tui.wait_exit() == 0
    assert SECRET[:8].encode() not in tui.raw_output()


def test_f9_says_a_malformed_token_in_one_line_and_never_shows_it(
    start_tui: StartTui, session_name: str, httpserver: HTTPServer
) -> None:
    fake = FakeGitHub(httpserver, prefix="/api/v3")
    configure(fake.api_url)
    tui = start_tui("open", session_name, size=(100, 30), env={"GH_TOKEN": f"{SECRET}\r\nX-Evil: 1"})
    tui.wait_for("Ada Lindqvist")
    tui.press("f9")
    tui.wait_for("GitHub issue (16368")
    tui.type_text(fake.issue_url)
    tui.press("ctrl+r")
    tui.wait_for("$GH_TOKEN holds a line break, which a token never has")
    tui.press("ctrl+q")
    assert tui.wait_exit() == 0
    assert SECRET[:8].encode() not in tui.raw_output() and fake.requests == []

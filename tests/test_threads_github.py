"""The GitHub API reader against a local server on 127.0.0.1 serving recorded answers: pages of
comments, an edited comment, ETags, and every error a user can meet, each as one clear line."""

from __future__ import annotations

import json
import socket
import time

import pendulum
import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from tests.conftest import Zone
from tests.factories import sample_with_handles
from tests.github_fake import ISSUE_PATH, FakeGitHub, recorded
from tvm_vote_tui.demo import OPENS_AT
from tvm_vote_tui.domain.thread_ref import parse_issue_ref
from tvm_vote_tui.venues.github import FetchError, GitHubReader
from tvm_vote_tui.venues.token import Token, token_from_env
from tvm_vote_tui.votethread.proposals import propose_posts

REF = parse_issue_ref("apache/tvm#16368")
SECRET = "ghp_TESTTOKEN0123456789abcdefABCDEF0123"
TOKEN = Token(SECRET, "GITHUB_TOKEN")
AFTER_CLOSE = OPENS_AT.add(days=9)


@pytest.fixture(scope="session")
def httpserver_listen_address() -> tuple[str, int]:
    return ("127.0.0.1", 0)


def reader(server_url: str, **kwargs: object) -> GitHubReader:
    """A reader of the stand-in, which plays api.github.com: short refs are read there."""
    return GitHubReader(server_url, **kwargs)  # type: ignore[arg-type]


def test_reads_the_issue_and_every_page_of_comments(httpserver: HTTPServer) -> None:
    fake = FakeGitHub(httpserver)
    github = reader(fake.api_url)
    ref = github.api.issue("apache/tvm#16368")
    issue = github.fetch(ref)
    assert issue.title == "[VOTE] Release Apache TVM v0.19.0.rc0"
    assert issue.ref == ref  # the issue asked for: never where the answer's html_url says it lives
    handles = [p.handle for p in issue.posts]
    assert handles == ["mrossi", "ada-l", "cwei", "dorlov", "priya", "kofi", "hsato", "mallory-x", "mrossi"]
    assert issue.posts[0].opening and not any(p.opening for p in issue.posts[1:])
    assert issue.posts[1].date == pendulum.datetime(2026, 11, 24, 18, 2, 11)
    assert issue.posts[2].lines == ["+1", "", "Built from source on Ubuntu 22.04 with CUDA 12.4."]
    paths = [path for path, _, _ in fake.requests]
    assert paths == [
        ISSUE_PATH,
        f"{ISSUE_PATH}/comments?per_page=100",
        f"{ISSUE_PATH}/comments?per_page=100&page=2",
    ]
    first_headers = fake.requests[0][1]
    assert first_headers["Accept"] == "application/vnd.github+json"
    assert "Authorization" not in first_headers  # anonymous without a token
    assert issue.rate_left == 57


def test_the_api_vouches_for_authors_and_flags_a_late_edit(httpserver: HTTPServer, zone: Zone) -> None:
    """Which posts are late or early does not depend on the reader's local zone."""
    fake = FakeGitHub(httpserver)
    github = reader(fake.api_url)
    posts = github.fetch(github.api.issue("16368")).posts
    report = propose_posts(posts, sample_with_handles(), AFTER_CLOSE)
    got = {p.voter: p for p in report.proposed}
    assert {v for v, p in got.items() if p.clear} == {"ada", "chenwei", "dorlov", "priya", "hsato"}
    assert all(p.verified for p in report.proposed) and report.unverified == []
    assert any("edited after the vote closed" in r for r in got["kofi"].why)
    # A header typed into mallory-x's comment is just text: the API says mallory-x wrote it.
    assert "olu" not in got and not got["mallory-x"].clear
    assert [s.author for s in report.skipped] == ["@mrossi"]  # the result comment


def test_a_token_is_sent_to_the_api_and_nowhere_else(httpserver: HTTPServer) -> None:
    fake = FakeGitHub(httpserver)
    github = reader(fake.api_url, token=TOKEN)
    github.fetch(github.api.issue("16368"))
    assert all(headers.get("Authorization") == f"Bearer {SECRET}" for _, headers, _ in fake.requests)
    assert SECRET not in repr(github) and SECRET not in repr(TOKEN) and SECRET not in f"{TOKEN} {TOKEN!s}"


def test_an_unchanged_issue_is_read_again_for_free(httpserver: HTTPServer) -> None:
    """ETags: GitHub does not count a 304 against the rate limit, so follow mode can poll."""
    fake = FakeGitHub(httpserver)
    github = reader(fake.api_url)
    ref = github.api.issue("16368")
    first = github.fetch(ref)
    fake.requests.clear()
    again = github.fetch(ref)
    assert [p.lines for p in again.posts] == [p.lines for p in first.posts]
    assert [status for _, _, status in fake.requests] == [304, 304, 304]
    assert all("If-None-Match" in headers for _, headers, _ in fake.requests)
    fake.comments.append(recorded("comment_16368_late.json"))
    grown = github.fetch(ref)
    assert [p.handle for p in grown.posts][-1] == "noor" and grown.posts[-1].key == "2496110009"


def respond(server: HTTPServer, status: int, body: object, headers: dict[str, str] | None = None) -> None:
    text = body if isinstance(body, str) else json.dumps(body)
    server.expect_request(ISSUE_PATH).respond_with_data(
        text, status=status, headers=headers or {}, content_type="application/json"
    )


RESET = int(pendulum.datetime(2026, 11, 26, 14, 5).timestamp())


@pytest.mark.parametrize(
    ("status", "body", "headers", "token", "expected"),
    [
        (404, recorded("error_404.json"), {}, "", "apache/tvm#16368 not found on 127.0.0.1"),
        (404, recorded("error_404.json"), {}, TOKEN, "or the token cannot read it"),
        (401, recorded("error_401.json"), {}, TOKEN, "GitHub refused the token (401: Bad credentials)"),
        (401, recorded("error_401.json"), {}, "", "GitHub asks to sign in (401"),
        (
            403,
            recorded("error_403_rate.json"),
            {"X-RateLimit-Limit": "60", "X-RateLimit-Remaining": "0", "X-RateLimit-Reset": str(RESET)},
            "",
            "GitHub's rate limit is used up (60 requests an hour); it resets at 14:05 UTC, in 65 minutes",
        ),
        (429, {"message": "slow down"}, {"Retry-After": "30"}, TOKEN, "used up; try again in 30"),
        (403, {"message": "Resource not accessible by integration"}, {}, TOKEN, "GitHub refused to show"),
        (500, "<html>oops</html>", {}, "", "had a server error (500)"),
        (502, "", {}, "", "had a server error (502)"),
        (200, "{not json", {}, "", "not GitHub's JSON (not JSON"),
        (200, [1, 2], {}, "", "not GitHub's JSON (the issue: not a JSON object"),
        (200, recorded("issue_16369_pull.json"), {}, "", "is a pull request, not an issue"),
    ],
)
def test_each_error_is_one_clear_line(
    httpserver: HTTPServer, status: int, body: object, headers: dict[str, str], token: str, expected: str
) -> None:
    respond(httpserver, status, body, headers)
    clock = lambda: pendulum.datetime(2026, 11, 26, 13, 0)  # noqa: E731
    github = reader(httpserver.url_for("/"), token=TOKEN if token else None, clock=clock)
    with pytest.raises(FetchError) as caught:
        github.fetch(github.api.issue("16368"))
    message = str(caught.value)
    assert expected in message, message
    assert "\n" not in message and SECRET not in message


def test_a_bad_comments_page_is_an_error(httpserver: HTTPServer) -> None:
    httpserver.expect_request(ISSUE_PATH).respond_with_json(recorded("issue_16368.json"))
    httpserver.expect_request(f"{ISSUE_PATH}/comments").respond_with_json({"message": "odd"})
    github = reader(httpserver.url_for("/"))
    with pytest.raises(FetchError, match="the comments are not a JSON list"):
        github.fetch(github.api.issue("16368"))


def test_a_next_page_on_another_host_is_not_followed(httpserver: HTTPServer) -> None:
    httpserver.expect_request(ISSUE_PATH).respond_with_json(recorded("issue_16368.json"))
    httpserver.expect_request(f"{ISSUE_PATH}/comments").respond_with_json(
        [], headers={"Link": '<https://evil.example/steal?page=2>; rel="next"'}
    )
    github = reader(httpserver.url_for("/"), token=TOKEN)
    with pytest.raises(FetchError, match="next page on another host"):
        github.fetch(github.api.issue("16368"))


def test_a_slow_answer_times_out(httpserver: HTTPServer) -> None:
    def slow(request: Request) -> Response:
        time.sleep(2)
        return Response("{}", content_type="application/json")

    httpserver.expect_request(ISSUE_PATH).respond_with_handler(slow)
    github = reader(httpserver.url_for("/"), timeout=0.3)
    with pytest.raises(FetchError, match=r"127.0.0.1 did not answer within 0.3 seconds; nothing read"):
        github.fetch(github.api.issue("16368"))


def test_no_server_listening_is_said_plainly() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    github = reader(f"http://127.0.0.1:{port}")
    with pytest.raises(FetchError, match=r"cannot reach 127.0.0.1 \(Connection refused\)"):
        github.fetch(github.api.issue("16368"))


def test_a_failed_name_lookup_is_said_plainly(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_dns(*args: object, **kwargs: object) -> object:
        raise socket.gaierror(-2, "Name or service not known")  # without asking any DNS server

    monkeypatch.setattr(socket, "getaddrinfo", no_dns)
    github = GitHubReader("https://api.github.com")
    with pytest.raises(FetchError, match=r"cannot look up api.github.com \(DNS\)"):
        github.fetch(REF)


def test_a_token_is_never_sent_unencrypted_off_this_machine() -> None:
    with pytest.raises(FetchError, match=r"not https: the token \(\$GITHUB_TOKEN\) would travel unencrypted"):
        GitHubReader("http://github.example.com/api/v3", token=TOKEN)
    GitHubReader("http://127.0.0.1:9/api/v3", token=TOKEN)  # a local test server is fine
    GitHubReader("http://localhost:9", token=TOKEN)


def test_the_token_comes_from_the_environment() -> None:
    assert repr(token_from_env({"GITHUB_TOKEN": "a", "GH_TOKEN": "b"})) == "<token from $GITHUB_TOKEN>"
    assert repr(token_from_env({"GH_TOKEN": "b"})) == "<token from $GH_TOKEN>"
    assert token_from_env({"GITHUB_TOKEN": ""}) is None and token_from_env({}) is None


def test_only_the_venues_http_client_touches_the_network() -> None:
    import ast
    from pathlib import Path

    import tvm_vote_tui

    # (store/sessions.py imports socket for the lock's host name only.)
    network = {"urllib.request", "urllib.error", "http.client", "ssl", "requests", "httpx", "aiohttp"}
    package = Path(tvm_vote_tui.__file__).parent
    users = set()
    for path in package.glob("**/*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            if any(name in network for name in names):
                users.add(path.relative_to(package).as_posix())
    assert users == {"venues/http.py"}

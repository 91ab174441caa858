"""A GitHub API stand-in that misbehaves: every answer is checked against the fields used, every
failure is one line, an answer never moves the thread or vouches for authors it cannot prove."""

from __future__ import annotations

import copy
import json
from typing import Any

import pendulum
import pytest
from pytest_httpserver import HTTPServer

from tests.github_fake import ISSUE_PATH, FakeGitHub, recorded
from tests.net_fakes import ok, serving
from tvm_vote_tui.demo import OPENS_AT, sample_session
from tvm_vote_tui.venues.github import UNPROVEN_TRANSPORT, FetchError, GitHubReader
from tvm_vote_tui.venues.token import Token
from tvm_vote_tui.votethread.posts import MAX_POST_CHARS
from tvm_vote_tui.votethread.proposals import propose_posts

SECRET = "ghp_HOSTILEtoken0123456789abcdefABCDEF0"
TOKEN = Token(SECRET, "GH_TOKEN")
AFTER_CLOSE = OPENS_AT.add(days=9)


@pytest.fixture(scope="session")
def httpserver_listen_address() -> tuple[str, int]:
    return ("127.0.0.1", 0)


def read(server: HTTPServer, **kwargs: Any) -> Any:
    github = GitHubReader(server.url_for("/").rstrip("/"), environ={}, **kwargs)
    return github.fetch(github.api.issue("16368"))


def issue_answer(server: HTTPServer, body: str | bytes, headers: dict[str, str] | None = None) -> None:
    server.expect_request(ISSUE_PATH).respond_with_data(
        body, headers=headers or {}, content_type="application/json"
    )


def failure(server: HTTPServer, **kwargs: Any) -> str:
    with pytest.raises(FetchError) as caught:
        read(server, **kwargs)
    message = str(caught.value)
    assert "\n" not in message and SECRET[:8] not in message and "Traceback" not in message
    return message


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("[" * 100_000 + "]" * 100_000, "JSON nested too deeply"),
        ('{"number": 1' + "0" * 5000 + "}", "a number too long to read"),
        (b'{"title": "\xff"}', "not UTF-8"),
        ("", "not JSON: Expecting value at line 1"),
        ("null", "the issue: not a JSON object"),
    ],
)
def test_an_answer_that_is_not_json_is_one_line(
    httpserver: HTTPServer, body: str | bytes, expected: str
) -> None:
    issue_answer(httpserver, body)
    assert expected in failure(httpserver)


def broken(change: dict[str, Any], comment: bool = False) -> dict[str, Any]:
    data = copy.deepcopy(
        recorded("comments_16368_page1.json")[0] if comment else recorded("issue_16368.json")
    )
    for key, value in change.items():
        if value is KeyError:
            data.pop(key, None)
        else:
            data[key] = value
    return data


@pytest.mark.parametrize(
    ("issue", "expected"),
    [
        (broken({"number": True}), "the issue: its number is not 16368"),
        (broken({"number": 16369}), "the issue: its number is not 16368"),
        (broken({"number": 16368.0}), "the issue: its number is not 16368"),
        (broken({"title": None}), "the issue: its title is not text"),
        (broken({"title": "x" * 5000}), "the issue: its title is over 1000 characters"),
        (broken({"body": ["+1"]}), "the issue: its body is not text"),
        (broken({"user": "mrossi"}), "the issue: its user is not an object"),
        (broken({"user": {"login": 7}}), "the issue: its login is not text"),
        (broken({"user": {"login": "../admin"}}), "its user's login is not a GitHub login"),
        (broken({"user": {"login": "x" * 500}}), "the issue: its login is over 60 characters"),
        (broken({"created_at": KeyError}), "the issue: it has no created_at time"),
        (broken({"created_at": "yesterday-ish"}), "the issue: its created_at is not a time"),
        (broken({"created_at": "9" * 5000}), "the issue: its created_at is not a time"),
    ],
)
def test_each_field_used_is_checked(httpserver: HTTPServer, issue: dict[str, Any], expected: str) -> None:
    httpserver.expect_request(ISSUE_PATH).respond_with_json(issue)
    assert expected in failure(httpserver)


@pytest.mark.parametrize(
    ("comment", "expected"),
    [
        (broken({"id": "2496110001"}, comment=True), "comment 1: its id is not a number"),
        (broken({"id": False}, comment=True), "comment 1: its id is not a number"),
        (broken({"id": 10**30}, comment=True), "comment 1: its id is not a number"),
        (broken({"body": {"text": "+1"}}, comment=True), "comment 1: its body is not text"),
        (broken({"updated_at": 12}, comment=True), "comment 1: its updated_at is not a time"),
        ("+1", "comment 1: not a JSON object"),
    ],
)
def test_each_comment_is_checked(httpserver: HTTPServer, comment: object, expected: str) -> None:
    httpserver.expect_request(ISSUE_PATH).respond_with_json(recorded("issue_16368.json"))
    httpserver.expect_request(f"{ISSUE_PATH}/comments").respond_with_json([comment])
    assert expected in failure(httpserver)


def test_deleted_users_and_bots_read_as_github_names_them(httpserver: HTTPServer) -> None:
    fake = FakeGitHub(httpserver)
    fake.comments[0]["user"] = None
    fake.comments[1]["user"] = {"login": "github-actions[bot]"}
    posts = read(httpserver).posts
    assert [posts[1].handle, posts[2].handle] == ["ghost", "github-actions[bot]"]


@pytest.mark.parametrize(
    "headers",
    [
        {"X-RateLimit-Remaining": "²"},
        {"X-RateLimit-Remaining": "9" * 5000},
        {"X-RateLimit-Remaining": "-3"},
        {"X-RateLimit-Reset": "²", "X-RateLimit-Limit": "¹²"},
    ],
)
def test_odd_rate_limit_headers_on_a_good_answer_are_ignored(
    httpserver: HTTPServer, headers: dict[str, str]
) -> None:
    issue_answer(httpserver, json.dumps(recorded("issue_16368.json")), headers)
    httpserver.expect_request(f"{ISSUE_PATH}/comments").respond_with_json([])
    fetched = read(httpserver)
    assert fetched.rate_left is None and len(fetched.posts) == 1


@pytest.mark.parametrize(
    ("reset", "limit", "said"),
    [
        ("²", "60", "rate limit is used up (60 requests an hour); a token"),
        ("99999999999999", "60", "rate limit is used up (60 requests an hour); a token"),
        ("-1", "²", "rate limit is used up; a token"),
        ("1" + "0" * 4999, "1" + "0" * 4999, "rate limit is used up; a token"),
        (
            str(int(pendulum.datetime(2026, 11, 26, 14, 5).timestamp())),
            "60",
            "resets at 14:05 UTC, in 65 minutes",
        ),
    ],
)
def test_odd_rate_limit_headers_on_a_refusal_are_one_line(
    httpserver: HTTPServer, reset: str, limit: str, said: str
) -> None:
    httpserver.expect_request(ISSUE_PATH).respond_with_json(
        {"message": "API rate limit exceeded"},
        status=403,
        headers={"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": reset, "X-RateLimit-Limit": limit},
    )
    message = failure(httpserver, clock=lambda: pendulum.datetime(2026, 11, 26, 13, 0))
    assert said in message, message


def test_a_next_page_on_another_port_or_not_an_address_is_refused(httpserver: HTTPServer) -> None:
    httpserver.expect_request(ISSUE_PATH).respond_with_json(recorded("issue_16368.json"))
    other = f"http://127.0.0.1:{httpserver.port + 1}{ISSUE_PATH}/comments?page=2"
    httpserver.expect_request(f"{ISSUE_PATH}/comments").respond_with_json(
        [], headers={"Link": f'<{other}>; rel="next"'}
    )
    assert "sent a next page on another host (127.0.0.1:" in failure(httpserver, token=TOKEN)
    assert all("page=2" not in r.full_path for r, _ in httpserver.log)
    httpserver.clear_all_handlers()
    httpserver.expect_request(ISSUE_PATH).respond_with_json(recorded("issue_16368.json"))
    httpserver.expect_request(f"{ISSUE_PATH}/comments").respond_with_json(
        [], headers={"Link": '<http://a]b/x>; rel="next"'}
    )
    assert "a next page that is not an address" in failure(httpserver)
    httpserver.clear_all_handlers()
    httpserver.expect_request(ISSUE_PATH).respond_with_json(recorded("issue_16368.json"))
    httpserver.expect_request(f"{ISSUE_PATH}/comments").respond_with_json([], headers={"Link": "<" * 9000})
    assert "a Link header too long to read" in failure(httpserver)


def test_the_same_page_twice_is_stopped(httpserver: HTTPServer) -> None:
    httpserver.expect_request(ISSUE_PATH).respond_with_json(recorded("issue_16368.json"))
    again = httpserver.url_for(f"{ISSUE_PATH}/comments") + "?per_page=100"
    httpserver.expect_request(f"{ISSUE_PATH}/comments").respond_with_json(
        [], headers={"Link": f'<{again}>; rel="next"'}
    )
    assert "sent the same page of comments twice; stopped" in failure(httpserver)


def test_an_answers_html_url_never_says_where_the_thread_lives(httpserver: HTTPServer) -> None:
    fake = FakeGitHub(httpserver)
    fake.issue["html_url"] = "https://evil.example/apache/tvm/issues/16368"
    github = GitHubReader(fake.api_url, environ={})
    ref = github.api.issue(fake.issue_url)
    fetched = github.fetch(ref)
    assert fetched.ref == ref and fetched.ref.url == fake.issue_url


def test_what_a_redirect_to_another_host_brings_proves_no_author(httpserver: HTTPServer) -> None:
    with serving(ok(json.dumps(recorded("issue_16368.json")).encode())) as other:
        httpserver.expect_request(ISSUE_PATH).respond_with_data(
            "", status=301, headers={"Location": f"{other.url}{ISSUE_PATH}"}
        )
        httpserver.expect_request(f"{ISSUE_PATH}/comments").respond_with_json(
            recorded("comments_16368_page1.json")
        )
        posts = read(httpserver, token=TOKEN).posts
    assert SECRET.encode() not in other.seen[0].raw
    assert posts[0].suspect == UNPROVEN_TRANSPORT and not any(p.suspect for p in posts[1:])
    report = propose_posts(posts, sample_session(ballots=0), AFTER_CLOSE)
    assert report.clear  # the comments came from the API itself


def test_a_huge_comment_is_cut_with_a_notice_and_never_clear(httpserver: HTTPServer) -> None:
    fake = FakeGitHub(httpserver)
    fake.comments = fake.comments[:2]
    fake.comments[0]["body"] = "+1\n" + ("lorem ipsum " * 10 + "\n") * 130_000  # ~16 MB
    posts = read(httpserver).posts
    assert sum(len(line) + 1 for line in posts[1].lines) <= MAX_POST_CHARS + 1
    assert posts[1].cut == "the comment is 15.7 MB long: only its first 64 KB were read"
    report = propose_posts(posts, sample_session(ballots=0), AFTER_CLOSE)
    ada = next(p for p in report.proposed if p.voter == "ada")
    assert not ada.clear and posts[1].cut in ada.why
    assert report.notices == [f"@ada-l: {posts[1].cut}"]

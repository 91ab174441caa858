"""Naming a vote issue (number, owner/repo#N, URL) and linking the result to it."""

from __future__ import annotations

import pytest

from tvm_vote_tui.demo import sample_session
from tvm_vote_tui.domain.thread_ref import (
    GitHubApi,
    ThreadRefError,
    issue_ref_for,
    parse_issue_ref,
    parse_list_thread,
    thread_url,
)
from tvm_vote_tui.publish.markdown import result_markdown
from tvm_vote_tui.publish.result import result_text


@pytest.mark.parametrize(
    ("text", "short", "host"),
    [
        ("16368", "apache/tvm#16368", "github.com"),
        ("#16368", "apache/tvm#16368", "github.com"),
        ("apache/tvm-ffi#12", "apache/tvm-ffi#12", "github.com"),
        ("https://github.com/apache/tvm/issues/16368", "apache/tvm#16368", "github.com"),
        ("github.com/apache/tvm/issues/16368#issuecomment-1", "apache/tvm#16368", "github.com"),
        ("https://git.example.com/ml/tvm/issues/7", "ml/tvm#7", "git.example.com"),
        ("http://127.0.0.1:8080/apache/tvm/issues/16368", "apache/tvm#16368", "127.0.0.1:8080"),
    ],
)
def test_issue_references(text: str, short: str, host: str) -> None:
    ref = parse_issue_ref(text)
    assert (ref.short, ref.host) == (short, host)


def test_the_session_remembers_the_short_form_on_github_and_the_url_elsewhere() -> None:
    assert parse_issue_ref("https://github.com/apache/tvm/issues/16368").stored == "apache/tvm#16368"
    enterprise = "https://git.example.com/ml/tvm/issues/7"
    assert parse_issue_ref(enterprise).stored == enterprise

    # A bare number is an issue of the session's own repository, on the same host.
    assert issue_ref_for("12", "apache/tvm-ffi#3").short == "apache/tvm-ffi#12"
    assert issue_ref_for("#12", "").short == "apache/tvm#12"
    assert issue_ref_for("12", enterprise).url == "https://git.example.com/ml/tvm/issues/12"
    assert issue_ref_for("apache/tvm#5", enterprise).host == "github.com"


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("https://github.com/apache/tvm/pull/16369", "is a pull request"),
        ("apache/tvm", "does not name a GitHub issue"),
        ("https://user:pw@github.com/apache/tvm/issues/1", "does not name a GitHub issue"),
        ("file:///etc/passwd", "does not name a GitHub issue"),
        ("0", "does not name a GitHub issue"),
        # GitHub's own naming rules, checked before any request: no path tricks, no odd owners.
        ("apache/..#1", "'..' is not a GitHub repository name"),
        ("apache/.#1", "'.' is not a GitHub repository name"),
        ("https://github.com/apache/../issues/1", "'..' is not a GitHub repository name"),
        ("-apache/tvm#1", "'-apache' is not a GitHub owner"),
        ("apache-/tvm#1", "'apache-' is not a GitHub owner"),
        ("apa--che/tvm#1", "'apa--che' is not a GitHub owner"),
        ("a" * 40 + "/tvm#1", "does not name a GitHub issue"),
        ("apache/tv m#1", "does not name a GitHub issue"),
        ("apache/tvm%2F..#1", "does not name a GitHub issue"),
        ("x" * 3000, "characters long, not a GitHub issue"),
    ],
)
def test_what_is_not_an_issue_is_said(text: str, why: str) -> None:
    with pytest.raises(ThreadRefError, match=why):
        parse_issue_ref(text)


def test_thread_urls() -> None:
    assert thread_url("apache/tvm#16368") == "https://github.com/apache/tvm/issues/16368"
    assert thread_url("https://lists.apache.org/thread/abc") == "https://lists.apache.org/thread/abc"
    assert thread_url("") is None and thread_url("somewhere") is None


def test_the_result_links_to_the_thread_only_when_the_session_has_one() -> None:
    session = sample_session()
    assert "Vote thread" not in result_text(session)
    session.set_thread("apache/tvm#16368")
    text, markdown = result_text(session), result_markdown(session)
    assert "Vote thread: https://github.com/apache/tvm/issues/16368" in text
    assert "Vote thread: <https://github.com/apache/tvm/issues/16368>" in markdown
    # A thread already among the discussion links is not listed twice.
    session.set_thread("apache/tvm#18012")
    assert "Vote thread" not in result_text(session)


API = GitHubApi.parse("https://api.github.com")
ENTERPRISE = GitHubApi.parse("https://git.example.com/api/v3/")


def test_an_api_serves_the_issues_of_its_own_web_host() -> None:
    assert (API.web_host, ENTERPRISE.web_host, ENTERPRISE.url) == (
        "github.com",
        "git.example.com",
        "https://git.example.com/api/v3",
    )
    assert GitHubApi.parse("https://api.octo.ghe.com").web_host == "octo.ghe.com"
    # A number or owner/repo#N has no host: it is the issue where the API in use serves.
    assert API.issue("16368").stored == "apache/tvm#16368"
    assert ENTERPRISE.issue("ml/tvm#7").stored == "https://git.example.com/ml/tvm/issues/7"
    # An API on this machine (a stand-in, a tunnel) serves any host's issues, kept as named.
    local = GitHubApi.parse("http://127.0.0.1:8080")
    assert local.local and local.issue("apache/tvm#16368").stored == "apache/tvm#16368"
    assert (
        local.issue("https://git.example.com/ml/tvm/issues/7").stored
        == "https://git.example.com/ml/tvm/issues/7"
    )
    # The session's own thread, or a bare number in its repository.
    assert API.issue("", "apache/tvm-ffi#3").short == "apache/tvm-ffi#3"
    assert API.issue("12", "apache/tvm-ffi#3").short == "apache/tvm-ffi#12"
    assert ENTERPRISE.issue("", "https://git.example.com/ml/tvm/issues/7").short == "ml/tvm#7"
    assert API.issue("https://www.github.com/apache/tvm/issues/1").short == "apache/tvm#1"


@pytest.mark.parametrize(
    ("text", "thread"),
    [
        ("", "https://evil.example/apache/tvm/issues/16368"),  # a session file naming another host
        ("16368", "https://evil.example/apache/tvm/issues/1"),  # a number on the session's host
        ("https://evil.example/apache/tvm/issues/16368", ""),
        ("https://github.com.evil.example/apache/tvm/issues/1", ""),
        ("http://api.github.com/apache/tvm/issues/1", ""),
    ],
)
def test_a_thread_on_another_host_than_the_apis_is_refused_in_one_line(text: str, thread: str) -> None:
    with pytest.raises(ThreadRefError) as caught:
        API.issue(text, thread)
    message = str(caught.value)
    assert "but the GitHub API in use (https://api.github.com) serves github.com" in message
    assert "give --api-url" in message and "\n" not in message
    ref = issue_ref_for(text, thread) if text else parse_issue_ref(thread)
    with pytest.raises(ThreadRefError, match="give --api-url for that host's API to read it"):
        API.linked(ref)  # a link in a document: the same


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("http://a]b", "is not a web address"),
        ("http://[::1", "is not a web address"),
        ("http://a:99999", "is not a web address"),
        ("http://a:0", "has port 0"),
        ("ftp://example.com", "is not a web address"),
        ("https://user:secret@example.com", "holds a user name or password"),
        ("https://example.com/api?x=1", "has a query or an odd path"),
        ("https://example.com/a b", "is not a web address"),
        ("https://exa\x1bmple.com", "is not a web address"),
        ("https://exämple.com", "is not a web address"),
        ("https://exa_mple.com", "has an odd host name"),
        ("", "is not a web address"),
    ],
)
def test_an_api_address_is_checked_in_one_line(text: str, why: str) -> None:
    with pytest.raises(ThreadRefError, match=why) as caught:
        GitHubApi.parse(text, "--api-url")
    assert str(caught.value).startswith("--api-url") and "secret" not in str(caught.value)


def test_dev_list_threads_are_read_at_the_origin_of_their_address() -> None:
    ref = parse_list_thread("https://lists.apache.org/thread/5wnbldtbbcog0p259jnhvqbkc7nhjt71")
    assert (str(ref.origin), ref.thread_id) == (
        "https://lists.apache.org",
        "5wnbldtbbcog0p259jnhvqbkc7nhjt71",
    )
    local = parse_list_thread("http://127.0.0.1:5000/thread/abcd1234?<dev.tvm.apache.org>")
    assert local.url == "http://127.0.0.1:5000/thread/abcd1234"
    old = parse_list_thread("https://lists.apache.org/thread.html/r4aaf1e5e@%3Cdev.tvm.apache.org%3E")
    assert old.thread_id == "r4aaf1e5e"
    for bad in (
        "https://lists.apache.org/list.html?dev@tvm.apache.org",
        "https://lists.apache.org/thread/a/b",
    ):
        with pytest.raises(ThreadRefError, match="is not a Pony Mail thread"):
            parse_list_thread(bad)

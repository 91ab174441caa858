"""Naming a vote issue (number, owner/repo#N, URL) and linking the result to it."""

from __future__ import annotations

import pytest

from tvm_vote_tui.demo import sample_session
from tvm_vote_tui.domain.thread_ref import ThreadRefError, issue_ref_for, parse_issue_ref, thread_url
from tvm_vote_tui.publish.markdown import result_markdown
from tvm_vote_tui.publish.result import result_text


@pytest.mark.parametrize(
    ("text", "short", "api"),
    [
        ("16368", "apache/tvm#16368", "https://api.github.com"),
        ("#16368", "apache/tvm#16368", "https://api.github.com"),
        ("apache/tvm-ffi#12", "apache/tvm-ffi#12", "https://api.github.com"),
        ("https://github.com/apache/tvm/issues/16368", "apache/tvm#16368", "https://api.github.com"),
        ("github.com/apache/tvm/issues/16368#issuecomment-1", "apache/tvm#16368", "https://api.github.com"),
        ("https://git.example.com/ml/tvm/issues/7", "ml/tvm#7", "https://git.example.com/api/v3"),
        ("http://127.0.0.1:8080/apache/tvm/issues/16368", "apache/tvm#16368", "http://127.0.0.1:8080/api/v3"),
    ],
)
def test_issue_references(text: str, short: str, api: str) -> None:
    ref = parse_issue_ref(text)
    assert (ref.short, ref.api_url) == (short, api)


def test_the_session_remembers_the_short_form_on_github_and_the_url_elsewhere() -> None:
    assert parse_issue_ref("https://github.com/apache/tvm/issues/16368").stored == "apache/tvm#16368"
    enterprise = "https://git.example.com/ml/tvm/issues/7"
    assert parse_issue_ref(enterprise).stored == enterprise

    # A bare number is an issue of the session's own repository, on the same host.
    assert issue_ref_for("12", "apache/tvm-ffi#3").short == "apache/tvm-ffi#12"
    assert issue_ref_for("#12", "").short == "apache/tvm#12"
    assert issue_ref_for("12", enterprise).url == "https://git.example.com/ml/tvm/issues/12"
    assert issue_ref_for("apache/tvm#5", enterprise).api_url == "https://api.github.com"


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("https://github.com/apache/tvm/pull/16369", "is a pull request"),
        ("apache/tvm", "does not name a GitHub issue"),
        ("https://user:pw@github.com/apache/tvm/issues/1", "does not name a GitHub issue"),
        ("file:///etc/passwd", "does not name a GitHub issue"),
        ("0", "does not name a GitHub issue"),
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

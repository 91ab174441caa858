"""A second round of attacks in the classes of #17: each test failed before its fix."""

from __future__ import annotations

import pytest
from pytest_httpserver import HTTPServer

from tests.github_fake import ISSUE_PATH
from tvm_vote_tui.domain.roster import Member
from tvm_vote_tui.venues.github import FetchError, GitHubReader
from tvm_vote_tui.venues.token import Token
from tvm_vote_tui.votethread.authors import match_author
from tvm_vote_tui.votethread.mail_posts import mail_post

ROSTER = [
    Member("olu", "Olu Adeyemi", "olu@apache.org"),
    Member("ada", "Ada Lovelace", "ada@apache.org"),
]


def _mail(sender: str) -> str:
    return (
        f"From: {sender}\nTo: dev@tvm.apache.org\nDate: Thu, 03 Dec 2026 19:01:00 +0000\n"
        "Subject: Re: [VOTE] x\nMessage-ID: <m2@x>\n\n+1\n"
    )


@pytest.mark.parametrize(
    "sender",
    [
        "=?utf-8?b?b2x1QGFwYWNoZS5vcmc=?=",  # an address inside an encoded word: only a name
        "=?utf-8?q?=3Colu=40apache.org=3E?= <evil@evil.example>",
        "olu@apache.org)<evil@evil.example>",  # CVE-2023-27043's shape: parsers disagree on it
        "<olu@apache.org>evil@evil.example",
        "olu@apache.org, evil@evil.example",  # two authors: which one wrote it?
        "evil@evil.example, olu@apache.org",
    ],
)
def test_a_from_header_a_mail_program_reads_otherwise_never_names_a_member(sender: str) -> None:
    post = mail_post(_mail(sender))
    assert post.email != "olu@apache.org"
    assert match_author(post, ROSTER).member is None


@pytest.mark.parametrize(
    ("sender", "name", "address"),
    [
        ("Olu Adeyemi <olu@apache.org>", "Olu Adeyemi", "olu@apache.org"),
        ("=?utf-8?q?Zo=C3=AB?= <zoe@apache.org>", "Zoë", "zoe@apache.org"),
        ('"Müller, Zoë" <ZOE@apache.org>', "Müller, Zoë", "zoe@apache.org"),
        ("Olu A. <olu@apache.org>", "Olu A.", "olu@apache.org"),
    ],
)
def test_an_ordinary_from_header_still_names_its_author(sender: str, name: str, address: str) -> None:
    post = mail_post(_mail(sender))
    assert (post.name, post.email) == (name, address)


@pytest.fixture(scope="session")
def httpserver_listen_address() -> tuple[str, int]:
    return ("127.0.0.1", 0)


SECRET = "ghp_ROUND2token0123456789abcdefABCDEF0"


@pytest.mark.parametrize("status", [401, 403, 418])
@pytest.mark.parametrize(
    "quoted",
    [SECRET, f"your token {SECRET[4:20]} is bad", f"…{SECRET[-12:]}", f"{SECRET[2:11]}/{SECRET[9:18]}"],
)
def test_a_server_quoting_the_token_in_its_error_never_shows_it(
    httpserver: HTTPServer, status: int, quoted: str
) -> None:
    httpserver.expect_request(ISSUE_PATH).respond_with_json({"message": quoted}, status=status)
    github = GitHubReader(httpserver.url_for("/").rstrip("/"), Token(SECRET, "GITHUB_TOKEN"), environ={})
    with pytest.raises(FetchError) as caught:
        github.fetch(github.api.issue("16368"))
    message = str(caught.value)
    assert all(SECRET[i : i + 6] not in message for i in range(len(SECRET) - 5)), message
    assert "[token]" in message

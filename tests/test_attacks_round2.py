"""A second round of attacks in the classes of #17: each test failed before its fix."""

from __future__ import annotations

from email.headerregistry import HeaderRegistry
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer

from tests.github_fake import ISSUE_PATH
from tvm_vote_tui.cli import main
from tvm_vote_tui.demo import sample_session
from tvm_vote_tui.domain.roster import Member
from tvm_vote_tui.store.sessions import Store
from tvm_vote_tui.venues.github import PER_PAGE, FetchError, GitHubReader
from tvm_vote_tui.venues.token import Token
from tvm_vote_tui.votethread.authors import Guests, match_author
from tvm_vote_tui.votethread.mail_posts import MAX_FROM, mail_post

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


DEEP = "(" * 5000 + ")" * 5000


@pytest.mark.parametrize(
    "headers",
    [
        {"From": f"Olu <olu@apache.org> {DEEP}"},
        {"Message-ID": f"<a@b> {DEEP}"},
        {"Content-Type": f"text/plain; charset=utf-8 {DEEP}"},
        {"MIME-Version": "1.0", "Content-Type": "multipart/mixed; boundary=b0"},
    ],
    ids=["from", "message-id", "content-type", "parts"],
)
def test_a_mail_nested_thousands_deep_is_read_without_an_error_and_names_no_one_it_cannot_parse(
    headers: dict[str, str],
) -> None:
    fields = {"From": "Olu <olu@apache.org>", "Date": "Thu, 03 Dec 2026 19:01:00 +0000", **headers}
    body = "+1\n"
    nested = headers.get("Content-Type", "").startswith("multipart")
    if nested:  # parts in parts, 3000 deep
        body = "--b0\n" + "".join(
            f"Content-Type: multipart/mixed; boundary=b{i}\n\n--b{i}\n" for i in range(1, 3000)
        )
        body += "Content-Type: text/plain\n\n+1\n"
    post = mail_post("".join(f"{k}: {v}\n" for k, v in fields.items()) + "\n" + body)
    if nested:
        assert post.cut and post.lines == []
    if "From" in headers:
        assert post.email == ""


def test_the_address_parser_only_ever_sees_a_short_header(monkeypatch: pytest.MonkeyPatch) -> None:
    """The modern header parser takes memory by the square of a header's length (a 100 KB From
    or a 500 KB Subject of encoded words: gigabytes, then killed): only a short From reaches it."""
    seen: list[int] = []
    real = HeaderRegistry.__call__

    def spy(self: HeaderRegistry, name: str, value: str) -> Any:
        seen.append(len(value))
        return real(self, name, value)

    monkeypatch.setattr(HeaderRegistry, "__call__", spy)
    words = " ".join(["=?utf-8?q?a?="] * 3000)
    for header in ("From", "Subject", "Content-Type", "Message-ID", "Date", "Content-Disposition"):
        fields = {"From": "Olu <olu@apache.org>", "Date": "Thu, 03 Dec 2026 19:01:00 +0000"}
        fields[header] = (
            f"text/plain; charset={words}"
            if header == "Content-Type"
            else f"{fields.get(header, '')} {words}"
        )
        post = mail_post("".join(f"{k}: {v}\n" for k, v in fields.items()) + "\n+1\n")
        assert post.lines == ["+1"]
        assert post.email == ("" if header == "From" else "olu@apache.org")
    assert seen and max(seen) <= MAX_FROM


def test_import_thread_of_an_mbox_nested_too_deeply_says_so_in_one_line(
    isolated_data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    session = Store(isolated_data_dir).create(sample_session())
    mbox = tmp_path / "thread.mbox"
    parts = "".join(f"Content-Type: multipart/mixed; boundary=b{i}\n\n--b{i}\n" for i in range(3000))
    mbox.write_text(
        "From dev-return@tvm.apache.org  Thu Dec  3 19:00:00 2026\nFrom: Olu <olu@apache.org>\n"
        "Subject: Re: [VOTE] x\nDate: Thu, 03 Dec 2026 19:01:00 +0000\nMIME-Version: 1.0\n"
        + parts
        + "Content-Type: text/plain\n\n+1\n"
    )
    assert main(["import-thread", str(session), str(mbox), "--dry-run"]) == 0
    out, err = capsys.readouterr()
    assert "nest too deeply" in out and "Traceback" not in out + err


def test_a_guest_named_like_a_members_address_is_told_apart() -> None:
    post = mail_post(_mail("=?utf-8?b?b2x1QGFwYWNoZS5vcmc=?="))  # shown as 'olu@apache.org'
    assert match_author(post, ROSTER).member is None
    assert Guests(ROSTER).name(post) == "olu@apache.org (guest)"


def test_a_page_of_more_comments_than_asked_for_is_refused(httpserver: HTTPServer) -> None:
    comment = {"user": {"login": "ada", "type": "User"}, "body": "+1", "created_at": "2026-12-03T18:56:00Z"}
    httpserver.expect_request(ISSUE_PATH).respond_with_json(
        {
            "number": 16368,
            "title": "[VOTE] x",
            "user": {"login": "mateo"},
            "body": "",
            "created_at": "2026-12-03T18:55:00Z",
        }
    )
    httpserver.expect_request(ISSUE_PATH + "/comments").respond_with_json(
        [dict(comment, id=i + 1) for i in range(PER_PAGE + 1)]
    )
    github = GitHubReader(httpserver.url_for("/").rstrip("/"), environ={})
    with pytest.raises(FetchError, match="a page of 101 comments, where 100 were asked for"):
        github.fetch(github.api.issue("16368"))
